/*
 * resolver/conf/json.c - JSON documents read with libyaml.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See json.h.  The prescan reads the text as events, where nothing
 * recurses, before the loader builds the tree.
 */
#include "config.h"

#include "conf/json.h"

#include <string.h>

#include "conf/conf.h"
#include "conf/conf_yaml.h"
#include "util/err.h"

unsigned
json_line(const yaml_node_t *n)
{
	return n == NULL ? 0 : conf_yaml_mark_line(n->start_mark);
}

static int
add(struct json_doc *jd, struct conf_errors *errs, const yaml_mark_t *m,
    const char *msg)
{
	yaml_node_t at = {.start_mark = *m};

	if (conf_errors_add(errs, jd->file, json_line(&at), "%s", msg) !=
	    VPC_OK)
		return VPC_ENOMEM;
	return VPC_ECONFIG;
}

static int
syntax_error(struct json_doc *jd, const yaml_parser_t *p, const char *text,
	     size_t len, struct conf_errors *errs)
{
	unsigned line;

	/* libyaml fails some allocations without setting an error. */
	if (p->error == YAML_MEMORY_ERROR || p->error == YAML_NO_ERROR)
		return VPC_ENOMEM;
	line = conf_yaml_error_line(p, text, len);
	if (conf_errors_add(errs, jd->file, line, "not valid JSON: %s",
			    p->problem != NULL ? p->problem
					       : "syntax error") != VPC_OK)
		return VPC_ENOMEM;
	return VPC_ECONFIG;
}

static int
prescan_event(struct json_doc *jd, const yaml_event_t *ev, unsigned *depth,
	      unsigned *docs, struct conf_errors *errs)
{
	switch (conf_yaml_scan(ev, depth, JSON_MAX_DEPTH)) {
	case CONF_YAML_EV_DOCUMENT:
		if (++*docs < 2)
			break;
		return add(jd, errs, &ev->start_mark,
			   "not valid JSON: a second document");
	case CONF_YAML_EV_ALIAS:
		return add(jd, errs, &ev->start_mark,
			   "not valid JSON: a YAML alias");
	case CONF_YAML_EV_TOO_DEEP:
		return add(jd, errs, &ev->start_mark,
			   "nested deeper than 64 levels");
	case CONF_YAML_EV_OTHER:
		break;
	}
	return VPC_OK;
}

static int
prescan(struct json_doc *jd, const char *text, size_t len,
	struct conf_errors *errs)
{
	unsigned depth = 0, docs = 0;
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = VPC_OK;
	bool end = false;

	if (!yaml_parser_initialize(&parser))
		return VPC_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (rc == VPC_OK && !end) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = syntax_error(jd, &parser, text, len, errs);
			break;
		}
		rc = prescan_event(jd, &ev, &depth, &docs, errs);
		end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

int
json_doc_load(struct json_doc *jd, const char *text, size_t len,
	      struct conf_errors *errs)
{
	yaml_parser_t parser;
	int rc;

	jd->loaded = false;
	if ((rc = prescan(jd, text, len, errs)) != VPC_OK)
		return rc;
	if (!yaml_parser_initialize(&parser))
		return VPC_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (yaml_parser_load(&parser, &jd->doc))
		jd->loaded = true;
	else
		rc = syntax_error(jd, &parser, text, len, errs);
	yaml_parser_delete(&parser);
	return rc;
}

void
json_doc_cleanup(struct json_doc *jd)
{
	if (jd->loaded)
		yaml_document_delete(&jd->doc);
	jd->loaded = false;
}

const yaml_node_t *
json_root(struct json_doc *jd)
{
	return jd->loaded ? yaml_document_get_root_node(&jd->doc) : NULL;
}

/* The accessors are the configuration's (conf_yaml.h): one copy. */
const char *
json_str(const yaml_node_t *n)
{
	return conf_scalar_str(n);
}

bool
json_is_null(const yaml_node_t *n)
{
	return conf_is_null(n);
}

const yaml_node_t *
json_node(struct json_doc *jd, int id)
{
	return yaml_document_get_node(&jd->doc, id);
}

size_t
json_len(const yaml_node_t *seq)
{
	return conf_seq_len(seq);
}

const yaml_node_t *
json_at(struct json_doc *jd, const yaml_node_t *seq, size_t i)
{
	return conf_doc_seq_item(&jd->doc, seq, i);
}

const yaml_node_t *
json_get(struct json_doc *jd, const yaml_node_t *map, const char *key)
{
	return conf_doc_map_get(&jd->doc, map, key);
}

size_t
json_count_key(struct json_doc *jd, const yaml_node_t *map, const char *key)
{
	const yaml_node_pair_t *p;
	const char *k;
	size_t n = 0;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return 0;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		k = json_str(json_node(jd, p->key));
		if (k != NULL && strcmp(k, key) == 0)
			n++;
	}
	return n;
}
