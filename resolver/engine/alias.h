/*
 * resolver/engine/alias.h - Route 53 alias records: checks at load time and
 * the answer built from an upstream reply.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * An alias record set (engine/policy.h) answers with its target's
 * records of the same type under the alias's own name and with the
 * target's TTL, never with a CNAME (SPEC 1.9).  The engine follows a
 * local target like a CNAME it does not show (engine/answer.c); a target
 * outside local data is asked upstream and alias_add_upstream() renames
 * the reply's records.  alias_check() refuses, when the data set is
 * built, what Route 53 would refuse to create and what could only loop at
 * query time: an alias to a missing record of its own zone, chains longer
 * than ANSWER_MAX_CNAME_HOPS and cycles.  Pure functions.
 */
#ifndef RESOLVER_ENGINE_ALIAS_H
#define RESOLVER_ENGINE_ALIAS_H

#include <stddef.h>
#include <stdint.h>

struct conf_errors;
struct msg_builder;
struct view_set;

/**
 * alias_check() - check every alias target of every VPC's hosted zones as
 * that VPC's clients would resolve it.
 * @errs: [in,out] "file:line: where (name TYPE): alias target ..." per
 *        problem.
 * Return: VPC_OK; VPC_ECONFIG after appending; VPC_ENOMEM.
 */
int alias_check(const struct view_set *vs, struct conf_errors *errs);

/**
 * alias_add_upstream() - add the answer-section records of @qtype of an
 * upstream reply (normalized RRs, msg.h) under @owner, the alias's name;
 * CNAMEs and other sections are left out (the alias hides the chain).
 * @age: [in] seconds the reply has been cached, taken off each TTL.
 * Return: how many records were added, or -1 when @rrs is malformed.
 */
int alias_add_upstream(struct msg_builder *b, const uint8_t *rrs, size_t len,
		       const uint16_t count[3], uint32_t age, uint16_t qtype,
		       const uint8_t *owner, size_t owner_len);

#endif /* RESOLVER_ENGINE_ALIAS_H */
