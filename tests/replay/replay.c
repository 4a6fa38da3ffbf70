/*
 * tests/replay/replay.c - run a replay scenario against the real core.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * usage: vpcdns-replay SCENARIO.rpl
 *
 * In the spirit of Unbound's testbound and Knot Resolver's deckard: the
 * scenario (format: tests/replay/README.md) scripts client queries,
 * upstream outcomes and a virtual clock; this program plays the part of
 * resolver/io/daemon.c (the edge) and nothing else, so every answer comes
 * from the real core: a data set built by conf_load_string() and
 * view_set_build() from a real configuration and zone files, the cache,
 * the rate limiters, answer_query() and answer_upstream().  No sockets, no
 * sleeps, no clock: time is what the scenario says.  Each `expect` is one
 * check printed as "PASS: file:line: ..." or "FAIL: ..." with a diff of
 * the expected and the actual response.  Exit 0 when every check passed,
 * 1 when one failed, 99 for a scenario that cannot be run (automake's
 * hard error).  Inline files go to a temporary directory removed at exit.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "io/files.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/answer.h"
#include "engine/cache.h"
#include "engine/carry.h"
#include "engine/inflight.h"
#include "engine/ratelimit.h"
#include "engine/policy.h"
#include "engine/view.h"
#include "replay.h"
#include "util/err.h"
#include "util/log.h"

/* The virtual clock starts here, so that nothing in the core can depend
 * on the clock starting at 0 (uv_now() does not). */
#define CLOCK_BASE_MS 1000000000ull

#define MAX_TOKENS 64

/* A configuration and everything built from it (io/daemon.c's). */
struct dataset {
	unsigned refs;
	struct conf *conf;
	struct view_set *views;
	struct cache *cache;
	struct inflight *inflight;   /* identical forwarded queries */
	struct ratelimit *aws_limit; /* NULL: simulate-aws-limits off */
	struct ratelimit *rrl;	     /* NULL: rate-limit off */
	uint64_t aws_dropped;
};

/* One client query as sent. */
struct query {
	uint8_t b[MSG_TCP_MAX];
	size_t len;
	struct sockaddr_storage peer;
	size_t listener; /* SIZE_MAX: an ordinary listener */
	bool tcp;
	uint64_t random; /* answer_src.random: the edge's random bits */
	char what[1200]; /* "query NAME TYPE" for reports */
};

/* A forwarded query waiting for its upstream outcome. */
struct pending {
	struct answer_job job; /* the engine's state */
	struct query q;
	struct dataset *ds; /* holds a reference */
	char label[64];	    /* "" when none */
	struct inflight_entry *lead; /* it leads these identical queries */
	bool prefetch;	    /* a cache refresh: answers nobody */
	struct pending *next;
};

#define N_BURST_KEYS 5 /* burst_keys[] */

enum outcome_kind {
	OUT_NONE,    /* nothing to check */
	OUT_REPLY,   /* a response went out */
	OUT_DROP,    /* nothing went out */
	OUT_FORWARD, /* the core asked upstream */
	OUT_BURST,   /* the tallies of a burst */
	OUT_WAIT,    /* waits for an identical query's upstream outcome */
};

struct outcome {
	enum outcome_kind kind;
	unsigned line;	/* the step that produced it */
	struct query q; /* the client's query */
	size_t limit;	/* the engine's size limit */
	uint8_t resp[MSG_TCP_MAX];
	size_t resp_len;
	struct pending *fwd; /* OUT_FORWARD */
	unsigned burst[N_BURST_KEYS]; /* OUT_BURST: burst_keys[] */
};

static const char *const burst_keys[] = {"full", "tc", "drop", "forward",
					 "wait"};

/* The scenario and the run. */
struct run {
	const char *path;	 /* as given */
	const char *base;	 /* its file name, for reports */
	char dir[PATH_MAX];	 /* its directory, for @DIR@ */
	char tmp[PATH_MAX];	 /* inline files */
	struct rp_lines written; /* inline files written, to remove */
	struct rp_lines src;	 /* the scenario's lines */
	size_t at;		 /* next line */
	char *conf_text;	 /* the last config block */
	unsigned conf_line;	 /* its line, while not yet loaded */
	struct dataset *ds;	 /* current */
	struct pending *pending; /* oldest first */
	uint64_t now;
	uint16_t next_id;
	struct outcome out;
	struct outcome **queue;	 /* more outcomes of one step (the
				    waiters of a coalesced query), in order */
	size_t n_queue;
	struct pending *prefetched; /* the refresh the last query asked */
	struct carry_stats carried; /* what the last reload's cache kept */
	char title[512]; /* the last "## " line */
	unsigned checks, failed;
};

static struct run R;

static void
cleanup(void)
{
	for (size_t i = 0; i < R.written.n; i++)
		unlink(R.written.v[i]);
	if (R.tmp[0] != '\0')
		rmdir(R.tmp);
}

/* A scenario that cannot be run: report and stop (exit 99). */
static void __attribute__((format(printf, 2, 3), noreturn))
scenario_error(unsigned line, const char *fmt, ...)
{
	va_list ap;

	printf("ERROR: %s:%u: ", R.base, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	cleanup();
	exit(99);
}

static unsigned
line_no(void)
{
	return (unsigned)R.at; /* R.at is past the line being handled */
}

/* ---- the data set --------------------------------------------------- */

static void
dataset_unref(struct dataset *ds)
{
	if (ds == NULL || --ds->refs > 0)
		return;
	ratelimit_free(ds->aws_limit);
	ratelimit_free(ds->rrl);
	view_set_free(ds->views);
	cache_free(ds->cache);
	inflight_free(ds->inflight);
	conf_free(ds->conf);
	free(ds);
}

/* @DIR@ stands for the scenario's directory (files beside it). */
static char *
expand(const char *text)
{
	size_t cap = strlen(text) + 1, n = 0;
	char *out = malloc(cap);

	for (const char *p = text; out != NULL && *p != '\0';) {
		const char *add = p;
		size_t len = 1;

		if (strncmp(p, "@DIR@", 5) == 0) {
			add = R.dir;
			len = strlen(R.dir);
			p += 5;
		} else {
			p++;
		}
		if (n + len + 1 > cap &&
		    (out = realloc(out, cap = 2 * (n + len + 1))) == NULL)
			break;
		memcpy(out + n, add, len);
		n += len;
	}
	if (out == NULL)
		abort();
	out[n] = '\0';
	return out;
}

static void
dataset_load(unsigned line)
{
	struct conf_errors errs = {0};
	struct dataset *ds = calloc(1, sizeof(*ds));
	char path[PATH_MAX + 16];
	char *text = expand(R.conf_text);
	int rc;

	if (ds == NULL)
		abort();
	ds->refs = 1;
	snprintf(path, sizeof(path), "%s/vpcdns.yaml", R.tmp);
	rc = conf_load_string(&files_reader, text, strlen(text), path,
			      &ds->conf, &errs);
	free(text);
	if (rc == VPC_OK)
		rc = view_set_build(ds->conf, &ds->views, &errs);
	if (rc != VPC_OK) {
		printf("ERROR: %s:%u: the configuration does not load (%s):\n",
		       R.base, line, vpc_strerror(rc));
		for (size_t i = 0; i < errs.n; i++)
			printf("    %s\n", errs.msgs[i]);
		cleanup();
		exit(99);
	}
	conf_errors_cleanup(&errs);
	ds->cache = cache_new_conf(ds->conf);
	ds->inflight = inflight_new();
	/* As io/daemon.c dataset_load() builds them. */
	if (ds->conf->simulate_aws_limits)
		ds->aws_limit = ratelimit_new(
		    ds->conf->aws_pps, RATELIMIT_AWS_V4_PREFIX,
		    RATELIMIT_AWS_V6_PREFIX, ds->conf->limit_sources);
	if (ds->conf->rrl_rate > 0)
		ds->rrl = ratelimit_new(
		    ds->conf->rrl_rate, RATELIMIT_RRL_V4_PREFIX,
		    RATELIMIT_RRL_V6_PREFIX, ds->conf->limit_sources);
	if (ds->cache == NULL || ds->inflight == NULL ||
	    (ds->conf->simulate_aws_limits && ds->aws_limit == NULL) ||
	    (ds->conf->rrl_rate > 0 && ds->rrl == NULL))
		abort();
	/* A reload: queries in flight keep the data set they started on;
	 * the cache moves on as io/reload.c keep_cache() moves it. */
	if (R.ds != NULL && R.ds->cache != NULL &&
	    carry_cache(R.ds->cache, R.ds->views, ds->views, &R.carried) ==
		VPC_OK) {
		struct cache_options o;

		cache_options_conf(ds->conf, &o);
		cache_set_options(R.ds->cache, &o);
		cache_free(ds->cache);
		ds->cache = R.ds->cache;
		R.ds->cache = NULL;
	}
	dataset_unref(R.ds);
	R.ds = ds;
}

/* ---- reading the scenario --------------------------------------------- */

static void
read_scenario(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (fp == NULL) {
		printf("ERROR: cannot open %s: %s\n", path, strerror(errno));
		exit(99);
	}
	while ((n = getline(&line, &cap, fp)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		rp_lines_add(&R.src, line);
	}
	free(line);
	fclose(fp);
}

/* Splits @line at white space into @tok; returns the count. */
static size_t
tokens(char *line, char **tok)
{
	size_t n = 0;

	for (char *p = strtok(line, " \t"); p != NULL && n < MAX_TOKENS;
	     p = strtok(NULL, " \t"))
		tok[n++] = p;
	return n;
}

/* The lines up to "end", verbatim, joined with new lines. */
static char *
block(unsigned start)
{
	struct rp_lines l = {0};
	size_t len = 1, n = 0;
	char *text;

	for (;;) {
		if (R.at >= R.src.n)
			scenario_error(start, "block without 'end'");
		if (strcmp(R.src.v[R.at], "end") == 0)
			break;
		rp_lines_add(&l, R.src.v[R.at++]);
		len += strlen(l.v[l.n - 1]) + 1;
	}
	R.at++;
	if ((text = malloc(len)) == NULL)
		abort();
	for (size_t i = 0; i < l.n; i++) {
		size_t k = strlen(l.v[i]);

		memcpy(text + n, l.v[i], k);
		n += k;
		text[n++] = '\n';
	}
	text[n] = '\0';
	rp_lines_free(&l);
	return text;
}

static void
write_file(const char *name, unsigned line)
{
	char path[PATH_MAX + 256];
	char *text = block(line), *body;
	FILE *fp;

	if (strchr(name, '/') != NULL || name[0] == '.')
		scenario_error(line, "file name '%s': one plain name", name);
	snprintf(path, sizeof(path), "%s/%s", R.tmp, name);
	body = expand(text);
	free(text);
	if ((fp = fopen(path, "w")) == NULL || fputs(body, fp) < 0 ||
	    fclose(fp) != 0)
		scenario_error(line, "cannot write %s: %s", path,
			       strerror(errno));
	rp_lines_add(&R.written, path);
	free(body);
}

/* "1500", "1500ms", "2.2s" to milliseconds. */
static uint64_t
duration(const char *text, unsigned line)
{
	char *end;
	double v = strtod(text, &end);

	if (end == text || v < 0)
		scenario_error(line, "bad time '%s'", text);
	if (strcmp(end, "s") == 0)
		v *= 1000;
	else if (*end != '\0' && strcmp(end, "ms") != 0)
		scenario_error(line, "bad time unit in '%s'", text);
	return (uint64_t)(v + 0.5);
}

static unsigned long
number(const char *text, unsigned line)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno != 0 || end == text || *end != '\0')
		scenario_error(line, "bad number '%s'", text);
	return v;
}

/* ---- client queries ---------------------------------------------------- */

struct qopts {
	uint16_t id;
	uint16_t flags;
	uint16_t qclass;
	bool edns;
	unsigned payload;
	unsigned version;
	bool do_bit;
	const char *from;
	size_t listener;
	bool tcp;
	const char *label;
	uint64_t over;	 /* burst: spread over this many ms */
	uint64_t random; /* the random bits routing policies use */
	const char *hex; /* raw query bytes */
};

static void
parse_addr(const char *text, struct sockaddr_storage *ss, unsigned line)
{
	struct sockaddr_in *in = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, text, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(5353);
	} else if (inet_pton(AF_INET6, text, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(5353);
	} else {
		scenario_error(line, "bad address '%s'", text);
	}
}

/* Options after "query NAME TYPE" (README.md, "query"). */
static void
parse_qopts(char **tok, size_t n, struct qopts *o, bool burst, unsigned line)
{
	for (size_t i = 0; i < n; i++) {
		const char *t = tok[i];
		bool more = i + 1 < n;

		if (strcmp(t, "from") == 0 && more)
			o->from = tok[++i];
		else if (strcmp(t, "via") == 0 && more)
			o->listener = number(tok[++i], line);
		else if (strcmp(t, "tcp") == 0)
			o->tcp = true;
		else if (strcmp(t, "edns") == 0) {
			o->edns = true;
			if (more && isdigit((unsigned char)tok[i + 1][0]))
				o->payload = (unsigned)number(tok[++i], line);
		} else if (strcmp(t, "do") == 0)
			o->do_bit = o->edns = true;
		else if (strcmp(t, "version") == 0 && more)
			o->version = (unsigned)number(tok[++i], line);
		else if (strcmp(t, "nord") == 0)
			o->flags &= (uint16_t)~WIRE_FLAG_RD;
		else if (rp_flag_by_name(t) != 0 && strcmp(t, "qr") != 0)
			o->flags |= rp_flag_by_name(t);
		else if (strcmp(t, "id") == 0 && more)
			o->id = (uint16_t)number(tok[++i], line);
		else if (strcmp(t, "opcode") == 0 && more)
			o->flags =
			    (uint16_t)((o->flags & ~0x7800u) |
				       (number(tok[++i], line) & 0xfu) << 11);
		else if (strcmp(t, "class") == 0 && more)
			o->qclass = (uint16_t)(strcmp(tok[i + 1], "IN") == 0
						   ? WIRE_CLASS_IN
					       : strcmp(tok[i + 1], "CH") == 0
						   ? 3
						   : number(tok[i + 1], line));
		else if (strcmp(t, "random") == 0 && more)
			o->random = strtoull(tok[++i], NULL, 0);
		else if (burst && strcmp(t, "over") == 0 && more)
			o->over = duration(tok[++i], line);
		else if (t[0] == '@' && !burst)
			o->label = t + 1;
		else
			scenario_error(line, "unknown query option '%s'", t);
		if (strcmp(t, "class") == 0)
			i++;
	}
}

static void
build_query(const char *name, const char *type, const struct qopts *o,
	    struct query *q, unsigned line)
{
	struct rp_msg *m = calloc(1, sizeof(*m));
	uint8_t wname[WIRE_MAX_NAME_LEN];
	size_t wlen;
	uint16_t qtype;
	long hl;

	if (m == NULL)
		abort();
	memset(q, 0, offsetof(struct query, peer));
	parse_addr(o->from != NULL ? o->from : "127.0.0.1", &q->peer, line);
	q->listener = o->listener;
	q->tcp = o->tcp;
	q->random = o->random;
	if (o->hex != NULL) {
		if ((hl = rp_hex(o->hex, q->b, sizeof(q->b))) < 0)
			scenario_error(line, "bad hex query");
		q->len = (size_t)hl;
		snprintf(q->what, sizeof(q->what), "query hex (%zu bytes)",
			 q->len);
		free(m);
		return;
	}
	if ((wlen = rp_name_to_wire(name, wname)) == 0)
		scenario_error(line, "bad name '%s'", name);
	if ((qtype = rp_type_by_name(type)) == 0)
		scenario_error(line, "unknown type '%s'", type);
	rp_u16(m, o->id);
	rp_u16(m, o->flags);
	rp_u16(m, 1);
	rp_u16(m, 0);
	rp_u16(m, 0);
	rp_u16(m, o->edns ? 1 : 0);
	memcpy(m->b + m->len, wname, wlen);
	m->len += wlen;
	rp_u16(m, qtype);
	rp_u16(m, o->qclass);
	if (o->edns) {
		m->b[m->len++] = 0;
		rp_u16(m, WIRE_TYPE_OPT);
		rp_u16(m, o->payload);
		rp_u16(m, o->version & 0xffu);
		rp_u16(m, o->do_bit ? 0x8000u : 0);
		rp_u16(m, 0);
	}
	memcpy(q->b, m->b, m->len);
	q->len = m->len;
	snprintf(q->what, sizeof(q->what), "query %s %s", name, type);
	free(m);
}

/* io/daemon.c inbound_vpc(): the VPC of an inbound listener. */
static size_t
inbound_vpc(const struct conf *cf, size_t listener)
{
	const char *id;

	if (listener >= cf->n_listen ||
	    (id = cf->listen[listener].inbound) == NULL)
		return VIEW_NOT_INBOUND;
	for (size_t i = 0; i < cf->n_vpcs; i++)
		if (strcmp(cf->vpcs[i].id, id) == 0)
			return i;
	return VIEW_NOT_INBOUND;
}

/* io/daemon.c reply(): every answer goes through response rate
 * limiting, the core's decision (ratelimit_response()). */
static void
edge_reply(struct dataset *ds, const struct query *q,
	   const struct answer_job *job, uint8_t *resp, size_t *len)
{
	struct answer_src src = {
	    .addr = (const struct sockaddr *)&q->peer,
	    .inbound = VIEW_NOT_INBOUND,
	    .tcp = q->tcp,
	};

	*len = ratelimit_response(ds->rrl, ds->conf->rrl_min_size, ds->views,
				  &src, &job->q, R.now, resp, *len);
}

static void
pending_add(struct pending *p)
{
	for (struct pending **pp = &R.pending;; pp = &(*pp)->next)
		if (*pp == NULL) {
			*pp = p;
			break;
		}
}

/* io/daemon.c: a forwarded query leads its key, waits behind an
 * identical one already upstream, or (over the bound) goes alone. */
static enum inflight_join
join(struct pending *p)
{
	struct cache_key k;

	answer_key(&p->job, &k);
	return inflight_join(p->ds->inflight, &k, p, &p->lead);
}

/* A hit near expiry asked for a refresh (cache_prefetch_due()): it
 * goes upstream as a forwarded query whose answer goes to nobody,
 * unless an identical query is already upstream. */
static void
prefetch(struct pending *p, const struct query *q, const char *label)
{
	p->q = *q;
	p->ds = R.ds;
	p->ds->refs++;
	p->prefetch = true;
	snprintf(p->label, sizeof(p->label), "%s", label ? label : "");
	if (join(p) != INFLIGHT_LEAD) {
		/* INFLIGHT_WAIT kept it; it is answered with that one. */
		return;
	}
	pending_add(p);
	R.prefetched = p;
}

/*
 * One query through io/daemon.c on_query(): simulate-aws-limits, the
 * engine, response rate limiting.  Fills R.out; a forwarded query
 * becomes a pending one.
 */
static void
send_query(const struct query *q, const char *label)
{
	struct dataset *ds = R.ds;
	struct pending *p = calloc(1, sizeof(*p));
	struct answer_src src = {0};
	size_t len = 0;

	if (p == NULL)
		abort();
	R.out.q = *q;
	R.out.kind = OUT_DROP;
	R.out.resp_len = 0;
	R.out.fwd = NULL;
	if (ds->aws_limit != NULL &&
	    !ratelimit_allow(ds->aws_limit, (const struct sockaddr *)&q->peer,
			     R.now)) {
		ds->aws_dropped++;
		free(p);
		return;
	}
	src.addr = (const struct sockaddr *)&q->peer;
	src.inbound = inbound_vpc(ds->conf, q->listener);
	src.tcp = q->tcp;
	src.random = q->random;
	switch (answer_query(&p->job, ds->views, ds->cache, &src, q->b, q->len,
			     R.now, R.out.resp,
			     q->tcp ? MSG_TCP_MAX : MSG_UDP_MAX, &len)) {
	case ANSWER_REPLY:
		edge_reply(ds, q, &p->job, R.out.resp, &len);
		R.out.kind = OUT_REPLY;
		R.out.resp_len = len;
		R.out.limit = p->job.limit;
		if (p->job.prefetch)
			prefetch(p, q, label);
		else
			free(p);
		return;
	case ANSWER_DROP:
		free(p);
		return;
	case ANSWER_FORWARD:
		break;
	}
	p->q = *q;
	p->ds = ds;
	ds->refs++;
	snprintf(p->label, sizeof(p->label), "%s", label ? label : "");
	R.out.limit = p->job.limit;
	if (join(p) == INFLIGHT_WAIT) {
		R.out.kind = OUT_WAIT;
		return;
	}
	pending_add(p);
	R.out.kind = OUT_FORWARD;
	R.out.fwd = p;
}

static bool
reply_tc(void)
{
	return R.out.resp_len >= 4 && (R.out.resp[2] & 0x02u) != 0;
}

static void
pending_free(struct pending *p)
{
	if (R.prefetched == p)
		R.prefetched = NULL;
	dataset_unref(p->ds);
	free(p);
}

/* Takes @p off the waiting list and frees it; its waiters, if it
 * leads any, are abandoned with it. */
static void
pending_drop(struct pending *p)
{
	struct inflight_batch b = {0};

	for (struct pending **pp = &R.pending; *pp != NULL; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	if (p->lead != NULL)
		inflight_finish(p->ds->inflight, p->lead, &b);
	for (size_t i = 0; i < b.n; i++)
		pending_free(b.waiters[i]);
	inflight_batch_free(&b);
	pending_free(p);
}

static void
need_checked(unsigned line)
{
	if (R.n_queue > 0)
		scenario_error(line,
			       "line %u answered %zu more queries: check "
			       "each with an 'expect'",
			       R.out.line, R.n_queue + 1);
	if (R.out.kind != OUT_NONE && R.out.kind != OUT_FORWARD)
		scenario_error(line,
			       "the outcome of line %u was not checked "
			       "(every query or upstream step needs an "
			       "'expect')",
			       R.out.line);
	if (R.out.kind == OUT_FORWARD)
		scenario_error(line,
			       "line %u was forwarded: say "
			       "'expect forward' first",
			       R.out.line);
}

static void
do_query(char **tok, size_t n, unsigned line)
{
	struct qopts o = {.id = (uint16_t)R.next_id++,
			  .flags = WIRE_FLAG_RD,
			  .qclass = WIRE_CLASS_IN,
			  .payload = 1232,
			  .listener = SIZE_MAX};
	struct query *q = calloc(1, sizeof(*q));
	size_t first = 3;

	need_checked(line);
	if (q == NULL)
		abort();
	R.prefetched = NULL;
	if (n >= 2 && tok[1][0] == '@') {
		/* query @LABEL NAME TYPE ...: the label may come first. */
		char *label = tok[1];

		memmove(tok + 1, tok + 2, (n - 2) * sizeof(*tok));
		tok[n - 1] = label;
	}
	if (n >= 3 && strcmp(tok[1], "hex") == 0) {
		o.hex = tok[2]; /* query hex BYTES [options] */
	} else if (n < 3) {
		scenario_error(line, "query NAME TYPE [options]");
	}
	parse_qopts(tok + first, n - first, &o, false, line);
	build_query(o.hex ? NULL : tok[1], o.hex ? NULL : tok[2], &o, q, line);
	send_query(q, o.label);
	R.out.line = line;
	free(q);
}

static void
do_burst(char **tok, size_t n, unsigned line)
{
	struct qopts o = {.flags = WIRE_FLAG_RD,
			  .qclass = WIRE_CLASS_IN,
			  .payload = 1232,
			  .listener = SIZE_MAX};
	struct query *q = calloc(1, sizeof(*q));
	unsigned long count;
	unsigned tally[N_BURST_KEYS] = {0};
	uint64_t start = R.now;

	need_checked(line);
	if (n < 4 || q == NULL)
		scenario_error(line, "burst COUNT NAME TYPE [options]");
	count = number(tok[1], line);
	parse_qopts(tok + 4, n - 4, &o, true, line);
	for (unsigned long i = 0; i < count; i++) {
		o.id = (uint16_t)R.next_id++;
		build_query(tok[2], tok[3], &o, q, line);
		R.now = start + o.over * i / count;
		send_query(q, NULL);
		if (R.out.kind == OUT_DROP)
			tally[2]++;
		else if (R.out.kind == OUT_FORWARD)
			tally[3]++;
		else if (R.out.kind == OUT_WAIT)
			tally[4]++;
		else
			tally[reply_tc() ? 1 : 0]++;
		/* A burst's forwarded queries are abandoned: nothing
		 * answers them. */
		if (R.out.kind == OUT_FORWARD)
			pending_drop(R.out.fwd);
	}
	R.now = start + o.over;
	R.out.kind = OUT_BURST;
	R.out.line = line;
	memcpy(R.out.burst, tally, sizeof(tally));
	snprintf(R.out.q.what, sizeof(R.out.q.what), "burst of %lu %s %s",
		 count, tok[2], tok[3]);
	free(q);
}

/* ---- upstream outcomes ------------------------------------------------ */

static struct pending *
find_pending(const char *label, unsigned line)
{
	struct pending *found = NULL;

	/* Without a label: the most recently forwarded one. */
	for (struct pending *p = R.pending; p != NULL; p = p->next)
		if (label == NULL || strcmp(p->label, label) == 0)
			found = p;
	if (found != NULL)
		return found;
	scenario_error(line, "no forwarded query %s%s is waiting",
		       label ? "@" : "", label ? label : "");
}

/* The name and type asked upstream, as text. */
static void
upstream_question(const struct answer_job *job, char *out, size_t cap)
{
	char name[LOG_NAME_MAX], type[32];

	log_name(job->fwd_name, job->fwd_name_len, name);
	snprintf(out, cap, "%s %s", name,
		 rp_type_name(job->q.qtype, type, sizeof(type)));
}

/* The sections block of an upstream reply: RR lines under section
 * names; returns the text of RRs per section. */
static void
reply_sections(struct rp_lines sec[3], unsigned line)
{
	int s = -1;

	for (;;) {
		const char *l;

		if (R.at >= R.src.n)
			scenario_error(line, "block without 'end'");
		l = R.src.v[R.at++];
		if (strcmp(l, "end") == 0)
			return;
		if (l[0] == '#' || l[strspn(l, " \t")] == '\0')
			continue;
		if (strcmp(l, "ANSWER") == 0)
			s = 0;
		else if (strcmp(l, "AUTHORITY") == 0)
			s = 1;
		else if (strcmp(l, "ADDITIONAL") == 0)
			s = 2;
		else if (s < 0)
			scenario_error(line_no(),
				       "an RR before a section name");
		else
			rp_lines_add(&sec[s], l);
	}
}

static bool
next_is_section(void)
{
	size_t i = R.at;

	while (i < R.src.n && (R.src.v[i][0] == '\0' || R.src.v[i][0] == '#'))
		i++;
	return i < R.src.n && (strncmp(R.src.v[i], "ANSWER", 6) == 0 ||
			       strncmp(R.src.v[i], "AUTHORITY", 9) == 0 ||
			       strncmp(R.src.v[i], "ADDITIONAL", 10) == 0);
}

/* upstream [@label] RCODE [flags] [qname N] [qtype T] [id N] [edns P]
 * followed by an optional sections block. */
static void
build_reply(const struct pending *p, char **tok, size_t n, struct rp_msg *m,
	    unsigned line)
{
	struct rp_lines sec[3] = {{0}};
	uint16_t flags = WIRE_FLAG_QR, id = 0x4242, qtype = p->job.q.qtype;
	const uint8_t *qname = p->job.fwd_name;
	uint8_t wname[WIRE_MAX_NAME_LEN];
	size_t qlen = p->job.fwd_name_len;
	bool any_flag = false, edns = false;
	unsigned payload = 1232;
	int rcode = rp_rcode_by_name(tok[0]);

	if (rcode < 0 || rcode > 15)
		scenario_error(line, "unknown upstream outcome '%s'", tok[0]);
	for (size_t i = 1; i < n; i++) {
		bool more = i + 1 < n;

		if (rp_flag_by_name(tok[i]) != 0) {
			flags |= rp_flag_by_name(tok[i]);
			any_flag = true;
		} else if (strcmp(tok[i], "qname") == 0 && more) {
			if ((qlen = rp_name_to_wire(tok[++i], wname)) == 0)
				scenario_error(line, "bad name");
			qname = wname;
		} else if (strcmp(tok[i], "qtype") == 0 && more) {
			if ((qtype = rp_type_by_name(tok[++i])) == 0)
				scenario_error(line, "unknown type");
		} else if (strcmp(tok[i], "id") == 0 && more) {
			id = (uint16_t)number(tok[++i], line);
		} else if (strcmp(tok[i], "edns") == 0 && more) {
			edns = true;
			payload = (unsigned)number(tok[++i], line);
		} else {
			scenario_error(line, "unknown reply option '%s'",
				       tok[i]);
		}
	}
	if (!any_flag)
		flags |= WIRE_FLAG_RD | WIRE_FLAG_RA;
	if (next_is_section())
		reply_sections(sec, line);
	m->len = 0;
	rp_u16(m, id);
	rp_u16(m, flags | (unsigned)rcode);
	rp_u16(m, 1);
	for (int s = 0; s < 3; s++)
		rp_u16(m, (unsigned)sec[s].n + (s == 2 && edns ? 1u : 0u));
	memcpy(m->b + m->len, qname, qlen);
	m->len += qlen;
	rp_u16(m, qtype);
	rp_u16(m, WIRE_CLASS_IN);
	for (int s = 0; s < 3; s++) {
		for (size_t i = 0; i < sec[s].n; i++)
			if (!rp_rr_append(m, sec[s].v[i]))
				scenario_error(line, "RR does not parse: %s",
					       sec[s].v[i]);
		rp_lines_free(&sec[s]);
	}
	if (edns) {
		m->b[m->len++] = 0;
		rp_u16(m, WIRE_TYPE_OPT);
		rp_u16(m, payload);
		rp_u16(m, 0);
		rp_u16(m, 0);
		rp_u16(m, 0);
	}
}

static const struct {
	const char *name;
	int status;
} fwd_errors[] = {
    /* What io/fwd.c reports (fwd.h, fwd_cb). */
    {"timeout", VPC_ETIMEOUT},
    {"failure", VPC_EUPSTREAM},
    {"ioerror", VPC_EIO},
    {"nomem", VPC_ENOMEM},
};

/* The queries that waited for @p (io/daemon.c): each gets its own
 * answer from @p's outcome, checked by the next 'expect's in the order
 * they came. */
static void
answer_waiters(struct pending *p, int status, const struct rp_msg *m,
	       const char *outcome, unsigned line)
{
	struct inflight_batch b = {0};

	if (p->lead == NULL)
		return;
	inflight_finish(p->ds->inflight, p->lead, &b);
	p->lead = NULL;
	for (size_t i = 0; i < b.n; i++) {
		struct pending *w = b.waiters[i];
		struct outcome *o =
		    R.out.kind == OUT_NONE ? &R.out : calloc(1, sizeof(*o));

		if (o == NULL || (o != &R.out &&
				  (R.queue = realloc(R.queue,
						     (R.n_queue + 1) *
							 sizeof(*R.queue))) ==
				      NULL))
			abort();
		o->resp_len = answer_waiter(
		    &w->job, w->ds->cache, status, m->b, m->len, R.now, o->resp,
		    w->q.tcp ? MSG_TCP_MAX : MSG_UDP_MAX);
		if (o->resp_len == 0)
			scenario_error(line, "a waiter needs a second upstream "
					     "query (DNS64): not replayed");
		edge_reply(w->ds, &w->q, &w->job, o->resp, &o->resp_len);
		o->kind = OUT_REPLY;
		o->line = line;
		o->q = w->q;
		snprintf(o->q.what, sizeof(o->q.what),
			 "upstream %s for the waiting %s", outcome,
			 w->q.what + 6);
		o->limit = w->job.limit;
		if (o != &R.out)
			R.queue[R.n_queue++] = o;
		pending_free(w);
	}
	inflight_batch_free(&b);
}

static void
do_upstream(char **tok, size_t n, unsigned line)
{
	const char *label = NULL;
	struct rp_msg *m = calloc(1, sizeof(*m));
	struct pending *p;
	int status = VPC_OK;
	size_t len, k = 1;
	char what[1200];

	need_checked(line);
	if (m == NULL)
		abort();
	if (k < n && tok[k][0] == '@')
		label = tok[k++] + 1;
	if (k >= n)
		scenario_error(line, "upstream [@label] OUTCOME ...");
	p = find_pending(label, line);
	for (size_t i = 0; i < sizeof(fwd_errors) / sizeof(*fwd_errors); i++)
		if (strcmp(tok[k], fwd_errors[i].name) == 0)
			status = fwd_errors[i].status;
	if (status != VPC_OK) {
		m->len = 0;
	} else if (strcmp(tok[k], "hex") == 0 && k + 1 < n) {
		long hl = rp_hex(tok[k + 1], m->b, sizeof(m->b));

		if (hl < 0)
			scenario_error(line, "bad hex reply");
		m->len = (size_t)hl;
	} else {
		build_reply(p, tok + k, n - k, m, line);
	}
	len =
	    answer_upstream(&p->job, p->ds->cache, status, m->b, m->len, R.now,
			    R.out.resp, p->q.tcp ? MSG_TCP_MAX : MSG_UDP_MAX);
	edge_reply(p->ds, &p->q, &p->job, R.out.resp, &len);
	upstream_question(&p->job, what, sizeof(what));
	R.out.kind = p->prefetch ? OUT_NONE : OUT_REPLY;
	R.out.line = line;
	R.out.q = p->q;
	snprintf(R.out.q.what, sizeof(R.out.q.what), "upstream %s for %s",
		 tok[k], p->q.what + 6);
	R.out.resp_len = len;
	R.out.limit = p->job.limit;
	answer_waiters(p, status, m, tok[k], line);
	pending_drop(p);
	free(m);
}

/* ---- checks ----------------------------------------------------------- */

static void
report(bool ok, unsigned line, const struct rp_lines *want,
       const struct rp_lines *got)
{
	R.checks++;
	printf("%s: %s:%u: %s%s%s%s\n", ok ? "PASS" : "FAIL", R.base, line,
	       R.title[0] ? "[" : "", R.title, R.title[0] ? "] " : "",
	       R.out.q.what);
	if (ok)
		return;
	R.failed++;
	rp_diff(want, got);
}

static bool
same_lines(const struct rp_lines *a, const struct rp_lines *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return false;
	return true;
}

/* Length of the question at @off of @b (uncompressed name + 4), 0 when it
 * is not there. */
static size_t
question_len(const uint8_t *b, size_t len, size_t off)
{
	size_t p = off;

	while (p < len && b[p] != 0) {
		if (b[p] & 0xc0u)
			return 0;
		p += 1u + b[p];
	}
	return p + 5 <= len ? p + 5 - off : 0;
}

/* The invariants of every response (SPEC Part 3): the ID and the
 * question echoed byte for byte, a UDP response within the limit. */
static void
invariants(struct rp_lines *got)
{
	const struct outcome *o = &R.out;
	size_t ql;

	if (o->resp_len >= 2 && o->q.len >= 2 &&
	    memcmp(o->resp, o->q.b, 2) != 0)
		rp_lines_add(got, "!! the ID is not echoed");
	if (o->resp_len >= WIRE_HEADER_LEN && o->q.len >= WIRE_HEADER_LEN &&
	    o->resp[5] == 1 && o->q.b[5] == 1 && o->q.b[4] == 0 &&
	    (ql = question_len(o->q.b, o->q.len, WIRE_HEADER_LEN)) > 0 &&
	    (o->resp_len < WIRE_HEADER_LEN + ql ||
	     memcmp(o->resp + WIRE_HEADER_LEN, o->q.b + WIRE_HEADER_LEN, ql) !=
		 0))
		rp_lines_add(got,
			     "!! the question is not echoed byte for byte");
	if (!o->q.tcp && o->resp_len > o->limit && o->limit > 0)
		rp_lines_addf(got, "!! %zu bytes over a UDP limit of %zu",
			      o->resp_len, o->limit);
}

static const char *const section_names[] = {"ANSWER", "AUTHORITY",
					    "ADDITIONAL"};

/* The expectation block: section names (optionally "count N") and RRs. */
static void
expect_sections(struct rp_lines *want, long counts[3], unsigned line)
{
	struct rp_lines sec[3] = {{0}};
	int s = -1;

	counts[0] = counts[1] = counts[2] = -1;
	for (;;) {
		char *l, *tok[MAX_TOKENS], copy[8192], canon[8192], err[256];
		size_t n;

		if (R.at >= R.src.n)
			scenario_error(line, "block without 'end'");
		l = R.src.v[R.at++];
		if (strcmp(l, "end") == 0)
			break;
		if (l[0] == '#' || l[strspn(l, " \t")] == '\0')
			continue;
		snprintf(copy, sizeof(copy), "%s", l);
		if ((n = tokens(copy, tok)) == 0)
			continue;
		for (int k = 0; k < 3; k++)
			if (strcmp(tok[0], section_names[k]) == 0) {
				s = k;
				if (n == 3 && strcmp(tok[1], "count") == 0)
					counts[k] =
					    (long)number(tok[2], line_no());
				else if (n != 1)
					scenario_error(line_no(),
						       "SECTION [count N]");
				goto next;
			}
		if (s < 0)
			scenario_error(line_no(),
				       "an RR before a section name");
		if (!rp_rr_canon(l, canon, sizeof(canon), err, sizeof(err)))
			scenario_error(line_no(), "RR does not parse (%s): %s",
				       err, l);
		rp_lines_add(&sec[s], canon);
	next:;
	}
	for (int k = 0; k < 3; k++) {
		if (counts[k] >= 0)
			rp_lines_addf(want, "%s: %ld records", section_names[k],
				      counts[k]);
		else if (sec[k].n > 0)
			rp_lines_add(want, section_names[k]);
		for (size_t i = 0; i < sec[k].n; i++)
			rp_lines_add(want, sec[k].v[i]);
		rp_lines_free(&sec[k]);
	}
}

static void
expect_reply(char **tok, size_t n, unsigned line)
{
	struct rp_lines want = {0}, got = {0};
	unsigned payload = 0, version = 0;
	bool opt = false, do_bit = false;
	uint16_t flags = 0;
	long counts[3] = {-1, -1, -1};
	int rcode = rp_rcode_by_name(tok[1]);
	char header[256];
	struct rp_view v;

	if (rcode < 0)
		scenario_error(line, "unknown RCODE '%s'", tok[1]);
	for (size_t i = 2; i < n; i++) {
		if (rp_flag_by_name(tok[i]) != 0)
			flags |= rp_flag_by_name(tok[i]);
		else if (strcmp(tok[i], "edns") == 0 && i + 1 < n)
			opt = true, payload = (unsigned)number(tok[++i], line);
		else if (strcmp(tok[i], "version") == 0 && i + 1 < n)
			version = (unsigned)number(tok[++i], line);
		else if (strcmp(tok[i], "do") == 0)
			do_bit = true;
		else
			scenario_error(line, "unknown expectation '%s'",
				       tok[i]);
	}
	rp_header_line((unsigned)rcode, flags, opt, payload, version, do_bit,
		       header, sizeof(header));
	rp_lines_add(&want, header);
	if (next_is_section())
		expect_sections(&want, counts, line);
	if (R.out.kind != OUT_REPLY) {
		rp_lines_add(&got, R.out.kind == OUT_DROP ? "(dropped)"
				   : R.out.kind == OUT_FORWARD
				       ? "(forwarded upstream)"
				       : "(no response)");
	} else {
		rp_render(R.out.resp, R.out.resp_len, &v);
		rp_lines_add(&got, v.header);
		for (int k = 0; k < 3; k++) {
			if (counts[k] >= 0 && v.ok) {
				rp_lines_addf(&got, "%s: %zu records",
					      section_names[k], v.sec[k].n);
				continue;
			}
			if (v.ok && v.sec[k].n > 0)
				rp_lines_add(&got, section_names[k]);
			for (size_t i = 0; i < v.sec[k].n; i++)
				rp_lines_add(&got, v.sec[k].v[i]);
		}
		rp_view_free(&v);
		invariants(&got);
	}
	report(same_lines(&want, &got), line, &want, &got);
	rp_lines_free(&want);
	rp_lines_free(&got);
	/* A query forwarded against expectations is abandoned, so that the
	 * rest of the scenario still runs. */
	if (R.out.kind == OUT_FORWARD)
		pending_drop(R.out.fwd);
	R.out.kind = OUT_NONE;
}

/* expect forward [NAME TYPE] [group N] [do] [cd] */
static void
expect_forward(char **tok, size_t n, unsigned line)
{
	struct rp_lines want = {0}, got = {0};
	const struct answer_job *job;
	char q[1200], name[LOG_NAME_MAX], type[32];
	uint8_t wname[WIRE_MAX_NAME_LEN];
	long group = -1;
	bool do_bit = false, cd = false, named = false;
	size_t i = 2;

	if (n >= 4 && strcmp(tok[2], "group") != 0) {
		size_t wl = rp_name_to_wire(tok[2], wname);
		uint16_t t = rp_type_by_name(tok[3]);

		if (wl == 0 || t == 0)
			scenario_error(line, "expect forward NAME TYPE ...");
		wire_name_lower(wname, wname, wl);
		log_name(wname, wl, name);
		snprintf(q, sizeof(q), "%s %s", name,
			 rp_type_name(t, type, sizeof(type)));
		rp_lines_add(&want, q);
		named = true;
		i = 4;
	}
	for (; i < n; i++) {
		if (strcmp(tok[i], "group") == 0 && i + 1 < n)
			group = (long)number(tok[++i], line);
		else if (strcmp(tok[i], "do") == 0)
			do_bit = true;
		else if (strcmp(tok[i], "cd") == 0)
			cd = true;
		else
			scenario_error(line, "unknown expectation '%s'",
				       tok[i]);
	}
	if (group >= 0)
		rp_lines_addf(&want, "group %ld", group);
	rp_lines_addf(&want, "upstream query:%s%s", cd ? " cd" : "",
		      do_bit ? " do" : "");
	if (R.out.kind != OUT_FORWARD) {
		rp_lines_add(&got, R.out.kind == OUT_REPLY
				       ? "(answered without upstream)"
				       : "(not forwarded)");
		report(false, line, &want, &got);
		R.out.kind = OUT_NONE;
	} else {
		bool qcd, qdo;

		job = &R.out.fwd->job;
		upstream_question(job, q, sizeof(q));
		if (named)
			rp_lines_add(&got, q);
		if (group >= 0)
			rp_lines_addf(&got, "group %u", job->fwd_group);
		/* The flags of msg_build_upstream()'s query: CD in the
		 * header, DO in the OPT RR's TTL. */
		qcd = job->query_len > 3 && (job->query[3] & 0x10u);
		qdo = job->query_len >= 11 &&
		      (job->query[job->query_len - 4] & 0x80u);
		rp_lines_addf(&got, "upstream query:%s%s", qcd ? " cd" : "",
			      qdo ? " do" : "");
		report(same_lines(&want, &got), line, &want, &got);
		R.out.kind = OUT_NONE;
	}
	rp_lines_free(&want);
	rp_lines_free(&got);
}

static void
expect_burst(char **tok, size_t n, unsigned line)
{
	struct rp_lines want = {0}, got = {0};
	char w[256] = "", g[256] = "";
	size_t wl = 0, gl = 0;

	if (R.out.kind != OUT_BURST)
		scenario_error(line, "'expect burst' without a burst");
	for (size_t i = 2; i + 1 < n; i += 2) {
		size_t k;

		for (k = 0;
		     k < N_BURST_KEYS && strcmp(tok[i], burst_keys[k]) != 0;
		     k++)
			;
		if (k == N_BURST_KEYS)
			scenario_error(line,
				       "burst keys: full tc drop forward wait");
		wl += (size_t)snprintf(w + wl, sizeof(w) - wl, "%s %lu ",
				       burst_keys[k], number(tok[i + 1], line));
		gl += (size_t)snprintf(g + gl, sizeof(g) - gl, "%s %u ",
				       burst_keys[k], R.out.burst[k]);
	}
	if (n < 4 || n % 2 != 0)
		scenario_error(line, "expect burst KEY N [KEY N...]");
	rp_lines_add(&want, w);
	rp_lines_add(&got, g);
	report(strcmp(w, g) == 0, line, &want, &got);
	rp_lines_free(&want);
	rp_lines_free(&got);
	R.out.kind = OUT_NONE;
}

/* expect counters KEY N ...: the data set's counters. */
static void
expect_counters(char **tok, size_t n, unsigned line)
{
	struct rp_lines want = {0}, got = {0};
	struct cache_stats cs;
	struct inflight_stats is;
	char w[512] = "", g[512] = "";
	size_t wl = 0, gl = 0;
	struct query saved = R.out.q;

	cache_get_stats(R.ds->cache, &cs);
	inflight_get_stats(R.ds->inflight, &is);
	for (size_t i = 2; i + 1 < n; i += 2) {
		const char *k = tok[i];
		uint64_t v;

		if (strcmp(k, "cache-entries") == 0)
			v = cs.entries;
		else if (strcmp(k, "cache-hits") == 0)
			v = cs.hits;
		else if (strcmp(k, "cache-misses") == 0)
			v = cs.misses;
		else if (strcmp(k, "cache-inserts") == 0)
			v = cs.inserts;
		else if (strcmp(k, "cache-evictions") == 0)
			v = cs.evictions;
		else if (strcmp(k, "cache-stale") == 0)
			v = cs.stale_served;
		else if (strcmp(k, "cache-prefetches") == 0)
			v = cs.prefetches;
		else if (strcmp(k, "coalesced") == 0)
			v = is.coalesced;
		else if (strcmp(k, "carried-kept") == 0)
			v = R.carried.kept;
		else if (strcmp(k, "carried-regrouped") == 0)
			v = R.carried.regrouped;
		else if (strcmp(k, "carried-gone") == 0)
			v = R.carried.gone;
		else if (strcmp(k, "carried-local") == 0)
			v = R.carried.local;
		else if (strcmp(k, "rrl-limited") == 0)
			v = R.ds->rrl ? ratelimit_limited(R.ds->rrl) : 0;
		else if (strcmp(k, "aws-dropped") == 0)
			v = R.ds->aws_dropped;
		else
			scenario_error(line, "unknown counter '%s'", k);
		wl += (size_t)snprintf(w + wl, sizeof(w) - wl, "%s %lu ", k,
				       number(tok[i + 1], line));
		gl += (size_t)snprintf(g + gl, sizeof(g) - gl, "%s %llu ", k,
				       (unsigned long long)v);
	}
	if (n < 4 || n % 2 != 0)
		scenario_error(line, "expect counters KEY N [KEY N...]");
	rp_lines_add(&want, w);
	rp_lines_add(&got, g);
	snprintf(R.out.q.what, sizeof(R.out.q.what), "counters");
	report(strcmp(w, g) == 0, line, &want, &got);
	R.out.q = saved;
	rp_lines_free(&want);
	rp_lines_free(&got);
}

/* expect prefetch [NAME TYPE]: the last query, answered from the
 * cache, also asked upstream for a refresh of that question. */
static void
expect_prefetch(char **tok, size_t n, unsigned line)
{
	struct rp_lines want = {0}, got = {0};
	char q[1200], name[LOG_NAME_MAX], type[32];
	uint8_t wname[WIRE_MAX_NAME_LEN];
	struct query saved = R.out.q;

	if (n == 4) {
		size_t wl = rp_name_to_wire(tok[2], wname);
		uint16_t t = rp_type_by_name(tok[3]);

		if (wl == 0 || t == 0)
			scenario_error(line, "expect prefetch [NAME TYPE]");
		wire_name_lower(wname, wname, wl);
		log_name(wname, wl, name);
		rp_lines_addf(&want, "refresh %s %s", name,
			      rp_type_name(t, type, sizeof(type)));
	} else if (n != 2) {
		scenario_error(line, "expect prefetch [NAME TYPE]");
	} else {
		rp_lines_add(&want, "a refresh");
	}
	if (R.prefetched == NULL) {
		rp_lines_add(&got, "(no refresh asked)");
	} else if (n == 4) {
		upstream_question(&R.prefetched->job, q, sizeof(q));
		rp_lines_addf(&got, "refresh %s", q);
	} else {
		rp_lines_add(&got, "a refresh");
	}
	snprintf(R.out.q.what, sizeof(R.out.q.what), "prefetch");
	report(same_lines(&want, &got), line, &want, &got);
	R.out.q = saved;
	rp_lines_free(&want);
	rp_lines_free(&got);
}

/* The next outcome of a step that answered several queries. */
static void
next_outcome(void)
{
	if (R.out.kind != OUT_NONE || R.n_queue == 0)
		return;
	R.out = *R.queue[0];
	free(R.queue[0]);
	memmove(R.queue, R.queue + 1, --R.n_queue * sizeof(*R.queue));
}

static void
expect_outcome(char **tok, size_t n, unsigned line);

static void
do_expect(char **tok, size_t n, unsigned line)
{
	if (n < 2)
		scenario_error(line, "expect WHAT");
	if (strcmp(tok[1], "counters") == 0) {
		expect_counters(tok, n, line);
		return;
	}
	if (strcmp(tok[1], "prefetch") == 0) {
		expect_prefetch(tok, n, line);
		return;
	}
	expect_outcome(tok, n, line);
	next_outcome();
}

static void
expect_outcome(char **tok, size_t n, unsigned line)
{
	if (R.out.kind == OUT_NONE)
		scenario_error(line, "nothing to check: no query or upstream "
				     "step since the last 'expect'");
	if (strcmp(tok[1], "forward") == 0)
		expect_forward(tok, n, line);
	else if (strcmp(tok[1], "coalesced") == 0 && n == 2) {
		struct rp_lines want = {0}, got = {0};

		rp_lines_add(&want, "(waits for an identical query)");
		rp_lines_add(&got, R.out.kind == OUT_WAIT
				       ? "(waits for an identical query)"
				   : R.out.kind == OUT_FORWARD
				       ? "(forwarded upstream)"
				       : "(not forwarded)");
		report(R.out.kind == OUT_WAIT, line, &want, &got);
		rp_lines_free(&want);
		rp_lines_free(&got);
		if (R.out.kind == OUT_FORWARD)
			pending_drop(R.out.fwd);
		R.out.kind = OUT_NONE;
	} else if (strcmp(tok[1], "burst") == 0)
		expect_burst(tok, n, line);
	else if (strcmp(tok[1], "drop") == 0 && n == 2) {
		struct rp_lines want = {0}, got = {0};

		rp_lines_add(&want, "(dropped)");
		rp_lines_add(&got, R.out.kind == OUT_DROP ? "(dropped)"
				   : R.out.kind == OUT_FORWARD
				       ? "(forwarded upstream)"
				       : "(a response)");
		report(R.out.kind == OUT_DROP, line, &want, &got);
		rp_lines_free(&want);
		rp_lines_free(&got);
		if (R.out.kind == OUT_FORWARD)
			pending_drop(R.out.fwd);
		R.out.kind = OUT_NONE;
	} else
		expect_reply(tok, n, line);
}

/* ---- the main loop ---------------------------------------------------- */

/* health ID up|down: what io/health.c concludes from its checks. */
static void
set_health(const char *id, const char *status, unsigned line)
{
	struct policy_health *h = R.ds->views->health;
	size_t i = h != NULL ? policy_health_index(h, id) : SIZE_MAX;

	if (i == SIZE_MAX)
		scenario_error(line, "no health check '%s'", id);
	if (strcmp(status, "up") != 0 && strcmp(status, "down") != 0)
		scenario_error(line, "health ID up|down");
	h->up[i] = strcmp(status, "up") == 0 ? 1 : 0;
}

static void
step(char *l, unsigned line)
{
	char copy[8192], *tok[MAX_TOKENS];
	size_t n;

	snprintf(copy, sizeof(copy), "%s", l);
	if ((n = tokens(copy, tok)) == 0)
		return;
	if (strcmp(tok[0], "config") == 0 && n == 1) {
		/* Loaded at the next step, once the files that follow it
		 * are written; a later one is a reload. */
		free(R.conf_text);
		R.conf_text = block(line);
		R.conf_line = line;
		return;
	}
	if (strcmp(tok[0], "file") == 0 && n == 2) {
		write_file(tok[1], line);
		return;
	}
	if (R.conf_text == NULL)
		scenario_error(line, "'%s' before the first config", tok[0]);
	if (R.conf_line > 0 || strcmp(tok[0], "reload") == 0) {
		dataset_load(R.conf_line > 0 ? R.conf_line : line);
		R.conf_line = 0;
	}
	if (strcmp(tok[0], "reload") == 0 && n == 1) {
		return;
	} else if (strcmp(tok[0], "time") == 0 && n == 2) {
		R.now = CLOCK_BASE_MS + duration(tok[1], line);
	} else if (strcmp(tok[0], "health") == 0 && n == 3) {
		set_health(tok[1], tok[2], line);
	} else if (strcmp(tok[0], "advance") == 0 && n == 2) {
		R.now += duration(tok[1], line);
	} else if (strcmp(tok[0], "query") == 0) {
		do_query(tok, n, line);
	} else if (strcmp(tok[0], "burst") == 0) {
		do_burst(tok, n, line);
	} else if (strcmp(tok[0], "upstream") == 0) {
		do_upstream(tok, n, line);
	} else if (strcmp(tok[0], "expect") == 0) {
		do_expect(tok, n, line);
	} else {
		scenario_error(line, "unknown step '%s'", tok[0]);
	}
}

int
main(int argc, char **argv)
{
	char *slash;
	const char *tmpdir = getenv("TMPDIR");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: %s SCENARIO.rpl\n", argv[0]);
		return 2;
	}
	R.path = argv[1];
	R.base = (slash = strrchr(argv[1], '/')) ? slash + 1 : argv[1];
	if (realpath(argv[1], R.dir) == NULL) {
		printf("ERROR: %s: %s\n", argv[1], strerror(errno));
		return 99;
	}
	*strrchr(R.dir, '/') = '\0';
	snprintf(R.tmp, sizeof(R.tmp), "%s/vpcdns-replay.XXXXXX",
		 tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (mkdtemp(R.tmp) == NULL) {
		printf("ERROR: mkdtemp %s: %s\n", R.tmp, strerror(errno));
		return 99;
	}
	read_scenario(argv[1]);
	R.now = CLOCK_BASE_MS;
	R.next_id = 1;
	while (R.at < R.src.n) {
		char *l = R.src.v[R.at++];

		if (strncmp(l, "## ", 3) == 0) {
			/* A title may go on over several "## " lines. */
			size_t t = R.at >= 2 && strncmp(R.src.v[R.at - 2],
							"## ", 3) == 0
				       ? strlen(R.title)
				       : 0;

			snprintf(R.title + t, sizeof(R.title) - t, "%s%s",
				 t > 0 ? " " : "", l + 3);
		} else if (l[0] != '#') {
			step(l, line_no());
		}
	}
	if (R.out.kind != OUT_NONE || R.n_queue > 0)
		scenario_error(R.out.line, "the last outcome was not checked");
	while (R.pending != NULL)
		pending_drop(R.pending);
	free(R.queue);
	dataset_unref(R.ds);
	free(R.conf_text);
	cleanup();
	printf("# %s: %u checks, %u failed\n", R.base, R.checks, R.failed);
	rp_lines_free(&R.src);
	rp_lines_free(&R.written);
	if (R.checks == 0) {
		printf("ERROR: %s: no checks\n", R.base);
		return 99;
	}
	return R.failed > 0 ? 1 : 0;
}
