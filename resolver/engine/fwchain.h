/*
 * resolver/engine/fwchain.h - DNS Firewall over an upstream CNAME chain.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * With `redirection: inspect` (AWS INSPECT_REDIRECTION_DOMAIN, the
 * default) every name of a CNAME/DNAME chain must pass the firewall, not
 * just the query name: the engine checks the targets of local CNAMEs as
 * it follows them, and fwchain_inspect() checks the chain an upstream
 * answered (the CNAMEs of its answer section, from the forwarded name on;
 * a DNAME's synthesized CNAME carries the name it leads to, RFC 6672
 * §5.3.1).  A rule with `redirection: trust` that matches a name ends the
 * inspection there.  Pure: normalized RRs in, a decision out.
 */
#ifndef RESOLVER_ENGINE_FWCHAIN_H
#define RESOLVER_ENGINE_FWCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dns/wire.h"

struct conf_fw_rule;
struct firewall;

/* What fwchain_inspect() found. */
struct fwchain_hit {
	const struct conf_fw_rule *rule; /* the deciding rule: the first
					    BLOCK, else the last ALERT;
					    NULL when none matched */
	bool blocked;                    /* rule is a BLOCK */
	uint16_t keep;                   /* answer RRs to keep in front of
					    the block response: up to the
					    CNAME that leads to @name */
	uint8_t name[WIRE_MAX_NAME_LEN]; /* the blocked name, lower case */
	size_t name_len;
};

/**
 * fwchain_inspect() - check the names an upstream chain leads to.
 * @fw:     [in] the view's firewall (NULL: nothing matches).
 * @qtype:  [in] the client's query type (rules with a qtype).
 * @start:  [in] the forwarded name (already checked), lower case.
 * @start_len: [in] its length.
 * @rrs, @len, @count: [in] the normalized upstream RRs
 *          (msg_parse_reply()).
 * @hit:    [out] what matched.
 * Return: true when a name was blocked (then @hit->blocked).
 */
bool fwchain_inspect(const struct firewall *fw, uint16_t qtype,
		     const uint8_t *start, size_t start_len,
		     const uint8_t *rrs, size_t len, const uint16_t count[3],
		     struct fwchain_hit *hit);

#endif /* RESOLVER_ENGINE_FWCHAIN_H */
