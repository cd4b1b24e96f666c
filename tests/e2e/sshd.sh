#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/sshd.sh - pam_landlock under Debian's real OpenSSH sshd, started
# on a loopback high port with its own config, host key and PAM service
# (Debian's /etc/pam.d/sshd plus conf/pam.d/sshd), key authentication.
#
# Checks: the privileged monitor is never confined (no denial from it; it
# writes wtmp login+logout, utmp and lastlog; pam_close_session runs); every
# shell, command, internal-sftp and sftp-server session and -L/-R/-W
# forwarding of a connection is confined, with and without a pty; several
# channels of one connection share one domain; denials carry the user's
# uid/auid and the session's ses; the session holds the same fds as without
# the module; a policy that cannot be built, or an enforcement that fails,
# gives no shell, no sftp and no forwarding; 50 back-to-back sessions.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init sshd ssh ssh-keygen sftp socat utmpdump lastlog who ss unshare expect
[ -x /usr/lib/openssh/sftp-server ] || prereq_missing "/usr/lib/openssh/sftp-server (openssh-sftp-server)"
svc_accounting
svc_bad_policies
AUDIT_START=$AUDIT_OFF
read -r P P2 TP_OK TP_NO LP1 LP2 RP_OK RP_NO < <(svc_ports 8 | tr '\n' ' ')

# The policy: the shipped one, with one more allowed outgoing port (TP_OK) and
# one allowed listening port (RP_OK) in the "shell" profile.
SSH_POL="$WORK/ssh.conf"
sed -e "/^  shell = {/,/^  };/s|connect_tcp = \[22, 80, 443\];|connect_tcp = [22, 80, 443, $TP_OK];|" \
	-e "/^  shell = {/,/^  };/s|bind_tcp = \[\];|bind_tcp = [$RP_OK];|" "$POLICY" >"$WORK/tmp.conf"
install -m 0644 "$WORK/tmp.conf" "$SSH_POL"
grep -q "connect_tcp = \[22, 80, 443, $TP_OK\]" "$SSH_POL" && grep -q "bind_tcp = \[$RP_OK\]" "$SSH_POL" ||
	{ echo "FAIL: the shipped policy's shell network rules changed; update this test"; exit 1; }

svc_stack sshd sshd "$SSH_POL" >"$WORK/pam.on"
svc_stack sshd >"$WORK/pam.off"
svc_sshd "$WORK/pam.on"
use_stack() { cp "$1" "/etc/pam.d/$SVC"; }
start_sshd() { svc_sshd_start "$@"; }
start_sshd "$P"

SSH=("${SSH0[@]}" -p "$P")
SFTP=(sftp -F /dev/null -i "$WORK/id" -o IdentitiesOnly=yes -o BatchMode=yes
	-o UserKnownHostsFile="$WORK/known_hosts" -o StrictHostKeyChecking=accept-new
	-o LogLevel=ERROR -P "$P")
MONS="" # every monitor pid seen

# What a session prints: its shell, the post-auth child (CHILD, the shell's
# parent), the monitor (MON, the child's parent) and its command line, the
# audit identity, then a write that the policy denies (TOUCH=1).
probe() {
	echo "echo SH=\$\$ CHILD=\$PPID MON=\$(awk '/^PPid/ { print \$2 }' /proc/\$PPID/status) SES=\$(cat /proc/self/sessionid) AUID=\$(cat /proc/self/loginuid) UID=\$(id -u) TTY=\$(tty | tr -d ' '); echo MONCMD=\$(tr '\\0' ' ' </proc/\$(awk '/^PPid/ { print \$2 }' /proc/\$PPID/status)/cmdline); touch $DENY_DIR/$LL_TAG-$1; echo TOUCH=\$?"
}

# check_session NAME OUTFILE: the common assertions on one confined session.
check_session() {
	local name=$1 out=$2 sh child mon ses pids e a
	sh=$(svc_vals SH "$out" | head -1)
	child=$(svc_vals CHILD "$out" | head -1)
	mon=$(svc_vals MON "$out" | head -1)
	ses=$(svc_vals SES "$out" | head -1)
	MONS+=" $mon"
	check "$name: the session ran (SH=$sh CHILD=$child MON=$mon)" test -n "$sh" -a -n "$child" -a -n "$mon"
	check "$name: the write to $DENY_DIR was denied" grep -q "TOUCH=1" "$out"
	check "$name: MON is sshd's privileged monitor" grep -q "MONCMD=$SVC: $U \[priv\]" "$out"
	check "$name: the login uid is the user's (pam_loginuid)" grep -q "AUID=$UID_U UID=$UID_U" "$out"
	syslog_wait "pam_unix($SVC:session): session closed for user $U" 10
	pids=$(svc_confined_pids "$SVC")
	check "$name: one confined line, for the post-auth child (pid=$pids)" test "$pids" = "$child"
	check "$name: the monitor is not the confined process" test "$child" != "$mon"
	check "$name: pam_close_session ran in the monitor" \
		syslog_wait "$SVC\[$mon\]: pam_unix($SVC:session): session closed for user $U" 1
	svc_events_wait "kind=access .*title=.*$LL_TAG-$name" 5
	e=$(svc_events | grep -a "kind=access .*title=.*$LL_TAG-$name")
	check "$name: denial fs.make_reg on $DENY_DIR" grep -q "blockers=fs.make_reg obj=path=$DENY_DIR," <<<"$e"
	check "$name: the denial carries uid, auid and ses of the session" \
		test "$(ev uid <<<"$e"):$(ev auid <<<"$e"):$(ev ses <<<"$e")" = "$UID_U:$UID_U:$ses"
	check "$name: the denying process is the shell's child" test "$(ev ppid <<<"$e")" = "$sh"
	a=$(svc_events | grep -a "kind=alloc .* domain=$(ev domain <<<"$e") ")
	check "$name: the domain's creator is the post-auth child, not the monitor" test "$(ev pid <<<"$a")" = "$child"
	check "$name: audit enforce record from the post-auth child" \
		grep -q "kind=enforce .* pid=$child .*acct=$U " <(svc_events)
	check "$name: no denial from the monitor" no_denial_from "$mon"
}
no_denial_from() { ! svc_events | grep -a "kind=access" | grep -q " pid=$1 "; }
no_root_sshd_denial() { ! svc_events | grep -a "kind=access" | grep -q " uid=0 .* comm=$SVC exe=/usr/sbin/sshd "; }
not_logged_in() { ! who | grep -q "^$U "; }
lastlog_has() { lastlog -u "$U" | grep -q "$1 .*127\.0\.0\.1"; }
fetch() { socat -T 5 - "TCP:127.0.0.1:$1" </dev/null 2>/dev/null | grep -q "hello-$2"; }
fetch_w() { "${SSH[@]}" -W "127.0.0.1:$1" "$DEST" </dev/null 2>/dev/null | grep -q "hello-$1"; }

log "PAM service name"
svc_mark
"${SSH[@]}" "$DEST" true
check "sshd uses its program name as PAM service ($SVC)" \
	syslog_wait "pam_unix($SVC:session): session opened for user $U" 5

log "no pty, command"
svc_mark
"${SSH[@]}" "$DEST" "$(probe cmd)" >"$WORK/cmd.out" 2>&1
check_session cmd "$WORK/cmd.out"

log "no pty, shell reading stdin"
svc_mark
probe nptysh | "${SSH[@]}" -T "$DEST" >"$WORK/nptysh.out" 2>&1
check_session nptysh "$WORK/nptysh.out"

log "pty, interactive login shell"
svc_mark
svc_wtmp_mark
svc_pty 20 "$(probe pty); who | grep -c '^$U ' | sed 's/^/WHO=/'" "${SSH[@]}" -tt "$DEST" >"$WORK/pty.out" 2>&1
tr -d '\r' <"$WORK/pty.out" >"$WORK/pty.txt"
check_session pty "$WORK/pty.txt"
TTYL=$(sed -n 's|.*TTY=/dev/\(pts/[0-9]*\).*|\1|p' "$WORK/pty.txt" | head -1)
check "pty: the shell has a pty ($TTYL)" test -n "$TTYL"
check "pty: utmp had the user's entry during the session" grep -q "WHO=1" "$WORK/pty.txt"
svc_wtmp_new >"$WORK/wtmp.pty"
check "pty: wtmp login record (user, line, host)" \
	grep -qE "^\[7\] .*\[$U *\] \[$TTYL *\] \[127\.0\.0\.1" "$WORK/wtmp.pty"
check "pty: wtmp logout record" grep -qE "^\[8\] .*\[$TTYL *\]" "$WORK/wtmp.pty"
check "pty: lastlog updated" lastlog_has "$TTYL"
check "pty: utmp entry closed after logout" not_logged_in

log "pty, command"
svc_mark
"${SSH[@]}" -tt "$DEST" "$(probe ptycmd)" </dev/null 2>&1 | tr -d '\r' >"$WORK/ptycmd.txt"
check_session ptycmd "$WORK/ptycmd.txt"
check "pty command: on a pty" grep -q "TTY=/dev/pts/" "$WORK/ptycmd.txt"

# sftp: internal-sftp runs in a forked sshd process, sftp-server is exec'd.
for sub in sftp:internal-sftp sftpx:sftp-server; do
	name=${sub%%:*}
	log "$name (${sub#*:})"
	svc_mark
	echo "data" >"$WORK/upload"
	printf -- '-put %s %s\nput %s %s\n' "$WORK/upload" "$DENY_DIR/$LL_TAG-$name" \
		"$WORK/upload" "ok-$name" | "${SFTP[@]}" -s "$name" -b - "$DEST" >"$WORK/$name.out" 2>&1
	check "$name: the upload to the home directory worked" test -f "/home/$U/ok-$name"
	check "$name: the upload to $DENY_DIR was refused" test ! -e "$DENY_DIR/$LL_TAG-$name"
	syslog_wait "pam_unix($SVC:session): session closed for user $U" 10
	pids=$(svc_confined_pids "$SVC")
	check "$name: one confined post-auth child (pid=$pids)" test "$(wc -w <<<"$pids")" = 1
	svc_events_wait "kind=access .*obj=path=$DENY_DIR,.* uid=$UID_U " 5
	e=$(svc_events | grep -a "kind=access .*obj=path=$DENY_DIR,.* uid=$UID_U ")
	log "$name: $e"
	check "$name: denial from a child of the confined process, as the user" \
		test "$(ev ppid <<<"$e"):$(ev uid <<<"$e"):$(ev auid <<<"$e")" = "$pids:$UID_U:$UID_U"
	[ "$name" = sftpx ] && check "sftp-server: the denial is sftp-server's" \
		test "$(ev exe <<<"$e")" = /usr/lib/openssh/sftp-server
	[ "$name" = sftp ] && check "internal-sftp: the denial is sshd's (no exec)" test "$(ev exe <<<"$e")" = /usr/sbin/sshd
	check "$name: no denial from a root sshd process (the monitor)" no_root_sshd_denial
done

log "port forwarding (-L, -R, -W)"
for tp in "$TP_OK" "$TP_NO"; do
	socat "TCP-LISTEN:$tp,bind=127.0.0.1,reuseaddr,fork" "SYSTEM:echo hello-$tp" &
	at_exit "kill $!"
	svc_listening "$tp" || { echo "FAIL: socat on $tp"; exit 1; }
done
svc_mark
"${SSH[@]}" -N -o ExitOnForwardFailure=no -L "$LP1:127.0.0.1:$TP_OK" -L "$LP2:127.0.0.1:$TP_NO" \
	-R "127.0.0.1:$RP_OK:127.0.0.1:$TP_OK" -R "127.0.0.1:$RP_NO:127.0.0.1:$TP_OK" "$DEST" \
	>"$WORK/fwd.out" 2>&1 &
FWD=$!
at_exit "kill $FWD"
svc_listening "$LP2" 10
svc_listening "$RP_OK" 5
child=$(svc_confined_pids "$SVC")
mon=$(awk '/^PPid/ { print $2 }' "/proc/$child/status" 2>/dev/null)
MONS+=" $mon"
check "forwarding: the connection's post-auth child is confined (pid=$child, monitor $mon)" \
	test -n "$child" -a -n "$mon" -a "$child" != "$mon"
check "-L to an allowed port works" fetch "$LP1" "$TP_OK"
check "-L to a port the policy denies gets nothing" refute fetch "$LP2" ""
check "-R on an allowed port listens and forwards" fetch "$RP_OK" "$TP_OK"
check "-R on a port the policy denies does not listen" test -z "$(ss -Htln "sport = :$RP_NO")"
svc_events_wait "net.connect_tcp .*dest=$TP_NO" 5
e=$(svc_events | grep -a "kind=access .*blockers=net.connect_tcp .*dest=$TP_NO")
check "-L: net.connect_tcp denial from the post-auth child, as the user" \
	test "$(ev pid <<<"$e"):$(ev uid <<<"$e"):$(ev auid <<<"$e")" = "$child:$UID_U:$UID_U"
e=$(svc_events | grep -a "kind=access .*blockers=net.bind_tcp .*src=$RP_NO")
check "-R: net.bind_tcp denial from the post-auth child" test "$(ev pid <<<"$e")" = "$child"
check "forwarding: no denial from the monitor" no_denial_from "$mon"
kill "$FWD"
wait "$FWD" 2>/dev/null
svc_mark
check "-W to an allowed port works" fetch_w "$TP_OK"
check "-W to a port the policy denies gets nothing" refute fetch_w "$TP_NO"

log "several channels on one connection (ControlMaster)"
svc_mark
"${SSH[@]}" -M -S "$WORK/cm" -o ControlPersist=no -N "$DEST" >"$WORK/cm.out" 2>&1 &
CM=$!
at_exit "kill $CM"
for i in $(seq 50); do [ -S "$WORK/cm" ] && break; sleep 0.1; done
for i in 1 2 3; do
	"${SSH[@]}" -S "$WORK/cm" "$DEST" "$(probe ch$i)" >"$WORK/ch$i.out" 2>&1
done
"${SSH[@]}" -S "$WORK/cm" -tt "$DEST" "$(probe ch4)" </dev/null 2>&1 | tr -d '\r' >"$WORK/ch4.out"
printf -- '-put %s %s\n' "$WORK/upload" "$DENY_DIR/$LL_TAG-ch5" |
	"${SFTP[@]}" -o ControlPath="$WORK/cm" -b - "$DEST" >"$WORK/ch5.out" 2>&1
child=$(svc_confined_pids "$SVC")
check "channels: one confined process for the connection (pid=$child)" test "$(wc -w <<<"$child")" = 1
check "channels: every shell is a child of that process" \
	test "$(cat "$WORK"/ch[1-4].out | svc_vals CHILD /dev/stdin | sort -u)" = "$child"
check "channels: one audit session" test "$(cat "$WORK"/ch[1-4].out | svc_vals SES /dev/stdin | sort -u | wc -l)" = 1
svc_events_wait "kind=access .*obj=path=$DENY_DIR,.* ppid=$child " 5
svc_events | grep -a "kind=access .* uid=$UID_U " >"$WORK/ch.events"
check "channels: 5 denials (4 shells, 1 sftp)" test "$(grep -c "obj=path=$DENY_DIR," "$WORK/ch.events")" = 5
check "channels: all denials in one Landlock domain (no extra layer per channel)" \
	test "$(grep -o ' domain=[0-9a-f]*' "$WORK/ch.events" | sort -u | wc -l)" = 1
check "channels: that domain was created by the connection's process" \
	grep -q "kind=alloc .* pid=$child " <(svc_events)
"${SSH[@]}" -S "$WORK/cm" -O exit "$DEST" 2>/dev/null
wait "$CM" 2>/dev/null
MONS+=" $(cat "$WORK"/ch1.out | svc_vals MON /dev/stdin)"

log "file descriptors, with and without the module"
# fd_run TAG [-tt]: a session that lists the shell's fds, then sleeps while the
# post-auth child's fds are read from outside.
fd_run() {
	local tag=$1 child i
	shift
	"${SSH[@]}" "$@" "$DEST" "$SVC_FDPROBE; echo CHILD=\$PPID; sleep 3" </dev/null >"$WORK/fd-$tag.out" 2>&1 &
	local pid=$!
	for i in $(seq 100); do
		child=$(svc_vals CHILD "$WORK/fd-$tag.out" | head -1)
		[ -n "$child" ] && break
		sleep 0.1
	done
	[ -n "$child" ] && svc_fds_of "$child" >"$WORK/fd-$tag.child"
	wait "$pid"
	tr -d '\r' <"$WORK/fd-$tag.out" | grep '^FD ' | svc_fd_norm >"$WORK/fd-$tag.shell"
}
fd_run on
fd_run on-tty -tt
use_stack "$WORK/pam.off"
fd_run off
fd_run off-tty -tt
use_stack "$WORK/pam.on"
check "fds: the shell holds the same fds as without the module" \
	svc_same_fds "shell" "$WORK/fd-off.shell" "$WORK/fd-on.shell"
check "fds: the shell on a pty holds the same fds as without the module" \
	svc_same_fds "pty shell" "$WORK/fd-off-tty.shell" "$WORK/fd-on-tty.shell"
check "fds: the post-auth child holds the same fds as without the module" \
	svc_same_fds "post-auth child" "$WORK/fd-off.child" "$WORK/fd-on.child"
check "fds: the post-auth child (pty) holds the same fds as without the module" \
	svc_same_fds "post-auth child, pty" "$WORK/fd-off-tty.child" "$WORK/fd-on-tty.child"

log "fail closed: a policy that cannot be built"
declare -A bad_line=([bad-missing]=$BAD_MISSING_LINE [bad-hard]="[0-9][0-9]*")
for bad in "$BAD_MISSING" "$BAD_HARD"; do
	svc_stack sshd sshd "$bad" >"$WORK/pam.bad"
	use_stack "$WORK/pam.bad"
	b=$(basename "$bad" .conf)
	svc_mark
	"${SSH[@]}" "$DEST" "echo SHELL-RAN" >"$WORK/$b.cmd" 2>&1
	check "$b: the session is refused with file:line in syslog" svc_refused_logged "$bad" "${bad_line[$b]}"
	check "$b: no command ran" refute grep -q SHELL-RAN "$WORK/$b.cmd"
	svc_pty 15 "echo SHELL-\$((1+1))-RAN" "${SSH[@]}" -tt "$DEST" >"$WORK/$b.pty" 2>&1
	check "$b: no shell on a pty" refute grep -q SHELL-2-RAN "$WORK/$b.pty"
	printf 'put %s ok-%s\n' "$WORK/upload" "$b" | "${SFTP[@]}" -b - "$DEST" >"$WORK/$b.sftp" 2>&1
	check "$b: no sftp" test ! -e "/home/$U/ok-$b"
	check "$b: no -W forwarding" refute fetch_w "$TP_OK"
	check "$b: audit records the refusal" grep -q "kind=refused .*acct=$U " <(svc_events)
	check "$b: nothing was confined (the session never started)" test -z "$(svc_confined_pids "$SVC")"
done
use_stack "$WORK/pam.on"

log "fail closed: enforcement fails in the forked child (16 layers stacked)"
start_sshd "$P2" "$SVC_HELPERS/svc-stack" 16
svc_mark
"${SSH0[@]}" -p "$P2" "$DEST" "echo SHELL-RAN" >"$WORK/e2big.out" 2>&1
check "16 layers: no command ran" refute grep -q SHELL-RAN "$WORK/e2big.out"
check "16 layers: syslog says why" \
	syslog_wait "session refused for $U: landlock_restrict_self failed in the forked child: E2BIG" 5
check "16 layers: audit records the refusal" grep -q "kind=refused .*acct=$U " <(svc_events)
check "16 layers: the monitor still closed the session" \
	syslog_wait "pam_unix($SVC:session): session closed for user $U" 5

log "50 back-to-back sessions"
svc_mark
t0=$(date +%s)
for i in $(seq 50); do
	"${SSH[@]}" "$DEST" "echo N=$i SES=\$(cat /proc/self/sessionid) MON=\$(awk '/^PPid/ { print \$2 }' /proc/\$PPID/status); touch $DENY_DIR/$LL_TAG-b$i" \
		>>"$WORK/b50.out" 2>&1
done
log "50 sessions in $(($(date +%s) - t0)) s"
MONS+=" $(svc_vals MON "$WORK/b50.out" | tr '\n' ' ')"
pids=$(svc_confined_pids "$SVC")
check "50 sessions: 50 confined lines, 50 distinct pids" test "$(sort -u <<<"$pids" | wc -l)" = 50
svc_events_wait "title=.*$LL_TAG-b50" 5
svc_events | grep -a "kind=access .*obj=path=$DENY_DIR,.* uid=$UID_U " >"$WORK/b50.events"
bad=0
for i in $(seq 50); do
	ses=$(grep "N=$i SES=" "$WORK/b50.out" | svc_vals SES /dev/stdin)
	e=$(grep -a "title=touch $DENY_DIR/$LL_TAG-b$i *$" "$WORK/b50.events")
	[ -n "$ses" ] && [ "$(ev ses <<<"$e"):$(ev auid <<<"$e")" = "$ses:$UID_U" ] || { bad=$((bad + 1)); log "session $i: ses=$ses event: $e"; }
done
check "50 sessions: each denial logged with its own session's ses and the user's auid" test "$bad" = 0
check "50 sessions: 50 distinct ses" test "$(svc_vals ses "$WORK/b50.events" | sort -u | wc -l)" = 50
check "50 sessions: 50 domains, each created by a confined post-auth child" \
	test "$(svc_events | grep -a kind=alloc | awk '{ print $4 }' | grep -cxFf <(sed 's/^/pid=/' <<<"$pids"))" = 50

log "the monitors"
check "monitor pids were collected ($(wc -w <<<"$MONS"))" test "$(wc -w <<<"$MONS")" -ge 56
AUDIT_OFF=$AUDIT_START
bad=0
for m in $MONS; do no_denial_from "$m" || { bad=$((bad + 1)); log "denial from monitor $m"; }; done
check "no Landlock denial from any sshd monitor in the whole test" test "$bad" = 0
check "no Landlock denial from any root sshd process" no_root_sshd_denial
finish
