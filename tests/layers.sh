#!/bin/bash
# tests/layers.sh - the build's layer rule (STYLE.md §1, docs/DESIGN.md):
# the core (resolver/util, dns, engine, conf = libvpccore.la) never reaches
# libuv or c-ares, nor the file system, and the command line holds no
# sockets.  Four checks, one PASS:/FAIL: line each:
#   1. no core source or header includes <uv.h>, <ares*.h> or an io/ or
#      cli/ header;
#   2. no object in libvpccore.a references (or defines) a uv_ or ares_
#      symbol (nm), so a call that slips in through a macro or a prototype
#      written by hand is caught too;
#   3. no object in libvpccore.a calls into the file system (open, fopen,
#      opendir, stat, read, glob, getcwd... by nm): the core takes text,
#      and files are read through a struct reader (util/reader.h) that an
#      edge supplies (io/files.c).  In-memory streams (fmemopen,
#      open_memstream) and writing to stderr are not file access;
#   4. the command line (resolver/cli) holds no sockets: a query it needs
#      goes through io/ (io/ask.h).
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
# Undefined references only: a core function may be named like a libc
# one only by accident, and then its callers are caught by this list too.
fs_calls='open|open64|openat|openat64|creat|fopen|fopen64|freopen|fdopen'
fs_calls="$fs_calls|opendir|fdopendir|readdir|readdir64|scandir|glob|glob64"
fs_calls="$fs_calls|stat|stat64|lstat|lstat64|fstat|fstat64|fstatat|__xstat"
fs_calls="$fs_calls|__lxstat|__fxstat|statx|access|faccessat|realpath"
fs_calls="$fs_calls|getcwd|chdir|read|pread|pread64|readlink|mmap|mmap64"
fs_calls="$fs_calls|unlink|rename|mkdir|rmdir|mkstemp|tmpfile|ftw|nftw"
files=$($nm -A "$archive" 2>/dev/null |
	awk -v re="^($fs_calls)(@.*)?\$" '$(NF-1) == "U" && $NF ~ re {print}')
if [ -z "$files" ]; then
	echo "PASS: layers: libvpccore calls no file system function"
else
	echo "FAIL: layers: libvpccore reads files itself (give it a struct reader, util/reader.h):"
	echo "$files" | sed 's/^/    /'
	rc=1
fi
sockets=$(cd "$top/resolver" && grep -nE \
	'(^|[^_[:alnum:]])(socket|sendto|sendmsg|recvfrom|recvmsg|recv|connect|bind|setsockopt)[[:space:]]*\(' \
	cli/*.c 2>/dev/null)
if [ -z "$sockets" ]; then
	echo "PASS: layers: the command line holds no sockets"
else
	echo "FAIL: layers: cli/ uses sockets itself (use io/, e.g. io/ask.h):"
	echo "$sockets" | sed 's/^/    resolver\//'
	rc=1
fi
exit $rc
