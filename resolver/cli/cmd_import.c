/*
 * resolver/cli/cmd_import.c - vpcdns import: configuration from AWS CLI output.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Reads the JSON of `aws ec2 describe-vpc-endpoints` (and optionally
 * describe-network-interfaces) and prints the YAML import_aws_json()
 * makes of it.  Either file may be a pipe (`<(aws ...)`, /dev/stdin) and
 * "-" is standard input (`aws ec2 describe-vpc-endpoints | vpcdns import -`).
 */
#include "config.h"

#include "cli/cli.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/import.h"
#include "io/daemon.h"
#include "util/err.h"

/* AWS CLI output of thousands of endpoints fits easily; the bound keeps
 * a runaway pipe from filling memory. */
#define IMPORT_MAX_BYTES (64u << 20)

/* Reads all of @fp: a file, a pipe (`<(aws ...)`, /dev/stdin) or a
 * terminal; NULL with errno set on failure (EFBIG beyond the bound). */
static char *
read_stream(FILE *fp, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap + 1), *bigger;

	while (buf != NULL && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n < cap)
			continue;
		if (cap >= IMPORT_MAX_BYTES) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		if ((bigger = realloc(buf, cap * 2 + 1)) == NULL) {
			free(buf);
			return NULL;
		}
		buf = bigger;
		cap *= 2;
	}
	if (buf != NULL && ferror(fp)) {
		free(buf);
		return NULL;
	}
	if (buf != NULL) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

/* @path, or standard input for "-". */
static char *
read_file(const char *path, size_t *len)
{
	bool std_in = strcmp(path, "-") == 0;
	FILE *fp = std_in ? stdin : fopen(path, "rb");
	char *buf = NULL;
	struct stat st;

	if (fp != NULL && fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode))
		errno = EISDIR;
	else if (fp != NULL)
		buf = read_stream(fp, len);
	if (buf == NULL)
		fprintf(stderr, "vpcdns: cannot read %s: %s\n",
			std_in ? "standard input" : path,
			errno == EFBIG ? "larger than 64 MiB" : strerror(errno));
	if (fp != NULL && !std_in)
		fclose(fp);
	return buf;
}

/* How @path is named in messages ("<stdin>:12: ..."). */
static const char *
input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int
cmd_import(const char *endpoints, const char *interfaces)
{
	struct conf_errors errs = {0};
	char *ep_text = NULL, *if_text = NULL, *yaml = NULL;
	size_t ep_len = 0, if_len = 0;
	int rc = VPC_EIO;

	if (interfaces != NULL && strcmp(endpoints, "-") == 0 &&
	    strcmp(interfaces, "-") == 0) {
		fprintf(stderr, "vpcdns: import: only one of the two files "
				"can be standard input (-)\n");
		return DAEMON_EXIT_USAGE;
	}
	if ((ep_text = read_file(endpoints, &ep_len)) == NULL ||
	    (interfaces != NULL &&
	     (if_text = read_file(interfaces, &if_len)) == NULL))
		goto out;
	rc = import_aws_json(ep_text, ep_len, input_name(endpoints), if_text,
			     if_len, interfaces ? input_name(interfaces) : NULL,
			     &yaml, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	if (rc == VPC_OK)
		fputs(yaml, stdout);
	else if (errs.n == 0)
		fprintf(stderr, "vpcdns: import failed: %s\n",
			vpc_strerror(rc));
out:
	conf_errors_cleanup(&errs);
	free(yaml);
	free(if_text);
	free(ep_text);
	return rc == VPC_OK ? DAEMON_EXIT_OK : DAEMON_EXIT_CONFIG;
}
