# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/examples-lib.sh - what the workload tests of the example policies
# (tests/e2e/ex-*.sh) share: a copy of an example with the test's ports and
# names put in, one real sshd per test (Debian's /etc/pam.d/sshd plus
# conf/pam.d/sshd, on a free loopback port, IPv4 and IPv6), test users who
# log in with a key, and assertions on what a session was given (its syslog
# line) and what it was denied (its audit events).
#
# Sourced after lib.sh and svc-lib.sh, after svc_init.  Everything it
# creates is registered with at_exit.

EXAMPLES="$top_srcdir/conf/examples"
PROBE="$top_builddir/tests/e2e/probe"
# The probe where every profile may run it (beneath /usr), under a unique
# name, removed at exit; inside sessions: "$P create PATH" and so on.
P="/usr/local/bin/$LL_TAG-probe"

# ex_init CMDS...: svc_init (prerequisites, audit, syslog), the client's
# key ($WORK/id) and the probe at $P.
ex_init() {
	svc_init "$@"
	[ -x "$PROBE" ] || prereq_missing "probe not built at $PROBE (make check builds it)"
	[ -d /usr/local/bin ] || prereq_missing "/usr/local/bin does not exist"
	install -m 0755 "$PROBE" "$P" && at_exit "rm -f '$P'" || exit 1
	ssh-keygen -q -t ed25519 -N '' -f "$WORK/id" -C "$LL_TAG-client"
}

# ex_policy NAME SED-SCRIPT: conf/examples/NAME.conf edited by sed -e
# SED-SCRIPT (may be empty) as a root-owned copy; prints its path.
ex_policy() {
	local f="$WORK/$1.conf"
	sed -e "${2:-}" "$EXAMPLES/$1.conf" >"$WORK/tmp.conf" && install -m 0644 "$WORK/tmp.conf" "$f" && echo "$f"
}
# ex_has FILE TEXT...: every TEXT (fixed string) is in FILE, else the test
# stops: the example changed under the test's edits.
ex_has() {
	local f=$1 t
	shift
	for t in "$@"; do
		grep -qF -- "$t" "$f" || { echo "FAIL: '$t' not in $f: the example changed; update the test"; exit 1; }
	done
}

# ex_user SUFFIX [useradd options]: a test user ("$LL_TAG"SUFFIX) who logs in
# with the client's key; prints the name.
ex_user() {
	local name home
	name=$(user_add "$@") || return 1
	home=$(getent passwd "$name" | cut -d: -f6)
	install -d -m 0700 -o "$name" -g "$name" "$home/.ssh" &&
		install -m 0600 -o "$name" -g "$name" "$WORK/id.pub" "$home/.ssh/authorized_keys" || return 1
	echo "$name"
}

# ex_sshd POLICY: an sshd on 127.0.0.1 and ::1, port
# SSHD_PORT, PAM service SVC ("$LL_TAG-sshd": sshd takes it from its program
# name) with the shipped snippet and conf=POLICY; key authentication only;
# stopped at exit by pid.  Sets SSH (the client, for "ssh USER@HOST CMD")
# and SSHO (its options without the port, for scp, sftp, rsync and git).
ex_sshd() {
	local policy=$1 pid
	SVC="$LL_TAG-sshd"
	ln -s /usr/sbin/sshd "$WORK/$SVC"
	svc_stack sshd sshd "$policy" >"$WORK/pam.sshd" && pam_service "$SVC" <"$WORK/pam.sshd" || exit 1
	[ -d /run/sshd ] || { mkdir -m 0755 /run/sshd && at_exit "rmdir /run/sshd"; }
	ssh-keygen -q -t ed25519 -N '' -f "$WORK/hostkey" -C "$SVC"
	read -r SSHD_PORT < <(svc_ports 1)
	cat >"$WORK/sshd_config" <<EOF
ListenAddress 127.0.0.1
ListenAddress ::1
Port $SSHD_PORT
HostKey $WORK/hostkey
PidFile $WORK/sshd.pid
UsePAM yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowTcpForwarding yes
AllowAgentForwarding yes
PrintMotd no
LogLevel VERBOSE
MaxStartups 50
Subsystem sftp internal-sftp
EOF
	"$WORK/$SVC" -D -f "$WORK/sshd_config" 2>>"$WORK/sshd.err" &
	pid=$!
	at_exit "kill $pid; wait $pid"
	svc_listening "$SSHD_PORT" 10 || { cat "$WORK/sshd.err"; echo "FAIL: sshd did not start"; exit 1; }
	SSHO=(-F /dev/null -i "$WORK/id" -o IdentitiesOnly=yes -o BatchMode=yes
		-o UserKnownHostsFile="$WORK/known_hosts" -o StrictHostKeyChecking=accept-new
		-o LogLevel=ERROR -o ConnectTimeout=10)
	SSH=(ssh "${SSHO[@]}" -p "$SSHD_PORT")
}
# ex_confined USER PROFILE [CLASS]: the session's syslog line says USER was
# confined with PROFILE (and, with CLASS, by an entry of that class).
ex_confined() {
	syslog_wait "pam_landlock($SVC:session): confined user=$1 service=$SVC profile=$2 match=[^ ]*(${3:-[a-z+]*}) " 5
}

# A session prints the probe's answers as "LABEL: ANSWER pid=N" lines:
#   echo "vartmp: $($P create /var/tmp/x)"
# ex_answer FILE LABEL: the ANSWER (ok, EACCES, ...).
ex_answer() { sed -n "s/^$2: \([A-Za-z0-9]*\) pid=[0-9]*\$/\1/p" "$1" | head -1; }
# ex_ok FILE LABEL: the probe was allowed.
ex_ok() {
	[ "$(ex_answer "$1" "$2")" = ok ] && return 0
	log "$2: $(grep -a "^$2: " "$1" || echo "no answer in $1")"
	return 1
}
# ex_denial FILE LABEL USER BLOCKERS OBJECT: the probe got EACCES, and audit
# has the denial of that process, as USER, with BLOCKERS and an object that
# starts with OBJECT (an ERE on svc_events' obj=, e.g. "path=/var/tmp,").
ex_denial() {
	local f=$1 l=$2 uid pid
	uid=$(id -u "$3")
	pid=$(sed -n "s/^$l: [A-Za-z0-9]* pid=\([0-9]*\)\$/\1/p" "$f" | head -1)
	if [ "$(ex_answer "$f" "$l")" != EACCES ]; then
		log "$l: $(grep -a "^$l: " "$f" || echo "no answer in $f")"
		return 1
	fi
	svc_events_wait "kind=access .*blockers=$4 obj=$5[^ ]* pid=$pid .* uid=$uid " 5 && return 0
	log "$l: no $4 denial of $5 by pid $pid uid $uid; its events:"
	svc_events | grep -a " pid=$pid " | sed 's/^/#   /'
	return 1
}

# ex_serve PORT: a TCP service on 127.0.0.1:PORT that answers "hello-PORT"
# (an internal host's service); stopped at exit.
ex_serve() {
	socat "TCP-LISTEN:$1,bind=127.0.0.1,reuseaddr,fork" "SYSTEM:echo hello-$1" &
	at_exit "kill $!"
	svc_listening "$1" || { echo "FAIL: socat on $1"; exit 1; }
}
