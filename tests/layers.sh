#!/bin/bash
# tests/layers.sh - the build's layer rule (STYLE.md §1, docs/DESIGN.md):
# the core (resolver/util, dns, engine, conf = libvpccore.la) never reaches
# libuv or c-ares.  Two checks, one PASS:/FAIL: line each:
#   1. no core source or header includes <uv.h>, <ares*.h> or an io/ or
#      cli/ header;
#   2. no object in libvpccore.a references (or defines) a uv_ or ares_
#      symbol (nm), so a call that slips in through a macro or a prototype
#      written by hand is caught too.
# Environment: TOP_SRCDIR, CORE_ARCHIVE (the libtool archive's .a), NM.
set -u
top=${TOP_SRCDIR:?}
archive=${CORE_ARCHIVE:?}
nm=${NM:-nm}
core_dirs="util dns engine conf"
rc=0

includes=$(cd "$top/resolver" && grep -nE \
	'^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]((uv|ares)[a-z_]*\.h|(io|cli)/)' \
	$(for d in $core_dirs; do echo "$d"/*.[ch]; done) 2>/dev/null)
if [ -z "$includes" ]; then
	echo "PASS: layers: no core file includes libuv, c-ares, io/ or cli/ headers"
else
	echo "FAIL: layers: core files include edge headers:"
	echo "$includes" | sed 's/^/    resolver\//'
	rc=1
fi

if [ ! -f "$archive" ]; then
	echo "FAIL: layers: $archive not built"
	exit 1
fi
# nm -A prints "archive:object: address type name"; keep the edge ones.
symbols=$($nm -A "$archive" 2>/dev/null | awk '$NF ~ /^_?(uv|ares)_/ {print}')
if [ -z "$symbols" ]; then
	echo "PASS: layers: libvpccore references no uv_ or ares_ symbol"
else
	echo "FAIL: layers: libvpccore references edge symbols:"
	echo "$symbols" | sed 's/^/    /'
	rc=1
fi
exit $rc
