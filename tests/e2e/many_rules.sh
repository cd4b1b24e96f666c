#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/many_rules.sh - a profile with more rules than the process has
# free file descriptors still opens a session (issue 9, item 9): each rule's
# path is added to the ruleset and its descriptor closed at once.  A real
# "su -l" session (a known supervisor: the domain is built in su, enforced
# in the forked child) under "ulimit -n 1024" and "ulimit -n 64", with the
# shipped policy plus 1,100 read-only rules in the shell profile.
#
# Checks, for both limits: the session is confined (the write to /var/tmp is
# denied), the first and the last of the 1,100 directories can be listed
# (their rules are in the ruleset) and a directory next to them without a
# rule cannot (fs.read_dir in audit); the confined line names the profile.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init su unshare mount
N=1100
# Outside every path of the shipped profiles (not under /tmp, as $WORK is).
R="$DENY_DIR/$LL_TAG-rules"
mkdir -m 0755 "$R" "$R/norule" || exit 1
at_exit "rm -rf '$R'"
(cd "$R" && seq -f "d%04g" 1 "$N" | xargs mkdir -m 0755)
seq -f "      { path = \"$R/d%04g\"; access = \"read_only\"; }," 1 "$N" >"$WORK/rules.lines"
awk -v rules="$WORK/rules.lines" '
	{ print }
	/^  shell = \{$/ { inshell = 1 }
	inshell && /^    filesystem = \($/ { while ((getline l < rules) > 0) print l; inshell = 0 }' \
	"$POLICY" >"$WORK/tmp.conf"
MANY="$WORK/many.conf"
install -m 0644 "$WORK/tmp.conf" "$MANY"
got=$(grep -c "path = \"$R/d" "$MANY")
[ "$got" = "$N" ] || { echo "FAIL: $got of $N rules in the policy; the shipped shell profile changed"; exit 1; }
last=$(printf 'd%04d' "$N")
PROBE="echo SH=\$\$ NOFILE=\$(ulimit -n); touch $DENY_DIR/$LL_TAG-\$\$; echo TOUCH=\$?; ls $R/d0001 >/dev/null; echo FIRST=\$?; ls $R/$last >/dev/null; echo LAST=\$?; ls $R/norule >/dev/null 2>&1; echo NORULE=\$?"

for limit in 1024 64; do
	log "$N rules under ulimit -n $limit"
	svc_mark
	SVC_PRE="ulimit -n $limit || exit 99;" svc_su "fd$limit" "$MANY" -l "$U" -c "$PROBE"
	t="$WORK/fd$limit.txt"
	check "ulimit -n $limit: the session ran with that limit" grep -q "NOFILE=$limit" "$t"
	check "ulimit -n $limit: confined (the write to $DENY_DIR denied)" grep -q "TOUCH=1" "$t"
	check "ulimit -n $limit: the first rule's directory can be listed" grep -q "FIRST=0" "$t"
	check "ulimit -n $limit: the last rule's directory can be listed" grep -q "LAST=0" "$t"
	check "ulimit -n $limit: a directory without a rule cannot" grep -q "NORULE=2" "$t"
	check "ulimit -n $limit: the confined line names the shell profile" \
		grep -q " profile=shell match=$MANY:" <<<"$(svc_confined_line su-l)"
	check "ulimit -n $limit: fs.read_dir on the directory without a rule, in audit" \
		svc_events_wait "kind=access .*blockers=fs.read_dir obj=path=$R/norule," 5
done
finish
