/*
 * resolver/engine/dnssec.h - DNSSEC as the VPC Resolver does it.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The Route 53 VPC Resolver ignores the DO and CD bits of a query,
 * returns no DNSSEC records and never sets AD (AWS, "Enabling DNSSEC
 * validation in Amazon Route 53", resolver-dnssec-validation).  vpcdns
 * therefore asks its upstreams without DO and CD, and strips whatever
 * DNSSEC records an upstream sends anyway, so that a client sees the same
 * answer with or without +dnssec.  Which types are stripped is decided
 * here (docs/aws-behaviour.md): the types RFC 4035 §3.2.1 keeps from a
 * client that did not set DO, unless the query asked for that type.
 * Pure: normalized RRs (msg_parse_reply()) in, fewer RRs out.
 */
#ifndef RESOLVER_ENGINE_DNSSEC_H
#define RESOLVER_ENGINE_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * dnssec_is_dnssec_type() - whether @type is a DNSSEC record type:
 * DS (43), RRSIG (46), NSEC (47), DNSKEY (48), NSEC3 (50), NSEC3PARAM
 * (51), CDS (59), CDNSKEY (60) and the obsolete SIG (24), KEY (25) and
 * NXT (30) of RFC 2535.
 */
bool dnssec_is_dnssec_type(uint16_t type);

/**
 * dnssec_keeps() - whether an RR of @type in section @section (0 answer,
 * 1 authority, 2 additional) stays in the answer to a query of @qtype:
 * every non-DNSSEC record does; a DNSSEC record only in the answer section
 * of a query for exactly its type (`dig DNSKEY` still gets the keys, but
 * never their RRSIGs; ANY is no explicit request).
 */
bool dnssec_keeps(uint16_t qtype, int section, uint16_t type);

/**
 * dnssec_strip() - remove in place the RRs dnssec_keeps() refuses.
 * @rrs:   [in,out] normalized RRs (uncompressed owner, type, class, TTL,
 *         RDLENGTH, RDATA), answer then authority then additional.
 * @len:   [in] bytes at @rrs.
 * @count: [in,out] RRs per section; updated.
 * @qtype: [in] the client's query type.
 * Return: the new length, or SIZE_MAX when @rrs does not parse as @count
 * RRs (nothing is changed then).
 */
size_t dnssec_strip(uint8_t *rrs, size_t len, uint16_t count[3],
		    uint16_t qtype);

/**
 * dnssec_drop_additional() - leave out the additional section of @rrs
 * (as for dnssec_strip()): a validated answer carries only what was
 * validated, the answer and authority sections (RFC 4035 §5; Unbound's
 * val-clean-additional).
 * Return: the new length, or SIZE_MAX when @rrs does not parse (nothing
 * is changed then).
 */
size_t dnssec_drop_additional(const uint8_t *rrs, size_t len,
			      uint16_t count[3]);

#endif /* RESOLVER_ENGINE_DNSSEC_H */
