/*
 * resolver/conf/import_internal.h - declarations shared by the importer's
 * parts (import.c, import_json.c, import_model.c, import_vpce.c,
 * import_yaml.c).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * The model every phase works on (struct imp and what it owns) and the
 * functions one part offers the others.  Not a contract: import.h is.
 */
#ifndef RESOLVER_CONF_IMPORT_INTERNAL_H
#define RESOLVER_CONF_IMPORT_INTERNAL_H

#include <arpa/inet.h>

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "conf/conf.h"
#include "conf/conf_internal.h"
#include "conf/json.h"
#include "engine/catalog.h"
#include "engine/endpoint.h"
#include "util/strbuf.h"

/* Bytes of an input value quoted in a message (conf_show()). */
#define SHOW_MAX CONF_SHOW_MAX
#define AZ_MAX 48   /* bytes of an Availability Zone name and NUL */
#define GENERATED "(generated)"
#define LATTICE_LABEL "vpc-lattice-rsc"
#define INBOUND_KEY "PrivateDnsOnlyForInboundResolverEndpoint"

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

/* An instance of Reservations[].Instances[] (describe-instances). */
struct imp_inst {
	struct entry e;		     /* list "Instances", id InstanceId */
	size_t reservation;	     /* index in Reservations */
	const char *vpc;	     /* VpcId, NULL: not in a VPC */
	char region[CATALOG_REGION_MAX]; /* of its AZ, "" = unknown */
	char ipv4[INET_ADDRSTRLEN];  /* PrivateIpAddress, "" = none */
	char ipv6[INET6_ADDRSTRLEN]; /* "" = none */
	char pub[INET_ADDRSTRLEN];   /* PublicIpAddress, "" = none */
	int hostname_type;	     /* enum conf_hostname_type, -1 absent */
	int rn_a, rn_aaaa;	     /* EnableResourceNameDns{A,AAAA}Record:
					1, 0, -1 = absent */
	char skip[64];		     /* why it is not imported, "" = it is */
	size_t vpc_idx;		     /* index in imp.vpcs */
};

struct imp_vpc {
	const char *id;			 /* VpcId, borrowed */
	char region[CATALOG_REGION_MAX]; /* "" until known */
	const char *region_from;	 /* how it was found, for a comment */
	struct imp_ep *first;		 /* its first endpoint, for messages;
					    NULL for instances only */
	struct imp_inst *first_inst;	 /* its first instance, or NULL */
};

struct imp {
	struct conf_errors *errs; /* where messages go */
	size_t nerr;		  /* messages added by this import */
	bool oom;		  /* an allocation failed (sticky) */
	struct jdoc ep;		  /* describe-vpc-endpoints */
	struct jdoc ifs;	  /* describe-network-interfaces */
	bool have_ifs;		  /* the interfaces file was given */
	bool have_eps;		  /* the endpoints file was given */
	struct jdoc ins;	  /* describe-instances */
	bool have_ins;		  /* the instances file was given */
	struct imp_inst *insts;	  /* owned */
	size_t n_insts;
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

/* ---- import_json.c ---- */

/*
 * A DNS name of DnsEntries in the form the configuration stores: lower
 * case, no trailing dot, letters, digits, '-' and '_' (and a leading "*."
 * label).  False when @in is not such a name.
 */
bool import_norm_name(const char *in, char out[CATALOG_NAME_MAX]);

/* Under vpce.amazonaws.com or vpce.amazonaws.com.cn (SPEC 1.1). */
bool import_is_vpce_name(const char *name);

/* Records "file:line: message" (line 0: "file: message"). */
__attribute__((format(printf, 4, 5))) void
import_file_err(struct imp *im, const char *file, unsigned line,
		const char *fmt, ...);

/*
 * Records "file:line: List[i] (id): message" at the line of @at, else at
 * the line of the entry.
 */
__attribute__((format(printf, 3, 4))) void
import_entry_err(struct entry *e, const yaml_node_t *at, const char *fmt, ...);

void import_jdoc_load(struct imp *im, struct jdoc *jd, const char *text,
		      size_t len);

/* The value of @key in @map, NULL when absent or null; a key given twice
 * is an error (JSON parsers disagree on which one wins). */
const yaml_node_t *import_jget(struct entry *e, const yaml_node_t *map,
			       const char *key);

/* A string field: NULL when absent, empty or wrong (with a message). */
const char *import_jstr(struct entry *e, const yaml_node_t *map,
			const char *key, bool required);

/* A boolean field: 1, 0, or -1 when absent or wrong (with a message). */
int import_jbool(struct entry *e, const yaml_node_t *map, const char *key);

/* A list (or object, @kind) field: NULL when absent or wrong. */
const yaml_node_t *import_jnode(struct entry *e, const yaml_node_t *map,
				const char *key, yaml_node_type_t kind);

/* An enum field by @names (n of them): index, or -1 when absent or
 * wrong; @skip is a value that counts as absent. */
int import_jenum(struct entry *e, const yaml_node_t *map, const char *key,
		 const char *const *names, size_t n, const char *skip);

/* The list @key of the root object of @jd, or a message. */
bool import_root_list(struct imp *im, struct jdoc *jd, const char *key,
		      const char *cmd);

/* ---- import_model.c ---- */

void import_read_interfaces(struct imp *im);

/* The DnsName of DnsEntries[@i], normalized, or false (with a message). */
bool import_dns_entry(struct imp_ep *ep, size_t i, char out[CATALOG_NAME_MAX]);

void import_read_endpoints(struct imp *im);

/* Duplicate ids would make the configuration invalid. */
void import_check_ids(struct imp *im);

bool import_imported(const struct imp_ep *ep);

void import_group_vpcs(struct imp *im);

size_t import_n_imported(const struct imp *im, size_t v);

/*
 * The Region of each VPC: where its endpoint interfaces are, else the
 * most common Region of its service names.  (An interface endpoint of a
 * global service always has interfaces, hence a Region.)
 */
void import_find_regions(struct imp *im);

/* ---- import_instances.c ---- */

void import_read_instances(struct imp *im);

bool import_inst_imported(const struct imp_inst *in);

/* Imported instances of VPC @v. */
size_t import_n_instances(const struct imp *im, size_t v);

/* The VPC's Region from its instances' Placement, or a message when
 * they disagree with it. */
void import_instance_regions(struct imp *im, size_t v);

/* cidr-blocks and instances: of VPC @v. */
void import_emit_instances(const struct imp *im, struct strbuf *b, size_t v);

/* ---- import_vpce.c ---- */

void import_check_endpoints(struct imp *im);

/* ---- import_yaml.c ---- */

void import_emit(const struct imp *im, struct strbuf *b);

/* The generated text must load (SPEC Part 2): a failure here is a bug. */
void import_self_check(struct imp *im, const struct strbuf *b);

/* The first input file, for messages about the whole import. */
const char *import_main_file(const struct imp *im);

#endif /* RESOLVER_CONF_IMPORT_INTERNAL_H */
