#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/layer2_tty_steal.sh - EXPECTED TO FAIL (XFAIL_TESTS): a
# remaining hole of the shared terminal, kept as a test so that it shows
# the day it is closed.
#
# "su -l USER" from root's terminal (no --pty) gives the session root's
# terminal, in root's terminal session.  The second layer stops the
# session from typing into it (TIOCSTI, layer2_tty.sh), but a process it
# leaves behind can, after su returns, make itself the terminal's
# foreground process group (tcsetpgrp: job control, which the session
# needs and the filter lets through) and read what root types next; root's
# shell loses its terminal.  What closes it: su --pty, runuser --pty, sudo's
# use_pty (the session gets a terminal of its own); explain says so.
#
# Checks, on the shipped policy: the leftover process cannot take the
# foreground, reads nothing of what root typed, and root's shell still
# runs the next command.  Today all three fail.  Set-up problems are hard
# errors (exit 99), so that they cannot pass for the expected failure.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"
. "$top_srcdir/tests/e2e/l2-lib.sh"
l2_expected_failure

svc_init su expect unshare setpriv
l2_init || exit 99
echo "PS1='L2U\$ '" >>"/home/$U/.bashrc"
OUT="/tmp/$LL_TAG-stolen"
rm -f "$OUT"
at_exit "rm -f '$OUT'"
SVC_BIND="$WORK/su/su-l:/etc/pam.d/su-l $WORK/su/su:/etc/pam.d/su" SVC_PRE=$(svc_loginuid) \
	svc_ns expect "$SVC_SRC/l2-tty.exp" 20 env -i PATH=/usr/bin:/bin HOME=/root TERM=xterm \
	"PS1=ROOT-PROMPT# " bash --norc --noprofile -i -- 'E:ROOT-PROMPT# $' \
	"S:su -l $U" 'E:L2U\$ $' "S:$L2DIR/l2-attack steal 0 2 $OUT &" 'E:L2U\$ $' \
	"S:exit" 'E:ROOT-PROMPT# $' "W:3" "S:echo root-typed-$((RANDOM))-secret" "W:2" \
	"S:echo ROOT-ALIVE-\$((40+2))" "W:2" "S:exit" "W:2" </dev/null 2>&1 | tr -d '\r' >"$WORK/tty"
sed 's/^/#   /' "$WORK/tty"
[ -s "$OUT" ] || { echo "ERROR: the leftover process wrote no report"; exit 99; }
sed 's/^/#   thief: /' "$OUT"
check "the leftover process cannot take the foreground of root's terminal" \
	grep -q "^tty.foreground_after_exit fail " "$OUT"
check "it reads nothing root typed" refute grep -q "read=.*secret" "$OUT"
check "root's shell still runs the next command" grep -q "^ROOT-ALIVE-42" "$WORK/tty"
finish
