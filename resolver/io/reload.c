/*
 * resolver/io/reload.c - reloading the configuration: SIGHUP and
 * watch: true start it, a worker thread builds the new data set, and the
 * loop thread starts it and swaps it in.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Owns the reload worker (one at a time; a request during a reload runs
 * one more after it), what a reload carries over from the running data
 * set (resolved host names, health-check states), the change log, and
 * the list of watched files.  The old data set stays referenced by the
 * queries in flight on it and is freed by io/dataset.c's reaper.
 */
#include "config.h"

#include "io/reload.h"

#include <sys/stat.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "engine/metrics.h"
#include "engine/policy.h"
#include "engine/view.h"
#include "io/daemon.h"
#include "io/daemon_internal.h"
#include "io/dataset.h"
#include "io/notify.h"
#include "io/reloadlog.h"
#include "io/watch.h"
#include "io/worker.h"
#include "util/err.h"
#include "util/log.h"

static bool
same_listeners(const struct conf *a, const struct conf *b)
{
	if (a->n_listen != b->n_listen)
		return false;
	for (size_t i = 0; i < a->n_listen; i++)
		if (a->listen[i].addr.len != b->listen[i].addr.len ||
		    memcmp(&a->listen[i].addr.ss, &b->listen[i].addr.ss,
			   a->listen[i].addr.len) != 0)
			return false;
	return true;
}

/* A reload keeps what the checks learnt: a check of the same id starts
 * at its last status, not at the configured one. */
static void
keep_health(const struct dataset *old, struct dataset *ds)
{
	const struct policy_health *o = old->views->health;
	struct policy_health *n = ds->views->health;

	for (size_t i = 0; i < n->n; i++) {
		size_t j = policy_health_index(o, n->conf->health_checks[i].id);

		if (j != SIZE_MAX &&
		    n->conf->health_checks[i].type != CONF_HC_STATIC &&
		    o->conf->health_checks[j].type != CONF_HC_STATIC)
			n->up[i] = o->up[j];
	}
}

static void log_reloaded(const struct dataset *old,
			 const struct dataset *ds);

/* Every worker has taken the new data set (the reload is complete for
 * queries): what the workers carried over of their caches
 * (worker_adopt()), and the change log.  Then the old data set goes. */
void
reload_announce(struct daemon *d, bool all)
{
	struct dataset *old = d->reload_old, *ds = d->data;

	if (old == NULL ||
	    (!all && __atomic_load_n(&ds->adopted, __ATOMIC_ACQUIRE) <
			     d->n_workers))
		return;
	d->reload_old = NULL;
	if (__atomic_load_n(&ds->carried, __ATOMIC_ACQUIRE))
		log_notice("daemon: reload: cache: kept=%zu regrouped=%zu "
			   "gone=%zu local=%zu",
			   __atomic_load_n(&ds->carry.kept, __ATOMIC_RELAXED),
			   __atomic_load_n(&ds->carry.regrouped,
					   __ATOMIC_RELAXED),
			   __atomic_load_n(&ds->carry.gone, __ATOMIC_RELAXED),
			   __atomic_load_n(&ds->carry.local, __ATOMIC_RELAXED));
	log_reloaded(old, ds);
	dataset_unref(d, old);
}

static void
log_reloaded(const struct dataset *old, const struct dataset *ds)
{
	reloadlog_diff(old->views, ds->views);
	log_notice("daemon: reloaded vpcs=%zu zones=%zu (was %zu) "
		   "forwarder-groups=%zu (was %zu)",
		   ds->conf->n_vpcs, ds->views->n_zones, old->views->n_zones,
		   ds->n_groups, old->n_groups);
}

static void
on_watch(void *arg, const char *file)
{
	struct daemon *d = arg;

	log_notice("daemon: watch: %s changed", file);
	reload_start(d);
}

static void
add_path(const char **paths, size_t *n, size_t cap, const char *p)
{
	if (p != NULL && *n < cap)
		paths[(*n)++] = p;
}

static size_t
policy_paths(const struct conf_hosted_zone *hz, size_t n_hz,
	     const struct conf_fw_rule *fw, size_t n_fw, const char **paths,
	     size_t n, size_t cap)
{
	for (size_t i = 0; i < n_hz; i++)
		add_path(paths, &n, cap, hz[i].file);
	for (size_t i = 0; i < n_fw; i++)
		add_path(paths, &n, cap, fw[i].domains_file);
	return n;
}

/* The directory (with a trailing '/', watch_new()'s mark) that new
 * snippets of an include: entry appear in: the entry itself when it is a
 * directory, else the directory of the file or pattern. */
static char *
include_dir(const char *inc)
{
	struct stat st;
	char *copy, *out;
	size_t len;

	if (stat(inc, &st) == 0 && S_ISDIR(st.st_mode)) {
		len = strlen(inc);
		if ((out = malloc(len + 2)) != NULL)
			snprintf(out, len + 2, "%s%s", inc,
				 len > 0 && inc[len - 1] == '/' ? "" : "/");
		return out;
	}
	if ((copy = strdup(inc)) == NULL)
		return NULL;
	len = strlen(dirname(copy));
	out = malloc(len + 2);
	if (out != NULL)
		snprintf(out, len + 2, "%s/", dirname(copy));
	free(copy);
	return out;
}

/* watch: true: the files of the running configuration, again after each
 * reload (the list may have changed). */
void
reload_watch_files(struct daemon *d)
{
	const struct conf *cf = d->data->conf;
	const char **paths;
	char **dirs;
	size_t n = 0, cap = 1;

	watch_free(d->watch);
	d->watch = NULL;
	if (!cf->watch)
		return;
	for (size_t i = 0; i < cf->n_vpcs; i++)
		cap += cf->vpcs[i].n_hosted_zones + cf->vpcs[i].n_firewall;
	for (size_t i = 0; i < cf->n_profiles; i++)
		cap += cf->profiles[i].n_hosted_zones +
		       cf->profiles[i].n_firewall;
	cap += cf->n_files + cf->n_include;
	if ((paths = calloc(cap, sizeof(*paths))) == NULL)
		return;
	if ((dirs = calloc(cf->n_include + 1, sizeof(*dirs))) == NULL) {
		free(paths);
		return;
	}
	if (d->opt->conf_text == NULL)
		add_path(paths, &n, cap, d->opt->conf_path);
	/* include: the snippets read, and the directories new ones may
	 * appear in (a pattern's directory). */
	for (size_t i = 0; i < cf->n_files; i++)
		add_path(paths, &n, cap, cf->files[i]);
	for (size_t i = 0; i < cf->n_include; i++)
		if ((dirs[i] = include_dir(cf->include[i])) != NULL)
			add_path(paths, &n, cap, dirs[i]);
	for (size_t i = 0; i < cf->n_vpcs; i++)
		n = policy_paths(cf->vpcs[i].hosted_zones,
				 cf->vpcs[i].n_hosted_zones, cf->vpcs[i].firewall,
				 cf->vpcs[i].n_firewall, paths, n, cap);
	for (size_t i = 0; i < cf->n_profiles; i++)
		n = policy_paths(cf->profiles[i].hosted_zones,
				 cf->profiles[i].n_hosted_zones,
				 cf->profiles[i].firewall,
				 cf->profiles[i].n_firewall, paths, n, cap);
	if (watch_new(&d->loop, paths, n, on_watch, d, &d->watch) == VPC_OK)
		log_info("daemon: watching %zu file(s)", n);
	for (size_t i = 0; i < cf->n_include; i++)
		free(dirs[i]);
	free(dirs);
	free(paths);
}

static void
reload_work(uv_work_t *req)
{
	struct daemon *d = req->data;

	d->reload_ds = NULL;
	if (dataset_build(d->opt, d->reload_known, d->n_reload_known,
			  &d->reload_ds, &d->reload_errs) != VPC_OK)
		d->reload_ds = NULL;
}

/* Back on the loop thread: start the new data set and swap it in. */
static void
reload_done(uv_work_t *req, int status)
{
	struct daemon *d = req->data;
	struct dataset *ds = d->reload_ds, *old = d->data;

	d->reloading = false;
	free(d->reload_known);
	d->reload_known = NULL;
	d->n_reload_known = 0;
	dataset_log_errors(&d->reload_errs);
	conf_errors_cleanup(&d->reload_errs);
	if (status != 0 || d->stopping) {
		dataset_free(ds);
		return;
	}
	if (ds != NULL) {
		dataset_carry_hosts(ds, old);
		if (dataset_effective(ds) != VPC_OK) {
			dataset_free(ds);
			ds = NULL;
		}
	}
	if (ds != NULL && dataset_start(d, ds) != VPC_OK) {
		dataset_free(ds);
		ds = NULL;
	}
	if (ds == NULL) {
		log_err("daemon: reload rejected, keeping the running "
			"configuration");
		metrics_bump(&d->workers[0].metrics.reload_failures, 1);
	} else {
		metrics_bump(&d->workers[0].metrics.reloads, 1);
		keep_health(old, ds);
		/* A reload the workers have not all taken yet is complete
		 * enough: this one replaces it. */
		reload_announce(d, true);
		if (!same_listeners(old->conf, ds->conf))
			log_warn("daemon: listen changes take effect on restart");
		if (worker_count(old->conf) != worker_count(ds->conf))
			log_warn("daemon: workers changes take effect on "
				 "restart");
		ds->next = d->live;
		d->live = ds;
		d->data = ds;
		/* The main thread's reference on @old stays until every
		 * worker has moved on (reload_announce()). */
		d->reload_old = old;
		for (unsigned i = 0; i < d->n_workers; i++)
			worker_post(&d->workers[i], ds);
		dataset_probe(d);
		dataset_host_tick(d);
		reload_watch_files(d);
	}
	notify_send("READY=1\nSTATUS=serving");
	if (d->reload_again) {
		d->reload_again = false;
		reload_start(d);
	}
}

/* Load and check the new data set in a worker thread, so queries keep
 * being answered from the running one meanwhile (with 20,000 zones a
 * load takes seconds); a request during a reload starts one more after
 * it, since the files (or the endpoint host names) may have changed
 * again.  The worker gets a copy of what the endpoint host names resolve
 * to now. */
static void
begin(struct daemon *d, bool tell_manager)
{
	if (d->stopping)
		return;
	if (d->reloading) {
		d->reload_again = true;
		return;
	}
	if (d->data != NULL &&
	    dataset_known(d->data, &d->reload_known, &d->n_reload_known) !=
		    VPC_OK) {
		log_err("daemon: out of memory: no reload");
		return;
	}
	if (tell_manager)
		notify_send("RELOADING=1\nSTATUS=reloading");
	d->reloading = true;
	d->reload_req.data = d;
	if (uv_queue_work(&d->loop, &d->reload_req, reload_work,
			  reload_done) != 0) {
		d->reloading = false;
		free(d->reload_known);
		d->reload_known = NULL;
		d->n_reload_known = 0;
		log_err("daemon: cannot start a reload worker");
		notify_send("READY=1");
	}
}

/* SIGHUP, or a watched file changed. */
void
reload_start(struct daemon *d)
{
	if (!d->stopping && !d->reloading)
		log_notice("daemon: reloading %s", d->opt->conf_path);
	begin(d, true);
}

void
reload_rebuild(struct daemon *d, const char *host)
{
	if (!d->stopping && !d->reloading)
		log_notice("daemon: endpoint host name %s has new addresses: "
			   "building the data set again from %s",
			   host, d->opt->conf_path);
	begin(d, false);
}
