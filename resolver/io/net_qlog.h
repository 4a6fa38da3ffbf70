/*
 * resolver/io/net_qlog.h - the query log writer (edge).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Writes query log lines (qlog_format()) to a file or to stdout without
 * ever blocking the caller: net_qlog_write() copies the line into a bounded
 * in-memory queue (NET_QLOG_QUEUE bytes) and a dedicated writer thread
 * does the write(2) calls.  When the queue is full the line is dropped and
 * counted.  net_qlog_write() and net_qlog_dropped() may be called from any
 * thread; open and close belong to the thread that owns the writer (the
 * loop thread).
 */
#ifndef RESOLVER_IO_NET_QLOG_H
#define RESOLVER_IO_NET_QLOG_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of lines that may wait for the writer thread. */
#define NET_QLOG_QUEUE (4u << 20)

struct net_qlog;

/**
 * net_qlog_open() - open the log and start its writer thread.
 * @path: [in] file to append to (created 0644 if missing), or "-" for
 *        standard output (which net_qlog_close() leaves open).
 * @out:  [out] on success, a new writer owned by the caller, released
 *        with net_qlog_close().
 *
 * Return: VPC_OK; VPC_EIO when the file cannot be opened or the thread
 * cannot be started (errno tells why); VPC_ENOMEM.
 */
int net_qlog_open(const char *path, struct net_qlog **out);

/**
 * net_qlog_write() - queue one line; never blocks on I/O.
 * @q:    [in] the writer; NULL is a no-op (query logging off).
 * @line: [in] @len bytes, copied; a '\n' is added when the line does not
 *        end in one.
 *
 * A line that does not fit in the free part of the queue is dropped and
 * counted (net_qlog_dropped()).
 */
void net_qlog_write(struct net_qlog *q, const char *line, size_t len);

/** net_qlog_dropped() - lines dropped so far (queue full or write error);
 * 0 for NULL. */
uint64_t net_qlog_dropped(const struct net_qlog *q);

/**
 * net_qlog_close() - write out every queued line, stop the thread, close
 * the file and free @q; NULL is a no-op.  Blocks until the queue is
 * written (call it at shutdown, or on reload for the old writer).
 */
void net_qlog_close(struct net_qlog *q);

#endif /* RESOLVER_IO_NET_QLOG_H */
