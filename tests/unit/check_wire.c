/*
 * tests/unit/check_wire.c - unit tests of the wire_ reader, writer, names
 * and TCP framing.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Every error path of the bounded reader is exercised on hand-made byte
 * strings: truncation, sticky errors, and each compression rule of
 * RFC 1035 §4.1.4 (backward pointers only, bounded hops, labels <= 63,
 * names <= 255).  The RFC 1035 §4.1.4 example itself is in
 * tests/data/rfc1035_4_1_4_compression.hex.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_util.h"
#include "util/err.h"
#include "dns/wire.h"

/* "\3www\7example\3com\0" */
static const uint8_t www_example_com[] = {3,   'w', 'w', 'w', 7,   'e',
					  'x', 'a', 'm', 'p', 'l', 'e',
					  3,   'c', 'o', 'm', 0};

/* ---- integers ---------------------------------------------------------- */

START_TEST(test_read_ints)
{
	const uint8_t buf[] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde};
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	ck_assert_uint_eq(wire_read_u8(&r), 0x12);
	ck_assert_uint_eq(wire_read_u16(&r), 0x3456);
	ck_assert_uint_eq(wire_read_u32(&r), 0x789abcdeu);
	ck_assert_uint_eq(r.pos, 7);
	ck_assert_int_eq(r.err, VPC_OK);
}
END_TEST

START_TEST(test_read_u8_trunc)
{
	struct wire_reader r;

	wire_reader_init(&r, NULL, 0);
	ck_assert_uint_eq(wire_read_u8(&r), 0);
	ck_assert_int_eq(r.err, VPC_ETRUNC);
	ck_assert_uint_eq(r.pos, 0);
}
END_TEST

START_TEST(test_read_u16_trunc)
{
	const uint8_t buf[] = {0xff};
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	ck_assert_uint_eq(wire_read_u16(&r), 0);
	ck_assert_int_eq(r.err, VPC_ETRUNC);
	ck_assert_uint_eq(r.pos, 0);
}
END_TEST

START_TEST(test_read_u32_trunc)
{
	const uint8_t buf[] = {0xff, 0xff, 0xff, 0xff, 0xff};
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	wire_read_u16(&r);
	ck_assert_uint_eq(wire_read_u32(&r), 0); /* 3 bytes left */
	ck_assert_int_eq(r.err, VPC_ETRUNC);
	ck_assert_uint_eq(r.pos, 2);
}
END_TEST

START_TEST(test_read_sticky)
{
	const uint8_t buf[] = {1, 2, 3};
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	wire_read_u8(&r);
	wire_read_u32(&r); /* fails: 2 bytes left */
	ck_assert_int_eq(r.err, VPC_ETRUNC);
	/* Bytes are there, but once failed every read returns 0. */
	ck_assert_uint_eq(wire_read_u8(&r), 0);
	ck_assert_uint_eq(wire_read_u16(&r), 0);
	wire_skip(&r, 1);
	ck_assert_uint_eq(r.pos, 1);
	ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
	ck_assert_int_eq(r.err, VPC_ETRUNC);
}
END_TEST

START_TEST(test_skip)
{
	const uint8_t buf[4] = {0};
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	wire_skip(&r, 4);
	ck_assert_int_eq(r.err, VPC_OK);
	ck_assert_uint_eq(r.pos, 4);
	wire_skip(&r, 0);
	ck_assert_int_eq(r.err, VPC_OK);
	wire_skip(&r, 1);
	ck_assert_int_eq(r.err, VPC_ETRUNC);
	ck_assert_uint_eq(r.pos, 4);
	/* A huge count must not wrap the bounds check. */
	wire_reader_init(&r, buf, sizeof(buf));
	wire_skip(&r, SIZE_MAX);
	ck_assert_int_eq(r.err, VPC_ETRUNC);
	ck_assert_uint_eq(r.pos, 0);
}
END_TEST

/* ---- names ------------------------------------------------------------- */

START_TEST(test_name_plain)
{
	uint8_t buf[sizeof(www_example_com) + 2], out[WIRE_MAX_NAME_LEN];
	struct wire_reader r;

	memcpy(buf, www_example_com, sizeof(www_example_com));
	buf[sizeof(www_example_com)] = 0xab;
	buf[sizeof(www_example_com) + 1] = 0xcd;
	wire_reader_init(&r, buf, sizeof(buf));
	ck_assert_uint_eq(wire_read_name(&r, out), sizeof(www_example_com));
	ck_assert_mem_eq(out, www_example_com, sizeof(www_example_com));
	ck_assert_uint_eq(r.pos, sizeof(www_example_com));
	ck_assert_uint_eq(wire_read_u16(&r), 0xabcd);
	ck_assert_int_eq(r.err, VPC_OK);
}
END_TEST

START_TEST(test_name_root_and_null_out)
{
	const uint8_t root[] = {0};
	struct wire_reader r;

	wire_reader_init(&r, root, 1);
	ck_assert_uint_eq(wire_read_name(&r, NULL), 1);
	ck_assert_uint_eq(r.pos, 1);
	wire_reader_init(&r, www_example_com, sizeof(www_example_com));
	ck_assert_uint_eq(wire_read_name(&r, NULL), sizeof(www_example_com));
	ck_assert_uint_eq(r.pos, sizeof(www_example_com));
}
END_TEST

START_TEST(test_name_case_kept)
{
	const uint8_t mixed[] = {3, 'W', 'w', 'W', 2, 'E', 'x', 0};
	uint8_t out[WIRE_MAX_NAME_LEN];
	struct wire_reader r;

	wire_reader_init(&r, mixed, sizeof(mixed));
	ck_assert_uint_eq(wire_read_name(&r, out), sizeof(mixed));
	ck_assert_mem_eq(out, mixed, sizeof(mixed));
}
END_TEST

START_TEST(test_name_backward_pointer)
{
	/* example.com at 0, then "www" + pointer to 0 at 13, then "x" +
	 * pointer to the pointer name at 13 (two hops). */
	const uint8_t buf[] = {
	    7, 'e', 'x', 'a', 'm', 'p',	 'l',  'e', 3,	 'c',  'o', 'm',
	    0, 3,   'w', 'w', 'w', 0xc0, 0x00, 1,   'x', 0xc0, 13,  0xee,
	};
	uint8_t out[WIRE_MAX_NAME_LEN];
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	r.pos = 13;
	ck_assert_uint_eq(wire_read_name(&r, out), sizeof(www_example_com));
	ck_assert_mem_eq(out, www_example_com, sizeof(www_example_com));
	/* The cursor stops just after the first pointer. */
	ck_assert_uint_eq(r.pos, 19);
	ck_assert_uint_eq(wire_read_name(&r, out), 2 + sizeof(www_example_com));
	ck_assert_mem_eq(out, "\1x\3www\7example\3com", 19);
	ck_assert_uint_eq(r.pos, 23);
	ck_assert_uint_eq(wire_read_u8(&r), 0xee);
	ck_assert_int_eq(r.err, VPC_OK);
}
END_TEST

START_TEST(test_name_pointer_only)
{
	const uint8_t buf[] = {0, 0xc0, 0x00};
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	r.pos = 1;
	ck_assert_uint_eq(wire_read_name(&r, NULL), 1);
	ck_assert_uint_eq(r.pos, 3);
}
END_TEST

START_TEST(test_name_forward_pointer)
{
	/* RFC 1035 §4.1.4: a pointer refers to a *prior* occurrence. */
	const uint8_t buf[] = {0xc0, 0x02, 0};
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
	ck_assert_int_eq(r.err, VPC_EMALFORMED);
}
END_TEST

START_TEST(test_name_self_pointer)
{
	const uint8_t buf[] = {3, 'w', 'w', 'w', 0xc0, 0x04};
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
	ck_assert_int_eq(r.err, VPC_EMALFORMED);
}
END_TEST

START_TEST(test_name_backward_loop)
{
	/* "a" then a pointer back to "a": backward but endless. */
	const uint8_t buf[] = {1, 'a', 0xc0, 0x00};
	uint8_t out[WIRE_MAX_NAME_LEN];
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	ck_assert_uint_eq(wire_read_name(&r, out), 0);
	ck_assert_int_eq(r.err, VPC_EMALFORMED);
}
END_TEST

START_TEST(test_name_pointer_past_end)
{
	const uint8_t buf[] = {0, 0xc0, 0xff};
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	r.pos = 1;
	ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
	ck_assert_int_eq(r.err, VPC_EMALFORMED);
	/* A 14-bit offset far past the message. */
	{
		const uint8_t far[] = {0, 0xff, 0xff};

		wire_reader_init(&r, far, sizeof(far));
		r.pos = 1;
		ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
		ck_assert_int_eq(r.err, VPC_EMALFORMED);
	}
}
END_TEST

START_TEST(test_name_pointer_truncated)
{
	/* Only the first byte of a pointer. */
	const uint8_t buf[] = {1, 'a', 0xc0};
	struct wire_reader r;

	wire_reader_init(&r, buf, sizeof(buf));
	ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
	ck_assert_int_eq(r.err, VPC_ETRUNC);
}
END_TEST

/* A chain of @hops pointers, each to the one before, ending at a root
 * label at offset 0; the name starts at the returned offset. */
static size_t
pointer_chain(uint8_t *buf, unsigned hops)
{
	size_t pos = 1;

	buf[0] = 0;
	for (unsigned i = 0; i < hops; i++) {
		size_t target = i == 0 ? 0 : pos - 2;

		buf[pos] = (uint8_t)(0xc0u | (target >> 8));
		buf[pos + 1] = (uint8_t)(target & 0xffu);
		pos += 2;
	}
	return pos - 2;
}

START_TEST(test_name_hop_limit)
{
	uint8_t buf[1 + 2 * (WIRE_MAX_POINTER_HOPS + 1)];
	struct wire_reader r;
	size_t start;

	start = pointer_chain(buf, WIRE_MAX_POINTER_HOPS);
	wire_reader_init(&r, buf, start + 2);
	r.pos = start;
	ck_assert_uint_eq(wire_read_name(&r, NULL), 1);
	ck_assert_int_eq(r.err, VPC_OK);
	ck_assert_uint_eq(r.pos, start + 2);

	start = pointer_chain(buf, WIRE_MAX_POINTER_HOPS + 1);
	wire_reader_init(&r, buf, start + 2);
	r.pos = start;
	ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
	ck_assert_int_eq(r.err, VPC_EMALFORMED);
}
END_TEST

START_TEST(test_name_label_63_ok)
{
	uint8_t buf[1 + 63 + 1], out[WIRE_MAX_NAME_LEN];
	struct wire_reader r;

	buf[0] = 63;
	memset(buf + 1, 'a', 63);
	buf[64] = 0;
	wire_reader_init(&r, buf, sizeof(buf));
	ck_assert_uint_eq(wire_read_name(&r, out), 65);
	ck_assert_int_eq(r.err, VPC_OK);
}
END_TEST

START_TEST(test_name_label_types)
{
	/* 0x40 (64, i.e. a label > 63 or the EDNS0 extended label type of
	 * RFC 6891 §5) and 0x80 (reserved) are both malformed. */
	static const uint8_t types[] = {0x40, 0x41, 0x7f, 0x80, 0xbf};

	for (size_t i = 0; i < sizeof(types); i++) {
		uint8_t buf[200];
		struct wire_reader r;

		memset(buf, 'a', sizeof(buf));
		buf[0] = types[i];
		buf[sizeof(buf) - 1] = 0;
		wire_reader_init(&r, buf, sizeof(buf));
		ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
		ck_assert_int_eq(r.err, VPC_EMALFORMED);
	}
}
END_TEST

START_TEST(test_name_255_ok_256_bad)
{
	/* 3 * (1 + 63) + (1 + 62) + 1 = 256; 61 in the last label = 255. */
	uint8_t buf[300], out[WIRE_MAX_NAME_LEN];
	struct wire_reader r;
	size_t pos = 0;

	for (int i = 0; i < 3; i++) {
		buf[pos++] = 63;
		memset(buf + pos, 'a', 63);
		pos += 63;
	}
	buf[pos++] = 61;
	memset(buf + pos, 'b', 61);
	pos += 61;
	buf[pos++] = 0;
	ck_assert_uint_eq(pos, 255);
	wire_reader_init(&r, buf, pos);
	ck_assert_uint_eq(wire_read_name(&r, out), 255);
	ck_assert_int_eq(r.err, VPC_OK);

	buf[192] = 62;
	buf[192 + 62] = 'b';
	buf[192 + 63] = 0;
	wire_reader_init(&r, buf, 256);
	ck_assert_uint_eq(wire_read_name(&r, out), 0);
	ck_assert_int_eq(r.err, VPC_EMALFORMED);
}
END_TEST

START_TEST(test_name_too_long_compressed)
{
	/* 200 bytes of labels, then a name that adds 4 * 16 bytes and points
	 * back to them: each part is short, the whole exceeds 255. */
	uint8_t buf[400], out[WIRE_MAX_NAME_LEN];
	struct wire_reader r;
	size_t pos = 0, start;

	for (int i = 0; i < 4; i++) {
		buf[pos++] = 49;
		memset(buf + pos, 'a', 49);
		pos += 49;
	}
	buf[pos++] = 0; /* 201 bytes */
	start = pos;
	for (int i = 0; i < 4; i++) {
		buf[pos++] = 15;
		memset(buf + pos, 'b', 15);
		pos += 15;
	}
	buf[pos++] = 0xc0;
	buf[pos++] = 0x00;
	wire_reader_init(&r, buf, pos);
	r.pos = start;
	ck_assert_uint_eq(wire_read_name(&r, out), 0);
	ck_assert_int_eq(r.err, VPC_EMALFORMED);
}
END_TEST

START_TEST(test_name_truncated)
{
	const uint8_t no_root[] = {3, 'w', 'w', 'w'};
	const uint8_t short_label[] = {5, 'a', 'b'};
	struct wire_reader r;

	wire_reader_init(&r, no_root, sizeof(no_root));
	ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
	ck_assert_int_eq(r.err, VPC_ETRUNC);
	wire_reader_init(&r, short_label, sizeof(short_label));
	ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
	ck_assert_int_eq(r.err, VPC_ETRUNC);
	wire_reader_init(&r, short_label, 0);
	ck_assert_uint_eq(wire_read_name(&r, NULL), 0);
	ck_assert_int_eq(r.err, VPC_ETRUNC);
}
END_TEST

START_TEST(test_name_rfc1035_example)
{
	/* RFC 1035 §4.1.4: F.ISI.ARPA at 20, FOO.F.ISI.ARPA at 40 (pointer
	 * to 20), ARPA at 64 (pointer to 26) and the root at 92. */
	uint8_t buf[128], out[WIRE_MAX_NAME_LEN];
	size_t len =
	    tu_load_hex("rfc1035_4_1_4_compression.hex", buf, sizeof(buf));
	struct wire_reader r;

	ck_assert_uint_eq(len, 93);
	wire_reader_init(&r, buf, len);
	r.pos = 20;
	ck_assert_uint_eq(wire_read_name(&r, out), 12);
	ck_assert(tu_name_is(out, 12, "F.ISI.ARPA"));
	r.pos = 40;
	ck_assert_uint_eq(wire_read_name(&r, out), 16);
	ck_assert(tu_name_is(out, 16, "FOO.F.ISI.ARPA"));
	ck_assert_uint_eq(r.pos, 46);
	r.pos = 64;
	ck_assert_uint_eq(wire_read_name(&r, out), 6);
	ck_assert(tu_name_is(out, 6, "ARPA"));
	ck_assert_uint_eq(r.pos, 66);
	r.pos = 92;
	ck_assert_uint_eq(wire_read_name(&r, out), 1);
	ck_assert_int_eq(r.err, VPC_OK);
}
END_TEST

/* ---- writer ------------------------------------------------------------ */

START_TEST(test_write_ints)
{
	const uint8_t want[] = {0x12, 0x34, 0x56, 0x78, 0x9a,
				0xbc, 0xde, 'x',  'y'};
	uint8_t buf[16];
	struct wire_writer w;

	wire_writer_init(&w, buf, sizeof(buf));
	wire_write_u8(&w, 0x12);
	wire_write_u16(&w, 0x3456);
	wire_write_u32(&w, 0x789abcdeu);
	wire_write_bytes(&w, "xy", 2);
	wire_write_bytes(&w, NULL, 0);
	ck_assert_int_eq(w.err, VPC_OK);
	ck_assert_uint_eq(w.len, sizeof(want));
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

START_TEST(test_write_espace_sticky)
{
	uint8_t buf[8];
	struct wire_writer w;

	memset(buf, 0xaa, sizeof(buf));
	wire_writer_init(&w, buf, 5);
	wire_write_u32(&w, 1);
	wire_write_u16(&w, 0xffff); /* 1 byte left */
	ck_assert_int_eq(w.err, VPC_ESPACE);
	ck_assert_uint_eq(w.len, 4);
	ck_assert_uint_eq(buf[4], 0xaa);
	/* A later write that would fit does nothing. */
	wire_write_u8(&w, 0x55);
	wire_write_bytes(&w, "z", 1);
	ck_assert_int_eq(w.err, VPC_ESPACE);
	ck_assert_uint_eq(w.len, 4);
	ck_assert_uint_eq(buf[4], 0xaa);
}
END_TEST

START_TEST(test_write_espace_each)
{
	uint8_t buf[4];
	struct wire_writer w;

	wire_writer_init(&w, buf, 0);
	wire_write_u8(&w, 1);
	ck_assert_int_eq(w.err, VPC_ESPACE);
	wire_writer_init(&w, buf, 3);
	wire_write_u32(&w, 1);
	ck_assert_int_eq(w.err, VPC_ESPACE);
	ck_assert_uint_eq(w.len, 0);
	wire_writer_init(&w, buf, 3);
	wire_write_bytes(&w, "abcd", 4);
	ck_assert_int_eq(w.err, VPC_ESPACE);
	ck_assert_uint_eq(w.len, 0);
	wire_writer_init(&w, buf, 4);
	wire_write_bytes(&w, "abcd", 4);
	ck_assert_int_eq(w.err, VPC_OK);
	ck_assert_uint_eq(w.len, 4);
}
END_TEST

START_TEST(test_put_u16)
{
	uint8_t buf[4] = {0};
	struct wire_writer w;

	wire_writer_init(&w, buf, sizeof(buf));
	wire_write_u16(&w, 0);
	wire_write_u8(&w, 0);
	wire_put_u16(&w, 0, 0xbeef);
	ck_assert_uint_eq(buf[0], 0xbe);
	ck_assert_uint_eq(buf[1], 0xef);
	/* Only bytes already written may be overwritten. */
	wire_put_u16(&w, 2, 0x1234);
	ck_assert_uint_eq(buf[2], 0);
	ck_assert_uint_eq(buf[3], 0);
	ck_assert_uint_eq(w.len, 3);
	ck_assert_int_eq(w.err, VPC_OK);
}
END_TEST

/* ---- names from text, comparisons -------------------------------------- */

START_TEST(test_from_text)
{
	uint8_t out[WIRE_MAX_NAME_LEN];

	ck_assert_uint_eq(wire_name_from_text("www.example.com", out),
			  sizeof(www_example_com));
	ck_assert_mem_eq(out, www_example_com, sizeof(www_example_com));
	ck_assert_uint_eq(wire_name_from_text("www.example.com.", out),
			  sizeof(www_example_com));
	ck_assert_mem_eq(out, www_example_com, sizeof(www_example_com));
	ck_assert_uint_eq(wire_name_from_text(".", out), 1);
	ck_assert_uint_eq(out[0], 0);
	ck_assert_uint_eq(wire_name_from_text("WwW.Ex", out), 8);
	ck_assert_mem_eq(out, "\3WwW\2Ex", 8);
	ck_assert_uint_eq(wire_name_from_text("*.a-b_c", out), 9);
	ck_assert_mem_eq(out, "\1*\5a-b_c", 9);
}
END_TEST

START_TEST(test_from_text_invalid)
{
	static const char *const bad[] = {
	    "",	     "..",	  "a..b",  ".a",	  "a b",
	    "a\\.b", "tab\there", "x\x7f", "caf\xc3\xa9",
	};
	uint8_t out[WIRE_MAX_NAME_LEN];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(wire_name_from_text(bad[i], out) == 0,
			      "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_from_text_limits)
{
	char text[400];
	uint8_t out[WIRE_MAX_NAME_LEN];
	size_t pos = 0;

	/* One label of 63 is fine, 64 is not. */
	memset(text, 'a', 64);
	text[63] = '\0';
	ck_assert_uint_eq(wire_name_from_text(text, out), 65);
	text[63] = 'a';
	text[64] = '\0';
	ck_assert_uint_eq(wire_name_from_text(text, out), 0);

	/* 63.63.63.61 is 255 octets in wire form, 63.63.63.62 is 256. */
	for (int i = 0; i < 3; i++) {
		memset(text + pos, 'a', 63);
		pos += 63;
		text[pos++] = '.';
	}
	memset(text + pos, 'b', 61);
	text[pos + 61] = '\0';
	ck_assert_uint_eq(wire_name_from_text(text, out), 255);
	text[pos + 61] = 'b';
	text[pos + 62] = '\0';
	ck_assert_uint_eq(wire_name_from_text(text, out), 0);
}
END_TEST

START_TEST(test_name_equal)
{
	const uint8_t a[] = "\3WWW\7Example\3COM";
	const uint8_t b[] = "\3www\7example\3com";
	const uint8_t c[] = "\3www\7example\3org";
	/* '@' (0x40) and '`' (0x60) differ by the case bit but are not
	 * letters; likewise '[' and '{'. */
	const uint8_t at[] = "\1@", grave[] = "\1`";
	const uint8_t lb[] = "\1[", lc[] = "\1{";

	ck_assert(wire_name_equal(a, sizeof(a), b, sizeof(b)));
	ck_assert(!wire_name_equal(b, sizeof(b), c, sizeof(c)));
	ck_assert(!wire_name_equal(b, sizeof(b), b, sizeof(b) - 4));
	ck_assert(!wire_name_equal(at, sizeof(at), grave, sizeof(grave)));
	ck_assert(!wire_name_equal(lb, sizeof(lb), lc, sizeof(lc)));
	ck_assert(
	    wire_name_equal((const uint8_t *)"", 1, (const uint8_t *)"", 1));
}
END_TEST

START_TEST(test_name_lower_len_labels)
{
	const uint8_t mixed[] = "\3WwW\2@Z\1[";
	uint8_t out[sizeof(mixed)];

	wire_name_lower(out, mixed, sizeof(mixed));
	ck_assert_mem_eq(out, "\3www\2@z\1[", sizeof(mixed));
	ck_assert_uint_eq(wire_name_len(www_example_com),
			  sizeof(www_example_com));
	ck_assert_uint_eq(wire_name_len((const uint8_t *)""), 1);
	ck_assert_uint_eq(wire_name_labels(www_example_com), 3);
	ck_assert_uint_eq(wire_name_labels((const uint8_t *)""), 0);
}
END_TEST

START_TEST(test_is_below)
{
	uint8_t n[WIRE_MAX_NAME_LEN], a[WIRE_MAX_NAME_LEN];
	size_t nl, al;

	nl = tu_name("www.Example.COM", n);
	al = tu_name("example.com", a);
	ck_assert(wire_name_is_below(n, nl, a, al));
	ck_assert(wire_name_is_below(a, al, a, al));
	ck_assert(wire_name_is_below(n + 4, nl - 4, a, al));
	/* Label boundaries count: xexample.com is not below example.com. */
	nl = tu_name("xexample.com", n);
	ck_assert(!wire_name_is_below(n, nl, a, al));
	nl = tu_name("www.example.org", n);
	ck_assert(!wire_name_is_below(n, nl, a, al));
	nl = tu_name("com", n);
	ck_assert(!wire_name_is_below(n, nl, a, al));
	/* Everything is below the root. */
	al = tu_name(".", a);
	nl = tu_name("a.b.c", n);
	ck_assert(wire_name_is_below(n, nl, a, al));
	ck_assert(wire_name_is_below(a, al, a, al));
	/* A label that looks like the apex' bytes inside another label. */
	nl = tu_name("a.b.example.com", n);
	al = tu_name("b.example.com", a);
	ck_assert(wire_name_is_below(n, nl, a, al));
	al = tu_name("example.com.b", a);
	ck_assert(!wire_name_is_below(n, nl, a, al));
}
END_TEST

/* ---- TCP framing ------------------------------------------------------- */

START_TEST(test_tcp_need_more)
{
	uint8_t buf[20] = {0, 12};
	size_t msg = 99, msg_len = 99, consumed = 99;

	ck_assert_int_eq(wire_tcp_frame(buf, 0, &msg, &msg_len, &consumed),
			 VPC_EAGAIN);
	ck_assert_int_eq(wire_tcp_frame(buf, 1, &msg, &msg_len, &consumed),
			 VPC_EAGAIN);
	ck_assert_int_eq(wire_tcp_frame(buf, 2, &msg, &msg_len, &consumed),
			 VPC_EAGAIN);
	ck_assert_int_eq(wire_tcp_frame(buf, 13, &msg, &msg_len, &consumed),
			 VPC_EAGAIN);
	/* Out-parameters are written only on success. */
	ck_assert_uint_eq(msg, 99);
	ck_assert_uint_eq(msg_len, 99);
	ck_assert_uint_eq(consumed, 99);
	ck_assert_int_eq(wire_tcp_frame(buf, 14, &msg, &msg_len, &consumed),
			 VPC_OK);
	ck_assert_uint_eq(msg, 2);
	ck_assert_uint_eq(msg_len, 12);
	ck_assert_uint_eq(consumed, 14);
}
END_TEST

START_TEST(test_tcp_malformed)
{
	uint8_t buf[20] = {0};
	size_t msg, msg_len, consumed;

	for (unsigned n = 0; n < WIRE_HEADER_LEN; n++) {
		buf[1] = (uint8_t)n;
		ck_assert_int_eq(
		    wire_tcp_frame(buf, sizeof(buf), &msg, &msg_len, &consumed),
		    VPC_EMALFORMED);
		/* Even before the message itself arrived. */
		ck_assert_int_eq(
		    wire_tcp_frame(buf, 2, &msg, &msg_len, &consumed),
		    VPC_EMALFORMED);
	}
}
END_TEST

START_TEST(test_tcp_two_frames)
{
	/* A 12-byte and a 14-byte message back to back, then one byte of a
	 * third length prefix. */
	uint8_t buf[2 + 12 + 2 + 14 + 1];
	size_t msg, msg_len, consumed, off = 0;

	memset(buf, 0x11, sizeof(buf));
	buf[0] = 0;
	buf[1] = 12;
	buf[14] = 0;
	buf[15] = 14;
	buf[30] = 0;
	ck_assert_int_eq(
	    wire_tcp_frame(buf, sizeof(buf), &msg, &msg_len, &consumed),
	    VPC_OK);
	ck_assert_uint_eq(msg, 2);
	ck_assert_uint_eq(msg_len, 12);
	ck_assert_uint_eq(consumed, 14);
	off += consumed;
	ck_assert_int_eq(wire_tcp_frame(buf + off, sizeof(buf) - off, &msg,
					&msg_len, &consumed),
			 VPC_OK);
	ck_assert_uint_eq(msg, 2);
	ck_assert_uint_eq(msg_len, 14);
	ck_assert_uint_eq(consumed, 16);
	off += consumed;
	ck_assert_uint_eq(off, 30);
	ck_assert_int_eq(wire_tcp_frame(buf + off, sizeof(buf) - off, &msg,
					&msg_len, &consumed),
			 VPC_EAGAIN);
}
END_TEST

START_TEST(test_tcp_large)
{
	static uint8_t buf[2 + 65535];
	size_t msg, msg_len, consumed;

	buf[0] = 0xff;
	buf[1] = 0xff;
	ck_assert_int_eq(
	    wire_tcp_frame(buf, sizeof(buf) - 1, &msg, &msg_len, &consumed),
	    VPC_EAGAIN);
	ck_assert_int_eq(
	    wire_tcp_frame(buf, sizeof(buf), &msg, &msg_len, &consumed),
	    VPC_OK);
	ck_assert_uint_eq(msg_len, 65535);
	ck_assert_uint_eq(consumed, sizeof(buf));
}
END_TEST

/* ---- fixed-place fields, stored RDATAs, SOA MINIMUM ----------------------- */

START_TEST(test_get_ints)
{
	static const uint8_t b[] = {0x12, 0x34, 0x56, 0x78, 0xff, 0xfe};

	ck_assert_uint_eq(wire_get_u16(b), 0x1234);
	ck_assert_uint_eq(wire_get_u16(b + 4), 0xfffe);
	ck_assert_uint_eq(wire_get_u32(b), 0x12345678u);
	ck_assert_uint_eq(wire_get_u32(b + 2), 0x5678fffeu);
}
END_TEST

START_TEST(test_rdata_iter)
{
	/* Three RDATAs: 2 bytes, none, 3 bytes. */
	static const uint8_t b[] = {0, 2, 'a', 'b', 0, 0, 0, 3, 'c', 'd', 'e'};
	struct wire_rdata_iter it;
	const uint8_t *rd;
	uint16_t len;

	wire_rdata_begin(&it, b, sizeof(b));
	ck_assert(wire_rdata_next(&it, &rd, &len));
	ck_assert_uint_eq(len, 2);
	ck_assert_ptr_eq(rd, b + 2);
	ck_assert(wire_rdata_next(&it, &rd, &len));
	ck_assert_uint_eq(len, 0);
	ck_assert(wire_rdata_next(&it, &rd, &len));
	ck_assert_uint_eq(len, 3);
	ck_assert_mem_eq(rd, "cde", 3);
	ck_assert(!wire_rdata_next(&it, &rd, &len));
	ck_assert(!wire_rdata_next(&it, &rd, &len));
	/* A length that runs past the end stops the walk. */
	wire_rdata_begin(&it, b, 3);
	ck_assert(!wire_rdata_next(&it, &rd, &len));
	wire_rdata_begin(&it, b, 1);
	ck_assert(!wire_rdata_next(&it, &rd, &len));
	wire_rdata_begin(&it, NULL, 0);
	ck_assert(!wire_rdata_next(&it, &rd, &len));
}
END_TEST

START_TEST(test_soa_minimum)
{
	uint8_t rd[128];
	uint16_t len = tu_rdata_soa("ns1.example.com", "h.example.com", 7,
				    3600, rd);

	ck_assert_uint_eq(wire_soa_minimum(rd, len), 3600);
	ck_assert_uint_eq(wire_soa_minimum(rd, 3), 0);
}
END_TEST

static Suite *
wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc;

	tc = tcase_create("reader_ints");
	tcase_add_test(tc, test_read_ints);
	tcase_add_test(tc, test_read_u8_trunc);
	tcase_add_test(tc, test_read_u16_trunc);
	tcase_add_test(tc, test_read_u32_trunc);
	tcase_add_test(tc, test_read_sticky);
	tcase_add_test(tc, test_skip);
	suite_add_tcase(s, tc);

	tc = tcase_create("read_name");
	tcase_add_test(tc, test_name_plain);
	tcase_add_test(tc, test_name_root_and_null_out);
	tcase_add_test(tc, test_name_case_kept);
	tcase_add_test(tc, test_name_backward_pointer);
	tcase_add_test(tc, test_name_pointer_only);
	tcase_add_test(tc, test_name_forward_pointer);
	tcase_add_test(tc, test_name_self_pointer);
	tcase_add_test(tc, test_name_backward_loop);
	tcase_add_test(tc, test_name_pointer_past_end);
	tcase_add_test(tc, test_name_pointer_truncated);
	tcase_add_test(tc, test_name_hop_limit);
	tcase_add_test(tc, test_name_label_63_ok);
	tcase_add_test(tc, test_name_label_types);
	tcase_add_test(tc, test_name_255_ok_256_bad);
	tcase_add_test(tc, test_name_too_long_compressed);
	tcase_add_test(tc, test_name_truncated);
	tcase_add_test(tc, test_name_rfc1035_example);
	suite_add_tcase(s, tc);

	tc = tcase_create("writer");
	tcase_add_test(tc, test_write_ints);
	tcase_add_test(tc, test_write_espace_sticky);
	tcase_add_test(tc, test_write_espace_each);
	tcase_add_test(tc, test_put_u16);
	suite_add_tcase(s, tc);

	tc = tcase_create("fields");
	tcase_add_test(tc, test_get_ints);
	tcase_add_test(tc, test_rdata_iter);
	tcase_add_test(tc, test_soa_minimum);
	suite_add_tcase(s, tc);

	tc = tcase_create("name_from_text");
	tcase_add_test(tc, test_from_text);
	tcase_add_test(tc, test_from_text_invalid);
	tcase_add_test(tc, test_from_text_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("name_compare");
	tcase_add_test(tc, test_name_equal);
	tcase_add_test(tc, test_name_lower_len_labels);
	tcase_add_test(tc, test_is_below);
	suite_add_tcase(s, tc);

	tc = tcase_create("tcp_frame");
	tcase_add_test(tc, test_tcp_need_more);
	tcase_add_test(tc, test_tcp_malformed);
	tcase_add_test(tc, test_tcp_two_frames);
	tcase_add_test(tc, test_tcp_large);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(wire_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
