#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/dovecot.sh - pam_landlock in the stack of a real dovecot (2.3,
# dovecot-imapd) with "session=yes" in its PAM passdb: the module refuses,
# because it cannot confine the session.  dovecot runs on a free loopback
# port with its own configuration and base directory; its PAM service has a
# unique name (the last word of the passdb's args), /etc/pam.d/$LL_TAG-dovecot.
# IMAP LOGIN with python3's imaplib.
#
# Checks: without the module the user logs in, and the imap process serving
# them is a child of the dovecot master, not of the auth worker that opened
# the PAM session (why no PAM module can confine it); with the module (also
# with confine=opener) the login fails, syslog and audit say that the module
# does not belong in this stack and what to change, and no imap process runs
# for the user; the auth worker still serves the next user (it was not
# confined).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

PY=${PY:-python3}
svc_init dovecot doveconf "$PY"
[ -x /usr/lib/dovecot/imap ] || prereq_missing "dovecot's imap server not installed (dovecot-imapd)"
PW="pw-$LL_TAG"
echo "$U:$PW" | chpasswd
V=$(user_add v) && echo "$V:$PW" | chpasswd
PORT=$(svc_ports 1)
SVC="$LL_TAG-dovecot"

mkdir -p "$WORK/dovecot/run" "$WORK/dovecot/state"
cat >"$WORK/dovecot/dovecot.conf" <<EOF
base_dir = $WORK/dovecot/run
state_dir = $WORK/dovecot/state
instance_name = $LL_TAG-dovecot
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
log_path = $WORK/dovecot/dovecot.log
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
passdb {
  driver = pam
  args = session=yes $SVC
}
userdb {
  driver = passwd
}
EOF

# imap_login USER [HOLD]: LOGIN (and SELECT); prints "LOGIN=OK|NO ..." and,
# with HOLD, keeps the connection for HOLD seconds before LOGOUT.
imap_login() {
	"$PY" - "$PORT" "$1" "$PW" "${2:-0}" <<-'EOF'
		import imaplib, sys, time
		port, user, pw, hold = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
		m = imaplib.IMAP4("127.0.0.1", port)
		try:
		    m.login(user, pw)
		except imaplib.IMAP4.error as e:
		    print("LOGIN=NO", e, flush=True)
		    sys.exit(0)
		print("LOGIN=OK", m.select("INBOX")[0], flush=True)
		time.sleep(hold)
		m.logout()
	EOF
}

# dovecot_run STACK-LINE: (re)starts dovecot with Debian's dovecot stack plus
# STACK-LINE (may be empty) as /etc/pam.d/$SVC.
DC_PID=
dovecot_run() {
	[ -z "$DC_PID" ] || { kill "$DC_PID"; wait "$DC_PID" 2>/dev/null; DC_PID=; }
	rm -f "/etc/pam.d/$SVC"
	{ cat /etc/pam.d/dovecot; [ -z "$1" ] || echo "$1"; } | pam_service "$SVC"
	dovecot -F -c "$WORK/dovecot/dovecot.conf" >"$WORK/dovecot/stdout" 2>&1 &
	DC_PID=$!
	at_exit "kill $DC_PID"
	svc_listening "$PORT" 10 || { cat "$WORK/dovecot/stdout" "$WORK/dovecot/dovecot.log"; return 1; }
}

log "dovecot without the module"
svc_mark
dovecot_run "" || { echo "FAIL: dovecot did not start"; exit 1; }
imap_login "$U" 1 >"$WORK/off.out" &
lp=$!
imap=
for i in $(seq 30); do imap=$(pgrep -u "$U" -x imap | head -1); [ -n "$imap" ] && break; sleep 0.1; done
worker=
for p in $(pgrep -u 0 -P "$DC_PID"); do
	[ "$(readlink "/proc/$p/exe")" = /usr/lib/dovecot/auth ] && worker=$p
done
imap_parent=$(awk '/^PPid:/ { print $2 }' "/proc/$imap/status" 2>/dev/null)
wait "$lp"
check "without the module the user logs in" grep -q '^LOGIN=OK' "$WORK/off.out"
check "the auth worker ($worker) is /usr/lib/dovecot/auth, a child of the master" \
	test -n "$worker" -a "$(readlink "/proc/$worker/exe" 2>/dev/null)" = /usr/lib/dovecot/auth
check "it opened and closed the PAM session (session=yes)" \
	bash -c "syslog_new() { tail -c +$((SYSLOG_OFF + 1)) '$SYSLOG_FILE' | tr '\0' '\n' | sed 's/<[0-9]*>/\n&/g'; }; syslog_new | grep -q 'pam_unix($SVC:session): session opened for user $U' && syslog_new | grep -q 'pam_unix($SVC:session): session closed for user $U'"
check "the imap process ($imap) is a child of the dovecot master ($DC_PID), not of the auth worker" \
	test -n "$imap" -a "$imap_parent" = "$DC_PID"

for conf in "" " confine=opener"; do
	log "dovecot with the module$conf"
	svc_mark
	dovecot_run "session required $MODULE conf=$POLICY$conf" || { not_ok "dovecot did not start"; continue; }
	imap_login "$U" >"$WORK/on.out"
	check "module$conf: the login fails" grep -q '^LOGIN=NO' "$WORK/on.out"
	check "module$conf: syslog says the module does not belong in this stack" \
		syslog_wait "pam_landlock($SVC:session): session refused for $U: pam_landlock cannot confine sessions opened by /usr/lib/dovecot/auth .* the module does not belong in the session stack of service $SVC: remove the pam_landlock line" 5
	check "module$conf: audit: a refused record for the user" \
		svc_events_wait "kind=refused .* acct=$U " 5
	check "module$conf: no imap process runs for the user" refute pgrep -u "$U" -x imap
	check "module$conf: nothing was confined" refute grep -q "confined user=$U" <(syslog_new)
	imap_login "$V" >"$WORK/on2.out"
	check "module$conf: the auth worker serves the next user the same way (not confined, refused again)" \
		syslog_wait "session refused for $V: pam_landlock cannot confine sessions opened by /usr/lib/dovecot/auth" 5
done
finish
