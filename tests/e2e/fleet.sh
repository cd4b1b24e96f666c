#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/fleet.sh - the fleet pipeline of doc/fleet.md on loopback, with
# the real audit tools, as root on the real kernel.
#
# A node: our own auditd (the one registered with the kernel), named by
# name_format = user, with the audisp-remote plugin (audispd-plugins)
# sending over TCP to a collector: a second auditd (auditd -c DIR) with
# local_events = no, so that it never registers with the kernel, and
# tcp_listen_port on a free high loopback port, writing its own log.
# audisp-remote reads only /etc/audit/audisp-remote.conf, so the node's
# daemon runs in a private mount namespace where our copy is bind-mounted
# over it; the system's file is never changed.  Both daemons write and, on
# exit, remove /run/auditd.pid; what was there is put back.
#
# On the node, real confined sessions (su -l, runuser -l of throwaway users
# on the shipped policy, the module last in a private copy of the service's
# stack, as tests/e2e/su_runuser.sh does) are denied things: a burst of file
# creations, a TCP connect, another user's ~/.ssh/authorized_keys; one
# session is refused (its policy is writable by others).  On the collector:
# every record carries node=NAME; aulandlock reports per node (--nodes) and
# per user, each denial with its node (and, from schema 3, its session);
# "aulandlock --follow=LOG" sees a denial made after it started; the Sigma
# rules (conf/sigma, tests/report/sigma/sigmaeval.py) run over the JSON.

. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"

need_root
need_cmd auditd auditctl su runuser unshare mount setpriv ss python3 shuf
REMOTE=/sbin/audisp-remote
[ -x "$REMOTE" ] && [ -f /etc/audit/audisp-remote.conf ] ||
	prereq_missing "$REMOTE or /etc/audit/audisp-remote.conf not found (apt-get install audispd-plugins)"
python3 -c 'import yaml' 2>/dev/null || prereq_missing "python3 cannot import yaml (apt-get install python3-yaml)"
need_module
need_landlock_abi 7 # audit records and LOG_NEW_EXEC_ON
PROBE="$top_builddir/tests/e2e/probe"
[ -x "$PROBE" ] || prereq_missing "probe not built at $PROBE (run make check)"
AUL="$top_builddir/tools/aulandlock"
[ -x "$AUL" ] || prereq_missing "aulandlock not built at $AUL (run make)"
SIGMA="$top_srcdir/tests/report/sigma/sigmaeval.py"
RULES="$top_srcdir/conf/sigma"

workdir
pid=$(audit_registered)
[ -z "$pid" ] || prereq_missing "an audit daemon (pid $pid) is registered with the kernel; this test starts the node's own (it carries the audisp-remote plugin): stop that daemon first"
syslog_start

# auditd writes /run/auditd.pid (and, on SIGUSR2, /run/auditd.state) and
# removes them when it exits, whichever daemon it is.
for f in /run/auditd.pid /run/auditd.state; do
	if [ -e "$f" ]; then
		cp -a "$f" "$WORK/saved.${f##*/}"
		at_exit "cp -a '$WORK/saved.${f##*/}' '$f'"
	else
		at_exit "rm -f '$f'"
	fi
done
# stop_daemon PID: SIGTERM to our daemon PID if it still runs, and wait.
stop_daemon() {
	[ -r "/proc/$1/comm" ] && [ "$(cat "/proc/$1/comm")" = auditd ] || return 0
	kill "$1"
	wait "$1" 2>/dev/null
}

free_port() {
	local p
	for p in $(shuf -i 40000-59999 -n 100); do
		ss -Hltn | awk '{ print $4 }' | grep -q ":$p\$" || { echo "$p"; return 0; }
	done
	return 1
}
PORT=$(free_port) || { echo "FAIL: no free loopback port"; exit 1; }
NODE="$LL_TAG-node1"
COLLNAME="$LL_TAG-collector"

# ---- the collector -----------------------------------------------------------
C="$WORK/collector"
audit_conf "$C" || { echo "FAIL: collector config"; exit 1; }
audit_conf_set "$C" local_events no
audit_conf_set "$C" tcp_listen_port "$PORT"
audit_conf_set "$C" tcp_listen_queue 5
audit_conf_set "$C" tcp_max_per_addr 1
audit_conf_set "$C" tcp_client_ports 1024-65535
audit_conf_set "$C" tcp_client_max_idle 0
audit_conf_set "$C" use_libwrap no
audit_conf_set "$C" transport TCP
# The node's events also go to the collector's plugins: aulandlock's, set
# up as conf/aulandlock-plugin.conf, writes the fleet's JSON stream.
audit_conf_set "$C" distribute_network yes
cat >"$C/plugins.d/aulandlock.conf" <<EOF
active = yes
direction = out
path = $AUL
type = always
args = --plugin $C/plugin.json
format = string
EOF
chmod 0640 "$C/plugins.d/aulandlock.conf"
audit_conf_set "$C" name_format user
audit_conf_set "$C" name "$COLLNAME"
CLOG="$C/audit.log"
auditd -n -c "$C" >"$C/auditd.out" 2>&1 &
CPID=$!
at_exit "stop_daemon $CPID"
for _ in $(seq 50); do
	ss -Hltnp | grep -q ":$PORT .*pid=$CPID," && break
	sleep 0.1
done
check "collector auditd (pid $CPID) listens on loopback port $PORT" \
	bash -c 'ss -Hltnp | grep -q ":$1 .*pid=$2,"' _ "$PORT" "$CPID"
check "the collector (local_events = no) did not register with the kernel" [ -z "$(audit_registered)" ]
ss -Hltnp | grep -q ":$PORT .*pid=$CPID," || { cat "$C/auditd.out"; echo "FAIL: the collector did not start"; exit 1; }

# ---- the node ----------------------------------------------------------------
N="$WORK/node"
audit_conf "$N" || { echo "FAIL: node config"; exit 1; }
audit_conf_set "$N" name_format user
audit_conf_set "$N" name "$NODE"
cat >"$N/plugins.d/au-remote.conf" <<EOF
active = yes
direction = out
path = $REMOTE
type = always
format = string
EOF
cat >"$N/audisp-remote.conf" <<EOF
remote_server = 127.0.0.1
port = $PORT
transport = tcp
mode = immediate
queue_file = $N/remote.queue
queue_depth = 10240
format = managed
network_retry_time = 1
max_tries_per_record = 3
max_time_per_record = 5
heartbeat_timeout = 0
network_failure_action = syslog
disk_low_action = ignore
disk_full_action = warn_once
disk_error_action = warn_once
remote_ending_action = reconnect
generic_error_action = syslog
generic_warning_action = syslog
queue_error_action = stop
overflow_action = syslog
startup_failure_action = warn_once_continue
EOF
chmod 0640 "$N/audisp-remote.conf" "$N/plugins.d/au-remote.conf"
NLOG="$N/audit.log"
before_remote=$(sha256sum /etc/audit/audisp-remote.conf)
enabled=$(audit_enabled)
unshare -m -- bash -c 'mount --bind "$1" /etc/audit/audisp-remote.conf && exec auditd -n -c "$2"' \
	_ "$N/audisp-remote.conf" "$N" >"$N/auditd.out" 2>&1 &
NPID=$!
at_exit "stop_daemon $NPID"
audit_wait_registered "$NPID" || { cat "$N/auditd.out"; echo "FAIL: the node's auditd did not register"; exit 1; }
ok "node auditd (pid $NPID, name $NODE) is the registered audit daemon"
audit_kernel_setup "$enabled"
RPID=$(pgrep -P "$NPID" -x audisp-remote)
check "audisp-remote runs as the node daemon's plugin (pid ${RPID:-none})" [ -n "$RPID" ]
for _ in $(seq 50); do grep -qa "^node=$NODE type=DAEMON_START " "$CLOG" && break; sleep 0.1; done
check "the node's DAEMON_START reached the collector's log as node=$NODE" \
	grep -qa "^node=$NODE type=DAEMON_START " "$CLOG"
check "the collector logged the node's connection (DAEMON_ACCEPT from 127.0.0.1)" \
	grep -qaE "^node=$COLLNAME type=DAEMON_ACCEPT .*addr=(::ffff:)?127\.0\.0\.1 " "$CLOG"
check "the system's /etc/audit/audisp-remote.conf is untouched" \
	[ "$(sha256sum /etc/audit/audisp-remote.conf)" = "$before_remote" ]

# ---- sessions on the node --------------------------------------------------------
POLICY=$(install_policy)
BADPOLICY="$WORK/landlock-writable.conf"
install -o root -g root -m 0666 "$top_srcdir/conf/landlock.conf" "$BADPOLICY"
probe_listen || { echo "FAIL: the listener did not start"; exit 1; }

# A victim whose keys Unix permissions let others read (mode 0644), so that
# Landlock, not DAC, denies the session.
V=$(user_add victim) || { echo "FAIL: victim user"; exit 1; }
VHOME=$(getent passwd "$V" | cut -d: -f6)
install -d -o "$V" -g "$V" -m 0755 "$VHOME" "$VHOME/.ssh"
install -o "$V" -g "$V" -m 0644 /dev/null "$VHOME/.ssh/authorized_keys"
KEYS="$VHOME/.ssh/authorized_keys"
probe_user a || { echo "FAIL: user a"; exit 1; }
UA=$U DENIED_A=$DENIED
probe_user b || { echo "FAIL: user b"; exit 1; }
UB=$U DENIED_B=$DENIED

# login_session TOOL USER POLICY CMD: "TOOL -l USER -c CMD" with our module
# last in a copy of TOOL-l's stack, bind-mounted in a private mount namespace.
login_session() {
	local service="$1-l" sfile
	sfile="$WORK/pam.d/$service.${3##*/}"
	[ -f "/etc/pam.d/$service" ] || prereq_missing "/etc/pam.d/$service not found (util-linux, login)"
	mkdir -p "$WORK/pam.d"
	{ cat "/etc/pam.d/$service"; echo "session required $MODULE conf=$3"; } >"$sfile"
	unshare -m -- bash -c 'mount --bind "$1" "/etc/pam.d/$2" && exec "$3" -l "$4" -c "$5"' \
		_ "$sfile" "$service" "$(command -v "$1")" "$2" "$4" 2>&1
}
BURST=12
out_a=$(login_session su "$UA" "$POLICY" "echo SHELLPID=\$\$
for i in \$(seq $BURST); do ~/probe create $DENIED_A/burst-\$i; done
~/probe connect $LPORT
sh -c 'echo catpid=\$\$; exec cat $KEYS'
echo end")
printf '%s\n' "$out_a" | sed 's/^/# su -l: /'
check "su -l $UA: the session ran to its end" grep -q '^end$' <<<"$out_a"
check "su -l $UA: $BURST file creations in $DENIED_A and a connect denied (EACCES)" \
	[ "$(grep -c "^EACCES pid=" <<<"$out_a")" = "$((BURST + 1))" ]
check "su -l $UA: reading $KEYS denied" grep -q "cat: $KEYS: Permission denied" <<<"$out_a"
CATPID=$(sed -n 's/^catpid=//p' <<<"$out_a")

out_b=$(login_session runuser "$UB" "$POLICY" "~/probe create $DENIED_B/one
~/probe connect $LPORT
~/probe create $DENIED_B/two
echo end")
printf '%s\n' "$out_b" | sed 's/^/# runuser -l: /'
check "runuser -l $UB: the session ran to its end, 3 denials" \
	[ "$(grep -c '^EACCES pid=' <<<"$out_b")" = 3 -a -n "$(grep '^end$' <<<"$out_b")" ]
out_r=$(login_session runuser "$UB" "$BADPOLICY" "echo should-not-run")
printf '%s\n' "$out_r" | sed 's/^/# runuser -l (writable policy): /'
check "runuser -l $UB with a policy writable by others is refused (nothing ran)" \
	bash -c '! grep -q should-not-run <<<"$1"' _ "$out_r"
LASTPID=$(sed -n 's/^EACCES pid=//p' <<<"$out_b" | tail -1)

# ---- what arrived on the collector ----------------------------------------------
# on_collector PATTERN: waits (15 s) until the collector's log has it.
on_collector() {
	local i
	for i in $(seq 150); do
		grep -qaE -- "$1" "$CLOG" && return 0
		sleep 0.1
	done
	return 1
}
on_collector "^node=$NODE type=SYSCALL .* pid=${LASTPID:-x} " ||
	not_ok "the last denial's SYSCALL (pid ${LASTPID:-?}) reached the collector"
on_collector "^node=$NODE type=[A-Z_]+ .*op=pam_landlock-refused " ||
	not_ok "the refusal reached the collector"
# The node's log as of now: every record of it must reach the collector,
# byte for byte (waiting 10 s at most for the last ones in flight).
cp "$NLOG" "$WORK/node.snap"
CL="$WORK/collector.snap"
for _ in $(seq 100); do
	cp "$CLOG" "$CL"
	missing=$(grep -avxF -f "$CL" "$WORK/node.snap" | wc -l)
	[ "$missing" = 0 ] && break
	sleep 0.1
done
check "each of the node's $(wc -l <"$WORK/node.snap") records is in the collector's log ($missing missing)" \
	[ "$missing" = 0 ]
check "the collector's log has only node= records (node $NODE, collector $COLLNAME)" \
	[ "$(grep -avcE "^node=($NODE|$COLLNAME) type=" "$CL")" = 0 ]
check "the collector wrote no record of its own kernel (all its own records are DAEMON_*)" \
	[ "$(grep -a "^node=$COLLNAME " "$CL" | grep -avc "^node=$COLLNAME type=DAEMON_")" = 0 ]
ACCESS="type=(UNKNOWN\[1423\]|LANDLOCK_ACCESS) "
# domain_of PID: the Landlock domain of the denial whose SYSCALL has pid=PID.
domain_of() {
	local serial
	serial=$(grep -a "^node=$NODE type=SYSCALL .* pid=$1 " "$CL" | head -1 | sed -n 's/.*msg=audit(\([0-9.:]*\)).*/\1/p')
	[ -n "$serial" ] && grep -aE "^node=$NODE $ACCESS" "$CL" | grep -aF "msg=audit($serial)" |
		grep -ao ' domain=[0-9a-f]*' | head -1 | cut -d= -f2
}
DA=$(domain_of "${CATPID:-x}")
DB=$(domain_of "${LASTPID:-x}")
n_da=$(grep -acE "^node=$NODE $ACCESS.*domain=$DA " "$CL")
n_db=$(grep -acE "^node=$NODE $ACCESS.*domain=$DB " "$CL")
NA=$((BURST + 2))
check "su -l $UA: $NA denials of domain ${DA:-?} on the collector, as node=$NODE ($n_da)" [ -n "$DA" -a "$n_da" = "$NA" ]
check "runuser -l $UB: 3 denials of domain ${DB:-?} on the collector, as node=$NODE ($n_db)" [ -n "$DB" -a "$n_db" = 3 ]
check "the denial of $KEYS is on the collector (fs.read_file, node=$NODE)" \
	grep -qaE "^node=$NODE $ACCESS.*domain=$DA blockers=fs.read_file path=\"?$KEYS\"? " "$CL"
n_access=$(grep -acE "^node=$NODE $ACCESS" "$CL")
n_refused=$(grep -acE "^node=$NODE type=[A-Z_]+ .*op=pam_landlock-refused " "$CL")

# The collector's aulandlock plugin (distribute_network = yes) writes the
# node's denials as JSON lines.
PLUGIN_JSON="$C/plugin.json"
for _ in $(seq 100); do
	jq -e -s "map(select(.process.pid == ${LASTPID:-0})) | length > 0" "$PLUGIN_JSON" >/dev/null 2>&1 && break
	sleep 0.1
done
check "the collector's aulandlock plugin runs (distribute_network = yes)" \
	pgrep -P "$CPID" -f -- "--plugin $PLUGIN_JSON"

# ---- aulandlock on the collector's log --------------------------------------------
# jq_check DESC FILE FILTER: the jq FILTER (over all records, slurped) is true.
jq_check() {
	check "$1" bash -c 'jq -e -s "$2" "$1" >/dev/null' _ "$2" "$3"
}
jq_check "the plugin's file has the $((NA + 3)) denials of $UA and $UB, each with host.name $NODE" "$PLUGIN_JSON" \
	"map(select(.record == \"denial\" and (.user.name == \"$UA\" or .user.name == \"$UB\"))) |
	 length == $((NA + 3)) and all(.host.name == \"$NODE\")"
"$AUL" -if "$CL" -F json --nodes >"$WORK/nodes.json" 2>"$WORK/aul.err"
check "aulandlock --nodes on the collector's log (exit $?)" [ -s "$WORK/nodes.json" ]
sed 's/^/# --nodes: /' "$WORK/nodes.json"
SCHEMA=$(jq -s 'map(.schema) | min' "$WORK/nodes.json")
log "aulandlock prints schema $SCHEMA"
jq_check "--nodes: node $NODE has the collector's $n_access denials, $n_refused refused session(s), >= 2 users" \
	"$WORK/nodes.json" "map(select(.host.name == \"$NODE\")) | length == 1 and
	 (.[0].denials.logged == $n_access) and (.[0].pam.refused == $n_refused) and ($n_refused >= 1) and
	 (.[0].users >= 2) and (.[0].pam.sessions >= 2)"
jq_check "--nodes: no other node has denials (the collector itself has none)" \
	"$WORK/nodes.json" "map(select(.host.name != \"$NODE\" and .denials.logged > 0)) | length == 0"
"$AUL" -if "$CL" --nodes >"$WORK/nodes.txt" 2>&1
sed 's/^/# --nodes (text): /' "$WORK/nodes.txt"
check "--nodes (text) names node $NODE" grep -qF "$NODE" "$WORK/nodes.txt"
for who in "$UA:$NA" "$UB:3"; do
	u=${who%%:*}
	"$AUL" -if "$CL" -F json --summary --node "$NODE" --user "$u" >"$WORK/sum-$u.json" 2>&1
	jq_check "--summary --node $NODE --user $u: ${who##*:} denials" "$WORK/sum-$u.json" \
		"map(select(.record == \"user\" and .user.name == \"$u\")) | length == 1 and .[0].denials.logged == ${who##*:}"
done
"$AUL" -if "$CL" -F json --domains >"$WORK/domains.json" 2>&1
for who in "$DA:su-l:$UA" "$DB:runuser-l:$UB"; do
	IFS=: read -r d svc u <<<"$who"
	jq_check "--domains: domain $d is node $NODE's, user $u, PAM session $svc (profile shell)" "$WORK/domains.json" \
		"map(select(.landlock.domain == \"$d\")) | length == 1 and .[0].host.name == \"$NODE\" and
		 .[0].user.name == \"$u\" and .[0].pam.service == \"$svc\" and .[0].pam.acct == \"$u\" and .[0].pam.profile == \"shell\""
done
"$AUL" -if "$CL" -F json --denials --node "$NODE" >"$WORK/denials.json" 2>&1
jq_check "--denials --node $NODE: $((NA + 3)) denials of $UA and $UB, each with host.name $NODE" "$WORK/denials.json" \
	"map(select(.record == \"denial\" and (.user.name == \"$UA\" or .user.name == \"$UB\"))) |
	 length == $((NA + 3)) and all(.host.name == \"$NODE\")"
"$AUL" -if "$CL" --denials --node "$NODE" --user "$UA" >"$WORK/denials.txt" 2>&1
check "--denials (text) shows node $NODE on $UA's denial of $KEYS" \
	bash -c 'grep -F "$2" "$1" | grep -qF "$3"' _ "$WORK/denials.txt" "$KEYS" "$NODE"
SIGMA_IN=("$WORK/denials.json")
FOLLOW_ALERTS=()
if [ "$SCHEMA" -ge 3 ]; then
	# Schema 3 (issue 14): each denial carries its session; session records.
	jq_check "schema $SCHEMA: each denial of $UA carries its session (su-l, profile shell, $POLICY:LINE)" "$WORK/denials.json" \
		"map(select(.user.name == \"$UA\")) | length == $NA and all(.pam.service == \"su-l\" and .pam.acct == \"$UA\" and
		 .pam.profile == \"shell\" and (.pam.match | startswith(\"$POLICY:\")))"
	jq_check "schema $SCHEMA: each denial of $UB carries its session (runuser-l)" "$WORK/denials.json" \
		"map(select(.user.name == \"$UB\")) | length == 3 and all(.pam.service == \"runuser-l\" and .pam.acct == \"$UB\")"
	"$AUL" -if "$CL" -F json --sessions --node "$NODE" >"$WORK/sessions.json" 2>&1
	sed 's/^/# --sessions: /' "$WORK/sessions.json"
	jq_check "schema $SCHEMA: --sessions: $UA and $UB confined, $UB refused once (policy writable), all on $NODE" "$WORK/sessions.json" \
		"(map(select(.record == \"session\" and .event.action == \"confined\" and .pam.acct == \"$UA\" and .pam.service == \"su-l\")) | length >= 1) and
		 (map(select(.record == \"session\" and .event.action == \"confined\" and .pam.acct == \"$UB\")) | length >= 1) and
		 (map(select(.record == \"session\" and .event.action == \"refused\" and .pam.acct == \"$UB\" and (.pam.reason | test(\"writable\")))) | length == 1) and
		 all(.host.name == \"$NODE\")"
	SIGMA_IN+=("$WORK/sessions.json")
	# aulandlock's own alerts, in a batch run on the collector's log.
	"$AUL" -if "$CL" -F json --denials --node "$NODE" --alert-burst 10/60 \
		--alert-object '/home/*/.ssh' >"$WORK/alerts-run.json" 2>&1
	jq -c 'select(.record == "alert")' "$WORK/alerts-run.json" >"$WORK/alerts.json"
	sed 's/^/# alerts: /' "$WORK/alerts.json"
	jq_check "schema $SCHEMA: --alert-burst 10/60: one burst alert, on $UA's domain $DA, with the session" "$WORK/alerts.json" \
		"map(select(.alert.rule == \"burst\")) | length == 1 and .[0].landlock.domain == \"$DA\" and
		 .[0].host.name == \"$NODE\" and .[0].pam.acct == \"$UA\" and .[0].pam.service == \"su-l\" and .[0].alert.count >= 10"
	jq_check "schema $SCHEMA: --alert-object '/home/*/.ssh': one sensitive_object alert, on $KEYS" "$WORK/alerts.json" \
		"map(select(.alert.rule == \"sensitive_object\")) | length == 1 and .[0].landlock.object.value == \"$KEYS\""
	SIGMA_IN+=("$WORK/alerts.json")
	FOLLOW_ALERTS=(--alert-first-denial)
else
	log "schema $SCHEMA (before issue 14's reporter): denials carry no session and there is no --sessions view; the session of each domain is checked through --domains above"
fi

# ---- aulandlock from cron on the collector: --checkpoint ---------------------------
# The first run; the second comes after the followed session below.
"$AUL" -if "$C" --denials -F json --checkpoint "$WORK/fleet.ckpt" -o "$WORK/cron.json" 2>"$WORK/cron.err"
check "aulandlock --checkpoint, first run on the collector's log directory (exit $?)" [ -s "$WORK/fleet.ckpt" ]

# ---- aulandlock --follow on the collector's log -------------------------------------
"$AUL" --follow="$CLOG" --denials "${FOLLOW_ALERTS[@]}" -F json -o "$WORK/follow.json" 2>"$WORK/follow.err" &
FPID=$!
at_exit "kill $FPID"
sleep 1
out_f=$(login_session runuser "$UB" "$POLICY" "~/probe create $DENIED_B/followed; echo end")
printf '%s\n' "$out_f" | sed 's/^/# runuser -l (followed): /'
FOLPID=$(sed -n 's/^EACCES pid=//p' <<<"$out_f")
for _ in $(seq 200); do
	jq -e -s "map(select(.process.pid == ${FOLPID:-0})) | length > 0" "$WORK/follow.json" >/dev/null 2>&1 && break
	sleep 0.1
done
kill "$FPID"
wait "$FPID" 2>/dev/null
sed 's/^/# --follow: /' "$WORK/follow.json" "$WORK/follow.err"
jq_check "aulandlock --follow=$CLOG printed the new denial (pid ${FOLPID:-?}) of node $NODE, user $UB, fs.make_reg" "$WORK/follow.json" \
	"map(select(.record == \"denial\" and .process.pid == ${FOLPID:-0})) | length == 1 and .[0].host.name == \"$NODE\" and
	 .[0].user.name == \"$UB\" and .[0].landlock.blockers == [\"fs.make_reg\"]"
if [ "$SCHEMA" -ge 3 ]; then
	jq_check "aulandlock --follow --alert-first-denial alerted on the followed session's first denial (pid ${FOLPID:-?})" "$WORK/follow.json" \
		"map(select(.record == \"alert\" and .alert.rule == \"first_denial\" and .process.pid == ${FOLPID:-0})) | length == 1 and
		 .[0].host.name == \"$NODE\" and .[0].pam.acct == \"$UB\""
fi
jq_check "aulandlock --follow printed nothing from before it started" "$WORK/follow.json" \
	"map(select(.process.pid == ${LASTPID:-0} or .process.pid == ${CATPID:-0})) | length == 0"

# The second run, once the node has logged something 3 s newer than the
# followed denial (each run holds back its nodes' last 3 seconds).
sleep 3.5
auditctl -m "$LL_TAG fleet: checkpoint" >/dev/null 2>&1
on_collector "$LL_TAG fleet: checkpoint" || not_ok "the marker reached the collector"
"$AUL" -if "$C" --denials -F json --checkpoint "$WORK/fleet.ckpt" -o "$WORK/cron.json" 2>>"$WORK/cron.err"
check "aulandlock --checkpoint, second run (exit $?)" [ ! -s "$WORK/cron.err" ]
cat "$WORK/cron.err"
jq_check "the two --checkpoint runs report the $((NA + 4)) denials of $UA and $UB once each, the followed one included" "$WORK/cron.json" \
	"map(select(.record == \"denial\" and .host.name == \"$NODE\" and (.user.name == \"$UA\" or .user.name == \"$UB\"))) |
	 length == $((NA + 4)) and (map(.sequence) | unique | length) == $((NA + 4)) and
	 (map(select(.process.pid == ${FOLPID:-0})) | length == 1)"

# ---- the Sigma rules over the collector's JSON ----------------------------------------
python3 "$SIGMA" match "$RULES" -- "${SIGMA_IN[@]}" >"$WORK/hits.json" 2>"$WORK/sigma.err"
check "sigmaeval ran the rules of conf/sigma over ${SIGMA_IN[*]##*/} (exit $?)" [ ! -s "$WORK/sigma.err" ]
cat "$WORK/sigma.err"
jq -c -s 'group_by(.rule) | map({(.[0].rule): length}) | add' "$WORK/hits.json" | sed 's/^/# sigma hits: /'
jq_check "sigma: landlock_sensitive_object_denial fires once, on $UA reading $KEYS on $NODE" "$WORK/hits.json" \
	"map(select(.rule == \"landlock_sensitive_object_denial\")) | length == 1 and
	 .[0].event.landlock.object.value == \"$KEYS\" and .[0].event.user.name == \"$UA\" and .[0].event.host.name == \"$NODE\""
if [ "$SCHEMA" -ge 3 ]; then
	jq_check "sigma: landlock_pam_session_denial fires on each of the $((NA + 3)) session denials" "$WORK/hits.json" \
		"map(select(.rule == \"landlock_pam_session_denial\")) | length == $((NA + 3))"
	jq_check "sigma: landlock_pam_session_refused fires once, on $UB's refused runuser-l session" "$WORK/hits.json" \
		"map(select(.rule == \"landlock_pam_session_refused\")) | length == 1 and .[0].event.pam.acct == \"$UB\""
	jq_check "sigma: the burst correlation fires once, on $UA's domain $DA on $NODE ($BURST+ denials in a minute)" "$WORK/hits.json" \
		"map(select(.rule == \"mr_landlock_pam_session_denial_burst\")) | length == 1 and
		 .[0].group == {\"host.name\": \"$NODE\", \"landlock.domain\": \"$DA\"} and .[0].count >= 10"
	jq_check "sigma: landlock_aulandlock_burst_alert fires once, on aulandlock's burst alert for $DA" "$WORK/hits.json" \
		"map(select(.rule == \"landlock_aulandlock_burst_alert\")) | length == 1 and .[0].event.landlock.domain == \"$DA\""
	python3 "$SIGMA" match "$RULES" -- "$WORK/follow.json" >"$WORK/hits-follow.json"
	jq_check "sigma on the --follow stream: landlock_pam_session_denial fires on the followed denial" "$WORK/hits-follow.json" \
		"map(select(.rule == \"landlock_pam_session_denial\" and .event.process.pid == ${FOLPID:-0})) | length == 1"
else
	log "schema $SCHEMA: the rules that need the session (pam) or session records do not apply before issue 14's reporter"
	jq_check "sigma (schema $SCHEMA): no rule that needs the session fires" "$WORK/hits.json" \
		"map(select(.rule != \"landlock_sensitive_object_denial\")) | length == 0"
fi

# ---- teardown, checked ------------------------------------------------------------------
# The collector first: its exit must not unregister the node's daemon.
stop_daemon "$CPID"
check "the collector's auditd stopped" bash -c '! kill -0 "$1" 2>/dev/null' _ "$CPID"
check "the collector logged its own end (DAEMON_END as $COLLNAME)" grep -qa "^node=$COLLNAME type=DAEMON_END " "$CLOG"
check "the node's auditd is still the registered daemon after the collector's exit" [ "$(audit_registered)" = "$NPID" ]
auditctl -m "$LL_TAG fleet: node alone" >/dev/null 2>&1
for _ in $(seq 50); do grep -qa "$LL_TAG fleet: node alone" "$NLOG" && break; sleep 0.1; done
check "the node still logs (a user message after the collector's exit)" grep -qa "$LL_TAG fleet: node alone" "$NLOG"
check "audisp-remote (pid $RPID) survives the collector's exit (remote_ending_action = reconnect)" kill -0 "$RPID"
stop_daemon "$NPID"
check "the node's auditd stopped and unregistered" [ -z "$(audit_registered)" ]
# With no collector, audisp-remote retries each queued record (up to
# max_time_per_record = 5 s) before it sees the end: give it 30 s.
t0=$SECONDS
for _ in $(seq 300); do kill -0 "$RPID" 2>/dev/null || break; sleep 0.1; done
check "its audisp-remote (pid $RPID) exited after it ($((SECONDS - t0)) s)" bash -c '! kill -0 "$1" 2>/dev/null' _ "$RPID"
[ "$(cat "/proc/$RPID/comm" 2>/dev/null)" = audisp-remote ] && kill "$RPID"
finish
