/*
 * resolver/dns/wire.c - bounded DNS wire reader and writer, names, TCP framing.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Pure functions over borrowed buffers; no allocation.  Loads and stores
 * go through memcpy-free byte shifts so unaligned data is safe.
 */
#include "config.h"

#include "dns/wire.h"

#include <string.h>

#include "util/err.h"

void
wire_reader_init(struct wire_reader *r, const uint8_t *buf, size_t len)
{
	r->buf = buf;
	r->len = len;
	r->pos = 0;
	r->err = VPC_OK;
}

static bool
have(struct wire_reader *r, size_t n)
{
	if (r->err != VPC_OK)
		return false;
	if (r->len - r->pos < n) {
		r->err = VPC_ETRUNC;
		return false;
	}
	return true;
}

uint8_t
wire_read_u8(struct wire_reader *r)
{
	if (!have(r, 1))
		return 0;
	return r->buf[r->pos++];
}

uint16_t
wire_get_u16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

uint32_t
wire_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

uint16_t
wire_read_u16(struct wire_reader *r)
{
	const uint8_t *p;

	if (!have(r, 2))
		return 0;
	p = r->buf + r->pos;
	r->pos += 2;
	return wire_get_u16(p);
}

uint32_t
wire_read_u32(struct wire_reader *r)
{
	const uint8_t *p;

	if (!have(r, 4))
		return 0;
	p = r->buf + r->pos;
	r->pos += 4;
	return wire_get_u32(p);
}

void
wire_rdata_begin(struct wire_rdata_iter *it, const uint8_t *buf, size_t len)
{
	it->p = buf;
	it->end = buf != NULL ? buf + len : buf;
}

bool
wire_rdata_next(struct wire_rdata_iter *it, const uint8_t **rdata,
		uint16_t *len)
{
	uint16_t l;

	if (it->end - it->p < 2)
		return false;
	l = wire_get_u16(it->p);
	if ((size_t)(it->end - it->p) - 2 < l)
		return false;
	*rdata = it->p + 2;
	*len = l;
	it->p += 2u + l;
	return true;
}

uint32_t
wire_soa_minimum(const uint8_t *rdata, size_t len)
{
	return len < 4 ? 0 : wire_get_u32(rdata + len - 4);
}

void
wire_skip(struct wire_reader *r, size_t n)
{
	if (have(r, n))
		r->pos += n;
}

static size_t
name_fail(struct wire_reader *r, int err)
{
	r->err = err;
	return 0;
}

size_t
wire_read_name(struct wire_reader *r, uint8_t *out)
{
	size_t pos = r->pos, end = 0, olen = 0;
	unsigned hops = 0;

	if (r->err != VPC_OK)
		return 0;
	for (;;) {
		uint8_t lab;

		if (pos >= r->len)
			return name_fail(r, VPC_ETRUNC);
		lab = r->buf[pos];
		if ((lab & 0xc0) == 0xc0) {
			size_t target;

			if (pos + 1 >= r->len)
				return name_fail(r, VPC_ETRUNC);
			target = (size_t)(lab & 0x3f) << 8 | r->buf[pos + 1];
			/* RFC 1035 §4.1.4: a pointer refers to a prior
			 * occurrence; forward or self pointers are loops. */
			if (target >= pos || ++hops > WIRE_MAX_POINTER_HOPS)
				return name_fail(r, VPC_EMALFORMED);
			if (end == 0)
				end = pos + 2;
			pos = target;
			continue;
		}
		if (lab & 0xc0)
			return name_fail(r, VPC_EMALFORMED);
		if (olen + 1 + lab > WIRE_MAX_NAME_LEN)
			return name_fail(r, VPC_EMALFORMED);
		if (pos + 1 + lab > r->len)
			return name_fail(r, VPC_ETRUNC);
		if (out != NULL)
			memcpy(out + olen, r->buf + pos, 1 + (size_t)lab);
		olen += 1 + (size_t)lab;
		pos += 1 + (size_t)lab;
		if (lab == 0)
			break;
	}
	r->pos = end != 0 ? end : pos;
	return olen;
}

void
wire_writer_init(struct wire_writer *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->err = VPC_OK;
}

static bool
room(struct wire_writer *w, size_t n)
{
	if (w->err != VPC_OK)
		return false;
	if (w->cap - w->len < n) {
		w->err = VPC_ESPACE;
		return false;
	}
	return true;
}

void
wire_write_u8(struct wire_writer *w, uint8_t v)
{
	if (room(w, 1))
		w->buf[w->len++] = v;
}

void
wire_write_u16(struct wire_writer *w, uint16_t v)
{
	if (!room(w, 2))
		return;
	w->buf[w->len++] = (uint8_t)(v >> 8);
	w->buf[w->len++] = (uint8_t)v;
}

void
wire_write_u32(struct wire_writer *w, uint32_t v)
{
	if (!room(w, 4))
		return;
	w->buf[w->len++] = (uint8_t)(v >> 24);
	w->buf[w->len++] = (uint8_t)(v >> 16);
	w->buf[w->len++] = (uint8_t)(v >> 8);
	w->buf[w->len++] = (uint8_t)v;
}

void
wire_write_bytes(struct wire_writer *w, const void *p, size_t n)
{
	if (n == 0 || !room(w, n))
		return;
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

void
wire_put_u16(struct wire_writer *w, size_t off, uint16_t v)
{
	if (off + 2 > w->len)
		return;
	w->buf[off] = (uint8_t)(v >> 8);
	w->buf[off + 1] = (uint8_t)v;
}

size_t
wire_name_len(const uint8_t *name)
{
	size_t len = 0;

	while (name[len] != 0)
		len += 1 + (size_t)name[len];
	return len + 1;
}

static inline uint8_t
lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
}

void
wire_name_lower(uint8_t *dst, const uint8_t *src, size_t len)
{
	for (size_t i = 0; i < len; i++)
		dst[i] = lower(src[i]);
}

bool
wire_name_equal(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

bool
wire_name_is_below(const uint8_t *name, size_t len, const uint8_t *apex,
		   size_t apex_len)
{
	size_t pos = 0;

	while (len - pos > apex_len)
		pos += 1 + (size_t)name[pos];
	/* pos lands on a label boundary; compare the tail only there. */
	return len - pos == apex_len &&
	       wire_name_equal(name + pos, apex_len, apex, apex_len);
}

unsigned
wire_name_labels(const uint8_t *name)
{
	unsigned n = 0;

	for (size_t pos = 0; name[pos] != 0; pos += 1 + (size_t)name[pos])
		n++;
	return n;
}

size_t
wire_name_from_text(const char *text, uint8_t *out)
{
	size_t olen = 0;
	const char *p = text;

	if (strcmp(text, ".") == 0) {
		out[0] = 0;
		return 1;
	}
	while (*p != '\0') {
		const char *dot = strchr(p, '.');
		size_t lab = dot != NULL ? (size_t)(dot - p) : strlen(p);

		if (lab == 0 || lab > WIRE_MAX_LABEL_LEN ||
		    olen + 1 + lab + 1 > WIRE_MAX_NAME_LEN)
			return 0;
		for (size_t i = 0; i < lab; i++)
			if (p[i] <= 0x20 || p[i] >= 0x7f || p[i] == '\\')
				return 0;
		out[olen++] = (uint8_t)lab;
		memcpy(out + olen, p, lab);
		olen += lab;
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	if (olen == 0)
		return 0;
	out[olen++] = 0;
	return olen;
}

int
wire_tcp_frame(const uint8_t *buf, size_t len, size_t *msg, size_t *msg_len,
	       size_t *consumed)
{
	size_t n;

	if (len < 2)
		return VPC_EAGAIN;
	n = (size_t)buf[0] << 8 | buf[1];
	if (n < WIRE_HEADER_LEN)
		return VPC_EMALFORMED;
	if (len - 2 < n)
		return VPC_EAGAIN;
	*msg = 2;
	*msg_len = n;
	*consumed = 2 + n;
	return VPC_OK;
}
