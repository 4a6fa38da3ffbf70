/*
 * tests/fuzz/fuzz_zone_text.c - fuzz zone file loading.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The loader reads files, so each input is written to one temporary file
 * per process and loaded as zone "example.test".
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "conf/conf.h"
#include "util/err.h"
#include "fuzz.h"
#include "engine/zone.h"

static char path[64];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_errors errs = {0};
	struct zone *z = NULL;
	FILE *fp;
	int rc;

	if (path[0] == '\0') {
		int fd;

		snprintf(path, sizeof(path), "/tmp/vpcdns-fuzz-zone-XXXXXX");
		if ((fd = mkstemp(path)) < 0)
			return 0;
		close(fd);
	}
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	rc = zone_load_file(path, "example.test", &z, &errs);
	assert(rc == VPC_OK || rc == VPC_ENOMEM || errs.n > 0);
	assert(rc != VPC_OK || z->soa != NULL);
	zone_free(z);
	conf_errors_cleanup(&errs);
	return 0;
}
