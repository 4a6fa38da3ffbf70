/*
 * resolver/engine/qlog.c - Route 53 Resolver query log lines (SPEC 1.8).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Formats one JSON line from a query, its response and the client's
 * address.  Both messages are read with the bounded wire_ reader; RDATA is
 * turned into text by ldns (ldns_wire2rr() and ldns_rdf2buffer_str()), with
 * the RFC 3597 generic form when ldns cannot parse it.  The line is built
 * by a small JSON writer with a sticky VPC_ESPACE, like wire_writer; the
 * same writer with no buffer only counts, which lets the answers be cut
 * so that the fields after them always fit.  Pure: no I/O, no clock.
 */
#include "config.h"

#include "engine/qlog.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <ldns/ldns.h>

#include "conf/conf.h"
#include "util/err.h"
#include "util/log.h"
#include "dns/wire.h"

#define QLOG_DEFAULT_ACCOUNT "000000000000"

/* A JSON writer; with buf NULL it only counts. */
struct jw {
	char *buf;  /* output, or NULL to measure */
	size_t cap; /* bytes at buf */
	size_t len; /* bytes written (or counted) */
	int err;    /* VPC_OK, or VPC_ESPACE once a write did not fit */
};

static void
jw_raw(struct jw *w, const char *s, size_t n)
{
	if (w->err != VPC_OK)
		return;
	if (w->buf != NULL) {
		if (w->cap - w->len < n) {
			w->err = VPC_ESPACE;
			return;
		}
		memcpy(w->buf + w->len, s, n);
	}
	w->len += n;
}

static void
jw_lit(struct jw *w, const char *s)
{
	jw_raw(w, s, strlen(s));
}

/*
 * A JSON string (RFC 8259 §7) of @n bytes.  Control characters, DEL and
 * bytes above 0x7f are written \u00XX, so the line is plain ASCII whatever
 * the input.
 */
static void
jw_str(struct jw *w, const char *s, size_t n)
{
	size_t run = 0;

	jw_raw(w, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			continue;
		jw_raw(w, s + run, i - run);
		run = i + 1;
		if (c == '"' || c == '\\')
			snprintf(esc, sizeof(esc), "\\%c", c);
		else
			snprintf(esc, sizeof(esc), "\\u%04x", c);
		jw_lit(w, esc);
	}
	jw_raw(w, s + run, n - run);
	jw_raw(w, "\"", 1);
}

/* ,"key":"value" (or without the comma for the first field). */
static void
jw_field(struct jw *w, const char *key, const char *value, bool first)
{
	if (!first)
		jw_raw(w, ",", 1);
	jw_str(w, key, strlen(key));
	jw_raw(w, ":", 1);
	jw_str(w, value, strlen(value));
}

/* ---- mnemonics ---------------------------------------------------------- */

const char *
qlog_type_name(uint16_t type, char *out)
{
	const ldns_rr_descriptor *d;

	/* Meta types (RFC 1035 §3.2.3, RFC 1995) ldns keeps no descriptor
	 * for. */
	switch (type) {
	case WIRE_TYPE_IXFR:
		return strcpy(out, "IXFR");
	case WIRE_TYPE_AXFR:
		return strcpy(out, "AXFR");
	case WIRE_TYPE_MAILB:
		return strcpy(out, "MAILB");
	case WIRE_TYPE_MAILA:
		return strcpy(out, "MAILA");
	case WIRE_TYPE_ANY:
		return strcpy(out, "ANY");
	}
	d = ldns_rr_descript(type);
	if (d != NULL && (unsigned)d->_type == type && d->_name != NULL &&
	    strlen(d->_name) < 16)
		return strcpy(out, d->_name);
	/* RFC 3597 §5. */
	snprintf(out, 16, "TYPE%u", (unsigned)type);
	return out;
}

const char *
qlog_class_name(uint16_t rclass, char *out)
{
	switch (rclass) {
	case 1:
		return strcpy(out, "IN");
	case 3:
		return strcpy(out, "CH");
	case 4:
		return strcpy(out, "HS");
	case 254:
		return strcpy(out, "NONE");
	case 255:
		return strcpy(out, "ANY");
	}
	snprintf(out, 16, "CLASS%u", (unsigned)rclass);
	return out;
}

/* IANA "DNS RCODEs"; 16 is BADVERS in the extended RCODE of an OPT RR
 * (RFC 6891 §9), BADSIG only inside TSIG. */
static const char *const transport_names[] = {
    [QLOG_TRANSPORT_UDP] = "UDP",
    [QLOG_TRANSPORT_TCP] = "TCP",
    [QLOG_TRANSPORT_DOH] = "DoH",
    [QLOG_TRANSPORT_DOH_FIPS] = "DoH-FIPS",
};

static const char *const rcode_names[] = {
    "NOERROR",	"FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",   "REFUSED",
    "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE",  "DSOTYPENI",
    NULL,	NULL,	   NULL,       NULL,	   "BADVERS",  "BADKEY",
    "BADTIME",	"BADMODE", "BADNAME",  "BADALG",   "BADTRUNC", "BADCOOKIE",
};

const char *
qlog_rcode_name(unsigned rcode, char *out)
{
	if (rcode < sizeof(rcode_names) / sizeof(rcode_names[0]) &&
	    rcode_names[rcode] != NULL)
		return strcpy(out, rcode_names[rcode]);
	snprintf(out, 16, "RCODE%u", rcode);
	return out;
}

/* ---- messages ----------------------------------------------------------- */

struct qlog_question {
	uint8_t name[WIRE_MAX_NAME_LEN]; /* as sent, case kept */
	size_t name_len;		 /* 0 = none */
	uint16_t type, rclass;		 /* host order */
};

/* The first question of a message (RFC 1035 §4.1.2). */
static int
read_question(const uint8_t *buf, size_t len, struct qlog_question *q)
{
	struct wire_reader r;
	uint16_t qdcount;

	if (buf == NULL)
		return VPC_EMALFORMED;
	wire_reader_init(&r, buf, len);
	wire_skip(&r, 4);
	qdcount = wire_read_u16(&r);
	wire_skip(&r, 6);
	q->name_len = wire_read_name(&r, q->name);
	q->type = wire_read_u16(&r);
	q->rclass = wire_read_u16(&r);
	if (r.err != VPC_OK || qdcount == 0)
		return VPC_EMALFORMED;
	return VPC_OK;
}

struct qlog_response {
	unsigned rcode;	    /* header RCODE, with the OPT's upper bits */
	bool sections_ok;   /* every section parsed */
	size_t answers_off; /* offset of the answer section */
	uint16_t ancount;   /* answer RRs */
};

/* Skips one RR; returns its type, and its TTL word in @ttl. */
static uint16_t
skip_rr(struct wire_reader *r, uint32_t *ttl)
{
	uint16_t type;

	wire_read_name(r, NULL);
	type = wire_read_u16(r);
	wire_skip(r, 2);
	*ttl = wire_read_u32(r);
	wire_skip(r, wire_read_u16(r));
	return type;
}

/* Reads the header and walks every section of the response. */
static int
scan_response(const uint8_t *buf, size_t len, struct qlog_response *resp)
{
	struct wire_reader r;
	uint16_t flags, qd, an, ns, ar;
	unsigned ext = 0;

	if (buf == NULL || len < WIRE_HEADER_LEN)
		return VPC_EMALFORMED;
	wire_reader_init(&r, buf, len);
	wire_skip(&r, 2);
	flags = wire_read_u16(&r);
	qd = wire_read_u16(&r);
	an = wire_read_u16(&r);
	ns = wire_read_u16(&r);
	ar = wire_read_u16(&r);
	resp->rcode = WIRE_RCODE(flags);
	for (unsigned i = 0; i < qd; i++) {
		wire_read_name(&r, NULL);
		wire_skip(&r, 4);
	}
	resp->answers_off = r.pos;
	resp->ancount = an;
	for (unsigned i = 0; i < (unsigned)an + ns + ar && r.err == VPC_OK;
	     i++) {
		uint32_t ttl;

		/* RFC 6891 §6.1.3: the OPT TTL's top byte extends the RCODE. */
		if (skip_rr(&r, &ttl) == WIRE_TYPE_OPT &&
		    i >= (unsigned)an + ns)
			ext = ttl >> 24;
	}
	resp->sections_ok = r.err == VPC_OK;
	if (resp->sections_ok)
		resp->rcode |= ext << 4;
	return VPC_OK;
}

/* RFC 3597 §5: "\# <length> <hex>". */
static void
rdata_generic(ldns_buffer *b, const uint8_t *rdata, uint16_t rdlen)
{
	ldns_buffer_printf(b, "\\# %u", (unsigned)rdlen);
	if (rdlen > 0)
		ldns_buffer_printf(b, " ");
	for (uint16_t i = 0; i < rdlen; i++)
		ldns_buffer_printf(b, "%02x", rdata[i]);
}

/* The RDATA of the RR at @off as text into @b, cleared first. */
static void
rdata_text(ldns_buffer *b, const uint8_t *msg, size_t len, size_t off,
	   size_t rdata_off, uint16_t rdlen)
{
	ldns_rr *rr = NULL;
	size_t pos = off;
	bool ok;

	ldns_buffer_clear(b);
	ok = ldns_wire2rr(&rr, msg, len, &pos, LDNS_SECTION_ANSWER) ==
	     LDNS_STATUS_OK;
	for (size_t i = 0; ok && i < ldns_rr_rd_count(rr); i++) {
		if (i > 0)
			ldns_buffer_printf(b, " ");
		ok = ldns_rdf2buffer_str(b, ldns_rr_rdf(rr, i)) ==
		     LDNS_STATUS_OK;
	}
	ldns_rr_free(rr);
	if (!ok || !ldns_buffer_status_ok(b)) {
		ldns_buffer_clear(b);
		rdata_generic(b, msg + rdata_off, rdlen);
	}
}

/* ---- the line ----------------------------------------------------------- */

struct qlog_ctx {
	const struct qlog_event *ev;
	char addr[INET6_ADDRSTRLEN]; /* srcaddr */
	char port[8];		     /* srcport */
	char vpc_suffix[128];	     /* the VPC id without "vpc-" */
};

/* One {"Rdata","Type","Class"} object per answer RR, as many as fit. */
static int
write_answers(struct jw *w, const struct qlog_ctx *c,
	      const struct qlog_response *resp, size_t reserve)
{
	const struct qlog_event *ev = c->ev;
	struct wire_reader r;
	ldns_buffer *b;

	if (!resp->sections_ok || resp->ancount == 0)
		return VPC_OK;
	if ((b = ldns_buffer_new(256)) == NULL)
		return VPC_ENOMEM;
	wire_reader_init(&r, ev->response, ev->response_len);
	r.pos = resp->answers_off;
	for (unsigned i = 0; i < resp->ancount; i++) {
		size_t off = r.pos, mark = w->len, rdata_off;
		uint16_t type, rclass, rdlen;
		char tname[16], cname[16];

		wire_read_name(&r, NULL);
		type = wire_read_u16(&r);
		rclass = wire_read_u16(&r);
		wire_skip(&r, 4);
		rdlen = wire_read_u16(&r);
		rdata_off = r.pos;
		wire_skip(&r, rdlen);
		rdata_text(b, ev->response, ev->response_len, off, rdata_off,
			   rdlen);
		jw_lit(w, i > 0 ? ",{\"Rdata\":" : "{\"Rdata\":");
		jw_str(w, (const char *)ldns_buffer_begin(b),
		       ldns_buffer_position(b));
		jw_field(w, "Type", qlog_type_name(type, tname), false);
		jw_field(w, "Class", qlog_class_name(rclass, cname), false);
		jw_raw(w, "}", 1);
		if (w->err != VPC_OK || w->cap - w->len < reserve) {
			/* Leave this answer and the rest out. */
			w->len = mark;
			w->err = VPC_OK;
			break;
		}
	}
	ldns_buffer_free(b);
	return VPC_OK;
}

/* Everything after the answers: "]", source, srcids, firewall, "}\n". */
static void
write_tail(struct jw *w, const struct qlog_ctx *c)
{
	const struct qlog_event *ev = c->ev;
	const struct conf_fw_rule *fr = ev->fw_rule;
	bool inbound = ev->srcid_kind == QLOG_SRC_RESOLVER_ENDPOINT;
	char id[160];

	jw_raw(w, "]", 1);
	jw_field(w, "srcaddr", c->addr, false);
	jw_field(w, "srcport", c->port, false);
	jw_field(w, "transport", transport_names[ev->transport], false);
	jw_lit(w, ",\"srcids\":{");
	if (ev->srcid != NULL)
		snprintf(id, sizeof(id), "%s", ev->srcid);
	else if (inbound)
		snprintf(id, sizeof(id), "rslvr-in-%s", c->vpc_suffix);
	else
		snprintf(id, sizeof(id), "%s", c->addr);
	jw_field(w, inbound ? "resolver_endpoint" : "instance", id, true);
	jw_raw(w, "}", 1);
	if (fr != NULL && fr->action != CONF_FW_ALLOW) {
		if (ev->fw_group_id != NULL)
			snprintf(id, sizeof(id), "%s", ev->fw_group_id);
		else
			snprintf(id, sizeof(id), "rslvr-frg-%s", c->vpc_suffix);
		jw_field(w, "firewall_rule_group_id", id, false);
		jw_field(w, "firewall_rule_action",
			 fr->action == CONF_FW_BLOCK ? "BLOCK" : "ALERT",
			 false);
		jw_field(w, "firewall_domain_list_id",
			 ev->fw_domain_list_id != NULL ? ev->fw_domain_list_id
			 : fr->name != NULL	       ? fr->name
						       : "",
			 false);
	}
	if (ev->dnssec != NULL)
		jw_field(w, "dnssec_validation", ev->dnssec, false);
	jw_raw(w, "}\n", 2);
}

/* Fields up to and including "answers":[ . */
static void
write_head(struct jw *w, const struct qlog_ctx *c,
	   const struct qlog_question *q, unsigned rcode)
{
	const struct qlog_event *ev = c->ev;
	char text[LOG_NAME_MAX], ts[64], mn[16];
	time_t secs = (time_t)(ev->unix_ms / 1000);
	struct tm tm;

	/* Route 53 prints whole seconds: "2021-02-04T17:51:55Z". */
	if (gmtime_r(&secs, &tm) == NULL ||
	    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(ts, "1970-01-01T00:00:00Z");
	jw_raw(w, "{", 1);
	jw_field(w, "version", QLOG_VERSION, true);
	jw_field(w, "account_id",
		 ev->account_id != NULL ? ev->account_id : QLOG_DEFAULT_ACCOUNT,
		 false);
	jw_field(w, "region", ev->region != NULL ? ev->region : "", false);
	jw_field(w, "vpc_id", ev->vpc_id != NULL ? ev->vpc_id : "", false);
	jw_field(w, "query_timestamp", ts, false);
	jw_field(w, "query_name", log_name(q->name, q->name_len, text), false);
	jw_field(w, "query_type", qlog_type_name(q->type, mn), false);
	jw_field(w, "query_class", qlog_class_name(q->rclass, mn), false);
	jw_field(w, "rcode", qlog_rcode_name(rcode, mn), false);
	jw_lit(w, ",\"answers\":[");
}

/* srcaddr/srcport text; an IPv4-mapped IPv6 address is shown as IPv4. */
static void
source_text(const struct sockaddr *sa, struct qlog_ctx *c)
{
	unsigned port = 0;

	c->addr[0] = '\0';
	if (sa != NULL && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, c->addr, sizeof(c->addr));
		port = ntohs(in->sin_port);
	} else if (sa != NULL && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 =
		    (const struct sockaddr_in6 *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
			inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], c->addr,
				  sizeof(c->addr));
		else
			inet_ntop(AF_INET6, &in6->sin6_addr, c->addr,
				  sizeof(c->addr));
		port = ntohs(in6->sin6_port);
	}
	snprintf(c->port, sizeof(c->port), "%u", port);
}

int
qlog_format(const struct qlog_event *ev, char *out, size_t cap, size_t *len)
{
	struct jw w = {.buf = out, .cap = cap}, m = {0};
	struct qlog_question q;
	struct qlog_response resp;
	struct qlog_ctx c = {.ev = ev};
	const char *vpc = ev->vpc_id != NULL ? ev->vpc_id : "";
	int rc;

	if (scan_response(ev->response, ev->response_len, &resp) != VPC_OK)
		return VPC_EMALFORMED;
	if (read_question(ev->query, ev->query_len, &q) != VPC_OK &&
	    read_question(ev->response, ev->response_len, &q) != VPC_OK)
		return VPC_EMALFORMED;
	snprintf(c.vpc_suffix, sizeof(c.vpc_suffix), "%s",
		 strncmp(vpc, "vpc-", 4) == 0 ? vpc + 4 : vpc);
	source_text(ev->src, &c);
	write_tail(&m, &c); /* measure what must fit after the answers */
	write_head(&w, &c, &q, resp.rcode);
	if (w.err == VPC_OK && cap - w.len > m.len) {
		rc = write_answers(&w, &c, &resp, m.len + 1);
		if (rc != VPC_OK)
			return rc;
	}
	write_tail(&w, &c);
	jw_raw(&w, "", 1); /* the NUL */
	if (w.err != VPC_OK)
		return w.err;
	*len = w.len - 1;
	return VPC_OK;
}
