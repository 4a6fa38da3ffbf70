/*
 * tests/fuzz/fuzz_zone_text.c - fuzz zone file loading.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Each input is the text of a zone file, loaded as zone "example.test"
 * straight from memory: the loader takes text, the file is read at an
 * edge (util/reader.h).
 */
#include "config.h"

#include <assert.h>

#include "conf/conf.h"
#include "util/err.h"
#include "fuzz.h"
#include "engine/zone.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_errors errs = {0};
	struct zone *z = NULL;
	int rc;

	rc = zone_load_text("fuzz.zone", (const char *)data, size,
			    "example.test", &z, &errs);
	assert(rc == VPC_OK || rc == VPC_ENOMEM || errs.n > 0);
	assert(rc != VPC_OK || z->soa != NULL);
	zone_free(z);
	conf_errors_cleanup(&errs);
	return 0;
}
