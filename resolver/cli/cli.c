/*
 * resolver/cli/cli.c - what the subcommands share: loading a configuration.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * cli_load() is the one way a subcommand reads a configuration: the same
 * conf_load_file() (through io/files.h's reader) and view build as the
 * daemon, errors printed to stderr.
 */
#include "config.h"

#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "engine/view.h"
#include "io/daemon.h"
#include "io/files.h"
#include "util/err.h"

int
cli_load(const struct cli_source *src, struct conf **cf, struct view_set **vs)
{
	struct conf_errors errs = {0};
	const char *path = src->path;
	int rc = src->text != NULL
			 ? conf_load_string(&files_reader, src->text,
					    strlen(src->text), path, cf, &errs)
			 : conf_load_file(&files_reader, path, cf, &errs);

	if (rc == VPC_OK)
		rc = conf_override(*cf, &src->ov, &errs);
	if (rc == VPC_OK)
		rc = view_set_build_resolving(*cf, daemon_resolve_host, vs,
					      &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	if (rc != VPC_OK && errs.n == 0)
		fprintf(stderr, "%s: %s\n", path, vpc_strerror(rc));
	conf_errors_cleanup(&errs);
	return rc;
}
