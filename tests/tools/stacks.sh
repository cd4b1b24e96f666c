#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/tools/stacks.sh - "landlockctl stacks": a PAM directory written here
# (the real /etc/pam.d is only read, at the end) with the module reached
# directly, through @include, "session include" and "session substack",
# two levels deep, on a continued line; the mode and the verification of
# each application from the module's own table (supervisors: children;
# dovecot: refused, with the fix; proftpd and samba: opener, verified; an
# unknown service: opener, not verified); warnings for a lenient control, a
# line listed twice, a forced confine= against the verified mode, an
# include loop; Debian's common-* files and dpkg leftovers are no services;
# exit statuses 0, 1 and 2; and what "landlockctl explain" says of those
# applications.
. "$(dirname "$0")/lib-ctl.sh"

ctl_init
D="$WORK/pam.d"
mkdir -p "$D"
cat >"$D/common-session" <<'EOF'
# Debian's include file
session	[default=1]			pam_permit.so
session	requisite			pam_deny.so
session	required	pam_unix.so
session required /lib/x86_64-linux-gnu/security/pam_landlock.so conf=/etc/security/landlock.conf
EOF
cat >"$D/sshd" <<'EOF'
auth     required pam_unix.so
# session required pam_landlock.so   (a comment, not a line)
session  required pam_unix.so
session  required pam_landlock.so debug # trailing comment
EOF
printf '@include common-session\nsession optional pam_motd.so motd=/run/motd.dynamic\n' >"$D/login"
printf '@include login\n-session optional pam_kwallet5.so auto_start\n' >"$D/greetd"
printf 'session include common-session\n' >"$D/su"
printf 'session substack common-session\n' >"$D/sudo"
printf '@include common-auth\n@include common-session\n' >"$D/dovecot"
printf 'auth required pam_permit.so\n' >"$D/common-auth"
printf 'session required pam_unix.so\nsession \\\n   required \\\n   pam_landlock.so\n' >"$D/proftpd"
printf '@include common-session-noninteractive\n' >"$D/samba"
printf 'session required pam_landlock.so\n' >"$D/common-session-noninteractive"
printf '@include common-session-noninteractive\n' >"$D/cron"
printf 'session optional pam_landlock.so\n' >"$D/foo"
printf 'session [success=ok default=ignore] pam_landlock.so\n' >"$D/bar"
printf 'session required pam_landlock.so\n@include common-session\n' >"$D/twice"
printf 'session required pam_landlock.so confine=opener\n' >"$D/lightdm-autologin"
printf '@include loop\n' >"$D/loop"
printf 'session required pam_unix.so\n' >"$D/nothing"
cp "$D/foo" "$D/foo.dpkg-old"
cp "$D/foo" "$D/foo~"

ctl stacks --pam-dir "$D"
check "problems: exit 1" is 1 "$RC"
check "summary: services with the module, of all services (common-* and leftovers not counted)" \
	has "$D: 13 of 15 services have pam_landlock.so in their session stack; see the warnings above" "$OUT"
# block NAME: the lines printed for service NAME.
block() { awk -v s="$1" '$0 == s { p = 1; print; next } /^[^ ]/ { p = 0 } p' <<<"$OUT"; }
b=$(block sshd)
check "sshd: the line, its file:line, control and arguments" \
	has "  line:    sshd:4: session required pam_landlock.so debug" "$b"
check "sshd: children, the supervisor from the module's table" \
	has "  module:  confine=children: OpenSSH sshd (/usr/sbin/sshd) opens the session in the privileged monitor" "$b"
check "sshd: verified by its test" has "  verified: yes, tests/e2e/sshd.sh" "$b"
check "sshd: no warning" hasnt "warning" "$b"
b=$(block login)
check "login: through @include, with where it was included" \
	has "  line:    common-session:5 (via @include at login:1): session required /lib/x86_64-linux-gnu/security/pam_landlock.so conf=/etc/security/landlock.conf" "$b"
check "login: a rule after the module is noted" has "  note:    1 session rule(s) after it (pam_motd.so, ...)" "$b"
b=$(block greetd)
check "greetd: two levels of @include" \
	has "common-session:5 (via @include at login:1) (via @include at greetd:1)" "$b"
check "greetd: known supervisor" has "confine=children: greetd (/usr/sbin/greetd)" "$b"
check "greetd: the rules after it, '-session' included" has "2 session rule(s) after it (pam_motd.so" "$b"
check "su: session include" has "common-session:5 (via session include at su:1)" "$(block su)"
check "sudo: session substack" has "common-session:5 (via session substack at sudo:1)" "$(block sudo)"
b=$(block dovecot)
check "dovecot: refused, why" has \
	"  module:  refuses every session: dovecot (/usr/lib/dovecot/auth, the auth worker, dovecot/auth -w) opens and closes the session while it authenticates the user" "$b"
check "dovecot: what to change" has "  fix:     remove the pam_landlock line from this stack" "$b"
b=$(block proftpd)
check "proftpd: a continued line" has "  line:    proftpd:2: session required pam_landlock.so" "$b"
check "proftpd: opener, verified" \
	bash -c 'grep -qF "confine=opener: proftpd (/usr/sbin/proftpd)" <<<"$1" && grep -qF "verified: yes, tests/e2e/proftpd.sh" <<<"$1"' _ "$b"
check "samba: through common-session-noninteractive, opener, verified" \
	bash -c 'grep -qF "common-session-noninteractive:1 (via @include at samba:1)" <<<"$1" && grep -qF "verified: yes, tests/e2e/samba.sh" <<<"$1"' _ "$(block samba)"
check "cron: the per-job CRON process, opener, verified" \
	bash -c 'grep -qF "confine=opener: cron (Debian 3.0pl1) (/usr/sbin/cron)" <<<"$1" && grep -qF "verified: yes, tests/e2e/cron.sh" <<<"$1"' _ "$(block cron)"
b=$(block foo)
check "foo: unknown application: opener, not verified" \
	bash -c 'grep -qF "confine=opener: not an application the project knows" <<<"$1" && grep -qF "verified: no" <<<"$1"' _ "$b"
check "foo: optional is a warning" has "warning: control 'optional' lets the session go on when the module refuses it" "$b"
check "bar: a bracket control that ignores failure is a warning too" \
	has "warning: control '[success=ok default=ignore]'" "$(block bar)"
check "twice: listed twice" has \
	"  warning: listed 2 times; the second line refuses every session: twice:1 common-session:5 (via @include at twice:2)" \
	"$(block twice)"
check "lightdm-autologin: a forced confine= against the verified mode" has \
	"  warning: the line forces confine=opener, the verified mode is confine=children" "$(block lightdm-autologin)"
check "loop: an include loop is an error" has "includes nested deeper than" "$(block loop)"
check "services without the module, include files and leftovers are not listed" \
	bash -c '! grep -qE "^(nothing|common-session|common-auth|foo.dpkg-old|foo~)$" <<<"$1"' _ "$OUT"

# A clean directory: exit 0.
rm -f "$D"/{foo,bar,twice,lightdm-autologin,loop,dovecot}
ctl stacks --pam-dir "$D"
check "no problem: exit 0" is 0 "$RC"
check "no problem: no warning" hasnt "see the warnings above" "$OUT"

ctl stacks --pam-dir "$WORK/none"
check "unreadable directory: exit 2" is 2 "$RC"
check "unreadable directory: says so" has "landlockctl: cannot read $WORK/none:" "$ERR"
ctl stacks extra
check "stacks takes no argument: exit 2" is 2 "$RC"

# explain tells, by the service's name, what the module does for the
# application that uses it (the same table).
if [ "$(id -u)" = 0 ]; then
	POL=$(policy p <<-'EOF'
		version = 1;
		profiles = { p = { filesystem = ( { path = "/usr"; access = "read_exec"; } ); }; };
		match = ( { default = true; profile = "p"; } );
	EOF
	)
	ctl -c "$POL" explain nobody dovecot
	check "explain, dovecot: refused with the reason and the fix (exit 1)" \
		bash -c '[ "$1" = 1 ] && grep -qF "Verdict: session refused: pam_landlock cannot confine sessions opened by /usr/lib/dovecot/auth" <<<"$2" && grep -qF "remove the pam_landlock line from this stack" <<<"$2"' _ "$RC" "$OUT"
	ctl -c "$POL" explain nobody proftpd
	check "explain, proftpd: the module would log confine=opener" has " confine=opener" "$OUT"
	ctl -c "$POL" explain nobody lightdm-autologin
	check "explain, lightdm-autologin: confine=children, a known supervisor" \
		bash -c 'grep -qF "service lightdm-autologin is lightdm'"'"'s (/usr/sbin/lightdm" <<<"$1" && grep -qF " confine=children" <<<"$1"' _ "$OUT"
	ctl -c "$POL" explain nobody some-service
	check "explain, a service the table does not know: confine=opener" \
		bash -c 'grep -qF "Application: not one the module knows" <<<"$1" && grep -qF " confine=opener" <<<"$1"' _ "$OUT"
else
	log "explain checks skipped: policies must be root-owned (run as root)"
fi

# The system's own directory is only read.
ctl stacks
check "/etc/pam.d: read (exit 0 or 1), a summary line" \
	bash -c '[ "$1" -le 1 ] && grep -q "^/etc/pam.d: [0-9]* of [0-9]* services have pam_landlock.so" <<<"$2"' _ "$RC" "$OUT"
finish
