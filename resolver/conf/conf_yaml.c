/*
 * resolver/conf/conf_yaml.c - the scalar layer over libyaml's node tree
 * (see conf_yaml.h).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Reads borrowed nodes of a loaded document; no allocation, no state.
 */
#include "config.h"

#include "conf/conf_yaml.h"

#include <limits.h>
#include <string.h>

unsigned
conf_yaml_mark_line(yaml_mark_t m)
{
	return m.line >= UINT_MAX - 1 ? UINT_MAX : (unsigned)m.line + 1;
}

unsigned
conf_yaml_error_line(const yaml_parser_t *p, const char *text, size_t len)
{
	unsigned line = 1;

	if (p->error != YAML_READER_ERROR)
		return conf_yaml_mark_line(p->problem_mark);
	for (size_t i = 0; i < p->problem_offset && i < len; i++)
		if (text[i] == '\n' && line < UINT_MAX)
			line++;
	return line;
}

enum conf_yaml_event
conf_yaml_scan(const yaml_event_t *ev, unsigned *depth, unsigned max_depth)
{
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		return CONF_YAML_EV_DOCUMENT;
	case YAML_ALIAS_EVENT:
		return CONF_YAML_EV_ALIAS;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return ++*depth == max_depth + 1 ? CONF_YAML_EV_TOO_DEEP
						 : CONF_YAML_EV_OTHER;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		--*depth;
		break;
	default:
		break;
	}
	return CONF_YAML_EV_OTHER;
}

const char *
conf_scalar_str(const yaml_node_t *n)
{
	const char *s;

	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	s = (const char *)n->data.scalar.value;
	return strlen(s) == n->data.scalar.length ? s : NULL;
}

bool
conf_is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};
	const char *s = conf_scalar_str(n);

	if (s == NULL || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(s, nulls[i]) == 0)
			return true;
	return false;
}

size_t
conf_seq_len(const yaml_node_t *seq)
{
	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top -
			seq->data.sequence.items.start);
}

const yaml_node_t *
conf_doc_seq_item(yaml_document_t *doc, const yaml_node_t *seq, size_t i)
{
	if (i >= conf_seq_len(seq))
		return NULL;
	return yaml_document_get_node(doc, seq->data.sequence.items.start[i]);
}

const yaml_node_t *
conf_doc_map_get(yaml_document_t *doc, const yaml_node_t *map,
		 const char *name)
{
	const yaml_node_pair_t *p;
	const char *key;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		key = conf_scalar_str(yaml_document_get_node(doc, p->key));
		if (key != NULL && strcmp(key, name) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}
