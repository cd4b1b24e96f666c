#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/layer2_tty.sh - the terminal, driven through a pty with expect
# (l2-tty.exp), on the shipped policy.
#
# TIOCSTI injection: root's interactive shell runs "su -l USER"; the
# confined shell leaves a background process and exits; after su returns,
# that process pushes "touch PROOF" into the terminal with ioctl(TIOCSTI)
# (dev.tty.legacy_tiocsti=1 lets it: the terminal is its controlling one).
# Root's shell must not run it: no PROOF.  With block_terminal_injection =
# false the same attack creates PROOF as uid 0, so the check can fail.
#
# Ordinary interactive use in confined su -l and ssh -tt sessions: job
# control (a background job, jobs, fg, Ctrl-Z, bg, kill), an editor (vi),
# curl to an allowed port (80), ssh to an allowed port (443: the test's
# own sshd listens there too), and the terminal attempts of the attack
# probe on a real terminal (EPERM).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"
. "$top_srcdir/tests/e2e/l2-lib.sh"

svc_init su sshd ssh ssh-keygen expect unshare setpriv curl vi ss stat
[ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null)" = 1 ] ||
	prereq_missing "dev.tty.legacy_tiocsti is not 1: TIOCSTI is closed by the system here, the attack cannot be shown"
l2_init
l2_allowed_listener
[ -z "$(ss -Htln 'sport = :443')" ] || prereq_missing "port 443 is in use on this machine (the test needs an allowed port)"
svc_stack sshd sshd "$POLICY" >"$WORK/pam.sshd"
svc_sshd "$WORK/pam.sshd"
P=$(svc_ports 1)
svc_sshd_start "$P 443"
# A prompt the steps can wait for, and the key for ssh from inside.
echo "PS1='L2U\$ '" >>"/home/$U/.bashrc"
install -m 0600 -o "$U" -g "$U" "$WORK/id" "/home/$U/.ssh/id_ed25519"
TTY=(expect "$SVC_SRC/l2-tty.exp" 30)
ROOTSH=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=xterm "PS1=ROOT-PROMPT# "
	bash --norc --noprofile -i)
UPROMPT='E:L2U\$ $'
RPROMPT='E:ROOT-PROMPT# $'
# tty_clean: the transcript without carriage returns and bash's
# bracketed-paste switches.
tty_clean() { tr -d '\r' | sed 's/\x1b\[?2004[hl]//g'; }
# su_tty TAG STEPS...: root's shell on a pty, with su's stacks bind-mounted.
su_tty() {
	local tag=$1
	shift
	SVC_BIND="$WORK/su/su-l:/etc/pam.d/su-l $WORK/su/su:/etc/pam.d/su" SVC_PRE=$(svc_loginuid) \
		svc_ns "${TTY[@]}" "${ROOTSH[@]}" -- "$RPROMPT" "$@" </dev/null 2>&1 | tty_clean >"$WORK/$tag.tty"
	sed 's/^/#   /' "$WORK/$tag.tty"
}

# inject TAG: the attack; PROOF and RESULT (the attacker's own report).
inject() {
	PROOF="/tmp/$LL_TAG-proof-$1" RESULT="/tmp/$LL_TAG-result-$1"
	rm -f "$PROOF" "$RESULT"
	at_exit "rm -f '$PROOF' '$RESULT'"
	su_tty "$1" "S:su -l $U" "$UPROMPT" \
		"S:$L2DIR/l2-attack inject 0 2 'touch $PROOF' $RESULT &" "$UPROMPT" \
		"S:exit" "$RPROMPT" "W:4" "S:echo ROOT-ALIVE-\$((40+2))" "E:ROOT-ALIVE-42" "S:exit"
}

log "TIOCSTI into root's terminal after su -l returns, with the second layer"
svc_mark
inject on
check "injection: root's shell lived on (the test drove it to the end)" grep -q "L2-TTY: exit=0" "$WORK/on.tty"
check "injection: the session was confined" syslog_wait "confined user=$U service=su-l profile=shell " 5
check "injection: the attacker ran after su returned and got EPERM" \
	grep -q "^tty.tiocsti_after_exit fail EPERM$" "$RESULT"
check "injection: root's shell did not run the injected command (no $PROOF)" test ! -e "$PROOF"

log "the same with block_terminal_injection = false: the attack is real"
l2_policy terminal_injection
svc_mark
inject off
check "no filter: the attacker's TIOCSTI worked" grep -q "^tty.tiocsti_after_exit ok" "$RESULT"
check "no filter: root's shell ran the injected command: $PROOF made by uid 0" \
	test "$(stat -c %u "$PROOF" 2>/dev/null)" = 0
l2_policy shipped

# The steps of ordinary interactive use, from the user's prompt on.
USE=("$UPROMPT"
	"S:sleep 100 &" 'E:\[1\] [0-9]+' "$UPROMPT"
	"S:jobs" 'E:Running +sleep 100' "$UPROMPT"
	"S:fg" 'E:sleep 100\r\n' 'R:\x1a|Stopped +sleep 100' "$UPROMPT"
	"S:bg" 'E:\[1\]\+ sleep 100 &' "$UPROMPT"
	"S:kill %1; wait; echo JOBS-\$((40+2))" "E:JOBS-42" "$UPROMPT"
	"S:vi ~/l2-edited.txt" "W:1" 'K:ihello-from-vi\x1b:wq\r' "$UPROMPT"
	"S:cat ~/l2-edited.txt" 'E:hello-from-vi\r\n' "$UPROMPT"
	"S:curl -s http://127.0.0.1:80/" 'E:hello-80\r\n' "$UPROMPT"
	"S:ssh -p 443 -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR $U@127.0.0.1 echo NESTED-\$((40+2))" "E:NESTED-42" "$UPROMPT"
	"S:$L2DIR/l2-attack --tty-fd 0 tty.tiocsti_stdin tty.tiocsti_inherited_fd tty.tiocsti_dev_tty tty.tiocsti_hi_cmd tty.tioclinux_stdin tty.tioclinux_dev_tty tty.i386_ioctl_tiocsti; echo PROBE-\$((40+2))" "E:PROBE-42" "$UPROMPT"
	"S:exit")
# use_checks FILE TAG SERVICE: what the steps must have shown ($WORK/FILE.tty).
use_checks() {
	local f="$WORK/$1.tty" tag=$2 a
	shift
	check "$tag: the session went through every step" grep -q "L2-TTY: exit=0" "$f"
	check "$tag: the session was confined" syslog_wait "confined user=$U service=$2 profile=shell .* second_layer=terminal_injection,unchecked_protocols,io_uring " 5
	check "$tag: job control (background, fg, Ctrl-Z, bg)" grep -q "JOBS-42" "$f"
	check "$tag: vi wrote the file" test "$(cat "/home/$U/l2-edited.txt" 2>/dev/null)" = hello-from-vi
	check "$tag: curl to the allowed port 80" grep -qx "hello-80" "$f"
	check "$tag: ssh to the allowed port 443" grep -qx "NESTED-42" "$f"
	for a in tiocsti_stdin tiocsti_inherited_fd tiocsti_dev_tty tiocsti_hi_cmd tioclinux_stdin \
		tioclinux_dev_tty i386_ioctl_tiocsti; do
		check "$tag: on the terminal, tty.$a fails with EPERM" grep -q "^tty.$a fail EPERM " "$f"
	done
	rm -f "/home/$U/l2-edited.txt"
}

log "ordinary interactive use in su -l"
svc_mark
su_tty use-su "S:su -l $U" "${USE[@]}" "$RPROMPT" "S:exit"
use_checks use-su "su -l" su-l

log "ordinary interactive use in ssh -tt"
svc_mark
TERM=xterm "${TTY[@]}" "${SSH0[@]}" -tt -p "$P" "$DEST" -- "${USE[@]}" </dev/null 2>&1 | tty_clean >"$WORK/use-ssh.tty"
sed 's/^/#   /' "$WORK/use-ssh.tty"
use_checks use-ssh "ssh -tt" "$SVC"
finish
