/*
 * resolver/io/hostres.c - host names of targets, through the system's
 * resolvers but never through vpcdns itself.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * One c-ares channel driven from libuv by io/aresloop.h, as fwd.c's
 * are.  The memory goes when the timer's close callback has run;
 * pollers free themselves.
 */
#include "config.h"

#include "io/hostres.h"

#include <netinet/in.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "conf/conf.h"
#include "io/aresloop.h"
#include "util/err.h"
#include "util/log.h"

struct hostres {
	struct aresloop al;
};

struct lookup {
	hostres_cb cb;
	void *arg;
	uint16_t port;
	struct hostres *hr;
};

static int
set_servers(ares_channel ares, const struct conf_sockaddr *s, size_t n)
{
	int rc;

	if ((rc = aresloop_set_servers(ares, s, n)) != ARES_SUCCESS) {
		log_err("hostres: c-ares refused the nameservers: %s",
			ares_strerror(rc));
		return rc == ARES_ENOMEM ? VPC_ENOMEM : VPC_ECONFIG;
	}
	return VPC_OK;
}

int
hostres_new(uv_loop_t *loop, const struct conf_sockaddr *servers, size_t n,
	    struct hostres **out)
{
	struct hostres *hr = calloc(1, sizeof(*hr));
	struct ares_options o;
	char lookups[] = "fb"; /* /etc/hosts, then DNS */
	ares_channel ares;
	int rc;

	if (hr == NULL)
		return VPC_ENOMEM;
	memset(&o, 0, sizeof(o));
	o.sock_state_cb = aresloop_sock_state;
	o.sock_state_cb_data = &hr->al;
	o.timeout = 2000;
	o.tries = 2;
	o.lookups = lookups;
	rc = ares_init_options(&ares, &o,
			       ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS |
				       ARES_OPT_TRIES | ARES_OPT_LOOKUPS);
	if (rc != ARES_SUCCESS) {
		log_err("hostres: c-ares init failed: %s", ares_strerror(rc));
		free(hr);
		return rc == ARES_ENOMEM ? VPC_ENOMEM : VPC_ECONFIG;
	}
	if ((rc = set_servers(ares, servers, n)) != VPC_OK) {
		ares_destroy(ares);
		free(hr);
		return rc;
	}
	aresloop_init(&hr->al, loop);
	hr->al.ares = ares;
	hr->al.timer.data = hr;
	*out = hr;
	return VPC_OK;
}

static int
status_of(int status)
{
	switch (status) {
	case ARES_ENOTFOUND:
	case ARES_ENODATA:
	case ARES_ENONAME:
		return VPC_ENOTFOUND;
	case ARES_ETIMEOUT:
		return VPC_ETIMEOUT;
	}
	return VPC_EIO;
}

static void
on_addrinfo(void *arg, int status, int timeouts, struct ares_addrinfo *res)
{
	struct lookup *lk = arg;
	struct conf_sockaddr out[HOSTRES_MAX_ADDRS];
	size_t n = 0;
	int ttl = -1;

	(void)timeouts;
	for (struct ares_addrinfo_node *a = res ? res->nodes : NULL;
	     a != NULL && n < HOSTRES_MAX_ADDRS; a = a->ai_next) {
		if ((a->ai_family != AF_INET && a->ai_family != AF_INET6) ||
		    a->ai_addrlen > sizeof(out[n].ss))
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(&out[n].ss, a->ai_addr, a->ai_addrlen);
		out[n].len = a->ai_addrlen;
		if (a->ai_family == AF_INET)
			((struct sockaddr_in *)&out[n].ss)->sin_port =
				htons(lk->port);
		else
			((struct sockaddr_in6 *)&out[n].ss)->sin6_port =
				htons(lk->port);
		if (ttl < 0 || a->ai_ttl < ttl)
			ttl = a->ai_ttl;
		n++;
	}
	if (status == ARES_SUCCESS && n > 0)
		lk->cb(lk->arg, VPC_OK, out, n, ttl > 0 ? (uint32_t)ttl : 0,
		       "");
	else
		lk->cb(lk->arg,
		       status == ARES_SUCCESS ? VPC_ENOTFOUND
					      : status_of(status),
		       NULL, 0, 0,
		       status == ARES_SUCCESS ? "no address"
					      : ares_strerror(status));
	if (res != NULL)
		ares_freeaddrinfo(res);
	free(lk);
}

void
hostres_lookup(struct hostres *hr, const char *host, uint16_t port,
	       hostres_cb cb, void *arg)
{
	struct ares_addrinfo_hints hints = {.ai_family = AF_UNSPEC};
	struct lookup *lk;

	if (hr->al.closing || (lk = malloc(sizeof(*lk))) == NULL) {
		cb(arg, VPC_EIO, NULL, 0, 0, "not started");
		return;
	}
	lk->cb = cb;
	lk->arg = arg;
	lk->port = port;
	lk->hr = hr;
	ares_getaddrinfo(hr->al.ares, host, NULL, &hints, on_addrinfo, lk);
	aresloop_arm(&hr->al);
}

static void
timer_closed(uv_handle_t *h)
{
	free(h->data);
}

void
hostres_free(struct hostres *hr)
{
	if (hr == NULL)
		return;
	/* Every callback runs, sockets are reported closed (aresloop.h). */
	aresloop_destroy(&hr->al, timer_closed);
}
