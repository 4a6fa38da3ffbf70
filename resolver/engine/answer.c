/*
 * resolver/engine/answer.c - the consume/produce engine.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Local data follows private-hosted-zone semantics (SPEC 1.5 and Part 3):
 * the closest enclosing zone of the view answers authoritatively, a
 * missing name is NXDOMAIN and a missing type NODATA, both with the
 * zone's SOA; wildcards per RFC 4592; CNAMEs are followed through local
 * data and, when a chain leaves it, the rest is forwarded and the chain
 * returned in front of the upstream answer.  Everything else is answered
 * from the cache or forwarded.  All state lives in the caller's job.
 */
#include "config.h"

#include "engine/answer.h"

#include <stdio.h>
#include <string.h>

#include "engine/alias.h"
#include "engine/cache.h"
#include "conf/conf.h"
#include "engine/dns64.h"
#include "engine/dnssec.h"
#include "engine/ec2.h"
#include "engine/fastpath.h"
#include "util/err.h"
#include "engine/firewall.h"
#include "engine/fwchain.h"
#include "util/log.h"
#include "engine/policy.h"
#include "engine/validator.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "engine/zone.h"

/* The state of a local lookup while it follows CNAMEs. */
struct walk {
	struct answer_job *job;
	struct msg_builder b;
	uint8_t name[WIRE_MAX_NAME_LEN]; /* current name, lower case */
	size_t name_len;
	uint8_t owner[WIRE_MAX_NAME_LEN]; /* owner of the answer records:
					    the name, or the alias whose
					    target the name is */
	size_t owner_len;
	const struct zone *alias_zone;   /* zone of the first alias
					    followed, NULL when none */
	bool delegation;                 /* local zones only (answer_src) */
};

enum step {
	STEP_DONE,     /* the response is complete, with this rcode */
	STEP_FOLLOW,   /* a CNAME moved walk->name; go on */
};

static void
add_rrset(struct walk *w, enum msg_section s, const uint8_t *owner,
	  size_t owner_len, const struct zone_rrset *rs, uint32_t ttl)
{
	struct wire_rdata_iter it;
	const uint8_t *rdata;
	uint16_t len;

	wire_rdata_begin(&it, rs->rdata, rs->len);
	while (wire_rdata_next(&it, &rdata, &len))
		msg_add_rr(&w->b, s, owner, owner_len, rs->type, WIRE_CLASS_IN,
			   ttl, rdata, len);
}

/* RFC 2308 §3 and §5: the SOA goes in the authority section with the
 * lower of its TTL and its MINIMUM field. */
static void
add_negative_soa(struct walk *w, const struct zone *z)
{
	uint32_t minimum = zone_soa_minimum(z);
	uint32_t ttl = z->soa->ttl < minimum ? z->soa->ttl : minimum;

	add_rrset(w, MSG_AUTHORITY, z->apex, z->apex_len, z->soa, ttl);
}

/* Remembers a CNAME of the chain in case the chain leaves local data. */
static void
remember_cname_rdata(struct walk *w, const uint8_t *target, size_t len,
		     uint32_t ttl)
{
	struct answer_job *job = w->job;
	struct wire_writer wr;

	wire_writer_init(&wr, job->chain + job->chain_len,
			 sizeof(job->chain) - job->chain_len);
	wire_write_bytes(&wr, w->owner, w->owner_len);
	wire_write_u16(&wr, WIRE_TYPE_CNAME);
	wire_write_u16(&wr, WIRE_CLASS_IN);
	wire_write_u32(&wr, ttl);
	wire_write_u16(&wr, (uint16_t)len);
	wire_write_bytes(&wr, target, len);
	/* The hop limit keeps the chain within the buffer. */
	if (wr.err == VPC_OK) {
		job->chain_len += wr.len;
		job->chain_count++;
	}
}

static void
remember_cname(struct walk *w, const struct zone_rrset *cname)
{
	uint16_t len;
	const uint8_t *target = zone_rdata_first(cname, &len);

	remember_cname_rdata(w, target, len, cname->ttl);
}

/* Moves the walk to a CNAME's target: the owner follows the name. */
static void
follow_cname(struct walk *w, const uint8_t *target)
{
	wire_name_lower(w->name, target, wire_name_len(target));
	w->name_len = wire_name_len(w->name);
	memcpy(w->owner, w->name, w->name_len);
	w->owner_len = w->name_len;
}

/* A missing name or type; behind an alias it is the alias's name that
 * exists, so the answer is NODATA from the alias's zone. */
static void
negative(struct walk *w, const struct zone *z, bool nxdomain, unsigned *rcode)
{
	if (w->alias_zone != NULL) {
		z = w->alias_zone;
		nxdomain = false;
	}
	add_negative_soa(w, z);
	*rcode = nxdomain ? WIRE_RCODE_NXDOMAIN : WIRE_RCODE_NOERROR;
}

/* Route 53 record sets with a routing policy or an alias target
 * (engine/policy.h): the chosen sets answer, an alias is followed
 * like a CNAME that is not shown (SPEC 1.9). */
static enum step
answer_policy(struct walk *w, const struct zone *z,
	      const struct policy_set *ps, unsigned *rcode)
{
	const struct policy_rr *picks[POLICY_MAX_PICKS];
	const struct policy_ctx ctx = {.region = w->job->view->region,
				       .random = w->job->random};
	const char *why;
	size_t k = policy_choose(z->policies, ps, &ctx, picks, &why);

	*rcode = WIRE_RCODE_NOERROR;
	if (w->job->trace.policy_why == NULL) {
		w->job->trace.policy = k > 0 ? picks[0] : NULL;
		w->job->trace.policy_why = why;
	}
	if (k == 0) {
		negative(w, z, false, rcode);
		return STEP_DONE;
	}
	if (picks[0]->alias_len > 0) {
		if (w->alias_zone == NULL)
			w->alias_zone = z;
		memcpy(w->name, picks[0]->alias, picks[0]->alias_len);
		w->name_len = picks[0]->alias_len;
		return STEP_FOLLOW;
	}
	for (size_t i = 0; i < k; i++)
		add_rrset(w, MSG_ANSWER, w->owner, w->owner_len,
			  &picks[i]->rrset, picks[i]->rrset.ttl);
	if (ps->type != WIRE_TYPE_CNAME || w->job->q.qtype == WIRE_TYPE_CNAME)
		return STEP_DONE;
	remember_cname(w, &picks[0]->rrset);
	follow_cname(w, zone_rdata_first(&picks[0]->rrset, NULL));
	return STEP_FOLLOW;
}

static const struct policy_set *
find_policy(const struct zone *z, const struct zone_node *n, uint16_t qtype)
{
	const struct policy_set *ps;

	if (z->policies == NULL || qtype == WIRE_TYPE_ANY)
		return NULL;
	ps = policy_find(z->policies, n->name, n->name_len, qtype);
	if (ps == NULL && zone_rrset(n, qtype) == NULL)
		ps = policy_find(z->policies, n->name, n->name_len,
				 WIRE_TYPE_CNAME);
	return ps;
}

/* RFC 6147 §5.1.7: AAAA synthesized from a local A RRset, TTL the lower
 * of the A's and the zone's negative TTL. */
static void
add_dns64(struct walk *w, const struct zone *z, const struct zone_rrset *a)
{
	const uint8_t *min = z->soa->rdata + z->soa->len - 4;
	uint32_t neg = (uint32_t)min[0] << 24 | (uint32_t)min[1] << 16 |
		       (uint32_t)min[2] << 8 | min[3];
	uint32_t ttl = a->ttl;
	size_t pos = 0;

	if (z->soa->ttl < neg)
		neg = z->soa->ttl;
	if (neg < ttl)
		ttl = neg;
	for (uint16_t i = 0; i < a->count; i++) {
		uint16_t len = (uint16_t)(a->rdata[pos] << 8 |
					  a->rdata[pos + 1]);
		uint8_t a6[16];

		if (len == 4) {
			dns64_synth(a->rdata + pos + 2, a6);
			msg_add_rr(&w->b, MSG_ANSWER, w->owner, w->owner_len,
				   WIRE_TYPE_AAAA, WIRE_CLASS_IN, ttl, a6, 16);
		}
		pos += 2u + len;
	}
	w->job->trace.dns64 = true;
}

static enum step
answer_node(struct walk *w, const struct zone *z, const struct zone_node *n,
	    unsigned *rcode)
{
	uint16_t qtype = w->job->q.qtype;
	const struct zone_rrset *rs = NULL;
	const struct policy_set *ps = find_policy(z, n, qtype);

	if (ps != NULL)
		return answer_policy(w, z, ps, rcode);
	if (qtype == WIRE_TYPE_ANY && n->n_rrsets > 0)
		rs = &n->rrsets[0]; /* RFC 8482 §4.1: one RRset will do */
	else if (qtype != WIRE_TYPE_ANY)
		rs = zone_rrset(n, qtype);
	*rcode = WIRE_RCODE_NOERROR;
	if (rs != NULL) {
		add_rrset(w, MSG_ANSWER, w->owner, w->owner_len, rs, rs->ttl);
		return STEP_DONE;
	}
	if (qtype == WIRE_TYPE_AAAA && w->job->dns64 &&
	    (rs = zone_rrset(n, WIRE_TYPE_A)) != NULL) {
		add_dns64(w, z, rs);
		return STEP_DONE;
	}
	if ((rs = zone_rrset(n, WIRE_TYPE_CNAME)) != NULL) {
		add_rrset(w, MSG_ANSWER, w->owner, w->owner_len, rs, rs->ttl);
		remember_cname(w, rs);
		follow_cname(w, zone_rdata_first(rs, NULL));
		return STEP_FOLLOW;
	}
	negative(w, z, false, rcode); /* NODATA */
	return STEP_DONE;
}

/* SPEC 1.7: an EC2 hostname answers A, a reverse name PTR; any other
 * type of such a name is NODATA. */
static bool
answer_synth(struct walk *w, const struct zone *z, unsigned *rcode)
{
	uint16_t qtype = w->job->q.qtype;
	uint8_t ip[4], host[WIRE_MAX_NAME_LEN];
	size_t len;

	*rcode = WIRE_RCODE_NOERROR;
	if (z->synth == ZONE_SYNTH_EC2 &&
	    ec2_parse_hostname(z, w->name, w->name_len, ip)) {
		uint8_t a6[16];

		if (qtype == WIRE_TYPE_A || qtype == WIRE_TYPE_ANY) {
			msg_add_rr(&w->b, MSG_ANSWER, w->owner, w->owner_len,
				   WIRE_TYPE_A, WIRE_CLASS_IN, EC2_TTL, ip, 4);
		} else if (qtype == WIRE_TYPE_AAAA && w->job->dns64) {
			dns64_synth(ip, a6);
			msg_add_rr(&w->b, MSG_ANSWER, w->owner, w->owner_len,
				   WIRE_TYPE_AAAA, WIRE_CLASS_IN, EC2_TTL, a6,
				   16);
			w->job->trace.dns64 = true;
		} else {
			add_negative_soa(w, z);
		}
		return true;
	}
	if (z->synth == ZONE_SYNTH_PTR &&
	    ec2_parse_ptr(z, w->name, w->name_len, ip) &&
	    (len = ec2_hostname(ip, z->host_domain, z->host_domain_len,
				host)) > 0) {
		if (qtype == WIRE_TYPE_PTR || qtype == WIRE_TYPE_ANY)
			msg_add_rr(&w->b, MSG_ANSWER, w->owner, w->owner_len,
				   WIRE_TYPE_PTR, WIRE_CLASS_IN, EC2_TTL, host,
				   (uint16_t)len);
		else
			add_negative_soa(w, z);
		return true;
	}
	/* A partial reverse name inside the VPC's ranges is an empty
	 * non-terminal. */
	if (z->synth == ZONE_SYNTH_PTR &&
	    ec2_ptr_owns(z, w->name, w->name_len)) {
		add_negative_soa(w, z);
		return true;
	}
	return false;
}

static enum step
answer_local(struct walk *w, const struct zone *z, unsigned *rcode)
{
	const struct zone_node *n = zone_find(z, w->name, w->name_len);

	if (n == NULL && z->synth != ZONE_SYNTH_NONE &&
	    answer_synth(w, z, rcode))
		return STEP_DONE;
	if (n == NULL)
		n = zone_find_wildcard(z, w->name, w->name_len);
	if (n != NULL)
		return answer_node(w, z, n, rcode);
	negative(w, z, true, rcode);
	return STEP_DONE;
}

static void
fill_key(const struct answer_job *job, struct cache_key *k)
{
	k->group = job->fwd_group;
	k->lname = job->fwd_name;
	k->len = job->fwd_name_len;
	k->type = job->fwd_type;
	k->rclass = job->q.qclass;
	/* The VPC Resolver ignores DO and CD (engine/dnssec.h): one entry
	 * serves every client of a kind; validated answers are apart, so a
	 * validating VPC never gets one that was not validated. */
	k->flags = job->validate ? CACHE_KEY_VALIDATED : 0;
}

void
answer_key(const struct answer_job *job, struct cache_key *k)
{
	fill_key(job, k);
}

static void note_firewall(struct answer_job *job,
			  const struct conf_fw_rule *rule, const uint8_t *name,
			  size_t len);

/* A name of the upstream's chain is blocked (engine/fwchain.h): the chain
 * up to it, then the block response; an OVERRIDE answers its CNAME, which
 * the client resolves (the upstream reply is already here). */
static size_t
finish_blocked(struct answer_job *job, struct msg_builder *b,
	       const uint8_t *rrs, size_t len, uint32_t age,
	       const struct fwchain_hit *hit)
{
	const struct conf_fw_rule *rule = hit->rule;
	const uint16_t keep[3] = {hit->keep, 0, 0};
	uint8_t target[WIRE_MAX_NAME_LEN];
	size_t tlen;

	msg_add_normalized(b, rrs, len, keep, age, job->drop_type);
	if (rule->block_response != CONF_FW_OVERRIDE)
		return msg_finish(b, WIRE_FLAG_RA,
				  rule->block_response == CONF_FW_NXDOMAIN
					  ? WIRE_RCODE_NXDOMAIN
					  : WIRE_RCODE_NOERROR);
	if (rule->override_domain == NULL ||
	    (tlen = wire_name_from_text(rule->override_domain, target)) == 0)
		return msg_finish(b, WIRE_FLAG_RA, WIRE_RCODE_SERVFAIL);
	msg_add_rr(b, MSG_ANSWER, hit->name, hit->name_len, WIRE_TYPE_CNAME,
		   WIRE_CLASS_IN, rule->override_ttl, target, (uint16_t)tlen);
	return msg_finish(b, WIRE_FLAG_RA, WIRE_RCODE_NOERROR);
}

/*
 * AWS resolver-dns-firewall-rule-settings: a BLOCK rule "on query type
 * equals AAAA" is "not applied to synthetic IPv6 addresses generated when
 * DNS64" is on.  The forwarded answer of a DNS64 probe (job->fw_probe)
 * is synthesized when the A was asked (dns64_step 2); else the first rule
 * with qtype AAAA that was passed over applies at the name it matched.
 * Return: true when it blocks there, with @hit for finish_blocked() and
 * @keep the local chain RRs in front of it.
 */
static bool
probe_forwarded(struct answer_job *job, struct fwchain_hit *hit,
		uint16_t *keep)
{
	const struct conf_fw_rule *rule = job->fw_skip;

	job->fw_probe = false;
	*keep = job->chain_count;
	if (rule == NULL)
		return false;
	if (job->dns64_step == 2) {
		job->trace.fw_dns64 = rule;
		return false;
	}
	note_firewall(job, rule, job->fw_skip_name, job->fw_skip_name_len);
	if (rule->redirection == CONF_FW_TRUST)
		job->fw_done = true;
	if (rule->action != CONF_FW_BLOCK)
		return false;
	*keep = job->fw_skip_count;
	hit->rule = rule;
	hit->blocked = true;
	hit->keep = 0;
	memcpy(hit->name, job->fw_skip_name, job->fw_skip_name_len);
	hit->name_len = job->fw_skip_name_len;
	return true;
}

static size_t
finish_forwarded(struct answer_job *job, struct msg_builder *b,
		 const uint8_t *rrs, size_t len, const uint16_t count[3],
		 uint32_t age, unsigned rcode)
{
	uint16_t chain[3] = {job->chain_count, 0, 0};
	uint16_t fw_type = job->q.qtype;
	struct fwchain_hit hit;
	bool blocked = false;

	if (job->fw_probe && probe_forwarded(job, &hit, &chain[0])) {
		msg_add_normalized(b, job->chain, job->fw_skip_len, chain, 0,
				   0);
		return finish_blocked(job, b, rrs, len, age, &hit);
	}
	/* A synthesized AAAA meets only the rules without qtype. */
	if (job->trace.fw_dns64 != NULL)
		fw_type = 0;
	/* INSPECT_REDIRECTION_DOMAIN: the names the upstream's chain leads
	 * to pass the firewall too, unless an OVERRIDE or a trusting rule
	 * ended the inspection. */
	if (!job->fw_done && job->view != NULL) {
		blocked = fwchain_inspect(job->view->firewall, fw_type,
					  job->fwd_name, job->fwd_name_len, rrs,
					  len, count, &hit);
		if (hit.rule != NULL)
			note_firewall(job, hit.rule, hit.name, hit.name_len);
	}
	msg_add_normalized(b, job->chain, job->chain_len, chain, 0, 0);
	if (blocked)
		return finish_blocked(job, b, rrs, len, age, &hit);
	/* An alias answers the target's records under its own name, as
	 * the authority for it: no CNAME, no NXDOMAIN (the alias exists). */
	if (job->alias_owner_len > 0) {
		if (alias_add_upstream(b, rrs, len, count, age, job->q.qtype,
				       job->alias_owner,
				       job->alias_owner_len) < 0)
			rcode = WIRE_RCODE_SERVFAIL;
		else if (rcode == WIRE_RCODE_NXDOMAIN)
			rcode = WIRE_RCODE_NOERROR;
		return msg_finish(b, WIRE_FLAG_RA | WIRE_FLAG_AA, rcode);
	}
	if (job->dns64_step == 2) {
		/* RFC 6147 §5.1.6: the AAAA synthesized from the A reply. */
		job->trace.dns64 = true;
		if (dns64_add_answer(b, rrs, len, count, age,
				     job->dns64_ttl) != VPC_OK)
			rcode = WIRE_RCODE_SERVFAIL;
	} else if (msg_add_normalized(b, rrs, len, count, age,
				      job->drop_type) != VPC_OK) {
		rcode = WIRE_RCODE_SERVFAIL;
	}
	/* Never AD, whatever the upstream said: the VPC Resolver does not
	 * set it (engine/dnssec.h). */
	return msg_finish(b, WIRE_FLAG_RA, rcode);
}

/* The upstream query of job->fwd_type for job->fwd_name. */
static void
build_upstream(struct answer_job *job)
{
	struct msg_query upstream_q = job->q;

	/* Asked without DO and CD, as the VPC Resolver ignores both;
	 * validation needs the DNSSEC records (RFC 4035 §4.9.1) and, as a
	 * validator behind another resolver, CD set (RFC 6840 §5.9) so
	 * that it sees the data an upstream would have refused. */
	upstream_q.edns_do = job->validate;
	upstream_q.flags &= (uint16_t)~WIRE_FLAG_CD;
	if (job->validate)
		upstream_q.flags |= WIRE_FLAG_CD;
	job->query_len = msg_build_upstream(&upstream_q, job->fwd_name,
					    job->fwd_name_len, job->fwd_type,
					    job->query, sizeof(job->query));
}

/* RFC 6147 §5.1.1: an AAAA NODATA of a DNS64 client; ask A next. */
static void
dns64_ask_a(struct answer_job *job, uint32_t nodata_ttl)
{
	job->dns64_ttl = nodata_ttl;
	job->dns64_step = 2;
	job->fwd_type = WIRE_TYPE_A;
}

/* A hit that is the cached response itself, patched (cache.h): the
 * question asked upstream is the client's, and nothing of the view
 * changes the records (no chain in front, alias, DNS64, dropped type,
 * or firewall over an upstream chain). */
static bool
plain_hit(const struct answer_job *job, const struct cache_entry *e)
{
	return job->chain_count == 0 && job->alias_owner_len == 0 &&
	       job->dns64_step == 0 && job->drop_type == 0 && !job->fw_probe &&
	       (job->fw_done || !e->has_chain || job->view == NULL ||
		job->view->firewall == NULL) &&
	       job->fwd_name_len == job->q.qname_len &&
	       memcmp(job->fwd_name, job->q.qname_lower, job->q.qname_len) ==
		   0;
}

/* Answers job->fwd_type from the cache (into @b, from the start) or
 * builds its upstream query. */
static enum answer_action
forward_type(struct answer_job *job, struct msg_builder *b,
	     struct cache *cache, uint64_t now_ms, size_t *out_len)
{
	const struct cache_entry *e;
	struct cache_key k;

	fill_key(job, &k);
	if (cache != NULL && (e = cache_lookup(cache, &k, now_ms)) != NULL) {
		uint32_t age = (uint32_t)((now_ms - e->stored_ms) / 1000);

		if (job->dns64_step == 1 &&
		    dns64_needs_a(e->rcode, e->rrs, e->rrs_len, e->count)) {
			dns64_ask_a(job, dns64_nodata_ttl(e->rrs, e->rrs_len,
							  e->count, 600));
			return forward_type(job, b, cache, now_ms, out_len);
		}
		if ((job->prefetch = cache_prefetch_due(cache, e, now_ms)))
			build_upstream(job);
		if (plain_hit(job, e) &&
		    (*out_len = cache_write_answer(e, &job->q, now_ms,
						   b->w.buf, b->limit)) > 0)
			return ANSWER_REPLY;
		/* Restart the response: only the chain stays in front. */
		msg_begin(b, &job->q, b->w.buf, b->limit, job->limit);
		*out_len = finish_forwarded(job, b, e->rrs, e->rrs_len,
					    e->count, age, e->rcode);
		return ANSWER_REPLY;
	}
	build_upstream(job);
	return ANSWER_FORWARD;
}

static enum answer_action
forward(struct walk *w, uint32_t group, struct cache *cache, uint64_t now_ms,
	size_t *out_len)
{
	struct answer_job *job = w->job;

	memcpy(job->fwd_name, w->name, w->name_len);
	job->fwd_name_len = w->name_len;
	job->alias_owner_len = 0;
	if (w->alias_zone != NULL) {
		memcpy(job->alias_owner, w->owner, w->owner_len);
		job->alias_owner_len = w->owner_len;
	}
	job->fwd_group = group;
	/* AWS resolver-dnssec-validation: only what the default upstreams
	 * (the Resolver's own recursion) answer is validated; forward rules
	 * leave it to their targets. */
	job->validate = job->view->anchors != NULL &&
			group == job->view->fwd_group;
	job->drop_type = view_drop_type(job->view, w->name, w->name_len);
	job->fwd_type = job->q.qtype;
	job->dns64_step =
		job->dns64 && job->q.qtype == WIRE_TYPE_AAAA ? 1 : 0;
	return forward_type(job, &w->b, cache, now_ms, out_len);
}

static enum step firewall_step(struct walk *w, size_t *out_len);

/* RFC 6147 §5.3.1: for a DNS64 client, the PTR of a 64:ff9b::/96 name is
 * a CNAME to the IPv4 reverse name, which is then resolved (moves
 * w->name).  Return: whether it did. */
static bool
dns64_ptr_step(struct walk *w)
{
	uint8_t target[WIRE_MAX_NAME_LEN];
	size_t len;

	if (!w->job->dns64 || w->job->q.qtype != WIRE_TYPE_PTR ||
	    (len = dns64_ptr_target(w->name, w->name_len, target)) == 0)
		return false;
	msg_add_rr(&w->b, MSG_ANSWER, w->owner, w->owner_len, WIRE_TYPE_CNAME,
		   WIRE_CLASS_IN, DNS64_TTL, target, (uint16_t)len);
	remember_cname_rdata(w, target, len, DNS64_TTL);
	follow_cname(w, target);
	w->job->trace.dns64 = true;
	return true;
}

static enum answer_action
resolve(struct walk *w, struct cache *cache, uint64_t now_ms, size_t *out_len)
{
	const struct view *v = w->job->view;
	unsigned rcode = WIRE_RCODE_SERVFAIL;

	for (unsigned hop = 0; hop <= ANSWER_MAX_CNAME_HOPS; hop++) {
		const struct zone *z;
		const struct view_rule *r;
		enum step st;

		/* Like the VPC Resolver (INSPECT_REDIRECTION_DOMAIN), the
		 * firewall also sees the targets of local CNAMEs, but not an
		 * OVERRIDE target (SPEC 1.5a) nor what follows a trusting
		 * rule's name (job->fw_done); an OVERRIDE moves w->name. */
		if (hop > 0 && firewall_step(w, out_len) == STEP_DONE)
			return ANSWER_REPLY;
		if (dns64_ptr_step(w))
			continue;
		z = view_find_zone(v, w->name, w->name_len);
		r = view_find_rule(v, w->name, w->name_len);
		w->job->trace.zone = z;
		w->job->trace.rule = r;
		/* SPEC 1.5: the most specific of zones and rules wins, and a
		 * rule beats a zone of the same name.  A system rule sends
		 * the name to the default upstreams. */
		/* An INBOUND_DELEGATION endpoint serves the private hosted
		 * zones delegated to it, and nothing else. */
		if (w->delegation &&
		    (z == NULL || (r != NULL && r->len >= z->apex_len))) {
			*out_len = msg_finish(&w->b, 0, WIRE_RCODE_REFUSED);
			return ANSWER_REPLY;
		}
		if (r != NULL && (z == NULL || r->len >= z->apex_len)) {
			w->job->trace.zone = NULL;
			return forward(w, r->group, cache, now_ms, out_len);
		}
		w->job->trace.rule = NULL;
		if (z == NULL)
			return forward(w, v->fwd_group, cache, now_ms,
				       out_len);
		if (z->pending) {
			*out_len = msg_finish(&w->b, WIRE_FLAG_RA,
					      WIRE_RCODE_SERVFAIL);
			return ANSWER_REPLY;
		}
		st = answer_local(w, z, &rcode);
		if (st == STEP_DONE) {
			*out_len = msg_finish(&w->b,
					      WIRE_FLAG_RA | WIRE_FLAG_AA,
					      rcode);
			return ANSWER_REPLY;
		}
	}
	/* A CNAME loop or an over-long chain inside local data. */
	*out_len = msg_finish(&w->b, WIRE_FLAG_RA, WIRE_RCODE_SERVFAIL);
	return ANSWER_REPLY;
}

/* Records the rule that decided (the first BLOCK or ALERT, else the first
 * ALLOW) and the name of the chain it matched, for explain and the log. */
static void
note_firewall(struct answer_job *job, const struct conf_fw_rule *rule,
	      const uint8_t *name, size_t len)
{
	if (job->trace.firewall != NULL &&
	    (rule->action == CONF_FW_ALLOW ||
	     job->trace.firewall->action != CONF_FW_ALLOW))
		return;
	job->trace.firewall = rule;
	memcpy(job->trace.fw_name, name, len);
	job->trace.fw_name_len = len;
}

/* SPEC 1.5 step 1 and 1.5a: a BLOCK answer.  NODATA and NXDOMAIN carry
 * no SOA and no AA; OVERRIDE answers a CNAME to the override domain, which
 * is then resolved like any other name but not filtered again. */
static bool
firewall_block(struct walk *w, const struct conf_fw_rule *rule,
	       size_t *out_len)
{
	uint8_t target[WIRE_MAX_NAME_LEN];
	size_t len;

	if (rule->block_response != CONF_FW_OVERRIDE) {
		*out_len = msg_finish(&w->b, WIRE_FLAG_RA,
				      rule->block_response == CONF_FW_NXDOMAIN
					      ? WIRE_RCODE_NXDOMAIN
					      : WIRE_RCODE_NOERROR);
		return true;
	}
	if (rule->override_domain == NULL ||
	    (len = wire_name_from_text(rule->override_domain, target)) == 0) {
		*out_len = msg_finish(&w->b, WIRE_FLAG_RA,
				      WIRE_RCODE_SERVFAIL);
		return true;
	}
	msg_add_rr(&w->b, MSG_ANSWER, w->owner, w->owner_len, WIRE_TYPE_CNAME,
		   WIRE_CLASS_IN, rule->override_ttl, target, (uint16_t)len);
	remember_cname_rdata(w, target, len, rule->override_ttl);
	follow_cname(w, target);
	w->job->fw_done = true;
	return false;
}

/* What the rule that matched the current name does: ALERT and ALLOW
 * answer normally (ALERT is logged), BLOCK answers its block response. */
static enum step
firewall_apply(struct walk *w, const struct conf_fw_rule *rule,
	       size_t *out_len)
{
	struct answer_job *job = w->job;

	if (rule == NULL)
		return STEP_FOLLOW;
	note_firewall(job, rule, w->name, w->name_len);
	/* TRUST_REDIRECTION_DOMAIN: the rest of the chain is not inspected. */
	if (rule->redirection == CONF_FW_TRUST)
		job->fw_done = true;
	if (rule->action == CONF_FW_BLOCK && firewall_block(w, rule, out_len))
		return STEP_DONE;
	return STEP_FOLLOW;
}

/* SPEC 1.5 step 1 for the current name: the first matching rule ends the
 * evaluation. */
static enum step
firewall_step(struct walk *w, size_t *out_len)
{
	struct answer_job *job = w->job;

	const struct conf_fw_rule *rule;

	if (job->fw_done)
		return STEP_FOLLOW;
	rule = firewall_match_type(job->view->firewall, w->name, w->name_len,
				   job->q.qtype);
	if (job->fw_probe && rule != NULL && rule->qtype == WIRE_TYPE_AAAA) {
		if (job->fw_skip == NULL) {
			job->fw_skip = rule;
			memcpy(job->fw_skip_name, w->name, w->name_len);
			job->fw_skip_name_len = w->name_len;
			job->fw_skip_count = job->chain_count;
			job->fw_skip_len = job->chain_len;
		}
		/* What a synthesized AAAA meets: the rules without qtype. */
		rule = firewall_match_type(job->view->firewall, w->name,
					   w->name_len, 0);
	}
	return firewall_apply(w, rule, out_len);
}


static enum answer_action
reply_error(struct answer_job *job, unsigned rcode, uint8_t *out, size_t cap,
	    size_t *out_len)
{
	*out_len = msg_error(&job->q, rcode, out, cap);
	return *out_len > 0 ? ANSWER_REPLY : ANSWER_DROP;
}

static enum answer_action
check_query(struct answer_job *job, const struct answer_src *src,
	    const uint8_t *buf, size_t len, uint8_t *out, size_t cap,
	    size_t *out_len)
{
	enum msg_verdict v = msg_parse_query(buf, len, &job->q);

	job->prefetch = false;
	job->limit = src->tcp ? MSG_TCP_MAX : msg_udp_limit(&job->q);
	switch (v) {
	case MSG_QUERY_OK:
		break;
	case MSG_QUERY_DROP:
		return ANSWER_DROP;
	case MSG_QUERY_FORMERR:
		return reply_error(job, WIRE_RCODE_FORMERR, out, cap, out_len);
	case MSG_QUERY_NOTIMP:
		return reply_error(job, WIRE_RCODE_NOTIMP, out, cap, out_len);
	case MSG_QUERY_BADVERS:
		return reply_error(job, WIRE_RCODE_BADVERS, out, cap, out_len);
	}
	/* Only class IN is served; zone transfers are not offered. */
	if (job->q.qclass != WIRE_CLASS_IN || job->q.qtype == WIRE_TYPE_AXFR ||
	    job->q.qtype == WIRE_TYPE_IXFR)
		return reply_error(job, WIRE_RCODE_REFUSED, out, cap, out_len);
	/* RFC 1035 §3.2.3: MAILA/MAILB are obsolete. */
	if (job->q.qtype == WIRE_TYPE_MAILA || job->q.qtype == WIRE_TYPE_MAILB)
		return reply_error(job, WIRE_RCODE_NOTIMP, out, cap, out_len);
	return ANSWER_REPLY;
}

static void walk_begin(struct walk *w, uint8_t *out, size_t cap);

/* Whether the local answer without any firewall rule is synthesized
 * (an answer that leaves local data counts as not: its upstream reply is
 * not known yet).  Leaves a response in @out that the caller rebuilds. */
static bool
would_synthesize(struct walk *w, uint8_t *out, size_t cap)
{
	struct answer_job *job = w->job;
	size_t len;

	job->fw_probe = false;
	job->fw_done = true;
	job->trace.dns64 = false;
	walk_begin(w, out, cap);
	return resolve(w, NULL, 0, &len) == ANSWER_REPLY && job->trace.dns64;
}

/* The walk at the query name, with an empty response in @out. */
static void
walk_begin(struct walk *w, uint8_t *out, size_t cap)
{
	struct answer_job *job = w->job;

	job->chain_count = 0;
	job->chain_len = 0;
	job->alias_owner_len = 0;
	memcpy(w->name, job->q.qname_lower, job->q.qname_len);
	w->name_len = job->q.qname_len;
	memcpy(w->owner, w->name, w->name_len);
	w->owner_len = w->name_len;
	w->alias_zone = NULL;
	msg_begin(&w->b, &job->q, out, cap, job->limit);
}

/* Resolves job->q in job->view from the start (firewall first). */
static enum answer_action
start(struct answer_job *job, struct cache *cache, uint64_t random,
      bool delegation, uint64_t now_ms, uint8_t *out, size_t cap,
      size_t *out_len)
{
	struct walk w;
	enum answer_action act;

	job->trace.view = job->view;
	job->dns64_step = 0;
	job->fwd_type = job->q.qtype;
	w.job = job;
	job->fw_done = false;
	job->random = random;
	job->validate = false;
	job->vld = NULL;
	w.delegation = delegation;
	/* AWS: rules with qtype AAAA do not apply to DNS64's AAAA. */
	job->fw_probe = job->dns64 && job->q.qtype == WIRE_TYPE_AAAA;
	job->fw_skip = NULL;
	walk_begin(&w, out, cap);
	if (firewall_step(&w, out_len) == STEP_DONE)
		act = ANSWER_REPLY;
	else
		act = resolve(&w, cache, now_ms, out_len);
	if (act != ANSWER_REPLY || !job->fw_probe)
		return act;
	job->fw_probe = false;
	if (job->fw_skip == NULL)
		return act;
	if (!job->trace.dns64 && would_synthesize(&w, out, cap))
		job->fw_probe = true; /* a rule without qtype blocked it */
	else if (job->trace.dns64)
		job->fw_probe = true;
	/* Answer again: as probed when the AAAA is synthesized, else with
	 * the rules with qtype AAAA (the walk is pure, so it goes the same
	 * way up to where the rule passed over applies). */
	job->trace.firewall = NULL;
	job->trace.dns64 = false;
	job->fw_done = false;
	walk_begin(&w, out, cap);
	if (firewall_step(&w, out_len) == STEP_DONE)
		act = ANSWER_REPLY;
	else
		act = resolve(&w, cache, now_ms, out_len);
	if (job->fw_probe)
		job->trace.fw_dns64 = job->fw_skip;
	job->fw_probe = false;
	return act;
}

enum answer_action
answer_query(struct answer_job *job, const struct view_set *vs,
	     struct cache *cache, const struct answer_src *src,
	     const uint8_t *buf, size_t len, uint64_t now_ms, uint8_t *out,
	     size_t cap, size_t *out_len)
{
	enum answer_action act;

	*out_len = 0;
	act = check_query(job, src, buf, len, out, cap, out_len);
	if (act != ANSWER_REPLY || *out_len > 0)
		return act;
	memset(&job->trace, 0, sizeof(job->trace));
	if (!view_allowed(vs, src->addr, src->inbound))
		return reply_error(job, WIRE_RCODE_REFUSED, out, cap, out_len);
	job->view = view_select(vs, src->addr, src->inbound);
	job->dns64 = dns64_client(vs, job->view, src->addr);
	/* Static local data: the bytes the general path gave at load
	 * (engine/fastpath.h); what it does not hold falls through. */
	if (vs->fast != NULL && !job->dns64 && !src->delegation &&
	    fastpath_answer(vs->fast, vs, job->view, &job->q, job->limit, out,
			    cap, out_len, &job->trace.zone)) {
		job->trace.view = job->view;
		return ANSWER_REPLY;
	}
	job->wall_s = src->wall_s;
	return start(job, cache, src->random, src->delegation, now_ms, out,
		     cap, out_len);
}

enum answer_action
answer_query_view(struct answer_job *job, const struct view *v,
		  const uint8_t *buf, size_t len, uint8_t *out, size_t cap,
		  size_t *out_len)
{
	const struct answer_src src = {.inbound = VIEW_NOT_INBOUND,
				       .tcp = true};
	enum answer_action act;

	*out_len = 0;
	act = check_query(job, &src, buf, len, out, cap, out_len);
	if (act != ANSWER_REPLY || *out_len > 0)
		return act;
	memset(&job->trace, 0, sizeof(job->trace));
	job->view = v;
	job->dns64 = false;
	job->wall_s = 0;
	return start(job, NULL, 0, false, 0, out, cap, out_len);
}

/*
 * Every upstream failed (no answer, garbage, or SERVFAIL): RFC 8767
 * serve-stale answers from an expired cache entry, with the stale TTL,
 * when the cache keeps them; otherwise SERVFAIL.  An upstream SERVFAIL
 * without a stale entry passes through as SERVFAIL, as before.
 */
static size_t
upstream_failed(struct answer_job *job, struct cache *cache,
		struct msg_builder *b, uint64_t now_ms)
{
	const struct cache_entry *e;
	struct cache_key k;

	if (cache != NULL && cache_stale_ttl(cache) != 0) {
		fill_key(job, &k);
		if ((e = cache_lookup_stale(cache, &k, now_ms)) != NULL) {
			b->stale_ttl = cache_stale_ttl(cache);
			return finish_forwarded(job, b, e->rrs, e->rrs_len,
						e->count, 0, e->rcode);
		}
	}
	return msg_finish(b, WIRE_FLAG_RA, WIRE_RCODE_SERVFAIL);
}

/* The reply (validated, or not to be) as the client's answer, stored
 * in @cache only when @store. */
static size_t
finish_upstream(struct answer_job *job, struct msg_builder *b,
		struct cache *cache, bool store, int status,
		const uint8_t *reply, size_t reply_len, uint64_t now_ms)
{
	uint8_t rrs[MSG_RRS_MAX];
	struct msg_reply r;
	struct cache_key k;
	size_t len;

	if (status != VPC_OK ||
	    msg_parse_reply(reply, reply_len, job->fwd_name,
			    job->fwd_name_len, job->fwd_type, rrs, sizeof(rrs),
			    &r) != VPC_OK ||
	    r.rcode == WIRE_RCODE_SERVFAIL)
		return upstream_failed(job, cache, b, now_ms);
	/* No DNSSEC records reach a client (engine/dnssec.h); parsed above,
	 * so the strip cannot fail. */
	len = dnssec_strip(rrs, r.rrs_len, r.count, job->fwd_type);
	if (len != SIZE_MAX)
		r.rrs_len = len;
	if (job->validate &&
	    (len = dnssec_drop_additional(rrs, r.rrs_len, r.count)) != SIZE_MAX)
		r.rrs_len = len;
	/* RFC 2181 §9: a truncated reply is not complete, so it is passed
	 * on but never cached.  (c-ares retries those over TCP, so one
	 * arrives here only from an upstream that truncates over TCP.) */
	if (store && cache != NULL && !(r.flags & WIRE_FLAG_TC)) {
		fill_key(job, &k);
		cache_insert(cache, &k, &r, rrs, now_ms);
	}
	if (job->dns64_step == 1 &&
	    dns64_needs_a(r.rcode, rrs, r.rrs_len, r.count)) {
		size_t n = 0;

		dns64_ask_a(job,
			    dns64_nodata_ttl(rrs, r.rrs_len, r.count, 600));
		/* The A may be cached; else the caller asks it (return 0). */
		if (forward_type(job, b, cache, now_ms, &n) == ANSWER_REPLY)
			return n;
		return 0;
	}
	return finish_forwarded(job, b, rrs, r.rrs_len, r.count, 0, r.rcode);
}

/* A validation sub-query into job->query, asked with DO and CD. */
static void
build_subquery(struct answer_job *job, const struct validator_need *need)
{
	struct msg_query q = job->q;

	q.edns_do = true;
	q.flags |= WIRE_FLAG_CD;
	job->query_len = msg_build_upstream(&q, need->name, need->name_len,
					    need->type, job->query,
					    sizeof(job->query));
}

/*
 * DNSSEC validation of a reply (engine/validator.h): VALIDATOR_NEED with
 * the next sub-query in job->query, or the verdict; then *@reply is the
 * reply being validated (kept by the validator while sub-queries run).
 */
static enum validator_verdict
validate(struct answer_job *job, int *status, const uint8_t **reply,
	 size_t *reply_len)
{
	const struct view *v = job->view;
	struct validator_need need;
	enum validator_verdict verdict;

	if (job->vld != NULL) {
		verdict = validator_feed(job->vld, *status, *reply, *reply_len,
					 &need);
		*reply = validator_reply(job->vld, reply_len);
		*status = VPC_OK;
	} else if ((job->vld = validator_new(v->anchors, v->keys,
					     job->fwd_name, job->fwd_name_len,
					     job->fwd_type, job->wall_s)) ==
		   NULL) {
		snprintf(job->trace.dnssec_why, sizeof(job->trace.dnssec_why),
			 "out of memory");
		job->trace.dnssec = "bogus";
		return VALIDATOR_BOGUS;
	} else {
		verdict = validator_start(job->vld, *reply, *reply_len, &need);
	}
	job->trace.dnssec_queries = validator_queries(job->vld);
	if (verdict == VALIDATOR_NEED) {
		build_subquery(job, &need);
		return verdict;
	}
	job->trace.dnssec = validator_verdict_name(verdict);
	snprintf(job->trace.dnssec_why, sizeof(job->trace.dnssec_why), "%s",
		 validator_why(job->vld));
	return verdict;
}

/* answer_upstream() and answer_waiter(): validation first when the job
 * validates, then the answer, stored in @cache only when @store. */
static size_t
upstream_answer(struct answer_job *job, struct cache *cache, bool store,
		int status, const uint8_t *reply, size_t reply_len,
		uint64_t now_ms, uint8_t *out, size_t cap)
{
	struct msg_builder b;
	enum validator_verdict verdict = VALIDATOR_INSECURE;
	size_t n;

	msg_begin(&b, &job->q, out, cap, job->limit);
	/* An upstream failure of the query itself is no validation
	 * failure: it takes the usual way (serve-stale, SERVFAIL). */
	if (job->validate && (status == VPC_OK || job->vld != NULL))
		verdict = validate(job, &status, &reply, &reply_len);
	if (verdict == VALIDATOR_NEED)
		return 0;
	if (verdict == VALIDATOR_BOGUS)
		n = msg_finish(&b, WIRE_FLAG_RA, WIRE_RCODE_SERVFAIL);
	else
		n = finish_upstream(job, &b, cache, store, status, reply,
				    reply_len, now_ms);
	validator_free(job->vld);
	job->vld = NULL;
	return n;
}

size_t
answer_upstream(struct answer_job *job, struct cache *cache, int status,
		const uint8_t *reply, size_t reply_len, uint64_t now_ms,
		uint8_t *out, size_t cap)
{
	return upstream_answer(job, cache, true, status, reply, reply_len,
			       now_ms, out, cap);
}

size_t
answer_waiter(struct answer_job *job, struct cache *cache, int status,
	      const uint8_t *reply, size_t reply_len, uint64_t now_ms,
	      uint8_t *out, size_t cap)
{
	uint16_t type = job->fwd_type;
	struct msg_builder b;
	size_t n = 0;

	/* The leader's answer_upstream() stored what was cacheable: the
	 * waiter's answer is then a hit, by copy and patch. */
	if (status == VPC_OK && cache != NULL) {
		msg_begin(&b, &job->q, out, cap, job->limit);
		if (forward_type(job, &b, cache, now_ms, &n) == ANSWER_REPLY)
			return n;
		if (job->fwd_type != type)
			return 0; /* DNS64: the A is asked next */
	}
	return upstream_answer(job, cache, false, status, reply, reply_len,
			       now_ms, out, cap);
}

const char *
answer_explain(const struct answer_job *job, enum answer_action act,
	       char *out, size_t cap)
{
	const struct answer_trace *t = &job->trace;
	char zone[LOG_NAME_MAX], fwd[LOG_NAME_MAX];
	const char *view = "-";
	int n;

	if (t->view != NULL)
		view = t->view->vpc_id != NULL ? t->view->vpc_id : "outside";
	if (t->zone != NULL)
		log_name(t->zone->apex, t->zone->apex_len, zone);
	if (act == ANSWER_FORWARD)
		log_name(job->fwd_name, job->fwd_name_len, fwd);
	n = snprintf(out, cap,
		     "view=%s%s firewall=%s%s%s rule=%s%s%s zone=%s "
		     "forward=%s group=%u",
		     view,
		     t->view != NULL && t->view->inbound ? "(inbound)" : "",
		     t->firewall ? t->firewall->name : "-",
		     t->firewall ? ":" : "",
		     t->firewall ? conf_fw_action_names[t->firewall->action]
				 : "",
		     t->rule ? t->rule->conf->domain : "-",
		     t->rule ? ":" : "",
		     t->rule ? (t->rule->system ? "system"
				: t->rule->conf != NULL &&
					  t->rule->conf->type ==
						  CONF_RULE_DELEGATE
				    ? "delegate"
				    : "forward")
			     : "",
		     t->zone ? zone : "-", act == ANSWER_FORWARD ? fwd : "-",
		     act == ANSWER_FORWARD ? job->fwd_group : 0);
	if (t->policy_why != NULL && n > 0 && (size_t)n < cap)
		n += snprintf(out + n, cap - (size_t)n, " record-set=%s (%s)",
			      t->policy && t->policy->set_id ? t->policy->set_id
							     : "-",
			      t->policy_why);
	if (t->dns64 && n > 0 && (size_t)n < cap)
		n += snprintf(out + n, cap - (size_t)n, " dns64=synthesized");
	if (t->fw_dns64 != NULL && n > 0 && (size_t)n < cap)
		n += snprintf(out + n, cap - (size_t)n, " fw-dns64-passed=%s",
			      t->fw_dns64->name);
	if (t->dnssec != NULL && n > 0 && (size_t)n < cap)
		n += snprintf(out + n, cap - (size_t)n,
			      " dnssec=%s queries=%u why=\"%s\"", t->dnssec,
			      t->dnssec_queries, t->dnssec_why);
	/* The firewall's decision in detail: the name of the chain the
	 * rule matched, its query type and its redirection setting. */
	if (t->firewall != NULL && n > 0 && (size_t)n < cap) {
		const struct conf_fw_rule *f = t->firewall;

		log_name(t->fw_name, t->fw_name_len, zone);
		snprintf(out + n, cap - (size_t)n, " fw-name=%s%s%s%s", zone,
			 f->qtype_text ? " fw-qtype=" : "",
			 f->qtype_text ? f->qtype_text : "",
			 f->redirection == CONF_FW_TRUST
				 ? " fw-redirection=trust"
				 : "");
	}
	return out;
}
