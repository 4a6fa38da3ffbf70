/*
 * resolver/engine/ratelimit.h - per-source token buckets.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A fixed-size table of token buckets keyed by source address (or a
 * prefix of it).  Used for `simulate-aws-limits` (the VPC Resolver's
 * packet limit per network interface, applied per client address) and for
 * response rate limiting of large answers to non-local sources, whose
 * decision is here too (ratelimit_response()).  Time comes in as
 * milliseconds; no I/O.  When the table is full the least recently
 * refilled bucket in a probe window is reused, so memory stays bounded
 * whatever the number of sources.  Loop thread only.
 */
#ifndef RESOLVER_ENGINE_RATELIMIT_H
#define RESOLVER_ENGINE_RATELIMIT_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct answer_src;
struct msg_query;
struct ratelimit;
struct view_set;

/* simulate-aws-limits counts per network interface; one client address
 * stands for one. */
#define RATELIMIT_AWS_V4_PREFIX 32
#define RATELIMIT_AWS_V6_PREFIX 128
/* Response rate limiting counts per network, as BIND's and Knot's RRL do
 * by default (ipv4-prefix-length 24, ipv6-prefix-length 56): spoofed
 * sources in one network share a bucket. */
#define RATELIMIT_RRL_V4_PREFIX 24
#define RATELIMIT_RRL_V6_PREFIX 56

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

/**
 * ratelimit_response() - response rate limiting (the "slip" of BIND and
 * Knot RRL): a UDP answer of at least @min_size bytes to a source that is
 * not local (view_is_local()) takes a token of @rl; over the rate it
 * becomes the question alone with TC set, so a spoofed source gets
 * nothing bigger than its query and a real client retries over TCP.
 * @rl:   [in,out] the limiter (RATELIMIT_RRL_* prefixes), or NULL: off.
 * @resp, @len: [in,out] the response to @q, rewritten in place.
 * Return: the length to send.
 */
size_t ratelimit_response(struct ratelimit *rl, size_t min_size,
			  const struct view_set *vs,
			  const struct answer_src *src,
			  const struct msg_query *q, uint64_t now_ms,
			  uint8_t *resp, size_t len);

/** ratelimit_limited() - packets refused since ratelimit_new(). */
uint64_t ratelimit_limited(const struct ratelimit *rl);

/** ratelimit_free() - release; NULL is a no-op. */
void ratelimit_free(struct ratelimit *rl);

#endif /* RESOLVER_ENGINE_RATELIMIT_H */
