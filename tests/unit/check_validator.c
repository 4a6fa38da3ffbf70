/*
 * tests/unit/check_validator.c - unit tests of DNSSEC validation.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The fixtures are made here, each run: ECDSA P-256 keys from ldns, a
 * parent zone val.test (NSEC) with a signed child sub.val.test (NSEC3,
 * its DS in the parent) and an unsigned child insecure.val.test (no DS),
 * all signed with ldns_zone_sign*() for 2026-01-01 .. 2030-01-01.  The
 * validator's clock is a fixed argument (NOW, inside that window, or
 * outside it for the expiry cases), so nothing depends on the machine's
 * clock.  respond() is a small authoritative server over the signed
 * zones that answers the validator's DS and DNSKEY sub-queries and the
 * queries under test, as an upstream asked with DO would.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <ldns/ldns.h>

#include "engine/validator.h"
#include "util/err.h"

#define INCEPTION 1767225600u  /* 2026-01-01 */
#define EXPIRATION 1893456000u /* 2030-01-01 */
#define NOW 1790000000u	       /* 2026-09-21 */

struct fixture {
	ldns_zone *parent, *child; /* signed */
	ldns_rr *anchor_ds;	   /* DS of the parent's KSK */
	ldns_rr *anchor_key;	   /* the parent's KSK */
};

static struct fixture fx;

static ldns_rdf *
dn(const char *s)
{
	ldns_rdf *d = ldns_dname_new_frm_str(s);

	ck_assert_ptr_nonnull(d);
	return d;
}

static ldns_key *
make_key(const char *owner, bool ksk)
{
	ldns_key *k =
	    ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);
	ldns_rr *rr;

	ck_assert_ptr_nonnull(k);
	ldns_key_set_pubkey_owner(k, dn(owner));
	ldns_key_set_flags(k, ksk ? 257 : 256);
	ldns_key_set_inception(k, INCEPTION);
	ldns_key_set_expiration(k, EXPIRATION);
	/* The tag ldns computed at creation is of the old flags. */
	rr = ldns_key2rr(k);
	ldns_key_set_keytag(k, ldns_calc_keytag(rr));
	ldns_rr_free(rr);
	return k;
}

static ldns_zone *
text_zone(const char *text)
{
	ldns_zone *z = NULL;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(
	    ldns_zone_new_frm_fp(&z, fp, NULL, 300, LDNS_RR_CLASS_IN),
	    LDNS_STATUS_OK);
	fclose(fp);
	return z;
}

/* Signs @z with a new KSK and ZSK (and their DNSKEYs); *@ksk_rr is the
 * KSK's DNSKEY. */
static ldns_zone *
sign(ldns_zone *z, const char *owner, bool nsec3, ldns_rr **ksk_rr)
{
	ldns_key_list *keys = ldns_key_list_new();
	ldns_key *ksk = make_key(owner, true), *zsk = make_key(owner, false);
	ldns_zone *signed_z;

	ldns_key_list_push_key(keys, ksk);
	ldns_key_list_push_key(keys, zsk);
	*ksk_rr = ldns_key2rr(ksk);
	ldns_zone_push_rr(z, ldns_rr_clone(*ksk_rr));
	ldns_zone_push_rr(z, ldns_key2rr(zsk));
	signed_z = nsec3 ? ldns_zone_sign_nsec3(z, keys, 1, 0, 0, 0, NULL)
			 : ldns_zone_sign(z, keys);
	ck_assert_ptr_nonnull(signed_z);
	ldns_key_list_free(keys); /* frees the keys too */
	return signed_z;
}

static void
setup(void)
{
	ldns_zone *child =
	    text_zone("$ORIGIN sub.val.test.\n"
		      "@ SOA ns.val.test. h.val.test. 1 3600 900 604800 300\n"
		      "@ NS ns.val.test.\n"
		      "www A 192.0.2.20\n"
		      "alias CNAME www.val.test.\n");
	ldns_zone *parent =
	    text_zone("$ORIGIN val.test.\n"
		      "@ SOA ns.val.test. h.val.test. 1 3600 900 604800 300\n"
		      "@ NS ns.val.test.\n"
		      "ns A 127.0.0.1\n"
		      "www A 192.0.2.10\n"
		      "*.wild A 192.0.2.77\n"
		      "sub NS ns.val.test.\n"
		      "insecure NS ns.val.test.\n");
	ldns_rr *child_ksk;

	fx.child = sign(child, "sub.val.test.", true, &child_ksk);
	ldns_zone_push_rr(parent, ldns_key_rr2ds(child_ksk, LDNS_SHA256));
	fx.parent = sign(parent, "val.test.", false, &fx.anchor_key);
	fx.anchor_ds = ldns_key_rr2ds(fx.anchor_key, LDNS_SHA256);
	ldns_rr_free(child_ksk);
	ldns_zone_deep_free(child);
	ldns_zone_deep_free(parent);
}

static void
teardown(void)
{
	ldns_zone_deep_free(fx.parent);
	ldns_zone_deep_free(fx.child);
	ldns_rr_free(fx.anchor_ds);
	ldns_rr_free(fx.anchor_key);
}

/* ---- a small authoritative server over the signed zones ---------------- */

static const ldns_rdf *
apex(const ldns_zone *z)
{
	return ldns_rr_owner(ldns_zone_soa(z));
}

static bool
in_zone(const ldns_zone *z, const ldns_rdf *name)
{
	return ldns_dname_compare(apex(z), name) == 0 ||
	       ldns_dname_is_subdomain(name, apex(z));
}

/* Every RR of @z (SOA included) matching @owner and @type, or RRSIGs
 * covering @type when @sigs, pushed to @sec. */
static size_t
push(ldns_rr_list *sec, const ldns_zone *z, const ldns_rdf *owner,
     ldns_rr_type type, bool sigs)
{
	ldns_rr_list *all = ldns_rr_list_new();
	size_t n = 0;

	ldns_rr_list_push_rr(all, ldns_zone_soa(z));
	ldns_rr_list_cat(all, ldns_zone_rrs(z));
	for (size_t i = 0; i < ldns_rr_list_rr_count(all); i++) {
		ldns_rr *rr = ldns_rr_list_rr(all, i);
		ldns_rr_type t = ldns_rr_get_type(rr);

		if (ldns_dname_compare(ldns_rr_owner(rr), owner) != 0)
			continue;
		if (sigs ? t == LDNS_RR_TYPE_RRSIG &&
			       ldns_rdf2rr_type(
				   ldns_rr_rrsig_typecovered(rr)) == type
			 : t == type) {
			ldns_rr_list_push_rr(sec, ldns_rr_clone(rr));
			n++;
		}
	}
	ldns_rr_list_free(all);
	return n;
}

static size_t
push_set(ldns_rr_list *sec, const ldns_zone *z, const ldns_rdf *owner,
	 ldns_rr_type type)
{
	size_t n = push(sec, z, owner, type, false);

	if (n > 0)
		push(sec, z, owner, type, true);
	return n;
}

static bool
name_exists(const ldns_zone *z, const ldns_rdf *name)
{
	const ldns_rr_list *rrs = ldns_zone_rrs(z);

	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++)
		if (ldns_dname_compare(ldns_rr_owner(ldns_rr_list_rr(rrs, i)),
				       name) == 0 &&
		    ldns_rr_get_type(ldns_rr_list_rr(rrs, i)) !=
			LDNS_RR_TYPE_NSEC3)
			return true;
	return ldns_dname_compare(apex(z), name) == 0;
}

/* The denial records: NSEC matching or covering @name (and the
 * wildcard), or every NSEC3 of the zone (small zones: enough for any
 * closest encloser proof). */
static void
push_denial(ldns_rr_list *auth, const ldns_zone *z, const ldns_rdf *name)
{
	const ldns_rr_list *rrs = ldns_zone_rrs(z);
	ldns_rdf *wild = dn("*"), *chop = ldns_dname_left_chop(name);

	ldns_dname_cat(wild, chop);
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		bool take = t == LDNS_RR_TYPE_NSEC3 ||
			    (t == LDNS_RR_TYPE_NSEC &&
			     (ldns_nsec_covers_name(rr, name) ||
			      ldns_nsec_covers_name(rr, wild)));

		if (take)
			push_set(auth, z, ldns_rr_owner(rr), t);
	}
	ldns_rdf_deep_free(wild);
	ldns_rdf_deep_free(chop);
}

/* A wildcard expansion of *.<parent of @name> into @ans. */
static bool
push_wildcard(ldns_rr_list *ans, const ldns_zone *z, const ldns_rdf *name,
	      ldns_rr_type type)
{
	ldns_rdf *wild = dn("*"), *chop = ldns_dname_left_chop(name);
	ldns_rr_list *tmp = ldns_rr_list_new();
	bool found;

	ldns_dname_cat(wild, chop);
	found = push_set(tmp, z, wild, type) > 0;
	for (size_t i = 0; i < ldns_rr_list_rr_count(tmp); i++) {
		ldns_rr *rr = ldns_rr_list_rr(tmp, i);

		ldns_rdf_deep_free(ldns_rr_owner(rr));
		ldns_rr_set_owner(rr, ldns_rdf_clone(name));
	}
	ldns_rr_list_cat(ans, tmp);
	ldns_rr_list_free(tmp);
	ldns_rdf_deep_free(wild);
	ldns_rdf_deep_free(chop);
	return found;
}

/* The signed reply of the zone that answers @name/@type (DS from the
 * parent side of a cut, RFC 4035 §3.1.4.1). */
static ldns_pkt *
respond_pkt(const char *name_s, ldns_rr_type type)
{
	ldns_rdf *name = dn(name_s);
	const ldns_zone *z = in_zone(fx.child, name) ? fx.child : fx.parent;
	ldns_pkt *p;
	ldns_rr_list *ans, *auth;

	if (type == LDNS_RR_TYPE_DS && ldns_dname_compare(name, apex(z)) == 0)
		z = fx.parent;
	p = ldns_pkt_query_new(ldns_rdf_clone(name), type, LDNS_RR_CLASS_IN,
			       LDNS_QR | LDNS_AA);
	ans = ldns_pkt_answer(p);
	auth = ldns_pkt_authority(p);
	if (push_set(ans, z, name, type) == 0 &&
	    push_set(ans, z, name, LDNS_RR_TYPE_CNAME) == 0) {
		/* The answer of an unsigned child below its delegation. */
		if (push_wildcard(ans, z, name, type)) {
			push_denial(auth, z, name);
		} else {
			if (!name_exists(z, name))
				ldns_pkt_set_rcode(p, LDNS_RCODE_NXDOMAIN);
			push_set(auth, z, apex(z), LDNS_RR_TYPE_SOA);
			push_denial(auth, z, name);
		}
	}
	ldns_pkt_set_ancount(p, (uint16_t)ldns_rr_list_rr_count(ans));
	ldns_pkt_set_nscount(p, (uint16_t)ldns_rr_list_rr_count(auth));
	ldns_rdf_deep_free(name);
	return p;
}

static uint8_t *
wire(ldns_pkt *p, size_t *len)
{
	uint8_t *w = NULL;

	ck_assert_int_eq(ldns_pkt2wire(&w, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return w;
}

/* ---- running the validator --------------------------------------------- */

struct run {
	enum validator_verdict verdict;
	unsigned queries;
	char why[256];
};

static struct validator_anchors *
anchors(const ldns_rr *rr)
{
	struct validator_anchors *a = validator_anchors_new();
	char *text = ldns_rr2str(rr), why[128];
	int line;

	ck_assert_int_eq(validator_anchors_parse(a, text, strlen(text), &line,
						 why, sizeof(why)),
			 VPC_OK);
	free(text);
	return a;
}

/* Validates @reply for @qname/@qtype, answering every sub-query with
 * respond_pkt() (or failing the one numbered @fail_at, from 1). */
static struct run
run_full(const struct validator_anchors *a, struct validator_cache *c,
	 ldns_pkt *reply, const char *qname, ldns_rr_type qtype, uint64_t now,
	 unsigned fail_at)
{
	ldns_rdf *q = dn(qname);
	struct validator *v = validator_new(
	    a, c, ldns_rdf_data(q), ldns_rdf_size(q), (uint16_t)qtype, now);
	struct validator_need need;
	struct run r;
	size_t len;
	uint8_t *w = wire(reply, &len);

	ck_assert_ptr_nonnull(v);
	r.verdict = validator_start(v, w, len, &need);
	free(w);
	while (r.verdict == VALIDATOR_NEED) {
		ldns_rdf *n =
		    ldns_dname_new_frm_data((uint16_t)need.name_len, need.name);
		char *ns = ldns_rdf2str(n);

		if (validator_queries(v) == fail_at) {
			r.verdict =
			    validator_feed(v, VPC_ETIMEOUT, NULL, 0, &need);
		} else {
			w = wire(respond_pkt(ns, (ldns_rr_type)need.type),
				 &len);
			r.verdict = validator_feed(v, VPC_OK, w, len, &need);
			free(w);
		}
		free(ns);
		ldns_rdf_deep_free(n);
	}
	r.queries = validator_queries(v);
	snprintf(r.why, sizeof(r.why), "%s", validator_why(v));
	validator_free(v);
	ldns_rdf_deep_free(q);
	return r;
}

static struct run
run_at(ldns_pkt *reply, const char *qname, ldns_rr_type qtype, uint64_t now)
{
	struct validator_anchors *a = anchors(fx.anchor_ds);
	struct run r = run_full(a, NULL, reply, qname, qtype, now, 0);

	validator_anchors_free(a);
	return r;
}

static struct run
run(const char *qname, ldns_rr_type qtype)
{
	return run_at(respond_pkt(qname, qtype), qname, qtype, NOW);
}

#define ck_verdict(r, v)                                                       \
	ck_assert_msg((r).verdict == (v), "verdict %s, want %s: %s",           \
		      validator_verdict_name((r).verdict),                     \
		      validator_verdict_name(v), (r).why)

/* ---- tests ------------------------------------------------------------- */

START_TEST(test_secure_answer)
{
	struct run r = run("www.val.test.", LDNS_RR_TYPE_A);

	ck_verdict(r, VALIDATOR_SECURE);
	ck_assert_uint_eq(r.queries, 1); /* DNSKEY val.test */
}
END_TEST

START_TEST(test_dnskey_anchor)
{
	struct validator_anchors *a = anchors(fx.anchor_key);
	struct run r =
	    run_full(a, NULL, respond_pkt("www.val.test.", LDNS_RR_TYPE_A),
		     "www.val.test.", LDNS_RR_TYPE_A, NOW, 0);

	ck_verdict(r, VALIDATOR_SECURE);
	validator_anchors_free(a);
}
END_TEST

START_TEST(test_wrong_anchor)
{
	ldns_key *k = make_key("val.test.", true);
	ldns_rr *key = ldns_key2rr(k);
	struct validator_anchors *a = anchors(key);
	struct run r =
	    run_full(a, NULL, respond_pkt("www.val.test.", LDNS_RR_TYPE_A),
		     "www.val.test.", LDNS_RR_TYPE_A, NOW, 0);

	ck_verdict(r, VALIDATOR_BOGUS);
	ck_assert_ptr_nonnull(strstr(r.why, "no DNSKEY matches"));
	validator_anchors_free(a);
	ldns_rr_free(key);
	ldns_key_deep_free(k);
}
END_TEST

START_TEST(test_changed_rdata)
{
	ldns_pkt *p = respond_pkt("www.val.test.", LDNS_RR_TYPE_A);
	ldns_rr *a = ldns_rr_list_rr(ldns_pkt_answer(p), 0);
	ldns_rdf *addr = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, "192.0.2.99");
	struct run r;

	ck_assert_int_eq(ldns_rr_get_type(a), LDNS_RR_TYPE_A);
	ldns_rdf_deep_free(ldns_rr_set_rdf(a, addr, 0));
	r = run_at(p, "www.val.test.", LDNS_RR_TYPE_A, NOW);
	ck_verdict(r, VALIDATOR_BOGUS);
	ck_assert_ptr_nonnull(strstr(r.why, "www.val.test. A"));
}
END_TEST

START_TEST(test_expired)
{
	struct run r = run_at(respond_pkt("www.val.test.", LDNS_RR_TYPE_A),
			      "www.val.test.", LDNS_RR_TYPE_A, EXPIRATION + 1);

	ck_verdict(r, VALIDATOR_BOGUS);
	ck_assert_ptr_nonnull(strstr(r.why, "expired"));
}
END_TEST

START_TEST(test_not_yet_valid)
{
	struct run r = run_at(respond_pkt("www.val.test.", LDNS_RR_TYPE_A),
			      "www.val.test.", LDNS_RR_TYPE_A, INCEPTION - 1);

	ck_verdict(r, VALIDATOR_BOGUS);
}
END_TEST

/* The signatures removed, as a man in the middle would. */
static ldns_pkt *
unsigned_copy(ldns_pkt *p)
{
	ldns_rr_list *ans = ldns_pkt_answer(p), *keep = ldns_rr_list_new();

	for (size_t i = 0; i < ldns_rr_list_rr_count(ans); i++) {
		ldns_rr *rr = ldns_rr_list_rr(ans, i);

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG)
			ldns_rr_free(rr);
		else
			ldns_rr_list_push_rr(keep, rr);
	}
	ldns_rr_list_set_rr_count(ans, 0);
	ldns_rr_list_cat(ans, keep);
	ldns_rr_list_free(keep);
	ldns_pkt_set_ancount(p, (uint16_t)ldns_rr_list_rr_count(ans));
	return p;
}

START_TEST(test_stripped_signature)
{
	struct run r =
	    run_at(unsigned_copy(respond_pkt("www.val.test.", LDNS_RR_TYPE_A)),
		   "www.val.test.", LDNS_RR_TYPE_A, NOW);

	ck_verdict(r, VALIDATOR_BOGUS);
	ck_assert_ptr_nonnull(strstr(r.why, "unsigned RRset"));
}
END_TEST

START_TEST(test_chain_to_child)
{
	struct validator_anchors *a = anchors(fx.anchor_ds);
	struct validator_cache *c = validator_cache_new();
	struct run r =
	    run_full(a, c, respond_pkt("www.sub.val.test.", LDNS_RR_TYPE_A),
		     "www.sub.val.test.", LDNS_RR_TYPE_A, NOW, 0);

	ck_verdict(r, VALIDATOR_SECURE);
	/* DNSKEY val.test, DS sub.val.test, DNSKEY sub.val.test. */
	ck_assert_uint_eq(r.queries, 3);
	/* The validated keys are cached: no sub-query the second time. */
	r = run_full(a, c, respond_pkt("www.sub.val.test.", LDNS_RR_TYPE_A),
		     "www.sub.val.test.", LDNS_RR_TYPE_A, NOW, 0);
	ck_verdict(r, VALIDATOR_SECURE);
	ck_assert_uint_eq(r.queries, 0);
	/* ... until they expire (ldns_key2rr() gives the DNSKEYs 3600 s). */
	r = run_full(a, c, respond_pkt("www.sub.val.test.", LDNS_RR_TYPE_A),
		     "www.sub.val.test.", LDNS_RR_TYPE_A, NOW + 3601, 0);
	ck_verdict(r, VALIDATOR_SECURE);
	ck_assert_uint_eq(r.queries, 3);
	validator_cache_free(c);
	validator_anchors_free(a);
}
END_TEST

START_TEST(test_cname_across_zones)
{
	struct run r;
	ldns_pkt *p = respond_pkt("alias.sub.val.test.", LDNS_RR_TYPE_A);
	ldns_pkt *t = respond_pkt("www.val.test.", LDNS_RR_TYPE_A);

	/* The recursive upstream's answer: the CNAME, then the target. */
	ldns_rr_list *copy = ldns_rr_list_clone(ldns_pkt_answer(t));

	ldns_rr_list_cat(ldns_pkt_answer(p), copy);
	ldns_rr_list_free(copy); /* the RRs moved to p */
	ldns_pkt_set_ancount(
	    p, (uint16_t)ldns_rr_list_rr_count(ldns_pkt_answer(p)));
	ldns_pkt_free(t);
	r = run_at(p, "alias.sub.val.test.", LDNS_RR_TYPE_A, NOW);
	ck_verdict(r, VALIDATOR_SECURE);
}
END_TEST

START_TEST(test_subquery_failure)
{
	struct validator_anchors *a = anchors(fx.anchor_ds);
	struct run r =
	    run_full(a, NULL, respond_pkt("www.sub.val.test.", LDNS_RR_TYPE_A),
		     "www.sub.val.test.", LDNS_RR_TYPE_A, NOW, 2);

	ck_verdict(r, VALIDATOR_BOGUS);
	ck_assert_ptr_nonnull(strstr(r.why, "no usable reply"));
	validator_anchors_free(a);
}
END_TEST

START_TEST(test_nxdomain_nsec)
{
	struct run r = run("nope.val.test.", LDNS_RR_TYPE_A);

	ck_verdict(r, VALIDATOR_SECURE);
}
END_TEST

START_TEST(test_nodata_nsec)
{
	struct run r = run("www.val.test.", LDNS_RR_TYPE_TXT);

	ck_verdict(r, VALIDATOR_SECURE);
}
END_TEST

/* The NSEC and NSEC3 records of the authority section removed. */
static ldns_pkt *
without_denial(ldns_pkt *p)
{
	ldns_rr_list *auth = ldns_pkt_authority(p), *keep = ldns_rr_list_new();

	for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		ldns_rr *rr = ldns_rr_list_rr(auth, i);
		ldns_rr_type t = ldns_rr_get_type(rr);

		if (t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3 ||
		    (t == LDNS_RR_TYPE_RRSIG &&
		     ldns_rdf2rr_type(ldns_rr_rrsig_typecovered(rr)) !=
			 LDNS_RR_TYPE_SOA))
			ldns_rr_free(rr);
		else
			ldns_rr_list_push_rr(keep, rr);
	}
	ldns_rr_list_set_rr_count(auth, 0);
	ldns_rr_list_cat(auth, keep);
	ldns_rr_list_free(keep);
	ldns_pkt_set_nscount(p, (uint16_t)ldns_rr_list_rr_count(auth));
	return p;
}

START_TEST(test_nxdomain_without_proof)
{
	struct run r = run_at(
	    without_denial(respond_pkt("nope.val.test.", LDNS_RR_TYPE_A)),
	    "nope.val.test.", LDNS_RR_TYPE_A, NOW);

	ck_verdict(r, VALIDATOR_BOGUS);
	ck_assert_ptr_nonnull(strstr(r.why, "no proof of nonexistence"));
}
END_TEST

START_TEST(test_nodata_as_nxdomain)
{
	/* A NODATA proof (the name's own NSEC) does not prove NXDOMAIN. */
	ldns_pkt *p = respond_pkt("www.val.test.", LDNS_RR_TYPE_TXT);
	struct run r;

	ldns_pkt_set_rcode(p, LDNS_RCODE_NXDOMAIN);
	r = run_at(p, "www.val.test.", LDNS_RR_TYPE_TXT, NOW);
	ck_verdict(r, VALIDATOR_BOGUS);
}
END_TEST

START_TEST(test_nsec3_denials)
{
	struct run r = run("nope.sub.val.test.", LDNS_RR_TYPE_A);

	ck_verdict(r, VALIDATOR_SECURE);
	r = run("www.sub.val.test.", LDNS_RR_TYPE_TXT);
	ck_verdict(r, VALIDATOR_SECURE);
	r = run_at(
	    without_denial(respond_pkt("nope.sub.val.test.", LDNS_RR_TYPE_A)),
	    "nope.sub.val.test.", LDNS_RR_TYPE_A, NOW);
	ck_verdict(r, VALIDATOR_BOGUS);
}
END_TEST

START_TEST(test_wildcard)
{
	struct run r = run("x.wild.val.test.", LDNS_RR_TYPE_A);

	ck_verdict(r, VALIDATOR_SECURE);
	/* Without the NSEC that proves x.wild.val.test does not exist, the
	 * expansion could hide a real name (RFC 4035 §5.3.4). */
	r = run_at(
	    without_denial(respond_pkt("x.wild.val.test.", LDNS_RR_TYPE_A)),
	    "x.wild.val.test.", LDNS_RR_TYPE_A, NOW);
	ck_verdict(r, VALIDATOR_BOGUS);
	ck_assert_ptr_nonnull(strstr(r.why, "wildcard"));
}
END_TEST

static ldns_pkt *
unsigned_reply(const char *name, const char *rr_text, ldns_pkt_rcode rc)
{
	ldns_pkt *p = ldns_pkt_query_new(dn(name), LDNS_RR_TYPE_A,
					 LDNS_RR_CLASS_IN, LDNS_QR);
	ldns_rr *rr = NULL;

	ldns_pkt_set_rcode(p, (uint8_t)rc);
	ck_assert_int_eq(ldns_rr_new_frm_str(&rr, rr_text, 300, NULL, NULL),
			 LDNS_STATUS_OK);
	ldns_pkt_push_rr(p,
			 rc == LDNS_RCODE_NOERROR ? LDNS_SECTION_ANSWER
						  : LDNS_SECTION_AUTHORITY,
			 rr);
	return p;
}

START_TEST(test_insecure_delegation)
{
	struct run r = run_at(unsigned_reply("www.insecure.val.test.",
					     "www.insecure.val.test. 300 IN A "
					     "192.0.2.50",
					     LDNS_RCODE_NOERROR),
			      "www.insecure.val.test.", LDNS_RR_TYPE_A, NOW);

	ck_verdict(r, VALIDATOR_INSECURE);
	r = run_at(unsigned_reply("nope.insecure.val.test.",
				  "insecure.val.test. 300 IN SOA ns.val.test. "
				  "h.val.test. 1 3600 900 604800 300",
				  LDNS_RCODE_NXDOMAIN),
		   "nope.insecure.val.test.", LDNS_RR_TYPE_A, NOW);
	ck_verdict(r, VALIDATOR_INSECURE);
}
END_TEST

START_TEST(test_unsigned_in_signed_zone)
{
	/* www.val.test has an NSEC without NS: no delegation, so unsigned
	 * data there is bogus. */
	struct run r = run_at(unsigned_reply("www.val.test.",
					     "www.val.test. 300 IN A "
					     "192.0.2.66",
					     LDNS_RCODE_NOERROR),
			      "www.val.test.", LDNS_RR_TYPE_A, NOW);

	ck_verdict(r, VALIDATOR_BOGUS);
	r = run_at(unsigned_reply("nope.val.test.",
				  "val.test. 300 IN SOA ns.val.test. "
				  "h.val.test. 1 3600 900 604800 300",
				  LDNS_RCODE_NXDOMAIN),
		   "nope.val.test.", LDNS_RR_TYPE_A, NOW);
	ck_verdict(r, VALIDATOR_BOGUS);
}
END_TEST

START_TEST(test_no_anchor)
{
	struct run r = run_at(unsigned_reply("www.example.org.",
					     "www.example.org. 300 IN A "
					     "192.0.2.1",
					     LDNS_RCODE_NOERROR),
			      "www.example.org.", LDNS_RR_TYPE_A, NOW);

	/* No trust anchor above the name: nothing to validate against. */
	ck_verdict(r, VALIDATOR_INSECURE);
}
END_TEST

START_TEST(test_work_limit)
{
	/* A signer 40 labels below the anchor would need a DS query per
	 * label: past VALIDATOR_MAX_QUERIES it is given up. */
	char name[256] = "", text[320];
	ldns_pkt *p;
	struct run r;

	for (int i = 0; i < 40; i++)
		strcat(name, "a.");
	strcat(name, "val.test.");
	snprintf(text, sizeof(text), "%s 300 IN A 192.0.2.1", name);
	p = unsigned_reply(name, text, LDNS_RCODE_NOERROR);
	r = run_at(p, name, LDNS_RR_TYPE_A, NOW);
	ck_verdict(r, VALIDATOR_BOGUS);
	ck_assert_uint_eq(r.queries, VALIDATOR_MAX_QUERIES);
	ck_assert_ptr_nonnull(strstr(r.why, "too many sub-queries"));
}
END_TEST

START_TEST(test_garbage)
{
	struct validator_anchors *a = anchors(fx.anchor_ds);
	ldns_rdf *q = dn("www.val.test.");
	struct validator *v = validator_new(
	    a, NULL, ldns_rdf_data(q), ldns_rdf_size(q), LDNS_RR_TYPE_A, NOW);
	struct validator_need need;
	const uint8_t junk[5] = {1, 2, 3, 4, 5};

	ck_assert_int_eq(validator_start(v, junk, sizeof(junk), &need),
			 VALIDATOR_BOGUS);
	ck_assert_int_eq(validator_feed(v, VPC_OK, junk, sizeof(junk), &need),
			 VALIDATOR_BOGUS);
	validator_free(v);
	ldns_rdf_deep_free(q);
	validator_anchors_free(a);
}
END_TEST

START_TEST(test_anchor_text)
{
	struct validator_anchors *a = validator_anchors_new();
	char why[128];
	int line = 0;
	const char *good =
	    "; the root key, as in root.key\n"
	    ". 172800 IN DNSKEY 257 3 8 AwEAAaz/tAm8yTn4Mfeh5eyI96"
	    "WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlEx"
	    "OLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDd"
	    "D5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rC"
	    "j/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6n"
	    "WeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY"
	    "6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1A"
	    "kUTV74bU=\n"
	    "example. 3600 IN DS 12345 13 2 "
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123"
	    "456789abcdef\n";

	ck_assert_int_eq(validator_anchors_parse(a, good, strlen(good), &line,
						 why, sizeof(why)),
			 VPC_OK);
	ck_assert_uint_eq(validator_anchors_count(a), 2);
	ck_assert_int_eq(validator_anchors_parse(a, "; nothing\n", 10, &line,
						 why, sizeof(why)),
			 VPC_ECONFIG);
	ck_assert_ptr_nonnull(strstr(why, "no DS or DNSKEY"));
	ck_assert_int_eq(validator_anchors_parse(a, "\nx. 300 IN A 192.0.2.1\n",
						 23, &line, why, sizeof(why)),
			 VPC_ECONFIG);
	ck_assert_ptr_nonnull(strstr(why, "neither DS nor DNSKEY"));
	ck_assert_int_eq(line, 2);
	ck_assert_int_eq(validator_anchors_parse(a, "\n\nx. IN DS zzz\n", 14,
						 &line, why, sizeof(why)),
			 VPC_ECONFIG);
	ck_assert_int_eq(line, 3);
	ck_assert_uint_eq(validator_anchors_count(a), 2);
	validator_anchors_free(a);
}
END_TEST

static Suite *
validator_suite(void)
{
	Suite *s = suite_create("validator");
	TCase *pos = tcase_create("positive");
	TCase *neg = tcase_create("denial");
	TCase *ins = tcase_create("insecure");
	TCase *misc = tcase_create("anchors and limits");

	tcase_add_unchecked_fixture(pos, setup, teardown);
	tcase_add_unchecked_fixture(neg, setup, teardown);
	tcase_add_unchecked_fixture(ins, setup, teardown);
	tcase_add_unchecked_fixture(misc, setup, teardown);
	tcase_add_test(pos, test_secure_answer);
	tcase_add_test(pos, test_dnskey_anchor);
	tcase_add_test(pos, test_wrong_anchor);
	tcase_add_test(pos, test_changed_rdata);
	tcase_add_test(pos, test_expired);
	tcase_add_test(pos, test_not_yet_valid);
	tcase_add_test(pos, test_stripped_signature);
	tcase_add_test(pos, test_chain_to_child);
	tcase_add_test(pos, test_cname_across_zones);
	tcase_add_test(pos, test_subquery_failure);
	tcase_add_test(neg, test_nxdomain_nsec);
	tcase_add_test(neg, test_nodata_nsec);
	tcase_add_test(neg, test_nxdomain_without_proof);
	tcase_add_test(neg, test_nodata_as_nxdomain);
	tcase_add_test(neg, test_nsec3_denials);
	tcase_add_test(neg, test_wildcard);
	tcase_add_test(ins, test_insecure_delegation);
	tcase_add_test(ins, test_unsigned_in_signed_zone);
	tcase_add_test(ins, test_no_anchor);
	tcase_add_test(misc, test_work_limit);
	tcase_add_test(misc, test_garbage);
	tcase_add_test(misc, test_anchor_text);
	suite_add_tcase(s, pos);
	suite_add_tcase(s, neg);
	suite_add_tcase(s, ins);
	suite_add_tcase(s, misc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(validator_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
