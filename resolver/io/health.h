/*
 * resolver/io/health.h - run the TCP and HTTP health checks of the
 * configuration on the libuv loop.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Each `health-checks:` entry of type tcp or http (issue 11) gets a timer
 * on the loop; every interval it opens a TCP connection to the address
 * (and for http sends GET and reads the status line) off the query path,
 * and after failure-threshold results that disagree with the current
 * status flips the entry of the data set's health table
 * (engine/policy.h), which the engine reads when it answers.  Loop
 * thread only.  A struct health belongs to one data set and must be
 * stopped before that data set's health table is freed.
 */
#ifndef RESOLVER_IO_HEALTH_H
#define RESOLVER_IO_HEALTH_H

#include <uv.h>

struct conf;
struct policy_health;
struct health;

/**
 * health_start() - start the checks of @cf on @loop, writing to @table.
 * @out: [out] the running checks, or NULL when @cf has none to run.
 * Return: VPC_OK or VPC_ENOMEM (nothing runs then).
 */
int health_start(uv_loop_t *loop, const struct conf *cf,
		 struct policy_health *table, struct health **out);

/**
 * health_stop() - stop every check; @table is not written again.  The
 * memory goes when libuv has closed the handles.  NULL is a no-op.
 */
void health_stop(struct health *h);

#endif /* RESOLVER_IO_HEALTH_H */
