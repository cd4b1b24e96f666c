#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/audit_gaps.sh - every confined or refused session leaves at least
# one trace, and syslog says when the audit record could not be written
# (issue 9, item 7).  The applications: pamtester (an opener the module does
# not know: confine=opener) with a unique PAM service, and su -l (a known
# supervisor: confine=children).
#
# Checks: an opener without CAP_AUDIT_WRITE (dropped from the bounding set
# with setpriv): the kernel refuses the enforce record (none in the audit
# log) and syslog says "audit record of the confinement of U not written:
# EPERM", from the confined process; the same for a refusal ("... of the
# refusal ..."), and for su -l, where the forked child says it.  File
# descriptor exhaustion (ulimit -n from 4 to 12): every session that opens
# has its confined line in syslog and its enforce record in audit, every
# session the module refuses has its refusal in syslog - the syslog line and
# the audit record each need one descriptor, one after the other, so a limit
# that lets the session be built lets both through.  A supervisor whose
# fork fails (a seccomp filter makes fork fail with EAGAIN) or whose forked
# child cannot be confined (16 stacked layers): close_session warns that
# nothing of the session ran in its domain, and counts the failed children.
# A user name with a newline (pamtester passes any name) cannot start a
# syslog line of its own: control characters are written as #ooo, as
# rsyslog does.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init pamtester setpriv su unshare mount
[ -x "$SVC_HELPERS/svc-nofork" ] || prereq_missing "helper svc-nofork not built (make check builds it)"
svc_bad_policies
SVC="$LL_TAG-pam"
stack() { printf 'auth required pam_permit.so\naccount required pam_permit.so\nsession required %s conf=%s\n' "$MODULE" "$1"; }
stack "$POLICY" | pam_service "$SVC" || exit 1
# pt TAG [WRAPPER...]: pamtester SVC U open_session close_session; output in
# $WORK/TAG.txt, its exit status last.
pt() {
	local tag=$1
	shift
	svc_mark
	"$@" pamtester -v "$SVC" "$U" open_session close_session </dev/null >"$WORK/$tag.txt" 2>&1
	echo "SVC-EXIT=$?" >>"$WORK/$tag.txt"
}
pid_of() { syslog_new | grep -a "pamtester\[[0-9]*\]: pam_landlock($SVC:session): $1" | sed -n 's/^.*pamtester\[\([0-9]*\)\].*/\1/p' | head -1; }
NOAUDIT=(setpriv --bounding-set -audit_write)

log "an opener without CAP_AUDIT_WRITE"
pt capdrop "${NOAUDIT[@]}"
check "capdrop: the session opened" grep -q "successfully opened a session" "$WORK/capdrop.txt"
pid=$(pid_of "confined user=$U ")
check "capdrop: syslog: confined (pid $pid)" test -n "$pid"
check "capdrop: syslog: the audit record was not written (EPERM), from the confined process" \
	syslog_wait "pamtester\[$pid\]: pam_landlock($SVC:session): audit record of the confinement of $U not written: EPERM" 2
check "capdrop: no enforce record in audit" refute grep -q "kind=enforce .*acct=$U " <(svc_events)
pt control
check "control: with the capability the enforce record is written" \
	svc_events_wait "kind=enforce .*acct=$U " 5
check "control: and syslog has no such warning" refute grep -q "not written" <(syslog_new)

stack "$BAD_MISSING" >"/etc/pam.d/$SVC"
pt refcap "${NOAUDIT[@]}"
check "refused without CAP_AUDIT_WRITE: the session failed" grep -q "SVC-EXIT=1" "$WORK/refcap.txt"
check "refused without CAP_AUDIT_WRITE: syslog has the refusal" svc_refused_logged "$BAD_MISSING" "$BAD_MISSING_LINE"
check "refused without CAP_AUDIT_WRITE: syslog says its audit record was not written" \
	syslog_wait "pam_landlock($SVC:session): audit record of the refusal for $U not written: EPERM" 2
stack "$POLICY" >"/etc/pam.d/$SVC"

svc_mark
SVC_WRAP="${NOAUDIT[*]}" svc_su sucap "$POLICY" -l "$U" -c "$(svc_suprobe)"
sh=$(svc_vals SH "$WORK/sucap.txt" | head -1)
check "su -l without CAP_AUDIT_WRITE: the shell ran confined" grep -q "TOUCH=1" "$WORK/sucap.txt"
check "su -l without CAP_AUDIT_WRITE: the forked child ($sh) says the audit record was not written" \
	syslog_wait "su\[$sh\]: pam_landlock(su-l:session): audit record of the confinement of $U not written: EPERM" 2

log "a user name cannot forge a syslog line"
svc_mark
pamtester "$SVC" "$(printf 'x%s\nFORGED-%s[1]: pam_landlock(sshd:session): confined user=root' "$LL_TAG" "$LL_TAG")" open_session >/dev/null 2>&1
check "forge: the refusal was logged" syslog_wait "session refused for x$LL_TAG" 5
check "forge: no line starts with the text after the newline" refute grep -qa "^FORGED-$LL_TAG" <(syslog_new)
check "forge: the newline is written as #012" syslog_wait "session refused for x$LL_TAG#012FORGED-$LL_TAG" 1

log "file descriptor exhaustion (ulimit -n)"
opened=0 refusals=0
for n in 4 5 6 7 8 9 10 11 12; do
	pt "fd$n" bash -c "ulimit -n $n && exec \"\$0\" \"\$@\""
	if grep -q "successfully opened a session" "$WORK/fd$n.txt"; then
		opened=$((opened + 1))
		pid=$(pid_of "confined user=$U ")
		check "ulimit -n $n: opened, and syslog has the confined line" test -n "$pid"
		check "ulimit -n $n: audit has the enforce record" svc_events_wait "kind=enforce .* pid=$pid .*acct=$U " 5
	elif grep -q "performing operation - open_session" "$WORK/fd$n.txt"; then
		refusals=$((refusals + 1))
		check "ulimit -n $n: refused, and syslog has the refusal" \
			syslog_wait "pam_landlock($SVC:session): session refused for $U: " 2
		log "ulimit -n $n: $(syslog_new | grep -ao 'session refused for .*' | head -1)"
	else
		log "ulimit -n $n: PAM could not start ($(grep -v SVC-EXIT "$WORK/fd$n.txt" | tail -1)): the module never ran"
	fi
done
check "the sweep saw both refused and opened sessions ($refusals, $opened)" test "$refusals" -gt 0 -a "$opened" -gt 0

log "the supervisor's fork fails, or its child cannot be confined"
svc_mark
SVC_WRAP="$SVC_HELPERS/svc-nofork" svc_su nofork "$POLICY" -l "$U" -c "$(svc_suprobe)"
check "nofork: no shell" refute grep -q "TOUCH=" "$WORK/nofork.txt"
check "nofork: su could not fork" grep -qi "cannot create child process" "$WORK/nofork.txt"
check "nofork: close_session says nothing was confined" \
	syslog_wait "su\[[0-9]*\]: pam_landlock(su-l:session): session of $U closed without any process confined by the fork hook: nothing of this session ran in its domain" 5
svc_mark
SVC_WRAP="$SVC_HELPERS/svc-stack 16" svc_su e2big "$POLICY" -l "$U" -c "$(svc_suprobe)"
check "16 layers: no shell" refute grep -q "TOUCH=" "$WORK/e2big.txt"
check "16 layers: close_session counts the child that could not be confined" \
	syslog_wait "pam_landlock(su-l:session): session of $U: 1 process(es) forked by the opener could not be confined and exited" 5
check "16 layers: and says nothing was confined" \
	syslog_wait "pam_landlock(su-l:session): session of $U closed without any process confined by the fork hook" 5
finish
