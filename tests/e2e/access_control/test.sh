#!/bin/bash
# tests/e2e/access_control/test.sh - access control (DESIGN.md "Access
# control", conf allow-query): a client whose source address is outside
# allow-query gets REFUSED (UDP and TCP, local and forwarded names, the
# question echoed); a client inside it gets its answers; an inbound
# listener answers any source (on-premises resolvers are what it is
# for); without allow-query every loopback source may query.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
require_tool dig kdig

start_upstream example.com.zone example.com
INBOUND=$(free_port) || fatal "a free port for the inbound listener"
start_vpcdns vpcdns.yaml INBOUND="$INBOUND"

from()
{
	local src=$1
	shift
	dig_q -b "$src" "$@"
}

# --- allowed sources ------------------------------------------------------
from 127.0.0.2 db.corp.internal A
check "127.0.0.2 (allow-query 127.0.0.2/32): answered" status NOERROR \
	flag aa answer_set "db.corp.internal. 300 IN A 10.0.1.20"
from 127.0.0.2 +tcp www.example.com A
check "127.0.0.2 over TCP, a forwarded name: answered" status NOERROR \
	answer_count 1 answer '^www\.example\.com\. [0-9]+ IN A 192\.0\.2\.80$'
from 127.0.0.17 db.corp.internal A
check "127.0.0.17 (allow-query 127.0.0.16/28): answered" status NOERROR \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"

# --- refused sources --------------------------------------------------------
from 127.0.0.3 db.corp.internal A
check "127.0.0.3 (not in allow-query): REFUSED, no data" status REFUSED \
	noflag aa answer_count 0 authority_count 0 \
	question "db.corp.internal. IN A"
from 127.0.0.3 +tcp db.corp.internal A
check "127.0.0.3 over TCP: REFUSED" status REFUSED answer_count 0
from 127.0.0.3 www.example.com A
check "127.0.0.3, a forwarded name: REFUSED" status REFUSED answer_count 0
from 127.0.0.3 Db.CORP.internal A
check "REFUSED echoes the question in its case" status REFUSED \
	question "Db.CORP.internal. IN A"
from 127.0.0.32 db.corp.internal A
check "127.0.0.32 (just past 127.0.0.16/28): REFUSED" status REFUSED \
	answer_count 0
from 127.0.0.1 db.corp.internal A
check "127.0.0.1 (loopback, but not in allow-query): REFUSED" \
	status REFUSED answer_count 0
run_cmd kdig @127.0.0.1 -p "$VPCDNS_PORT" -b 127.0.0.3 +time=2 +retry=0 \
	db.corp.internal A
check "kdig from 127.0.0.3: REFUSED" status REFUSED

# --- the inbound listener answers everyone ------------------------------------
for src in 127.0.0.3 127.0.0.1 127.0.0.99; do
	run_cmd dig @127.0.0.1 -p "$INBOUND" -b $src +time=2 +tries=1 \
		db.corp.internal A
	check "inbound listener from $src (not in allow-query): answered" \
		status NOERROR flag aa \
		answer_set "db.corp.internal. 300 IN A 10.0.1.20"
done
run_cmd dig @127.0.0.1 -p "$INBOUND" -b 127.0.0.3 +time=2 +tries=1 +tcp \
	www.example.com A
check "inbound listener over TCP, forwarded name: answered" \
	status NOERROR answer_count 1 \
	answer '^www\.example\.com\. [0-9]+ IN A 192\.0\.2\.80$'

# The daemon still serves the allowed client after the refusals.
from 127.0.0.2 db.corp.internal A
check "127.0.0.2 still answered" status NOERROR \
	answer_set "db.corp.internal. 300 IN A 10.0.1.20"

# --- without allow-query: loopback sources are allowed -------------------------
start_vpcdns vpcdns-default.yaml
for src in 127.0.0.3 127.0.0.1; do
	from $src db.corp.internal A
	check "default allow-query: $src answered" status NOERROR flag aa \
		answer_set "db.corp.internal. 300 IN A 10.0.1.20"
done

finish
