#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/stress-records.sh - the records of a fork storm (issue 16): the
# libpam-level stress test (tests/pam/tst-stress: an opener busy in
# localtime_r, syslog(3), getaddrinfo, malloc, stdio and NSS forks children
# with the fork hook armed, from its main thread or from a SIGALRM handler)
# run under a real auditd and a syslog catcher on /dev/log.  For every child
# it forked: exactly one "confined ... pid=PID" syslog line, sent by PID
# (IDENT[PID]), at authpriv.notice, and exactly one op=pam_landlock-enforce
# audit record whose pid= is PID, well formed and complete (acct, service,
# profile, ..., exe, hostname and addr = the case's PAM_RHOST, terminal=ssh,
# res=success, the closing quote).  A line the module could not send
# (/dev/log full: non-blocking by design) must be named in that child's audit
# record as syslog=EAGAIN; how many were is printed.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"

need_root
need_module
STRESS="$top_builddir/tests/pam/tst-stress"
[ -x "$STRESS" ] || prereq_missing "$STRESS not built (make check builds it)"
workdir
audit_start
syslog_start

FORKS=${LL_STRESS_RECORD_FORKS:-250}
REC="$WORK/children"
t0=$(date +%s)
LL_STRESS_FORKS=$FORKS LL_STRESS_RECORDS="$REC" "$STRESS" >"$WORK/stress.out" 2>&1
rc=$?
log "tst-stress took $(($(date +%s) - t0)) s"
grep -a '^\(# \|not ok\)' "$WORK/stress.out"
check "tst-stress ($FORKS forks per case) passed under auditd and the syslog catcher (exit $rc)" test "$rc" = 0
U=$(awk '$1 == "user" { print $2 }' "$REC")
N=$(grep -c '^child ' "$REC")
check "the stress test listed its children ($N, user $U)" test "$N" -gt 0 -a -n "$U"

# The last child's records, then a moment for the catcher and auditd.
last=$(awk '$1 == "child" { p = $3 } END { print p }' "$REC")
audit_wait "op=pam_landlock-enforce .*" 10 || true
for i in $(seq 100); do
	audit_new | grep -aq "pid=$last .*op=pam_landlock-enforce" && break
	sleep 0.1
done
sleep 1
syslog_new >"$WORK/syslog.txt"
audit_new | tr -d '\r' >"$WORK/audit.txt"

# One verdict per child: "ok PID", or "bad PID what".
awk -v user="$U" -v svc=ll-stress -v exe="$STRESS" '
FILENAME == ARGV[1] {
	if ($1 == "child") { want[$3] = $4; kase[$3] = $2; order[++n] = $3 }
	next
}
FILENAME == ARGV[2] {
	tag = "pam_landlock(" svc ":session): confined user=" user " service=" svc " "
	if (index($0, tag) == 0) next
	if (!match($0, / pid=[0-9]+( \([0-9]+ earlier pam_landlock syslog line\(s\) dropped\))?$/)) { malformed_sys++; next }
	p = substr($0, RSTART + 5); sub(/ .*/, "", p)
	# A child has sent no line before this one: it has none to report lost.
	if (index($0, " earlier pam_landlock syslog line(s) dropped)")) inherited++
	sys[p]++
	if (!match($0, /^<85>[A-Z][a-z][a-z] [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9] /) ||
	    index($0, " tst-stress[" p "]: " tag) == 0 || $0 !~ / confine=children pid=/)
		sysbad[p] = $0
	next
}
FILENAME == ARGV[3] {
	if (index($0, "op=pam_landlock-enforce") == 0) next
	if (!match($0, /msg=audit\([0-9.:]+\): pid=[0-9]+ /)) next
	s = substr($0, RSTART, RLENGTH); sub(/.*pid=/, "", s); sub(/ $/, "", s)
	aud[s]++
	rec[s] = $0
	next
}
END {
	for (i = 1; i <= n; i++) {
		p = order[i]; h = want[p]; why = ""
		r = rec[p]
		if (aud[p] != 1) why = why " " (aud[p] + 0) "_enforce_records"
		else {
			body = r
			sub(/.*msg=\047/, "", body)
			if (r !~ /type=(TRUSTED_APP|UNKNOWN\[1121\]) /) why = why " type"
			if (index(r, "msg=\047op=pam_landlock-enforce acct=\"" user "\" service=" svc " profile=") == 0) why = why " acct/service"
			if (index(body, " exe=\"" exe "\" hostname=" h " addr=" h " terminal=ssh res=success\047") == 0) why = why " exe/hostname/addr/terminal/res"
			if (body !~ / abi=[0-9]+ enforcement=(full|partial) dropped=[^ ]+ flags=[^ ]+ nnp=(yes|no) second_layer=[^ ]+ confine=children digest=[0-9a-f]+ /) why = why " fields"
			else if (!match(body, / digest=[0-9a-f]+ /) || RLENGTH != 73) why = why " digest"
		}
		nsys = sys[p] + 0
		if (nsys == 1 && (p in sysbad)) why = why " syslog_line_malformed"
		else if (nsys == 0 && index(r, " syslog=EAGAIN ") > 0) { dropped++; bycase[kase[p]]++ }
		else if (nsys != 1) why = why " " nsys "_syslog_lines"
		if (why == "") print "ok " p; else print "bad " p why
	}
	per = ""
	for (c = 0; c <= 7; c++) per = per " " (bycase[c] + 0)
	printf "summary %d children; syslog lines dropped (syslog=EAGAIN in the record): %d, by case:%s; malformed lines: %d; lines claiming earlier drops: %d\n", n, dropped, per, malformed_sys + 0, inherited + 0
}' "$REC" "$WORK/syslog.txt" "$WORK/audit.txt" >"$WORK/verdicts"

bad=$(grep -c '^bad ' "$WORK/verdicts")
good=$(grep -c '^ok ' "$WORK/verdicts")
sed -n 's/^summary /# /p' "$WORK/verdicts"
check "every confined line of the session ends with its pid (no line cut short)" \
	grep -q '; malformed lines: 0;' "$WORK/verdicts"
check "no child's confined line says that earlier lines were dropped (a child sends no earlier line)" \
	grep -q 'lines claiming earlier drops: 0$' "$WORK/verdicts"
grep -m 10 '^bad ' "$WORK/verdicts" | sed 's/^/# /'
check "every one of the $N children has exactly one well-formed enforce record with its pid and one confined syslog line (or syslog=EAGAIN in its record): $good ok, $bad not" \
	test "$good" = "$N" -a "$bad" = 0
p=$(awk '$1 == "child" { print $3; exit }' "$REC")
log "a child's syslog line: $(grep -a " pid=$p\$" "$WORK/syslog.txt" | head -1)"
log "its audit record: $(grep -a "pid=$p .*op=pam_landlock-enforce" "$WORK/audit.txt" | head -1 | cut -c1-600)"
finish
