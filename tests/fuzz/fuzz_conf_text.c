/*
 * tests/fuzz/fuzz_conf_text.c - fuzz the configuration parser.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Any input either loads or yields at least one "file:line:" error.  The
 * files an input may name come from an in-memory reader (unit/memfs.h).
 */
#include "config.h"

#include <assert.h>

#include "conf/conf.h"
#include "util/err.h"
#include "fuzz.h"
#include "../unit/memfs.h"

/* Files an input may name (a domains-file, a zone file), from memory. */
static struct memfs fs;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	int rc;

	if (fs.n == 0) {
		memfs_init(&fs);
		memfs_add(&fs, "/fuzz/lists/a.txt", "a.example\n*.b.example\n");
		memfs_add(&fs, "/fuzz/a.zone", "@ 60 IN A 192.0.2.1\n");
	}
	rc = conf_load_string(&fs.rd, (const char *)data, size,
			      "/fuzz/fuzz.yaml", &cf, &errs);

	assert(rc == VPC_OK || rc == VPC_ENOMEM || errs.n > 0);
	conf_free(cf);
	conf_errors_cleanup(&errs);
	return 0;
}
