/*
 * resolver/engine/reserved.h - the reserved names every VPC answers itself.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * With DNS hostnames enabled, the VPC Resolver has autodefined rules for
 * the localhost-related names and the reverse zones of the private ranges
 * and answers them itself, never forwarding them (AWS "Domain names that
 * Resolver creates autodefined system rules for", which cites RFC 6303):
 *
 *   localhost, localdomain, 127.in-addr.arpa, the ::1 and :: names under
 *   ip6.arpa, and (autodefined-reverse, default on) 10.in-addr.arpa,
 *   16.172 ... 31.172.in-addr.arpa, 168.192.in-addr.arpa and
 *   254.169.254.169.in-addr.arpa.
 *
 * reserved_build() adds one zone per name to each VPC's zone set; they
 * are zones like any other, so the order of SPEC 1.5 applies: a forward
 * rule of exactly that name wins over the zone, a broader rule (".")
 * does not, a hosted zone of the same name replaces it.  What the zones
 * hold (docs/aws-behaviour.md, where AWS is silent): localhost and every
 * name below it answer A 127.0.0.1 and AAAA ::1 (RFC 6761 §6.3), as does
 * localhost.localdomain; 1.0.0.127.in-addr.arpa and the ::1 name answer
 * PTR localhost.; everything else is NXDOMAIN (NODATA at an apex), with
 * the Route 53 SOA.  The VPC's own addresses keep their EC2 PTR names: the
 * reverse zones of its cidr-blocks are more specific, or, for a
 * cidr-block wider than a reserved zone, that reserved zone is left out.
 */
#ifndef RESOLVER_ENGINE_RESERVED_H
#define RESOLVER_ENGINE_RESERVED_H

struct conf_errors;
struct view_set;

/* TTL of the reserved names' records. */
#define RESERVED_TTL 300

/**
 * reserved_build() - add the reserved zones of every VPC with
 * enable-dns-hostnames (after ec2_build(): it looks at the EC2 reverse
 * zones).
 * Return: VPC_OK or VPC_ENOMEM.
 */
int reserved_build(struct view_set *vs, struct conf_errors *errs);

#endif /* RESOLVER_ENGINE_RESERVED_H */
