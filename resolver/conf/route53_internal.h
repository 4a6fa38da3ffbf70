/*
 * resolver/conf/route53_internal.h - helpers shared by the Route 53 and
 * Terraform readers (conf/route53.c, conf/terraform.c).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A struct rec is where messages about one record set (or resource) point
 * and the sticky result of the file being read.  The getters return
 * values borrowed from the JSON document; a value of the wrong kind is
 * reported and treated as absent.  Not for other modules.
 */
#ifndef RESOLVER_CONF_ROUTE53_INTERNAL_H
#define RESOLVER_CONF_ROUTE53_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

struct conf_errors;
struct json_doc;
struct route53_rrset;

struct rec {
	struct json_doc *jd;	 /* the file */
	struct conf_errors *errs;
	const char *list;	 /* "ResourceRecordSets" or "Changes"; NULL:
				    messages name @addr instead */
	size_t idx;		 /* index in @list */
	const char *addr;	 /* a Terraform resource address */
	const yaml_node_t *node; /* the record set's mapping */
	struct route53_rrset *rs; /* being filled */
	int *rc;		 /* sticky result of the file */
};

/* Records "file:line: where (name TYPE): message" at @at (or the record). */
void route53_rec_err(struct rec *r, const yaml_node_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* strdup() that sets *r->rc to VPC_ENOMEM on failure. */
char *route53_dup(struct rec *r, const char *s);

/* The value of @key in @map, NULL when absent or null; twice is an error. */
const yaml_node_t *route53_get(struct rec *r, const yaml_node_t *map,
			       const char *key);

/* A string; NULL when absent, empty or not a string (with a message). */
const char *route53_get_str(struct rec *r, const yaml_node_t *map,
			    const char *key, bool required);

/* 1 true, 0 false, -1 absent or wrong (with a message). */
int route53_get_bool(struct rec *r, const yaml_node_t *map, const char *key);

/* A whole number in 0..@max; false when absent or wrong (with a message). */
bool route53_get_uint(struct rec *r, const yaml_node_t *map, const char *key,
		      uint32_t max, uint32_t *out);

/* A name decoded by route53_decode_name(), owned; NULL when absent or bad. */
char *route53_get_name(struct rec *r, const yaml_node_t *map, const char *key);

#endif /* RESOLVER_CONF_ROUTE53_INTERNAL_H */
