/*
 * tests/fuzz/fuzz_route53.c - fuzz the Route 53 and Terraform readers and
 * the zones built from their record sets.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Each input is read as record-set JSON and as Terraform JSON; every zone
 * that reads is built (zone example.test when the file names none), so
 * the value parser and the policy table see fuzzed data too.  A failure
 * must come with a message.
 */
#include "config.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "conf/conf.h"
#include "conf/route53.h"
#include "conf/terraform.h"
#include "engine/policy.h"
#include "engine/zone.h"
#include "fuzz.h"
#include "util/err.h"

static void
build(const struct route53_zones *zs)
{
	for (size_t i = 0; i < zs->n; i++) {
		struct conf_errors errs = {0};
		struct zone *z = NULL;
		const char *apex = zs->zones[i].name ? zs->zones[i].name
						     : "example.test";
		int rc = policy_load_zone(&zs->zones[i], apex, "fuzz.json",
					  NULL, &z, &errs);

		assert(rc == VPC_OK || rc == VPC_ENOMEM || errs.n > 0);
		zone_free(z);
		conf_errors_cleanup(&errs);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct conf_errors errs = {0};
	struct route53_zones zs;
	int rc;

	(void)route53_detect(text, size);
	rc = route53_parse(text, size, "fuzz.json", &zs, &errs);
	assert(rc == VPC_OK || rc == VPC_ENOMEM || errs.n > 0);
	if (rc == VPC_OK)
		build(&zs);
	route53_zones_free(&zs);
	conf_errors_cleanup(&errs);
	rc = terraform_parse(text, size, "fuzz.json", &zs, &errs);
	assert(rc == VPC_OK || rc == VPC_ENOMEM || errs.n > 0);
	if (rc == VPC_OK)
		build(&zs);
	route53_zones_free(&zs);
	conf_errors_cleanup(&errs);
	return 0;
}
