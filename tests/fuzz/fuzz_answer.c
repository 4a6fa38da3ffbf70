/*
 * tests/fuzz/fuzz_answer.c - fuzz the whole core with fixed zones.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Feeds the input to answer_query() as a UDP query of a client of one VPC
 * whose zone has A, CNAME (inside and out of the zone), wildcard and
 * empty non-terminal names.  Every response must parse, echo the ID and
 * fit the client's size limit; a forwarded query is finished with a
 * timeout, which must give SERVFAIL.  The data set has its fast path
 * (engine/fastpath.h); the same query without it must give the same
 * action and bytes.
 */
#include "config.h"

#include <netinet/in.h>

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "engine/answer.h"
#include "engine/cache.h"
#include "engine/fastpath.h"
#include "conf/conf.h"
#include "fuzz.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "engine/zone.h"

static struct view_set vs;
static struct view vpc;
static struct zoneset *zones;
static struct conf cf;
static struct conf_vpc cvpc;
static struct cache *cache;
static struct answer_job job;
static uint8_t out[MSG_TCP_MAX], ref[MSG_TCP_MAX];

static void
add(struct zone *z, const char *owner, uint16_t type, const char *target,
    const uint8_t *rdata, uint16_t rdlen)
{
	uint8_t o[WIRE_MAX_NAME_LEN], t[WIRE_MAX_NAME_LEN];
	size_t olen = wire_name_from_text(owner, o);

	if (target != NULL) {
		rdlen = (uint16_t)wire_name_from_text(target, t);
		rdata = t;
	}
	zone_add_rr(z, o, olen, type, 60, rdata, rdlen);
}

static void
setup(void)
{
	static const uint8_t a[4] = {10, 0, 0, 1};
	uint8_t apex[WIRE_MAX_NAME_LEN];
	struct zone *z;

	zone_new(apex, wire_name_from_text("corp.test", apex), &z);
	add(z, "corp.test", WIRE_TYPE_A, NULL, a, 4);
	add(z, "www.corp.test", WIRE_TYPE_A, NULL, a, 4);
	add(z, "alias.corp.test", WIRE_TYPE_CNAME, "www.corp.test", NULL, 0);
	add(z, "out.corp.test", WIRE_TYPE_CNAME, "www.example.org", NULL, 0);
	add(z, "loop.corp.test", WIRE_TYPE_CNAME, "loop.corp.test", NULL, 0);
	add(z, "*.wild.corp.test", WIRE_TYPE_A, NULL, a, 4);
	add(z, "a.b.deep.corp.test", WIRE_TYPE_A, NULL, a, 4);
	zone_finish(z);
	zones = zoneset_new();
	zoneset_add(zones, z);
	vpc.zonesets[0] = zones;
	vpc.n_zonesets = 1;
	cvpc.id = (char *)"vpc-fuzz";
	cf.vpcs = &cvpc;
	cf.n_vpcs = 1;
	vs.conf = &cf;
	vs.vpcs = &vpc;
	vs.inbound = &vpc;
	vs.n_vpcs = 1;
	vs.fallback = &vpc;
	cache = cache_new(1000, 86400);
	if (fastpath_build(&vs, &vs.fast) != 0)
		abort();
}

static void
check_response(const uint8_t *query, size_t len, size_t limit)
{
	struct wire_reader r;
	uint16_t counts[4];

	assert(len >= WIRE_HEADER_LEN && len <= limit);
	assert(out[0] == query[0] && out[1] == query[1]);
	wire_reader_init(&r, out, len);
	wire_skip(&r, 4);
	for (int i = 0; i < 4; i++)
		counts[i] = wire_read_u16(&r);
	for (unsigned i = 0; i < counts[0]; i++) {
		wire_read_name(&r, NULL);
		wire_skip(&r, 4);
	}
	for (unsigned i = 0; i < (unsigned)counts[1] + counts[2] + counts[3];
	     i++) {
		wire_read_name(&r, NULL);
		wire_skip(&r, 8);
		wire_skip(&r, wire_read_u16(&r));
	}
	assert(r.err == 0 && r.pos == len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_in src = {.sin_family = AF_INET};
	struct answer_src as = {.addr = (struct sockaddr *)&src,
				.inbound = VIEW_NOT_INBOUND};
	struct fastpath *fp;
	enum answer_action act, ref_act;
	size_t len, ref_len = 0;

	if (cache == NULL)
		setup();
	/* The general path first (no fast path, no cache), to compare. */
	fp = vs.fast;
	vs.fast = NULL;
	ref_act = answer_query(&job, &vs, NULL, &as, data, size, 1000, ref,
			       MSG_UDP_MAX, &ref_len);
	vs.fast = fp;
	act = answer_query(&job, &vs, cache, &as, data, size, 1000, out,
			   MSG_UDP_MAX, &len);
	assert(act == ref_act);
	assert(act != ANSWER_REPLY ||
	       (len == ref_len && memcmp(out, ref, len) == 0));
	switch (act) {
	case ANSWER_REPLY:
		check_response(data, len, job.q.has_question ? job.limit
							     : MSG_UDP_MAX);
		break;
	case ANSWER_FORWARD:
		len = answer_upstream(&job, cache, -9, NULL, 0, 2000, out,
				      MSG_UDP_MAX);
		check_response(data, len, job.limit);
		assert(WIRE_RCODE(out[3]) == WIRE_RCODE_SERVFAIL);
		break;
	case ANSWER_DROP:
		break;
	}
	return 0;
}
