/*
 * resolver/cli/cmd_explain.c - vpcdns explain: what decides an answer.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Runs the daemon's own engine (answer_query()) on one query built from
 * the command line and prints its decision as one block: the view, the
 * firewall rule, the resolver rule, the zone of the name asked (and the
 * zone that ends a local CNAME chain), the endpoint behind that zone, the
 * upstream addresses, and the answer; --verbose adds the response packet.
 * A forwarded query is asked once of the first upstream, with a blocking,
 * bounded UDP exchange (io/ask.h: the sockets are the edge's).
 */
#include "config.h"

#include "cli/cli.h"

#include <netinet/in.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "conf/conf.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/answer.h"
#include "engine/catalog.h"
#include "engine/policy.h"
#include "engine/validator.h"
#include "engine/view.h"
#include "engine/zone.h"
#include "io/ask.h"
#include "io/daemon.h"
#include "util/err.h"
#include "util/log.h"

#define EXPLAIN_TIMEOUT_MS 3000 /* the wait for the upstream's reply */

/* Asks the first address of the group the engine chose, once, with a
 * bounded wait (io/ask.h): explain is a one-shot command, not the
 * daemon. */
static int
ask_upstream(const struct view_group *g, const struct answer_job *job,
	     uint8_t *reply, size_t cap, size_t *len)
{
	uint8_t query[ANSWER_QUERY_MAX];

	if (g->n_addrs == 0)
		return VPC_ENOTFOUND;
	memcpy(query, job->query, job->query_len);
	query[0] = 0x5a; /* any ID: the engine matches the question */
	return ask_udp((const struct sockaddr *)&g->addrs[0].ss, query,
		       job->query_len, reply, cap, len, EXPLAIN_TIMEOUT_MS);
}

static size_t
build_query(const char *name, uint16_t type, uint8_t *out, size_t cap)
{
	uint8_t wire[WIRE_MAX_NAME_LEN];
	size_t len = wire_name_from_text(name, wire);
	struct wire_writer w;

	if (len == 0)
		return 0;
	wire_writer_init(&w, out, cap);
	wire_write_u16(&w, 0x1234);
	wire_write_u16(&w, WIRE_FLAG_RD);
	wire_write_u16(&w, 1);
	wire_write_u16(&w, 0);
	wire_write_u16(&w, 0);
	wire_write_u16(&w, 0);
	wire_write_bytes(&w, wire, len);
	wire_write_u16(&w, type);
	wire_write_u16(&w, WIRE_CLASS_IN);
	return w.err == VPC_OK ? w.len : 0;
}


static const char *const fw_actions[] = {
	[CONF_FW_ALLOW] = "allow",
	[CONF_FW_BLOCK] = "block",
	[CONF_FW_ALERT] = "alert",
};

/* Whether the text name @text ("corp.internal", "*.s3.us-east-1...",
 * trailing dot or not, any case) has the apex of @z. */
static bool
name_is_apex(const char *text, const struct zone *z)
{
	uint8_t wire[WIRE_MAX_NAME_LEN], lower[WIRE_MAX_NAME_LEN];
	size_t len;

	if (strncmp(text, "*.", 2) == 0)
		text += 2;
	if ((len = wire_name_from_text(text, wire)) == 0)
		return false;
	wire_name_lower(lower, wire, len);
	return len == z->apex_len && memcmp(lower, z->apex, len) == 0;
}

/* Whether @z is the managed private DNS zone of endpoint @ep. */
static bool
endpoint_owns_zone(const struct conf_endpoint *ep, const struct zone *z)
{
	char names[CATALOG_MAX_NAMES][CATALOG_NAME_MAX];
	struct catalog_service_ref ref;
	size_t n;

	/* Gateway endpoints change routing, not DNS (SPEC 1.3). */
	if (ep->type == CONF_ENDPOINT_GATEWAY || !ep->private_dns)
		return false;
	if (ep->private_dns_names_set) {
		for (size_t i = 0; i < ep->n_private_dns_names; i++)
			if (name_is_apex(ep->private_dns_names[i], z))
				return true;
		return false;
	}
	if (catalog_parse(ep->service, &ref) != VPC_OK)
		return false;
	n = catalog_private_names(&ref, names, CATALOG_MAX_NAMES);
	for (size_t i = 0; i < n && i < CATALOG_MAX_NAMES; i++)
		if (name_is_apex(names[i], z))
			return true;
	return false;
}

/* The endpoint whose vpce names hold @name: its first label starts with
 * "<endpoint id>-" (regional and zonal names, SPEC 1.1). */
static const struct conf_endpoint *
endpoint_of_vpce_name(const struct conf *cf, const uint8_t *name)
{
	char label[WIRE_MAX_LABEL_LEN + 1];
	size_t n = name[0];

	memcpy(label, name + 1, n);
	label[n] = '\0';
	for (size_t i = 0; i < cf->n_vpcs; i++)
		for (size_t j = 0; j < cf->vpcs[i].n_endpoints; j++) {
			const struct conf_endpoint *ep =
				&cf->vpcs[i].endpoints[j];
			size_t len = strlen(ep->id);

			if (strncasecmp(label, ep->id, len) == 0 &&
			    label[len] == '-')
				return ep;
		}
	return NULL;
}

/* The endpoint of the VPC of @v whose private DNS zone is @z, or NULL. */
static const struct conf_endpoint *
endpoint_of_zone(const struct conf *cf, const struct view *v,
		 const struct zone *z)
{
	const struct conf_vpc *cv;

	if (v == NULL || v->conf_index >= cf->n_vpcs)
		return NULL;
	cv = &cf->vpcs[v->conf_index];
	for (size_t i = 0; i < cv->n_endpoints; i++)
		if (endpoint_owns_zone(&cv->endpoints[i], z))
			return &cv->endpoints[i];
	return NULL;
}

/* What kind of zone @z is, for the zone line. */
static void
print_zone_kind(const struct conf *cf, const struct view_set *vs,
		const struct view *v, const struct zone *z)
{
	const struct conf_vpc *cv = NULL;
	const struct conf_endpoint *ep;

	if (z->synth == ZONE_SYNTH_EC2) {
		printf(" (EC2 host names of the cidr-blocks)");
		return;
	}
	if (z->synth == ZONE_SYNTH_RESERVED) {
		printf(" (reserved name, answered locally)");
		return;
	}
	if (z->synth == ZONE_SYNTH_PTR6) {
		printf(" (IPv6 reverse names of the instances)");
		return;
	}
	if (z->synth != ZONE_SYNTH_NONE) {
		printf(" (reverse names of the cidr-blocks)");
		return;
	}
	for (size_t i = 0; i < zoneset_count(vs->vpce); i++)
		if (zoneset_get(vs->vpce, i) == z) {
			printf(" (endpoint-specific vpce names)");
			return;
		}
	if ((ep = endpoint_of_zone(cf, v, z)) != NULL) {
		printf(" (private DNS of endpoint %s)", ep->id);
		return;
	}
	if (v != NULL && v->conf_index < cf->n_vpcs)
		cv = &cf->vpcs[v->conf_index];
	for (size_t i = 0; cv != NULL && i < cv->n_hosted_zones; i++)
		if (name_is_apex(cv->hosted_zones[i].name, z)) {
			printf(" (private hosted zone)");
			return;
		}
	for (size_t i = 0; cv != NULL && i < cv->n_profiles; i++) {
		const struct conf_profile *p = &cf->profiles[cv->profiles[i]];

		for (size_t j = 0; j < p->n_hosted_zones; j++)
			if (name_is_apex(p->hosted_zones[j].name, z)) {
				printf(" (hosted zone of profile %s)",
				       p->name);
				return;
			}
	}
}

static void
print_zone(const struct conf *cf, const struct view_set *vs,
	   const struct view *v, const char *title, const struct zone *z,
	   const char *suffix)
{
	char name[LOG_NAME_MAX];

	printf("%-9s %s", title, log_name(z->apex, z->apex_len, name));
	print_zone_kind(cf, vs, v, z);
	printf("%s\n", suffix);
}

static void
print_firewall(const struct conf_fw_rule *fw)
{
	if (fw == NULL) {
		printf("firewall  - (no rule matches)\n");
		return;
	}
	printf("firewall  %s (priority %u): %s", fw->name, fw->priority,
	       fw_actions[fw->action]);
	if (fw->action == CONF_FW_BLOCK)
		printf(fw->block_response == CONF_FW_OVERRIDE ? ", override to %s"
		       : fw->block_response == CONF_FW_NXDOMAIN ? ", NXDOMAIN%s"
								 : ", NODATA%s",
		       fw->block_response == CONF_FW_OVERRIDE &&
				       fw->override_domain != NULL
			       ? fw->override_domain
			       : "");
	printf("\n");
}

/* What else decided the firewall match: a name of the CNAME chain other
 * than the one asked, the rule's qtype, redirection: trust. */
static void
print_fw_match(const struct answer_job *job)
{
	const struct conf_fw_rule *fw = job->trace.firewall;
	char name[LOG_NAME_MAX];
	bool other;

	if (fw == NULL)
		return;
	other = !wire_name_equal(job->trace.fw_name, job->trace.fw_name_len,
				 job->q.qname_lower, job->q.qname_len);
	if (!other && fw->qtype_text == NULL &&
	    fw->redirection != CONF_FW_TRUST)
		return;
	printf("firewall  matched %s%s%s%s%s\n",
	       log_name(job->trace.fw_name, job->trace.fw_name_len, name),
	       other ? " (a name of the CNAME chain)" : "",
	       fw->qtype_text ? ", qtype " : "",
	       fw->qtype_text ? fw->qtype_text : "",
	       fw->redirection == CONF_FW_TRUST ? ", redirection trust" : "");
}

/* The zone and the rule that decide the name asked (SPEC 1.5: the most
 * specific wins, a rule beats a zone of the same name), as the engine
 * sees them before following a CNAME. */
static void
decide_asked(const struct view *v, const struct answer_job *job,
	     const struct zone **zone, const struct view_rule **rule)
{
	*zone = view_find_zone(v, job->q.qname_lower, job->q.qname_len);
	*rule = view_find_rule(v, job->q.qname_lower, job->q.qname_len);
	if (*rule != NULL && (*zone == NULL || (*rule)->len >= (*zone)->apex_len))
		*zone = NULL;
	else
		*rule = NULL;
}

static void
print_rule(const struct view_rule *r, const char *suffix)
{
	if (r == NULL) {
		printf("rule      - (no resolver rule matches)%s\n", suffix);
		return;
	}
	printf("rule      %s (%s)%s\n", r->conf->domain,
	       r->system ? "system: the default upstreams"
	       : r->conf->type == CONF_RULE_DELEGATE
		   ? "delegate: the name servers of its NS records"
	       : r->conf->protocol == CONF_PROTOCOL_DOH ? "forward over DoH"
						       : "forward",
	       suffix);
}

/* The zone lines, and the endpoint line for the zone of the name asked;
 * for a name only an inbound endpoint serves (SPEC 1.5a), that endpoint. */
static void
print_zones(const struct conf *cf, const struct view_set *vs,
	    const struct answer_job *job, const struct zone *asked)
{
	const struct view *v = job->view;
	const struct conf_endpoint *ep = NULL;
	const struct zone *z = asked;
	char name[LOG_NAME_MAX];

	if (asked != NULL)
		print_zone(cf, vs, v, "zone", asked, "");
	else if ((z = view_find_zone(v, job->q.qname_lower,
				     job->q.qname_len)) != NULL)
		printf("zone      - (the rule is at least as specific as the "
		       "local zone %s)\n",
		       log_name(z->apex, z->apex_len, name));
	else
		printf("zone      - (no local zone holds the name)\n");
	z = asked;
	if (job->trace.zone != NULL && job->trace.zone != asked)
		print_zone(cf, vs, v, "then", job->trace.zone,
			   ", the zone of the CNAME target");
	if (z == NULL && v != NULL && !v->inbound &&
	    v->conf_index < vs->n_vpcs &&
	    (z = zoneset_find(vs->vpc_zones[v->conf_index].inbound_only,
			      job->q.qname_lower, job->q.qname_len)) != NULL &&
	    (ep = endpoint_of_zone(cf, v, z)) != NULL) {
		printf("endpoint  %s (%s) serves %s only through the VPC's "
		       "inbound resolver endpoint "
		       "(private-dns-only-for-inbound-resolver-endpoint); "
		       "this client is forwarded (see --inbound %s)\n",
		       ep->id, ep->service != NULL ? ep->service : "resource",
		       log_name(z->apex, z->apex_len, name),
		       v->vpc_id);
		return;
	}
	if (z != NULL && (ep = endpoint_of_zone(cf, v, z)) == NULL)
		ep = endpoint_of_vpce_name(cf, job->q.qname_lower);
	if (ep != NULL)
		printf("endpoint  %s (%s)%s\n", ep->id,
		       ep->service != NULL ? ep->service : "resource",
		       z != NULL && z->pending
			       ? ": an address is a host name, which the "
				 "daemon resolves and explain does not "
				 "(SERVFAIL until it resolves)"
			       : "");
	else
		printf("endpoint  -\n");
}

static void
print_upstream(const struct view_set *vs, const struct answer_job *job,
	       enum answer_action act)
{
	const struct view_group *g;
	char name[LOG_NAME_MAX], addr[INET6_ADDRSTRLEN + 16];

	if (act != ANSWER_FORWARD) {
		printf("upstream  - (answered here)\n");
		return;
	}
	g = &vs->groups[job->fwd_group];
	printf("upstream ");
	for (size_t i = 0; i < g->n_addrs; i++)
		printf(" %s",
		       conf_format_sockaddr((const struct sockaddr *)&g->addrs[i]
						    .ss,
					    addr, sizeof(addr)));
	if (g->n_addrs == 0)
		printf(" the nameservers of /etc/resolv.conf");
	printf(" (%s), asked for %s\n",
	       job->fwd_group == 0 ? "the default upstreams"
				   : "the rule's targets",
	       log_name(job->fwd_name, job->fwd_name_len, name));
}

/* The answer: RCODE, flags, and the records of the answer section. */
static void
print_answer(const uint8_t *buf, size_t len)
{
	ldns_pkt *pkt = NULL;
	ldns_rr_list *an;
	char *rcode;

	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK) {
		printf("answer    (the response does not parse)\n");
		return;
	}
	an = ldns_pkt_answer(pkt);
	rcode = ldns_pkt_rcode2str(ldns_pkt_get_rcode(pkt));
	printf("answer    %s%s, %zu record(s)\n", rcode ? rcode : "?",
	       ldns_pkt_aa(pkt) ? " (authoritative)" : "",
	       ldns_rr_list_rr_count(an));
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		char *rr = ldns_rr2str(ldns_rr_list_rr(an, i));

		/* One space between fields: the block is for reading. */
		for (char *c = rr; c != NULL && *c != '\0'; c++)
			if (*c == '\t')
				*c = ' ';
		if (rr != NULL)
			printf("          %s", rr);
		free(rr);
	}
	free(rcode);
	ldns_pkt_free(pkt);
}

/* The response as dig would show it, without the query time, server and
 * date lines: the engine ran here, no query crossed a network. */
static void
print_packet(const uint8_t *buf, size_t len)
{
	static const char *const skip[] = {";; Query time:", ";; SERVER:",
					   ";; WHEN:"};
	ldns_pkt *pkt = NULL;
	char *text, *line, *nl;
	size_t n;

	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK ||
	    (text = ldns_pkt2str(pkt)) == NULL) {
		ldns_pkt_free(pkt);
		return;
	}
	printf("\n");
	for (line = text; *line != '\0'; line += n + (nl != NULL)) {
		bool keep = true;

		nl = strchr(line, '\n');
		n = nl != NULL ? (size_t)(nl - line) : strlen(line);
		for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
			keep = keep && strncmp(line, skip[i],
					       strlen(skip[i])) != 0;
		if (keep)
			printf("%.*s\n", (int)n, line);
	}
	free(text);
	ldns_pkt_free(pkt);
}

static size_t
inbound_index(const struct conf *cf, const char *vpc)
{
	for (size_t i = 0; vpc != NULL && i < cf->n_vpcs; i++)
		if (strcmp(cf->vpcs[i].id, vpc) == 0)
			return i;
	return VIEW_NOT_INBOUND;
}

/* The query and its source from the command line; each mistake is
 * reported on its own. */
static int
parse_args(const struct conf *cf, const struct explain_args *ea,
	   uint8_t *query, size_t cap, size_t *qlen, struct conf_sockaddr *from,
	   struct answer_src *src)
{
	ldns_rr_type type = ea->type ? ldns_get_rr_type_by_name(ea->type)
				     : LDNS_RR_TYPE_A;
	uint8_t wire[WIRE_MAX_NAME_LEN];

	if (wire_name_from_text(ea->name, wire) == 0) {
		fprintf(stderr, "vpcdns: explain: '%s' is not a valid DNS "
				"name\n", ea->name);
		return DAEMON_EXIT_USAGE;
	}
	if (type == 0) {
		fprintf(stderr, "vpcdns: explain: '%s' is not a DNS type (A, "
				"AAAA, CNAME, MX, TXT, PTR, TYPE65...)\n",
			ea->type);
		return DAEMON_EXIT_USAGE;
	}
	if (conf_parse_sockaddr(ea->from ? ea->from : "127.0.0.1", 53,
				from) != VPC_OK) {
		fprintf(stderr, "vpcdns: explain: --from '%s' is not an IP "
				"address\n", ea->from);
		return DAEMON_EXIT_USAGE;
	}
	if ((*qlen = build_query(ea->name, (uint16_t)type, query, cap)) == 0) {
		fprintf(stderr, "vpcdns: explain: '%s' is not a valid DNS "
				"name\n", ea->name);
		return DAEMON_EXIT_USAGE;
	}
	src->addr = (const struct sockaddr *)&from->ss;
	src->inbound = inbound_index(cf, ea->inbound);
	src->tcp = false;
	if (ea->inbound != NULL && src->inbound == VIEW_NOT_INBOUND) {
		fprintf(stderr, "vpcdns: explain: --inbound: no VPC %s in %s\n",
			ea->inbound, cf->path);
		return DAEMON_EXIT_USAGE;
	}
	return DAEMON_EXIT_OK;
}

/* The decision block: what answer_query() decided, line by line. */
/* Issue 11: which Route 53 record set a routing policy or an alias chose,
 * and why. */
static void
print_record_set(const struct answer_job *job)
{
	const struct policy_rr *rr = job->trace.policy;

	if (job->trace.policy_why == NULL)
		return;
	printf("record-set %s: %s", rr && rr->set_id ? rr->set_id : "-",
	       job->trace.policy_why);
	if (rr != NULL)
		printf(" (%s)", rr->origin);
	printf("\n");
}

static void
print_decision(const struct conf *cf, const struct view_set *vs,
	       const struct explain_args *ea, const struct answer_job *job,
	       enum answer_action act)
{
	const struct view *v = job->trace.view;
	const struct zone *zone = NULL;
	const struct view_rule *rule = NULL;
	char name[LOG_NAME_MAX];
	char *type = ldns_rr_type2str((ldns_rr_type)job->q.qtype);

	printf("query     %s %s from %s%s%s\n",
	       log_name(job->q.qname_lower, job->q.qname_len, name),
	       type ? type : "?", ea->from ? ea->from : "127.0.0.1",
	       ea->inbound ? " through the inbound endpoint of " : "",
	       ea->inbound ? ea->inbound : "");
	free(type);
	if (v == NULL) {
		printf("view      - (the source may not query: allow-query)\n");
		return;
	}
	printf("view      %s%s\n", v->vpc_id ? v->vpc_id : "outside (no VPC)",
	       v->inbound ? " (inbound endpoint)" : "");
	print_firewall(job->trace.firewall);
	print_fw_match(job);
	if (job->trace.firewall != NULL &&
	    job->trace.firewall->action == CONF_FW_BLOCK &&
	    job->trace.firewall->block_response != CONF_FW_OVERRIDE)
		return;
	decide_asked(v, job, &zone, &rule);
	if (job->trace.rule != NULL && job->trace.rule != rule) {
		print_rule(rule, "");
		print_rule(job->trace.rule, " for the CNAME target");
	} else {
		print_rule(rule, "");
	}
	print_zones(cf, vs, job, zone);
	print_record_set(job);
	print_upstream(vs, job, act);
}

/* Runs the daemon's own engine on one query: the same lookup, not a copy. */
static int
explain(const struct conf *cf, const struct view_set *vs,
	const struct explain_args *ea)
{
	static uint8_t out[MSG_TCP_MAX], reply[MSG_TCP_MAX];
	struct conf_sockaddr from;
	struct answer_job job;
	struct answer_src src = {0};
	uint8_t query[512];
	size_t qlen = 0, len = 0, rlen = 0;
	enum answer_action act;
	int rc = parse_args(cf, ea, query, sizeof(query), &qlen, &from, &src);

	if (rc != DAEMON_EXIT_OK)
		return rc;
	/* RRSIG validity is wall-clock time (RFC 4034 §3.1.5). */
	src.wall_s = (uint64_t)time(NULL);
	act = answer_query(&job, vs, NULL, &src, query, qlen, 0, out,
			   MSG_UDP_MAX, &len);
	if (act == ANSWER_DROP) {
		printf("query     dropped (the engine does not answer it)\n");
		return DAEMON_EXIT_OK;
	}
	print_decision(cf, vs, ea, &job, act);
	if (act == ANSWER_FORWARD) {
		const struct conf_fw_rule *before = job.trace.firewall;

		rc = ask_upstream(&vs->groups[job.fwd_group], &job, reply,
				  sizeof(reply), &rlen);
		if (rc == VPC_ENOTFOUND) {
			printf("answer    (not asked: explain does not read "
			       "/etc/resolv.conf)\n");
			return DAEMON_EXIT_OK;
		}
		len = answer_upstream(&job, NULL, rc, reply, rlen, 0, out,
				      MSG_UDP_MAX);
		/* DNS64's A after an AAAA NODATA, and the DS and DNSKEY
		 * queries of DNSSEC validation: asked until an answer (the
		 * engine bounds them: VALIDATOR_MAX_QUERIES). */
		for (unsigned n = 0; len == 0 && n <= VALIDATOR_MAX_QUERIES + 1;
		     n++) {
			rc = ask_upstream(&vs->groups[job.fwd_group], &job,
					  reply, sizeof(reply), &rlen);
			len = answer_upstream(&job, NULL, rc, reply, rlen, 0,
					      out, MSG_UDP_MAX);
		}
		if (len == 0)
			len = answer_upstream(&job, NULL, VPC_EUPSTREAM, NULL,
					      0, 0, out, MSG_UDP_MAX);
		/* The firewall also inspects the upstream's CNAME chain
		 * (engine/fwchain.h): say so when that decided. */
		if (job.trace.firewall != before) {
			print_firewall(job.trace.firewall);
			print_fw_match(&job);
		}
	}
	if (len > 0)
		print_answer(out, len);
	if (job.trace.dnssec != NULL)
		printf("dnssec    %s (%s%s%u DS/DNSKEY queries): %s\n",
		       job.trace.dnssec,
		       strcmp(job.trace.dnssec, "bogus") == 0
			       ? job.trace.dnssec_why
			       : "",
		       strcmp(job.trace.dnssec, "bogus") == 0 ? "; " : "",
		       job.trace.dnssec_queries,
		       strcmp(job.trace.dnssec, "bogus") == 0
			       ? "validation failed, SERVFAIL"
			       : "validated, the answer is returned "
				 "without DNSSEC records or AD");
	else if (act == ANSWER_FORWARD && job.validate == false &&
		 job.view != NULL && job.view->anchors != NULL)
		printf("dnssec    not validated: a forward rule's target "
		       "answers for this name (AWS leaves validation to it)\n");
	if (len > 0 && job.trace.dns64)
		printf("dns64     AAAA synthesized in 64:ff9b::/96 from the A "
		       "records, or the PTR's CNAME (the client's subnet has "
		       "DNS64)\n");
	/* AWS: a rule with qtype AAAA does not apply to DNS64's AAAA. */
	if (len > 0 && job.trace.fw_dns64 != NULL)
		printf("firewall  %s (priority %u, qtype AAAA) passed over: "
		       "the AAAA is synthesized by DNS64\n",
		       job.trace.fw_dns64->name, job.trace.fw_dns64->priority);
	if (len > 0 && ea->verbose)
		print_packet(out, len);
	return DAEMON_EXIT_OK;
}

int
cmd_explain(const struct cli_source *src, const struct explain_args *ea)
{
	struct conf *cf = NULL;
	struct view_set *vs = NULL;
	int rc = cli_load(src, &cf, &vs);

	if (rc == VPC_OK)
		rc = explain(cf, vs, ea);
	else
		rc = DAEMON_EXIT_CONFIG;
	view_set_free(vs);
	conf_free(cf);
	return rc;
}
