/*
 * resolver/io/net_qlog.c - the query log writer (edge).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A byte ring of NET_QLOG_QUEUE bytes guarded by one mutex.  Producers
 * (the loop thread) copy whole lines in under the lock and never wait for
 * space; the writer thread takes the oldest contiguous run, writes it with
 * the lock released (producers only touch the free part of the ring) and
 * then releases the run.  net_qlog_close() sets a flag; the writer drains
 * the ring before it exits, and close joins it.  The writer thread blocks
 * every signal so that signals keep going to the loop thread; with
 * SIGPIPE blocked, a closed pipe shows up as EPIPE and drops lines.
 */
#include "config.h"

#include "io/net_qlog.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"
#include "util/log.h"

struct net_qlog {
	int fd;			   /* output */
	bool own_fd;		   /* close fd at the end (not stdout) */
	pthread_t thread;	   /* the writer */
	pthread_mutex_t lock;	   /* guards the fields below */
	pthread_cond_t cond;	   /* signalled when data or closing comes */
	bool closing;		   /* net_qlog_close() was called */
	size_t head;		   /* offset of the oldest queued byte */
	size_t used;		   /* queued bytes */
	_Atomic uint64_t dropped;  /* lines dropped */
	char ring[NET_QLOG_QUEUE]; /* the queue */
};

static unsigned
count_lines(const char *p, size_t n)
{
	unsigned lines = 0;

	for (size_t i = 0; i < n; i++)
		lines += p[i] == '\n';
	return lines;
}

/*
 * Writes @n bytes, waiting for a non-blocking descriptor to drain.
 * Return: true when everything was written.
 */
static bool
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = {.fd = fd, .events = POLLOUT};

			(void)poll(&pfd, 1, -1);
			continue;
		}
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static void *
writer_main(void *arg)
{
	struct net_qlog *q = arg;
	bool failing = false;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		size_t run;

		while (q->used == 0 && !q->closing)
			pthread_cond_wait(&q->cond, &q->lock);
		if (q->used == 0)
			break;
		run = q->used;
		if (run > NET_QLOG_QUEUE - q->head)
			run = NET_QLOG_QUEUE - q->head;
		pthread_mutex_unlock(&q->lock);
		if (!write_all(q->fd, q->ring + q->head, run)) {
			atomic_fetch_add(&q->dropped,
					 count_lines(q->ring + q->head, run));
			if (!failing)
				log_warn("qlog: write failed, dropping lines "
					 "err=%s",
					 strerror(errno));
			failing = true;
		} else {
			failing = false;
		}
		pthread_mutex_lock(&q->lock);
		q->head = (q->head + run) % NET_QLOG_QUEUE;
		q->used -= run;
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* Starts the writer with every signal blocked (the mask is inherited). */
static int
start_writer(struct net_qlog *q)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&q->thread, NULL, writer_main, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		errno = rc;
		return VPC_EIO;
	}
	return VPC_OK;
}

int
net_qlog_open(const char *path, struct net_qlog **out)
{
	struct net_qlog *q;
	int rc;

	if ((q = calloc(1, sizeof(*q))) == NULL)
		return VPC_ENOMEM;
	if (strcmp(path, "-") == 0) {
		q->fd = STDOUT_FILENO;
	} else {
		q->fd =
		    open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (q->fd < 0) {
			free(q);
			return VPC_EIO;
		}
		q->own_fd = true;
	}
	atomic_init(&q->dropped, 0);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->cond, NULL);
	if ((rc = start_writer(q)) != VPC_OK) {
		int saved = errno;

		pthread_cond_destroy(&q->cond);
		pthread_mutex_destroy(&q->lock);
		if (q->own_fd)
			close(q->fd);
		free(q);
		errno = saved;
		return rc;
	}
	*out = q;
	return VPC_OK;
}

/* Copies @n bytes to the tail of the ring; the caller checked the room. */
static void
ring_put(struct net_qlog *q, const char *p, size_t n)
{
	size_t tail = (q->head + q->used) % NET_QLOG_QUEUE;
	size_t first = NET_QLOG_QUEUE - tail;

	if (first > n)
		first = n;
	memcpy(q->ring + tail, p, first);
	memcpy(q->ring, p + first, n - first);
	q->used += n;
}

void
net_qlog_write(struct net_qlog *q, const char *line, size_t len)
{
	bool nl = len == 0 || line[len - 1] != '\n';
	bool wake;

	if (q == NULL)
		return;
	pthread_mutex_lock(&q->lock);
	if (len > NET_QLOG_QUEUE - 1 ||
	    NET_QLOG_QUEUE - q->used < len + (nl ? 1 : 0)) {
		pthread_mutex_unlock(&q->lock);
		atomic_fetch_add(&q->dropped, 1);
		return;
	}
	wake = q->used == 0;
	ring_put(q, line, len);
	if (nl)
		ring_put(q, "\n", 1);
	pthread_mutex_unlock(&q->lock);
	/* The writer only sleeps on an empty ring. */
	if (wake)
		pthread_cond_signal(&q->cond);
}

uint64_t
net_qlog_dropped(const struct net_qlog *q)
{
	return q == NULL ? 0 : atomic_load(&q->dropped);
}

void
net_qlog_close(struct net_qlog *q)
{
	if (q == NULL)
		return;
	pthread_mutex_lock(&q->lock);
	q->closing = true;
	pthread_cond_signal(&q->cond);
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	pthread_cond_destroy(&q->cond);
	pthread_mutex_destroy(&q->lock);
	if (q->own_fd)
		close(q->fd);
	free(q);
}
