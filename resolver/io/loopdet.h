/*
 * resolver/io/loopdet.h - forwarding loop detection.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Two defences against forwarding to ourselves (a resolv.conf that says
 * "nameserver 127.0.0.1" on the host vpcdns serves, or two resolvers that
 * forward to each other):
 *
 * - loopdet_filter(), at load: an upstream or forward target equal to one
 *   of our listeners (for a 0.0.0.0 or :: listener: any address of a
 *   local interface, same port) is removed, and logged.
 * - loopdet_probe(), at run time, the way CoreDNS's `loop` plugin and
 *   dnsmasq's --dns-loop-detect do: one query per upstream address for a
 *   name of our own, <token>.<g GEN-GROUP-INDEX>.vpcdns-loop-probe.<zone>,
 *   where the token is random per process and <zone> is the forward
 *   rule's domain (the root for the default upstreams), so the probe
 *   takes the path that rule's queries take.  loopdet_seen() recognizes
 *   such a query arriving on a listener: that upstream leads back here.
 *
 * Loop thread only.  The probe socket is this module's; replies to the
 * probes are read and discarded (a reply means no loop, or a loop that
 * already answered: either way the answer is not what is looked at).
 */
#ifndef RESOLVER_IO_LOOPDET_H
#define RESOLVER_IO_LOOPDET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

struct conf;
struct view_group;

/* The label under which every probe name lives. */
#define LOOPDET_LABEL "vpcdns-loop-probe"

struct loopdet;

/**
 * loopdet_filter() - remove from @groups every address that is one of the
 * listeners of @cf; each removal is logged at err level naming
 * @labels[group] ("upstreams", "forward rule corp.internal", ...).
 * @groups: [in,out] the forwarder groups; addresses are compacted in
 *          place (a group may end up empty: its queries get SERVFAIL).
 * Return: how many addresses were removed.
 */
size_t loopdet_filter(const struct conf *cf, struct view_group *groups,
		      size_t n, const char *const *labels);

/**
 * loopdet_new() - the probe sender (two UDP sockets, IPv4 and IPv6, on
 * ephemeral ports).  Return: VPC_OK with *@out, VPC_ENOMEM.
 */
int loopdet_new(uv_loop_t *loop, struct loopdet **out);

/**
 * loopdet_probe() - send one probe to every address of every group.
 * @gen:      [in] the data set generation; loopdet_seen() reports it so
 *            that a late probe of older data can be told apart.
 * @suffixes: [in] per group, the wire name probes go under (the rule's
 *            domain; the root for group 0); borrowed for the call.
 */
void loopdet_probe(struct loopdet *ld, uint32_t gen,
		   const struct view_group *groups, size_t n,
		   const uint8_t *const *suffixes);

/**
 * loopdet_seen() - is @query (a DNS message as received) one of our
 * probes?  Sets *@gen, *@group and *@index of the address it was sent
 * to.  Return: true for our probe.
 */
bool loopdet_seen(const struct loopdet *ld, const uint8_t *query, size_t len,
		  uint32_t *gen, size_t *group, size_t *index);

/** loopdet_close() - close the sockets; memory goes after the loop ran
 * the close callbacks.  NULL is a no-op. */
void loopdet_close(struct loopdet *ld);

#endif /* RESOLVER_IO_LOOPDET_H */
