#!/bin/bash
# tests/dist_files.sh TARBALL SRCDIR - the release tarball (`make dist`)
# holds what the README and the docs point a reader to: every relative
# link of README.md, docs/ (DESIGN, BENCHMARKS, the catalog, the benchmark
# results) and tests/soak/.  Run by `make check-dist`; one PASS:/FAIL: line
# per check, exit 1 when one failed.
set -u
tarball=${1:?usage: dist_files.sh TARBALL SRCDIR}
src=${2:?usage: dist_files.sh TARBALL SRCDIR}
rc=0
list=$(tar -tzf "$tarball") || exit 1
prefix=${list%%/*}

want()
{
	if printf '%s\n' "$list" | grep -Fxq "$prefix/$1"; then
		echo "PASS: dist_files: $1"
	else
		echo "FAIL: dist_files: $1 is not in $(basename "$tarball")"
		rc=1
	fi
}

# The README's relative links (a folder link: its files), docs/ and
# tests/soak/, each once.
files=$(cd "$src" &&
	for l in $(grep -oE '\]\([^)#:]+\)' README.md | sed 's/^](//; s/)$//'); do
		if [ -d "$l" ]; then find "$l" -type f; else echo "$l"; fi
	done
	find docs tests/soak -type f)
for f in $(printf '%s\n' "$files" | sed 's|^\./||' | sort -u); do
	want "$f"
done
exit "$rc"
