#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# make-corpus.sh - produce the reporter's real audit corpus (run as root on
# a Landlock ABI >= 7 kernel with auditd running; does not touch auditd's
# configuration).  Runs small real sandboxes (llsandbox) as several users,
# then copies the audit records written meanwhile - including any other
# activity on the machine, e.g. pam_landlock end-to-end sessions - into
# tests/report/corpus/.  Usage: make-corpus.sh LLSANDBOX [LOG]
set -eu
SB=${1:?usage: make-corpus.sh path/to/llsandbox [audit.log]}
LOG=${2:-/var/log/audit/audit.log}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$HERE/corpus
W=/tmp/llcorpus
[ "$(id -u)" = 0 ] || { echo "make-corpus.sh: run as root" >&2; exit 1; }
auditctl -s | grep -q '^enabled 1' || { echo "make-corpus.sh: audit is not enabled" >&2; exit 1; }

rm -rf "$W"; mkdir -p "$W/ro/dir" "$W/rw1" "$W/rw2" "$W/nt" "$W/data" "$W/nox"
echo data > "$W/ro/file"; echo moved > "$W/rw1/f"; echo t > "$W/nt/file"
cp /bin/true "$W/nox/mytrue"
for i in $(seq 1 30); do echo "$i" > "$W/data/f$i.csv"; done
chmod -R a+rwX "$W"
BASE="-r /usr -r /lib -r /lib64 -r /bin -r /etc -w /dev/null -r /proc"

before=$(wc -l < "$LOG")
set +e
# 1. a user's session: create in /tmp, list /home
"$SB" -l 2101 -u 2101 $BASE -- sh -c 'touch /tmp/llc-a; ls /home' 2>/dev/null
# 2. no login uid (a daemon): attribution falls back to uid; network
"$SB" -u 2102 $BASE -- bash -c 'echo x > /etc/ll-corpus; echo > /dev/tcp/127.0.0.1/9;
  python3 -c "import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 8081))"' 2>/dev/null
# 3. root inside a user's session (su): signal scope, mkdir, mount
"$SB" -l 2101 -u 0 -s $BASE -- sh -c 'kill -0 1; mkdir /var/tmp/llc-d; mount -t tmpfs none /mnt' 2>/dev/null
# 4. a pam_landlock-style session record, then 30 reads in one directory
"$SB" -l 2103 -u 2103 -P sshd $BASE -- sh -c 'for f in "$@"; do cat "$f"; done' sh "$W"/data/*.csv >/dev/null 2>&1
# 5. every fs right on files and directories
"$SB" -l 2104 -u 2104 $BASE -r "$W/ro" -w "$W/rw1" -w "$W/rw2" -t "$W/nt" -- sh -c "
  mv $W/rw1/f $W/rw2/f; mkfifo $W/ro/fifo; ln -s x $W/ro/sym; rm -f $W/ro/file;
  rmdir $W/ro/dir; echo > $W/ro/newfile; truncate -s 0 $W/nt/file; $W/nox/mytrue;
  python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"$W/ro/sock\")'" 2>/dev/null
# 6. ioctl on a device
"$SB" -l 2105 -u 2105 $BASE -r /dev/zero -- stty -F /dev/zero 2>/dev/null
# 7. abstract UNIX socket scope
socat ABSTRACT-LISTEN:llcorpus,fork /dev/null & SOCAT=$!
sleep 0.3
"$SB" -l 2105 -u 2105 -s $BASE -- socat - ABSTRACT-CONNECT:llcorpus </dev/null 2>/dev/null
kill $SOCAT 2>/dev/null
# 8. nobody, allowed port 80 only
"$SB" -l 65534 -u 65534 -c 80 $BASE -- bash -c 'echo > /dev/tcp/127.0.0.1/25' 2>/dev/null
set -e
sleep 2 # deallocation records come when the domains are freed

mkdir -p "$OUT"
tail -n +"$((before + 1))" "$LOG" > "$OUT/real-enriched.log"
# Derived views of the same records: raw format with both record names mixed
# (odd serials renamed), and two nodes interleaved line by line.
awk '{ sub(/\035.*/, ""); if (match($0, /:[0-9]+\):/)) { s = substr($0, RSTART + 1, RLENGTH - 3);
  if (s % 2) { sub(/UNKNOWN\[1423\]/, "LANDLOCK_ACCESS"); sub(/UNKNOWN\[1424\]/, "LANDLOCK_DOMAIN") } }
  print }' "$OUT/real-enriched.log" > "$OUT/real-raw-mixed-names.log"
awk 'NR == FNR { a[FNR] = $0; n = FNR; next } { print "node=alpha " a[FNR]; print "node=beta " $0 }' \
  "$OUT/real-enriched.log" "$OUT/real-raw-mixed-names.log" > "$OUT/real-two-nodes.log"
rm -rf "$W" /tmp/llc-a /var/tmp/llc-d
wc -l "$OUT"/*.log
