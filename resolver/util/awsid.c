/*
 * resolver/util/awsid.c - the grammars of AWS identifiers (see awsid.h).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Straight-line scanners over the text; no allocation, no state.
 */
#include "config.h"

#include "util/awsid.h"

#include <string.h>

#include "util/text.h"

/* Lowercase letters from @i in @len bytes at @s; returns how many. */
static size_t
letters(const char *s, size_t len, size_t i)
{
	size_t n = 0;

	while (i + n < len && text_is_lower(s[i + n]))
		n++;
	return n;
}

bool
awsid_region(const char *s, size_t len)
{
	size_t i, n, words = 0;

	if (len >= AWSID_REGION_MAX)
		return false;
	n = letters(s, len, 0);
	if (n < 2 || n > 4 || n >= len || s[n] != '-')
		return false;
	i = n + 1;
	while ((n = letters(s, len, i)) > 0) {
		if (n < 2 || i + n >= len || s[i + n] != '-' || ++words > 2)
			return false;
		i += n + 1;
	}
	if (words == 0 || len - i < 1 || len - i > 2)
		return false;
	for (; i < len; i++)
		if (!text_is_digit(s[i]))
			return false;
	return true;
}

bool
awsid_az(const char *s, char region[AWSID_REGION_MAX])
{
	size_t n = strlen(s);

	if (n < 2 || !text_is_lower(s[n - 1]) || !awsid_region(s, n - 1))
		return false;
	if (region != NULL) {
		memcpy(region, s, n - 1);
		region[n - 1] = '\0';
	}
	return true;
}

/* @prefix then 1 to @max characters that @ok accepts. */
static bool
prefixed_id(const char *s, const char *prefix, size_t max,
	    bool (*ok)(char c))
{
	size_t p = strlen(prefix), i;

	if (strncmp(s, prefix, p) != 0)
		return false;
	for (i = p; s[i] != '\0'; i++)
		if (i - p >= max || !ok(s[i]))
			return false;
	return i > p;
}

static bool
vpc_char(char c)
{
	return text_is_lower(c) || text_is_digit(c) || c == '-';
}

static bool
hex_char(char c)
{
	return text_is_hex(c);
}

bool
awsid_vpc_id(const char *s)
{
	return prefixed_id(s, "vpc-", 32, vpc_char);
}

bool
awsid_vpce_id(const char *s)
{
	return prefixed_id(s, "vpce-", 17, hex_char);
}

static bool
suffix_char(char c)
{
	return text_is_lower(c) || text_is_digit(c);
}

bool
awsid_vpce_suffix(const char *s)
{
	return prefixed_id(s, "", AWSID_VPCE_SUFFIX_LEN, suffix_char) &&
	       strlen(s) == AWSID_VPCE_SUFFIX_LEN;
}
