/*
 * resolver/engine/fastpath.h - precomputed answers for static local data.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Every local answer that depends only on the question and the view (a
 * name's records, its NODATA, the NXDOMAIN below it, each with the zone's
 * SOA) is built once, when the data set is built, by running the general
 * path of engine/answer.c on it; the wire bytes after the question are
 * kept in one table per data set.  A query is then one hash lookup (a few
 * more for a name that does not exist: one per label up to the closest
 * name the table knows), a copy and a patch of the ID, the RD/CD bits, the
 * question as sent and the OPT record; no allocation, no name compression.
 * What the table does not hold, or a response that would not fit the
 * client's size (TC), goes to the general path, which produces the same
 * bytes.  Never in the table: views with DNS Firewall rules, zones with
 * Route 53 routing policies or aliases (engine/policy.h), the
 * names EC2 and reverse zones synthesize by rule, wildcard matches, and
 * anything that forwards; DNS64 clients and INBOUND_DELEGATION listeners
 * bypass it (answer.c).  The table is immutable after fastpath_build():
 * any number of threads may look up concurrently; it borrows the zones of
 * the view set it was built for and is freed with it.
 */
#ifndef RESOLVER_ENGINE_FASTPATH_H
#define RESOLVER_ENGINE_FASTPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fastpath;
struct msg_query;
struct view;
struct view_set;
struct zone;

/**
 * fastpath_build() - precompute the static local answers of @vs.
 * @vs:  [in] a complete view set whose vs->fast is NULL (the general
 *       path then answers every query of the build); borrowed by the
 *       result, which must be freed before it.
 * @out: [out] the table, owned by the caller, on success.
 * Return: VPC_OK or VPC_ENOMEM.
 */
int fastpath_build(const struct view_set *vs, struct fastpath **out);

/**
 * fastpath_answer() - answer @q in view @v from the table.
 * @fp:      [in] the table of @vs.
 * @vs, @v:  [in] the view set and the query's view (view_select()).
 * @q:       [in] the parsed query (msg_parse_query() said MSG_QUERY_OK,
 *           class IN).
 * @limit:   [in] the response size limit (msg_udp_limit() or TCP).
 * @out:     [out] response buffer of @cap bytes.
 * @out_len: [out] response length, written when answered.
 * @zone:    [out] the zone that answered (the trace's), when answered.
 * Return: true when the response is in @out; false when the general path
 * must answer (nothing is written then).
 */
bool fastpath_answer(const struct fastpath *fp, const struct view_set *vs,
		     const struct view *v, const struct msg_query *q,
		     size_t limit, uint8_t *out, size_t cap, size_t *out_len,
		     const struct zone **zone);

/** fastpath_names() - names (per view) the table holds. */
size_t fastpath_names(const struct fastpath *fp);

/** fastpath_bytes() - heap bytes the table uses. */
size_t fastpath_bytes(const struct fastpath *fp);

/** fastpath_free() - release the table; NULL is a no-op. */
void fastpath_free(struct fastpath *fp);

#endif /* RESOLVER_ENGINE_FASTPATH_H */
