/*
 * resolver/conf/terraform.h - Route 53 zones and records from Terraform
 * JSON.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Reads the two JSON forms of a Terraform state: `terraform show -json`
 * (values.root_module and its child_modules, each resource with its
 * "address" and "values") and a raw terraform.tfstate (version 4:
 * resources[].instances[].attributes).  Resources of type aws_route53_zone
 * become zones (name, zone_id, vpc blocks) and aws_route53_record become
 * record sets of the zone whose zone_id they name (records, ttl, alias,
 * set_identifier, health_check_id and the weighted, failover, latency,
 * geolocation and multivalue routing-policy blocks), in the model of
 * conf/route53.h.  Every other resource is ignored.  Messages name the
 * file, the line and the resource address ("module.dns.aws_route53_
 * record.www[0]").  No I/O, no global state.
 */
#ifndef RESOLVER_CONF_TERRAFORM_H
#define RESOLVER_CONF_TERRAFORM_H

#include <stddef.h>

struct conf_errors;
struct route53_zones;

/**
 * terraform_parse() - read Terraform JSON into zones.
 * @text, @len: [in] the file's bytes; not kept.
 * @file: [in] its name in messages.
 * @out:  [out] on VPC_OK the zones, owned by the caller (route53_zones_free());
 *        records whose zone_id names no zone of the file go into one zone
 *        with a NULL name per zone_id.
 * @errs: [in,out] problems appended as "file:line: address: message".
 * Return: VPC_OK; VPC_ECONFIG after appending; VPC_ENOMEM.
 */
int terraform_parse(const char *text, size_t len, const char *file,
		    struct route53_zones *out, struct conf_errors *errs);

#endif /* RESOLVER_CONF_TERRAFORM_H */
