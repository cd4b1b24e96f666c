#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/cron.sh - pam_landlock under Debian's real cron daemon (cron
# 3.0pl1).  For each job the daemon forks a per-job process (CRON) that
# opens the PAM session (service cron), forks the job's shell, waits, mails
# the job's output and closes the session.  cron is not one of the module's
# known supervisors, so that CRON process confines itself (confine=opener)
# and the job inherits its domain; the daemon is never confined.
#
# Everything happens in a private mount namespace: a syslog socket of the
# test's over /dev/log, a private crontab spool
# over /var/spool/cron/crontabs (filled with the real crontab -u), a private
# /etc/cron.d and /etc/crontab (so that no system job runs), /etc/pam.d/cron
# (Debian's plus conf/pam.d/cron), overlays on /run (cron's pid file and
# reboot marker) and /usr/sbin (no /usr/sbin/sendmail in minute 1, a
# stand-in in minute 2).  The test starts "cron -f" there, records its pid, and
# stops it by pid.  Jobs run at "* * * * *": the test waits for the next
# two minute boundaries after cron started, and for nothing else.
#
# Checks: minute 1 and minute 2, each job from the user's crontab and from
# /etc/cron.d runs as the user in a domain of its own, created by its CRON
# process (enforce record, "confined ... confine=opener" line, the 1423
# denial of /var/tmp with EACCES, its home writable, NoNewPrivs 1); the
# daemon has no_new_privs 0, never creates a domain, keeps running jobs.  A
# second user whose profile cannot be built on ABI 7 (hard_requirement):
# the session is refused in both minutes, the job never runs, syslog and
# audit say why, cron logs the PAM error and goes on.  The job's output:
# with no MTA, CRON logs "No MTA installed, discarding output"; with a
# stand-in sendmail, it runs as the user inside the job's domain (NoNewPrivs
# 1), so a queue in /var/spool and SMTP to port 25 are denied, as they would
# be for a real local MTA, and cron logs the MTA's failure status.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init unshare mount nsenter runuser socat sysctl
CRON=/usr/sbin/cron
for f in "$CRON" /usr/bin/crontab /etc/pam.d/cron; do
	[ -e "$f" ] || prereq_missing "$f (package cron)"
done
PROBE="$top_builddir/tests/e2e/probe"
[ -x "$PROBE" ] || prereq_missing "helper probe not built (make check builds it)"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
grep -qw overlay /proc/filesystems || prereq_missing "overlayfs (for private /run and /usr/sbin)"

# cron's syslog: a catcher of the test's own, bound over /dev/log in cron's
# namespace (with a syslog daemon, cron's lines would not be in auth.log).
# At a minute boundary every job's CRON process logs at once, and the module
# never waits for a full socket: with the default queue of 10 datagrams
# (net.unix.max_dgram_qlen) a slow reader loses its lines.  The sysctl is
# per network namespace and pathname sockets work across them, so the
# catcher's socket is made in a network namespace with a queue of 1024.
[ -e /dev/log ] || prereq_missing "/dev/log (the mount point of cron's syslog socket)"
CRONLOG="$WORK/cron.syslog"
: >"$CRONLOG"
unshare -n bash -c "for f in /proc/self/fd/*; do n=\${f##*/}; [ \$n -gt 2 ] && eval \"exec \$n>&-\"; done
	sysctl -qw net.unix.max_dgram_qlen=1024 && exec socat -u UNIX-RECV:'$WORK/log.sock',mode=666 'OPEN:$CRONLOG,append'" </dev/null &
at_exit "kill $!"
for i in $(seq 50); do [ -S "$WORK/log.sock" ] && break; sleep 0.1; done
[ -S "$WORK/log.sock" ] || prereq_missing "could not start a syslog catcher in a network namespace"
SYSLOG_FILE=$CRONLOG SYSLOG_OFF=0

# Users: U (the shipped shell profile) and R, whose profile is the shell
# profile as a hard requirement, which ABI 7 cannot meet (fs.resolve_unix
# needs ABI 9): every session of R is refused.
R=$(user_add r) || { echo "FAIL: useradd"; exit 1; }
for u in "$U" "$R"; do
	install -o "$u" -g "$u" -m 0755 "$PROBE" "/home/$u/probe"
done
sed -e "s|^\(profiles = {\)$|\1\n  cronbad = { extends = \"shell\"; compatibility = \"hard_requirement\"; };|" \
	-e "s|^\(match = (\)$|\1\n  { user = \"$R\"; profile = \"cronbad\"; },|" "$POLICY" >"$WORK/tmp.conf"
CONF="$WORK/cron.conf"
install -m 0644 "$WORK/tmp.conf" "$CONF"
BAD_LINE=$(grep -n "^  cronbad = " "$CONF" | cut -d: -f1)
grep -q "profile = \"cronbad\"" "$CONF" && [ -n "$BAD_LINE" ] ||
	{ echo "FAIL: the shipped policy no longer has 'profiles = {' and 'match = (' lines to edit"; exit 1; }

# The job: "cron-job TAG" writes what it saw to ~/cron-TAG-MINUTE.out
# (MINUTE: seconds since the epoch / 60), renamed into place when complete.
for u in "$U" "$R"; do
	cat >"/home/$u/cron-job" <<EOF
#!/bin/sh
m=\$((\$(date +%s) / 60)); o=\$HOME/cron-\$1-\$m.out
{
echo SH=\$\$ CRONP=\$PPID CRONPP=\$(awk '/^PPid/ { print \$2 }' /proc/\$PPID/status) UID=\$(id -u) NNP=\$(awk '/^NoNewPrivs/ { print \$2 }' /proc/self/status) AUID=\$(cat /proc/self/loginuid) SES=\$(cat /proc/self/sessionid)
echo "CRONCMD=\$(tr '\\0' ' ' </proc/\$PPID/cmdline)"
echo "DENY \$(\$HOME/probe create $DENY_DIR/$LL_TAG-\$1-\$m)"
echo "HOMEW \$(\$HOME/probe create \$HOME/w-\$1-\$m)"
echo done
} >\$o.tmp 2>&1
mv \$o.tmp \$o
EOF
	chown "$u:$u" "/home/$u/cron-job"
	chmod 0755 "/home/$u/cron-job"
done

# The stand-in MTA (added in minute 2): what it is, the mail, and what a
# local MTA does with it: queue it under /var/spool, or pass it to port 25.
MQ="/var/spool/$LL_TAG-mq"
install -d -m 1777 "$MQ"
at_exit "rm -rf '$MQ'"
cat >"$WORK/sendmail" <<EOF
#!/bin/sh
o=/home/$U/mta-\$\$.out
{
echo MTA=\$\$ PARENT=\$PPID UID=\$(id -u) EUID=\$(awk '/^Uid/ { print \$3 }' /proc/self/status) NNP=\$(awk '/^NoNewPrivs/ { print \$2 }' /proc/self/status)
echo "ARGS=\$*"
echo "QUEUE \$(/home/$U/probe create $MQ/\$\$)"
echo "SMTP \$(/home/$U/probe connect 25)"
echo "--- mail"
cat
} >\$o.tmp 2>&1
mv \$o.tmp \$o
exit 75
EOF
chmod 0755 "$WORK/sendmail"

# The private files cron reads.
install -d -o root -g crontab -m 1730 "$WORK/crontabs"
install -d -m 0755 "$WORK/cron.d" "$WORK/run.up" "$WORK/run.work" "$WORK/sbin.up" "$WORK/sbin.work"
# No MTA in minute 1, even if the machine has one: a whiteout in the
# overlay's upper layer hides /usr/sbin/sendmail.
mknod "$WORK/sbin.up/sendmail" c 0 0
printf 'SHELL=/bin/sh\nPATH=/usr/local/bin:/usr/bin:/bin\n' >"$WORK/crontab"
chmod 0644 "$WORK/crontab"
cat >"$WORK/cron.d/$LL_TAG" <<EOF
* * * * * $U exec /home/$U/cron-job crond
* * * * * $R exec /home/$R/cron-job refused
EOF
chmod 0644 "$WORK/cron.d/$LL_TAG"
cat >"$WORK/u.crontab" <<EOF
* * * * * exec /home/$U/cron-job crontab
* * * * * echo "output of $LL_TAG's job"
EOF
svc_stack cron cron "$CONF" >"$WORK/cron.pam" || exit 1
binds="$WORK/log.sock:/dev/log $WORK/crontabs:/var/spool/cron/crontabs $WORK/cron.d:/etc/cron.d $WORK/crontab:/etc/crontab $WORK/cron.pam:/etc/pam.d/cron"
mounts=""
for b in $binds; do mounts+="mount --bind '${b%%:*}' '${b#*:}' || exit 1; "; done
mounts+="mount -t overlay overlay -o 'lowerdir=/run,upperdir=$WORK/run.up,workdir=$WORK/run.work' /run || exit 1; "
mounts+="mount -t overlay overlay -o 'lowerdir=/usr/sbin,upperdir=$WORK/sbin.up,workdir=$WORK/sbin.work' /usr/sbin || exit 1"
svc_hold "$mounts" || prereq_missing "could not set up cron's private files in a mount namespace"

svc_in crontab -u "$U" "$WORK/u.crontab" >"$WORK/crontab.out" 2>&1
check "crontab -u installed the user's crontab (in the private spool)" test -s "$WORK/crontabs/$U"
refute pgrep -x cron >/dev/null || log "note: another cron runs on this machine (pid $(pgrep -x cron | tr '\n' ' ')); the test's runs in its own namespace"

svc_mark
nsenter -t "$SVC_HOLD" -m -- bash -c "
	for f in /proc/self/fd/*; do n=\${f##*/}; [ \$n -gt 2 ] && eval \"exec \$n>&-\"; done
	exec $CRON -f -L 15" </dev/null >"$WORK/cron.out" 2>&1 &
CRON_PID=$!
at_exit "kill $CRON_PID"
syslog_wait "cron\[$CRON_PID\]: (CRON) INFO (pidfile fd = " 10 ||
	{ cat "$WORK/cron.out"; echo "FAIL: cron did not start"; exit 1; }
started=$(date +%s)
M1=$((started / 60 + 1)) # cron runs the jobs of the first boundary after its start
M2=$((M1 + 1))
check "cron runs as the test started it (pid $CRON_PID, /usr/sbin/cron)" \
	test "$(readlink "/proc/$CRON_PID/exe")" = "$CRON"
log "cron started at $(date -u -d "@$started" +%T); jobs expected at $(date -u -d "@$((M1 * 60))" +%T) and $(date -u -d "@$((M2 * 60))" +%T)"

# minute M: waits (until 30 s past minute M) until everything of that
# minute is logged: the outputs of both jobs of U, the three sessions of U
# (the two jobs, the one with output) closed, their enforce records and the
# two probes' denials in audit, R's refusal in syslog and audit.  The
# minute's audit events are then in $WORK/events.
minute() {
	local m=$1 deadline=$(($1 * 60 + 30))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		sleep 0.5
		[ -e "/home/$U/cron-crontab-$m.out" ] && [ -e "/home/$U/cron-crond-$m.out" ] || continue
		[ "$(syslog_new | grep -c "CRON\[[0-9]*\]: pam_unix(cron:session): session closed for user $U")" -ge 3 ] || continue
		syslog_new | grep -q "session refused for $R" || continue
		svc_events >"$WORK/events"
		[ "$(grep -c "kind=enforce .*acct=$U " "$WORK/events")" -ge 3 ] || continue
		[ "$(grep -c "kind=access .*title=/home/$U/probe create $DENY_DIR/" "$WORK/events")" -ge 2 ] || continue
		grep -q "kind=refused .*acct=$R " "$WORK/events" && return 0
	done
	log "minute $m: not all seen by $(date -u +%T); audit daemon: $(auditctl -s | tr '\n' ' ')"
	return 1
}
out() { cat "/home/$U/cron-$1-$2.out" 2>/dev/null; }
val() { out "$2" "$3" | grep -ao "$1=[0-9][0-9]*" | head -1 | cut -d= -f2; }
# job TAG M: the checks of one job of U in minute M; sets SEEN_DOMAINS.
SEEN_DOMAINS=""
job() {
	local tag=$1 m=$2 sh cronp deny e dom
	sh=$(val SH "$tag" "$m") cronp=$(val CRONP "$tag" "$m")
	check "$N/$tag: the job ran as the user (shell $sh, CRON $cronp)" test "$(val UID "$tag" "$m")" = "$UID_U"
	check "$N/$tag: the job finished" grep -q "^done$" <(out "$tag" "$m")
	check "$N/$tag: its parent is a per-job CRON process, a child of the daemon" \
		test "$(val CRONPP "$tag" "$m"):$(out "$tag" "$m" | sed -n 's/^CRONCMD=//p')" = "$CRON_PID:/usr/sbin/CRON -f -L 15 "
	check "$N/$tag: NoNewPrivs 1 in the job" test "$(val NNP "$tag" "$m")" = 1
	check "$N/$tag: pam_loginuid set the job's login uid" test "$(val AUID "$tag" "$m")" = "$UID_U"
	deny=$(out "$tag" "$m" | sed -n 's/^DENY \([A-Z]*\) pid=\([0-9]*\)$/\1:\2/p')
	check "$N/$tag: the write to $DENY_DIR was denied with EACCES" test "${deny%%:*}" = EACCES
	check "$N/$tag: a write in the home was allowed" grep -q "^HOMEW ok pid=" <(out "$tag" "$m")
	check "$N/$tag: syslog: confined, service cron, confine=opener, pid of its CRON process" \
		grep -q "CRON\[$cronp\]: pam_landlock(cron:session): confined user=$U service=cron .* confine=opener pid=$cronp\b" <(syslog_new)
	check "$N/$tag: audit: the enforce record of the CRON process" \
		grep -q "kind=enforce .* pid=$cronp .*acct=$U " "$WORK/events"
	e=$(grep -a "kind=access .* pid=${deny#*:} ppid=$sh " "$WORK/events" | grep "blockers=fs.make_reg ")
	dom=$(ev domain <<<"$e")
	check "$N/$tag: 1423 fs.make_reg from the probe, as the user, auid and ses of the session" \
		test "$(ev uid <<<"$e"):$(ev auid <<<"$e"):$(ev ses <<<"$e")" = "$UID_U:$UID_U:$(val SES "$tag" "$m")"
	check "$N/$tag: the domain ($dom) was created by the job's CRON process" \
		grep -q "kind=alloc .* domain=$dom pid=$cronp " "$WORK/events"
	check "$N/$tag: a domain of its own (not one of: ${SEEN_DOMAINS:-none})" \
		test -n "$dom" -a "${SEEN_DOMAINS/ $dom /}" = "$SEEN_DOMAINS"
	SEEN_DOMAINS+=" $dom "
}
# refused M: R's job in minute M: the module refuses the session at the
# profile's line, CRON logs PAM's error and runs nothing.
refused() {
	local m=$1 rpid
	rpid=$(syslog_new | sed -n "s/.* CRON\[\([0-9]*\)\]: pam_landlock(cron:session): session refused for $R: .*/\1/p" | head -1)
	check "$N/refused: the job of $R did not run" test ! -e "/home/$R/cron-refused-$m.out"
	check "$N/refused: syslog says why, at the profile's line (CRON $rpid)" \
		grep -q "CRON\[$rpid\]: pam_landlock(cron:session): session refused for $R: $CONF:$BAD_LINE: profile 'cronbad' is a hard requirement but Landlock ABI 7 cannot enforce: fs.resolve_unix; " <(syslog_new)
	check "$N/refused: audit: the module's refusal record from that CRON process" \
		grep -q "kind=refused .* pid=$rpid .*acct=$R " "$WORK/events"
	check "$N/refused: CRON logs PAM's error (\"Permission denied\") and runs no command" \
		test "$(syslog_new | grep -a "CRON\[$rpid\]: " | grep -v "pam_[a-z]*(cron:session)" | sed 's/.*CRON\[[0-9]*\]: //')" = "Permission denied"
	check "$N/refused: that CRON process exited without closing the session" \
		eval '! kill -0 "$rpid" 2>/dev/null && ! syslog_new | grep -q "session closed for user $R"'
}
daemon() {
	check "$N: the cron daemon runs, with NoNewPrivs 0 (it was never confined)" \
		test "$(awk '/^NoNewPrivs/ { print $2 }' "/proc/$CRON_PID/status" 2>/dev/null)" = 0
	check "$N: the daemon created no domain and opened no session" \
		refute grep -qE "kind=(alloc|enforce) .* pid=$CRON_PID " "$WORK/events"
}

N=1
log "minute 1: the jobs of the first boundary (no MTA)"
minute "$M1" 1
rc=$?
check "1: every job of the minute ran or was refused by $(date -u -d "@$((M1 * 60 + 30))" +%T)" test $rc = 0
job crontab "$M1"
job crond "$M1"
refused "$M1"
daemon
check "1: the job's output: CRON logs that no MTA is installed" \
	grep -q "CRON\[[0-9]*\]: (CRON) info (No MTA installed, discarding output)" <(syslog_new)
check "1: cron logged no CMD for R's refused job" \
	refute grep -q "($R) CMD" <(syslog_new)

N=2
log "minute 2: the next boundary, a stand-in /usr/sbin/sendmail"
svc_in install -m 0755 "$WORK/sendmail" /usr/sbin/sendmail
svc_mark
minute "$M2" 1
rc=$?
check "2: every job of the minute ran or was refused by $(date -u -d "@$((M2 * 60 + 30))" +%T)" test $rc = 0
for i in $(seq 20); do ls /home/"$U"/mta-*.out >/dev/null 2>&1 && break; sleep 0.2; done
svc_events_wait "kind=access .*title=/home/$U/probe create $MQ/" 5
svc_events >"$WORK/events"
job crontab "$M2"
job crond "$M2"
refused "$M2"
daemon
mta=$(ls /home/"$U"/mta-*.out 2>/dev/null | head -1)
cat "$mta" >"$WORK/mta.txt" 2>/dev/null
check "2: cron ran the MTA with the job's output" grep -q "^output of $LL_TAG's job$" "$WORK/mta.txt"
check "2: the MTA runs as the user, NoNewPrivs 1 (inside the job's domain)" \
	grep -q "UID=$UID_U EUID=$UID_U NNP=1$" "$WORK/mta.txt"
check "2: the MTA's queue write under /var/spool is denied (EACCES)" grep -q "^QUEUE EACCES " "$WORK/mta.txt"
check "2: the MTA's SMTP connection to port 25 is denied (EACCES)" grep -q "^SMTP EACCES " "$WORK/mta.txt"
mpid=$(svc_vals MTA "$WORK/mta.txt" | head -1)
qpid=$(sed -n 's/^QUEUE EACCES pid=\([0-9]*\)$/\1/p' "$WORK/mta.txt")
e=$(grep -a "kind=access .* pid=$qpid ppid=$mpid " "$WORK/events")
check "2: the MTA's queue denial is a 1423 of the user in the domain its CRON process created" \
	grep -q "kind=alloc .* domain=$(ev domain <<<"$e") pid=$(svc_vals PARENT "$WORK/mta.txt" | head -1) " "$WORK/events"
check "2: cron logs the MTA's failure" \
	grep -q "CRON\[$(svc_vals PARENT "$WORK/mta.txt" | head -1)\]: ($U) MAIL (mailed [0-9]* bytes of output but got status 0x004b from MTA" <(syslog_new)
log "the MTA ($mpid): $(head -2 "$WORK/mta.txt" | tr '\n' ' ')"
check "the daemon is still running after both minutes" kill -0 "$CRON_PID"
SYSLOG_OFF=0
check "no pam_landlock syslog line was dropped (the catcher's queue held every burst)" \
	refute grep -q "earlier pam_landlock syslog line(s) dropped" <(syslog_new)
rm -f /home/"$U"/cron-*.out /home/"$U"/w-* /home/"$U"/mta-*.out
finish
