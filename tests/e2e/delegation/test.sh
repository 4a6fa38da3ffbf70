#!/bin/bash
# tests/e2e/delegation/test.sh - Route 53 Resolver delegation (2025):
# a delegate rule sends the names a private hosted zone delegates (NS
# records, with glue or with the name server's address elsewhere in the
# zone) to those name servers; without the rule the NS records are only
# data; a delegate rule without NS records is a configuration error; an
# INBOUND_DELEGATION endpoint answers an on-premises resolver (Unbound with
# a stub zone, as a BIND or Windows server delegating the subdomain would)
# from the VPC's hosted zones and refuses the rest.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig nsd unbound

# The delegated name servers answer on port 53 (NS records carry no
# port), on a loopback address this run picks for itself.
NSADDR=$("$E2E_PYTHON" - <<'PY'
import random, socket, sys
for _ in range(100):
    a = "127.%d.%d.%d" % (random.randint(100, 199), random.randint(0, 255),
                          random.randint(1, 254))
    try:
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            s.bind((a, 53))
            s.close()
    except OSError:
        continue
    print(a)
    sys.exit(0)
sys.exit(1)
PY
) || skip "no loopback address with port 53 free (needs root)"

sed "s/@NSADDR@/$NSADDR/" "$E2E_SCENARIO_DIR/corp.internal.zone" \
	>"$E2E_TMP/corp.internal.zone"
start_upstream example.test.zone example.test
DEFAULT_UPSTREAM=$UPSTREAM_PORT
E2E_NSD_ADDR=$NSADDR E2E_NSD_PORT=53 start_upstream \
	sub.corp.internal.zone sub.corp.internal \
	other.corp.internal.zone other.corp.internal
UPSTREAM_PORT=$DEFAULT_UPSTREAM
DELEG=$(free_port)
start_vpcdns vpcdns.yaml DELEG="$DELEG"

dig_q www.sub.corp.internal A
check "delegate rule: the delegated name server's answer (glue)" \
	status NOERROR noflag aa \
	answer '^www\.sub\.corp\.internal\. 120 IN A 10\.9\.0\.1$'
dig_q app.other.corp.internal A
check "delegate rule: name server named elsewhere in the zone" \
	status NOERROR answer '^app\.other\.corp\.internal\. 120 IN A 10\.9\.1\.1$'
dig_q nope.sub.corp.internal A
check "delegate rule: the delegated zone's NXDOMAIN and SOA" \
	status NXDOMAIN authority '^sub\.corp\.internal\. [0-9]+ IN SOA ns1\.sub\.corp\.internal\. '
dig_q db.corp.internal A
check "the rest of the hosted zone still answers locally" status NOERROR \
	flag aa answer '^db\.corp\.internal\. 300 IN A 10\.0\.1\.20$'
dig_q www.example.test A
check "other names still go to the default upstream" status NOERROR \
	answer '^www\.example\.test\. [0-9]+ IN A 192\.0\.2\.80$'
run_cmd "$VPCDNS_BIN" explain -c "$VPCDNS_CONF" www.sub.corp.internal A
check "vpcdns explain names the delegate rule" output 'delegate'

# Inbound delegation: an on-premises Unbound delegates corp.internal to
# the INBOUND_DELEGATION endpoint (a stub zone: queries without RD).
UDIR=$E2E_TMP/unbound
mkdir -p "$UDIR"
UPORT=$(free_port)
NOWHERE=$(free_port)
cat >"$UDIR/unbound.conf" <<EOT
server:
	interface: 127.0.0.1
	port: $UPORT
	do-ip6: no
	do-daemonize: no
	use-syslog: no
	logfile: "$UDIR/unbound.log"
	chroot: ""
	username: ""
	directory: "$UDIR"
	pidfile: ""
	module-config: "iterator"
	do-not-query-localhost: no
	local-zone: "internal." nodefault
	harden-referral-path: no
	qname-minimisation: no
	root-hints: ""
stub-zone:
	name: "corp.internal"
	stub-addr: 127.0.0.1@$DELEG
stub-zone:
	name: "."
	stub-addr: 127.0.0.1@$NOWHERE
remote-control:
	control-enable: no
EOT
unbound -d -c "$UDIR/unbound.conf" >"$UDIR/stderr" 2>&1 &
e2e_track $! "$UDIR/unbound.log"
for _ in $(seq 100); do
	dig @127.0.0.1 -p "$UPORT" +time=1 +tries=1 db.corp.internal A 2>/dev/null |
		grep -q 'status: NOERROR' && break
	sleep 0.1
done
dig_at "$UPORT" db.corp.internal A
check "on-prem Unbound resolves the delegated subdomain via the endpoint" \
	status NOERROR answer '^db\.corp\.internal\. [0-9]+ IN A 10\.0\.1\.20$'
dig_at "$DELEG" +norec db.corp.internal A
check "INBOUND_DELEGATION endpoint: authoritative answer without RD" \
	status NOERROR flag aa answer '^db\.corp\.internal\. 300 IN A 10\.0\.1\.20$'
dig_at "$DELEG" www.example.test A
check "INBOUND_DELEGATION endpoint: names outside its hosted zones REFUSED" \
	status REFUSED answer_count 0
dig_at "$DELEG" www.sub.corp.internal A
check "INBOUND_DELEGATION endpoint does not follow delegations either" \
	status REFUSED

# Without delegate rules the NS records are only data.
start_vpcdns vpcdns-norule.yaml
dig_q www.sub.corp.internal A
check "no delegate rule: nothing is sent to the delegated server" \
	no_answer '10\.9\.0\.1'

# A delegate rule needs NS records for its domain.
cat >"$E2E_TMP/bad.yaml" <<EOT
vpcs:
  - id: vpc-0e2e6001
    region: us-east-1
    hosted-zones:
      - {name: corp.internal, file: "$E2E_TMP/corp.internal.zone"}
    rules:
      - {domain: db.corp.internal, type: delegate}
EOT
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/bad.yaml"
check "delegate rule without NS records: refused with file:line" exit 1 \
	output "bad\\.yaml:7: delegate rule for 'db\\.corp\\.internal\\.': no hosted zone"
cat >"$E2E_TMP/bad2.yaml" <<EOT
listen:
  - {address: 127.0.0.1, port: $DELEG, delegation: true}
EOT
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/bad2.yaml"
check "delegation without inbound: refused" exit 1 \
	output "bad2\\.yaml:2: listen\\[0\\]\\.delegation: needs 'inbound'"

finish
