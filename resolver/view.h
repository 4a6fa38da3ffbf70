/*
 * resolver/view.h - views: which zones and forwarders answer a client.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A view is what one kind of client sees: the clients of a VPC see its
 * private hosted zones; clients outside every VPC see only public data.
 * view_set_build() turns a configuration into views, loading every zone
 * file; the result is immutable and owned by the caller until
 * view_set_free().  view_select() picks the view of a query from its
 * listener and source address.
 */
#ifndef RESOLVER_VIEW_H
#define RESOLVER_VIEW_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

struct conf;
struct conf_errors;
struct zoneset;

/* Forwarder group of the default upstreams (conf->upstreams). */
#define VIEW_FWD_DEFAULT 0

struct view {
	const char *vpc_id;       /* borrowed from the conf; NULL: outside */
	struct zoneset *zones;    /* owned; may be empty */
	uint32_t fwd_group;       /* forwarder group for names not local */
	size_t conf_index;        /* index in conf->vpcs, SIZE_MAX outside */
};

struct view_set {
	const struct conf *conf;  /* borrowed; must outlive the set */
	struct view *vpcs;        /* one per conf->vpcs entry, same order */
	size_t n_vpcs;
	struct view outside;      /* clients of no VPC */
	const struct view *fallback; /* view of clients matching no VPC's
					clients ranges: the VPC without
					`clients`, else &outside */
	size_t n_zones;           /* zones loaded, for the summary */
};

/* Listener tag for a query that did not arrive on an inbound listener. */
#define VIEW_NOT_INBOUND SIZE_MAX

/**
 * view_set_build() - build the views of @cf, loading every zone file.
 * @cf:   [in] configuration; borrowed by the result.
 * @out:  [out] the views, owned by the caller, on success.
 * @errs: [in,out] every problem appended as "file:line: message".
 * Return: VPC_OK; VPC_ECONFIG when something was appended; VPC_ENOMEM.
 */
int view_set_build(const struct conf *cf, struct view_set **out,
		   struct conf_errors *errs);

/**
 * view_select() - the view that answers a query.
 * @vs:      [in] the views.
 * @src:     [in] client address (AF_INET or AF_INET6).
 * @inbound: [in] index in conf->vpcs of the VPC whose inbound resolver
 *           endpoint received the query, or VIEW_NOT_INBOUND.
 * Return: a borrowed view, never NULL.
 */
const struct view *view_select(const struct view_set *vs,
			       const struct sockaddr *src, size_t inbound);

/** view_set_free() - release the views and their zones; NULL-safe. */
void view_set_free(struct view_set *vs);

#endif /* RESOLVER_VIEW_H */
