/*
 * tests/unit/check_conf_include.c - unit tests of `include:` snippets and
 * of the listener keys for running behind a balancer.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Writes a main file and snippets into a fresh temporary directory, loads
 * them with conf_load_file() and checks the merge rules of conf/README.md
 * ("include"): lists concatenate in file-name order, other keys may be
 * given once, duplicate ids across files are errors naming both files and
 * lines, relative paths start at the snippet's own directory.
 */
#include "config.h"

#include "conf/conf.h"
#include "io/files.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "util/err.h"

static char dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/check_conf_include_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
rm_rf(const char *path)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
}

static void
teardown(void)
{
	rm_rf(dir);
}

/* Writes @text to @name under the temporary directory; returns the path. */
static const char *
put(const char *name, const char *text)
{
	static char path[256];
	char sub[256];
	FILE *fp;
	char *slash;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(sub, sizeof(sub), "%s", path);
	if ((slash = strrchr(sub, '/')) != NULL) {
		*slash = '\0';
		mkdir(sub, 0755);
	}
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
dump(const struct conf_errors *errs)
{
	for (size_t i = 0; i < errs->n; i++)
		fprintf(stderr, "  %s\n", errs->msgs[i]);
}

static struct conf *
load_ok(const char *main_text)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	const char *path = put("main.yaml", main_text);
	int rc = conf_load_file(&files_reader, path, &cf, &errs);

	if (rc != VPC_OK)
		dump(&errs);
	ck_assert_int_eq(rc, VPC_OK);
	conf_errors_cleanup(&errs);
	return cf;
}

/* Loading main.yaml fails with an error "<dir>/@file:@rest...". */
static void
load_err(const char *main_text, const char *file, const char *rest)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	char want[512];
	bool found = false;

	put("main.yaml", main_text);
	snprintf(want, sizeof(want), "%s/main.yaml", dir);
	ck_assert_int_eq(conf_load_file(&files_reader, want, &cf, &errs),
			 VPC_ECONFIG);
	ck_assert_ptr_null(cf);
	snprintf(want, sizeof(want), "%s/%s%s", dir, file, rest);
	for (size_t i = 0; i < errs.n; i++)
		if (strncmp(errs.msgs[i], want, strlen(want)) == 0)
			found = true;
	if (!found) {
		fprintf(stderr, "wanted \"%s...\", got:\n", want);
		dump(&errs);
	}
	conf_errors_cleanup(&errs);
	ck_assert(found);
}

#define VPC(id, cl)                                                            \
	"vpcs:\n  - id: " id "\n    region: us-east-1\n    clients: [" cl "]"  \
									  "\n"

START_TEST(test_directory_lists_concatenate)
{
	struct conf *cf;
	char want[256];

	put("conf.d/20-b.yaml", VPC("vpc-b", "10.2.0.0/16"));
	put("conf.d/10-a.yaml",
	    VPC("vpc-a", "10.1.0.0/16") "upstreams: [192.0.2.2]\n");
	put("conf.d/ignored.txt", "not: yaml: at all\n");
	cf = load_ok("include: conf.d\n" VPC(
	    "vpc-main", "10.0.0.0/16") "upstreams: [192.0.2.1]\n");
	ck_assert_uint_eq(cf->n_vpcs, 3);
	ck_assert_str_eq(cf->vpcs[0].id, "vpc-main");
	ck_assert_str_eq(cf->vpcs[1].id, "vpc-a");
	ck_assert_str_eq(cf->vpcs[2].id, "vpc-b");
	ck_assert_uint_eq(cf->n_upstreams, 2);
	ck_assert_uint_eq(cf->n_files, 2);
	snprintf(want, sizeof(want), "%s/conf.d/10-a.yaml", dir);
	ck_assert_str_eq(cf->files[0], want);
	ck_assert_uint_eq(cf->n_include, 1);
	/* The VPCs' ranges join the default allow-query. */
	ck_assert_uint_eq(cf->n_allow_query, 8 + 3);
	conf_free(cf);
}
END_TEST

START_TEST(test_glob_and_list)
{
	struct conf *cf;

	put("a/x.yaml", VPC("vpc-x", "10.1.0.0/16"));
	put("b/y.conf", VPC("vpc-y", "10.2.0.0/16"));
	put("b/z.yaml", VPC("vpc-z", "10.3.0.0/16"));
	cf = load_ok("include: [a/*.yaml, 'b/*.conf', b/z.yaml, a/x.yaml]\n");
	ck_assert_uint_eq(cf->n_vpcs, 3);
	ck_assert_str_eq(cf->vpcs[0].id, "vpc-x");
	ck_assert_str_eq(cf->vpcs[1].id, "vpc-y");
	ck_assert_str_eq(cf->vpcs[2].id, "vpc-z");
	/* A file named twice is read once. */
	ck_assert_uint_eq(cf->n_files, 3);
	conf_free(cf);
}
END_TEST

/* A fleet may start with an empty directory or no matches. */
START_TEST(test_empty_is_fine)
{
	struct conf *cf;
	char path[256];

	snprintf(path, sizeof(path), "%s/empty", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	put("comments/only.yaml", "# nothing yet\n");
	cf = load_ok("include: [empty, 'none/*.yaml', comments]\n");
	ck_assert_uint_eq(cf->n_vpcs, 0);
	ck_assert_uint_eq(cf->n_files, 1);
	conf_free(cf);
}
END_TEST

START_TEST(test_duplicate_vpc_across_files)
{
	char rest[256];

	put("conf.d/a.yaml", "# a comment\n" VPC("vpc-a", "10.1.0.0/16"));
	snprintf(rest, sizeof(rest),
		 ":3: vpcs[1].id: duplicate VPC id vpc-a (first at %s/"
		 "main.yaml:3)",
		 dir);
	load_err("include: conf.d\n" VPC("vpc-a", "10.0.0.0/16"),
		 "conf.d/a.yaml", rest);
}
END_TEST

START_TEST(test_duplicate_endpoint_across_snippets)
{
	char rest[256];

	put("conf.d/1.yaml",
	    VPC("vpc-a",
		"10.1.0.0/16") "    endpoints:\n"
			       "      - id: vpce-1\n"
			       "        service: com.amazonaws.us-east-1.sts\n"
			       "        subnets: [{az: us-east-1a, ipv4: "
			       "10.1.0.5}]\n");
	put("conf.d/2.yaml",
	    VPC("vpc-b",
		"10.2.0.0/16") "    endpoints:\n"
			       "      - id: vpce-1\n"
			       "        service: com.amazonaws.us-east-1.sts\n"
			       "        subnets: [{az: us-east-1a, ipv4: "
			       "10.2.0.5}]\n");
	snprintf(rest, sizeof(rest),
		 ":6: vpcs[1].endpoints[0].id: duplicate "
		 "endpoint id vpce-1 (first at %s/conf.d/1.yaml:6)",
		 dir);
	load_err("include: conf.d\n", "conf.d/2.yaml", rest);
}
END_TEST

/* A key that is not a list may be given once across all files. */
START_TEST(test_scalar_key_twice)
{
	char rest[256];

	put("conf.d/c.yaml", "\ncache: {max-ttl: 60}\n");
	snprintf(rest, sizeof(rest),
		 ":2: duplicate key 'cache' (first at %s/main.yaml:2)", dir);
	load_err("include: conf.d\ncache: {max-ttl: 30}\n", "conf.d/c.yaml",
		 rest);
}
END_TEST

START_TEST(test_snippet_errors_name_the_snippet)
{
	put("conf.d/bad.yaml", "vpcs:\n  - id: vpc-a\n    region: mars\n");
	load_err("include: conf.d\n", "conf.d/bad.yaml", ":3: vpcs[0].region");
	put("conf.d/bad.yaml", "vpcs: [a, b\n");
	load_err("include: conf.d\n", "conf.d/bad.yaml", ":2: ");
	put("conf.d/bad.yaml", "include: other\n");
	load_err("include: conf.d\n", "conf.d/bad.yaml",
		 ":1: include: only the main");
	put("conf.d/bad.yaml", "- a list\n");
	load_err("include: conf.d\n", "conf.d/bad.yaml",
		 ":1: a snippet must be a mapping");
	put("conf.d/bad.yaml", "bogus: 1\n");
	load_err("include: conf.d\n", "conf.d/bad.yaml",
		 ":1: unknown key 'bogus'");
}
END_TEST

START_TEST(test_missing_file)
{
	load_err("\ninclude: [nothere.yaml]\n", "main.yaml", ":2: include: ");
}
END_TEST

/* Relative paths in a snippet start at the snippet's directory. */
START_TEST(test_relative_paths)
{
	struct conf *cf;
	char want[256];

	put("conf.d/a.yaml",
	    VPC("vpc-a",
		"10.1.0.0/16") "    hosted-zones: [{name: a.internal, file: "
			       "zones/a.zone}]\n");
	cf = load_ok("include: conf.d\n" VPC(
	    "vpc-m", "10.0.0.0/16") "    hosted-zones: [{name: m.internal, "
				    "file: m.zone}]\n");
	snprintf(want, sizeof(want), "%s/m.zone", dir);
	ck_assert_str_eq(cf->vpcs[0].hosted_zones[0].file, want);
	snprintf(want, sizeof(want), "%s/conf.d/zones/a.zone", dir);
	ck_assert_str_eq(cf->vpcs[1].hosted_zones[0].file, want);
	conf_free(cf);
}
END_TEST

/* conf_loc_file() maps a merged entry's line back to its snippet. */
START_TEST(test_loc_file)
{
	struct conf *cf;
	const char *f;
	unsigned line;
	char want[256];

	put("conf.d/a.yaml", "\n\n" VPC("vpc-a", "10.1.0.0/16"));
	cf = load_ok("include: conf.d\n" VPC("vpc-m", "10.0.0.0/16"));
	f = conf_loc_file(cf, cf->vpcs[0].line, &line);
	ck_assert_str_eq(f, cf->path);
	ck_assert_uint_eq(line, 3);
	f = conf_loc_file(cf, cf->vpcs[1].line, &line);
	snprintf(want, sizeof(want), "%s/conf.d/a.yaml", dir);
	ck_assert_str_eq(f, want);
	ck_assert_uint_eq(line, 4);
	conf_free(cf);
}
END_TEST

/* Text that is not a file cannot include (quick start, fuzzers). */
START_TEST(test_string_cannot_include)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	const char *y = "include: /etc\n";

	ck_assert_int_eq(
	    conf_load_string(&files_reader, y, strlen(y), "t.yaml", &cf, &errs),
	    VPC_ECONFIG);
	ck_assert_uint_eq(errs.n, 1);
	ck_assert_ptr_nonnull(strstr(errs.msgs[0], "t.yaml:1: include: "));
	conf_errors_cleanup(&errs);
}
END_TEST

/* ---- listen[].proxy-protocol ------------------------------------------- */

START_TEST(test_proxy_listener)
{
	struct conf *cf;

	cf = load_ok(
	    "listen:\n"
	    "  - {address: 127.0.0.1, port: 5300, proxy-protocol: true,\n"
	    "     proxy-from: [127.0.0.1, '::1', 10.9.0.0/16]}\n"
	    "  - {address: 127.0.0.1, port: 5301}\n");
	ck_assert(cf->listen[0].proxy_protocol);
	ck_assert_uint_eq(cf->listen[0].n_proxy_from, 3);
	ck_assert_uint_eq(cf->listen[0].proxy_from[2].prefix, 16);
	ck_assert(!cf->listen[1].proxy_protocol);
	ck_assert_ptr_null(cf->listen[1].proxy_from);
	conf_free(cf);
}
END_TEST

START_TEST(test_proxy_listener_errors)
{
	load_err("listen:\n  - {address: 127.0.0.1, proxy-protocol: true}\n",
		 "main.yaml",
		 ":2: listen[0].proxy-protocol: needs 'proxy-from'");
	load_err("listen:\n  - {address: 127.0.0.1, proxy-from: [127.0.0.1]}\n",
		 "main.yaml", ":2: listen[0].proxy-from: only applies");
	load_err("listen:\n  - {address: 127.0.0.1, proxy-protocol: true,\n"
		 "     proxy-from: []}\n",
		 "main.yaml", ":3: listen[0].proxy-from: must not be empty");
	load_err("listen:\n  - {address: 127.0.0.1, proxy-protocol: true,\n"
		 "     proxy-from: [127.0.0.1/8]}\n",
		 "main.yaml", ":3: listen[0].proxy-from[0]: ");
}
END_TEST

START_TEST(test_cidr_match)
{
	struct conf_cidr c[2];
	struct sockaddr_in s4 = {.sin_family = AF_INET};
	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};

	ck_assert_int_eq(conf_parse_cidr("10.9.0.0/16", &c[0]), VPC_OK);
	ck_assert_int_eq(conf_parse_cidr("fd00::/8", &c[1]), VPC_OK);
	inet_pton(AF_INET, "10.9.200.1", &s4.sin_addr);
	ck_assert(conf_cidr_match(c, 2, (struct sockaddr *)&s4));
	inet_pton(AF_INET, "10.10.0.1", &s4.sin_addr);
	ck_assert(!conf_cidr_match(c, 2, (struct sockaddr *)&s4));
	inet_pton(AF_INET6, "fd12::1", &s6.sin6_addr);
	ck_assert(conf_cidr_match(c, 2, (struct sockaddr *)&s6));
	inet_pton(AF_INET6, "::ffff:10.9.1.1", &s6.sin6_addr);
	ck_assert(conf_cidr_match(c, 2, (struct sockaddr *)&s6));
	inet_pton(AF_INET6, "fe80::1", &s6.sin6_addr);
	ck_assert(!conf_cidr_match(c, 2, (struct sockaddr *)&s6));
	ck_assert(!conf_cidr_match(c, 0, (struct sockaddr *)&s6));
}
END_TEST

static Suite *
include_suite(void)
{
	Suite *s = suite_create("conf_include");
	TCase *tc;

	tc = tcase_create("merge");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_directory_lists_concatenate);
	tcase_add_test(tc, test_glob_and_list);
	tcase_add_test(tc, test_empty_is_fine);
	tcase_add_test(tc, test_relative_paths);
	tcase_add_test(tc, test_loc_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_duplicate_vpc_across_files);
	tcase_add_test(tc, test_duplicate_endpoint_across_snippets);
	tcase_add_test(tc, test_scalar_key_twice);
	tcase_add_test(tc, test_snippet_errors_name_the_snippet);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_string_cannot_include);
	suite_add_tcase(s, tc);

	tc = tcase_create("proxy_listener");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_proxy_listener);
	tcase_add_test(tc, test_proxy_listener_errors);
	tcase_add_test(tc, test_cidr_match);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(include_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
