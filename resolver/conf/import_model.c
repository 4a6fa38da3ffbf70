/*
 * resolver/conf/import_model.c - the importer: interfaces, endpoints, VPCs.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Reads NetworkInterfaces and VpcEndpoints into struct imp_eni and struct
 * imp_ep (strings borrowed from the documents), checks what one entry can
 * check alone, groups the endpoints by VPC and finds each VPC's Region.
 * Part of the importer (see import.c for the phases); no state of its own.
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

/* ---- network interfaces ------------------------------------------------- */

static struct imp_eni *
find_eni(struct imp *im, const char *id)
{
	for (size_t i = 0; i < im->n_enis; i++)
		if (im->enis[i].id != NULL && strcmp(im->enis[i].id, id) == 0)
			return &im->enis[i];
	return NULL;
}

void
import_read_interfaces(struct imp *im)
{
	const yaml_node_t *list = im->ifs.list;
	struct imp_eni *eni, *first;

	if ((im->enis = calloc(json_len(list) + 1, sizeof(*im->enis))) ==
	    NULL) {
		im->oom = true;
		return;
	}
	for (size_t i = 0; i < json_len(list); i++) {
		eni = &im->enis[im->n_enis];
		eni->e = (struct entry){.im = im,
					.jd = &im->ifs,
					.list = "NetworkInterfaces",
					.idx = i,
					.node = json_at(&im->ifs.j, list, i)};
		if (eni->e.node == NULL ||
		    eni->e.node->type != YAML_MAPPING_NODE) {
			import_entry_err(&eni->e, NULL, "expected an object");
			continue;
		}
		eni->id = eni->e.id = import_jstr(&eni->e, eni->e.node,
						  "NetworkInterfaceId", true);
		eni->type =
		    import_jstr(&eni->e, eni->e.node, "InterfaceType", false);
		if (eni->id != NULL && (first = find_eni(im, eni->id)) != NULL)
			import_entry_err(&eni->e, NULL,
				  "the same NetworkInterfaceId as "
				  "NetworkInterfaces[%zu]",
				  first->e.idx);
		else if (eni->id != NULL)
			im->n_enis++;
	}
}

/* The first IPv6 address of @eni's node, or NULL. */
static const char *
eni_ipv6(struct imp_eni *eni)
{
	const yaml_node_t *list, *item;

	list = import_jnode(&eni->e, eni->e.node, "Ipv6Addresses",
			    YAML_SEQUENCE_NODE);
	item = json_at(&eni->e.jd->j, list, 0);
	if (item != NULL && item->type == YAML_MAPPING_NODE)
		return import_jstr(&eni->e, item, "Ipv6Address", true);
	if (item != NULL)
		import_entry_err(&eni->e, item,
				 "Ipv6Addresses[0] must be an object");
	return import_jstr(&eni->e, eni->e.node, "Ipv6Address", false);
}

/* Canonical text of address @in of @family into @out, or a message. */
static void
canon_addr(struct imp_eni *eni, int family, const char *in, char *out,
	   socklen_t size)
{
	uint8_t a[16];
	char vb[SHOW_MAX];

	if (in == NULL)
		return;
	if (inet_pton(family, in, a) != 1 ||
	    inet_ntop(family, a, out, size) == NULL) {
		import_entry_err(&eni->e, NULL, "'%s' is not an %s address",
				 conf_show(in, vb),
				 family == AF_INET ? "IPv4" : "IPv6");
		out[0] = '\0';
	}
}

/* Fills @sn from network interface @eni (AZ and addresses). */
static void
read_subnet(struct imp_eni *eni, struct imp_subnet *sn)
{
	const char *az =
	    import_jstr(&eni->e, eni->e.node, "AvailabilityZone", true);
	char region[CATALOG_REGION_MAX], vb[SHOW_MAX];

	sn->eni = eni;
	if (az != NULL && !awsid_az(az, region))
		import_entry_err(&eni->e,
			  import_jget(&eni->e, eni->e.node, "AvailabilityZone"),
			  "'%s' is not an Availability Zone name such as "
			  "us-east-1a",
			  conf_show(az, vb));
	else if (az != NULL)
		snprintf(sn->az, sizeof(sn->az), "%s", az);
	canon_addr(eni, AF_INET,
		   import_jstr(&eni->e, eni->e.node, "PrivateIpAddress", false),
		   sn->ipv4, sizeof(sn->ipv4));
	canon_addr(eni, AF_INET6, eni_ipv6(eni), sn->ipv6, sizeof(sn->ipv6));
	if (!eni->e.bad && sn->ipv4[0] == '\0' && sn->ipv6[0] == '\0')
		import_entry_err(&eni->e, NULL,
			  "has neither PrivateIpAddress nor Ipv6Addresses");
}

/* The interface @id of endpoint @ep, or a message saying why not. */
static struct imp_eni *
ep_eni(struct imp_ep *ep, const char *id, const yaml_node_t *at)
{
	struct imp *im = ep->e.im;
	struct imp_eni *eni = find_eni(im, id);
	char vb[SHOW_MAX], tb[SHOW_MAX];

	if (eni == NULL) {
		import_entry_err(&ep->e, at,
				 "network interface %s is not in %s",
				 conf_show(id, vb), im->ifs.j.file);
		return NULL;
	}
	/* Only endpoint interfaces carry endpoint addresses (SPEC Part 2:
	 * other interface types are ignored). */
	if (eni->type != NULL && strcmp(eni->type, "vpc_endpoint") != 0) {
		import_entry_err(
		    &ep->e, at,
		    "network interface %s has InterfaceType '%s' in %s, "
		    "not vpc_endpoint",
		    conf_show(id, vb), conf_show(eni->type, tb),
		    im->ifs.j.file);
		return NULL;
	}
	return eni->e.bad ? NULL : eni;
}

static int
cmp_subnet(const void *a, const void *b)
{
	const struct imp_subnet *x = a, *y = b;

	return strcmp(x->az, y->az);
}

/* Each interface has an address of the endpoint's IP address type, and
 * one AZ has one interface (conf.c refuses two subnets in one AZ). */
static void
check_subnets(struct imp_ep *ep)
{
	int ip = ep->ip_type < 0 ? CONF_IP_IPV4 : ep->ip_type;
	char va[SHOW_MAX], vb[SHOW_MAX];

	qsort(ep->subnets, ep->n_subnets, sizeof(*ep->subnets), cmp_subnet);
	for (size_t i = 0; i < ep->n_subnets; i++)
		if ((ip == CONF_IP_IPV4 && ep->subnets[i].ipv4[0] == '\0') ||
		    (ip == CONF_IP_IPV6 && ep->subnets[i].ipv6[0] == '\0'))
			import_entry_err(&ep->e, ep->eni_ids,
				  "network interface %s has no %s address",
				  conf_show(ep->subnets[i].eni->id, va),
				  ip == CONF_IP_IPV4 ? "IPv4" : "IPv6");
	for (size_t i = 1; i < ep->n_subnets; i++)
		if (strcmp(ep->subnets[i].az, ep->subnets[i - 1].az) == 0)
			import_entry_err(&ep->e, ep->eni_ids,
				  "network interfaces %s and %s are both in "
				  "%s (vpcdns has one per Availability Zone)",
				  conf_show(ep->subnets[i - 1].eni->id, va),
				  conf_show(ep->subnets[i].eni->id, vb),
				  ep->subnets[i].az);
}

/* The subnets of @ep from its NetworkInterfaceIds. */
static void
read_subnets(struct imp_ep *ep)
{
	struct imp *im = ep->e.im;
	size_t n = json_len(ep->eni_ids);
	const yaml_node_t *item;
	struct imp_eni *eni;
	const char *id;

	if (!im->have_ifs) {
		if (im->n_need_ifs++ == 0)
			im->need_ifs = ep;
		return;
	}
	if ((ep->subnets = calloc(n, sizeof(*ep->subnets))) == NULL) {
		im->oom = true;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		item = json_at(&im->ep.j, ep->eni_ids, i);
		if ((id = json_str(item)) == NULL || json_is_null(item)) {
			import_entry_err(&ep->e, item,
				  "NetworkInterfaceIds[%zu] must be a string",
				  i);
			continue;
		}
		if ((eni = ep_eni(ep, id, item)) == NULL)
			continue;
		read_subnet(eni, &ep->subnets[ep->n_subnets]);
		if (!eni->e.bad)
			ep->n_subnets++;
	}
	check_subnets(ep);
}

/* ---- endpoints ---------------------------------------------------------- */

/* States whose endpoint has no DNS names any more. */
static bool
dead_state(const char *state)
{
	static const char *const dead[] = {"deleting", "deleted", "rejected",
					   "failed", "expired"};

	for (size_t i = 0; i < sizeof(dead) / sizeof(dead[0]); i++)
		if (strcasecmp(state, dead[i]) == 0)
			return true;
	return false;
}

/* VpcEndpointType: Interface, Gateway, Resource; false otherwise. */
static bool
read_type(struct imp_ep *ep)
{
	static const char *const aws[] = {
	    [CONF_ENDPOINT_INTERFACE] = "Interface",
	    [CONF_ENDPOINT_GATEWAY] = "Gateway",
	    [CONF_ENDPOINT_RESOURCE] = "Resource",
	};
	const char *t =
	    import_jstr(&ep->e, ep->e.node, "VpcEndpointType", true);
	char vb[SHOW_MAX];

	if (t == NULL)
		return false;
	for (size_t i = 0; i < sizeof(aws) / sizeof(aws[0]); i++) {
		if (strcasecmp(t, aws[i]) == 0) {
			ep->type = (enum conf_endpoint_type)i;
			return true;
		}
	}
	import_entry_err(
	    &ep->e, import_jget(&ep->e, ep->e.node, "VpcEndpointType"),
	    "unknown VpcEndpointType '%s' (vpcdns imports Interface, "
	    "Gateway and Resource endpoints)",
	    conf_show(t, vb));
	return false;
}

/* IpAddressType and DnsOptions. */
static void
read_ip_options(struct imp_ep *ep)
{
	const yaml_node_t *opts;

	ep->ip_type = import_jenum(&ep->e, ep->e.node, "IpAddressType",
			    conf_ip_type_names, CONF_IP_SERVICE_DEFINED, NULL);
	opts =
	    import_jnode(&ep->e, ep->e.node, "DnsOptions", YAML_MAPPING_NODE);
	ep->rec_type = -1;
	ep->inbound_only = -1;
	if (opts == NULL)
		return;
	/* "not-specified" is how some AWS tools print "no value". */
	ep->rec_type =
	    import_jenum(&ep->e, opts, "DnsRecordIpType", conf_ip_type_names,
		  CONF_IP_SERVICE_DEFINED + 1, "not-specified");
	ep->inbound_only = import_jbool(&ep->e, opts, INBOUND_KEY);
}

/* SPEC 1.5a: ipv4 -> ipv4, ipv6 -> ipv6, dualstack -> any; a gateway's
 * service-defined goes with any. */
static void
check_ip_pair(struct imp_ep *ep)
{
	int ip = ep->ip_type < 0 ? CONF_IP_IPV4 : ep->ip_type;

	if (ep->rec_type < 0 || ip == CONF_IP_DUALSTACK || ep->rec_type == ip ||
	    (ep->type == CONF_ENDPOINT_GATEWAY &&
	     ep->rec_type == CONF_IP_SERVICE_DEFINED))
		return;
	import_entry_err(&ep->e, NULL,
		  "DnsRecordIpType %s does not go with IpAddressType %s",
		  conf_ip_type_names[ep->rec_type], conf_ip_type_names[ip]);
}

/* The service: ServiceName, for a resource endpoint else its ARN. */
static bool
read_service(struct imp_ep *ep)
{
	char vb[SHOW_MAX];

	if (ep->type == CONF_ENDPOINT_RESOURCE &&
	    json_get(&ep->e.jd->j, ep->e.node, "ServiceName") == NULL) {
		ep->service = import_jstr(&ep->e, ep->e.node,
					  "ResourceConfigurationArn", true);
		return ep->service != NULL;
	}
	if ((ep->service =
		 import_jstr(&ep->e, ep->e.node, "ServiceName", true)) == NULL)
		return false;
	if (ep->type == CONF_ENDPOINT_RESOURCE)
		return true;
	if (catalog_parse(ep->service, &ep->ref) != VPC_OK ||
	    strlen(ep->service) >= sizeof(ep->service_lc)) {
		import_entry_err(&ep->e,
				 import_jget(&ep->e, ep->e.node, "ServiceName"),
				 "'%s' is not an AWS service name vpcdns knows",
				 conf_show(ep->service, vb));
		return false;
	}
	if (ep->type == CONF_ENDPOINT_GATEWAY &&
	    !catalog_has_gateway(&ep->ref)) {
		import_entry_err(
		    &ep->e, import_jget(&ep->e, ep->e.node, "ServiceName"),
		    "gateway endpoints exist only for S3 and DynamoDB, "
		    "not '%s'",
		    conf_show(ep->service, vb));
		return false;
	}
	/* catalog_parse() ignores case; the configuration wants lower. */
	for (size_t i = 0; i == 0 || ep->service[i - 1] != '\0'; i++)
		ep->service_lc[i] =
		    (char)tolower((unsigned char)ep->service[i]);
	ep->service = ep->service_lc;
	return true;
}

/* VpcEndpointId, VpcEndpointType, VpcId and State; false when the
 * endpoint cannot be used at all. */
static bool
read_identity(struct imp_ep *ep)
{
	const char *state;
	char vb[SHOW_MAX];

	ep->e.id = import_jstr(&ep->e, ep->e.node, "VpcEndpointId", true);
	if (ep->e.id != NULL && !awsid_vpce_id(ep->e.id))
		import_entry_err(
		    &ep->e, import_jget(&ep->e, ep->e.node, "VpcEndpointId"),
		    "VpcEndpointId is not vpce- and 1 to 17 lowercase "
		    "hex digits");
	ep->vpc = import_jstr(&ep->e, ep->e.node, "VpcId", true);
	if (ep->vpc != NULL && !awsid_vpc_id(ep->vpc))
		import_entry_err(
		    &ep->e, import_jget(&ep->e, ep->e.node, "VpcId"),
		    "VpcId '%s' is not a VPC id", conf_show(ep->vpc, vb));
	if (!read_type(ep) || ep->e.bad)
		return false;
	state = import_jstr(&ep->e, ep->e.node, "State", false);
	if (state != NULL && dead_state(state))
		snprintf(ep->skip, sizeof(ep->skip), "State is '%s'",
			 conf_show(state, vb));
	return !ep->e.bad;
}

/* Appends @name to the endpoint's private names unless it is there. */
static void
add_name(struct imp_ep *ep, const char *name)
{
	char(*v)[CATALOG_NAME_MAX];

	for (size_t i = 0; i < ep->n_names; i++)
		if (strcmp(ep->names[i], name) == 0)
			return;
	v = realloc(ep->names, (ep->n_names + 1) * sizeof(*v));
	if (v == NULL) {
		ep->e.im->oom = true;
		return;
	}
	ep->names = v;
	snprintf(ep->names[ep->n_names++], CATALOG_NAME_MAX, "%s", name);
}

/* Whether @name has the label LATTICE_LABEL (VPC Lattice's own names). */
static bool
is_lattice_name(const char *name)
{
	const char *p = strstr(name, LATTICE_LABEL);
	size_t n = strlen(LATTICE_LABEL);

	return p != NULL && (p == name || p[-1] == '.') &&
	       (p[n] == '.' || p[n] == '\0');
}

/* The DnsName of DnsEntries[@i], normalized, or false (with a message). */
bool
import_dns_entry(struct imp_ep *ep, size_t i, char out[CATALOG_NAME_MAX])
{
	const yaml_node_t *item = json_at(&ep->e.jd->j, ep->dns, i);
	const char *name;
	char vb[SHOW_MAX];

	if (item == NULL || item->type != YAML_MAPPING_NODE) {
		import_entry_err(&ep->e, item,
				 "DnsEntries[%zu] must be an object", i);
		return false;
	}
	if ((name = import_jstr(&ep->e, item, "DnsName", true)) == NULL)
		return false;
	if (import_norm_name(name, out))
		return true;
	import_entry_err(&ep->e, import_jget(&ep->e, item, "DnsName"),
		  "DnsEntries[%zu].DnsName '%s' is not a DNS name", i,
		  conf_show(name, vb));
	return false;
}

/* The private DNS names among DnsEntries: every name that is not a vpce
 * name (SPEC 1.1) nor, for a resource endpoint, a VPC Lattice name. */
static void
read_names(struct imp_ep *ep)
{
	char name[CATALOG_NAME_MAX];

	for (size_t i = 0; i < json_len(ep->dns); i++) {
		if (!import_dns_entry(ep, i, name) || import_is_vpce_name(name))
			continue;
		if (ep->type == CONF_ENDPOINT_RESOURCE && is_lattice_name(name))
			ep->n_unserved++;
		else if (ep->private_dns != 0)
			add_name(ep, name);
	}
}

/* Whether the DnsEntries names differ from the catalog's (as sets). */
static bool
names_differ(const struct imp_ep *ep)
{
	char cat[CATALOG_MAX_NAMES][CATALOG_NAME_MAX];
	size_t n = catalog_private_names(&ep->ref, cat, CATALOG_MAX_NAMES);
	size_t found = 0;

	if (n > CATALOG_MAX_NAMES || n != ep->n_names)
		return true;
	for (size_t i = 0; i < ep->n_names; i++)
		for (size_t j = 0; j < n; j++)
			found += strcmp(ep->names[i], cat[j]) == 0;
	return found != n;
}

/* Everything but the vpce names, which need the VPC's Region. */
static void
read_endpoint(struct imp_ep *ep)
{
	if (!read_identity(ep) || ep->skip[0] != '\0' || !read_service(ep))
		return;
	read_ip_options(ep);
	check_ip_pair(ep);
	ep->private_dns = import_jbool(&ep->e, ep->e.node, "PrivateDnsEnabled");
	ep->eni_ids = import_jnode(&ep->e, ep->e.node, "NetworkInterfaceIds",
			    YAML_SEQUENCE_NODE);
	ep->dns =
	    import_jnode(&ep->e, ep->e.node, "DnsEntries", YAML_SEQUENCE_NODE);
	if (ep->e.bad || ep->type == CONF_ENDPOINT_GATEWAY)
		return;
	if (json_len(ep->eni_ids) == 0) {
		snprintf(ep->skip, sizeof(ep->skip),
			 "it has no network interfaces");
		return;
	}
	read_subnets(ep);
	read_names(ep);
	if (ep->type == CONF_ENDPOINT_RESOURCE) {
		ep->override = true;
		if (ep->n_names == 0)
			snprintf(ep->skip, sizeof(ep->skip),
				 "it has no private DNS names (vpcdns serves "
				 "no VPC Lattice names)");
	} else {
		/* SPEC Part 2: the DnsEntries names, as they are. */
		ep->override = ep->n_names > 0 && names_differ(ep);
	}
}

void
import_read_endpoints(struct imp *im)
{
	const yaml_node_t *list = im->ep.list;
	struct imp_ep *ep;

	if (json_len(list) == 0) {
		import_file_err(im, im->ep.j.file, json_line(list),
			 "'VpcEndpoints' is empty: nothing to import");
		return;
	}
	if ((im->eps = calloc(json_len(list), sizeof(*im->eps))) == NULL) {
		im->oom = true;
		return;
	}
	for (size_t i = 0; i < json_len(list) && !im->oom; i++) {
		ep = &im->eps[im->n_eps++];
		ep->e = (struct entry){.im = im,
				       .jd = &im->ep,
				       .list = "VpcEndpoints",
				       .idx = i,
				       .node = json_at(&im->ep.j, list, i)};
		if (ep->e.node == NULL || ep->e.node->type != YAML_MAPPING_NODE)
			import_entry_err(&ep->e, NULL, "expected an object");
		else
			read_endpoint(ep);
	}
}

/* Duplicate ids would make the configuration invalid. */
void
import_check_ids(struct imp *im)
{
	for (size_t i = 0; i < im->n_eps; i++) {
		struct imp_ep *ep = &im->eps[i];

		for (size_t j = 0; j < i && ep->e.id != NULL; j++) {
			if (im->eps[j].e.id == NULL ||
			    strcmp(im->eps[j].e.id, ep->e.id) != 0)
				continue;
			import_entry_err(&ep->e, NULL,
				  "the same VpcEndpointId as VpcEndpoints[%zu]",
				  j);
			break;
		}
	}
}

/* ---- VPCs and Regions --------------------------------------------------- */

bool
import_imported(const struct imp_ep *ep)
{
	return ep->skip[0] == '\0' && !ep->e.bad;
}

/* The index of VPC @id in im->vpcs, added when new. */
static size_t
vpc_index(struct imp *im, const char *id)
{
	size_t v;

	for (v = 0; v < im->n_vpcs; v++)
		if (strcmp(im->vpcs[v].id, id) == 0)
			return v;
	im->vpcs[v].id = id;
	im->n_vpcs++;
	return v;
}

void
import_group_vpcs(struct imp *im)
{
	struct imp_ep *ep;

	if ((im->vpcs = calloc(im->n_eps + im->n_insts + 1,
			       sizeof(*im->vpcs))) == NULL) {
		im->oom = true;
		return;
	}
	for (size_t i = 0; i < im->n_eps; i++) {
		ep = &im->eps[i];
		ep->vpc_idx = vpc_index(im, ep->vpc);
		if (im->vpcs[ep->vpc_idx].first == NULL)
			im->vpcs[ep->vpc_idx].first = ep;
	}
	/* Instances join their VPC's endpoints (vpcs[].instances). */
	for (size_t i = 0; i < im->n_insts; i++) {
		struct imp_inst *in = &im->insts[i];

		if (!import_inst_imported(in))
			continue;
		in->vpc_idx = vpc_index(im, in->vpc);
		if (im->vpcs[in->vpc_idx].first_inst == NULL)
			im->vpcs[in->vpc_idx].first_inst = in;
	}
}

/* The Region where the VPC's endpoint interfaces are. */
static void
region_from_enis(struct imp *im, size_t v)
{
	struct imp_vpc *vpc = &im->vpcs[v];
	char r[CATALOG_REGION_MAX], vb[SHOW_MAX];
	struct imp_ep *ep;

	for (size_t i = 0; i < im->n_eps; i++) {
		ep = &im->eps[i];
		if (ep->vpc_idx != v || !import_imported(ep))
			continue;
		for (size_t s = 0; s < ep->n_subnets; s++) {
			if (!awsid_az(ep->subnets[s].az, r))
				continue;
			if (vpc->region[0] == '\0') {
				memcpy(vpc->region, r, sizeof(r));
				vpc->region_from = "the Availability Zones of "
						   "its network interfaces";
			} else if (strcmp(vpc->region, r) != 0) {
				import_entry_err(
				    &ep->e, NULL,
				    "network interface %s is in %s, "
				    "other interfaces of %s in %s",
				    conf_show(ep->subnets[s].eni->id, vb), r,
				    vpc->id, vpc->region);
			}
		}
	}
}

/* The most common Region of the VPC's service names (first on a tie). */
static void
region_from_services(struct imp *im, size_t v)
{
	const struct imp_ep *a, *b;
	size_t best = 0, n;

	for (size_t i = 0; i < im->n_eps; i++) {
		a = &im->eps[i];
		if (a->vpc_idx != v || !import_imported(a) ||
		    a->type == CONF_ENDPOINT_RESOURCE || a->ref.region[0] == 0)
			continue;
		n = 0;
		for (size_t j = 0; j < im->n_eps; j++) {
			b = &im->eps[j];
			n += b->vpc_idx == v && import_imported(b) &&
			     b->type != CONF_ENDPOINT_RESOURCE &&
			     strcmp(a->ref.region, b->ref.region) == 0;
		}
		if (n > best) {
			best = n;
			memcpy(im->vpcs[v].region, a->ref.region,
			       sizeof(a->ref.region));
			im->vpcs[v].region_from = "its service names";
		}
	}
}

size_t
import_n_imported(const struct imp *im, size_t v)
{
	size_t n = 0;

	for (size_t i = 0; i < im->n_eps; i++)
		n += im->eps[i].vpc_idx == v && import_imported(&im->eps[i]);
	return n;
}

/*
 * The Region of each VPC: where its endpoint interfaces are, else the
 * most common Region of its service names.  (An interface endpoint of a
 * global service always has interfaces, hence a Region.)
 */
void
import_find_regions(struct imp *im)
{
	struct imp_vpc *vpc;

	for (size_t v = 0; v < im->n_vpcs; v++) {
		vpc = &im->vpcs[v];
		if (import_n_imported(im, v) == 0 &&
		    import_n_instances(im, v) == 0)
			continue;
		region_from_enis(im, v);
		import_instance_regions(im, v);
		if (vpc->region[0] == '\0')
			region_from_services(im, v);
		if (vpc->region[0] == '\0')
			import_entry_err(vpc->first != NULL
					     ? &vpc->first->e
					     : &vpc->first_inst->e,
					 NULL,
				  "cannot tell the Region of %s: no network "
				  "interface or service name has one",
				  vpc->id);
	}
}
