/*
 * resolver/io/watch.c - reload when a configuration file changes.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * One uv_fs_event_t per distinct directory, one debounce timer.  The
 * struct watch is freed when the last of those handles has closed.
 */
#include "config.h"

#include "io/watch.h"

#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/log.h"

struct wdir {
	uv_fs_event_t ev;
	struct watch *w;
	char dir[PATH_MAX];
};

struct watch {
	uv_timer_t timer;
	struct wdir *dirs;
	size_t n_dirs;
	char **files;             /* the paths, as given */
	char **bases;             /* their last components */
	size_t n_files;
	unsigned open_handles;
	watch_cb cb;
	void *arg;
	const char *changed;      /* one of files, for the callback */
};

static void
closed(uv_handle_t *h)
{
	struct watch *w = h->data;

	if (h->type == UV_FS_EVENT)
		w = ((struct wdir *)h->data)->w;
	if (--w->open_handles > 0)
		return;
	for (size_t i = 0; i < w->n_files; i++) {
		free(w->files[i]);
		free(w->bases[i]);
	}
	free(w->files);
	free(w->bases);
	free(w->dirs);
	free(w);
}

static void
on_quiet(uv_timer_t *t)
{
	struct watch *w = t->data;

	w->cb(w->arg, w->changed != NULL ? w->changed : "?");
	w->changed = NULL;
}

static void
on_event(uv_fs_event_t *h, const char *filename, int events, int status)
{
	struct wdir *d = h->data;
	struct watch *w = d->w;

	(void)events;
	if (status < 0 || filename == NULL)
		return;
	for (size_t i = 0; i < w->n_files; i++) {
		char copy[PATH_MAX];

		snprintf(copy, sizeof(copy), "%s", w->files[i]);
		/* A directory ("DIR/"): any file of it, e.g. a new
		 * include: snippet. */
		if (w->bases[i][0] == '\0') {
			size_t len = strlen(copy);

			if (len > 1 && copy[len - 1] == '/')
				copy[len - 1] = '\0';
			if (strcmp(copy, d->dir) != 0)
				continue;
		} else if (strcmp(filename, w->bases[i]) != 0 ||
			   strcmp(dirname(copy), d->dir) != 0) {
			continue;
		}
		w->changed = w->files[i];
		uv_timer_start(&w->timer, on_quiet, WATCH_DEBOUNCE_MS, 0);
		return;
	}
}

static void
add_dir(struct watch *w, uv_loop_t *loop, const char *path)
{
	char copy[PATH_MAX];
	const char *dir;
	struct wdir *d;
	int rc;

	snprintf(copy, sizeof(copy), "%s", path);
	if (copy[0] != '\0' && copy[strlen(copy) - 1] == '/') {
		copy[strlen(copy) - 1] = '\0'; /* a directory itself */
		dir = copy;
	} else {
		dir = dirname(copy);
	}
	for (size_t i = 0; i < w->n_dirs; i++)
		if (strcmp(w->dirs[i].dir, dir) == 0)
			return;
	d = &w->dirs[w->n_dirs];
	snprintf(d->dir, sizeof(d->dir), "%s", dir);
	d->w = w;
	uv_fs_event_init(loop, &d->ev);
	d->ev.data = d;
	w->n_dirs++;
	w->open_handles++;
	if ((rc = uv_fs_event_start(&d->ev, on_event, d->dir, 0)) != 0)
		log_warn("watch: cannot watch %s: %s", d->dir,
			 uv_strerror(rc));
}

int
watch_new(uv_loop_t *loop, const char *const *paths, size_t n, watch_cb cb,
	  void *arg, struct watch **out)
{
	struct watch *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return VPC_ENOMEM;
	w->files = calloc(n ? n : 1, sizeof(*w->files));
	w->bases = calloc(n ? n : 1, sizeof(*w->bases));
	w->dirs = calloc(n ? n : 1, sizeof(*w->dirs));
	if (w->files == NULL || w->bases == NULL || w->dirs == NULL) {
		free(w->files);
		free(w->bases);
		free(w->dirs);
		free(w);
		return VPC_ENOMEM;
	}
	w->cb = cb;
	w->arg = arg;
	uv_timer_init(loop, &w->timer);
	w->timer.data = w;
	w->open_handles = 1;
	for (size_t i = 0; i < n; i++) {
		char copy[PATH_MAX];

		snprintf(copy, sizeof(copy), "%s", paths[i]);
		if ((w->files[w->n_files] = strdup(paths[i])) == NULL ||
		    (w->bases[w->n_files] =
			 strdup(copy[0] != '\0' &&
					copy[strlen(copy) - 1] == '/'
				    ? ""
				    : basename(copy))) == NULL) {
			free(w->files[w->n_files]);
			break;
		}
		w->n_files++;
		add_dir(w, loop, paths[i]);
	}
	*out = w;
	return VPC_OK;
}

void
watch_free(struct watch *w)
{
	if (w == NULL)
		return;
	uv_timer_stop(&w->timer);
	for (size_t i = 0; i < w->n_dirs; i++)
		uv_close((uv_handle_t *)&w->dirs[i].ev, closed);
	uv_close((uv_handle_t *)&w->timer, closed);
}
