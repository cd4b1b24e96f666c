#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/policy_dir.sh - the directories that hold the policy (issue 9,
# item 5): whoever can write one of them can put another file in the
# policy's place, so the module checks each as sshd's StrictModes does.
# Real "su -l" sessions with conf= pointing into test directories.
#
# Checks: a policy in a directory writable by its group, by others, or
# owned by the user, or below a writable parent, or reached through a
# symlinked directory, refuses the session with "FILE: what; what to do" in
# syslog; "landlockctl check" says the same as a warning and fails with
# --strict.  The attack itself: the user, who can write the directory,
# renames a laxer root-owned policy (one that exempts them, and does so from
# a trusted directory) over the policy: the next session is refused, not
# exempt.  A root-owned sticky directory, and /tmp itself, are accepted.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init su unshare mount runuser
CTL="$top_builddir/tools/landlockctl"
[ -x "$CTL" ] || prereq_missing "landlockctl not built at $CTL"
D="$WORK/pd" # root-owned 0755, like every directory above it
mkdir -m 0755 "$D"
# A laxer policy: the shipped one with the test user exempt.
sed "s|^\(  { user = \"root\"; profile = \"unconfined\"; },\)$|\1\n  { user = \"$U\"; profile = \"unconfined\"; },|" \
	"$POLICY" >"$WORK/lax.tmp"
grep -q "user = \"$U\"; profile = \"unconfined\"" "$WORK/lax.tmp" ||
	{ echo "FAIL: the shipped policy no longer has root's entry; update this test"; exit 1; }
# place DIR [MODE [OWNER:GROUP]]: DIR (made if needed) with the shipped
# policy as DIR/landlock.conf, root-owned 0644.
place() {
	mkdir -p "$1"
	chmod "${2:-0755}" "$1"
	chown "${3:-root:root}" "$1"
	install -o root -g root -m 0644 "$POLICY" "$1/landlock.conf"
}
# session TAG CONF: one su -l session of U with conf=CONF.
session() { svc_mark; svc_su "$1" "$2" -l "$U" -c "$(svc_suprobe)"; }
confined() { grep -q "TOUCH=1" "$WORK/$1.txt" && test -n "$(svc_confined_line su-l)"; }
exempt() { grep -q "TOUCH=0" "$WORK/$1.txt"; }
no_shell() { ! grep -q "TOUCH=" "$WORK/$1.txt" && ! grep -q "SVC-EXIT=0$" "$WORK/$1.txt"; }
# refused TAG CONF WHAT HINT: no shell; syslog "session refused for U: CONF:
# WHAT; HINT"; landlockctl check warns the same and fails with --strict.
refused() {
	local tag=$1 conf=$2 what=$3 hint=$4
	session "$tag" "$conf"
	check "$tag: no shell" no_shell "$tag"
	check "$tag: syslog: $what" syslog_wait "session refused for $U: $conf: $what; $hint" 5
	"$CTL" -c "$conf" check >"$WORK/$tag.check" 2>&1
	check "$tag: landlockctl check: the same, as a warning" \
		grep -qF "$conf: warning: the module would refuse this file where it is: $what; $hint" "$WORK/$tag.check"
	"$CTL" -c "$conf" --strict check >/dev/null 2>&1
	check "$tag: landlockctl check --strict fails" test $? = 1
}

log "untrusted directories"
place "$D/gw" 0775 "root:$U"
refused gw "$D/gw/landlock.conf" \
	"directory $D/gw of the policy is writable by group or others (mode 0775): whoever can write it can put another file in the policy's place" \
	"run: chmod go-w $D/gw"
place "$D/ow" 0757
refused ow "$D/ow/landlock.conf" \
	"directory $D/ow of the policy is writable by group or others (mode 0757): whoever can write it can put another file in the policy's place" \
	"run: chmod go-w $D/ow"
place "$D/uo" 0755 "$U:$U"
refused uo "$D/uo/landlock.conf" \
	"directory $D/uo of the policy is owned by uid $UID_U, not root: its owner can put another file in the policy's place" \
	"run: chown root $D/uo"
mkdir -m 0777 "$D/pw"
place "$D/pw/sub"
refused parent "$D/pw/sub/landlock.conf" \
	"directory $D/pw of the policy is writable by group or others (mode 0777): whoever can write it can put another file in the policy's place" \
	"run: chmod go-w $D/pw"
place "$D/real"
ln -s real "$D/link"
session link "$D/link/landlock.conf"
check "link: no shell" no_shell link
check "link: syslog: a symlinked directory on the way is refused" \
	syslog_wait "session refused for $U: $D/link/landlock.conf: $D/link on the way to the policy is a symbolic link or not a directory" 5

log "the attack: the user renames a laxer root-owned file over the policy"
mkdir -m 0755 "$D/trusted"
install -o root -g root -m 0644 "$WORK/lax.tmp" "$D/trusted/landlock.conf"
session laxok "$D/trusted/landlock.conf"
check "the laxer file exempts the user where it is trusted (the write works)" exempt laxok
check "the laxer file: syslog says exempt" syslog_wait "not confined (exempt by policy): user=$U " 5
place "$D/gw" 0775 "root:$U"
install -o root -g root -m 0644 "$WORK/lax.tmp" "$D/gw/lax.conf"
runuser -u "$U" -- mv -f "$D/gw/lax.conf" "$D/gw/landlock.conf"
check "the user replaced the policy (it now exempts them)" grep -q "user = \"$U\"; profile = \"unconfined\"" "$D/gw/landlock.conf"
check "the replaced policy is still root-owned 0644" test "$(stat -c %U:%a "$D/gw/landlock.conf")" = root:644
session attack "$D/gw/landlock.conf"
check "attack: no shell, not exempt" no_shell attack
check "attack: no 'exempt' line" refute grep -q "exempt by policy" <(syslog_new)
check "attack: refused, naming the directory" \
	syslog_wait "session refused for $U: $D/gw/landlock.conf: directory $D/gw of the policy is writable by group or others" 5

log "sticky root-owned directories are accepted"
place "$D/sticky" 1777
session sticky "$D/sticky/landlock.conf"
check "sticky ($D/sticky, 1777): confined" confined sticky
"$CTL" -c "$D/sticky/landlock.conf" check >"$WORK/sticky.check" 2>&1
check "sticky: landlockctl check has no trust warning" refute grep -q "would refuse this file" "$WORK/sticky.check"
[ "$(stat -c %U:%a /tmp)" = root:1777 ] || prereq_missing "/tmp is not root-owned 1777"
TMPPOL="/tmp/$LL_TAG-landlock.conf"
install -o root -g root -m 0644 "$POLICY" "$TMPPOL"
at_exit "rm -f '$TMPPOL'"
session tmp "$TMPPOL"
check "/tmp itself: confined" confined tmp
finish
