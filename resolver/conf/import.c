/*
 * resolver/conf/import.c - a configuration from AWS CLI output.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Reads the JSON of `aws ec2 describe-vpc-endpoints` and `aws ec2
 * describe-network-interfaces` with libyaml (JSON is YAML), builds a small
 * model of every VPC and endpoint, checks that vpcdns would serve exactly
 * the endpoint's DnsEntries names, and writes the YAML of SPEC Part 2.
 * The work runs in phases over one struct imp: load both documents (event
 * prescan, then the node tree), index the interfaces, read each endpoint,
 * group the endpoints by VPC and find each VPC's Region, check the vpce
 * names, write the text, and load that text with conf_load_string() and
 * view_set_build() as a final check.  Problems are collected, never fatal
 * on the first one; a sticky oom flag turns the result into VPC_ENOMEM.
 * Strings of the model are borrowed from the libyaml documents, which
 * live until the call returns.  No I/O, no global state: safe to call
 * from any thread.  The rules where the SPEC is silent are listed in
 * import.h, the contract.  This file runs the phases; the work is split
 * by concern: import_json.c (messages, typed access to the entries),
 * import_model.c (interfaces, endpoints, VPCs and Regions),
 * import_vpce.c (the vpce names of DnsEntries) and import_yaml.c
 * (writing and checking the text), sharing import_internal.h.
 */
#include "config.h"
#include "conf/import.h"
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>
#include "engine/catalog.h"
#include "conf/conf.h"
#include "conf/json.h"
#include "engine/endpoint.h"
#include "util/awsid.h"
#include "util/err.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "conf/import_internal.h"

/* ---- the phases --------------------------------------------------------- */

static bool
ok(const struct imp *im)
{
	return !im->oom && im->nerr == 0;
}

static void
load_inputs(struct imp *im, const char *ep_text, size_t ep_len,
	    const char *if_text, size_t if_len)
{
	import_jdoc_load(im, &im->ep, ep_text, ep_len);
	if (im->ep.j.loaded)
		import_root_list(im, &im->ep, "VpcEndpoints",
			  "aws ec2 describe-vpc-endpoints");
	if (!im->have_ifs)
		return;
	import_jdoc_load(im, &im->ifs, if_text, if_len);
	if (im->ifs.j.loaded)
		import_root_list(im, &im->ifs, "NetworkInterfaces",
			  "aws ec2 describe-network-interfaces");
}

static void
read_inputs(struct imp *im)
{
	if (im->have_ifs)
		import_read_interfaces(im);
	if (!im->oom)
		import_read_endpoints(im);
	if (!im->oom)
		import_check_ids(im);
	if (im->n_need_ifs == 0)
		return;
	/* SPEC Part 2: the addresses come from the interfaces, so an
	 * interface endpoint cannot be imported without them. */
	import_entry_err(&im->need_ifs->e, im->need_ifs->eni_ids,
		  "has network interfaces%s; give the output of `aws ec2 "
		  "describe-network-interfaces` as the second file",
		  im->n_need_ifs > 1 ? " (and so do other endpoints)" : "");
}

static void
imp_cleanup(struct imp *im)
{
	for (size_t i = 0; i < im->n_eps; i++) {
		free(im->eps[i].subnets);
		free(im->eps[i].names);
	}
	free(im->eps);
	free(im->enis);
	free(im->vpcs);
	json_doc_cleanup(&im->ep.j);
	json_doc_cleanup(&im->ifs.j);
}

int
import_aws_json(const char *endpoints_json, size_t len1,
		const char *endpoints_name, const char *interfaces_json,
		size_t len2, const char *interfaces_name, char **out_yaml,
		struct conf_errors *errs)
{
	struct imp im = {.errs = errs};
	struct strbuf b = {0};
	int rc;

	im.ep.j.file = endpoints_name != NULL ? endpoints_name : "endpoints";
	im.ifs.j.file =
	    interfaces_name != NULL ? interfaces_name : "interfaces";
	im.have_ifs = interfaces_json != NULL;
	load_inputs(&im, endpoints_json, len1, interfaces_json, len2);
	if (ok(&im))
		read_inputs(&im);
	if (ok(&im))
		import_group_vpcs(&im);
	if (ok(&im))
		import_find_regions(&im);
	if (ok(&im))
		import_check_endpoints(&im);
	if (ok(&im)) {
		import_emit(&im, &b);
		im.oom |= b.failed;
	}
	if (ok(&im))
		import_self_check(&im, &b);
	rc = im.oom ? VPC_ENOMEM : im.nerr > 0 ? VPC_ECONFIG : VPC_OK;
	if (rc == VPC_OK) {
		*out_yaml = b.p; /* ownership moves to the caller */
		b.p = NULL;
	}
	free(b.p);
	imp_cleanup(&im);
	return rc;
}
