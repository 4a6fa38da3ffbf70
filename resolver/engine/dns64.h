/*
 * resolver/engine/dns64.h - DNS64 for the subnets that have it (RFC 6147).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A VPC subnet with DNS64 enabled (AWS nat-gateway-nat64-dns64; in vpcdns
 * the source ranges listed in a VPC's `dns64:`) gets, for an AAAA query
 * of a name that has A records but no AAAA, AAAA records synthesized in
 * the well-known prefix 64:ff9b::/96 (RFC 6052 §2.1) from its A records;
 * names with AAAA records are answered as they are, NXDOMAIN stays
 * NXDOMAIN (RFC 6147 §5.1.2).  A PTR query for a name of 64:ff9b::/96 is
 * answered by a CNAME to the IPv4 reverse name, which is then resolved
 * like any name (RFC 6147 §5.3.1).  The engine calls these helpers; local
 * data is synthesized where it is answered, a forwarded name takes a
 * second upstream query (A) after an AAAA NODATA.
 */
#ifndef RESOLVER_ENGINE_DNS64_H
#define RESOLVER_ENGINE_DNS64_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/msg.h"

struct view;
struct view_set;

/* TTL of the CNAME answering a 64:ff9b::/96 PTR (AWS is silent). */
#define DNS64_TTL 60

/**
 * dns64_client() - whether the client at @src, answered in view @v, is in
 * one of the VPC's `dns64` ranges (never through an inbound endpoint).
 */
bool dns64_client(const struct view_set *vs, const struct view *v,
		  const struct sockaddr *src);

/** dns64_synth() - 64:ff9b::a.b.c.d of the IPv4 address @a into @out. */
void dns64_synth(const uint8_t a[4], uint8_t out[16]);

/**
 * dns64_ptr_target() - the IPv4 reverse name "d.c.b.a.in-addr.arpa" of a
 * full 32-nibble reverse name of 64:ff9b::a.b.c.d.
 * @lname: [in] lower-case wire name.
 * @out:   [out] WIRE_MAX_NAME_LEN bytes.
 * Return: its length, 0 when @lname is no such name.
 */
size_t dns64_ptr_target(const uint8_t *lname, size_t len, uint8_t *out);

/**
 * dns64_needs_a() - whether an upstream AAAA reply (normalized RRs) calls
 * for synthesis: NOERROR and no AAAA in its answer section.
 */
bool dns64_needs_a(unsigned rcode, const uint8_t *rrs, size_t len,
		   const uint16_t count[3]);

/**
 * dns64_add_answer() - the synthesized answer from an upstream A reply:
 * its CNAME/DNAME chain as it is, each A as the AAAA of its synthesized
 * address with TTL min(A TTL, @ttl_cap) (RFC 6147 §5.1.7); when there is
 * no A, the reply's authority section (the SOA of a NODATA).
 * @age: seconds to take off the TTLs (a cached reply).
 * Return: VPC_OK, or VPC_EMALFORMED when @rrs does not parse.
 */
int dns64_add_answer(struct msg_builder *b, const uint8_t *rrs, size_t len,
		     const uint16_t count[3], uint32_t age, uint32_t ttl_cap);

/**
 * dns64_nodata_ttl() - the negative TTL of an AAAA NODATA reply: its
 * SOA's min(TTL, MINIMUM), or @dflt when it has none.
 */
uint32_t dns64_nodata_ttl(const uint8_t *rrs, size_t len,
			  const uint16_t count[3], uint32_t dflt);

#endif /* RESOLVER_ENGINE_DNS64_H */
