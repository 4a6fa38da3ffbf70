/*
 * tests/replay/msgtext.c - DNS messages to text and back for the replay
 * driver, and the line diff of its failure reports.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Responses are read with ldns (ldns_wire2rr), not with the core's wire_
 * reader, so that the driver does not check the core with the core's own
 * parser; RRs are printed by ldns_rr2str() and squeezed to single spaces,
 * and expected RRs go through the same ldns parse and print, so both sides
 * of a comparison have one spelling.  Owner names keep their case.
 */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "dns/wire.h"
#include "replay.h"

void
rp_lines_add(struct rp_lines *l, const char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (l->v == NULL)
			abort(); /* a test driver: out of memory ends it */
	}
	if ((l->v[l->n++] = strdup(s)) == NULL)
		abort();
}

void
rp_lines_addf(struct rp_lines *l, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rp_lines_add(l, buf);
}

void
rp_lines_free(struct rp_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
rp_u16(struct rp_msg *m, unsigned v)
{
	if (m->len + 2 > sizeof(m->b))
		return;
	m->b[m->len++] = (uint8_t)(v >> 8 & 0xffu);
	m->b[m->len++] = (uint8_t)(v & 0xffu);
}

static const char *const rcode_names[] = {
    "NOERROR",	"FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",  "REFUSED",
    "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE",
};

int
rp_rcode_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(rcode_names) / sizeof(*rcode_names); i++)
		if (strcasecmp(name, rcode_names[i]) == 0)
			return (int)i;
	if (strcasecmp(name, "BADVERS") == 0)
		return WIRE_RCODE_BADVERS;
	if (strncasecmp(name, "RCODE", 5) == 0 &&
	    isdigit((unsigned char)name[5]))
		return atoi(name + 5);
	return -1;
}

const char *
rp_rcode_name(unsigned rcode, char *buf, size_t cap)
{
	if (rcode < sizeof(rcode_names) / sizeof(*rcode_names))
		return rcode_names[rcode];
	if (rcode == WIRE_RCODE_BADVERS)
		return "BADVERS";
	snprintf(buf, cap, "RCODE%u", rcode);
	return buf;
}

static const struct {
	const char *name;
	uint16_t bit;
} flag_names[] = {
    {"qr", WIRE_FLAG_QR}, {"aa", WIRE_FLAG_AA}, {"tc", WIRE_FLAG_TC},
    {"rd", WIRE_FLAG_RD}, {"ra", WIRE_FLAG_RA}, {"ad", WIRE_FLAG_AD},
    {"cd", WIRE_FLAG_CD},
};

uint16_t
rp_flag_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(*flag_names); i++)
		if (strcmp(name, flag_names[i].name) == 0)
			return flag_names[i].bit;
	return 0;
}

uint16_t
rp_type_by_name(const char *name)
{
	return (uint16_t)ldns_get_rr_type_by_name(name);
}

const char *
rp_type_name(uint16_t type, char *buf, size_t cap)
{
	char *s = ldns_rr_type2str((ldns_rr_type)type);

	snprintf(buf, cap, "%s", s != NULL ? s : "?");
	free(s);
	return buf;
}

size_t
rp_name_to_wire(const char *text, uint8_t *out)
{
	return wire_name_from_text(text, out);
}

/* Tabs and runs of spaces to one space; no trailing new line. */
static void
squeeze(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	bool space = false;

	for (; *in != '\0' && n + 1 < cap; in++) {
		if (isspace((unsigned char)*in)) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < cap)
			out[n++] = ' ';
		space = false;
		out[n++] = *in;
	}
	out[n] = '\0';
}

static void
rr_text(const ldns_rr *rr, char *out, size_t cap)
{
	char *s = ldns_rr2str(rr);

	squeeze(s != NULL ? s : "(ldns cannot print it)", out, cap);
	free(s);
}

bool
rp_rr_canon(const char *text, char *out, size_t cap, char *err, size_t errcap)
{
	ldns_rr *rr = NULL;
	ldns_status st = ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL);

	if (st != LDNS_STATUS_OK) {
		snprintf(err, errcap, "%s", ldns_get_errorstr_by_id(st));
		return false;
	}
	rr_text(rr, out, cap);
	ldns_rr_free(rr);
	return true;
}

bool
rp_rr_append(struct rp_msg *m, const char *text)
{
	ldns_rr *rr = NULL;
	uint8_t *wire = NULL;
	size_t len = 0;
	bool ok = false;

	if (ldns_rr_new_frm_str(&rr, text, 0, NULL, NULL) != LDNS_STATUS_OK)
		return false;
	if (ldns_rr2wire(&wire, rr, LDNS_SECTION_ANSWER, &len) ==
		LDNS_STATUS_OK &&
	    m->len + len <= sizeof(m->b)) {
		memcpy(m->b + m->len, wire, len);
		m->len += len;
		ok = true;
	}
	free(wire);
	ldns_rr_free(rr);
	return ok;
}

static void
render_hex(const uint8_t *buf, size_t len, struct rp_lines *out)
{
	char line[3 * 16 + 1];

	for (size_t i = 0; i < len; i += 16) {
		size_t n = 0;

		for (size_t j = i; j < len && j < i + 16; j++)
			n += (size_t)snprintf(line + n, sizeof(line) - n,
					      "%02x ", buf[j]);
		rp_lines_add(out, line);
	}
}

/* The header line; @opt_ttl / @opt_class are those of the OPT RR. */
void
rp_header_line(unsigned rcode, uint16_t flags, bool opt, unsigned payload,
	       unsigned version, bool do_bit, char *line, size_t cap)
{
	char rb[16];
	size_t n;

	n = (size_t)snprintf(line, cap, "%s",
			     rp_rcode_name(rcode, rb, sizeof(rb)));
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(*flag_names); i++)
		if ((flags & flag_names[i].bit) && n < cap)
			n += (size_t)snprintf(line + n, cap - n, " %s",
					      flag_names[i].name);
	if (opt && n < cap)
		n += (size_t)snprintf(line + n, cap - n, " edns %u", payload);
	if (opt && version != 0 && n < cap)
		n +=
		    (size_t)snprintf(line + n, cap - n, " version %u", version);
	if (opt && do_bit && n < cap)
		snprintf(line + n, cap - n, " do");
}

static unsigned
get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Reads the question and the three sections into @v; NULL or why not. */
static const char *
read_sections(const uint8_t *buf, size_t len, struct rp_view *v,
	      uint16_t *opt_class, uint32_t *opt_ttl, bool *opt)
{
	static const char *const names[] = {"answer", "authority",
					    "additional"};
	unsigned qd = get16(buf + 4);
	size_t pos = WIRE_HEADER_LEN;
	char text[8192];

	for (unsigned i = 0; i < qd; i++) {
		ldns_rr *rr = NULL;
		ldns_status st =
		    ldns_wire2rr(&rr, buf, len, &pos, LDNS_SECTION_QUESTION);

		ldns_rr_free(rr);
		if (st != LDNS_STATUS_OK)
			return "question";
	}
	for (int s = 0; s < 3; s++) {
		for (unsigned i = 0; i < get16(buf + 6 + 2 * s); i++) {
			ldns_rr *rr = NULL;

			if (ldns_wire2rr(
				&rr, buf, len, &pos,
				(ldns_pkt_section)(LDNS_SECTION_ANSWER + s)) !=
			    LDNS_STATUS_OK)
				return names[s];
			if (s == 2 &&
			    ldns_rr_get_type(rr) == LDNS_RR_TYPE_OPT) {
				*opt = true;
				*opt_class = (uint16_t)ldns_rr_get_class(rr);
				*opt_ttl = ldns_rr_ttl(rr);
			} else {
				rr_text(rr, text, sizeof(text));
				rp_lines_add(&v->sec[s], text);
			}
			ldns_rr_free(rr);
		}
	}
	return pos == len ? NULL : "bytes after the last record";
}

void
rp_render(const uint8_t *buf, size_t len, struct rp_view *v)
{
	uint16_t opt_class = 0, flags;
	uint32_t opt_ttl = 0;
	bool opt = false;
	const char *why = "no header";

	memset(v, 0, sizeof(*v));
	if (len >= WIRE_HEADER_LEN &&
	    (why = read_sections(buf, len, v, &opt_class, &opt_ttl, &opt)) ==
		NULL) {
		flags = (uint16_t)get16(buf + 2);
		v->ok = true;
		v->tc = (flags & WIRE_FLAG_TC) != 0;
		rp_header_line((unsigned)WIRE_RCODE(flags) |
				   (opt ? (opt_ttl >> 24) << 4 : 0),
			       flags & (uint16_t)~0x780fu, opt, opt_class,
			       opt_ttl >> 16 & 0xffu, (opt_ttl & 0x8000u) != 0,
			       v->header, sizeof(v->header));
		return;
	}
	for (int s = 0; s < 3; s++)
		rp_lines_free(&v->sec[s]);
	snprintf(v->header, sizeof(v->header), "unparsable (%s): %zu bytes",
		 why, len);
	render_hex(buf, len, &v->sec[0]);
}

void
rp_view_free(struct rp_view *v)
{
	for (int s = 0; s < 3; s++)
		rp_lines_free(&v->sec[s]);
}

long
rp_hex(const char *text, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *text != '\0'; text++) {
		int v;

		if (isspace((unsigned char)*text))
			continue;
		if (!isxdigit((unsigned char)*text))
			return -1;
		v = isdigit((unsigned char)*text)
			? *text - '0'
			: tolower((unsigned char)*text) - 'a' + 10;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (long)n : -1;
}

void
rp_diff(const struct rp_lines *want, const struct rp_lines *got)
{
	size_t n = want->n, m = got->n, i = 0, j = 0;
	size_t *lcs = calloc((n + 1) * (m + 1), sizeof(*lcs));

	if (lcs == NULL)
		abort();
#define L(a, b) lcs[(a) * (m + 1) + (b)]
	for (size_t a = n; a-- > 0;)
		for (size_t b = m; b-- > 0;)
			L(a, b) = strcmp(want->v[a], got->v[b]) == 0
				      ? L(a + 1, b + 1) + 1
				  : L(a + 1, b) >= L(a, b + 1) ? L(a + 1, b)
							       : L(a, b + 1);
	printf("    --- expected\n    +++ got\n");
	while (i < n || j < m) {
		if (i < n && j < m && strcmp(want->v[i], got->v[j]) == 0) {
			printf("     %s\n", want->v[i]);
			i++;
			j++;
		} else if (i < n && (j == m || L(i + 1, j) >= L(i, j + 1))) {
			printf("    -%s\n", want->v[i++]);
		} else {
			printf("    +%s\n", got->v[j++]);
		}
	}
#undef L
	free(lcs);
}
