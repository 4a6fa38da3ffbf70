/*
 * resolver/cli/main.c - command line: run the daemon or check a configuration.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Parses the command line of SPEC Part 2 and dispatches.  The only place
 * that calls exit() (through the return of main()).
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "engine/answer.h"
#include "conf/conf.h"
#include "io/daemon.h"
#include "conf/import.h"
#include "conf/quickstart.h"
#include "engine/endpoint.h"
#include "util/err.h"
#include "util/log.h"
#include "engine/view.h"
#include "dns/wire.h"
#include "engine/zone.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
		"usage: vpcdns [-c FILE] [-d]         run the resolver\n"
		"       vpcdns --endpoint SERVICE=IP[,IP...] [--endpoint ...]\n"
		"              [--listen ADDR:PORT] [--upstream ADDR[:PORT]] [-d]\n"
		"                                     serve endpoints, no file\n"
		"       vpcdns check [-c FILE]        validate a configuration\n"
		"       vpcdns export [-c FILE] DIR   write the zones served as "
		"files\n"
		"       vpcdns explain [-c FILE] NAME [TYPE] [--from ADDR | "
		"--inbound VPC]\n"
		"                                     what decides an answer\n"
		"       vpcdns import ENDPOINTS.json [INTERFACES.json]\n"
		"                                     configuration from AWS CLI "
		"output\n"
		"       vpcdns --version | --help\n"
		"\n"
		"  -c FILE  configuration (default: conf/vpcdns.yaml when it "
		"exists,\n"
		"           else " VPCDNS_SYSCONFDIR "/vpcdns.yaml)\n"
		"  -d       log at debug level\n");
}

static const char *
default_conf_path(void)
{
	if (access("conf/vpcdns.yaml", R_OK) == 0)
		return "conf/vpcdns.yaml";
	return VPCDNS_SYSCONFDIR "/vpcdns.yaml";
}

static void
print_sockaddr(const struct conf_sockaddr *a)
{
	char text[INET6_ADDRSTRLEN + 16];

	fputs(conf_format_sockaddr((const struct sockaddr *)&a->ss, text,
				   sizeof(text)),
	      stdout);
}

static const char *const endpoint_types[] = {
	[CONF_ENDPOINT_INTERFACE] = "interface",
	[CONF_ENDPOINT_GATEWAY] = "gateway",
	[CONF_ENDPOINT_RESOURCE] = "resource",
};

static void
print_endpoints(const struct conf_vpc *cv)
{
	char suffix[ENDPOINT_SUFFIX_LEN + 1];

	for (size_t i = 0; i < cv->n_endpoints; i++) {
		const struct conf_endpoint *ep = &cv->endpoints[i];

		endpoint_suffix(ep, suffix);
		printf("  endpoint %s %s %s suffix %s private-dns %s%s\n",
		       ep->id, endpoint_types[ep->type], ep->service, suffix,
		       ep->private_dns ? "on" : "off",
		       ep->inbound_only ? " (inbound only)" : "");
	}
}

/* Every zone with every record: the names this view serves. */
static void
print_zones(const char *title, const struct zoneset *zs)
{
	char name[LOG_NAME_MAX];

	for (size_t j = 0; j < zoneset_count(zs); j++) {
		const struct zone *z = zoneset_get(zs, j);

		if (z->synth != ZONE_SYNTH_NONE) {
			printf("  computed zone %s (%s)\n",
			       log_name(z->apex, z->apex_len, name),
			       z->synth == ZONE_SYNTH_EC2
				       ? "EC2 hostnames ip-a-b-c-d of the "
					 "cidr-blocks"
				       : "PTR of the cidr-blocks");
			continue;
		}
		printf("  %s %s serial %u names %zu\n", title,
		       log_name(z->apex, z->apex_len, name), z->serial,
		       z->n_nodes);
		zone_write(z, stdout);
	}
}

static void
print_summary(const struct conf *cf, const struct view_set *vs)
{
	printf("%s: ok\n", cf->path);
	for (size_t i = 0; i < cf->n_listen; i++) {
		printf("listen ");
		print_sockaddr(&cf->listen[i].addr);
		if (cf->listen[i].inbound != NULL)
			printf(" inbound %s", cf->listen[i].inbound);
		printf("\n");
	}
	printf("upstreams");
	for (size_t i = 0; i < cf->n_upstreams; i++) {
		printf(" ");
		print_sockaddr(&cf->upstreams[i]);
	}
	printf("%s\n", cf->n_upstreams == 0 ? " from /etc/resolv.conf" : "");
	for (size_t i = 0; i < vs->n_vpcs; i++) {
		const struct conf_vpc *cv = &cf->vpcs[i];

		printf("vpc %s region %s: %zu hosted zone(s), %zu endpoint(s)\n",
		       cv->id, cv->region, cv->n_hosted_zones, cv->n_endpoints);
		print_endpoints(cv);
		print_zones("zone", vs->vpc_zones[i].zones);
		print_zones("inbound-only zone", vs->vpc_zones[i].inbound_only);
	}
	if (zoneset_count(vs->vpce) > 0) {
		printf("endpoint-specific names (every client):\n");
		print_zones("zone", vs->vpce);
	}
}

/* Loads the configuration and builds its views, printing every error. */
static int
load(const char *path, struct conf **cf, struct view_set **vs)
{
	struct conf_errors errs = {0};
	int rc = conf_load_file(path, cf, &errs);

	if (rc == VPC_OK)
		rc = view_set_build_resolving(*cf, daemon_resolve_host, vs,
					      &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	if (rc != VPC_OK && errs.n == 0)
		fprintf(stderr, "%s: %s\n", path, vpc_strerror(rc));
	conf_errors_cleanup(&errs);
	return rc;
}

static int
run_check(const char *path)
{
	struct conf *cf = NULL;
	struct view_set *vs = NULL;
	int rc = load(path, &cf, &vs);

	if (rc == VPC_OK)
		print_summary(cf, vs);
	view_set_free(vs);
	conf_free(cf);
	return rc == VPC_OK ? DAEMON_EXIT_OK : DAEMON_EXIT_CONFIG;
}

/* An apex CNAME (a provider's private DNS name) is exported flattened:
 * the A/AAAA records of its target under the apex. */
static int
export_flattened(FILE *fp, const struct view *v, const struct zone *z)
{
	const struct zone_node *apex = zone_find(z, z->apex, z->apex_len);
	const struct zone_rrset *cname = zone_rrset(apex, WIRE_TYPE_CNAME);
	const struct zone_node *t;
	const struct zone *tz;
	uint8_t target[WIRE_MAX_NAME_LEN];
	size_t len;
	int rc = VPC_OK;

	if (cname == NULL)
		return VPC_OK;
	len = wire_name_len(cname->rdata + 2);
	wire_name_lower(target, cname->rdata + 2, len);
	if ((tz = view_find_zone(v, target, len)) == NULL ||
	    (t = zone_find(tz, target, len)) == NULL)
		return VPC_OK;
	if (zone_rrset(t, WIRE_TYPE_A) != NULL)
		rc = zone_write_rrset(fp, z->apex, z->apex_len,
				      zone_rrset(t, WIRE_TYPE_A));
	if (rc == VPC_OK && zone_rrset(t, WIRE_TYPE_AAAA) != NULL)
		rc = zone_write_rrset(fp, z->apex, z->apex_len,
				      zone_rrset(t, WIRE_TYPE_AAAA));
	return rc;
}

static int
export_zones(const char *dir, const struct view *v, const struct zoneset *zs)
{
	char path[4096], name[LOG_NAME_MAX];

	for (size_t i = 0; i < zoneset_count(zs); i++) {
		const struct zone *z = zoneset_get(zs, i);
		FILE *fp;
		int rc;

		/* EC2 hostnames and their reverse names are computed, not
		 * stored: a file could only hold their SOA. */
		if (z->synth != ZONE_SYNTH_NONE)
			continue;
		log_name(z->apex, z->apex_len, name);
		name[strlen(name) - 1] = '\0'; /* no trailing dot */
		snprintf(path, sizeof(path), "%s/%s.zone", dir, name);
		if ((fp = fopen(path, "w")) == NULL) {
			fprintf(stderr, "vpcdns: cannot write %s: %s\n", path,
				strerror(errno));
			return VPC_EIO;
		}
		rc = zone_write(z, fp);
		if (rc == VPC_OK)
			rc = export_flattened(fp, v, z);
		if (fclose(fp) != 0 || rc != VPC_OK) {
			fprintf(stderr, "vpcdns: cannot write %s\n", path);
			return VPC_EIO;
		}
	}
	return VPC_OK;
}

/* SPEC Part 2: every zone a client inside each VPC is served (hosted
 * zones, managed private DNS zones, vpce names), one file per zone under
 * DIR/<vpc-id>/.  Zones served only through inbound endpoints are not
 * what a client inside the VPC sees, so they are left out. */
static int
run_export(const char *path, const char *dir)
{
	struct conf *cf = NULL;
	struct view_set *vs = NULL;
	char sub[4096];
	int rc = load(path, &cf, &vs);

	for (size_t i = 0; rc == VPC_OK && i < vs->n_vpcs; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", dir, cf->vpcs[i].id);
		if ((mkdir(dir, 0755) != 0 && errno != EEXIST) ||
		    (mkdir(sub, 0755) != 0 && errno != EEXIST)) {
			fprintf(stderr, "vpcdns: cannot create %s: %s\n", sub,
				strerror(errno));
			rc = VPC_EIO;
			break;
		}
		rc = export_zones(sub, &vs->vpcs[i], vs->vpc_zones[i].zones);
		if (rc == VPC_OK)
			rc = export_zones(sub, &vs->vpcs[i], vs->vpce);
	}
	view_set_free(vs);
	conf_free(cf);
	if (rc == VPC_OK)
		return DAEMON_EXIT_OK;
	return rc == VPC_EIO ? DAEMON_EXIT_RUNTIME : DAEMON_EXIT_CONFIG;
}

/* Asks the first address of the group the engine chose, once, with a
 * bounded wait: explain is a one-shot command, not the daemon. */
static int
ask_upstream(const struct view_group *g, const struct answer_job *job,
	     uint8_t *reply, size_t cap, size_t *len)
{
	struct timeval tv = {.tv_sec = 3};
	uint8_t query[ANSWER_QUERY_MAX];
	ssize_t n;
	int fd;

	if (g->n_addrs == 0)
		return VPC_ENOTFOUND;
	memcpy(query, job->query, job->query_len);
	query[0] = 0x5a; /* any ID: the engine matches the question */
	fd = socket(g->addrs[0].ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		return VPC_EIO;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (sendto(fd, query, job->query_len, 0,
		   (const struct sockaddr *)&g->addrs[0].ss,
		   g->addrs[0].len) < 0 ||
	    (n = recv(fd, reply, cap, 0)) <= 0) {
		close(fd);
		return VPC_ETIMEOUT;
	}
	close(fd);
	*len = (size_t)n;
	return VPC_OK;
}

static void
print_response(const uint8_t *buf, size_t len)
{
	ldns_pkt *pkt = NULL;

	if (ldns_wire2pkt(&pkt, buf, len) != LDNS_STATUS_OK) {
		printf("(response does not parse)\n");
		return;
	}
	ldns_pkt_print(stdout, pkt);
	ldns_pkt_free(pkt);
}

static size_t
build_query(const char *name, uint16_t type, uint8_t *out, size_t cap)
{
	uint8_t wire[WIRE_MAX_NAME_LEN];
	size_t len = wire_name_from_text(name, wire);
	struct wire_writer w;

	if (len == 0)
		return 0;
	wire_writer_init(&w, out, cap);
	wire_write_u16(&w, 0x1234);
	wire_write_u16(&w, WIRE_FLAG_RD);
	wire_write_u16(&w, 1);
	wire_write_u16(&w, 0);
	wire_write_u16(&w, 0);
	wire_write_u16(&w, 0);
	wire_write_bytes(&w, wire, len);
	wire_write_u16(&w, type);
	wire_write_u16(&w, WIRE_CLASS_IN);
	return w.err == VPC_OK ? w.len : 0;
}

struct explain_args {
	const char *name;
	const char *type;   /* NULL: A */
	const char *from;   /* NULL: 127.0.0.1 */
	const char *inbound; /* VPC id or NULL */
};

static size_t
inbound_index(const struct conf *cf, const char *vpc)
{
	for (size_t i = 0; vpc != NULL && i < cf->n_vpcs; i++)
		if (strcmp(cf->vpcs[i].id, vpc) == 0)
			return i;
	return VIEW_NOT_INBOUND;
}

/* Runs the daemon's own engine on one query: the same lookup, not a copy. */
static int
explain(const struct conf *cf, const struct view_set *vs,
	const struct explain_args *ea)
{
	static uint8_t out[MSG_TCP_MAX], reply[MSG_TCP_MAX];
	struct conf_sockaddr from;
	struct answer_job job;
	struct answer_src src;
	uint8_t query[512];
	char line[1024];
	size_t qlen, len = 0, rlen = 0;
	enum answer_action act;
	ldns_rr_type type = ea->type ? ldns_get_rr_type_by_name(ea->type)
				     : LDNS_RR_TYPE_A;

	if (type == 0 || (qlen = build_query(ea->name, (uint16_t)type, query,
					     sizeof(query))) == 0 ||
	    conf_parse_sockaddr(ea->from ? ea->from : "127.0.0.1", 53,
				&from) != VPC_OK) {
		fprintf(stderr, "vpcdns: bad name, type or --from address\n");
		return DAEMON_EXIT_USAGE;
	}
	src.addr = (const struct sockaddr *)&from.ss;
	src.inbound = inbound_index(cf, ea->inbound);
	src.tcp = false;
	if (ea->inbound != NULL && src.inbound == VIEW_NOT_INBOUND) {
		fprintf(stderr, "vpcdns: no VPC %s\n", ea->inbound);
		return DAEMON_EXIT_USAGE;
	}
	act = answer_query(&job, vs, NULL, &src, query, qlen, 0, out,
			   MSG_UDP_MAX, &len);
	printf("%s\n", answer_explain(&job, act, line, sizeof(line)));
	if (act == ANSWER_FORWARD) {
		int rc = ask_upstream(&vs->groups[job.fwd_group], &job, reply,
				      sizeof(reply), &rlen);

		if (rc == VPC_ENOTFOUND) {
			printf("(forwarded to the nameservers of "
			       "/etc/resolv.conf; not asked)\n");
			return DAEMON_EXIT_OK;
		}
		len = answer_upstream(&job, NULL, rc, reply, rlen, 0, out,
				      MSG_UDP_MAX);
	}
	if (len > 0)
		print_response(out, len);
	return DAEMON_EXIT_OK;
}

static int
run_explain(const char *path, const struct explain_args *ea)
{
	struct conf *cf = NULL;
	struct view_set *vs = NULL;
	int rc = load(path, &cf, &vs);

	if (rc == VPC_OK)
		rc = explain(cf, vs, ea);
	else
		rc = DAEMON_EXIT_CONFIG;
	view_set_free(vs);
	conf_free(cf);
	return rc;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	struct stat st;
	long n;

	if (fp != NULL && (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode))) {
		fclose(fp);
		fp = NULL;
		errno = EISDIR;
	}
	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "vpcdns: cannot read %s: %s\n", path,
			strerror(errno));
		free(buf);
		buf = NULL;
	} else {
		buf[n] = '\0';
		*len = (size_t)n;
	}
	if (fp != NULL)
		fclose(fp);
	return buf;
}

static int
run_import(const char *endpoints, const char *interfaces)
{
	struct conf_errors errs = {0};
	char *ep_text = NULL, *if_text = NULL, *yaml = NULL;
	size_t ep_len = 0, if_len = 0;
	int rc = VPC_EIO;

	if ((ep_text = read_file(endpoints, &ep_len)) == NULL ||
	    (interfaces != NULL &&
	     (if_text = read_file(interfaces, &if_len)) == NULL))
		goto out;
	rc = import_aws_json(ep_text, ep_len, endpoints, if_text, if_len,
			     interfaces, &yaml, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	if (rc == VPC_OK)
		fputs(yaml, stdout);
	else if (errs.n == 0)
		fprintf(stderr, "vpcdns: import failed: %s\n",
			vpc_strerror(rc));
out:
	conf_errors_cleanup(&errs);
	free(yaml);
	free(if_text);
	free(ep_text);
	return rc == VPC_OK ? DAEMON_EXIT_OK : DAEMON_EXIT_CONFIG;
}

static int
run_quickstart(const struct quickstart_args *qa)
{
	char err[512], *yaml = NULL;
	int rc = quickstart_yaml(qa, &yaml, err, sizeof(err));

	if (rc != VPC_OK) {
		fprintf(stderr, "vpcdns: %s\n",
			rc == VPC_ENOMEM ? vpc_strerror(rc) : err);
		return DAEMON_EXIT_USAGE;
	}
	log_debug("main: configuration from the command line:\n%s", yaml);
	rc = daemon_run("<command line>", yaml);
	free(yaml);
	return rc;
}

struct args {
	const char *command;      /* "run", "check", "export", "import",
				     "explain" */
	const char *path;         /* -c */
	struct explain_args ea;   /* --from, --inbound */
	const char *operands[2];  /* export DIR; import files */
	size_t n_operands;
	struct quickstart_args qa;
	const char *list[3][64];  /* storage for qa's lists */
};

/* Appends @value to one of the quick-start lists. */
static bool
add_opt(struct args *a, int which, const char *value)
{
	size_t *n = which == 0 ? &a->qa.n_endpoints
		    : which == 1 ? &a->qa.n_listen
				 : &a->qa.n_upstreams;

	if (*n >= 64)
		return false;
	a->list[which][(*n)++] = value;
	return true;
}

/* Returns -1 to go on, else an exit code. */
static int
parse_option(struct args *a, int argc, char **argv, int *i)
{
	static const char *const lists[] = {"--endpoint", "--listen",
					    "--upstream"};
	const char *opt = argv[*i];

	for (int w = 0; w < 3; w++)
		if (strcmp(opt, lists[w]) == 0 && *i + 1 < argc)
			return add_opt(a, w, argv[++*i]) ? -1
							  : DAEMON_EXIT_USAGE;
	if (strcmp(opt, "-c") == 0 && *i + 1 < argc) {
		a->path = argv[++*i];
	} else if (strcmp(opt, "--from") == 0 && *i + 1 < argc) {
		a->ea.from = argv[++*i];
	} else if (strcmp(opt, "--inbound") == 0 && *i + 1 < argc) {
		a->ea.inbound = argv[++*i];
	} else if (strcmp(opt, "-d") == 0) {
		log_level = LOG_LEVEL_DEBUG;
	} else if (strcmp(opt, "--version") == 0) {
		printf("vpcdns %s\n", PACKAGE_VERSION);
		return DAEMON_EXIT_OK;
	} else if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
		usage(stdout);
		return DAEMON_EXIT_OK;
	} else if (opt[0] != '-' && a->n_operands < 2 &&
		   strcmp(a->command, "run") != 0) {
		a->operands[a->n_operands++] = opt;
	} else {
		fprintf(stderr, "vpcdns: unknown argument '%s'\n", opt);
		usage(stderr);
		return DAEMON_EXIT_USAGE;
	}
	return -1;
}

static int
dispatch(struct args *a)
{
	bool quick = a->qa.n_endpoints > 0;

	if (!quick && (a->qa.n_listen > 0 || a->qa.n_upstreams > 0)) {
		fprintf(stderr, "vpcdns: --listen and --upstream go with "
				"--endpoint (use the file otherwise)\n");
		return DAEMON_EXIT_USAGE;
	}
	if (strcmp(a->command, "import") == 0) {
		if (a->n_operands < 1) {
			usage(stderr);
			return DAEMON_EXIT_USAGE;
		}
		return run_import(a->operands[0], a->operands[1]);
	}
	if (quick && strcmp(a->command, "run") == 0)
		return run_quickstart(&a->qa);
	if (a->path == NULL)
		a->path = default_conf_path();
	if (strcmp(a->command, "check") == 0) {
		if (a->n_operands > 0) {
			usage(stderr);
			return DAEMON_EXIT_USAGE;
		}
		return run_check(a->path);
	}
	if (strcmp(a->command, "explain") == 0) {
		if (a->n_operands < 1) {
			usage(stderr);
			return DAEMON_EXIT_USAGE;
		}
		a->ea.name = a->operands[0];
		a->ea.type = a->operands[1];
		return run_explain(a->path, &a->ea);
	}
	if (strcmp(a->command, "export") == 0) {
		if (a->n_operands != 1) {
			usage(stderr);
			return DAEMON_EXIT_USAGE;
		}
		return run_export(a->path, a->operands[0]);
	}
	return daemon_run(a->path, NULL);
}

int
main(int argc, char **argv)
{
	static const char *const commands[] = {"check", "export", "import",
					       "explain"};
	struct args a = {.command = "run"};
	int i = 1, rc;

	a.qa.endpoints = a.list[0];
	a.qa.listen = a.list[1];
	a.qa.upstreams = a.list[2];
	for (size_t c = 0; argc > 1 && c < 4; c++)
		if (strcmp(argv[1], commands[c]) == 0) {
			a.command = commands[c];
			i = 2;
		}
	for (; i < argc; i++)
		if ((rc = parse_option(&a, argc, argv, &i)) >= 0)
			return rc;
	return dispatch(&a);
}
