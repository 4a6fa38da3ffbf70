/*
 * resolver/cli/cmd_run.c - run the daemon, from a file or the quick start.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * main.c has already turned the quick start (--endpoint ...) into YAML
 * text with quickstart_yaml(); both kinds of source run the same way.
 */
#include "config.h"

#include "cli/cli.h"

#include "io/daemon.h"
#include "util/log.h"

int
cmd_run(const struct cli_source *src, const char *user)
{
	struct daemon_options opt = {
		.conf_path = src->path,
		.conf_text = src->text,
		.overrides = src->ov,
		.user = user,
	};

	if (src->text != NULL)
		log_debug("main: configuration from the command line:\n%s",
			  src->text);
	return daemon_run_options(&opt);
}
