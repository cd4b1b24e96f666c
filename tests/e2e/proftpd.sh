#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/proftpd.sh - pam_landlock under a real proftpd 1.3.8 (Debian's
# proftpd-core, mod_auth_pam), which opens the session in its
# per-connection process and serves the user there without forking: the
# module confines that process (confine=opener).  proftpd runs standalone
# on a free loopback port with its own configuration; its PAM service has a
# unique name (AuthPAMConfig), /etc/pam.d/$LL_TAG-ftp = Debian's proftpd
# stack plus conf/pam.d/proftpd.  FTP with python3's ftplib.
#
# proftpd-core conflicts with vsftpd (both are ftp-server), so CI runs it
# from the package unpacked by tests/install-deps.sh when it is not
# installed (.ci/packages-unpacked).
#
# Checks: without the module a write to a world-writable directory works
# (Unix permissions allow it); with the shipped policy the session process
# is confined (the syslog line's pid is the per-connection process, a child
# of the master) and cannot open a passive data port (net.bind_tcp
# denied); with a profile for FTP that allows the passive ports: an upload
# to the home works and is the user's, an upload to /var/tmp is refused
# (550) and audited (fs.make_reg) from the confined process itself, listing
# /home shows nothing (fs.read_dir), active mode cannot connect out;
# proftpd's own writes after login (wtmp, its TransferLog) are denied too;
# QUIT closes the session in the confined process without a warning.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

PY=${PY:-python3}
PF=/var/cache/pam_landlock-tests/proftpd-core
if dpkg-query -W -f='${Status}' proftpd-core 2>/dev/null | grep -q 'install ok installed'; then
	PF=
fi
[ -x "$PF/usr/sbin/proftpd" ] ||
	prereq_missing "proftpd not installed and not unpacked in $PF (tests/install-deps.sh, .ci/packages-unpacked)"
svc_init "$PY"
PW="pw-$LL_TAG"
echo "$U:$PW" | chpasswd
H=$(getent passwd "$U" | cut -d: -f6)
# The control port, and four consecutive free ports for PassivePorts.
PORT=$(svc_ports 1)
for i in $(seq 20); do
	P1=$(svc_ports 1) P2=$((P1 + 1)) P3=$((P1 + 2)) P4=$((P1 + 3))
	[ "$P1" != "$PORT" ] && [ -z "$(ss -Htan "( sport >= :$P1 and sport <= :$P4 ) or sport = :$PORT and sport = :0")" ] && break
done
SVC="$LL_TAG-ftp"

# The shipped policy plus a profile for FTP: base, the home, the passive
# ports (the data connections are made by the confined process).
sed -e "s|^  sftp = {$|  ftp = {\n    extends = \"base\";\n    filesystem = ( { path = \"\${HOME}\"; access = \"read_write\"; } );\n    network = { connect_tcp = []; bind_tcp = [$P1, $P2, $P3, $P4]; };\n  };\n  sftp = {|" \
	-e "s|^  { default = true; profile = \"shell\"; }$|  { default = true; service = \"$SVC\"; profile = \"ftp\"; },\n&|" \
	"$POLICY" >"$WORK/ftp.tmp"
grep -q "service = \"$SVC\"; profile = \"ftp\"" "$WORK/ftp.tmp" ||
	{ echo "FAIL: could not add the ftp profile to the shipped policy"; exit 1; }
FTPPOL=$(install_policy "$WORK/ftp.tmp") && mv "$FTPPOL" "$WORK/ftp.conf" && FTPPOL="$WORK/ftp.conf"
POLICY=$(install_policy)

cat >"$WORK/proftpd.conf" <<EOF
ServerName "$LL_TAG"
ServerType standalone
Port $PORT
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
User nobody
Group nogroup
PidFile $WORK/proftpd.pid
ScoreboardFile $WORK/proftpd.scoreboard
DelayTable none
SystemLog $WORK/proftpd.log
TransferLog $WORK/xferlog
ModulePath $PF/usr/lib/proftpd
UseReverseDNS off
AuthPAM on
AuthPAMConfig $SVC
AuthOrder mod_auth_pam.c* mod_auth_unix.c
RequireValidShell off
PassivePorts $P1 $P4
MaxInstances 10
<Global>
  AllowOverwrite on
</Global>
EOF

# ftp_session TAG: log in, STOR to the home, STOR to /var/tmp, NLST /home,
# an active-mode NLST, QUIT; one "KEY=reply" line each in $WORK/TAG.out.
ftp_session() {
	"$PY" - "$PORT" "$U" "$PW" "$LL_TAG" >"$WORK/$1.out" 2>&1 <<-'EOF'
		import ftplib, io, sys
		port, user, pw, tag = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
		def do(key, fn):
		    try:
		        r = fn()
		    except ftplib.all_errors as e:
		        r = "ERR " + str(e)
		    print("%s=%s" % (key, r), flush=True)
		f = ftplib.FTP()
		f.connect("127.0.0.1", port, timeout=10)
		do("LOGIN", lambda: f.login(user, pw))
		do("STOR_HOME", lambda: f.storbinary("STOR %s-home" % tag, io.BytesIO(b"x\n")))
		do("STOR_VARTMP", lambda: f.storbinary("STOR /var/tmp/%s-ftp" % tag, io.BytesIO(b"x\n")))
		do("NLST_HOME_DIRS", lambda: "%d entries" % len(f.nlst("/home")))
		f.set_pasv(False)
		do("ACTIVE", lambda: "%d entries" % len(f.nlst(".")))
		do("QUIT", lambda: f.quit())
	EOF
}

# ftp_run TAG LINE: proftpd with Debian's stack plus LINE (may be empty).
ftp_run() {
	local base=/etc/pam.d/proftpd pid
	[ -z "$PF" ] || base="$PF/etc/pam.d/proftpd"
	rm -f "/etc/pam.d/$SVC"
	{ cat "$base"; [ -z "$2" ] || echo "$2"; } | pam_service "$SVC"
	"$PF/usr/sbin/proftpd" -n -c "$WORK/proftpd.conf" >"$WORK/proftpd.out" 2>&1 &
	pid=$!
	at_exit "kill $pid"
	svc_listening "$PORT" 10 || { cat "$WORK/proftpd.out"; kill "$pid"; return 1; }
	ftp_session "$1"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	MASTER=$pid
}
line() { svc_snippet proftpd "$1" | tail -1; }
at_exit "rm -f /var/tmp/$LL_TAG-ftp"

log "without the module"
ftp_run off "" || { echo "FAIL: proftpd did not start"; exit 1; }
check "without the module: logged in, and the upload to /var/tmp works (Unix permissions allow it)" \
	bash -c "grep -q '^LOGIN=230' '$WORK/off.out' && grep -q '^STOR_VARTMP=226' '$WORK/off.out'"
rm -f "/var/tmp/$LL_TAG-ftp" "$H/$LL_TAG-home"

log "with the shipped policy (shell profile: no listening port)"
svc_mark
ftp_run shell "$(line "$POLICY")" || { echo "FAIL: proftpd did not start"; exit 1; }
conf=$(svc_confined_pids "$SVC" | head -1)
check "shell: logged in" grep -q '^LOGIN=230' "$WORK/shell.out"
check "shell: the session process is confined, confine=opener (pid $conf)" \
	syslog_wait "confined user=$U service=$SVC profile=shell .* confine=opener pid=$conf" 1
check "shell: no data connection: proftpd cannot listen on a passive port and ends the session" \
	grep -q '^STOR_HOME=ERR' "$WORK/shell.out"
check "shell: audit: net.bind_tcp denied to the session process" \
	svc_events_wait "kind=access .*blockers=net.bind_tcp .* pid=$conf " 5

log "with a profile for FTP (passive ports $P1-$P4)"
svc_mark
ftp_run ftp "$(line "$FTPPOL")" || { echo "FAIL: proftpd did not start"; exit 1; }
out="$WORK/ftp.out"
conf=$(svc_confined_pids "$SVC" | head -1)
check "ftp: logged in" grep -q '^LOGIN=230' "$out"
check "ftp: the session process is confined, confine=opener (pid $conf)" \
	syslog_wait "confined user=$U service=$SVC profile=ftp .* confine=opener pid=$conf" 1
check "ftp: the module's audit record comes from the confined process" \
	grep -q "kind=enforce .* pid=$conf .*acct=$U " <(svc_events)
check "ftp: upload to the home works and is the user's" \
	bash -c "grep -q '^STOR_HOME=226' '$out' && [ \"\$(stat -c %U '$H/$LL_TAG-home')\" = '$U' ]"
check "ftp: upload to /var/tmp refused (550)" grep -q '^STOR_VARTMP=ERR 550' "$out"
check "ftp: and nothing written there" test ! -e "/var/tmp/$LL_TAG-ftp"
svc_events_wait "kind=access .*blockers=fs.make_reg obj=path=/var/tmp,.* pid=$conf " 5
e=$(svc_events | grep -a "kind=access .*blockers=fs.make_reg obj=path=/var/tmp,.* pid=$conf " | head -1)
check "ftp: audit: fs.make_reg denied on /var/tmp to the confined process itself, as the user" \
	test -n "$e" -a "$(ev uid <<<"$e"):$(ev comm <<<"$e")" = "$UID_U:proftpd"
check "ftp: the confined process is the per-connection process the master ($MASTER) forked" \
	test "$(ev ppid <<<"$e")" = "$MASTER"
check "ftp: the domain is the one the confined process created" \
	grep -q "kind=alloc .* domain=$(ev domain <<<"$e") pid=$conf " <(svc_events)
check "ftp: listing /home shows nothing (fs.read_dir)" grep -q '^NLST_HOME_DIRS=0 entries' "$out"
check "ftp: active mode cannot connect out" grep -q '^ACTIVE=ERR 425' "$out"
check "ftp: QUIT" grep -q '^QUIT=221' "$out"
check "ftp: the session was closed (pam_unix)" \
	syslog_wait "pam_unix($SVC:session): session closed for user $U" 5
check "ftp: no pam_landlock warning" refute grep -qa "pam_landlock($SVC:session): .*\(warning\|not confined\|NOT\)" <(syslog_new)
# proftpd's own bookkeeping after the session opened runs confined too.
check "ftp: proftpd's wtmp login record is lost (fs.write_file on /var/log/wtmp denied, as root)" \
	grep -qa "kind=access .*blockers=fs.write_file obj=path=/var/log/wtmp,.* pid=$conf .* uid=0 " <(svc_events)
check "ftp: its TransferLog, opened after login, too" \
	grep -qa "kind=access .*blockers=fs.write_file obj=path=$WORK/xferlog,.* pid=$conf " <(svc_events)
finish
