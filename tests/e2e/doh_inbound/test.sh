#!/bin/bash
# tests/e2e/doh_inbound/test.sh - DNS over HTTPS on inbound resolver
# endpoints (Route 53 Resolver endpoint Protocols: Do53, DoH, DoH-FIPS;
# RFC 8484): kdig +https (HTTP/2 POST) and +https-get, curl resolving
# through --doh-url, HTTP/1.1 when the client offers no h2, the refusals
# RFC 8484 implies (404, 405, 415, 400), Cache-Control max-age from the
# TTLs, forwarded answers (the reply comes later than the request), the
# inbound view through DoH, the query log's transport and the
# configuration errors.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig curl openssl
require_dnspython

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
	-keyout "$E2E_TMP/key.pem" -out "$E2E_TMP/cert.pem" >/dev/null 2>&1 ||
	fatal "make a test certificate" "openssl req failed"

start_upstream example.test.zone example.test amazonaws.com.zone amazonaws.com
INBOUND=$(free_port)
DOH=$(free_port)
FIPS=$(free_port)
start_vpcdns vpcdns.yaml INBOUND="$INBOUND" DOH="$DOH" FIPS="$FIPS"
URL=https://127.0.0.1:$DOH/dns-query

# kdig speaks HTTP/2 (ALPN h2) and POSTs unless +https-get.
run_cmd kdig @127.0.0.1 -p "$DOH" +https +time=5 +retry=0 db.corp.internal A
check "kdig +https (HTTP/2 POST): the private hosted zone's answer" \
	output 'HTTP/2-POST' output 'status: 200' output 'status: NOERROR' \
	output 'qr aa rd ra' output 'db\.corp\.internal\.[[:space:]]+300[[:space:]]+IN[[:space:]]+A[[:space:]]+10\.0\.1\.20'
run_cmd kdig @127.0.0.1 -p "$DOH" +https-get +time=5 +retry=0 nx.corp.internal A
check "kdig +https-get: NXDOMAIN with the zone's SOA" \
	output 'HTTP/2-GET' output 'status: NXDOMAIN' \
	output 'corp\.internal\.[[:space:]]+900[[:space:]]+IN[[:space:]]+SOA'

# Forwarded: the DoH stream waits for the upstream's answer.
run_cmd kdig @127.0.0.1 -p "$DOH" +https +time=5 +retry=0 www.example.test A
check "forwarded name over DoH: the upstream's answer" \
	output 'status: NOERROR' output 'www\.example\.test\.[[:space:]]+600[[:space:]]+IN[[:space:]]+A[[:space:]]+192\.0\.2\.80'

# The inbound endpoint gives the VPC's view; the outside listener does not.
run_cmd kdig @127.0.0.1 -p "$DOH" +https +time=5 +retry=0 secretsmanager.us-east-1.amazonaws.com A
check "DoH inbound endpoint: private DNS answers the endpoint's addresses" \
	output 'status: NOERROR' output 'IN[[:space:]]+A[[:space:]]+10\.0\.1\.15' \
	output 'IN[[:space:]]+A[[:space:]]+10\.0\.2\.27'
dig_q secretsmanager.us-east-1.amazonaws.com A
check "Do53 outside listener: the public answer" status NOERROR \
	answer '^secretsmanager\.us-east-1\.amazonaws\.com\. [0-9]+ IN A 52\.94\.1\.1$'
dig_at "$INBOUND" secretsmanager.us-east-1.amazonaws.com A
check "Do53 on the same inbound listener still answers, VPC view" \
	status NOERROR answer_count 2 answer ' IN A 10\.0\.1\.15$'

# curl resolves a name through DoH, then fetches from the address it got.
mkdir -p "$E2E_TMP/www" && echo "served-by-e2e" >"$E2E_TMP/www/index.html"
HTTP=$(free_port)
(cd "$E2E_TMP/www" && exec "$E2E_PYTHON" -m http.server "$HTTP" \
	--bind 127.0.0.1 >"$E2E_TMP/http.log" 2>&1) &
e2e_track $! "$E2E_TMP/http.log"
for _ in $(seq 50); do
	curl -s -o /dev/null "http://127.0.0.1:$HTTP/" && break
	sleep 0.1
done
run_cmd curl -s --doh-url "$URL" --doh-insecure "http://web.corp.internal:$HTTP/"
check "curl --doh-url: web.corp.internal resolved through vpcdns, page fetched" \
	exit 0 output '^served-by-e2e$'

# HTTP/1.1 (no h2 offered), POST with the message as the body.
"$E2E_PYTHON" -c '
import sys, dns.message
sys.stdout.buffer.write(dns.message.make_query("short.corp.internal", "A").to_wire())' >"$E2E_TMP/q.bin"
run_cmd curl -sk --http1.1 -D "$E2E_TMP/h1.headers" -o "$E2E_TMP/r.bin" \
	-w '%{http_code} %{http_version} %{content_type}' \
	-H 'Content-Type: application/dns-message' --data-binary "@$E2E_TMP/q.bin" "$URL"
check "HTTP/1.1 POST: 200, application/dns-message" exit 0 \
	output '^200 1\.1 application/dns-message$'
run_cmd cat "$E2E_TMP/h1.headers"
check "Cache-Control max-age is the answer's TTL (RFC 8484 5.1)" \
	output '^[Cc]ache-[Cc]ontrol: max-age=60'
run_cmd "$E2E_PYTHON" -c '
import sys, dns.message
m = dns.message.from_wire(open(sys.argv[1], "rb").read())
print(dns.rcode.to_text(m.rcode()), *[r.to_text() for r in m.answer])' "$E2E_TMP/r.bin"
check "HTTP/1.1 response body is the DNS answer" \
	output '^NOERROR short\.corp\.internal\. 60 IN A 10\.0\.1\.21$'

# What RFC 8484 does not carry is refused with the fitting status.
code()
{
	run_cmd curl -sk -o /dev/null -w '%{http_code}' "$@"
}
code "$URL"
check "GET without dns= is 400" output '^400$'
code "$URL?dns=!!!notbase64"
check "GET with bad base64url is 400" output '^400$'
code "https://127.0.0.1:$DOH/other"
check "another path is 404" output '^404$'
code -X PUT --data-binary "@$E2E_TMP/q.bin" "$URL"
check "PUT is 405" output '^405$'
code -H 'Content-Type: text/plain' --data-binary "@$E2E_TMP/q.bin" "$URL"
check "POST of another media type is 415" output '^415$'
code -H 'Content-Type: application/dns-message' --data-binary "abc" "$URL"
check "POST of less than a DNS header is 400" output '^400$'
run_cmd kdig @127.0.0.1 -p "$DOH" +https +time=5 +retry=0 db.corp.internal A
check "still answering after the refusals" output 'status: NOERROR' \
	output '10\.0\.1\.20'

# DoH-FIPS only: no Do53 on that listener, logged as DoH-FIPS.
run_cmd kdig @127.0.0.1 -p "$FIPS" +https +time=5 +retry=0 db.corp.internal A
check "doh-fips listener answers over DoH" output 'status: NOERROR' \
	output '10\.0\.1\.20'

# The query log names the transport as Route 53 names the protocols.
for _ in $(seq 50); do
	[ "$(grep -c '"transport":"DoH' "$E2E_TMP/query.log" 2>/dev/null)" -ge 6 ] && break
	sleep 0.1
done
run_cmd grep '"query_name":"db.corp.internal."' "$E2E_TMP/query.log"
check "query log: transport DoH, srcids resolver_endpoint" \
	output '"transport":"DoH","srcids":\{"resolver_endpoint":' \
	output '"transport":"DoH-FIPS"'
run_cmd grep '"query_name":"secretsmanager.us-east-1.amazonaws.com."' "$E2E_TMP/query.log"
check "query log: the Do53 query on the inbound listener says UDP" \
	output '"transport":"UDP","srcids":\{"resolver_endpoint":' \
	output '"transport":"DoH"'

# Configuration errors.
cat >"$E2E_TMP/notls.yaml" <<EOT
listen:
  - {address: 127.0.0.1, port: $INBOUND, protocols: [doh]}
EOT
run_cmd "$VPCDNS_BIN" check -c "$E2E_TMP/notls.yaml"
check "doh without tls: refused with file:line" exit 1 \
	output 'notls\.yaml:2: listen\[0\]\.protocols: doh needs tls'
cat >"$E2E_TMP/nocert.yaml" <<EOT
listen:
  - {address: 127.0.0.1, port: $(free_port), protocols: [do53, doh],
     doh-port: $(free_port), tls: {certificate: "$E2E_TMP/none.pem", key: "$E2E_TMP/key.pem"}}
EOT
run_cmd "$VPCDNS_BIN" -c "$E2E_TMP/nocert.yaml"
check "a certificate that cannot be read: exit 3 naming the file" exit 3 \
	output "cannot load certificate $E2E_TMP/none\\.pem"

finish
