/*
 * resolver/cli/cmd_import.c - vpcdns import: configuration from AWS CLI output.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Reads the JSON of `aws ec2 describe-vpc-endpoints` (and optionally
 * describe-network-interfaces) and prints the YAML import_aws_json()
 * makes of it.
 */
#include "config.h"

#include "cli/cli.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/import.h"
#include "io/daemon.h"
#include "util/err.h"

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	struct stat st;
	long n;

	if (fp != NULL && (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode))) {
		fclose(fp);
		fp = NULL;
		errno = EISDIR;
	}
	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "vpcdns: cannot read %s: %s\n", path,
			strerror(errno));
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	if (fp != NULL)
		fclose(fp);
	return buf;
}

int
cmd_import(const char *endpoints, const char *interfaces)
{
	struct conf_errors errs = {0};
	char *ep_text = NULL, *if_text = NULL, *yaml = NULL;
	size_t ep_len = 0, if_len = 0;
	int rc = VPC_EIO;

	if ((ep_text = read_file(endpoints, &ep_len)) == NULL ||
	    (interfaces != NULL &&
	     (if_text = read_file(interfaces, &if_len)) == NULL))
		goto out;
	rc = import_aws_json(ep_text, ep_len, endpoints, if_text, if_len,
			     interfaces, &yaml, &errs);
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
