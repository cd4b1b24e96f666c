#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# run.sh - benchmark of aulandlock: on a synthetic but realistic ENRICHED
# audit log with about 1% Landlock denial events, time the full per-user
# summary against "grep -c LANDLOCK" (a floor: one pass over the bytes) and
# "ausearch -m 1423 --raw" (extracting the same events), in the same run,
# and measure peak RSS (GNU time) at two log sizes (SMALL and BIG = 10 x
# SMALL).  Not part of "make check".
#
# Usage: bench/report/run.sh [AULANDLOCK] [SMALL_MB]   (default 103 MB -> 1030 MB)
# Needs: cc, grep, ausearch (auditd), GNU time (apt-get install time), ~1.2 GB
# in $TMPDIR.  Exit status 1 if a target is missed at BIG: within 2x of grep,
# >= 8x faster than ausearch, peak RSS <= 64 MB and flat (BIG <= 1.5 x SMALL).
# grep writes its count to a file: GNU grep stops at the first match when its
# output is /dev/null.
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
		"$GT" -f "%e %M" -o "$TMP/time" "$@" > "$TMP/out" 2>/dev/null || true
		r=$(cat "$TMP/time" | tail -1)
		if [ -z "$best" ] || awk "BEGIN { exit !(${r% *} < ${best% *}) }"; then best=$r; fi
	done
	echo "$best"
}
ratio() { awk "BEGIN { printf \"%.1f\", $1 / ($2 > 0 ? $2 : 0.01) }"; }

echo "aulandlock benchmark on $(uname -r), $(nproc) CPUs, $(ausearch --version 2>&1 | head -1)"
printf '%-8s %9s %8s %7s %7s %10s %8s %9s %8s %9s\n' size lines denials aul_s grep_s ausearch_s \
	vs_grep vs_ausearch aul_MB ausearch_MB
fail=0
for mb in "$SMALL" "$BIG"; do
	log=$TMP/audit-$mb.log
	"$TMP/genlog" "$mb" > "$log" 2> "$TMP/gen.txt"
	cat "$log" > /dev/null # warm the page cache for all tools alike
	truth=$(grep -c 'type=UNKNOWN\[1423\]' "$log" || true)
	g=$(measure 3 grep -c LANDLOCK "$log")
	a=$(measure 3 "$AUL" -if "$log")
	got=$(sed -n 's/^Number of Landlock denials (logged): //p' "$TMP/out")
	s=$(measure 2 ausearch -m 1423 --raw -if "$log")
	as_count=$(grep -c 'type=UNKNOWN\[1423\]' "$TMP/out" || true)
	[ "$got" = "$truth" ] && [ "$as_count" = "$truth" ] ||
		{ echo "count mismatch: grep $truth, aulandlock $got, ausearch $as_count" >&2; fail=1; }
	vg=$(ratio "${a% *}" "${g% *}")
	va=$(ratio "${s% *}" "${a% *}")
	printf '%-8s %9s %8s %7s %7s %10s %7sx %8sx %8.1f %9.1f\n' "${mb}MB" "$(wc -l < "$log")" \
		"$truth" "${a% *}" "${g% *}" "${s% *}" "$vg" "$va" \
		"$(awk "BEGIN{print ${a#* }/1024}")" "$(awk "BEGIN{print ${s#* }/1024}")"
	eval "vg_$mb=$vg va_$mb=$va rss_$mb=${a#* }"
	rm -f "$log"
done
eval "vg=\$vg_$BIG va=\$va_$BIG rb=\$rss_$BIG rs=\$rss_$SMALL"
awk "BEGIN { exit !($vg <= 2) }" || { echo "FAIL: ${vg}x the time of grep -c at ${BIG}MB (target <= 2x)"; fail=1; }
awk "BEGIN { exit !($va >= 8) }" || { echo "FAIL: only ${va}x faster than ausearch at ${BIG}MB (target >= 8x)"; fail=1; }
[ "$rb" -le 65536 ] || { echo "FAIL: peak RSS ${rb} KB > 64 MB at ${BIG}MB"; fail=1; }
awk "BEGIN { exit !($rb <= $rs * 1.5) }" || { echo "FAIL: peak RSS grows: ${rs} KB -> ${rb} KB"; fail=1; }
echo "peak RSS: ${rs} KB at ${SMALL}MB, ${rb} KB at ${BIG}MB"
[ "$fail" = 0 ] && echo "PASS: within 2x of grep -c, >= 8x faster than ausearch, peak RSS <= 64 MB and flat"
exit "$fail"
