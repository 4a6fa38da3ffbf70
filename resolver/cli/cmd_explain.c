/*
 * resolver/cli/cmd_explain.c - vpcdns explain: what decides an answer.
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * Runs the daemon's own engine (answer_query()) on one query built from
 * the command line and prints its decision; a forwarded query is asked
 * once of the first upstream, with a blocking, bounded UDP exchange.
 */
#include "config.h"

#include "cli/cli.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <netinet/in.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "conf/conf.h"
#include "dns/msg.h"
#include "dns/wire.h"
#include "engine/answer.h"
#include "engine/view.h"
#include "io/daemon.h"
#include "util/err.h"

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
	struct answer_src src = {0};
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

int
cmd_explain(const char *path, const struct explain_args *ea)
{
	struct conf *cf = NULL;
	struct view_set *vs = NULL;
	int rc = cli_load(path, &cf, &vs);

	if (rc == VPC_OK)
		rc = explain(cf, vs, ea);
	else
		rc = DAEMON_EXIT_CONFIG;
	view_set_free(vs);
	conf_free(cf);
	return rc;
}
