/*
 * resolver/engine/zone_prep.c - hold zone files to named-checkzone's
 * standard before ldns reads them.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * ldns accepts things BIND refuses and lacks $GENERATE, so the loader
 * first passes the text through zone_prep(), which works line by line on
 * what RFC 1035 §5.1 makes a line (quotes, escapes, comments and
 * parentheses tracked):
 * - a TTL (of a record or $TTL) that does not fit 32 bits is an error; one
 *   in 2^31..2^32-1 is served as 0, with a warning naming the line
 *   (RFC 2181 §8; BIND: "> MAXTTL, setting TTL to 0");
 * - a quote still open at the end of a line is an error;
 * - $GENERATE (BIND's syntax: range, lhs, [ttl] [class], type, rhs, with
 *   "$", "\$" and "${offset,width,base}") is expanded into records;
 * - every problem is reported, with its line, and the record left out so
 *   that the rest of the file is still checked.
 * The output has one line per input line (a $GENERATE line becomes its
 * records) and a map from output lines back to input lines.  Pure.
 */
#include "config.h"

#include "engine/zone_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "util/err.h"
#include "util/log.h"

#define PREP_MAX_GENERATE 65536 /* records one $GENERATE may make */
#define PREP_TOKENS 8		/* leading tokens of a line examined */

struct prep {
	const char *path;
	struct conf_errors *errs;
	char *out;	 /* the text for ldns, owned until handed over */
	size_t len, cap;
	unsigned *map;	 /* input line of each output line */
	size_t n_map, cap_map;
	bool oom;
	bool bad;	 /* an error was reported */
	bool skipping;	 /* inside a record left out */
};

static void
put(struct prep *p, const char *s, size_t n)
{
	if (p->len + n + 1 > p->cap) {
		size_t cap = (p->len + n + 1) * 2;
		char *o = realloc(p->out, cap);

		if (o == NULL) {
			p->oom = true;
			return;
		}
		p->out = o;
		p->cap = cap;
	}
	memcpy(p->out + p->len, s, n);
	p->len += n;
	p->out[p->len] = '\0';
}

/* Ends an output line that came from input line @line. */
static void
end_line(struct prep *p, unsigned line)
{
	put(p, "\n", 1);
	if (p->n_map == p->cap_map) {
		size_t cap = p->cap_map ? 2 * p->cap_map : 256;
		unsigned *m = realloc(p->map, cap * sizeof(*m));

		if (m == NULL) {
			p->oom = true;
			return;
		}
		p->map = m;
		p->cap_map = cap;
	}
	p->map[p->n_map++] = line;
}

static __attribute__((format(printf, 3, 4))) void
err(struct prep *p, unsigned line, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (conf_errors_add(p->errs, p->path, line, "%s", msg) != VPC_OK)
		p->oom = true;
	p->bad = true;
}

/* A token of the line outside quotes and comments. */
struct tok {
	size_t off, len;
};

/* Scans one physical line: its leading tokens, the paren depth after
 * it, and whether a quote is left open.  Returns the token count. */
static size_t
scan(const char *s, size_t n, int *depth, bool *open_quote,
     struct tok toks[PREP_TOKENS])
{
	size_t nt = 0, i = 0;
	bool q = false;

	while (i < n) {
		char c = s[i];

		if (!q && c == ';')
			break;
		if (!q && (c == ' ' || c == '\t' || c == '\r')) {
			i++;
			continue;
		}
		if (!q && (c == '(' || c == ')')) {
			*depth += c == '(' ? 1 : -1;
			i++;
			continue;
		}
		if (nt < PREP_TOKENS)
			toks[nt].off = i;
		while (i < n && (q || (s[i] != ' ' && s[i] != '\t' &&
				       s[i] != ';' && s[i] != '(' &&
				       s[i] != ')' && s[i] != '\r'))) {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			else if (s[i] == '"')
				q = !q;
			i++;
		}
		if (nt < PREP_TOKENS)
			toks[nt].len = i - toks[nt].off;
		nt++;
	}
	*open_quote = q;
	return nt;
}

/* BIND's TTL syntax: digits, or digit groups with units s m h d w.
 * Returns false when it is not a TTL at all; *v saturates. */
static bool
ttl_value(const char *s, size_t n, uint64_t *v)
{
	uint64_t total = 0, cur = 0;
	bool digits = false;

	if (n == 0 || s[0] < '0' || s[0] > '9')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		uint64_t mul = 0;

		if (c >= '0' && c <= '9') {
			cur = cur > UINT64_MAX / 100 ? UINT64_MAX / 100
						     : cur * 10 + (uint64_t)(c - '0');
			digits = true;
			continue;
		}
		switch (c | 0x20) {
		case 's': mul = 1; break;
		case 'm': mul = 60; break;
		case 'h': mul = 3600; break;
		case 'd': mul = 86400; break;
		case 'w': mul = 604800; break;
		default: return false;
		}
		if (!digits)
			return false;
		total += cur > UINT64_MAX / 1000000 ? UINT64_MAX / 2 : cur * mul;
		cur = 0;
		digits = false;
	}
	*v = total + cur;
	return true;
}

static bool
is_class(const char *s, size_t n)
{
	return (n == 2 && (strncasecmp(s, "IN", 2) == 0 ||
			   strncasecmp(s, "CH", 2) == 0 ||
			   strncasecmp(s, "HS", 2) == 0 ||
			   strncasecmp(s, "CS", 2) == 0)) ||
	       (n > 5 && strncasecmp(s, "CLASS", 5) == 0);
}

/*
 * Checks the TTL token @t of input line @line.  Returns false when the
 * record must be left out; *zero when it is to be written as 0.
 */
static bool
check_ttl(struct prep *p, const char *s, const struct tok *t, unsigned line,
	  bool *zero)
{
	uint64_t v = 0;

	*zero = false;
	if (!ttl_value(s + t->off, t->len, &v))
		return true;
	if (v > UINT32_MAX) {
		err(p, line, "TTL %.*s does not fit 32 bits", (int)t->len,
		    s + t->off);
		return false;
	}
	if (v > INT32_MAX) {
		log_warn("%s:%u: TTL %.*s is above 2^31-1: served as 0 "
			 "(RFC 2181 §8)",
			 p->path, line, (int)t->len, s + t->off);
		*zero = true;
	}
	return true;
}

/* The TTL token of a record line, or NULL (RFC 1035 §5.1: [owner] then
 * [TTL] and [class] in either order). */
static const struct tok *
record_ttl(const char *s, const struct tok *toks, size_t nt, bool owner)
{
	size_t i = owner ? 1 : 0;

	for (size_t k = 0; k < 2 && i < nt && i < PREP_TOKENS; k++, i++) {
		if (is_class(s + toks[i].off, toks[i].len))
			continue;
		if (s[toks[i].off] >= '0' && s[toks[i].off] <= '9')
			return &toks[i];
		break;
	}
	return NULL;
}

/* Copies the line with the TTL token @t (NULL: none) written as "0". */
static void
put_line(struct prep *p, const char *s, size_t n, const struct tok *t,
	 unsigned line)
{
	if (t == NULL) {
		put(p, s, n);
	} else {
		put(p, s, t->off);
		put(p, "0", 1);
		put(p, s + t->off + t->len, n - t->off - t->len);
	}
	end_line(p, line);
}

/* ---- $GENERATE ----------------------------------------------------------- */

/* Writes @tmpl with each "$" replaced by the iterator (BIND's rules). */
static bool
gen_subst(struct prep *p, const char *tmpl, size_t n, long it)
{
	for (size_t i = 0; i < n; i++) {
		char buf[64];
		long off = 0;
		int width = 0;
		char base = 'd';

		if (tmpl[i] == '\\' && i + 1 < n && tmpl[i + 1] == '$') {
			put(p, "$", 1);
			i++;
			continue;
		}
		if (tmpl[i] != '$') {
			put(p, tmpl + i, 1);
			continue;
		}
		if (i + 1 < n && tmpl[i + 1] == '{') {
			const char *end = memchr(tmpl + i, '}', n - i);
			size_t at = end != NULL ? (size_t)(end - tmpl) : 0;
			char mod[48];

			if (end == NULL || at - i >= sizeof(mod))
				return false;
			memcpy(mod, tmpl + i + 2, at - i - 2);
			mod[at - i - 2] = '\0';
			if (sscanf(mod, "%ld,%d,%c", &off, &width, &base) < 1)
				return false;
			if (width < 0 || width > 32 || !strchr("doxX", base))
				return false;
			i = at;
		}
		if (base == 'd')
			snprintf(buf, sizeof(buf), "%0*ld", width, it + off);
		else if (base == 'o')
			snprintf(buf, sizeof(buf), "%0*lo", width,
				 (unsigned long)(it + off));
		else if (base == 'x')
			snprintf(buf, sizeof(buf), "%0*lx", width,
				 (unsigned long)(it + off));
		else
			snprintf(buf, sizeof(buf), "%0*lX", width,
				 (unsigned long)(it + off));
		put(p, buf, strlen(buf));
	}
	return true;
}

static void
generate(struct prep *p, const char *s, const struct tok *toks, size_t nt,
	 unsigned line)
{
	long start, stop, step = 1;
	char range[64];
	size_t type_at = 2, rhs_at;

	if (nt < 4 || toks[1].len >= sizeof(range)) {
		err(p, line, "$GENERATE needs a range, a name, a type and "
			     "data");
		return;
	}
	memcpy(range, s + toks[1].off, toks[1].len);
	range[toks[1].len] = '\0';
	if (sscanf(range, "%ld-%ld/%ld", &start, &stop, &step) < 2 ||
	    start < 0 || stop < start || step < 1 ||
	    (stop - start) / step >= PREP_MAX_GENERATE) {
		err(p, line, "$GENERATE range %s is not start-stop[/step] of at "
			     "most %d records", range, PREP_MAX_GENERATE);
		return;
	}
	/* lhs, then [ttl] [class] in either order, the type, the rhs. */
	type_at = 3;
	for (int j = 0; j < 2 && type_at < nt && type_at < PREP_TOKENS; j++) {
		const struct tok *t = &toks[type_at];
		bool zero;

		if (is_class(s + t->off, t->len)) {
			type_at++;
		} else if (s[t->off] >= '0' && s[t->off] <= '9') {
			if (!check_ttl(p, s, t, line, &zero))
				return;
			type_at++;
		} else {
			break;
		}
	}
	rhs_at = type_at + 1;
	if (rhs_at >= nt || rhs_at >= PREP_TOKENS) {
		err(p, line, "$GENERATE needs a name, a type and data");
		return;
	}
	for (long it = start; it <= stop && !p->oom; it += step) {
		if (!gen_subst(p, s + toks[2].off, toks[2].len, it)) {
			err(p, line, "$GENERATE: bad ${offset,width,base}");
			return;
		}
		put(p, " ", 1);
		/* [ttl] [class] type as written. */
		put(p, s + toks[3].off, toks[rhs_at].off - toks[3].off);
		if (!gen_subst(p, s + toks[rhs_at].off,
			       toks[rhs_at].len, it)) {
			err(p, line, "$GENERATE: bad ${offset,width,base}");
			return;
		}
		end_line(p, line);
	}
}

/* ---- lines --------------------------------------------------------------- */

static void
one_line(struct prep *p, const char *s, size_t n, unsigned line, int *depth)
{
	struct tok toks[PREP_TOKENS];
	int depth_before = *depth;
	const struct tok *ttl = NULL;
	bool open_quote, zero = false, keep = true;
	size_t nt = scan(s, n, depth, &open_quote, toks);

	if (*depth < 0)
		*depth = 0;
	if (depth_before > 0 && p->skipping) {
		p->skipping = *depth > 0;
		end_line(p, line);
		return;
	}
	if (open_quote) {
		err(p, line, "unterminated quoted string");
		keep = false;
	} else if (depth_before == 0 && nt > 0 && s[toks[0].off] == '$') {
		if (toks[0].len == 9 && strncasecmp(s, "$GENERATE", 9) == 0) {
			generate(p, s, toks, nt, line);
			return;
		}
		if (toks[0].len == 4 && strncasecmp(s, "$TTL", 4) == 0 &&
		    nt > 1) {
			ttl = &toks[1];
			keep = check_ttl(p, s, ttl, line, &zero);
		}
	} else if (depth_before == 0 && nt > 0) {
		ttl = record_ttl(s, toks, nt, s[0] != ' ' && s[0] != '\t');
		if (ttl != NULL)
			keep = check_ttl(p, s, ttl, line, &zero);
	}
	if (!keep) {
		/* Leave the record out (its continuation lines too) but keep
		 * the line count. */
		p->skipping = *depth > 0;
		end_line(p, line);
		return;
	}
	put_line(p, s, n, zero ? ttl : NULL, line);
}

int
zone_prep(const char *path, const char *text, size_t len, char **out,
	  size_t *out_len, unsigned **map, size_t *n_map,
	  struct conf_errors *errs)
{
	struct prep p = {.path = path, .errs = errs};
	unsigned line = 1;
	int depth = 0;

	for (size_t i = 0; i < len && !p.oom; line++) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - (text + i)) : len - i;

		one_line(&p, text + i, n, line, &depth);
		i += n + 1;
	}
	put(&p, "", 0);
	if (p.oom) {
		free(p.out);
		free(p.map);
		return VPC_ENOMEM;
	}
	*out = p.out;
	*out_len = p.len;
	*map = p.map;
	*n_map = p.n_map;
	return p.bad ? VPC_ECONFIG : VPC_OK;
}
