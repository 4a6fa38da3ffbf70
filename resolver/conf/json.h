/*
 * resolver/conf/json.h - JSON documents read with libyaml, for the readers
 * of AWS CLI and Terraform output.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * JSON is YAML, so libyaml reads it; this layer adds what a reader of
 * untrusted JSON needs on top: an event prescan that refuses a second
 * document, YAML aliases and nesting deeper than JSON_MAX_DEPTH (libyaml's
 * loader recurses per level and shares aliased nodes, even in cycles),
 * syntax errors reported as "file:line: not valid JSON: ...", and small
 * accessors over the node tree.  Used by conf/import.c (describe-vpc-
 * endpoints), conf/route53.c and conf/terraform.c.  Nodes returned are
 * borrowed from the document and live until json_doc_cleanup().  No I/O,
 * no global state.
 */
#ifndef RESOLVER_CONF_JSON_H
#define RESOLVER_CONF_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

struct conf_errors;

/* JSON nesting accepted (libyaml recurses once per level). */
#define JSON_MAX_DEPTH 64

/* One input document. */
struct json_doc {
	const char *file;     /* name in messages, borrowed */
	yaml_document_t doc;  /* the node tree, valid when loaded */
	bool loaded;          /* doc must be deleted */
};

/**
 * json_doc_load() - parse @len bytes of @text into @jd->doc.
 * @jd:   [in,out] file set by the caller; doc and loaded filled in.
 * @errs: [in,out] a syntax error is appended as "file:line: not valid
 *        JSON: ...".
 * Return: VPC_OK; VPC_ECONFIG after appending one message; VPC_ENOMEM.
 */
int json_doc_load(struct json_doc *jd, const char *text, size_t len,
		  struct conf_errors *errs);

/** json_doc_cleanup() - release the tree; safe to call twice. */
void json_doc_cleanup(struct json_doc *jd);

/** json_root() - the root node of a loaded document, or NULL. */
const yaml_node_t *json_root(struct json_doc *jd);

/** json_line() - 1-based line of @n; 0 for NULL. */
unsigned json_line(const yaml_node_t *n);

/** json_str() - a scalar as a C string; NULL for other nodes and for
 * scalars holding a NUL. */
const char *json_str(const yaml_node_t *n);

/** json_is_null() - whether @n is JSON null (or a YAML spelling of it). */
bool json_is_null(const yaml_node_t *n);

/** json_len() - items of a sequence; 0 for NULL and other nodes. */
size_t json_len(const yaml_node_t *seq);

/** json_at() - item @i of sequence @seq, or NULL. */
const yaml_node_t *json_at(struct json_doc *jd, const yaml_node_t *seq,
			   size_t i);

/** json_node() - the node of id @id (a pair's key or value), or NULL. */
const yaml_node_t *json_node(struct json_doc *jd, int id);

/**
 * json_get() - the value of @key in the mapping @map; NULL when @map is
 * not a mapping or has no such key.  With the key given twice, the first.
 */
const yaml_node_t *json_get(struct json_doc *jd, const yaml_node_t *map,
			    const char *key);

/**
 * json_count_key() - how many times @key appears in mapping @map (JSON
 * parsers disagree on which duplicate wins, so readers refuse them).
 */
size_t json_count_key(struct json_doc *jd, const yaml_node_t *map,
		      const char *key);

#endif /* RESOLVER_CONF_JSON_H */
