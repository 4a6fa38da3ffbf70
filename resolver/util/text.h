/*
 * resolver/util/text.h - locale-independent character classes and FNV-1a.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The few ASCII tests the parsers share (ctype.h depends on the locale)
 * and the 64-bit FNV-1a hash that derives stable names from ids.  Header
 * only, no state.
 */
#ifndef RESOLVER_UTIL_TEXT_H
#define RESOLVER_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/** text_is_lower() - 'a'..'z'. */
static inline bool
text_is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/** text_is_digit() - '0'..'9'. */
static inline bool
text_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/** text_is_hex() - a lower-case hexadecimal digit. */
static inline bool
text_is_hex(char c)
{
	return text_is_digit(c) || (c >= 'a' && c <= 'f');
}

/** text_ends_with() - whether @s ends with @tail. */
static inline bool
text_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

/**
 * text_fnv1a64() - 64-bit FNV-1a of @len bytes at @p.  Stable across
 * runs and builds: derived names (dns-suffix, quick-start ids) rely on it.
 */
static inline uint64_t
text_fnv1a64(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t h = 14695981039346656037u;

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 1099511628211u;
	}
	return h;
}

#endif /* RESOLVER_UTIL_TEXT_H */
