/*
 * resolver/engine/fwchain.c - DNS Firewall over an upstream CNAME chain.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The chain is followed by owner name, not by position, so an upstream
 * that lists the CNAMEs out of order is still inspected name by name; at
 * most WIRE_MAX_FW_HOPS names, which also ends a loop.
 */
#include "config.h"

#include "engine/fwchain.h"

#include <string.h>

#include "conf/conf.h"
#include "engine/firewall.h"
#include "util/err.h"

/* Names of one chain inspected at most (RFC 1034 leaves it open; the
 * local walk stops at 8 hops, upstream chains may be longer). */
#define WIRE_MAX_FW_HOPS 16
#define FW_MAX_ANSWERS 512

struct ans {
	size_t owner;   /* offset of the owner name in rrs */
	size_t owner_len;
	size_t target;  /* offset of a CNAME's target, 0 for other types */
	size_t target_len;
};

/* The answer section's CNAMEs; returns how many RRs were read, or -1. */
static int
read_answers(const uint8_t *rrs, size_t len, unsigned n, struct ans *a)
{
	struct wire_reader r;

	wire_reader_init(&r, rrs, len);
	for (unsigned i = 0; i < n; i++) {
		uint16_t type, rdlen;

		a[i].owner = r.pos;
		a[i].owner_len = wire_read_name(&r, NULL);
		type = wire_read_u16(&r);
		wire_skip(&r, 6);
		rdlen = wire_read_u16(&r);
		a[i].target = 0;
		a[i].target_len = 0;
		if (type == WIRE_TYPE_CNAME && r.err == VPC_OK) {
			struct wire_reader t = r;

			a[i].target = r.pos;
			a[i].target_len = wire_read_name(&t, NULL);
			if (t.err != VPC_OK || a[i].target_len != rdlen)
				a[i].target = 0;
		}
		wire_skip(&r, rdlen);
		if (r.err != VPC_OK)
			return -1;
	}
	return (int)n;
}

bool
fwchain_inspect(const struct firewall *fw, uint16_t qtype,
		const uint8_t *start, size_t start_len, const uint8_t *rrs,
		size_t len, const uint16_t count[3], struct fwchain_hit *hit)
{
	struct ans a[FW_MAX_ANSWERS];
	uint8_t cur[WIRE_MAX_NAME_LEN];
	size_t cur_len = start_len;
	unsigned n = count[0] < FW_MAX_ANSWERS ? count[0] : FW_MAX_ANSWERS;
	int got;

	memset(hit, 0, sizeof(*hit));
	if (fw == NULL || n == 0 || (got = read_answers(rrs, len, n, a)) < 0)
		return false;
	memcpy(cur, start, start_len);
	for (unsigned hop = 0; hop < WIRE_MAX_FW_HOPS; hop++) {
		const struct conf_fw_rule *rule;
		int i;

		for (i = 0; i < got; i++)
			if (a[i].target != 0 &&
			    wire_name_equal(rrs + a[i].owner, a[i].owner_len,
					    cur, cur_len))
				break;
		if (i == got)
			return false; /* the chain ends here */
		cur_len = a[i].target_len;
		wire_name_lower(cur, rrs + a[i].target, cur_len);
		rule = firewall_match_type(fw, cur, cur_len, qtype);
		if (rule == NULL)
			continue;
		if (hit->rule == NULL || (rule->action != CONF_FW_ALLOW &&
					  hit->rule->action == CONF_FW_ALLOW)) {
			hit->rule = rule;
			memcpy(hit->name, cur, cur_len);
			hit->name_len = cur_len;
		}
		if (rule->action == CONF_FW_BLOCK) {
			hit->rule = rule;
			hit->blocked = true;
			hit->keep = (uint16_t)(i + 1);
			memcpy(hit->name, cur, cur_len);
			hit->name_len = cur_len;
			return true;
		}
		if (rule->redirection == CONF_FW_TRUST)
			return false;
	}
	return false;
}
