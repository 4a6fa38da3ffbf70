/*
 * resolver/cli/cli.h - the subcommands of the command line.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * main.c parses the command line (SPEC Part 2) and calls one cmd_*()
 * per subcommand; each lives in its own cmd_<name>.c.  Every cmd_*()
 * returns an enum daemon_exit value; arguments are borrowed.
 */
#ifndef RESOLVER_CLI_CLI_H
#define RESOLVER_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "conf/conf_override.h"

struct conf;
struct view_set;
struct zone;

/* Where the configuration comes from (-c FILE, or the quick start's
 * --endpoint options) and what replaces parts of it (--listen,
 * --upstream and their VPCDNS_* variables). */
struct cli_source {
	const char *path;          /* the file, or how the text is named in
				      messages ("--endpoint") */
	const char *text;          /* quick-start YAML; NULL: read path */
	struct conf_overrides ov;  /* applied after loading */
};

/* explain's operands and options. */
struct explain_args {
	const char *name;
	const char *type;    /* NULL: A */
	const char *from;    /* NULL: 127.0.0.1 */
	const char *inbound; /* VPC id or NULL */
	bool verbose;        /* --verbose: the response packet too */
};

/**
 * cli_load() - load the configuration of @src, apply its overrides and
 * build its views, printing every error to stderr.
 * Return: VPC_OK with *@cf and *@vs owned by the caller (view_set_free(),
 * conf_free()), else an enum vpc_err.
 */
int cli_load(const struct cli_source *src, struct conf **cf,
	     struct view_set **vs);

/**
 * cli_read_input() - all of the file @path, or of standard input for
 * "-": a file, a pipe (`<(aws ...)`, /dev/stdin) or a terminal, at most
 * 64 MiB; on failure the reason is printed to stderr ("vpcdns: cannot
 * read FILE: ...").
 * Return: the text, NUL-terminated, with *@len its length, owned by the
 * caller (free()); NULL on failure.
 */
char *cli_read_input(const char *path, size_t *len);

/**
 * cli_zone_writer - writes zone @z, served to the clients of VPC number
 * @vpc of @cf (and @vs), to @fp.  Return: VPC_OK or an enum vpc_err.
 */
typedef int (*cli_zone_writer)(void *arg, const struct view_set *vs,
			       const struct conf *cf, size_t vpc,
			       const struct zone *z, FILE *fp);

/**
 * cli_export() - what both export formats share (SPEC Part 2): load
 * @src and write every zone a client inside each VPC is served (hosted
 * zones, managed private DNS zones, vpce names; not the computed EC2
 * names) with @write, one file per zone, DIR/<vpc-id>/<zone>@ext.  Zones
 * served only through inbound endpoints are not what a client inside the
 * VPC sees, so they are left out.
 * Return: DAEMON_EXIT_OK; DAEMON_EXIT_CONFIG when the configuration does
 * not load; DAEMON_EXIT_RUNTIME when a file cannot be written.
 */
int cli_export(const struct cli_source *src, const char *dir,
	       const char *ext, cli_zone_writer write, void *arg);

/* vpcdns check [--list]: validate and summarize what would be served;
 * @list: every record of every zone too. */
int cmd_check(const struct cli_source *src, bool list);

/* vpcdns export DIR: the zones a client inside each VPC is served. */
int cmd_export(const struct cli_source *src, const char *dir);

/* vpcdns explain NAME [TYPE]: what decides an answer. */
int cmd_explain(const struct cli_source *src, const struct explain_args *ea);

/* vpcdns export --format route53-json DIR: the zones as change batches. */
int cmd_export_route53(const struct cli_source *src, const char *dir);

/* vpcdns import --route53 FILE | --terraform FILE: YAML on stdout. */
int cmd_import_route53(bool terraform, const char *file);

/* vpcdns import ENDPOINTS.json [INTERFACES.json]: YAML on stdout. */
int cmd_import(const char *endpoints, const char *interfaces,
	       const char *instances);

/* vpcdns [-c FILE | --endpoint ...]: run the daemon; @user: --user or
 * NULL. */
int cmd_run(const struct cli_source *src, const char *user);

#endif /* RESOLVER_CLI_CLI_H */
