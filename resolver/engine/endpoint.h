/*
 * resolver/engine/endpoint.h - synthesize the DNS records of VPC endpoints.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Turns the `endpoints:` of every VPC into zones (SPEC 1.1-1.4, 1.5a):
 * the endpoint-specific names (regional, zonal, S3 wildcards) go into one
 * zone per "<label>.<region>.vpce.<domain>" in the view set's shared vpce
 * zone set, restricted to the names of configured endpoints; the private
 * DNS names (catalog or `private-dns-names`) become managed private hosted
 * zones of the VPC, or of its inbound-only zone set.  Pure: the records
 * are data derived from the configuration, built once per load.
 */
#ifndef RESOLVER_ENGINE_ENDPOINT_H
#define RESOLVER_ENGINE_ENDPOINT_H

#include <stddef.h>
#include <stdint.h>

struct conf_endpoint;
struct conf_errors;
struct view_set;

/* SPEC 1.1: TTL of every endpoint record. */
#define ENDPOINT_TTL 60
/* Length of a dns-suffix. */
#define ENDPOINT_SUFFIX_LEN 8

/**
 * endpoint_build() - add the zones of every endpoint of @vs->conf.
 * @vs:   [in,out] a view set whose per-VPC zone sets and vpce zone set
 *        exist; zones are added to them.
 * @errs: [in,out] problems appended as "file:line: message".
 * Return: VPC_OK; VPC_ECONFIG when something was appended; VPC_ENOMEM.
 */
int endpoint_build(struct view_set *vs, struct conf_errors *errs);

/**
 * endpoint_suffix() - the dns-suffix of @ep: the configured one, else 8
 * characters of [a-z0-9] derived from the endpoint id by a fixed hash,
 * so the same id always gets the same names.
 * @out: [out] ENDPOINT_SUFFIX_LEN + 1 bytes, NUL-terminated.
 */
void endpoint_suffix(const struct conf_endpoint *ep, char *out);

#endif /* RESOLVER_ENGINE_ENDPOINT_H */
