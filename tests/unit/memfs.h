/*
 * tests/unit/memfs.h - an in-memory struct reader for tests and fuzzers.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Header-only (static inline), like check_util.h.  A map of absolute
 * path to text that the core reads through (util/reader.h), so a test
 * gives a configuration, its snippets, domains-files and zone files as
 * strings and nothing touches the file system.  memfs_add() copies;
 * memfs_cleanup() frees.  A directory is any prefix of a path that ends
 * at a '/'; list() matches with fnmatch(3) like glob(3) does (a '/' is
 * matched only by a '/'), sorted.  cwd() is "/memfs" (MEMFS_CWD): a
 * relative path is read from there.
 */
#ifndef TESTS_UNIT_MEMFS_H
#define TESTS_UNIT_MEMFS_H

#include <errno.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/reader.h"

#define MEMFS_MAX 32

struct memfs {
	char *path[MEMFS_MAX]; /* owned */
	char *text[MEMFS_MAX]; /* owned */
	size_t n;
	size_t reads;          /* read() calls, found or not */
	struct reader rd;      /* what the core is given: &m->rd */
};

#define MEMFS_CWD "/memfs"

/* @path made absolute against MEMFS_CWD, in @buf. */
static inline const char *
memfs_abs(const char *path, char *buf, size_t size)
{
	if (path[0] == '/')
		return path;
	snprintf(buf, size, "%s/%s", MEMFS_CWD, path);
	return buf;
}

static inline int
memfs_read(void *arg, const char *rel, size_t max, char **text, size_t *len,
	   int *err)
{
	struct memfs *m = arg;
	char buf[4096];
	const char *path = memfs_abs(rel, buf, sizeof(buf));
	size_t plen = strlen(path);

	m->reads++;
	for (size_t i = 0; i < m->n; i++) {
		size_t n = strlen(m->text[i]);

		if (strncmp(m->path[i], path, plen) == 0 &&
		    m->path[i][plen] == '/') {
			*err = EISDIR;
			return VPC_EIO;
		}
		if (strcmp(m->path[i], path) != 0)
			continue;
		if (n > max) {
			*err = EFBIG;
			return VPC_EIO;
		}
		if ((*text = malloc(n + 1)) == NULL)
			return VPC_ENOMEM;
		memcpy(*text, m->text[i], n + 1);
		*len = n;
		return VPC_OK;
	}
	*err = ENOENT;
	return VPC_EIO;
}

static inline int
memfs_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline int
memfs_list(void *arg, const char *pattern, char ***paths, size_t *n)
{
	struct memfs *m = arg;
	char **v = calloc(m->n + 1, sizeof(*v));
	size_t k = 0;

	if (v == NULL)
		return VPC_ENOMEM;
	for (size_t i = 0; i < m->n; i++)
		if (fnmatch(pattern, m->path[i], FNM_PATHNAME | FNM_PERIOD) ==
			    0 &&
		    (v[k++] = strdup(m->path[i])) == NULL) {
			reader_list_free(v, k);
			return VPC_ENOMEM;
		}
	qsort(v, k, sizeof(*v), memfs_cmp);
	if (k == 0) {
		free(v);
		v = NULL;
	}
	*paths = v;
	*n = k;
	return VPC_OK;
}

static inline bool
memfs_is_dir(void *arg, const char *path)
{
	struct memfs *m = arg;
	size_t plen = strlen(path);

	while (plen > 1 && path[plen - 1] == '/')
		plen--;
	for (size_t i = 0; i < m->n; i++)
		if (strncmp(m->path[i], path, plen) == 0 &&
		    m->path[i][plen] == '/')
			return true;
	return false;
}

static inline bool
memfs_cwd(void *arg, char *buf, size_t size)
{
	(void)arg;
	return (size_t)snprintf(buf, size, "%s", MEMFS_CWD) < size;
}

static inline void
memfs_init(struct memfs *m)
{
	memset(m, 0, sizeof(*m));
	m->rd.read = memfs_read;
	m->rd.list = memfs_list;
	m->rd.is_dir = memfs_is_dir;
	m->rd.cwd = memfs_cwd;
	m->rd.arg = m;
}

/* Adds (or replaces) @path with @text; false when the map is full or
 * memory ran out. */
static inline bool
memfs_add(struct memfs *m, const char *path, const char *text)
{
	char *t = strdup(text);
	size_t i;

	for (i = 0; i < m->n && strcmp(m->path[i], path) != 0; i++)
		;
	if (t == NULL || i == MEMFS_MAX) {
		free(t);
		return false;
	}
	if (i < m->n) {
		free(m->text[i]);
		m->text[i] = t;
		return true;
	}
	if ((m->path[i] = strdup(path)) == NULL) {
		free(t);
		return false;
	}
	m->text[i] = t;
	m->n++;
	return true;
}

static inline void
memfs_cleanup(struct memfs *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->path[i]);
		free(m->text[i]);
	}
	m->n = 0;
}

#endif /* TESTS_UNIT_MEMFS_H */
