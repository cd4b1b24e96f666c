#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# run.sh - benchmark of aulandlock (issue 5): on a synthetic but realistic
# ENRICHED audit log with about 1% Landlock denial events, time the full
# per-user summary against "ausearch -m 1423 --raw" extracting the same
# events, in the same run, and measure peak RSS (GNU time) at two log sizes
# (SMALL and BIG = 10 x SMALL).  Not part of "make check".
#
# Usage: bench/report/run.sh [AULANDLOCK] [SMALL_MB]   (default 103 MB -> 1030 MB)
# Needs: cc, ausearch (auditd), GNU time (apt-get install time), ~1.2 GB in $TMPDIR.
# Exit status 1 if the targets are missed (>= 10x faster at BIG, <= 64 MB RSS).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
AUL=${1:-$(pwd)/tools/aulandlock}
SMALL=${2:-103}
BIG=$((SMALL * 10))
GT=/usr/bin/time
[ -x "$AUL" ] || { echo "run.sh: $AUL: not executable; build it (make) or pass its path" >&2; exit 2; }
[ -x "$GT" ] || { echo "run.sh: GNU time missing: apt-get install time" >&2; exit 2; }
command -v ausearch >/dev/null || { echo "run.sh: ausearch missing: apt-get install auditd" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/var/tmp}/aulandlock-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
${CC:-cc} -O2 -o "$TMP/genlog" "$HERE/genlog.c"

# best of N runs: prints "seconds max_rss_kb"
measure() {
	n=$1; shift
	best=
	for i in $(seq 1 "$n"); do
		"$GT" -f "%e %M" -o "$TMP/time" "$@" > "$TMP/out" 2>/dev/null
		r=$(cat "$TMP/time")
		if [ -z "$best" ] || awk "BEGIN { exit !(${r% *} < ${best% *}) }"; then best=$r; fi
	done
	echo "$best"
}

echo "aulandlock benchmark on $(uname -r), $(nproc) CPUs, $(ausearch --version 2>&1 | head -1)"
printf '%-8s %10s %10s %10s %12s %12s %9s %s\n' size lines denials aul_s ausearch_s speedup aul_rss_MB ausearch_rss_MB
fail=0
for mb in "$SMALL" "$BIG"; do
	log=$TMP/audit-$mb.log
	"$TMP/genlog" "$mb" > "$log" 2> "$TMP/gen.txt"
	cat "$log" > /dev/null # warm the page cache for both tools alike
	truth=$(grep -c 'type=UNKNOWN\[1423\]' "$log")
	a=$(measure 3 "$AUL" -if "$log")
	got=$(sed -n 's/^Number of Landlock denials (logged): //p' "$TMP/out")
	s=$(measure 2 ausearch -m 1423 --raw -if "$log")
	as_count=$(grep -c 'type=UNKNOWN\[1423\]' "$TMP/out")
	[ "$got" = "$truth" ] && [ "$as_count" = "$truth" ] ||
		{ echo "count mismatch: grep $truth, aulandlock $got, ausearch $as_count" >&2; fail=1; }
	speed=$(awk "BEGIN { printf \"%.1f\", ${s% *} / (${a% *} > 0 ? ${a% *} : 0.01) }")
	printf '%-8s %10s %10s %10s %12s %11sx %9.1f %9.1f\n' "${mb}MB" "$(wc -l < "$log")" "$truth" \
		"${a% *}" "${s% *}" "$speed" "$(awk "BEGIN{print ${a#* }/1024}")" "$(awk "BEGIN{print ${s#* }/1024}")"
	eval "speed_$mb=$speed rss_$mb=${a#* }"
	rm -f "$log"
done
eval "sb=\$speed_$BIG rb=\$rss_$BIG rs=\$rss_$SMALL"
awk "BEGIN { exit !($sb >= 10) }" || { echo "FAIL: speedup ${sb}x < 10x at ${BIG}MB"; fail=1; }
[ "$rb" -le 65536 ] || { echo "FAIL: peak RSS ${rb} KB > 64 MB at ${BIG}MB"; fail=1; }
echo "peak RSS: ${rs} KB at ${SMALL}MB, ${rb} KB at ${BIG}MB"
[ "$fail" = 0 ] && echo "PASS: >= 10x faster than ausearch, peak RSS <= 64 MB and flat"
exit "$fail"
