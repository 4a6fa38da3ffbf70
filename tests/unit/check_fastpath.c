/*
 * tests/unit/check_fastpath.c - the fast path answers as the general path.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * For the example configuration (conf/vpcdns.yaml) and every end-to-end
 * scenario's configuration that loads without the edge (tests/e2e/
 * NAME/vpcdns.yaml: their test zones), every name of every zone of every
 * view, a name below it and a name two labels below, asked with many
 * types, IDs, header flags, letter cases, with and without EDNS (DO, small
 * and large payloads), over UDP and TCP, gets the same action, bytes and
 * trace from answer_query() with the fast path (engine/fastpath.h) as
 * without it.  The fast path must also actually answer the static names.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "check_util.h"
#include "conf/conf.h"
#include "dns/msg.h"
#include "engine/answer.h"
#include "engine/fastpath.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "io/files.h"
#include "util/log.h"

static const uint16_t types[] = {
    WIRE_TYPE_A,   WIRE_TYPE_AAAA, WIRE_TYPE_NS,  WIRE_TYPE_SOA,
    WIRE_TYPE_CNAME, WIRE_TYPE_MX, WIRE_TYPE_TXT, WIRE_TYPE_PTR,
    WIRE_TYPE_SRV, WIRE_TYPE_ANY,  257 /* CAA */, 65280, 99 /* SPF */,
    43 /* DS */};

struct run {
	struct view_set *vs;
	struct fastpath *fp;
	uint8_t q[512];
	size_t qlen;
	struct answer_job job_fast, job_gen;
	uint8_t out_fast[MSG_TCP_MAX], out_gen[MSG_TCP_MAX];
	unsigned long asked, fast; /* queries, answered by the fast path */
};

static struct run r;

/* A query for the wire name @name with its letters' case set by @mask. */
static void
make_query(const uint8_t *name, size_t len, uint16_t qtype, unsigned variant)
{
	size_t p = 0;

	r.q[p++] = (uint8_t)(variant * 37u);
	r.q[p++] = (uint8_t)(variant * 11u + 1);
	/* RD and CD in every combination. */
	r.q[p++] = (uint8_t)(variant & 1 ? 0x01 : 0);
	r.q[p++] = (uint8_t)(variant & 2 ? 0x10 : 0);
	r.q[p++] = 0;
	r.q[p++] = 1;
	memset(r.q + p, 0, 4);
	p += 4;
	r.q[p++] = 0;
	r.q[p++] = (uint8_t)(variant % 5 != 0 ? 1 : 0);
	for (size_t i = 0; i < len; i++) {
		uint8_t c = name[i];

		if (c >= 'a' && c <= 'z' && ((i + variant) % 3 == 0))
			c = (uint8_t)(c - 'a' + 'A');
		r.q[p++] = c;
	}
	r.q[p++] = (uint8_t)(qtype >> 8);
	r.q[p++] = (uint8_t)qtype;
	r.q[p++] = 0;
	r.q[p++] = WIRE_CLASS_IN;
	if (variant % 5 != 0) {
		/* OPT: payloads below, at and above the 512 floor. */
		static const uint16_t payloads[] = {0, 100, 512, 1232, 4096};
		uint16_t pl = payloads[variant % 5];

		r.q[p++] = 0;
		r.q[p++] = 0;
		r.q[p++] = WIRE_TYPE_OPT;
		r.q[p++] = (uint8_t)(pl >> 8);
		r.q[p++] = (uint8_t)pl;
		r.q[p++] = 0;
		r.q[p++] = 0;
		r.q[p++] = (uint8_t)(variant & 4 ? 0x80 : 0); /* DO */
		r.q[p++] = 0;
		r.q[p++] = 0;
		r.q[p++] = 0;
	}
	r.qlen = p;
}

/* Asks the current query both ways from @src and compares. */
static void
compare(const struct answer_src *src, const uint8_t *name, size_t len,
	uint16_t qtype)
{
	enum answer_action af, ag;
	size_t lf = 0, lg = 0, cap = src->tcp ? MSG_TCP_MAX : MSG_UDP_MAX;
	char text[LOG_NAME_MAX];
	const struct zone *z;
	size_t fl;

	r.vs->fast = r.fp;
	af = answer_query(&r.job_fast, r.vs, NULL, src, r.q, r.qlen, 0,
			  r.out_fast, cap, &lf);
	if (r.fp != NULL &&
	    fastpath_answer(r.fp, r.vs, r.job_fast.view, &r.job_fast.q,
			    r.job_fast.limit, r.out_gen, cap, &fl, &z))
		r.fast++;
	r.vs->fast = NULL;
	ag = answer_query(&r.job_gen, r.vs, NULL, src, r.q, r.qlen, 0,
			  r.out_gen, cap, &lg);
	r.vs->fast = r.fp;
	r.asked++;
	log_name(name, len, text);
	ck_assert_msg(af == ag && lf == lg &&
			      (af != ANSWER_REPLY ||
			       memcmp(r.out_fast, r.out_gen, lf) == 0),
		      "%s type %u: fast path %d/%zu bytes, general %d/%zu",
		      text, qtype, af, lf, ag, lg);
	ck_assert_msg(r.job_fast.trace.zone == r.job_gen.trace.zone &&
			      r.job_fast.trace.view == r.job_gen.trace.view &&
			      r.job_fast.trace.rule == r.job_gen.trace.rule &&
			      r.job_fast.trace.firewall ==
				      r.job_gen.trace.firewall,
		      "%s type %u: traces differ", text, qtype);
}

static void
ask_all(const struct answer_src *src, const uint8_t *name, size_t len,
	const struct zone_node *n)
{
	static unsigned variant;

	for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
		make_query(name, len, types[t], variant++);
		compare(src, name, len, types[t]);
	}
	for (uint16_t i = 0; n != NULL && i < n->n_rrsets; i++) {
		make_query(name, len, n->rrsets[i].type, variant++);
		compare(src, name, len, n->rrsets[i].type);
	}
}

/* The name, a name below it and one two labels below. */
static void
ask_name(const struct answer_src *src, const uint8_t *name, size_t len,
	 const struct zone_node *n)
{
	uint8_t child[WIRE_MAX_NAME_LEN];

	ask_all(src, name, len, n);
	if (len + 6 > WIRE_MAX_NAME_LEN)
		return;
	memcpy(child, "\x02nx", 3);
	memcpy(child + 3, name, len);
	ask_all(src, child, len + 3, NULL);
	memcpy(child, "\x01x\x02nx", 5);
	memcpy(child + 5, name, len);
	ask_all(src, child, len + 5, NULL);
}

static void
ask_view(const struct answer_src *src, const struct view *v)
{
	for (size_t i = 0; i < v->n_zonesets; i++)
		for (size_t j = 0; j < zoneset_count(v->zonesets[i]); j++) {
			const struct zone *z = zoneset_get(v->zonesets[i], j);

			ask_name(src, z->apex, z->apex_len, NULL);
			for (size_t b = 0; b < z->n_buckets; b++)
				for (const struct zone_node *n = z->buckets[b];
				     n != NULL; n = n->next)
					ask_name(src, n->name, n->name_len, n);
		}
	for (size_t i = 0; i < v->n_rules; i++)
		ask_name(src, v->rules[i].domain, v->rules[i].len, NULL);
}

static void
set_addr(struct sockaddr_storage *ss, const char *text)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(text, ':') != NULL) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		ck_assert_int_eq(inet_pton(AF_INET6, text, &s6->sin6_addr), 1);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		ck_assert_int_eq(inet_pton(AF_INET, text, &s4->sin_addr), 1);
	}
}

/* An IPv4 address inside @c (host part 5), as a socket address. */
static void
addr_in(struct sockaddr_storage *ss, const struct conf_cidr *c)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (c->family == AF_INET) {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, c->addr, 4);
		((uint8_t *)&s4->sin_addr)[3] |= c->prefix <= 29 ? 5 : 0;
	} else {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, c->addr, 16);
		s6->sin6_addr.s6_addr[15] |= c->prefix <= 125 ? 5 : 0;
	}
}

/* Asks every view a source can reach, over UDP and TCP. */
static void
ask_views(void)
{
	static const char *const others[] = {"127.0.0.1", "::1", "10.255.255.254",
					     "192.168.254.1", "172.31.254.1"};
	const struct conf *cf = r.vs->conf;
	struct sockaddr_storage ss[64];
	const struct view *seen[64];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		set_addr(&ss[n++], others[i]);
	for (size_t i = 0; i < cf->n_vpcs && n < 60; i++) {
		if (cf->vpcs[i].n_clients > 0)
			addr_in(&ss[n++], &cf->vpcs[i].clients[0]);
		if (cf->vpcs[i].n_cidr_blocks > 0)
			addr_in(&ss[n++], &cf->vpcs[i].cidr_blocks[0]);
	}
	for (size_t i = 0; i < n; i++) {
		const struct sockaddr *sa = (const struct sockaddr *)&ss[i];
		const struct view *v = view_select(r.vs, sa, VIEW_NOT_INBOUND);
		struct answer_src src = {.addr = sa,
					 .inbound = VIEW_NOT_INBOUND};
		bool dup = false;

		seen[i] = v;
		for (size_t j = 0; j < i; j++)
			dup = dup || seen[j] == v;
		if (dup || !view_allowed(r.vs, sa, VIEW_NOT_INBOUND))
			continue;
		ask_view(&src, v);
		src.tcp = true;
		ask_view(&src, v);
	}
	for (size_t i = 0; i < r.vs->n_vpcs; i++) {
		struct answer_src src = {.addr = (const struct sockaddr *)&ss[0],
					 .inbound = i};

		ask_view(&src, &r.vs->inbound[i]);
	}
}

static char *
src_path(const char *rel)
{
	const char *top = getenv("TOP_SRCDIR");
	static char path[4096];

	if (top == NULL || *top == '\0')
		top = VPCDNS_SRCDIR;
	snprintf(path, sizeof(path), "%s/%s", top, rel);
	return path;
}

/* Builds the views of configuration @text (read from @path) and
 * compares; false when it does not load without the edge (host names to
 * resolve, files the scenario makes at run time). */
static bool
check_text(const char *text, const char *path)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	bool ok = false;

	if (conf_load_string(&files_reader, text, strlen(text), path, &cf,
			     &errs) == VPC_OK &&
	    view_set_build(cf, &r.vs, &errs) == VPC_OK) {
		r.fp = r.vs->fast;
		ck_assert_ptr_nonnull(r.fp);
		ask_views();
		r.vs->fast = r.fp;
		view_set_free(r.vs);
		r.vs = NULL;
		ok = true;
	}
	conf_free(cf);
	conf_errors_cleanup(&errs);
	return ok;
}

/* Reads @path, replacing the e2e templates' @NAME@ placeholders
 * (tests/e2e/lib.sh): ports by distinct numbers, @DIR@ by the file's
 * folder, @TOP@ by the source tree, @TMP@ by /tmp, others (addresses of
 * upstreams) by 127.0.0.1:9.  Return: malloc'd text, NULL unreadable. */
static char *
read_template(const char *path, const char *dir)
{
	static char text[1 << 16];
	char *out = malloc(sizeof(text) * 2);
	size_t n, o = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL || out == NULL) {
		free(out);
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	for (size_t i = 0; i < n && o < sizeof(text) * 2 - 4096;) {
		const char *end = text[i] == '@' ? strchr(text + i + 1, '@')
						 : NULL;
		size_t k = end != NULL ? (size_t)(end - text) - i - 1 : 0;
		char name[64];

		if (k == 0 || k >= sizeof(name)) {
			out[o++] = text[i++];
			continue;
		}
		memcpy(name, text + i + 1, k);
		name[k] = '\0';
		if (strstr(name, "PORT") != NULL)
			o += (size_t)sprintf(out + o, "%u",
					     20000u + (unsigned)(i % 20000));
		else if (strcmp(name, "DIR") == 0)
			o += (size_t)sprintf(out + o, "%s", dir);
		else if (strcmp(name, "TOP") == 0)
			o += (size_t)sprintf(out + o, "%s", src_path(""));
		else if (strcmp(name, "TMP") == 0)
			o += (size_t)sprintf(out + o, "/tmp");
		else
			o += (size_t)sprintf(out + o, "127.0.0.1:9");
		i = (size_t)(end - text) + 1;
	}
	out[o] = '\0';
	return out;
}

static bool
check_config(const char *path)
{
	char dir[4096], file[4096], *slash, *text;
	bool ok;

	snprintf(file, sizeof(file), "%s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	if ((text = read_template(file, dir)) == NULL)
		return false;
	ok = check_text(text, file);
	free(text);
	return ok;
}

START_TEST(test_example_config)
{
	r.asked = r.fast = 0;
	ck_assert(check_config(src_path("conf/vpcdns.yaml")));
	printf("check_fastpath: conf/vpcdns.yaml: %lu queries, %lu answered "
	       "by the fast path\n",
	       r.asked, r.fast);
	/* Most of the example's questions are static. */
	ck_assert_msg(r.fast * 4 > r.asked, "fast path answered %lu of %lu",
		      r.fast, r.asked);
}
END_TEST

START_TEST(test_e2e_configs)
{
	char dir[4096], path[8192];
	struct dirent *de;
	size_t loaded = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s", src_path("tests/e2e"));
	d = opendir(dir);
	ck_assert_ptr_nonnull(d);
	r.asked = r.fast = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/vpcdns.yaml", dir,
			 de->d_name);
		if (access(path, R_OK) == 0 && check_config(path))
			loaded++;
	}
	closedir(d);
	printf("check_fastpath: %zu scenario configurations, %lu queries, "
	       "%lu answered by the fast path\n",
	       loaded, r.asked, r.fast);
	ck_assert_msg(loaded >= 10, "only %zu scenario configurations load",
		      loaded);
	ck_assert_uint_gt(r.fast, 0);
}
END_TEST

/* A hand-made zone: names, NODATA, NXDOMAIN below, a CNAME chain, a
 * wildcard (general path) and an answer too big for 512 bytes (TC). */
START_TEST(test_text_config)
{
	static const char zone[] =
	    "$ORIGIN fast.test.\n$TTL 300\n"
	    "@ IN NS ns1.fast.test.\n"
	    "www IN A 10.0.0.1\nwww IN AAAA 2001:db8::1\n"
	    "alias IN CNAME www\nchain IN CNAME alias\n"
	    "out IN CNAME www.example.org.\n"
	    "*.wild IN A 10.0.0.2\n"
	    "a.b.deep IN TXT \"deep\"\n";
	char dir[] = "/tmp/check_fastpath.XXXXXX", zpath[64], cpath[64];
	char yaml[512];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(zpath, sizeof(zpath), "%s/fast.zone", dir);
	snprintf(cpath, sizeof(cpath), "%s/vpcdns.yaml", dir);
	f = fopen(zpath, "w");
	ck_assert_ptr_nonnull(f);
	fputs(zone, f);
	for (int i = 0; i < 60; i++)
		fprintf(f, "big IN A 10.1.%d.%d\n", i / 250, i % 250 + 1);
	fclose(f);
	snprintf(yaml, sizeof(yaml),
		 "upstreams: [127.0.0.1:53]\n"
		 "vpcs:\n"
		 "  - id: vpc-0fast\n"
		 "    region: us-east-1\n"
		 "    hosted-zones:\n"
		 "      - {name: fast.test, file: %s}\n",
		 zpath);
	f = fopen(cpath, "w");
	ck_assert_ptr_nonnull(f);
	fputs(yaml, f);
	fclose(f);
	r.asked = r.fast = 0;
	ck_assert(check_config(cpath));
	ck_assert_uint_gt(r.fast, 0);
	unlink(zpath);
	unlink(cpath);
	rmdir(dir);
}
END_TEST

static Suite *
fastpath_suite(void)
{
	Suite *s = suite_create("fastpath");
	TCase *tc = tcase_create("same_bytes");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_text_config);
	tcase_add_test(tc, test_example_config);
	tcase_add_test(tc, test_e2e_configs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fastpath_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
