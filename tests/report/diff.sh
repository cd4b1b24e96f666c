#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# diff.sh - the reporter's differential test layer (make check): aulandlock
# against an independent reading of the record formats (oracle.py), on
#  - the committed real logs (tests/report/corpus), and
#  - a log made now with our own sandboxer on this kernel (gen-logs.sh, as
#    root with auditd; under CI=true its prerequisites are required),
# with the variants difftest.py derives (raw format, two nodes with
# colliding serials and clocks 5 s apart either way, missing SYSCALL
# records).  Checks: every view x format x engine with filters; checkpoint
# sequences cut at every line; follow mode (tail and plugin, both engines);
# rotations, gzip, corrupt and truncated gzip, gaps; --suggest through
# libconfig; the session context of denials, the --sessions and
# --revisions views, every alert rule (and a threshold not reached), a
# follower restarted with --checkpoint.  See difftest.py.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
HERE=$top_srcdir/tests/report
AUL=$top_builddir/tools/aulandlock
CONF_PATHS=$top_builddir/tests/report/conf_paths
PY="python3 $HERE/difftest.py"
export PYTHONDONTWRITEBYTECODE=1 # the source tree may be read-only (distcheck)

skip() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: missing prerequisite under CI=true: $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
command -v python3 >/dev/null || skip "python3 not found (apt-get install python3)"
command -v ausyscall >/dev/null || skip "ausyscall not found (apt-get install auditd)"

TMP=$(mktemp -d /tmp/lldiff.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
rc=0
step() { # step NAME CHECK ARGS...
	local name=$1
	shift
	echo "== $name"
	$PY "$@" || rc=1
}

logs=("$HERE"/corpus/*.log)
fresh=
if [ "$(id -u)" = 0 ] && command -v auditd >/dev/null; then
	if bash "$HERE/gen-logs.sh" "$TMP/fresh.log"; then
		fresh=$TMP/fresh.log
	else
		echo "FAIL: gen-logs.sh could not make a real log"
		rc=1
	fi
elif [ "${CI:-}" = true ]; then
	echo "FAIL: missing prerequisite under CI=true: root and auditd (to make a real log)"
	exit 1
else
	echo "# not root or no auditd: only the committed logs (tests/report/corpus)"
fi
real=${fresh:-$HERE/corpus/diff-real.log}
mkdir -p "$TMP/derived"
mapfile -t derived < <($PY derive "$AUL" "$real" "$TMP/derived")

step "views: committed logs" views "$AUL" "${logs[@]}"
step "views: $(basename "$real") and its variants" views "$AUL" ${fresh:+"$fresh"} "${derived[@]}"
step "checkpoint sequences: $(basename "$real")" checkpoint "$AUL" "$real"
step "checkpoint sequences: two nodes, clocks apart" checkpoint "$AUL" "$TMP/derived/two-nodes-behind.log" 3
step "follow" follow "$AUL" "$real" "$TMP/derived/two-nodes-ahead.log"
step "alerts" alerts "$AUL" "${logs[@]}" ${fresh:+"$fresh"}
step "inputs" inputs "$AUL" "$real"
step "suggest" suggest "$AUL" "$CONF_PATHS" "$real"
[ "$rc" = 0 ] && echo "PASS" || echo "FAIL"
exit "$rc"
