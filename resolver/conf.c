/*
 * resolver/conf.c - configuration: parse and validate the YAML file.
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
 * struct pctx and turns the result into VPC_ENOMEM.  Zone files are not
 * opened here.  There is no global state: loads may run concurrently, and
 * the struct conf they build is never changed afterwards.
 */
#include "config.h"

#include "conf.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "err.h"
#include "wire.h"

#define CONF_MAX_DEPTH 64	  /* YAML nesting accepted at all */
#define CONF_MAX_KEYS 16	  /* keys of the largest table */
#define CONF_MAX_FILE (16L << 20) /* bytes of a configuration file */
#define CONF_PATH_MAX 128	  /* "vpcs[1].endpoints[2].subnets[3]" */
#define SHOW_MAX 72		  /* bytes of a value quoted in a message */
#define INBOUND_ONLY_KEY "private-dns-only-for-inbound-resolver-endpoint"

#define XSTR(x) STR(x)
#define STR(x) #x

/* Enum fields are written through an unsigned (see parse_enum()). */
_Static_assert(sizeof(enum conf_endpoint_type) == sizeof(unsigned),
	       "enum conf_endpoint_type must have the size of unsigned");
_Static_assert(sizeof(enum conf_ip_type) == sizeof(unsigned),
	       "enum conf_ip_type must have the size of unsigned");

/* State of one load. */
struct pctx {
	const char *file;	  /* name used in messages */
	char *dir;		  /* prefix of relative paths: "" or ends
				     in '/' */
	yaml_document_t *doc;	  /* document being walked */
	struct conf_errors *errs; /* where messages go */
	size_t nerr;		  /* messages added by this load */
	bool oom;		  /* an allocation failed (sticky) */
	bool in_default;	  /* walking a table default: no lines */
	size_t path_len;	  /* bytes used in path */
	char path[CONF_PATH_MAX]; /* where we are: "vpcs[0].endpoints[1]" */
};

enum ckind {
	CK_SCALAR,  /* one value, converted by its ctype */
	CK_SEQ,	    /* a list of values (ctype) or of mappings (sub) */
	CK_MAP,	    /* a mapping whose keys fill the same object (sub) */
	CK_PLANNED, /* a key of a later release: rejected */
};

enum ctype {
	CT_STR,	     /* char *, checked by valid() */
	CT_UINT,     /* uint32_t in min..max */
	CT_BOOL,     /* bool: odd index in names[] (bool_names) */
	CT_ENUM,     /* an enum: index in names[] */
	CT_ADDR,     /* struct conf_sockaddr, address only */
	CT_PORT,     /* the port of that struct conf_sockaddr, min..max */
	CT_SOCKADDR, /* struct conf_sockaddr from ADDR[:PORT] */
	CT_CIDR,     /* struct conf_cidr */
	CT_IPV4,     /* uint8_t[4], network order */
	CT_IPV6,     /* uint8_t[16], network order */
	CT_NAME,     /* char *, DNS name, "*." allowed in front */
	CT_ZONE,     /* char *, DNS name of a zone apex */
	CT_PATH,     /* char *, made absolute against the config's dir */
};

struct ckey;
struct seen;

struct ctable {
	const struct ckey *keys;
	size_t n;
	size_t line_off; /* offsetof(line) + 1 in the object, 0 = none */
	/* Checks across keys, skipped when a key marked basis failed. */
	void (*finish)(struct pctx *px, void *obj, const struct seen *s);
};

struct ckey {
	const char *name; /* YAML key */
	enum ckind kind;
	enum ctype type;	  /* CK_SCALAR and lists of values */
	const struct ctable *sub; /* CK_MAP, lists of mappings */
	size_t off;		  /* the field; CK_SEQ: the array pointer */
	size_t n_off;		  /* CK_SEQ: the element count */
	size_t size;		  /* CK_SEQ: bytes of an element */
	size_t present;		  /* offsetof(bool) + 1, set when the key
				     is given; 0 = none */
	bool required;		  /* absent is an error */
	bool basis;		  /* finish() needs this key's value */
	bool nonempty;		  /* CK_SEQ: [] is an error */
	const char *def;	  /* default as YAML text, NULL = none */
	/* Default computed from the keys above it in the table or, when
	 * late, from the parent object (applied by the parent's finish). */
	const char *(*derive)(const void *obj, const void *parent);
	bool late;
	uint32_t min, max;		 /* CT_UINT, CT_PORT */
	const char *const *names;	 /* CT_ENUM, NULL-terminated */
	bool (*valid)(const char *text); /* CT_STR, NULL = any */
	const char *hint; /* what valid() accepts, for messages */
};

/* The value nodes of one mapping, by key index. */
struct seen {
	const struct ctable *t;
	const yaml_node_t *map;		       /* NULL: all defaults */
	const yaml_node_t *val[CONF_MAX_KEYS]; /* NULL: key absent */
};

/* ---- small helpers ---------------------------------------------------- */

static bool
is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

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

static __attribute__((format(printf, 1, 2))) char *
format(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	return s;
}

/*
 * Copies @s for a message: at most SHOW_MAX bytes, and bytes that could
 * forge a log line or break the quoting become '?'.
 */
static const char *
show(const char *s, char buf[SHOW_MAX])
{
	size_t i, o = 0;

	for (i = 0; s[i] != '\0' && o < SHOW_MAX - 4; i++) {
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
static bool
parse_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (*text == '\0')
		return false;
	for (; *text != '\0'; text++) {
		if (!is_digit(*text))
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
		full = format("%s: %s", file, msg);
	else
		full = format("%s:%u: %s", file, line, msg);
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

/* Records "file:line: path: message" ("file:line: message" at the top). */
static __attribute__((format(printf, 3, 0))) void
vreport(struct pctx *px, unsigned line, const char *fmt, va_list ap)
{
	char *msg = vformat(fmt, ap);
	int rc;

	if (msg == NULL) {
		px->oom = true;
		return;
	}
	rc = conf_errors_add(px->errs, px->file, line, "%s%s%s", px->path,
			     px->path_len > 0 ? ": " : "", msg);
	free(msg);
	if (rc != VPC_OK)
		px->oom = true;
	px->nerr++;
}

static __attribute__((format(printf, 3, 4))) void
perr(struct pctx *px, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(px, line, fmt, ap);
	va_end(ap);
}

static char *
xstrdup(struct pctx *px, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		px->oom = true;
	return d;
}

/* ---- where we are: lines and paths ------------------------------------ */

static unsigned
mark_line(yaml_mark_t m)
{
	return m.line >= UINT_MAX - 1 ? UINT_MAX : (unsigned)m.line + 1;
}

static unsigned
node_line(const struct pctx *px, const yaml_node_t *n)
{
	if (n == NULL || px->in_default)
		return 0;
	return mark_line(n->start_mark);
}

/* Appends to the path; returns the length to restore with path_pop(). */
static __attribute__((format(printf, 2, 3))) size_t
path_add(struct pctx *px, const char *fmt, ...)
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
	return path_add(px, px->path_len == 0 ? "%s" : ".%s", name);
}

static void
path_pop(struct pctx *px, size_t old)
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

/* A scalar with a NUL inside cannot be used as a C string: NULL. */
static const char *
scalar_str(const yaml_node_t *n)
{
	const char *s;

	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	s = (const char *)n->data.scalar.value;
	return strlen(s) == n->data.scalar.length ? s : NULL;
}

/* YAML 1.1 null: an empty, "~" or "null" plain scalar. */
static bool
is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
	const char *s = scalar_str(n);

	if (s == NULL || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(s, nulls[i]) == 0)
			return true;
	return false;
}

static const yaml_node_t *
map_get(const struct pctx *px, const yaml_node_t *map, const char *name)
{
	const yaml_node_pair_t *p;
	const char *key;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		key = scalar_str(yaml_document_get_node(px->doc, p->key));
		if (key != NULL && strcmp(key, name) == 0)
			return yaml_document_get_node(px->doc, p->value);
	}
	return NULL;
}

static const yaml_node_t *
seq_item(const struct pctx *px, const yaml_node_t *seq, size_t i)
{
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE ||
	    i >= (size_t)(seq->data.sequence.items.top -
			  seq->data.sequence.items.start))
		return NULL;
	return yaml_document_get_node(px->doc,
				      seq->data.sequence.items.start[i]);
}

static size_t
key_index(const struct ctable *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->keys[i].name, name) == 0)
			return i;
	return SIZE_MAX;
}

/* Records "path.name: message" at the line of key @name (or the map's). */
static __attribute__((format(printf, 4, 5))) void
key_err(struct pctx *px, const struct seen *s, const char *name,
	const char *fmt, ...)
{
	size_t i = key_index(s->t, name), old = path_key(px, name);
	const yaml_node_t *v = i != SIZE_MAX ? s->val[i] : NULL;
	va_list ap;

	va_start(ap, fmt);
	vreport(px, node_line(px, v != NULL ? v : s->map), fmt, ap);
	va_end(ap);
	path_pop(px, old);
}

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
static const uint8_t *
sockaddr_parts(const struct conf_sockaddr *sa, uint16_t *port)
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
	    (port != NULL && !parse_u32(port, 1, 65535, &p)))
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
	    (slash != NULL && !parse_u32(slash + 1, 0, max, &prefix)))
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

/* ---- validators of strings ------------------------------------------- */

/* A Region: lowercase words joined by '-', the last one a number. */
static bool
valid_region(const char *s)
{
	size_t n = strlen(s), words = 1, i;

	if (n < 4 || n > 32 || !is_lower(s[0]) || !is_digit(s[n - 1]))
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '-') {
			if (s[i + 1] == '-' || s[i + 1] == '\0')
				return false;
			words++;
		} else if (!is_lower(s[i]) && !is_digit(s[i])) {
			return false;
		}
	}
	/* The number is its own word: "us-east-1", not "us-east1". */
	for (i = n; i > 0 && is_digit(s[i - 1]); i--)
		;
	return words >= 3 && s[i - 1] == '-';
}

/* An Availability Zone name: a Region and one letter ("us-east-1a"). */
static bool
valid_az(const char *s)
{
	char region[40];
	size_t n = strlen(s);

	if (n < 2 || n >= sizeof(region) || !is_lower(s[n - 1]))
		return false;
	memcpy(region, s, n - 1);
	region[n - 1] = '\0';
	return valid_region(region);
}

static bool
valid_id(const char *s, const char *prefix, size_t max, bool hex)
{
	size_t n = strlen(prefix), i;

	if (strncmp(s, prefix, n) != 0 || s[n] == '\0')
		return false;
	for (i = n; s[i] != '\0'; i++) {
		if (i - n >= max)
			return false;
		if (hex && !is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
		if (!hex && !is_digit(s[i]) && !is_lower(s[i]) && s[i] != '-')
			return false;
	}
	return true;
}

static bool
valid_vpc_id(const char *s)
{
	return valid_id(s, "vpc-", 32, false);
}

/* At most 17 hex digits keeps "vpce-ID-SUFFIX-AZ" one DNS label. */
static bool
valid_vpce_id(const char *s)
{
	return valid_id(s, "vpce-", 17, true);
}

static bool
valid_suffix(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!is_lower(s[i]) && !is_digit(s[i]))
			return false;
	return i == 8;
}

/* Any printable word; endpoint_finish() asks more of AWS services. */
static bool
valid_service(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return false;
	return i > 0 && i <= 255;
}

/*
 * A lowercase DNS name without trailing dot: letters, digits, '-' and '_'
 * in labels of 1..63 bytes, at most 255 bytes in wire form; with
 * @wildcard, a leading "*." label (private DNS names such as *.dkr.ecr.*).
 */
static bool
name_ok(const char *s, bool wildcard)
{
	uint8_t wire[WIRE_MAX_NAME_LEN];
	const char *p = s;

	if (wildcard && strncmp(s, "*.", 2) == 0)
		p = s + 2;
	for (; *p != '\0'; p++)
		if (!is_lower(*p) && !is_digit(*p) && *p != '-' && *p != '_' &&
		    *p != '.')
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
	char vb[SHOW_MAX];

	if (text[0] == '\0')
		perr(px, line, "must not be empty");
	else if (k->valid != NULL && !k->valid(text))
		perr(px, line, "'%s' is not %s", show(text, vb), k->hint);
	else
		*(char **)dst = xstrdup(px, text);
}

static void
parse_uint(struct pctx *px, const char *text, unsigned line,
	   const struct ckey *k, void *dst)
{
	char vb[SHOW_MAX];

	if (!parse_u32(text, k->min, k->max, dst))
		perr(px, line, "'%s' is not a whole number in %u..%u",
		     show(text, vb), k->min, k->max);
}

/* CT_ENUM stores the index of the name; CT_BOOL whether it is odd. */
static void
parse_enum(struct pctx *px, const char *text, unsigned line,
	   const struct ckey *k, void *dst)
{
	char vb[SHOW_MAX], list[128] = "";
	unsigned i;

	for (i = 0; k->names[i] != NULL; i++) {
		if (strcmp(text, k->names[i]) == 0)
			break;
		if (strlen(list) + strlen(k->names[i]) + 3 < sizeof(list)) {
			strcat(list, i > 0 ? ", " : "");
			strcat(list, k->names[i]);
		}
	}
	if (k->names[i] == NULL)
		perr(px, line, "'%s' is not one of: %s", show(text, vb), list);
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
		memcpy(addr, sockaddr_parts(sa, &old), 16);
		set_sockaddr(sa, sa->ss.ss_family, addr, (uint16_t)port);
	}
}

static void
parse_sockaddr(struct pctx *px, const char *text, unsigned line,
	       const struct ckey *k, void *dst)
{
	char vb[SHOW_MAX];

	(void)k;
	if (conf_parse_sockaddr(text, CONF_DEFAULT_PORT, dst) != VPC_OK)
		perr(px, line,
		     "'%s' is not ADDR, ADDR:PORT, [IPV6]:PORT or IPV6 (port "
		     "1..65535)",
		     show(text, vb));
}

static void
parse_cidr(struct pctx *px, const char *text, unsigned line,
	   const struct ckey *k, void *dst)
{
	char vb[SHOW_MAX];
	bool host_bits;

	(void)k;
	if (cidr_parse(text, dst, &host_bits) == VPC_OK)
		return;
	perr(px, line, "'%s' %s", show(text, vb),
	     host_bits ? "has host bits set after the prefix length"
		       : "is not an address prefix (ADDR/LENGTH)");
}

/* CT_IPV4 and CT_IPV6 fill bytes; CT_ADDR takes either, as a sockaddr. */
static void
parse_ip(struct pctx *px, const char *text, unsigned line, const struct ckey *k,
	 void *dst)
{
	int family = k->type == CT_IPV6 ? AF_INET6 : AF_INET;
	char vb[SHOW_MAX];
	uint8_t addr[16];

	if (k->type == CT_ADDR && inet_pton(family, text, addr) != 1)
		family = AF_INET6;
	if (inet_pton(family, text, addr) != 1) {
		perr(px, line, "'%s' is not an %s address", show(text, vb),
		     k->type == CT_ADDR	 ? "IPv4 or IPv6"
		     : family == AF_INET ? "IPv4"
					 : "IPv6");
		return;
	}
	if (k->type == CT_ADDR)
		set_sockaddr(dst, family, addr, 0);
	else
		memcpy(dst, addr, family == AF_INET ? 4 : 16);
}

/* Stores a DNS name lowercased and without its trailing dot. */
static void
parse_dname(struct pctx *px, const char *text, unsigned line,
	    const struct ckey *k, void *dst)
{
	bool wildcard = k->type == CT_NAME;
	char vb[SHOW_MAX];
	char *s;
	size_t n;

	if ((s = xstrdup(px, text)) == NULL)
		return;
	if ((n = strlen(s)) > 1 && s[n - 1] == '.')
		s[n - 1] = '\0';
	for (char *p = s; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (name_ok(s, wildcard)) {
		*(char **)dst = s;
		return;
	}
	free(s);
	perr(px, line, "'%s' is not a valid DNS name%s", show(text, vb),
	     wildcard ? " (\"*.\" is allowed only in front)" : "");
}

/* Relative paths are relative to the configuration file (SPEC Part 2). */
static void
parse_path(struct pctx *px, const char *text, unsigned line,
	   const struct ckey *k, void *dst)
{
	char *s;

	(void)k;
	if (text[0] == '\0') {
		perr(px, line, "must not be empty");
		return;
	}
	s = text[0] == '/' ? strdup(text) : format("%s%s", px->dir, text);
	if (s == NULL)
		px->oom = true;
	*(char **)dst = s;
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
    [CT_PATH] = parse_path,
};

/* The field is a char * that conf_free() releases. */
static bool
owns(enum ctype t)
{
	return t == CT_STR || t == CT_NAME || t == CT_ZONE || t == CT_PATH;
}

/* ---- the tables ------------------------------------------------------- */

static void endpoint_finish(struct pctx *px, void *obj, const struct seen *s);
static void vpc_finish(struct pctx *px, void *obj, const struct seen *s);
static void top_finish(struct pctx *px, void *obj, const struct seen *s);
static const char *derive_private_dns(const void *obj, const void *parent);
static const char *derive_record_type(const void *obj, const void *parent);
static const char *derive_inbound_only(const void *obj, const void *parent);

#define SCALAR(T, f, ty) .kind = CK_SCALAR, .type = (ty), .off = offsetof(T, f)
#define BOOL(T, f) SCALAR(T, f, CT_BOOL), .names = bool_names
#define SEQ(T, f)                                                              \
	.kind = CK_SEQ, .off = offsetof(T, f), .n_off = offsetof(T, n_##f),    \
	.size = sizeof(*((T *)0)->f)
#define PRESENT(T, f) .present = offsetof(T, f) + 1
#define TABLE(keys, line, fin)                                                 \
	{                                                                      \
		keys, sizeof(keys) / sizeof(keys[0]), line, fin                \
	}
#define LINE(T) (offsetof(T, line) + 1)
#define VPC_ID_HINT "a VPC id (vpc- and lowercase letters, digits or '-')"

/* Odd index: true.  YAML 1.1 also has on/off and capitals: not here. */
static const char *const bool_names[] = {"false", "true", "no", "yes", NULL};

static const char *const type_names[] = {
    [CONF_ENDPOINT_INTERFACE] = "interface",
    [CONF_ENDPOINT_GATEWAY] = "gateway",
    [CONF_ENDPOINT_RESOURCE] = "resource",
    [CONF_ENDPOINT_RESOURCE + 1] = NULL,
};

static const char *const ip_names[] = {
    [CONF_IP_IPV4] = "ipv4",
    [CONF_IP_DUALSTACK] = "dualstack",
    [CONF_IP_IPV6] = "ipv6",
    [CONF_IP_SERVICE_DEFINED] = "service-defined",
    [CONF_IP_SERVICE_DEFINED + 1] = NULL,
};

/* ip-address-type: the same names but service-defined. */
static const char *const addr_type_names[] = {
    [CONF_IP_IPV4] = "ipv4",
    [CONF_IP_DUALSTACK] = "dualstack",
    [CONF_IP_IPV6] = "ipv6",
    [CONF_IP_IPV6 + 1] = NULL,
};

static const struct ckey subnet_keys[] = {
    {"az", SCALAR(struct conf_subnet, az, CT_STR), .required = true,
     .valid = valid_az,
     .hint = "an Availability Zone (a Region and a letter: us-east-1a)"},
    {"ipv4", SCALAR(struct conf_subnet, ipv4, CT_IPV4),
     PRESENT(struct conf_subnet, has_ipv4)},
    {"ipv6", SCALAR(struct conf_subnet, ipv6, CT_IPV6),
     PRESENT(struct conf_subnet, has_ipv6)},
};
static const struct ctable subnet_table =
    TABLE(subnet_keys, LINE(struct conf_subnet), NULL);

/* Keys with derived defaults come after the keys they derive from. */
static const struct ckey endpoint_keys[] = {
    {"id", SCALAR(struct conf_endpoint, id, CT_STR), .required = true,
     .valid = valid_vpce_id,
     .hint = "an endpoint id (vpce- and 1 to 17 lowercase hex digits)"},
    {"service", SCALAR(struct conf_endpoint, service, CT_STR), .required = true,
     .basis = true, .valid = valid_service,
     .hint = "a service name such as com.amazonaws.us-east-1.s3"},
    {"type", SCALAR(struct conf_endpoint, type, CT_ENUM), .basis = true,
     .names = type_names, .def = "interface"},
    {"ip-address-type", SCALAR(struct conf_endpoint, ip_address_type, CT_ENUM),
     .basis = true, .names = addr_type_names, .def = "ipv4"},
    {"private-dns", BOOL(struct conf_endpoint, private_dns), .basis = true,
     .derive = derive_private_dns},
    {"dns-suffix", SCALAR(struct conf_endpoint, dns_suffix, CT_STR),
     .valid = valid_suffix,
     .hint = "a suffix of exactly 8 lowercase letters or digits"},
    {"dns-record-ip-type",
     SCALAR(struct conf_endpoint, dns_record_ip_type, CT_ENUM), .basis = true,
     .names = ip_names, .derive = derive_record_type},
    /* SPEC 1.5a: depends on the VPC's other endpoints (late). */
    {INBOUND_ONLY_KEY, BOOL(struct conf_endpoint, inbound_only),
     .derive = derive_inbound_only, .late = true},
    {"private-dns-names", SEQ(struct conf_endpoint, private_dns_names),
     .type = CT_NAME, PRESENT(struct conf_endpoint, private_dns_names_set)},
    {"subnets", SEQ(struct conf_endpoint, subnets), .sub = &subnet_table},
};
static const struct ctable endpoint_table =
    TABLE(endpoint_keys, LINE(struct conf_endpoint), endpoint_finish);

static const struct ckey zone_keys[] = {
    {"name", SCALAR(struct conf_hosted_zone, name, CT_ZONE), .required = true},
    {"file", SCALAR(struct conf_hosted_zone, file, CT_PATH), .required = true},
};
static const struct ctable zone_table =
    TABLE(zone_keys, LINE(struct conf_hosted_zone), NULL);

static const struct ckey vpc_keys[] = {
    {"id", SCALAR(struct conf_vpc, id, CT_STR), .required = true,
     .valid = valid_vpc_id, .hint = VPC_ID_HINT},
    {"region", SCALAR(struct conf_vpc, region, CT_STR), .required = true,
     .valid = valid_region, .hint = "a Region name such as us-east-1"},
    {"cidr-blocks", SEQ(struct conf_vpc, cidr_blocks), .type = CT_CIDR},
    {"clients", SEQ(struct conf_vpc, clients), .type = CT_CIDR,
     PRESENT(struct conf_vpc, clients_set)},
    {"endpoints", SEQ(struct conf_vpc, endpoints), .sub = &endpoint_table},
    {"hosted-zones", SEQ(struct conf_vpc, hosted_zones), .sub = &zone_table},
    {"rules", .kind = CK_PLANNED},
    {"firewall", .kind = CK_PLANNED},
    {"profiles", .kind = CK_PLANNED},
};
static const struct ctable vpc_table =
    TABLE(vpc_keys, LINE(struct conf_vpc), vpc_finish);

/* The port is set on the address, so "address" comes first. */
static const struct ckey listen_keys[] = {
    {"address", SCALAR(struct conf_listen, addr, CT_ADDR), .required = true},
    {"port", SCALAR(struct conf_listen, addr, CT_PORT),
     .def = XSTR(CONF_DEFAULT_PORT), .min = 1, .max = 65535},
    {"inbound", SCALAR(struct conf_listen, inbound, CT_STR),
     .valid = valid_vpc_id, .hint = VPC_ID_HINT},
};
static const struct ctable listen_table =
    TABLE(listen_keys, LINE(struct conf_listen), NULL);

/* Fields of struct conf itself. */
static const struct ckey cache_keys[] = {
    {"max-entries", SCALAR(struct conf, cache_max_entries, CT_UINT),
     .def = "100000", .min = 0, .max = 10000000},
    {"max-ttl", SCALAR(struct conf, cache_max_ttl, CT_UINT), .def = "86400",
     .min = 1, .max = 2147483647},
};
static const struct ctable cache_table = TABLE(cache_keys, 0, NULL);

static const struct ckey top_keys[] = {
    {"listen", SEQ(struct conf, listen), .sub = &listen_table, .nonempty = true,
     .def = "[{address: 127.0.0.1}, {address: '::1'}]"},
    {"upstreams", SEQ(struct conf, upstreams), .type = CT_SOCKADDR},
    {"cache", .kind = CK_MAP, .sub = &cache_table},
    {"vpcs", SEQ(struct conf, vpcs), .sub = &vpc_table},
    {"profiles", .kind = CK_PLANNED},
    {"query-log", .kind = CK_PLANNED},
    {"metrics", .kind = CK_PLANNED},
};
static const struct ctable top_table = TABLE(top_keys, 0, top_finish);

/* ---- derived defaults -------------------------------------------------- */

static const char *
derive_private_dns(const void *obj, const void *parent)
{
	const struct conf_endpoint *ep = obj;

	(void)parent;
	return ep->type == CONF_ENDPOINT_GATEWAY ? "false" : "true";
}

/* SPEC 1.1: ip-address-type; gateway endpoints: service-defined. */
static const char *
derive_record_type(const void *obj, const void *parent)
{
	const struct conf_endpoint *ep = obj;

	(void)parent;
	if (ep->type == CONF_ENDPOINT_GATEWAY)
		return ip_names[CONF_IP_SERVICE_DEFINED];
	return ip_names[ep->ip_address_type];
}

/* S3 and DynamoDB are the services with both endpoint types (SPEC 1.3). */
static bool
has_both_types(const char *service)
{
	return ends_with(service, ".s3") || ends_with(service, ".dynamodb");
}

/*
 * Why @ep cannot be inbound-only in @vpc (SPEC 1.3, 1.5a), or NULL when it
 * can: an S3 or DynamoDB interface endpoint with private DNS in a VPC that
 * has a gateway endpoint for the same service.
 */
static const char *
inbound_only_refusal(const struct conf_vpc *vpc, const struct conf_endpoint *ep)
{
	if (ep->type != CONF_ENDPOINT_INTERFACE || !has_both_types(ep->service))
		return "only S3 and DynamoDB interface endpoints have it";
	if (!ep->private_dns)
		return "it needs private-dns: true";
	for (size_t i = 0; i < vpc->n_endpoints; i++) {
		const struct conf_endpoint *g = &vpc->endpoints[i];

		if (g->type == CONF_ENDPOINT_GATEWAY && g->service != NULL &&
		    strcmp(g->service, ep->service) == 0)
			return NULL;
	}
	return "it needs a gateway endpoint for the same service in the VPC";
}

/* SPEC 1.5a: true exactly when the VPC allows it. */
static const char *
derive_inbound_only(const void *obj, const void *parent)
{
	return inbound_only_refusal(parent, obj) == NULL ? "true" : "false";
}

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
	const char *text = scalar_str(n);

	if (n->type != YAML_SCALAR_NODE)
		perr(px, node_line(px, n),
		     "expected a single value, found a %s", kind_name(n));
	else if (text == NULL)
		perr(px, node_line(px, n), "contains a NUL character");
	else
		ctypes[k->type](px, text, node_line(px, n), k, dst);
}

static void
parse_seq(struct pctx *px, const yaml_node_t *n, const struct ckey *k,
	  void *obj)
{
	size_t count, i, old;
	char *arr;

	if (n->type != YAML_SEQUENCE_NODE) {
		perr(px, node_line(px, n), "expected a list, found a %s",
		     kind_name(n));
		return;
	}
	count =
	    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count == 0 && k->nonempty)
		perr(px, node_line(px, n), "must not be empty");
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
		const yaml_node_t *item = seq_item(px, n, i);

		old = path_add(px, "[%zu]", i);
		if (item != NULL && k->sub != NULL)
			parse_map(px, item, k->sub, arr + i * k->size);
		else if (item != NULL)
			parse_scalar(px, item, k, arr + i * k->size);
		path_pop(px, old);
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
	const char *text = k->def;

	if (k->required) {
		perr(px, node_line(px, s->map), "missing required key '%s'",
		     k->name);
		return;
	}
	if (k->late)
		return;
	if (k->kind == CK_SCALAR && text == NULL && k->derive != NULL)
		text = k->derive(obj, NULL);
	if (k->kind == CK_SCALAR && text != NULL)
		ctypes[k->type](px, text, node_line(px, s->map), k,
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
		if (k->kind != CK_PLANNED)
			absent_key(px, k, s, obj);
		return;
	}
	if (k->kind == CK_PLANNED) {
		perr(px, node_line(px, val), "'%s' is not supported yet",
		     k->name);
		return;
	}
	if (k->present != 0)
		*(bool *)field(obj, k->present - 1) = true;
	old = path_key(px, k->name);
	if (is_null(val))
		perr(px, node_line(px, val), "no value given");
	else if (k->kind == CK_SCALAR)
		parse_scalar(px, val, k, field(obj, k->off));
	else if (k->kind == CK_SEQ)
		parse_seq(px, val, k, obj);
	else
		parse_map(px, val, k->sub, obj);
	path_pop(px, old);
}

/* Files the keys of @map by table index; unknown and duplicate keys. */
static void
collect_keys(struct pctx *px, const yaml_node_t *map, struct seen *s)
{
	const yaml_node_pair_t *p;
	const yaml_node_t *key;
	const char *name;
	char vb[SHOW_MAX];
	size_t i;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		key = yaml_document_get_node(px->doc, p->key);
		if ((name = scalar_str(key)) == NULL)
			perr(px, node_line(px, key),
			     "keys must be plain names");
		else if ((i = key_index(s->t, name)) == SIZE_MAX)
			perr(px, node_line(px, key), "unknown key '%s'",
			     show(name, vb));
		else if (s->val[i] != NULL)
			perr(px, node_line(px, key),
			     "duplicate key '%s' (first at line %u)",
			     show(name, vb), node_line(px, s->val[i]));
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
	if (map != NULL && map->type != YAML_MAPPING_NODE) {
		perr(px, node_line(px, map),
		     "expected a mapping of keys, found a %s", kind_name(map));
		return;
	}
	if (map != NULL)
		collect_keys(px, map, &s);
	if (t->line_off != 0)
		*(unsigned *)field(obj, t->line_off - 1) = node_line(px, map);
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

/* Applies the late defaults of @obj, a child of @parent (see ckey.late). */
static void
apply_late(struct pctx *px, const struct ctable *t, const yaml_node_t *map,
	   void *obj, const void *parent)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct ckey *k = &t->keys[i];

		if (k->late && map_get(px, map, k->name) == NULL)
			ctypes[k->type](px, k->derive(obj, parent), 0, k,
					field(obj, k->off));
	}
}

/* ---- checks across keys ------------------------------------------------ */

static void
ep_check_gateway(struct pctx *px, const struct conf_endpoint *ep,
		 const struct seen *s)
{
	char vb[SHOW_MAX];

	if (ep->n_subnets > 0)
		key_err(px, s, "subnets", "a gateway endpoint has no subnets");
	if (ep->private_dns_names_set)
		key_err(px, s, "private-dns-names",
			"a gateway endpoint has no DNS names");
	if (ep->private_dns)
		key_err(px, s, "private-dns",
			"a gateway endpoint has no private DNS");
	if (!has_both_types(ep->service))
		key_err(px, s, "service",
			"gateway endpoints exist only for S3 and DynamoDB, not "
			"'%s'",
			show(ep->service, vb));
}

static void
ep_check_type(struct pctx *px, const struct conf_endpoint *ep,
	      const struct seen *s)
{
	char vb[SHOW_MAX];

	if (ep->type == CONF_ENDPOINT_GATEWAY) {
		ep_check_gateway(px, ep, s);
		return;
	}
	if (ep->type == CONF_ENDPOINT_RESOURCE && ep->n_private_dns_names == 0)
		key_err(px, s, "private-dns-names",
			"a resource endpoint needs the resource's host names");
	if (ep->n_subnets == 0)
		key_err(px, s, "subnets",
			"%s endpoints need at least one subnet",
			type_names[ep->type]);
	/* The service's labels end up in DNS names (SPEC 1.1). */
	if (ep->type == CONF_ENDPOINT_INTERFACE && !name_ok(ep->service, false))
		key_err(px, s, "service",
			"'%s' is not a service name such as "
			"com.amazonaws.us-east-1.s3",
			show(ep->service, vb));
}

/* SPEC 1.5a: ipv4 -> ipv4, ipv6 -> ipv6, dualstack -> any. */
static void
ep_check_ip_types(struct pctx *px, const struct conf_endpoint *ep,
		  const struct seen *s)
{
	enum conf_ip_type ip = ep->ip_address_type;
	enum conf_ip_type rec = ep->dns_record_ip_type;

	if (ip == CONF_IP_DUALSTACK || rec == ip)
		return;
	/* The default of gateway endpoints goes with any address type. */
	if (ep->type == CONF_ENDPOINT_GATEWAY && rec == CONF_IP_SERVICE_DEFINED)
		return;
	key_err(px, s, "dns-record-ip-type",
		"%s is not allowed with ip-address-type %s (ipv4 needs ipv4, "
		"ipv6 needs ipv6, dualstack allows any)",
		ip_names[rec], ip_names[ip]);
}

/* Each interface needs an address the endpoint's ip-address-type serves.
 * An address of the other family is accepted and simply not answered
 * (dns-record-ip-type decides), so SPEC Part 2's example, an ipv4
 * endpoint with one dual-stack subnet, loads as written. */
static void
subnet_check_family(struct pctx *px, enum conf_ip_type ip,
		    const struct conf_subnet *sn)
{
	if (!sn->has_ipv4 && ip == CONF_IP_IPV4)
		perr(px, sn->line, "missing 'ipv4' (ip-address-type is ipv4)");
	if (!sn->has_ipv6 && ip == CONF_IP_IPV6)
		perr(px, sn->line, "missing 'ipv6' (ip-address-type is ipv6)");
	if (!sn->has_ipv4 && !sn->has_ipv6)
		perr(px, sn->line, "a subnet needs 'ipv4' or 'ipv6'");
}

static void
ep_check_subnets(struct pctx *px, const struct conf_endpoint *ep)
{
	const struct conf_subnet *sn, *other;
	size_t old;

	for (size_t i = 0; i < ep->n_subnets; i++) {
		sn = &ep->subnets[i];
		if (sn->az == NULL)
			continue; /* already reported */
		old = path_add(px, ".subnets[%zu]", i);
		subnet_check_family(px, ep->ip_address_type, sn);
		for (size_t j = 0; j < i; j++) {
			other = &ep->subnets[j];
			if (other->az != NULL &&
			    strcmp(other->az, sn->az) == 0) {
				perr(px, sn->line,
				     "a second subnet in %s (one per "
				     "Availability Zone; first at line %u)",
				     sn->az, other->line);
				break;
			}
		}
		path_pop(px, old);
	}
}

static void
endpoint_finish(struct pctx *px, void *obj, const struct seen *s)
{
	const struct conf_endpoint *ep = obj;

	ep_check_type(px, ep, s);
	ep_check_ip_types(px, ep, s);
	if (ep->type != CONF_ENDPOINT_GATEWAY)
		ep_check_subnets(px, ep);
}

/* Late defaults and the inbound-only rule of endpoint @i (SPEC 1.5a). */
static void
vpc_endpoint_late(struct pctx *px, struct conf_vpc *vpc, size_t i,
		  const yaml_node_t *eps)
{
	struct conf_endpoint *ep = &vpc->endpoints[i];
	const yaml_node_t *item = seq_item(px, eps, i);
	const yaml_node_t *val = map_get(px, item, INBOUND_ONLY_KEY);
	const char *why;
	size_t old;

	if (ep->id == NULL || ep->service == NULL)
		return; /* already reported */
	apply_late(px, &endpoint_table, item, ep, vpc);
	if (val == NULL || !ep->inbound_only ||
	    (why = inbound_only_refusal(vpc, ep)) == NULL)
		return;
	old = path_add(px, ".endpoints[%zu]." INBOUND_ONLY_KEY, i);
	perr(px, node_line(px, val), "%s", why);
	path_pop(px, old);
}

static void
vpc_check_zones(struct pctx *px, const struct conf_vpc *vpc)
{
	const struct conf_hosted_zone *a, *b;

	for (size_t i = 0; i < vpc->n_hosted_zones; i++) {
		a = &vpc->hosted_zones[i];
		for (size_t j = 0; j < i && a->name != NULL; j++) {
			b = &vpc->hosted_zones[j];
			if (b->name == NULL || strcmp(a->name, b->name) != 0)
				continue;
			perr(px, a->line,
			     "hosted-zones[%zu]: duplicate zone %s (first at "
			     "line %u)",
			     i, a->name, b->line);
			break;
		}
	}
}

static void
vpc_finish(struct pctx *px, void *obj, const struct seen *s)
{
	struct conf_vpc *vpc = obj;

	for (size_t i = 0; i < vpc->n_endpoints; i++)
		vpc_endpoint_late(px, vpc, i,
				  s->val[key_index(s->t, "endpoints")]);
	vpc_check_zones(px, vpc);
}

static bool
same_sockaddr(const struct conf_sockaddr *a, const struct conf_sockaddr *b)
{
	uint16_t pa, pb;
	const uint8_t *x = sockaddr_parts(a, &pa), *y = sockaddr_parts(b, &pb);

	return a->ss.ss_family == b->ss.ss_family && pa == pb &&
	       memcmp(x, y, a->ss.ss_family == AF_INET ? 4 : 16) == 0;
}

static const struct conf_vpc *
find_vpc(const struct conf *cf, const char *id)
{
	for (size_t v = 0; v < cf->n_vpcs; v++)
		if (cf->vpcs[v].id != NULL && strcmp(cf->vpcs[v].id, id) == 0)
			return &cf->vpcs[v];
	return NULL;
}

static void
check_listen(struct pctx *px, const struct conf *cf)
{
	char a[INET6_ADDRSTRLEN], vb[SHOW_MAX];
	const struct conf_listen *l;
	uint16_t port;

	for (size_t i = 0; i < cf->n_listen; i++) {
		l = &cf->listen[i];
		for (size_t j = 0; j < i; j++) {
			if (!same_sockaddr(&l->addr, &cf->listen[j].addr))
				continue;
			if (inet_ntop(l->addr.ss.ss_family,
				      sockaddr_parts(&l->addr, &port), a,
				      sizeof(a)) == NULL)
				a[0] = '\0';
			perr(px, l->line,
			     "listen[%zu]: %s port %u is already listed at "
			     "line %u",
			     i, a, port, cf->listen[j].line);
			break;
		}
		if (l->inbound != NULL && find_vpc(cf, l->inbound) == NULL)
			perr(px, l->line,
			     "listen[%zu].inbound: no VPC '%s' is configured",
			     i, show(l->inbound, vb));
	}
}

/* Line of the first endpoint before (v, e) whose id is @id, or 0. */
static unsigned
endpoint_id_seen(const struct conf *cf, size_t v, size_t e, const char *id)
{
	for (size_t i = 0; i <= v; i++) {
		const struct conf_vpc *vpc = &cf->vpcs[i];

		for (size_t j = 0; j < (i < v ? vpc->n_endpoints : e); j++)
			if (vpc->endpoints[j].id != NULL &&
			    strcmp(vpc->endpoints[j].id, id) == 0)
				return vpc->endpoints[j].line;
	}
	return 0;
}

static void
check_ids(struct pctx *px, const struct conf *cf)
{
	const struct conf_vpc *vpc, *first;
	const struct conf_endpoint *ep;
	unsigned line;

	for (size_t v = 0; v < cf->n_vpcs; v++) {
		vpc = &cf->vpcs[v];
		if (vpc->id != NULL && (first = find_vpc(cf, vpc->id)) != vpc)
			perr(px, vpc->line,
			     "vpcs[%zu].id: duplicate VPC id %s (first at line "
			     "%u)",
			     v, vpc->id, first->line);
		for (size_t e = 0; e < vpc->n_endpoints; e++) {
			ep = &vpc->endpoints[e];
			if (ep->id == NULL ||
			    (line = endpoint_id_seen(cf, v, e, ep->id)) == 0)
				continue;
			perr(px, ep->line,
			     "vpcs[%zu].endpoints[%zu].id: duplicate endpoint "
			     "id %s (first at line %u)",
			     v, e, ep->id, line);
		}
	}
}

/* SPEC 1.5a: at most one VPC takes the clients no other VPC matches. */
static void
check_clients(struct pctx *px, const struct conf *cf)
{
	size_t open = SIZE_MAX;

	for (size_t v = 0; v < cf->n_vpcs; v++) {
		if (cf->vpcs[v].clients_set)
			continue;
		if (open == SIZE_MAX)
			open = v;
		else
			perr(px, cf->vpcs[v].line,
			     "vpcs[%zu]: only one VPC may omit 'clients' "
			     "(vpcs[%zu] at line %u does)",
			     v, open, cf->vpcs[open].line);
	}
}

static void
top_finish(struct pctx *px, void *obj, const struct seen *s)
{
	const struct conf *cf = obj;

	(void)s;
	check_listen(px, cf);
	check_ids(px, cf);
	check_clients(px, cf);
}

/* ---- loading ----------------------------------------------------------- */

static void
syntax_error(struct pctx *px, const yaml_parser_t *p, const char *text,
	     size_t len)
{
	const char *problem = p->problem != NULL ? p->problem : "bad YAML";
	unsigned line = mark_line(p->problem_mark);

	/* libyaml fails some allocations without setting an error. */
	if (p->error == YAML_MEMORY_ERROR || p->error == YAML_NO_ERROR) {
		px->oom = true;
		return;
	}
	/* Reader errors (bad UTF-8, control bytes) carry only an offset. */
	if (p->error == YAML_READER_ERROR) {
		line = 1;
		for (size_t i = 0; i < p->problem_offset && i < len; i++)
			if (text[i] == '\n' && line < UINT_MAX)
				line++;
	}
	if (p->context != NULL)
		perr(px, line, "%s (%s at line %u)", problem, p->context,
		     mark_line(p->context_mark));
	else
		perr(px, line, "%s", problem);
}

static void
prescan_event(struct pctx *px, const yaml_event_t *ev, unsigned *depth,
	      unsigned *docs)
{
	unsigned line = mark_line(ev->start_mark);

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs == 2)
			perr(px, line, "only one YAML document is allowed");
		break;
	case YAML_ALIAS_EVENT:
		perr(px, line, "YAML aliases are not supported");
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (++*depth == CONF_MAX_DEPTH + 1)
			perr(px, line, "nested deeper than %d levels",
			     CONF_MAX_DEPTH);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		--*depth;
		break;
	default:
		break;
	}
}

/*
 * Reads the stream as events before loading it: libyaml's loader recurses
 * once per nesting level, and an alias may name its own ancestor, so deep
 * nesting and aliases are refused here, where nothing recurses.
 */
static void
prescan(struct pctx *px, const char *text, size_t len)
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
			syntax_error(px, &parser, text, len);
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
		root = yaml_document_get_root_node(&doc);
		/* An empty file, or one of only comments or "---". */
		parse_map(px, root != NULL && is_null(root) ? NULL : root,
			  &top_table, cf);
		px->doc = NULL;
		yaml_document_delete(&doc);
	} else {
		syntax_error(px, &parser, text, len); /* duplicate anchor */
	}
	yaml_parser_delete(&parser);
}

/* Prefix for relative paths: the config's directory, made absolute. */
static char *
config_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash != NULL ? (size_t)(slash - path) + 1 : 0;
	char cwd[PATH_MAX];

	if (path[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		cwd[0] = '\0';
	else if (strcmp(cwd, "/") != 0)
		strncat(cwd, "/", sizeof(cwd) - strlen(cwd) - 1);
	return format("%s%.*s", cwd, dlen < INT_MAX ? (int)dlen : 0, path);
}

static int
cmp_error(const void *a, const void *b)
{
	const struct {
		unsigned long line;
		size_t i;
	} *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Puts the messages from @first on in line order (ties: as found). */
static void
sort_errors(struct conf_errors *errs, size_t first, const char *file)
{
	size_t n = errs->n - first, skip = strlen(file) + 1;
	struct {
		unsigned long line;
		size_t i;
	} *v = calloc(n, sizeof(*v));
	char **msgs = malloc(n * sizeof(*msgs));

	for (size_t i = 0; v != NULL && msgs != NULL && i < n; i++) {
		v[i].line = strtoul(errs->msgs[first + i] + skip, NULL, 10);
		v[i].i = i;
		msgs[i] = errs->msgs[first + i];
	}
	if (v != NULL && msgs != NULL && n > 1) {
		qsort(v, n, sizeof(*v), cmp_error);
		for (size_t i = 0; i < n; i++)
			errs->msgs[first + i] = msgs[v[i].i];
	}
	free(v);
	free(msgs);
}

int
conf_load_string(const char *text, size_t len, const char *path,
		 struct conf **out, struct conf_errors *errs)
{
	struct pctx px = {.file = path, .errs = errs};
	size_t first = errs->n;
	struct conf *cf;

	if ((cf = calloc(1, sizeof(*cf))) == NULL)
		return VPC_ENOMEM;
	if ((cf->path = strdup(path)) == NULL ||
	    (px.dir = config_dir(path)) == NULL)
		px.oom = true;
	if (!px.oom)
		prescan(&px, text, len);
	if (!px.oom && px.nerr == 0)
		load_and_parse(&px, text, len, cf);
	free(px.dir);
	sort_errors(errs, first, path);
	if (px.oom || px.nerr > 0) {
		conf_free(cf);
		return px.oom ? VPC_ENOMEM : VPC_ECONFIG;
	}
	*out = cf; /* ownership moves to the caller */
	return VPC_OK;
}

/* Reads all of @path; on VPC_EIO, *err is the errno (0: too large). */
static int
read_file(const char *path, char **text, size_t *len, int *err)
{
	struct stat st;
	char *buf = NULL;
	FILE *fp;
	int rc = VPC_EIO;

	*err = 0;
	if ((fp = fopen(path, "rb")) == NULL) {
		*err = errno;
		return VPC_EIO;
	}
	if (fstat(fileno(fp), &st) != 0)
		*err = errno;
	else if (S_ISDIR(st.st_mode))
		*err = EISDIR;
	else if (!S_ISREG(st.st_mode) || st.st_size > CONF_MAX_FILE)
		*err = 0;
	else if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		rc = VPC_ENOMEM;
	else if (fread(buf, 1, (size_t)st.st_size, fp) != (size_t)st.st_size)
		*err = ferror(fp) ? EIO : 0;
	else
		rc = VPC_OK;
	fclose(fp);
	if (rc != VPC_OK) {
		free(buf);
		return rc;
	}
	*text = buf;
	*len = (size_t)st.st_size;
	return VPC_OK;
}

int
conf_load_file(const char *path, struct conf **out, struct conf_errors *errs)
{
	char *text = NULL;
	size_t len = 0;
	int rc, err;

	rc = read_file(path, &text, &len, &err);
	if (rc == VPC_EIO) {
		if (conf_errors_add(
			errs, path, 0, "cannot read: %s",
			err != 0
			    ? strerror(err)
			    : "not a regular file of at most 16 MiB") != VPC_OK)
			return VPC_ENOMEM;
		return VPC_EIO;
	}
	if (rc != VPC_OK)
		return rc;
	rc = conf_load_string(text, len, path, out, errs);
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
		if (k->kind == CK_SCALAR && owns(k->type))
			free(*(char **)field(obj, k->off));
		if (k->kind == CK_MAP)
			free_obj(k->sub, obj);
		if (k->kind != CK_SEQ)
			continue;
		n = *(size_t *)field(obj, k->n_off);
		memcpy(&arr, field(obj, k->off), sizeof(arr));
		for (size_t j = 0; j < n && k->sub != NULL; j++)
			free_obj(k->sub, arr + j * k->size);
		for (size_t j = 0; j < n && k->sub == NULL && owns(k->type);
		     j++)
			free(*(char **)(arr + j * k->size));
		free(arr);
	}
}

void
conf_free(struct conf *cf)
{
	if (cf == NULL)
		return;
	free_obj(&top_table, cf);
	free(cf->path);
	free(cf);
}
