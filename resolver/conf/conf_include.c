/*
 * resolver/conf/conf_include.c - configuration snippets (`include:`).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The top-level `include:` names files, directories (their *.yaml files)
 * or glob patterns.  Each snippet is read, checked like the main file
 * (syntax, depth, no aliases) and its top-level keys are copied into the
 * main file's YAML document before the tables walk it: a list key that
 * both have (vpcs, profiles, listen, upstreams, allow-query) gets the
 * snippet's items appended; any other key is added as a second pair, so
 * the walker reports it as a duplicate key.  Every copied node keeps its
 * place as a "location": the file's number (0 for the main file, i + 1
 * for cf->files[i]) above CONF_LOC_SHIFT and the line below, so every
 * message names the snippet and line it comes from, and duplicate ids
 * across files are found by the same checks as within one file.  The
 * snippets' paths stay in struct conf (a reload reads them again; a
 * watcher can watch them).  Snippets are read, and directories and
 * patterns listed, through the configuration's struct reader
 * (util/reader.h); nothing here does I/O itself.
 */
#include "config.h"

#include "conf/conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "conf/conf_internal.h"
#include "util/err.h"
#include "util/reader.h"

unsigned
conf_loc(unsigned file, unsigned line)
{
	if (line > CONF_LOC_LINE_MAX)
		line = CONF_LOC_LINE_MAX;
	return file << CONF_LOC_SHIFT | line;
}

const char *
conf_loc_file(const struct conf *cf, unsigned loc, unsigned *line)
{
	unsigned f = loc >> CONF_LOC_SHIFT;

	*line = loc & CONF_LOC_LINE_MAX;
	if (f == 0 || f > cf->n_files)
		return cf->path;
	return cf->files[f - 1];
}

int
conf_errors_at(struct conf_errors *errs, const struct conf *cf, unsigned loc,
	       const char *fmt, ...)
{
	unsigned line;
	const char *file = conf_loc_file(cf, loc, &line);
	va_list ap, aq;
	char *msg;
	int n, rc;

	va_start(ap, fmt);
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0 || (msg = malloc((size_t)n + 1)) == NULL) {
		va_end(ap);
		return VPC_ENOMEM;
	}
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = conf_errors_add(errs, file, line, "%s", msg);
	free(msg);
	return rc;
}

const char *
conf_where(const struct pctx *px, unsigned loc, char buf[CONF_WHERE_MAX])
{
	unsigned f = loc >> CONF_LOC_SHIFT, line = loc & CONF_LOC_LINE_MAX;

	if (px->cf == NULL || px->cf->n_files == 0)
		snprintf(buf, CONF_WHERE_MAX, "line %u", line);
	else
		snprintf(buf, CONF_WHERE_MAX, "%s:%u",
			 f == 0 || f > px->cf->n_files ? px->file
						       : px->cf->files[f - 1],
			 line);
	return buf;
}

const char *
conf_loc_dir(const struct pctx *px, unsigned loc)
{
	unsigned f = loc >> CONF_LOC_SHIFT;

	if (f == 0 || f > px->n_dirs)
		return px->dir;
	return px->dirs[f - 1];
}

/* ---- copying nodes between documents ---------------------------------- */

/* The location of node @n of snippet number @file. */
static unsigned
snippet_line(unsigned file, const yaml_node_t *n)
{
	size_t line = n->start_mark.line + 1;

	return conf_loc(file, line > CONF_LOC_LINE_MAX ? CONF_LOC_LINE_MAX
						       : (unsigned)line);
}

static int
node_id(const yaml_document_t *doc, const yaml_node_t *n)
{
	return (int)(n - doc->nodes.start) + 1;
}

/* Copies node @id of @from into @to with its line as location @file;
 * returns the new id, or 0 when memory ran out.  Depth is bounded by the
 * prescan of @from (CONF_MAX_DEPTH). */
static int
copy_node(yaml_document_t *to, yaml_document_t *from, int id, unsigned file)
{
	yaml_node_t *n = yaml_document_get_node(from, id), *made;
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	int c = 0, k, v;

	if (n == NULL)
		return 0;
	if (n->type == YAML_SCALAR_NODE)
		c = yaml_document_add_scalar(to, n->tag, n->data.scalar.value,
					     (int)n->data.scalar.length,
					     n->data.scalar.style);
	else if (n->type == YAML_SEQUENCE_NODE)
		c = yaml_document_add_sequence(to, n->tag,
					       n->data.sequence.style);
	else if (n->type == YAML_MAPPING_NODE)
		c = yaml_document_add_mapping(to, n->tag,
					      n->data.mapping.style);
	if (c == 0)
		return 0;
	made = yaml_document_get_node(to, c);
	made->start_mark.line = snippet_line(file, n) - 1;
	if (n->type == YAML_SEQUENCE_NODE)
		for (it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++)
			if ((k = copy_node(to, from, *it, file)) == 0 ||
			    !yaml_document_append_sequence_item(to, c, k))
				return 0;
	if (n->type == YAML_MAPPING_NODE)
		for (p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++)
			if ((k = copy_node(to, from, p->key, file)) == 0 ||
			    (v = copy_node(to, from, p->value, file)) == 0 ||
			    !yaml_document_append_mapping_pair(to, c, k, v))
				return 0;
	return c;
}

/* The value of @key in the root mapping @root of @doc, or 0. */
static int
root_get(yaml_document_t *doc, int root, const char *key)
{
	yaml_node_t *r = yaml_document_get_node(doc, root), *k;

	for (yaml_node_pair_t *p = r->data.mapping.pairs.start;
	     p < r->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return p->value;
	}
	return 0;
}

static bool
is_seq(yaml_document_t *doc, int id)
{
	yaml_node_t *n = yaml_document_get_node(doc, id);

	return n != NULL && n->type == YAML_SEQUENCE_NODE;
}

/* Appends the items of sequence @from_id to sequence @to_id. */
static bool
append_items(yaml_document_t *to, int to_id, yaml_document_t *from, int from_id,
	     unsigned file)
{
	yaml_node_t *s = yaml_document_get_node(from, from_id);
	int c;

	for (yaml_node_item_t *it = s->data.sequence.items.start;
	     it < s->data.sequence.items.top; it++)
		if ((c = copy_node(to, from, *it, file)) == 0 ||
		    !yaml_document_append_sequence_item(to, to_id, c))
			return false;
	return true;
}

/* Merges the top-level keys of snippet @from (number @file) into @to. */
static void
merge(struct pctx *px, yaml_document_t *to, yaml_document_t *from,
      unsigned file)
{
	int root = node_id(to, yaml_document_get_root_node(to)), mine, k, v;
	yaml_node_t *sr = yaml_document_get_root_node(from), *key;
	size_t n =
	    (size_t)(sr->data.mapping.pairs.top - sr->data.mapping.pairs.start);

	for (size_t i = 0; i < n && !px->oom; i++) {
		/* Re-read: adding nodes to @to never moves @from's. */
		yaml_node_pair_t *p = &sr->data.mapping.pairs.start[i];

		key = yaml_document_get_node(from, p->key);
		if (key->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)key->data.scalar.value, "include") ==
			0) {
			conf_perr(px, snippet_line(file, key),
				  "include: only the main configuration file "
				  "may include snippets");
			continue;
		}
		mine = key->type == YAML_SCALAR_NODE
			   ? root_get(to, root,
				      (const char *)key->data.scalar.value)
			   : 0;
		if (mine != 0 && is_seq(to, mine) && is_seq(from, p->value)) {
			if (!append_items(to, mine, from, p->value, file))
				px->oom = true;
			continue;
		}
		/* A second pair: the walker reports the duplicate key. */
		if ((k = copy_node(to, from, p->key, file)) == 0 ||
		    (v = copy_node(to, from, p->value, file)) == 0 ||
		    !yaml_document_append_mapping_pair(to, root, k, v))
			px->oom = true;
	}
}

/* ---- finding and reading the snippets --------------------------------- */

/* Records @path as snippet number n_files + 1 (with its directory, for
 * its relative paths); false when it is already listed. */
static bool
add_file(struct pctx *px, const char *path)
{
	struct conf *cf = px->cf;
	const char *slash = strrchr(path, '/');
	char **f, **d;

	for (size_t i = 0; i < cf->n_files; i++)
		if (strcmp(cf->files[i], path) == 0)
			return false;
	if (strcmp(path, px->file) == 0)
		return false;
	f = realloc(cf->files, (cf->n_files + 1) * sizeof(*f));
	if (f != NULL)
		cf->files = f;
	d = realloc(px->dirs, (px->n_dirs + 1) * sizeof(*d));
	if (d != NULL)
		px->dirs = d;
	if (f == NULL || d == NULL) {
		px->oom = true;
		return false;
	}
	f[cf->n_files] = conf_xstrdup(px, path);
	d[px->n_dirs] =
	    conf_format("%.*s", (int)(slash - path) + 1, path); /* absolute */
	if (f[cf->n_files] == NULL || d[px->n_dirs] == NULL) {
		free(f[cf->n_files]);
		free(d[px->n_dirs]);
		px->oom = true;
		return false;
	}
	cf->n_files++;
	px->n_dirs++;
	return true;
}

/* Reads, checks and merges snippet number @file into @doc. */
static void
include_file(struct pctx *px, yaml_document_t *doc, unsigned file, unsigned at)
{
	const char *path = px->cf->files[file - 1];
	yaml_document_t sdoc;
	yaml_parser_t parser;
	yaml_node_t *root;
	size_t len = 0, nerr = px->nerr;
	char *text = NULL;
	int rc, err;

	if ((rc = reader_read(px->cf->reader, path, CONF_MAX_FILE, &text, &len,
			      &err)) == VPC_ENOMEM) {
		px->oom = true;
		return;
	}
	if (rc != VPC_OK) {
		conf_perr(px, at, "include: %s: cannot read: %s", path,
			  conf_read_error(err));
		return;
	}
	px->cur_file = file;
	conf_prescan(px, text, len);
	if (px->nerr == nerr && !px->oom && yaml_parser_initialize(&parser)) {
		yaml_parser_set_input_string(&parser, (unsigned char *)text,
					     len);
		if (yaml_parser_load(&parser, &sdoc)) {
			root = yaml_document_get_root_node(&sdoc);
			if (root != NULL && root->type == YAML_MAPPING_NODE)
				merge(px, doc, &sdoc, file);
			else if (root != NULL && !conf_is_null(root))
				conf_perr(px, snippet_line(file, root),
					  "a snippet must be a mapping of "
					  "top-level keys");
			yaml_document_delete(&sdoc);
		} else {
			conf_syntax_error(px, &parser, text, len);
		}
		yaml_parser_delete(&parser);
	}
	px->cur_file = 0;
	free(text);
}

static bool
has_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* The files one `include` item names, in name order (glob(3) sorts). */
static void
expand(struct pctx *px, const char *text, unsigned at)
{
	const struct reader *rd = px->cf->reader;
	char *pat, **paths = NULL;
	size_t n = 0;
	int rc;

	if (text[0] == '/')
		pat = conf_xstrdup(px, text);
	else
		pat = conf_format("%s%s", px->dir, text);
	if (pat == NULL) {
		px->oom = true;
		return;
	}
	if (!has_magic(pat) && reader_is_dir(rd, pat)) {
		char *d = conf_format("%s%s*.yaml", pat,
				      pat[strlen(pat) - 1] == '/' ? "" : "/");

		free(pat);
		if ((pat = d) == NULL) {
			px->oom = true;
			return;
		}
	} else if (!has_magic(pat)) {
		add_file(px, pat); /* a missing file is reported when read */
		free(pat);
		return;
	}
	/* An empty directory or a pattern that matches nothing is fine:
	 * a fleet may start without snippets. */
	rc = reader_list(rd, pat, &paths, &n);
	if (rc == VPC_ENOMEM)
		px->oom = true;
	else if (rc != VPC_OK)
		conf_perr(px, at, "include: cannot list '%s'", text);
	for (size_t i = 0; rc == VPC_OK && i < n; i++)
		add_file(px, paths[i]);
	reader_list_free(paths, n);
	free(pat);
}

void
conf_include(struct pctx *px, yaml_document_t *doc)
{
	yaml_node_t *root = yaml_document_get_root_node(doc), *v, *item;
	size_t first = px->cf->n_files;
	int inc, seq;
	unsigned at;

	if (root == NULL || root->type != YAML_MAPPING_NODE ||
	    (inc = root_get(doc, node_id(doc, root), "include")) == 0)
		return;
	v = yaml_document_get_node(doc, inc);
	/* One pattern may stand alone; the table wants a list. */
	if (v->type == YAML_SCALAR_NODE && !conf_is_null(v)) {
		yaml_mark_t m = v->start_mark;

		if ((seq = yaml_document_add_sequence(
			 doc, NULL, YAML_ANY_SEQUENCE_STYLE)) == 0 ||
		    !yaml_document_append_sequence_item(doc, seq, inc)) {
			px->oom = true;
			return;
		}
		root = yaml_document_get_root_node(doc);
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top; p++)
			if (p->value == inc)
				p->value = seq;
		yaml_document_get_node(doc, seq)->start_mark = m;
		inc = seq;
	}
	v = yaml_document_get_node(doc, inc);
	if (v->type != YAML_SEQUENCE_NODE)
		return; /* the table walker reports it */
	if (!px->may_include) {
		conf_perr(px, conf_node_line(px, v),
			  "include: snippets are only read from a "
			  "configuration file");
		return;
	}
	for (size_t i = 0; !px->oom; i++) {
		v = yaml_document_get_node(doc, inc);
		if (i >= (size_t)(v->data.sequence.items.top -
				  v->data.sequence.items.start))
			break;
		item = yaml_document_get_node(doc,
					      v->data.sequence.items.start[i]);
		if (item->type == YAML_SCALAR_NODE &&
		    conf_scalar_str(item) != NULL &&
		    item->data.scalar.length > 0)
			expand(px, conf_scalar_str(item),
			       conf_node_line(px, item));
	}
	at = conf_node_line(px, v);
	if (px->cf->n_files > CONF_INCLUDE_MAX) {
		conf_perr(px, at, "include: %zu snippets, more than %u",
			  px->cf->n_files, CONF_INCLUDE_MAX);
		return;
	}
	for (size_t f = first; f < px->cf->n_files && !px->oom; f++)
		include_file(px, doc, (unsigned)f + 1, at);
}
