/*
 * resolver/engine/ec2.h - the names every VPC resolves by itself (SPEC 1.7).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * With DNS hostnames enabled (and IPv4 cidr-blocks), a VPC answers EC2
 * private hostnames (ip-10-0-1-15.ec2.internal in us-east-1,
 * ip-10-0-1-15.<region>.compute.internal elsewhere) and PTR records for addresses in its
 * cidr-blocks, without any zone file.  ec2_build() adds one synthesized
 * zone for the hostname domain and one per reverse zone to each VPC's
 * zone set; the ec2_parse_*() helpers let the engine answer their names.
 * IPv4 only: EC2 hostnames are derived from the private IPv4 address.
 * Pure; zones reference the configuration's cidr-blocks.
 */
#ifndef RESOLVER_ENGINE_EC2_H
#define RESOLVER_ENGINE_EC2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conf_errors;
struct view_set;
struct zone;

/* TTL of synthesized EC2 records. */
#define EC2_TTL 60

/**
 * ec2_build() - add the EC2 hostname and reverse zones of every VPC with
 * enable-dns-hostnames and IPv4 cidr-blocks.
 * A hosted zone of the same name as one of these zones wins over it.
 * Return: VPC_OK or VPC_ENOMEM.
 */
int ec2_build(struct view_set *vs, struct conf_errors *errs);

/**
 * ec2_parse_hostname() - the address of "ip-a-b-c-d.<apex>" when the
 * lower-case wire name @lname is exactly that and the address lies in
 * @z's cidrs.
 * @ip: [out] 4 bytes, network order, written on success.
 */
bool ec2_parse_hostname(const struct zone *z, const uint8_t *lname,
			size_t len, uint8_t *ip);

/**
 * ec2_parse_ptr() - the address of a full "d.c.b.a.in-addr.arpa" name in
 * @z's cidrs.
 * @ip: [out] 4 bytes, network order, written on success.
 */
bool ec2_parse_ptr(const struct zone *z, const uint8_t *lname, size_t len,
		   uint8_t *ip);

/**
 * ec2_ptr_owns() - whether the reverse name @lname (any number of
 * octets) can hold an address in @z's cidrs; other names under the
 * reverse apex are not the VPC's.
 */
bool ec2_ptr_owns(const struct zone *z, const uint8_t *lname, size_t len);

/**
 * ec2_hostname() - "ip-a-b-c-d.<domain>" in wire format.
 * @out: [out] WIRE_MAX_NAME_LEN bytes.
 * Return: its length, 0 when it does not fit.
 */
size_t ec2_hostname(const uint8_t *ip, const uint8_t *domain,
		    size_t domain_len, uint8_t *out);

#endif /* RESOLVER_ENGINE_EC2_H */
