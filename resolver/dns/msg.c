/*
 * resolver/dns/msg.c - DNS messages: query parsing, response building, EDNS,
 * truncation, upstream reply normalization.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Pure code over borrowed buffers; no allocation, no state.
 */
#include "config.h"

#include "dns/msg.h"

#include <string.h>

#include "util/err.h"

#define OPCODE_QUERY 0
#define OPT_DO_BIT 0x8000u

/* Reads the fixed part of an RR after its owner name. */
struct rr_head {
	uint16_t type;
	uint16_t rclass;
	uint32_t ttl;
	uint16_t rdlen;
};

static void
read_rr_head(struct wire_reader *r, struct rr_head *h)
{
	h->type = wire_read_u16(r);
	h->rclass = wire_read_u16(r);
	h->ttl = wire_read_u32(r);
	h->rdlen = wire_read_u16(r);
}

/* RFC 6891 §6.1: the OPT RR's class is the payload size, its TTL holds the
 * extended RCODE, the version and the DO bit. */
static enum msg_verdict
take_opt(struct msg_query *q, const struct rr_head *h, size_t owner_len,
	 bool seen)
{
	/* RFC 6891 §6.1.1: more than one OPT, or an owner other than the
	 * root, is FORMERR. */
	if (seen || owner_len != 1)
		return MSG_QUERY_FORMERR;
	q->edns = true;
	q->edns_payload = h->rclass;
	q->edns_version = (uint8_t)(h->ttl >> 16);
	q->edns_do = (h->ttl & OPT_DO_BIT) != 0;
	return MSG_QUERY_OK;
}

static enum msg_verdict
parse_sections(struct wire_reader *r, struct msg_query *q, uint16_t ancount,
	       uint16_t nscount, uint16_t arcount)
{
	unsigned total = (unsigned)ancount + nscount + arcount;
	bool seen_opt = false;

	for (unsigned i = 0; i < total; i++) {
		struct rr_head h;
		size_t owner_len = wire_read_name(r, NULL);

		read_rr_head(r, &h);
		wire_skip(r, h.rdlen);
		if (r->err != VPC_OK)
			return MSG_QUERY_FORMERR;
		if (h.type != WIRE_TYPE_OPT)
			continue;
		/* RFC 6891 §6.1.1: OPT only in the additional section. */
		if (i < (unsigned)ancount + nscount ||
		    take_opt(q, &h, owner_len, seen_opt) != MSG_QUERY_OK)
			return MSG_QUERY_FORMERR;
		seen_opt = true;
	}
	return MSG_QUERY_OK;
}

static enum msg_verdict
parse_question(struct wire_reader *r, struct msg_query *q)
{
	q->qname_len = wire_read_name(r, q->qname);
	q->qtype = wire_read_u16(r);
	q->qclass = wire_read_u16(r);
	if (r->err != VPC_OK) {
		q->qname_len = 0;
		return MSG_QUERY_FORMERR;
	}
	wire_name_lower(q->qname_lower, q->qname, q->qname_len);
	q->has_question = true;
	return MSG_QUERY_OK;
}

enum msg_verdict
msg_parse_query(const uint8_t *buf, size_t len, struct msg_query *q)
{
	struct wire_reader r;
	uint16_t qdcount, ancount, nscount, arcount;
	enum msg_verdict v;

	memset(q, 0, offsetof(struct msg_query, qname));
	q->qname_len = 0;
	q->qtype = q->qclass = 0;
	q->edns = q->edns_do = false;
	q->edns_version = 0;
	q->edns_payload = 0;
	if (len < WIRE_HEADER_LEN)
		return MSG_QUERY_DROP;
	wire_reader_init(&r, buf, len);
	q->id = wire_read_u16(&r);
	q->flags = wire_read_u16(&r);
	qdcount = wire_read_u16(&r);
	ancount = wire_read_u16(&r);
	nscount = wire_read_u16(&r);
	arcount = wire_read_u16(&r);
	/* Never answer a response: that is how reflection loops start. */
	if (q->flags & WIRE_FLAG_QR)
		return MSG_QUERY_DROP;
	if (qdcount == 1 && parse_question(&r, q) != MSG_QUERY_OK)
		return MSG_QUERY_FORMERR;
	if (WIRE_OPCODE(q->flags) != OPCODE_QUERY)
		return MSG_QUERY_NOTIMP;
	if (qdcount != 1)
		return MSG_QUERY_FORMERR;
	v = parse_sections(&r, q, ancount, nscount, arcount);
	if (v != MSG_QUERY_OK) {
		q->edns = false; /* a broken OPT gets no OPT back */
		return v;
	}
	/* RFC 6895 §3.1: OPT is a meta type that cannot be queried. */
	if (q->qtype == WIRE_TYPE_OPT)
		return MSG_QUERY_FORMERR;
	/* RFC 6891 §6.1.3: answer BADVERS to a version we do not know. */
	if (q->edns && q->edns_version > 0)
		return MSG_QUERY_BADVERS;
	return MSG_QUERY_OK;
}

size_t
msg_udp_limit(const struct msg_query *q)
{
	if (!q->edns || q->edns_payload <= MSG_UDP_MIN)
		return MSG_UDP_MIN;
	return q->edns_payload < MSG_UDP_MAX ? q->edns_payload : MSG_UDP_MAX;
}

void
msg_begin(struct msg_builder *b, const struct msg_query *q, uint8_t *out,
	  size_t cap, size_t limit)
{
	size_t room = cap < limit ? cap : limit;

	/* Keep space for the OPT RR so that truncation never drops it. */
	wire_writer_init(&b->w, out, q->edns ? room - MSG_OPT_LEN : room);
	b->q = q;
	b->limit = room;
	memset(b->count, 0, sizeof(b->count));
	b->truncated = false;
	b->additional_full = false;
	b->stale_ttl = 0;
	wire_write_u16(&b->w, q->id);
	wire_write_u16(&b->w, 0);               /* flags, set at finish */
	wire_write_u16(&b->w, q->has_question); /* QDCOUNT */
	wire_write_u16(&b->w, 0);
	wire_write_u16(&b->w, 0);
	wire_write_u16(&b->w, 0);
	if (q->has_question) {
		wire_write_bytes(&b->w, q->qname, q->qname_len);
		wire_write_u16(&b->w, q->qtype);
		wire_write_u16(&b->w, q->qclass);
	}
	b->after_question = b->w.len;
}

/* Writes @owner, compressing its longest suffix that is also a suffix of
 * the question name with a pointer into the question (offset 12). */
static void
write_owner(struct msg_builder *b, const uint8_t *owner, size_t len)
{
	const struct msg_query *q = b->q;
	size_t pos = 0;

	while (q->has_question && owner[pos] != 0) {
		size_t tail = len - pos;

		if (wire_name_is_below(q->qname, q->qname_len, owner + pos,
				       tail)) {
			size_t qpos = q->qname_len - tail;

			wire_write_bytes(&b->w, owner, pos);
			wire_write_u16(&b->w, (uint16_t)(0xc000u |
							 (WIRE_HEADER_LEN +
							  qpos)));
			return;
		}
		pos += 1 + (size_t)owner[pos];
	}
	wire_write_bytes(&b->w, owner, len);
}

bool
msg_add_rr(struct msg_builder *b, enum msg_section s, const uint8_t *owner,
	   size_t owner_len, uint16_t type, uint16_t rclass, uint32_t ttl,
	   const uint8_t *rdata, uint16_t rdlen)
{
	size_t start = b->w.len;

	if (b->truncated || (s == MSG_ADDITIONAL && b->additional_full))
		return false;
	write_owner(b, owner, owner_len);
	wire_write_u16(&b->w, type);
	wire_write_u16(&b->w, rclass);
	wire_write_u32(&b->w, ttl > MSG_TTL_MAX ? MSG_TTL_MAX : ttl);
	wire_write_u16(&b->w, rdlen);
	wire_write_bytes(&b->w, rdata, rdlen);
	if (b->w.err == VPC_OK) {
		b->count[s]++;
		return true;
	}
	b->w.len = start;
	b->w.err = VPC_OK;
	if (s == MSG_ADDITIONAL)
		b->additional_full = true;
	else
		b->truncated = true;
	return false;
}

int
msg_add_normalized(struct msg_builder *b, const uint8_t *rrs, size_t len,
		   const uint16_t count[3], uint32_t age, uint16_t skip_type)
{
	struct wire_reader r;
	uint8_t owner[WIRE_MAX_NAME_LEN];

	wire_reader_init(&r, rrs, len);
	for (int s = MSG_ANSWER; s <= MSG_ADDITIONAL; s++) {
		for (unsigned i = 0; i < count[s]; i++) {
			struct rr_head h;
			size_t owner_len = wire_read_name(&r, owner);
			const uint8_t *rdata;

			read_rr_head(&r, &h);
			rdata = r.buf + r.pos;
			wire_skip(&r, h.rdlen);
			if (r.err != VPC_OK)
				return VPC_EMALFORMED;
			if (s == MSG_ANSWER && h.type == skip_type &&
			    skip_type != 0)
				continue;
			msg_add_rr(b, (enum msg_section)s, owner, owner_len,
				   h.type, h.rclass,
				   b->stale_ttl != 0 ? b->stale_ttl
				   : h.ttl > age     ? h.ttl - age
						     : 0,
				   rdata, h.rdlen);
		}
	}
	return VPC_OK;
}

size_t
msg_finish(struct msg_builder *b, uint16_t flags, unsigned rcode)
{
	const struct msg_query *q = b->q;
	uint16_t hflags;

	if (b->truncated) {
		/* RFC 2181 §9: the client retries over TCP; send it the
		 * question only rather than a partial RRset. */
		b->w.len = b->after_question;
		memset(b->count, 0, sizeof(b->count));
		flags |= WIRE_FLAG_TC;
	}
	hflags = (uint16_t)(WIRE_FLAG_QR | flags | (rcode & 0xfu) |
			    (q->flags & (0x7800u | WIRE_FLAG_RD |
					 WIRE_FLAG_CD)));
	if (q->edns) {
		b->w.cap = b->limit;
		b->w.err = VPC_OK;
		wire_write_u8(&b->w, 0); /* root owner */
		wire_write_u16(&b->w, WIRE_TYPE_OPT);
		wire_write_u16(&b->w, MSG_EDNS_PAYLOAD);
		/* RFC 6891 §6.1.3 extended RCODE; RFC 3225 §3 DO echo. */
		wire_write_u32(&b->w, (uint32_t)(rcode >> 4) << 24 |
					      (q->edns_do ? OPT_DO_BIT : 0));
		wire_write_u16(&b->w, 0);
		b->count[MSG_ADDITIONAL]++;
	}
	wire_put_u16(&b->w, 2, hflags);
	wire_put_u16(&b->w, 6, b->count[MSG_ANSWER]);
	wire_put_u16(&b->w, 8, b->count[MSG_AUTHORITY]);
	wire_put_u16(&b->w, 10, b->count[MSG_ADDITIONAL]);
	return b->w.len;
}

size_t
msg_truncate(const struct msg_query *q, uint8_t *buf, size_t len)
{
	struct msg_builder b;
	uint16_t flags;

	if (len < WIRE_HEADER_LEN)
		return len;
	flags = wire_get_u16(buf + 2);
	msg_begin(&b, q, buf, len, len);
	b.truncated = true;
	return msg_finish(&b, flags & (WIRE_FLAG_AA | WIRE_FLAG_RA |
				       WIRE_FLAG_AD),
			  WIRE_RCODE(flags));
}

size_t
msg_error(const struct msg_query *q, unsigned rcode, uint8_t *out, size_t cap)
{
	struct msg_builder b;
	size_t len;

	if (cap < WIRE_HEADER_LEN + WIRE_MAX_NAME_LEN + 4 + MSG_OPT_LEN)
		return 0;
	msg_begin(&b, q, out, cap, cap);
	len = msg_finish(&b, WIRE_FLAG_RA, rcode);
	return b.w.err == VPC_OK ? len : 0;
}

size_t
msg_build_upstream(const struct msg_query *q, const uint8_t *name,
		   size_t name_len, uint16_t type, uint8_t *out, size_t cap)
{
	struct wire_writer w;

	wire_writer_init(&w, out, cap);
	wire_write_u16(&w, 0);
	wire_write_u16(&w, (uint16_t)(WIRE_FLAG_RD | (q->flags & WIRE_FLAG_CD)));
	wire_write_u16(&w, 1);
	wire_write_u16(&w, 0);
	wire_write_u16(&w, 0);
	wire_write_u16(&w, 1);
	wire_write_bytes(&w, name, name_len);
	wire_write_u16(&w, type);
	wire_write_u16(&w, q->qclass);
	wire_write_u8(&w, 0);
	wire_write_u16(&w, WIRE_TYPE_OPT);
	wire_write_u16(&w, MSG_EDNS_PAYLOAD);
	wire_write_u32(&w, q->edns_do ? OPT_DO_BIT : 0);
	wire_write_u16(&w, 0);
	return w.err == VPC_OK ? w.len : 0;
}

/* RDATA layouts of the types whose names may be compressed (RFC 3597 §4
 * and the types decoders commonly decompress): 'n' a name, '2' two
 * bytes; what follows the layout is copied as is. */
static const char *
rdata_layout(uint16_t type)
{
	switch (type) {
	case 2:  /* NS */
	case 3:  /* MD */
	case 4:  /* MF */
	case 5:  /* CNAME */
	case 7:  /* MB */
	case 8:  /* MG */
	case 9:  /* MR */
	case 12: /* PTR */
	case 39: /* DNAME */
		return "n";
	case 6:  /* SOA */
	case 14: /* MINFO */
	case 17: /* RP */
		return "nn";
	case 15: /* MX */
	case 18: /* AFSDB */
	case 21: /* RT */
	case 36: /* KX */
		return "2n";
	case 26: /* PX */
		return "2nn";
	case 33: /* SRV */
		return "222n";
	}
	return "";
}

static void
normalize_rdata(struct wire_reader *r, struct wire_writer *w, uint16_t type,
		size_t end)
{
	uint8_t name[WIRE_MAX_NAME_LEN];

	for (const char *p = rdata_layout(type); *p != '\0'; p++) {
		if (*p == 'n')
			wire_write_bytes(w, name, wire_read_name(r, name));
		else
			wire_write_u16(w, wire_read_u16(r));
		if (r->pos > end)
			r->err = VPC_EMALFORMED;
	}
	if (r->err == VPC_OK) {
		wire_write_bytes(w, r->buf + r->pos, end - r->pos);
		r->pos = end;
	}
}

int
msg_normalize_rr(struct wire_reader *r, struct wire_writer *w,
		 uint16_t *type, uint32_t *ttl)
{
	uint8_t owner[WIRE_MAX_NAME_LEN];
	struct rr_head h;
	size_t owner_len, rdlen_at, end;

	owner_len = wire_read_name(r, owner);
	read_rr_head(r, &h);
	if (r->err != VPC_OK)
		return r->err;
	if (r->len - r->pos < h.rdlen)
		return VPC_ETRUNC;
	end = r->pos + h.rdlen;
	if (h.ttl > MSG_TTL_MAX)
		h.ttl = 0; /* RFC 2181 §8: treat as zero */
	wire_write_bytes(w, owner, owner_len);
	wire_write_u16(w, h.type);
	wire_write_u16(w, h.rclass);
	wire_write_u32(w, h.ttl);
	rdlen_at = w->len;
	wire_write_u16(w, 0);
	normalize_rdata(r, w, h.type, end);
	if (r->err != VPC_OK)
		return r->err;
	if (w->err != VPC_OK)
		return w->err;
	wire_put_u16(w, rdlen_at, (uint16_t)(w->len - rdlen_at - 2));
	*type = h.type;
	*ttl = h.ttl;
	return VPC_OK;
}

static int
check_reply_question(struct wire_reader *r, const uint8_t *name,
		     size_t name_len, uint16_t type)
{
	uint8_t got[WIRE_MAX_NAME_LEN];
	size_t got_len = wire_read_name(r, got);
	uint16_t got_type = wire_read_u16(r);

	wire_read_u16(r); /* class */
	if (r->err != VPC_OK || got_type != type ||
	    !wire_name_equal(got, got_len, name, name_len))
		return VPC_EMALFORMED;
	return VPC_OK;
}

/* The SOA MINIMUM ends the normalized SOA RR written from @start. */
static uint32_t
soa_negative_ttl(const struct wire_writer *w, size_t start, uint32_t ttl)
{
	uint32_t minimum = wire_soa_minimum(w->buf + start, w->len - start);

	return minimum < ttl ? minimum : ttl;
}

static int
take_reply_rr(struct wire_reader *r, struct wire_writer *w, int section,
	      struct msg_reply *out)
{
	size_t start = w->len;
	uint16_t type;
	uint32_t ttl;
	int rc = msg_normalize_rr(r, w, &type, &ttl);

	if (rc != VPC_OK) {
		w->len = start; /* no half-written record stays behind */
		w->err = VPC_OK;
		return rc;
	}
	if (type == WIRE_TYPE_OPT) {
		w->len = start;
		return section == MSG_ADDITIONAL ? VPC_ENOTFOUND
						 : VPC_EMALFORMED;
	}
	if (ttl < out->min_ttl)
		out->min_ttl = ttl;
	if (section == MSG_AUTHORITY && type == WIRE_TYPE_SOA &&
	    w->len - start >= 22 + 4) {
		out->has_soa = true;
		out->soa_ttl = soa_negative_ttl(w, start, ttl);
	}
	out->count[section]++;
	return VPC_OK;
}

int
msg_parse_reply(const uint8_t *buf, size_t len, const uint8_t *name,
		size_t name_len, uint16_t type, uint8_t *rrs, size_t cap,
		struct msg_reply *out)
{
	struct wire_reader r;
	struct wire_writer w;
	uint16_t counts[3];
	int rc;

	wire_reader_init(&r, buf, len);
	wire_writer_init(&w, rrs, cap);
	memset(out, 0, sizeof(*out));
	out->min_ttl = MSG_TTL_MAX;
	wire_read_u16(&r); /* ID: the forwarder matched it */
	out->flags = wire_read_u16(&r);
	if (r.err != VPC_OK || !(out->flags & WIRE_FLAG_QR) ||
	    wire_read_u16(&r) != 1)
		return VPC_EMALFORMED;
	for (int s = 0; s < 3; s++)
		counts[s] = wire_read_u16(&r);
	if (check_reply_question(&r, name, name_len, type) != VPC_OK)
		return VPC_EMALFORMED;
	out->rcode = WIRE_RCODE(out->flags);
	for (int s = 0; s < 3; s++) {
		for (unsigned i = 0; i < counts[s]; i++) {
			size_t before = r.pos;

			rc = take_reply_rr(&r, &w, s, out);
			if (rc == VPC_OK)
				continue;
			if (rc == VPC_ENOTFOUND) {
				/* The OPT's TTL high byte extends RCODE. */
				out->rcode |= (unsigned)buf[before + 5] << 4;
				goto done;
			}
			if (s == MSG_ADDITIONAL && rc == VPC_ESPACE)
				goto done;
			return rc == VPC_ESPACE ? rc : VPC_EMALFORMED;
		}
	}
done:
	out->rrs_len = w.len;
	return VPC_OK;
}
