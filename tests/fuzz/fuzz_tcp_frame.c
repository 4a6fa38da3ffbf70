/*
 * tests/fuzz/fuzz_tcp_frame.c - fuzz TCP framing over a byte stream.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Splits the input into frames as the TCP edge does and checks that every
 * frame lies inside the input.
 */
#include "config.h"

#include <assert.h>

#include "util/err.h"
#include "fuzz.h"
#include "dns/msg.h"
#include "dns/wire.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t off = 0, msg, msg_len, used;

	while (wire_tcp_frame(data + off, size - off, &msg, &msg_len,
			      &used) == VPC_OK) {
		struct msg_query q;

		assert(off + used <= size && msg + msg_len == used);
		msg_parse_query(data + off + msg, msg_len, &q);
		off += used;
	}
	return 0;
}
