#!/bin/bash
# tests/e2e/query_log/test.sh - the Route 53 Resolver query log (SPEC
# 1.8): one JSON line per query, parsed and checked field by field:
# version "1.100000", account_id from query-log.account-id, the VPC's
# region and vpc_id, query_timestamp in ISO 8601 UTC, query_name with the
# trailing dot and the client's case, query_type, query_class, rcode (IANA
# name), answers (Rdata, Type, Class), srcaddr, srcport as a string,
# transport UDP/TCP, srcids (instance for a VPC client, resolver_endpoint
# for the inbound listener), and the firewall_* fields only when an ALERT
# or BLOCK rule matched.  Every query comes from its own source port
# (dig -b ADDR#PORT), which selects its line.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig

start_upstream example.com.zone example.com
INBOUND=$(free_port) || fatal "a free port for the inbound listener"
start_vpcdns vpcdns.yaml INBOUND="$INBOUND"
QLOG=$E2E_TMP/query.log
CHECK=$E2E_SCENARIO_DIR/qlog_check.py
NQ=0

# q SRC LISTENER-PORT DIG-ARGS...: one query from SRC on a fresh source
# port (set in SP) and checks that an answer came.
q()
{
	local src=$1 port=$2
	shift 2
	SP=$(free_port) || fatal "a free source port"
	run_cmd dig @127.0.0.1 -p "$port" -b "$src#$SP" +time=2 +tries=1 "$@"
	NQ=$((NQ + 1))
	check "query $NQ answered: $*" reply
}

# qlog DESC KEY=EXPECTED...: checks the line of the last query (see
# qlog_check.py), waiting up to 5 s for the writer thread.
qlog()
{
	local desc=$1 end=$((SECONDS + 5))
	shift
	while [ $SECONDS -le $end ]; do
		grep -q "\"srcport\":\"$SP\"" "$QLOG" 2>/dev/null && break
		sleep 0.1
	done
	run_cmd "$E2E_PYTHON" "$CHECK" "$QLOG" "$SP" "$@"
	check "$desc" exit 0
}

# The fields every line of a VPC query has.
COMMON=(version='"1.100000"' account_id='"111122223333"'
	region='"eu-west-1"' vpc_id='"vpc-0e2e4001"' query_timestamp=@now
	query_class='"IN"' srcport=@re:'[0-9]+')
NO_FW=(firewall_rule_action=@absent firewall_rule_group_id=@absent
	firewall_domain_list_id=@absent)

# 1. A VPC client over UDP, mixed case.
q 127.0.0.2 "$VPCDNS_PORT" Db.Corp.Internal A
qlog "UDP A from a VPC client: every field" "${COMMON[@]}" "${NO_FW[@]}" \
	query_name='"Db.Corp.Internal."' query_type='"A"' rcode='"NOERROR"' \
	answers='[{"Rdata": "10.0.1.20", "Type": "A", "Class": "IN"}]' \
	srcaddr='"127.0.0.2"' srcport="\"$SP\"" transport='"UDP"' \
	srcids.instance=@nonempty srcids.resolver_endpoint=@absent

# 2. Over TCP, a CNAME chain.
q 127.0.0.2 "$VPCDNS_PORT" +tcp api.corp.internal A
qlog "TCP CNAME chain: transport TCP, both answers in order" \
	"${COMMON[@]}" "${NO_FW[@]}" \
	query_name='"api.corp.internal."' query_type='"A"' rcode='"NOERROR"' \
	answers='[{"Rdata": "db.corp.internal.", "Type": "CNAME", "Class": "IN"}, {"Rdata": "10.0.1.20", "Type": "A", "Class": "IN"}]' \
	srcaddr='"127.0.0.2"' srcport="\"$SP\"" transport='"TCP"' \
	srcids.instance=@nonempty

# 3. AAAA and MX answers.
q 127.0.0.2 "$VPCDNS_PORT" db.corp.internal AAAA
qlog "AAAA: query_type AAAA, Rdata the address" "${COMMON[@]}" \
	query_name='"db.corp.internal."' query_type='"AAAA"' rcode='"NOERROR"' \
	answers='[{"Rdata": "fd00:10::20", "Type": "AAAA", "Class": "IN"}]'
q 127.0.0.2 "$VPCDNS_PORT" corp.internal MX
qlog "MX: Rdata in presentation form" "${COMMON[@]}" \
	query_name='"corp.internal."' query_type='"MX"' rcode='"NOERROR"' \
	answers='[{"Rdata": "10 mail.corp.internal.", "Type": "MX", "Class": "IN"}]'

# 4. Negative answers.
q 127.0.0.2 "$VPCDNS_PORT" nope.corp.internal A
qlog "NXDOMAIN: rcode NXDOMAIN, no answers" "${COMMON[@]}" "${NO_FW[@]}" \
	query_name='"nope.corp.internal."' rcode='"NXDOMAIN"' answers='[]'
q 127.0.0.2 "$VPCDNS_PORT" mail.corp.internal TXT
qlog "NODATA: rcode NOERROR, no answers" "${COMMON[@]}" \
	query_name='"mail.corp.internal."' query_type='"TXT"' \
	rcode='"NOERROR"' answers='[]'

# 5. A forwarded answer.
q 127.0.0.2 "$VPCDNS_PORT" www.example.com A
qlog "forwarded answer logged with the upstream's records" \
	"${COMMON[@]}" "${NO_FW[@]}" \
	query_name='"www.example.com."' rcode='"NOERROR"' \
	answers='[{"Rdata": "192.0.2.80", "Type": "A", "Class": "IN"}]'

q 127.0.0.2 "$VPCDNS_PORT" +tcp WwW.Example.COM A
qlog "forwarded over TCP (cached), mixed case: query_name keeps the case" \
	"${COMMON[@]}" "${NO_FW[@]}" \
	query_name='"WwW.Example.COM."' rcode='"NOERROR"' transport='"TCP"' \
	answers='[{"Rdata": "192.0.2.80", "Type": "A", "Class": "IN"}]'
q 127.0.0.2 "$VPCDNS_PORT" NoPe.Example.COM A
qlog "forwarded NXDOMAIN, mixed case" "${COMMON[@]}" "${NO_FW[@]}" \
	query_name='"NoPe.Example.COM."' rcode='"NXDOMAIN"' answers='[]'

# 6. The inbound listener, from an on-premises address.
q 127.0.0.7 "$INBOUND" db.corp.internal A
qlog "inbound: srcids.resolver_endpoint, no instance, the VPC's id" \
	"${COMMON[@]}" "${NO_FW[@]}" \
	query_name='"db.corp.internal."' rcode='"NOERROR"' \
	answers='[{"Rdata": "10.0.1.20", "Type": "A", "Class": "IN"}]' \
	srcaddr='"127.0.0.7"' srcport="\"$SP\"" transport='"UDP"' \
	srcids.resolver_endpoint=@nonempty srcids.instance=@absent

# 7. Firewall: ALERT and BLOCK carry the firewall fields, ALLOW does not.
q 127.0.0.2 "$VPCDNS_PORT" alert.corp.internal A
qlog "ALERT: answered, firewall_rule_action ALERT with group and list ids" \
	"${COMMON[@]}" query_name='"alert.corp.internal."' rcode='"NOERROR"' \
	answers='[{"Rdata": "10.0.1.30", "Type": "A", "Class": "IN"}]' \
	firewall_rule_action='"ALERT"' firewall_rule_group_id=@nonempty \
	firewall_domain_list_id=@nonempty
q 127.0.0.2 "$VPCDNS_PORT" blocked.corp.internal A
qlog "BLOCK (nxdomain): rcode NXDOMAIN, firewall_rule_action BLOCK" \
	"${COMMON[@]}" query_name='"blocked.corp.internal."' \
	rcode='"NXDOMAIN"' answers='[]' firewall_rule_action='"BLOCK"' \
	firewall_rule_group_id=@nonempty firewall_domain_list_id=@nonempty
q 127.0.0.2 "$VPCDNS_PORT" override.corp.internal A
qlog "BLOCK (override): the CNAME and the target in answers" \
	"${COMMON[@]}" query_name='"override.corp.internal."' \
	rcode='"NOERROR"' \
	answers='[{"Rdata": "walled.corp.internal.", "Type": "CNAME", "Class": "IN"}, {"Rdata": "10.0.0.99", "Type": "A", "Class": "IN"}]' \
	firewall_rule_action='"BLOCK"' firewall_rule_group_id=@nonempty \
	firewall_domain_list_id=@nonempty
q 127.0.0.2 "$VPCDNS_PORT" allowed.corp.internal A
qlog "ALLOW: no firewall fields" "${COMMON[@]}" "${NO_FW[@]}" \
	query_name='"allowed.corp.internal."' rcode='"NOERROR"' \
	answers='[{"Rdata": "10.0.1.31", "Type": "A", "Class": "IN"}]'
q 127.0.0.7 "$INBOUND" +tcp blocked.corp.internal A
qlog "BLOCK through the inbound listener over TCP" "${COMMON[@]}" \
	query_name='"blocked.corp.internal."' rcode='"NXDOMAIN"' \
	transport='"TCP"' srcids.resolver_endpoint=@nonempty \
	firewall_rule_action='"BLOCK"' firewall_rule_group_id=@nonempty \
	firewall_domain_list_id=@nonempty

# Every line is one JSON object; no query of ours was logged twice.
run_cmd "$E2E_PYTHON" -c '
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    json.loads(line)
    n += 1
print(n, "lines")
' "$QLOG"
check "the query log is JSON lines, one per query (at least $NQ)" exit 0 \
	output "^([0-9]+) lines$"

# A second daemon: the default account id.
start_vpcdns vpcdns-default.yaml
QLOG=$E2E_TMP/default.log
q 127.0.0.5 "$VPCDNS_PORT" db.corp.internal A
qlog "without account-id: account_id 000000000000" \
	version='"1.100000"' account_id='"000000000000"' region='"us-east-1"' \
	vpc_id='"vpc-0e2e4002"' query_name='"db.corp.internal."' \
	srcaddr='"127.0.0.5"' srcids.instance=@nonempty

finish
