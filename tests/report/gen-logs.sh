#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# gen-logs.sh OUTFILE - a real audit log for the reporter's differential
# tests (diff.sh): real Landlock sandboxes (llsandbox, forced logging) on
# this kernel, written by a real auditd (ENRICHED format), covering every
# class of issue 11:
#   - four users with and without a login uid, root inside a user's
#     session, a user deleted from passwd after logging (ENRICHED names);
#   - every blocker ABI 7 logs: all fs rights, bind/connect TCP (also bind
#     to port 0, with and without an address), abstract UNIX and signal
#     scopes, mount (fs.change_topology), ptrace; nested domains;
#   - pam_landlock records: enforce (with and without the newer fields and
#     hex-encoded hostname/terminal), landlockctl trials (op=..-try) and
#     refusals;
#   - concurrent writers (sandboxes in parallel, so records interleave);
#   - awkward names: newline, tab, quotes, 0xff, UTF-8, an escape sequence,
#     '$', '%', backslash, a formula, and a path of more than 2,000 bytes;
#     a program whose name has a space and a control character;
#   - a domain with 60 distinct objects (exact top lists, "N more").
# Needs root, Landlock ABI >= 7, auditd, python3, socat.  Uses the running
# audit daemon or starts its own (tests/e2e/lib.sh), like the e2e tests.
set -u
out=${1:?usage: gen-logs.sh OUTFILE}
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
source "$top_srcdir/tests/e2e/lib.sh"
SB=$top_builddir/tests/report/llsandbox

need_root
need_cmd python3 socat auditctl useradd userdel
need_landlock_abi 7
[ -x "$SB" ] || prereq_missing "llsandbox not built at $SB (run make check)"
workdir
audit_start
# a burst of denials must not overflow the kernel's audit backlog
bl=$(auditctl -s | awk '$1 == "backlog_limit" { print $2 }')
auditctl -b 16384 >/dev/null && at_exit "auditctl -b '${bl:-64}'"

W=$WORK/w
mkdir -p "$W/ro/dir" "$W/rw1" "$W/rw2" "$W/nt" "$W/data" "$W/nox" "$W/names" "$W/many"
echo data >"$W/ro/file"
echo moved >"$W/rw1/f"
echo t >"$W/nt/file"
cp /bin/true "$W/nox/mytrue"
for i in $(seq 1 30); do echo "$i" >"$W/data/f$i.csv"; done
for i in $(seq 1 60); do echo "$i" >"$W/many/obj$i"; done
# awkward names (each is read, and denied, below)
names=(
	$'forge\nNumber of Landlock denials (logged): 999999'
	$'tab\there' 'quote"d' "single'q" $'bad\xffbyte' 'ünïcødé-名前' $'esc\e[31mred'
	'dollar$HOME' 'pct%41%' 'back\slash' '=HYPERLINK("x")' '-dash' 'semi;colon=eq,comma'
)
for n in "${names[@]}"; do printf 'x\n' >"$W/names/$n"; done
long=$W/names
for i in $(seq 1 11); do long=$long/$(printf 'd%.0s' $(seq 1 200))$i; done
mkdir -p "$long"
echo x >"$long/leaf"
cp /bin/cat "$W/nox/my "$'\a'"cat"
chmod -R a+rwX "$W"

ua=$(user_add a) && ub=$(user_add b) && uc=$(user_add c) && ud=$(user_add d) ||
	prereq_missing "useradd failed"
ida=$(id -u "$ua") idb=$(id -u "$ub") idc=$(id -u "$uc") idd=$(id -u "$ud")
BASE="-r /usr -r /lib -r /lib64 -r /bin -r /etc -w /dev/null -r /proc"

audit_mark
set +e
# a user's session: create in /tmp, list /home
"$SB" -l "$ida" -u "$ida" $BASE -- sh -c 'touch /tmp/llgen-a; ls /home' 2>/dev/null
# no login uid (a daemon): attribution falls back to uid; network, port 0
"$SB" -u "$idb" $BASE -- bash -c 'echo x > /etc/ll-gen; echo > /dev/tcp/127.0.0.1/9;
  python3 -c "
import socket
for a in (\"127.0.0.1\", \"0.0.0.0\"):
    for p in (8081, 0):
        try: socket.socket().bind((a, p))
        except OSError: pass"' 2>/dev/null
# root inside a user's session: signal scope, mkdir, mount, mknod, ptrace
sleep 300 & victim=$!
"$SB" -l "$ida" -u 0 -s $BASE -- sh -c "kill -0 1; mkdir /var/tmp/llgen-d; mount -t tmpfs none /mnt;
  mknod $W/ro/cdev c 1 3; mknod $W/ro/bdev b 7 0;
  python3 -c 'import ctypes; ctypes.CDLL(None).ptrace(16, $victim, 0, 0)'" 2>/dev/null
kill "$victim"
wait "$victim" 2>/dev/null
# pam_landlock sessions: enforce (new fields, hex-encoded host), then 30 reads
"$SB" -l "$idc" -u "$idc" -P sshd -A "$uc" -E $BASE -- sh -c 'for f in "$@"; do cat "$f"; done' \
	sh "$W"/data/*.csv >/dev/null 2>&1
# every fs right on files and directories
"$SB" -l "$ida" -u "$ida" -P login -A "$ua" $BASE -r "$W/ro" -w "$W/rw1" -w "$W/rw2" -t "$W/nt" -- sh -c "
  mv $W/rw1/f $W/rw2/f; mkfifo $W/ro/fifo; ln -s x $W/ro/sym; rm -f $W/ro/file;
  rmdir $W/ro/dir; echo > $W/ro/newfile; truncate -s 0 $W/nt/file; $W/nox/mytrue;
  python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"$W/ro/sock\")'" 2>/dev/null
# ioctl on a device; abstract UNIX socket scope
"$SB" -l "$idb" -u "$idb" $BASE -r /dev/zero -- stty -F /dev/zero 2>/dev/null
socat ABSTRACT-LISTEN:llgen,fork /dev/null & sc=$!
sleep 0.3
"$SB" -l "$idb" -u "$idb" -s $BASE -- socat - ABSTRACT-CONNECT:llgen </dev/null 2>/dev/null
kill "$sc"
wait "$sc" 2>/dev/null
# nobody, allowed port 80 only
"$SB" -l 65534 -u 65534 -c 80 $BASE -- bash -c 'echo > /dev/tcp/127.0.0.1/25' 2>/dev/null
# a landlockctl trial, and a refused session
"$SB" -l "$ida" -u "$ida" -P sshd -O try -A "$ua" $BASE -- cat "$W/data/f1.csv" 2>/dev/null
"$SB" -l "$ida" -P sshd -O refused -A "$ua" -- true 2>/dev/null
# nested domains: the user sandboxes itself again
"$SB" -l "$ida" -u "$ida" $BASE -r "$W/data" -- "$SB" $BASE -r "$W/many" -- \
	sh -c "cat $W/data/f2.csv; cat $W/many/obj1; cat $W/ro/file" 2>/dev/null
# awkward names, and a program with a space and a BEL in its name
"$SB" -l "$idc" -u "$idc" $BASE -- sh -c 'for f in "$@"; do cat "$f"; done' sh "$W"/names/* \
	"$long/leaf" >/dev/null 2>&1
"$SB" -l "$idc" -u "$idc" $BASE -r "$W/nox" -- "$W/nox/my "$'\a'"cat" "$W/data/f3.csv" 2>/dev/null
# 60 distinct objects in one domain
"$SB" -l "$idd" -u "$idd" $BASE -- sh -c 'for f in "$@"; do cat "$f"; done' sh "$W"/many/* \
	>/dev/null 2>&1
# concurrent writers: sandboxes in parallel, their records interleave
pids=
for k in 1 2 3 4 5 6; do
	"$SB" -l "$ida" -u "$ida" $BASE -- sh -c 'for i in $(seq 1 25); do cat "$1"; echo > /tmp/llgen-c; done' \
		sh "$W/data/f$k.csv" >/dev/null 2>&1 &
	pids="$pids $!"
done
wait $pids
# a user deleted after logging: the log keeps its ENRICHED name
"$SB" -l "$idd" -u "$idd" $BASE -- cat "$W/data/f4.csv" 2>/dev/null

sleep 2 # deallocation records come when the domains are freed
userdel -r -f "$ud" 2>/dev/null
# the log goes on: a record past the checkpoint hold-back (3 s) of the last event
sleep 3.5
auditctl -m "llgen: end of the scenarios" >/dev/null 2>&1
audit_wait "llgen: end of the scenarios" 5 ||
	{ echo "FAIL: the audit log did not record the end marker"; exit 1; }
audit_new >"$out"
rm -f /tmp/llgen-a /tmp/llgen-c /etc/ll-gen
rmdir /var/tmp/llgen-d 2>/dev/null
n=$(grep -ac 'type=UNKNOWN\[1423\]\|type=LANDLOCK_ACCESS' "$out")
echo "gen-logs: $(wc -l <"$out") lines, $n denials in $out"
[ "$n" -gt 300 ] || { echo "FAIL: too few denials logged ($n)"; exit 1; }
exit 0
