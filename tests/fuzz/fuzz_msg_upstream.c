/*
 * tests/fuzz/fuzz_msg_upstream.c - fuzz the upstream reply parser.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The expected question is taken from the input's own question section
 * so the parser gets past the question check, then the normalized RRs
 * are replayed into a response as the engine does.
 */
#include "config.h"

#include <assert.h>
#include <string.h>

#include "util/err.h"
#include "fuzz.h"
#include "dns/msg.h"
#include "dns/wire.h"

static uint8_t rrs[MSG_RRS_MAX];
static uint8_t out[MSG_TCP_MAX];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t name[WIRE_MAX_NAME_LEN];
	struct msg_query q;
	struct msg_builder b;
	struct msg_reply r;
	struct wire_reader rd;
	size_t name_len;
	uint16_t type;

	wire_reader_init(&rd, data, size);
	wire_skip(&rd, WIRE_HEADER_LEN);
	name_len = wire_read_name(&rd, name);
	type = wire_read_u16(&rd);
	if (rd.err != VPC_OK)
		return 0;
	if (msg_parse_reply(data, size, name, name_len, type, rrs,
			    sizeof(rrs), &r) != VPC_OK)
		return 0;
	assert(r.rrs_len <= sizeof(rrs));
	memset(&q, 0, sizeof(q));
	q.has_question = true;
	memcpy(q.qname, name, name_len);
	q.qname_len = name_len;
	q.qtype = type;
	q.qclass = WIRE_CLASS_IN;
	msg_begin(&b, &q, out, sizeof(out), MSG_UDP_MIN);
	assert(msg_add_normalized(&b, rrs, r.rrs_len, r.count, 1, 0) == VPC_OK);
	assert(msg_finish(&b, 0, r.rcode) <= MSG_UDP_MIN);
	return 0;
}
