/*
 * resolver/engine/delegation.h - the name servers a private hosted zone
 * delegates a subdomain to (Route 53 Resolver DELEGATE rules).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * A delegate rule names a domain (AWS: DelegationRecord); the VPC's hosted
 * zones hold NS records for it, and queries at or below it go to the
 * name servers those records name.  This module finds their addresses:
 * A/AAAA records of the name server names in the VPC's zones (glue or
 * not), else the edge's resolver for host names (never vpcdns itself).
 * Pure: it reads finished zones; the caller turns the addresses into a
 * forwarder group.  Done at load, so a reload re-reads them.
 */
#ifndef RESOLVER_ENGINE_DELEGATION_H
#define RESOLVER_ENGINE_DELEGATION_H

#include <stddef.h>
#include <stdint.h>

#include "engine/view.h"

struct conf_sockaddr;
struct zoneset;

/* Room for the reason of a failure, for a file:line message. */
#define DELEGATION_WHY_MAX 512

/**
 * delegation_servers() - addresses of the name servers for @domain.
 * @zs:      [in] the VPC's hosted zones, finished.
 * @domain:  [in] lower-case wire name of the delegated domain; @len bytes.
 * @resolve: [in] host-name resolver of the edge for name servers without
 *           an address in @zs, or NULL for none.
 * @out:     [out] up to @max addresses, port 53 (RFC 1035 §4.2).
 * @n:       [out] how many, written on success.
 * @why:     [out] on failure, the reason (DELEGATION_WHY_MAX bytes).
 * Return: VPC_OK; VPC_ENOTFOUND when no zone of @zs has NS records at
 * @domain below its apex, or when none of the name servers has an
 * address (both explained in @why).
 */
int delegation_servers(const struct zoneset *zs, const uint8_t *domain,
		       size_t len, view_resolve_fn resolve,
		       struct conf_sockaddr *out, size_t max, size_t *n,
		       char why[DELEGATION_WHY_MAX]);

#endif /* RESOLVER_ENGINE_DELEGATION_H */
