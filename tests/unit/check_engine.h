/*
 * tests/unit/check_engine.h - run the engine on a configuration text.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * For unit tests of behaviour that is easiest to state as configuration
 * (reserved names, DNS64, profile priorities): te_load() parses YAML
 * with conf_load_string() and builds the views (te_file() gives the files
 * it names, in memory: memfs.h); te_ask() runs
 * answer_query() for a client address and parses the response;
 * te_upstream() answers a forwarded query with given records.  One
 * configuration at a time; te_unload() frees it.
 */
#ifndef TESTS_UNIT_CHECK_ENGINE_H
#define TESTS_UNIT_CHECK_ENGINE_H

#include <arpa/inet.h>
#include <netinet/in.h>

#include "check_util.h"
#include "conf/conf.h"
#include "engine/answer.h"
#include "engine/view.h"
#include "memfs.h"

static struct memfs te_fs; /* the files a test's YAML names */
static bool te_fs_init;
static struct conf *te_conf;
static struct view_set *te_vs;
static struct answer_job te_job;
static struct tu_pkt te_query, te_reply;
static uint8_t te_out[MSG_TCP_MAX];
static struct tu_resp te_resp;

/* Gives the file @path (absolute) the text @text, for te_load(). */
static inline void
te_file(const char *path, const char *text)
{
	if (!te_fs_init)
		memfs_init(&te_fs);
	te_fs_init = true;
	ck_assert(memfs_add(&te_fs, path, text));
}

static inline void
te_load(const char *yaml)
{
	struct conf_errors errs = {0};
	int rc;

	if (!te_fs_init)
		memfs_init(&te_fs);
	te_fs_init = true;
	rc = conf_load_string(&te_fs.rd, yaml, strlen(yaml), "/tmp/te.yaml",
			      &te_conf, &errs);

	ck_assert_msg(rc == VPC_OK, "conf: %s",
		      errs.n > 0 ? errs.msgs[0] : "?");
	rc = view_set_build(te_conf, &te_vs, &errs);
	ck_assert_msg(rc == VPC_OK, "views: %s",
		      errs.n > 0 ? errs.msgs[0] : "?");
	conf_errors_cleanup(&errs);
}

/* The first error of loading @yaml, "" when it loads. */
static inline const char *
te_error(const char *yaml)
{
	static char msg[512];
	struct conf_errors errs = {0};
	struct conf *cf = NULL;

	msg[0] = '\0';
	if (conf_load_string(NULL, yaml, strlen(yaml), "/tmp/te.yaml", &cf,
			     &errs) != VPC_OK &&
	    errs.n > 0)
		snprintf(msg, sizeof(msg), "%s", errs.msgs[0]);
	conf_free(cf);
	conf_errors_cleanup(&errs);
	return msg;
}

static inline void
te_unload(void)
{
	view_set_free(te_vs);
	conf_free(te_conf);
	te_vs = NULL;
	te_conf = NULL;
}

/* Asks @name @type from @from (IPv4 or IPv6 text); the response is in
 * te_resp when the engine answered. */
static inline enum answer_action
te_ask(const char *from, const char *name, uint16_t type)
{
	struct sockaddr_storage ss;
	struct answer_src src = {0};
	enum answer_action act;
	size_t len = 0;

	memset(&ss, 0, sizeof(ss));
	if (strchr(from, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		ck_assert_int_eq(inet_pton(AF_INET6, from, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		ck_assert_int_eq(inet_pton(AF_INET, from, &s4->sin_addr), 1);
	}
	src.addr = (const struct sockaddr *)&ss;
	src.inbound = VIEW_NOT_INBOUND;
	src.tcp = false;
	tu_query(&te_query, name, type, 1232);
	act = answer_query(&te_job, te_vs, NULL, &src, te_query.b,
			   te_query.len, 0, te_out, MSG_UDP_MAX, &len);
	if (act == ANSWER_REPLY)
		tu_parse_ok(te_out, len, &te_resp);
	return act;
}

/* Starts an upstream reply to the forwarded query: header with @rcode
 * and @ancount answers, the question as forwarded. */
static inline void
te_reply_start(unsigned rcode, unsigned ancount)
{
	tu_reset(&te_reply);
	tu_header(&te_reply, 0, 0x8180u | rcode, 1, ancount, 0, 0);
	tu_bytes(&te_reply, te_job.query + WIRE_HEADER_LEN,
		 te_job.query_len - WIRE_HEADER_LEN - MSG_OPT_LEN);
}

/* Appends an A or AAAA answer at @owner. */
static inline void
te_reply_addr(const char *owner, const char *addr)
{
	uint8_t rd[16];
	bool v6 = strchr(addr, ':') != NULL;
	size_t at = tu_rr_head(&te_reply, owner,
			       v6 ? WIRE_TYPE_AAAA : WIRE_TYPE_A,
			       WIRE_CLASS_IN, 300);

	tu_bytes(&te_reply, rd, v6 ? tu_rdata_aaaa(addr, rd)
				   : tu_rdata_a(addr, rd));
	tu_rr_end(&te_reply, at);
}

/* Hands te_reply to answer_upstream(); the response is in te_resp. */
static inline void
te_upstream(void)
{
	size_t len = answer_upstream(&te_job, NULL, VPC_OK, te_reply.b,
				     te_reply.len, 0, te_out, MSG_UDP_MAX);

	ck_assert_uint_gt(len, 0);
	tu_parse_ok(te_out, len, &te_resp);
}

/* The answer RR @i has type @type and, for PTR/CNAME, target @target. */
static inline void
te_expect_rr(size_t i, uint16_t type, const char *target)
{
	ck_assert_uint_lt(i, te_resp.n_rrs);
	ck_assert_uint_eq(te_resp.rr[i].type, type);
	if (target != NULL)
		ck_assert_msg(tu_name_is(te_resp.rr[i].target,
					 te_resp.rr[i].target_len, target),
			      "RR %zu: not %s", i, target);
}

#endif /* TESTS_UNIT_CHECK_ENGINE_H */
