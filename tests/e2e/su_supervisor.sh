#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/su_supervisor.sh - the supervisor side of "su -l" and
# "runuser -l" (util-linux) with the shipped snippets (conf/pam.d/su, su-l,
# runuser): what su_runuser.sh does not cover.  The PAM files are private
# copies (Debian's stack plus a snippet) bind-mounted in a mount namespace;
# the caller gets login uid 0 and a fresh audit session.
#
# Checks: the su/runuser parent, which opened the session, is never confined
# (no denial from it; it waits, passes the shell's exit status on, relays a
# pty with --pty, forwards SIGTERM and closes the session); the domain is
# created by the forked child that becomes the shell; denials carry the
# user's uid, the caller's auid and the session's ses; same fds as without
# the module; the placements the snippets describe (line in su: su and
# su -l; line in su-l only: su -l but not su; in both: refused); a policy
# that cannot be built, or an enforcement that fails, gives no shell.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init su runuser expect unshare mount
svc_bad_policies
# Variants of the four PAM files: which snippet goes where.
mkvariant() { # NAME CONF FILES-WITH-THE-LINE...
	local v=$1 conf=$2 f
	shift 2
	mkdir -p "$WORK/$v"
	for f in su su-l runuser runuser-l; do
		if [[ " $* " == *" $f "* ]]; then svc_stack "$f" "$f" "$conf"; else svc_stack "$f"; fi >"$WORK/$v/$f"
	done
}
mkvariant on "$POLICY" su runuser
mkvariant lonly "$POLICY" su-l runuser-l
mkvariant both "$POLICY" su su-l
mkvariant off "$POLICY"
mkvariant missing "$BAD_MISSING" su runuser
mkvariant hard "$BAD_HARD" su runuser

# The shell sources this: its pid, its parent (the supervisor) and the
# parent's name, the audit identity, the terminal, a denied write, its fds.
cat >"$WORK/probe.sh" <<EOF
echo SH=\$\$ SUP=\$PPID SUPCOMM=\$(cat /proc/\$PPID/comm) SES=\$(cat /proc/self/sessionid) AUID=\$(cat /proc/self/loginuid) UID=\$(id -u) TTY=\$(tty | tr -d ' ')
touch $DENY_DIR/$LL_TAG-\$\$; echo TOUCH=\$?
$SVC_FDPROBE
EOF
chmod 0644 "$WORK/probe.sh"
PROBE=". $WORK/probe.sh"

# run TAG VARIANT CMD...: CMD with the VARIANT's PAM files; output and
# "SVC-EXIT=status" in $WORK/TAG.txt.
run() {
	local tag=$1 v=$2 f binds=""
	shift 2
	for f in su su-l runuser runuser-l; do binds+="$WORK/$v/$f:/etc/pam.d/$f "; done
	SVC_BIND=$binds SVC_PRE=$(svc_loginuid) svc_ns "$@" </dev/null >"$WORK/run.out" 2>&1
	echo "SVC-EXIT=$?" >>"$WORK/run.out"
	tr -d '\r' <"$WORK/run.out" >"$WORK/$tag.txt"
	rm -f "$WORK/run.out"
}
PTY=(expect "$SVC_SRC/svc-pty.exp" 20 "$PROBE")
val() { svc_vals "$1" "$WORK/$2.txt" | head -1; }

# check_sup TAG SERVICE EXIT COMM: one confined session under a supervisor.
check_sup() {
	local tag=$1 svc=$2 want=$3 comm=$4 sh sup ses pids e
	sh=$(val SH "$tag") sup=$(val SUP "$tag") ses=$(val SES "$tag")
	check "$tag: the shell ran as the user (SH=$sh, supervisor $sup)" grep -q "AUID=0 UID=$UID_U " "$WORK/$tag.txt"
	check "$tag: the shell's parent is $comm, the supervisor" grep -q "SUPCOMM=$comm " "$WORK/$tag.txt"
	check "$tag: the write to $DENY_DIR was denied" grep -q "TOUCH=1" "$WORK/$tag.txt"
	check "$tag: the supervisor passed the exit status on ($want)" grep -q "SVC-EXIT=$want$" "$WORK/$tag.txt"
	pids=$(svc_confined_pids "$svc")
	check "$tag: one confined process, the forked child that became the shell ($pids)" test "$pids" = "$sh"
	check "$tag: the supervisor is not confined" test -n "$sup" -a "$sup" != "$sh"
	check "$tag: the supervisor closed the session" \
		syslog_wait "$comm\(\[$sup\]\)\{0,1\}: pam_unix($svc:session): session closed for user $U" 5
	svc_events_wait "kind=access .*title=touch $DENY_DIR/$LL_TAG-$sh" 5
	e=$(svc_events | grep -a "kind=access .*title=touch $DENY_DIR/$LL_TAG-$sh")
	check "$tag: fs.make_reg denial from a child of the shell" \
		test "$(ev blockers <<<"$e"):$(ev ppid <<<"$e")" = "fs.make_reg:$sh"
	check "$tag: the denial carries the user's uid, the caller's auid, the session's ses" \
		test "$(ev uid <<<"$e"):$(ev auid <<<"$e"):$(ev ses <<<"$e")" = "$UID_U:0:$ses"
	check "$tag: the domain's creator is the shell's process" \
		grep -q "kind=alloc .* domain=$(ev domain <<<"$e") pid=$sh " <(svc_events)
	check "$tag: no denial from the supervisor" refute grep -q "kind=access .* pid=$sup " <(svc_events)
}

log "line in su (conf/pam.d/su): su -l, su -l on a terminal, su -l --pty, su"
svc_mark
run sul on su -l "$U" -c "$PROBE; exit 7"
check_sup sul su-l 7 su
svc_mark
run sulpty on "${PTY[@]}" su -l "$U"
check_sup sulpty su-l 0 su
check "sulpty: on the terminal" grep -q "TTY=/dev/pts/" "$WORK/sulpty.txt"
svc_mark
run sulrelay on su -l --pty "$U" -c "$PROBE; exit 5"
check_sup sulrelay su-l 5 su
check "sulrelay: su relays a pty of its own" grep -q "TTY=/dev/pts/" "$WORK/sulrelay.txt"
svc_mark
run su on su "$U" -c "$PROBE; exit 6"
check_sup su su 6 su

log "line in runuser (conf/pam.d/runuser): runuser -l, on a terminal, runuser -u"
svc_mark
run rul on runuser -l "$U" -c "$PROBE; exit 9"
check_sup rul runuser-l 9 runuser
svc_mark
run rulpty on "${PTY[@]}" runuser -l "$U"
check_sup rulpty runuser-l 0 runuser
svc_mark
run ru on runuser -u "$U" -- bash -c "$PROBE; exit 4"
check_sup ru runuser 4 runuser

log "the supervisor forwards SIGTERM and still closes the session"
svc_mark
{ SVC_BIND="$WORK/on/su-l:/etc/pam.d/su-l $WORK/on/su:/etc/pam.d/su" SVC_PRE=$(svc_loginuid) \
	svc_ns su -l "$U" -c 'echo SH=$$ SUP=$PPID; exec sleep 60' </dev/null >"$WORK/term.txt" 2>&1; echo "SVC-EXIT=$?" >>"$WORK/term.txt"; } &
BG=$!
at_exit "kill $BG"
for i in $(seq 50); do grep -q SUP= "$WORK/term.txt" && break; sleep 0.1; done
sh=$(val SH term) sup=$(val SUP term)
check "sigterm: the session runs (shell $sh under su $sup)" test -n "$sh" -a -n "$sup"
kill -TERM "$sup"
for i in $(seq 100); do kill -0 "$BG" 2>/dev/null || break; sleep 0.1; done
gone() { [ ! -e "/proc/$1" ] || grep -q '^State:.*Z' "/proc/$1/status"; } # a zombie is gone too
check "sigterm: su ended" gone "$BG"
check "sigterm: the confined shell was ended by su" gone "$sh"
check "sigterm: su closed the session" syslog_wait "su\[$sup\]: pam_unix(su-l:session): session closed for user $U" 5
check "sigterm: no denial from su" refute grep -q "kind=access .* pid=$sup " <(svc_events)

log "placement: the line in su-l and runuser-l only"
svc_mark
run lsul lonly su -l "$U" -c "$PROBE; exit 7"
check_sup lsul su-l 7 su
svc_mark
run lsu lonly su "$U" -c "$PROBE"
check "su-l only: plain su is not confined" grep -q "TOUCH=0" "$WORK/lsu.txt"
check "su-l only: no confined line for plain su" test -z "$(svc_confined_pids su)"
svc_mark
run lrul lonly runuser -l "$U" -c "$PROBE; exit 9"
check_sup lrul runuser-l 9 runuser

log "placement: the line in both su and su-l is refused"
svc_mark
run both both su -l "$U" -c "$PROBE"
check "both: no shell" refute grep -q "TOUCH=" "$WORK/both.txt"
check "both: su failed" refute grep -q "SVC-EXIT=0" "$WORK/both.txt"
check "both: syslog says the module is listed twice" \
	syslog_wait "pam_landlock(su-l:session): session refused for $U: pam_landlock is listed twice in the session stack of service su-l" 5

log "file descriptors, with and without the module"
for r in sul:su-l sulpty:su-l rul:runuser-l sulrelay:su-l; do
	IFS=: read -r tag svc <<<"$r"
	case $tag in
	sul) run "$tag-off" off su -l "$U" -c "$PROBE; exit 7" ;;
	sulpty) run "$tag-off" off "${PTY[@]}" su -l "$U" ;;
	rul) run "$tag-off" off runuser -l "$U" -c "$PROBE; exit 9" ;;
	sulrelay) run "$tag-off" off su -l --pty "$U" -c "$PROBE; exit 5" ;;
	esac
	check "$tag: without the module the write is allowed" grep -q "TOUCH=0" "$WORK/$tag-off.txt"
	grep '^FD ' "$WORK/$tag.txt" | svc_fd_norm >"$WORK/$tag.fd.on"
	grep '^FD ' "$WORK/$tag-off.txt" | svc_fd_norm >"$WORK/$tag.fd.off"
	check "$tag: the shell holds the same fds as without the module" \
		svc_same_fds "$tag" "$WORK/$tag.fd.off" "$WORK/$tag.fd.on"
done

log "fail closed"
for t in missing:"$BAD_MISSING":"$BAD_MISSING_LINE" hard:"$BAD_HARD":; do
	IFS=: read -r v conf line <<<"$t"
	for tool in su runuser; do
		svc_mark
		run "$v-$tool" "$v" "$tool" -l "$U" -c "$PROBE"
		check "$v, $tool -l: no shell" refute grep -q "TOUCH=" "$WORK/$v-$tool.txt"
		check "$v, $tool -l: $tool failed" refute grep -q "SVC-EXIT=0" "$WORK/$v-$tool.txt"
		check "$v, $tool -l: refused with file:line in syslog" svc_refused_logged "$conf" "$line"
	done
done
for tool in su runuser; do
	svc_mark
	run "e2big-$tool" on "$SVC_HELPERS/svc-stack" 16 "$tool" -l "$U" -c "$PROBE"
	check "16 layers, $tool -l: no shell" refute grep -q "TOUCH=" "$WORK/e2big-$tool.txt"
	check "16 layers, $tool -l: $tool failed" refute grep -q "SVC-EXIT=0" "$WORK/e2big-$tool.txt"
	check "16 layers, $tool -l: syslog says why" \
		syslog_wait "session refused for $U: landlock_restrict_self failed in the forked child: E2BIG" 5
	check "16 layers, $tool -l: the supervisor still closed the session" \
		syslog_wait "pam_unix($tool-l:session): session closed for user $U" 5
done
finish
