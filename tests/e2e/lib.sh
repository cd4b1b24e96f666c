# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/lib.sh - shared fixtures for the end-to-end tests.
#
# Sourced by every tests/e2e/*.sh.  Everything a test changes on the system
# (users, /etc/pam.d files, an auditd, a syslog catcher, sshd) has a unique
# name, is registered with at_exit, and is undone when the test exits; only
# processes the test started are stopped, by pid.
#
# Exit codes follow automake: 0 pass, 1 fail, 77 skip.  When CI=true a
# missing prerequisite is a failure, never a skip.

set -u
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir

LL_TAG="llt$$"
MODULE="$top_builddir/pam_landlock/.libs/pam_landlock.so"
# Cleanups are kept in a file, so that at_exit works from command
# substitutions and other subshells too (NAME=$(user_add x)).
_AT_EXIT_FILE=$(mktemp "/tmp/pam_landlock-$LL_TAG.atexit.XXXXXX")
_AT_EXIT_OWNER=$BASHPID
FAILS=0

at_exit() { printf '%s\n' "$*" >>"$_AT_EXIT_FILE"; }
_run_at_exit() {
	[ "$BASHPID" = "$_AT_EXIT_OWNER" ] || return 0
	local cmd
	while IFS= read -r cmd; do
		eval "$cmd" >/dev/null 2>&1 || true
	done < <(tac "$_AT_EXIT_FILE")
	rm -f "$_AT_EXIT_FILE"
}
trap _run_at_exit EXIT
trap 'exit 1' INT TERM

# One system-changing test at a time, even under "make -j check": they share
# the audit daemon registration and /dev/log.
exec 9>/tmp/pam_landlock-e2e.lock
flock 9

log() { printf '# %s\n' "$*"; }

# A missing prerequisite: fail under CI, skip (saying why) elsewhere.
prereq_missing() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: missing prerequisite under CI=true: $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}

need_root() { [ "$(id -u)" = 0 ] || prereq_missing "needs root (end-to-end tests change users, PAM and audit)"; }
need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || prereq_missing "command '$c' not found (apt-get install the package that has it)"
	done
}
need_module() { [ -f "$MODULE" ] || prereq_missing "module not built at $MODULE (run make)"; }
need_landlock_abi() {
	local want=$1 have
	have=$("$top_builddir/tests/e2e/ll-abi" 2>/dev/null || echo 0)
	[ "$have" -ge "$want" ] || prereq_missing "kernel Landlock ABI $have < $want"
}

ok() { printf 'ok - %s\n' "$*"; }
not_ok() { printf 'not ok - %s\n' "$*"; FAILS=$((FAILS + 1)); }
refute() { ! "$@"; } # refute command...: succeeds when the command fails
check() { # check "description" command...
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}
finish() {
	if [ "$FAILS" -gt 0 ]; then
		echo "FAIL: $FAILS check(s) failed"
		exit 1
	fi
	echo "PASS"
	exit 0
}

workdir() {
	WORK=$(mktemp -d "/tmp/pam_landlock-$LL_TAG.XXXXXX")
	chmod 755 "$WORK"
	at_exit "rm -rf '$WORK'"
	# The compiled forms the module makes of policies under $WORK (they
	# name their policy; pam_landlock/policycache.h).
	at_exit "grep -l -a -F -- '$WORK/' /run/pam_landlock/*.policy 2>/dev/null | xargs -r rm -f"
}

# ---- users ---------------------------------------------------------------
# user_add SUFFIX [useradd options]: creates "$LL_TAG$SUFFIX" with a home;
# prints the name.
user_add() {
	local name="${LL_TAG}$1"
	shift
	useradd -m -s /bin/bash "$@" "$name" || return 1
	at_exit "userdel -r -f '$name'"
	echo "$name"
}
# probe_user SUFFIX: a test user (user_add SUFFIX; name in U, uid in UID_U)
# with a copy of the probe ($PROBE) in their home, and DENIED, a directory
# in /var/tmp that only they may write: Unix permissions allow it there,
# the shipped policy does not.
probe_user() {
	U=$(user_add "$1") || return 1
	UID_U=$(id -u "$U")
	install -o "$U" -g "$U" -m 0755 "$PROBE" "$(getent passwd "$U" | cut -d: -f6)/probe" || return 1
	DENIED="/var/tmp/$LL_TAG-$1"
	install -d -o "$U" -g "$U" -m 0700 "$DENIED" || return 1
	at_exit "rm -rf '$DENIED'"
}
# probe_listen: a TCP listener on loopback outside any session ($PROBE
# listen, stopped at exit), on a free high port; sets LPORT and LPID.
probe_listen() {
	"$PROBE" listen >"$WORK/listen.out" &
	LPID=$!
	at_exit "kill $LPID"
	local i
	for i in $(seq 50); do grep -q '^port=' "$WORK/listen.out" && break; sleep 0.1; done
	LPORT=$(sed -n 's/^port=//p' "$WORK/listen.out")
	[ -n "$LPORT" ]
}
group_add() {
	local name="${LL_TAG}$1"
	groupadd "$name" || return 1
	at_exit "groupdel '$name'"
	echo "$name"
}

# ---- PAM -----------------------------------------------------------------
# pam_service NAME < content: installs /etc/pam.d/NAME (must not exist).
pam_service() {
	local f="/etc/pam.d/$1"
	[ ! -e "$f" ] || { echo "refusing to overwrite $f"; return 1; }
	cat >"$f"
	at_exit "rm -f '$f'"
}
# install_policy [FILE]: the shipped default policy (or FILE) as a
# root-owned copy; prints its path.
install_policy() {
	local src=${1:-$top_srcdir/conf/landlock.conf}
	local dst="$WORK/landlock.conf"
	install -o root -g root -m 0644 "$src" "$dst" && echo "$dst"
}

# ---- audit ---------------------------------------------------------------
# audit_conf DIR: a private auditd.conf in DIR made from the system's: log
# DIR/audit.log (ENRICHED, flushed at once), plugins from DIR/plugins.d
# (created empty), no disk-space action that could suspend logging.
# audit_conf_set DIR KEY VALUE then sets (or adds) one key.
audit_conf() {
	local dir=$1
	mkdir -p "$dir/plugins.d" || return 1
	sed -e "s|^log_file *=.*|log_file = $dir/audit.log|" \
	    -e "s|^log_format *=.*|log_format = ENRICHED|" \
	    -e "s|^flush *=.*|flush = INCREMENTAL_ASYNC|" \
	    -e "s|^freq *=.*|freq = 1|" \
	    -e "s|^space_left *=.*|space_left = 2|" \
	    -e "s|^space_left_action *=.*|space_left_action = SYSLOG|" \
	    -e "s|^admin_space_left_action *=.*|admin_space_left_action = SYSLOG|" \
	    -e "s|^admin_space_left *=.*|admin_space_left = 1|" \
	    -e "s|^plugin_dir *=.*|plugin_dir = $dir/plugins.d|" \
	    /etc/audit/auditd.conf >"$dir/auditd.conf" || return 1
	chmod 0640 "$dir/auditd.conf"
}
audit_conf_set() {
	local f="$1/auditd.conf"
	if grep -q "^ *$2 *=" "$f"; then
		sed -i "s|^ *$2 *=.*|$2 = $3|" "$f"
	else
		echo "$2 = $3" >>"$f"
	fi
}
# audit_registered: the pid of the audit daemon registered with the kernel
# (empty when none, or when it is gone).
audit_registered() {
	local pid
	pid=$(auditctl -s | awk '$1 == "pid" { print $2 }')
	[ -n "$pid" ] && [ "$pid" != 0 ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}
# audit_start: uses the registered audit daemon if there is one, else starts
# our own (auditd -n) on a private log, stopped at exit by pid.  Sets
# AUDIT_LOG.  Enables auditing and restores the previous state at exit.
audit_start() {
	need_cmd auditd auditctl
	local pid enabled
	enabled=$(audit_enabled)
	pid=$(audit_registered)
	if [ -n "$pid" ]; then
		AUDIT_LOG=$(awk -F= '$1 ~ /^ *log_file *$/ { gsub(/ /, "", $2); print $2 }' /etc/audit/auditd.conf)
		: "${AUDIT_LOG:=/var/log/audit/audit.log}"
		log "using the running audit daemon (pid $pid), log $AUDIT_LOG"
	else
		audit_conf "$WORK/audit" || prereq_missing "cannot write a private auditd.conf from /etc/audit/auditd.conf"
		auditd -n -c "$WORK/audit" >"$WORK/audit/auditd.out" 2>&1 &
		local apid=$!
		at_exit "kill $apid; wait $apid"
		audit_wait_registered "$apid" || { cat "$WORK/audit/auditd.out"; prereq_missing "could not start auditd"; }
		AUDIT_LOG="$WORK/audit/audit.log"
		log "started auditd (pid $apid), log $AUDIT_LOG"
	fi
	audit_kernel_setup "$enabled"
	export AUDIT_LOG
	audit_mark
}
# audit_wait_registered PID: waits (5 s) until PID is the registered daemon.
audit_wait_registered() {
	local i
	for i in $(seq 50); do
		[ "$(audit_registered)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}
# audit_enabled: the kernel's audit enabled flag (0, 1, 2).
audit_enabled() { auditctl -s | awk '$1 == "enabled" { print $2 }'; }
# audit_kernel_setup ENABLED: auditing on and a backlog for bursts, both
# restored at exit (ENABLED: the flag before our daemon started, which
# enables auditing).
audit_kernel_setup() {
	local enabled=$1 backlog
	auditctl -e 1 >/dev/null
	[ "$enabled" = 1 ] || at_exit "auditctl -e '${enabled:-0}'"
	# The kernel's default queue (64 records) overflows in a burst of
	# sessions, and Landlock's records are dropped ("lost"), not delayed.
	backlog=$(auditctl -s | awk '$1 == "backlog_limit" { print $2 }')
	if [ -n "$backlog" ] && [ "$backlog" -lt 8192 ]; then
		auditctl -b 8192 >/dev/null && at_exit "auditctl -b '$backlog'"
	fi
}
# audit_mark: later audit_new prints only what was logged after this point.
audit_mark() { AUDIT_OFF=$(stat -c %s "$AUDIT_LOG" 2>/dev/null || echo 0); }
audit_new() { tail -c +"$((AUDIT_OFF + 1))" "$AUDIT_LOG" 2>/dev/null; }
# audit_wait PATTERN [SECONDS]: waits until a new record matches.
audit_wait() {
	local i
	for i in $(seq $((${2:-10} * 10))); do
		audit_new | grep -qa -- "$1" && return 0
		sleep 0.1
	done
	return 1
}

# ---- syslog --------------------------------------------------------------
# syslog_start: captures syslog into SYSLOG_FILE.  With no /dev/log (no
# syslog daemon, as on the test machines) a catcher is started there and
# removed at exit; with a syslog daemon, /var/log/auth.log is read.
syslog_start() {
	if [ -S /dev/log ]; then
		SYSLOG_FILE=/var/log/auth.log
		SYSLOG_OFF=$(stat -c %s "$SYSLOG_FILE" 2>/dev/null || echo 0)
		log "syslog daemon present; reading $SYSLOG_FILE"
		return 0
	fi
	need_cmd socat
	SYSLOG_FILE="$WORK/syslog"
	: >"$SYSLOG_FILE"
	SYSLOG_OFF=0
	socat -u UNIX-RECV:/dev/log,unlink-early,mode=666 "OPEN:$SYSLOG_FILE,append" &
	local spid=$!
	at_exit "kill $spid; rm -f /dev/log"
	local i
	for i in $(seq 50); do [ -S /dev/log ] && break; sleep 0.05; done
}
syslog_new() { tail -c +"$((SYSLOG_OFF + 1))" "$SYSLOG_FILE" 2>/dev/null | tr '\0' '\n' | sed 's/<[0-9]*>/\n&/g'; }
syslog_wait() {
	local i
	for i in $(seq $((${2:-5} * 10))); do
		syslog_new | grep -qa -- "$1" && return 0
		sleep 0.1
	done
	return 1
}
