/*
 * resolver/cli/cmd_run.c - run the daemon, from a file or the quick start.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The quick start (--endpoint ...) turns its options into YAML with
 * quickstart_yaml() and runs the daemon on that text.
 */
#include "config.h"

#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>

#include "conf/quickstart.h"
#include "io/daemon.h"
#include "util/err.h"
#include "util/log.h"

int
cmd_quickstart(const struct quickstart_args *qa)
{
	char err[512], *yaml = NULL;
	int rc = quickstart_yaml(qa, &yaml, err, sizeof(err));

	if (rc != VPC_OK) {
		fprintf(stderr, "vpcdns: %s\n",
			rc == VPC_ENOMEM ? vpc_strerror(rc) : err);
		return DAEMON_EXIT_USAGE;
	}
	log_debug("main: configuration from the command line:\n%s", yaml);
	rc = daemon_run("<command line>", yaml);
	free(yaml);
	return rc;
}


int
cmd_run(const char *path)
{
	return daemon_run(path, NULL);
}
