/*
 * resolver/conf/conf_yaml.h - the scalar layer over libyaml's node tree.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * What the configuration parser (conf*.c) and the AWS CLI JSON importer
 * (import*.c) both ask of a yaml_document_t: a scalar as a C string,
 * whether a node is null, a sequence's items, a mapping's value for a key.
 * One copy, so a value one reader takes for null the other does too.
 * Borrowed nodes of a loaded document; no state.
 */
#ifndef RESOLVER_CONF_CONF_YAML_H
#define RESOLVER_CONF_CONF_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

/* The 1-based line of mark @m (UINT_MAX for a larger one). */
unsigned conf_yaml_mark_line(yaml_mark_t m);

/*
 * The 1-based line of @p's syntax error in the @len bytes of @text:
 * reader errors (bad UTF-8, control bytes) carry only a byte offset, so
 * that one is counted in the text.
 */
unsigned conf_yaml_error_line(const yaml_parser_t *p, const char *text,
			      size_t len);

/* What the prescan of an event stream looks at (conf_yaml_scan()). */
enum conf_yaml_event {
	CONF_YAML_EV_OTHER,    /* nothing to check */
	CONF_YAML_EV_DOCUMENT, /* a document starts */
	CONF_YAML_EV_ALIAS,    /* an alias: refused by every reader */
	CONF_YAML_EV_TOO_DEEP, /* nesting just went past the limit */
};

/*
 * conf_yaml_scan() - classify @ev and track the nesting @depth, for a
 * prescan that refuses aliases and deep nesting before libyaml's loader
 * (which recurses per level and shares aliased nodes) sees the text.
 * CONF_YAML_EV_TOO_DEEP comes once, when @depth reaches @max_depth + 1.
 */
enum conf_yaml_event conf_yaml_scan(const yaml_event_t *ev, unsigned *depth,
				    unsigned max_depth);

/* A scalar's text; NULL when @n is not a scalar or holds a NUL. */
const char *conf_scalar_str(const yaml_node_t *n);

/*
 * Null as the YAML core schema spells it (YAML 1.2 §10.3.2, also JSON's
 * null): a plain scalar that is empty, "~", "null", "Null" or "NULL".
 * A quoted "null" is a string.
 */
bool conf_is_null(const yaml_node_t *n);

/* Items of sequence @seq; 0 when it is not a sequence. */
size_t conf_seq_len(const yaml_node_t *seq);

/* Item @i of sequence @seq in @doc, or NULL. */
const yaml_node_t *conf_doc_seq_item(yaml_document_t *doc,
				     const yaml_node_t *seq, size_t i);

/* The value of the first key @name of mapping @map in @doc, or NULL. */
const yaml_node_t *conf_doc_map_get(yaml_document_t *doc,
				    const yaml_node_t *map, const char *name);

#endif /* RESOLVER_CONF_CONF_YAML_H */
