/*
 * tests/replay/replay.h - the replay driver's shared declarations.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The driver (replay.c) runs a scenario file (format: README.md) against
 * the real core: a data set built from a real configuration and zone
 * files, answer_query()/answer_upstream(), the cache and the rate
 * limiters, on a virtual clock, with no sockets and no sleeps.  wire.c
 * holds what turns text into DNS messages and messages back into text
 * (ldns, the core's own dependency, independent of the core's parser) and
 * the line diff printed on a mismatch.  Everything is single-threaded;
 * strings returned in struct rp_lines are owned by it.
 */
#ifndef TESTS_REPLAY_REPLAY_H
#define TESTS_REPLAY_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable list of text lines. */
struct rp_lines {
	char **v; /* owned strings */
	size_t n;
	size_t cap;
};

void rp_lines_add(struct rp_lines *l, const char *s);
void rp_lines_addf(struct rp_lines *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void rp_lines_free(struct rp_lines *l);

/* A message under construction (network order). */
struct rp_msg {
	uint8_t b[65535];
	size_t len;
};

void rp_u16(struct rp_msg *m, unsigned v);

/*
 * rp_rcode_by_name() / rp_rcode_name(): "NOERROR" .. "BADVERS" and back;
 * "RCODE<n>" for an unnamed one.  by_name returns -1 when unknown.
 */
int rp_rcode_by_name(const char *name);
const char *rp_rcode_name(unsigned rcode, char *buf, size_t cap);

/* Header flag bit (wire.h WIRE_FLAG_*) of "qr", "aa", ... or 0. */
uint16_t rp_flag_by_name(const char *name);

/* RR type of a mnemonic ("A", "TYPE65"), 0 when unknown. */
uint16_t rp_type_by_name(const char *name);

/* Mnemonic of an RR type ("A", "TYPE65") in @buf. */
const char *rp_type_name(uint16_t type, char *buf, size_t cap);

/* Presentation name to wire (case kept); 0 when invalid. */
size_t rp_name_to_wire(const char *text, uint8_t *out);

/*
 * rp_rr_canon() - one RR in presentation format to the driver's canonical
 * text (ldns's rendering, single spaces); false with @err set when ldns
 * does not parse it.
 */
bool rp_rr_canon(const char *text, char *out, size_t cap, char *err,
		 size_t errcap);

/*
 * rp_rr_append() - append the RR in presentation format @text to @m in
 * wire format (uncompressed); false when it does not parse or fit.
 */
bool rp_rr_append(struct rp_msg *m, const char *text);

/* A response read back: its header line and RRs per section. */
struct rp_view {
	bool ok;		/* it parsed */
	bool tc;		/* TC was set */
	char header[256];	/* "RCODE flags... [edns PAYLOAD
				   [version N] [do]]", or why unparsable */
	struct rp_lines sec[3]; /* canonical RRs of answer, authority,
				   additional (OPT excluded); sec[0] holds
				   a hex dump when !ok */
};

/*
 * rp_header_line() - the canonical header line of a response with
 * @rcode (extended included), header @flags (opcode and RCODE bits
 * ignored) and, when @opt, an OPT RR of @payload, @version and DO bit.
 */
void rp_header_line(unsigned rcode, uint16_t flags, bool opt, unsigned payload,
		    unsigned version, bool do_bit, char *line, size_t cap);

/* rp_render() - read a response with ldns; release with rp_view_free(). */
void rp_render(const uint8_t *buf, size_t len, struct rp_view *v);
void rp_view_free(struct rp_view *v);

/* rp_hex() - hex text (white space allowed) to bytes; -1 when malformed. */
long rp_hex(const char *text, uint8_t *out, size_t cap);

/*
 * rp_diff() - print "-expected" / "+got" / " common" lines of the
 * longest-common-subsequence diff of @want and @got, each indented.
 */
void rp_diff(const struct rp_lines *want, const struct rp_lines *got);

#endif /* TESTS_REPLAY_REPLAY_H */
