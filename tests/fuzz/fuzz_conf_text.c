/*
 * tests/fuzz/fuzz_conf_text.c - fuzz the configuration parser.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Any input either loads or yields at least one "file:line:" error.
 */
#include "config.h"

#include <assert.h>

#include "conf/conf.h"
#include "util/err.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_errors errs = {0};
	struct conf *cf = NULL;
	int rc = conf_load_string((const char *)data, size, "fuzz.yaml", &cf,
				  &errs);

	assert(rc == VPC_OK || rc == VPC_ENOMEM || errs.n > 0);
	conf_free(cf);
	conf_errors_cleanup(&errs);
	return 0;
}
