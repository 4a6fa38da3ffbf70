/*
 * resolver/conf/import_instances.c - the importer: EC2 instances.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Reads the JSON of `aws ec2 describe-instances` (Reservations[].
 * Instances[]) into struct imp_inst, one per instance with a VpcId, for
 * the `instances:` list of its VPC (conf/README.md): InstanceId,
 * PrivateIpAddress, Ipv6Address (else the first NetworkInterfaces[].
 * Ipv6Addresses[].Ipv6Address), PublicIpAddress, Placement.
 * AvailabilityZone (the VPC's Region) and PrivateDnsNameOptions.  Part of
 * the importer (see import.c for the phases); strings are borrowed from
 * the document, no state of its own.
 */
#include "config.h"

#include "conf/import.h"

#include <arpa/inet.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "conf/conf.h"
#include "conf/json.h"
#include "util/awsid.h"
#include "util/err.h"
#include "conf/import_internal.h"

/* "i-" and 8 (older) or 17 lowercase hex digits, as conf_vpc.c wants. */
static bool
instance_id_ok(const char *s)
{
	size_t n = strlen(s);

	if ((n != 10 && n != 19) || strncmp(s, "i-", 2) != 0)
		return false;
	return strspn(s + 2, "0123456789abcdef") == n - 2;
}

/* Canonical text of the address @key of @map, "" when absent. */
static void
read_addr(struct imp_inst *in, const yaml_node_t *map, const char *key,
	  int family, char *out, socklen_t size)
{
	const char *s = import_jstr(&in->e, map, key, false);
	uint8_t a[16];
	char vb[SHOW_MAX];

	out[0] = '\0';
	if (s == NULL)
		return;
	if (inet_pton(family, s, a) != 1 || inet_ntop(family, a, out, size) ==
						NULL) {
		import_entry_err(&in->e, import_jget(&in->e, map, key),
				 "%s '%s' is not an %s address", key,
				 conf_show(s, vb),
				 family == AF_INET ? "IPv4" : "IPv6");
		out[0] = '\0';
	}
}

/* The instance's IPv6 address: Ipv6Address (newer CLI output), else the
 * first address of its network interfaces. */
static void
read_ipv6(struct imp_inst *in)
{
	const yaml_node_t *nics, *nic, *list, *item;
	struct json_doc *j = &in->e.jd->j;

	read_addr(in, in->e.node, "Ipv6Address", AF_INET6, in->ipv6,
		  sizeof(in->ipv6));
	if (in->ipv6[0] != '\0')
		return;
	nics = import_jnode(&in->e, in->e.node, "NetworkInterfaces",
			    YAML_SEQUENCE_NODE);
	for (size_t i = 0; i < json_len(nics) && in->ipv6[0] == '\0'; i++) {
		nic = json_at(j, nics, i);
		if (nic == NULL || nic->type != YAML_MAPPING_NODE)
			continue;
		list = import_jnode(&in->e, nic, "Ipv6Addresses",
				    YAML_SEQUENCE_NODE);
		item = json_at(j, list, 0);
		if (item != NULL && item->type == YAML_MAPPING_NODE)
			read_addr(in, item, "Ipv6Address", AF_INET6, in->ipv6,
				  sizeof(in->ipv6));
	}
}

/* PrivateDnsNameOptions: the hostname type and the resource-name
 * records (the subnet's settings at launch). */
static void
read_dns_options(struct imp_inst *in)
{
	static const char *const types[] = {
	    [CONF_HOSTNAME_IP_NAME] = "ip-name",
	    [CONF_HOSTNAME_RESOURCE_NAME] = "resource-name",
	};
	const yaml_node_t *o = import_jnode(&in->e, in->e.node,
					    "PrivateDnsNameOptions",
					    YAML_MAPPING_NODE);

	in->hostname_type = -1;
	in->rn_a = in->rn_aaaa = -1;
	if (o == NULL)
		return;
	in->hostname_type = import_jenum(&in->e, o, "HostnameType", types, 2,
					 NULL);
	in->rn_a = import_jbool(&in->e, o, "EnableResourceNameDnsARecord");
	in->rn_aaaa =
	    import_jbool(&in->e, o, "EnableResourceNameDnsAAAARecord");
}

/* The Region of Placement.AvailabilityZone, "" when absent. */
static void
read_region(struct imp_inst *in)
{
	const yaml_node_t *pl = import_jnode(&in->e, in->e.node, "Placement",
					     YAML_MAPPING_NODE);
	const char *az =
	    pl != NULL ? import_jstr(&in->e, pl, "AvailabilityZone", false)
		       : NULL;
	char vb[SHOW_MAX];

	in->region[0] = '\0';
	if (az != NULL && !awsid_az(az, in->region)) {
		import_entry_err(&in->e, import_jget(&in->e, pl,
						     "AvailabilityZone"),
				 "'%s' is not an Availability Zone name such "
				 "as us-east-1a",
				 conf_show(az, vb));
		in->region[0] = '\0';
	}
}

/* Instances that no longer have addresses or names. */
static bool
gone(struct imp_inst *in)
{
	const yaml_node_t *st = import_jnode(&in->e, in->e.node, "State",
					     YAML_MAPPING_NODE);
	const char *name =
	    st != NULL ? import_jstr(&in->e, st, "Name", false) : NULL;
	char vb[SHOW_MAX];

	if (name == NULL || (strcasecmp(name, "terminated") != 0 &&
			     strcasecmp(name, "shutting-down") != 0))
		return false;
	snprintf(in->skip, sizeof(in->skip), "State is '%s'",
		 conf_show(name, vb));
	return true;
}

static void
read_instance(struct imp_inst *in)
{
	const char *id =
	    import_jstr(&in->e, in->e.node, "InstanceId", true);
	char vb[SHOW_MAX];

	in->e.id = id;
	if (id != NULL && !instance_id_ok(id))
		import_entry_err(&in->e,
				 import_jget(&in->e, in->e.node, "InstanceId"),
				 "InstanceId '%s' is not i- and 8 or 17 "
				 "lowercase hex digits",
				 conf_show(id, vb));
	if (in->e.bad || gone(in))
		return;
	in->vpc = import_jstr(&in->e, in->e.node, "VpcId", false);
	if (in->vpc == NULL) {
		snprintf(in->skip, sizeof(in->skip), "it has no VpcId");
		return;
	}
	if (!awsid_vpc_id(in->vpc))
		import_entry_err(&in->e,
				 import_jget(&in->e, in->e.node, "VpcId"),
				 "VpcId '%s' is not a VPC id",
				 conf_show(in->vpc, vb));
	read_region(in);
	read_addr(in, in->e.node, "PrivateIpAddress", AF_INET, in->ipv4,
		  sizeof(in->ipv4));
	read_addr(in, in->e.node, "PublicIpAddress", AF_INET, in->pub,
		  sizeof(in->pub));
	read_ipv6(in);
	read_dns_options(in);
	if (!in->e.bad && in->ipv4[0] == '\0' && in->ipv6[0] == '\0')
		snprintf(in->skip, sizeof(in->skip),
			 "it has no private address");
}

/* Appends the instances of Reservations[@r] to im->insts. */
static void
read_reservation(struct imp *im, size_t r, const yaml_node_t *res)
{
	struct entry re = {.im = im, .jd = &im->ins, .list = "Reservations",
			   .idx = r, .node = res};
	const yaml_node_t *list;

	if (res == NULL || res->type != YAML_MAPPING_NODE) {
		import_entry_err(&re, NULL, "expected an object");
		return;
	}
	list = import_jnode(&re, res, "Instances", YAML_SEQUENCE_NODE);
	for (size_t i = 0; i < json_len(list) && !im->oom; i++) {
		struct imp_inst *in, *v;

		v = realloc(im->insts, (im->n_insts + 1) * sizeof(*v));
		if (v == NULL) {
			im->oom = true;
			return;
		}
		im->insts = v;
		in = &im->insts[im->n_insts++];
		memset(in, 0, sizeof(*in));
		in->e = (struct entry){.im = im,
				       .jd = &im->ins,
				       .list = "Instances",
				       .idx = i,
				       .node = json_at(&im->ins.j, list, i)};
		in->reservation = r;
		if (in->e.node == NULL || in->e.node->type != YAML_MAPPING_NODE)
			import_entry_err(&in->e, NULL, "expected an object");
		else
			read_instance(in);
	}
}

void
import_read_instances(struct imp *im)
{
	const yaml_node_t *list = im->ins.list;

	for (size_t r = 0; r < json_len(list) && !im->oom; r++)
		read_reservation(im, r, json_at(&im->ins.j, list, r));
	for (size_t i = 0; i < im->n_insts; i++) {
		struct imp_inst *in = &im->insts[i];

		for (size_t j = 0; j < i && in->e.id != NULL; j++) {
			if (im->insts[j].e.id == NULL ||
			    strcmp(im->insts[j].e.id, in->e.id) != 0)
				continue;
			import_entry_err(&in->e, NULL,
					 "the same InstanceId as Reservations"
					 "[%zu].Instances[%zu]",
					 im->insts[j].reservation,
					 im->insts[j].e.idx);
			break;
		}
	}
}

bool
import_inst_imported(const struct imp_inst *in)
{
	return in->skip[0] == '\0' && !in->e.bad;
}

size_t
import_n_instances(const struct imp *im, size_t v)
{
	size_t n = 0;

	for (size_t i = 0; i < im->n_insts; i++)
		n += im->insts[i].vpc_idx == v &&
		     import_inst_imported(&im->insts[i]);
	return n;
}

/* The instances' Placement is in the VPC's Region (a VPC is in one). */
void
import_instance_regions(struct imp *im, size_t v)
{
	struct imp_vpc *vpc = &im->vpcs[v];

	for (size_t i = 0; i < im->n_insts; i++) {
		struct imp_inst *in = &im->insts[i];

		if (in->vpc_idx != v || !import_inst_imported(in) ||
		    in->region[0] == '\0')
			continue;
		if (vpc->region[0] == '\0') {
			memcpy(vpc->region, in->region, sizeof(vpc->region));
			vpc->region_from = "the Placement of its instances";
		} else if (strcmp(vpc->region, in->region) != 0) {
			import_entry_err(&in->e, NULL,
					 "is in %s, but %s is in %s (from %s)",
					 in->region, vpc->id, vpc->region,
					 vpc->region_from);
		}
	}
}

/* `cidr-blocks` (the instances' own addresses) and `instances:`. */
void
import_emit_instances(const struct imp *im, struct strbuf *b, size_t v)
{
	static const char *const types[] = {"ip-name", "resource-name"};
	const struct imp_inst *in;

	strbuf_printf(b,
		      "    # describe-instances has no VPC CIDR blocks: these "
		      "are the instances'\n    # own addresses (replace them "
		      "with the VPC's, `aws ec2 describe-vpcs`,\n    # so that "
		      "every ip- name and PTR of the VPC answers).\n"
		      "    cidr-blocks:\n");
	for (size_t i = 0; i < im->n_insts; i++) {
		in = &im->insts[i];
		if (in->vpc_idx != v || !import_inst_imported(in))
			continue;
		if (in->ipv4[0] != '\0')
			strbuf_printf(b, "      - %s/32\n", in->ipv4);
		if (in->ipv6[0] != '\0')
			strbuf_printf(b, "      - \"%s/128\"\n", in->ipv6);
	}
	strbuf_printf(b, "    instances:\n");
	for (size_t i = 0; i < im->n_insts; i++) {
		in = &im->insts[i];
		/* Those left out are listed at the end (import_emit()). */
		if (in->vpc_idx != v || !import_inst_imported(in))
			continue;
		strbuf_printf(b, "      - id: %s\n", in->e.id);
		if (in->ipv4[0] != '\0')
			strbuf_printf(b, "        ipv4: %s\n", in->ipv4);
		if (in->ipv6[0] != '\0')
			strbuf_printf(b, "        ipv6: \"%s\"\n", in->ipv6);
		if (in->pub[0] != '\0')
			strbuf_printf(b, "        public-ipv4: %s\n", in->pub);
		if (in->hostname_type >= 0)
			strbuf_printf(b, "        hostname-type: %s\n",
				      types[in->hostname_type]);
		if (in->rn_a >= 0)
			strbuf_printf(b,
				      "        enable-resource-name-dns-a-"
				      "record: %s\n",
				      in->rn_a ? "true" : "false");
		if (in->rn_aaaa >= 0)
			strbuf_printf(b,
				      "        enable-resource-name-dns-aaaa-"
				      "record: %s\n",
				      in->rn_aaaa ? "true" : "false");
	}
}
