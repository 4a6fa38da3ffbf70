/*
 * resolver/cli/main.c - command line: parse it and dispatch.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Parses the command line of SPEC Part 2 and calls the subcommand's
 * cmd_*() (cli/cmd_<name>.c).  The only place that calls exit() (through
 * the return of main()).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "conf/quickstart.h"
#include "io/daemon.h"
#include "util/log.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: vpcdns [-c FILE] [-d]         run the resolver\n"
		"       vpcdns --endpoint SERVICE=IP[,IP...] [--endpoint ...]\n"
		"              [--listen ADDR:PORT] [--upstream ADDR[:PORT]] [-d]\n"
		"                                     serve endpoints, no file\n"
		"       vpcdns check [-c FILE] [--list]\n"
		"                                     validate a configuration\n"
		"       vpcdns export [-c FILE] DIR   write the zones served as "
		"files\n"
		"       vpcdns explain [-c FILE] NAME [TYPE] [--from ADDR | "
		"--inbound VPC]\n"
		"              [--verbose]            what decides an answer\n"
		"       vpcdns import ENDPOINTS.json|- [INTERFACES.json]\n"
		"                                     configuration from AWS CLI "
		"output\n"
		"       vpcdns --version | --help\n"
		"\n"
		"  -c FILE  configuration (default: conf/vpcdns.yaml when it "
		"exists,\n"
		"           else " VPCDNS_SYSCONFDIR "/vpcdns.yaml)\n"
		"  -d       log at debug level\n"
		"  --list   check: every record of every zone too\n"
		"  -        import: read standard input\n");
}

static const char *
default_conf_path(void)
{
	if (access("conf/vpcdns.yaml", R_OK) == 0)
		return "conf/vpcdns.yaml";
	return VPCDNS_SYSCONFDIR "/vpcdns.yaml";
}

struct args {
	const char *command;      /* "run", "check", "export", "import",
				     "explain" */
	const char *path;         /* -c */
	struct explain_args ea;   /* --from, --inbound */
	bool list_all;            /* check --list */
	const char *operands[2];  /* export DIR; import files */
	size_t n_operands;
	struct quickstart_args qa;
	const char *list[3][64];  /* storage for qa's lists */
};

/* Appends @value to one of the quick-start lists. */
static bool
add_opt(struct args *a, int which, const char *value)
{
	size_t *n = which == 0 ? &a->qa.n_endpoints
		    : which == 1 ? &a->qa.n_listen
				 : &a->qa.n_upstreams;

	if (*n >= 64)
		return false;
	a->list[which][(*n)++] = value;
	return true;
}

/* Whether @opt is an option that takes a value. */
static bool
needs_value(const char *opt)
{
	static const char *const with_value[] = {
		"-c", "--from", "--inbound", "--endpoint", "--listen",
		"--upstream"};

	for (size_t i = 0; i < sizeof(with_value) / sizeof(with_value[0]); i++)
		if (strcmp(opt, with_value[i]) == 0)
			return true;
	return false;
}

/* Returns -1 to go on, else an exit code. */
static int
parse_option(struct args *a, int argc, char **argv, int *i)
{
	static const char *const lists[] = {"--endpoint", "--listen",
					    "--upstream"};
	const char *opt = argv[*i];

	for (int w = 0; w < 3; w++)
		if (strcmp(opt, lists[w]) == 0 && *i + 1 < argc)
			return add_opt(a, w, argv[++*i]) ? -1
							  : DAEMON_EXIT_USAGE;
	if (strcmp(opt, "-c") == 0 && *i + 1 < argc) {
		a->path = argv[++*i];
	} else if (strcmp(opt, "--from") == 0 && *i + 1 < argc) {
		a->ea.from = argv[++*i];
	} else if (strcmp(opt, "--inbound") == 0 && *i + 1 < argc) {
		a->ea.inbound = argv[++*i];
	} else if (strcmp(opt, "--verbose") == 0 &&
		   strcmp(a->command, "explain") == 0) {
		a->ea.verbose = true;
	} else if (strcmp(opt, "--list") == 0 &&
		   strcmp(a->command, "check") == 0) {
		a->list_all = true;
	} else if (strcmp(opt, "-d") == 0) {
		log_level = LOG_LEVEL_DEBUG;
	} else if (strcmp(opt, "--version") == 0) {
		printf("vpcdns %s\n", PACKAGE_VERSION);
		return DAEMON_EXIT_OK;
	} else if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
		usage(stdout);
		return DAEMON_EXIT_OK;
	} else if ((opt[0] != '-' || strcmp(opt, "-") == 0) &&
		   a->n_operands < 2 && strcmp(a->command, "run") != 0) {
		a->operands[a->n_operands++] = opt; /* "-": standard input */
	} else if (needs_value(opt) && *i + 1 == argc) {
		fprintf(stderr, "vpcdns: %s needs a value (%s)\n", opt,
			strcmp(opt, "-c") == 0 ? "the configuration file"
					       : "see --help");
		usage(stderr);
		return DAEMON_EXIT_USAGE;
	} else {
		fprintf(stderr, "vpcdns: unknown argument '%s'\n", opt);
		usage(stderr);
		return DAEMON_EXIT_USAGE;
	}
	return -1;
}

static int
dispatch(struct args *a)
{
	bool quick = a->qa.n_endpoints > 0;

	if (!quick && (a->qa.n_listen > 0 || a->qa.n_upstreams > 0)) {
		fprintf(stderr, "vpcdns: --listen and --upstream go with "
				"--endpoint (use the file otherwise)\n");
		return DAEMON_EXIT_USAGE;
	}
	if (strcmp(a->command, "import") == 0) {
		if (a->n_operands < 1) {
			usage(stderr);
			return DAEMON_EXIT_USAGE;
		}
		return cmd_import(a->operands[0], a->operands[1]);
	}
	if (quick && strcmp(a->command, "run") == 0)
		return cmd_quickstart(&a->qa);
	if (a->path == NULL)
		a->path = default_conf_path();
	if (strcmp(a->command, "check") == 0) {
		if (a->n_operands > 0) {
			usage(stderr);
			return DAEMON_EXIT_USAGE;
		}
		return cmd_check(a->path, a->list_all);
	}
	if (strcmp(a->command, "explain") == 0) {
		if (a->n_operands < 1) {
			usage(stderr);
			return DAEMON_EXIT_USAGE;
		}
		a->ea.name = a->operands[0];
		a->ea.type = a->operands[1];
		return cmd_explain(a->path, &a->ea);
	}
	if (strcmp(a->command, "export") == 0) {
		if (a->n_operands != 1) {
			usage(stderr);
			return DAEMON_EXIT_USAGE;
		}
		return cmd_export(a->path, a->operands[0]);
	}
	return cmd_run(a->path);
}

int
main(int argc, char **argv)
{
	static const char *const commands[] = {"check", "export", "import",
					       "explain"};
	struct args a = {.command = "run"};
	int i = 1, rc;

	a.qa.endpoints = a.list[0];
	a.qa.listen = a.list[1];
	a.qa.upstreams = a.list[2];
	for (size_t c = 0; argc > 1 && c < 4; c++)
		if (strcmp(argv[1], commands[c]) == 0) {
			a.command = commands[c];
			i = 2;
		}
	for (; i < argc; i++)
		if ((rc = parse_option(&a, argc, argv, &i)) >= 0)
			return rc;
	return dispatch(&a);
}
