/*
 * resolver/engine/view.h - views: which zones and forwarders answer a client.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A view is what one kind of client sees (SPEC 1.6): the clients of a VPC
 * see its private hosted zones and managed private DNS zones, queries
 * through the VPC's inbound resolver endpoint see those plus the zones
 * served only to inbound queries (SPEC 1.3), and everyone, outside
 * clients included, sees the endpoint-specific vpce names.  A view is a
 * short list of zone sets searched together; the longest matching apex
 * wins.  view_set_build() turns a configuration into views, loading every
 * zone file and synthesizing every endpoint's records; the result is
 * immutable and owned by the caller until view_set_free().  view_select()
 * picks the view of a query from its listener and source address.
 */
#ifndef RESOLVER_ENGINE_VIEW_H
#define RESOLVER_ENGINE_VIEW_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "dns/wire.h"

struct conf;
struct conf_errors;
struct conf_rule;
struct fastpath;
struct firewall;
struct policy_health;
struct validator_anchors;
struct validator_cache;
struct zone;
struct zoneset;

/* Forwarder group of the default upstreams (conf->upstreams). */
#define VIEW_FWD_DEFAULT 0

#define VIEW_MAX_ZONESETS 3

/* A resolver rule of a view (SPEC 1.5): names at or below @domain are
 * forwarded to forwarder group @group (forward rule) or to the default
 * upstreams (system rule). */
struct view_rule {
	uint8_t domain[WIRE_MAX_NAME_LEN]; /* lower-case wire name */
	size_t len;
	bool system;                       /* a system rule */
	uint32_t group;                    /* forward: its group; system:
					      VIEW_FWD_DEFAULT */
	const struct conf_rule *conf;      /* borrowed, for explanations */
};

/* The targets of one forwarder group; group 0 is the default upstreams
 * (conf->upstreams, or /etc/resolv.conf when there are none). */
struct view_group {
	struct conf_sockaddr *addrs;       /* owned */
	size_t n_addrs;
	const struct conf_rule *rule;      /* the forward rule of these
					      targets (its protocol, DoH
					      settings), borrowed; NULL for
					      the default upstreams and
					      delegate rules (Do53) */
	const char **hosts;                /* owned array of borrowed
					      "HOST[:PORT]" strings of the
					      conf that view_set_build_lazy()
					      left to the edge to resolve;
					      NULL when none */
	size_t n_hosts;
};

/**
 * view_resolve_fn - turn a host name of a forward target into addresses
 * (the edge supplies getaddrinfo(); the core never does I/O).
 * @host: [in] the name; @port: [in] port to set.
 * @out:  [out] up to @max addresses.
 * Return: the number of addresses written, 0 when the name does not
 * resolve.
 */
typedef size_t (*view_resolve_fn)(const char *host, uint16_t port,
				  struct conf_sockaddr *out, size_t max);

/**
 * view_addr_fn - the addresses an endpoint's host name has now (a subnet
 * `ipv4: localstack`); the edge looks them up and never blocks here.
 * @family: [in] AF_INET (A records: 4 bytes in each @out) or AF_INET6
 *          (AAAA: 16 bytes).
 * @out:    [out] up to @max addresses, network order.
 * Return: the number written; 0 while the name has not resolved (its
 * endpoint's names are then SERVFAIL: zone->pending).
 */
typedef size_t (*view_addr_fn)(void *arg, const char *host, int family,
			       uint8_t (*out)[16], size_t max);

/* How view_set_build_opts() builds: see view_set_build_lazy(). */
struct view_build_opts {
	view_resolve_fn resolve;       /* forward targets; NULL: none */
	bool lazy;                     /* leave host-name targets to the
					  edge (groups' hosts) */
	view_addr_fn endpoint_addrs;   /* NULL: a host-named endpoint
					  address never resolves */
	void *endpoint_arg;
};

/* Forwarded names at or below @apex lose their answer RRs of one type:
 * an S3 or DynamoDB gateway endpoint's dns-record-ip-type (SPEC 1.5a). */
struct view_filter {
	uint8_t apex[WIRE_MAX_NAME_LEN]; /* lower-case wire name */
	size_t apex_len;
	uint16_t drop_type;              /* WIRE_TYPE_A or WIRE_TYPE_AAAA */
};

struct view {
	const char *vpc_id;       /* borrowed from the conf; NULL: outside */
	const struct zoneset *zonesets[VIEW_MAX_ZONESETS]; /* borrowed from
				     the view set, searched together */
	size_t n_zonesets;
	uint32_t fwd_group;       /* forwarder group for names not local */
	size_t conf_index;        /* index in conf->vpcs, SIZE_MAX outside */
	bool inbound;             /* the view of an inbound endpoint */
	const struct view_filter *filters; /* borrowed; NULL when none */
	size_t n_filters;
	const struct view_rule *rules;     /* borrowed; NULL when none */
	size_t n_rules;
	const struct firewall *firewall;   /* borrowed; NULL when none */
	const char *region;                /* the VPC's Region, NULL outside */
	const struct validator_anchors *anchors; /* dnssec-validation: true:
					      the trust anchors (borrowed
					      from the conf); NULL: the VPC
					      does not validate */
	struct validator_cache *keys;      /* with anchors: the data set's
					      validated keys, borrowed */
};

/* The zones of one VPC. */
struct view_vpc_zones {
	struct zoneset *zones;        /* hosted zones and managed private
					 DNS zones, owned */
	struct zoneset *inbound_only; /* zones answered only through the
					 VPC's inbound endpoints, owned */
	struct view_filter *filters;  /* owned array */
	size_t n_filters;
	struct view_rule *rules;      /* owned: the VPC's and its profiles'
					 rules, one per domain */
	size_t n_rules;
	struct firewall *firewall;    /* owned; NULL when no rules */
};

struct view_set {
	const struct conf *conf;  /* borrowed; must outlive the set */
	struct view *vpcs;        /* one per conf->vpcs entry, same order */
	struct view *inbound;     /* the same VPCs seen through an inbound
				     resolver endpoint */
	struct view_vpc_zones *vpc_zones; /* per VPC, owned */
	size_t n_vpcs;
	struct zoneset *vpce;     /* endpoint-specific names, every view */
	struct view_group *groups; /* forwarder groups, [0] = default */
	size_t n_groups;
	struct view outside;      /* clients of no VPC */
	const struct view *fallback; /* view of clients matching no VPC's
					clients ranges: the VPC without
					`clients`, else &outside */
	size_t n_zones;           /* zones loaded or synthesized */
	struct policy_health *health; /* owned: health of the configured
				     health checks (engine/policy.h),
				     updated by io/health.c */
	bool lazy;                /* host names left in groups' hosts */
	struct fastpath *fast;    /* owned: precomputed static answers
				     (engine/fastpath.h), NULL when none */
	view_addr_fn endpoint_addrs; /* for endpoint_build(); may be NULL */
	void *endpoint_arg;
	size_t n_pending;         /* endpoint host names without addresses */
	struct validator_cache *keys; /* owned: DNSKEY sets validated for
				     the VPCs that validate; NULL when none */
};

/* Listener tag for a query that did not arrive on an inbound listener. */
#define VIEW_NOT_INBOUND SIZE_MAX

/**
 * view_set_build_resolving() - build the views of @cf, loading every
 * zone file.
 * @cf:   [in] configuration; borrowed by the result.
 * @resolve: [in] resolver for host-name forward targets, or NULL (then
 *        such targets are errors).
 * @out:  [out] the views, owned by the caller, on success.
 * @errs: [in,out] every problem appended as "file:line: message".
 * Return: VPC_OK; VPC_ECONFIG when something was appended; VPC_ENOMEM.
 */
int view_set_build_resolving(const struct conf *cf, view_resolve_fn resolve,
			     struct view_set **out, struct conf_errors *errs);

/**
 * view_set_build_lazy() - as view_set_build_resolving(), but host-name
 * forward targets and upstreams (conf->upstream_hosts) are not resolved:
 * each group lists them in @hosts for the edge, which resolves them when
 * it can (so start order does not matter) and adds the addresses itself.
 * @resolve still serves what must be known at load (a delegate rule's
 * name servers).
 */
int view_set_build_lazy(const struct conf *cf, view_resolve_fn resolve,
			struct view_set **out, struct conf_errors *errs);

/**
 * view_set_build_opts() - the builds above with every option, and the
 * addresses of endpoint host names (@o->endpoint_addrs).
 */
int view_set_build_opts(const struct conf *cf,
			const struct view_build_opts *o,
			struct view_set **out, struct conf_errors *errs);

/** view_set_build() - view_set_build_resolving() without a resolver. */
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

/**
 * view_find_zone() - the zone of @v that answers the lower-case wire name
 * @lname: the longest apex among the view's zone sets that owns the name
 * (zone_owns()); on a tie the earlier zone set wins.
 * Return: a borrowed zone, or NULL when the name is not local.
 */
const struct zone *view_find_zone(const struct view *v, const uint8_t *lname,
				  size_t len);

/**
 * view_add_filter() - add a forward filter to a VPC's zones (the views
 * are linked to it by view_set_build()).
 * Return: VPC_OK or VPC_ENOMEM.
 */
int view_add_filter(struct view_vpc_zones *vz, const uint8_t *apex,
		    size_t len, uint16_t drop_type);

/**
 * view_find_rule() - the rule of @v with the longest domain at or above
 * the lower-case wire name @lname, or NULL.
 */
const struct view_rule *view_find_rule(const struct view *v,
				       const uint8_t *lname, size_t len);

/**
 * view_allowed() - whether a client at @src may query (conf->allow_query;
 * SPEC: no open resolver by accident).  Queries through an inbound
 * resolver endpoint (@inbound < n_vpcs) are always allowed: on-premises
 * resolvers are what it is for.  An empty conf->allow_query (only a
 * hand-built configuration has one; the parser fills the default)
 * allows everyone.
 */
bool view_allowed(const struct view_set *vs, const struct sockaddr *src,
		  size_t inbound);

/**
 * view_is_local() - whether @src is a loopback address or inside some
 * VPC's `clients` or `cidr-blocks` (response rate limiting spares those).
 */
bool view_is_local(const struct view_set *vs, const struct sockaddr *src);

/**
 * view_drop_type() - the RR type forwarded answers for @lname lose in @v,
 * or 0.
 */
uint16_t view_drop_type(const struct view *v, const uint8_t *lname,
			size_t len);

/** view_set_free() - release the views and their zones; NULL-safe. */
void view_set_free(struct view_set *vs);

#endif /* RESOLVER_ENGINE_VIEW_H */
