#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/homes.sh - rules whose path comes from a variable must not open
# the system (issue 9, item 6).  Service accounts often have "/" or "/var" as
# home; the shipped shell profile grants ${HOME} read_write_exec, which would
# then make everything Unix permissions allow writable (on "/"), or widen
# /var/lib, which the profile grants only read.  Real "su -l" sessions under
# the shipped policy, for accounts made for the test (useradd -M: no home is
# created, and userdel without -r removes nothing but the account).
#
# Checks: home "/", home "/var", and a home that is a symlink to "/": the
# session is refused, with the user, the rule's line and the expanded path
# in syslog; "landlockctl check" warns for each of these users and
# "landlockctl explain USER" gives the same verdict (exit 1).  A home of its
# own under /srv is confined as usual.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init su unshare mount useradd userdel
CTL="$top_builddir/tools/landlockctl"
[ -x "$CTL" ] || prereq_missing "landlockctl not built at $CTL"
HLINE=$(grep -n 'path = "${HOME}"; access = "read_write_exec";' "$POLICY" | head -1 | cut -d: -f1)
VLINE=$(grep -n 'path = "/var/lib";' "$POLICY" | head -1 | cut -d: -f1)
[ -n "$HLINE" ] && [ -n "$VLINE" ] || { echo "FAIL: the shipped policy changed (\${HOME} rwx, /var/lib); update this test"; exit 1; }

# account SUFFIX HOME: a user whose home is HOME (not created, never removed).
account() {
	local name="${LL_TAG}$1"
	useradd -M -N -d "$2" -s /bin/bash "$name" || { echo "FAIL: useradd $name"; exit 1; }
	at_exit "userdel '$name'"
	echo "$name"
}
ln -s / "$WORK/rootlink"
install -d -m 0755 "/srv/$LL_TAG-home"
at_exit "rm -rf '/srv/$LL_TAG-home'"
HR=$(account r /)
HV=$(account v /var)
HL=$(account l "$WORK/rootlink")
HS=$(account s "/srv/$LL_TAG-home")
chown "$HS" "/srv/$LL_TAG-home"
"$CTL" -c "$POLICY" check >"$WORK/check.out" 2>&1

# refused USER HOME WHAT HINT: su -l refused with POLICY:HLINE: WHAT; HINT in
# syslog; landlockctl check and explain say so.
refused() {
	local user=$1 home=$2 what=$3 hint=$4
	svc_mark
	svc_su "$user" "$POLICY" -l "$user" -c "$(svc_suprobe)"
	check "$user (home $home): no shell" refute grep -q "TOUCH=" "$WORK/$user.txt"
	check "$user: su failed" refute grep -q "SVC-EXIT=0$" "$WORK/$user.txt"
	check "$user: syslog names the user, the rule line and the expanded path" \
		syslog_wait "session refused for $user: $POLICY:$HLINE: $what; $hint" 5
	check "$user: landlockctl check warns" \
		grep -qF "$POLICY:$HLINE: warning: user '$user' (home $home): their sessions are refused: $what" "$WORK/check.out"
	"$CTL" -c "$POLICY" explain "$user" >"$WORK/$user.explain" 2>&1
	check "$user: landlockctl explain: exit 1" test $? = 1
	check "$user: landlockctl explain gives the verdict" \
		grep -qF "Verdict: session refused: $POLICY:$HLINE: $what; $hint" "$WORK/$user.explain"
}
RIGHTS_ALL="execute,write_file,remove_dir,remove_file,make_dir,make_reg,make_sock,make_fifo,make_sym,refer,truncate"
refused "$HR" / \
	"'\${HOME}' is '/' for user $HR: the rule would open the system, granting $RIGHTS_ALL on the whole filesystem" \
	"give the account a real home directory, or match it to a profile without this rule"
refused "$HV" /var \
	"'\${HOME}' is '/var' for user $HV, which holds '/var/lib' (line $VLINE): the rule would open the system, granting execute,write_file,remove_dir,remove_file,make_dir,make_reg,make_sock,make_fifo,make_sym,refer,truncate there too" \
	"give the account a home directory of its own, or match it to a profile without this rule"
refused "$HL" "$WORK/rootlink" \
	"'\${HOME}' is '/' for user $HL: the rule would open the system, granting $RIGHTS_ALL on the whole filesystem" \
	"give the account a real home directory, or match it to a profile without this rule"

log "a home of its own"
svc_mark
svc_su srv "$POLICY" -l "$HS" -c "$(svc_suprobe)"
check "$HS (home /srv/$LL_TAG-home): confined, the write to $DENY_DIR denied" grep -q "TOUCH=1" "$WORK/srv.txt"
check "$HS: executes in its home (shell profile)" grep -q "HOMEEXEC=0" "$WORK/srv.txt"
check "$HS: landlockctl check has nothing to say about it" refute grep -q "'$HS'" "$WORK/check.out"
finish
