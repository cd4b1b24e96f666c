#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/layer2_refuse.sh - a session whose second layer cannot be
# installed gets nothing.  The PAM application (su, sshd) and landlockctl
# run under l2-noseccomp, which makes seccomp(SECCOMP_SET_MODE_FILTER) fail
# with EINVAL or EPERM while SECCOMP_GET_ACTION_AVAIL still works, as on a
# kernel that has seccomp but refuses the filter: the forked child that
# would become the session has Landlock on but no filter, and must exit.
#
# Checks: no shell, no command, under su -l and sshd; syslog and an audit
# op=pam_landlock-refused record say why (seccomp (second layer) failed in
# the forked child: EINVAL/EPERM); the supervisor still closes the session;
# landlockctl run refuses to run the command.  Where seccomp(2) is missing
# altogether (ENOSYS), the second layer is a dropped restriction like the
# others: the session runs, enforcement=partial and dropped= name each part,
# io_uring really works inside.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"
. "$top_srcdir/tests/e2e/l2-lib.sh"

svc_init sshd ssh ssh-keygen su unshare setpriv perl
l2_init
CTL="$top_builddir/tools/landlockctl"
[ -x "$CTL" ] || prereq_missing "landlockctl not built at $CTL"
svc_stack sshd sshd "$POLICY" >"$WORK/pam.sshd"
svc_sshd "$WORK/pam.sshd"
read -r P P2 < <(svc_ports 2 | tr '\n' ' ')
svc_sshd_start "$P2" "$L2_NOSECCOMP" EINVAL
SSH=("${SSH0[@]}" -p "$P2")
RUN="echo SHELL-RAN; $L2DIR/l2-attack uring.io_uring_setup"

# refused_reason USER SERVICE: the decoded reason= of the new refusal record
refused_reason() {
	audit_new | grep -a "op=pam_landlock-refused acct=\"$1\" service=$2" | head -1 |
		sed -n 's/.* reason=\([0-9A-F]*\) .*/\1/p; s/.* reason="\([^"]*\)".*/\1/p' |
		perl -pe 's/([0-9A-F]{2})/chr hex $1/ge if /^[0-9A-F]+$/'
}

for err in EINVAL EPERM; do
	log "su -l where the filter cannot be installed ($err)"
	svc_mark
	l2_su "$U" "$RUN" "$L2_NOSECCOMP" "$err"
	sed 's/^/#   /' "$WORK/su.out"
	why="seccomp (second layer) failed in the forked child: $err"
	check "$err, su -l: no shell ran" refute grep -q SHELL-RAN "$WORK/su.out"
	check "$err, su -l: su failed" refute grep -q "SVC-EXIT=0" "$WORK/su.out"
	check "$err, su -l: the user is told why" grep -q "pam_landlock: session refused for $U: $why" "$WORK/su.out"
	check "$err, su -l: syslog says why" syslog_wait "pam_landlock(su-l:session): session refused for $U: $why" 5
	audit_wait "op=pam_landlock-refused acct=\"$U\" service=su-l" 5
	check "$err, su -l: the audit refusal record says why" grep -qF "$why" < <(refused_reason "$U" su-l)
	check "$err, su -l: nothing was confined" refute syslog_wait "confined user=$U " 1
	check "$err, su -l: su still closed the session" \
		syslog_wait "pam_unix(su-l:session): session closed for user $U" 5
done

log "sshd where the filter cannot be installed (EINVAL)"
svc_mark
"${SSH[@]}" "$DEST" "$RUN" >"$WORK/sshd.out" 2>&1
"${SSH[@]}" -tt "$DEST" "$RUN" </dev/null >>"$WORK/sshd.out" 2>&1
sed 's/^/#   /' "$WORK/sshd.out"
why="seccomp (second layer) failed in the forked child: EINVAL"
check "sshd: no command ran, with or without a pty" refute grep -q SHELL-RAN "$WORK/sshd.out"
check "sshd: syslog says why" syslog_wait "pam_landlock($SVC:session): session refused for $U: $why" 5
audit_wait "op=pam_landlock-refused acct=\"$U\" service=$SVC" 5
check "sshd: the audit refusal record says why" grep -qF "$why" < <(refused_reason "$U" "$SVC")
check "sshd: nothing was confined" refute syslog_wait "confined user=$U " 1
check "sshd: the monitor still closed the session" \
	syslog_wait "pam_unix($SVC:session): session closed for user $U" 5
svc_sshd_start "$P"
check "sshd without the wrapper: the same command runs (the refusal was the filter's)" \
	grep -q SHELL-RAN < <("${SSH0[@]}" -p "$P" "$DEST" "$RUN" 2>&1)

log "landlockctl run where the filter cannot be installed"
"$L2_NOSECCOMP" EINVAL "$CTL" -c "$POLICY" run "$U" -- /bin/echo TRIAL-RAN >"$WORK/run.out" 2>&1
rc=$?
sed 's/^/#   /' "$WORK/run.out"
check "landlockctl run: fails" test "$rc" != 0
check "landlockctl run: the command did not run" refute grep -q TRIAL-RAN "$WORK/run.out"
check "landlockctl run: says why" grep -q "seccomp (second layer) failed: Invalid argument" "$WORK/run.out"

log "a kernel without seccomp(2) (ENOSYS): a dropped restriction"
svc_mark
l2_su "$U" "$RUN" "$L2_NOSECCOMP" ENOSYS
sed 's/^/#   /' "$WORK/su.out"
DROPPED="second_layer.terminal_injection,second_layer.unchecked_protocols,second_layer.io_uring"
check "ENOSYS: the session runs" grep -q SHELL-RAN "$WORK/su.out"
check "ENOSYS: io_uring really works inside (nothing pretends)" grep -q "^uring.io_uring_setup ok" "$WORK/su.out"
check "ENOSYS: the confined line says partial, each part dropped, second_layer=none" syslog_wait \
	"confined user=$U service=su-l profile=shell .* enforcement=partial dropped=[^ ]*$DROPPED .* second_layer=none " 5
check "ENOSYS: so does the audit record" audit_wait \
	"op=pam_landlock-enforce acct=\"$U\" service=su-l profile=shell .* enforcement=partial dropped=[^ ]*$DROPPED .* second_layer=none " 5

# (hard_requirement with a dropped second layer cannot be shown on ABI 7:
# every hard_requirement profile is refused there for fs.resolve_unix, which
# needs ABI 9, before the second layer is planned.)
l2_policy shipped
finish
