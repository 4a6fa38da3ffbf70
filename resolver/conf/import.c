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
load_inputs(struct imp *im, const struct import_inputs *in)
{
	if (im->have_ins) {
		import_jdoc_load(im, &im->ins, in->instances,
				 in->instances_len);
		if (im->ins.j.loaded)
			import_root_list(im, &im->ins, "Reservations",
					 "aws ec2 describe-instances");
	}
	if (!im->have_eps)
		return;
	import_jdoc_load(im, &im->ep, in->endpoints, in->endpoints_len);
	if (im->ep.j.loaded)
		import_root_list(im, &im->ep, "VpcEndpoints",
			  "aws ec2 describe-vpc-endpoints");
	if (!im->have_ifs)
		return;
	import_jdoc_load(im, &im->ifs, in->interfaces, in->interfaces_len);
	if (im->ifs.j.loaded)
		import_root_list(im, &im->ifs, "NetworkInterfaces",
			  "aws ec2 describe-network-interfaces");
}

static void
read_inputs(struct imp *im)
{
	if (im->have_ins)
		import_read_instances(im);
	if (im->have_ifs && !im->oom)
		import_read_interfaces(im);
	if (im->have_eps && !im->oom)
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
	free(im->insts);
	json_doc_cleanup(&im->ep.j);
	json_doc_cleanup(&im->ifs.j);
	json_doc_cleanup(&im->ins.j);
}

int
import_aws_json(const char *endpoints_json, size_t len1,
		const char *endpoints_name, const char *interfaces_json,
		size_t len2, const char *interfaces_name, char **out_yaml,
		struct conf_errors *errs)
{
	struct import_inputs in = {
	    .endpoints = endpoints_json, .endpoints_len = len1,
	    .endpoints_name = endpoints_name, .interfaces = interfaces_json,
	    .interfaces_len = len2, .interfaces_name = interfaces_name};

	return import_aws(&in, out_yaml, errs);
}

int
import_aws(const struct import_inputs *in, char **out_yaml,
	   struct conf_errors *errs)
{
	struct imp im = {.errs = errs};
	struct strbuf b = {0};
	int rc;

	im.ep.j.file =
	    in->endpoints_name != NULL ? in->endpoints_name : "endpoints";
	im.ifs.j.file =
	    in->interfaces_name != NULL ? in->interfaces_name : "interfaces";
	im.ins.j.file =
	    in->instances_name != NULL ? in->instances_name : "instances";
	im.have_eps = in->endpoints != NULL;
	im.have_ifs = in->interfaces != NULL;
	im.have_ins = in->instances != NULL;
	if (!im.have_eps && !im.have_ins)
		return VPC_EMALFORMED;
	load_inputs(&im, in);
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
