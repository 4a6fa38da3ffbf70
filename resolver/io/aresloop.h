/*
 * resolver/io/aresloop.h - one c-ares channel driven from a libuv loop.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The plumbing fwd.c (forwarding) and hostres.c (host names) share:
 * c-ares tells which sockets it wants watched through its socket-state
 * callback (ARES_OPT_SOCK_STATE_CB with aresloop_sock_state() and the
 * struct aresloop as its data); each socket gets a uv_poll_t, whose
 * events go to ares_process_fd(); one uv_timer_t fires at ares_timeout()
 * so that c-ares can expire and retry queries.  The owner embeds a
 * struct aresloop, creates the channel and calls aresloop_arm() after
 * each query it starts.  Loop thread only.
 */
#ifndef RESOLVER_IO_ARESLOOP_H
#define RESOLVER_IO_ARESLOOP_H

#include <stdbool.h>
#include <stddef.h>

#include <ares.h>
#include <uv.h>

struct aresloop_poller;
struct conf_sockaddr;

struct aresloop {
	uv_loop_t *loop;
	ares_channel ares;                /* owned once set; NULL: none yet */
	uv_timer_t timer;                 /* at ares_timeout(); its data is
					     the owner's (the close callback
					     of aresloop_destroy() gets it) */
	struct aresloop_poller *pollers;  /* one per socket c-ares watches */
	bool closing;                     /* aresloop_destroy() ran */
};

/**
 * aresloop_init() - initialise @al on @loop (the timer; no channel yet).
 * Set al->ares with ares_init_options() and o.sock_state_cb =
 * aresloop_sock_state, o.sock_state_cb_data = @al.
 */
void aresloop_init(struct aresloop *al, uv_loop_t *loop);

/** aresloop_sock_state() - the c-ares socket-state callback; @data is
 * the struct aresloop. */
void aresloop_sock_state(void *data, ares_socket_t fd, int readable,
			 int writable);

/**
 * aresloop_set_servers() - make @s (@n addresses with ports) the servers
 * of @ares, in this order; none when @n is 0.
 * Return: the c-ares status (ARES_SUCCESS, ARES_ENOMEM...).
 */
int aresloop_set_servers(ares_channel ares, const struct conf_sockaddr *s,
			 size_t n);

/** aresloop_arm() - (re)start the timer at ares_timeout(); call after
 * starting a query.  Nothing once closing. */
void aresloop_arm(struct aresloop *al);

/**
 * aresloop_destroy() - ares_destroy() the channel (every pending callback
 * runs with ARES_EDESTRUCTION, every socket is reported closed), close
 * the pollers left and the timer; @closed runs from the timer's close
 * callback, when @al's memory may go.
 */
void aresloop_destroy(struct aresloop *al, uv_close_cb closed);

#endif /* RESOLVER_IO_ARESLOOP_H */
