/*
 * resolver/util/reader.c - how the core asks for the contents of a file.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See reader.h.  Only the NULL reader and the shared helpers live here;
 * the readers themselves are the caller's (io/files.c, tests).
 */
#include "config.h"

#include "util/reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

int
reader_read(const struct reader *rd, const char *path, size_t max,
	    char **text, size_t *len, int *err)
{
	if (rd == NULL) {
		*err = ENOENT;
		return VPC_EIO;
	}
	*err = 0;
	return rd->read(rd->arg, path, max, text, len, err);
}

int
reader_list(const struct reader *rd, const char *pattern, char ***paths,
	    size_t *n)
{
	if (rd == NULL) {
		*paths = NULL;
		*n = 0;
		return VPC_OK;
	}
	return rd->list(rd->arg, pattern, paths, n);
}

bool
reader_is_dir(const struct reader *rd, const char *path)
{
	return rd != NULL && rd->is_dir(rd->arg, path);
}

bool
reader_cwd(const struct reader *rd, char *buf, size_t size)
{
	return rd != NULL && rd->cwd(rd->arg, buf, size);
}

void
reader_list_free(char **paths, size_t n)
{
	for (size_t i = 0; paths != NULL && i < n; i++)
		free(paths[i]);
	free(paths);
}

const char *
reader_strerror(int err)
{
	if (err == 0)
		return "not a regular file (a FIFO, socket or device)";
	return strerror(err);
}
