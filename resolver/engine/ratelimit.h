/*
 * resolver/engine/ratelimit.h - per-source token buckets.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A fixed-size table of token buckets keyed by source address (or a
 * prefix of it).  Used for `simulate-aws-limits` (the VPC Resolver's
 * 1,024 packets per second per network interface, applied per client
 * address) and for response rate limiting of large answers to non-local
 * sources.  Time comes in as milliseconds; no I/O.  When the table is
 * full the least recently refilled bucket in a probe window is reused, so
 * memory stays bounded whatever the number of sources.  Loop thread only.
 */
#ifndef RESOLVER_ENGINE_RATELIMIT_H
#define RESOLVER_ENGINE_RATELIMIT_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ratelimit;

/**
 * ratelimit_new() - buckets of @rate tokens per second (burst @rate),
 * keyed by the source address masked to @v4_prefix / @v6_prefix bits.
 * @slots: [in] table size (rounded up to a power of two).
 * Return: the limiter (owned), or NULL when out of memory.
 */
struct ratelimit *ratelimit_new(uint32_t rate, unsigned v4_prefix,
				unsigned v6_prefix, size_t slots);

/**
 * ratelimit_allow() - take one token for @src at @now_ms.
 * Return: true when the packet is within the rate.
 */
bool ratelimit_allow(struct ratelimit *rl, const struct sockaddr *src,
		     uint64_t now_ms);

/** ratelimit_limited() - packets refused since ratelimit_new(). */
uint64_t ratelimit_limited(const struct ratelimit *rl);

/** ratelimit_free() - release; NULL is a no-op. */
void ratelimit_free(struct ratelimit *rl);

#endif /* RESOLVER_ENGINE_RATELIMIT_H */
