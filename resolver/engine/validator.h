/*
 * resolver/engine/validator.h - DNSSEC validation of forwarded answers.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * `dnssec-validation: true` on a VPC: the answers of the default
 * upstreams are validated (RFC 4033-4035, RFC 5155) from the configured
 * trust anchors, and those that fail give SERVFAIL, as the VPC Resolver
 * does (docs/aws-behaviour.md §8).  The validator is a pure state
 * machine: the engine gives it the upstream reply (asked with DO and
 * CD), it answers VALIDATOR_NEED with one DS or DNSKEY sub-query, the
 * edge sends that through the same forwarders, and the reply goes back
 * in with validator_feed(), until a verdict.  The chain of trust is
 * built top down from the deepest trust anchor above each signer: DS of
 * every name one label further down (RFC 4035 §5.2; a proven absence of
 * DS at a delegation makes the rest insecure), then the DNSKEY set that
 * a DS vouches for.  Time (the signature validity window) comes from the
 * caller as wall-clock seconds.  Validated DNSKEY sets and insecure
 * delegations are kept in a validator_cache shared by the queries of one
 * data set (mutex inside), for their TTLs.
 *
 * Ownership: validator_new() copies the reply; the anchors and the cache
 * are borrowed and must outlive the validator.  Not thread-safe per
 * validator (one query), the cache is.
 */
#ifndef RESOLVER_ENGINE_VALIDATOR_H
#define RESOLVER_ENGINE_VALIDATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/wire.h"

/* Sub-queries (DS and DNSKEY) per client query; SERVFAIL beyond.  A
 * name five labels below the root anchor needs about eleven. */
#define VALIDATOR_MAX_QUERIES 24
/* Zones whose DNSKEY set (or insecurity) the cache remembers. */
#define VALIDATOR_CACHE_ZONES 256
/* Longest lifetime of a cached DNSKEY set or insecure delegation. */
#define VALIDATOR_CACHE_MAX_TTL 86400

struct validator;
struct validator_anchors;
struct validator_cache;

enum validator_verdict {
	VALIDATOR_NEED,	    /* send the sub-query, then validator_feed() */
	VALIDATOR_SECURE,   /* every RRset verified up to a trust anchor */
	VALIDATOR_INSECURE, /* below a proven insecure delegation, or under
			       no trust anchor */
	VALIDATOR_BOGUS,    /* failed: the client gets SERVFAIL */
};

/* The sub-query a VALIDATOR_NEED asks for. */
struct validator_need {
	uint8_t name[WIRE_MAX_NAME_LEN]; /* wire name, lower case */
	size_t name_len;
	uint16_t type; /* WIRE_TYPE DS (43) or DNSKEY (48) */
};

/**
 * validator_anchors_parse() - read trust anchors: DS and DNSKEY records
 * in presentation format (zone file syntax: comments, parentheses,
 * $ORIGIN, $TTL), as in /usr/share/dns/root.key or ldns-key2ds output.
 * @a:    [in,out] anchors to add to (validator_anchors_new()).
 * @text: [in] the file's text; @len its length.
 * @line: [out] the line of the first problem, when one is returned.
 * @why:  [out] what is wrong, NUL-terminated, @why_cap bytes.
 * Return: VPC_OK; VPC_ECONFIG for a record that does not parse or is
 * neither DS nor DNSKEY, or a file without any; VPC_ENOMEM.
 */
int validator_anchors_parse(struct validator_anchors *a, const char *text,
			    size_t len, int *line, char *why, size_t why_cap);

/** validator_anchors_new() - empty anchors, NULL when out of memory. */
struct validator_anchors *validator_anchors_new(void);

/** validator_anchors_count() - records held. */
size_t validator_anchors_count(const struct validator_anchors *a);

/** validator_anchors_free() - release; NULL is a no-op. */
void validator_anchors_free(struct validator_anchors *a);

/** validator_cache_new() - empty cache, NULL when out of memory. */
struct validator_cache *validator_cache_new(void);

/** validator_cache_free() - release; NULL is a no-op. */
void validator_cache_free(struct validator_cache *c);

/**
 * validator_new() - start validating the reply to @qname/@qtype.
 * @ta:     [in] trust anchors, borrowed.
 * @cache:  [in,out] shared key cache, borrowed, or NULL.
 * @qname:  [in] wire name asked upstream; @qname_len its length.
 * @qtype:  [in] type asked.
 * @now_s:  [in] wall-clock seconds since the epoch (RRSIG validity).
 * Return: an owned validator, NULL when out of memory.
 */
struct validator *validator_new(const struct validator_anchors *ta,
				struct validator_cache *cache,
				const uint8_t *qname, size_t qname_len,
				uint16_t qtype, uint64_t now_s);

/**
 * validator_start() - validate the upstream reply @reply (@len bytes,
 * asked with DO): a verdict, or VALIDATOR_NEED with the sub-query in
 * @need.  The reply is copied.
 */
enum validator_verdict validator_start(struct validator *v,
				       const uint8_t *reply, size_t len,
				       struct validator_need *need);

/**
 * validator_feed() - the reply to the last sub-query: @status VPC_OK
 * with @reply/@len, or the upstream failure (then BOGUS: the answer
 * cannot be validated).  Return as for validator_start().
 */
enum validator_verdict validator_feed(struct validator *v, int status,
				      const uint8_t *reply, size_t len,
				      struct validator_need *need);

/**
 * validator_reply() - the reply validator_start() was given (a copy
 * owned by @v, valid until validator_free()); NULL before.
 */
const uint8_t *validator_reply(const struct validator *v, size_t *len);

/** validator_queries() - sub-queries asked so far. */
unsigned validator_queries(const struct validator *v);

/**
 * validator_why() - why the verdict (static or in @v, valid until
 * validator_free()): "signature expired on www.example.test. A", ...
 */
const char *validator_why(const struct validator *v);

/** validator_verdict_name() - "secure", "insecure", "bogus", "need". */
const char *validator_verdict_name(enum validator_verdict verdict);

/** validator_free() - release; NULL is a no-op. */
void validator_free(struct validator *v);

#endif /* RESOLVER_ENGINE_VALIDATOR_H */
