/*
 * resolver/cli/cmd_import.c - vpcdns import: configuration from AWS CLI output.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Reads the JSON of `aws ec2 describe-vpc-endpoints` (and optionally
 * describe-network-interfaces), `aws ec2 describe-instances` (--instances)
 * or both, and prints the YAML import_aws_json()
 * makes of it.  Either file may be a pipe (`<(aws ...)`, /dev/stdin) and
 * "-" is standard input (`aws ec2 describe-vpc-endpoints | vpcdns import -`).
 */
#include "config.h"

#include "cli/cli.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/import.h"
#include "io/daemon.h"
#include "util/err.h"

/* How @path is named in messages ("<stdin>:12: ..."). */
static const char *
input_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/* Whether two of the files are standard input. */
static bool
two_stdin(const char *a, const char *b, const char *c)
{
	int n = 0;

	n += a != NULL && strcmp(a, "-") == 0;
	n += b != NULL && strcmp(b, "-") == 0;
	n += c != NULL && strcmp(c, "-") == 0;
	return n > 1;
}

/* @path into *@text, or false; NULL @path is no file. */
static bool
read_opt(const char *path, char **text, size_t *len)
{
	return path == NULL || (*text = cli_read_input(path, len)) != NULL;
}

int
cmd_import(const char *endpoints, const char *interfaces,
	   const char *instances)
{
	struct conf_errors errs = {0};
	char *ep_text = NULL, *if_text = NULL, *in_text = NULL, *yaml = NULL;
	struct import_inputs in = {0};
	int rc = VPC_EIO;

	if (two_stdin(endpoints, interfaces, instances)) {
		fprintf(stderr, "vpcdns: import: only one of the %s files "
				"can be standard input (-)\n",
			endpoints && interfaces && instances ? "three" : "two");
		return DAEMON_EXIT_USAGE;
	}
	if (!read_opt(endpoints, &ep_text, &in.endpoints_len) ||
	    !read_opt(interfaces, &if_text, &in.interfaces_len) ||
	    !read_opt(instances, &in_text, &in.instances_len))
		goto out;
	in.endpoints = ep_text;
	in.endpoints_name = endpoints ? input_name(endpoints) : NULL;
	in.interfaces = if_text;
	in.interfaces_name = interfaces ? input_name(interfaces) : NULL;
	in.instances = in_text;
	in.instances_name = instances ? input_name(instances) : NULL;
	rc = import_aws(&in, &yaml, &errs);
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
	free(in_text);
	free(if_text);
	free(ep_text);
	return rc == VPC_OK ? DAEMON_EXIT_OK : DAEMON_EXIT_CONFIG;
}
