/*
 * tests/unit/check_util.h - helpers shared by the Check unit tests.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Header-only, every function static inline so that a test file uses what
 * it needs without unused-function warnings.  The packet builder (struct
 * tu_pkt) writes DNS messages byte by byte, independently of the wire_
 * writer under test; the response parser (tu_parse) uses the project's own
 * wire_ reader, which check_wire.c tests on its own.  tu_load_example()
 * reads a file of conf/examples/.  tu_load_hex() reads
 * the wire vectors of tests/data/ (hex bytes, '#' comments).  Helpers call
 * ck_abort_msg() on misuse, so they are only for use inside a test.
 */
#ifndef TESTS_UNIT_CHECK_UTIL_H
#define TESTS_UNIT_CHECK_UTIL_H

#include "config.h"

#include <arpa/inet.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "util/err.h"
#include "dns/wire.h"

/* Room for any DNS message, TCP included. */
#define TU_PKT_MAX 65536

/* A message under construction; all integers are written network order. */
struct tu_pkt {
	uint8_t b[TU_PKT_MAX]; /* the bytes */
	size_t len;	       /* bytes written */
};

static inline void
tu_reset(struct tu_pkt *p)
{
	p->len = 0;
}

static inline void
tu_u8(struct tu_pkt *p, unsigned v)
{
	ck_assert_uint_lt(p->len, TU_PKT_MAX);
	p->b[p->len++] = (uint8_t)(v & 0xffu);
}

static inline void
tu_u16(struct tu_pkt *p, unsigned v)
{
	tu_u8(p, (v >> 8) & 0xffu);
	tu_u8(p, v & 0xffu);
}

static inline void
tu_u32(struct tu_pkt *p, uint32_t v)
{
	tu_u16(p, (unsigned)(v >> 16));
	tu_u16(p, (unsigned)(v & 0xffffu));
}

static inline void
tu_bytes(struct tu_pkt *p, const void *d, size_t n)
{
	ck_assert_uint_le(n, TU_PKT_MAX - p->len);
	if (n > 0)
		memcpy(p->b + p->len, d, n);
	p->len += n;
}

/* Overwrites 2 bytes at @off, network order. */
static inline void
tu_put16(struct tu_pkt *p, size_t off, unsigned v)
{
	ck_assert_uint_le(off + 2, p->len);
	p->b[off] = (uint8_t)((v >> 8) & 0xffu);
	p->b[off + 1] = (uint8_t)(v & 0xffu);
}

/*
 * tu_name() - presentation name ("a.Example.", "." for the root, no
 * escapes) to an uncompressed wire name, case kept.  Independent of
 * wire_name_from_text() on purpose.
 */
static inline size_t
tu_name(const char *text, uint8_t *out)
{
	size_t olen = 0;
	const char *p = text;

	if (strcmp(text, ".") == 0) {
		out[0] = 0;
		return 1;
	}
	while (*p != '\0') {
		size_t lab = strcspn(p, ".");

		ck_assert_msg(lab >= 1 && lab <= 63, "bad label in %s", text);
		ck_assert_msg(olen + lab + 2 <= WIRE_MAX_NAME_LEN,
			      "name too long: %s", text);
		out[olen++] = (uint8_t)lab;
		memcpy(out + olen, p, lab);
		olen += lab;
		p += lab;
		if (*p == '.')
			p++;
	}
	out[olen++] = 0;
	return olen;
}

/* Appends @text as an uncompressed name. */
static inline void
tu_name_text(struct tu_pkt *p, const char *text)
{
	uint8_t n[WIRE_MAX_NAME_LEN];

	tu_bytes(p, n, tu_name(text, n));
}

static inline void
tu_header(struct tu_pkt *p, unsigned id, unsigned flags, unsigned qd,
	  unsigned an, unsigned ns, unsigned ar)
{
	tu_u16(p, id);
	tu_u16(p, flags);
	tu_u16(p, qd);
	tu_u16(p, an);
	tu_u16(p, ns);
	tu_u16(p, ar);
}

static inline void
tu_question(struct tu_pkt *p, const char *name, unsigned type, unsigned cls)
{
	tu_name_text(p, name);
	tu_u16(p, type);
	tu_u16(p, cls);
}

/* An OPT RR (RFC 6891 §6.1.2): root owner, no options. */
static inline void
tu_opt(struct tu_pkt *p, unsigned payload, unsigned ext_rcode, unsigned version,
       bool do_bit)
{
	tu_u8(p, 0);
	tu_u16(p, WIRE_TYPE_OPT);
	tu_u16(p, payload);
	tu_u8(p, ext_rcode);
	tu_u8(p, version);
	tu_u16(p, do_bit ? 0x8000u : 0);
	tu_u16(p, 0);
}

/*
 * tu_rr_head() - append an RR's owner (uncompressed, from text), type,
 * class, TTL and a zero RDLENGTH; returns the offset of the RDLENGTH for
 * tu_rr_end() once the RDATA is appended.
 */
static inline size_t
tu_rr_head(struct tu_pkt *p, const char *owner, unsigned type, unsigned cls,
	   uint32_t ttl)
{
	size_t at;

	tu_name_text(p, owner);
	tu_u16(p, type);
	tu_u16(p, cls);
	tu_u32(p, ttl);
	at = p->len;
	tu_u16(p, 0);
	return at;
}

static inline void
tu_rr_end(struct tu_pkt *p, size_t rdlen_at)
{
	tu_put16(p, rdlen_at, (unsigned)(p->len - rdlen_at - 2));
}

/* Options of a test query; tu_qopt_default() gives the usual ones. */
struct tu_qopt {
	uint16_t id;	  /* header ID */
	uint16_t flags;	  /* header flags word (RD, CD, opcode, ...) */
	uint16_t qclass;  /* question class */
	bool edns;	  /* add an OPT RR */
	uint16_t payload; /* its UDP payload size */
	uint8_t version;  /* its EDNS version */
	bool do_bit;	  /* its DO bit */
};

static inline struct tu_qopt
tu_qopt_default(void)
{
	struct tu_qopt o = {
	    .id = 0x1234,
	    .flags = WIRE_FLAG_RD,
	    .qclass = WIRE_CLASS_IN,
	};

	return o;
}

/* A one-question query for @name/@qtype with options @o; returns len. */
static inline size_t
tu_query_opt(struct tu_pkt *p, const char *name, uint16_t qtype,
	     const struct tu_qopt *o)
{
	tu_reset(p);
	tu_header(p, o->id, o->flags, 1, 0, 0, o->edns ? 1 : 0);
	tu_question(p, name, qtype, o->qclass);
	if (o->edns)
		tu_opt(p, o->payload, 0, o->version, o->do_bit);
	return p->len;
}

/* A plain query (ID 0x1234, RD, class IN); EDNS with @payload when it is
 * not 0. */
static inline size_t
tu_query(struct tu_pkt *p, const char *name, uint16_t qtype, uint16_t payload)
{
	struct tu_qopt o = tu_qopt_default();

	if (payload != 0) {
		o.edns = true;
		o.payload = payload;
	}
	return tu_query_opt(p, name, qtype, &o);
}

static inline int
tu_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * tu_load_hex() - read tests/data/@name: hex bytes, any white space,
 * '#' comments to the end of the line.  The source tree comes from
 * $TOP_SRCDIR (set by make check), else from configure's VPCDNS_SRCDIR.
 * Returns the number of bytes stored at @out.
 */
static inline size_t
tu_load_hex(const char *name, uint8_t *out, size_t cap)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[4096];
	size_t len = 0;
	int c, hi = -1;
	FILE *fp;

	if (top == NULL || *top == '\0')
		top = VPCDNS_SRCDIR;
	snprintf(path, sizeof(path), "%s/tests/data/%s", top, name);
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	while ((c = fgetc(fp)) != EOF) {
		int v;

		if (c == '#') {
			while ((c = fgetc(fp)) != EOF && c != '\n')
				;
			continue;
		}
		if (isspace(c))
			continue;
		v = tu_hexval(c);
		ck_assert_msg(v >= 0, "%s: bad character '%c'", path, c);
		if (hi < 0) {
			hi = v;
			continue;
		}
		ck_assert_msg(len < cap, "%s: too many bytes", path);
		out[len++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	fclose(fp);
	ck_assert_msg(hi < 0, "%s: odd number of hex digits", path);
	return len;
}

/* The whole of conf/examples/@name in the source tree ($TOP_SRCDIR, else
 * configure's VPCDNS_SRCDIR), NUL-terminated, with *@len its length;
 * the caller frees it.  Fails the test when it cannot be read. */
static inline char *
tu_load_example(const char *name, size_t *len)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[4096], *buf;
	FILE *fp;
	long n;

	if (top == NULL || *top == '\0')
		top = VPCDNS_SRCDIR;
	snprintf(path, sizeof(path), "%s/conf/examples/%s", top, name);
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	ck_assert_int_ge(n, 0);
	ck_assert_int_eq(fseek(fp, 0, SEEK_SET), 0);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* One RR of a parsed response. */
struct tu_rr {
	int section;			  /* 0 answer, 1 authority, 2 add. */
	size_t owner_off;		  /* offset of the owner in the msg */
	uint8_t owner[WIRE_MAX_NAME_LEN]; /* decompressed, case kept */
	size_t owner_len;
	uint16_t type, rclass;		   /* host order */
	uint32_t ttl;			   /* host order */
	uint16_t rdlen;			   /* host order */
	size_t rdata_off;		   /* offset of the RDATA in the msg */
	uint8_t target[WIRE_MAX_NAME_LEN]; /* first name of the RDATA for
					      CNAME/NS/PTR/MX/SOA, else 0 */
	size_t target_len;		   /* 0 when no such name */
};

#define TU_MAX_RRS 64

/* A parsed message (response or query), OPT taken out of the RRs. */
struct tu_resp {
	uint16_t id, flags;		  /* header, host order */
	unsigned rcode;			  /* header RCODE | OPT ext << 4 */
	uint16_t qdcount, count[3];	  /* header counts */
	uint8_t qname[WIRE_MAX_NAME_LEN]; /* question name as sent */
	size_t qname_len;		  /* 0 without a question */
	uint16_t qtype, qclass;
	bool has_opt;	      /* an OPT RR was in additional */
	uint16_t opt_payload; /* its class */
	uint32_t opt_ttl;     /* its TTL word */
	size_t n_rrs;	      /* RRs in rr[], OPT excluded */
	struct tu_rr rr[TU_MAX_RRS];
};

/* The first RDATA name of the types that have one at a fixed place. */
static inline size_t
tu_rdata_name_at(uint16_t type)
{
	switch (type) {
	case WIRE_TYPE_CNAME:
	case WIRE_TYPE_NS:
	case WIRE_TYPE_PTR:
	case WIRE_TYPE_SOA:
		return 0;
	case WIRE_TYPE_MX:
		return 2;
	}
	return SIZE_MAX;
}

static inline int
tu_parse_rr(struct wire_reader *r, struct tu_resp *m, int section)
{
	struct tu_rr *rr = &m->rr[m->n_rrs];
	size_t at;

	rr->section = section;
	rr->owner_off = r->pos;
	rr->owner_len = wire_read_name(r, rr->owner);
	rr->type = wire_read_u16(r);
	rr->rclass = wire_read_u16(r);
	rr->ttl = wire_read_u32(r);
	rr->rdlen = wire_read_u16(r);
	rr->rdata_off = r->pos;
	wire_skip(r, rr->rdlen);
	rr->target_len = 0;
	if (r->err != VPC_OK)
		return r->err;
	at = tu_rdata_name_at(rr->type);
	if (at != SIZE_MAX && at < rr->rdlen) {
		struct wire_reader rd = *r;

		rd.pos = rr->rdata_off + at;
		rr->target_len = wire_read_name(&rd, rr->target);
		if (rd.err != VPC_OK)
			return rd.err;
	}
	if (rr->type == WIRE_TYPE_OPT) {
		if (section != 2 || m->has_opt)
			return VPC_EMALFORMED;
		m->has_opt = true;
		m->opt_payload = rr->rclass;
		m->opt_ttl = rr->ttl;
		m->rcode |= (rr->ttl >> 24) << 4;
		return VPC_OK;
	}
	ck_assert_uint_lt(m->n_rrs + 1, TU_MAX_RRS);
	m->n_rrs++;
	return VPC_OK;
}

/*
 * tu_parse() - parse a whole message with the project's wire reader.
 * Return: VPC_OK, or the reader's error; VPC_EMALFORMED when bytes are
 * left over after the last section.
 */
static inline int
tu_parse(const uint8_t *buf, size_t len, struct tu_resp *m)
{
	struct wire_reader r;
	int rc;

	memset(m, 0, offsetof(struct tu_resp, rr));
	wire_reader_init(&r, buf, len);
	m->id = wire_read_u16(&r);
	m->flags = wire_read_u16(&r);
	m->qdcount = wire_read_u16(&r);
	for (int s = 0; s < 3; s++)
		m->count[s] = wire_read_u16(&r);
	if (r.err != VPC_OK)
		return r.err;
	m->rcode = WIRE_RCODE(m->flags);
	for (unsigned i = 0; i < m->qdcount; i++) {
		m->qname_len = wire_read_name(&r, m->qname);
		m->qtype = wire_read_u16(&r);
		m->qclass = wire_read_u16(&r);
	}
	if (r.err != VPC_OK)
		return r.err;
	for (int s = 0; s < 3; s++)
		for (unsigned i = 0; i < m->count[s]; i++)
			if ((rc = tu_parse_rr(&r, m, s)) != VPC_OK)
				return rc;
	return r.pos == len ? VPC_OK : VPC_EMALFORMED;
}

/* Parses and fails the test when the message does not parse. */
static inline void
tu_parse_ok(const uint8_t *buf, size_t len, struct tu_resp *m)
{
	int rc = tu_parse(buf, len, m);

	ck_assert_msg(rc == VPC_OK, "message does not parse: %s",
		      vpc_strerror(rc));
}

/* RRs of @type in @section (-1: any section; 0: any type). */
static inline unsigned
tu_count(const struct tu_resp *m, int section, uint16_t type)
{
	unsigned n = 0;

	for (size_t i = 0; i < m->n_rrs; i++)
		if ((section < 0 || m->rr[i].section == section) &&
		    (type == 0 || m->rr[i].type == type))
			n++;
	return n;
}

/* True when the wire name @w (length @len) is @text, case-sensitively. */
static inline bool
tu_name_is(const uint8_t *w, size_t len, const char *text)
{
	uint8_t n[WIRE_MAX_NAME_LEN];
	size_t nlen = tu_name(text, n);

	return nlen == len && memcmp(n, w, len) == 0;
}

/* Reads a network-order 16-bit value at @p. */
static inline uint16_t
tu_get16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

/* RDATA builders for zone tests; each returns the RDATA length. */
static inline uint16_t
tu_rdata_a(const char *addr, uint8_t *out)
{
	ck_assert_int_eq(inet_pton(AF_INET, addr, out), 1);
	return 4;
}

static inline uint16_t
tu_rdata_aaaa(const char *addr, uint8_t *out)
{
	ck_assert_int_eq(inet_pton(AF_INET6, addr, out), 1);
	return 16;
}

static inline uint16_t
tu_rdata_name(const char *name, uint8_t *out)
{
	return (uint16_t)tu_name(name, out);
}

/* SOA RDATA: MNAME, RNAME, serial, refresh, retry, expire, minimum. */
static inline uint16_t
tu_rdata_soa(const char *mname, const char *rname, uint32_t serial,
	     uint32_t minimum, uint8_t *out)
{
	size_t len = tu_name(mname, out);
	const uint32_t v[5] = {serial, 7200, 900, 1209600, minimum};

	len += tu_name(rname, out + len);
	for (int i = 0; i < 5; i++) {
		out[len++] = (uint8_t)(v[i] >> 24);
		out[len++] = (uint8_t)(v[i] >> 16 & 0xffu);
		out[len++] = (uint8_t)(v[i] >> 8 & 0xffu);
		out[len++] = (uint8_t)(v[i] & 0xffu);
	}
	return (uint16_t)len;
}

/* TXT RDATA of one character-string of @n copies of @c (n <= 255). */
static inline uint16_t
tu_rdata_txt(char c, size_t n, uint8_t *out)
{
	ck_assert_uint_le(n, 255);
	out[0] = (uint8_t)n;
	memset(out + 1, c, n);
	return (uint16_t)(n + 1);
}

#endif /* TESTS_UNIT_CHECK_UTIL_H */
