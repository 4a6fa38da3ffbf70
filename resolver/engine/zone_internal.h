/*
 * resolver/engine/zone_internal.h - declarations shared by the parts of the
 * zone module (zone.c, zone_load.c, zone_prep.c, zone_text.c).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Not for other modules.
 */
#ifndef RESOLVER_ENGINE_ZONE_INTERNAL_H
#define RESOLVER_ENGINE_ZONE_INTERNAL_H

#include <stddef.h>

struct conf_errors;

/**
 * zone_prep() - check a master file's text the way named-checkzone does
 * and expand $GENERATE (see zone_prep.c).
 * @path:     [in] the file's name in messages.
 * @text:     [in] its @len bytes.
 * @out:      [out] the text for ldns, NUL-terminated, owned by the caller.
 * @out_len:  [out] its length.
 * @map:      [out] the input line of each output line (1-based), owned.
 * @n_map:    [out] entries in @map.
 * @errs:     [in,out] "path:line: message" per problem.
 * Return: VPC_OK; VPC_ECONFIG when something was appended (the outputs
 * are still set: the rest of the file can be checked); VPC_ENOMEM.
 */
int zone_prep(const char *path, const char *text, size_t len, char **out,
	      size_t *out_len, unsigned **map, size_t *n_map,
	      struct conf_errors *errs);

#endif /* RESOLVER_ENGINE_ZONE_INTERNAL_H */
