#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/tools/run.sh - "landlockctl run": a command in a test user's sandbox
# (the shipped policy), as that user and as the caller.  A denied write
# fails with EACCES; audit has the op=pam_landlock-try record, sent from the
# confined process before the user's code runs, then the denial, attributed
# to the user's uid and to the same pid.  Logging is forced for a trial even
# when the profile turns it off.  Exit statuses: the command's, 125 for
# landlockctl's own failures (refused session, usage, not root), 126 when the
# command cannot be executed (here: Landlock denies execute in /tmp), 127
# when it does not exist.
. "$(dirname "$0")/lib-ctl.sh"

need_root
need_cmd setpriv
need_landlock_abi 7 # audit records of denials, LOG_NEW_EXEC_ON
[ -x "$PROBE" ] || prereq_missing "ll-probe not built at $PROBE (make check builds it)"
ctl_init
audit_start
user_add r >/dev/null || { echo "FAIL: useradd"; exit 1; }
U="${LL_TAG}r"
UID_U=$(id -u "$U")
HOME_U=/home/$U
POL=$(install_policy)
DL=$(grep -n 'default = true' "$POL" | tail -1 | cut -d: -f1)
install -o "$U" -m 0755 "$PROBE" "$HOME_U/ll-probe"
at_exit "rm -f /var/tmp/ll-probe.*"

LANDLOCK_ACCESS='type=(UNKNOWN\[1423\]|LANDLOCK_ACCESS) '
LANDLOCK_DOMAIN='type=(UNKNOWN\[1424\]|LANDLOCK_DOMAIN) '
pid_of() { sed -n 's/^landlockctl: trial: confined .* pid=\([0-9]*\).*/\1/p' <<<"$1"; }
# audit_line REGEX...: line number, in audit_new, of the first record that
# matches every extended regex.
audit_line() {
	local r
	r=$(audit_new | grep -naE -- "$1")
	shift
	while [ $# -gt 0 ]; do r=$(grep -aE -- "$1" <<<"$r"); shift; done
	[ -n "$r" ] && head -1 <<<"$r" | cut -d: -f1
}
# syscall_of LINE: the SYSCALL record of the event of the record at LINE.
syscall_of() {
	local serial
	serial=$(audit_new | sed -n "$1p" | sed -n 's/.*msg=audit(\([0-9.:]*\)).*/\1/p')
	audit_new | grep -aF "msg=audit($serial)" | grep -a 'type=SYSCALL '
}

# ---- as the user: a denied write, and what audit says ----------------------
audit_mark
ctl -c "$POL" run "$U" -- "$HOME_U/ll-probe" vartmp_create tmp_create home_create
check "as user: exit 0 (the probe's)" is 0 "$RC"
check "as user: /var/tmp denied with EACCES, /tmp and home allowed" same \
	"vartmp_create EACCES
tmp_create ok
home_create ok" "$OUT"
check "as user: the summary line on stderr" has \
	"landlockctl: trial: confined user=$U service=? profile=shell match=$POL:$DL(default) abi=" "$ERR"
PID=$(pid_of "$ERR")
check "as user: the summary names a pid" test -n "$PID"
check "audit: the try record arrives" audit_wait "op=pam_landlock-try acct=\"$U\""
check "audit: the denial arrives" audit_wait 'blockers=fs.make_reg path="/var/tmp"'
try=$(audit_line "op=pam_landlock-try acct=\"$U\"" " pid=$PID ")
deny=$(audit_line "$LANDLOCK_ACCESS" 'blockers=fs\.make_reg path="/var/tmp"')
check "audit: try record from the trial's pid, as root, with the module's fields" test -n "$try"
check "audit: try record says service, profile, match, flags, nnp" has \
	"service=? profile=shell match=$POL:$DL abi=" "$(audit_new | sed -n "${try:-0}p")"
check "audit: try record says res=success" has "res=success" "$(audit_new | sed -n "${try:-0}p")"
check "audit: the try record comes before the denial" test "${try:-0}" -lt "${deny:-0}"
sc=$(syscall_of "${deny:-0}")
check "audit: the denial's syscall is the trial's pid" has " pid=$PID " "$sc"
check "audit: the denial's syscall runs as the user" has " uid=$UID_U " "$sc"
check "audit: the domain's creator is the trial's pid" \
	test -n "$(audit_line "$LANDLOCK_DOMAIN" 'status=allocated' " pid=$PID ")"

ctl -c "$POL" run "$U" -- sh -c "echo x >/var/tmp/ll-probe.sh.$LL_TAG"
check "shell redirect into /var/tmp: sh fails (exit 2)" is 2 "$RC"
check "shell redirect into /var/tmp: Permission denied" has "Permission denied" "$ERR"

ctl -c "$POL" run "$U" -- sh -c 'id -u; id -G; pwd; echo "$HOME $USER $LOGNAME"'
check "as user: uid, groups, home directory and environment" same \
	"$UID_U
$(id -G "$U")
$HOME_U
$HOME_U $U $U" "$OUT"

# ---- as the caller (root): the user's domain, root's credentials -----------
audit_mark
cd "$WORK" || exit 1
ctl -c "$POL" run --as-caller "$U" -- sh -c 'id -u; pwd'
cd - >/dev/null || exit 1
check "as caller: exit 0" is 0 "$RC"
check "as caller: still uid 0, still in the caller's directory" same "0
$WORK" "$OUT"
check "as caller: the summary says so" has "(as the caller, uid 0)" "$ERR"
ctl -c "$POL" run --as-caller "$U" -- "$HOME_U/ll-probe" vartmp_create etc_write
check "as caller: root is denied /var/tmp and /etc writes by Landlock" same \
	"vartmp_create EACCES
etc_write EACCES" "$OUT"
check "as caller: a try record for the user, sent by root" audit_wait "op=pam_landlock-try acct=\"$U\".*res=success"

# ---- logging is forced for a trial -----------------------------------------
QUIET=$(policy quiet <<'EOF'
version = 1;
profiles = { p = { logging = "off";
                   filesystem = ( { path = "/"; access = "read_exec"; },
                                  { path = "/tmp"; access = "read_write"; } ); }; };
match = ( { default = true; profile = "p"; } );
EOF
)
audit_mark
ctl -c "$QUIET" run "$U" -- "$HOME_U/ll-probe" vartmp_create
check "logging off: denied all the same" same "vartmp_create EACCES" "$OUT"
check "logging off: the profile's flags in the summary" has "flags=log_same_exec_off" "$ERR"
check "logging off: forced for the trial, and said so" has "(logging forced for the trial: flags=log_new_exec_on)" "$ERR"
PID=$(pid_of "$ERR")
check "logging off: the denial is logged anyway" audit_wait 'blockers=fs.make_reg path="/var/tmp"'
d=$(audit_line "$LANDLOCK_ACCESS" 'blockers=fs\.make_reg path="/var/tmp"')
check "logging off: the logged denial is the trial's" has " pid=$PID " "$(syscall_of "${d:-0}")"

# ---- root is exempt: no domain, no try record ------------------------------
audit_mark
ctl -c "$POL" run root -- "$PROBE" vartmp_create
check "root: exit 0" is 0 "$RC"
check "root: not confined, /var/tmp writable" same "vartmp_create ok" "$OUT"
check "root: says it is exempt" has "landlockctl: not confined (exempt by policy): user=root" "$ERR"
sleep 0.5
check "root: no try record" none_in_audit 'op=pam_landlock-try acct="root"'

# ---- exit statuses -----------------------------------------------------------
ctl -c "$POL" run "$U" -- sh -c 'exit 7'
check "the command's status is returned (7)" is 7 "$RC"
ctl -c "$POL" run "$U" -- "/nonexistent-$LL_TAG"
check "command not found: 127" is 127 "$RC"
check "command not found: says so" has "landlockctl: cannot run /nonexistent-$LL_TAG: No such file or directory" "$ERR"
install -m 0755 /usr/bin/true "$WORK/true"
ctl -c "$POL" run "$U" -- "$WORK/true"
check "execute denied by Landlock in /tmp: 126" is 126 "$RC"
check "execute denied: Permission denied" has "cannot run $WORK/true: Permission denied" "$ERR"
ctl -c "$POL" run --as-caller root -- "$WORK/true"
check "the same binary runs outside a domain (exempt root)" is 0 "$RC"

audit_mark
BAD=$(policy bad <<'EOF'
version = 1;
profiles = { p = { filesystem = ( { path = "/usr"; access = "read_exec"; } ); }; };
match = ( { user = "root"; profile = "nosuch"; } ); # @bad
EOF
)
ctl -c "$BAD" run "$U" -- true
check "invalid policy: 125" is 125 "$RC"
check "invalid policy: the error with file:line" has \
	"landlockctl: the module would refuse this session: $BAD:$(line_of bad "$BAD"): match entry names unknown profile 'nosuch'" "$ERR"
check "invalid policy: a failed try record with the policy digest" \
	audit_wait "op=pam_landlock-try acct=\"$U\" service=? digest=$(sha256sum "$BAD" | cut -c1-64) reason=.*res=failed"
NODEF=$(policy nodefault <<'EOF'
version = 1;
profiles = { p = { }; };
match = ( { user = "root"; profile = "p"; } );
EOF
)
ctl -c "$NODEF" run "$U" -- true
check "no entry for the user: 125" is 125 "$RC"
check "no entry for the user: says so" has "no match entry applies to user '$U'" "$ERR"
ctl -c "$POL" run "nosuch-$LL_TAG" -- true
check "unknown user: 125" is 125 "$RC"
ctl -c "$POL" run "$U"
check "no command: 125" is 125 "$RC"
ctl -c "$POL" --abi 3 run "$U" -- true
check "--abi with run: 125" is 125 "$RC"

# ---- as an ordinary user -----------------------------------------------------
install -m 0755 "$CTL" "$WORK/landlockctl"
as_u() { setpriv --reuid="$U" --regid="$U" --init-groups "$@" >"$WORK/out" 2>"$WORK/err"; RC=$?; OUT=$(cat "$WORK/out"); ERR=$(cat "$WORK/err"); }
as_u "$WORK/landlockctl" -c "$POL" run "$U" -- true
check "not root, without --as-caller: 125" is 125 "$RC"
check "not root: says what to do" has "add --as-caller" "$ERR"
as_u env HOME="$HOME_U" "$WORK/landlockctl" -c "$POL" run --as-caller "$U" -- "$HOME_U/ll-probe" vartmp_create home_create
check "not root, --as-caller: works (no_new_privs)" is 0 "$RC"
check "not root, --as-caller: the same answers" same "vartmp_create EACCES
home_create ok" "$OUT"
check "not root, --as-caller: no audit record, and said so" has "landlockctl: note: no audit record sent: Operation not permitted" "$ERR"

finish
