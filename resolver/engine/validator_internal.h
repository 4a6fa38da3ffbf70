/*
 * resolver/engine/validator_internal.h - shared by validator.c and
 * validator_keys.c.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The trust anchors and the key cache as ldns structures; only the two
 * validator files see them.
 */
#ifndef RESOLVER_ENGINE_VALIDATOR_INTERNAL_H
#define RESOLVER_ENGINE_VALIDATOR_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <ldns/ldns.h>

struct validator_cache;

struct validator_anchors {
	ldns_rr_list *rrs; /* owned DS and DNSKEY records */
};

/**
 * validator_cache_get() - the cached state of @zone at @now_s: true when known,
 * with *@keys a clone of its validated DNSKEY set (owned by the caller),
 * or NULL for a proven insecure delegation.
 */
bool validator_cache_get(struct validator_cache *c, const ldns_rdf *zone,
			 uint64_t now_s, ldns_rr_list **keys);

/**
 * validator_cache_put() - remember @zone for @ttl seconds: @keys (cloned) is
 * its validated DNSKEY set, NULL an insecure delegation.
 */
void validator_cache_put(struct validator_cache *c, const ldns_rdf *zone,
			 const ldns_rr_list *keys, uint32_t ttl,
			 uint64_t now_s);

#endif /* RESOLVER_ENGINE_VALIDATOR_INTERNAL_H */
