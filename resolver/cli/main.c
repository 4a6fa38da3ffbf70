/*
 * resolver/cli/main.c - command line: parse it and dispatch.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Parses the command line of SPEC Part 2 and its VPCDNS_* environment
 * variables (an option given on the command line wins over its
 * variable), decides where the configuration comes from (struct
 * cli_source) and calls the subcommand's cmd_*() (cli/cmd_<name>.c).
 * The only place that calls exit() (through the return of main()).
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "conf/conf.h"
#include "conf/quickstart.h"
#include "io/daemon.h"
#include "io/logsink.h"
#include "util/err.h"
#include "util/log.h"

/* More of one list option than this is refused with a message. */
#define CLI_LIST_MAX 64

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: vpcdns [-c FILE] [OPTIONS]    run the resolver\n"
		"       vpcdns --endpoint SERVICE=IP[,IP...] [--endpoint ...] "
		"[OPTIONS]\n"
		"                                     serve endpoints, no file\n"
		"       vpcdns check [-c FILE | --endpoint ...] [--list]\n"
		"                                     validate a configuration\n"
		"       vpcdns export [-c FILE | --endpoint ...] "
		"[--format zone|route53-json] DIR\n"
		"                                     write the zones served as "
		"files\n"
		"       vpcdns explain [-c FILE | --endpoint ...] NAME [TYPE]\n"
		"              [--from ADDR | --inbound VPC] [--verbose]\n"
		"                                     what decides an answer\n"
		"       vpcdns import ENDPOINTS.json|- [INTERFACES.json]\n"
		"              [--instances INSTANCES.json]\n"
		"                                     configuration from AWS CLI "
		"output\n"
		"       vpcdns import --route53 FILE | --terraform FILE\n"
		"                                     configuration serving "
		"Route 53 zones\n"
		"       vpcdns --version | --help\n"
		"\n"
		"  -c FILE             configuration (default: conf/vpcdns.yaml "
		"when it\n"
		"                      exists, else " VPCDNS_SYSCONFDIR
		"/vpcdns.yaml)\n"
		"  --listen ADDR[:PORT]   listen there instead (repeatable; "
		"replaces the\n"
		"                      file's listen); in a container: "
		"0.0.0.0:53\n"
		"  --upstream ADDR[:PORT] forward there instead (repeatable; "
		"replaces\n"
		"                      the file's upstreams)\n"
		"  --user NAME         switch to this user once listening\n"
		"  --log-level LEVEL   err, warn, notice (default), info, debug\n"
		"  --log-format FMT    text (default) or json\n"
		"  -d                  --log-level debug\n"
		"  --list              check: every record of every zone too\n"
		"  -                   import: read standard input\n"
		"\n"
		"Environment: VPCDNS_CONFIG (-c), VPCDNS_ENDPOINTS, "
		"VPCDNS_LISTEN,\n"
		"VPCDNS_UPSTREAMS (lists separated by spaces; endpoints also by "
		"';',\n"
		"the others also by ','), VPCDNS_LOG_LEVEL, VPCDNS_LOG_FORMAT; "
		"the\n"
		"command line wins.  See vpcdns(8).\n");
}

static const char *
default_conf_path(void)
{
	if (access("conf/vpcdns.yaml", R_OK) == 0)
		return "conf/vpcdns.yaml";
	return VPCDNS_SYSCONFDIR "/vpcdns.yaml";
}

/* One list option: --endpoint, --listen or --upstream. */
struct cli_list {
	const char *flag;         /* "--endpoint" */
	const char *env;          /* "VPCDNS_ENDPOINTS" */
	const char *seps;         /* separators inside the variable */
	const char *items[CLI_LIST_MAX];
	size_t n;
	const char *from;         /* flag or env: what the items came from */
	char *env_copy;           /* the variable's split copy, owned */
};

enum { LIST_ENDPOINT, LIST_LISTEN, LIST_UPSTREAM, LIST_COUNT };

struct args {
	const char *command;      /* "run", "check", "export", "import",
				     "explain" */
	const char *path;         /* -c */
	struct explain_args ea;   /* --from, --inbound */
	const char *operands[2];  /* export DIR; import files */
	size_t n_operands;
	const char *format;       /* export --format: zone, route53-json */
	const char *route53_file; /* import --route53 / --terraform FILE */
	const char *tf_file;
	const char *instances_file; /* import --instances FILE */
	struct cli_list lists[LIST_COUNT];
	const char *user;         /* --user */
	const char *log_level;    /* --log-level, -d */
	const char *log_format;   /* --log-format */
	bool list_all;            /* check --list */
};

static bool
add_item(struct cli_list *l, const char *from, const char *value)
{
	if (l->n >= CLI_LIST_MAX) {
		fprintf(stderr, "vpcdns: %s: at most %d values (the %dth is "
				"'%s')\n",
			from, CLI_LIST_MAX, CLI_LIST_MAX + 1, value);
		return false;
	}
	l->items[l->n++] = value;
	l->from = from;
	return true;
}

/* Takes the value of an option that needs one. */
static const char *
value_of(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "vpcdns: %s needs a value\n", argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

static int
parse_list_option(struct args *a, int argc, char **argv, int *i)
{
	for (int w = 0; w < LIST_COUNT; w++) {
		struct cli_list *l = &a->lists[w];
		const char *v;

		if (strcmp(argv[*i], l->flag) != 0)
			continue;
		if ((v = value_of(argc, argv, i)) == NULL ||
		    !add_item(l, l->flag, v))
			return DAEMON_EXIT_USAGE;
		return -1;
	}
	return 0;
}

/* Options that take a value; returns -1 to go on, 0 when @opt is not
 * one of them, else an exit code. */
static int
parse_value_option(struct args *a, int argc, char **argv, int *i)
{
	static const char *const names[] = {"-c",	  "--from",
					    "--inbound",  "--user",
					    "--log-level", "--log-format",
					    "--format",	  "--route53",
					    "--terraform", "--instances"};
	const char **dst[] = {&a->path,	  &a->ea.from,	    &a->ea.inbound,
			      &a->user,	  &a->log_level,    &a->log_format,
			      &a->format, &a->route53_file, &a->tf_file,
			      &a->instances_file};
	int rc = parse_list_option(a, argc, argv, i);

	if (rc != 0)
		return rc;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		if (strcmp(argv[*i], names[k]) != 0)
			continue;
		if ((*dst[k] = value_of(argc, argv, i)) == NULL)
			return DAEMON_EXIT_USAGE;
		return -1;
	}
	return 0;
}

/* Returns -1 to go on, else an exit code. */
static int
parse_option(struct args *a, int argc, char **argv, int *i)
{
	const char *opt = argv[*i];
	int rc = parse_value_option(a, argc, argv, i);

	if (rc != 0)
		return rc;
	if (strcmp(opt, "--verbose") == 0 &&
	    strcmp(a->command, "explain") == 0) {
		a->ea.verbose = true;
	} else if (strcmp(opt, "--list") == 0 &&
		   strcmp(a->command, "check") == 0) {
		a->list_all = true;
	} else if (strcmp(opt, "-d") == 0) {
		a->log_level = "debug";
	} else if (strcmp(opt, "--version") == 0) {
		printf("vpcdns %s\n", PACKAGE_VERSION);
		return DAEMON_EXIT_OK;
	} else if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
		usage(stdout);
		return DAEMON_EXIT_OK;
	} else if ((opt[0] != '-' || strcmp(opt, "-") == 0) &&
		   a->n_operands < 2 && strcmp(a->command, "run") != 0) {
		a->operands[a->n_operands++] = opt; /* "-": standard input */
	} else {
		fprintf(stderr, "vpcdns: unknown argument '%s'\n", opt);
		usage(stderr);
		return DAEMON_EXIT_USAGE;
	}
	return -1;
}

/* A list variable fills its list when the command line gave none. */
static bool
env_list(struct cli_list *l)
{
	const char *v = getenv(l->env);
	char *save = NULL;

	if (l->n > 0 || v == NULL || v[0] == '\0')
		return true;
	if ((l->env_copy = strdup(v)) == NULL)
		return false;
	for (char *t = strtok_r(l->env_copy, l->seps, &save); t != NULL;
	     t = strtok_r(NULL, l->seps, &save))
		if (!add_item(l, l->env, t))
			return false;
	return true;
}

/* The environment's share; -c and --endpoint on the command line hide
 * VPCDNS_CONFIG and VPCDNS_ENDPOINTS alike (one source at a time). */
static int
apply_env(struct args *a)
{
	const char *cfg = getenv("VPCDNS_CONFIG");
	bool cmdline_source = a->path != NULL || a->lists[LIST_ENDPOINT].n > 0;

	if (!cmdline_source && cfg != NULL && cfg[0] != '\0')
		a->path = cfg;
	if ((!cmdline_source || a->lists[LIST_ENDPOINT].n > 0) &&
	    !env_list(&a->lists[LIST_ENDPOINT]))
		return DAEMON_EXIT_USAGE;
	if (!env_list(&a->lists[LIST_LISTEN]) ||
	    !env_list(&a->lists[LIST_UPSTREAM]))
		return DAEMON_EXIT_USAGE;
	if (a->log_level == NULL)
		a->log_level = getenv("VPCDNS_LOG_LEVEL");
	if (a->log_format == NULL)
		a->log_format = getenv("VPCDNS_LOG_FORMAT");
	if (a->path != NULL && a->lists[LIST_ENDPOINT].n > 0) {
		fprintf(stderr, "vpcdns: %s and %s both give the "
				"configuration; use one\n",
			a->path == cfg ? "VPCDNS_CONFIG" : "-c",
			a->lists[LIST_ENDPOINT].from);
		return DAEMON_EXIT_USAGE;
	}
	return -1;
}

static int
apply_logging(const struct args *a, bool daemon)
{
	enum logsink_format fmt = LOGSINK_TEXT;
	enum log_level lvl;

	if (a->log_level != NULL && a->log_level[0] != '\0') {
		if (!log_parse_level(a->log_level, &lvl)) {
			fprintf(stderr, "vpcdns: --log-level '%s': expected "
					"err, warn, notice, info or debug\n",
				a->log_level);
			return DAEMON_EXIT_USAGE;
		}
		log_level = lvl;
	}
	if (a->log_format != NULL && a->log_format[0] != '\0' &&
	    !logsink_parse_format(a->log_format, &fmt)) {
		fprintf(stderr, "vpcdns: --log-format '%s': expected text or "
				"json\n",
			a->log_format);
		return DAEMON_EXIT_USAGE;
	}
	/* The daemon's lines carry a time; a one-shot command's messages
	 * stay plain. */
	if (daemon || fmt == LOGSINK_JSON)
		logsink_install(fmt);
	return -1;
}

/* --listen and --upstream values are checked here so that a mistake is
 * a usage error naming what was typed (conf_override() checks again). */
static bool
addresses_ok(const struct cli_list *l, bool hosts)
{
	struct conf_sockaddr sa;

	for (size_t i = 0; i < l->n; i++)
		if (conf_parse_sockaddr(l->items[i], CONF_DEFAULT_PORT, &sa) !=
			    VPC_OK &&
		    (!hosts || !conf_valid_target(l->items[i]))) {
			fprintf(stderr, "vpcdns: %s '%s': expected ADDR, "
					"ADDR:PORT or [IPV6]:PORT%s\n",
				l->from, l->items[i],
				hosts ? ", HOST or HOST:PORT" : "");
			return false;
		}
	return true;
}

/* The configuration: the file, or the quick start's YAML in @yaml. */
static int
make_source(struct args *a, struct cli_source *src, char **yaml)
{
	const struct cli_list *ep = &a->lists[LIST_ENDPOINT];
	const struct cli_list *li = &a->lists[LIST_LISTEN];
	const struct cli_list *up = &a->lists[LIST_UPSTREAM];
	struct quickstart_args qa = {ep->items, ep->n, ep->from};
	char err[512];
	int rc;

	if (!addresses_ok(li, false) || !addresses_ok(up, true))
		return DAEMON_EXIT_USAGE;
	src->ov = (struct conf_overrides){li->items, li->n, li->from,
					  up->items, up->n, up->from};
	if (ep->n == 0) {
		src->path = a->path != NULL ? a->path : default_conf_path();
		src->text = NULL;
		return -1;
	}
	if ((rc = quickstart_yaml(&qa, yaml, err, sizeof(err))) != 0) {
		fprintf(stderr, "vpcdns: %s\n", err);
		return DAEMON_EXIT_USAGE;
	}
	src->path = ep->from;
	src->text = *yaml;
	return -1;
}

static int
operands_ok(const struct args *a, size_t min, size_t max)
{
	if (a->n_operands >= min && a->n_operands <= max)
		return -1;
	usage(stderr);
	return DAEMON_EXIT_USAGE;
}

static int
dispatch(struct args *a, struct cli_source *src)
{
	int rc;

	if (strcmp(a->command, "check") == 0)
		return (rc = operands_ok(a, 0, 0)) >= 0
			       ? rc
			       : cmd_check(src, a->list_all);
	if (strcmp(a->command, "explain") == 0) {
		if ((rc = operands_ok(a, 1, 2)) >= 0)
			return rc;
		a->ea.name = a->operands[0];
		a->ea.type = a->operands[1];
		return cmd_explain(src, &a->ea);
	}
	if (strcmp(a->command, "export") == 0) {
		if ((rc = operands_ok(a, 1, 1)) >= 0)
			return rc;
		if (a->format != NULL && strcmp(a->format, "route53-json") == 0)
			return cmd_export_route53(src, a->operands[0]);
		if (a->format != NULL && strcmp(a->format, "zone") != 0) {
			fprintf(stderr, "vpcdns: export --format: zone or "
					"route53-json\n");
			return DAEMON_EXIT_USAGE;
		}
		return cmd_export(src, a->operands[0]);
	}
	return cmd_run(src, a->user);
}

static int
run(struct args *a)
{
	struct cli_source src;
	char *yaml = NULL;
	int rc;

	if (strcmp(a->command, "import") == 0 &&
	    (a->route53_file != NULL || a->tf_file != NULL)) {
		if ((rc = operands_ok(a, 0, 0)) >= 0)
			return rc;
		return cmd_import_route53(a->tf_file != NULL,
					  a->tf_file ? a->tf_file
						     : a->route53_file);
	}
	if (strcmp(a->command, "import") == 0) {
		if ((rc = operands_ok(a, a->instances_file ? 0 : 1, 2)) >= 0)
			return rc;
		return cmd_import(a->operands[0], a->operands[1],
				  a->instances_file);
	}
	if ((rc = apply_env(a)) >= 0 ||
	    (rc = apply_logging(a, strcmp(a->command, "run") == 0)) >= 0 ||
	    (rc = make_source(a, &src, &yaml)) >= 0)
		return rc;
	if (a->user != NULL && strcmp(a->command, "run") != 0) {
		fprintf(stderr, "vpcdns: --user is for running the daemon\n");
		free(yaml);
		return DAEMON_EXIT_USAGE;
	}
	rc = dispatch(a, &src);
	free(yaml);
	return rc;
}

int
main(int argc, char **argv)
{
	static const char *const commands[] = {"check", "export", "import",
					       "explain"};
	struct args a = {
		.command = "run",
		.lists = {{"--endpoint", "VPCDNS_ENDPOINTS", " \t\n;"},
			  {"--listen", "VPCDNS_LISTEN", " \t\n,"},
			  {"--upstream", "VPCDNS_UPSTREAMS", " \t\n,"}},
	};
	int i = 1, rc;

	for (size_t c = 0; argc > 1 && c < 4; c++)
		if (strcmp(argv[1], commands[c]) == 0) {
			a.command = commands[c];
			i = 2;
		}
	for (rc = -1; rc < 0 && i < argc; i++)
		rc = parse_option(&a, argc, argv, &i);
	if (rc < 0)
		rc = run(&a);
	for (int w = 0; w < LIST_COUNT; w++)
		free(a.lists[w].env_copy);
	return rc;
}
