/*
 * resolver/engine/firewall.c - DNS Firewall: the compiled rules of one view.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The rules are sorted once into evaluation order (priority, then the
 * order given) and every domain of every rule goes into one open-addressing
 * hash table keyed by its lower-case wire name.  Because a match only needs
 * the first rule in evaluation order, a slot keeps just two ranks: the best
 * rule listing the name exactly and the best rule listing "*.name".  A
 * rule limited to one query type (`qtype`) may not apply to a query, so a
 * slot whose best rank is such a rule also keeps, in a short list, the
 * later ranks up to the first rule for every type (nothing after that can
 * win).  A lookup then probes the query name (exact ranks) and each proper
 * ancestor (wildcard ranks) and keeps the smallest rank that applies.  Hashes of all suffixes of
 * a name come from one right-to-left pass.  Immutable after
 * firewall_build(); rules are borrowed from the configuration.
 */
#include "config.h"

#include "engine/firewall.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "util/err.h"
#include "dns/wire.h"

/* Rank of "no rule". */
#define FW_NONE UINT32_MAX
/* A wire name has at most 127 labels (and the root). */
#define FW_MAX_LABELS 128

struct fw_slot {
	uint32_t off;	/* offset of the name in names[] */
	uint32_t hash;	/* full hash of the name */
	uint32_t exact; /* best rank listing the name itself, FW_NONE */
	uint32_t wild;	/* best rank listing "*.name", FW_NONE */
	uint32_t exact_more; /* links[] index of the next exact rank, or
				FW_NONE (only after a typed rule) */
	uint32_t wild_more;  /* the same for the wildcard ranks */
	uint8_t len;	/* wire length of the name; 0 = empty slot */
};

/* A further rank of a slot, behind rules limited to a query type. */
struct fw_link {
	uint32_t rank;
	uint32_t next; /* links[] index, or FW_NONE */
};

struct firewall {
	const struct conf_fw_rule **rules; /* borrowed, in evaluation order */
	size_t n_rules;
	struct fw_slot *slots; /* power-of-two table, at most half full */
	size_t mask;	       /* slots - 1 */
	size_t count;	       /* used slots */
	uint8_t *names;	       /* concatenated wire names of the keys */
	size_t names_len;
	size_t names_cap;
	struct fw_link *links; /* the slots' further ranks */
	size_t n_links;
	size_t links_cap;
};

/* FNV-1a step; names are hashed from their last byte to their first. */
static inline uint32_t
fnv_step(uint32_t h, uint8_t c)
{
	return (h ^ c) * 16777619u;
}

#define FNV_INIT 2166136261u

/* Murmur3's finalizer, so that the low bits used as index are mixed. */
static inline uint32_t
fmix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static uint32_t
name_hash(const uint8_t *name, size_t len)
{
	uint32_t h = FNV_INIT;

	for (size_t i = len; i > 0; i--)
		h = fnv_step(h, name[i - 1]);
	return fmix(h);
}

/* The slot holding @name, or the empty slot where it belongs. */
static struct fw_slot *
find_slot(const struct firewall *fw, const uint8_t *name, size_t len,
	  uint32_t hash)
{
	size_t i = hash & fw->mask;

	for (;;) {
		struct fw_slot *s = &fw->slots[i];

		if (s->len == 0)
			return s;
		if (s->hash == hash && s->len == len &&
		    memcmp(fw->names + s->off, name, len) == 0)
			return s;
		i = (i + 1) & fw->mask;
	}
}

/* Adds @rank behind *@head unless a rule for every type already comes
 * first there (ranks arrive in ascending order). */
static int
add_rank(struct firewall *fw, uint32_t *head, uint32_t *more, uint32_t rank)
{
	uint32_t *next = more, r = *head;
	struct fw_link *grown;

	if (r == FW_NONE) {
		*head = rank;
		return VPC_OK;
	}
	for (;;) {
		if (r == rank || fw->rules[r]->qtype == 0)
			return VPC_OK;
		if (*next == FW_NONE)
			break;
		r = fw->links[*next].rank;
		next = &fw->links[*next].next;
	}
	if (fw->n_links == fw->links_cap) {
		size_t cap = fw->links_cap * 2 + 16;

		if (cap >= FW_NONE ||
		    (grown = realloc(fw->links, cap * sizeof(*grown))) == NULL)
			return VPC_ENOMEM;
		fw->links = grown;
		fw->links_cap = cap;
	}
	fw->links[fw->n_links].rank = rank;
	fw->links[fw->n_links].next = FW_NONE;
	*next = (uint32_t)fw->n_links++;
	return VPC_OK;
}

static int
insert(struct firewall *fw, const uint8_t *name, size_t len, bool wild,
       uint32_t rank)
{
	uint32_t hash = name_hash(name, len);
	struct fw_slot *s = find_slot(fw, name, len, hash);

	if (s->len == 0) {
		if (fw->names_cap - fw->names_len < len) {
			size_t cap = fw->names_cap * 2 + 4096;
			uint8_t *grown;

			if (cap > UINT32_MAX)
				return VPC_ENOMEM;
			if ((grown = realloc(fw->names, cap)) == NULL)
				return VPC_ENOMEM;
			fw->names = grown;
			fw->names_cap = cap;
		}
		memcpy(fw->names + fw->names_len, name, len);
		s->off = (uint32_t)fw->names_len;
		s->hash = hash;
		s->len = (uint8_t)len;
		s->exact = FW_NONE;
		s->wild = FW_NONE;
		s->exact_more = FW_NONE;
		s->wild_more = FW_NONE;
		fw->names_len += len;
		fw->count++;
	}
	return wild ? add_rank(fw, &s->wild, &s->wild_more, rank)
		    : add_rank(fw, &s->exact, &s->exact_more, rank);
}

/* Whether a rule applies to a query of @qtype (its `qtype`, 0 = all). */
static bool
applies(const struct conf_fw_rule *r, uint16_t qtype)
{
	return r->qtype == 0 || r->qtype == qtype;
}

/* The first rank of a slot's list that applies to @qtype, or FW_NONE. */
static uint32_t
first_rank(const struct firewall *fw, uint32_t head, uint32_t more,
	   uint16_t qtype)
{
	if (head == FW_NONE || applies(fw->rules[head], qtype))
		return head;
	for (; more != FW_NONE; more = fw->links[more].next)
		if (applies(fw->rules[fw->links[more].rank], qtype))
			return fw->links[more].rank;
	return FW_NONE;
}

/*
 * Domain text to a lower-case wire name.  SPEC 1.5a and the AWS domain
 * list syntax: "*." is allowed only as a prefix, and "*" alone stands for
 * every domain (the wildcard of the root).
 */
static int
parse_domain(const char *text, uint8_t *wire, size_t *len, bool *wild)
{
	const char *rest = text;
	size_t n;

	*wild = false;
	if (text[0] == '*' && (text[1] == '\0' || text[1] == '.')) {
		*wild = true;
		rest = text[1] == '\0' ? text + 1 : text + 2;
	}
	if (strchr(rest, '*') != NULL)
		return VPC_EMALFORMED;
	if (*rest == '\0') {
		if (!*wild)
			return VPC_EMALFORMED;
		wire[0] = 0;
		n = 1;
	} else if ((n = wire_name_from_text(rest, wire)) == 0) {
		return VPC_EMALFORMED;
	}
	wire_name_lower(wire, wire, n);
	*len = n;
	return VPC_OK;
}

struct fw_order {
	const struct conf_fw_rule *rule;
	size_t index; /* position in the caller's array: the tie-break */
};

static int
cmp_order(const void *a, const void *b)
{
	const struct fw_order *x = a, *y = b;

	if (x->rule->priority != y->rule->priority)
		return x->rule->priority < y->rule->priority ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index ? 1 : 0;
}

/* Sorts the rules into fw->rules and sizes the table for @n_domains. */
static int
prepare(struct firewall *fw, const struct conf_fw_rule *const *rules, size_t n,
	size_t n_domains)
{
	struct fw_order *ord;
	size_t cap = 16;

	if (n > 0) {
		if ((ord = calloc(n, sizeof(*ord))) == NULL)
			return VPC_ENOMEM;
		for (size_t i = 0; i < n; i++) {
			ord[i].rule = rules[i];
			ord[i].index = i;
		}
		qsort(ord, n, sizeof(*ord), cmp_order);
		fw->rules = calloc(n, sizeof(*fw->rules));
		if (fw->rules != NULL)
			for (size_t i = 0; i < n; i++)
				fw->rules[i] = ord[i].rule;
		free(ord);
		if (fw->rules == NULL)
			return VPC_ENOMEM;
	}
	fw->n_rules = n;
	/* At most half full keeps linear probing short. */
	while (cap / 2 < n_domains) {
		if (cap > SIZE_MAX / 2 / sizeof(*fw->slots))
			return VPC_ENOMEM;
		cap *= 2;
	}
	if ((fw->slots = calloc(cap, sizeof(*fw->slots))) == NULL)
		return VPC_ENOMEM;
	fw->mask = cap - 1;
	return VPC_OK;
}

int
firewall_build(const struct conf_fw_rule *const *rules, size_t n,
	       struct firewall **out)
{
	struct firewall *fw;
	size_t n_domains = 0;
	int rc;

	if (n >= FW_NONE)
		return VPC_ENOMEM;
	for (size_t i = 0; i < n; i++)
		n_domains += rules[i]->n_domains;
	if ((fw = calloc(1, sizeof(*fw))) == NULL)
		return VPC_ENOMEM;
	if ((rc = prepare(fw, rules, n, n_domains)) != VPC_OK)
		goto out;
	for (size_t r = 0; r < n; r++) {
		const struct conf_fw_rule *rule = fw->rules[r];

		for (size_t d = 0; d < rule->n_domains; d++) {
			uint8_t wire[WIRE_MAX_NAME_LEN];
			size_t len;
			bool wild;

			rc = parse_domain(rule->domains[d], wire, &len, &wild);
			if (rc == VPC_OK)
				rc = insert(fw, wire, len, wild, (uint32_t)r);
			if (rc != VPC_OK)
				goto out;
		}
	}
	*out = fw;
	fw = NULL;
out:
	firewall_free(fw);
	return rc;
}

/* Offsets of the labels of @name; 0 when it is not a name of @len bytes. */
static size_t
label_offsets(const uint8_t *name, size_t len, size_t *offs)
{
	size_t pos = 0, n = 0;

	if (len == 0 || len > WIRE_MAX_NAME_LEN)
		return 0;
	while (pos < len && name[pos] != 0) {
		if (name[pos] > WIRE_MAX_LABEL_LEN || n == FW_MAX_LABELS - 1)
			return 0;
		offs[n++] = pos;
		pos += 1 + (size_t)name[pos];
	}
	if (pos != len - 1)
		return 0;
	offs[n++] = pos; /* the root */
	return n;
}

const struct conf_fw_rule *
firewall_match(const struct firewall *fw, const uint8_t *lname, size_t len)
{
	return firewall_match_type(fw, lname, len, 0);
}

const struct conf_fw_rule *
firewall_match_type(const struct firewall *fw, const uint8_t *lname,
		    size_t len, uint16_t qtype)
{
	size_t offs[FW_MAX_LABELS];
	uint32_t h = FNV_INIT, best = FW_NONE;
	size_t n, pos;

	if (fw == NULL || fw->count == 0 ||
	    (n = label_offsets(lname, len, offs)) == 0)
		return NULL;
	/* Walk the suffixes from the root up to the whole name. */
	pos = len;
	for (size_t i = n; i > 0; i--) {
		size_t at = offs[i - 1];
		const struct fw_slot *s;
		uint32_t hash, rank;

		while (pos > at)
			h = fnv_step(h, lname[--pos]);
		hash = fmix(h);
		s = find_slot(fw, lname + at, len - at, hash);
		if (s->len == 0)
			continue;
		if (at == 0)
			rank = first_rank(fw, s->exact, s->exact_more, qtype);
		else
			rank = first_rank(fw, s->wild, s->wild_more, qtype);
		if (rank < best)
			best = rank;
	}
	return best == FW_NONE ? NULL : fw->rules[best];
}

size_t
firewall_count(const struct firewall *fw)
{
	return fw == NULL ? 0 : fw->count;
}

void
firewall_free(struct firewall *fw)
{
	if (fw == NULL)
		return;
	free(fw->rules);
	free(fw->slots);
	free(fw->names);
	free(fw->links);
	free(fw);
}
