#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/layer2_optout.sh - each part of the second layer can be turned
# off per profile (block_terminal_injection, block_unchecked_protocols,
# block_io_uring, block_fd_exec = false), and turning one off re-opens that
# part and nothing else; and what explain says the system closes already
# (sysctls), checked in private namespaces against what the kernel does.
#
# For each part: "su -l" sessions of the shell and the sftp profile on the
# shipped policy with "block_PART = false;" in its base profile run the
# attack probe; every attempt of that part gets what it gets without the
# filter, every other attempt what it gets with the whole filter (the table
# in l2-lib.sh); with unchecked_protocols or io_uring off, MPTCP reaches the
# outside listener on a denied port, and with unchecked_protocols off an
# MPTCP socket listens (ss sees it, an outside TCP client is served): the
# checks of layer2.sh can see a hole.  The confined syslog line, the audit
# record and explain say which parts are enforced.
#
# Sysctls: in a network namespace, net.mptcp.enabled=0 alone does not close
# unchecked_protocols (TCP Fast Open still connects anywhere), with
# net.ipv4.tcp_fastopen=0 too it does; in a pid namespace,
# vm.memfd_noexec=1 does not close fd_exec (MFD_EXEC still gives an
# executable memfd), 2 does.  explain must say exactly that.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"
. "$top_srcdir/tests/e2e/l2-lib.sh"

svc_init su unshare setpriv ss socat ip sysctl
l2_init
l2_allowed_listener
CTL="$top_builddir/tools/landlockctl"
[ -x "$CTL" ] || prereq_missing "landlockctl not built at $CTL"
ALL=terminal_injection,unchecked_protocols,io_uring,fd_exec
# parts PROFILE OFF: second_layer= for PROFILE with part OFF turned off
parts() {
	local l=$ALL
	[ "$1" = shell ] && l=${l%,fd_exec}
	l=$(tr ',' '\n' <<<"$l" | grep -vx "${2:-none}" | paste -sd,)
	echo "${l:-none}"
}
declare -A GROUP=([unchecked_protocols]=net [io_uring]=uring [terminal_injection]=tty [fd_exec]=exec)
l2_control

for part in unchecked_protocols io_uring terminal_injection fd_exec; do
	g=${GROUP[$part]}
	l2_policy "$part"
	line=$(grep -n "block_$part = false" "$POLICY" | cut -d: -f1)
	for who in "$U:shell" "$V:sftp"; do
		IFS=: read -r user prof <<<"$who"
		tag="$part off, $prof"
		log "$tag"
		svc_mark
		: >"$WORK/hits"
		rm -f "$WORK/su.out"
		l2_su "$user" "$(l2_cmd "$prof" '--hold 1')" &
		bg=$!
		for _ in $(seq 100); do grep -q '^# holding' "$WORK/su.out" 2>/dev/null && break; sleep 0.1; done
		ss -Htln "sport = :$((LP + 1))" >"$WORK/ss"
		socat -T 2 - "TCP:127.0.0.1:$((LP + 1))" </dev/null >"$WORK/served" 2>/dev/null
		wait "$bg"
		check "$tag: the session ran" grep -q "SVC-EXIT=0" "$WORK/su.out"
		l2_verify "$tag" "$WORK/su.out" "$prof" "$g"
		want=$(parts "$prof" "$part")
		check "$tag: the confined line says second_layer=$want" syslog_wait \
			"confined user=$user service=su-l profile=$prof .* second_layer=$want confine=children" 5
		check "$tag: the audit record says second_layer=$want" audit_wait \
			"op=pam_landlock-enforce acct=\"$user\" service=su-l profile=$prof .* second_layer=$want " 5
		"$CTL" -c "$POLICY" explain "$user" su-l >"$WORK/explain" 2>&1
		check "$tag: explain says it is off, and where" \
			grep -q "^  $part *OFF in this profile (block_$part = false at line $line): not closed" "$WORK/explain"
		check "$tag: explain's verdict says second_layer=$want" grep -q "second_layer=$want " "$WORK/explain"
		case $part in
		unchecked_protocols)
			check "$tag: MPTCP reached the outside listener on the denied port" test "$(l2_hits)" -gt 0
			check "$tag: an MPTCP socket listened on $((LP + 1)) (ss sees it)" test -s "$WORK/ss"
			check "$tag: an outside TCP client was served by it" grep -q hello-l2 "$WORK/served"
			;;
		io_uring)
			check "$tag: IORING_OP_SOCKET's MPTCP socket reached the outside listener" test "$(l2_hits)" -gt 0
			check "$tag: nothing listened" test ! -s "$WORK/ss"
			;;
		*)
			check "$tag: the outside listener on the denied port was never reached" test "$(l2_hits)" = 0
			check "$tag: nothing listened" test ! -s "$WORK/ss"
			;;
		esac
	done
done
l2_policy shipped

log "what the system closes already: explain against the kernel, in namespaces"
MEMFD_NOEXEC=$(cat /proc/sys/vm/memfd_noexec)
# explain_in NSCMD SETUP PART ATTEMPT...: inside a new namespace, after
# SETUP: what explain says the system closes ("EXPLAIN (this system ...)")
# and the kernel's answer to the ATTEMPTs of the user outside any session.
explain_in() {
	local ns=$1 setup=$2
	shift 2
	$ns bash -c "sp=; $setup
		'$CTL' -c '$POLICY' explain '$V' 2>/dev/null | grep '(this system' | sed 's/^ */EXPLAIN /'
		setpriv --reuid='$V' --regid='$V' --init-groups '$L2DIR/l2-attack' $* </dev/null
		[ -z \"\$sp\" ] || kill \$sp" >"$WORK/ns.out" 2>&1
	sed 's/^/#   /' "$WORK/ns.out"
}
NET="unshare -n"
LO="ip link set lo up; '$L2_PROBE' serve 9 /dev/null >/dev/null & sp=\$!; sleep 0.3;"
explain_in "$NET" "$LO sysctl -qw net.mptcp.enabled=0;" \
	--denied-port 9 net.mptcp4_connect net.tcp4_fastopen_sendto
check "net.mptcp.enabled=0: the kernel refuses MPTCP there" grep -q "^net.mptcp4_connect fail ENOPROTOOPT" "$WORK/ns.out"
check "net.mptcp.enabled=0: TCP Fast Open still reaches a port" grep -q "^net.tcp4_fastopen_sendto ok" "$WORK/ns.out"
check "net.mptcp.enabled=0 alone: explain does not say the system closes unchecked_protocols" \
	refute grep -q "closes it too" "$WORK/ns.out"
explain_in "$NET" "$LO sysctl -qw net.mptcp.enabled=0 net.ipv4.tcp_fastopen=0;" \
	--denied-port 9 net.mptcp4_connect net.tcp4_fastopen_sendto
check "tcp_fastopen=0 too: the kernel refuses Fast Open there" grep -q "^net.tcp4_fastopen_sendto fail EOPNOTSUPP" "$WORK/ns.out"
check "mptcp and Fast Open off, no SCTP or SMC here: explain says the system closes it too" \
	grep -q "^EXPLAIN (this system closes it too: net.mptcp.enabled=0, no SCTP or SMC, and net.ipv4.tcp_fastopen without client Fast Open" "$WORK/ns.out"
PID="unshare -pf --mount-proc"
explain_in "$PID" "echo 1 >/proc/sys/vm/memfd_noexec || exit 99;" exec.memfd_mfd_exec_fexecve exec.memfd_fexecve
check "vm.memfd_noexec=1: MFD_EXEC still gives a memfd that runs" grep -q "^exec.memfd_mfd_exec_fexecve ok" "$WORK/ns.out"
check "vm.memfd_noexec=1: explain does not say the system closes fd_exec" refute grep -q "closes it too" "$WORK/ns.out"
explain_in "$PID" "echo 2 >/proc/sys/vm/memfd_noexec || exit 99;" exec.memfd_mfd_exec_fexecve exec.memfd_fexecve
check "vm.memfd_noexec=2: no memfd runs" grep -q "^exec.memfd_mfd_exec_fexecve fail EACCES" "$WORK/ns.out"
check "vm.memfd_noexec=2: explain says the system closes fd_exec too" \
	grep -q "^EXPLAIN (this system closes it too: vm.memfd_noexec=2" "$WORK/ns.out"
check "the machine's own vm.memfd_noexec is untouched" test "$(cat /proc/sys/vm/memfd_noexec)" = "$MEMFD_NOEXEC"
finish
