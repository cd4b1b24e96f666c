#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/pkexec.sh - pam_landlock under Debian's real pkexec (polkit 122),
# which opens the PAM session (service polkit-1) and then execve()s the
# program in the same process, never forking and never closing the session:
# the module must confine the opener itself (confine=opener, the default for
# an application it does not know) or refuse (issue 9, item 1).
#
# pkexec asks polkitd over the D-Bus system bus even when root runs it (root
# is then authorised without a prompt).  There is no systemd here: a private
# mount namespace gets a tmpfs on /run/dbus, a dbus-daemon with the system
# bus configuration minus activation (so that only the polkitd started here
# can own the name), that polkitd, and a private PAM file for polkit-1
# (bind-mounted over /etc/pam.d/polkit-1 if the system has one, else over
# the vendor file /usr/lib/pam.d/polkit-1 that libpam falls back to).  The
# daemons are stopped by pid at exit.
#
# Checks: "pkexec --user U CMD" runs CMD confined: the write to /var/tmp is
# denied (Unix permissions allow it: without the module line it works), the
# 1423 record names it, the domain was created by CMD's own process (pkexec
# exec'd into it), the module's syslog line and audit enforce record say
# confine=opener with that pid, NoNewPrivs is 1; the opener's other threads
# (GLib's) are reported as outside the domain (ABI 7 has no TSYNC);
# unbuildable policies and 16 stacked layers run nothing.  And why the
# confine=children override is for tested supervisors only: on pkexec's line
# it leaves the program unconfined, and nothing says so.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init pkexec dbus-daemon dbus-send nsenter unshare mount
POLKITD=/usr/lib/polkit-1/polkitd
[ -x "$POLKITD" ] || prereq_missing "$POLKITD (package polkitd)"
svc_bad_policies

if [ -e /etc/pam.d/polkit-1 ]; then PAMDST=/etc/pam.d/polkit-1; else PAMDST=/usr/lib/pam.d/polkit-1; fi
[ -e "$PAMDST" ] || prereq_missing "no PAM file for polkit-1 (/etc/pam.d or /usr/lib/pam.d)"
# pam.NAME: the system's polkit-1 stack plus our line with policy CONF.
for v in on:"$POLICY" missing:"$BAD_MISSING" hard:"$BAD_HARD" off:; do
	IFS=: read -r name conf <<<"$v"
	{ cat "$PAMDST"; [ -z "$conf" ] || echo "session required $MODULE conf=$conf"; } >"$WORK/pam.$name"
done
cp "$WORK/pam.on" "$WORK/polkit-1"

# The system bus configuration without activation, forking or relative paths.
sed -e '/<standard_system_servicedirs\/>/d' -e '/<servicehelper>/d' -e '/<fork\/>/d' \
	-e 's|<includedir>system.d</includedir>|<includedir>/usr/share/dbus-1/system.d</includedir>|' \
	/usr/share/dbus-1/system.conf >"$WORK/dbus.conf"
svc_hold "
	mount -t tmpfs -o mode=0755 tmpfs /run/dbus || exit 1
	mount --bind '$WORK/polkit-1' '$PAMDST' || exit 1
	dbus-daemon --config-file='$WORK/dbus.conf' --nofork --print-pid=1 >'$WORK/dbus.pid' 2>'$WORK/dbus.err' &
	for i in \$(seq 50); do [ -S /run/dbus/system_bus_socket ] && break; sleep 0.1; done
	$POLKITD --no-debug >'$WORK/polkitd.out' 2>&1 &
	echo \$! >'$WORK/polkitd.pid'
	for i in \$(seq 100); do
		dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
			org.freedesktop.DBus.NameHasOwner string:org.freedesktop.PolicyKit1 2>/dev/null |
			grep -q 'boolean true' && break
		sleep 0.1
	done" || { cat "$WORK/dbus.err" "$WORK/polkitd.out" 2>/dev/null; prereq_missing "could not start dbus-daemon and polkitd"; }
in_ns_owner() {
	svc_in dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.PolicyKit1 2>/dev/null |
		awk '/uint32/ { print $2 }'
}
check "our polkitd ($(cat "$WORK/polkitd.pid")) owns org.freedesktop.PolicyKit1" \
	test "$(in_ns_owner)" = "$(cat "$WORK/polkitd.pid")"

# The program pkexec runs: its pid (pkexec's), NoNewPrivs, a denied write.
PROBE="echo SH=\$\$ UID=\$(id -u) NNP=\$(awk '/^NoNewPrivs/ { print \$2 }' /proc/self/status); touch $DENY_DIR/$LL_TAG-\$\$; echo TOUCH=\$?"
# run TAG VARIANT [WRAPPER...]: pkexec --user U sh -c PROBE with pam.VARIANT.
run() {
	local tag=$1 v=$2
	shift 2
	cp "$WORK/pam.$v" "$WORK/polkit-1"
	svc_mark
	svc_in "$@" pkexec --user "$U" /bin/sh -c "$PROBE" </dev/null >"$WORK/$tag.txt" 2>&1
	echo "SVC-EXIT=$?" >>"$WORK/$tag.txt"
}
val() { svc_vals "$1" "$WORK/$2.txt" | head -1; }

log "pkexec --user U: the program is confined in pkexec's own process"
run on on
sh=$(val SH on)
check "the program ran as the user (pid $sh)" grep -q "UID=$UID_U " "$WORK/on.txt"
check "pkexec used PAM service polkit-1" syslog_wait "pam_unix(polkit-1:session): session opened for user $U" 5
check "NoNewPrivs is 1 in the program" grep -q "NNP=1" "$WORK/on.txt"
check "the write to $DENY_DIR was denied" grep -q "TOUCH=1" "$WORK/on.txt"
l=$(svc_confined_line polkit-1)
check "syslog: confined, confine=opener, pid= the program's own ($sh)" \
	grep -q " confine=opener pid=$sh$" <<<"$l"
check "syslog: enforcement=partial, dropped names tsync (pkexec has other threads on ABI 7)" \
	grep -q " enforcement=partial dropped=[^ ]*tsync" <<<"$l"
check "syslog: the other threads are said to be outside the domain" \
	syslog_wait "pam_landlock(polkit-1:session): [0-9]* other thread(s) of the opener stay outside the domain" 1
e=$(svc_touch_event "$sh")
check "1423: fs.make_reg on $DENY_DIR by the user, from a child of the program" \
	test "$(ev blockers <<<"$e"):$(ev uid <<<"$e"):$(ev ppid <<<"$e")" = "fs.make_reg:$UID_U:$sh"
check "the domain's creator is the program's process (pkexec itself)" \
	grep -q "kind=alloc .* domain=$(ev domain <<<"$e") pid=$sh " <(svc_events)
check "audit: enforce record from pkexec's process" grep -q "kind=enforce .* pid=$sh .*acct=$U " <(svc_events)
check "audit: the enforce record says confine=opener" \
	audit_wait "op=pam_landlock-enforce acct=\"$U\" service=polkit-1 .* confine=opener " 1

log "without the module line the write is allowed (Unix permissions)"
run off off
check "off: the program ran" grep -q "UID=$UID_U " "$WORK/off.txt"
check "off: the write to $DENY_DIR works" grep -q "TOUCH=0" "$WORK/off.txt"
check "off: NoNewPrivs is 0" grep -q "NNP=0" "$WORK/off.txt"

log "the override is trusted: confine=children on an application that does not fork"
{ cat "$PAMDST"; echo "session required $MODULE conf=$POLICY confine=children"; } >"$WORK/pam.children"
run children children
check "confine=children: pkexec's program runs unconfined (the write works): only tested supervisors belong with it" \
	grep -q "TOUCH=0" "$WORK/children.txt"
check "confine=children: and nothing is logged at the time (pkexec never closes the session)" \
	test -z "$(svc_confined_line polkit-1)"

log "fail closed"
for t in missing:"$BAD_MISSING":"$BAD_MISSING_LINE" hard:"$BAD_HARD":; do
	IFS=: read -r v conf line <<<"$t"
	run "$v" "$v"
	check "$v: the program did not run" refute grep -q "UID=" "$WORK/$v.txt"
	check "$v: pkexec failed" refute grep -q "SVC-EXIT=0$" "$WORK/$v.txt"
	check "$v: refused with file:line in syslog" svc_refused_logged "$conf" "$line"
done
run e2big on "$SVC_HELPERS/svc-stack" 16
check "16 layers: the program did not run" refute grep -q "UID=" "$WORK/e2big.txt"
check "16 layers: pkexec failed" refute grep -q "SVC-EXIT=0$" "$WORK/e2big.txt"
check "16 layers: syslog says why" \
	syslog_wait "session refused for $U: landlock_restrict_self failed in the opener: Argument list too long; 16 Landlock layers" 5
finish
