#!/bin/bash
# tests/deps_cover.sh - the scripts install what is used (issue 13: curl
# was not installed, so e2e/metrics and e2e/limits skipped on a fresh
# machine; dig was not installed by scripts/run, so the README tour failed).
# Every tool a scenario requires (require_tool in tests/e2e/*/test.sh) must
# come from a package of scripts/deps.sh's build or test lists, and every
# command of the README tour ("    $ dig ...") from the build or run lists,
# or a direct dependency of one (make, through build-essential), unless the
# package is essential to Debian.  One PASS:/FAIL: line per
# tool; exits 77 (machine) without dpkg.  Environment: TOP_SRCDIR.
set -u
top=${TOP_SRCDIR:?}
command -v dpkg >/dev/null 2>&1 || {
	echo "SKIP: deps_cover: machine: no dpkg (not a Debian machine)"
	exit 77
}
# shellcheck source=../scripts/deps.sh
. "$top/scripts/deps.sh" || exit 1
set +e
rc=0

# package_of TOOL: the Debian package that holds TOOL's command.
package_of()
{
	local path p
	path=$(command -v "$1") || return 1
	for p in "$path" "$(readlink -f "$path")" "/usr$path" "${path#/usr}"; do
		dpkg -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1 && return 0
	done
	return 1
}

# depends_of LIST: the packages LIST's packages depend on directly
# (build-essential brings make and gcc), space separated.
depends_of()
{
	# shellcheck disable=SC2086
	dpkg-query -W -f='${Depends}, ${Pre-Depends}\n' $1 2>/dev/null |
		tr ',|' '\n\n' | sed -E 's/^ *//; s/[ :(].*//' | grep . |
		sort -u | tr '\n' ' '
}

# covered WHAT TOOL LIST: TOOL's package is in LIST, a direct dependency
# of one of them, or essential.
covered()
{
	local what=$1 tool=$2 list=" $3 $(depends_of "$3") " pkg ess
	if ! pkg=$(package_of "$tool") || [ -z "$pkg" ]; then
		echo "FAIL: deps_cover: $what: $tool is not installed (no package in scripts/deps.sh provides it)"
		rc=1
		return
	fi
	ess=$(dpkg-query -W -f='${Essential} ${Priority}' "$pkg" 2>/dev/null)
	case "$list" in
	*" $pkg "*) echo "PASS: deps_cover: $what: $tool ($pkg)" ;;
	*)
		case "$ess" in
		yes* | *required) echo "PASS: deps_cover: $what: $tool ($pkg, essential)" ;;
		*)
			echo "FAIL: deps_cover: $what: $tool comes from $pkg, which scripts/deps.sh does not install"
			rc=1
			;;
		esac
		;;
	esac
}

tools=$(sed -nE 's/^[[:space:]]*require_tool[[:space:]]+//p' "$top"/tests/e2e/*/test.sh |
	tr ' ' '\n' | grep -E '^[a-z][a-z0-9_.-]*$' | sort -u)
for t in $tools; do
	covered "tests" "$t" "$VPCDNS_BUILD_DEPS $VPCDNS_TEST_DEPS"
done
tour=$(sed -nE 's/^    \$ ([a-z][a-z0-9_.-]*) .*/\1/p' "$top/README.md" | sort -u)
for t in $tour; do
	covered "README tour after scripts/run" "$t" \
		"$VPCDNS_BUILD_DEPS ${VPCDNS_RUN_DEPS:-}"
done
exit "$rc"
