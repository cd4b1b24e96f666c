#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/su_runuser.sh - end to end as root on the real kernel: "su -l"
# and "runuser -l" into test users confined by the shipped default policy.
#
# Inside each session a probe program (a new exec after the login shell, so
# this also proves forced logging) creates files where the profile denies
# and allows, connects to a loopback TCP listener outside connect_tcp, and
# signals a process of the same user started outside the session.  Each
# denial must be in the audit log with the right blocker, attributed by its
# SYSCALL record to the right uid; the domain's creator is the su child,
# never the su parent (the supervisor, which stays unconfined and closes
# the session); the module's syslog line says what was enforced.
#
# su and runuser pick their PAM service from their own name ("su-l",
# "runuser-l" for -l).  The system's files are not edited: each run happens
# in a private mount namespace (unshare -m) where a copy of the system's
# stack with our module last is bind-mounted over /etc/pam.d/<service>.

. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"

need_root
need_cmd su runuser unshare mount setpriv auditctl
need_module
need_landlock_abi 7 # audit records and LOG_NEW_EXEC_ON
PROBE="$top_builddir/tests/e2e/probe"
[ -x "$PROBE" ] || prereq_missing "probe not built at $PROBE (run make check)"
ABI=$("$top_builddir/tests/e2e/ll-abi")

workdir
audit_start
syslog_start
POLICY=$(install_policy)
LOGINUID=$(cat /proc/self/loginuid)
SESSIONID=$(cat /proc/self/sessionid)

# A TCP listener on loopback, outside any session, on a free high port (not
# in the shell profile's connect_tcp = [22, 80, 443]).
probe_listen || { echo "FAIL: the listener did not start"; exit 1; }
PORT=$LPORT
log "listener on 127.0.0.1:$PORT (pid $LPID)"

# The audit records logged since the last audit_mark, as of now, in A.
snapshot() { A="$WORK/audit-$TOOL.log"; audit_new >"$A"; }
# Records of the event whose SYSCALL record has pid=PID.
event_of_pid() {
	local serial
	serial=$(grep -a 'type=SYSCALL ' "$A" | grep -a " pid=$1 " | head -1 |
		sed -n 's/.*msg=audit(\([0-9.:]*\)).*/\1/p')
	[ -n "$serial" ] && grep -aF "msg=audit($serial)" "$A"
}
# as_user CMD...: CMD as the test user outside any session; output as comments.
as_user() {
	setpriv --reuid="$U" --regid="$U" --init-groups "$@" 2>&1 | sed 's/^/# /'
	return "${PIPESTATUS[0]}"
}
# none CMD...: CMD fails (check's negation).
none() { ! "$@"; }
# field NAME: the value of NAME= in the records on stdin (first match).
field() { grep -ao " $1=[^ ]*" | head -1 | cut -d= -f2- | tr -d '"'; }
LANDLOCK_TYPES='type=(UNKNOWN\[142[34]\]|LANDLOCK_ACCESS|LANDLOCK_DOMAIN) '
# Whether any SYSCALL record of an event with a Landlock record has pid=PID.
landlock_event_by() {
	local s
	grep -aE "$LANDLOCK_TYPES" "$A" | sed -n 's/.*msg=audit(\([0-9.:]*\)).*/\1/p' | sort -u |
		while read -r s; do grep -aF "msg=audit($s)" "$A"; done |
		grep -a 'type=SYSCALL ' | grep -q " pid=$1 "
}
# Whether a Landlock domain record names pid=PID as its creator.
domain_allocated_by() { grep -aE "$LANDLOCK_TYPES" "$A" | grep -a 'status=allocated' | grep -q " pid=$1 "; }
# has PATTERN... : whether one record of A matches every extended regex.
has() {
	local r
	r=$(grep -aE -- "$1" "$A")
	shift
	while [ $# -gt 0 ]; do r=$(grep -aE -- "$1" <<<"$r"); shift; done
	[ -n "$r" ]
}

# check_denial WHAT PID BLOCKER OBJECT_REGEX: the denial's audit event.
check_denial() {
	local what=$1 pid=$2 blocker=$3 object=$4 ev rec sys
	ev=$(event_of_pid "$pid")
	rec=$(grep -aE 'type=(UNKNOWN\[1423\]|LANDLOCK_ACCESS) ' <<<"$ev")
	sys=$(grep -a 'type=SYSCALL ' <<<"$ev")
	check "$TOOL: $what: a Landlock access record (1423) in the event of pid $pid" [ -n "$rec" ]
	check "$TOOL: $what: blockers=$blocker" [ "$(field blockers <<<"$rec")" = "$blocker" ]
	check "$TOOL: $what: object matches '$object'" grep -qaE -- "$object" <<<"$rec"
	check "$TOOL: $what: SYSCALL uid=$UID_U ($U)" [ "$(field uid <<<"$sys")" = "$UID_U" ]
	check "$TOOL: $what: SYSCALL auid=$LOGINUID (as before $TOOL)" \
		[ "$(field auid <<<"$sys")" = "$LOGINUID" ]
	check "$TOOL: $what: SYSCALL ses=$SESSIONID (as before $TOOL)" \
		[ "$(field ses <<<"$sys")" = "$SESSIONID" ]
	check "$TOOL: $what: SYSCALL ppid is the login shell ($SHELLPID)" \
		[ "$(field ppid <<<"$sys")" = "$SHELLPID" ]
	DOMAINS+=" $(field domain <<<"$rec")"
}

run_tool() {
	TOOL=$1
	local bin service out denied sleeper sfile
	bin=$(command -v "$TOOL")
	service="$TOOL-l"
	[ -f "/etc/pam.d/$service" ] || prereq_missing "/etc/pam.d/$service not found (util-linux, login)"
	probe_user "$TOOL" || { not_ok "$TOOL: test user"; return; }
	denied=$DENIED

	# Outside the session the same user can do all three.
	check "$TOOL: control: $U creates a file in $denied outside a session" \
		as_user "$PROBE" create "$denied/control"
	check "$TOOL: control: $U connects to 127.0.0.1:$PORT outside a session" \
		as_user "$PROBE" connect "$PORT"

	# A process of the same user, outside the session.
	setpriv --reuid="$U" --regid="$U" --init-groups sleep 600 &
	sleeper=$!
	at_exit "kill $sleeper"

	# The system's stack for the service, our module last.
	mkdir -p "$WORK/pam.d"
	sfile="$WORK/pam.d/$service"
	{ cat "/etc/pam.d/$service"; echo "session required $MODULE conf=$POLICY"; } >"$sfile"
	local before
	before=$(sha256sum "/etc/pam.d/$service")

	audit_mark
	SYSLOG_OFF=$(stat -c %s "$SYSLOG_FILE")
	local cmd="echo SUPID=\$PPID SHELLPID=\$\$
printf 'denied: '; ~/probe create $denied/in-session
printf 'home: '; ~/probe create ~/in-session
printf 'tmp: '; ~/probe create /tmp/$LL_TAG-$TOOL-in-session
printf 'connect: '; ~/probe connect $PORT
printf 'kill: '; ~/probe kill $sleeper
echo end"
	out=$(unshare -m -- bash -c 'mount --bind "$1" "/etc/pam.d/$2" && exec "$3" -l "$4" -c "$5"' \
		_ "$sfile" "$service" "$bin" "$U" "$cmd" 2>&1)
	printf '%s\n' "$out" | sed 's/^/# session: /'

	check "$TOOL: the system's /etc/pam.d/$service is untouched" \
		[ "$(sha256sum "/etc/pam.d/$service")" = "$before" ]
	check "$TOOL: no bind mount over /etc/pam.d/$service is left outside the namespace" \
		bash -c "! grep -q ' /etc/pam.d/$service ' /proc/self/mountinfo"
	check "$TOOL: the session ran to its end" grep -q '^end$' <<<"$out"
	SUPID=$(sed -n 's/^SUPID=\([0-9]*\) .*/\1/p' <<<"$out")
	SHELLPID=$(sed -n 's/.* SHELLPID=\([0-9]*\)$/\1/p' <<<"$out")
	[ -n "$SUPID" ] && [ -n "$SHELLPID" ] || { not_ok "$TOOL: no pids from the session"; return; }
	log "$TOOL parent (supervisor) pid $SUPID, login shell pid $SHELLPID"

	local p_denied p_conn p_kill
	check "$TOOL: creating a file in $denied fails with EACCES" grep -q '^denied: EACCES ' <<<"$out"
	check "$TOOL: creating a file in the home succeeds" grep -q '^home: ok ' <<<"$out"
	check "$TOOL: creating a file in /tmp succeeds" grep -q '^tmp: ok ' <<<"$out"
	check "$TOOL: TCP connect to 127.0.0.1:$PORT fails with EACCES" grep -q '^connect: EACCES ' <<<"$out"
	check "$TOOL: SIGTERM to $U's sleep outside the session fails with EPERM" \
		grep -q '^kill: EPERM ' <<<"$out"
	check "$TOOL: the sleep outside the session is still alive" kill -0 "$sleeper"
	p_denied=$(sed -n 's/^denied: .* pid=//p' <<<"$out")
	p_conn=$(sed -n 's/^connect: .* pid=//p' <<<"$out")
	p_kill=$(sed -n 's/^kill: .* pid=//p' <<<"$out")

	# Wait until the last denial and the supervisor's USER_END are logged.
	audit_wait "type=SYSCALL .* pid=${p_kill:-0} " 10 || true
	audit_wait "type=USER_END .*acct=\"$U\"" 10 || true
	snapshot
	DOMAINS=
	check_denial "file creation" "${p_denied:-0}" fs.make_reg "path=\"?$denied\"?( |$)"
	check_denial "TCP connect" "${p_conn:-0}" net.connect_tcp "daddr=127\.0\.0\.1 dest=$PORT( |$)"
	check_denial "signal" "${p_kill:-0}" scope.signal "opid=$sleeper ocomm=\"?sleep\"?( |$)"
	local domain
	domain=$(tr ' ' '\n' <<<"$DOMAINS" | grep -v '^$' | sort -u)
	check "$TOOL: the three denials are in one domain (${domain//$'\n'/,})" \
		[ -n "$domain" -a "$(wc -l <<<"$domain")" = 1 ]

	# The domain was created by the su child (the login shell's pid, before
	# its exec), never by the supervisor.
	check "$TOOL: domain $domain allocated by the login shell's process (pid $SHELLPID)" \
		has "status=allocated" "domain=$domain " " pid=$SHELLPID "
	check "$TOOL: no Landlock domain allocated by the $TOOL parent (pid $SUPID)" \
		none domain_allocated_by "$SUPID"
	check "$TOOL: no Landlock denial by the $TOOL parent (pid $SUPID)" \
		none landlock_event_by "$SUPID"

	# The module's own audit record, sent from the confined child.
	check "$TOOL: audit op=pam_landlock-enforce acct=$U from pid $SHELLPID" \
		has "op=pam_landlock-enforce" "acct=\"$U\"" " pid=$SHELLPID " "res=success"

	# The supervisor opened and closed the session (USER_START, USER_END).
	check "$TOOL: USER_START by the $TOOL parent, pam_landlock among the grantors" \
		has "type=USER_START " " pid=$SUPID " "acct=\"$U\"" "grantors=[^ ]*pam_landlock" \
		"exe=\"$bin\"" "res=success"
	check "$TOOL: USER_END by the $TOOL parent (close_session ran)" \
		has "type=USER_END " " pid=$SUPID " "acct=\"$U\"" "op=PAM:session_close" \
		"exe=\"$bin\"" "res=success"

	# syslog: what was enforced, from the confined child.
	local want="pam_landlock\($service:session\): confined user=$U service=$service profile=shell .* abi=$ABI enforcement="
	[ "$ABI" = 7 ] && want+="partial dropped=fs.resolve_unix "
	want+=".* pid=$SHELLPID( |$)"
	local i
	for i in $(seq 50); do syslog_new | grep -qaE -- "$want" && break; sleep 0.1; done
	check "$TOOL: syslog: $want" bash -c 'grep -qaE -- "$1" <<<"$2"' _ "$want" "$(syslog_new)"

	# When the session's processes are gone the domain is freed; it counted
	# the denials (ours; a login shell is otherwise quiet).
	audit_wait "domain=$domain status=deallocated" 10 || true
	snapshot
	local n
	n=$(grep -a "domain=$domain status=deallocated" "$A" | field denials)
	check "$TOOL: domain $domain deallocated after the session, denials=${n:-?} (>= 3)" \
		[ "${n:-0}" -ge 3 ]

	# The reporter, on these real records: the domain is tied to this PAM
	# session and to the user, and it counts exactly the 1423 records.
	local raw rep
	raw=$(grep -aEc "type=(UNKNOWN\[1423\]|LANDLOCK_ACCESS) .*domain=$domain " "$A")
	rep=$("$top_builddir/tools/aulandlock" -if "$A" -F json --domains -d "$domain" 2>&1)
	printf '%s\n' "$rep" | sed 's/^/# aulandlock: /'
	check "aulandlock: domain $domain has $raw logged denials and the kernel's count ${n:-?}" \
		grep -q "\"denials\":{\"logged\":$raw,\"kernel\":${n:-x}[,}]" <<<"$rep"
	check "aulandlock: domain $domain belongs to $U and to the $service PAM session" \
		grep -q "\"user\":{\"id\":\"$UID_U\",\"name\":\"$U\"}.*\"pam\":{\"service\":\"$service\",\"profile\":\"shell\",\"acct\":\"$U\"" <<<"$rep"
	check "aulandlock: domain $domain was created by pid $SHELLPID" \
		grep -q "\"creator\":{\"pid\":$SHELLPID," <<<"$rep"

	# Outside the session, the same user can still signal its process.
	check "$TOOL: control: $U signals its sleep from outside the session" \
		as_user "$PROBE" kill "$sleeper"
}

for tool in su runuser; do
	run_tool "$tool"
done
log "auid=$LOGINUID ses=$SESSIONID in every denial: su and runuser do not set the login uid (no pam_loginuid in their stacks)"
finish
