#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# follow.sh - aulandlock's follow mode (libauparse feed): the auditd plugin
# preset on a stream, and tailing a growing log until SIGTERM.  Each must
# print exactly one JSON/CSV denial per 1423 record of the corpus.
set -eu
AUL=${top_builddir:-.}/tools/aulandlock
CORPUS=${top_srcdir:-.}/tests/report/corpus
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for f in real-enriched.log real-raw-mixed-names.log; do
	want=$(grep -c -E 'type=(UNKNOWN\[1423\]|LANDLOCK_ACCESS) ' "$CORPUS/$f")
	"$AUL" --plugin "$TMP/out.json" < "$CORPUS/$f" || fail "plugin mode exit $?"
	got=$(grep -c '"record":"denial"' "$TMP/out.json")
	[ "$got" = "$want" ] || fail "plugin mode on $f: $got denials, expected $want"
	rm -f "$TMP/out.json" "$TMP/out.json.checkpoint"
	echo "ok: --plugin on $f: $got denials"
done

f=$CORPUS/real-enriched.log
want=$(grep -c 'type=UNKNOWN\[1423\] ' "$f")
: > "$TMP/audit.log"
"$AUL" --follow="$TMP/audit.log" --denials --format csv > "$TMP/out.csv" &
pid=$!
sleep 1
head -n 60 "$f" >> "$TMP/audit.log"
sleep 1
mv "$TMP/audit.log" "$TMP/audit.log.1" # rotation
tail -n +61 "$f" > "$TMP/audit.log"
sleep 5
kill -TERM "$pid"
wait "$pid" || fail "follow mode exit status $?"
got=$(($(wc -l < "$TMP/out.csv") - 1))
[ "$got" = "$want" ] || fail "tail mode: $got denials, expected $want"
echo "ok: --follow=FILE across a rotation: $got denials"
