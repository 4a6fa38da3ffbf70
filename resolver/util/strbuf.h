/*
 * resolver/util/strbuf.h - printf into a text buffer.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The one helper the text writers share (the importer's YAML, the quick
 * start configuration, the Prometheus exposition): a buffer that either
 * grows on the heap or is a fixed array of the caller's, with a sticky
 * failure flag so a writer formats in straight-line code and checks once
 * at the end.  The text is always NUL-terminated once anything was
 * written.  No state beyond the struct; not thread-safe.
 */
#ifndef RESOLVER_UTIL_STRBUF_H
#define RESOLVER_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *p;     /* the text; NULL before the first write (growing) */
	size_t len;  /* bytes before the NUL */
	size_t cap;  /* bytes at p */
	bool fixed;  /* p is the caller's array: never reallocated */
	bool failed; /* out of memory, or a fixed buffer full: sticky */
};

/* An empty growing buffer is all zeroes: struct strbuf b = {0}. */

/** strbuf_fixed() - write into the @cap bytes at @buf (cap >= 1). */
void strbuf_fixed(struct strbuf *b, char *buf, size_t cap);

/**
 * strbuf_printf() - append formatted text.  A growing buffer doubles as
 * needed; a fixed one that lacks room keeps its text so far and fails.
 * Nothing is written once the buffer has failed.
 */
void strbuf_printf(struct strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/**
 * strbuf_take() - the growing buffer's text, owned by the caller now
 * (NULL when nothing was written or it failed); @b is empty afterwards.
 */
char *strbuf_take(struct strbuf *b);

/** strbuf_free() - release a growing buffer's text; fixed: nothing. */
void strbuf_free(struct strbuf *b);

#endif /* RESOLVER_UTIL_STRBUF_H */
