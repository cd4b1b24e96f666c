#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# bench/module/run.sh - what pam_landlock costs a login, through libpam
# (bench_pam), for the cases of issue 12:
#   pam_permit only, user in 50 groups        (the baseline)
#   shipped policy, user in no other group
#   shipped policy, user in 50 of 1,000 groups
#   10,000 user and 1,000 group entries, user in no other group / in 50
#   shipped policy and the large one, user in 1,000 groups
# Each with confine=children (the opener stays unconfined: sshd's case) and
# the shipped policy also with confine=opener (an unknown application).
#
# Usage (as root, in a build tree): bench/module/run.sh [ITERATIONS]
# The users and groups exist only in a private mount namespace, on a copy of
# /etc bind-mounted over the real one (a copy of the whole directory: files
# bind-mounted one by one would be unmounted by any useradd on the system,
# which replaces /etc/passwd); nothing on the system changes.  It takes the
# end-to-end tests' lock.  Not part of make check.
set -euo pipefail
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$PWD}"
N=${1:-300}
BENCH=$top_builddir/bench/module/bench_pam
MODULE=$top_builddir/pam_landlock/.libs/pam_landlock.so
[ "$(id -u)" = 0 ] || { echo "bench-module: run as root"; exit 1; }
[ -x "$BENCH" ] && [ -f "$MODULE" ] || { echo "bench-module: build first (make)"; exit 1; }

if [ "${LL_BENCH_INNER:-}" != 1 ]; then
	exec 9>/tmp/pam_landlock-e2e.lock
	flock 9
	exec unshare -m --propagation private env LL_BENCH_INNER=1 top_srcdir="$top_srcdir" \
		top_builddir="$top_builddir" bash "$0" "$@"
fi

W=$(mktemp -d /tmp/pam_landlock-bench.XXXXXX)
chmod 755 "$W"
trap 'grep -l -a -F -- "$W/" /run/pam_landlock/*.policy 2>/dev/null | xargs -r rm -f; rm -rf "$W"' EXIT
U=llbench
mkdir -p "$W/home/$U"

# The databases: 1,000 groups, the user in the first K of them.
cp -a /etc "$W/etc"
cp /etc/group "$W/group.base"
echo "$U:x:61000:61000::$W/home/$U:/bin/bash" >>"$W/etc/passwd"
echo "$U:!:19000::::::" >>"$W/etc/shadow"
chown 61000:61000 "$W/home/$U"
groups_with() { # K: the user is in the first K of 1,000 extra groups
	{
		cat "$W/group.base"
		echo "$U:x:61000:"
		for i in $(seq 1 1000); do
			if [ "$i" -le "$1" ]; then echo "llbg$i:x:$((62000 + i)):$U"; else echo "llbg$i:x:$((62000 + i)):"; fi
		done
	} >"$W/group.$1"
}
for k in 0 50 1000; do groups_with "$k"; done
mount --bind "$W/etc" /etc
use_groups() { cp "$W/group.$1" /etc/group; }
use_groups 0

# The policies: the shipped one, and one with 10,000 user entries and 1,000
# group entries (none of which names the user) before its default.
install -m 0644 "$top_srcdir/conf/landlock.conf" "$W/shipped.conf"
{
	sed -n '/^match = (/q;p' "$top_srcdir/conf/landlock.conf"
	echo "match = ("
	for i in $(seq 1 10000); do echo "  { user = \"llbu$i\"; profile = \"sftp\"; },"; done
	for i in $(seq 1 1000); do echo "  { group = \"llbx$i\"; profile = \"sftp\"; },"; done
	echo "  { default = true; profile = \"shell\"; }"
	echo ");"
} >"$W/large.conf"
chmod 0644 "$W/large.conf"

service() { # NAME LINE
	mkdir -p "$W/pam.d"
	printf 'session required %s\n' "$2" >"$W/pam.d/$1"
}
service permit "pam_permit.so"
service shipped "$MODULE conf=$W/shipped.conf confine=children"
service shipped-opener "$MODULE conf=$W/shipped.conf confine=opener"
service large "$MODULE conf=$W/large.conf confine=children"

run() { # LABEL GROUPS SERVICE [opener]
	use_groups "$2"
	printf '%-52s ' "$1"
	"$BENCH" "$W/pam.d" "$3" "$U" "$N" ${4:-}
}
echo "pam_landlock through libpam on $(uname -r), $(nproc) CPUs, $N sessions each (median of $N)"
echo "policy: shipped = conf/landlock.conf ($(wc -c <"$W/shipped.conf") bytes); large = 10,000 user + 1,000 group entries ($(wc -c <"$W/large.conf") bytes)"
run "pam_permit only, user in 50 groups" 50 permit
run "shipped policy" 0 shipped
run "shipped policy, user in 50 of 1,000 groups" 50 shipped
run "shipped policy, confine=opener (worker)" 50 shipped-opener opener
run "large policy" 0 large
run "large policy, user in 50 of 1,000 groups" 50 large
run "shipped policy, user in 1,000 groups" 1000 shipped
run "large policy, user in 1,000 groups" 1000 large

# The parts of one session, without libpam: the work open_session does
# (ll_session_prepare), and what the fork hook adds to a fork.
echo "the parts of a session (bench_session, shipped policy, no group, 2000 times):"
use_groups 0
"$top_builddir/bench/module/bench_session" "$W/shipped.conf" "$U" 2000

# The same cases with the passwd and group databases in files only: what
# the Name Service Switch's systemd source (Debian's default "files
# systemd") costs, above all for a group name the policy lists and that
# exists nowhere (the shipped policy's sftponly: every source is asked).
sed -i -E 's/^(passwd|group|shadow):.*/\1: files/' /etc/nsswitch.conf
echo "with passwd, group and shadow from files only (nsswitch.conf):"
run "shipped policy, user in 50 of 1,000 groups" 50 shipped
run "large policy, user in 50 of 1,000 groups" 50 large
run "shipped policy, user in 1,000 groups" 1000 shipped
