/*
 * resolver/engine/hosted.h - load one `hosted-zones` entry, whatever the
 * format of its file.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A hosted zone's file is an RFC 1035 master file, Route 53 record-set
 * JSON or Terraform JSON (SPEC Part 2, issue 11): `format:` says which, or
 * the content does (route53_detect()).  A file holding several zones serves
 * the one whose name the entry gives.  The zone comes back finished, with
 * its policy table (engine/policy.h) when the data has routing
 * policies or aliases.
 */
#ifndef RESOLVER_ENGINE_HOSTED_H
#define RESOLVER_ENGINE_HOSTED_H

#include <stddef.h>

struct conf;
struct conf_errors;
struct conf_hosted_zone;
struct policy_health;
struct zone;

/**
 * hosted_load() - load @hz for the VPC @vpc_id (NULL for a profile).
 * @cf:     [in] the configuration (its path names the entry's line).
 * @key:    [in] the entry's configuration key ("vpcs[0].hosted-zones[1]"),
 *          named by a summary line when the file has errors.
 * @health: [in] the health table record sets refer to; borrowed by the
 *          zone.
 * @out:    [out] the finished zone, owned by the caller.
 * @errs:   [in,out] problems as "file:line: message".
 * Return: VPC_OK; VPC_ECONFIG after appending; VPC_ENOMEM.
 */
int hosted_load(const struct conf *cf, const struct conf_hosted_zone *hz,
		const char *vpc_id, const char *key,
		const struct policy_health *health, struct zone **out,
		struct conf_errors *errs);

#endif /* RESOLVER_ENGINE_HOSTED_H */
