#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/doas.sh - pam_landlock under Debian's real doas (OpenDoas 6.8.2,
# package opendoas; "doas" is its transitional package).  doas opens the PAM
# session (service doas), forks the command, waits and closes the session.
# It is not one of the module's known supervisors, so doas itself is
# confined (confine=opener) and the command inherits the domain.
#
# doas reads the fixed path /etc/doas.conf, which Debian does not ship: a
# private mount namespace puts an overlay on /etc (upper layer in the test's
# directory) holding doas.conf ("permit nopass root as U") and a private
# /etc/pam.d/doas (Debian's plus our line).  Nothing outside sees either.
#
# Checks: the command runs confined (denied write, its 1423 record as the
# user, NoNewPrivs 1); the confined process, the domain's creator and the
# audit enforce record are doas itself (the command's parent), with
# confine=opener; doas still closes the session; without our line the write
# works; an unbuildable policy and 16 stacked layers run nothing.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init doas nsenter unshare mount
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
grep -qw overlay /proc/filesystems || prereq_missing "overlayfs (for a private /etc/doas.conf)"
[ -f /etc/pam.d/doas ] || prereq_missing "/etc/pam.d/doas (package opendoas)"
svc_bad_policies

mkdir -p "$WORK/etc.up" "$WORK/etc.work"
echo "permit nopass root as $U" >"$WORK/etc.up/doas.conf"
chmod 0400 "$WORK/etc.up/doas.conf"
stack() { cat /etc/pam.d/doas; [ -z "$1" ] || echo "session required $MODULE conf=$1"; }
svc_hold "mount -t overlay overlay -o 'lowerdir=/etc,upperdir=$WORK/etc.up,workdir=$WORK/etc.work' /etc || exit 1" ||
	prereq_missing "could not mount an overlay on /etc in a private namespace"

PROBE="echo SH=\$\$ SUP=\$PPID SUPCOMM=\$(cat /proc/\$PPID/comm) UID=\$(id -u) NNP=\$(awk '/^NoNewPrivs/ { print \$2 }' /proc/self/status); touch $DENY_DIR/$LL_TAG-\$\$; echo TOUCH=\$?"
# run TAG CONF [WRAPPER...]: doas -u U sh -c PROBE, with our line for CONF
# (none if empty).
run() {
	local tag=$1
	# Written through the overlay (its upper layer must not change under it).
	stack "$2" | svc_in tee /etc/pam.d/doas >/dev/null
	shift 2
	svc_mark
	svc_in "$@" doas -u "$U" /bin/sh -c "$PROBE" </dev/null >"$WORK/$tag.txt" 2>&1
	echo "SVC-EXIT=$?" >>"$WORK/$tag.txt"
}
val() { svc_vals "$1" "$WORK/$2.txt" | head -1; }

log "doas -u U: the command is confined, doas with it"
run on "$POLICY"
sh=$(val SH on) sup=$(val SUP on)
check "the command ran as the user (pid $sh, doas $sup)" grep -q "SUPCOMM=doas UID=$UID_U " "$WORK/on.txt"
check "NoNewPrivs is 1 in the command" grep -q "NNP=1" "$WORK/on.txt"
check "the write to $DENY_DIR was denied" grep -q "TOUCH=1" "$WORK/on.txt"
check "syslog: the confined process is doas ($sup), confine=opener" \
	grep -q " confine=opener pid=$sup$" <<<"$(svc_confined_line doas)"
check "doas closed the session" syslog_wait "pam_unix(doas:session): session closed for user $U" 5
e=$(svc_touch_event "$sh")
check "1423: fs.make_reg from the command, as the user" \
	test "$(ev blockers <<<"$e"):$(ev uid <<<"$e"):$(ev ppid <<<"$e")" = "fs.make_reg:$UID_U:$sh"
check "the domain's creator is doas" grep -q "kind=alloc .* domain=$(ev domain <<<"$e") pid=$sup " <(svc_events)
check "audit: enforce record from doas" grep -q "kind=enforce .* pid=$sup .*acct=$U " <(svc_events)

log "without our line the write works"
run off ""
check "off: the write to $DENY_DIR works" grep -q "TOUCH=0" "$WORK/off.txt"

log "fail closed"
run missing "$BAD_MISSING"
check "missing: the command did not run" refute grep -q "UID=" "$WORK/missing.txt"
check "missing: doas failed" refute grep -q "SVC-EXIT=0$" "$WORK/missing.txt"
check "missing: refused with file:line in syslog" svc_refused_logged "$BAD_MISSING" "$BAD_MISSING_LINE"
run e2big "$POLICY" "$SVC_HELPERS/svc-stack" 16
check "16 layers: the command did not run" refute grep -q "UID=" "$WORK/e2big.txt"
check "16 layers: doas failed" refute grep -q "SVC-EXIT=0$" "$WORK/e2big.txt"
check "16 layers: syslog says why" \
	syslog_wait "session refused for $U: landlock_restrict_self failed in the opener: Argument list too long" 5
finish
