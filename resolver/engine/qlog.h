/*
 * resolver/engine/qlog.h - Route 53 Resolver query log lines (SPEC 1.8).
 *
 * Copyright (c) 2026 The vpcdns authors.
 * SPDX-License-Identifier: MIT
 *
 * qlog_format() turns one answered query (the client's query bytes, the
 * response bytes, the source address and the view's identity) into one
 * JSON line in the format of the Route 53 VPC Resolver query logs.  It is
 * pure: the time comes in as an argument, nothing is written anywhere but
 * the caller's buffer (the net_qlog edge writes the lines out).  Fields,
 * in this order:
 *
 *   version          "1.100000"
 *   account_id       @account_id ("000000000000" when NULL)
 *   region, vpc_id   @region, @vpc_id ("" when NULL)
 *   query_timestamp  ISO 8601 UTC, seconds, "2021-02-04T17:51:55Z"
 *   query_name       the question name as the client sent it (case kept),
 *                    with the trailing dot; bytes other than printable
 *                    ASCII, and '.', '\\' and '"' inside a label, are
 *                    written \DDD as log_name() does (then JSON-escaped)
 *   query_type       "A", "AAAA", ..., "TYPE65534" for unknown types
 *   query_class      "IN", "CH", "HS", "NONE", "ANY", else "CLASS7"
 *   rcode            IANA name of the response's RCODE, the OPT RR's
 *                    extended bits included ("NOERROR", "NXDOMAIN",
 *                    "BADVERS", ...); "RCODE<n>" for unassigned values
 *   answers          [{"Rdata": ..., "Type": ..., "Class": ...}] for each
 *                    answer-section RR, RDATA in presentation format as
 *                    ldns prints it (names with the trailing dot)
 *   srcaddr, srcport the client's address (an IPv4-mapped IPv6 address is
 *                    written as IPv4) and port, the port as a string
 *   transport        "UDP", "TCP" or "DoH" (the names Route 53 Resolver
 *                    endpoints give their protocols; DoH-FIPS is logged
 *                    as "DoH-FIPS")
 *   srcids           {"instance": ID} for a client inside the VPC,
 *                    {"resolver_endpoint": ID} for a query that came in
 *                    through an inbound listener
 *   firewall_rule_group_id, firewall_rule_action, firewall_domain_list_id
 *                    only when @fw_rule is set and its action is ALERT or
 *                    BLOCK
 *
 * vpcdns has no EC2 instance ids or resolver endpoint ids, so the defaults
 * (used when @srcid is NULL) are: "instance" = the client's address as in
 * srcaddr; "resolver_endpoint" = "rslvr-in-" followed by the VPC id
 * without its "vpc-" prefix ("rslvr-in-0a1b2c3d" for vpc-0a1b2c3d).
 */
#ifndef RESOLVER_ENGINE_QLOG_H
#define RESOLVER_ENGINE_QLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conf_fw_rule;
struct sockaddr;

/* A buffer this large holds any line with the common answers; longer
 * answer lists are cut (see qlog_format()). */
#define QLOG_LINE_MAX 16384

/* Version string of the Route 53 Resolver query log format. */
#define QLOG_VERSION "1.100000"

enum qlog_srcid {
	QLOG_SRC_INSTANCE,	    /* a client inside the VPC */
	QLOG_SRC_RESOLVER_ENDPOINT, /* through an inbound listener */
};

/* One answered query.  Every pointer is borrowed for the call only. */
/* How the query arrived: the query log's transport field. */
enum qlog_transport {
	QLOG_TRANSPORT_UDP,
	QLOG_TRANSPORT_TCP,
	QLOG_TRANSPORT_DOH,
	QLOG_TRANSPORT_DOH_FIPS,
};

struct qlog_event {
	const char *account_id;	    /* query-log.account-id or NULL */
	const char *region;	    /* the view's VPC Region; NULL = "" */
	const char *vpc_id;	    /* the view's VPC id; NULL = "" */
	uint64_t unix_ms;	    /* wall-clock time of the query, ms since
				       the Unix epoch (UTC) */
	const uint8_t *query;	    /* the client's query as received */
	size_t query_len;	    /* bytes at @query */
	const uint8_t *response;    /* the response sent to the client */
	size_t response_len;	    /* bytes at @response */
	const struct sockaddr *src; /* the client: sockaddr_in or _in6;
				       NULL = srcaddr "" and srcport "0" */
	enum qlog_transport transport; /* default QLOG_TRANSPORT_UDP */
	enum qlog_srcid srcid_kind; /* which srcids key */
	const char *srcid;	    /* its value; NULL = the default above */
	/* The firewall rule that matched, NULL = none; the firewall
	 * fields are written only for its ALERT or BLOCK action. */
	const struct conf_fw_rule *fw_rule;
	/* firewall_rule_group_id; NULL = "rslvr-frg-" + VPC id w/o "vpc-" */
	const char *fw_group_id;
	/* firewall_domain_list_id; NULL = the rule's name */
	const char *fw_domain_list_id;
	/* dnssec_validation (a vpcdns field, Route 53 has none): the
	 * verdict of a validated answer, "secure", "insecure" or "bogus";
	 * NULL = not validated, no field. */
	const char *dnssec;
};

/**
 * qlog_format() - format one query log line.
 * @ev:  [in] the query; see struct qlog_event.
 * @out: [out] buffer for the line; borrowed.
 * @cap: [in] bytes at @out (QLOG_LINE_MAX is a good size).
 * @len: [out] on success, the length of the line, which ends in '\n';
 *       a NUL follows it (not counted).
 *
 * The question (name, type, class) comes from @ev->query, or from the
 * response when the query's question cannot be read.  The RCODE comes from
 * the response header (and its OPT RR).  When the response's sections do
 * not parse, the line is still written, with the header's RCODE and no
 * answers.  Answers that do not fit in @cap are left out, from the first
 * one that does not fit, so the line is always complete JSON.
 *
 * Return: VPC_OK; VPC_EMALFORMED when neither message holds a readable
 * question or the response has no complete header; VPC_ESPACE when the
 * line does not fit even without answers; VPC_ENOMEM (ldns).  @out holds
 * no usable line on error and @len is written only on success.
 */
int qlog_format(const struct qlog_event *ev, char *out, size_t cap,
		size_t *len);

/**
 * qlog_type_name() - the mnemonic of RR type @type ("A", "TYPE65534")
 * into @out of at least 16 bytes.  Return: @out.
 */
const char *qlog_type_name(uint16_t type, char *out);

/**
 * qlog_class_name() - the mnemonic of class @rclass ("IN", "CLASS7") into
 * @out of at least 16 bytes.  Return: @out.
 */
const char *qlog_class_name(uint16_t rclass, char *out);

/**
 * qlog_rcode_name() - the IANA name of (extended) RCODE @rcode
 * ("NOERROR", "BADVERS", "RCODE12") into @out of at least 16 bytes.
 * Return: @out.
 */
const char *qlog_rcode_name(unsigned rcode, char *out);

#endif /* RESOLVER_ENGINE_QLOG_H */
