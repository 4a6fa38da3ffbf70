/*
 * resolver/dns/doh.c - DNS over HTTPS messages (RFC 8484), without HTTP.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See doh.h.  The request target is matched byte for byte against
 * DOH_PATH, since RFC 8484 leaves the path to the server's URI template
 * and ours is fixed; query parameters other than `dns` are ignored (RFC
 * 8484 §4.1 lets a template carry more).
 */
#include "config.h"

#include "dns/doh.h"

#include <stdbool.h>
#include <string.h>

#include "dns/wire.h"
#include "util/err.h"

static bool
text_equal(const char *s, size_t len, const char *lit)
{
	return len == strlen(lit) && memcmp(s, lit, len) == 0;
}

/* ASCII case-insensitive, for media types (RFC 9110 §8.3.1). */
static bool
text_equal_nocase(const char *s, size_t len, const char *lit)
{
	if (len != strlen(lit))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != lit[i])
			return false;
	}
	return true;
}

static int
base64url_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '-')
		return 62;
	if (c == '_')
		return 63;
	return -1;
}

size_t
doh_base64url_decode(const char *in, size_t len, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t n = 0;

	while (len > 0 && in[len - 1] == '=')
		len--;
	/* One leftover character carries 6 bits: never a whole byte. */
	if (len % 4 == 1)
		return SIZE_MAX;
	for (size_t i = 0; i < len; i++) {
		int v = base64url_value(in[i]);

		if (v < 0)
			return SIZE_MAX;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return SIZE_MAX;
			out[n++] = (uint8_t)(acc >> bits);
		}
	}
	return n;
}

/* The value of parameter @name in the query part @q (after '?'). */
static bool
query_param(const char *q, size_t len, const char *name, const char **val,
	    size_t *val_len)
{
	size_t name_len = strlen(name), i = 0;

	while (i < len) {
		size_t end = i;

		while (end < len && q[end] != '&')
			end++;
		if (end - i > name_len && memcmp(q + i, name, name_len) == 0 &&
		    q[i + name_len] == '=') {
			*val = q + i + name_len + 1;
			*val_len = end - i - name_len - 1;
			return true;
		}
		i = end + 1;
	}
	return false;
}

static int
parse_get(const char *query, size_t query_len, uint8_t *msg, size_t cap,
	  size_t *msg_len)
{
	const char *dns;
	size_t dns_len, n;

	if (query == NULL || !query_param(query, query_len, "dns", &dns,
					  &dns_len) || dns_len == 0)
		return 400;
	while (dns_len > 0 && dns[dns_len - 1] == '=')
		dns_len--;
	/* Four characters carry three bytes. */
	if (dns_len * 3 / 4 > cap)
		return 413;
	n = doh_base64url_decode(dns, dns_len, msg, cap);
	if (n == SIZE_MAX)
		return 400;
	*msg_len = n;
	return 200;
}

static int
parse_post(const struct doh_request *r, uint8_t *msg, size_t cap,
	   size_t *msg_len)
{
	size_t ct_len = r->content_type_len;

	if (r->content_type == NULL)
		return 415;
	for (size_t i = 0; i < r->content_type_len; i++)
		if (r->content_type[i] == ';') {
			ct_len = i;
			break;
		}
	while (ct_len > 0 && r->content_type[ct_len - 1] == ' ')
		ct_len--;
	if (!text_equal_nocase(r->content_type, ct_len, DOH_MEDIA_TYPE))
		return 415;
	if (r->body_len > cap)
		return 413;
	if (r->body_len > 0)
		memcpy(msg, r->body, r->body_len);
	*msg_len = r->body_len;
	return 200;
}

int
doh_parse_request(const struct doh_request *r, uint8_t *msg, size_t cap,
		  size_t *msg_len)
{
	const char *query = NULL;
	size_t path_len = r->target_len, query_len = 0, n = 0;
	int status;

	for (size_t i = 0; i < r->target_len; i++)
		if (r->target[i] == '?') {
			path_len = i;
			query = r->target + i + 1;
			query_len = r->target_len - i - 1;
			break;
		}
	if (!text_equal(r->target, path_len, DOH_PATH))
		return 404;
	if (text_equal(r->method, r->method_len, "GET"))
		status = parse_get(query, query_len, msg, cap, &n);
	else if (text_equal(r->method, r->method_len, "POST"))
		status = parse_post(r, msg, cap, &n);
	else
		return 405;
	if (status != 200)
		return status;
	if (n < WIRE_HEADER_LEN)
		return 400;
	*msg_len = n;
	return 200;
}

uint32_t
doh_max_age(const uint8_t *msg, size_t len)
{
	struct wire_reader r;
	uint32_t min = UINT32_MAX;
	unsigned qd, rrs;

	wire_reader_init(&r, msg, len);
	wire_skip(&r, 4);
	qd = wire_read_u16(&r);
	rrs = wire_read_u16(&r);
	rrs += wire_read_u16(&r); /* answer and authority, not additional */
	wire_skip(&r, 2);
	for (unsigned i = 0; i < qd && r.err == VPC_OK; i++) {
		wire_read_name(&r, NULL);
		wire_skip(&r, 4);
	}
	for (unsigned i = 0; i < rrs && r.err == VPC_OK; i++) {
		uint32_t ttl;

		wire_read_name(&r, NULL);
		wire_skip(&r, 4);
		ttl = wire_read_u32(&r);
		wire_skip(&r, wire_read_u16(&r));
		if (r.err == VPC_OK && ttl < min)
			min = ttl;
	}
	if (r.err != VPC_OK || min == UINT32_MAX)
		return 0;
	/* RFC 2181 §8: a TTL with the top bit set means zero. */
	return min > 0x7fffffffu ? 0 : min;
}
