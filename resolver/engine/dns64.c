/*
 * resolver/engine/dns64.c - DNS64 for the subnets that have it (RFC 6147).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Pure helpers over normalized RRs and wire names; the walk through local
 * data and the second upstream query live in answer.c.
 */
#include "config.h"

#include "engine/dns64.h"

#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "dns/wire.h"
#include "engine/view.h"
#include "util/err.h"

/* RFC 6052 §2.1: 64:ff9b::/96. */
static const uint8_t wkp[12] = {0x00, 0x64, 0xff, 0x9b};

static bool
in_cidr(const struct conf_cidr *c, int family, const uint8_t *a)
{
	unsigned full = c->prefix / 8, rest = c->prefix % 8;

	if (c->family != family || memcmp(c->addr, a, full) != 0)
		return false;
	return rest == 0 ||
	       ((c->addr[full] ^ a[full]) & (0xffu << (8 - rest))) == 0;
}

bool
dns64_client(const struct view_set *vs, const struct view *v,
	     const struct sockaddr *src)
{
	const struct conf_vpc *cv;
	uint8_t a[16];
	int family;

	if (v == NULL || v->inbound || v->conf_index >= vs->conf->n_vpcs ||
	    src == NULL)
		return false;
	cv = &vs->conf->vpcs[v->conf_index];
	if (cv->n_dns64 == 0)
		return false;
	if (src->sa_family == AF_INET) {
		memcpy(a, &((const struct sockaddr_in *)src)->sin_addr, 4);
		family = AF_INET;
	} else if (src->sa_family == AF_INET6) {
		const struct in6_addr *a6 =
			&((const struct sockaddr_in6 *)src)->sin6_addr;

		memcpy(a, a6, 16);
		family = AF_INET6;
		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			memmove(a, a + 12, 4);
			family = AF_INET;
		}
	} else {
		return false;
	}
	for (size_t i = 0; i < cv->n_dns64; i++)
		if (in_cidr(&cv->dns64[i], family, a))
			return true;
	return false;
}

void
dns64_synth(const uint8_t a[4], uint8_t out[16])
{
	memcpy(out, wkp, sizeof(wkp));
	memcpy(out + 12, a, 4);
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

size_t
dns64_ptr_target(const uint8_t *lname, size_t len, uint8_t *out)
{
	static const uint8_t tail[] = "\x03ip6\x04" "arpa";
	uint8_t addr[16] = {0};
	char text[32];
	size_t pos = 0;

	/* 32 one-nibble labels, then ip6.arpa. */
	if (len != 32 * 2 + sizeof(tail))
		return 0;
	for (int i = 31; i >= 0; i--, pos += 2) {
		int v;

		if (lname[pos] != 1 || (v = hexval(lname[pos + 1])) < 0)
			return 0;
		addr[i / 2] |= (uint8_t)(i % 2 ? v : v << 4);
	}
	if (memcmp(lname + pos, tail, sizeof(tail)) != 0 ||
	    memcmp(addr, wkp, sizeof(wkp)) != 0)
		return 0;
	snprintf(text, sizeof(text), "%u.%u.%u.%u.in-addr.arpa", addr[15],
		 addr[14], addr[13], addr[12]);
	return wire_name_from_text(text, out);
}

/* One normalized RR (owner names are uncompressed there). */
struct rr_view {
	int section;
	const uint8_t *owner;
	size_t owner_len;
	uint16_t type, rclass;
	uint32_t ttl;
	const uint8_t *rdata;
	uint16_t rdlen;
};

/* Reads RR *@i of @r into @v; false at the end or on a parse error. */
static bool
next_rr(struct wire_reader *r, const uint16_t count[3], unsigned *i,
	struct rr_view *v)
{
	unsigned n = *i;

	v->section = 0;
	while (v->section < 3 && n >= count[v->section])
		n -= count[v->section++];
	if (v->section == 3)
		return false;
	v->owner = r->buf + r->pos;
	v->owner_len = wire_read_name(r, NULL);
	v->type = wire_read_u16(r);
	v->rclass = wire_read_u16(r);
	v->ttl = wire_read_u32(r);
	v->rdlen = wire_read_u16(r);
	v->rdata = r->buf + r->pos;
	wire_skip(r, v->rdlen);
	(*i)++;
	return r->err == VPC_OK;
}

bool
dns64_needs_a(unsigned rcode, const uint8_t *rrs, size_t len,
	      const uint16_t count[3])
{
	struct wire_reader r;
	struct rr_view v;
	unsigned i = 0;

	if (rcode != WIRE_RCODE_NOERROR)
		return false;
	wire_reader_init(&r, rrs, len);
	while (next_rr(&r, count, &i, &v))
		if (v.section == 0 && v.type == WIRE_TYPE_AAAA)
			return false;
	return r.err == VPC_OK;
}

uint32_t
dns64_nodata_ttl(const uint8_t *rrs, size_t len, const uint16_t count[3],
		 uint32_t dflt)
{
	struct wire_reader r;
	struct rr_view v;
	unsigned i = 0;

	wire_reader_init(&r, rrs, len);
	while (next_rr(&r, count, &i, &v)) {
		if (v.section == 1 && v.type == WIRE_TYPE_SOA && v.rdlen >= 20) {
			const uint8_t *m = v.rdata + v.rdlen - 4;
			uint32_t min = (uint32_t)m[0] << 24 |
				       (uint32_t)m[1] << 16 |
				       (uint32_t)m[2] << 8 | m[3];

			return v.ttl < min ? v.ttl : min;
		}
	}
	return dflt;
}

int
dns64_add_answer(struct msg_builder *b, const uint8_t *rrs, size_t len,
		 const uint16_t count[3], uint32_t age, uint32_t ttl_cap)
{
	struct wire_reader r;
	struct rr_view v;
	unsigned i = 0;
	bool any_a = false;

	wire_reader_init(&r, rrs, len);
	while (next_rr(&r, count, &i, &v)) {
		uint32_t ttl = v.ttl > age ? v.ttl - age : 0;
		uint8_t a6[16];

		if (v.section != 0)
			continue;
		if (v.type == WIRE_TYPE_A && v.rdlen == 4) {
			dns64_synth(v.rdata, a6);
			msg_add_rr(b, MSG_ANSWER, v.owner, v.owner_len,
				   WIRE_TYPE_AAAA, v.rclass,
				   ttl < ttl_cap ? ttl : ttl_cap, a6, 16);
			any_a = true;
		} else if (v.type == WIRE_TYPE_CNAME || v.type == 39) {
			msg_add_rr(b, MSG_ANSWER, v.owner, v.owner_len, v.type,
				   v.rclass, ttl, v.rdata, v.rdlen);
		}
	}
	if (r.err != VPC_OK)
		return VPC_EMALFORMED;
	if (any_a)
		return VPC_OK;
	i = 0;
	wire_reader_init(&r, rrs, len);
	while (next_rr(&r, count, &i, &v)) {
		if (v.section != 1)
			continue;
		msg_add_rr(b, MSG_AUTHORITY, v.owner, v.owner_len, v.type,
			   v.rclass, v.ttl > age ? v.ttl - age : 0, v.rdata,
			   v.rdlen);
	}
	return VPC_OK;
}
