#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/vsftpd.sh - pam_landlock under Debian's real vsftpd 3.0.3 with
# session_support=YES and its defaults isolate=YES, isolate_network=YES: the
# privileged process opens the PAM session, then makes the user's process
# with a raw clone(CLONE_NEWNET|SIGCHLD) syscall, which runs no fork
# handlers (issue 9, item 2).  The module confines the opener
# (confine=opener, the default for an application it does not know), so the
# user's process inherits the domain.
#
# vsftpd runs in the foreground on a free loopback port with its own config
# file, a unique PAM service (Debian's /etc/pam.d/vsftpd plus our line) and
# a password set for the test user; the client is python3's ftplib, passive
# mode.  With isolate_network the privileged process, now confined, listens
# for passive data connections itself: the policy gives the FTP service a
# profile that extends "shell" with bind_tcp on the passive ports.
#
# Checks: login works; the upload to the home works and the one to /var/tmp
# fails (553) with its fs.make_reg record from the user's process; the
# listing of the home works, that of /home fails (vsftpd: "failed to open
# directory") with its fs.read_dir record; the module's syslog line and audit
# enforce record say confine=opener, from the privileged process, the
# parent of the denying one; that process, in the domain, cannot write wtmp
# (vsftpd's login accounting is lost).  Without our line the same session can write
# /var/tmp and list /home.  With the plain shell profile (no bind_tcp) the
# session is still confined, and data connections fail.  Unbuildable
# policies refuse the login.  With session_support=NO (vsftpd's default)
# vsftpd opens no PAM session: nothing is confined, as with sshd's
# "UsePAM no".
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

VSFTPD=/usr/sbin/vsftpd
PY=/usr/bin/python3
svc_init ss
[ -x "$VSFTPD" ] || prereq_missing "$VSFTPD (package vsftpd)"
[ -x "$PY" ] || prereq_missing "$PY (package python3)"
svc_accounting
svc_bad_policies
PW="Pw-$LL_TAG-$RANDOM"
echo "$U:$PW" | chpasswd || { echo "FAIL: chpasswd"; exit 1; }
read -r P PASV < <(svc_ports 2 | tr '\n' ' ')

# The policy: an "ftp" profile for our service, with the passive ports.
SVC="$LL_TAG-ftp"
FTP_POL="$WORK/ftp.conf"
awk -v svc="$SVC" -v port="$PASV" '
	/^};$/ && !done { print "  ftp = {\n    extends = \"shell\";\n    network = { bind_tcp = [" port "]; };\n  };"; done = 1 }
	/\{ default = true; profile = "shell"; \}/ { print "  { default = true; service = \"" svc "\"; profile = \"ftp\"; }," }
	{ print }' "$POLICY" >"$WORK/tmp.conf"
install -m 0644 "$WORK/tmp.conf" "$FTP_POL"
FTP_LINE=$(grep -n "service = \"$SVC\"; profile = \"ftp\"" "$FTP_POL" | cut -d: -f1)
[ -n "$FTP_LINE" ] && grep -q "bind_tcp = \[$PASV\]" "$FTP_POL" ||
	{ echo "FAIL: could not derive the ftp policy from the shipped one; update this test"; exit 1; }
# PAM stacks: Debian's vsftpd file plus our line (conf=CONF), or without it.
stack() { cat /etc/pam.d/vsftpd; [ -z "$1" ] || echo "session required $MODULE conf=$1"; }
stack "$FTP_POL" | pam_service "$SVC" || exit 1
use_stack() { stack "$1" >"/etc/pam.d/$SVC"; }

mkdir -m 0755 "$WORK/empty"
# conf NAME [session_support]: a config file for one server.
conf() {
	cat >"$WORK/$1.vsftpd" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$P
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
session_support=${2:-YES}
pam_service_name=$SVC
secure_chroot_dir=$WORK/empty
xferlog_enable=NO
syslog_enable=YES
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=$PASV
pasv_max_port=$PASV
connect_from_port_20=NO
EOF
}
conf yes
conf no NO
# serve NAME: vsftpd with $WORK/NAME.vsftpd until stop.
serve() {
	"$VSFTPD" "$WORK/$1.vsftpd" 9>&- 2>>"$WORK/vsftpd.err" &
	VPID=$!
	at_exit "kill $VPID"
	svc_listening "$P" 10 || { cat "$WORK/vsftpd.err"; echo "FAIL: vsftpd did not start"; exit 1; }
}
stop() { kill "$VPID"; wait "$VPID" 2>/dev/null; }

# The client: one line per step, "STEP ok|err REPLY", and the listings.
cat >"$WORK/client.py" <<'EOF'
import ftplib, io, sys
port, user, pw, tag = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
f = ftplib.FTP()
f.connect("127.0.0.1", port, timeout=10)
def step(name, fn):
    try:
        r = fn()
        print(name, "ok", str(r).replace("\n", " "))
        return True
    except Exception as e:
        print(name, "err", repr(e).replace("\n", " "))
        return False
if not step("login", lambda: f.login(user, pw)):
    sys.exit(0)
step("pwd", f.pwd)
step("stor-home", lambda: f.storbinary("STOR up-" + tag, io.BytesIO(b"hello\n")))
step("stor-denied", lambda: f.storbinary("STOR /var/tmp/" + tag + "-ftp", io.BytesIO(b"x\n")))
home = []
step("list-home", lambda: f.retrlines("LIST", home.append))
print("HOME-ENTRIES", len(home), " ".join(l.split()[-1] for l in home))
top = []
step("list-top", lambda: f.retrlines("LIST /home", top.append))
print("TOP-ENTRIES", len(top))
step("quit", f.quit)
EOF
# ftp TAG: a session of U; output in $WORK/TAG.txt.
ftp() {
	svc_mark
	"$PY" "$WORK/client.py" "$P" "$U" "$PW" "$LL_TAG" >"$WORK/$1.txt" 2>&1
	rm -f "$DENY_DIR/$LL_TAG-ftp"
	sleep 0.2 # vsftpd closes the session after the client is gone
}
res() { grep "^$2 " "$WORK/$1.txt" | head -1; }

log "session_support=YES with our line: the session is confined"
serve yes
ftp on
stop
check "on: login" grep -q "^login ok 230" "$WORK/on.txt"
check "on: upload to the home works" grep -q "^stor-home ok 226" "$WORK/on.txt"
check "on: the upload landed in the home" test -f "/home/$U/up-$LL_TAG"
check "on: upload to /var/tmp is refused (553)" grep -q "^stor-denied err .*553" "$WORK/on.txt"
check "on: the home can be listed" grep -q "^HOME-ENTRIES [1-9].* up-$LL_TAG" "$WORK/on.txt"
check "on: /home cannot be listed" grep -q "^list-top ok 226 .*failed to open directory" "$WORK/on.txt"
check "on: /home listing is empty" grep -q "^TOP-ENTRIES 0$" "$WORK/on.txt"
l=$(svc_confined_line "$SVC")
mon=$(sed -n 's/.* pid=\([0-9]*\)$/\1/p' <<<"$l")
check "on: syslog: confined with the ftp profile, confine=opener (pid $mon)" \
	grep -q " profile=ftp match=$FTP_POL:$FTP_LINE(default+service) .* confine=opener pid=[0-9]*$" <<<"$l"
check "on: audit: enforce record from that process, confine=opener" \
	grep -q "kind=enforce .* pid=$mon .*acct=$U " <(svc_events)
check "on: audit: the enforce record says confine=opener" \
	audit_wait "op=pam_landlock-enforce acct=\"$U\" service=$SVC .* confine=opener " 1
svc_events_wait "kind=access .*blockers=fs.make_reg obj=path=$DENY_DIR," 5
e=$(svc_events | grep -a "kind=access .*blockers=fs.make_reg obj=path=$DENY_DIR,")
check "on: 1423 fs.make_reg on $DENY_DIR, by the user's process (a child of $mon)" \
	test "$(ev uid <<<"$e"):$(ev ppid <<<"$e")" = "$UID_U:$mon"
e=$(svc_events | grep -a "kind=access .*blockers=fs.read_dir obj=path=/home,")
check "on: 1423 fs.read_dir on /home, by the user's process" \
	test "$(ev uid <<<"$e"):$(ev ppid <<<"$e")" = "$UID_U:$mon"
check "on: the session was closed" syslog_wait "pam_unix($SVC:session): session closed for user $U" 5
# The price of confine=opener here: the privileged process is in the domain.
check "on: the confined privileged process cannot write wtmp (login accounting is lost)" \
	grep -q "kind=access .*blockers=fs.write_file obj=path=/var/log/wtmp,.* pid=$mon " <(svc_events)
log "on: denials of the privileged process: $(svc_events | grep -a 'kind=access' | grep -a " pid=$mon " |
	sed -n 's/.*blockers=\([^ ]*\) obj=\([^ ]*\).*/\1 \2/p' | sort -u | tr '\n' ';')"

log "the same without our line: Unix permissions allow both"
use_stack ""
serve yes
ftp off
stop
check "off: upload to /var/tmp works" grep -q "^stor-denied ok 226" "$WORK/off.txt"
check "off: /home can be listed" grep -q "^TOP-ENTRIES [1-9]" "$WORK/off.txt"

log "the shipped shell profile (no bind_tcp): confined, data connections fail"
use_stack "$POLICY"
serve yes
ftp shell
stop
check "shell: login" grep -q "^login ok 230" "$WORK/shell.txt"
check "shell: confined with the shell profile" grep -q " profile=shell .* confine=opener " <<<"$(svc_confined_line "$SVC")"
check "shell: no data connection (vsftpd cannot listen for it)" refute grep -q "^stor-home ok" "$WORK/shell.txt"
check "shell: the client is told why (500 OOPS)" grep -q "^stor-home err .*500 OOPS" "$WORK/shell.txt"
check "shell: nothing reached /var/tmp" test ! -e "$DENY_DIR/$LL_TAG-ftp"
check "shell: the listen was denied by Landlock (net.bind_tcp)" \
	svc_events_wait "kind=access .*blockers=net.bind_tcp .* uid=0 " 5

log "fail closed"
for t in missing:"$BAD_MISSING":"$BAD_MISSING_LINE" hard:"$BAD_HARD":; do
	IFS=: read -r v conf line <<<"$t"
	use_stack "$conf"
	serve yes
	ftp "$v"
	stop
	check "$v: login refused" grep -q "^login err .*530" "$WORK/$v.txt"
	check "$v: refused with file:line in syslog" svc_refused_logged "$conf" "$line"
done

log "session_support=NO (vsftpd's default): no PAM session, nothing confined"
use_stack "$FTP_POL"
serve no
ftp nosession
stop
check "nosession: login" grep -q "^login ok 230" "$WORK/nosession.txt"
check "nosession: upload to /var/tmp works" grep -q "^stor-denied ok 226" "$WORK/nosession.txt"
check "nosession: no confined line" test -z "$(svc_confined_line "$SVC")"
finish
