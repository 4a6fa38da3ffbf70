/*
 * resolver/conf/conf_policy.c - configuration: rules, firewall rules, profiles.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The tables of Route 53 Resolver rules (rules[]), DNS Firewall rules
 * (firewall[]) and Route 53 Profiles (profiles[]), the checks across their
 * keys, and the parsing of a firewall rule's domains-file (SPEC Part 2,
 * 1.5a), whose text comes from the configuration's struct reader
 * (util/reader.h).  The lists themselves are used by the view_ and answer_ modules;
 * here they are only parsed, normalised and checked.  Only the table
 * walker of conf.c calls in here, during one load; no state of its own.
 */
#include "config.h"

#include "conf/conf.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf_internal.h"
#include "util/err.h"
#include "util/reader.h"

#define FW_LINE_MAX 512	      /* bytes of one domains-file line kept */
#define FW_FILE_MAX_ERRORS 20 /* messages about one domains-file */

/* ---- validators -------------------------------------------------------- */

static bool
is_alnum(char c)
{
	return text_is_lower(c) || text_is_digit(c) || (c >= 'A' && c <= 'Z');
}

/*
 * A host name (RFC 1123 §2.1, plus '_' as container names have): labels
 * of 1..63 letters, digits, '-' or '_', not starting or ending with '-',
 * at most 253 bytes, an optional trailing dot.  All digits and dots is a
 * mistyped IPv4 address, not a name.
 */
static bool
valid_host(const char *h)
{
	size_t n = strlen(h), label = 0;
	bool word = false;

	if (n > 0 && h[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (h[i] == '.') {
			if (label == 0 || h[i - 1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!is_alnum(h[i]) && h[i] != '-' && h[i] != '_')
			return false;
		if ((h[i] == '-' && label == 0) || ++label > 63)
			return false;
		word |= !text_is_digit(h[i]);
	}
	return label > 0 && h[n - 1] != '-' && word;
}

/* ADDR, ADDR:PORT, [V6], [V6]:PORT, V6, HOST or HOST:PORT.  Host names
 * are resolved when the configuration is put to use, not here. */
bool
conf_valid_target(const char *s)
{
	const char *colon = strchr(s, ':');
	struct conf_sockaddr sa;
	char host[256];
	uint32_t port;
	size_t n;

	if (conf_parse_sockaddr(s, CONF_DEFAULT_PORT, &sa) == VPC_OK)
		return true;
	if (colon != NULL && (strchr(colon + 1, ':') != NULL ||
			      !conf_parse_u32(colon + 1, 1, 65535, &port)))
		return false;
	n = colon != NULL ? (size_t)(colon - s) : strlen(s);
	if (n >= sizeof(host))
		return false;
	memcpy(host, s, n);
	host[n] = '\0';
	return valid_host(host);
}

/* AWS names of profiles and firewall rules: 1..64 of [A-Za-z0-9 _-], not
 * only digits (the Route 53 Resolver API pattern). */
bool
conf_valid_aws_name(const char *s)
{
	bool word = false;
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!is_alnum(s[i]) && s[i] != ' ' && s[i] != '-' &&
		    s[i] != '_')
			return false;
		word |= !text_is_digit(s[i]);
	}
	return i >= 1 && i <= 64 && word;
}

/*
 * AWS FirewallRule Qtype: "A, AAAA, CAA, CNAME, DS, MX, NAPTR, NS, PTR,
 * SOA, SPF, SRV, TXT" or "TYPEnnn" with nnn 1..65334 (Route 53 API
 * reference, CreateFirewallRule); any case, as in zone files.
 */
static const struct {
	const char *name;
	uint16_t type;
} fw_qtypes[] = {
    {"A", 1},	    {"AAAA", 28}, {"CAA", 257}, {"CNAME", 5}, {"DS", 43},
    {"MX", 15},	    {"NAPTR", 35}, {"NS", 2},	 {"PTR", 12},  {"SOA", 6},
    {"SPF", 99},    {"SRV", 33},  {"TXT", 16},
};
#define QTYPE_HINT                                                             \
	"a query type: A, AAAA, CAA, CNAME, DS, MX, NAPTR, NS, PTR, SOA, "    \
	"SPF, SRV, TXT or TYPEnnn (1 to 65334)"

/* The RR type of a qtype text, 0 when it is none. */
static uint16_t
qtype_value(const char *s)
{
	uint32_t n;

	for (size_t i = 0; i < sizeof(fw_qtypes) / sizeof(fw_qtypes[0]); i++)
		if (strcasecmp(s, fw_qtypes[i].name) == 0)
			return fw_qtypes[i].type;
	if (strncasecmp(s, "TYPE", 4) == 0 && text_is_digit(s[4]) &&
	    s[4] != '0' && conf_parse_u32(s + 4, 1, 65334, &n))
		return (uint16_t)n;
	return 0;
}

static bool
valid_qtype(const char *s)
{
	return qtype_value(s) != 0;
}

/* ---- the tables ------------------------------------------------------- */

static void rule_finish(struct pctx *px, void *obj, const struct seen *s);
static void fw_finish(struct pctx *px, void *obj, const struct seen *s);
static void profile_finish(struct pctx *px, void *obj, const struct seen *s);
static const char *derive_fw_name(const void *obj, const void *parent,
				  char buf[CONF_DERIVE_MAX]);


static const char *const fw_redirection_names[] = {
    [CONF_FW_INSPECT] = "inspect",
    [CONF_FW_TRUST] = "trust",
    [CONF_FW_TRUST + 1] = NULL,
};

/* AWS offers CNAME only (BlockOverrideDnsType). */
static const char *const fw_override_types[] = {"CNAME", NULL};

/* Route 53 outbound endpoints speak Do53 and DoH (TargetAddress). */
static const char *const rule_protocol_names[] = {
    [CONF_PROTOCOL_DO53] = "do53",
    [CONF_PROTOCOL_DOH] = "doh",
    [CONF_PROTOCOL_DOH + 1] = NULL,
};

static bool
valid_doh_path(const char *text)
{
	return text[0] == '/' && strchr(text, ' ') == NULL;
}

static const struct ckey rule_keys[] = {
    {"domain", SCALAR(struct conf_rule, domain, CT_DOMAIN), .required = true},
    {"type", SCALAR(struct conf_rule, type, CT_ENUM), .required = true,
     .basis = true, .names = conf_rule_type_names},
    {"targets", SEQ(struct conf_rule, targets), .type = CT_STR,
     .valid = conf_valid_target,
     .hint = "a target (ADDR, ADDR:PORT, [IPV6]:PORT, IPV6, HOST or "
	     "HOST:PORT; port 1..65535)"},
    {"protocol", SCALAR(struct conf_rule, protocol, CT_ENUM), .def = "do53",
     .names = rule_protocol_names},
    {"server-name-indication", SCALAR(struct conf_rule, server_name, CT_ZONE)},
    {"ca-file", SCALAR(struct conf_rule, ca_file, CT_PATH)},
    {"doh-path", SCALAR(struct conf_rule, doh_path, CT_STR),
     .valid = valid_doh_path, .hint = "a path starting with '/'"},
};
const struct ctable conf_rule_table =
    TABLE(rule_keys, LINE(struct conf_rule), rule_finish);

static const char *const hc_type_names[] = {
    [CONF_HC_STATIC] = "static",
    [CONF_HC_TCP] = "tcp",
    [CONF_HC_HTTP] = "http",
    [CONF_HC_HTTP + 1] = NULL,
};

/* conf_bool_names order: the odd index is true. */
static const char *const hc_status_names[] = {"down", "up", NULL};

static void hc_finish(struct pctx *px, void *obj, const struct seen *s);

/* Route 53 health checks by HealthCheckId (issue 11): a static status,
 * or a TCP connect / HTTP GET check that io/health.c runs. */
static const struct ckey hc_keys[] = {
    {"id", SCALAR(struct conf_health_check, id, CT_STR), .required = true},
    {"type", SCALAR(struct conf_health_check, type, CT_ENUM), .basis = true,
     .names = hc_type_names, .def = "static"},
    {"status", SCALAR(struct conf_health_check, healthy, CT_BOOL),
     .names = hc_status_names, .def = "up"},
    {"address", SCALAR(struct conf_health_check, addr, CT_SOCKADDR),
     .basis = true},
    {"path", SCALAR(struct conf_health_check, path, CT_STR), .def = "/"},
    {"interval", SCALAR(struct conf_health_check, interval, CT_UINT),
     .def = "10", .min = 1, .max = 300},
    {"failure-threshold",
     SCALAR(struct conf_health_check, failure_threshold, CT_UINT),
     .def = "3", .min = 1, .max = 10},
};
const struct ctable conf_health_table =
    TABLE(hc_keys, LINE(struct conf_health_check), hc_finish);

static void
hc_finish(struct pctx *px, void *obj, const struct seen *s)
{
	const struct conf_health_check *hc = obj;
	bool has_addr = conf_seen_val(s, "address") != NULL;

	if (hc->type == CONF_HC_STATIC && has_addr)
		conf_key_err(px, s, "address",
			     "a static health check has no address");
	if (hc->type != CONF_HC_STATIC && !has_addr)
		conf_key_err(px, s, "type",
			     "a tcp or http health check needs an address");
}

/* The override keys come last: their checks need action and response. */
static const struct ckey fw_keys[] = {
    {"priority", SCALAR(struct conf_fw_rule, priority, CT_UINT),
     .required = true, .min = 0, .max = UINT32_MAX},
    {"name", SCALAR(struct conf_fw_rule, name, CT_STR),
     .valid = conf_valid_aws_name, .hint = CONF_AWS_NAME_HINT,
     .derive = derive_fw_name},
    {"domains", SEQ(struct conf_fw_rule, domains), .type = CT_MATCH,
     .basis = true},
    {"domains-file", SCALAR(struct conf_fw_rule, domains_file, CT_PATH),
     .basis = true},
    {"action", SCALAR(struct conf_fw_rule, action, CT_ENUM), .required = true,
     .basis = true, .names = conf_fw_action_names},
    {"block-response", SCALAR(struct conf_fw_rule, block_response, CT_ENUM),
     .basis = true, .names = conf_fw_block_names, .def = "nodata"},
    {"block-override-domain",
     SCALAR(struct conf_fw_rule, override_domain, CT_ZONE)},
    {"block-override-dns-type",
     SCALAR(struct conf_fw_rule, override_type, CT_RRTYPE),
     .names = fw_override_types, .def = "CNAME"},
    {"block-override-ttl", SCALAR(struct conf_fw_rule, override_ttl, CT_UINT),
     .def = "0", .min = 0, .max = 604800},
    /* AWS FirewallRule Qtype; the type itself is set in fw_finish. */
    {"qtype", SCALAR(struct conf_fw_rule, qtype_text, CT_STR),
     .valid = valid_qtype, .hint = QTYPE_HINT},
    {"redirection", SCALAR(struct conf_fw_rule, redirection, CT_ENUM),
     .names = fw_redirection_names, .def = "inspect"},
};
const struct ctable conf_fw_table =
    TABLE(fw_keys, LINE(struct conf_fw_rule), fw_finish);

static const struct ckey profile_keys[] = {
    {"name", SCALAR(struct conf_profile, name, CT_STR), .required = true,
     .valid = conf_valid_aws_name, .hint = CONF_AWS_NAME_HINT},
    {"hosted-zones", SEQ(struct conf_profile, hosted_zones),
     .sub = &conf_zone_table},
    {"rules", SEQ(struct conf_profile, rules), .sub = &conf_rule_table},
    {"firewall", SEQ(struct conf_profile, firewall), .sub = &conf_fw_table},
};
const struct ctable conf_profile_table =
    TABLE(profile_keys, LINE(struct conf_profile), profile_finish);

/* vpcs[].profiles[]: "shared" or {name: shared, priority: 100}. */
static const struct ckey profile_ref_keys[] = {
    {"name", SCALAR(struct conf_profile_ref, name, CT_STR), .required = true,
     .valid = conf_valid_aws_name, .hint = CONF_AWS_NAME_HINT},
    {"priority", SCALAR(struct conf_profile_ref, priority, CT_UINT),
     .min = 100, .max = 9900, PRESENT(struct conf_profile_ref, priority_set)},
};
const struct ctable conf_profile_ref_table = {
    profile_ref_keys, sizeof(profile_ref_keys) / sizeof(profile_ref_keys[0]),
    LINE(struct conf_profile_ref), NULL, "name"};
/* (TABLE() with a scalar_key: a bare name is {name: ...}.) */

/* ---- derived defaults -------------------------------------------------- */

/* "rule-<priority>", so that query logs always have a name to show. */
static const char *
derive_fw_name(const void *obj, const void *parent, char buf[CONF_DERIVE_MAX])
{
	const struct conf_fw_rule *r = obj;

	(void)parent;
	snprintf(buf, CONF_DERIVE_MAX, "rule-%u", r->priority);
	return buf;
}

/* ---- resolver rules ---------------------------------------------------- */

/* SPEC 1.5: forward sends to targets; system resolves normally; delegate
 * (DelegationRecord) sends to the name servers of the hosted zone's NS
 * records for the domain, so it has no targets of its own. */
static void
rule_finish(struct pctx *px, void *obj, const struct seen *s)
{
	const struct conf_rule *r = obj;

	if (r->type == CONF_RULE_FORWARD && r->n_targets == 0)
		conf_key_err(px, s, "targets",
			     "a forward rule needs at least one target");
	if (r->type == CONF_RULE_SYSTEM && conf_seen_val(s, "targets") != NULL)
		conf_key_err(px, s, "targets",
			     "a system rule has no targets (it resolves "
			     "normally)");
	if (r->protocol == CONF_PROTOCOL_DOH && r->type != CONF_RULE_FORWARD)
		conf_key_err(px, s, "protocol",
			     "only a forward rule sends to targets");
	if (r->protocol != CONF_PROTOCOL_DOH)
		for (size_t i = 0; i < 3; i++) {
			static const char *const doh_only[] = {
			    "server-name-indication", "ca-file", "doh-path"};

			if (conf_seen_val(s, doh_only[i]) != NULL)
				conf_key_err(px, s, doh_only[i],
					     "only used with protocol: doh");
		}
	if (r->type == CONF_RULE_DELEGATE &&
	    conf_seen_val(s, "targets") != NULL)
		conf_key_err(px, s, "targets",
			     "a delegate rule has no targets (it follows the "
			     "NS records of the domain in a hosted zone)");
}

/* ---- firewall rules: the domains-file ---------------------------------- */

/* Where a domains-file is being read. */
struct dfile {
	struct conf_fw_rule *r; /* the rule its domains go to */
	unsigned at;		/* line of the domains-file key */
	unsigned line;		/* line being read, 1-based */
	unsigned errors;	/* messages about this file so far */
	size_t cap;		/* elements allocated in r->domains */
};

static __attribute__((format(printf, 3, 4))) void
dfile_err(struct pctx *px, struct dfile *df, const char *fmt, ...)
{
	char msg[FW_LINE_MAX + 128];
	va_list ap;

	if (++df->errors > FW_FILE_MAX_ERRORS + 1)
		return;
	if (df->errors == FW_FILE_MAX_ERRORS + 1) {
		conf_file_err(px, df->r->domains_file, df->line, df->at,
			      "more problems in this file are not shown");
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	conf_file_err(px, df->r->domains_file, df->line, df->at, "%s", msg);
}

static void
dfile_push(struct pctx *px, struct dfile *df, char *d)
{
	struct conf_fw_rule *r = df->r;
	char **v;

	if (r->n_domains == df->cap) {
		df->cap = df->cap < 8 ? 16 : 2 * df->cap;
		if ((v = realloc(r->domains, df->cap * sizeof(*v))) == NULL) {
			free(d);
			px->oom = true;
			return;
		}
		r->domains = v;
	}
	r->domains[r->n_domains++] = d;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* One line of @n bytes: blank, a comment, or one domain (SPEC 1.5a). */
static void
dfile_line(struct pctx *px, struct dfile *df, const char *p, size_t n)
{
	char buf[FW_LINE_MAX], vb[CONF_SHOW_MAX];
	const char *hash = memchr(p, '#', n), *why;
	size_t b = 0;
	char *d;

	if (hash != NULL)
		n = (size_t)(hash - p);
	while (b < n && is_blank(p[b]))
		b++;
	while (n > b && is_blank(p[n - 1]))
		n--;
	if (b == n)
		return;
	if (n - b >= sizeof(buf)) {
		dfile_err(px, df, "a line longer than %d bytes is no domain",
			  FW_LINE_MAX - 1);
		return;
	}
	memcpy(buf, p + b, n - b);
	buf[n - b] = '\0';
	if (strlen(buf) != n - b) {
		dfile_err(px, df, "contains a NUL character");
	} else if (strpbrk(buf, " \t\r\v\f") != NULL) {
		dfile_err(px, df, "'%s': one domain a line",
			  conf_show(buf, vb));
	} else if ((d = conf_dname(px, buf, CT_MATCH, &why)) != NULL) {
		dfile_push(px, df, d);
	} else if (!px->oom) {
		dfile_err(px, df, "'%s' is not a valid DNS name%s",
			  conf_show(buf, vb), why);
	}
}

/* Appends the domains of r->domains_file to r->domains; false when the
 * file cannot be read (reported at the key) or has a bad line. */
static bool
fw_read_domains(struct pctx *px, struct conf_fw_rule *r, const struct seen *s)
{
	const yaml_node_t *val = conf_seen_val(s, "domains-file");
	struct dfile df = {.r = r, .cap = r->n_domains};
	const char *shown = conf_scalar_str(val), *nl;
	char vb[CONF_SHOW_MAX], *text = NULL;
	size_t len = 0, pos = 0, n, old;
	int rc, err;

	df.at = conf_node_line(px, val);
	rc = reader_read(px->cf->reader, r->domains_file, CONF_MAX_FILE, &text,
			 &len, &err);
	if (rc == VPC_ENOMEM)
		px->oom = true;
	if (rc == VPC_EIO)
		conf_key_err(
		    px, s, "domains-file", "cannot read '%s': %s",
		    conf_show(shown != NULL ? shown : "", vb),
		    conf_read_error(err));
	if (rc != VPC_OK)
		return false;
	old = conf_path_add(px, ".domains-file");
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3; /* a UTF-8 byte order mark, as some editors write */
	while (pos < len && !px->oom) {
		nl = memchr(text + pos, '\n', len - pos);
		n = nl != NULL ? (size_t)(nl - (text + pos)) : len - pos;
		if (df.line < UINT_MAX)
			df.line++;
		dfile_line(px, &df, text + pos, n);
		pos += n + 1;
	}
	conf_path_pop(px, old);
	free(text);
	return df.errors == 0;
}

/* ---- firewall rules: checks -------------------------------------------- */

/* block-response only with action block; block-override-* only with
 * block-response override, which needs block-override-domain. */
static void
fw_check_block(struct pctx *px, const struct conf_fw_rule *r,
	       const struct seen *s)
{
	static const char *const override_keys[] = {
	    "block-override-domain",
	    "block-override-dns-type",
	    "block-override-ttl",
	};
	bool block = r->action == CONF_FW_BLOCK;
	bool override = block && r->block_response == CONF_FW_OVERRIDE;

	if (!block && conf_seen_val(s, "block-response") != NULL)
		conf_key_err(px, s, "block-response",
			     "only a rule with action: block has a block "
			     "response");
	for (size_t i = 0; i < 3; i++)
		if (!override && conf_seen_val(s, override_keys[i]) != NULL)
			conf_key_err(px, s, override_keys[i],
				     "only a rule with action: block and "
				     "block-response: override has it");
	if (override && conf_seen_val(s, "block-override-domain") == NULL)
		conf_key_err(px, s, "block-override-domain",
			     "missing, and required with block-response: "
			     "override (the CNAME target of the answer)");
}

static void
fw_finish(struct pctx *px, void *obj, const struct seen *s)
{
	struct conf_fw_rule *r = obj;
	bool file_ok = r->domains_file == NULL || fw_read_domains(px, r, s);

	/* After a file's own problems, its emptiness would only echo them. */
	if (r->qtype_text != NULL)
		r->qtype = qtype_value(r->qtype_text);
	if (file_ok && r->n_domains == 0 && !px->oom)
		conf_key_err(
		    px, s, r->domains_file != NULL ? "domains-file" : "domains",
		    "a firewall rule needs at least one domain "
		    "(domains or domains-file)");
	fw_check_block(px, r, s);
}

/* ---- lists of rules ---------------------------------------------------- */

static void
check_rule_domains(struct pctx *px, const struct conf_rule *rules, size_t n)
{
	const struct conf_rule *a, *b;
	size_t old;

	for (size_t i = 0; i < n; i++) {
		a = &rules[i];
		for (size_t j = 0; j < i && a->domain != NULL; j++) {
			b = &rules[j];
			if (b->domain == NULL || strcmp(a->domain, b->domain))
				continue;
			old = conf_path_add(px, ".rules[%zu].domain", i);
			conf_perr(px, a->line,
				  "duplicate domain %s (first at line %u)",
				  a->domain, b->line);
			conf_path_pop(px, old);
			break;
		}
	}
}

/* SPEC Part 2: priorities are unique within one list; lower goes first. */
static void
check_fw_priorities(struct pctx *px, const struct conf_fw_rule *fw, size_t n)
{
	size_t old;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++) {
			if (fw[i].priority != fw[j].priority)
				continue;
			old = conf_path_add(px, ".firewall[%zu].priority", i);
			conf_perr(px, fw[i].line,
				  "duplicate priority %u (first at line %u)",
				  fw[i].priority, fw[j].line);
			conf_path_pop(px, old);
			break;
		}
	}
}

void
conf_check_policy(struct pctx *px, const struct conf_rule *rules,
		  size_t n_rules, const struct conf_fw_rule *fw, size_t n_fw)
{
	check_rule_domains(px, rules, n_rules);
	check_fw_priorities(px, fw, n_fw);
}

/* ---- profiles ---------------------------------------------------------- */

static void
profile_finish(struct pctx *px, void *obj, const struct seen *s)
{
	const struct conf_profile *p = obj;

	(void)s;
	conf_check_zones(px, p->hosted_zones, p->n_hosted_zones);
	conf_check_policy(px, p->rules, p->n_rules, p->firewall, p->n_firewall);
}

static size_t
find_profile(const struct conf *cf, const char *name)
{
	for (size_t i = 0; i < cf->n_profiles; i++)
		if (cf->profiles[i].name != NULL &&
		    strcmp(cf->profiles[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

static bool
has_index(const size_t *v, size_t n, size_t idx)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == idx)
			return true;
	return false;
}

/* The evaluation rank of a VPC's profile reference: its priority, or,
 * without one, after every priority (AWS has no default; vpcdns keeps the
 * order written). */
static uint32_t
ref_rank(const struct conf_profile_ref *r)
{
	return r->priority_set ? r->priority : 9901;
}

/* Turns vpcs[@v].profiles into indexes in evaluation order: by
 * priority, then as written; two equal explicit priorities are an error
 * (as AWS refuses them). */
static void
vpc_profiles(struct pctx *px, struct conf *cf, size_t v)
{
	struct conf_vpc *vpc = &cf->vpcs[v];
	const struct conf_profile_ref *refs = vpc->profile_refs;
	char vb[CONF_SHOW_MAX];
	size_t *rank_of, idx, old;

	if (vpc->n_profile_refs == 0)
		return;
	vpc->profiles = calloc(vpc->n_profile_refs, sizeof(*vpc->profiles));
	rank_of = calloc(vpc->n_profile_refs, sizeof(*rank_of));
	if (vpc->profiles == NULL || rank_of == NULL) {
		free(rank_of);
		px->oom = true;
		return;
	}
	for (size_t j = 0; j < vpc->n_profile_refs; j++) {
		if (refs[j].name == NULL)
			continue; /* already reported */
		old = conf_path_add(px, "vpcs[%zu].profiles[%zu]", v, j);
		idx = find_profile(cf, refs[j].name);
		if (idx == SIZE_MAX) {
			conf_perr(px, refs[j].line, "no profile '%s' is defined",
				  conf_show(refs[j].name, vb));
		} else if (has_index(vpc->profiles, vpc->n_profiles, idx)) {
			conf_perr(px, refs[j].line,
				  "profile '%s' is listed twice",
				  conf_show(refs[j].name, vb));
		} else {
			for (size_t i = 0; i < j; i++)
				if (refs[i].priority_set &&
				    refs[j].priority_set &&
				    refs[i].priority == refs[j].priority) {
					conf_perr(px, refs[j].line,
						  "priority %u is taken by "
						  "profile '%s' (line %u)",
						  refs[j].priority,
						  conf_show(refs[i].name, vb),
						  refs[i].line);
					break;
				}
			rank_of[vpc->n_profiles] = j;
			vpc->profiles[vpc->n_profiles++] = idx;
		}
		conf_path_pop(px, old);
	}
	/* Insertion sort by rank; equal ranks keep the written order. */
	for (size_t i = 1; i < vpc->n_profiles; i++)
		for (size_t k = i; k > 0 && ref_rank(&refs[rank_of[k - 1]]) >
						 ref_rank(&refs[rank_of[k]]);
		     k--) {
			size_t t = vpc->profiles[k], r = rank_of[k];

			vpc->profiles[k] = vpc->profiles[k - 1];
			rank_of[k] = rank_of[k - 1];
			vpc->profiles[k - 1] = t;
			rank_of[k - 1] = r;
		}
	free(rank_of);
}

void
conf_check_profiles(struct pctx *px, struct conf *cf)
{
	const struct conf_profile *p;
	char wb[CONF_WHERE_MAX];
	size_t first, old;

	for (size_t i = 0; i < cf->n_profiles; i++) {
		p = &cf->profiles[i];
		if (p->name == NULL || (first = find_profile(cf, p->name)) == i)
			continue;
		old = conf_path_add(px, "profiles[%zu].name", i);
		conf_perr(px, p->line,
			  "duplicate profile name '%s' (first at %s)",
			  p->name, conf_where(px, cf->profiles[first].line, wb));
		conf_path_pop(px, old);
	}
	for (size_t v = 0; v < cf->n_vpcs && !px->oom; v++)
		vpc_profiles(px, cf, v);
}
