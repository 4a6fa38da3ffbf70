/*
 * resolver/dns/wire.h - bounded DNS wire reader and writer, names, TCP framing.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The only place that converts byte order.  struct wire_reader is a cursor
 * over a borrowed const buffer with a sticky error: once a read fails,
 * every later read returns 0 and leaves the cursor alone, so callers read
 * a whole record in straight-line code and test r.err once.
 * struct wire_writer works the same way over a borrowed output buffer; its
 * sticky VPC_ESPACE drives truncation.  Names handled here are in wire
 * format; "lowercase" means ASCII A-Z folded to a-z, other bytes kept.
 */
#ifndef RESOLVER_DNS_WIRE_H
#define RESOLVER_DNS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIRE_HEADER_LEN 12
#define WIRE_MAX_NAME_LEN 255
#define WIRE_MAX_LABEL_LEN 63
/* A name has at most 127 labels, so more hops than that is a loop. */
#define WIRE_MAX_POINTER_HOPS 127

/* Header flag bits, host order, as in the second 16-bit header word. */
#define WIRE_FLAG_QR 0x8000u
#define WIRE_FLAG_AA 0x0400u
#define WIRE_FLAG_TC 0x0200u
#define WIRE_FLAG_RD 0x0100u
#define WIRE_FLAG_RA 0x0080u
#define WIRE_FLAG_AD 0x0020u
#define WIRE_FLAG_CD 0x0010u
#define WIRE_OPCODE(flags) (((flags) >> 11) & 0xfu)
#define WIRE_RCODE(flags) ((flags)&0xfu)

enum wire_rcode {
	WIRE_RCODE_NOERROR = 0,
	WIRE_RCODE_FORMERR = 1,
	WIRE_RCODE_SERVFAIL = 2,
	WIRE_RCODE_NXDOMAIN = 3,
	WIRE_RCODE_NOTIMP = 4,
	WIRE_RCODE_REFUSED = 5,
	WIRE_RCODE_BADVERS = 16, /* extended, RFC 6891 §9 */
};

enum wire_type {
	WIRE_TYPE_A = 1,
	WIRE_TYPE_NS = 2,
	WIRE_TYPE_CNAME = 5,
	WIRE_TYPE_SOA = 6,
	WIRE_TYPE_PTR = 12,
	WIRE_TYPE_MX = 15,
	WIRE_TYPE_TXT = 16,
	WIRE_TYPE_AAAA = 28,
	WIRE_TYPE_SRV = 33,
	WIRE_TYPE_OPT = 41,
	WIRE_TYPE_RRSIG = 46,
	WIRE_TYPE_IXFR = 251,
	WIRE_TYPE_AXFR = 252,
	WIRE_TYPE_MAILB = 253,
	WIRE_TYPE_MAILA = 254,
	WIRE_TYPE_ANY = 255,
};

#define WIRE_CLASS_IN 1

struct wire_reader {
	const uint8_t *buf; /* whole message (borrowed); pointers index it */
	size_t len;         /* bytes valid at buf */
	size_t pos;         /* next byte to read */
	int err;            /* VPC_OK, or the first error (sticky) */
};

struct wire_writer {
	uint8_t *buf; /* output (borrowed) */
	size_t cap;   /* bytes available at buf */
	size_t len;   /* bytes written so far */
	int err;      /* VPC_OK, or VPC_ESPACE once a write did not fit */
};

/** wire_reader_init() - start reading @len bytes of @buf at offset 0. */
void wire_reader_init(struct wire_reader *r, const uint8_t *buf, size_t len);

/**
 * wire_read_u8(), wire_read_u16(), wire_read_u32() - read a network-order
 * integer and return it in host order; 0 with r->err = VPC_ETRUNC when
 * the bytes are not there.  The cursor advances only on success.
 */
uint8_t wire_read_u8(struct wire_reader *r);
uint16_t wire_read_u16(struct wire_reader *r);
uint32_t wire_read_u32(struct wire_reader *r);

/**
 * wire_get_u16(), wire_get_u32() - the network-order integer at @p, in
 * host order.  For fields whose bounds the caller has already checked
 * (stored RDATA, a header already read); messages go through the reader.
 */
uint16_t wire_get_u16(const uint8_t *p);
uint32_t wire_get_u32(const uint8_t *p);

/*
 * A cursor over RDATAs stored one after another, each as RDLENGTH (2
 * bytes, network order) and RDATA: the form of struct zone_rrset.  The
 * caller vouches for the layout (it wrote it).
 */
struct wire_rdata_iter {
	const uint8_t *p;   /* next RDLENGTH */
	const uint8_t *end; /* past the last RDATA */
};

/** wire_rdata_begin() - iterate the @len bytes at @buf. */
void wire_rdata_begin(struct wire_rdata_iter *it, const uint8_t *buf,
		      size_t len);

/**
 * wire_rdata_next() - the next RDATA.
 * @rdata: [out] its first byte (the bytes after its RDLENGTH).
 * @len:   [out] its RDLENGTH.
 * Return: false at the end (or at a length that runs past it).
 */
bool wire_rdata_next(struct wire_rdata_iter *it, const uint8_t **rdata,
		     uint16_t *len);

/**
 * wire_soa_minimum() - the MINIMUM field of an SOA RDATA of @len bytes
 * (its last 4 bytes, RFC 1035 §3.3.13), or 0 when it is shorter.
 */
uint32_t wire_soa_minimum(const uint8_t *rdata, size_t len);

/** wire_skip() - advance @n bytes; VPC_ETRUNC if fewer remain. */
void wire_skip(struct wire_reader *r, size_t n);

/**
 * wire_read_name() - read a possibly compressed name at the cursor.
 * @r:   [in,out] cursor; on success it points just past the name as it
 *       stands in the message (after the first pointer, if any).
 * @out: [out] WIRE_MAX_NAME_LEN bytes; receives the uncompressed name,
 *       original case, or NULL to only validate and skip.
 *
 * Enforces labels <= 63 octets, names <= 255 octets, pointers that point
 * strictly backward (RFC 1035 §4.1.4) and at most WIRE_MAX_POINTER_HOPS.
 * Label types 0x40/0x80 are malformed.
 *
 * Return: the uncompressed length (>= 1), or 0 with r->err set to
 * VPC_ETRUNC or VPC_EMALFORMED.
 */
size_t wire_read_name(struct wire_reader *r, uint8_t *out);

/** wire_writer_init() - start writing into @buf of @cap bytes. */
void wire_writer_init(struct wire_writer *w, uint8_t *buf, size_t cap);

/** Append a host-order integer in network order; VPC_ESPACE if full. */
void wire_write_u8(struct wire_writer *w, uint8_t v);
void wire_write_u16(struct wire_writer *w, uint16_t v);
void wire_write_u32(struct wire_writer *w, uint32_t v);
void wire_write_bytes(struct wire_writer *w, const void *p, size_t n);

/** wire_put_u16() - overwrite 2 bytes at @off (already written). */
void wire_put_u16(struct wire_writer *w, size_t off, uint16_t v);

/**
 * wire_name_len() - length of an uncompressed, already validated name.
 * @name: [in] uncompressed wire name.
 * Return: bytes including the root label.
 */
size_t wire_name_len(const uint8_t *name);

/** wire_name_lower() - copy @len bytes of @src to @dst, A-Z -> a-z. */
void wire_name_lower(uint8_t *dst, const uint8_t *src, size_t len);

/**
 * wire_name_equal() - case-insensitive comparison of two uncompressed
 * names of lengths @alen and @blen.
 */
bool wire_name_equal(const uint8_t *a, size_t alen, const uint8_t *b,
		     size_t blen);

/**
 * wire_name_is_below() - true when @name equals @apex or lies below it
 * (label-wise, case-insensitive).  Both uncompressed.
 */
bool wire_name_is_below(const uint8_t *name, size_t len, const uint8_t *apex,
			size_t apex_len);

/** wire_name_labels() - number of labels, the root label not counted. */
unsigned wire_name_labels(const uint8_t *name);

/**
 * wire_name_from_text() - convert presentation format ("a.example.com",
 * trailing dot optional, "." for the root) to an uncompressed wire name.
 * Escapes are not supported; a label must be 1..63 bytes of printable
 * ASCII other than '\\'.
 * @text: [in] NUL-terminated.
 * @out:  [out] WIRE_MAX_NAME_LEN bytes.
 * Return: the wire length, or 0 when @text is not a valid name.
 */
size_t wire_name_from_text(const char *text, uint8_t *out);

/**
 * wire_tcp_frame() - find one DNS message in a TCP byte stream
 * (RFC 1035 §4.2.2: a 2-byte network-order length, then the message).
 * @buf:      [in] received bytes not yet consumed.
 * @len:      [in] bytes at @buf.
 * @msg:      [out] offset of the message in @buf (always 2) on success.
 * @msg_len:  [out] length of the message on success.
 * @consumed: [out] bytes to drop from the stream on success.
 *
 * Return: VPC_OK; VPC_EAGAIN when more bytes are needed; VPC_EMALFORMED
 * when the length prefix cannot hold a DNS header (< 12).
 */
int wire_tcp_frame(const uint8_t *buf, size_t len, size_t *msg,
		   size_t *msg_len, size_t *consumed);

#endif /* RESOLVER_DNS_WIRE_H */
