#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tools/demo.sh - the Quick start's main job, on a fresh Debian 12 machine,
# as root: install the dependencies, build, open a real confined login
# session (su -l) for a throwaway demo user on the shipped default policy,
# trigger a few denials inside it, and print what pam_landlock logged and
# aulandlock's per-user summary of the denials.
#
# Nothing on the system is changed for good: su's PAM stack is replaced
# only inside a private mount namespace, the demo user, the audit daemon
# (when the demo had to start one) and the syslog catcher are removed at
# the end.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
[ "$(id -u)" = 0 ] || { echo "demo: run as root (it creates a user and a PAM service)" >&2; exit 1; }

echo "== installing dependencies and building"
bash tests/install-deps.sh || exit 1
build=$top/_build
mkdir -p "$build"
( autoreconf -fi && cd "$build" && "$top/configure" --sysconfdir=/etc && make -j"$(nproc)" ) \
	>"$top/demo-build.log" 2>&1 || { tail -30 "$top/demo-build.log"; echo "demo: build failed (full log: demo-build.log)"; exit 1; }
export top_srcdir=$top top_builddir=$build
CI=${CI:-}
. tests/e2e/lib.sh
need_module
workdir
audit_start
syslog_start

user=$(user_add demo) || exit 1
policy=$(install_policy)
echo "== demo user: $user; policy: $policy (copy of conf/landlock.conf)"

# su -l's own stack, with pam_landlock last in the session stack.
{
	cat /etc/pam.d/su-l
	echo "session required $MODULE conf=$policy"
} >"$WORK/su-l"

# A process of the same user outside the session, to show signal scoping.
setpriv --reuid="$user" --regid="$user" --init-groups sleep 60 &
outside=$!
at_exit "kill $outside"
# A TCP listener on a port the profile does not allow.
port=$((20000 + $$ % 20000))
socat TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork - >/dev/null 2>&1 &
listener=$!
at_exit "kill $listener"
sleep 0.3

echo "== inside the confined session (su -l $user):"
audit_mark
unshare -m --propagation private bash -c '
	mount --bind "$1" /etc/pam.d/su-l || exit 1
	su -l "$2" -s /bin/bash -c "
		echo \"  \$ echo hello > ~/note           \"; echo hello > ~/note && echo \"    ok: home is writable\"
		echo \"  \$ touch /var/tmp/demo-\$\$      \"; touch /var/tmp/demo-\$\$ 2>&1 | sed \"s/^/    /\"
		echo \"  \$ ls /home                      \"; ls /home 2>&1 | sed \"s/^/    /\"
		echo \"  \$ connect to 127.0.0.1:$3       \"; (exec 3<>/dev/tcp/127.0.0.1/$3) 2>&1 | sed \"s/^/    /\"
		echo \"  \$ kill -TERM $4 (same user, outside)\"; kill -TERM $4 2>&1 | sed \"s/^/    /\"
	"
' demo "$WORK/su-l" "$user" "$port" "$outside"

echo
echo "== syslog (pam_landlock):"
syslog_wait "confined user=$user" 5 || true
syslog_new | grep -a 'pam_landlock' | sed 's/^<[0-9]*>//; s/^/  /'
audit_wait 'status=deallocated' 5 || true
sleep 1
audit_new >"$WORK/session.log"
echo
echo "== pam_landlock's audit record (type TRUSTED_APP, sent by the confined process):"
grep -a "op=pam_landlock-enforce acct=\"$user\"" "$WORK/session.log" | cut -c1-400 | sed 's/^/  /'
echo
if [ -x "$build/tools/aulandlock" ]; then
	echo "== aulandlock --denials --user $user (every logged denial):"
	"$build/tools/aulandlock" -if "$WORK/session.log" --denials --user "$user" || exit 1
	echo
	echo "== aulandlock --user $user (per-user summary):"
	"$build/tools/aulandlock" -if "$WORK/session.log" --user "$user"
	rc=$?
	echo
	echo "== aulandlock --suggest $user (policy lines that would allow them):"
	"$build/tools/aulandlock" -if "$WORK/session.log" --suggest "$user" || rc=1
	exit $rc
else
	echo "demo: the reporter (tools/aulandlock) is not built yet" >&2
	exit 1
fi
