# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/l2-lib.sh - what the second-layer tests (layer2*.sh) share, on
# top of lib.sh and svc-lib.sh: the attack probe installed where every
# profile may run it, listeners outside the session, the policy variants
# (opt-outs), su -l sessions in a private mount namespace, and the table of
# what each attempt must get.

L2_PROBE="$top_builddir/tests/e2e/l2-attack"
L2_NOSECCOMP="$top_builddir/tests/e2e/l2-noseccomp"

# l2_expected_failure: for a test in XFAIL_TESTS: a missing prerequisite
# under CI=true is a hard error (99), which an expected failure cannot hide.
l2_expected_failure() {
	prereq_missing() {
		if [ "${CI:-}" = true ]; then
			echo "ERROR: missing prerequisite under CI=true: $*"
			exit 99
		fi
		echo "SKIP: $*"
		exit 77
	}
}

# l2_init: after svc_init.  The probe in L2DIR (under /usr/local/lib, which
# every profile may execute; removed at exit), a program copy in /tmp for
# the shell profile (L2_TMPPROG: writable there, not executable), the
# profile "sftp" for the user V ("$LL_TAG"v, in group "$LL_TAG"s: the
# policy's group "sftponly" renamed so that no system group is needed),
# the ports (DP: outside listeners, LP..LP+2: free), the PAM files for su.
l2_init() {
	[ -x "$L2_PROBE" ] || prereq_missing "l2-attack not built at $L2_PROBE (make check builds it)"
	[ -x "$L2_NOSECCOMP" ] || prereq_missing "l2-noseccomp not built (make check builds it)"
	[ -x /lib64/ld-linux-x86-64.so.2 ] || prereq_missing "/lib64/ld-linux-x86-64.so.2 (x86_64 only)"
	L2DIR="/usr/local/lib/$LL_TAG-l2"
	install -d -m 0755 "$L2DIR" && at_exit "rm -rf '$L2DIR'"
	install -m 0755 "$L2_PROBE" "$L2DIR/l2-attack"
	L2_TMPPROG="/tmp/$LL_TAG-prog"
	install -m 0755 /usr/bin/true "$L2_TMPPROG" && at_exit "rm -f '$L2_TMPPROG'"
	G_SFTP=$(group_add s) || { echo "FAIL: groupadd"; exit 1; }
	user_add v -G "$G_SFTP" >/dev/null || { echo "FAIL: useradd"; exit 1; }
	V="${LL_TAG}v"
	install -m 0755 -o "$V" /usr/bin/true "/home/$V/prog"
	sed "s/group = \"sftponly\"/group = \"$G_SFTP\"/" "$top_srcdir/conf/landlock.conf" >"$WORK/l2-shipped.conf"
	grep -q "group = \"$G_SFTP\"; profile = \"sftp\"" "$WORK/l2-shipped.conf" ||
		{ echo "FAIL: the shipped policy has no sftponly entry any more; update l2-lib.sh"; exit 1; }
	install -m 0644 "$WORK/l2-shipped.conf" "$POLICY"
	l2_ports
	mkdir -p "$WORK/su"
	svc_stack su-l su "$POLICY" >"$WORK/su/su-l"
	svc_stack su >"$WORK/su/su"
}

# l2_ports: DP (denied by every profile: a listener outside on 127.0.0.1 and
# ::1 that appends a line to $WORK/hits for each client) and LP (LP, LP+1,
# LP+2 free).
l2_ports() {
	local p
	DP=$(svc_ports 1)
	for _ in $(seq 50); do
		p=$(svc_ports 1)
		[ -z "$(ss -Htan "( sport >= :$p and sport <= :$((p + 2)) ) or sport = :$DP")" ] && break
	done
	LP=$p
	: >"$WORK/hits"
	"$L2_PROBE" serve "$DP" "$WORK/hits" >"$WORK/serve.$DP" 2>&1 &
	at_exit "kill $!"
	svc_listening "$DP" || { cat "$WORK/serve.$DP"; echo "FAIL: listener on $DP"; exit 1; }
}
l2_hits() { wc -l <"$WORK/hits"; }

# l2_allowed_listener: a listener outside the session on 127.0.0.1:80, a
# port the shipped shell profile allows (AP=80; it answers as a web server);
# stopped at exit.
l2_allowed_listener() {
	[ -z "$(ss -Htln 'sport = :80')" ] || prereq_missing "port 80 is in use on this machine (the test needs an allowed port)"
	"$L2_PROBE" serve 80 "$WORK/hits.80" >"$WORK/serve.80" 2>&1 &
	at_exit "kill $!"
	svc_listening 80 || { cat "$WORK/serve.80"; echo "FAIL: listener on 80"; exit 1; }
	AP=80
}

# l2_args PROFILE: the probe's options for a session of that profile.
l2_args() {
	if [ "$1" = sftp ]; then
		echo "--allowed-port ${AP:-80} --denied-port $DP --listen-port $LP --tmp-prog /home/$V/prog --wdir /home/$V"
	else
		echo "--allowed-port ${AP:-80} --denied-port $DP --listen-port $LP --tmp-prog $L2_TMPPROG --wdir /tmp"
	fi
}
l2_cmd() { echo "$L2DIR/l2-attack $(l2_args "$1")${2:+ $2}"; }

# l2_policy VARIANT: the policy (POLICY, read at every session) becomes the
# shipped one (VARIANT "shipped") or the shipped one with "block_PART =
# false;" in the base profile (VARIANT = PART), so both profiles get it.
l2_policy() {
	if [ "$1" = shipped ]; then
		install -m 0644 "$WORK/l2-shipped.conf" "$POLICY"
	else
		sed "s|^\(  base = {\)$|\1\n    block_$1 = false;|" "$WORK/l2-shipped.conf" >"$WORK/l2-var.conf"
		grep -q "block_$1 = false" "$WORK/l2-var.conf" || { echo "FAIL: no 'base = {' line in the policy"; exit 1; }
		install -m 0644 "$WORK/l2-var.conf" "$POLICY"
	fi
}

# l2_su USER CMD [WRAPPER...]: "su -l USER -c CMD" from root, with the su-l
# stack that has the module, in a private mount namespace with login uid 0;
# output in $WORK/su.out, "SVC-EXIT=N" last.
l2_su() {
	local user=$1 cmd=$2
	shift 2
	SVC_BIND="$WORK/su/su-l:/etc/pam.d/su-l $WORK/su/su:/etc/pam.d/su" SVC_PRE=$(svc_loginuid) \
		svc_ns "$@" su -l "$user" -c "$cmd" </dev/null >"$WORK/su.out" 2>&1
	echo "SVC-EXIT=$?" >>"$WORK/su.out"
}

# l2_control: the probe as the user V outside any session (no filter, no
# Landlock), stdin /dev/null like every session here; in $WORK/control.
l2_control() {
	(cd "/home/$V" && HOME=/home/$V setpriv --reuid="$V" --regid="$V" --init-groups \
		$(l2_cmd sftp) </dev/null >"$WORK/control" 2>&1)
}

# What each attempt must get, in a session on the shipped policy (shell and
# sftp profile), and with the attempt's own part of the second layer turned
# off (shell-off, sftp-off).  "ok" worked, "skip", an errno name, or "=":
# what the attempt got outside any session (the kernel's own answer, which
# depends on its build: SCTP, SMC, x32, DCCP).  Groups: base (Landlock's
# own rules: never changed by the second layer), net (unchecked_protocols),
# tty (terminal_injection), uring (io_uring), exec (fd_exec: the shell
# profile may write and execute its home, so it does not need it), gap (the
# documented remaining gaps: they work).
L2_TABLE='
base.tcp4_connect_allowed               ok          EACCES      ok          EACCES
base.tcp4_connect_denied                EACCES      EACCES      EACCES      EACCES
base.tcp6_connect_denied                EACCES      EACCES      EACCES      EACCES
base.tcp6_mapped_connect_denied         EACCES      EACCES      EACCES      EACCES
base.tcp4_bind_listen                   EACCES      EACCES      EACCES      EACCES
base.tcp6_bind_listen                   EACCES      EACCES      EACCES      EACCES
base.tcp4_fastopen_connect_opt          EACCES      EACCES      EACCES      EACCES
base.tcp4_hi_domain_type_connect        EACCES      EACCES      EACCES      EACCES
base.i386_tcp_connect_denied            EACCES      EACCES      EACCES      EACCES
gap.tcp4_listen_without_bind            ok          ok          ok          ok
net.tcp4_fastopen_sendto                EOPNOTSUPP  EOPNOTSUPP  ok          ok
net.tcp4_fastopen_sendmsg               EOPNOTSUPP  EOPNOTSUPP  ok          ok
net.tcp4_fastopen_sendmmsg              EOPNOTSUPP  EOPNOTSUPP  ok          ok
net.tcp6_fastopen_sendto                EOPNOTSUPP  EOPNOTSUPP  ok          ok
net.mptcp4_connect                      EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.mptcp6_connect                      EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.mptcp4_connect_nonblock_cloexec     EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.mptcp6_connect_nonblock_cloexec     EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.mptcp4_bind_listen                  EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.mptcp6_bind_listen                  EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.mptcp4_bind_listen_nonblock_cloexec EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.mptcp_hi_domain                     EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.mptcp_hi_type                       EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.mptcp_hi_protocol                   EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.mptcp_hi_all                        EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.tcp_hi_protocol                     EPROTONOSUPPORT EPROTONOSUPPORT EACCES EACCES
net.sctp4_stream                        EPROTONOSUPPORT EPROTONOSUPPORT =   =
net.sctp6_stream                        EPROTONOSUPPORT EPROTONOSUPPORT =   =
net.sctp4_seqpacket                     EPROTONOSUPPORT EPROTONOSUPPORT =   =
net.sctp6_seqpacket                     EPROTONOSUPPORT EPROTONOSUPPORT =   =
net.dccp4                               EPROTONOSUPPORT EPROTONOSUPPORT =   =
net.smc_inet                            EPROTONOSUPPORT EPROTONOSUPPORT =   =
net.smc_family                          EPROTONOSUPPORT EPROTONOSUPPORT =   =
net.tcp_ulp_smc                         ENOPROTOOPT ENOPROTOOPT =           =
net.x32_mptcp_socket                    EPROTONOSUPPORT EPROTONOSUPPORT =   =
net.i386_socketcall_mptcp               EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.i386_socketcall_tcp                 EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.i386_socketcall_tcp_odd_pointer     EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.i386_socketcall_tcp_pointer4        EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.i386_socketcall_unix                EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.i386_mptcp_connect                  EPROTONOSUPPORT EPROTONOSUPPORT ok  ok
net.i386_fastopen_sendto                EOPNOTSUPP  EOPNOTSUPP  ok          ok
net.i386_fastopen_socketcall            EOPNOTSUPP  EOPNOTSUPP  ok          ok
net.i386_tcp_ulp_smc                    ENOPROTOOPT ENOPROTOOPT =           =
net.i386_tcp_ulp_smc_socketcall         ENOPROTOOPT ENOPROTOOPT =           =
tty.tiocsti_stdin                       EPERM       EPERM       ENOTTY      ENOTTY
tty.tiocsti_inherited_fd                skip        skip        skip        skip
tty.tiocsti_dev_tty                     skip        skip        skip        skip
tty.tiocsti_hi_cmd                      EPERM       EPERM       ENOTTY      ENOTTY
tty.tioclinux_stdin                     EPERM       EPERM       ENOTTY      ENOTTY
tty.tioclinux_dev_tty                   skip        skip        skip        skip
tty.tioclinux_hi_cmd                    EPERM       EPERM       ENOTTY      ENOTTY
tty.i386_ioctl_tiocsti                  EPERM       EPERM       ENOTTY      ENOTTY
tty.i386_ioctl_tioclinux                EPERM       EPERM       ENOTTY      ENOTTY
uring.io_uring_setup                    EPERM       EPERM       ok          ok
uring.io_uring_enter_badfd              EPERM       EPERM       EBADF       EBADF
uring.io_uring_register_badfd           EPERM       EPERM       =           =
uring.io_uring_socket_mptcp_connect     EPERM       EPERM       ok          ok
uring.i386_io_uring_setup               EPERM       EPERM       ok          ok
base.exec_usr                           ok          ok          ok          ok
base.exec_usr_via_proc_fd               ok          ok          ok          ok
base.exec_tmp_prog                      EACCES      EACCES      EACCES      EACCES
base.exec_tmp_prog_via_proc_fd          EACCES      EACCES      EACCES      EACCES
base.otmpfile_exec_via_proc_fd          EACCES      EACCES      EACCES      EACCES
exec.memfd_create                       ok          EACCES      ok          ok
exec.memfd_create_hi_flags              ok          EACCES      ok          ok
exec.memfd_fexecve                      ok          EACCES      ok          ok
exec.memfd_exec_via_proc_fd             ok          EACCES      ok          ok
exec.memfd_mfd_exec_fexecve             ok          EACCES      ok          ok
exec.memfd_noexec_seal_exec_via_proc_fd EACCES      EACCES      EACCES      EACCES
exec.memfd_noexec_seal_fexecve          EACCES      EACCES      EACCES      EACCES
exec.execveat_empty_path_tmp_prog       EACCES      EACCES      EACCES      EACCES
exec.execveat_empty_path_usr            ok          EACCES      ok          ok
exec.i386_memfd_create                  ok          EACCES      ok          ok
exec.i386_execveat_empty_path_usr       ok          EACCES      ok          ok
gap.ldso_tmp_prog                       ok          ok          ok          ok
'

# l2_expected PROFILE [OFFGROUP]: "NAME RESULT ERRNO" for every attempt, as
# the probe prints them, for a session of PROFILE (shell|sftp); attempts of
# OFFGROUP (net, tty, uring, exec) with their part turned off.
l2_expected() {
	[ -s "$WORK/control" ] || l2_control
	awk -v prof="$1" -v off="${2:-}" -v ctl="$WORK/control" '
	BEGIN { while ((getline l < ctl) > 0) { split(l, f, " "); c[f[1]] = f[2] == "ok" ? "ok" : f[3] } }
	NF == 5 {
		split($1, g, "."); col = (prof == "sftp") ? 3 : 2
		if (g[1] == off) col += 2
		v = $col; if (v == "=") v = c[$1]
		print $1, (v == "ok" || v == "skip") ? v : "fail", (v == "ok" || v == "skip") ? "-" : v
	}' <<<"$L2_TABLE"
}

# l2_verify WHAT OUT PROFILE [OFFGROUP]: one check per group: every attempt
# in OUT (a probe's output) got what the table says; mismatches are shown.
l2_verify() {
	local what=$1 out=$2 g
	grep -aE '^[a-z0-9]+\.[a-z0-9_]+ (ok|fail|skip) ' "$out" | tr -d '\r' | cut -d' ' -f1-3 >"$WORK/got"
	l2_expected "$3" "${4:-}" >"$WORK/want"
	for g in base net tty uring exec gap; do
		if diff <(grep "^$g\." "$WORK/want") <(grep "^$g\." "$WORK/got") >"$WORK/diff"; then
			ok "$what: $g.* attempts as expected ($(grep -c "^$g\." "$WORK/want"))"
		else
			not_ok "$what: $g.* attempts as expected"
			sed 's/^/#   (< want, > got) /' "$WORK/diff"
		fi
	done
}
