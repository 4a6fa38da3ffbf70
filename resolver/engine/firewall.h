/*
 * resolver/engine/firewall.h - DNS Firewall: the compiled rules of one view.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * firewall_build() compiles the Route 53 Resolver DNS Firewall rules that
 * apply to a view (SPEC 1.5, 1.5a) into one hash table keyed by domain
 * wire name, so that firewall_match() costs one lookup for the query name
 * and one per proper ancestor, however long the domain lists are.  The
 * rules themselves are borrowed from the configuration, which must
 * outlive the firewall.  A struct firewall is immutable once built and may
 * be shared by any number of readers; firewall_free() releases it.
 */
#ifndef RESOLVER_ENGINE_FIREWALL_H
#define RESOLVER_ENGINE_FIREWALL_H

#include <stddef.h>
#include <stdint.h>

struct conf_fw_rule;
struct firewall;

/**
 * firewall_build() - compile the firewall rules of one view.
 * @rules: [in] @n borrowed rule pointers; each rule is retained (not
 *         copied) until firewall_free(), so the configuration holding
 *         them must outlive the firewall.  The array itself is only read
 *         during the call.
 * @n:     [in] number of rules; 0 builds a firewall that matches nothing.
 * @out:   [out] on success, a new firewall owned by the caller.
 *
 * Evaluation order is ascending priority; rules of equal priority keep the
 * order of @rules (a VPC's own rules are passed before its profiles').
 * Each domain is "name" (matches that name only) or "*.name" (matches
 * every name strictly below it, at any depth, not the name itself; "*"
 * alone matches every name but the root), SPEC 1.5a.  Domains are text
 * with an optional trailing dot and are compared case-insensitively.
 *
 * Return: VPC_OK; VPC_EMALFORMED when a domain is not a valid name (an
 * empty string, a label over 63 bytes, a name over 255 bytes, or a '*'
 * anywhere but as the whole first label); VPC_ENOMEM.  @out is written
 * only on success.
 */
int firewall_build(const struct conf_fw_rule *const *rules, size_t n,
		   struct firewall **out);

/**
 * firewall_match() - the rule that decides a query name.
 * @fw:    [in] the view's firewall; NULL (no rules) matches nothing.
 * @lname: [in] the query name as an uncompressed wire name, already folded
 *         to lower case (struct msg_query's qname_lower).
 * @len:   [in] its wire length, root label included.
 *
 * Return: the first rule in evaluation order (lowest priority value, then
 * the given order) one of whose domains matches @lname, borrowed from the
 * configuration; NULL when no rule matches or @lname is not a well-formed
 * name of exactly @len bytes.
 */
const struct conf_fw_rule *firewall_match(const struct firewall *fw,
					  const uint8_t *lname, size_t len);

/**
 * firewall_match_type() - firewall_match() for a query of type @qtype: a
 * rule with a `qtype` (conf_fw_rule.qtype != 0) decides only queries of
 * that type and is passed over for others (AWS FirewallRule Qtype).
 * firewall_match() is this with @qtype 0, which no typed rule matches.
 */
const struct conf_fw_rule *firewall_match_type(const struct firewall *fw,
					       const uint8_t *lname,
					       size_t len, uint16_t qtype);

/** firewall_count() - distinct domains in the table (for logs and tests). */
size_t firewall_count(const struct firewall *fw);

/** firewall_free() - release a firewall; NULL is a no-op. */
void firewall_free(struct firewall *fw);

#endif /* RESOLVER_ENGINE_FIREWALL_H */
