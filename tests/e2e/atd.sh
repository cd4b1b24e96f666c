#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/atd.sh - pam_landlock under Debian's real atd (at 3.2.5).  For
# each job atd forks a runner (uid daemon, euid 0) that opens the PAM
# session (service atd), forks the job's shell, waits, closes the session,
# then removes the job's output file and mails it.  atd is not one of the
# module's known supervisors, so by default the runner itself is confined
# (confine=opener); confine=children on the module line leaves it out.
#
# Everything happens in a private mount namespace: private job and output
# spools bind-mounted over /var/spool/cron/atjobs and atspool, a private
# /etc/pam.d/atd (Debian's plus our line); "at" queues the job as the user,
# "atd -s" runs the queue once.
#
# Checks, both modes: the job runs confined (denied write, its 1423 record
# from the job as the user, NoNewPrivs 1).  confine=opener: the runner is
# the confined process (it enforces in open_session, with euid 0: the audit
# enforce record is written), and its own removal of the output file is then
# denied (atd logs it; the file stays).  confine=children: the job's shell is
# the confined process; the runner forked it with euid daemon, so the kernel
# refuses the module's audit user message from it (EPERM) and syslog says
# that the audit record was not written: the session still leaves a trace;
# the runner removes the output file.  An unbuildable policy runs no job.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init at unshare mount runuser
ATD=/usr/sbin/atd
[ -x "$ATD" ] || prereq_missing "$ATD (package at)"
for d in /var/spool/cron/atjobs /var/spool/cron/atspool; do
	[ -d "$d" ] || prereq_missing "$d (package at)"
done
svc_bad_policies

# spool NAME: fresh private spools, as the package makes them.
spool() {
	rm -rf "$WORK/$1.jobs" "$WORK/$1.out"
	install -d -o daemon -g daemon -m 1770 "$WORK/$1.jobs" "$WORK/$1.out"
	install -o daemon -g daemon -m 0600 /dev/null "$WORK/$1.jobs/.SEQ"
}
# job TAG CONF [MODULE-ARGS]: one job of U, run by "atd -s"; waits until its
# runner closed the session.  The job writes what it saw to ~/at-TAG.out.
job() {
	local tag=$1 conf=$2 i
	shift 2
	spool "$tag"
	{ cat /etc/pam.d/atd; echo "session required $MODULE conf=$conf $*"; } >"$WORK/$tag.pam"
	cat >"$WORK/$tag.job" <<EOF
{ echo SH=\$\$ RUNNER=\$PPID RUNNER_EUID=\$(awk '/^Uid/ { print \$3 }' /proc/\$PPID/status) UID=\$(id -u) NNP=\$(awk '/^NoNewPrivs/ { print \$2 }' /proc/self/status)
touch $DENY_DIR/$LL_TAG-\$\$; echo TOUCH=\$?; } >~/at-$tag.out 2>&1
echo done >>~/at-$tag.out
EOF
	chmod 0644 "$WORK/$tag.job"
	svc_mark
	SVC_BIND="$WORK/$tag.jobs:/var/spool/cron/atjobs $WORK/$tag.out:/var/spool/cron/atspool $WORK/$tag.pam:/etc/pam.d/atd" \
		svc_ns bash -c "runuser -u '$U' -- at -f '$WORK/$tag.job' now && '$ATD' -s" >"$WORK/$tag.at" 2>&1
	for i in $(seq 100); do
		syslog_new | grep -q "atd\[[0-9]*\]: pam_unix(atd:session): session closed for user $U" && break
		syslog_new | grep -q "pam_landlock(atd:session): session refused for $U" && break
		sleep 0.1
	done
	sleep 0.2 # the runner's cleanup after close_session
	cp "/home/$U/at-$tag.out" "$WORK/$tag.txt" 2>/dev/null || : >"$WORK/$tag.txt"
}
val() { svc_vals "$1" "$WORK/$2.txt" | head -1; }
# common TAG CONFINED-WHO: the checks both modes share; CONFINED-WHO is SH
# (the job's shell) or RUNNER.
common() {
	local tag=$1 sh runner want e
	sh=$(val SH "$tag") runner=$(val RUNNER "$tag")
	check "$tag: the job ran as the user (shell $sh, runner $runner)" grep -q "UID=$UID_U " "$WORK/$tag.txt"
	check "$tag: the job finished" grep -q "^done$" "$WORK/$tag.txt"
	check "$tag: NoNewPrivs 1 in the job" grep -q "NNP=1" "$WORK/$tag.txt"
	check "$tag: the write to $DENY_DIR was denied" grep -q "TOUCH=1" "$WORK/$tag.txt"
	if [ "$2" = SH ]; then want=$sh; else want=$runner; fi
	check "$tag: syslog: the confined process is the $2 ($want)" \
		test "$(svc_confined_pids atd)" = "$want"
	if [ "$2" = SH ]; then
		# The runner forks with euid daemon: no CAP_AUDIT_WRITE in the child.
		check "$tag: the runner runs with euid daemon ($(id -u daemon))" \
			grep -q "RUNNER_EUID=$(id -u daemon) " "$WORK/$tag.txt"
		check "$tag: syslog: the audit record of the confinement was not written (EPERM)" \
			syslog_wait "atd\[$want\]: pam_landlock(atd:session): audit record of the confinement of $U not written: EPERM" 2
		check "$tag: no enforce record in audit (the kernel refused it)" \
			refute grep -q "kind=enforce .*acct=$U " <(svc_events)
	else
		# open_session runs with euid 0.
		check "$tag: audit: enforce record from the runner" \
			grep -q "kind=enforce .* pid=$want .*acct=$U " <(svc_events)
	fi
	e=$(svc_touch_event "$sh")
	check "$tag: 1423 fs.make_reg from the job, as the user" \
		test "$(ev blockers <<<"$e"):$(ev uid <<<"$e"):$(ev ppid <<<"$e")" = "fs.make_reg:$UID_U:$sh"
	check "$tag: the domain's creator is the $2" grep -q "kind=alloc .* domain=$(ev domain <<<"$e") pid=$want " <(svc_events)
}

log "default (confine=auto: atd is no known supervisor, so opener)"
job auto "$POLICY"
common auto RUNNER
check "auto: confine=opener in the confined line" grep -q " confine=opener pid=" <<<"$(svc_confined_line atd)"
check "auto: the runner, confined, cannot remove the job's output file" \
	syslog_wait "atd\[$(val RUNNER auto)\]: Warning: removing output file for job [0-9]* failed: Permission denied" 2
check "auto: the output file stays in the spool" test -n "$(ls -A "$WORK/auto.out")"

log "confine=children: the runner stays outside"
job children "$POLICY" confine=children
common children SH
check "children: confine=children in the confined line" grep -q " confine=children pid=" <<<"$(svc_confined_line atd)"
check "children: the runner removed the output file" test -z "$(ls -A "$WORK/children.out")"
check "children: no removal failure logged" refute grep -q "removing output file" <(syslog_new)

log "fail closed"
job missing "$BAD_MISSING"
check "missing: the job did not run" refute grep -q "UID=" "$WORK/missing.txt"
check "missing: refused with file:line in syslog" svc_refused_logged "$BAD_MISSING" "$BAD_MISSING_LINE"
rm -f "/home/$U"/at-*.out
finish
