/*
 * resolver/conf/conf_value.c - configuration: addresses, names and converters.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The scalar side of the configuration parser: conf_parse_sockaddr() and
 * conf_parse_cidr(), DNS name checks, and one converter per enum ctype that
 * turns a YAML scalar into the field a table key names.  Converters record
 * problems through conf_perr() and never stop the load; a failed
 * conversion leaves the field as it was.  No state of its own: everything
 * lives in the struct pctx of the load.
 */
#include "config.h"

#include "conf/conf.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf_internal.h"
#include "util/err.h"
#include "dns/wire.h"

/* Enum fields are written through an unsigned (see parse_enum()). */
_Static_assert(sizeof(enum conf_endpoint_type) == sizeof(unsigned),
	       "enum conf_endpoint_type must have the size of unsigned");
_Static_assert(sizeof(enum conf_ip_type) == sizeof(unsigned),
	       "enum conf_ip_type must have the size of unsigned");
_Static_assert(sizeof(enum conf_rule_type) == sizeof(unsigned),
	       "enum conf_rule_type must have the size of unsigned");
_Static_assert(sizeof(enum conf_fw_action) == sizeof(unsigned),
	       "enum conf_fw_action must have the size of unsigned");
_Static_assert(sizeof(enum conf_fw_block) == sizeof(unsigned),
	       "enum conf_fw_block must have the size of unsigned");
/* CT_UINT writes a uint32_t, also into unsigned fields (priority). */
_Static_assert(sizeof(unsigned) == sizeof(uint32_t),
	       "unsigned must have the size of uint32_t");

/* Odd index: true.  YAML 1.1 also has on/off and capitals: not here. */
const char *const conf_bool_names[] = {"false", "true", "no", "yes", NULL};

const char *const conf_endpoint_type_names[] = {
    [CONF_ENDPOINT_INTERFACE] = "interface",
    [CONF_ENDPOINT_GATEWAY] = "gateway",
    [CONF_ENDPOINT_RESOURCE] = "resource",
    [CONF_ENDPOINT_RESOURCE + 1] = NULL,
};

const char *const conf_ip_type_names[] = {
    [CONF_IP_IPV4] = "ipv4",
    [CONF_IP_DUALSTACK] = "dualstack",
    [CONF_IP_IPV6] = "ipv6",
    [CONF_IP_SERVICE_DEFINED] = "service-defined",
    [CONF_IP_SERVICE_DEFINED + 1] = NULL,
};

const char *const conf_rule_type_names[] = {
    [CONF_RULE_FORWARD] = "forward",
    [CONF_RULE_SYSTEM] = "system",
    [CONF_RULE_DELEGATE] = "delegate",
    [CONF_RULE_DELEGATE + 1] = NULL,
};

const char *const conf_fw_action_names[] = {
    [CONF_FW_ALLOW] = "allow",
    [CONF_FW_BLOCK] = "block",
    [CONF_FW_ALERT] = "alert",
    [CONF_FW_ALERT + 1] = NULL,
};

const char *const conf_fw_block_names[] = {
    [CONF_FW_NODATA] = "nodata",
    [CONF_FW_NXDOMAIN] = "nxdomain",
    [CONF_FW_OVERRIDE] = "override",
    [CONF_FW_OVERRIDE + 1] = NULL,
};

/* ---- addresses ---------------------------------------------------------- */

static void
set_sockaddr(struct conf_sockaddr *out, int family, const uint8_t *addr,
	     uint16_t port)
{
	struct sockaddr_in sin = {0};
	struct sockaddr_in6 sin6 = {0};

	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons(port);
		memcpy(&sin.sin_addr, addr, 4);
		memcpy(&out->ss, &sin, sizeof(sin));
		out->len = sizeof(sin);
	} else {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(port);
		memcpy(&sin6.sin6_addr, addr, 16);
		memcpy(&out->ss, &sin6, sizeof(sin6));
		out->len = sizeof(sin6);
	}
}

/* Address bytes (network order) and port (host order) of @sa. */
const uint8_t *
conf_sockaddr_parts(const struct conf_sockaddr *sa, uint16_t *port)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&sa->ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&sa->ss;

	if (sa->ss.ss_family == AF_INET) {
		*port = ntohs(sin->sin_port);
		return (const uint8_t *)&sin->sin_addr;
	}
	*port = ntohs(sin6->sin6_port);
	return (const uint8_t *)&sin6->sin6_addr;
}

/* Splits "A", "A:P", "[V6]", "[V6]:P" or "V6"; *port NULL when none. */
static int
split_host_port(const char *text, char *host, size_t size, int *family,
		const char **port)
{
	const char *start = text, *end, *colon = strchr(text, ':');

	*port = NULL;
	*family = colon != NULL ? AF_INET6 : AF_INET;
	if (text[0] == '[') {
		start = text + 1;
		if ((end = strchr(start, ']')) == NULL ||
		    (end[1] != '\0' && end[1] != ':'))
			return VPC_EMALFORMED;
		*port = end[1] == ':' ? end + 2 : NULL;
		*family = AF_INET6;
	} else if (colon != NULL && strchr(colon + 1, ':') == NULL) {
		end = colon; /* one colon: IPv4:PORT */
		*port = colon + 1;
		*family = AF_INET;
	} else {
		end = text + strlen(text);
	}
	if (end == start || (size_t)(end - start) >= size)
		return VPC_EMALFORMED;
	memcpy(host, start, (size_t)(end - start));
	host[end - start] = '\0';
	return VPC_OK;
}

const char *
conf_format_sockaddr(const struct sockaddr *sa, char *out, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		snprintf(out, len, "%s:%u", host, ntohs(s4->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(out, len, "[%s]:%u", host, ntohs(s6->sin6_port));
	} else {
		snprintf(out, len, "?");
	}
	return out;
}

int
conf_parse_sockaddr(const char *text, uint16_t default_port,
		    struct conf_sockaddr *out)
{
	char host[INET6_ADDRSTRLEN];
	uint8_t addr[16];
	const char *port;
	uint32_t p = default_port;
	int family;

	if (split_host_port(text, host, sizeof(host), &family, &port) !=
		VPC_OK ||
	    inet_pton(family, host, addr) != 1 ||
	    (port != NULL && !conf_parse_u32(port, 1, 65535, &p)))
		return VPC_EMALFORMED;
	set_sockaddr(out, family, addr, (uint16_t)p);
	return VPC_OK;
}

/* The host bits of byte @byte of an address with prefix length @prefix. */
static uint8_t
host_mask(unsigned prefix, size_t byte)
{
	if (prefix >= (byte + 1) * 8)
		return 0;
	if (prefix <= byte * 8)
		return 0xff;
	return (uint8_t)(0xffu >> (prefix - byte * 8));
}

/* As conf_parse_cidr(); *host_bits tells why a good prefix was refused. */
static int
cidr_parse(const char *text, struct conf_cidr *out, bool *host_bits)
{
	const char *slash = strchr(text, '/');
	size_t hlen = slash != NULL ? (size_t)(slash - text) : strlen(text);
	char host[INET6_ADDRSTRLEN];
	struct conf_cidr c = {0};
	uint32_t prefix, max;

	*host_bits = false;
	if (hlen == 0 || hlen >= sizeof(host))
		return VPC_EMALFORMED;
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	c.family = strchr(host, ':') != NULL ? AF_INET6 : AF_INET;
	max = c.family == AF_INET ? 32 : 128;
	if (inet_pton(c.family, host, c.addr) != 1 ||
	    (slash != NULL && !conf_parse_u32(slash + 1, 0, max, &prefix)))
		return VPC_EMALFORMED;
	c.prefix = slash != NULL ? prefix : max;
	for (size_t i = 0; i < max / 8; i++)
		*host_bits |= (c.addr[i] & host_mask(c.prefix, i)) != 0;
	if (*host_bits)
		return VPC_EMALFORMED;
	*out = c;
	return VPC_OK;
}

int
conf_parse_cidr(const char *text, struct conf_cidr *out)
{
	bool host_bits;

	return cidr_parse(text, out, &host_bits);
}

bool
conf_cidr_match(const struct conf_cidr *list, size_t n,
		const struct sockaddr *sa)
{
	const uint8_t *a;
	int family = sa->sa_family;
	unsigned full, rest;

	if (family == AF_INET)
		a = (const uint8_t *)&((const struct sockaddr_in *)(const void *)
					   sa)->sin_addr;
	else if (family == AF_INET6)
		a = ((const struct sockaddr_in6 *)(const void *)sa)
			->sin6_addr.s6_addr;
	else
		return false;
	/* An IPv4-mapped IPv6 address is the IPv4 address. */
	if (family == AF_INET6 && IN6_IS_ADDR_V4MAPPED((const void *)a)) {
		a += 12;
		family = AF_INET;
	}
	for (size_t i = 0; i < n; i++) {
		full = list[i].prefix / 8;
		rest = list[i].prefix % 8;
		if (list[i].family != family ||
		    memcmp(list[i].addr, a, full) != 0)
			continue;
		if (rest == 0 ||
		    ((list[i].addr[full] ^ a[full]) & (0xffu << (8 - rest))) ==
			0)
			return true;
	}
	return false;
}

/*
 * A lowercase DNS name without trailing dot: letters, digits, '-' and '_'
 * in labels of 1..63 bytes, at most 255 bytes in wire form; with
 * @wildcard, a leading "*." label (private DNS names such as *.dkr.ecr.*).
 */
bool
conf_name_ok(const char *s, bool wildcard)
{
	uint8_t wire[WIRE_MAX_NAME_LEN];
	const char *p = s;

	if (wildcard && strncmp(s, "*.", 2) == 0)
		p = s + 2;
	for (; *p != '\0'; p++)
		if (!text_is_lower(*p) && !text_is_digit(*p) && *p != '-' &&
		    *p != '_' && *p != '.')
			return false;
	if (s[0] == '\0' || s[strlen(s) - 1] == '.')
		return false;
	return wire_name_from_text(s, wire) != 0;
}

/* ---- scalar converters, one per enum ctype ---------------------------- */

static void
parse_str(struct pctx *px, const char *text, unsigned line,
	  const struct ckey *k, void *dst)
{
	char vb[CONF_SHOW_MAX];

	if (text[0] == '\0')
		conf_perr(px, line, "must not be empty");
	else if (k->valid != NULL && !k->valid(text))
		conf_perr(px, line, "'%s' is not %s", conf_show(text, vb),
			  k->hint);
	else
		*(char **)dst = conf_xstrdup(px, text);
}

static void
parse_uint(struct pctx *px, const char *text, unsigned line,
	   const struct ckey *k, void *dst)
{
	char vb[CONF_SHOW_MAX];

	if (!conf_parse_u32(text, k->min, k->max, dst))
		conf_perr(px, line, "'%s' is not a whole number in %u..%u",
			  conf_show(text, vb), k->min, k->max);
}

/* CT_ENUM stores the index of the name; CT_BOOL whether it is odd.  A
 * CT_ENUM key with .max accepts only the first .max names. */
static void
parse_enum(struct pctx *px, const char *text, unsigned line,
	   const struct ckey *k, void *dst)
{
	char vb[CONF_SHOW_MAX], list[128] = "";
	unsigned i;

	for (i = 0; k->names[i] != NULL && (k->max == 0 || i < k->max); i++) {
		if (strcmp(text, k->names[i]) == 0)
			break;
		if (strlen(list) + strlen(k->names[i]) + 3 < sizeof(list)) {
			strcat(list, i > 0 ? ", " : "");
			strcat(list, k->names[i]);
		}
	}
	if (k->names[i] == NULL || (k->max != 0 && i >= k->max))
		conf_perr(px, line, "'%s' is not one of: %s",
			  conf_show(text, vb), list);
	else if (k->type == CT_BOOL)
		*(bool *)dst = i & 1;
	else
		memcpy(dst, &i, sizeof(i));
}

/* Sets the port of the address parsed before it (table order). */
static void
parse_port(struct pctx *px, const char *text, unsigned line,
	   const struct ckey *k, void *dst)
{
	struct conf_sockaddr *sa = dst;
	size_t nerr = px->nerr;
	uint8_t addr[16];
	uint32_t port = 0;
	uint16_t old;

	parse_uint(px, text, line, k, &port);
	if (px->nerr != nerr)
		return;
	if (sa->ss.ss_family == AF_INET || sa->ss.ss_family == AF_INET6) {
		memcpy(addr, conf_sockaddr_parts(sa, &old), 16);
		set_sockaddr(sa, sa->ss.ss_family, addr, (uint16_t)port);
	}
}

static void
parse_sockaddr(struct pctx *px, const char *text, unsigned line,
	       const struct ckey *k, void *dst)
{
	char vb[CONF_SHOW_MAX];

	(void)k;
	if (conf_parse_sockaddr(text, CONF_DEFAULT_PORT, dst) != VPC_OK)
		conf_perr(
		    px, line,
		    "'%s' is not ADDR, ADDR:PORT, [IPV6]:PORT or IPV6 (port "
		    "1..65535)",
		    conf_show(text, vb));
}

static void
parse_cidr(struct pctx *px, const char *text, unsigned line,
	   const struct ckey *k, void *dst)
{
	char vb[CONF_SHOW_MAX];
	bool host_bits;

	(void)k;
	if (cidr_parse(text, dst, &host_bits) == VPC_OK)
		return;
	conf_perr(px, line, "'%s' %s", conf_show(text, vb),
		  host_bits ? "has host bits set after the prefix length"
			    : "is not an address prefix (ADDR/LENGTH)");
}

/* CT_IPV4 and CT_IPV6 fill bytes; CT_ADDR takes either, as a sockaddr. */
static void
parse_ip(struct pctx *px, const char *text, unsigned line, const struct ckey *k,
	 void *dst)
{
	int family = k->type == CT_IPV6 ? AF_INET6 : AF_INET;
	char vb[CONF_SHOW_MAX];
	uint8_t addr[16];

	if (k->type == CT_ADDR && inet_pton(family, text, addr) != 1)
		family = AF_INET6;
	if (inet_pton(family, text, addr) != 1) {
		conf_perr(px, line, "'%s' is not an %s address",
			  conf_show(text, vb),
			  k->type == CT_ADDR  ? "IPv4 or IPv6"
			  : family == AF_INET ? "IPv4"
					      : "IPv6");
		return;
	}
	if (k->type == CT_ADDR)
		set_sockaddr(dst, family, addr, 0);
	else
		memcpy(dst, addr, family == AF_INET ? 4 : 16);
}

/* What each kind of name accepts, for messages. */
static const char *
dname_hint(enum ctype t)
{
	switch (t) {
	case CT_NAME:
		return " (\"*.\" is allowed only in front)";
	case CT_DOMAIN:
		return " (or \".\" for the root)";
	case CT_MATCH:
		return " (a name, \"*.\" and a name, or \"*\" alone)";
	default:
		return "";
	}
}

char *
conf_dname(struct pctx *px, const char *text, enum ctype t, const char **why)
{
	bool wildcard = t == CT_NAME || t == CT_MATCH;
	char *s;
	size_t n;

	*why = dname_hint(t);
	/* The root and the match-all pattern are whole values, not forms of
	 * a name: ".." and "*." are refused below. */
	if ((t == CT_DOMAIN && strcmp(text, ".") == 0) ||
	    (t == CT_MATCH && strcmp(text, "*") == 0))
		return conf_xstrdup(px, text);
	if ((s = conf_xstrdup(px, text)) == NULL)
		return NULL;
	if ((n = strlen(s)) > 1 && s[n - 1] == '.')
		s[n - 1] = '\0';
	for (char *p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (conf_name_ok(s, wildcard))
		return s;
	free(s);
	return NULL;
}

/* Stores a DNS name lowercased and without its trailing dot. */
static void
parse_dname(struct pctx *px, const char *text, unsigned line,
	    const struct ckey *k, void *dst)
{
	char vb[CONF_SHOW_MAX];
	const char *why;
	char *s = conf_dname(px, text, k->type, &why);

	if (s != NULL)
		*(char **)dst = s;
	else if (!px->oom)
		conf_perr(px, line, "'%s' is not a valid DNS name%s",
			  conf_show(text, vb), why);
}

/* Relative paths are relative to the configuration file (SPEC Part 2). */
static void
parse_path(struct pctx *px, const char *text, unsigned line,
	   const struct ckey *k, void *dst)
{
	char *s;

	if (text[0] == '\0') {
		conf_perr(px, line, "must not be empty");
		return;
	}
	if (k->type == CT_OUTPATH && strcmp(text, "-") == 0)
		s = strdup(text); /* standard output, not a file named "-" */
	else if (text[0] == '/')
		s = strdup(text);
	else
		s = conf_format("%s%s", conf_loc_dir(px, line), text);
	if (s == NULL)
		px->oom = true;
	*(char **)dst = s;
}

/* RR types by mnemonic; a key's names[] says which it accepts. */
static const struct {
	const char *name;
	uint16_t type;
} rrtypes[] = {
    {"CNAME", 5}, /* RFC 1035 §3.2.2 */
};

/* Stores the RR type of a mnemonic in k->names, in any case (as in zone
 * files). */
static void
parse_rrtype(struct pctx *px, const char *text, unsigned line,
	     const struct ckey *k, void *dst)
{
	char vb[CONF_SHOW_MAX], list[128] = "";

	for (size_t i = 0; k->names[i] != NULL; i++) {
		for (size_t j = 0; j < sizeof(rrtypes) / sizeof(rrtypes[0]);
		     j++) {
			if (strcasecmp(text, k->names[i]) == 0 &&
			    strcmp(rrtypes[j].name, k->names[i]) == 0) {
				*(uint16_t *)dst = rrtypes[j].type;
				return;
			}
		}
		if (strlen(list) + strlen(k->names[i]) + 3 < sizeof(list)) {
			strcat(list, i > 0 ? ", " : "");
			strcat(list, k->names[i]);
		}
	}
	conf_perr(px, line, "'%s' is not one of: %s", conf_show(text, vb),
		  list);
}

/* A prefix, or "any": both families, expanded by the top-level finish. */
static void
parse_allow(struct pctx *px, const char *text, unsigned line,
	    const struct ckey *k, void *dst)
{
	struct conf_cidr any = {.family = AF_UNSPEC};

	if (strcmp(text, "any") == 0)
		memcpy(dst, &any, sizeof(any));
	else
		parse_cidr(px, text, line, k, dst);
}

typedef void (*scalar_fn)(struct pctx *px, const char *text, unsigned line,
			  const struct ckey *k, void *dst);

static const scalar_fn ctypes[] = {
    [CT_STR] = parse_str,	    [CT_UINT] = parse_uint,
    [CT_BOOL] = parse_enum,	    [CT_ENUM] = parse_enum,
    [CT_ADDR] = parse_ip,	    [CT_PORT] = parse_port,
    [CT_SOCKADDR] = parse_sockaddr, [CT_CIDR] = parse_cidr,
    [CT_IPV4] = parse_ip,	    [CT_IPV6] = parse_ip,
    [CT_NAME] = parse_dname,	    [CT_ZONE] = parse_dname,
    [CT_PATH] = parse_path,	    [CT_DOMAIN] = parse_dname,
    [CT_MATCH] = parse_dname,	    [CT_RRTYPE] = parse_rrtype,
    [CT_OUTPATH] = parse_path,	    [CT_ALLOW] = parse_allow,
};

void
conf_scalar(struct pctx *px, const char *text, unsigned line,
	    const struct ckey *k, void *dst)
{
	ctypes[k->type](px, text, line, k, dst);
}

bool
conf_owns(enum ctype t)
{
	return t == CT_STR || t == CT_NAME || t == CT_ZONE || t == CT_PATH ||
	       t == CT_DOMAIN || t == CT_MATCH || t == CT_OUTPATH;
}
