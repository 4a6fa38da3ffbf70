/*
 * tests/fuzz/fuzz_validator.c - fuzz the DNSSEC validator.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The input is a run of messages, each preceded by its length (2 bytes,
 * network order): the first is the upstream reply to validate (its own
 * question is the one asked), the others answer the validator's DS and
 * DNSKEY sub-queries in turn (a missing one is an upstream failure).
 * The trust anchor is the KSK of the val.test zone of
 * tests/e2e/dnssec_validation as signed once on 2026-12-03 (signatures
 * valid to 2026-12-31; the clock is fixed at 2026-12-10), and the seeds
 * are that nsd's replies (dnspython, DO and CD), so the seeds reach
 * secure, insecure and bogus verdicts.
 * Whatever the bytes, the validator must end with a verdict within
 * VALIDATOR_MAX_QUERIES sub-queries, without a crash or a leak.
 */
#include "config.h"

#include <assert.h>
#include <string.h>

#include "dns/wire.h"
#include "engine/validator.h"
#include "fuzz.h"
#include "util/err.h"

static const char anchor[] =
    "val.test. 300 IN DNSKEY 257 3 13 "
    "fVGsyhsCvHqGIKgl3XAHdgv9s8Q13YzIpd3xMy19HievmX4P4aD+yyApIuc4Cxl3"
    "IolE9Jkza0g5AUZTQdCRpQ==\n";

/* The next message of the input: its bytes and length, or NULL. */
static const uint8_t *
next(const uint8_t **data, size_t *size, size_t *len)
{
	const uint8_t *m;

	if (*size < 2)
		return NULL;
	*len = (size_t)((*data)[0] << 8 | (*data)[1]);
	if (*len > *size - 2)
		*len = *size - 2;
	m = *data + 2;
	*data += 2 + *len;
	*size -= 2 + *len;
	return m;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct validator_anchors *a;
	struct validator_cache *c;
	uint8_t qname[WIRE_MAX_NAME_LEN];
	struct wire_reader r;
	struct validator *v;
	struct validator_need need;
	enum validator_verdict verdict;
	const uint8_t *m;
	char why[128];
	size_t len, qlen;
	uint16_t qtype;
	int line;

	wire_reader_init(&r, data, size);
	wire_skip(&r, 2 + WIRE_HEADER_LEN);
	qlen = wire_read_name(&r, qname);
	qtype = wire_read_u16(&r);
	if (r.err != VPC_OK)
		return 0;
	a = validator_anchors_new();
	c = validator_cache_new();
	assert(a != NULL && c != NULL);
	assert(validator_anchors_parse(a, anchor, sizeof(anchor) - 1, &line,
				       why, sizeof(why)) == VPC_OK);
	v = validator_new(a, c, qname, qlen, qtype, 1796860800u);
	assert(v != NULL);
	if ((m = next(&data, &size, &len)) != NULL) {
		verdict = validator_start(v, m, len, &need);
		while (verdict == VALIDATOR_NEED) {
			assert(validator_queries(v) <= VALIDATOR_MAX_QUERIES);
			assert(need.name_len > 0 &&
			       need.name_len <= WIRE_MAX_NAME_LEN);
			m = next(&data, &size, &len);
			verdict =
			    validator_feed(v, m != NULL ? VPC_OK : VPC_ETIMEOUT,
					   m, m != NULL ? len : 0, &need);
		}
		assert(validator_why(v) != NULL);
	}
	validator_free(v);
	validator_cache_free(c);
	validator_anchors_free(a);
	return 0;
}
