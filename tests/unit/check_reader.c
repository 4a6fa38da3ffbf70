/*
 * tests/unit/check_reader.c - unit tests of reading through a struct
 * reader: the core given texts in memory, and the file system reader.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The "memory" cases load a configuration, its include: snippets, a
 * domains-file and zone files from a memfs (memfs.h) and check that the
 * core reads every file through the reader and names each in its
 * messages as before, with nothing on disk.  The "files" cases check
 * io/files.c, the one reader of real files: regular files, the null
 * device, FIFOs and directories refused, the size cap, glob order.
 */
#include "config.h"

#include "util/reader.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "conf/conf.h"
#include "engine/view.h"
#include "io/files.h"
#include "memfs.h"
#include "util/err.h"

static struct memfs fs;
static struct conf *cf;
static struct view_set *vs;
static struct conf_errors errs;

static void
setup(void)
{
	memfs_init(&fs);
	cf = NULL;
	vs = NULL;
	memset(&errs, 0, sizeof(errs));
}

static void
teardown(void)
{
	view_set_free(vs);
	conf_free(cf);
	conf_errors_cleanup(&errs);
	memfs_cleanup(&fs);
}

/* Whether some message of errs starts with @prefix and holds @word. */
static bool
has_error(const char *prefix, const char *word)
{
	for (size_t i = 0; i < errs.n; i++)
		if (strncmp(errs.msgs[i], prefix, strlen(prefix)) == 0 &&
		    strstr(errs.msgs[i], word) != NULL)
			return true;
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "  %s\n", errs.msgs[i]);
	return false;
}

#define VPC(id, cl)                                                            \
	"vpcs:\n  - id: " id "\n    region: us-east-1\n    clients: [" cl "]\n"
#define ZONE(name)                                                             \
	"$ORIGIN " name ".\n@ 60 IN SOA ns hm 1 2 3 4 5\nwww 60 IN A "         \
	"10.0.0.1\n"

/* ---- the core, from memory ----------------------------------------------- */

/* A whole data set: main file, a directory of snippets, a pattern, a
 * domains-file and two zone files, none of them on disk. */
START_TEST(test_memory_data_set)
{
	memfs_add(&fs, "/etc/vpcdns/vpcdns.yaml",
		  "include: [conf.d, 'more/*.yaml']\n" VPC("vpc-m",
							  "10.0.0.0/16")
		  "    hosted-zones: [{name: m.internal, file: m.zone}]\n"
		  "    firewall:\n"
		  "      - {priority: 1, domains-file: lists/bad.txt, "
		  "action: block}\n");
	memfs_add(&fs, "/etc/vpcdns/conf.d/a.yaml",
		  VPC("vpc-a", "10.1.0.0/16")
		  "    hosted-zones: [{name: a.internal, file: zones/a.zone}]\n");
	memfs_add(&fs, "/etc/vpcdns/conf.d/a.txt", "not a snippet");
	memfs_add(&fs, "/etc/vpcdns/more/b.yaml", VPC("vpc-b", "10.2.0.0/16"));
	memfs_add(&fs, "/etc/vpcdns/lists/bad.txt", "bad.example\n");
	memfs_add(&fs, "/etc/vpcdns/m.zone", ZONE("m.internal"));
	memfs_add(&fs, "/etc/vpcdns/conf.d/zones/a.zone", ZONE("a.internal"));

	ck_assert_int_eq(
	    conf_load_file(&fs.rd, "/etc/vpcdns/vpcdns.yaml", &cf, &errs),
	    VPC_OK);
	ck_assert_uint_eq(cf->n_files, 2);
	ck_assert_str_eq(cf->files[0], "/etc/vpcdns/conf.d/a.yaml");
	ck_assert_str_eq(cf->files[1], "/etc/vpcdns/more/b.yaml");
	ck_assert_uint_eq(cf->n_vpcs, 3);
	ck_assert_uint_eq(cf->vpcs[0].firewall[0].n_domains, 1);
	ck_assert_str_eq(cf->vpcs[1].hosted_zones[0].file,
			 "/etc/vpcdns/conf.d/zones/a.zone");
	/* main, two snippets, one domains-file */
	ck_assert_uint_eq(fs.reads, 4);
	ck_assert_int_eq(view_set_build(cf, &vs, &errs), VPC_OK);
	ck_assert_uint_eq(fs.reads, 6); /* and the two zone files */
	ck_assert_uint_eq(errs.n, 0);
}
END_TEST

/* A relative configuration path starts at the reader's cwd(). */
START_TEST(test_memory_relative_path)
{
	memfs_add(&fs, "/memfs/conf/v.yaml",
		  VPC("vpc-m", "10.0.0.0/16")
		  "    hosted-zones: [{name: m.internal, file: m.zone}]\n");
	ck_assert_int_eq(conf_load_file(&fs.rd, "conf/v.yaml", &cf, &errs),
			 VPC_OK);
	ck_assert_str_eq(cf->vpcs[0].hosted_zones[0].file,
			 "/memfs/conf/m.zone");
}
END_TEST

/* The messages name each file as the configuration does. */
START_TEST(test_memory_messages)
{
	memfs_add(&fs, "/c/v.yaml",
		  "include: [nothere.yaml]\n" VPC("vpc-m", "10.0.0.0/16")
		  "    firewall:\n"
		  "      - {priority: 1, domains-file: lists/none.txt, "
		  "action: block}\n");
	ck_assert_int_eq(conf_load_file(&fs.rd, "/c/v.yaml", &cf, &errs),
			 VPC_ECONFIG);
	ck_assert(has_error("/c/v.yaml:1: include: /c/nothere.yaml: cannot "
			    "read: ",
			    "No such file or directory"));
	ck_assert(has_error("/c/v.yaml:", "cannot read 'lists/none.txt': No "
					  "such file or directory"));
	ck_assert_int_eq(conf_load_file(&fs.rd, "/c/none.yaml", &cf, &errs),
			 VPC_EIO);
	ck_assert(has_error("/c/none.yaml: cannot read: ",
			    "No such file or directory"));
}
END_TEST

/* A missing or directory zone file is reported at its hosted-zones
 * line; a zone file's own problems name the zone file. */
START_TEST(test_memory_zone_errors)
{
	memfs_add(&fs, "/c/v.yaml",
		  VPC("vpc-m", "10.0.0.0/16")
		  "    hosted-zones:\n"
		  "      - {name: m.internal, file: m.zone}\n"
		  "      - {name: d.internal, file: d}\n"
		  "      - {name: b.internal, file: b.zone}\n");
	memfs_add(&fs, "/c/d/x.zone", ZONE("x.internal"));
	memfs_add(&fs, "/c/b.zone", "$ORIGIN b.internal.\nwww 60 IN A 1.2\n");
	ck_assert_int_eq(conf_load_file(&fs.rd, "/c/v.yaml", &cf, &errs),
			 VPC_OK);
	ck_assert_int_eq(view_set_build(cf, &vs, &errs), VPC_ECONFIG);
	ck_assert(has_error("/c/v.yaml:6: cannot open zone file /c/m.zone: ",
			    "No such file or directory"));
	ck_assert(has_error("/c/v.yaml:7: cannot open zone file /c/d: ",
			    "Is a directory"));
	ck_assert(has_error("/c/b.zone:2: ", ""));
}
END_TEST

/* Text without a reader names no readable file. */
START_TEST(test_no_reader)
{
	static const char y[] = VPC("vpc-m", "10.0.0.0/16")
	    "    firewall:\n"
	    "      - {priority: 1, domains-file: /l.txt, action: block}\n";

	ck_assert_int_eq(
	    conf_load_string(NULL, y, strlen(y), "t.yaml", &cf, &errs),
	    VPC_ECONFIG);
	ck_assert(has_error("t.yaml:", "cannot read '/l.txt': No such file"));
}
END_TEST

/* ---- io/files.c on real files --------------------------------------------- */

static char dir[64];

static void
fs_setup(void)
{
	strcpy(dir, "/tmp/check_reader_XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
fs_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *
put(const char *name, const char *text)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

static int
fs_read(const char *path, size_t max, char **text, size_t *len, int *err)
{
	return reader_read(&files_reader, path, max, text, len, err);
}

START_TEST(test_files_read)
{
	char *text = NULL, path[128];
	size_t len = 0;
	int err = -1;

	ck_assert_int_eq(fs_read(put("a", "abc\n"), 100, &text, &len, &err),
			 VPC_OK);
	ck_assert_uint_eq(len, 4);
	ck_assert_str_eq(text, "abc\n");
	free(text);
	ck_assert_int_eq(fs_read(put("a", "abc\n"), 3, &text, &len, &err),
			 VPC_EIO);
	ck_assert_int_eq(err, EFBIG);
	ck_assert_int_eq(fs_read("/dev/null", 100, &text, &len, &err), VPC_OK);
	ck_assert_uint_eq(len, 0);
	ck_assert_str_eq(text, "");
	free(text);
	ck_assert_int_eq(fs_read(dir, 100, &text, &len, &err), VPC_EIO);
	ck_assert_int_eq(err, EISDIR);
	snprintf(path, sizeof(path), "%s/none", dir);
	ck_assert_int_eq(fs_read(path, 100, &text, &len, &err), VPC_EIO);
	ck_assert_int_eq(err, ENOENT);
	/* A FIFO with no writer would block a blocking open: refused. */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(fs_read(path, 100, &text, &len, &err), VPC_EIO);
	ck_assert_int_eq(err, 0);
	ck_assert_str_eq(reader_strerror(err),
			 "not a regular file (a FIFO, socket or device)");
}
END_TEST

START_TEST(test_files_list)
{
	char pat[128], **paths = NULL, want[128];
	size_t n = 9;

	put("b.yaml", "");
	put("a.yaml", "");
	put("c.txt", "");
	snprintf(pat, sizeof(pat), "%s/*.yaml", dir);
	ck_assert_int_eq(reader_list(&files_reader, pat, &paths, &n), VPC_OK);
	ck_assert_uint_eq(n, 2);
	snprintf(want, sizeof(want), "%s/a.yaml", dir);
	ck_assert_str_eq(paths[0], want);
	snprintf(want, sizeof(want), "%s/b.yaml", dir);
	ck_assert_str_eq(paths[1], want);
	reader_list_free(paths, n);
	snprintf(pat, sizeof(pat), "%s/*.none", dir);
	ck_assert_int_eq(reader_list(&files_reader, pat, &paths, &n), VPC_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert(reader_is_dir(&files_reader, dir));
	ck_assert(!reader_is_dir(&files_reader, put("d", "")));
	ck_assert(reader_cwd(&files_reader, want, sizeof(want)));
	ck_assert_int_eq(want[0], '/');
}
END_TEST

static Suite *
reader_suite(void)
{
	Suite *s = suite_create("reader");
	TCase *tc = tcase_create("memory");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_memory_data_set);
	tcase_add_test(tc, test_memory_relative_path);
	tcase_add_test(tc, test_memory_messages);
	tcase_add_test(tc, test_memory_zone_errors);
	tcase_add_test(tc, test_no_reader);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, fs_setup, fs_teardown);
	tcase_add_test(tc, test_files_read);
	tcase_add_test(tc, test_files_list);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(reader_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
