/*
 * resolver/dns/msg.h - DNS messages: parse a query, build a response, EDNS,
 * truncation, and parse an upstream reply into a normalized form.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Pure functions over borrowed buffers.  A parsed query (struct msg_query)
 * is a self-contained copy: it does not point into the packet.  A response
 * is built with struct msg_builder into a caller-owned buffer; owner names
 * that are the question name or a suffix of it are compressed with a
 * pointer into the question (RFC 1035 §4.1.4), everything else is written
 * uncompressed.  "Normalized RRs" are a byte string of records in wire
 * format with every name uncompressed: owner, type, class, TTL, RDLENGTH,
 * RDATA (network order throughout); they can be stored and replayed into
 * any response.
 */
#ifndef RESOLVER_DNS_MSG_H
#define RESOLVER_DNS_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/wire.h"

/* RFC 6891 §6.2.5 and DNS flag day 2020: what we advertise and use. */
#define MSG_EDNS_PAYLOAD 1232
/* RFC 1035 §2.3.4: the limit without EDNS. */
#define MSG_UDP_MIN 512
/* The largest UDP response we send whatever the client offers. */
#define MSG_UDP_MAX 4096
/* TCP messages carry a 16-bit length. */
#define MSG_TCP_MAX 65535
/* Bytes of the OPT RR we add (root owner, no options). */
#define MSG_OPT_LEN 11
/* Maximum normalized RR bytes kept from one upstream reply. */
#define MSG_RRS_MAX 65535
/* TTLs are clamped to 2^31 - 1 (RFC 2181 §8). */
#define MSG_TTL_MAX 2147483647u

enum msg_section {
	MSG_ANSWER = 0,
	MSG_AUTHORITY = 1,
	MSG_ADDITIONAL = 2,
};

enum msg_verdict {
	MSG_QUERY_OK,      /* answer it */
	MSG_QUERY_DROP,    /* no usable header, or a response: ignore */
	MSG_QUERY_FORMERR, /* answer FORMERR */
	MSG_QUERY_NOTIMP,  /* unknown opcode: answer NOTIMP */
	MSG_QUERY_BADVERS, /* EDNS version > 0: answer BADVERS */
};

struct msg_query {
	uint16_t id;           /* header ID, host order */
	uint16_t flags;        /* header flags word, host order */
	bool has_question;     /* false when the question did not parse */
	uint8_t qname[WIRE_MAX_NAME_LEN];       /* as sent, case kept */
	uint8_t qname_lower[WIRE_MAX_NAME_LEN]; /* folded to lower case */
	size_t qname_len;      /* wire length, 0 when !has_question */
	uint16_t qtype;        /* host order */
	uint16_t qclass;       /* host order */
	bool edns;             /* an OPT RR was present */
	uint8_t edns_version;  /* its version, 0 when !edns */
	bool edns_do;          /* DO bit (RFC 3225) */
	uint16_t edns_payload; /* advertised size, 0 when !edns */
};

/**
 * msg_parse_query() - parse and check a query from a client.
 * @buf: [in] the datagram or TCP message.
 * @len: [in] its length.
 * @q:   [out] filled as far as parsing got; always written.
 *
 * RFC 1035 §4.1 with RFC 6891 §6.1.1 (one OPT, in the additional section,
 * owner root) and RFC 6895: QDCOUNT must be 1 and the question must parse.
 * Return: what to do with the query (enum msg_verdict).
 */
enum msg_verdict msg_parse_query(const uint8_t *buf, size_t len,
				 struct msg_query *q);

/**
 * msg_udp_limit() - the largest response a UDP client accepts:
 * max(512, min(payload, MSG_UDP_MAX)) with EDNS, else 512 (RFC 6891 §6.2.3
 * and §6.2.5).
 */
size_t msg_udp_limit(const struct msg_query *q);

struct msg_builder {
	struct wire_writer w;       /* over the caller's buffer */
	const struct msg_query *q;  /* borrowed for the builder's life */
	size_t limit;               /* response size limit incl. OPT */
	size_t after_question;      /* length once the question is written */
	uint16_t count[3];          /* RRs per section so far */
	bool truncated;             /* an answer/authority RR did not fit */
	bool additional_full;       /* an additional RR did not fit */
	uint32_t stale_ttl;         /* when not 0, msg_add_normalized()
				       writes this TTL on every RR (RFC
				       8767 stale answers); 0 after
				       msg_begin() */
};

/**
 * msg_begin() - start a response to @q: header (ID, opcode, RD and CD
 * copied, QR set) and the question exactly as the client sent it.
 * @b:     [out] builder.
 * @q:     [in] the parsed query; borrowed until msg_finish().
 * @out:   [out] buffer for the response; borrowed.
 * @cap:   [in] bytes at @out.
 * @limit: [in] size limit for the response (e.g. msg_udp_limit()).
 */
void msg_begin(struct msg_builder *b, const struct msg_query *q, uint8_t *out,
	       size_t cap, size_t limit);

/**
 * msg_add_rr() - append one RR to section @s; sections must be appended
 * in order.  @owner is an uncompressed wire name, @rdata is written as
 * given (names in it uncompressed).
 *
 * An answer or authority RR that does not fit marks the response
 * truncated; an additional RR that does not fit is left out (RFC 2181 §9:
 * that needs no TC).
 * Return: true when the RR was added.
 */
bool msg_add_rr(struct msg_builder *b, enum msg_section s,
		const uint8_t *owner, size_t owner_len, uint16_t type,
		uint16_t rclass, uint32_t ttl, const uint8_t *rdata,
		uint16_t rdlen);

/**
 * msg_add_normalized() - append normalized RRs (see the top comment),
 * @count[s] of them for each section in order, subtracting @age seconds
 * from each TTL (never below 0) and leaving out answer-section RRs of
 * type @skip_type (0: keep all).
 * Return: VPC_OK, or VPC_EMALFORMED when @rrs does not hold the records.
 */
int msg_add_normalized(struct msg_builder *b, const uint8_t *rrs, size_t len,
		       const uint16_t count[3], uint32_t age,
		       uint16_t skip_type);

/**
 * msg_finish() - close the response: set @flags (WIRE_FLAG_AA, _RA, ...),
 * the RCODE (an extended RCODE such as BADVERS goes into the OPT RR), add
 * an OPT RR when the query had one (RFC 6891 §6.1.1), and truncate to the
 * question with TC set if an answer/authority RR did not fit.
 * Return: the length of the response in the builder's buffer.
 */
size_t msg_finish(struct msg_builder *b, uint16_t flags, unsigned rcode);

/**
 * msg_truncate() - rewrite the response to @q in @buf (of @len bytes) as
 * its header, question and OPT RR with TC set, in place (RFC 2181 §9).
 * Return: the new length.
 */
size_t msg_truncate(const struct msg_query *q, uint8_t *buf, size_t len);

/**
 * msg_error() - build a header-only error response (with the question
 * when it parsed) into @out.
 * Return: its length, or 0 when @cap is too small.
 */
size_t msg_error(const struct msg_query *q, unsigned rcode, uint8_t *out,
		 size_t cap);

/**
 * msg_build_upstream() - write the query sent to an upstream for
 * @name/@type: ID 0 (the forwarder sets it), RD, the CD bit from
 * @q, EDNS0 with MSG_EDNS_PAYLOAD and the client's DO bit.
 * Return: the length, or 0 when @cap is too small.
 */
size_t msg_build_upstream(const struct msg_query *q, const uint8_t *name,
			  size_t name_len, uint16_t type, uint8_t *out,
			  size_t cap);

struct msg_reply {
	uint16_t flags;     /* header flags word of the reply, host order */
	unsigned rcode;     /* RCODE (4 bits; extended bits from OPT) */
	uint16_t count[3];  /* normalized RRs per section, OPT excluded */
	size_t rrs_len;     /* bytes of normalized RRs written */
	uint32_t min_ttl;   /* lowest TTL of all kept RRs, MSG_TTL_MAX if none */
	bool has_soa;       /* authority section holds an SOA */
	uint32_t soa_ttl;   /* min(SOA TTL, SOA MINIMUM), RFC 2308 §5 */
};

/**
 * msg_parse_reply() - check an upstream reply and normalize its records.
 * @buf, @len:     [in] the reply.
 * @name, @name_len, @type: [in] the question it must answer (any case).
 * @rrs:           [out] buffer for normalized RRs.
 * @cap:           [in] bytes at @rrs.
 * @out:           [out] summary, written on success.
 *
 * Everything from the OPT RR on in the additional section is dropped, as
 * are additional RRs that do not fit @cap.
 * Return: VPC_OK; VPC_EMALFORMED for a reply that does not parse, is not
 * a response, or answers another question; VPC_ESPACE when answer and
 * authority do not fit @cap.
 */
int msg_parse_reply(const uint8_t *buf, size_t len, const uint8_t *name,
		    size_t name_len, uint16_t type, uint8_t *rrs, size_t cap,
		    struct msg_reply *out);

/**
 * msg_normalize_rr() - copy one RR at @r into @w with every name in the
 * owner and in RDATA of the RFC 1035/3597 types that allow compression
 * decompressed.
 * @r:    [in,out] cursor at the RR, just past it on success.
 * @w:    [in,out] writer; gets the normalized RR.
 * @type: [out] RR type; @ttl: [out] TTL clamped to MSG_TTL_MAX.
 * Return: VPC_OK, VPC_EMALFORMED/VPC_ETRUNC, or VPC_ESPACE.
 */
int msg_normalize_rr(struct wire_reader *r, struct wire_writer *w,
		     uint16_t *type, uint32_t *ttl);

#endif /* RESOLVER_DNS_MSG_H */
