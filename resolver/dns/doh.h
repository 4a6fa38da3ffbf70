/*
 * resolver/dns/doh.h - DNS over HTTPS messages (RFC 8484), without HTTP.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Turns the parts of an HTTP request that RFC 8484 gives meaning to (the
 * method, the request target, Content-Type and the body) into the DNS
 * message it carries, or into the HTTP status that refuses it; and gives
 * the freshness lifetime of a response (RFC 8484 §5.1).  Pure: the HTTP
 * server (io/net_doh.c) owns the connection, TLS and HTTP/2.  Nothing
 * here allocates; every input is borrowed for the call.
 */
#ifndef RESOLVER_DNS_DOH_H
#define RESOLVER_DNS_DOH_H

#include <stddef.h>
#include <stdint.h>

/* The one path vpcdns serves DoH on, as AWS and RFC 8484's examples do. */
#define DOH_PATH "/dns-query"
#define DOH_MEDIA_TYPE "application/dns-message"

/* The request, as the HTTP layer decoded it.  Lengths, no terminators. */
struct doh_request {
	const char *method;       /* "GET", "POST", ... */
	size_t method_len;
	const char *target;       /* path and query, e.g. "/dns-query?dns=" */
	size_t target_len;
	const char *content_type; /* POST: the header's value; NULL = none */
	size_t content_type_len;
	const uint8_t *body;      /* POST: the entity body; NULL = none */
	size_t body_len;
};

/**
 * doh_parse_request() - the DNS message of a DoH request.
 * @r:       [in] the request.
 * @msg:     [out] receives the DNS message (GET: decoded from the
 *           base64url `dns` parameter; POST: the body), @cap bytes.
 * @msg_len: [out] its length, written only on success.
 * GET carries `dns=` (RFC 8484 §4.1: base64url, padding omitted;
 * padding is tolerated), POST carries the message as a body of type
 * application/dns-message (parameters after ';' ignored).
 * Return: 200 when @msg holds a message of at least a DNS header; else
 * the HTTP status to answer with: 404 (another path), 405 (another
 * method), 415 (POST of another media type), 413 (a message larger than
 * @cap), 400 (no or empty `dns`, bad base64url, a message shorter than a
 * DNS header).
 */
int doh_parse_request(const struct doh_request *r, uint8_t *msg, size_t cap,
		      size_t *msg_len);

/**
 * doh_max_age() - the Cache-Control max-age of a response: the smallest
 * TTL of its answer and authority records (RFC 8484 §5.1; a negative
 * answer's SOA bounds it as RFC 2308 says), 0 for a message without any
 * or one that does not parse.
 */
uint32_t doh_max_age(const uint8_t *msg, size_t len);

/**
 * doh_base64url_decode() - decode @len characters of base64url (RFC 4648
 * §5; trailing '=' tolerated) into @out of @cap bytes.
 * Return: the decoded length, or SIZE_MAX when the text is not base64url
 * or does not fit.
 */
size_t doh_base64url_decode(const char *in, size_t len, uint8_t *out,
			    size_t cap);

#endif /* RESOLVER_DNS_DOH_H */
