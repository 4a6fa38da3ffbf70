#!/bin/bash
# tests/e2e/doh_outbound/test.sh - forward rules over DNS over HTTPS
# (Route 53 Resolver outbound endpoints: TargetAddress Protocol DoH and
# ServerNameIndication): an on-premises Unbound serving DoH answers
# through vpcdns; the certificate is verified against the rule's CA file
# and the server name (SNI) or the target's address; a target that fails
# passes the query to the next; the default upstream stays Do53.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig unbound openssl

cert()
{
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$1" \
		-addext "subjectAltName=$2" -keyout "$E2E_TMP/$3.key" \
		-out "$E2E_TMP/$3.pem" >/dev/null 2>&1 ||
		fatal "make a test certificate" "openssl req failed"
}
cert dns.onprem.example "DNS:dns.onprem.example,IP:127.0.0.1" cert
cert other.example "DNS:other.example" other

start_upstream example.test.zone example.test
DOH=$(free_port)
DEAD=$(free_port)
UDIR=$E2E_TMP/unbound
mkdir -p "$UDIR"
{
	cat <<EOT
server:
	interface: 127.0.0.1@$DOH
	https-port: $DOH
	tls-service-key: "$E2E_TMP/cert.key"
	tls-service-pem: "$E2E_TMP/cert.pem"
	do-ip6: no
	do-daemonize: no
	use-syslog: no
	logfile: "$UDIR/unbound.log"
	chroot: ""
	username: ""
	directory: "$UDIR"
	pidfile: ""
	module-config: "iterator"
	log-queries: yes
EOT
	for d in onprem byaddr badca badsni fallback; do
		printf '\tlocal-zone: "%s.example." static\n' $d
		printf '\tlocal-data: "host.%s.example. 300 IN A 172.16.0.10"\n' $d
	done
	printf 'remote-control:\n\tcontrol-enable: no\n'
} >"$UDIR/unbound.conf"
unbound -d -c "$UDIR/unbound.conf" >"$UDIR/stderr" 2>&1 &
e2e_track $! "$UDIR/unbound.log"
for _ in $(seq 100); do
	kdig @127.0.0.1 -p "$DOH" +https +time=1 +retry=0 host.onprem.example 2>/dev/null |
		grep -q 'status: NOERROR' && break
	sleep 0.1
done
start_vpcdns vpcdns.yaml DOH="$DOH" DEAD="$DEAD"

dig_q +time=8 host.onprem.example A
check "DoH target with server-name-indication: the on-prem answer" \
	status NOERROR noflag aa \
	answer '^host\.onprem\.example\. 300 IN A 172\.16\.0\.10$'
dig_q +time=8 host.onprem.example A
check "a second query (cached or on the same connection)" status NOERROR \
	answer '^host\.onprem\.example\. [0-9]+ IN A 172\.16\.0\.10$'
dig_q +time=8 host.byaddr.example A
check "DoH target by address (certificate for the IP)" status NOERROR \
	answer '^host\.byaddr\.example\. 300 IN A 172\.16\.0\.10$'
dig_q +time=8 host.fallback.example A
check "first target dead: the second answers" status NOERROR \
	answer '^host\.fallback\.example\. 300 IN A 172\.16\.0\.10$'
dig_q +time=15 host.badca.example A
check "certificate not signed by the rule's CA: SERVFAIL" status SERVFAIL
dig_q +time=15 host.badsni.example A
check "certificate not for the server name: SERVFAIL" status SERVFAIL
dig_q www.example.test A
check "the default upstream is still Do53" status NOERROR \
	answer '^www\.example\.test\. [0-9]+ IN A 192\.0\.2\.80$'
# That port of Unbound's speaks only DoH (https-port), so every query it
# logged came over HTTPS.
run_cmd grep -E 'host\.(onprem|byaddr|fallback)\.example\. A IN' "$UDIR/unbound.log"
check "the queries reached Unbound's DoH port" exit 0 \
	output 'host\.onprem\.example\. A IN' output 'host\.fallback\.example\. A IN' \
	no_output 'host\.badca\.example' no_output 'host\.badsni\.example'


cat >"$E2E_TMP/bad.yaml" <<EOT
vpcs:
  - id: vpc-0e2e7001
    region: us-east-1
    rules:
      - {domain: a.example, type: forward, targets: [127.0.0.1],
         server-name-indication: dns.a.example}
      - {domain: b.example, type: system, protocol: doh}
      - {domain: c.example, type: forward, targets: [127.0.0.1],
         protocol: dot}
EOT
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/bad.yaml"
check "DoH settings without protocol: doh, doh on a system rule, an unknown protocol: refused" \
	exit 1 \
	output "bad\\.yaml:6: vpcs\\[0\\]\\.rules\\[0\\]\\.server-name-indication: only used with protocol: doh" \
	output "bad\\.yaml:7: vpcs\\[0\\]\\.rules\\[1\\]\\.protocol: only a forward rule" \
	output "bad\\.yaml:9: vpcs\\[0\\]\\.rules\\[2\\]\\.protocol: 'dot' is not one of: do53, doh"

finish
