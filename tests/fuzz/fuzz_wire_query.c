/*
 * tests/fuzz/fuzz_wire_query.c - fuzz the client query parser.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Parses the input as a query and, when a response is due, builds the
 * error response and checks that it echoes the ID.
 */
#include "config.h"

#include <assert.h>

#include "fuzz.h"
#include "dns/msg.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg_query q;
	uint8_t out[MSG_UDP_MAX];
	enum msg_verdict v = msg_parse_query(data, size, &q);
	size_t len;

	if (v == MSG_QUERY_DROP)
		return 0;
	len = msg_error(&q, WIRE_RCODE_FORMERR, out, sizeof(out));
	assert(len >= WIRE_HEADER_LEN && len <= MSG_UDP_MAX);
	assert(out[0] == data[0] && out[1] == data[1]);
	return 0;
}
