/*
 * resolver/cli/cli.c - what the subcommands share: loading a configuration.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * cli_load() is the one way a subcommand reads a configuration: the same
 * conf_load_file() (through io/files.h's reader) and view build as the
 * daemon, errors printed to stderr.  cli_export() is the walk both
 * export formats share.
 */
#include "config.h"

#include "cli/cli.h"

#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "engine/zoneset.h"
#include "io/daemon.h"
#include "io/files.h"
#include "util/err.h"
#include "util/log.h"

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

/* AWS CLI output of thousands of endpoints, a Route 53 or Terraform
 * export, fits easily; the bound keeps a runaway pipe from filling
 * memory. */
#define CLI_MAX_INPUT (64u << 20)

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
		if (cap >= CLI_MAX_INPUT) {
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

char *
cli_read_input(const char *path, size_t *len)
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

/* The files of one zone set into @dir. */
static int
export_set(const char *dir, const char *ext, const struct zoneset *zs,
	   const struct view_set *vs, const struct conf *cf, size_t vpc,
	   cli_zone_writer write, void *arg)
{
	char path[PATH_MAX], name[LOG_NAME_MAX];

	for (size_t i = 0; i < zoneset_count(zs); i++) {
		const struct zone *z = zoneset_get(zs, i);
		FILE *fp;
		int rc;

		/* EC2 hostnames and their reverse names are computed, not
		 * stored: a file could only hold their SOA. */
		if (z->synth != ZONE_SYNTH_NONE)
			continue;
		log_name(z->apex, z->apex_len, name);
		name[strlen(name) - 1] = '\0'; /* no trailing dot */
		snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
		if ((fp = fopen(path, "w")) == NULL) {
			fprintf(stderr, "vpcdns: cannot write %s: %s\n", path,
				strerror(errno));
			return VPC_EIO;
		}
		rc = write(arg, vs, cf, vpc, z, fp);
		if (fclose(fp) != 0 || rc != VPC_OK) {
			fprintf(stderr, "vpcdns: cannot write %s\n", path);
			return VPC_EIO;
		}
	}
	return VPC_OK;
}

int
cli_export(const struct cli_source *src, const char *dir, const char *ext,
	   cli_zone_writer write, void *arg)
{
	struct conf *cf = NULL;
	struct view_set *vs = NULL;
	char sub[PATH_MAX];
	int rc = cli_load(src, &cf, &vs);

	/* SPEC Part 2: a configuration that does not load (unreadable
	 * included) is exit 1, as for check and explain; 3 is for writing. */
	if (rc != VPC_OK) {
		view_set_free(vs);
		conf_free(cf);
		return DAEMON_EXIT_CONFIG;
	}
	for (size_t i = 0; rc == VPC_OK && i < vs->n_vpcs; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", dir, cf->vpcs[i].id);
		if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
		    (mkdir(sub, 0755) != 0 && errno != EEXIST)) {
			fprintf(stderr, "vpcdns: cannot create %s: %s\n", sub,
				strerror(errno));
			rc = VPC_EIO;
			break;
		}
		rc = export_set(sub, ext, vs->vpc_zones[i].zones, vs, cf, i,
				write, arg);
		if (rc == VPC_OK)
			rc = export_set(sub, ext, vs->vpce, vs, cf, i, write,
					arg);
	}
	view_set_free(vs);
	conf_free(cf);
	if (rc == VPC_OK)
		return DAEMON_EXIT_OK;
	return rc == VPC_EIO ? DAEMON_EXIT_RUNTIME : DAEMON_EXIT_CONFIG;
}
