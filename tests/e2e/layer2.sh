#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/layer2.sh - the second layer (issue 10) under attack, in real
# sessions on the shipped policy: Debian's sshd (loopback high port, own
# config, PAM service by symlink name) and "su -l", for the shell profile
# and the sftp profile.  Inside each, l2-attack tries every way around the
# Landlock domain that the seccomp filter is there to close (MPTCP, SCTP,
# SMC, TCP Fast Open, io_uring's socket operation, the i386 ABI, garbage in
# the upper halves of registers, TIOCSTI/TIOCLINUX, memfd and fd execution)
# and the plain operations whose rules must not change.
#
# Checks: every attempt gets the documented errno (the table in l2-lib.sh)
# while plain TCP is unchanged (allowed port works, denied port and bind
# EACCES); the outside listener on a denied port is never reached; nothing
# listens (ss, and an outside client) while the session holds what it
# tried; the same attempts outside any session do get through (the probe
# can see a hole); the confined syslog line and the enforce audit record
# name second_layer=...; "landlockctl explain" lists each gap closed and
# each that remains.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"
. "$top_srcdir/tests/e2e/l2-lib.sh"

svc_init sshd ssh ssh-keygen socat ss unshare setpriv su
l2_init
l2_allowed_listener
CTL="$top_builddir/tools/landlockctl"
[ -x "$CTL" ] || prereq_missing "landlockctl not built at $CTL"
svc_stack sshd sshd "$POLICY" >"$WORK/pam.sshd"
svc_sshd "$WORK/pam.sshd"
svc_authorize "$V"
P=$(svc_ports 1)
svc_sshd_start "$P"
SSH=("${SSH0[@]}" -p "$P")
SHELL_L2=terminal_injection,unchecked_protocols,io_uring
SFTP_L2=terminal_injection,unchecked_protocols,io_uring,fd_exec

log "control: the same attempts outside any session get through"
l2_control
sed 's/^/#   control: /' "$WORK/control"
for a in net.mptcp4_connect net.mptcp6_bind_listen net.mptcp_hi_all net.tcp4_fastopen_sendto \
	net.i386_socketcall_mptcp net.i386_fastopen_socketcall uring.io_uring_socket_mptcp_connect \
	exec.memfd_fexecve exec.i386_execveat_empty_path_usr base.exec_tmp_prog base.tcp4_connect_denied; do
	check "control: $a works without the sandbox" grep -q "^$a ok " "$WORK/control"
done
check "control: the outside listener on $DP was reached" test "$(l2_hits)" -gt 0
: >"$WORK/hits"

# held TAG CMD...: CMD (a session running the probe with --hold) in the
# background; while it holds what it opened, nothing may listen on
# LP..LP+2 and an outside client must not be served there.
held() {
	local tag=$1 pid i
	shift
	"$@" </dev/null >"$WORK/$tag.out" 2>&1 &
	pid=$!
	for i in $(seq 100); do grep -q '^# holding' "$WORK/$tag.out" && break; sleep 0.1; done
	check "$tag: the probe ran and holds its sockets" grep -q '^# holding' "$WORK/$tag.out"
	ss -Htln "( sport >= :$LP and sport <= :$((LP + 2)) )" >"$WORK/$tag.ss"
	ss -HMln "( sport >= :$LP and sport <= :$((LP + 2)) )" >>"$WORK/$tag.ss" 2>/dev/null
	check "$tag: nothing listens on $LP..$((LP + 2)) (ss, TCP and MPTCP)" test ! -s "$WORK/$tag.ss"
	for i in 0 1 2; do
		check "$tag: an outside client on $((LP + i)) is not served" \
			refute grep -q hello-l2 < <(socat -T 2 - "TCP:127.0.0.1:$((LP + i))" </dev/null 2>/dev/null)
	done
	wait "$pid"
}

# session_checks TAG USER PROFILE SERVICE SECOND_LAYER: the lines that say
# what was enforced.
session_checks() {
	local tag=$1 user=$2 prof=$3 svc=$4 l2=$5
	check "$tag: the outside listener on the denied port $DP was never reached" test "$(l2_hits)" = 0
	check "$tag: the confined syslog line names second_layer=$l2" syslog_wait \
		"pam_landlock($svc:session): confined user=$user service=$svc profile=$prof .* second_layer=$l2 confine=children" 5
	check "$tag: the enforce audit record names second_layer=$l2" audit_wait \
		"op=pam_landlock-enforce acct=\"$user\" service=$svc profile=$prof .* second_layer=$l2 confine=children" 5
}

for who in "$U:shell:$SHELL_L2" "$V:sftp:$SFTP_L2"; do
	IFS=: read -r user prof l2 <<<"$who"
	log "sshd, $prof profile ($user)"
	svc_mark
	: >"$WORK/hits"
	held "sshd-$prof" "${SSH[@]}" "$user@127.0.0.1" "$(l2_cmd "$prof" '--hold 2')"
	l2_verify "sshd, $prof" "$WORK/sshd-$prof.out" "$prof"
	session_checks "sshd, $prof" "$user" "$prof" "$SVC" "$l2"

	log "su -l, $prof profile ($user)"
	svc_mark
	: >"$WORK/hits"
	l2_su "$user" "$(l2_cmd "$prof")"
	cp "$WORK/su.out" "$WORK/su-$prof.out"
	check "su -l, $prof: the session ran" grep -q "SVC-EXIT=0" "$WORK/su-$prof.out"
	l2_verify "su -l, $prof" "$WORK/su-$prof.out" "$prof"
	session_checks "su -l, $prof" "$user" "$prof" su-l "$l2"
done
check "the documented gap: listen() without bind() listened (layer2_listen.sh)" \
	grep -q '^# listening: gap.tcp4_listen_without_bind port=[1-9]' "$WORK/sshd-shell.out"

log "landlockctl explain: what is closed, what remains"
# The line of the rule that lets the shell profile write and execute.
HOMELINE=$(grep -n 'path = "${HOME}"; access = "read_write_exec"' "$POLICY" | cut -d: -f1)
"$CTL" -c "$POLICY" explain "$U" sshd >"$WORK/explain.shell" 2>&1
"$CTL" -c "$POLICY" explain "$V" sshd >"$WORK/explain.sftp" 2>&1
sed 's/^/#   /' "$WORK/explain.shell"
# explain wraps its gap bullets: compare on one line.
E=$(tr '\n' ' ' <"$WORK/explain.shell" | tr -s ' ')
F=$(tr '\n' ' ' <"$WORK/explain.sftp" | tr -s ' ')
has() { grep -qF -- "$1" <<<"$2" || { echo "# not found: $1"; return 1; }; }
check "explain: terminal_injection closed" has "terminal_injection ioctl TIOCSTI and TIOCLINUX fail (EPERM)" "$E"
check "explain: unchecked_protocols closed (MPTCP, SCTP, ...)" has "unchecked_protocols MPTCP, SCTP" "$E"
check "explain: unchecked_protocols names TCP Fast Open" has "Fast Open" "$E"
check "explain: io_uring closed" has "io_uring io_uring_setup/enter/register fail (EPERM)" "$E"
check "explain: fd_exec not needed for the shell profile (line $HOMELINE)" \
	has "fd_exec not needed: line $HOMELINE lets the session write and execute the same place" "$E"
check "explain: fd_exec closed for the sftp profile" \
	has "fd_exec memfd_create without MFD_NOEXEC_SEAL and execveat(AT_EMPTY_PATH) fail (EACCES)" "$F"
check "explain: remaining: pathname UNIX sockets before ABI 9" has "connecting to pathname UNIX sockets is not restricted before ABI 9" "$E"
check "explain: remaining: UDP before ABI 10" has "UDP is not restricted before ABI 10" "$E"
check "explain: remaining: chmod/chown" has "chmod, chown, utime and chroot are never checked by Landlock" "$E"
check "explain: remaining: the dynamic loader" has "run through the dynamic loader (/lib64/ld-linux-x86-64.so.2 PROGRAM)" "$E"
check "explain: remaining: /proc command lines" has "/proc shows the command line" "$E"
check "explain: remaining: raw sockets of root sessions" has "can open raw sockets" "$E"
check "explain: remaining: 32-bit socketcall" has "32-bit (x86) programs cannot create sockets" "$E"
check "explain: remaining: listen() without bind()" has "listen(2) on a TCP socket that was never bound" "$E"
check "explain: remaining: a leftover process can take the caller's terminal" \
	has "makes itself the terminal's foreground (tcsetpgrp, which job control needs)" "$E"
check "explain: the verdict names second_layer=$SHELL_L2" has "second_layer=$SHELL_L2 " "$E"
check "explain: the sftp verdict names second_layer=$SFTP_L2" has "second_layer=$SFTP_L2 " "$F"
finish
