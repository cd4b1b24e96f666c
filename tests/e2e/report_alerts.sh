#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/report_alerts.sh - aulandlock's live detection (issue 14) end to
# end, as root on the real kernel: a real auditd, real "su -l" sessions
# confined by the shipped policy, and aulandlock following the audit log.
#
#  - session 1 (user A) makes a burst of denials, reads user B's ~/.ssh and
#    connects to a listed internal port and to an unlisted one;
#  - session 2 (user B) makes fewer denials than the burst threshold;
#  - session 3 (user A) is denied nothing.
# Every alert rule must fire, each with the session's context (PAM service,
# profile, account, the policy's digest = sha256 of the policy file); and
# not where it must not (controls): no burst in session 2, no first_denial
# for session 3, no sensitive_object on the denied non-sensitive path, no
# internal_port for the unlisted port.  Every denial carries the session
# context; --follow --sessions prints the three sessions; a follower
# restarted with --checkpoint still ties a session opened before it; the
# batch --revisions view groups the sessions and denials by the digest.

. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"

need_root
need_cmd su unshare mount setpriv auditctl sha256sum python3
need_module
need_landlock_abi 7
PROBE="$top_builddir/tests/e2e/probe"
AUL="$top_builddir/tools/aulandlock"
[ -x "$PROBE" ] || prereq_missing "probe not built at $PROBE (run make check)"
[ -x "$AUL" ] || prereq_missing "aulandlock not built at $AUL (run make)"

workdir
audit_start
POLICY=$(install_policy)
# A digest of this run's own: the audit log may hold other sessions (the
# system's, another test's) on a copy of the same policy.
echo "# tests/e2e/report_alerts.sh $WORK" >>"$POLICY"
DIGEST=$(sha256sum "$POLICY" | cut -d' ' -f1)
SERVICE=su-l
[ -f "/etc/pam.d/$SERVICE" ] || prereq_missing "/etc/pam.d/$SERVICE not found (util-linux)"
mkdir -p "$WORK/pam.d"
{ cat "/etc/pam.d/$SERVICE"; echo "session required $MODULE conf=$POLICY"; } >"$WORK/pam.d/$SERVICE"

probe_user a || { echo "FAIL: test user a"; exit 1; }
UA=$U DENIED_A=$DENIED
probe_user b || { echo "FAIL: test user b"; exit 1; }
UB=$U DENIED_B=$DENIED
HOME_B=$(getent passwd "$UB" | cut -d: -f6)
# B's ~/.ssh, readable by A as far as Unix permissions go: only the policy
# (no /home/* in the shell profile) stands between them.
install -d -o "$UB" -g "$UB" -m 0755 "$HOME_B" "$HOME_B/.ssh"
install -o "$UB" -g "$UB" -m 0644 /dev/null "$HOME_B/.ssh/authorized_keys"

probe_listen || { echo "FAIL: the listener did not start"; exit 1; }
PORT=$LPORT
OTHER=$((PORT == 65000 ? 65001 : 65000)) # denied too (not in connect_tcp), not listed

ALERTS=(--alert-first-denial --alert-burst 5/30 --alert-object /etc/shadow
	--alert-object '/home/*/.ssh' --alert-port "$PORT")
# follow LABEL ARGS...: aulandlock following the log, output in $WORK/LABEL.out
follow() {
	local label=$1
	shift
	"$AUL" --follow="$AUDIT_LOG" "$@" -o "$WORK/$label.out" 2>"$WORK/$label.err" &
	eval "PID_$label=$!"
	at_exit "kill $!"
}
stop() { # stop LABEL: SIGTERM, then its exit status must be 0
	local pid
	eval "pid=\$PID_$1"
	kill -TERM "$pid"
	wait "$pid"
	check "aulandlock --follow ($1) exits 0" [ $? = 0 ]
	sed 's/^/# '"$1"' stderr: /' "$WORK/$1.err"
}
follow json --denials -F json "${ALERTS[@]}"
follow text --summary -F text "${ALERTS[@]}"
follow sess --sessions -F json
follow ck --denials -F csv --checkpoint "$WORK/ck"
sleep 1
audit_mark

# session CMD USER: a confined su -l session of USER running CMD.
session() {
	unshare -m -- bash -c 'mount --bind "$1" "/etc/pam.d/$2" && exec su -l "$3" -c "$4"' \
		_ "$WORK/pam.d/$SERVICE" "$SERVICE" "$2" "$1" 2>&1 | sed 's/^/# session: /'
}
session "for i in 1 2 3 4 5 6; do ~/probe create $DENIED_A/f\$i; done
cat $HOME_B/.ssh/authorized_keys; ~/probe connect $PORT; ~/probe connect $OTHER" "$UA"
# the checkpointed follower restarts between the sessions
sleep 4
stop ck
mv "$WORK/ck.out" "$WORK/ck1.out"
follow ck --denials -F csv --checkpoint "$WORK/ck"
sleep 1
session "for i in 1 2 3; do ~/probe create $DENIED_B/g\$i; done" "$UB"
session "~/probe create ~/allowed; ~/probe connect 80 || true" "$UA"
# A session that spans the second restart: opened before it, its only
# denial (a file in /var/tmp, which the policy leaves out) after it.
unshare -m -- bash -c 'mount --bind "$1" "/etc/pam.d/$2" && exec su -l "$3" -c "$4"' \
	_ "$WORK/pam.d/$SERVICE" "$SERVICE" "$UB" "sleep 6; ~/probe create /var/tmp/$LL_TAG-late" \
	>"$WORK/late.out" 2>&1 &
LATE=$!
sleep 2
stop ck
mv "$WORK/ck.out" "$WORK/ck2.out"
follow ck --denials -F csv --checkpoint "$WORK/ck"
wait "$LATE"
sed 's/^/# late session: /' "$WORK/late.out"
audit_wait 'path="/var/tmp" ' 10 || true
sleep 5 # events complete 3 s after their last record
for l in json text sess ck; do stop "$l"; done
audit_new >"$WORK/audit.log"
log "$(grep -c 'op=pam_landlock-enforce' "$WORK/audit.log") enforce records, $(grep -cE 'type=(UNKNOWN\[1423\]|LANDLOCK_ACCESS) ' "$WORK/audit.log") denials logged"

# ---- the alerts (JSON) ------------------------------------------------------
J="$WORK/json.out"
py() { python3 - "$@"; }
# alerts RULE USER: how many alert records of RULE for USER's sessions
alerts() {
	py "$J" "$1" "$2" <<'EOF'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    j = json.loads(line)
    if j["record"] == "alert" and j["alert"]["rule"] == sys.argv[2] and \
            (j.get("pam") or {}).get("acct") == sys.argv[3]:
        n += 1
print(n)
EOF
}
check "the JSON output is JSON lines, schema 3" py "$J" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    j = json.loads(line)
    assert j["schema"] == 3, j
EOF
check "first_denial: one alert for session 1 ($UA)" [ "$(alerts first_denial "$UA")" = 1 ]
check "first_denial: one alert for each of $UB's two sessions" [ "$(alerts first_denial "$UB")" = 2 ]
check "burst 5/30: one alert for session 1 (9 denials)" [ "$(alerts burst "$UA")" = 1 ]
check "control: no burst for session 2 (3 denials < 5)" [ "$(alerts burst "$UB")" = 0 ]
check "sensitive_object: $HOME_B/.ssh/authorized_keys read by $UA" [ "$(alerts sensitive_object "$UA")" = 1 ]
check "control: no sensitive_object alert for $UB (denials in $DENIED_B only)" \
	[ "$(alerts sensitive_object "$UB")" = 0 ]
check "internal_port: one alert, the connect to $PORT (not $OTHER)" [ "$(alerts internal_port "$UA")" = 1 ]
check "each alert: the triggering denial, with the session context and policy digest" py "$J" "$DIGEST" "$SERVICE" "$PORT" "$HOME_B" <<'EOF'
import json, sys
digest, service, port, home_b = sys.argv[2:6]
seen = set()
for line in open(sys.argv[1], encoding="utf-8"):
    j = json.loads(line)
    if j["record"] != "alert" or (j.get("pam") or {}).get("digest") != digest:
        continue  # not this run's sessions
    a, p, ll = j["alert"], j["pam"], j["landlock"]
    assert j["event"] == {"kind": "alert", "category": ["landlock"], "action": a["rule"],
                          "outcome": "failure"}, j
    assert p["service"] == service and p["profile"] == "shell" and p["digest"] == digest, p
    assert p["kind"] == "session" and p["confine"] == "children", p
    assert p["match"].endswith("landlock.conf:%s" % p["match"].rsplit(":", 1)[1]), p
    assert p["acct"] in j["related"]["user"], j  # user.*: the login uid if set, else uid
    if a["rule"] == "burst":
        assert (a["threshold"], a["window_seconds"], a["count"]) == (5, 30, 5), a
    if a["rule"] == "internal_port":
        assert a["port"] == int(port) and ll["object"]["port"] == int(port), j
    if a["rule"] == "sensitive_object":
        assert a["pattern"] == "/home/*/.ssh", a
        assert ll["object"]["value"] == home_b + "/.ssh/authorized_keys", ll
    seen.add(a["rule"])
assert seen == {"first_denial", "burst", "sensitive_object", "internal_port"}, seen
EOF
check "control: no alert and no denial from session 3 (denied nothing)" py "$J" "$UA" <<'EOF'
import json, sys
domains = set()
for line in open(sys.argv[1], encoding="utf-8"):
    j = json.loads(line)
    if j.get("pam", {}).get("acct") == sys.argv[2]:
        domains.add(j["landlock"]["domain"])
assert len(domains) == 1, domains  # every record of A's is of session 1's domain
EOF
check "every denial of a confined session carries its context" py "$J" "$DIGEST" "$UA" "$UB" <<'EOF'
import json, sys
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    j = json.loads(line)
    if j["record"] == "denial" and j["user"]["name"] in sys.argv[3:5]:
        assert j["pam"]["digest"] == sys.argv[2] and j["pam"]["service"] == "su-l", j
        n += 1
assert n >= 12, n
EOF

# ---- the alerts (text) ------------------------------------------------------
T="$WORK/text.out"
for rule in first_denial burst sensitive_object internal_port; do
	check "text: an ALERT $rule line with the session context" \
		grep -qE "^ALERT $rule [0-9T:.-]+Z node=[^ ]+ user=[^ ]+ .* \{$SERVICE/shell .*landlock.conf:[0-9]+ acct=$UA .* digest=${DIGEST:0:12} confine=children\}$" "$T"
done
check "text: no ALERT burst for $UB" bash -c '! grep -q "^ALERT burst .* acct=$1 " "$2"' _ "$UB" "$T"
check "text: the summary at exit" grep -q '^Landlock Denials per User' "$T"

# ---- --follow --sessions ------------------------------------------------------
check "--follow --sessions: the four confined sessions, with the policy digest" py "$WORK/sess.out" "$DIGEST" "$UA" "$UB" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
rows = [r for r in rows if r["pam"]["acct"] in sys.argv[3:5]]
assert len(rows) == 4, rows
for r in rows:
    assert r["record"] == "session" and r["schema"] == 3
    assert r["event"] == {"kind": "event", "category": ["session"], "action": "confined",
                          "outcome": "success"}, r
    assert r["pam"]["digest"] == sys.argv[2] and r["landlock"]["abi"] >= 7, r
    assert r["user"]["name"] == r["pam"]["acct"], r
EOF

# ---- a follower restarted with --checkpoint -----------------------------------
# This run's users' rows (the log may hold other sessions' denials).
cat "$WORK/ck1.out" "$WORK/ck2.out" "$WORK/ck.out" | grep -E ",($UA|$UB)," >"$WORK/ck-all.csv"
"$AUL" -if "$WORK/audit.log" --denials -F csv | grep -E ",($UA|$UB)," >"$WORK/batch.csv"
check "--follow --checkpoint: the late denial (after the restart) of a session opened before it has its context" \
	grep -qE ",path,/var/tmp,.*,$SERVICE,shell,[^,]*landlock.conf:[0-9]+,$UB,.*,$DIGEST,session,children$" "$WORK/ck2.out" "$WORK/ck.out"
rows=$(wc -l <"$WORK/batch.csv")
check "the batch run has this run's denial rows ($rows)" [ "$rows" -ge 12 ]
check "--follow --checkpoint across two restarts: the same denial rows as one batch run" \
	[ "$(sort "$WORK/ck-all.csv" | sha256sum)" = "$(sort "$WORK/batch.csv" | sha256sum)" ]

# ---- --revisions (batch) ------------------------------------------------------
check "--revisions: the policy digest with its sessions and denials" py "$AUL" "$WORK/audit.log" "$DIGEST" "$POLICY" <<'EOF'
import json, subprocess, sys
out = subprocess.run([sys.argv[1], "-if", sys.argv[2], "--revisions", "-F", "json"],
                     capture_output=True, check=True, text=True).stdout
rows = {r["policy"]["digest"]: r for r in map(json.loads, out.splitlines())}
r = rows[sys.argv[3]]
assert r["policy"]["file"] == sys.argv[4], r
assert r["pam"]["sessions"] >= 4 and r["denials"] >= 13 and r["users"] >= 2, r
EOF
finish
