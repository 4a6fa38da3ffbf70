/*
 * resolver/io/reloadlog.h - what a reload changed, for the log.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * After a reload the operator wants to know what it did: which VPCs,
 * zones (and zone serials), endpoints and rules were added, removed or
 * changed.  reloadlog_diff() compares the old and the new data (views
 * and their configuration) and logs one notice line per change, then a
 * summary; it changes nothing.  Loop thread only.
 */
#ifndef RESOLVER_IO_RELOADLOG_H
#define RESOLVER_IO_RELOADLOG_H

#include <stddef.h>

struct view_set;

/**
 * reloadlog_diff() - log the differences from @old to @new; at most a
 * few dozen lines, then a count of the rest.
 * Return: the number of changes found.
 */
size_t reloadlog_diff(const struct view_set *old, const struct view_set *new);

#endif /* RESOLVER_IO_RELOADLOG_H */
