#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/syslog_stall.sh - a stalled syslog reader never holds up a login
# (issue 9, item 8).  /dev/log is, in a private mount namespace, a datagram
# socket that nobody reads and whose queue is full (filled by the reader
# itself before it stalls).  The application is tests/tools/ll-session, a
# minimal PAM application that logs nothing itself (glibc's syslog(3), used
# by pam_unix, su and most applications, blocks on such a socket: the
# module cannot make them fast); its PAM stack is our line only.
#
# Checks, with confine=children (the opener forks a confined child) and
# confine=opener (the opener is confined): the session opens, its command
# runs confined and the opener finishes its first phase within 5 seconds;
# the module's lines were dropped, not queued (the reader got none of
# them); the audit enforce record says syslog=EAGAIN; once the reader runs
# again, the opener's next line (the refusal of a second session in the
# same process) goes through and counts exactly the lines this process
# dropped before ("(N earlier pam_landlock syslog line(s) dropped)"), N
# taken from the same session run with a reader that keeps up.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init unshare mount timeout
PY=/usr/bin/python3
[ -x "$PY" ] || prereq_missing "$PY (package python3)"
SESSION="$top_builddir/tests/tools/ll-session"
[ -x "$SESSION" ] || prereq_missing "helper ll-session not built (make check builds it)"
[ -S /dev/log ] || { echo "FAIL: no /dev/log after syslog_start"; exit 1; }

mkdir -m 0755 "$WORK/pam.d"
printf 'auth required pam_deny.so\naccount required pam_deny.so\nsession required pam_deny.so\n' >"$WORK/pam.d/other"
for m in children opener; do
	echo "session required $MODULE conf=$POLICY confine=$m" >"$WORK/pam.d/ll-$m"
done
chmod 0644 "$WORK/pam.d"/*

# The reader: binds PATH, fills its own queue until the kernel says EAGAIN,
# touches READY; when RESUME exists it reads everything into OUT (fillers
# left out), touching DRAINED once the queue is empty, until killed.
cat >"$WORK/reader.py" <<'EOF'
import os, socket, sys, time
path, out, ready, resume, drained = sys.argv[1:6]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o666)
f = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
f.setblocking(False)
n = 0
while True:
    try:
        f.sendto(b"<13>FILLER", path)
        n += 1
    except BlockingIOError:
        break
open(ready, "w").write("%d\n" % n)
while not os.path.exists(resume):
    time.sleep(0.02)
s.setblocking(False)
with open(out, "ab", buffering=0) as o:
    while True:
        try:
            d = s.recv(65536)
        except BlockingIOError:
            if not os.path.exists(drained):
                open(drained, "w").close()
            time.sleep(0.02)
            continue
        if d != b"<13>FILLER":
            o.write(d + b"\n")
EOF
# run MODE TAG STALL: one session of U with confine=MODE; with STALL=1 the
# reader is stalled until the opener's first phase is done.
run() {
	local mode=$1 tag=$2 stall=$3 r="$WORK/$2" i t0 t1
	rm -f "$r".*
	"$PY" "$WORK/reader.py" "$r.sock" "$r.log" "$r.ready" "$r.resume" "$r.drained" 9>&- &
	local rpid=$!
	at_exit "kill $rpid"
	for i in $(seq 100); do [ -e "$r.ready" ] && break; sleep 0.05; done
	if [ "$stall" != 1 ]; then
		touch "$r.resume"
		for i in $(seq 100); do [ -e "$r.drained" ] && break; sleep 0.05; done
	fi
	svc_mark
	t0=$(date +%s%N)
	SVC_BIND="$r.sock:/dev/log" svc_ns timeout 30 "$SESSION" --reopen "$r.gate" "$WORK/pam.d" "ll-$mode" "$U" -- \
		/bin/sh -c "echo SH=\$\$; touch $DENY_DIR/$LL_TAG-\$\$; echo TOUCH=\$?" >"$r.out" 2>&1 &
	local spid=$!
	for i in $(seq 300); do grep -q '^DONE' "$r.out" && break; kill -0 "$spid" 2>/dev/null || break; sleep 0.02; done
	t1=$(date +%s%N)
	echo "$(((t1 - t0) / 1000000))" >"$r.ms"
	cp "$r.log" "$r.before" 2>/dev/null || : >"$r.before"
	touch "$r.resume"
	for i in $(seq 100); do [ -e "$r.drained" ] && break; sleep 0.05; done
	touch "$r.gate"
	wait "$spid"
	echo "SVC-EXIT=$?" >>"$r.out"
	sleep 0.2
	kill "$rpid"
}
lines() { grep -c "pam_landlock(ll-$1:session): " "$WORK/$2.log"; }

for mode in children opener; do
	log "confine=$mode: a reader that keeps up"
	run "$mode" "$mode-ok" 0
	check "$mode-ok: the session ran confined" grep -q "TOUCH=1" "$WORK/$mode-ok.out"
	check "$mode-ok: the second session was refused" grep -q "^SECOND=Permission denied" "$WORK/$mode-ok.out"
	opener=$(grep -ao "ll-session\[[0-9]*\]: pam_landlock(ll-$mode:session): session refused" "$WORK/$mode-ok.log" | sed 's/.*\[\([0-9]*\)\].*/\1/')
	# Lines of the opener before the refusal: what a stalled reader makes it drop.
	want=$(grep -a "ll-session\[$opener\]: pam_landlock(ll-$mode:session): " "$WORK/$mode-ok.log" | grep -vc "session refused")
	check "$mode-ok: the opener logged $want line(s) before the refusal, none dropped" \
		refute grep -q "earlier pam_landlock syslog line(s) dropped" "$WORK/$mode-ok.log"

	log "confine=$mode: a stalled reader (queue full: $(cat "$WORK/$mode-ok.ready" | tr -d '\n') datagrams)"
	run "$mode" "$mode-stall" 1
	ms=$(cat "$WORK/$mode-stall.ms")
	check "$mode-stall: the session opened and its command ran confined" grep -q "TOUCH=1" "$WORK/$mode-stall.out"
	check "$mode-stall: the opener's first phase finished in $ms ms (< 5000)" test "$ms" -lt 5000
	check "$mode-stall: no line of the module reached the stalled reader" \
		test "$(grep -c pam_landlock "$WORK/$mode-stall.before")" = 0
	check "$mode-stall: the enforce record says the syslog line was lost (syslog=EAGAIN)" \
		audit_wait "op=pam_landlock-enforce acct=\"$U\" service=ll-$mode .* syslog=EAGAIN " 5
	check "$mode-stall: the second session was refused" grep -q "^SECOND=Permission denied" "$WORK/$mode-stall.out"
	check "$mode-stall: the application finished" grep -q "SVC-EXIT=0" "$WORK/$mode-stall.out"
	check "$mode-stall: the refusal, once the reader runs, counts the $want dropped line(s)" \
		grep -q "pam_landlock(ll-$mode:session): session refused for $U: .* ($want earlier pam_landlock syslog line(s) dropped)" "$WORK/$mode-stall.log"
	log "$mode-stall: $(grep -ao 'session refused for .*' "$WORK/$mode-stall.log" | head -1)"
done
finish
