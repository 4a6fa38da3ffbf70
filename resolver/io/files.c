/*
 * resolver/io/files.c - the file system reader the core reads through.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * See files.h.  This is where the reading that used to sit in conf.c
 * (the configuration, snippets, domains-files), conf_include.c (glob,
 * stat, and getcwd() for relative paths) and the zone loaders now lives,
 * with the same checks.
 */
#include "config.h"

#include "io/files.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"

/* /dev/null (Linux: character device 1,3) reads as empty without ever
 * blocking; any other device could block or never end. */
static bool
is_null_device(const struct stat *st)
{
	struct stat null;

	return stat("/dev/null", &null) == 0 && S_ISCHR(null.st_mode) &&
	       null.st_rdev == st->st_rdev;
}

static int
fs_read(void *arg, const char *path, size_t max, char **text, size_t *len,
	int *err)
{
	struct stat st;
	char *buf = NULL;
	FILE *fp;
	int fd, rc = VPC_EIO;

	(void)arg;
	*err = 0;
	/* Non-blocking, so that naming a FIFO cannot stall a (re)load: it is
	 * refused below as not a regular file. */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)) <
	    0) {
		*err = errno;
		return VPC_EIO;
	}
	if ((fp = fdopen(fd, "rb")) == NULL) {
		*err = errno;
		close(fd);
		return VPC_EIO;
	}
	if (fstat(fileno(fp), &st) != 0)
		*err = errno;
	else if (S_ISDIR(st.st_mode))
		*err = EISDIR;
	else if (S_ISCHR(st.st_mode) && is_null_device(&st))
		rc = (buf = malloc(1)) != NULL ? VPC_OK : VPC_ENOMEM;
	else if (!S_ISREG(st.st_mode))
		*err = 0;
	else if ((unsigned long long)st.st_size > max)
		*err = EFBIG;
	else if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		rc = VPC_ENOMEM;
	else if (fread(buf, 1, (size_t)st.st_size, fp) != (size_t)st.st_size)
		*err = ferror(fp) ? EIO : 0;
	else
		rc = VPC_OK;
	if (rc == VPC_OK && !S_ISREG(st.st_mode))
		st.st_size = 0; /* `-c /dev/null`: an empty configuration */
	if (rc == VPC_OK)
		buf[st.st_size] = '\0';
	fclose(fp);
	if (rc != VPC_OK) {
		free(buf);
		return rc;
	}
	*text = buf;
	*len = (size_t)st.st_size;
	return VPC_OK;
}

static int
fs_list(void *arg, const char *pattern, char ***paths, size_t *n)
{
	glob_t g = {0};
	char **v = NULL;
	size_t i = 0;
	int rc;

	(void)arg;
	rc = glob(pattern, 0, NULL, &g);
	if (rc == GLOB_NOSPACE || rc == GLOB_ABORTED) {
		globfree(&g);
		return rc == GLOB_NOSPACE ? VPC_ENOMEM : VPC_EIO;
	}
	if (rc == 0 && g.gl_pathc > 0 &&
	    (v = calloc(g.gl_pathc, sizeof(*v))) == NULL)
		rc = GLOB_NOSPACE;
	for (; rc == 0 && i < g.gl_pathc; i++)
		if ((v[i] = strdup(g.gl_pathv[i])) == NULL)
			rc = GLOB_NOSPACE;
	globfree(&g);
	if (rc == GLOB_NOSPACE) {
		reader_list_free(v, i);
		return VPC_ENOMEM;
	}
	*paths = v;
	*n = i; /* 0 for GLOB_NOMATCH: a pattern may match nothing */
	return VPC_OK;
}

static bool
fs_is_dir(void *arg, const char *path)
{
	struct stat st;

	(void)arg;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool
fs_cwd(void *arg, char *buf, size_t size)
{
	(void)arg;
	return getcwd(buf, size) != NULL;
}

const struct reader files_reader = {
	.read = fs_read,
	.list = fs_list,
	.is_dir = fs_is_dir,
	.cwd = fs_cwd,
	.arg = NULL,
};
