/*
 * resolver/engine/ratelimit.c - per-source token buckets in a bounded table.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Open addressing with a short probe window; tokens are kept in
 * thousandths so that refills at any millisecond are exact.
 */
#include "config.h"

#include "engine/ratelimit.h"

#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "dns/msg.h"
#include "engine/answer.h"
#include "engine/view.h"
#include "util/text.h"

#define RATELIMIT_PROBES 8

struct bucket {
	uint8_t key[17];       /* family byte + masked address; 0 = free */
	uint64_t refilled_ms;  /* last refill */
	uint64_t milli_tokens; /* tokens x 1000 */
};

struct ratelimit {
	struct bucket *slots;
	size_t mask;
	uint32_t rate;
	unsigned v4_prefix, v6_prefix;
	uint64_t limited;
};

struct ratelimit *
ratelimit_new(uint32_t rate, unsigned v4_prefix, unsigned v6_prefix,
	      size_t slots)
{
	struct ratelimit *rl = calloc(1, sizeof(*rl));
	size_t n = 16;

	while (n < slots)
		n *= 2;
	if (rl == NULL || (rl->slots = calloc(n, sizeof(*rl->slots))) == NULL) {
		free(rl);
		return NULL;
	}
	rl->mask = n - 1;
	rl->rate = rate;
	rl->v4_prefix = v4_prefix > 32 ? 32 : v4_prefix;
	rl->v6_prefix = v6_prefix > 128 ? 128 : v6_prefix;
	return rl;
}

static void
mask_bits(uint8_t *a, size_t len, unsigned prefix)
{
	for (size_t i = 0; i < len; i++) {
		unsigned keep = prefix >= 8 * (i + 1) ? 8
				: prefix > 8 * i  ? prefix - 8 * (unsigned)i
						  : 0;

		a[i] &= (uint8_t)(0xff00u >> keep);
	}
}

static bool
make_key(const struct ratelimit *rl, const struct sockaddr *src,
	 uint8_t *key)
{
	memset(key, 0, 17);
	if (src->sa_family == AF_INET) {
		key[0] = 4;
		memcpy(key + 1, &((const struct sockaddr_in *)src)->sin_addr, 4);
		mask_bits(key + 1, 4, rl->v4_prefix);
		return true;
	}
	if (src->sa_family == AF_INET6) {
		key[0] = 6;
		memcpy(key + 1, &((const struct sockaddr_in6 *)src)->sin6_addr,
		       16);
		mask_bits(key + 1, 16, rl->v6_prefix);
		return true;
	}
	return false;
}

static size_t
key_hash(const uint8_t *key)
{
	uint64_t h = text_fnv1a64(key, 17);

	return (size_t)(h ^ (h >> 32));
}

/* The key's bucket, or the stalest one in the probe window. */
static struct bucket *
find(struct ratelimit *rl, const uint8_t *key, bool *fresh)
{
	size_t i = key_hash(key) & rl->mask;
	struct bucket *victim = NULL;

	for (size_t p = 0; p < RATELIMIT_PROBES; p++) {
		struct bucket *b = &rl->slots[(i + p) & rl->mask];

		if (memcmp(b->key, key, 17) == 0) {
			*fresh = false;
			return b;
		}
		if (b->key[0] == 0 || victim == NULL ||
		    (victim->key[0] != 0 && b->refilled_ms < victim->refilled_ms))
			victim = b;
		if (b->key[0] == 0)
			break;
	}
	*fresh = true;
	return victim;
}

bool
ratelimit_allow(struct ratelimit *rl, const struct sockaddr *src,
		uint64_t now_ms)
{
	uint64_t cap = (uint64_t)rl->rate * 1000;
	uint8_t key[17];
	struct bucket *b;
	bool fresh;

	if (!make_key(rl, src, key))
		return true;
	b = find(rl, key, &fresh);
	if (fresh) {
		memcpy(b->key, key, 17);
		b->milli_tokens = cap;
	} else if (now_ms > b->refilled_ms) {
		/* rate tokens per 1000 ms = rate milli-tokens per ms */
		uint64_t add = (now_ms - b->refilled_ms) * rl->rate;

		b->milli_tokens = b->milli_tokens + add > cap
					  ? cap
					  : b->milli_tokens + add;
	}
	b->refilled_ms = now_ms;
	if (b->milli_tokens < 1000) {
		rl->limited++;
		return false;
	}
	b->milli_tokens -= 1000;
	return true;
}

size_t
ratelimit_response(struct ratelimit *rl, size_t min_size,
		   const struct view_set *vs, const struct answer_src *src,
		   const struct msg_query *q, uint64_t now_ms, uint8_t *resp,
		   size_t len)
{
	if (rl == NULL || src->tcp || len < min_size ||
	    view_is_local(vs, src->addr) ||
	    ratelimit_allow(rl, src->addr, now_ms))
		return len;
	return msg_truncate(q, resp, len);
}

uint64_t
ratelimit_limited(const struct ratelimit *rl)
{
	return rl->limited;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	free(rl->slots);
	free(rl);
}
