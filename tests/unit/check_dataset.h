/*
 * tests/unit/check_dataset.h - a real data set for the policy unit tests.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Header-only (static inline), like check_util.h.  A test gives its zone
 * and list files with tu_ds_file() (texts in an in-memory reader,
 * memfs.h, under TU_DS_DIR: nothing is written to disk), loads a YAML
 * configuration with tu_ds_load() (conf_load_string() anchored in that
 * directory, then view_set_build(): the daemon's own path from text to
 * views) and asks queries with tu_ds_ask(), which runs answer_query()
 * from a given source address and listener and parses a response into
 * ds->resp.  tu_ds_free() releases everything.  One struct tu_ds is large
 * (a job and a TCP-sized buffer): keep it static.
 */
#ifndef TESTS_UNIT_CHECK_DATASET_H
#define TESTS_UNIT_CHECK_DATASET_H

#include <arpa/inet.h>
#include <netinet/in.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "check_util.h"
#include "conf/conf.h"
#include "dns/msg.h"
#include "engine/answer.h"
#include "engine/cache.h"
#include "engine/view.h"
#include "memfs.h"

#define TU_DS_DIR "/ds" /* where the files are, in the memfs */

struct tu_ds {
	struct memfs fs;	      /* the files, in memory */
	bool fs_init;		      /* fs is initialised */
	struct conf *conf;	      /* owned */
	struct view_set *vs;	      /* owned */
	struct cache *cache;	      /* owned, NULL: no cache */
	struct answer_job job;	      /* of the last tu_ds_ask() */
	struct sockaddr_storage peer; /* its source */
	enum answer_action act;	      /* its result */
	size_t len;		      /* response length (REPLY) */
	uint8_t out[MSG_TCP_MAX];     /* the response */
	struct tu_pkt query;	      /* the query */
	struct tu_resp resp;	      /* the parsed response (REPLY) */
};

static inline void
tu_ds_dir(struct tu_ds *ds)
{
	if (!ds->fs_init)
		memfs_init(&ds->fs);
	ds->fs_init = true;
}

/* Gives @name (in TU_DS_DIR) the text @text. */
static inline void
tu_ds_file(struct tu_ds *ds, const char *name, const char *text)
{
	char path[PATH_MAX];

	tu_ds_dir(ds);
	snprintf(path, sizeof(path), "%s/%s", TU_DS_DIR, name);
	ck_assert(memfs_add(&ds->fs, path, text));
}

/* Loads @yaml (relative file names resolve in the directory) and builds
 * its views and a cache; fails the test with every error when either
 * does not load. */
static inline void
tu_ds_load(struct tu_ds *ds, const char *yaml)
{
	struct conf_errors errs = {0};
	char all[4096] = "";
	int rc;

	tu_ds_dir(ds);
	rc = conf_load_string(&ds->fs.rd, yaml, strlen(yaml),
			      TU_DS_DIR "/vpcdns.yaml", &ds->conf, &errs);
	if (rc == VPC_OK)
		rc = view_set_build(ds->conf, &ds->vs, &errs);
	for (size_t i = 0; i < errs.n; i++) {
		strncat(all, errs.msgs[i], sizeof(all) - strlen(all) - 2);
		strncat(all, "\n", sizeof(all) - strlen(all) - 1);
	}
	conf_errors_cleanup(&errs);
	ck_assert_msg(rc == VPC_OK, "the data set does not load: %s", all);
	ds->cache = cache_new(1000, 86400);
	ck_assert_ptr_nonnull(ds->cache);
}

static inline void
tu_ds_free(struct tu_ds *ds)
{
	view_set_free(ds->vs);
	conf_free(ds->conf);
	cache_free(ds->cache);
	if (ds->fs_init)
		memfs_cleanup(&ds->fs);
	memset(ds, 0, offsetof(struct tu_ds, job));
}

/* A struct sockaddr for the address text @addr (IPv4 or IPv6). */
static inline const struct sockaddr *
tu_ds_addr(const char *addr, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(5353);
	} else {
		ck_assert_int_eq(inet_pton(AF_INET6, addr, &in6->sin6_addr), 1);
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(5353);
	}
	return (const struct sockaddr *)ss;
}

/* The view a client at @addr gets through listener @inbound (a VPC index
 * or VIEW_NOT_INBOUND). */
static inline const struct view *
tu_ds_view(struct tu_ds *ds, const char *addr, size_t inbound)
{
	return view_select(ds->vs, tu_ds_addr(addr, &ds->peer), inbound);
}

/* Asks @name/@type from @addr through @inbound over UDP at @now_ms;
 * returns the engine's action, the response parsed into ds->resp. */
static inline enum answer_action
tu_ds_ask_at(struct tu_ds *ds, const char *name, uint16_t type,
	     const char *addr, size_t inbound, uint64_t now_ms)
{
	struct answer_src src = {.inbound = inbound};

	src.addr = tu_ds_addr(addr, &ds->peer);
	tu_query(&ds->query, name, type, 0);
	ds->len = 0;
	ds->act =
	    answer_query(&ds->job, ds->vs, ds->cache, &src, ds->query.b,
			 ds->query.len, now_ms, ds->out, MSG_UDP_MAX, &ds->len);
	if (ds->act == ANSWER_REPLY)
		tu_parse_ok(ds->out, ds->len, &ds->resp);
	return ds->act;
}

static inline enum answer_action
tu_ds_ask(struct tu_ds *ds, const char *name, uint16_t type, const char *addr,
	  size_t inbound)
{
	return tu_ds_ask_at(ds, name, type, addr, inbound, 1000000);
}

/* The VPC id of a view ("outside" for the outside view). */
static inline const char *
tu_ds_view_id(const struct view *v)
{
	return v->vpc_id != NULL ? v->vpc_id : "outside";
}

/* The first target of forwarder group @g as "ADDR:PORT". */
static inline const char *
tu_ds_group_target(const struct tu_ds *ds, uint32_t g, char *buf, size_t cap)
{
	const struct view_group *grp;
	const struct sockaddr_in *in;
	char a[INET_ADDRSTRLEN];

	ck_assert_uint_lt(g, ds->vs->n_groups);
	grp = &ds->vs->groups[g];
	ck_assert_uint_gt(grp->n_addrs, 0);
	in = (const struct sockaddr_in *)&grp->addrs[0].ss;
	ck_assert_int_eq(in->sin_family, AF_INET);
	inet_ntop(AF_INET, &in->sin_addr, a, sizeof(a));
	snprintf(buf, cap, "%s:%u", a, ntohs(in->sin_port));
	return buf;
}

/* The first A record of the answer section as text, "" when none. */
static inline const char *
tu_ds_first_a(const struct tu_ds *ds, char *buf, size_t cap)
{
	buf[0] = '\0';
	for (size_t i = 0; i < ds->resp.n_rrs; i++)
		if (ds->resp.rr[i].section == 0 &&
		    ds->resp.rr[i].type == WIRE_TYPE_A &&
		    ds->resp.rr[i].rdlen == 4) {
			inet_ntop(AF_INET, ds->out + ds->resp.rr[i].rdata_off,
				  buf, (socklen_t)cap);
			break;
		}
	return buf;
}

#endif /* TESTS_UNIT_CHECK_DATASET_H */
