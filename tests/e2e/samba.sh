#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/samba.sh - pam_landlock under a real smbd (Samba 4.17) with
# "obey pam restrictions = yes": smbd opens the session in the process that
# serves the connection, calls pam_end() at once without PAM_DATA_SILENT,
# and serves the user in that process; the module confines it
# (confine=opener).  smbd runs on a free loopback port with its own
# smb.conf and its state under /var/lib/$LL_TAG-samba (a place the shipped
# profile does not let the session write, as /var/lib/samba); its PAM
# service name is fixed ("samba"), so it runs in a private mount namespace
# with Debian's stack plus conf/pam.d/samba over /etc/pam.d/samba.  The
# client is smbclient.
#
# Checks: without the module a write to the /var/tmp share works (Unix
# permissions allow it); with it, the process serving the connection is
# confined (a child of the smbd master), after its pam_end: an upload to the
# home share works and is the user's, an upload to a share in /var/tmp is
# refused (NT_STATUS_ACCESS_DENIED) and audited (fs.make_reg) from that
# process itself; the share's preexec script, which smbd forks, runs
# confined (its write to /var/tmp denied, to the home allowed); every
# connection gets its own confined process; smbd keeps serving (its later
# close_session happens in the confined process).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init smbd smbclient smbpasswd unshare mount
PW="pw-$LL_TAG"
H=$(getent passwd "$U" | cut -d: -f6)
PORT=$(svc_ports 1)
S="/var/lib/$LL_TAG-samba"
SHARE="/var/tmp/$LL_TAG-share"
mkdir -p "$S"/{private,lock,state,cache,pid,ncalrpc,log}
at_exit "rm -rf '$S'"
install -d -m 1777 "$SHARE"
at_exit "rm -rf '$SHARE'"
# smbd loads PAM anew in the confined process to close the session: the
# module must be readable there, as it is in /lib/.../security when
# installed.  The build tree may not be (the shipped profile reads /usr,
# /etc, ... and /tmp): use a copy in the work directory.
install -m 0644 "$MODULE" "$WORK/pam_landlock.so"
MOD="$WORK/pam_landlock.so"

cat >"$WORK/smb.conf" <<EOF
[global]
  server role = standalone server
  smb ports = $PORT
  interfaces = 127.0.0.1
  bind interfaces only = yes
  private dir = $S/private
  lock directory = $S/lock
  state directory = $S/state
  cache directory = $S/cache
  pid directory = $S/pid
  ncalrpc dir = $S/ncalrpc
  log file = $S/log/%m.log
  passdb backend = tdbsam:$S/private/passdb.tdb
  obey pam restrictions = yes
  load printers = no
  printcap name = /dev/null
  disable spoolss = yes
  usershare path =
[homes]
  read only = no
  browseable = no
[vartmp]
  path = $SHARE
  read only = no
  preexec = /bin/sh -c 'touch $SHARE/$LL_TAG-preexec; echo "PREEXEC vartmp=\$? uid=\$(id -u) parent=\$(cat /proc/\$PPID/comm) grandparent=\$(cat /proc/\$(awk "/^PPid/ { print \\\$2 }" /proc/\$PPID/status)/comm)" >>$H/preexec.log'
EOF
printf '%s\n%s\n' "$PW" "$PW" | smbpasswd -c "$WORK/smb.conf" -a -s "$U" >/dev/null ||
	{ echo "FAIL: smbpasswd"; exit 1; }

# smb_run TAG STACK: smbd with STACK as /etc/pam.d/samba; two connections
# (the home share, the /var/tmp share), their outputs in $WORK/TAG.{home,vartmp}.
smb_run() {
	local tag=$1 i
	rm -f "$H/preexec.log"
	echo "x" >"$WORK/upload"
	# setsid: smbd signals its whole process group when it stops.
	setsid unshare -m --propagation private bash -c "mount --bind '$2' /etc/pam.d/samba || exit 99
		exec smbd -F --no-process-group --configfile='$WORK/smb.conf' -d1 --debug-stdout" \
		>"$WORK/smbd.$tag.out" 2>&1 &
	SMBD=$!
	at_exit "kill $SMBD"
	svc_listening "$PORT" 10 || { cat "$WORK/smbd.$tag.out"; return 1; }
	smbclient -p "$PORT" "//127.0.0.1/$U" -U "$U%$PW" \
		-c "put $WORK/upload $LL_TAG-home; ls $LL_TAG-home" >"$WORK/$tag.home" 2>&1
	smbclient -p "$PORT" //127.0.0.1/vartmp -U "$U%$PW" \
		-c "put $WORK/upload $LL_TAG-smb" >"$WORK/$tag.vartmp" 2>&1
	for i in $(seq 20); do [ -s "$H/preexec.log" ] && break; sleep 0.1; done
	cp "$H/preexec.log" "$WORK/$tag.preexec" 2>/dev/null || : >"$WORK/$tag.preexec"
	kill "$SMBD"
	wait "$SMBD" 2>/dev/null || true
}

log "smbd without the module"
{ cat /etc/pam.d/samba; } >"$WORK/pam.off"
smb_run off "$WORK/pam.off" || { echo "FAIL: smbd did not start"; exit 1; }
check "without the module: the upload to the home share works" grep -q "$LL_TAG-home" "$WORK/off.home"
check "without the module: the upload to the /var/tmp share works (Unix permissions allow it)" \
	test -e "$SHARE/$LL_TAG-smb"
check "without the module: the preexec script ran and wrote there" grep -q "PREEXEC vartmp=0 uid=$UID_U" "$WORK/off.preexec"
rm -f "$SHARE/$LL_TAG-smb" "$SHARE/$LL_TAG-preexec" "$H/$LL_TAG-home"

log "smbd with the module"
svc_mark
svc_stack samba samba "$POLICY" | sed "s|$MODULE|$MOD|" >"$WORK/pam.on"
smb_run on "$WORK/pam.on" || { echo "FAIL: smbd did not start"; exit 1; }
mapfile -t conf < <(svc_confined_pids samba)
log "confined processes: ${conf[*]}"
check "two connections, two confined processes" test "${#conf[@]}" = 2 -a "${conf[0]:-}" != "${conf[1]:-}"
check "confined with the shipped shell profile, confine=opener" \
	syslog_wait "confined user=$U service=samba profile=shell .* confine=opener pid=${conf[0]:-x}" 1
check "upload to the home share works and is the user's" \
	bash -c "grep -q '$LL_TAG-home' '$WORK/on.home' && [ \"\$(stat -c %U '$H/$LL_TAG-home')\" = '$U' ]"
check "upload to the /var/tmp share refused" grep -q NT_STATUS_ACCESS_DENIED "$WORK/on.vartmp"
check "and nothing written there" test ! -e "$SHARE/$LL_TAG-smb"
svc_events_wait "kind=access .*blockers=fs.make_reg obj=path=$SHARE,.* comm=smbd" 5
e=$(svc_events | grep -a "kind=access .*blockers=fs.make_reg obj=path=$SHARE,.* comm=smbd" | head -1)
check "audit: fs.make_reg denied to the confined smbd itself (pid ${conf[1]:-})" \
	test -n "$e" -a "$(ev pid <<<"$e")" = "${conf[1]:-x}"
check "the confined smbd is a child of the smbd master ($SMBD)" test "$(ev ppid <<<"$e")" = "$SMBD"
check "the domain is the one that process created" \
	grep -q "kind=alloc .* domain=$(ev domain <<<"$e") pid=${conf[1]:-x} " <(svc_events)
check "smbd ended PAM right after opening the session (pam_end without PAM_DATA_SILENT) and served the user confined afterwards" \
	bash -c "[ -n '$e' ]"
log "preexec: $(cat "$WORK/on.preexec")"
check "the preexec script ran as the user, forked by smbd (through smbrun's sh)" \
	grep -qE "PREEXEC .* uid=$UID_U (parent=smbd|parent=sh grandparent=smbd)" "$WORK/on.preexec"
check "the preexec script is confined: its write to /var/tmp was denied" \
	grep -q "PREEXEC vartmp=1 " "$WORK/on.preexec"
check "audit: the preexec's denial is in the same domain" \
	grep -qa "kind=access .* domain=$(ev domain <<<"$e") blockers=fs.make_reg obj=path=$SHARE,.* comm=touch" <(svc_events)
check "no 'PAM unable to dlopen' (the module was readable to the confined close)" \
	refute grep -qa "unable to dlopen" <(syslog_new)
check "the session was closed (pam_unix, in the confined process)" \
	syslog_wait "pam_unix(samba:session): session closed for user $U" 5
finish
