#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/ex-hosting.sh - conf/examples/hosting.conf at work under a real
# sshd: two shell customers and a member of the SFTP-only group (the
# example's "sftponly", renamed to a unique test group), one extra allowed
# port standing for 80/443.
#
# Works, for a customer: sftp, scp (SFTP and legacy -O), rsync over ssh up
# and down, git clone and push over ssh into a bare repository in the home,
# a script in the home, a private TMPDIR in the home, an allowed port.
# Denied (with the audit denial): another customer's world-readable file
# (shell, sftp, rsync) and world-writable directory, listing /home, /tmp,
# a port not listed, a listening port.
# SFTP-only: sftp and scp work in the home and system programs run; a
# program uploaded to the home does not run, nor one from a memfd or through
# execveat (second layer, fd_exec: the same memfd runs for a customer, whose
# home is executable), no network (shell or -W), no other customer's file.
# The sshd has no ForceCommand: what is shown is the profile alone.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"
. "$top_srcdir/tests/e2e/examples-lib.sh"

ex_init sshd ssh ssh-keygen sftp scp rsync git socat ss timeout setpriv
T0=$(date +%s)
read -r OK NO < <(svc_ports 2 | tr '\n' ' ')
G=$(group_add sftp) || { echo "FAIL: groupadd"; exit 1; }
POL=$(ex_policy hosting "s|group = \"sftponly\";|group = \"$G\";|
/^  customer = {/,/^  };/s|connect_tcp = \[22, 80, 443\];|connect_tcp = [22, 80, 443, $OK];|") || exit 1
ex_has "$POL" "group = \"$G\";" "connect_tcp = [22, 80, 443, $OK];"
ex_sshd "$POL"
C1=$(ex_user c1) && C2=$(ex_user c2) && S=$(ex_user s -G "$G") || { echo "FAIL: useradd"; exit 1; }
H1=$(getent passwd "$C1" | cut -d: -f6) H2=$(getent passwd "$C2" | cut -d: -f6) HS=$(getent passwd "$S" | cut -d: -f6)
for p in "$OK" "$NO"; do ex_serve "$p"; done

# The other customer's files, open to everyone by Unix permissions.
chmod 0755 "$H2"
echo "secret-of-$C2" >"$H2/public.txt"
install -d -m 0777 -o "$C2" -g "$C2" "$H2/drop"
chown "$C2:" "$H2/public.txt" && chmod 0644 "$H2/public.txt"
check "control: Unix permissions let $C1 read $C2's file and write in $C2's drop directory" \
	setpriv --reuid="$C1" --regid="$C1" --init-groups sh -c "cat $H2/public.txt >/dev/null && : >$H2/drop/control && rm $H2/drop/control"
install -d -m 0700 -o "$C1" -g "$C1" "$H1/tmp"
printf '#!/bin/sh\necho SCRIPT-RAN\n' >"$H1/hello.sh"
chown "$C1:" "$H1/hello.sh" && chmod 0755 "$H1/hello.sh"

SFTP=(sftp "${SSHO[@]}" -P "$SSHD_PORT" -b -)
SCP=(scp "${SSHO[@]}" -P "$SSHD_PORT")
RSYNC=(rsync -a -e "ssh ${SSHO[*]} -p $SSHD_PORT")
export GIT_SSH_COMMAND="ssh ${SSHO[*]} -p $SSHD_PORT"
mkdir -p "$WORK/site/css"
echo "<h1>$LL_TAG</h1>" >"$WORK/site/index.html"
echo "body { }" >"$WORK/site/css/main.css"

log "a customer: sftp, scp, rsync, git"
svc_mark
printf 'put %s index.html\nget index.html %s\n' "$WORK/site/index.html" "$WORK/sftp-back.html" |
	"${SFTP[@]}" "$C1@127.0.0.1" >"$WORK/c1-sftp.out" 2>&1
check "sftp put and get in the home" cmp -s "$WORK/site/index.html" "$WORK/sftp-back.html"
check "the session was confined with profile customer (default)" ex_confined "$C1" customer default
"${SCP[@]}" "$WORK/site/css/main.css" "$C1@127.0.0.1:main.css" >"$WORK/c1-scp.out" 2>&1 &&
	"${SCP[@]}" "$C1@127.0.0.1:main.css" "$WORK/scp-back.css" >>"$WORK/c1-scp.out" 2>&1
check "scp (SFTP protocol) up and down" cmp -s "$WORK/site/css/main.css" "$WORK/scp-back.css"
"${SCP[@]}" -O "$WORK/site/index.html" "$C1@127.0.0.1:legacy.html" >>"$WORK/c1-scp.out" 2>&1
check "scp -O (the scp program on the server) uploads" cmp -s "$WORK/site/index.html" "$H1/legacy.html"
"${RSYNC[@]}" "$WORK/site/" "$C1@127.0.0.1:public_html/" >"$WORK/c1-rsync.out" 2>&1 &&
	"${RSYNC[@]}" "$C1@127.0.0.1:public_html/" "$WORK/rsync-back/" >>"$WORK/c1-rsync.out" 2>&1
check "rsync over ssh up and down" diff -r "$WORK/site" "$WORK/rsync-back"
"${SSH[@]}" "$C1@127.0.0.1" "git init -q --bare --initial-branch=main site.git" >"$WORK/c1-git.out" 2>&1
git -c init.defaultBranch=main init -q "$WORK/repo" && cp -r "$WORK/site/." "$WORK/repo/" &&
	git -C "$WORK/repo" add -A && git -C "$WORK/repo" -c user.name=t -c user.email=t@example.org commit -qm "site of $LL_TAG" &&
	git -C "$WORK/repo" push -q "$C1@127.0.0.1:site.git" main >>"$WORK/c1-git.out" 2>&1
check "git push over ssh into a bare repository in the home" \
	test "$(git -c safe.directory="$H1/site.git" -C "$H1/site.git" log -1 --format=%s main 2>/dev/null)" = "site of $LL_TAG"
git clone -q "$C1@127.0.0.1:site.git" "$WORK/clone" >>"$WORK/c1-git.out" 2>&1
check "git clone over ssh from the home" cmp -s "$WORK/site/index.html" "$WORK/clone/index.html"
n=$(syslog_new | grep -ac "pam_landlock($SVC:session): confined user=$C1 service=$SVC profile=customer ")
check "each of the 9 connections (sftp, scp x2, scp -O, rsync x2, git init, push, clone) was confined ($n)" test "$n" = 9
check "no Landlock denial in the customer's transfers" test "$(svc_events | grep -ac "kind=access .* uid=$(id -u "$C1") ")" = 0
[ "$FAILS" = 0 ] || sed 's/^/# c1: /' "$WORK"/c1-*.out

log "a customer: other customers' files, /tmp, the network"
svc_mark
"${SSH[@]}" "$C1@127.0.0.1" "~/hello.sh
echo \"tmpdir: \$(TMPDIR=~/tmp mktemp >/dev/null && echo ok) pid=0\"
echo \"other: \$(cat $H2/public.txt 2>&1 >/dev/null | grep -q 'Permission denied' && echo EACCES || echo ok) pid=0\"
echo \"list: \$(ls /home >/dev/null 2>&1 && echo ok || echo EACCES) pid=0\"
echo \"drop: \$($P create $H2/drop/$LL_TAG-file)\"
echo \"tmp: \$($P create /tmp/$LL_TAG-file)\"
echo \"allowed: \$($P connect $OK)\"
echo \"notlisted: \$($P connect $NO)\"
echo \"listen: \$($P listen)\"
echo \"memfd: \$($P memfd-exec)\"" >"$WORK/c1-shell.out" 2>&1
check "a script in the home runs" grep -qx SCRIPT-RAN "$WORK/c1-shell.out"
check "a private temporary file in ~/tmp" ex_ok "$WORK/c1-shell.out" tmpdir
check "reading the other customer's world-readable file: Permission denied" test "$(ex_answer "$WORK/c1-shell.out" other)" = EACCES
check "audit: fs.read_file on $H2/public.txt" \
	svc_events_wait "kind=access .*blockers=fs.read_file obj=path=$H2/public.txt,.* uid=$(id -u "$C1") " 5
check "listing /home: denied" test "$(ex_answer "$WORK/c1-shell.out" list)" = EACCES
check "audit: fs.read_dir on /home" svc_events_wait "kind=access .*blockers=fs.read_dir obj=path=/home,.* uid=$(id -u "$C1") " 5
check "a file in the other customer's world-writable directory: denied, fs.make_reg" \
	ex_denial "$WORK/c1-shell.out" drop "$C1" fs.make_reg "path=$H2/drop,"
check "a file in /tmp: denied, fs.make_reg" ex_denial "$WORK/c1-shell.out" tmp "$C1" fs.make_reg "path=/tmp,"
check "connect to an allowed port ($OK)" ex_ok "$WORK/c1-shell.out" allowed
check "connect to a port not listed ($NO): denied, net.connect_tcp" \
	ex_denial "$WORK/c1-shell.out" notlisted "$C1" net.connect_tcp "daddr=127.0.0.1,dest=$NO"
check "listen: denied, net.bind_tcp" ex_denial "$WORK/c1-shell.out" listen "$C1" net.bind_tcp "saddr=127.0.0.1"
check "a memfd program runs for a customer (an executable home: fd_exec not needed)" ex_ok "$WORK/c1-shell.out" memfd
printf 'get %s %s\n' "$H2/public.txt" "$WORK/stolen-sftp" | "${SFTP[@]}" "$C1@127.0.0.1" >"$WORK/c1-steal.out" 2>&1
check "sftp get of the other customer's file fails" test ! -s "$WORK/stolen-sftp"
check "audit: fs.read_file by internal-sftp (sshd)" \
	svc_events_wait "kind=access .*blockers=fs.read_file obj=path=$H2/public.txt,.* uid=$(id -u "$C1") .*exe=/usr/sbin/sshd " 5
"${RSYNC[@]}" "$C1@127.0.0.1:$H2/public.txt" "$WORK/stolen-rsync" >>"$WORK/c1-steal.out" 2>&1
check "rsync of the other customer's file fails" test ! -e "$WORK/stolen-rsync"
check "audit: fs.read_file by rsync" \
	svc_events_wait "kind=access .*blockers=fs.read_file obj=path=$H2/public.txt,.* uid=$(id -u "$C1") .*exe=/usr/bin/rsync " 5
[ "$FAILS" = 0 ] || sed 's/^/# c1: /' "$WORK/c1-shell.out" "$WORK/c1-steal.out"

log "the SFTP-only group"
svc_mark
printf 'put %s upload.html\nput %s tool\nget upload.html %s\n' "$WORK/site/index.html" "$PROBE" "$WORK/s-back.html" |
	"${SFTP[@]}" "$S@127.0.0.1" >"$WORK/s-sftp.out" 2>&1
check "sftp put and get in the home" cmp -s "$WORK/site/index.html" "$WORK/s-back.html"
check "the session was confined with profile sftp (group)" ex_confined "$S" sftp group
"${SCP[@]}" -O "$WORK/site/css/main.css" "$S@127.0.0.1:main.css" >"$WORK/s-scp.out" 2>&1
check "scp -O: the scp program from /usr runs" cmp -s "$WORK/site/css/main.css" "$HS/main.css"
"${SSH[@]}" "$S@127.0.0.1" "echo \"system: \$(id -un) pid=0\"
chmod 0755 ~/tool; ~/tool connect $OK >/dev/null 2>&1; echo \"uploaded: \$([ \$? = 126 ] && echo EACCES || echo ok) pid=0\"
echo \"memfd: \$($P memfd-exec)\"
echo \"fdexec: \$($P fd-exec /usr/bin/true)\"
echo \"net: \$($P connect $OK)\"
echo \"other: \$($P create $H2/drop/$LL_TAG-s)\"" >"$WORK/s-shell.out" 2>&1
check "a system program runs" grep -qx "system: $S pid=0" "$WORK/s-shell.out"
check "the uploaded program does not run (exit 126)" test "$(ex_answer "$WORK/s-shell.out" uploaded)" = EACCES
check "audit: fs.execute on the uploaded program" \
	svc_events_wait "kind=access .*blockers=fs.execute obj=path=$HS/tool,.* uid=$(id -u "$S") " 5
check "a program from a memfd does not run: EACCES (second layer, fd_exec)" test "$(ex_answer "$WORK/s-shell.out" memfd)" = EACCES
check "execveat(AT_EMPTY_PATH) of /usr/bin/true: EACCES (second layer, fd_exec)" test "$(ex_answer "$WORK/s-shell.out" fdexec)" = EACCES
check "no network: connect to $OK denied, net.connect_tcp" ex_denial "$WORK/s-shell.out" net "$S" net.connect_tcp "daddr=127.0.0.1,dest=$OK"
check "the other customer's drop directory: denied, fs.make_reg" ex_denial "$WORK/s-shell.out" other "$S" fs.make_reg "path=$H2/drop,"
w=$(timeout 10 "${SSH[@]}" -W "127.0.0.1:$OK" "$S@127.0.0.1" </dev/null 2>/dev/null)
check "no forwarding: ssh -W to $OK gets nothing" refute grep -q "hello-$OK" <<<"$w"
check "control: outside any session the memfd program and execveat run" \
	bash -c '"$1" memfd-exec | grep -q "^ok " && "$1" fd-exec "$1" | grep -q "^ok "' _ "$P"
[ "$FAILS" = 0 ] || sed 's/^/# s: /' "$WORK/s-sftp.out" "$WORK/s-shell.out"
log "ran in $(($(date +%s) - T0)) s"
finish
