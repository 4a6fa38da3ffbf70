/*
 * resolver/conf/conf.c - configuration: parse and validate the YAML file.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Turns the YAML of SPEC.md Part 2 into a struct conf.  The text is first
 * read event by event (syntax, nesting depth, no aliases, one document),
 * then loaded as a libyaml document so that every node knows its line.
 * One table per YAML mapping (struct ctable) lists each key with its type,
 * the field it fills, its default, its range and its validator; parsing,
 * defaults and conf_free() are all driven by these tables, and defaults
 * exist nowhere else.  Checks that involve several keys run in a table's
 * finish hook once its mapping is parsed.  Every problem is collected as
 * "file:line: message"; nothing stops at the first one.  Like wire_reader,
 * a load carries a sticky error: an allocation failure is remembered in
 * struct pctx and turns the result into VPC_ENOMEM.  Nothing here opens a
 * file: the main file, include: snippets and domains-files are read
 * through the caller's struct reader (util/reader.h), which the struct
 * conf keeps for the zone files the view set reads.
 * There is no global state: loads may run concurrently, and the struct
 * conf they build is never changed afterwards.
 *
 * This file holds the table walker, the messages, loading and freeing,
 * and the top-level keys; conf_value.c, conf_vpc.c and conf_policy.c hold
 * the rest of the tables (see conf_internal.h).
 */
#include "config.h"

#include "conf/conf.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "conf/conf_internal.h"
#include "engine/validator.h"
#include "util/err.h"
#include "util/reader.h"

#define CONF_MAX_DEPTH 64 /* YAML nesting accepted at all */

/* ---- small helpers ---------------------------------------------------- */

/* Formats like printf into a new string; NULL when out of memory. */
static __attribute__((format(printf, 1, 0))) char *
vformat(const char *fmt, va_list ap)
{
	va_list aq;
	char *s;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *
conf_format(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	return s;
}

/*
 * Copies @s for a message: at most CONF_SHOW_MAX bytes, and bytes that could
 * forge a log line or break the quoting become '?'.
 */
const char *
conf_show(const char *s, char buf[CONF_SHOW_MAX])
{
	size_t i, o = 0;

	for (i = 0; s[i] != '\0' && o < CONF_SHOW_MAX - 4; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\'')
			buf[o++] = s[i];
		else
			buf[o++] = '?';
	}
	if (s[i] != '\0') {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/* Reads a decimal in min..max (max <= UINT32_MAX); no sign, no spaces. */
bool
conf_parse_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*text == '\0')
		return false;
	for (; *text != '\0'; text++) {
		if (!text_is_digit(*text))
			return false;
		v = v * 10 + (uint64_t)(*text - '0');
		if (v > max)
			return false;
	}
	if (v < min)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* ---- errors ----------------------------------------------------------- */

static int
errors_push(struct conf_errors *errs, char *msg)
{
	size_t n = errs->n;
	char **v;

	/* The capacity follows from n: 8, then doubled at each power of 2. */
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
		v = realloc(errs->msgs, (n == 0 ? 8 : 2 * n) * sizeof(*v));
		if (v == NULL) {
			free(msg);
			return VPC_ENOMEM;
		}
		errs->msgs = v;
	}
	errs->msgs[errs->n++] = msg;
	return VPC_OK;
}

/* Line 0 means "no line": the message is then "file: message". */
int
conf_errors_add(struct conf_errors *errs, const char *file, unsigned line,
		const char *fmt, ...)
{
	va_list ap;
	char *msg, *full;

	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	if (msg == NULL)
		full = NULL;
	else if (line == 0)
		full = conf_format("%s: %s", file, msg);
	else
		full = conf_format("%s:%u: %s", file, line, msg);
	free(msg);
	if (full == NULL)
		return VPC_ENOMEM;
	return errors_push(errs, full);
}

void
conf_errors_cleanup(struct conf_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		free(errs->msgs[i]);
	free(errs->msgs);
	errs->msgs = NULL;
	errs->n = 0;
}

/* Remembers the configuration line of the message just added. */
static void
note_line(struct pctx *px, unsigned line)
{
	size_t n = px->n_sort_lines;
	unsigned *v;

	/* The capacity follows from n, as in errors_push(). */
	if (n == 0 || (n >= 8 && (n & (n - 1)) == 0)) {
		v = realloc(px->sort_lines, (n == 0 ? 8 : 2 * n) * sizeof(*v));
		if (v == NULL) {
			px->oom = true;
			return;
		}
		px->sort_lines = v;
	}
	px->sort_lines[px->n_sort_lines++] = line;
}

/* Records "file:line: path: message", sorted as configuration line @at. */
static __attribute__((format(printf, 5, 0))) void
report(struct pctx *px, const char *file, unsigned line, unsigned at,
       const char *fmt, va_list ap)
{
	char *msg = vformat(fmt, ap);
	int rc;

	if (msg == NULL) {
		px->oom = true;
		return;
	}
	rc = conf_errors_add(px->errs, file, line, "%s%s%s", px->path,
			     px->path_len > 0 ? ": " : "", msg);
	free(msg);
	if (rc != VPC_OK)
		px->oom = true;
	else
		note_line(px, at);
	px->nerr++;
}

/* Records "file:line: path: message" ("file:line: message" at the top). */
/* @loc is a location (conf_include.c): the file comes from it. */
static __attribute__((format(printf, 3, 0))) void
vreport(struct pctx *px, unsigned loc, const char *fmt, va_list ap)
{
	unsigned f = loc >> CONF_LOC_SHIFT, line = loc & CONF_LOC_LINE_MAX;
	const char *file = px->file;

	if (f > 0 && px->cf != NULL && f <= px->cf->n_files)
		file = px->cf->files[f - 1];
	report(px, file, line, loc, fmt, ap);
}

void
conf_perr(struct pctx *px, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(px, line, fmt, ap);
	va_end(ap);
}

void
conf_file_err(struct pctx *px, const char *file, unsigned line, unsigned at,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(px, file, line, at, fmt, ap);
	va_end(ap);
}

char *
conf_xstrdup(struct pctx *px, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		px->oom = true;
	return d;
}

/* ---- where we are: lines and paths ------------------------------------ */

unsigned
conf_node_line(const struct pctx *px, const yaml_node_t *n)
{
	if (n == NULL || px->in_default)
		return 0;
	return conf_yaml_mark_line(n->start_mark);
}

size_t
conf_path_add(struct pctx *px, const char *fmt, ...)
{
	size_t old = px->path_len, room = sizeof(px->path) - old;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(px->path + old, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		px->path_len =
		    (size_t)n < room ? old + (size_t)n : sizeof(px->path) - 1;
	return old;
}

static size_t
path_key(struct pctx *px, const char *name)
{
	return conf_path_add(px, px->path_len == 0 ? "%s" : ".%s", name);
}

void
conf_path_pop(struct pctx *px, size_t old)
{
	px->path_len = old;
	px->path[old] = '\0';
}

/* ---- YAML node access -------------------------------------------------- */

static const char *
kind_name(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return "mapping";
	return n->type == YAML_SEQUENCE_NODE ? "list" : "single value";
}

const yaml_node_t *
conf_map_get(const struct pctx *px, const yaml_node_t *map, const char *name)
{
	return conf_doc_map_get(px->doc, map, name);
}

const yaml_node_t *
conf_seq_item(const struct pctx *px, const yaml_node_t *seq, size_t i)
{
	return conf_doc_seq_item(px->doc, seq, i);
}

size_t
conf_key_index(const struct ctable *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->keys[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

const yaml_node_t *
conf_seen_val(const struct seen *s, const char *name)
{
	size_t i = conf_key_index(s->t, name);

	return i != SIZE_MAX ? s->val[i] : NULL;
}

void
conf_key_err(struct pctx *px, const struct seen *s, const char *name,
	     const char *fmt, ...)
{
	size_t i = conf_key_index(s->t, name), old = path_key(px, name);
	const yaml_node_t *v = i != SIZE_MAX ? s->val[i] : NULL;
	va_list ap;

	va_start(ap, fmt);
	vreport(px, conf_node_line(px, v != NULL ? v : s->map), fmt, ap);
	va_end(ap);
	conf_path_pop(px, old);
}

/* ---- the top-level tables ----------------------------------------------- */

/*
 * `upstreams:` as written becomes addresses (upstreams) and host names
 * (upstream_hosts, resolved lazily by the daemon as --upstream's are), so
 * a compose file can name its resolver service.  The specs are dropped
 * once split: everything after the load reads the two lists.
 */
static void
split_upstreams(struct pctx *px, struct conf *cf, const struct seen *s)
{
	size_t n = cf->n_upstream_specs;

	if (n == 0)
		return;
	cf->upstreams = calloc(n, sizeof(*cf->upstreams));
	cf->upstream_hosts = calloc(n, sizeof(*cf->upstream_hosts));
	if (cf->upstreams == NULL || cf->upstream_hosts == NULL) {
		px->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *spec = cf->upstream_specs[i];
		struct conf_sockaddr *a = &cf->upstreams[cf->n_upstreams];

		if (spec == NULL) /* refused by the table: reported there */
			continue;
		if (conf_parse_sockaddr(spec, CONF_DEFAULT_PORT, a) != VPC_OK) {
			cf->upstream_hosts[cf->n_upstream_hosts++] = spec;
			continue;
		}
		free(spec);
		for (size_t j = 0; j < cf->n_upstreams; j++)
			if (cf->upstreams[j].len == a->len &&
			    memcmp(&cf->upstreams[j].ss, &a->ss, a->len) == 0) {
				conf_key_err(px, s, "upstreams",
					     "an address is given twice");
				break;
			}
		cf->n_upstreams++;
	}
	for (size_t i = 0; i < cf->n_upstream_hosts; i++)
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(cf->upstream_hosts[i],
				       cf->upstream_hosts[j]) == 0) {
				conf_key_err(px, s, "upstreams",
					     "'%s' is given twice",
					     cf->upstream_hosts[i]);
				break;
			}
	free(cf->upstream_specs);
	cf->upstream_specs = NULL;
	cf->n_upstream_specs = 0;
}

static void top_finish(struct pctx *px, void *obj, const struct seen *s);

/* The Route 53 form: 12 decimal digits (SPEC 1.8). */
static bool
valid_account(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!text_is_digit(s[i]))
			return false;
	return i == 12;
}

static const char *const protocol_names[] = {"do53", "doh", "doh-fips", NULL};

static const struct ckey tls_keys[] = {
    {"certificate", SCALAR(struct conf_listen, tls_certificate, CT_PATH)},
    {"key", SCALAR(struct conf_listen, tls_key, CT_PATH)},
};
static const struct ctable tls_table = TABLE(tls_keys, 0, NULL);

/*
 * A PROXY v2 header names any address its sender likes, so a listener
 * that reads them must say whose to believe: proxy-from goes with
 * proxy-protocol, and only with it.
 */
static void
check_proxy(struct pctx *px, const struct conf_listen *l, const struct seen *s)
{
	bool from = conf_seen_val(s, "proxy-from") != NULL;

	if (l->proxy_protocol && !from)
		conf_key_err(px, s, "proxy-protocol",
			     "needs 'proxy-from', the addresses of the "
			     "balancers whose headers are believed");
	else if (!l->proxy_protocol && from)
		conf_key_err(px, s, "proxy-from",
			     "only applies with 'proxy-protocol: true'");
}

/*
 * Route 53 Resolver endpoints take Do53, DoH and DoH-FIPS in any
 * combination (CreateResolverEndpoint, Protocols).  DoH needs a
 * certificate; vpcdns has no FIPS mode of its own, so doh-fips is DoH
 * with whatever the TLS library provides (docs/DESIGN.md, "DNS over
 * HTTPS").
 */
static void
check_protocols(struct pctx *px, struct conf_listen *l, const struct seen *s)
{
	for (size_t i = 0; i < l->n_protocols; i++) {
		for (size_t j = 0; j < i; j++)
			if (l->protocols[j] == l->protocols[i])
				conf_key_err(px, s, "protocols",
					     "'%s' is listed twice",
					     protocol_names[l->protocols[i]]);
		if (l->protocols[i] == CONF_PROTOCOL_DO53)
			l->do53 = true;
		else
			l->doh = true;
	}
	if (l->doh && conf_seen_val(s, "tls") == NULL)
		conf_key_err(px, s, "protocols",
			     "doh needs tls: {certificate: FILE, key: FILE}");
	else if (l->doh && (l->tls_certificate == NULL || l->tls_key == NULL))
		conf_key_err(px, s, "tls", "needs both certificate and key");
	if (!l->doh && conf_seen_val(s, "tls") != NULL)
		conf_key_err(px, s, "tls", "only used with protocols: [doh]");
	if (!l->doh && conf_seen_val(s, "doh-port") != NULL)
		conf_key_err(px, s, "doh-port",
			     "only used with protocols: [doh]");
	if (l->doh && l->proxy_protocol)
		conf_key_err(px, s, "proxy-protocol",
			     "is for do53 only; a DoH client's address is "
			     "the connection's");
}

static void
listen_finish(struct pctx *px, void *obj, const struct seen *s)
{
	const struct conf_listen *l = obj;

	check_proxy(px, obj, s);
	check_protocols(px, obj, s);
	/* Direction INBOUND_DELEGATION is a kind of inbound endpoint. */
	if (l->delegation && l->inbound == NULL)
		conf_key_err(px, s, "delegation",
			     "needs 'inbound': the VPC whose hosted zones the "
			     "endpoint serves");
}

/* The port is set on the address, so "address" comes first. */
static const struct ckey listen_keys[] = {
    {"address", SCALAR(struct conf_listen, addr, CT_ADDR), .required = true},
    {"port", SCALAR(struct conf_listen, addr, CT_PORT),
     .def = XSTR(CONF_DEFAULT_PORT), .min = 1, .max = 65535},
    {"inbound", SCALAR(struct conf_listen, inbound, CT_STR),
     .valid = conf_valid_vpc_id, .hint = CONF_VPC_ID_HINT},
    {"proxy-protocol", BOOL(struct conf_listen, proxy_protocol),
     .def = "false", .basis = true},
    {"proxy-from", SEQ(struct conf_listen, proxy_from), .type = CT_CIDR,
     .nonempty = true},
    {"protocols", SEQ(struct conf_listen, protocols), .type = CT_ENUM,
     .names = protocol_names, .nonempty = true, .def = "[do53]",
     .basis = true},
    {"doh-port", SCALAR(struct conf_listen, doh_port, CT_UINT), .def = "443",
     .min = 1, .max = 65535},
    {"tls", .kind = CK_MAP, .sub = &tls_table},
    {"delegation", BOOL(struct conf_listen, delegation), .def = "false"},
};
static const struct ctable listen_table =
    TABLE(listen_keys, LINE(struct conf_listen), listen_finish);

/* Fields of struct conf itself. */
static const struct ckey cache_keys[] = {
    {"max-entries", SCALAR(struct conf, cache_max_entries, CT_UINT),
     .def = "100000", .min = 0, .max = 10000000},
    {"max-ttl", SCALAR(struct conf, cache_max_ttl, CT_UINT), .def = "86400",
     .min = 1, .max = 2147483647},
    {"max-bytes", SCALAR(struct conf, cache_max_bytes, CT_UINT),
     .def = "268435456", .min = 0, .max = 4294967295u},
    /* RFC 8767: answer from expired entries when every upstream fails;
     * §5 suggests 30 s for the answers and 1 to 3 days for the window. */
    {"serve-stale", BOOL(struct conf, cache_serve_stale), .def = "false"},
    {"stale-answer-ttl", SCALAR(struct conf, cache_stale_answer_ttl, CT_UINT),
     .def = "30", .min = 1, .max = 86400},
    {"max-stale-ttl", SCALAR(struct conf, cache_max_stale_ttl, CT_UINT),
     .def = "86400", .min = 1, .max = 604800},
    /* Unbound's `prefetch: yes`: a hit in the last tenth of an entry's
     * lifetime refreshes it in the background.  On by default: a
     * sidecar's popular names then never expire under its clients,
     * for at most one more upstream query per entry and lifetime. */
    {"prefetch", BOOL(struct conf, cache_prefetch), .def = "true"},
};
static const struct ctable cache_table = TABLE(cache_keys, 0, NULL);

static const struct ckey query_log_keys[] = {
    {"path", SCALAR(struct conf, query_log_path, CT_OUTPATH), .def = "-"},
    {"account-id", SCALAR(struct conf, query_log_account, CT_STR),
     .def = "000000000000", .valid = valid_account,
     .hint = "an AWS account id of 12 digits"},
};
static const struct ctable query_log_table = TABLE(query_log_keys, 0, NULL);

static const struct ckey metrics_keys[] = {
    {"address", SCALAR(struct conf, metrics_addr, CT_ADDR), .def = "127.0.0.1"},
    {"port", SCALAR(struct conf, metrics_addr, CT_PORT), .def = "9153",
     .min = 1, .max = 65535},
};
static const struct ctable metrics_table = TABLE(metrics_keys, 0, NULL);

/* Response rate limiting of large UDP answers (RRL, as in BIND and NSD). */
static const struct ckey rate_limit_keys[] = {
    {"responses-per-second", SCALAR(struct conf, rrl_rate, CT_UINT),
     .def = "50", .min = 0, .max = 1000000},
    {"min-size", SCALAR(struct conf, rrl_min_size, CT_UINT), .def = "1024",
     .min = 0, .max = 65535},
    /* Also the table size of simulate-aws-limits. */
    {"tracked-sources", SCALAR(struct conf, limit_sources, CT_UINT),
     .def = "65536", .min = 1, .max = 16777216},
};
static const struct ctable rate_limit_table = TABLE(rate_limit_keys, 0, NULL);

/* TCP listeners; RFC 7766 §6.2.3 asks for an idle timeout of "a few
 * seconds" and a limit on connections. */
static const struct ckey tcp_keys[] = {
    {"idle-timeout-ms", SCALAR(struct conf, tcp_idle_ms, CT_UINT),
     .def = "10000", .min = 100, .max = 3600000},
    {"max-connections", SCALAR(struct conf, tcp_max_conns, CT_UINT),
     .def = "1024", .min = 1, .max = 1000000},
    {"max-in-flight", SCALAR(struct conf, tcp_max_inflight, CT_UINT),
     .def = "64", .min = 1, .max = 65535},
};
static const struct ctable tcp_table = TABLE(tcp_keys, 0, NULL);

/* c-ares: the first try's timeout, doubled per round over the upstreams.
 * Forwarded queries in flight beyond max-in-flight get SERVFAIL at once,
 * so a flood of unique names cannot exhaust memory or the query IDs. */
static const struct ckey forwarding_keys[] = {
    {"timeout-ms", SCALAR(struct conf, fwd_timeout_ms, CT_UINT),
     .def = "1500", .min = 1, .max = 60000},
    {"tries", SCALAR(struct conf, fwd_tries, CT_UINT), .def = "2", .min = 1,
     .max = 10},
    {"max-in-flight", SCALAR(struct conf, fwd_max_inflight, CT_UINT),
     .def = "10000", .min = 1, .max = 1000000},
};
static const struct ctable forwarding_table = TABLE(forwarding_keys, 0, NULL);

/*
 * Who may query when allow-query is absent: loopback and the private and
 * shared ranges (RFC 1918, RFC 6598, RFC 4193, RFC 4291 link-local);
 * top_finish() adds every VPC's clients and cidr-blocks.
 */
#define ALLOW_QUERY_DEFAULT                                                    \
	"[127.0.0.0/8, '::1/128', 10.0.0.0/8, 172.16.0.0/12, "                 \
	"192.168.0.0/16, 100.64.0.0/10, 'fc00::/7', 'fe80::/10']"

/* Profiles come before the VPCs that name them.  The snippets of
 * "include" are already merged when the table is walked (conf_include.c). */
static const struct ckey top_keys[] = {
    {"include", SEQ(struct conf, include), .type = CT_PATH},
    {"listen", SEQ(struct conf, listen), .sub = &listen_table, .nonempty = true,
     .def = "[{address: 127.0.0.1}, {address: '::1'}]",
     PRESENT(struct conf, listen_set)},
    {"upstreams", SEQ(struct conf, upstream_specs), .type = CT_STR,
     .valid = conf_valid_target,
     .hint = "an upstream (ADDR, ADDR:PORT, [IPV6]:PORT, IPV6, HOST or "
	     "HOST:PORT; port 1..65535)"},
    /* Read when a VPC has dnssec-validation: true (conf_anchor.c). */
    {"dnssec-trust-anchors", SEQ(struct conf, trust_anchors),
     .type = CT_PATH},
    {"cache", .kind = CK_MAP, .sub = &cache_table},
    {"profiles", SEQ(struct conf, profiles), .sub = &conf_profile_table},
    {"vpcs", SEQ(struct conf, vpcs), .sub = &conf_vpc_table},
    {"allow-query", SEQ(struct conf, allow_query), .type = CT_ALLOW,
     .nonempty = true, .def = ALLOW_QUERY_DEFAULT},
    {"query-log", .kind = CK_MAP, .sub = &query_log_table,
     PRESENT(struct conf, query_log)},
    {"metrics", .kind = CK_MAP, .sub = &metrics_table,
     PRESENT(struct conf, metrics)},
    {"rate-limit", .kind = CK_MAP, .sub = &rate_limit_table},
    {"simulate-aws-limits", BOOL(struct conf, simulate_aws_limits),
     .def = "false"},
    {"watch", BOOL(struct conf, watch), .def = "false"},
    /* 0 is "one per online CPU": the core cannot ask the system. */
    {"workers", SCALAR(struct conf, workers, CT_UINT), .def = "0", .min = 0,
     .max = 256},
    /* The VPC Resolver's documented limit: 1,024 packets per second per
     * network interface (here: per client address). */
    {"aws-packets-per-second", SCALAR(struct conf, aws_pps, CT_UINT),
     .def = "1024", .min = 1, .max = 1000000},
    {"tcp", .kind = CK_MAP, .sub = &tcp_table},
    {"forwarding", .kind = CK_MAP, .sub = &forwarding_table},
    {"health-checks", SEQ(struct conf, health_checks),
     .sub = &conf_health_table},
};
static const struct ctable top_table = TABLE(top_keys, 0, top_finish);

/* ---- the table walker -------------------------------------------------- */

static void parse_map(struct pctx *px, const yaml_node_t *map,
		      const struct ctable *t, void *obj);

static void *
field(void *obj, size_t off)
{
	return (char *)obj + off;
}

static void
parse_scalar(struct pctx *px, const yaml_node_t *n, const struct ckey *k,
	     void *dst)
{
	const char *text = conf_scalar_str(n);

	if (n->type != YAML_SCALAR_NODE)
		conf_perr(px, conf_node_line(px, n),
			  "expected a single value, found a %s", kind_name(n));
	else if (text == NULL)
		conf_perr(px, conf_node_line(px, n),
			  "contains a NUL character");
	else
		conf_scalar(px, text, conf_node_line(px, n), k, dst);
}

static void
parse_seq(struct pctx *px, const yaml_node_t *n, const struct ckey *k,
	  void *obj)
{
	size_t count, i, old;
	char *arr;

	if (n->type != YAML_SEQUENCE_NODE) {
		conf_perr(px, conf_node_line(px, n),
			  "expected a list, found a %s", kind_name(n));
		return;
	}
	count =
	    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count == 0 && k->nonempty)
		conf_perr(px, conf_node_line(px, n), "must not be empty");
	if (count == 0)
		return;
	if ((arr = calloc(count, k->size)) == NULL) {
		px->oom = true;
		return;
	}
	/* Owned by obj from here on, so conf_free() sees every element. */
	memcpy(field(obj, k->off), &arr, sizeof(arr));
	*(size_t *)field(obj, k->n_off) = count;
	for (i = 0; i < count; i++) {
		const yaml_node_t *item = conf_seq_item(px, n, i);

		old = conf_path_add(px, "[%zu]", i);
		if (item != NULL && k->sub != NULL)
			parse_map(px, item, k->sub, arr + i * k->size);
		else if (item != NULL)
			parse_scalar(px, item, k, arr + i * k->size);
		conf_path_pop(px, old);
	}
}

/* A list default is YAML text, walked like the file but without lines. */
static void
seq_default(struct pctx *px, const struct ckey *k, void *obj)
{
	yaml_document_t *saved = px->doc, doc;
	const yaml_node_t *root;
	yaml_parser_t parser;

	if (!yaml_parser_initialize(&parser)) {
		px->oom = true;
		return;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)k->def,
				     strlen(k->def));
	if (yaml_parser_load(&parser, &doc)) {
		px->doc = &doc;
		px->in_default = true;
		if ((root = yaml_document_get_root_node(&doc)) != NULL)
			parse_seq(px, root, k, obj);
		px->doc = saved;
		px->in_default = false;
		yaml_document_delete(&doc);
	} else {
		/* The defaults are constant: only memory can run out. */
		assert(parser.error == YAML_MEMORY_ERROR ||
		       parser.error == YAML_NO_ERROR);
		px->oom = true;
	}
	yaml_parser_delete(&parser);
}

static void
absent_key(struct pctx *px, const struct ckey *k, const struct seen *s,
	   void *obj)
{
	char buf[CONF_DERIVE_MAX];
	const char *text = k->def;

	if (k->required) {
		conf_perr(px, conf_node_line(px, s->map),
			  "missing required key '%s'", k->name);
		return;
	}
	if (k->late)
		return;
	if (k->kind == CK_SCALAR && text == NULL && k->derive != NULL)
		text = k->derive(obj, NULL, buf);
	if (k->kind == CK_SCALAR && text != NULL)
		conf_scalar(px, text, conf_node_line(px, s->map), k,
			    field(obj, k->off));
	else if (k->kind == CK_SEQ && text != NULL)
		seq_default(px, k, obj);
	else if (k->kind == CK_MAP)
		parse_map(px, NULL, k->sub, obj);
}

static void
parse_key(struct pctx *px, const struct ckey *k, const yaml_node_t *val,
	  const struct seen *s, void *obj)
{
	size_t old;

	if (val == NULL) {
		absent_key(px, k, s, obj);
		return;
	}
	if (k->present != 0)
		*(bool *)field(obj, k->present - 1) = true;
	/* A bare value standing for its table's scalar_key is named by the
	 * list item's path alone. */
	old = val == s->map ? px->path_len : path_key(px, k->name);
	if (conf_is_null(val))
		conf_perr(px, conf_node_line(px, val), "no value given");
	else if (k->kind == CK_SCALAR)
		parse_scalar(px, val, k, field(obj, k->off));
	else if (k->kind == CK_SEQ)
		parse_seq(px, val, k, obj);
	else
		parse_map(px, val, k->sub, obj);
	conf_path_pop(px, old);
}

/* Files the keys of @map by table index; unknown and duplicate keys. */
static void
collect_keys(struct pctx *px, const yaml_node_t *map, struct seen *s)
{
	const yaml_node_pair_t *p;
	const yaml_node_t *key;
	const char *name;
	char vb[CONF_SHOW_MAX], wb[CONF_WHERE_MAX];
	size_t i;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		key = yaml_document_get_node(px->doc, p->key);
		if ((name = conf_scalar_str(key)) == NULL)
			conf_perr(px, conf_node_line(px, key),
				  "keys must be plain names");
		else if ((i = conf_key_index(s->t, name)) == SIZE_MAX)
			conf_perr(px, conf_node_line(px, key),
				  "unknown key '%s'", conf_show(name, vb));
		else if (s->val[i] != NULL)
			conf_perr(px, conf_node_line(px, key),
				  "duplicate key '%s' (first at %s)",
				  conf_show(name, vb),
				  conf_where(px, conf_node_line(px, s->val[i]),
					     wb));
		else
			s->val[i] = yaml_document_get_node(px->doc, p->value);
	}
}

/*
 * Fills @obj from mapping @map (NULL: every key absent) by table @t: the
 * keys in table order, each parsed or defaulted, then t->finish unless a
 * basis key failed (the checks would only echo that error).
 */
static void
parse_map(struct pctx *px, const yaml_node_t *map, const struct ctable *t,
	  void *obj)
{
	struct seen s = {.t = t, .map = map};
	bool bad = false;
	size_t nerr;

	assert(t->n <= CONF_MAX_KEYS);
	if (map != NULL && map->type == YAML_SCALAR_NODE &&
	    t->scalar_key != NULL) {
		/* A bare value stands for {scalar_key: value}. */
		s.val[conf_key_index(t, t->scalar_key)] = map;
	} else if (map != NULL && map->type != YAML_MAPPING_NODE) {
		conf_perr(px, conf_node_line(px, map),
			  "expected a mapping of keys, found a %s",
			  kind_name(map));
		return;
	} else if (map != NULL) {
		collect_keys(px, map, &s);
	}
	if (t->line_off != 0)
		*(unsigned *)field(obj, t->line_off - 1) =
		    conf_node_line(px, map);
	for (size_t i = 0; i < t->n; i++) {
		const struct ckey *k = &t->keys[i];

		nerr = px->nerr;
		parse_key(px, k, s.val[i], &s, obj);
		if (px->nerr != nerr && k->basis)
			bad = true;
	}
	if (t->finish != NULL && !bad && !px->oom)
		t->finish(px, obj, &s);
}

void
conf_apply_late(struct pctx *px, const struct ctable *t, const yaml_node_t *map,
		void *obj, const void *parent)
{
	char buf[CONF_DERIVE_MAX];

	for (size_t i = 0; i < t->n; i++) {
		const struct ckey *k = &t->keys[i];

		if (k->late && conf_map_get(px, map, k->name) == NULL)
			conf_scalar(px, k->derive(obj, parent, buf), 0, k,
				    field(obj, k->off));
	}
}

/* ---- checks across the file -------------------------------------------- */

static bool
same_sockaddr(const struct conf_sockaddr *a, const struct conf_sockaddr *b)
{
	uint16_t pa, pb;
	const uint8_t *x = conf_sockaddr_parts(a, &pa),
		      *y = conf_sockaddr_parts(b, &pb);

	return a->ss.ss_family == b->ss.ss_family && pa == pb &&
	       memcmp(x, y, a->ss.ss_family == AF_INET ? 4 : 16) == 0;
}

/* Whether binding @a and @b on the same port collides: one of them is the
 * wildcard address of the family (0.0.0.0 or ::), which takes the port on
 * every address, and they are not the same address. */
static bool
wildcard_overlap(const struct conf_sockaddr *a, const struct conf_sockaddr *b)
{
	static const uint8_t zero[16];
	uint16_t pa, pb;
	const uint8_t *x = conf_sockaddr_parts(a, &pa),
		      *y = conf_sockaddr_parts(b, &pb);
	size_t n = a->ss.ss_family == AF_INET ? 4 : 16;

	return a->ss.ss_family == b->ss.ss_family && pa == pb && pa != 0 &&
	       memcmp(x, y, n) != 0 &&
	       (memcmp(x, zero, n) == 0 || memcmp(y, zero, n) == 0);
}

static void
check_listen(struct pctx *px, const struct conf *cf)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], vb[CONF_SHOW_MAX];
	char wb[CONF_WHERE_MAX];
	const struct conf_listen *l;
	uint16_t port;

	for (size_t i = 0; i < cf->n_listen; i++) {
		l = &cf->listen[i];
		/* Port 0: the address or port did not parse (already
		 * reported), so it is no duplicate of another bad entry. */
		conf_sockaddr_parts(&l->addr, &port);
		for (size_t j = 0; port != 0 && j < i; j++) {
			const struct conf_sockaddr *o = &cf->listen[j].addr;
			bool same = same_sockaddr(&l->addr, o);

			if (!same && !wildcard_overlap(&l->addr, o))
				continue;
			if (inet_ntop(l->addr.ss.ss_family,
				      conf_sockaddr_parts(&l->addr, &port), a,
				      sizeof(a)) == NULL)
				a[0] = '\0';
			if (inet_ntop(o->ss.ss_family,
				      conf_sockaddr_parts(o, &port), b,
				      sizeof(b)) == NULL)
				b[0] = '\0';
			if (same)
				conf_perr(px, l->line,
					  "listen[%zu]: %s port %u is already "
					  "listed at %s",
					  i, a, port,
					  conf_where(px, cf->listen[j].line, wb));
			else
				conf_perr(px, l->line,
					  "listen[%zu]: %s port %u overlaps %s "
					  "port %u at %s (a wildcard address "
					  "takes the port on every address)",
					  i, a, port, b, port,
					  conf_where(px, cf->listen[j].line, wb));
			break;
		}
		if (l->inbound != NULL && conf_find_vpc(cf, l->inbound) == NULL)
			conf_perr(
			    px, l->line,
			    "listen[%zu].inbound: no VPC '%s' is configured", i,
			    conf_show(l->inbound, vb));
	}
}

/* The metrics listener (TCP) must not take a DNS listener's port. */
static void
check_metrics(struct pctx *px, const struct conf *cf, const struct seen *s)
{
	char a[INET6_ADDRSTRLEN];
	uint16_t port;

	/* Port 0: the address or port did not parse (already reported). */
	conf_sockaddr_parts(&cf->metrics_addr, &port);
	for (size_t i = 0; cf->metrics && port != 0 && i < cf->n_listen; i++) {
		if (!same_sockaddr(&cf->metrics_addr, &cf->listen[i].addr) &&
		    !wildcard_overlap(&cf->metrics_addr, &cf->listen[i].addr))
			continue;
		if (inet_ntop(cf->metrics_addr.ss.ss_family,
			      conf_sockaddr_parts(&cf->metrics_addr, &port), a,
			      sizeof(a)) == NULL)
			a[0] = '\0';
		conf_key_err(
		    px, s, "metrics",
		    "%s port %u is already a DNS listener (listen[%zu] "
		    "at line %u)",
		    a, port, i, cf->listen[i].line);
		break;
	}
}

static bool
same_cidr(const struct conf_cidr *a, const struct conf_cidr *b)
{
	return a->family == b->family && a->prefix == b->prefix &&
	       memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

/* Adds @c to allow_query unless it is there; room is reserved. */
static void
allow_add(struct conf *cf, const struct conf_cidr *c)
{
	if (c->family != AF_INET && c->family != AF_INET6)
		return; /* not parsed: already reported */
	for (size_t i = 0; i < cf->n_allow_query; i++)
		if (same_cidr(&cf->allow_query[i], c))
			return;
	cf->allow_query[cf->n_allow_query++] = *c;
}

/* The default of allow-query: the table's ranges, then the VPCs'. */
static void
allow_add_vpcs(struct pctx *px, struct conf *cf)
{
	size_t n = cf->n_allow_query;
	struct conf_cidr *v;

	for (size_t i = 0; i < cf->n_vpcs; i++)
		n += cf->vpcs[i].n_clients + cf->vpcs[i].n_cidr_blocks;
	if (n == cf->n_allow_query)
		return;
	if ((v = realloc(cf->allow_query, n * sizeof(*v))) == NULL) {
		px->oom = true;
		return;
	}
	cf->allow_query = v;
	for (size_t i = 0; i < cf->n_vpcs; i++) {
		for (size_t j = 0; j < cf->vpcs[i].n_clients; j++)
			allow_add(cf, &cf->vpcs[i].clients[j]);
		for (size_t j = 0; j < cf->vpcs[i].n_cidr_blocks; j++)
			allow_add(cf, &cf->vpcs[i].cidr_blocks[j]);
	}
}

/* "any" (family AF_UNSPEC, see parse_allow()) becomes 0.0.0.0/0, ::/0. */
static void
allow_expand_any(struct pctx *px, struct conf *cf)
{
	const struct conf_cidr v4 = {.family = AF_INET};
	const struct conf_cidr v6 = {.family = AF_INET6};
	size_t n = 0, o = 0;
	struct conf_cidr *v;

	for (size_t i = 0; i < cf->n_allow_query; i++)
		n += cf->allow_query[i].family == AF_UNSPEC ? 2 : 1;
	if (n == cf->n_allow_query)
		return;
	if ((v = calloc(n, sizeof(*v))) == NULL) {
		px->oom = true;
		return;
	}
	for (size_t i = 0; i < cf->n_allow_query; i++) {
		if (cf->allow_query[i].family != AF_UNSPEC) {
			v[o++] = cf->allow_query[i];
			continue;
		}
		v[o++] = v4;
		v[o++] = v6;
	}
	free(cf->allow_query);
	cf->allow_query = v;
	cf->n_allow_query = n;
}

static void
top_finish(struct pctx *px, void *obj, const struct seen *s)
{
	struct conf *cf = obj;

	split_upstreams(px, cf, s);
	check_listen(px, cf);
	conf_check_vpcs(px, cf);
	conf_check_profiles(px, cf);
	check_metrics(px, cf, s);
	if (conf_seen_val(s, "allow-query") != NULL)
		allow_expand_any(px, cf);
	else
		allow_add_vpcs(px, cf);
	conf_load_anchors(px, cf, s);
}

/* ---- loading ----------------------------------------------------------- */

void
conf_syntax_error(struct pctx *px, const yaml_parser_t *p, const char *text,
		  size_t len)
{
	const char *problem = p->problem != NULL ? p->problem : "bad YAML";
	unsigned line = conf_yaml_error_line(p, text, len);

	/* libyaml fails some allocations without setting an error. */
	if (p->error == YAML_MEMORY_ERROR || p->error == YAML_NO_ERROR) {
		px->oom = true;
		return;
	}
	if (p->context != NULL)
		conf_perr(px, conf_loc(px->cur_file, line), "%s (%s at line %u)",
			  problem, p->context,
			  conf_yaml_mark_line(p->context_mark));
	else
		conf_perr(px, conf_loc(px->cur_file, line), "%s", problem);
}

static void
prescan_event(struct pctx *px, const yaml_event_t *ev, unsigned *depth,
	      unsigned *docs)
{
	unsigned line =
		conf_loc(px->cur_file, conf_yaml_mark_line(ev->start_mark));

	switch (conf_yaml_scan(ev, depth, CONF_MAX_DEPTH)) {
	case CONF_YAML_EV_DOCUMENT:
		if (++*docs == 2)
			conf_perr(px, line,
				  "only one YAML document is allowed");
		break;
	case CONF_YAML_EV_ALIAS:
		conf_perr(px, line, "YAML aliases are not supported");
		break;
	case CONF_YAML_EV_TOO_DEEP:
		conf_perr(px, line, "nested deeper than %d levels",
			  CONF_MAX_DEPTH);
		break;
	case CONF_YAML_EV_OTHER:
		break;
	}
}

/*
 * Reads the stream as events before loading it: libyaml's loader recurses
 * once per nesting level, and an alias may name its own ancestor, so deep
 * nesting and aliases are refused here, where nothing recurses.
 */
void
conf_prescan(struct pctx *px, const char *text, size_t len)
{
	unsigned depth = 0, docs = 0;
	yaml_parser_t parser;
	yaml_event_t ev;
	bool end = false;

	if (!yaml_parser_initialize(&parser)) {
		px->oom = true;
		return;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!end && !px->oom) {
		if (!yaml_parser_parse(&parser, &ev)) {
			conf_syntax_error(px, &parser, text, len);
			break;
		}
		prescan_event(px, &ev, &depth, &docs);
		end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
}

static void
load_and_parse(struct pctx *px, const char *text, size_t len, struct conf *cf)
{
	const yaml_node_t *root;
	yaml_parser_t parser;
	yaml_document_t doc;

	if (!yaml_parser_initialize(&parser)) {
		px->oom = true;
		return;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (yaml_parser_load(&parser, &doc)) {
		px->doc = &doc;
		conf_include(px, &doc);
		root = yaml_document_get_root_node(&doc);
		/* An empty file, or one of only comments or "---". */
		parse_map(px, root != NULL && conf_is_null(root) ? NULL : root,
			  &top_table, cf);
		px->doc = NULL;
		yaml_document_delete(&doc);
	} else {
		conf_syntax_error(px, &parser, text, len); /* duplicate anchor */
	}
	yaml_parser_delete(&parser);
}

/* Prefix for relative paths: the config's directory, made absolute. */
static char *
config_dir(const struct reader *rd, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	char cwd[PATH_MAX];

	if (path[0] == '/' || !reader_cwd(rd, cwd, sizeof(cwd)))
		cwd[0] = '\0';
	else if (strcmp(cwd, "/") != 0)
		strncat(cwd, "/", sizeof(cwd) - strlen(cwd) - 1);
	return conf_format("%s%.*s", cwd, dlen < INT_MAX ? (int)dlen : 0, path);
}

struct sort_item {
	unsigned line; /* configuration line of the message */
	size_t i;      /* its place as found */
};

static int
cmp_error(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Puts the messages from @first on in line order (ties: as found), by the
 * configuration line noted for each; unsorted when a note is missing
 * (memory ran out, and the load fails anyway).
 */
static void
sort_errors(struct conf_errors *errs, size_t first, const struct pctx *px)
{
	size_t n = errs->n - first;
	struct sort_item *v;
	char **msgs;

	if (n < 2 || n != px->n_sort_lines)
		return;
	v = calloc(n, sizeof(*v));
	msgs = malloc(n * sizeof(*msgs));
	for (size_t i = 0; v != NULL && msgs != NULL && i < n; i++) {
		v[i].line = px->sort_lines[i];
		v[i].i = i;
		msgs[i] = errs->msgs[first + i];
	}
	if (v != NULL && msgs != NULL) {
		qsort(v, n, sizeof(*v), cmp_error);
		for (size_t i = 0; i < n; i++)
			errs->msgs[first + i] = msgs[v[i].i];
	}
	free(v);
	free(msgs);
}

static int
load_text(const struct reader *rd, const char *text, size_t len,
	  const char *path, bool may_include, struct conf **out,
	  struct conf_errors *errs)
{
	struct pctx px = {.file = path, .errs = errs,
			  .may_include = may_include};
	size_t first = errs->n;
	struct conf *cf;

	if ((cf = calloc(1, sizeof(*cf))) == NULL)
		return VPC_ENOMEM;
	px.cf = cf;
	cf->reader = rd;
	if ((cf->path = strdup(path)) == NULL ||
	    (px.dir = config_dir(rd, path)) == NULL)
		px.oom = true;
	if (!px.oom)
		conf_prescan(&px, text, len);
	if (!px.oom && px.nerr == 0)
		load_and_parse(&px, text, len, cf);
	free(px.dir);
	for (size_t i = 0; i < px.n_dirs; i++)
		free(px.dirs[i]);
	free(px.dirs);
	sort_errors(errs, first, &px);
	free(px.sort_lines);
	if (px.oom || px.nerr > 0) {
		conf_free(cf);
		return px.oom ? VPC_ENOMEM : VPC_ECONFIG;
	}
	*out = cf; /* ownership moves to the caller */
	return VPC_OK;
}

/* `include:` reads files, so only a configuration file may use it (not
 * the quick start's text, not a fuzzer's input). */
int
conf_load_string(const struct reader *rd, const char *text, size_t len,
		 const char *path, struct conf **out, struct conf_errors *errs)
{
	return load_text(rd, text, len, path, false, out, errs);
}

const char *
conf_read_error(int err)
{
	if (err == EFBIG)
		return "larger than " CONF_MAX_FILE_TEXT;
	return reader_strerror(err);
}

int
conf_load_file(const struct reader *rd, const char *path, struct conf **out,
	       struct conf_errors *errs)
{
	char *text = NULL;
	size_t len = 0;
	int rc, err;

	rc = reader_read(rd, path, CONF_MAX_FILE, &text, &len, &err);
	if (rc == VPC_EIO) {
		if (conf_errors_add(errs, path, 0, "cannot read: %s",
				    conf_read_error(err)) != VPC_OK)
			return VPC_ENOMEM;
		return VPC_EIO;
	}
	if (rc != VPC_OK)
		return rc;
	rc = load_text(rd, text, len, path, true, out, errs);
	free(text);
	return rc;
}

/* ---- freeing, by the same tables --------------------------------------- */

static void
free_obj(const struct ctable *t, void *obj)
{
	const struct ckey *k;
	size_t n;
	char *arr;

	for (size_t i = 0; i < t->n; i++) {
		k = &t->keys[i];
		if (k->kind == CK_SCALAR && conf_owns(k->type))
			free(*(char **)field(obj, k->off));
		if (k->kind == CK_MAP)
			free_obj(k->sub, obj);
		if (k->kind != CK_SEQ)
			continue;
		n = *(size_t *)field(obj, k->n_off);
		memcpy(&arr, field(obj, k->off), sizeof(arr));
		for (size_t j = 0; j < n && k->sub != NULL; j++)
			free_obj(k->sub, arr + j * k->size);
		for (size_t j = 0;
		     j < n && k->sub == NULL && conf_owns(k->type); j++)
			free(*(char **)(arr + j * k->size));
		free(arr);
	}
}

void
conf_free(struct conf *cf)
{
	if (cf == NULL)
		return;
	/* Computed by top_finish(), so in no table. */
	for (size_t v = 0; v < cf->n_vpcs; v++)
		free(cf->vpcs[v].profiles);
	for (size_t i = 0; i < cf->n_files; i++)
		free(cf->files[i]);
	free(cf->files);
	/* Split from upstream_specs or set by conf_override(), so in no
	 * table either. */
	free(cf->upstreams);
	for (size_t i = 0; i < cf->n_upstream_hosts; i++)
		free(cf->upstream_hosts[i]);
	free(cf->upstream_hosts);
	validator_anchors_free(cf->anchors);
	free_obj(&top_table, cf);
	free(cf->path);
	free(cf);
}
