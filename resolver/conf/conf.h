/*
 * resolver/conf/conf.h - configuration: parse and validate the YAML file.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * conf_load_*() turn the YAML of SPEC.md Part 2 into an immutable
 * struct conf, or into a list of "file:line: message" errors.  Nothing
 * here opens a socket or a file: files are read through the caller's
 * struct reader (util/reader.h).  Zone files are loaded later by
 * the zone_ module from the paths stored here (already made absolute
 * relative to the configuration file).  A struct conf is owned by whoever
 * loaded it and released with conf_free(); nothing in it changes after
 * load, so it may be shared by reference.
 */
#ifndef RESOLVER_CONF_CONF_H
#define RESOLVER_CONF_CONF_H

#include <sys/socket.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONF_DEFAULT_PORT 53
/* dnssec-trust-anchors when absent: the root zone's KSK as Debian's
 * dns-root-data package ships it. */
#define CONF_ROOT_KEY "/usr/share/dns/root.key"

struct validator_anchors;

struct reader;

/* An address with a port: a listener or a forwarder target. */
struct conf_sockaddr {
	struct sockaddr_storage ss; /* AF_INET or AF_INET6, port set */
	socklen_t len;              /* sizeof the used sockaddr_in{,6} */
};

/* An address prefix such as 10.0.0.0/16 or fd00::/8. */
struct conf_cidr {
	int family;       /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order; IPv4 uses the first 4 bytes,
			     host bits are zero */
	unsigned prefix;  /* 0..32 or 0..128 */
};

/* What a listener speaks (Route 53 Resolver endpoint Protocols). */
enum conf_protocol {
	CONF_PROTOCOL_DO53,     /* DNS over UDP and TCP on port */
	CONF_PROTOCOL_DOH,      /* DNS over HTTPS (RFC 8484) on doh-port */
	CONF_PROTOCOL_DOH_FIPS, /* the same; FIPS is the TLS library's */
};

struct conf_listen {
	struct conf_sockaddr addr; /* address and port to bind */
	char *inbound;             /* VPC id of an inbound resolver
				      endpoint, NULL when not inbound */
	bool proxy_protocol;       /* every datagram and TCP stream starts
				      with a PROXY v2 header; default false */
	struct conf_cidr *proxy_from; /* sources whose headers are
					 believed; NULL unless
					 proxy_protocol */
	size_t n_proxy_from;
	enum conf_protocol *protocols; /* default [do53] */
	size_t n_protocols;
	bool do53;                 /* protocols has do53 */
	bool doh;                  /* protocols has doh or doh-fips */
	bool delegation;           /* an INBOUND_DELEGATION endpoint: answers
				      only from the VPC's hosted zones;
				      default false */
	uint32_t doh_port;         /* TCP port of DoH, default 443 */
	char *tls_certificate;     /* PEM file, absolute; NULL without doh */
	char *tls_key;             /* PEM file, absolute; NULL without doh */
	unsigned line;             /* line of the entry in the file */
};

enum conf_endpoint_type {
	CONF_ENDPOINT_INTERFACE,
	CONF_ENDPOINT_GATEWAY,
	CONF_ENDPOINT_RESOURCE,
};

enum conf_ip_type {
	CONF_IP_IPV4,
	CONF_IP_DUALSTACK,
	CONF_IP_IPV6,
	CONF_IP_SERVICE_DEFINED, /* only for dns-record-ip-type */
};

/* One network interface of an endpoint, in one Availability Zone. */
struct conf_subnet {
	char *az;          /* e.g. "us-east-1a" */
	bool has_ipv4;     /* false for IPv6-only subnets */
	uint8_t ipv4[4];   /* network order; 0 while ipv4_host is set */
	bool has_ipv6;     /* false when the subnet has no IPv6 address */
	uint8_t ipv6[16];  /* network order; 0 while ipv6_host is set */
	char *ipv4_text;   /* the `ipv4` value as written, owned */
	char *ipv6_text;   /* the `ipv6` value as written, owned */
	const char *ipv4_host; /* a host name given as `ipv4` (its A
				  records are the address), borrowed from
				  ipv4_text; NULL for an address */
	const char *ipv6_host; /* the same for `ipv6` (AAAA records) */
	unsigned line;
};

struct conf_endpoint {
	char *id;                        /* "vpce-..." */
	char *service;                   /* "com.amazonaws.us-east-1.s3" */
	enum conf_endpoint_type type;    /* default interface */
	bool private_dns;                /* default: true for interface
					    and resource, false for gateway */
	char *dns_suffix;                /* 8 chars, NULL = derive from id */
	enum conf_ip_type ip_address_type;    /* default ipv4 */
	enum conf_ip_type dns_record_ip_type; /* default ip_address_type
						 (gateway: service-defined) */
	bool inbound_only;               /* private-dns-only-for-inbound-
					    resolver-endpoint (resolved
					    default, SPEC 1.5a) */
	char **private_dns_names;        /* override of the catalog */
	size_t n_private_dns_names;
	bool private_dns_names_set;      /* key present (even if empty) */
	struct conf_subnet *subnets;
	size_t n_subnets;
	unsigned line;
};

/* How a hosted zone's file is read (hosted-zones[].format). */
enum conf_zone_format {
	CONF_ZONE_AUTO,      /* absent: detected by content */
	CONF_ZONE_FILE,      /* "zone": an RFC 1035 master file */
	CONF_ZONE_ROUTE53,   /* "route53-json": record-set JSON */
	CONF_ZONE_TERRAFORM, /* "terraform": show -json or a tfstate */
};

/* EC2 hostname types (PrivateDnsNameOptions.HostnameType). */
enum conf_hostname_type {
	CONF_HOSTNAME_IP_NAME,       /* ip-10-0-1-15.ec2.internal */
	CONF_HOSTNAME_RESOURCE_NAME, /* i-0123456789abcdef0.ec2.internal */
};

/* An EC2 instance of the VPC (`instances:`, from describe-instances):
 * its resource name and public DNS name answer inside the VPC. */
struct conf_instance {
	char *id;                  /* "i-" and 8 or 17 hex digits */
	bool has_ipv4;
	uint8_t ipv4[4];           /* private IPv4, network order */
	bool has_ipv6;
	uint8_t ipv6[16];          /* IPv6 address, network order */
	bool has_public_ipv4;
	uint8_t public_ipv4[4];    /* its public DNS name answers ipv4 */
	enum conf_hostname_type hostname_type; /* the subnet's at launch;
						  default ip-name */
	bool resource_name_a;      /* enable-resource-name-dns-a-record */
	bool resource_name_aaaa;   /* enable-resource-name-dns-aaaa-record */
	unsigned line;
};

struct conf_hosted_zone {
	char *name;    /* zone apex in text, no trailing dot */
	char *file;    /* absolute or configuration-relative-resolved path */
	enum conf_zone_format format; /* default CONF_ZONE_AUTO */
	unsigned line;
};

enum conf_hc_type {
	CONF_HC_STATIC, /* always the configured status */
	CONF_HC_TCP,    /* healthy while a TCP connect succeeds */
	CONF_HC_HTTP,   /* healthy while GET answers 2xx or 3xx */
};

/* A Route 53 health check, referred to by record sets' HealthCheckId. */
struct conf_health_check {
	char *id;                  /* HealthCheckId */
	enum conf_hc_type type;    /* default static */
	bool healthy;              /* status: up (default) or down; for tcp
				      and http the state before the first
				      check */
	struct conf_sockaddr addr; /* tcp, http: target; family 0 = none */
	char *path;                /* http: request path, default "/" */
	uint32_t interval;         /* seconds between checks, default 10 */
	uint32_t failure_threshold; /* consecutive results that flip the
				      state, default 3 (Route 53's) */
	unsigned line;
};

enum conf_rule_type {
	CONF_RULE_FORWARD, /* send the domain to the targets */
	CONF_RULE_SYSTEM,  /* resolve normally, overriding a broader
			      forward rule */
	CONF_RULE_DELEGATE, /* follow the NS records a private hosted zone
			       has for the domain (Route 53 DELEGATE) */
};

/* A Route 53 Resolver rule (SPEC 1.5). */
struct conf_rule {
	char *domain;              /* lower case, no trailing dot; "." is
				      the root */
	enum conf_rule_type type;
	char **targets;            /* forward: "ADDR[:PORT]" or
				      "HOST[:PORT]" as written; resolved when
				      the configuration is loaded */
	size_t n_targets;
	enum conf_protocol protocol; /* forward: how targets are asked,
					do53 (default) or doh */
	char *server_name;         /* doh: TLS SNI and certificate name,
				      NULL = the target's address */
	char *ca_file;             /* doh: CA bundle (PEM), absolute; NULL =
				      the system's */
	char *doh_path;            /* doh: request path, default /dns-query */
	unsigned line;
};

enum conf_fw_action {
	CONF_FW_ALLOW,
	CONF_FW_BLOCK,
	CONF_FW_ALERT,
};

enum conf_fw_block {
	CONF_FW_NODATA,
	CONF_FW_NXDOMAIN,
	CONF_FW_OVERRIDE,
};

/*
 * The configuration's name of each value of the enums above, indexed by
 * value and ended by NULL: the one table per enum that the parser, the
 * importer, `vpcdns check` and the explanations all print from.
 */
extern const char *const conf_endpoint_type_names[];
extern const char *const conf_ip_type_names[];
extern const char *const conf_rule_type_names[];
extern const char *const conf_fw_action_names[];
extern const char *const conf_fw_block_names[];

/* FirewallDomainRedirectionAction: which names of a CNAME/DNAME chain
 * the rule's list must hold. */
enum conf_fw_redirection {
	CONF_FW_INSPECT, /* every name of the chain (AWS default) */
	CONF_FW_TRUST,   /* the first name only; the rest is trusted */
};

/* A DNS Firewall rule (SPEC 1.5, 1.5a). */
struct conf_fw_rule {
	unsigned priority;         /* lower first; unique within a list */
	char *name;                /* "name:" or "rule-<priority>" */
	char **domains;            /* inline "domains:" plus the lines of
				      "domains-file:", lower case, no trailing
				      dot, "*." kept; "*" alone matches
				      every name */
	size_t n_domains;
	char *domains_file;        /* resolved path, NULL when absent */
	enum conf_fw_action action;
	enum conf_fw_block block_response; /* default nodata */
	char *override_domain;     /* block-override-domain, NULL if none */
	uint16_t override_type;    /* block-override-dns-type: CNAME (5) */
	uint32_t override_ttl;     /* block-override-ttl, default 0 */
	char *qtype_text;          /* qtype as written, NULL = every type */
	uint16_t qtype;            /* its RR type, 0 = every type */
	enum conf_fw_redirection redirection; /* default inspect */
	unsigned line;
};

/* A VPC's association with a profile (vpcs[].profiles[]): a name, or
 * {name, priority}; AWS profile association priorities are 100..9900,
 * lower evaluated first. */
struct conf_profile_ref {
	char *name;
	uint32_t priority;         /* when priority_set */
	bool priority_set;         /* false: after every explicit priority,
				      in the order written */
	unsigned line;
};

/* A Route 53 Profile: zones, rules and firewall rules shared by VPCs. */
struct conf_profile {
	char *name;
	struct conf_hosted_zone *hosted_zones;
	size_t n_hosted_zones;
	struct conf_rule *rules;
	size_t n_rules;
	struct conf_fw_rule *firewall;
	size_t n_firewall;
	unsigned line;
};

struct conf_vpc {
	char *id;                         /* "vpc-..." */
	char *region;                     /* "us-east-1" */
	struct conf_cidr *cidr_blocks;
	size_t n_cidr_blocks;
	struct conf_cidr *clients;        /* source ranges inside the VPC */
	size_t n_clients;
	bool clients_set;                 /* false: every unmatched client */
	struct conf_endpoint *endpoints;
	size_t n_endpoints;
	struct conf_hosted_zone *hosted_zones;
	size_t n_hosted_zones;
	struct conf_rule *rules;
	size_t n_rules;
	struct conf_fw_rule *firewall;
	size_t n_firewall;
	struct conf_profile_ref *profile_refs; /* "profiles:" as written */
	size_t n_profile_refs;
	size_t *profiles;                 /* indexes into conf->profiles,
					     in evaluation order: by priority,
					     then as written */
	size_t n_profiles;
	bool enable_dns_hostnames;        /* SPEC 1.7, default true */
	struct conf_cidr *dns64;          /* client ranges (subnets) with
					     DNS64, engine/dns64.h */
	size_t n_dns64;
	struct conf_instance *instances;  /* EC2 instances, engine/ec2.h */
	size_t n_instances;
	bool autodefined_reverse;         /* autodefined-reverse, default
					     true: the private ranges'
					     reverse zones (engine/reserved.h) */
	bool dnssec_validation;           /* dnssec-validation: validate
					     the default upstreams' answers
					     (engine/validator.h) */
	bool firewall_fail_open;          /* AWS FirewallConfig
					     FirewallFailOpen; accepted, no
					     effect: the local firewall is
					     never unavailable */
	unsigned line;
};

struct conf {
	char *path;                       /* the file it came from */
	const struct reader *reader;      /* what its files are read
					     through (borrowed, util/reader.h);
					     NULL: none can be */
	char **include;                   /* include: as written, made
					     absolute (patterns kept); a
					     watcher watches each directory,
					     or a pattern's directory, for
					     new snippets */
	size_t n_include;
	char **files;                     /* the snippets read, in merge
					     order; lines of their entries
					     are locations (conf_loc_file) */
	size_t n_files;
	struct conf_listen *listen;       /* default 127.0.0.1 and ::1:53 */
	size_t n_listen;
	bool listen_set;                  /* listen: given (false: the
					     defaults, ::1 skipped when IPv6
					     is unavailable) */
	struct conf_sockaddr *upstreams;  /* empty (and no upstream_hosts):
					     /etc/resolv.conf */
	size_t n_upstreams;
	char **upstream_specs;            /* `upstreams:` as written; split
					     into the two lists below and
					     emptied by the load */
	size_t n_upstream_specs;
	char **upstream_hosts;            /* "HOST[:PORT]" upstreams, from
					     the file or --upstream
					     (conf_override()); resolved by
					     the daemon */
	size_t n_upstream_hosts;
	char **trust_anchors;             /* dnssec-trust-anchors: files of
					     DS/DNSKEY records; empty: the
					     root key (CONF_ROOT_KEY) */
	size_t n_trust_anchors;
	struct validator_anchors *anchors; /* their records, owned; NULL
					     when no VPC validates */
	uint32_t cache_max_entries;       /* default 100000, 0 disables */
	uint32_t cache_max_ttl;           /* seconds, default 86400 */
	uint32_t cache_max_bytes;         /* default 256 MiB, 0 = no bound */
	bool cache_serve_stale;           /* RFC 8767, default false */
	bool cache_prefetch;              /* refresh hits near expiry,
					     default true */
	uint32_t cache_stale_answer_ttl;  /* seconds, default 30 */
	uint32_t cache_max_stale_ttl;     /* seconds, default 86400 */
	struct conf_vpc *vpcs;
	size_t n_vpcs;
	struct conf_profile *profiles;
	size_t n_profiles;
	struct conf_cidr *allow_query;    /* sources that may query; default
					     loopback, the private ranges and
					     every VPC's clients/cidr-blocks */
	size_t n_allow_query;
	bool query_log;                   /* query-log: present */
	char *query_log_path;             /* "-" = stdout; resolved path */
	char *query_log_account;          /* default "000000000000" */
	bool watch;                       /* watch: reload when the file, a
					     zone file or a domains-file
					     changes; default false */
	bool simulate_aws_limits;         /* simulate-aws-limits: at most
					     aws_pps packets/s per client
					     address, excess dropped */
	uint32_t rrl_rate;                /* rate-limit.responses-per-second:
					     large UDP answers per second per
					     non-local /24 (/56); 0 = off;
					     default 50 */
	uint32_t rrl_min_size;            /* rate-limit.min-size: bytes from
					     which an answer is large;
					     default 1024 */
	struct conf_health_check *health_checks; /* health-checks: */
	size_t n_health_checks;
	bool metrics;                     /* metrics: present */
	struct conf_sockaddr metrics_addr; /* default 127.0.0.1:9153 */
	/* Limits; their defaults are in the table (conf.c, conf/README.md). */
	uint32_t aws_pps;                 /* aws-packets-per-second: the
					     simulate-aws-limits rate */
	uint32_t limit_sources;           /* rate-limit.tracked-sources: per
					     limiter, so memory is bounded */
	uint32_t tcp_idle_ms;             /* tcp.idle-timeout-ms */
	uint32_t tcp_max_conns;           /* tcp.max-connections */
	uint32_t tcp_max_inflight;        /* tcp.max-in-flight, per
					     connection; reading pauses */
	uint32_t fwd_timeout_ms;          /* forwarding.timeout-ms */
	uint32_t fwd_tries;               /* forwarding.tries */
	uint32_t fwd_max_inflight;        /* forwarding.max-in-flight: beyond
					     it, SERVFAIL at once */
	uint32_t workers;                 /* workers: query loops (threads);
					     0: the number of online CPUs,
					     which only the edge knows */
};

/* Errors collected by a load, each "file:line: message". */
struct conf_errors {
	char **msgs;
	size_t n;
};

/**
 * conf_load_file() - read and validate a configuration file.
 * @rd:   [in] what every file is read through (the file itself, include:
 *        snippets, domains-files and, when the view set is built, zone
 *        files): io/files.h's files_reader, or a test's map of texts.
 *        Borrowed and kept in the struct conf: it must outlive it.
 * @path: [in] file to read.
 * @out:  [out] on success, a new struct conf owned by the caller.
 * @errs: [in,out] every problem found is appended as "file:line: message"
 *        (file = @path as given); the caller releases it with
 *        conf_errors_cleanup().
 *
 * Return: VPC_OK; VPC_ECONFIG when at least one error was appended;
 * VPC_EIO when the file cannot be read (also appended); VPC_ENOMEM.
 */
int conf_load_file(const struct reader *rd, const char *path,
		   struct conf **out, struct conf_errors *errs);

/**
 * conf_load_string() - as conf_load_file() from @len bytes of @text;
 * @path names the text in messages and anchors relative zone paths.
 * `include:` is refused (only a configuration file may include); the
 * files the text names are read through @rd, and none can be when @rd is
 * NULL ("cannot read ...: No such file or directory").
 */
int conf_load_string(const struct reader *rd, const char *text, size_t len,
		     const char *path, struct conf **out,
		     struct conf_errors *errs);

/**
 * conf_loc_file() - the file and line of a `line` field of @cf (a
 * location: entries merged from an `include` snippet carry its number).
 * @loc:  [in] a line field of something in @cf.
 * @line: [out] the line within the returned file.
 * Return: cf->path or one of cf->files (borrowed from @cf).
 */
const char *conf_loc_file(const struct conf *cf, unsigned loc,
			  unsigned *line);

/** conf_free() - release a configuration; NULL is a no-op. */
void conf_free(struct conf *cf);

/**
 * conf_errors_add() - append "file:line: message" to @errs; with @line 0
 * (a problem of the whole file, e.g. unreadable) "file: message".
 * Return: VPC_OK or VPC_ENOMEM.
 */
int conf_errors_add(struct conf_errors *errs, const char *file, unsigned line,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * conf_errors_at() - as conf_errors_add() at a `line` field @loc of
 * something in @cf: the message names the file it came from (the main
 * file, or an `include` snippet; see conf_loc_file()).
 * Return: VPC_OK or VPC_ENOMEM.
 */
int conf_errors_at(struct conf_errors *errs, const struct conf *cf,
		   unsigned loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/** conf_errors_cleanup() - release the messages; @errs may be reused. */
void conf_errors_cleanup(struct conf_errors *errs);

/**
 * conf_valid_target() - whether @s is a forward target: ADDR, ADDR:PORT,
 * [V6], [V6]:PORT, V6, HOST or HOST:PORT (port 1..65535; a host name of
 * RFC 1123 labels, '_' allowed, not all digits).
 */
bool conf_valid_target(const char *s);

/**
 * conf_parse_sockaddr() - parse "ADDR", "ADDR:PORT", "[V6]:PORT" or a bare
 * IPv6 address into @out, using @default_port when no port is given.
 * Return: VPC_OK or VPC_EMALFORMED.
 */
int conf_parse_sockaddr(const char *text, uint16_t default_port,
			struct conf_sockaddr *out);

/**
 * conf_format_sockaddr() - the inverse of conf_parse_sockaddr():
 * "ADDR:PORT" or "[V6]:PORT" of an AF_INET/AF_INET6 @sa into @out
 * (always NUL-terminated; "?" for another family).
 * Return: @out.
 */
const char *conf_format_sockaddr(const struct sockaddr *sa, char *out,
				 size_t len);

/**
 * conf_parse_cidr() - parse "10.0.0.0/16", "fd00::/8" or a bare address
 * (a /32 or /128).  Host bits must be zero.
 * Return: VPC_OK or VPC_EMALFORMED.
 */
int conf_parse_cidr(const char *text, struct conf_cidr *out);

/**
 * conf_cidr_match() - whether the address of @sa (AF_INET or AF_INET6;
 * an IPv4-mapped IPv6 address counts as IPv4; the port is ignored) lies
 * in one of the @n prefixes of @list.
 * Return: true on a match; false otherwise and for other families.
 */
bool conf_cidr_match(const struct conf_cidr *list, size_t n,
		     const struct sockaddr *sa);

#endif /* RESOLVER_CONF_CONF_H */
