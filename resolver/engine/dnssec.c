/*
 * resolver/engine/dnssec.c - strip DNSSEC records as the VPC Resolver does.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * One pass over the normalized RRs of an upstream reply, copying each
 * kept RR down over the removed ones (the buffer only shrinks, so the
 * copy never overtakes the reader).  Validation (`dnssec-validation:
 * true`) is engine/validator.c's.
 */
#include "config.h"

#include "engine/dnssec.h"

#include <string.h>

#include "dns/wire.h"
#include "util/err.h"

bool
dnssec_is_dnssec_type(uint16_t type)
{
	switch (type) {
	case 24: /* SIG, RFC 2535 */
	case 25: /* KEY */
	case 30: /* NXT */
	case 43: /* DS */
	case 46: /* RRSIG */
	case 47: /* NSEC */
	case 48: /* DNSKEY */
	case 50: /* NSEC3 */
	case 51: /* NSEC3PARAM */
	case 59: /* CDS */
	case 60: /* CDNSKEY */
		return true;
	default:
		return false;
	}
}

/* The end of the RRs of the first @sections sections of @rrs (counts in
 * @count), SIZE_MAX when they do not parse. */
static size_t
skip_sections(const uint8_t *rrs, size_t len, const uint16_t count[3],
	      int sections)
{
	struct wire_reader r;

	wire_reader_init(&r, rrs, len);
	for (int s = 0; s < sections; s++)
		for (unsigned i = 0; i < count[s]; i++) {
			wire_read_name(&r, NULL);
			wire_skip(&r, 8);
			wire_skip(&r, wire_read_u16(&r));
		}
	return r.err == VPC_OK ? r.pos : SIZE_MAX;
}

bool
dnssec_keeps(uint16_t qtype, int section, uint16_t type)
{
	if (!dnssec_is_dnssec_type(type))
		return true;
	return section == 0 && type == qtype;
}

size_t
dnssec_strip(uint8_t *rrs, size_t len, uint16_t count[3], uint16_t qtype)
{
	struct wire_reader r;
	uint16_t kept[3] = {0, 0, 0};
	size_t out = 0;

	/* First check that it parses, so that a bad buffer stays as is. */
	if (skip_sections(rrs, len, count, 3) == SIZE_MAX)
		return SIZE_MAX;
	wire_reader_init(&r, rrs, len);
	for (int s = 0; s < 3; s++) {
		for (unsigned i = 0; i < count[s]; i++) {
			size_t start = r.pos;
			uint16_t type;

			wire_read_name(&r, NULL);
			type = wire_read_u16(&r);
			wire_skip(&r, 6);
			wire_skip(&r, wire_read_u16(&r));
			if (!dnssec_keeps(qtype, s, type))
				continue;
			memmove(rrs + out, rrs + start, r.pos - start);
			out += r.pos - start;
			kept[s]++;
		}
	}
	memcpy(count, kept, sizeof(kept));
	return out;
}

size_t
dnssec_drop_additional(const uint8_t *rrs, size_t len, uint16_t count[3])
{
	size_t end = skip_sections(rrs, len, count, 2);

	if (end != SIZE_MAX)
		count[2] = 0;
	return end;
}
