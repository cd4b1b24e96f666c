#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/ex-bastion.sh - conf/examples/bastion.conf at work: a real sshd
# (the bastion, with the module and the example policy) in front of a
# second sshd and plain TCP services on loopback standing for the internal
# hosts.  The example's port 22 becomes the internal sshd's port, plus one
# internal service port.
#
# Works: ssh -J (ProxyJump) to the internal sshd; ssh -W to the internal
# sshd and service; agent forwarding (ssh -A, then ssh onward from the
# bastion's shell with the forwarded agent, ~/.ssh/known_hosts written;
# sshd's /tmp/ssh-*/agent.* socket made and removed by the confined
# session); writing in the home; connecting from the shell to an allowed
# port.
# Denied (EACCES, with the audit denial): -W and a shell's connect to a
# port not listed; ssh -R and a shell's listen; a regular file in /tmp and
# in /var/tmp; running a program copied to the home; a program run from a
# memfd (second layer).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"
. "$top_srcdir/tests/e2e/examples-lib.sh"

ex_init sshd ssh ssh-keygen ssh-agent ssh-add socat ss timeout
T0=$(date +%s)
read -r TP OK NO RP < <(svc_ports 4 | tr '\n' ' ')

# The policy: the internal ssh port and one internal service are allowed.
POL=$(ex_policy bastion "/^  jump = {/,/^  };/s|connect_tcp = \[22\];|connect_tcp = [$TP, $OK];|") || exit 1
ex_has "$POL" "connect_tcp = [$TP, $OK];" "bind_tcp = [];"
ex_sshd "$POL"
B=$(ex_user b) || { echo "FAIL: useradd"; exit 1; }
UID_B=$(id -u "$B")
HOME_B=$(getent passwd "$B" | cut -d: -f6)

# The internal host: an sshd with Debian's PAM stack but not the module (a
# PAM service of its own: its program name), accepting a second key that
# only the user's own agent holds.
ln -s /usr/sbin/sshd "$WORK/$LL_TAG-internal"
svc_stack sshd >"$WORK/pam.internal" && pam_service "$LL_TAG-internal" <"$WORK/pam.internal" || exit 1
ssh-keygen -q -t ed25519 -N '' -f "$WORK/tkey" -C "$LL_TAG-target"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/thostkey" -C "$LL_TAG-target"
install -m 0644 "$WORK/tkey.pub" "$WORK/target_keys"
cat >"$WORK/target_config" <<EOF
ListenAddress 127.0.0.1
Port $TP
HostKey $WORK/thostkey
PidFile $WORK/target.pid
UsePAM yes
StrictModes no
AuthorizedKeysFile $WORK/target_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PrintMotd no
EOF
"$WORK/$LL_TAG-internal" -D -f "$WORK/target_config" 2>>"$WORK/target.err" &
at_exit "kill $!; wait $!"
svc_listening "$TP" 10 || { cat "$WORK/target.err"; echo "FAIL: the internal sshd did not start"; exit 1; }
for p in "$OK" "$NO"; do ex_serve "$p"; done

# The user's own machine: an ssh_config with both hosts (ProxyJump passes
# -F on to the ssh it starts for the jump) and an agent holding the key of
# the internal host.
cat >"$WORK/ssh_config" <<EOF
Host bastion
  HostName 127.0.0.1
  Port $SSHD_PORT
  User $B
  IdentityFile $WORK/id
Host internal
  HostName 127.0.0.1
  Port $TP
  User $B
  IdentityFile $WORK/tkey
Host *
  IdentitiesOnly yes
  BatchMode yes
  UserKnownHostsFile $WORK/known_hosts
  StrictHostKeyChecking accept-new
  LogLevel ERROR
  ConnectTimeout 10
EOF
C=(ssh -F "$WORK/ssh_config")
ssh-agent -D -a "$WORK/agent.sock" >/dev/null 2>&1 &
at_exit "kill $!"
for i in $(seq 50); do [ -S "$WORK/agent.sock" ] && break; sleep 0.1; done
SSH_AUTH_SOCK="$WORK/agent.sock" ssh-add -q "$WORK/tkey" || { echo "FAIL: ssh-add"; exit 1; }

svc_mark
log "ProxyJump and -W"
out=$("${C[@]}" -J bastion internal 'echo INTERNAL-$((6*7))' 2>&1)
check "ssh -J bastion internal: the command ran on the internal host" grep -qx INTERNAL-42 <<<"$out"
check "the bastion confined the jump session with profile jump" ex_confined "$B" jump default
check "ssh -W to the internal sshd: its banner comes back" \
	bash -c '"$@" </dev/null 2>/dev/null | head -c 200 | grep -q "^SSH-2.0-"' _ "${C[@]}" -W "127.0.0.1:$TP" bastion
fetch_w() { timeout 10 "${C[@]}" -W "127.0.0.1:$1" bastion </dev/null 2>/dev/null | grep -q "hello-$1"; }
check "ssh -W to the allowed internal service ($OK)" fetch_w "$OK"
check "ssh -W to a port the policy does not list ($NO) gets nothing" refute fetch_w "$NO"
check "audit: net.connect_tcp to $NO by the user's session (sshd's confined child)" \
	svc_events_wait "kind=access .*blockers=net.connect_tcp obj=daddr=127.0.0.1,dest=$NO .* uid=$UID_B .*exe=/usr/sbin/sshd " 5

log "ssh -R: no listening port"
svc_mark
timeout 20 "${C[@]}" -N -o ExitOnForwardFailure=yes -R "127.0.0.1:$RP:127.0.0.1:$OK" bastion >"$WORK/r.out" 2>&1
check "ssh -R fails (exit 255)" test "$?" = 255
check "nothing listens on $RP" test -z "$(ss -Htln "sport = :$RP")"
check "audit: net.bind_tcp of $RP by the user's session" \
	svc_events_wait "kind=access .*blockers=net.bind_tcp obj=saddr=127.0.0.1,src=$RP .* uid=$UID_B " 5

log "agent forwarding: ssh onward from the bastion's shell"
svc_mark
SSH_AUTH_SOCK="$WORK/agent.sock" "${C[@]}" -A bastion "echo SOCK=\$SSH_AUTH_SOCK
ssh-add -l | sed 's/^/KEY: /'
ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o LogLevel=ERROR -p $TP 127.0.0.1 'echo ONWARD-\$((6*7))'
test -s ~/.ssh/known_hosts && echo KNOWN-HOSTS-WRITTEN" >"$WORK/agent.out" 2>&1
sock=$(sed -n 's/^SOCK=//p' "$WORK/agent.out")
check "the session has sshd's forwarded agent socket in /tmp/ssh-* ($sock)" \
	grep -qE '^/tmp/ssh-[A-Za-z0-9]{10}/agent\.[0-9]+$' <<<"$sock"
check "the session's ssh-add lists the key of the user's own agent" grep -q "^KEY: .*$LL_TAG-target" "$WORK/agent.out"
check "ssh onward with the forwarded agent ran the command on the internal host" grep -qx ONWARD-42 "$WORK/agent.out"
check "the session's ssh wrote ~/.ssh/known_hosts in the home" grep -qx KNOWN-HOSTS-WRITTEN "$WORK/agent.out"
gone() { local i; for i in $(seq 50); do [ ! -e "$1" ] && return 0; sleep 0.1; done; return 1; }
check "sshd removed the agent socket's directory at logout (from the confined session)" gone "${sock%/*}"
check "no Landlock denial in the agent-forwarding session" test "$(svc_events | grep -ac "kind=access .* uid=$UID_B ")" = 0
[ "$FAILS" = 0 ] || sed 's/^/# agent: /' "$WORK/agent.out"

log "the shell: what works and what is denied"
cp /usr/bin/id "$HOME_B/myid" && chown "$B:" "$HOME_B/myid"
svc_mark
"${C[@]}" bastion "echo \"home: \$($P create ~/probe-file)\"
echo \"allowed: \$($P connect $OK)\"
echo \"notlisted: \$($P connect $NO)\"
echo \"listen: \$($P listen)\"
echo \"tmp: \$($P create /tmp/$LL_TAG-file)\"
echo \"vartmp: \$($P create $DENY_DIR/$LL_TAG-file)\"
echo \"memfd: \$($P memfd-exec)\"
~/myid >/dev/null 2>&1; echo \"homeexec: \$([ \$? = 126 ] && echo EACCES || echo ok) pid=0\"
echo \"system: \$(id -un) pid=0\"" >"$WORK/shell.out" 2>&1
check "a program from the system directories runs" grep -qx "system: $B pid=0" "$WORK/shell.out"
check "a file in the home can be written" ex_ok "$WORK/shell.out" home
check "connect to the allowed port $OK" ex_ok "$WORK/shell.out" allowed
check "connect to $NO: denied, net.connect_tcp" ex_denial "$WORK/shell.out" notlisted "$B" net.connect_tcp "daddr=127.0.0.1,dest=$NO"
check "listen: denied, net.bind_tcp" ex_denial "$WORK/shell.out" listen "$B" net.bind_tcp "saddr=127.0.0.1"
check "a file in /tmp: denied, fs.make_reg" ex_denial "$WORK/shell.out" tmp "$B" fs.make_reg "path=/tmp,"
check "a file in $DENY_DIR: denied, fs.make_reg" ex_denial "$WORK/shell.out" vartmp "$B" fs.make_reg "path=$DENY_DIR,"
check "a program run from a memfd: EACCES (second layer, fd_exec)" test "$(ex_answer "$WORK/shell.out" memfd)" = EACCES
check "a program copied to the home does not run (exit 126)" test "$(ex_answer "$WORK/shell.out" homeexec)" = EACCES
check "audit: fs.execute on ~/myid" \
	svc_events_wait "kind=access .*blockers=fs.execute obj=path=$HOME_B/myid,.* uid=$UID_B " 5
check "control: outside any session the memfd program runs" bash -c '"$1" memfd-exec | grep -q "^ok "' _ "$P"
[ "$FAILS" = 0 ] || sed 's/^/# shell: /' "$WORK/shell.out"
log "ran in $(($(date +%s) - T0)) s"
finish
