#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/login.sh - pam_landlock under Debian's real login(1) (shadow),
# driven as a person would on a terminal: a pty (expect), a getty-style utmp
# entry (svc-getty), "login -f USER" as root.  login's PAM service name is
# fixed ("login"), so Debian's /etc/pam.d/login plus conf/pam.d/login is
# bind-mounted over it in a private mount namespace.
#
# Checks: the shell is confined (denied write, attributed to the user's
# uid/auid and the session's ses); login itself, the supervisor, is not (no
# denial from it; it writes the wtmp login and logout records and lastlog
# through pam_lastlog, and closes the session); the shell holds the same fds
# as without the module; a policy that cannot be built, or an enforcement
# that fails, gives no shell.  utmp under login: see svc-login-utmp.sh.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init login expect unshare mount utmpdump lastlog
[ -x "$SVC_HELPERS/svc-getty" ] || prereq_missing "helper svc-getty not built"
svc_accounting
svc_bad_policies
svc_stack login login "$POLICY" >"$WORK/pam.on"
svc_stack login >"$WORK/pam.off"

# What the login shell types: its pid, its parent (login) and its name, the audit identity, its terminal, then a denied write (TOUCH=1)
# and its fds.
probe() {
	echo "echo SH=\$\$ SUP=\$PPID SUPCOMM=\$(cat /proc/\$PPID/comm) SES=\$(cat /proc/self/sessionid) AUID=\$(cat /proc/self/loginuid) UID=\$(id -u) TTY=\$(tty); touch $DENY_DIR/$LL_TAG-$1; echo TOUCH=\$?; $SVC_FDPROBE"
}
# login_run TAG STACK [WRAPPER...]: a getty-style login on a new pty with the
# PAM stack STACK; the session in $WORK/TAG.txt.
login_run() {
	local tag=$1 stack=$2 gpid
	shift 2
	SVC_BIND="$stack:/etc/pam.d/login" svc_ns expect "$SVC_SRC/svc-pty.exp" 20 "$(probe "$tag")" \
		"$@" "$SVC_HELPERS/svc-getty" /usr/bin/login -f "$U" >"$WORK/run.out" 2>&1 # one name: expect passes it on
	tr -d '\r' <"$WORK/run.out" >"$WORK/$tag.txt"
	rm -f "$WORK/run.out"
	gpid=$(svc_vals SVC-GETTY-PID "$WORK/$tag.txt" | head -1)
	# init's part: the terminal's utmp entry is dead once login has ended.
	[ -z "$gpid" ] || "$SVC_HELPERS/svc-getty" --dead "$gpid" || true
}

log "login with pam_landlock"
svc_mark
svc_wtmp_mark
login_run on "$WORK/pam.on"
out="$WORK/on.txt"
SH=$(svc_vals SH "$out" | head -1)
SUP=$(svc_vals SUP "$out" | head -1)
SES=$(svc_vals SES "$out" | head -1)
TTYL=$(sed -n 's|.*TTY=/dev/\(pts/[0-9]*\).*|\1|p' "$out" | head -1)
check "the login shell ran (SH=$SH, login SUP=$SUP, $TTYL)" test -n "$SH" -a -n "$SUP" -a -n "$TTYL"
check "the shell's parent is login, the supervisor" grep -q "SUPCOMM=login " "$out"
check "login exited cleanly" grep -q "SVC-PTY: exit=0" "$out"
check "the write to $DENY_DIR was denied" grep -q "TOUCH=1" "$out"
check "the login uid is the user's (pam_loginuid)" grep -q "AUID=$UID_U UID=$UID_U" "$out"
check "pam_close_session ran in login" \
	syslog_wait "login\[$SUP\]: pam_unix(login:session): session closed for user $U" 5
pids=$(svc_confined_pids login)
check "one confined process, the shell (pid=$pids)" test "$pids" = "$SH"
check "login is not the confined process" test "$SUP" != "$SH"
svc_events_wait "title=.*$LL_TAG-on" 5
e=$(svc_events | grep -a "kind=access .*title=.*$LL_TAG-on")
check "denial fs.make_reg on $DENY_DIR from a child of the shell" \
	test "$(ev blockers <<<"$e"):$(ev ppid <<<"$e")" = "fs.make_reg:$SH"
check "the denial carries the user's uid, auid and the session's ses" \
	test "$(ev uid <<<"$e"):$(ev auid <<<"$e"):$(ev ses <<<"$e")" = "$UID_U:$UID_U:$SES"
check "the domain's creator is the shell's process, not login" \
	grep -q "kind=alloc .* domain=$(ev domain <<<"$e") pid=$SH " <(svc_events)
check "audit enforce record from the confined process" grep -q "kind=enforce .* pid=$SH .*acct=$U " <(svc_events)
check "no denial from login (pid $SUP)" refute grep -q "kind=access .* pid=$SUP " <(svc_events)
svc_wtmp_new >"$WORK/wtmp.on"
check "wtmp: login record written by login (user, line)" \
	grep -qE "^\[7\] \[0*$SUP\] .*\[$U *\] \[$TTYL *\]" "$WORK/wtmp.on"
check "wtmp: logout record written by login" grep -qE "^\[8\] \[0*$SUP\] .*\[$TTYL *\]" "$WORK/wtmp.on"
check "lastlog updated" bash -c "lastlog -u '$U' | grep -q '^$U *$TTYL '"

log "file descriptors, with and without the module"
login_run off "$WORK/pam.off"
check "without the module the write is allowed (the stack differs only by our line)" \
	grep -q "TOUCH=0" "$WORK/off.txt"
grep '^FD ' "$WORK/on.txt" | svc_fd_norm >"$WORK/fd.on"
grep '^FD ' "$WORK/off.txt" | svc_fd_norm >"$WORK/fd.off"
check "the login shell holds the same fds as without the module" svc_same_fds "login shell" "$WORK/fd.off" "$WORK/fd.on"

log "fail closed"
svc_stack login login "$BAD_MISSING" >"$WORK/pam.missing"
svc_stack login login "$BAD_HARD" >"$WORK/pam.hard"
for t in missing:"$BAD_MISSING":"$BAD_MISSING_LINE" hard:"$BAD_HARD":; do
	IFS=: read -r name conf line <<<"$t"
	svc_mark
	login_run "$name" "$WORK/pam.$name"
	check "$name: no shell" refute grep -q "TOUCH=" "$WORK/$name.txt"
	check "$name: login failed" refute grep -q "SVC-PTY: exit=0" "$WORK/$name.txt"
	check "$name: refused with file:line in syslog" svc_refused_logged "$conf" "$line"
	check "$name: audit records the refusal" grep -q "kind=refused .*acct=$U " <(svc_events)
done
svc_mark
login_run e2big "$WORK/pam.on" "$SVC_HELPERS/svc-stack" 16
check "16 layers: no shell" refute grep -q "TOUCH=" "$WORK/e2big.txt"
check "16 layers: syslog says why" \
	syslog_wait "session refused for $U: landlock_restrict_self failed in the forked child: E2BIG" 5
check "16 layers: login still closed the session" \
	syslog_wait "pam_unix(login:session): session closed for user $U" 5
finish
