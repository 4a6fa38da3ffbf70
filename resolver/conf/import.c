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
 * import.h, the contract.
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

#define SHOW_MAX 72	    /* bytes of an input value quoted in a message */
#define AZ_MAX 48	    /* bytes of an Availability Zone name and NUL */
#define GENERATED "(generated)"
#define LATTICE_LABEL "vpc-lattice-rsc"
#define INBOUND_KEY "PrivateDnsOnlyForInboundResolverEndpoint"

/* A growing output text with a sticky allocation failure. */

/* One input file. */
struct jdoc {
	struct json_doc j;	 /* the document and its name */
	const yaml_node_t *list; /* its VpcEndpoints / NetworkInterfaces */
};

struct imp;

/* Where a message about one list entry points. */
struct entry {
	struct imp *im;		 /* the import it belongs to */
	struct jdoc *jd;	 /* the file */
	const char *list;	 /* "VpcEndpoints" or "NetworkInterfaces" */
	size_t idx;		 /* index in that list */
	const char *id;		 /* its id for messages, NULL until known */
	const yaml_node_t *node; /* the entry's mapping */
	bool bad;		 /* a message was recorded for it */
};

/* An entry of NetworkInterfaces. */
struct imp_eni {
	struct entry e;
	const char *id;	  /* NetworkInterfaceId */
	const char *type; /* InterfaceType, NULL when absent */
};

/* One network interface of an endpoint: a subnet of the configuration. */
struct imp_subnet {
	struct imp_eni *eni;	     /* borrowed from imp.enis */
	char az[AZ_MAX];	     /* AvailabilityZone */
	char ipv4[INET_ADDRSTRLEN];  /* canonical text, "" = none */
	char ipv6[INET6_ADDRSTRLEN]; /* canonical text, "" = none */
	bool zonal_seen;	     /* DnsEntries has its zonal name */
};

/* An entry of VpcEndpoints. */
struct imp_ep {
	struct entry e;
	const char *vpc;	      /* VpcId */
	const char *service;	      /* ServiceName (or the resource ARN) */
	char service_lc[256];	      /* an AWS service name in lower case */
	enum conf_endpoint_type type; /* from VpcEndpointType */
	int ip_type;		      /* enum conf_ip_type, -1 = absent */
	int rec_type;		      /* enum conf_ip_type, -1 = absent */
	int private_dns;	      /* PrivateDnsEnabled: 0, 1, -1 = absent */
	int inbound_only;	      /* DnsOptions.INBOUND_KEY, -1 = absent */
	const yaml_node_t *eni_ids;   /* NetworkInterfaceIds, NULL = none */
	const yaml_node_t *dns;	      /* DnsEntries, NULL = none */
	struct catalog_service_ref ref; /* interface and gateway endpoints */
	struct imp_subnet *subnets;	/* owned */
	size_t n_subnets;
	char (*names)[CATALOG_NAME_MAX]; /* private DNS names of DnsEntries,
					    owned; lower case, no dot */
	size_t n_names;
	bool override;			      /* write private-dns-names */
	size_t n_unserved;		      /* VPC Lattice names left out */
	char suffix[ENDPOINT_SUFFIX_LEN + 1]; /* from DnsEntries, "" = none */
	char skip[96];	/* why it is not imported, "" = it is */
	size_t vpc_idx; /* index in imp.vpcs */
};

struct imp_vpc {
	const char *id;			 /* VpcId, borrowed */
	char region[CATALOG_REGION_MAX]; /* "" until known */
	const char *region_from;	 /* how it was found, for a comment */
	struct imp_ep *first;		 /* its first endpoint, for messages */
};

struct imp {
	struct conf_errors *errs; /* where messages go */
	size_t nerr;		  /* messages added by this import */
	bool oom;		  /* an allocation failed (sticky) */
	struct jdoc ep;		  /* describe-vpc-endpoints */
	struct jdoc ifs;	  /* describe-network-interfaces */
	bool have_ifs;		  /* the interfaces file was given */
	struct imp_eni *enis;	  /* owned */
	size_t n_enis;
	struct imp_ep *eps; /* owned */
	size_t n_eps;
	struct imp_vpc *vpcs; /* owned, at most n_eps */
	size_t n_vpcs;
	struct imp_ep *need_ifs; /* first endpoint with interfaces when
				    there is no interfaces file */
	size_t n_need_ifs;	 /* how many such endpoints */
};


/* ---- text helpers ------------------------------------------------------- */


/*
 * Copies @s for a message or a comment: at most SHOW_MAX bytes, and bytes
 * that could forge a line or break the quoting become '?'.
 */
static const char *
show(const char *s, char buf[SHOW_MAX])
{
	size_t i, o = 0;

	for (i = 0; s[i] != '\0' && o < SHOW_MAX - 4; i++)
		buf[o++] =
		    s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\'' ? s[i] : '?';
	if (s[i] != '\0') {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

/*
 * A DNS name of DnsEntries in the form the configuration stores: lower
 * case, no trailing dot, letters, digits, '-' and '_' (and a leading "*."
 * label).  False when @in is not such a name.
 */
static bool
norm_name(const char *in, char out[CATALOG_NAME_MAX])
{
	uint8_t wire[WIRE_MAX_NAME_LEN];
	size_t n = strlen(in), i;
	char c;

	if (n > 0 && in[n - 1] == '.')
		n--;
	if (n == 0 || n >= CATALOG_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		c = in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] - 'A' + 'a')
						 : in[i];
		if (!text_is_lower(c) && !text_is_digit(c) && c != '-' && c != '_' &&
		    c != '.' && !(c == '*' && i == 0 && in[1] == '.'))
			return false;
		out[i] = c;
	}
	out[n] = '\0';
	return wire_name_from_text(out, wire) != 0;
}

/* Under vpce.amazonaws.com or vpce.amazonaws.com.cn (SPEC 1.1). */
static bool
is_vpce_name(const char *name)
{
	return text_ends_with(name, ".vpce.amazonaws.com") ||
	       text_ends_with(name, ".vpce.amazonaws.com.cn");
}

/* ---- output text -------------------------------------------------------- */

/* Whether @s reads back as the same string when written plain. */
static bool
plain_ok(const char *s)
{
	static const char *const words[] = {"true", "false", "yes", "no", "on",
					    "off",  "null",  "y",   "n",  "~"};
	char *end;

	if (!text_is_lower(s[0]) && !text_is_digit(s[0]) && !(s[0] >= 'A' && s[0] <= 'Z'))
		return false;
	if (strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789._/-") != strlen(s))
		return false;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(s, words[i]) == 0)
			return false;
	(void)strtod(s, &end);
	return *end != '\0';
}

/* Writes @s as a YAML scalar: plain when safe, else double-quoted. */
static void
sb_scalar(struct strbuf *b, const char *s)
{
	if (plain_ok(s)) {
		strbuf_printf(b, "%s", s);
		return;
	}
	strbuf_printf(b, "\"");
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			strbuf_printf(b, "\\x%02x",
				      (unsigned)(unsigned char)*s);
		else
			strbuf_printf(b, "%c", *s);
	}
	strbuf_printf(b, "\"");
}

/* ---- messages ----------------------------------------------------------- */

static __attribute__((format(printf, 4, 0))) void
vadd(struct imp *im, const char *file, unsigned line, const char *fmt,
     va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (conf_errors_add(im->errs, file, line, "%s", msg) != VPC_OK)
		im->oom = true;
	im->nerr++;
}

/* Records "file:line: message" (line 0: "file: message"). */
static __attribute__((format(printf, 4, 5))) void
file_err(struct imp *im, const char *file, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(im, file, line, fmt, ap);
	va_end(ap);
}

/*
 * Records "file:line: List[i] (id): message" at the line of @at, else at
 * the line of the entry.
 */
static __attribute__((format(printf, 3, 4))) void
entry_err(struct entry *e, const yaml_node_t *at, const char *fmt, ...)
{
	char msg[400], vb[SHOW_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->id != NULL)
		file_err(
		    e->im, e->jd->j.file, json_line(at != NULL ? at : e->node),
		    "%s[%zu] (%s): %s", e->list, e->idx, show(e->id, vb), msg);
	else
		file_err(e->im, e->jd->j.file,
			 json_line(at != NULL ? at : e->node), "%s[%zu]: %s",
			 e->list, e->idx, msg);
	e->bad = true;
}

/* ---- reading the documents ---------------------------------------------- */

static void
jdoc_load(struct imp *im, struct jdoc *jd, const char *text, size_t len)
{
	int rc = json_doc_load(&jd->j, text, len, im->errs);

	if (rc == VPC_ENOMEM)
		im->oom = true;
	else if (rc != VPC_OK)
		im->nerr++;
}

/* The value of @key in @map, NULL when absent or null; a key given twice
 * is an error (JSON parsers disagree on which one wins). */
static const yaml_node_t *
jget(struct entry *e, const yaml_node_t *map, const char *key)
{
	const yaml_node_t *v = NULL, *k;
	const yaml_node_pair_t *p;
	const char *name;

	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		k = json_node(&e->jd->j, p->key);
		if ((name = json_str(k)) == NULL || strcmp(name, key) != 0)
			continue;
		if (v != NULL) {
			entry_err(e, k, "'%s' is given twice", key);
			return NULL;
		}
		v = json_node(&e->jd->j, p->value);
	}
	return v == NULL || json_is_null(v) ? NULL : v;
}

/* A string field: NULL when absent, empty or wrong (with a message). */
static const char *
jstr(struct entry *e, const yaml_node_t *map, const char *key, bool required)
{
	const yaml_node_t *v = jget(e, map, key);
	const char *s = json_str(v);

	if (v != NULL && s == NULL) {
		entry_err(e, v, "'%s' must be a string", key);
		return NULL;
	}
	if ((s == NULL || s[0] == '\0') && required)
		entry_err(e, v, "missing '%s'", key);
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* A boolean field: 1, 0, or -1 when absent or wrong (with a message). */
static int
jbool(struct entry *e, const yaml_node_t *map, const char *key)
{
	const yaml_node_t *v = jget(e, map, key);
	const char *s = json_str(v);

	if (v == NULL)
		return -1;
	if (s != NULL && strcasecmp(s, "true") == 0)
		return 1;
	if (s != NULL && strcasecmp(s, "false") == 0)
		return 0;
	entry_err(e, v, "'%s' must be true or false", key);
	return -1;
}

/* A list (or object, @kind) field: NULL when absent or wrong. */
static const yaml_node_t *
jnode(struct entry *e, const yaml_node_t *map, const char *key,
      yaml_node_type_t kind)
{
	const yaml_node_t *v = jget(e, map, key);

	if (v == NULL || v->type == kind)
		return v;
	entry_err(e, v, "'%s' must be %s", key,
		  kind == YAML_SEQUENCE_NODE ? "a list" : "an object");
	return NULL;
}

/* An enum field by @names (n of them): index, or -1 when absent or
 * wrong; @skip is a value that counts as absent. */
static int
jenum(struct entry *e, const yaml_node_t *map, const char *key,
      const char *const *names, size_t n, const char *skip)
{
	const char *s = jstr(e, map, key, false);
	char vb[SHOW_MAX];

	if (s == NULL || (skip != NULL && strcasecmp(s, skip) == 0))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(s, names[i]) == 0)
			return (int)i;
	entry_err(e, jget(e, map, key), "unknown %s '%s'", key, show(s, vb));
	return -1;
}

/* The list @key of the root object of @jd, or a message. */
static bool
root_list(struct imp *im, struct jdoc *jd, const char *key, const char *cmd)
{
	const yaml_node_t *root = json_root(&jd->j);
	const yaml_node_t *list = json_get(&jd->j, root, key);

	if (list != NULL && list->type == YAML_SEQUENCE_NODE) {
		jd->list = list;
		return true;
	}
	file_err(im, jd->j.file, json_line(list != NULL ? list : root),
		 "%s '%s' list (expected the output of `%s`)",
		 list != NULL ? "not a" : "no", key, cmd);
	return false;
}

/* ---- network interfaces ------------------------------------------------- */

static struct imp_eni *
find_eni(struct imp *im, const char *id)
{
	for (size_t i = 0; i < im->n_enis; i++)
		if (im->enis[i].id != NULL && strcmp(im->enis[i].id, id) == 0)
			return &im->enis[i];
	return NULL;
}

static void
read_interfaces(struct imp *im)
{
	const yaml_node_t *list = im->ifs.list;
	struct imp_eni *eni, *first;

	if ((im->enis = calloc(json_len(list) + 1, sizeof(*im->enis))) == NULL) {
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
			entry_err(&eni->e, NULL, "expected an object");
			continue;
		}
		eni->id = eni->e.id =
		    jstr(&eni->e, eni->e.node, "NetworkInterfaceId", true);
		eni->type = jstr(&eni->e, eni->e.node, "InterfaceType", false);
		if (eni->id != NULL && (first = find_eni(im, eni->id)) != NULL)
			entry_err(&eni->e, NULL,
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

	list = jnode(&eni->e, eni->e.node, "Ipv6Addresses", YAML_SEQUENCE_NODE);
	item = json_at(&eni->e.jd->j, list, 0);
	if (item != NULL && item->type == YAML_MAPPING_NODE)
		return jstr(&eni->e, item, "Ipv6Address", true);
	if (item != NULL)
		entry_err(&eni->e, item, "Ipv6Addresses[0] must be an object");
	return jstr(&eni->e, eni->e.node, "Ipv6Address", false);
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
		entry_err(&eni->e, NULL, "'%s' is not an %s address",
			  show(in, vb), family == AF_INET ? "IPv4" : "IPv6");
		out[0] = '\0';
	}
}

/* Fills @sn from network interface @eni (AZ and addresses). */
static void
read_subnet(struct imp_eni *eni, struct imp_subnet *sn)
{
	const char *az = jstr(&eni->e, eni->e.node, "AvailabilityZone", true);
	char region[CATALOG_REGION_MAX], vb[SHOW_MAX];

	sn->eni = eni;
	if (az != NULL && !awsid_az(az, region))
		entry_err(&eni->e,
			  jget(&eni->e, eni->e.node, "AvailabilityZone"),
			  "'%s' is not an Availability Zone name such as "
			  "us-east-1a",
			  show(az, vb));
	else if (az != NULL)
		snprintf(sn->az, sizeof(sn->az), "%s", az);
	canon_addr(eni, AF_INET,
		   jstr(&eni->e, eni->e.node, "PrivateIpAddress", false),
		   sn->ipv4, sizeof(sn->ipv4));
	canon_addr(eni, AF_INET6, eni_ipv6(eni), sn->ipv6, sizeof(sn->ipv6));
	if (!eni->e.bad && sn->ipv4[0] == '\0' && sn->ipv6[0] == '\0')
		entry_err(&eni->e, NULL,
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
		entry_err(&ep->e, at, "network interface %s is not in %s",
			  show(id, vb), im->ifs.j.file);
		return NULL;
	}
	/* Only endpoint interfaces carry endpoint addresses (SPEC Part 2:
	 * other interface types are ignored). */
	if (eni->type != NULL && strcmp(eni->type, "vpc_endpoint") != 0) {
		entry_err(&ep->e, at,
			  "network interface %s has InterfaceType '%s' in %s, "
			  "not vpc_endpoint",
			  show(id, vb), show(eni->type, tb), im->ifs.j.file);
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
			entry_err(&ep->e, ep->eni_ids,
				  "network interface %s has no %s address",
				  show(ep->subnets[i].eni->id, va),
				  ip == CONF_IP_IPV4 ? "IPv4" : "IPv6");
	for (size_t i = 1; i < ep->n_subnets; i++)
		if (strcmp(ep->subnets[i].az, ep->subnets[i - 1].az) == 0)
			entry_err(&ep->e, ep->eni_ids,
				  "network interfaces %s and %s are both in "
				  "%s (vpcdns has one per Availability Zone)",
				  show(ep->subnets[i - 1].eni->id, va),
				  show(ep->subnets[i].eni->id, vb),
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
			entry_err(&ep->e, item,
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
	const char *t = jstr(&ep->e, ep->e.node, "VpcEndpointType", true);
	char vb[SHOW_MAX];

	if (t == NULL)
		return false;
	for (size_t i = 0; i < sizeof(aws) / sizeof(aws[0]); i++) {
		if (strcasecmp(t, aws[i]) == 0) {
			ep->type = (enum conf_endpoint_type)i;
			return true;
		}
	}
	entry_err(&ep->e, jget(&ep->e, ep->e.node, "VpcEndpointType"),
		  "unknown VpcEndpointType '%s' (vpcdns imports Interface, "
		  "Gateway and Resource endpoints)",
		  show(t, vb));
	return false;
}

/* IpAddressType and DnsOptions. */
static void
read_ip_options(struct imp_ep *ep)
{
	const yaml_node_t *opts;

	ep->ip_type = jenum(&ep->e, ep->e.node, "IpAddressType",
			    conf_ip_type_names, CONF_IP_SERVICE_DEFINED, NULL);
	opts = jnode(&ep->e, ep->e.node, "DnsOptions", YAML_MAPPING_NODE);
	ep->rec_type = -1;
	ep->inbound_only = -1;
	if (opts == NULL)
		return;
	/* "not-specified" is how some AWS tools print "no value". */
	ep->rec_type =
	    jenum(&ep->e, opts, "DnsRecordIpType", conf_ip_type_names,
		  CONF_IP_SERVICE_DEFINED + 1, "not-specified");
	ep->inbound_only = jbool(&ep->e, opts, INBOUND_KEY);
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
	entry_err(&ep->e, NULL,
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
		ep->service =
		    jstr(&ep->e, ep->e.node, "ResourceConfigurationArn", true);
		return ep->service != NULL;
	}
	if ((ep->service = jstr(&ep->e, ep->e.node, "ServiceName", true)) ==
	    NULL)
		return false;
	if (ep->type == CONF_ENDPOINT_RESOURCE)
		return true;
	if (catalog_parse(ep->service, &ep->ref) != VPC_OK ||
	    strlen(ep->service) >= sizeof(ep->service_lc)) {
		entry_err(&ep->e, jget(&ep->e, ep->e.node, "ServiceName"),
			  "'%s' is not an AWS service name vpcdns knows",
			  show(ep->service, vb));
		return false;
	}
	if (ep->type == CONF_ENDPOINT_GATEWAY &&
	    !catalog_has_gateway(&ep->ref)) {
		entry_err(&ep->e, jget(&ep->e, ep->e.node, "ServiceName"),
			  "gateway endpoints exist only for S3 and DynamoDB, "
			  "not '%s'",
			  show(ep->service, vb));
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

	ep->e.id = jstr(&ep->e, ep->e.node, "VpcEndpointId", true);
	if (ep->e.id != NULL && !awsid_vpce_id(ep->e.id))
		entry_err(&ep->e, jget(&ep->e, ep->e.node, "VpcEndpointId"),
			  "VpcEndpointId is not vpce- and 1 to 17 lowercase "
			  "hex digits");
	ep->vpc = jstr(&ep->e, ep->e.node, "VpcId", true);
	if (ep->vpc != NULL && !awsid_vpc_id(ep->vpc))
		entry_err(&ep->e, jget(&ep->e, ep->e.node, "VpcId"),
			  "VpcId '%s' is not a VPC id", show(ep->vpc, vb));
	if (!read_type(ep) || ep->e.bad)
		return false;
	state = jstr(&ep->e, ep->e.node, "State", false);
	if (state != NULL && dead_state(state))
		snprintf(ep->skip, sizeof(ep->skip), "State is '%s'",
			 show(state, vb));
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
static bool
dns_entry(struct imp_ep *ep, size_t i, char out[CATALOG_NAME_MAX])
{
	const yaml_node_t *item = json_at(&ep->e.jd->j, ep->dns, i);
	const char *name;
	char vb[SHOW_MAX];

	if (item == NULL || item->type != YAML_MAPPING_NODE) {
		entry_err(&ep->e, item, "DnsEntries[%zu] must be an object", i);
		return false;
	}
	if ((name = jstr(&ep->e, item, "DnsName", true)) == NULL)
		return false;
	if (norm_name(name, out))
		return true;
	entry_err(&ep->e, jget(&ep->e, item, "DnsName"),
		  "DnsEntries[%zu].DnsName '%s' is not a DNS name", i,
		  show(name, vb));
	return false;
}

/* The private DNS names among DnsEntries: every name that is not a vpce
 * name (SPEC 1.1) nor, for a resource endpoint, a VPC Lattice name. */
static void
read_names(struct imp_ep *ep)
{
	char name[CATALOG_NAME_MAX];

	for (size_t i = 0; i < json_len(ep->dns); i++) {
		if (!dns_entry(ep, i, name) || is_vpce_name(name))
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
	ep->private_dns = jbool(&ep->e, ep->e.node, "PrivateDnsEnabled");
	ep->eni_ids = jnode(&ep->e, ep->e.node, "NetworkInterfaceIds",
			    YAML_SEQUENCE_NODE);
	ep->dns = jnode(&ep->e, ep->e.node, "DnsEntries", YAML_SEQUENCE_NODE);
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

static void
read_endpoints(struct imp *im)
{
	const yaml_node_t *list = im->ep.list;
	struct imp_ep *ep;

	if (json_len(list) == 0) {
		file_err(im, im->ep.j.file, json_line(list),
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
			entry_err(&ep->e, NULL, "expected an object");
		else
			read_endpoint(ep);
	}
}

/* Duplicate ids would make the configuration invalid. */
static void
check_ids(struct imp *im)
{
	for (size_t i = 0; i < im->n_eps; i++) {
		struct imp_ep *ep = &im->eps[i];

		for (size_t j = 0; j < i && ep->e.id != NULL; j++) {
			if (im->eps[j].e.id == NULL ||
			    strcmp(im->eps[j].e.id, ep->e.id) != 0)
				continue;
			entry_err(&ep->e, NULL,
				  "the same VpcEndpointId as VpcEndpoints[%zu]",
				  j);
			break;
		}
	}
}

/* ---- VPCs and Regions --------------------------------------------------- */

static bool
imported(const struct imp_ep *ep)
{
	return ep->skip[0] == '\0' && !ep->e.bad;
}

static void
group_vpcs(struct imp *im)
{
	struct imp_ep *ep;
	size_t v;

	if ((im->vpcs = calloc(im->n_eps, sizeof(*im->vpcs))) == NULL) {
		im->oom = true;
		return;
	}
	for (size_t i = 0; i < im->n_eps; i++) {
		ep = &im->eps[i];
		for (v = 0; v < im->n_vpcs; v++)
			if (strcmp(im->vpcs[v].id, ep->vpc) == 0)
				break;
		if (v == im->n_vpcs) {
			im->vpcs[v].id = ep->vpc;
			im->vpcs[v].first = ep;
			im->n_vpcs++;
		}
		ep->vpc_idx = v;
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
		if (ep->vpc_idx != v || !imported(ep))
			continue;
		for (size_t s = 0; s < ep->n_subnets; s++) {
			if (!awsid_az(ep->subnets[s].az, r))
				continue;
			if (vpc->region[0] == '\0') {
				memcpy(vpc->region, r, sizeof(r));
				vpc->region_from = "the Availability Zones of "
						   "its network interfaces";
			} else if (strcmp(vpc->region, r) != 0) {
				entry_err(&ep->e, NULL,
					  "network interface %s is in %s, "
					  "other interfaces of %s in %s",
					  show(ep->subnets[s].eni->id, vb), r,
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
		if (a->vpc_idx != v || !imported(a) ||
		    a->type == CONF_ENDPOINT_RESOURCE || a->ref.region[0] == 0)
			continue;
		n = 0;
		for (size_t j = 0; j < im->n_eps; j++) {
			b = &im->eps[j];
			n += b->vpc_idx == v && imported(b) &&
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

static size_t
n_imported(const struct imp *im, size_t v)
{
	size_t n = 0;

	for (size_t i = 0; i < im->n_eps; i++)
		n += im->eps[i].vpc_idx == v && imported(&im->eps[i]);
	return n;
}

/*
 * The Region of each VPC: where its endpoint interfaces are, else the
 * most common Region of its service names.  (An interface endpoint of a
 * global service always has interfaces, hence a Region.)
 */
static void
find_regions(struct imp *im)
{
	struct imp_vpc *vpc;

	for (size_t v = 0; v < im->n_vpcs; v++) {
		vpc = &im->vpcs[v];
		if (n_imported(im, v) == 0)
			continue;
		region_from_enis(im, v);
		if (vpc->region[0] == '\0')
			region_from_services(im, v);
		if (vpc->region[0] == '\0')
			entry_err(&vpc->first->e, NULL,
				  "cannot tell the Region of %s: no network "
				  "interface or service name has one",
				  vpc->id);
	}
}

/* ---- vpce names --------------------------------------------------------- */

/* What vpcdns serves for an interface endpoint (endpoint.c). */
struct vpce_check {
	char parent[CATALOG_NAME_MAX]; /* "<label>.<region>.<vpce domain>" */
	bool wildcard;		       /* S3: "*." in front (SPEC 1.1) */
	bool cross;		       /* cross-Region: no zonal names */
	bool regional;		       /* the regional name was seen */
	size_t n;		       /* vpce names seen */
};

static bool
vpce_expect(struct imp_ep *ep, struct vpce_check *vc)
{
	const char *vpc_region = ep->e.im->vpcs[ep->vpc_idx].region;
	const char *region = ep->ref.region[0] ? ep->ref.region : vpc_region;
	char label[CATALOG_NAME_MAX];
	int n;

	memset(vc, 0, sizeof(*vc));
	vc->wildcard =
	    ep->ref.entry != NULL && strcmp(ep->ref.service, "s3") == 0;
	vc->cross = ep->ref.region[0] && strcmp(ep->ref.region, vpc_region);
	if (catalog_vpce_label(&ep->ref, label, sizeof(label)) != VPC_OK)
		return false;
	n = snprintf(vc->parent, sizeof(vc->parent), "%s.%s.%s", label, region,
		     catalog_vpce_domain(&ep->ref));
	return n > 0 && (size_t)n < sizeof(vc->parent);
}

/* The subnet of @ep in Availability Zone @az (@len bytes), or NULL. */
static struct imp_subnet *
subnet_in(struct imp_ep *ep, const char *az, size_t len)
{
	for (size_t i = 0; i < ep->n_subnets; i++)
		if (strlen(ep->subnets[i].az) == len &&
		    memcmp(ep->subnets[i].az, az, len) == 0)
			return &ep->subnets[i];
	return NULL;
}

/* A zonal name "<id>-<suffix>-<az>" of AZ @az (up to @dot). */
static void
vpce_zonal(struct imp_ep *ep, struct vpce_check *vc, const yaml_node_t *at,
	   const char *name, const char *az, const char *dot)
{
	struct imp_subnet *sn = subnet_in(ep, az, (size_t)(dot - az));
	char vb[SHOW_MAX];

	if (vc->cross)
		entry_err(&ep->e, at,
			  "DnsEntries has the zonal name '%s', but a "
			  "cross-Region endpoint has none",
			  show(name, vb));
	else if (sn == NULL)
		entry_err(&ep->e, at,
			  "DnsEntries has the zonal name '%s' of an "
			  "Availability Zone without a network interface",
			  show(name, vb));
	else
		sn->zonal_seen = true;
}

/* One vpce name of DnsEntries: "[*.]<id>-<suffix>[-<az>].<parent>". */
static void
vpce_name(struct imp_ep *ep, struct vpce_check *vc, const yaml_node_t *at,
	  const char *name)
{
	bool wild = strncmp(name, "*.", 2) == 0;
	const char *body = wild ? name + 2 : name, *dot = strchr(body, '.');
	size_t idlen = strlen(ep->e.id);
	const char *rest = body + idlen + 1;
	char vb[SHOW_MAX];

	vc->n++;
	if (dot == NULL || strncmp(body, ep->e.id, idlen) != 0 ||
	    body[idlen] != '-' || dot - rest < ENDPOINT_SUFFIX_LEN ||
	    strspn(rest, "abcdefghijklmnopqrstuvwxyz0123456789") <
		ENDPOINT_SUFFIX_LEN ||
	    (rest[ENDPOINT_SUFFIX_LEN] != '.' &&
	     rest[ENDPOINT_SUFFIX_LEN] != '-')) {
		entry_err(&ep->e, at,
			  "DnsEntries name '%s' is not %s-<suffix>[-<az>] "
			  "under %s",
			  show(name, vb), ep->e.id, vc->parent);
		return;
	}
	if (strcmp(dot + 1, vc->parent) != 0 || wild != vc->wildcard) {
		entry_err(&ep->e, at,
			  "DnsEntries name '%s' differs from the names vpcdns "
			  "serves for this service (%s%s-<suffix>.%s)",
			  show(name, vb), vc->wildcard ? "*." : "", ep->e.id,
			  vc->parent);
		return;
	}
	if (ep->suffix[0] != '\0' &&
	    strncmp(ep->suffix, rest, ENDPOINT_SUFFIX_LEN) != 0) {
		entry_err(&ep->e, at,
			  "DnsEntries name '%s' has another suffix than '%s'",
			  show(name, vb), ep->suffix);
		return;
	}
	memcpy(ep->suffix, rest, ENDPOINT_SUFFIX_LEN);
	ep->suffix[ENDPOINT_SUFFIX_LEN] = '\0';
	if (rest[ENDPOINT_SUFFIX_LEN] == '.')
		vc->regional = true;
	else
		vpce_zonal(ep, vc, at, name, rest + ENDPOINT_SUFFIX_LEN + 1,
			   dot);
}

/*
 * SPEC Part 2: the suffix, the AZs and the names come from DnsEntries, so
 * every vpce name there must be one vpcdns serves, and every name vpcdns
 * serves must be there.
 */
static void
check_vpce_names(struct imp_ep *ep)
{
	char name[CATALOG_NAME_MAX], vb[SHOW_MAX];
	struct vpce_check vc;

	if (!vpce_expect(ep, &vc)) {
		entry_err(&ep->e, NULL, "its vpce names would be too long");
		return;
	}
	for (size_t i = 0; i < json_len(ep->dns); i++)
		if (dns_entry(ep, i, name) && is_vpce_name(name))
			vpce_name(ep, &vc, json_at(&ep->e.jd->j, ep->dns, i), name);
	if (vc.n == 0 || ep->e.bad)
		return;
	if (!vc.regional)
		entry_err(&ep->e, ep->dns,
			  "DnsEntries has no regional name (%s-%s.%s)",
			  ep->e.id, ep->suffix, vc.parent);
	for (size_t i = 0; i < ep->n_subnets && !vc.cross; i++)
		if (!ep->subnets[i].zonal_seen)
			entry_err(&ep->e, ep->dns,
				  "DnsEntries has no zonal name for %s, where "
				  "network interface %s is",
				  ep->subnets[i].az,
				  show(ep->subnets[i].eni->id, vb));
}

/* SPEC 1.3, 1.5a: inbound-only needs a gateway endpoint in the VPC. */
static void
check_inbound(struct imp *im, struct imp_ep *ep)
{
	const struct imp_ep *g;
	char vb[SHOW_MAX];

	if (ep->inbound_only != 1 || ep->type != CONF_ENDPOINT_INTERFACE)
		return;
	if (ep->private_dns == 0 || !catalog_has_gateway(&ep->ref)) {
		entry_err(&ep->e, NULL,
			  INBOUND_KEY " is true, which needs PrivateDnsEnabled "
				      "and an S3 or DynamoDB service");
		return;
	}
	for (size_t i = 0; i < im->n_eps; i++) {
		g = &im->eps[i];
		if (g->vpc_idx == ep->vpc_idx && imported(g) &&
		    g->type == CONF_ENDPOINT_GATEWAY &&
		    strcmp(g->service, ep->service) == 0)
			return;
	}
	entry_err(&ep->e, NULL,
		  INBOUND_KEY " is true, but %s has no Gateway endpoint for %s",
		  ep->vpc, show(ep->service, vb));
}

static void
check_endpoints(struct imp *im)
{
	struct imp_ep *ep;

	for (size_t i = 0; i < im->n_eps; i++) {
		ep = &im->eps[i];
		if (!imported(ep))
			continue;
		if (ep->type == CONF_ENDPOINT_INTERFACE)
			check_vpce_names(ep);
		check_inbound(im, ep);
	}
}

/* ---- writing the configuration ------------------------------------------ */

static void
emit_header(const struct imp *im, struct strbuf *b)
{
	char vb[SHOW_MAX];

	strbuf_printf(b,
		      "# vpcdns configuration generated by `vpcdns import` "
		      "from\n#   %s (aws ec2 describe-vpc-endpoints)\n",
		      show(im->ep.j.file, vb));
	if (im->have_ifs)
		strbuf_printf(b,
			      "#   %s (aws ec2 describe-network-interfaces)\n",
			      show(im->ifs.j.file, vb));
	strbuf_printf(
	    b,
	    "#\n"
	    "# One VPC per VpcId, with the DNS names of DnsEntries and the\n"
	    "# addresses of the endpoint network interfaces.  Check it with\n"
	    "# `vpcdns check -c FILE`.\n"
	    "#\n"
	    "# listen and upstreams are not set, so the defaults apply:\n"
	    "# 127.0.0.1 and ::1 port 53, and the nameservers of\n"
	    "# /etc/resolv.conf.  To change them, add for example:\n"
	    "#   listen:\n"
	    "#     - {address: 127.0.0.1, port: 5300}\n"
	    "#   upstreams: [127.0.0.1:15353]\n"
	    "# The first VPC has no clients, so every client is inside it.\n"
	    "# cidr-blocks (EC2 host names, PTR) are not in this output: add\n"
	    "# them from `aws ec2 describe-vpcs` if you need them.\n");
}

static void
emit_subnets(struct strbuf *b, const struct imp_ep *ep)
{
	const struct imp_subnet *sn;
	char vb[SHOW_MAX];

	if (ep->n_subnets == 0)
		return;
	strbuf_printf(b, "        subnets:\n");
	for (size_t i = 0; i < ep->n_subnets; i++) {
		sn = &ep->subnets[i];
		strbuf_printf(b, "          - {az: ");
		sb_scalar(b, sn->az);
		if (sn->ipv4[0] != '\0') {
			strbuf_printf(b, ", ipv4: ");
			sb_scalar(b, sn->ipv4);
		}
		if (sn->ipv6[0] != '\0') {
			strbuf_printf(b, ", ipv6: ");
			sb_scalar(b, sn->ipv6);
		}
		strbuf_printf(b, "}  # %s\n", show(sn->eni->id, vb));
	}
}

static void
emit_names(struct strbuf *b, const struct imp_ep *ep)
{
	if (ep->type == CONF_ENDPOINT_RESOURCE)
		strbuf_printf(b,
			      "        # the resource's names in DnsEntries\n");
	if (ep->n_unserved > 0)
		strbuf_printf(
		    b,
		    "        # (%zu VPC Lattice name(s) of DnsEntries are "
		    "not served)\n",
		    ep->n_unserved);
	if (!ep->override) {
		if (ep->type == CONF_ENDPOINT_INTERFACE && ep->n_names == 0 &&
		    ep->private_dns == 1 &&
		    catalog_private_names(&ep->ref, NULL, 0) > 0)
			strbuf_printf(
			    b, "        # DnsEntries list no private DNS "
			       "names: the service catalog's apply\n");
		return;
	}
	if (ep->type == CONF_ENDPOINT_INTERFACE && ep->ref.provider)
		strbuf_printf(b, "        # the provider's private DNS name in "
				 "DnsEntries (a CNAME to the vpce name)\n");
	else if (ep->type == CONF_ENDPOINT_INTERFACE)
		strbuf_printf(b,
			      "        # the names in DnsEntries, which differ "
			      "from the service catalog's\n");
	strbuf_printf(b, "        private-dns-names:\n");
	for (size_t i = 0; i < ep->n_names; i++) {
		strbuf_printf(b, "          - ");
		sb_scalar(b, ep->names[i]);
		strbuf_printf(b, "\n");
	}
}

static void
emit_flags(struct strbuf *b, const struct imp_ep *ep)
{
	if (ep->ip_type >= 0)
		strbuf_printf(b, "        ip-address-type: %s\n",
			      conf_ip_type_names[ep->ip_type]);
	if (ep->rec_type >= 0)
		strbuf_printf(b, "        dns-record-ip-type: %s\n",
			      conf_ip_type_names[ep->rec_type]);
	/* A gateway endpoint never has private DNS (old CLI output said
	 * true for DynamoDB gateways). */
	if (ep->type != CONF_ENDPOINT_GATEWAY && ep->private_dns >= 0)
		strbuf_printf(b, "        private-dns: %s\n",
			      ep->private_dns ? "true" : "false");
	/* Explicit: the configuration's default follows the VPC, AWS's is
	 * false (SPEC 1.5a). */
	if (ep->type == CONF_ENDPOINT_INTERFACE && ep->private_dns != 0 &&
	    catalog_has_gateway(&ep->ref))
		strbuf_printf(b,
			      "        private-dns-only-for-inbound-resolver-"
			      "endpoint: %s\n",
			      ep->inbound_only == 1 ? "true" : "false");
	if (ep->suffix[0] != '\0') {
		strbuf_printf(b, "        dns-suffix: ");
		sb_scalar(b, ep->suffix);
		strbuf_printf(b, "\n");
	} else if (ep->type == CONF_ENDPOINT_INTERFACE) {
		strbuf_printf(b, "        # no vpce names in DnsEntries: the "
				 "dns-suffix is derived from the id\n");
	}
}

static void
emit_endpoint(struct strbuf *b, const struct imp_ep *ep)
{
	char vb[SHOW_MAX];

	if (!imported(ep)) {
		strbuf_printf(
		    b, "      # VpcEndpoints[%zu] %s: not imported: %s\n",
		    ep->e.idx, show(ep->e.id, vb), ep->skip);
		return;
	}
	strbuf_printf(b, "      # VpcEndpoints[%zu]\n      - id: ", ep->e.idx);
	sb_scalar(b, ep->e.id);
	strbuf_printf(b, "\n        service: ");
	sb_scalar(b, ep->service);
	strbuf_printf(b, "\n        type: %s\n",
		      conf_endpoint_type_names[ep->type]);
	emit_flags(b, ep);
	emit_names(b, ep);
	emit_subnets(b, ep);
}

static void
emit_vpc(const struct imp *im, struct strbuf *b, size_t v, bool first)
{
	const struct imp_vpc *vpc = &im->vpcs[v];

	strbuf_printf(b, "  - id: ");
	sb_scalar(b, vpc->id);
	strbuf_printf(b, "\n    region: ");
	sb_scalar(b, vpc->region);
	strbuf_printf(b, "  # from %s\n", vpc->region_from);
	/* SPEC 1.5a: only one VPC may go without clients. */
	if (!first)
		strbuf_printf(b,
			      "    # Only one VPC may omit clients: list the "
			      "source ranges\n    # that are inside this VPC "
			      "(none until you do).\n    clients: []\n");
	strbuf_printf(b, "    endpoints:\n");
	for (size_t i = 0; i < im->n_eps; i++)
		if (im->eps[i].vpc_idx == v)
			emit_endpoint(b, &im->eps[i]);
}

static void
emit(const struct imp *im, struct strbuf *b)
{
	size_t n = 0;

	emit_header(im, b);
	for (size_t v = 0; v < im->n_vpcs; v++)
		n += n_imported(im, v) > 0;
	strbuf_printf(b, n > 0 ? "vpcs:\n" : "vpcs: []\n");
	for (size_t v = 0, done = 0; v < im->n_vpcs; v++)
		if (n_imported(im, v) > 0)
			emit_vpc(im, b, v, done++ == 0);
	for (size_t v = 0; v < im->n_vpcs; v++) {
		if (n_imported(im, v) > 0)
			continue;
		strbuf_printf(b, "# %s: no endpoint to import\n",
			      im->vpcs[v].id);
		for (size_t i = 0; i < im->n_eps; i++)
			if (im->eps[i].vpc_idx == v)
				emit_endpoint(b, &im->eps[i]);
	}
}

/* The generated text must load (SPEC Part 2): a failure here is a bug. */
static void
self_check(struct imp *im, const struct strbuf *b)
{
	struct conf_errors errs = {0};
	struct view_set *vs = NULL;
	struct conf *cf = NULL;
	int rc;

	rc = conf_load_string(b->p, b->len, GENERATED, &cf, &errs);
	if (rc == VPC_OK)
		rc = view_set_build(cf, &vs, &errs);
	if (rc == VPC_ENOMEM)
		im->oom = true;
	for (size_t i = 0; i < errs.n && rc != VPC_ENOMEM; i++)
		file_err(im, im->ep.j.file, 0,
			 "the generated configuration does not load: %s",
			 errs.msgs[i]);
	if (rc != VPC_OK && rc != VPC_ENOMEM && errs.n == 0)
		file_err(im, im->ep.j.file, 0,
			 "the generated configuration does not load: %s",
			 vpc_strerror(rc));
	view_set_free(vs);
	conf_free(cf);
	conf_errors_cleanup(&errs);
}

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
	jdoc_load(im, &im->ep, ep_text, ep_len);
	if (im->ep.j.loaded)
		root_list(im, &im->ep, "VpcEndpoints",
			  "aws ec2 describe-vpc-endpoints");
	if (!im->have_ifs)
		return;
	jdoc_load(im, &im->ifs, if_text, if_len);
	if (im->ifs.j.loaded)
		root_list(im, &im->ifs, "NetworkInterfaces",
			  "aws ec2 describe-network-interfaces");
}

static void
read_inputs(struct imp *im)
{
	if (im->have_ifs)
		read_interfaces(im);
	if (!im->oom)
		read_endpoints(im);
	if (!im->oom)
		check_ids(im);
	if (im->n_need_ifs == 0)
		return;
	/* SPEC Part 2: the addresses come from the interfaces, so an
	 * interface endpoint cannot be imported without them. */
	entry_err(&im->need_ifs->e, im->need_ifs->eni_ids,
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
	im.ifs.j.file = interfaces_name != NULL ? interfaces_name : "interfaces";
	im.have_ifs = interfaces_json != NULL;
	load_inputs(&im, endpoints_json, len1, interfaces_json, len2);
	if (ok(&im))
		read_inputs(&im);
	if (ok(&im))
		group_vpcs(&im);
	if (ok(&im))
		find_regions(&im);
	if (ok(&im))
		check_endpoints(&im);
	if (ok(&im)) {
		emit(&im, &b);
		im.oom |= b.failed;
	}
	if (ok(&im))
		self_check(&im, &b);
	rc = im.oom ? VPC_ENOMEM : im.nerr > 0 ? VPC_ECONFIG : VPC_OK;
	if (rc == VPC_OK) {
		*out_yaml = b.p; /* ownership moves to the caller */
		b.p = NULL;
	}
	free(b.p);
	imp_cleanup(&im);
	return rc;
}
