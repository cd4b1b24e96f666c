#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/sudo.sh - pam_landlock under Debian's real sudo: "sudo -i -u USER"
# (PAM service sudo-i) on a terminal, with Debian 12's default "Defaults
# use_pty" and without it, "sudo -i -u USER CMD" without a terminal, and
# "sudo -u USER CMD" (service sudo).  The PAM files and /etc/sudoers are
# private copies bind-mounted in a mount namespace: Debian's stack plus
# conf/pam.d/sudo-i or conf/pam.d/sudo.  The caller is given login uid 0 and
# a fresh audit session, as if root had logged in.
#
# Checks: the command is confined; the sudo front-end (which opened the
# session and writes utmp) is not: no denial from it, it closes the session;
# with use_pty the monitor process sudo forks (it owns the new pty) is the
# confined one, without it the command itself; denials carry the user's uid,
# the caller's auid and the session's ses; same fds as without the module;
# a policy that cannot be built, or an enforcement that fails, runs nothing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init sudo expect unshare mount utmpdump who
svc_accounting
svc_bad_policies
grep -q '^Defaults[[:space:]]*use_pty' /etc/sudoers ||
	log "note: /etc/sudoers has no 'Defaults use_pty' (Debian 12 has it); it is set explicitly here"
sed '/^Defaults[[:space:]]*!\{0,1\}use_pty/d' /etc/sudoers >"$WORK/sudoers.tmp"
{ cat "$WORK/sudoers.tmp"; echo "Defaults use_pty"; } >"$WORK/sudoers.pty"
{ cat "$WORK/sudoers.tmp"; echo "Defaults !use_pty"; } >"$WORK/sudoers.nopty"
chmod 0440 "$WORK/sudoers.pty" "$WORK/sudoers.nopty"
for s in sudo sudo-i; do
	svc_stack "$s" "$s" "$POLICY" >"$WORK/$s.on"
	svc_stack "$s" >"$WORK/$s.off"
	svc_stack "$s" "$s" "$BAD_MISSING" >"$WORK/$s.missing"
	svc_stack "$s" "$s" "$BAD_HARD" >"$WORK/$s.hard"
done

# The command's view: itself, its parent P1 and grandparent P2 with their
# names, the audit identity, the terminal, a denied write, its fds.
probe() {
	echo "p2=\$(awk '/^PPid/ { print \$2 }' /proc/\$PPID/status); t=\$(tty); echo SH=\$\$ P1=\$PPID P1COMM=\$(cat /proc/\$PPID/comm) P2=\$p2 P2COMM=\$(cat /proc/\$p2/comm) SES=\$(cat /proc/self/sessionid) AUID=\$(cat /proc/self/loginuid) UID=\$(id -u) TTY=\$t WHO=\$(who | grep -c \" \${t#/dev/} \"); touch $DENY_DIR/$LL_TAG-$1; echo TOUCH=\$?; $SVC_FDPROBE"
}
probe_file() { probe "$1" >"$WORK/probe.sh" && chmod 0644 "$WORK/probe.sh" && echo "$WORK/probe.sh"; }
# sudo_run TAG SUDOERS PAMSTATE [pty|cmd|plain] [WRAPPER...]
sudo_run() {
	local tag=$1 sudoers=$2 state=$3 how=$4
	shift 4
	local binds="$WORK/sudoers.$sudoers:/etc/sudoers $WORK/sudo-i.$state:/etc/pam.d/sudo-i $WORK/sudo.$state:/etc/pam.d/sudo"
	case $how in
	pty) SVC_BIND=$binds SVC_PRE=$(svc_loginuid) svc_ns expect "$SVC_SRC/svc-pty.exp" 20 "$(probe "$tag")" \
		"$@" sudo -i -u "$U" ;;
	# sudo -i passes '$' on to the login shell: the command goes in a file.
	cmd) SVC_BIND=$binds SVC_PRE=$(svc_loginuid) svc_ns "$@" sudo -i -u "$U" bash "$(probe_file "$tag")" </dev/null ;;
	plain) SVC_BIND=$binds SVC_PRE=$(svc_loginuid) svc_ns "$@" sudo -u "$U" bash "$(probe_file "$tag")" </dev/null ;;
	esac >"$WORK/run.out" 2>&1 # one name: it shows in the fd listings
	echo "SVC-EXIT=$?" >>"$WORK/run.out"
	mv "$WORK/run.out" "$WORK/$tag.out"
	tr -d '\r' <"$WORK/$tag.out" >"$WORK/$tag.txt"
}
val() { svc_vals "$1" "$WORK/$2.txt" | head -1; }

# check_sudo TAG SERVICE MODE: MODE "monitor" (use_pty: the confined process
# is sudo's monitor, the command's parent) or "direct" (the command itself).
check_sudo() {
	local tag=$1 svc=$2 mode=$3 sh p1 p2 ses front conf pids e
	sh=$(val SH "$tag") p1=$(val P1 "$tag") p2=$(val P2 "$tag") ses=$(val SES "$tag")
	check "$tag: the command ran as the user (SH=$sh P1=$p1 P2=$p2)" grep -q "AUID=0 UID=$UID_U " "$WORK/$tag.txt"
	check "$tag: the write to $DENY_DIR was denied" grep -q "TOUCH=1" "$WORK/$tag.txt"
	check "$tag: sudo exited cleanly" grep -q "SVC-EXIT=0" "$WORK/$tag.txt"
	if [ "$mode" = monitor ]; then
		check "$tag: use_pty: the command's parent is sudo's monitor, its parent the front-end" \
			grep -q "P1COMM=sudo P2=$p2 P2COMM=sudo " "$WORK/$tag.txt"
		front=$p2 conf=$p1
	else
		check "$tag: no monitor: the command's parent is the sudo front-end" \
			bash -c "grep -q 'P1COMM=sudo ' '$WORK/$tag.txt' && ! grep -q 'P2COMM=sudo ' '$WORK/$tag.txt'"
		front=$p1 conf=$sh
	fi
	pids=$(svc_confined_pids "$svc")
	check "$tag: one confined process, the $mode one (pid=$pids)" test "$pids" = "$conf"
	check "$tag: the front-end is not confined" test -n "$front" -a "$front" != "$conf"
	check "$tag: pam_close_session ran" syslog_wait "pam_unix($svc:session): session closed for user $U" 5
	svc_events_wait "title=.*$LL_TAG-$tag" 5
	e=$(svc_events | grep -a "kind=access .*title=.*$LL_TAG-$tag")
	check "$tag: fs.make_reg denial from a child of the command" \
		test "$(ev blockers <<<"$e"):$(ev ppid <<<"$e")" = "fs.make_reg:$sh"
	check "$tag: the denial carries the user's uid, the caller's auid, the session's ses" \
		test "$(ev uid <<<"$e"):$(ev auid <<<"$e"):$(ev ses <<<"$e")" = "$UID_U:0:$ses"
	check "$tag: the domain's creator is the confined process" \
		grep -q "kind=alloc .* domain=$(ev domain <<<"$e") pid=$conf " <(svc_events)
	check "$tag: no denial from the sudo front-end" refute grep -q "kind=access .* pid=$front " <(svc_events)
	[ "$mode" = monitor ] &&
		check "$tag: no denial from sudo's monitor (confined, root)" refute grep -q "kind=access .* pid=$p1 " <(svc_events)
	return 0
}

log "sudo -i on a terminal, Defaults use_pty (Debian 12's default)"
svc_mark
sudo_run pty pty on pty
check_sudo pty sudo-i monitor
check "pty: the command has its own pty" grep -q "TTY=/dev/pts/" "$WORK/pty.txt"
check "pty: the front-end wrote the pty's utmp entry" grep -q "WHO=1" "$WORK/pty.txt"
t=$(sed -n 's|.*TTY=/dev/\(pts/[0-9]*\).*|\1|p' "$WORK/pty.txt" | head -1)
check "pty: the utmp entry is closed after the session" \
	bash -c "utmpdump /run/utmp 2>/dev/null | grep '\[$t *\]' | tail -1 | grep -q '^\[8\]'"

log "sudo -i on a terminal, Defaults !use_pty"
svc_mark
sudo_run nopty nopty on pty
check_sudo nopty sudo-i direct

log "sudo -i -u USER CMD without a terminal"
svc_mark
sudo_run cmd pty on cmd
check_sudo cmd sudo-i direct

log "sudo -u USER CMD (service sudo)"
svc_mark
sudo_run plain pty on plain
check_sudo plain sudo direct

log "file descriptors, with and without the module"
for r in pty:pty:pty cmd:pty:cmd nopty:nopty:pty; do
	IFS=: read -r tag sudoers how <<<"$r"
	sudo_run "$tag-off" "$sudoers" off "$how"
	check "$tag: without the module the write is allowed" grep -q "TOUCH=0" "$WORK/$tag-off.txt"
	grep '^FD ' "$WORK/$tag.txt" | svc_fd_norm >"$WORK/$tag.fd.on"
	grep '^FD ' "$WORK/$tag-off.txt" | svc_fd_norm >"$WORK/$tag.fd.off"
	check "$tag: the command holds the same fds as without the module" \
		svc_same_fds "$tag" "$WORK/$tag.fd.off" "$WORK/$tag.fd.on"
done

log "fail closed"
for t in missing:"$BAD_MISSING":"$BAD_MISSING_LINE" hard:"$BAD_HARD":; do
	IFS=: read -r name conf line <<<"$t"
	for how in pty cmd plain; do
		svc_mark
		sudo_run "$name-$how" pty "$name" "$how"
		check "$name, $how: nothing ran" refute grep -q "TOUCH=" "$WORK/$name-$how.txt"
		check "$name, $how: sudo failed" refute grep -q "SVC-EXIT=0" "$WORK/$name-$how.txt"
		check "$name, $how: refused with file:line in syslog" svc_refused_logged "$conf" "$line"
		grep -q "TOUCH=0" "$WORK/$name-$how.txt" &&
			log "FAIL OPEN: sudo ran the command UNCONFINED after pam_landlock refused the session (sudo treats PAM_SESSION_ERR from pam_open_session as non-fatal)"
	done
done
for how in pty cmd; do
	svc_mark
	sudo_run "e2big-$how" pty on "$how" "$SVC_HELPERS/svc-stack" 16
	check "16 layers, $how: nothing ran" refute grep -q "TOUCH=" "$WORK/e2big-$how.txt"
	check "16 layers, $how: syslog says why" \
		syslog_wait "session refused for $U: landlock_restrict_self failed in the forked child: E2BIG" 5
	check "16 layers, $how: audit records the refusal" grep -q "kind=refused .*acct=$U " <(svc_events)
done
finish
