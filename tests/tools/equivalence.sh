#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/tools/equivalence.sh - for the same user and the shipped policy, the
# domain "landlockctl run" builds and the one the module builds in a real
# session allow and deny exactly the same probe set.
#
# The probe set (ll-probe): create in home, /tmp, /var/tmp, /dev/shm; mkdir
# in home; read and write /etc/passwd; list /var/log; exec from /usr/bin and
# from /tmp; TCP connect to an allowed and a denied loopback port; TCP bind;
# UDP send; signal a process of the same user outside the session; connect
# to an abstract UNIX socket bound outside it.  Real sessions: (b) a login
# application on the real libpam (ll-session: pam_start_confdir, the module
# by absolute path, fork, setuid, exec) and (c) "runuser -l" with the system's
# runuser-l stack plus the module, bind-mounted in a private mount namespace
# (the system's file is not touched).  The same probe run unconfined (d)
# must differ, so the set can tell a sandbox from none.  The audit record
# the module sends and the one the trial sends carry the same fields.  The
# second layer too: the attack probe (tests/e2e/l2-attack) gets the same
# answers in (a), (b) and (c), and others unconfined.
. "$(dirname "$0")/lib-ctl.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"
. "$top_srcdir/tests/e2e/l2-lib.sh"

need_root
need_module
need_cmd setpriv socat unshare mount runuser ss
need_landlock_abi 6 # the probe set includes scopes (signal, abstract sockets)
[ -x "$PROBE" ] || prereq_missing "ll-probe not built at $PROBE (make check builds it)"
[ -x "$SESSION" ] || prereq_missing "ll-session not built at $SESSION (make check builds it)"
L2=$L2_PROBE
[ -x "$L2" ] || prereq_missing "l2-attack not built at $L2 (make check builds it)"
[ -f /etc/pam.d/runuser-l ] || prereq_missing "/etc/pam.d/runuser-l (util-linux's runuser)"
ABI=$("$top_builddir/tests/e2e/ll-abi")
ctl_init
audit_start
user_add e >/dev/null || { echo "FAIL: useradd"; exit 1; }
U="${LL_TAG}e"
HOME_U=/home/$U
POL=$(install_policy)
install -o "$U" -m 0755 "$PROBE" "$HOME_U/ll-probe"
install -m 0755 /usr/bin/true "$WORK/true" # in /tmp: read_write, no execute
at_exit "rm -f /var/tmp/ll-probe.* /dev/shm/ll-probe.*"

# Outside any session: a process of the user, and an abstract socket.
setpriv --reuid="$U" --regid="$U" --init-groups sleep 600 &
OPID=$!
at_exit "kill $OPID"
ABSTRACT="ll-equiv-$LL_TAG"
socat "ABSTRACT-LISTEN:$ABSTRACT,fork" OPEN:/dev/null &
SPID=$!
at_exit "kill $SPID"
for _ in $(seq 50); do
	[ "$("$PROBE" --abstract "$ABSTRACT" abstract_connect)" = "abstract_connect ok" ] && break
	sleep 0.1
done
ARGS="--tmp-exe $WORK/true --outside-pid $OPID --abstract $ABSTRACT --allowed-port 443 --denied-port 9"

# (a) the trial
audit_mark
"$CTL" -c "$POL" --service ll-equiv run "$U" -- "$HOME_U/ll-probe" $ARGS >"$WORK/a" 2>"$WORK/a.err"
check "trial: exit 0" is 0 "$?"
sed 's/^/# trial: /' "$WORK/a.err"

# (b) a real session through libpam and the module
mkdir -p "$WORK/pam.d"
echo "session required $MODULE conf=$POL" >"$WORK/pam.d/ll-equiv"
"$SESSION" "$WORK/pam.d" ll-equiv "$U" -- "$HOME_U/ll-probe" $ARGS >"$WORK/b" 2>"$WORK/b.err"
check "pam session: exit 0" is 0 "$?"
sed 's/^/# pam session: /' "$WORK/b.err"

# (c) runuser -l, its own stack with the module last
{ cat /etc/pam.d/runuser-l; echo "session required $MODULE conf=$POL"; } >"$WORK/runuser-l"
unshare -m --propagation private bash -c "
	mount --bind '$WORK/runuser-l' /etc/pam.d/runuser-l || exit 99
	runuser -l '$U' -c '$HOME_U/ll-probe $ARGS'" >"$WORK/c" 2>"$WORK/c.err"
check "runuser -l: exit 0" is 0 "$?"
sed 's/^/# runuser: /' "$WORK/c.err"

# (d) no sandbox at all
(cd "$HOME_U" && HOME=$HOME_U setpriv --reuid="$U" --regid="$U" --init-groups \
	"$HOME_U/ll-probe" $ARGS) >"$WORK/d" 2>&1

log "trial vs. pam session vs. runuser -l vs. unconfined:"
paste "$WORK/a" "$WORK/b" "$WORK/c" "$WORK/d" | awk '{ printf "#   %-20s %-13s %-13s %-13s %s\n", $1, $2, $4, $6, $8 }'

A=$(cat "$WORK/a") B=$(cat "$WORK/b") C=$(cat "$WORK/c") D=$(cat "$WORK/d")
check "the probe set has 16 answers" is 16 "$(wc -l <"$WORK/a")"
check "trial and pam session: identical answers" same "$A" "$B"
check "trial and runuser -l session: identical answers" same "$A" "$C"
check "unconfined differs (the probe set can tell)" test "$A" != "$D"

# What the shipped shell profile must allow and deny here.
expect() { check "trial: $1 $2" has "$1 $2" "$A"; }
expect home_create ok
expect home_mkdir ok
expect tmp_create ok
expect vartmp_create EACCES
expect devshm_create EACCES
expect etc_read ok
expect varlog_list EACCES
expect exec_usr ok
expect exec_tmp EACCES
expect tcp_bind EACCES
expect tcp_connect_denied EACCES
expect signal_outside EPERM
expect abstract_connect EPERM
[ "$ABI" -lt 10 ] && expect udp_send ok
check "unconfined: /var/tmp writable" has "vartmp_create ok" "$D"
check "unconfined: the outside process can be signalled" has "signal_outside ok" "$D"
check "unconfined: the abstract socket is reachable" has "abstract_connect ok" "$D"
check "unconfined: the denied port is refused by nobody but TCP" hasnt "tcp_connect_denied EACCES" "$D"

# The second layer: the attack probe (tests/e2e/l2-attack: MPTCP, SCTP, SMC,
# TCP Fast Open, io_uring, the i386 ABI, TIOCSTI/TIOCLINUX, memfd and fd
# execution, and the plain rules) in the same four places, stdin /dev/null.
# Comment lines (ports the kernel picked) are left out of the comparison.
log "second layer: the attack probe in the trial, the pam session, runuser -l, unconfined"
install -o "$U" -m 0755 "$L2" "$HOME_U/l2-attack"
l2_ports # DP: a listener outside; LP..LP+2: free
L2ARGS="--allowed-port 443 --denied-port $DP --listen-port $LP --tmp-prog $WORK/true --wdir /tmp"
l2() { grep -v '^#' "$WORK/$1"; }
"$CTL" -c "$POL" --service ll-equiv run "$U" -- "$HOME_U/l2-attack" $L2ARGS </dev/null >"$WORK/l2a" 2>/dev/null
"$SESSION" "$WORK/pam.d" ll-equiv "$U" -- "$HOME_U/l2-attack" $L2ARGS </dev/null >"$WORK/l2b" 2>/dev/null
unshare -m --propagation private bash -c "
	mount --bind '$WORK/runuser-l' /etc/pam.d/runuser-l || exit 99
	runuser -l '$U' -c '$HOME_U/l2-attack $L2ARGS'" </dev/null >"$WORK/l2c" 2>/dev/null
(cd "$HOME_U" && HOME=$HOME_U setpriv --reuid="$U" --regid="$U" --init-groups \
	"$HOME_U/l2-attack" $L2ARGS) </dev/null >"$WORK/l2d" 2>&1
paste -d'|' <(l2 l2a) <(l2 l2b) <(l2 l2c) <(l2 l2d) | awk -F'|' '{
	printf "#   %-40s", substr($1, 1, index($1, " ") - 1)
	for (i = 1; i <= 4; i++) { split($i, f, " "); printf " %-16s", f[2] == "fail" ? f[3] : f[2] }
	printf "\n" }'
L2A=$(l2 l2a) L2B=$(l2 l2b) L2C=$(l2 l2c) L2D=$(l2 l2d)
check "second layer: the probe answered every attempt ($(wc -l <<<"$L2A"))" test "$(wc -l <<<"$L2A")" -ge 70
check "second layer: trial and pam session: identical answers" same "$L2A" "$L2B"
check "second layer: trial and runuser -l session: identical answers" same "$L2A" "$L2C"
check "second layer: unconfined differs" test "$L2A" != "$L2D"
# The filter is really there in all three (not only Landlock).
for a in net.mptcp4_connect net.tcp4_fastopen_sendto uring.io_uring_setup tty.tiocsti_stdin \
	net.i386_socketcall_mptcp; do
	check "second layer: trial: $a is refused by the filter" grep -q "^$a fail E[A-Z]* step=" <<<"$L2A"
	check "second layer: unconfined: $a is not" refute grep -q "^$a fail \(EPROTONOSUPPORT\|EOPNOTSUPP\|EPERM\)" <<<"$L2D"
done

# The module's record and the trial's carry the same fields.
check "audit: module record arrives" audit_wait "op=pam_landlock-enforce acct=\"$U\" service=ll-equiv"
# syslog= is only there when the module's syslog line could not be sent (the
# trial reports on stderr): it says how logging went, not what was enforced.
fields() { audit_new | grep -a "op=$1 acct=\"$U\" service=ll-equiv" | head -1 | sed 's/.* acct=/acct=/; s/ exe=.*//; s/ syslog=[^ ]*//'; }
TRY=$(fields pam_landlock-try)
ENF=$(fields pam_landlock-enforce)
check "audit: the try record has fields" test -n "$TRY"
check "audit: trial and module records have the same fields" same "$ENF" "$TRY"

finish
