/*
 * resolver/conf/conf_internal.h - declarations shared by the conf_*.c files.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The configuration parser is one module in four files: conf.c (the table
 * walker, errors, loading, freeing and the top-level keys), conf_value.c
 * (addresses, names and the scalar converters), conf_vpc.c (VPCs,
 * endpoints, subnets, hosted zones) and conf_policy.c (resolver rules,
 * DNS Firewall rules, profiles).  This header is their private contract:
 * the table types every file fills, and the helpers they share.  Nothing
 * here is for other modules.  All state of a load lives in struct pctx;
 * pointers passed to these helpers are borrowed for the call.
 */
#ifndef RESOLVER_CONF_CONF_INTERNAL_H
#define RESOLVER_CONF_CONF_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "conf/conf.h"
#include "conf/conf_yaml.h"
#include "util/text.h"

#define CONF_MAX_KEYS 24	    /* keys of the largest table */
#define CONF_MAX_FILE (16L << 20)   /* bytes of a file we read */
#define CONF_MAX_FILE_TEXT "16 MiB" /* the same, for messages */
#define CONF_PATH_MAX 128	    /* "vpcs[1].endpoints[2].subnets[3]" */
#define CONF_SHOW_MAX 72	    /* bytes of a value quoted in a message */
#define CONF_DERIVE_MAX 32	    /* bytes of a derived default's text */

/* Locations: a line of the main file (file 0) or of snippet number f
 * (cf->files[f - 1]), as f << CONF_LOC_SHIFT | line (conf_include.c). */
#define CONF_LOC_SHIFT 22
#define CONF_LOC_LINE_MAX ((1u << CONF_LOC_SHIFT) - 1)
#define CONF_INCLUDE_MAX 1000 /* snippets of one configuration */
#define CONF_WHERE_MAX (PATH_MAX + 16) /* "FILE:LINE" or "line N" */

/* State of one load. */
struct pctx {
	const char *file;	  /* name used in messages */
	char *dir;		  /* prefix of relative paths: "" or ends
				     in '/' */
	struct conf *cf;	  /* the configuration being built */
	char **dirs;		  /* the same for each snippet */
	size_t n_dirs;
	unsigned cur_file;	  /* snippet being scanned, 0: main file */
	bool may_include;	  /* loaded from a file: include: works */
	yaml_document_t *doc;	  /* document being walked */
	struct conf_errors *errs; /* where messages go */
	size_t nerr;		  /* messages added by this load */
	unsigned *sort_lines;	  /* configuration line of each message
				     added by this load, for sorting */
	size_t n_sort_lines;	  /* entries used in sort_lines */
	bool oom;		  /* an allocation failed (sticky) */
	bool in_default;	  /* walking a table default: no lines */
	size_t path_len;	  /* bytes used in path */
	char path[CONF_PATH_MAX]; /* where we are: "vpcs[0].endpoints[1]" */
};

enum ckind {
	CK_SCALAR, /* one value, converted by its ctype */
	CK_SEQ,	   /* a list of values (ctype) or of mappings (sub) */
	CK_MAP,	   /* a mapping whose keys fill the same object (sub) */
};

enum ctype {
	CT_STR,	     /* char *, checked by valid() */
	CT_UINT,     /* uint32_t in min..max */
	CT_BOOL,     /* bool: odd index in names[] (conf_bool_names) */
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
	CT_DOMAIN,   /* char *, DNS name or "." (the root) */
	CT_MATCH,    /* char *, firewall domain: a name, "*.name" or "*" */
	CT_RRTYPE,   /* uint16_t, an RR type mnemonic in names[] */
	CT_OUTPATH,  /* char *, "-" (stdout) or a CT_PATH */
	CT_ALLOW,    /* struct conf_cidr, or "any": family AF_UNSPEC until
			top-level finish expands it */
};

struct ckey;
struct seen;

struct ctable {
	const struct ckey *keys;
	size_t n;
	size_t line_off; /* offsetof(line) + 1 in the object, 0 = none */
	/* Checks across keys, skipped when a key marked basis failed. */
	void (*finish)(struct pctx *px, void *obj, const struct seen *s);
	/* A list item that is a bare value instead of a mapping sets this
	 * key (profiles: [shared] is profiles: [{name: shared}]); NULL: a
	 * mapping is required. */
	const char *scalar_key;
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
	 * late, from the parent object (applied by the parent's finish);
	 * @buf may hold the text returned. */
	const char *(*derive)(const void *obj, const void *parent,
			      char buf[CONF_DERIVE_MAX]);
	bool late;
	uint32_t min, max;		 /* CT_UINT, CT_PORT; CT_ENUM: max,
					    when set, is how many names */
	const char *const *names;	 /* CT_ENUM, CT_RRTYPE; NULL-ended */
	bool (*valid)(const char *text); /* CT_STR, NULL = any */
	const char *hint; /* what valid() accepts, for messages */
};

/* The value nodes of one mapping, by key index. */
struct seen {
	const struct ctable *t;
	const yaml_node_t *map;		       /* NULL: all defaults */
	const yaml_node_t *val[CONF_MAX_KEYS]; /* NULL: key absent */
};

/* Table-building shorthands, used by every conf_*.c table. */
#define SCALAR(T, f, ty) .kind = CK_SCALAR, .type = (ty), .off = offsetof(T, f)
#define BOOL(T, f) SCALAR(T, f, CT_BOOL), .names = conf_bool_names
#define SEQ(T, f)                                                              \
	.kind = CK_SEQ, .off = offsetof(T, f), .n_off = offsetof(T, n_##f),    \
	.size = sizeof(*((T *)0)->f)
#define PRESENT(T, f) .present = offsetof(T, f) + 1
#define TABLE(keys, line, fin)                                                 \
	{                                                                      \
		keys, sizeof(keys) / sizeof(keys[0]), line, fin, NULL          \
	}
#define LINE(T) (offsetof(T, line) + 1)
#define XSTR(x) STR(x)
#define STR(x) #x

/* ---- conf.c: strings, messages, paths, nodes, files --------------------- */

/* Formats like printf into a new string; NULL when out of memory. */
char *conf_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A printable, quotable copy of @s in @buf, cut at CONF_SHOW_MAX bytes. */
const char *conf_show(const char *s, char buf[CONF_SHOW_MAX]);

/* Reads a decimal in min..max into *out; no sign, no spaces. */
bool conf_parse_u32(const char *text, uint32_t min, uint32_t max,
		    uint32_t *out);

/* Records "file:line: path: message" (line 0: no line). */
void conf_perr(struct pctx *px, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records "path.name: message" at the line of key @name (or the map's). */
void conf_key_err(struct pctx *px, const struct seen *s, const char *name,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * Records "@file:@line: message" about another file (a domains-file),
 * sorted with the messages of configuration line @at.
 */
void conf_file_err(struct pctx *px, const char *file, unsigned line,
		   unsigned at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* strdup() that sets px->oom on failure. */
char *conf_xstrdup(struct pctx *px, const char *s);

/* Line of @n, 1-based; 0 for NULL or inside a table default. */
unsigned conf_node_line(const struct pctx *px, const yaml_node_t *n);

/* Appends to the path; returns the length to restore with conf_path_pop(). */
size_t conf_path_add(struct pctx *px, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void conf_path_pop(struct pctx *px, size_t old);

/* The value of key @name in mapping @map, or NULL. */
const yaml_node_t *conf_map_get(const struct pctx *px, const yaml_node_t *map,
				const char *name);

/* Item @i of sequence @seq, or NULL. */
const yaml_node_t *conf_seq_item(const struct pctx *px, const yaml_node_t *seq,
				 size_t i);

/* Index of key @name in @t, or SIZE_MAX. */
size_t conf_key_index(const struct ctable *t, const char *name);

/* The value node of key @name in a parsed mapping, or NULL. */
const yaml_node_t *conf_seen_val(const struct seen *s, const char *name);

/* Applies the late defaults of @obj, a child of @parent (see ckey.late). */
void conf_apply_late(struct pctx *px, const struct ctable *t,
		     const yaml_node_t *map, void *obj, const void *parent);

/* Checks syntax, depth, aliases and the number of documents of @text. */
void conf_prescan(struct pctx *px, const char *text, size_t len);

/* Reports the error of a failed libyaml parse of @text. */
void conf_syntax_error(struct pctx *px, const yaml_parser_t *p,
		       const char *text, size_t len);

/* ---- conf_include.c: snippets and locations ------------------------------ */

/* The location of @line in file number @file (0: the main file). */
unsigned conf_loc(unsigned file, unsigned line);

/* "line N" (no snippets) or "FILE:N" of location @loc, in @buf. */
const char *conf_where(const struct pctx *px, unsigned loc,
		       char buf[CONF_WHERE_MAX]);

/* The directory relative paths written at location @loc start from. */
const char *conf_loc_dir(const struct pctx *px, unsigned loc);

/* Reads the snippets the root mapping's `include` names and merges them
 * into @doc (see conf_include.c); px->cf->files lists them. */
void conf_include(struct pctx *px, yaml_document_t *doc);

/* Why a struct reader's read() failed (its err), for "cannot read ...:
 * <this>": "larger than 16 MiB" for EFBIG (CONF_MAX_FILE). */
const char *conf_read_error(int err);

/* conf_anchor.c: reads the dnssec-trust-anchors files (or the root key)
 * into cf->anchors when a VPC validates. */
void conf_load_anchors(struct pctx *px, struct conf *cf,
		       const struct seen *s);

/* ---- conf_value.c: converters and names ---------------------------------- */

extern const char *const conf_bool_names[];

/* Converts @text by k->type into @dst; problems are recorded at @line. */
void conf_scalar(struct pctx *px, const char *text, unsigned line,
		 const struct ckey *k, void *dst);

/* The field of a CK_SCALAR of type @t is a char * that conf_free() frees. */
bool conf_owns(enum ctype t);

/* Address bytes (network order) and port (host order) of @sa. */
const uint8_t *conf_sockaddr_parts(const struct conf_sockaddr *sa,
				   uint16_t *port);

/*
 * A lowercase DNS name without trailing dot, labels of letters, digits,
 * '-' and '_'; with @wildcard a leading "*." label is allowed.
 */
bool conf_name_ok(const char *s, bool wildcard);

/*
 * Normalises @text as a name of type @t (CT_NAME, CT_ZONE, CT_DOMAIN,
 * CT_MATCH): lower case, no trailing dot.  Return: the new string, or NULL
 * when @text is not valid (*why says what is wanted) or memory ran out
 * (px->oom set).
 */
char *conf_dname(struct pctx *px, const char *text, enum ctype t,
		 const char **why);

/* ---- conf_vpc.c and conf_policy.c: tables and checks --------------------- */

extern const struct ctable conf_vpc_table;
extern const struct ctable conf_zone_table;
extern const struct ctable conf_profile_table;
extern const struct ctable conf_profile_ref_table;
extern const struct ctable conf_rule_table;
extern const struct ctable conf_fw_table;
extern const struct ctable conf_health_table;

/* "vpc-" and lowercase letters, digits or '-' (listen[].inbound too). */
bool conf_valid_vpc_id(const char *s);
#define CONF_VPC_ID_HINT "a VPC id (vpc- and lowercase letters, digits or '-')"

/* A profile or rule name: 1..64 letters, digits, ' ', '-', '_'. */
bool conf_valid_aws_name(const char *s);
#define CONF_AWS_NAME_HINT                                                     \
	"a name of 1 to 64 letters, digits, spaces, '-' or '_', not only "     \
	"digits"

/* Duplicate zone names in one list of hosted zones. */
void conf_check_zones(struct pctx *px, const struct conf_hosted_zone *z,
		      size_t n);

/* Duplicate rule domains and firewall priorities in the lists of the
 * object being finished (a VPC or a profile, already in px->path). */
void conf_check_policy(struct pctx *px, const struct conf_rule *rules,
		       size_t n_rules, const struct conf_fw_rule *fw,
		       size_t n_fw);

/* The VPC with id @id, or NULL. */
const struct conf_vpc *conf_find_vpc(const struct conf *cf, const char *id);

/* Unique VPC and endpoint ids; at most one VPC without clients. */
void conf_check_vpcs(struct pctx *px, const struct conf *cf);

/* Unique profile names; each VPC's profiles to indexes in evaluation
 * order (priority, then as written). */
void conf_check_profiles(struct pctx *px, struct conf *cf);

#endif /* RESOLVER_CONF_CONF_INTERNAL_H */
