/*
 * tests/fuzz/fuzz_import.c - fuzz `vpcdns import`: the readers of
 * describe-vpc-endpoints and describe-instances JSON and the text they
 * generate.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Each input is imported as describe-vpc-endpoints output, then as
 * describe-instances output, then as both (one file each).  A failure
 * must come with a message; a success is a configuration that loaded
 * (import_aws() checks that itself).
 */
#include "config.h"

#include <assert.h>
#include <stdlib.h>

#include "conf/conf.h"
#include "conf/import.h"
#include "fuzz.h"
#include "util/err.h"

static void
run(const struct import_inputs *in)
{
	struct conf_errors errs = {0};
	char *yaml = NULL;
	int rc = import_aws(in, &yaml, &errs);

	assert(rc == VPC_OK || rc == VPC_ENOMEM || errs.n > 0);
	assert(rc != VPC_OK || yaml != NULL);
	free(yaml);
	conf_errors_cleanup(&errs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct import_inputs ep = {.endpoints = text,
				   .endpoints_len = size,
				   .endpoints_name = "e.json"};
	struct import_inputs in = {.instances = text,
				   .instances_len = size,
				   .instances_name = "i.json"};
	struct import_inputs both = ep;

	both.instances = text;
	both.instances_len = size;
	both.instances_name = "i.json";
	run(&ep);
	run(&in);
	run(&both);
	return 0;
}
