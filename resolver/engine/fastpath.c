/*
 * resolver/engine/fastpath.c - precomputed answers for static local data.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The table is built by asking the general path (answer_query_view())
 * every question whose answer is static, so the bytes are the general
 * path's by construction; what this file decides is only which questions
 * those are and how a query finds them.  Layout, chosen for memory (the
 * issue 14 budget: the whole daemon at half of Unbound's peak): one
 * arena of bytes (lower-case names and answer sections), an array of
 * 24-byte name entries, an array of 20-byte answers, and an open-
 * addressing table of 8-byte slots at most half full.  A negative answer
 * (NODATA, NXDOMAIN) is the zone's SOA record after an owner pointer into
 * the question, so its bytes are kept once per zone and view and the
 * pointer is written per query.
 *
 * Entries are: every name of every zone that can be precomputed (no
 * routing policies, no names made by rule), the apex of every zone of the
 * view and every resolver rule's domain.  A name that is not an entry
 * takes the answer "below" the closest entry above it; that entry holds
 * one only when every name under it that is not itself an entry gets the
 * same NXDOMAIN: no wildcard can match, no rule or zone apex lies between
 * (they are entries), and the zone owns every name below.  Immutable
 * after fastpath_build().
 */
#include "config.h"

#include "engine/fastpath.h"

#include <stdlib.h>
#include <string.h>

#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/answer.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "util/err.h"

#define FP_NONE UINT32_MAX
/* A private-use type (RFC 6895 §3.1) stands for "any type the name does
 * not have" when the NODATA answer is computed. */
#define FP_OTHER_TYPE 65280u
/* Types asked at a CNAME, beyond its own: the chain's end differs per
 * type, so only the common address types are kept. */
static const uint16_t cname_types[] = {WIRE_TYPE_A, WIRE_TYPE_AAAA,
				       WIRE_TYPE_ANY};

struct fp_entry {
	uint32_t name_off; /* lower-case wire name in the arena */
	uint32_t view;     /* view index (view_index()) */
	uint32_t ans;      /* first of n_ans answers by type */
	uint32_t other;    /* answer to the types not listed, FP_NONE */
	uint32_t below;    /* answer to names below that are not entries
			      (an NXDOMAIN template), FP_NONE */
	uint8_t name_len;
	uint8_t n_ans;
};

struct fp_ans {
	uint32_t body_off; /* bytes after the question (no OPT), or for a
			      negative the SOA record after its owner */
	uint32_t zone;     /* index in fp->zones: the zone of the trace */
	uint16_t qtype;    /* the type it answers (in an entry's list) */
	uint16_t flags;    /* response header flags without RD/CD/opcode */
	uint16_t count[2]; /* answer and authority RRs */
	uint16_t body_len;
	uint8_t negative;  /* body is the zone SOA: write its owner first */
	uint8_t apex_len;  /* the zone's: a copy, so that a query does not
			      touch the zone (a cache miss in the profile) */
};

struct fp_slot {
	uint32_t hash;
	uint32_t entry; /* index + 1, 0 empty */
};

struct fastpath {
	uint8_t *arena;
	size_t arena_len, arena_cap;
	struct fp_entry *entries;
	size_t n_entries, entries_cap;
	struct fp_ans *ans;
	size_t n_ans, ans_cap;
	const struct zone **zones;
	size_t n_zones, zones_cap;
	struct fp_slot *slots;
	size_t mask;         /* slots - 1 */
	bool *view_on;       /* per view index: the view has entries */
	size_t n_views;
	size_t min_len, max_len; /* shortest and longest entry name */
};

/* Build-time state: one job and a response buffer, a zone index. */
struct fp_build {
	struct fastpath *fp;
	const struct view_set *vs;
	const struct view *v;
	uint32_t vi;
	struct answer_job job;
	uint8_t query[WIRE_HEADER_LEN + WIRE_MAX_NAME_LEN + 4];
	uint8_t out[MSG_TCP_MAX];
	size_t out_len;
	const struct zone **zmap; /* open addressing, zone -> index + 1 */
	uint32_t *zmap_idx;
	size_t zmap_mask;
	uint32_t (*zneg)[2];   /* per zone index: its NODATA and NXDOMAIN
				  answers, FP_NONE none yet */
	size_t zneg_cap;
};

/* Word-at-a-time multiply-xorshift: the names are 20-80 bytes and this is
 * on every query, where byte-wise FNV-1a costs a multiply per byte. */
static uint32_t
name_hash(const uint8_t *name, size_t len, uint32_t view)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ ((uint64_t)view << 32) ^ len;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;

		memcpy(&w, name + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	if (i < len) {
		uint64_t w = 0;

		memcpy(&w, name + i, len - i);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	h *= 0xc4ceb9fe1a85ec53u;
	return (uint32_t)(h >> 32);
}

static size_t
view_index(const struct view_set *vs, const struct view *v)
{
	uintptr_t p = (uintptr_t)v;
	uintptr_t vp = (uintptr_t)vs->vpcs, ip = (uintptr_t)vs->inbound;
	size_t span = vs->n_vpcs * sizeof(*v);

	if (v == &vs->outside)
		return 0;
	if (vs->vpcs != NULL && p >= vp && p < vp + span)
		return 1 + (p - vp) / sizeof(*v);
	if (vs->inbound != NULL && p >= ip && p < ip + span)
		return 1 + vs->n_vpcs + (p - ip) / sizeof(*v);
	return SIZE_MAX;
}

/* memcmp() of two names, inline: a libc call per probe showed in the
 * profile, and names are a few words long. */
static bool
name_eq(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t x, y;

		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			return false;
	}
	for (; i < len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

static const struct fp_entry *
find(const struct fastpath *fp, const uint8_t *lname, size_t len,
     uint32_t view, uint32_t hash)
{
	for (size_t i = hash & fp->mask;; i = (i + 1) & fp->mask) {
		const struct fp_slot *s = &fp->slots[i];
		const struct fp_entry *e;

		if (s->entry == 0)
			return NULL;
		if (s->hash != hash)
			continue;
		e = &fp->entries[s->entry - 1];
		if (e->view == view && e->name_len == len &&
		    name_eq(fp->arena + e->name_off, lname, len))
			return e;
	}
}

/* The answer to @q: by type at its own entry, else the entry's "other",
 * else "below" the closest entry above it. */
static const struct fp_ans *
pick(const struct fastpath *fp, const struct msg_query *q, uint32_t view)
{
	const uint8_t *name = q->qname_lower;
	size_t len = q->qname_len, pos = 0;
	const struct fp_entry *e;

	if (len <= fp->max_len &&
	    (e = find(fp, name, len, view, name_hash(name, len, view))) !=
		    NULL) {
		for (unsigned i = 0; i < e->n_ans; i++)
			if (fp->ans[e->ans + i].qtype == q->qtype)
				return &fp->ans[e->ans + i];
		return e->other != FP_NONE ? &fp->ans[e->other] : NULL;
	}
	while (name[pos] != 0) {
		pos += 1 + (size_t)name[pos];
		if (len - pos > fp->max_len)
			continue;
		if (len - pos < fp->min_len)
			return NULL;
		e = find(fp, name + pos, len - pos, view,
			 name_hash(name + pos, len - pos, view));
		if (e != NULL)
			return e->below != FP_NONE ? &fp->ans[e->below] : NULL;
	}
	return NULL;
}

bool
fastpath_answer(const struct fastpath *fp, const struct view_set *vs,
		const struct view *v, const struct msg_query *q, size_t limit,
		uint8_t *out, size_t cap, size_t *out_len,
		const struct zone **zone)
{
	size_t vi = view_index(vs, v), room = cap < limit ? cap : limit;
	size_t qlen = q->qname_len, need, pos;
	const struct fp_ans *a;
	const struct zone *z;
	uint16_t flags;

	if (vi >= fp->n_views || !fp->view_on[vi] ||
	    (a = pick(fp, q, (uint32_t)vi)) == NULL)
		return false;
	z = fp->zones[a->zone];
	need = WIRE_HEADER_LEN + qlen + 4 + a->body_len +
	       (a->negative ? (a->apex_len > 1 ? 2 : 1) : 0) +
	       (q->edns ? MSG_OPT_LEN : 0);
	/* What does not fit is truncated by the general path (TC). */
	if (need > room)
		return false;
	flags = (uint16_t)(a->flags |
			   (q->flags & (0x7800u | WIRE_FLAG_RD | WIRE_FLAG_CD)));
	out[0] = (uint8_t)(q->id >> 8);
	out[1] = (uint8_t)q->id;
	out[2] = (uint8_t)(flags >> 8);
	out[3] = (uint8_t)flags;
	out[4] = 0;
	out[5] = 1;
	out[6] = (uint8_t)(a->count[0] >> 8);
	out[7] = (uint8_t)a->count[0];
	out[8] = (uint8_t)(a->count[1] >> 8);
	out[9] = (uint8_t)a->count[1];
	out[10] = 0;
	out[11] = q->edns ? 1 : 0;
	memcpy(out + WIRE_HEADER_LEN, q->qname, qlen);
	pos = WIRE_HEADER_LEN + qlen;
	out[pos++] = (uint8_t)(q->qtype >> 8);
	out[pos++] = (uint8_t)q->qtype;
	out[pos++] = (uint8_t)(q->qclass >> 8);
	out[pos++] = (uint8_t)q->qclass;
	if (a->negative && a->apex_len > 1) {
		/* The apex is a suffix of the question (msg.c write_owner). */
		size_t ptr = 0xc000u | (WIRE_HEADER_LEN + qlen - a->apex_len);

		out[pos++] = (uint8_t)(ptr >> 8);
		out[pos++] = (uint8_t)ptr;
	} else if (a->negative) {
		out[pos++] = 0;
	}
	memcpy(out + pos, fp->arena + a->body_off, a->body_len);
	pos += a->body_len;
	if (q->edns) {
		/* RFC 6891 OPT as msg_finish() writes it: payload, DO echo. */
		static const uint8_t opt[] = {0, 0, WIRE_TYPE_OPT,
					      MSG_EDNS_PAYLOAD >> 8,
					      MSG_EDNS_PAYLOAD & 0xff};

		memcpy(out + pos, opt, sizeof(opt));
		pos += sizeof(opt);
		out[pos++] = 0;
		out[pos++] = 0;
		out[pos++] = q->edns_do ? 0x80 : 0;
		out[pos++] = 0;
		out[pos++] = 0;
		out[pos++] = 0;
	}
	*out_len = pos;
	*zone = z;
	return true;
}

/* ---- building ---- */

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap > 0 ? *cap : 64;
	void *q;

	if (need <= *cap)
		return VPC_OK;
	while (n < need)
		n *= 2;
	if ((q = realloc(*p, n * size)) == NULL)
		return VPC_ENOMEM;
	*p = q;
	*cap = n;
	return VPC_OK;
}

static int
arena_add(struct fastpath *fp, const uint8_t *b, size_t len, uint32_t *off)
{
	void *p = fp->arena;

	if (fp->arena_len + len > UINT32_MAX ||
	    grow(&p, &fp->arena_cap, fp->arena_len + len, 1) != VPC_OK)
		return VPC_ENOMEM;
	fp->arena = p;
	memcpy(fp->arena + fp->arena_len, b, len);
	*off = (uint32_t)fp->arena_len;
	fp->arena_len += len;
	return VPC_OK;
}

static int
rehash(struct fastpath *fp, size_t n_slots)
{
	struct fp_slot *s = calloc(n_slots, sizeof(*s));

	if (s == NULL)
		return VPC_ENOMEM;
	for (size_t i = 0; i <= fp->mask && fp->slots != NULL; i++) {
		size_t j;

		if (fp->slots[i].entry == 0)
			continue;
		for (j = fp->slots[i].hash & (n_slots - 1); s[j].entry != 0;
		     j = (j + 1) & (n_slots - 1))
			;
		s[j] = fp->slots[i];
	}
	free(fp->slots);
	fp->slots = s;
	fp->mask = n_slots - 1;
	return VPC_OK;
}

/* The entry of @lname in the view being built, made when missing
 * (*@made says which); NULL when out of memory. */
static struct fp_entry *
entry_get(struct fp_build *b, const uint8_t *lname, size_t len, bool *made)
{
	struct fastpath *fp = b->fp;
	uint32_t h = name_hash(lname, len, b->vi);
	const struct fp_entry *found = find(fp, lname, len, b->vi, h);
	struct fp_entry *e;
	void *p = fp->entries;
	size_t i;

	*made = false;
	if (found != NULL)
		return &fp->entries[found - fp->entries];
	if ((fp->n_entries + 1) * 2 > fp->mask + 1 &&
	    rehash(fp, (fp->mask + 1) * 2) != VPC_OK)
		return NULL;
	if (fp->n_entries + 1 >= UINT32_MAX ||
	    grow(&p, &fp->entries_cap, fp->n_entries + 1, sizeof(*e)) !=
		    VPC_OK)
		return NULL;
	fp->entries = p;
	e = &fp->entries[fp->n_entries];
	if (arena_add(fp, lname, len, &e->name_off) != VPC_OK)
		return NULL;
	e->view = b->vi;
	e->name_len = (uint8_t)len;
	e->ans = e->other = e->below = FP_NONE;
	e->n_ans = 0;
	for (i = h & fp->mask; fp->slots[i].entry != 0; i = (i + 1) & fp->mask)
		;
	fp->slots[i].hash = h;
	fp->slots[i].entry = (uint32_t)++fp->n_entries;
	if (len < fp->min_len)
		fp->min_len = len;
	if (len > fp->max_len)
		fp->max_len = len;
	*made = true;
	return e;
}

/* The index of @z in fp->zones, added when new; FP_NONE out of memory. */
static uint32_t
zone_index(struct fp_build *b, const struct zone *z)
{
	struct fastpath *fp = b->fp;
	size_t i, j;
	void *p;

	if (b->zmap == NULL || fp->n_zones * 2 >= b->zmap_mask + 1) {
		size_t n = b->zmap == NULL ? 64 : (b->zmap_mask + 1) * 2;
		const struct zone **m = calloc(n, sizeof(*m));
		uint32_t *ix = calloc(n, sizeof(*ix));

		if (m == NULL || ix == NULL) {
			free(m);
			free(ix);
			return FP_NONE;
		}
		for (i = 0; b->zmap != NULL && i <= b->zmap_mask; i++) {
			if (b->zmap[i] == NULL)
				continue;
			for (j = ((uintptr_t)b->zmap[i] >> 4) & (n - 1);
			     m[j] != NULL; j = (j + 1) & (n - 1))
				;
			m[j] = b->zmap[i];
			ix[j] = b->zmap_idx[i];
		}
		free(b->zmap);
		free(b->zmap_idx);
		b->zmap = m;
		b->zmap_idx = ix;
		b->zmap_mask = n - 1;
	}
	for (i = ((uintptr_t)z >> 4) & b->zmap_mask; b->zmap[i] != NULL;
	     i = (i + 1) & b->zmap_mask)
		if (b->zmap[i] == z)
			return b->zmap_idx[i];
	p = (void *)fp->zones;
	if (grow(&p, &fp->zones_cap, fp->n_zones + 1, sizeof(*fp->zones)) !=
	    VPC_OK)
		return FP_NONE;
	fp->zones = p;
	p = b->zneg;
	if (grow(&p, &b->zneg_cap, fp->n_zones + 1, sizeof(*b->zneg)) !=
	    VPC_OK)
		return FP_NONE;
	b->zneg = p;
	b->zneg[fp->n_zones][0] = b->zneg[fp->n_zones][1] = FP_NONE;
	fp->zones[fp->n_zones] = z;
	b->zmap[i] = z;
	b->zmap_idx[i] = (uint32_t)fp->n_zones;
	return (uint32_t)fp->n_zones++;
}

static bool
precomputable(const struct zone *z)
{
	/* A pending zone (an endpoint host name not resolved yet) is
	 * SERVFAIL until the edge rebuilds the views. */
	return z != NULL && z->policies == NULL && !z->pending &&
	       (z->synth == ZONE_SYNTH_NONE ||
		z->synth == ZONE_SYNTH_RESERVED ||
		z->synth == ZONE_SYNTH_PTR6);
}

/* Asks the general path @lname/@qtype in the view being built, without
 * EDNS.  Return: whether the answer is static and can be kept. */
static bool
ask(struct fp_build *b, const uint8_t *lname, size_t len, uint16_t qtype)
{
	const struct answer_trace *t = &b->job.trace;
	size_t qlen = WIRE_HEADER_LEN + len + 4;
	unsigned rcode;

	memset(b->query, 0, WIRE_HEADER_LEN);
	b->query[5] = 1; /* QDCOUNT */
	memcpy(b->query + WIRE_HEADER_LEN, lname, len);
	b->query[WIRE_HEADER_LEN + len] = (uint8_t)(qtype >> 8);
	b->query[WIRE_HEADER_LEN + len + 1] = (uint8_t)qtype;
	b->query[WIRE_HEADER_LEN + len + 2] = 0;
	b->query[WIRE_HEADER_LEN + len + 3] = WIRE_CLASS_IN;
	if (answer_query_view(&b->job, b->v, b->query, qlen, b->out,
			      sizeof(b->out), &b->out_len) != ANSWER_REPLY ||
	    b->out_len < qlen)
		return false;
	rcode = WIRE_RCODE(wire_get_u16(b->out + 2));
	/* Anything chosen per query, per client or logged as a firewall
	 * match stays on the general path. */
	return t->policy_why == NULL && t->policy == NULL && !t->dns64 &&
	       t->firewall == NULL && t->rule == NULL && t->zone != NULL &&
	       (rcode == WIRE_RCODE_NOERROR || rcode == WIRE_RCODE_NXDOMAIN) &&
	       !(wire_get_u16(b->out + 2) & WIRE_FLAG_TC) &&
	       wire_get_u16(b->out + 10) == 0 &&
	       b->out_len - qlen <= UINT16_MAX;
}

/* The NODATA or NXDOMAIN answer already kept for zone @zi that @a
 * equals, or FP_NONE. */
static uint32_t
zone_neg(const struct fp_build *b, uint32_t zi, const struct fp_ans *a,
	 const uint8_t *body)
{
	const struct fastpath *fp = b->fp;
	uint32_t i = b->zneg[zi][WIRE_RCODE(a->flags) == WIRE_RCODE_NXDOMAIN];
	const struct fp_ans *o = i != FP_NONE ? &fp->ans[i] : NULL;

	if (o != NULL && o->flags == a->flags && o->negative &&
	    o->count[0] == a->count[0] && o->count[1] == a->count[1] &&
	    o->body_len == a->body_len &&
	    memcmp(fp->arena + o->body_off, body, a->body_len) == 0)
		return i;
	return FP_NONE;
}

/* Points @a at the bytes of a recent answer with the same body (ANY
 * repeats a type's answer; a zone's negatives share its SOA record).
 * Return: whether it found one. */
static bool
reuse_body(const struct fp_build *b, struct fp_ans *a, const uint8_t *body)
{
	const struct fastpath *fp = b->fp;
	uint32_t t = b->zneg[a->zone][0] != FP_NONE ? b->zneg[a->zone][0]
						    : b->zneg[a->zone][1];

	if (a->negative && t != FP_NONE && fp->ans[t].body_len == a->body_len &&
	    memcmp(fp->arena + fp->ans[t].body_off, body, a->body_len) == 0) {
		a->body_off = fp->ans[t].body_off;
		return true;
	}
	for (size_t k = 1; k <= 8 && k <= fp->n_ans; k++) {
		const struct fp_ans *o = &fp->ans[fp->n_ans - k];

		if (o->negative == a->negative && o->body_len == a->body_len &&
		    memcmp(fp->arena + o->body_off, body, a->body_len) == 0) {
			a->body_off = o->body_off;
			return true;
		}
	}
	return false;
}

/* Keeps the response of the last ask() (question name of @len bytes) as
 * an answer of @qtype.  @negative_only: only an SOA-only negative will
 * do (the NXDOMAIN below a name, whose owner pointer varies).
 * Return: its index, FP_NONE when it cannot be kept (or no memory, *@rc). */
static uint32_t
keep(struct fp_build *b, size_t len, uint16_t qtype, bool negative_only,
     int *rc)
{
	struct fastpath *fp = b->fp;
	const struct zone *z = b->job.trace.zone;
	size_t skip = WIRE_HEADER_LEN + len + 4;
	const uint8_t *body = b->out + skip;
	size_t body_len = b->out_len - skip, own = z->apex_len > 1 ? 2 : 1;
	size_t ptr = 0xc000u | (WIRE_HEADER_LEN + len - z->apex_len);
	struct fp_ans a = {0};
	void *p = fp->ans;
	uint32_t i;
	bool neg;

	a.qtype = qtype;
	a.apex_len = (uint8_t)z->apex_len;
	a.flags = wire_get_u16(b->out + 2);
	a.count[0] = wire_get_u16(b->out + 6);
	a.count[1] = wire_get_u16(b->out + 8);
	neg = a.count[0] == 0 && a.count[1] == 1 && body_len > own + 2 &&
	      (own == 1 ? body[0] == 0 : wire_get_u16(body) == ptr) &&
	      wire_get_u16(body + own) == WIRE_TYPE_SOA;
	if (negative_only && !neg)
		return FP_NONE;
	if (neg) {
		body += own;
		body_len -= own;
		a.negative = 1;
	}
	a.body_len = (uint16_t)body_len;
	if ((a.zone = zone_index(b, z)) == FP_NONE ||
	    grow(&p, &fp->ans_cap, fp->n_ans + 1, sizeof(a)) != VPC_OK) {
		*rc = VPC_ENOMEM;
		return FP_NONE;
	}
	fp->ans = p;
	/* Every NODATA of a zone is one answer, so is every NXDOMAIN. */
	if (neg && qtype == 0 && (i = zone_neg(b, a.zone, &a, body)) != FP_NONE)
		return i;
	if (reuse_body(b, &a, body)) {
		/* the same bytes as an answer kept before */
	} else if (arena_add(fp, body, body_len, &a.body_off) != VPC_OK) {
		*rc = VPC_ENOMEM;
		return FP_NONE;
	}
	if (neg && qtype == 0)
		b->zneg[a.zone][WIRE_RCODE(a.flags) == WIRE_RCODE_NXDOMAIN] =
			(uint32_t)fp->n_ans;
	fp->ans[fp->n_ans] = a;
	return (uint32_t)fp->n_ans++;
}

static void
add_typed(struct fp_build *b, struct fp_entry *e, const uint8_t *lname,
	  size_t len, uint16_t qtype, int *rc)
{
	uint32_t i;

	if (e->n_ans == UINT8_MAX || !ask(b, lname, len, qtype) ||
	    (i = keep(b, len, qtype, false, rc)) == FP_NONE)
		return;
	if (e->n_ans++ == 0)
		e->ans = i;
}

/* Adds to @e an answer for @qtype that is its answer for @as (kept
 * just before, so the entry's answers stay consecutive).
 * Return: whether it did. */
static bool
same_as(struct fp_build *b, struct fp_entry *e, uint16_t as, uint16_t qtype,
	int *rc)
{
	struct fastpath *fp = b->fp;
	void *p = fp->ans;

	if (e->n_ans == 0 || e->n_ans == UINT8_MAX ||
	    fp->ans[e->ans].qtype != as || e->ans + e->n_ans != fp->n_ans)
		return false;
	if (grow(&p, &fp->ans_cap, fp->n_ans + 1, sizeof(*fp->ans)) !=
	    VPC_OK) {
		*rc = VPC_ENOMEM;
		return true;
	}
	fp->ans = p;
	fp->ans[fp->n_ans] = fp->ans[e->ans];
	fp->ans[fp->n_ans++].qtype = qtype;
	e->n_ans++;
	return true;
}

/* Whether every name below @lname that is not an entry gets the same
 * NXDOMAIN; on true, @child is such a name and *@zone its zone. */
static bool
below_is_static(struct fp_build *b, const uint8_t *lname, size_t len,
		uint8_t *child, const struct zone **zone)
{
	static const uint8_t label[] = "\x0b" "fastpath-nx";
	size_t clen = sizeof(label) - 1 + len;
	const struct view *v = b->v;
	const struct zone *z;

	if (clen > WIRE_MAX_NAME_LEN)
		return false;
	memcpy(child, label, sizeof(label) - 1);
	memcpy(child + sizeof(label) - 1, lname, len);
	z = view_find_zone(v, child, clen);
	if (!precomputable(z) || zone_find(z, child, clen) != NULL ||
	    zone_find_wildcard(z, child, clen) != NULL)
		return false;
	/* A zone that owns only some names below it (endpoint names, EC2
	 * reverse zones) answers some children and not others: when such
	 * a zone, not the child's, is the closest of a zone set, the child
	 * says nothing about its siblings. */
	for (size_t i = 0; i < v->n_zonesets; i++) {
		const struct zone *o = zoneset_find(v->zonesets[i], lname, len);

		if (o != NULL && o != z && o->apex_len >= z->apex_len)
			return false;
		if (o != NULL && o->apex_len == len && o->n_owned > 0)
			return false;
	}
	/* A rule below the name is an entry, but one between it and a
	 * deeper query name is not seen by the probe. */
	for (size_t i = 0; i < v->n_rules; i++)
		if (v->rules[i].len > len &&
		    wire_name_is_below(v->rules[i].domain, v->rules[i].len,
				       lname, len))
			return false;
	*zone = z;
	return true;
}

/* The NODATA (@nxdomain false) or NXDOMAIN answer of precomputable zone
 * @z already kept, when the general path would give it for @lname: the
 * name is in @z with no CNAME and the type absent, or (NXDOMAIN) not in
 * it and no wildcard matches (the caller checked), and no resolver rule
 * takes the name from the zone.  It saves two of every name's general-
 * path runs at load; check_fastpath compares the result all the same.
 * Return: the answer's index, FP_NONE (then ask).
 */
static uint32_t
known_negative(struct fp_build *b, const struct zone *z,
	       const uint8_t *lname, size_t len, bool nxdomain)
{
	const struct view_rule *r = view_find_rule(b->v, lname, len);
	uint32_t zi;

	if (r != NULL && r->len >= z->apex_len)
		return FP_NONE;
	if ((zi = zone_index(b, z)) == FP_NONE)
		return FP_NONE;
	return b->zneg[zi][nxdomain];
}

/* Makes the entry of @lname with every static answer. */
static int
add_name(struct fp_build *b, const uint8_t *lname, size_t len)
{
	uint8_t child[WIRE_MAX_NAME_LEN];
	const struct zone_node *n = NULL;
	const struct zone *z;
	struct fp_entry *e;
	uint32_t other = FP_NONE, below = FP_NONE;
	bool made;
	int rc = VPC_OK;

	if ((e = entry_get(b, lname, len, &made)) == NULL)
		return VPC_ENOMEM;
	if (!made)
		return VPC_OK;
	z = view_find_zone(b->v, lname, len);
	if (precomputable(z))
		n = zone_find(z, lname, len);
	if (n != NULL && zone_rrset(n, WIRE_TYPE_CNAME) != NULL) {
		add_typed(b, e, lname, len, WIRE_TYPE_CNAME, &rc);
		for (size_t i = 0; i < sizeof(cname_types) /
					       sizeof(cname_types[0]);
		     i++)
			add_typed(b, e, lname, len, cname_types[i], &rc);
	} else if (n != NULL) {
		uint16_t t = FP_OTHER_TYPE;

		for (uint16_t i = 0; i < n->n_rrsets; i++)
			add_typed(b, e, lname, len, n->rrsets[i].type, &rc);
		/* RFC 8482: ANY answers the first RRset, as asked by type. */
		if (n->n_rrsets > 0 &&
		    !same_as(b, e, n->rrsets[0].type, WIRE_TYPE_ANY, &rc))
			add_typed(b, e, lname, len, WIRE_TYPE_ANY, &rc);
		while (zone_rrset(n, t) != NULL)
			t++;
		if ((other = known_negative(b, z, lname, len, false)) ==
			    FP_NONE &&
		    ask(b, lname, len, t))
			other = keep(b, len, 0, false, &rc);
	}
	if (below_is_static(b, lname, len, child, &z) &&
	    (below = known_negative(b, z, child, wire_name_len(child),
				    true)) == FP_NONE &&
	    ask(b, child, wire_name_len(child), WIRE_TYPE_A) &&
	    WIRE_RCODE(wire_get_u16(b->out + 2)) == WIRE_RCODE_NXDOMAIN)
		below = keep(b, wire_name_len(child), 0, true, &rc);
	e->other = other;
	e->below = below;
	return rc;
}

static int
add_zone(struct fp_build *b, const struct zone *z)
{
	int rc = add_name(b, z->apex, z->apex_len);

	/* Names of zones that are not precomputed stay out; the apex
	 * entry sends the names under it to the general path. */
	if (!precomputable(z))
		return rc;
	for (size_t i = 0; i < z->n_buckets && rc == VPC_OK; i++)
		for (const struct zone_node *n = z->buckets[i];
		     n != NULL && rc == VPC_OK; n = n->next)
			rc = add_name(b, n->name, n->name_len);
	return rc;
}

static int
add_view(struct fp_build *b, const struct view *v, size_t vi)
{
	int rc = VPC_OK;

	/* DNS Firewall rules match per query and are logged: those views
	 * keep the general path (docs/DESIGN.md). */
	if (v->firewall != NULL)
		return VPC_OK;
	b->v = v;
	b->vi = (uint32_t)vi;
	b->fp->view_on[vi] = true;
	for (size_t i = 0; i < v->n_zonesets && rc == VPC_OK; i++)
		for (size_t j = 0;
		     j < zoneset_count(v->zonesets[i]) && rc == VPC_OK; j++)
			rc = add_zone(b, zoneset_get(v->zonesets[i], j));
	for (size_t i = 0; i < v->n_rules && rc == VPC_OK; i++)
		rc = add_name(b, v->rules[i].domain, v->rules[i].len);
	return rc;
}

/* Whether a listener is the inbound endpoint of VPC @i. */
static bool
has_inbound(const struct view_set *vs, size_t i)
{
	const struct conf *cf = vs->conf;

	for (size_t l = 0; cf != NULL && l < cf->n_listen; l++)
		if (cf->listen[l].inbound != NULL && cf->vpcs[i].id != NULL &&
		    strcmp(cf->listen[l].inbound, cf->vpcs[i].id) == 0)
			return true;
	return false;
}

static void
shrink(void **p, size_t n, size_t size)
{
	void *q = n > 0 ? realloc(*p, n * size) : NULL;

	if (q != NULL)
		*p = q;
}

int
fastpath_build(const struct view_set *vs, struct fastpath **out)
{
	struct fastpath *fp = calloc(1, sizeof(*fp));
	struct fp_build *b = calloc(1, sizeof(*b));
	int rc = VPC_ENOMEM;

	if (fp == NULL || b == NULL)
		goto out;
	b->fp = fp;
	b->vs = vs;
	fp->n_views = 1 + 2 * vs->n_vpcs;
	fp->min_len = SIZE_MAX;
	if ((fp->view_on = calloc(fp->n_views, sizeof(bool))) == NULL ||
	    rehash(fp, 1024) != VPC_OK)
		goto out;
	/* Only views a query can reach: the outside view when no VPC takes
	 * the other clients, inbound views with a listener. */
	rc = VPC_OK;
	if (vs->fallback == &vs->outside)
		rc = add_view(b, &vs->outside, 0);
	for (size_t i = 0; i < vs->n_vpcs && rc == VPC_OK; i++) {
		rc = add_view(b, &vs->vpcs[i], 1 + i);
		if (rc == VPC_OK && has_inbound(vs, i))
			rc = add_view(b, &vs->inbound[i], 1 + vs->n_vpcs + i);
	}
	if (rc != VPC_OK)
		goto out;
	shrink((void **)&fp->arena, fp->arena_len, 1);
	shrink((void **)&fp->entries, fp->n_entries, sizeof(*fp->entries));
	shrink((void **)&fp->ans, fp->n_ans, sizeof(*fp->ans));
	shrink((void **)&fp->zones, fp->n_zones, sizeof(*fp->zones));
	*out = fp;
	fp = NULL;
out:
	if (b != NULL) {
		free(b->zmap);
		free(b->zmap_idx);
		free(b->zneg);
	}
	free(b);
	fastpath_free(fp);
	return rc;
}

size_t
fastpath_names(const struct fastpath *fp)
{
	return fp != NULL ? fp->n_entries : 0;
}

size_t
fastpath_bytes(const struct fastpath *fp)
{
	if (fp == NULL)
		return 0;
	return sizeof(*fp) + fp->arena_len +
	       fp->n_entries * sizeof(*fp->entries) +
	       fp->n_ans * sizeof(*fp->ans) +
	       fp->n_zones * sizeof(*fp->zones) +
	       (fp->mask + 1) * sizeof(*fp->slots) + fp->n_views;
}

void
fastpath_free(struct fastpath *fp)
{
	if (fp == NULL)
		return;
	free(fp->arena);
	free(fp->entries);
	free(fp->ans);
	free((void *)fp->zones);
	free(fp->slots);
	free(fp->view_on);
	free(fp);
}
