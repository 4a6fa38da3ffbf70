/*
 * resolver/conf/import_json.c - the importer: messages, typed JSON access.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Messages as "file:line: List[i] (id): ...", the typed getters over an entry's
 * mapping (jget refuses a key given twice), the loading of both documents
 * and the text helpers that quote input safely.  The node access itself is
 * conf/json.c's.
 * Part of the importer (see import.c for the phases); no state of its own.
 */
#include "config.h"

#include "conf/import.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>
#include "engine/catalog.h"
#include "conf/conf.h"
#include "conf/json.h"
#include "engine/endpoint.h"
#include "util/awsid.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "conf/import_internal.h"

/* ---- text helpers ------------------------------------------------------- */


/*
 * A DNS name of DnsEntries in the form the configuration stores: lower
 * case, no trailing dot, letters, digits, '-' and '_' (and a leading "*."
 * label).  False when @in is not such a name.
 */
bool
import_norm_name(const char *in, char out[CATALOG_NAME_MAX])
{
	uint8_t wire[WIRE_MAX_NAME_LEN];
	size_t n = strlen(in), i;
	char c;

	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0 || n >= CATALOG_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		c = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] - 'A' + 'a')
						 : in[i];
		if (!text_is_lower(c) && !text_is_digit(c) && c != '-' &&
		    c != '_' && c != '.' &&
		    !(c == '*' && i == 0 && in[1] == '.'))
			return false;
		out[i] = c;
	}
	out[n] = '\0';
	return wire_name_from_text(out, wire) != 0;
}

/* Under vpce.amazonaws.com or vpce.amazonaws.com.cn (SPEC 1.1). */
bool
import_is_vpce_name(const char *name)
{
	return text_ends_with(name, ".vpce.amazonaws.com") ||
	       text_ends_with(name, ".vpce.amazonaws.com.cn");
}

/* ---- messages ----------------------------------------------------------- */

static __attribute__((format(printf, 4, 0))) void
vadd(struct imp *im, const char *file, unsigned line, const char *fmt,
     va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (conf_errors_add(im->errs, file, line, "%s", msg) != VPC_OK)
		im->oom = true;
	im->nerr++;
}

/* Records "file:line: message" (line 0: "file: message"). */
__attribute__((format(printf, 4, 5))) void
import_file_err(struct imp *im, const char *file, unsigned line,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(im, file, line, fmt, ap);
	va_end(ap);
}

/*
 * Records "file:line: List[i] (id): message" at the line of @at, else at
 * the line of the entry.
 */
__attribute__((format(printf, 3, 4))) void
import_entry_err(struct entry *e, const yaml_node_t *at, const char *fmt, ...)
{
	char msg[400], vb[SHOW_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->id != NULL)
		import_file_err(e->im, e->jd->j.file,
				json_line(at != NULL ? at : e->node),
				"%s[%zu] (%s): %s", e->list, e->idx,
				conf_show(e->id, vb), msg);
	else
		import_file_err(e->im, e->jd->j.file,
			 json_line(at != NULL ? at : e->node), "%s[%zu]: %s",
			 e->list, e->idx, msg);
	e->bad = true;
}

/* ---- reading the documents ---------------------------------------------- */

void
import_jdoc_load(struct imp *im, struct jdoc *jd, const char *text, size_t len)
{
	int rc = json_doc_load(&jd->j, text, len, im->errs);

	if (rc == VPC_ENOMEM)
		im->oom = true;
	else if (rc != VPC_OK)
		im->nerr++;
}

/* The value of @key in @map, NULL when absent or null; a key given twice
 * is an error (JSON parsers disagree on which one wins). */
const yaml_node_t *
import_jget(struct entry *e, const yaml_node_t *map, const char *key)
{
	const yaml_node_t *v = NULL, *k;
	const yaml_node_pair_t *p;
	const char *name;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		k = json_node(&e->jd->j, p->key);
		if ((name = json_str(k)) == NULL || strcmp(name, key) != 0)
			continue;
		if (v != NULL) {
			import_entry_err(e, k, "'%s' is given twice", key);
			return NULL;
		}
		v = json_node(&e->jd->j, p->value);
	}
	return v == NULL || json_is_null(v) ? NULL : v;
}

/* A string field: NULL when absent, empty or wrong (with a message). */
const char *
import_jstr(struct entry *e, const yaml_node_t *map, const char *key,
	    bool required)
{
	const yaml_node_t *v = import_jget(e, map, key);
	const char *s = json_str(v);

	if (v != NULL && s == NULL) {
		import_entry_err(e, v, "'%s' must be a string", key);
		return NULL;
	}
	if ((s == NULL || s[0] == '\0') && required)
		import_entry_err(e, v, "missing '%s'", key);
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* A boolean field: 1, 0, or -1 when absent or wrong (with a message). */
int
import_jbool(struct entry *e, const yaml_node_t *map, const char *key)
{
	const yaml_node_t *v = import_jget(e, map, key);
	const char *s = json_str(v);

	if (v == NULL)
		return -1;
	if (s != NULL && strcasecmp(s, "true") == 0)
		return 1;
	if (s != NULL && strcasecmp(s, "false") == 0)
		return 0;
	import_entry_err(e, v, "'%s' must be true or false", key);
	return -1;
}

/* A list (or object, @kind) field: NULL when absent or wrong. */
const yaml_node_t *
import_jnode(struct entry *e, const yaml_node_t *map, const char *key,
      yaml_node_type_t kind)
{
	const yaml_node_t *v = import_jget(e, map, key);

	if (v == NULL || v->type == kind)
		return v;
	import_entry_err(e, v, "'%s' must be %s", key,
		  kind == YAML_SEQUENCE_NODE ? "a list" : "an object");
	return NULL;
}

/* An enum field by @names (n of them): index, or -1 when absent or
 * wrong; @skip is a value that counts as absent. */
int
import_jenum(struct entry *e, const yaml_node_t *map, const char *key,
      const char *const *names, size_t n, const char *skip)
{
	const char *s = import_jstr(e, map, key, false);
	char vb[SHOW_MAX];

	if (s == NULL || (skip != NULL && strcasecmp(s, skip) == 0))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(s, names[i]) == 0)
			return (int)i;
	import_entry_err(e, import_jget(e, map, key), "unknown %s '%s'", key,
			 conf_show(s, vb));
	return -1;
}

/* The list @key of the root object of @jd, or a message. */
bool
import_root_list(struct imp *im, struct jdoc *jd, const char *key,
		 const char *cmd)
{
	const yaml_node_t *root = json_root(&jd->j);
	const yaml_node_t *list = json_get(&jd->j, root, key);

	if (list != NULL && list->type == YAML_SEQUENCE_NODE) {
		jd->list = list;
		return true;
	}
	import_file_err(im, jd->j.file, json_line(list != NULL ? list : root),
		 "%s '%s' list (expected the output of `%s`)",
		 list != NULL ? "not a" : "no", key, cmd);
	return false;
}
