/*
 * resolver/engine/validator.c - the DNSSEC validation state machine.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * validator_start() and validator_feed() both run evaluate() from the
 * beginning over the reply and the facts learned so far (the replies to
 * the sub-queries, each checked once, in the order the chain needs
 * them).  evaluate() either reaches a verdict or names the one fact it
 * lacks, which becomes the next sub-query; every sub-query adds a fact,
 * and there are at most VALIDATOR_MAX_QUERIES of them, so the loop ends.
 * Cryptography is ldns's (ldns_verify_rrsig_keylist_time(),
 * ldns_dnssec_verify_denial(), ..._nsec3()).  Every ldns object is owned
 * by the validator and freed by validator_free().
 */
#include "config.h"

#include "engine/validator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "engine/validator_internal.h"
#include "util/err.h"

enum fact_kind {
	FACT_DS_REPLY,	/* a DS reply not yet checked */
	FACT_KEY_REPLY, /* a DNSKEY reply not yet checked */
	FACT_DS,	/* validated DS set (rrs) */
	FACT_KEYS,	/* validated DNSKEY set (rrs): a secure zone */
	FACT_INSECURE,	/* proven insecure delegation */
	FACT_NOCUT,	/* proven: no delegation here */
};

struct fact {
	ldns_rdf *name; /* owned */
	enum fact_kind kind;
	ldns_pkt *pkt;	   /* owned, the *_REPLY kinds */
	ldns_rr_list *rrs; /* owned, FACT_DS and FACT_KEYS */
};

#define MAX_FACTS (VALIDATOR_MAX_QUERIES + 8)

struct validator {
	const struct validator_anchors *ta;
	struct validator_cache *cache;
	ldns_pkt *reply; /* owned: the reply being validated */
	uint8_t *raw;	 /* owned: its bytes */
	size_t raw_len;
	ldns_rdf *qname; /* owned */
	ldns_rr_type qtype;
	time_t now;
	struct fact facts[MAX_FACTS];
	size_t n_facts;
	unsigned queries;
	ldns_rdf *asked; /* owned: name of the pending query */
	ldns_rr_type asked_type;
	char why[256];
};

/* Result of one step of the evaluation. */
enum walk {
	W_SECURE,
	W_INSECURE,
	W_BOGUS,
	W_NEED,
};

static enum walk
bogus(struct validator *v, const char *what, const ldns_rdf *name,
      ldns_rr_type type)
{
	char *n = name != NULL ? ldns_rdf2str(name) : NULL;
	char *t = ldns_rr_type2str(type);

	snprintf(v->why, sizeof(v->why), "%s %s %s", what, n != NULL ? n : ".",
		 t != NULL ? t : "?");
	free(n);
	free(t);
	return W_BOGUS;
}

const char *
validator_verdict_name(enum validator_verdict verdict)
{
	switch (verdict) {
	case VALIDATOR_SECURE:
		return "secure";
	case VALIDATOR_INSECURE:
		return "insecure";
	case VALIDATOR_BOGUS:
		return "bogus";
	default:
		return "need";
	}
}

struct validator *
validator_new(const struct validator_anchors *ta, struct validator_cache *cache,
	      const uint8_t *qname, size_t qname_len, uint16_t qtype,
	      uint64_t now_s)
{
	struct validator *v = calloc(1, sizeof(*v));

	if (v == NULL)
		return NULL;
	v->ta = ta;
	v->cache = cache;
	v->qtype = (ldns_rr_type)qtype;
	v->now = (time_t)now_s;
	if (qname_len > WIRE_MAX_NAME_LEN ||
	    (v->qname = ldns_dname_new_frm_data((uint16_t)qname_len, qname)) ==
		NULL) {
		free(v);
		return NULL;
	}
	ldns_dname2canonical(v->qname);
	return v;
}

void
validator_free(struct validator *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n_facts; i++) {
		ldns_rdf_deep_free(v->facts[i].name);
		ldns_pkt_free(v->facts[i].pkt);
		ldns_rr_list_deep_free(v->facts[i].rrs);
	}
	ldns_pkt_free(v->reply);
	free(v->raw);
	ldns_rdf_deep_free(v->qname);
	ldns_rdf_deep_free(v->asked);
	free(v);
}

const uint8_t *
validator_reply(const struct validator *v, size_t *len)
{
	*len = v->raw_len;
	return v->raw;
}

unsigned
validator_queries(const struct validator *v)
{
	return v->queries;
}

const char *
validator_why(const struct validator *v)
{
	return v->why;
}

static struct fact *
find_fact(struct validator *v, const ldns_rdf *name)
{
	for (size_t i = 0; i < v->n_facts; i++)
		if (ldns_dname_compare(v->facts[i].name, name) == 0)
			return &v->facts[i];
	return NULL;
}

/* Adds a fact (takes @name, @pkt and @rrs on every path). */
static struct fact *
add_fact(struct validator *v, ldns_rdf *name, enum fact_kind kind,
	 ldns_pkt *pkt, ldns_rr_list *rrs)
{
	struct fact *f;

	if (v->n_facts == MAX_FACTS) {
		ldns_rdf_deep_free(name);
		ldns_pkt_free(pkt);
		ldns_rr_list_deep_free(rrs);
		return NULL;
	}
	f = &v->facts[v->n_facts++];
	f->name = name;
	f->kind = kind;
	f->pkt = pkt;
	f->rrs = rrs;
	return f;
}

/* The RRSIGs of @sec covering @owner/@type (a new list of clones). */
static ldns_rr_list *
sigs_for(const ldns_rr_list *sec, const ldns_rdf *owner, ldns_rr_type type)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; out != NULL && i < ldns_rr_list_rr_count(sec); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(sec, i);
		const ldns_rdf *tc;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
		    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0 ||
		    (tc = ldns_rr_rrsig_typecovered(rr)) == NULL ||
		    ldns_rdf2rr_type(tc) != type)
			continue;
		ldns_rr_list_push_rr(out, ldns_rr_clone(rr));
	}
	return out;
}

/* The RRs of @sec with @owner and @type (a new list of clones). */
static ldns_rr_list *
rrset_of(const ldns_rr_list *sec, const ldns_rdf *owner, ldns_rr_type type)
{
	ldns_rr_list *out = ldns_rr_list_new();

	for (size_t i = 0; out != NULL && i < ldns_rr_list_rr_count(sec); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(sec, i);

		if (ldns_rr_get_type(rr) == type &&
		    ldns_dname_compare(ldns_rr_owner(rr), owner) == 0)
			ldns_rr_list_push_rr(out, ldns_rr_clone(rr));
	}
	return out;
}

/* How long a validated set may be cached: its lowest TTL, and for an
 * RRSIG also its original TTL and the time to its expiration (RFC 4035
 * §5.3.3). */
static uint32_t
min_ttl(const ldns_rr_list *l, time_t now)
{
	uint32_t ttl = VALIDATOR_CACHE_MAX_TTL;

	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);

		if (ldns_rr_ttl(rr) < ttl)
			ttl = ldns_rr_ttl(rr);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
		    ldns_rr_rd_count(rr) < 9)
			continue;
		if (ldns_rdf2native_int32(ldns_rr_rdf(rr, 3)) < ttl)
			ttl = ldns_rdf2native_int32(ldns_rr_rdf(rr, 3));
		/* Serial arithmetic (RFC 4034 §3.1.5) around @now. */
		int64_t left =
		    (int32_t)(ldns_rdf2native_int32(ldns_rr_rdf(rr, 4)) -
			      (uint32_t)now);
		if (left < (int64_t)ttl)
			ttl = left > 0 ? (uint32_t)left : 0;
	}
	return ttl;
}

/*
 * RFC 4035 §5.3: @rrset is valid when one RRSIG of @sigs made by @zone
 * verifies with one of @keys inside its validity period (ldns checks the
 * period against v->now, the key tag and algorithm, and rebuilds a
 * wildcard owner from the RRSIG's label count).
 */
static bool
rrset_verifies(const struct validator *v, const ldns_rr_list *rrset,
	       const ldns_rr_list *sigs, const ldns_rdf *zone,
	       const ldns_rr_list *keys, ldns_status *st)
{
	*st = LDNS_STATUS_CRYPTO_NO_RRSIG;
	for (size_t i = 0; i < ldns_rr_list_rr_count(sigs); i++) {
		const ldns_rr *sig = ldns_rr_list_rr(sigs, i);
		const ldns_rdf *signer = ldns_rr_rrsig_signame(sig);

		if (signer == NULL || ldns_dname_compare(signer, zone) != 0) {
			*st = LDNS_STATUS_CRYPTO_NO_MATCHING_KEYTAG_DNSKEY;
			continue;
		}
		*st = ldns_verify_rrsig_keylist_time(rrset, sig, keys, v->now,
						     NULL);
		if (*st == LDNS_STATUS_OK)
			return true;
	}
	return false;
}

static enum walk
check_rrset(struct validator *v, const ldns_rr_list *sec, const ldns_rdf *owner,
	    ldns_rr_type type, const ldns_rdf *zone, const ldns_rr_list *keys)
{
	ldns_rr_list *set = rrset_of(sec, owner, type);
	ldns_rr_list *sigs = sigs_for(sec, owner, type);
	ldns_status st = LDNS_STATUS_MEM_ERR;
	enum walk w = W_SECURE;

	if (set == NULL || sigs == NULL || ldns_rr_list_rr_count(set) == 0 ||
	    !rrset_verifies(v, set, sigs, zone, keys, &st)) {
		char what[96];

		snprintf(what, sizeof(what), "%s:",
			 ldns_get_errorstr_by_id(st) != NULL
			     ? ldns_get_errorstr_by_id(st)
			     : "no valid signature");
		w = bogus(v, what, owner, type);
	}
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(sigs);
	return w;
}

/* Every RRset (RRSIGs aside) of the authority section of @pkt verifies
 * with @zone's @keys. */
static enum walk
check_authority(struct validator *v, const ldns_pkt *pkt, const ldns_rdf *zone,
		const ldns_rr_list *keys)
{
	const ldns_rr_list *auth = ldns_pkt_authority(pkt);

	for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(auth, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG)
			continue;
		if (check_rrset(v, auth, ldns_rr_owner(rr),
				ldns_rr_get_type(rr), zone, keys) != W_SECURE)
			return W_BOGUS;
	}
	return W_SECURE;
}

/* The trust anchor records for @zone (a new list of clones). */
static ldns_rr_list *
anchors_of(const struct validator *v, const ldns_rdf *zone)
{
	ldns_rr_list *out = ldns_rr_list_new();
	const ldns_rr_list *a = v->ta->rrs;

	for (size_t i = 0; out != NULL && i < ldns_rr_list_rr_count(a); i++)
		if (ldns_dname_compare(ldns_rr_owner(ldns_rr_list_rr(a, i)),
				       zone) == 0)
			ldns_rr_list_push_rr(
			    out, ldns_rr_clone(ldns_rr_list_rr(a, i)));
	return out;
}

/* The deepest trust anchor at or above @name, borrowed; NULL: none. */
static const ldns_rdf *
deepest_anchor(const struct validator *v, const ldns_rdf *name)
{
	const ldns_rr_list *a = v->ta->rrs;
	const ldns_rdf *best = NULL;

	for (size_t i = 0; i < ldns_rr_list_rr_count(a); i++) {
		const ldns_rdf *o = ldns_rr_owner(ldns_rr_list_rr(a, i));

		if ((ldns_dname_compare(o, name) == 0 ||
		     ldns_dname_is_subdomain(name, o)) &&
		    (best == NULL ||
		     ldns_dname_label_count(o) > ldns_dname_label_count(best)))
			best = o;
	}
	return best;
}

/* Whether DNSKEY @key is vouched for by @trust (DS digests, RFC 4035
 * §5.2, or DNSKEY anchors compared without TTL). */
static bool
key_trusted(const ldns_rr *key, const ldns_rr_list *trust)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(trust); i++) {
		const ldns_rr *t = ldns_rr_list_rr(trust, i);

		if (ldns_rr_get_type(t) == LDNS_RR_TYPE_DS &&
		    ldns_rr_compare_ds(t, key))
			return true;
		if (ldns_rr_get_type(t) == LDNS_RR_TYPE_DNSKEY &&
		    ldns_rr_compare(t, key) == 0)
			return true;
	}
	return false;
}

/* RFC 4035 §5.2: the DNSKEY reply of fact @f is signed by a key @trust
 * vouches for; then the whole set is @f's zone's keys. */
static enum walk
check_keys(struct validator *v, struct fact *f, const ldns_rr_list *trust)
{
	const ldns_rr_list *ans = ldns_pkt_answer(f->pkt);
	ldns_rr_list *set = rrset_of(ans, f->name, LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *sigs = sigs_for(ans, f->name, LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *good = ldns_rr_list_new();
	ldns_status st = LDNS_STATUS_MEM_ERR;
	enum walk w = W_BOGUS;

	for (size_t i = 0;
	     good != NULL && set != NULL && i < ldns_rr_list_rr_count(set); i++)
		if (key_trusted(ldns_rr_list_rr(set, i), trust))
			ldns_rr_list_push_rr(good, ldns_rr_list_rr(set, i));
	if (good == NULL || sigs == NULL || set == NULL)
		bogus(v, "out of memory checking", f->name,
		      LDNS_RR_TYPE_DNSKEY);
	else if (ldns_rr_list_rr_count(good) == 0)
		bogus(v, "no DNSKEY matches the DS or anchor of", f->name,
		      LDNS_RR_TYPE_DNSKEY);
	else if (!rrset_verifies(v, set, sigs, f->name, good, &st)) {
		char what[96];

		snprintf(what, sizeof(what), "%s:",
			 ldns_get_errorstr_by_id(st) != NULL
			     ? ldns_get_errorstr_by_id(st)
			     : "no valid signature by the KSK");
		bogus(v, what, f->name, LDNS_RR_TYPE_DNSKEY);
	} else
		w = W_SECURE;
	/* good borrows the RRs of set. */
	ldns_rr_list_free(good);
	if (w == W_SECURE) {
		uint32_t ttl = min_ttl(set, v->now),
			 sttl = min_ttl(sigs, v->now);

		validator_cache_put(v->cache, f->name, set,
				    ttl < sttl ? ttl : sttl, (uint64_t)v->now);
		/* @trust may be f->rrs (the DS set): no longer needed. */
		ldns_rr_list_deep_free(f->rrs);
		ldns_pkt_free(f->pkt);
		f->pkt = NULL;
		f->kind = FACT_KEYS;
		f->rrs = set;
		ldns_rr_list_deep_free(sigs);
		return W_SECURE;
	}
	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(set);
	return W_BOGUS;
}

static enum walk
need(struct validator *v, const ldns_rdf *name, ldns_rr_type type)
{
	if (v->queries >= VALIDATOR_MAX_QUERIES)
		return bogus(v, "too many sub-queries, at", name, type);
	ldns_rdf_deep_free(v->asked);
	if ((v->asked = ldns_rdf_clone(name)) == NULL)
		return bogus(v, "out of memory asking", name, type);
	v->asked_type = type;
	return W_NEED;
}

/* The keys of the trust anchor @zone, known, cached, or checked from
 * its DNSKEY reply against the anchor records @trust.  *@keys is
 * borrowed from the fact. */
static enum walk
anchor_keys(struct validator *v, const ldns_rdf *zone,
	    const ldns_rr_list *trust, const ldns_rr_list **keys)
{
	struct fact *f = find_fact(v, zone);
	ldns_rr_list *cached = NULL;

	if (f == NULL &&
	    validator_cache_get(v->cache, zone, (uint64_t)v->now, &cached)) {
		f = add_fact(v, ldns_rdf_clone(zone),
			     cached != NULL ? FACT_KEYS : FACT_INSECURE, NULL,
			     cached);
		if (f == NULL)
			return bogus(v, "too many facts at", zone,
				     LDNS_RR_TYPE_DNSKEY);
	}
	if (f != NULL && f->kind == FACT_KEY_REPLY &&
	    check_keys(v, f, trust) != W_SECURE)
		return W_BOGUS;
	if (f != NULL && f->kind == FACT_KEYS) {
		*keys = f->rrs;
		return W_SECURE;
	}
	if (f != NULL && f->kind == FACT_INSECURE)
		return W_INSECURE;
	return need(v, zone, LDNS_RR_TYPE_DNSKEY);
}

/* What an NSEC or NSEC3 bitmap @bm says about a DS query for a name. */
static enum fact_kind
ds_denial_kind(const ldns_rdf *bm, bool *bad)
{
	/* RFC 4035 §5.2: NS without SOA at the name is a delegation; with
	 * no DS it is insecure.  A DS bit would contradict the NODATA. */
	*bad = ldns_nsec_bitmap_covers_type(bm, LDNS_RR_TYPE_DS);
	if (ldns_nsec_bitmap_covers_type(bm, LDNS_RR_TYPE_NS) &&
	    !ldns_nsec_bitmap_covers_type(bm, LDNS_RR_TYPE_SOA))
		return FACT_INSECURE;
	return FACT_NOCUT;
}

/* The NSEC3 of @n3 whose owner is the hash of @name (borrowed), NULL
 * when none; *@covered: one covers the hash, *@optout: such a one has
 * the opt-out flag. */
static const ldns_rr *
nsec3_match(const ldns_rr_list *n3, const ldns_rdf *name, bool *covered,
	    bool *optout)
{
	ldns_rdf *zone, *h;
	const ldns_rr *match = NULL;

	*covered = *optout = false;
	zone = ldns_dname_left_chop(ldns_rr_owner(ldns_rr_list_rr(n3, 0)));
	h = ldns_nsec3_hash_name_frm_nsec3(ldns_rr_list_rr(n3, 0), name);
	if (zone == NULL || h == NULL ||
	    ldns_dname_cat(h, zone) != LDNS_STATUS_OK)
		goto out;
	for (size_t i = 0; match == NULL && i < ldns_rr_list_rr_count(n3);
	     i++) {
		const ldns_rr *r = ldns_rr_list_rr(n3, i);

		if (ldns_dname_compare(ldns_rr_owner(r), h) == 0)
			match = r;
		else if (ldns_nsec_covers_name(r, h)) {
			*covered = true;
			*optout = *optout || ldns_nsec3_optout(r);
		}
	}
out:
	ldns_rdf_deep_free(zone);
	ldns_rdf_deep_free(h);
	return match;
}

/* RFC 5155 §8.6: the NSEC3 records for a DS NODATA of @name. */
static int
ds_denial_nsec3(const ldns_rr_list *n3, const ldns_rdf *name,
		enum fact_kind *kind)
{
	bool bad = false, covered, optout;
	const ldns_rr *m = nsec3_match(n3, name, &covered, &optout);

	if (m != NULL) {
		*kind = ds_denial_kind(ldns_nsec3_bitmap(m), &bad);
		return bad ? VPC_EMALFORMED : VPC_OK;
	}
	/* §6: a covering opt-out NSEC3 leaves the delegation insecure. */
	if (!covered)
		return VPC_ENOTFOUND;
	*kind = optout ? FACT_INSECURE : FACT_NOCUT;
	return VPC_OK;
}

/* RFC 4035 §5.4: the NSEC records for a DS NODATA or NXDOMAIN. */
static int
ds_denial_nsec(const ldns_rr_list *nsec, const ldns_rdf *name,
	       enum fact_kind *kind)
{
	bool bad = false, covered = false;

	for (size_t i = 0; i < ldns_rr_list_rr_count(nsec); i++) {
		const ldns_rr *r = ldns_rr_list_rr(nsec, i);

		if (ldns_dname_compare(ldns_rr_owner(r), name) == 0) {
			*kind = ds_denial_kind(ldns_nsec_get_bitmap(r), &bad);
			return bad ? VPC_EMALFORMED : VPC_OK;
		}
		covered = covered || ldns_nsec_covers_name(r, name);
	}
	/* The name does not exist, so nothing is delegated there. */
	*kind = FACT_NOCUT;
	return covered ? VPC_OK : VPC_ENOTFOUND;
}

/* A DS reply for @f->name, checked with the keys of @zone above it. */
static enum walk
check_ds(struct validator *v, struct fact *f, const ldns_rdf *zone,
	 const ldns_rr_list *keys)
{
	ldns_pkt *p = f->pkt;
	ldns_rr_list *ds = NULL, *den = NULL;
	enum fact_kind kind = FACT_NOCUT;
	int rc;

	if (ldns_pkt_get_rcode(p) != LDNS_RCODE_NOERROR &&
	    ldns_pkt_get_rcode(p) != LDNS_RCODE_NXDOMAIN)
		return bogus(v, "DS query failed for", f->name,
			     LDNS_RR_TYPE_DS);
	ds = rrset_of(ldns_pkt_answer(p), f->name, LDNS_RR_TYPE_DS);
	if (ds != NULL && ldns_rr_list_rr_count(ds) > 0 &&
	    ldns_pkt_get_rcode(p) == LDNS_RCODE_NOERROR) {
		if (check_rrset(v, ldns_pkt_answer(p), f->name, LDNS_RR_TYPE_DS,
				zone, keys) != W_SECURE) {
			ldns_rr_list_deep_free(ds);
			return W_BOGUS;
		}
		kind = FACT_DS;
		goto done;
	}
	ldns_rr_list_deep_free(ds);
	ds = NULL;
	if (check_authority(v, p, zone, keys) != W_SECURE)
		return W_BOGUS;
	if ((den = ldns_pkt_rr_list_by_type(p, LDNS_RR_TYPE_NSEC,
					    LDNS_SECTION_AUTHORITY)) != NULL)
		rc = ds_denial_nsec(den, f->name, &kind);
	else if ((den = ldns_pkt_rr_list_by_type(
		      p, LDNS_RR_TYPE_NSEC3, LDNS_SECTION_AUTHORITY)) != NULL)
		rc = ds_denial_nsec3(den, f->name, &kind);
	else
		rc = VPC_ENOTFOUND;
	ldns_rr_list_deep_free(den);
	if (rc != VPC_OK)
		return bogus(v, "no proof of the absence of", f->name,
			     LDNS_RR_TYPE_DS);
	if (kind == FACT_INSECURE)
		validator_cache_put(v->cache, f->name, NULL,
				    min_ttl(ldns_pkt_authority(p), v->now),
				    (uint64_t)v->now);
done:
	ldns_pkt_free(f->pkt);
	f->pkt = NULL;
	f->kind = kind;
	f->rrs = ds;
	return W_SECURE;
}

/*
 * The chain of trust from the deepest anchor down to @target: W_SECURE
 * with the keys of the zone holding @target (*@zone, *@keys borrowed),
 * W_INSECURE below a proven insecure delegation or under no anchor,
 * W_NEED or W_BOGUS.
 */
static enum walk
chain(struct validator *v, const ldns_rdf *target, const ldns_rdf **zone,
      const ldns_rr_list **keys)
{
	const ldns_rdf *anchor = deepest_anchor(v, target);
	ldns_rr_list *trust;
	uint8_t depth, tl = ldns_dname_label_count(target);
	enum walk w;

	if (anchor == NULL)
		return W_INSECURE;
	if ((trust = anchors_of(v, anchor)) == NULL)
		return bogus(v, "out of memory at", anchor,
			     LDNS_RR_TYPE_DNSKEY);
	w = anchor_keys(v, anchor, trust, keys);
	ldns_rr_list_deep_free(trust);
	if (w != W_SECURE)
		return w;
	*zone = find_fact(v, anchor)->name;
	for (depth = ldns_dname_label_count(anchor); depth < tl;) {
		ldns_rdf *next =
		    ldns_dname_clone_from(target, (uint16_t)(tl - depth - 1));
		struct fact *f;

		if (next == NULL)
			return bogus(v, "out of memory at", target,
				     LDNS_RR_TYPE_DS);
		if ((f = find_fact(v, next)) == NULL) {
			ldns_rr_list *cached = NULL;

			if (validator_cache_get(v->cache, next,
						(uint64_t)v->now, &cached)) {
				f = add_fact(v, next,
					     cached ? FACT_KEYS : FACT_INSECURE,
					     NULL, cached);
				if (f == NULL)
					return bogus(v, "too many facts at",
						     target, LDNS_RR_TYPE_DS);
				continue;
			}
			w = need(v, next, LDNS_RR_TYPE_DS);
			ldns_rdf_deep_free(next);
			return w;
		}
		ldns_rdf_deep_free(next);
		switch (f->kind) {
		case FACT_DS_REPLY:
			if (check_ds(v, f, *zone, *keys) != W_SECURE)
				return W_BOGUS;
			continue; /* look at the same name again */
		case FACT_DS:
			/* Its DNSKEY reply lands in the same fact. */
			if (f->pkt == NULL)
				return need(v, f->name, LDNS_RR_TYPE_DNSKEY);
			if (check_keys(v, f, f->rrs) != W_SECURE)
				return W_BOGUS;
			continue;
		case FACT_KEY_REPLY: /* only anchors have these */
			return bogus(v, "unexpected DNSKEY reply for", f->name,
				     LDNS_RR_TYPE_DNSKEY);
		case FACT_KEYS:
			*keys = f->rrs;
			*zone = f->name;
			break;
		case FACT_INSECURE:
			return W_INSECURE;
		case FACT_NOCUT:
			break;
		}
		depth++;
	}
	return W_SECURE;
}

/* RFC 4592 / RFC 4035 §5.3.4: a wildcard expansion of @owner (the
 * RRSIG's label count is lower) is valid only with a proof in the
 * authority section that the next closer name does not exist. */
static enum walk
check_wildcard(struct validator *v, const ldns_rr_list *sigs,
	       const ldns_rdf *owner, ldns_rr_type type)
{
	const ldns_rr_list *auth = ldns_pkt_authority(v->reply);
	uint8_t labels = ldns_rdf2native_int8(
	    ldns_rr_rrsig_labels(ldns_rr_list_rr(sigs, 0)));
	uint8_t ol = ldns_dname_label_count(owner);
	ldns_rdf *nc;
	bool proven = false;

	if (labels >= ol)
		return W_SECURE;
	if ((nc = ldns_dname_clone_from(owner, (uint16_t)(ol - labels - 1))) ==
	    NULL)
		return bogus(v, "out of memory checking", owner, type);
	for (size_t i = 0; !proven && i < ldns_rr_list_rr_count(auth); i++) {
		const ldns_rr *r = ldns_rr_list_rr(auth, i);
		ldns_rdf *h, *z;

		if (ldns_rr_get_type(r) == LDNS_RR_TYPE_NSEC)
			proven =
			    ldns_dname_compare(ldns_rr_owner(r), nc) != 0 &&
			    ldns_nsec_covers_name(r, nc);
		if (ldns_rr_get_type(r) != LDNS_RR_TYPE_NSEC3)
			continue;
		h = ldns_nsec3_hash_name_frm_nsec3(r, nc);
		z = ldns_dname_left_chop(ldns_rr_owner(r));
		if (h != NULL && z != NULL &&
		    ldns_dname_cat(h, z) == LDNS_STATUS_OK)
			proven = ldns_nsec_covers_name(r, h);
		ldns_rdf_deep_free(h);
		ldns_rdf_deep_free(z);
	}
	ldns_rdf_deep_free(nc);
	if (!proven)
		return bogus(v, "wildcard expansion without proof:", owner,
			     type);
	return W_SECURE;
}

/* The signer of the RRset @owner/@type in @sec, borrowed from its first
 * RRSIG; NULL when unsigned. */
static const ldns_rdf *
signer_of(const ldns_rr_list *sec, const ldns_rdf *owner, ldns_rr_type type)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(sec); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(sec, i);
		const ldns_rdf *tc = ldns_rr_rrsig_typecovered(rr);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG && tc != NULL &&
		    ldns_rdf2rr_type(tc) == type &&
		    ldns_dname_compare(ldns_rr_owner(rr), owner) == 0)
			return ldns_rr_rrsig_signame(rr);
	}
	return NULL;
}

/* One RRset of the reply: signed and verified up to an anchor, or
 * proven insecure. */
static enum walk
check_one(struct validator *v, const ldns_rr_list *sec, const ldns_rr *rr,
	  bool answer)
{
	const ldns_rdf *owner = ldns_rr_owner(rr), *signer, *zone = NULL;
	ldns_rr_type type = ldns_rr_get_type(rr);
	const ldns_rr_list *keys = NULL;
	ldns_rr_list *sigs;
	enum walk w;

	if ((signer = signer_of(sec, owner, type)) == NULL) {
		/* RFC 4035 §5.2: unsigned data is fine only below an
		 * insecure delegation. */
		w = chain(v, owner, &zone, &keys);
		if (w == W_SECURE)
			return bogus(
			    v, "unsigned RRset in a signed zone:", owner, type);
		return w;
	}
	if (ldns_dname_compare(owner, signer) != 0 &&
	    !ldns_dname_is_subdomain(owner, signer))
		return bogus(v, "signer is not above the owner:", owner, type);
	if ((w = chain(v, signer, &zone, &keys)) != W_SECURE)
		return w;
	if (ldns_dname_compare(zone, signer) != 0)
		return bogus(v, "signer is no zone apex:", owner, type);
	if (check_rrset(v, sec, owner, type, zone, keys) != W_SECURE)
		return W_BOGUS;
	if (!answer)
		return W_SECURE;
	if ((sigs = sigs_for(sec, owner, type)) == NULL)
		return bogus(v, "out of memory checking", owner, type);
	w = check_wildcard(v, sigs, owner, type);
	ldns_rr_list_deep_free(sigs);
	return w;
}

/* Whether the RR at @i of @l starts an RRset (is the first of its owner
 * and type), so each RRset is checked once. */
static bool
first_of_rrset(const ldns_rr_list *l, size_t i)
{
	const ldns_rr *rr = ldns_rr_list_rr(l, i);

	if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG)
		return false;
	for (size_t j = 0; j < i; j++) {
		const ldns_rr *o = ldns_rr_list_rr(l, j);

		if (ldns_rr_get_type(o) == ldns_rr_get_type(rr) &&
		    ldns_dname_compare(ldns_rr_owner(o), ldns_rr_owner(rr)) ==
			0)
			return false;
	}
	return true;
}

/* The name the answer ends at: @qname through the answer's CNAMEs. */
static const ldns_rdf *
final_name(const ldns_pkt *p, const ldns_rdf *qname)
{
	const ldns_rr_list *ans = ldns_pkt_answer(p);
	const ldns_rdf *cur = qname;

	for (unsigned hop = 0; hop < 16; hop++) {
		const ldns_rdf *next = NULL;

		for (size_t i = 0; i < ldns_rr_list_rr_count(ans); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(ans, i);

			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME &&
			    ldns_dname_compare(ldns_rr_owner(rr), cur) == 0)
				next = ldns_rr_rdf(rr, 0);
		}
		if (next == NULL || ldns_dname_compare(next, cur) == 0)
			break;
		cur = next;
	}
	return cur;
}

/* The zone that signed the denial: the signer of the authority's SOA,
 * else of its first NSEC or NSEC3; NULL when unsigned. */
static const ldns_rdf *
denial_signer(const ldns_pkt *p)
{
	const ldns_rr_list *auth = ldns_pkt_authority(p);
	const ldns_rdf *s = NULL;

	for (size_t i = 0; s == NULL && i < ldns_rr_list_rr_count(auth); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(auth, i);
		ldns_rr_type t = ldns_rr_get_type(rr);

		if (t == LDNS_RR_TYPE_SOA || t == LDNS_RR_TYPE_NSEC ||
		    t == LDNS_RR_TYPE_NSEC3)
			s = signer_of(auth, ldns_rr_owner(rr), t);
	}
	return s;
}

/* RFC 5155 §8.5: a NODATA with the name's own NSEC3 is checked here
 * (ldns's check of that case leaks the hashed name); the rest (§8.4
 * NXDOMAIN, §8.7 wildcard NODATA) by ldns. */
static ldns_status
denial_nsec3(ldns_rr *q, ldns_rr_list *n3, ldns_rr_list *sigs,
	     ldns_pkt_rcode rc, ldns_rr_type qtype)
{
	bool covered, optout;
	const ldns_rr *m;

	if (rc == LDNS_RCODE_NOERROR &&
	    (m = nsec3_match(n3, ldns_rr_owner(q), &covered, &optout)) !=
		NULL) {
		const ldns_rdf *bm = ldns_nsec3_bitmap(m);

		if (ldns_nsec_bitmap_covers_type(bm, qtype) ||
		    ldns_nsec_bitmap_covers_type(bm, LDNS_RR_TYPE_CNAME))
			return LDNS_STATUS_DNSSEC_NSEC_RR_NOT_COVERED;
		return LDNS_STATUS_OK;
	}
	return ldns_dnssec_verify_denial_nsec3(q, n3, sigs, rc, qtype, true);
}

/* RFC 4035 §5.4, RFC 5155 §8.4-8.7: the NSEC or NSEC3 records prove
 * that @name has no @type (NODATA) or does not exist (NXDOMAIN). */
static enum walk
check_denial(struct validator *v, const ldns_rdf *name)
{
	const ldns_pkt *p = v->reply;
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(p);
	ldns_rr_list *nsec, *n3, *sigs;
	ldns_status st = LDNS_STATUS_DNSSEC_NSEC_RR_NOT_COVERED;
	ldns_rr *q = ldns_rr_new();

	nsec = ldns_pkt_rr_list_by_type(p, LDNS_RR_TYPE_NSEC,
					LDNS_SECTION_AUTHORITY);
	n3 = ldns_pkt_rr_list_by_type(p, LDNS_RR_TYPE_NSEC3,
				      LDNS_SECTION_AUTHORITY);
	sigs = ldns_pkt_rr_list_by_type(p, LDNS_RR_TYPE_RRSIG,
					LDNS_SECTION_AUTHORITY);
	if (q != NULL) {
		ldns_rr_set_owner(q, ldns_rdf_clone(name));
		ldns_rr_set_type(q, v->qtype);
		ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
	}
	if (q == NULL || ldns_rr_owner(q) == NULL || sigs == NULL)
		;
	else if (nsec != NULL) {
		st = ldns_dnssec_verify_denial(q, nsec, sigs);
		/* ldns accepts a matching NSEC for either; NXDOMAIN must
		 * not have the name's own NSEC. */
		for (size_t i = 0;
		     st == LDNS_STATUS_OK && rc == LDNS_RCODE_NXDOMAIN &&
		     i < ldns_rr_list_rr_count(nsec);
		     i++)
			if (ldns_dname_compare(
				ldns_rr_owner(ldns_rr_list_rr(nsec, i)),
				name) == 0)
				st = LDNS_STATUS_DNSSEC_NSEC_RR_NOT_COVERED;
	} else if (n3 != NULL)
		st = denial_nsec3(q, n3, sigs, rc, v->qtype);
	ldns_rr_free(q);
	ldns_rr_list_deep_free(nsec);
	ldns_rr_list_deep_free(n3);
	ldns_rr_list_deep_free(sigs);
	if (st != LDNS_STATUS_OK)
		return bogus(v,
			     rc == LDNS_RCODE_NXDOMAIN
				 ? "no proof of nonexistence:"
				 : "no proof of no data:",
			     name, v->qtype);
	return W_SECURE;
}

/* Whether the answer section holds @type at @name. */
static bool
has_data(const ldns_pkt *p, const ldns_rdf *name, ldns_rr_type type)
{
	const ldns_rr_list *ans = ldns_pkt_answer(p);

	for (size_t i = 0; i < ldns_rr_list_rr_count(ans); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(ans, i);

		if ((ldns_rr_get_type(rr) == type ||
		     (type == LDNS_RR_TYPE_ANY &&
		      ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG)) &&
		    ldns_dname_compare(ldns_rr_owner(rr), name) == 0)
			return true;
	}
	return false;
}

/* The whole reply: every RRset of the answer and authority sections,
 * then the denial when there is no data. */
static enum walk
evaluate(struct validator *v)
{
	const ldns_pkt *p = v->reply;
	const ldns_rr_list *secs[2] = {ldns_pkt_answer(p),
				       ldns_pkt_authority(p)};
	const ldns_rdf *name, *signer, *zone = NULL;
	const ldns_rr_list *keys = NULL;
	bool insecure = false;
	enum walk w;

	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < ldns_rr_list_rr_count(secs[s]); i++) {
			if (!first_of_rrset(secs[s], i))
				continue;
			w = check_one(v, secs[s], ldns_rr_list_rr(secs[s], i),
				      s == 0);
			if (w == W_NEED || w == W_BOGUS)
				return w;
			insecure = insecure || w == W_INSECURE;
		}
	name = final_name(p, v->qname);
	if (ldns_pkt_get_rcode(p) != LDNS_RCODE_NXDOMAIN &&
	    has_data(p, name, v->qtype))
		return insecure ? W_INSECURE : W_SECURE;
	/* No data: the proof comes from the zone that signed the denial;
	 * without one the name must be below an insecure delegation. */
	if ((signer = denial_signer(p)) == NULL) {
		w = chain(v, name, &zone, &keys);
		if (w == W_SECURE)
			return bogus(v, "unsigned negative answer:", name,
				     v->qtype);
		return w;
	}
	if ((w = chain(v, signer, &zone, &keys)) != W_SECURE)
		return w;
	if ((w = check_denial(v, name)) != W_SECURE)
		return w;
	return insecure ? W_INSECURE : W_SECURE;
}

static enum validator_verdict
verdict(struct validator *v, enum walk w, struct validator_need *need)
{
	size_t len;

	switch (w) {
	case W_SECURE:
		snprintf(v->why, sizeof(v->why), "secure");
		return VALIDATOR_SECURE;
	case W_INSECURE:
		snprintf(v->why, sizeof(v->why), "insecure");
		return VALIDATOR_INSECURE;
	case W_BOGUS:
		return VALIDATOR_BOGUS;
	case W_NEED:
		break;
	}
	len = ldns_rdf_size(v->asked);
	if (len > sizeof(need->name)) {
		snprintf(v->why, sizeof(v->why), "sub-query name too long");
		return VALIDATOR_BOGUS;
	}
	memcpy(need->name, ldns_rdf_data(v->asked), len);
	need->name_len = len;
	need->type = (uint16_t)v->asked_type;
	v->queries++;
	return VALIDATOR_NEED;
}

enum validator_verdict
validator_start(struct validator *v, const uint8_t *reply, size_t len,
		struct validator_need *need)
{
	if (v->raw != NULL || (v->raw = malloc(len > 0 ? len : 1)) == NULL) {
		snprintf(v->why, sizeof(v->why), "out of memory");
		return VALIDATOR_BOGUS;
	}
	memcpy(v->raw, reply, len);
	v->raw_len = len;
	if (ldns_wire2pkt(&v->reply, reply, len) != LDNS_STATUS_OK) {
		v->reply = NULL;
		snprintf(v->why, sizeof(v->why), "reply does not parse");
		return VALIDATOR_BOGUS;
	}
	/* Only NOERROR and NXDOMAIN carry data or a denial to check; the
	 * other RCODEs pass as they are (answer_upstream() handles them). */
	if (ldns_pkt_get_rcode(v->reply) != LDNS_RCODE_NOERROR &&
	    ldns_pkt_get_rcode(v->reply) != LDNS_RCODE_NXDOMAIN) {
		snprintf(v->why, sizeof(v->why), "rcode carries no data");
		return VALIDATOR_INSECURE;
	}
	return verdict(v, evaluate(v), need);
}

/* The sub-reply must answer the question that was asked. */
static bool
answers_asked(const struct validator *v, const ldns_pkt *p)
{
	const ldns_rr *q;

	if (ldns_pkt_qdcount(p) != 1 ||
	    (q = ldns_rr_list_rr(ldns_pkt_question(p), 0)) == NULL)
		return false;
	return ldns_rr_get_type(q) == v->asked_type &&
	       ldns_dname_compare(ldns_rr_owner(q), v->asked) == 0;
}

enum validator_verdict
validator_feed(struct validator *v, int status, const uint8_t *reply,
	       size_t len, struct validator_need *need)
{
	ldns_pkt *p = NULL;
	struct fact *f;

	if (v->asked == NULL || v->reply == NULL) {
		snprintf(v->why, sizeof(v->why), "nothing was asked");
		return VALIDATOR_BOGUS;
	}
	if (status != VPC_OK ||
	    ldns_wire2pkt(&p, reply, len) != LDNS_STATUS_OK ||
	    !answers_asked(v, p)) {
		ldns_pkt_free(p);
		bogus(v, "no usable reply to", v->asked, v->asked_type);
		return VALIDATOR_BOGUS;
	}
	f = find_fact(v, v->asked);
	if (v->asked_type == LDNS_RR_TYPE_DNSKEY && f != NULL &&
	    f->kind == FACT_DS && f->pkt == NULL)
		f->pkt = p;
	else if (f != NULL ||
		 add_fact(v, ldns_rdf_clone(v->asked),
			  v->asked_type == LDNS_RR_TYPE_DS ? FACT_DS_REPLY
							   : FACT_KEY_REPLY,
			  p, NULL) == NULL) {
		if (f != NULL)
			ldns_pkt_free(p);
		bogus(v, "cannot keep the reply to", v->asked, v->asked_type);
		return VALIDATOR_BOGUS;
	}
	ldns_rdf_deep_free(v->asked);
	v->asked = NULL;
	return verdict(v, evaluate(v), need);
}
