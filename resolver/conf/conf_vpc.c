/*
 * resolver/conf/conf_vpc.c - configuration: VPCs, endpoints, subnets, zones.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The tables of vpcs[], endpoints[], subnets[] and hosted-zones[], their
 * derived defaults (SPEC 1.1, 1.5a), and the checks that involve several
 * keys of an endpoint or several endpoints and VPCs.  Resolver rules,
 * firewall rules and profiles live in conf_policy.c.  Only the table
 * walker of conf.c calls in here, during one load; no state of its own.
 */
#include "config.h"

#include "conf/conf.h"

#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "conf/conf_internal.h"
#include "util/awsid.h"
#include "util/err.h"
#include "util/text.h"

#define INBOUND_ONLY_KEY "private-dns-only-for-inbound-resolver-endpoint"

/* ---- validators of strings ------------------------------------------- */

/* The AWS grammars (util/awsid.h) in the form the tables take. */
static bool
valid_region(const char *s)
{
	return awsid_region(s, strlen(s));
}

static bool
valid_az(const char *s)
{
	return awsid_az(s, NULL);
}

bool
conf_valid_vpc_id(const char *s)
{
	return awsid_vpc_id(s);
}

/* Any printable word; endpoint_finish() asks more of AWS services. */
static bool
valid_service(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return false;
	return i > 0 && i <= 255;
}

/* ---- the tables ------------------------------------------------------- */

static void endpoint_finish(struct pctx *px, void *obj, const struct seen *s);
static void vpc_finish(struct pctx *px, void *obj, const struct seen *s);
static const char *derive_private_dns(const void *obj, const void *parent,
				      char buf[CONF_DERIVE_MAX]);
static const char *derive_record_type(const void *obj, const void *parent,
				      char buf[CONF_DERIVE_MAX]);
static const char *derive_inbound_only(const void *obj, const void *parent,
				       char buf[CONF_DERIVE_MAX]);


/* A host name as a forward target takes one (no port, not an address). */
static bool
valid_host_only(const char *s)
{
	struct conf_sockaddr sa;

	return strchr(s, ':') == NULL &&
	       conf_parse_sockaddr(s, CONF_DEFAULT_PORT, &sa) != VPC_OK &&
	       conf_valid_target(s);
}

static bool
valid_ipv4_or_host(const char *s)
{
	uint8_t a[4];

	return inet_pton(AF_INET, s, a) == 1 || valid_host_only(s);
}

static bool
valid_ipv6_or_host(const char *s)
{
	uint8_t a[16];

	return inet_pton(AF_INET6, s, a) == 1 || valid_host_only(s);
}

/*
 * An interface's address as written: the bytes, or a host name (a
 * docker-compose service such as localstack standing in for the service)
 * that the daemon resolves through the system resolver; its names are
 * SERVFAIL until it does (engine/endpoint.h).
 */
static void
subnet_finish(struct pctx *px, void *obj, const struct seen *s)
{
	struct conf_subnet *sn = obj;

	(void)px;
	(void)s;
	if (sn->ipv4_text != NULL &&
	    inet_pton(AF_INET, sn->ipv4_text, sn->ipv4) != 1)
		sn->ipv4_host = sn->ipv4_text;
	if (sn->ipv6_text != NULL &&
	    inet_pton(AF_INET6, sn->ipv6_text, sn->ipv6) != 1)
		sn->ipv6_host = sn->ipv6_text;
}

static const struct ckey subnet_keys[] = {
    {"az", SCALAR(struct conf_subnet, az, CT_STR), .required = true,
     .valid = valid_az,
     .hint = "an Availability Zone (a Region and a letter: us-east-1a)"},
    {"ipv4", SCALAR(struct conf_subnet, ipv4_text, CT_STR),
     PRESENT(struct conf_subnet, has_ipv4), .valid = valid_ipv4_or_host,
     .hint = "an IPv4 address or a host name"},
    {"ipv6", SCALAR(struct conf_subnet, ipv6_text, CT_STR),
     PRESENT(struct conf_subnet, has_ipv6), .valid = valid_ipv6_or_host,
     .hint = "an IPv6 address or a host name"},
};
static const struct ctable subnet_table =
    TABLE(subnet_keys, LINE(struct conf_subnet), subnet_finish);

/* Keys with derived defaults come after the keys they derive from. */
static const struct ckey endpoint_keys[] = {
    {"id", SCALAR(struct conf_endpoint, id, CT_STR), .required = true,
     .valid = awsid_vpce_id,
     .hint = "an endpoint id (vpce- and 1 to 17 lowercase hex digits)"},
    /* Required except for resource endpoints (ep_check_type()). */
    {"service", SCALAR(struct conf_endpoint, service, CT_STR),
     .basis = true, .valid = valid_service,
     .hint = "a service name such as com.amazonaws.us-east-1.s3"},
    {"type", SCALAR(struct conf_endpoint, type, CT_ENUM), .basis = true,
     .names = conf_endpoint_type_names, .def = "interface"},
    {"ip-address-type", SCALAR(struct conf_endpoint, ip_address_type, CT_ENUM),
     .basis = true, .names = conf_ip_type_names,
     .max = CONF_IP_SERVICE_DEFINED, /* not service-defined */
     .def = "ipv4"},
    {"private-dns", BOOL(struct conf_endpoint, private_dns), .basis = true,
     .derive = derive_private_dns},
    {"dns-suffix", SCALAR(struct conf_endpoint, dns_suffix, CT_STR),
     .valid = awsid_vpce_suffix,
     .hint = "a suffix of exactly 8 lowercase letters or digits"},
    {"dns-record-ip-type",
     SCALAR(struct conf_endpoint, dns_record_ip_type, CT_ENUM), .basis = true,
     .names = conf_ip_type_names, .derive = derive_record_type},
    /* SPEC 1.5a: depends on the VPC's other endpoints (late). */
    {INBOUND_ONLY_KEY, BOOL(struct conf_endpoint, inbound_only),
     .derive = derive_inbound_only, .late = true},
    {"private-dns-names", SEQ(struct conf_endpoint, private_dns_names),
     .type = CT_NAME, PRESENT(struct conf_endpoint, private_dns_names_set)},
    {"subnets", SEQ(struct conf_endpoint, subnets), .sub = &subnet_table},
};
static const struct ctable endpoint_table =
    TABLE(endpoint_keys, LINE(struct conf_endpoint), endpoint_finish);

static const char *const zone_format_names[] = {
    [CONF_ZONE_AUTO] = "auto",
    [CONF_ZONE_FILE] = "zone",
    [CONF_ZONE_ROUTE53] = "route53-json",
    [CONF_ZONE_TERRAFORM] = "terraform",
    [CONF_ZONE_TERRAFORM + 1] = NULL,
};

static const char *const hostname_type_names[] = {
    [CONF_HOSTNAME_IP_NAME] = "ip-name",
    [CONF_HOSTNAME_RESOURCE_NAME] = "resource-name",
    [CONF_HOSTNAME_RESOURCE_NAME + 1] = NULL,
};

/* An instance id: "i-" and 8 (older) or 17 lowercase hex digits. */
static bool
valid_instance_id(const char *s)
{
	size_t n = strlen(s);

	if ((n != 10 && n != 19) || strncmp(s, "i-", 2) != 0)
		return false;
	for (size_t i = 2; i < n; i++)
		if (!text_is_digit(s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

static void instance_finish(struct pctx *px, void *obj, const struct seen *s);

/* AWS PrivateDnsNameOptions, as describe-instances reports them. */
static const struct ckey instance_keys[] = {
    {"id", SCALAR(struct conf_instance, id, CT_STR), .required = true,
     .valid = valid_instance_id,
     .hint = "an instance id (i- and 8 or 17 lowercase hex digits)"},
    {"ipv4", SCALAR(struct conf_instance, ipv4, CT_IPV4),
     PRESENT(struct conf_instance, has_ipv4)},
    {"ipv6", SCALAR(struct conf_instance, ipv6, CT_IPV6),
     PRESENT(struct conf_instance, has_ipv6)},
    {"public-ipv4", SCALAR(struct conf_instance, public_ipv4, CT_IPV4),
     PRESENT(struct conf_instance, has_public_ipv4)},
    {"hostname-type", SCALAR(struct conf_instance, hostname_type, CT_ENUM),
     .names = hostname_type_names, .def = "ip-name"},
    {"enable-resource-name-dns-a-record",
     BOOL(struct conf_instance, resource_name_a), .def = "false"},
    {"enable-resource-name-dns-aaaa-record",
     BOOL(struct conf_instance, resource_name_aaaa), .def = "false"},
};
static const struct ctable instance_table =
    TABLE(instance_keys, LINE(struct conf_instance), instance_finish);

static const struct ckey zone_keys[] = {
    {"name", SCALAR(struct conf_hosted_zone, name, CT_ZONE), .required = true},
    {"file", SCALAR(struct conf_hosted_zone, file, CT_PATH), .required = true},
    {"format", SCALAR(struct conf_hosted_zone, format, CT_ENUM),
     .names = zone_format_names},
};
const struct ctable conf_zone_table =
    TABLE(zone_keys, LINE(struct conf_hosted_zone), NULL);

static const struct ckey vpc_keys[] = {
    {"id", SCALAR(struct conf_vpc, id, CT_STR), .required = true,
     .valid = conf_valid_vpc_id, .hint = CONF_VPC_ID_HINT},
    {"region", SCALAR(struct conf_vpc, region, CT_STR), .required = true,
     .valid = valid_region, .hint = "a Region name such as us-east-1"},
    {"cidr-blocks", SEQ(struct conf_vpc, cidr_blocks), .type = CT_CIDR},
    {"clients", SEQ(struct conf_vpc, clients), .type = CT_CIDR,
     PRESENT(struct conf_vpc, clients_set)},
    {"endpoints", SEQ(struct conf_vpc, endpoints), .sub = &endpoint_table},
    {"hosted-zones", SEQ(struct conf_vpc, hosted_zones),
     .sub = &conf_zone_table},
    {"rules", SEQ(struct conf_vpc, rules), .sub = &conf_rule_table},
    {"firewall", SEQ(struct conf_vpc, firewall), .sub = &conf_fw_table},
    /* Names here; top_finish() turns them into indexes (profiles). */
    {"profiles", SEQ(struct conf_vpc, profile_refs),
     .sub = &conf_profile_ref_table},
    /* SPEC 1.7: EC2 host names and PTR records of the VPC's CIDRs. */
    {"enable-dns-hostnames", BOOL(struct conf_vpc, enable_dns_hostnames),
     .def = "true"},
    {"instances", SEQ(struct conf_vpc, instances), .sub = &instance_table},
    /* AWS nat-gateway-nat64-dns64: the subnets with DNS64 enabled. */
    {"dns64", SEQ(struct conf_vpc, dns64), .type = CT_CIDR},
    /* SPEC 1.9: AWS ResolverConfig AutodefinedReverse. */
    {"autodefined-reverse", BOOL(struct conf_vpc, autodefined_reverse),
     .def = "true"},
    /* SPEC 1.9: AWS ResolverDNSSECConfig; DNSSEC data is always
     * stripped (engine/dnssec.h); true validates the answers of the
     * default upstreams (engine/validator.h). */
    {"dnssec-validation", BOOL(struct conf_vpc, dnssec_validation),
     .def = "false"},
    /* AWS FirewallConfig: what to do when DNS Firewall is unavailable. */
    {"firewall-fail-open", BOOL(struct conf_vpc, firewall_fail_open),
     .def = "false"},
};
const struct ctable conf_vpc_table =
    TABLE(vpc_keys, LINE(struct conf_vpc), vpc_finish);

/* ---- derived defaults -------------------------------------------------- */

static const char *
derive_private_dns(const void *obj, const void *parent,
		   char buf[CONF_DERIVE_MAX])
{
	const struct conf_endpoint *ep = obj;

	(void)parent;
	(void)buf;
	return ep->type == CONF_ENDPOINT_GATEWAY ? "false" : "true";
}

/* SPEC 1.1: ip-address-type; gateway endpoints: service-defined. */
static const char *
derive_record_type(const void *obj, const void *parent,
		   char buf[CONF_DERIVE_MAX])
{
	const struct conf_endpoint *ep = obj;

	(void)parent;
	(void)buf;
	if (ep->type == CONF_ENDPOINT_GATEWAY)
		return conf_ip_type_names[CONF_IP_SERVICE_DEFINED];
	return conf_ip_type_names[ep->ip_address_type];
}

/* S3 and DynamoDB are the services with both endpoint types (SPEC 1.3). */
static bool
has_both_types(const char *service)
{
	return text_ends_with(service, ".s3") || text_ends_with(service, ".dynamodb");
}

/*
 * Why @ep cannot be inbound-only in @vpc (SPEC 1.3, 1.5a), or NULL when it
 * can: an S3 or DynamoDB interface endpoint with private DNS in a VPC that
 * has a gateway endpoint for the same service.
 */
static const char *
inbound_only_refusal(const struct conf_vpc *vpc, const struct conf_endpoint *ep)
{
	if (ep->type != CONF_ENDPOINT_INTERFACE || !has_both_types(ep->service))
		return "only S3 and DynamoDB interface endpoints have it";
	if (!ep->private_dns)
		return "it needs private-dns: true";
	for (size_t i = 0; i < vpc->n_endpoints; i++) {
		const struct conf_endpoint *g = &vpc->endpoints[i];

		if (g->type == CONF_ENDPOINT_GATEWAY && g->service != NULL &&
		    strcmp(g->service, ep->service) == 0)
			return NULL;
	}
	return "it needs a gateway endpoint for the same service in the VPC";
}

/* SPEC 1.5a: true exactly when the VPC allows it. */
static const char *
derive_inbound_only(const void *obj, const void *parent,
		    char buf[CONF_DERIVE_MAX])
{
	(void)buf;
	return inbound_only_refusal(parent, obj) == NULL ? "true" : "false";
}

/* ---- checks across keys ------------------------------------------------ */

static void
ep_check_gateway(struct pctx *px, const struct conf_endpoint *ep,
		 const struct seen *s)
{
	char vb[CONF_SHOW_MAX];

	if (ep->n_subnets > 0)
		conf_key_err(px, s, "subnets",
			     "a gateway endpoint has no subnets");
	if (ep->private_dns_names_set)
		conf_key_err(px, s, "private-dns-names",
			     "a gateway endpoint has no DNS names");
	if (ep->private_dns)
		conf_key_err(px, s, "private-dns",
			     "a gateway endpoint has no private DNS");
	if (!has_both_types(ep->service))
		conf_key_err(
		    px, s, "service",
		    "gateway endpoints exist only for S3 and DynamoDB, not "
		    "'%s'",
		    conf_show(ep->service, vb));
}

static void
ep_check_type(struct pctx *px, const struct conf_endpoint *ep,
	      const struct seen *s)
{
	char vb[CONF_SHOW_MAX];

	/* A resource endpoint (VPC Lattice resource configuration) has no
	 * AWS service name; interface and gateway endpoints always do. */
	if (ep->service == NULL && ep->type != CONF_ENDPOINT_RESOURCE) {
		conf_perr(px, ep->line,
			  "missing required key 'service' (%s endpoints name "
			  "their service; only resource endpoints have none)",
			  conf_endpoint_type_names[ep->type]);
		return;
	}
	if (ep->type == CONF_ENDPOINT_GATEWAY) {
		ep_check_gateway(px, ep, s);
		return;
	}
	if (ep->type == CONF_ENDPOINT_RESOURCE && ep->n_private_dns_names == 0)
		conf_key_err(
		    px, s, "private-dns-names",
		    "a resource endpoint needs the resource's host names");
	if (ep->n_subnets == 0)
		conf_key_err(px, s, "subnets",
			     "%s endpoints need at least one subnet",
			     conf_endpoint_type_names[ep->type]);
	/* The service's labels end up in DNS names (SPEC 1.1). */
	if (ep->type == CONF_ENDPOINT_INTERFACE &&
	    !conf_name_ok(ep->service, false))
		conf_key_err(px, s, "service",
			     "'%s' is not a service name such as "
			     "com.amazonaws.us-east-1.s3",
			     conf_show(ep->service, vb));
}

/* SPEC 1.5a: ipv4 -> ipv4, ipv6 -> ipv6, dualstack -> any. */
static void
ep_check_ip_types(struct pctx *px, const struct conf_endpoint *ep,
		  const struct seen *s)
{
	enum conf_ip_type ip = ep->ip_address_type;
	enum conf_ip_type rec = ep->dns_record_ip_type;

	if (ip == CONF_IP_DUALSTACK || rec == ip)
		return;
	/* The default of gateway endpoints goes with any address type. */
	if (ep->type == CONF_ENDPOINT_GATEWAY && rec == CONF_IP_SERVICE_DEFINED)
		return;
	conf_key_err(
	    px, s, "dns-record-ip-type",
	    "%s is not allowed with ip-address-type %s (ipv4 needs ipv4, "
	    "ipv6 needs ipv6, dualstack allows any)",
	    conf_ip_type_names[rec], conf_ip_type_names[ip]);
}

/* Each interface needs an address the endpoint's ip-address-type serves.
 * An address of the other family is accepted and simply not answered
 * (dns-record-ip-type decides), so SPEC Part 2's example, an ipv4
 * endpoint with one dual-stack subnet, loads as written. */
static void
subnet_check_family(struct pctx *px, enum conf_ip_type ip,
		    const struct conf_subnet *sn)
{
	if (!sn->has_ipv4 && ip == CONF_IP_IPV4)
		conf_perr(px, sn->line,
			  "missing 'ipv4' (ip-address-type is ipv4)");
	if (!sn->has_ipv6 && ip == CONF_IP_IPV6)
		conf_perr(px, sn->line,
			  "missing 'ipv6' (ip-address-type is ipv6)");
	if (!sn->has_ipv4 && !sn->has_ipv6)
		conf_perr(px, sn->line, "a subnet needs 'ipv4' or 'ipv6'");
}

static void
ep_check_subnets(struct pctx *px, const struct conf_endpoint *ep)
{
	const struct conf_subnet *sn, *other;
	size_t old;

	for (size_t i = 0; i < ep->n_subnets; i++) {
		sn = &ep->subnets[i];
		if (sn->az == NULL)
			continue; /* already reported */
		old = conf_path_add(px, ".subnets[%zu]", i);
		subnet_check_family(px, ep->ip_address_type, sn);
		for (size_t j = 0; j < i; j++) {
			other = &ep->subnets[j];
			if (other->az != NULL &&
			    strcmp(other->az, sn->az) == 0) {
				conf_perr(
				    px, sn->line,
				    "a second subnet in %s (one per "
				    "Availability Zone; first at line %u)",
				    sn->az, other->line);
				break;
			}
		}
		conf_path_pop(px, old);
	}
}

static void
endpoint_finish(struct pctx *px, void *obj, const struct seen *s)
{
	const struct conf_endpoint *ep = obj;

	ep_check_type(px, ep, s);
	ep_check_ip_types(px, ep, s);
	if (ep->type != CONF_ENDPOINT_GATEWAY)
		ep_check_subnets(px, ep);
}

/* AWS: an IPv6-only instance has a resource-name hostname; a record
 * needs the address it holds; the public address needs a private one. */
static void
instance_finish(struct pctx *px, void *obj, const struct seen *s)
{
	const struct conf_instance *in = obj;

	if (!in->has_ipv4 && !in->has_ipv6)
		conf_key_err(px, s, "ipv4", "an instance needs 'ipv4' or "
					    "'ipv6'");
	else if (!in->has_ipv4 &&
		 in->hostname_type == CONF_HOSTNAME_IP_NAME)
		conf_key_err(px, s, "hostname-type",
			     "an instance without ipv4 has hostname-type "
			     "resource-name (IPv6-only subnets, as in AWS)");
	if (in->resource_name_a && !in->has_ipv4)
		conf_key_err(px, s, "enable-resource-name-dns-a-record",
			     "needs the instance's 'ipv4'");
	if (in->resource_name_aaaa && !in->has_ipv6)
		conf_key_err(px, s, "enable-resource-name-dns-aaaa-record",
			     "needs the instance's 'ipv6'");
	if (in->has_public_ipv4 && !in->has_ipv4)
		conf_key_err(px, s, "public-ipv4",
			     "its public DNS name answers the private 'ipv4', "
			     "which is missing");
}

static bool
in_cidrs(const struct conf_cidr *c, size_t n, int family, const uint8_t *a)
{
	for (size_t i = 0; i < n; i++) {
		unsigned full = c[i].prefix / 8, rest = c[i].prefix % 8;

		if (c[i].family != family || memcmp(c[i].addr, a, full) != 0)
			continue;
		if (rest == 0 ||
		    ((c[i].addr[full] ^ a[full]) & (0xffu << (8 - rest))) == 0)
			return true;
	}
	return false;
}

/* Instance ids are unique and their addresses inside the VPC's ranges
 * (their names are the VPC's: ec2.internal, its reverse zones). */
static void
vpc_check_instances(struct pctx *px, const struct conf_vpc *vpc)
{
	for (size_t i = 0; i < vpc->n_instances; i++) {
		const struct conf_instance *in = &vpc->instances[i];
		size_t old = conf_path_add(px, ".instances[%zu]", i);

		for (size_t j = 0; j < i && in->id != NULL; j++)
			if (vpc->instances[j].id != NULL &&
			    strcmp(vpc->instances[j].id, in->id) == 0) {
				conf_perr(px, in->line,
					  "duplicate instance id %s (first at "
					  "line %u)",
					  in->id, vpc->instances[j].line);
				break;
			}
		if (in->has_ipv4 &&
		    !in_cidrs(vpc->cidr_blocks, vpc->n_cidr_blocks, AF_INET,
			      in->ipv4))
			conf_perr(px, in->line,
				  "ipv4 is not in the VPC's cidr-blocks");
		if (in->has_ipv6 &&
		    !in_cidrs(vpc->cidr_blocks, vpc->n_cidr_blocks, AF_INET6,
			      in->ipv6))
			conf_perr(px, in->line,
				  "ipv6 is not in the VPC's IPv6 cidr-blocks");
		conf_path_pop(px, old);
	}
}

/* Late defaults and the inbound-only rule of endpoint @i (SPEC 1.5a). */
static void
vpc_endpoint_late(struct pctx *px, struct conf_vpc *vpc, size_t i,
		  const yaml_node_t *eps)
{
	struct conf_endpoint *ep = &vpc->endpoints[i];
	const yaml_node_t *item = conf_seq_item(px, eps, i);
	const yaml_node_t *val = conf_map_get(px, item, INBOUND_ONLY_KEY);
	const char *why;
	size_t old;

	if (ep->id == NULL ||
	    (ep->service == NULL && ep->type != CONF_ENDPOINT_RESOURCE))
		return; /* already reported */
	conf_apply_late(px, &endpoint_table, item, ep, vpc);
	if (val == NULL || !ep->inbound_only ||
	    (why = inbound_only_refusal(vpc, ep)) == NULL)
		return;
	old = conf_path_add(px, ".endpoints[%zu]." INBOUND_ONLY_KEY, i);
	conf_perr(px, conf_node_line(px, val), "%s", why);
	conf_path_pop(px, old);
}

void
conf_check_zones(struct pctx *px, const struct conf_hosted_zone *z, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i && z[i].name != NULL; j++) {
			if (z[j].name == NULL ||
			    strcmp(z[i].name, z[j].name) != 0)
				continue;
			conf_perr(px, z[i].line,
				  "hosted-zones[%zu]: duplicate zone %s (first "
				  "at line %u)",
				  i, z[i].name, z[j].line);
			break;
		}
	}
}

/*
 * An endpoint's network interfaces are in the VPC's own subnets, so each
 * subnet's AZ is in the VPC's Region, also for a cross-Region service
 * (privatelink cross-region: the service's Region only changes the names).
 */
static void
vpc_check_azs(struct pctx *px, const struct conf_vpc *vpc)
{
	char region[AWSID_REGION_MAX];

	for (size_t i = 0; vpc->region != NULL && i < vpc->n_endpoints; i++) {
		const struct conf_endpoint *ep = &vpc->endpoints[i];

		for (size_t j = 0; j < ep->n_subnets; j++) {
			const struct conf_subnet *sn = &ep->subnets[j];
			size_t old;

			if (sn->az == NULL || !awsid_az(sn->az, region) ||
			    strcmp(region, vpc->region) == 0)
				continue;
			old = conf_path_add(px, ".endpoints[%zu].subnets[%zu].az",
					    i, j);
			conf_perr(px, sn->line,
				  "%s is not in the VPC's Region %s (an "
				  "endpoint's network interfaces are in the "
				  "VPC's own subnets, also for a service in "
				  "another Region)",
				  sn->az, vpc->region);
			conf_path_pop(px, old);
		}
	}
}

static void
vpc_finish(struct pctx *px, void *obj, const struct seen *s)
{
	struct conf_vpc *vpc = obj;

	for (size_t i = 0; i < vpc->n_endpoints; i++)
		vpc_endpoint_late(px, vpc, i,
				  s->val[conf_key_index(s->t, "endpoints")]);
	vpc_check_azs(px, vpc);
	conf_check_zones(px, vpc->hosted_zones, vpc->n_hosted_zones);
	vpc_check_instances(px, vpc);
	conf_check_policy(px, vpc->rules, vpc->n_rules, vpc->firewall,
			  vpc->n_firewall);
}

const struct conf_vpc *
conf_find_vpc(const struct conf *cf, const char *id)
{
	for (size_t v = 0; v < cf->n_vpcs; v++)
		if (cf->vpcs[v].id != NULL && strcmp(cf->vpcs[v].id, id) == 0)
			return &cf->vpcs[v];
	return NULL;
}

/* Line of the first endpoint before (v, e) whose id is @id, or 0. */
static unsigned
endpoint_id_seen(const struct conf *cf, size_t v, size_t e, const char *id)
{
	for (size_t i = 0; i <= v; i++) {
		const struct conf_vpc *vpc = &cf->vpcs[i];

		for (size_t j = 0; j < (i < v ? vpc->n_endpoints : e); j++)
			if (vpc->endpoints[j].id != NULL &&
			    strcmp(vpc->endpoints[j].id, id) == 0)
				return vpc->endpoints[j].line;
	}
	return 0;
}

static void
check_ids(struct pctx *px, const struct conf *cf)
{
	const struct conf_vpc *vpc, *first;
	const struct conf_endpoint *ep;
	char wb[CONF_WHERE_MAX];
	unsigned line;

	for (size_t v = 0; v < cf->n_vpcs; v++) {
		vpc = &cf->vpcs[v];
		if (vpc->id != NULL &&
		    (first = conf_find_vpc(cf, vpc->id)) != vpc)
			conf_perr(
			    px, vpc->line,
			    "vpcs[%zu].id: duplicate VPC id %s (first at %s)",
			    v, vpc->id, conf_where(px, first->line, wb));
		for (size_t e = 0; e < vpc->n_endpoints; e++) {
			ep = &vpc->endpoints[e];
			if (ep->id == NULL ||
			    (line = endpoint_id_seen(cf, v, e, ep->id)) == 0)
				continue;
			conf_perr(
			    px, ep->line,
			    "vpcs[%zu].endpoints[%zu].id: duplicate endpoint "
			    "id %s (first at %s)",
			    v, e, ep->id, conf_where(px, line, wb));
		}
	}
}

/* SPEC 1.5a: at most one VPC takes the clients no other VPC matches. */
static void
check_clients(struct pctx *px, const struct conf *cf)
{
	size_t open = SIZE_MAX;
	char wb[CONF_WHERE_MAX];

	for (size_t v = 0; v < cf->n_vpcs; v++) {
		if (cf->vpcs[v].clients_set)
			continue;
		if (open == SIZE_MAX)
			open = v;
		else
			conf_perr(px, cf->vpcs[v].line,
				  "vpcs[%zu]: only one VPC may omit 'clients' "
				  "(vpcs[%zu] at %s does)",
				  v, open, conf_where(px, cf->vpcs[open].line, wb));
	}
}

void
conf_check_vpcs(struct pctx *px, const struct conf *cf)
{
	check_ids(px, cf);
	check_clients(px, cf);
}
