#!/bin/bash
# tests/ci_count.sh - .ci/run's counting (its header, "Skips"): on a made-up
# tree of test logs, `.ci/run --count` must print "N passed, N failed,
# N skipped" with a skip for a machine limitation counted as skipped and a
# skip for a missing package, or without a reason, counted as failed.
# One PASS:/FAIL: line per check.  Environment: TOP_SRCDIR.
set -u
top=${TOP_SRCDIR:?}
work=$(mktemp -d "${TMPDIR:-/tmp}/vpcdns-ci-count.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
rc=0

# log NAME RESULT TEXT: a test log and automake's .trs beside it.
log()
{
	mkdir -p "$(dirname "$work/$1")"
	printf '%s\n' "$3" >"$work/$1.log"
	printf ':test-result: %s\n' "$2" >"$work/$1.trs"
}

expect()
{
	local desc=$1 want=$2 got
	got=$("$top/.ci/run" --count "$work" 2>"$work/stderr" | tail -n 1)
	if [ "$got" = "$want" ]; then
		echo "PASS: ci_count: $desc"
	else
		echo "FAIL: ci_count: $desc"
		echo "    expected: $want"
		echo "    got:      $got"
		sed 's/^/    | /' "$work/stderr"
		rc=1
	fi
}

log unit/check_a PASS "100%: Checks: 7, Failures: 0, Errors: 0"
log e2e/a/test.sh PASS "$(printf 'PASS: a: one\nPASS: a: two')"
log e2e/b/test.sh FAIL "$(printf 'PASS: b: one\nFAIL: b: two')"
expect "unit and e2e checks, no skip" "10 passed, 1 failed, 0 skipped"
log e2e/c/test.sh SKIP "SKIP: c: machine: no network namespaces (unshare -n)"
expect "a machine skip is a skip" "10 passed, 1 failed, 1 skipped"
log e2e/d/test.sh SKIP \
	"SKIP: d: missing package: curl is not installed (scripts/deps.sh installs it)"
expect "a missing-package skip is a failure" "10 passed, 2 failed, 1 skipped"
log e2e/e/test.sh SKIP "no reason at all"
expect "a skip without a reason is a failure" "10 passed, 3 failed, 1 skipped"
if grep -q 'counted as failed: SKIP: d: missing package: curl' "$work/stderr"; then
	echo "PASS: ci_count: the failed skip's reason is shown"
else
	echo "FAIL: ci_count: the failed skip's reason is shown"
	sed 's/^/    | /' "$work/stderr"
	rc=1
fi
exit "$rc"
