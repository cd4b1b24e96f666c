# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/x11-lib.sh - fixtures for graphical sessions (kiosk.sh): an Xvfb
# on a free display, an X server command for display managers that start
# their own, a private D-Bus system bus (lightdm needs one), windows,
# screenshots, virtual terminals.
#
# Sourced after lib.sh and svc-lib.sh.  Every process started here is
# stopped by pid at exit; the active virtual terminal is switched back.

X11_SRC="$top_srcdir/tests/e2e"
X11_PY=${X11_PY:-python3}

# x11_display: a display number with no server, socket or lock file.
x11_display() {
	local n
	for n in $(seq 50 99); do
		[ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || { echo "$n"; return 0; }
	done
	return 1
}

# x11_server_cmd FILE [local]: an X server command for display managers
# (lightdm's xserver-command, nodm's NODM_X_OPTIONS): Xvfb with the
# arguments it is given, less those only a VT-owning server knows (vtN,
# -novtswitch); with "nolocal", also -nolisten local (no abstract socket:
# conf/examples/kiosk.conf).  Each start is logged to FILE.args.
x11_server_cmd() {
	local f=$1 extra=
	[ "${2:-}" = nolocal ] && extra="-nolisten local"
	cat >"$f" <<-EOF
		#!/bin/sh
		echo "\$*" >>"$f.args"
		for a; do shift; case \$a in vt[0-9]*|-novtswitch) ;; *) set -- "\$@" "\$a" ;; esac; done
		exec Xvfb "\$@" $extra -screen 0 640x480x24
	EOF
	chmod 0755 "$f"
}

# x11_xvfb N [ARGS...]: starts Xvfb on :N (stopped at exit); sets XVFB_PID.
x11_xvfb() {
	local n=$1 i
	shift
	Xvfb ":$n" -screen 0 640x480x24 "$@" >"$WORK/xvfb-$n.log" 2>&1 &
	XVFB_PID=$!
	at_exit "kill $XVFB_PID; wait $XVFB_PID"
	for i in $(seq 50); do
		[ -S "/tmp/.X11-unix/X$n" ] && return 0
		sleep 0.1
	done
	cat "$WORK/xvfb-$n.log"
	return 1
}

# x11_system_bus: a private D-Bus "system" bus that allows everything, for
# lightdm (it owns org.freedesktop.DisplayManager there).  Sets
# X11_BUS_ADDRESS for DBUS_SYSTEM_BUS_ADDRESS.
x11_system_bus() {
	local sock="$WORK/system_bus" i
	cat >"$WORK/bus.conf" <<-EOF
		<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
		 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
		<busconfig>
		  <type>system</type>
		  <listen>unix:path=$sock</listen>
		  <auth>EXTERNAL</auth>
		  <policy context="default">
		    <allow user="*"/>
		    <allow own="*"/>
		    <allow send_destination="*"/>
		    <allow receive_sender="*"/>
		  </policy>
		</busconfig>
	EOF
	dbus-daemon --config-file="$WORK/bus.conf" --nofork --nopidfile >"$WORK/dbus.log" 2>&1 &
	local pid=$!
	at_exit "kill $pid; wait $pid"
	for i in $(seq 50); do
		[ -S "$sock" ] && break
		sleep 0.1
	done
	[ -S "$sock" ] || { cat "$WORK/dbus.log"; return 1; }
	X11_BUS_ADDRESS="unix:path=$sock"
}

# x11_window NAME DISPLAY [SECONDS]: waits for a top-level window named NAME
# (XAUTHORITY as set by the caller); prints its id.
x11_window() {
	local i id
	for i in $(seq $((${3:-15} * 5))); do
		id=$(xwininfo -display "$2" -name "$1" 2>/dev/null | sed -n 's/^xwininfo: Window id: \(0x[0-9a-f]*\).*/\1/p')
		[ -n "$id" ] && { echo "$id"; return 0; }
		sleep 0.2
	done
	return 1
}

# x11_shot ID DISPLAY OUT: a screenshot of window ID as OUT.xwd and OUT.png;
# prints x11-shot.py's "size=WxH colours=N".
x11_shot() {
	xwd -silent -display "$2" -id "$1" >"$3.xwd" 2>"$3.err" || { cat "$3.err"; return 1; }
	"$X11_PY" "$X11_SRC/x11-shot.py" "$3.xwd" "$3.png"
}

# x11_colours SHOT-LINE: N from "size=WxH colours=N".
x11_colours() { sed -n 's/.*colours=\([0-9]*\).*/\1/p' <<<"$1"; }

# ---- virtual terminals (greetd needs one) -----------------------------------
# x11_vt active | free | activate N: the active VT, a VT nobody has open
# (VT_OPENQRY), or switch to N and wait for it.
x11_vt() {
	"$X11_PY" - "$@" <<-'EOF'
		import fcntl, os, struct, sys
		fd = os.open("/dev/tty0", os.O_RDWR | os.O_NOCTTY)
		if sys.argv[1] == "active":
		    b = bytearray(6); fcntl.ioctl(fd, 0x5603, b)          # VT_GETSTATE
		    print(struct.unpack("HHH", b)[0])
		elif sys.argv[1] == "free":
		    b = bytearray(4); fcntl.ioctl(fd, 0x5600, b)          # VT_OPENQRY
		    print(int.from_bytes(b, "little"))
		else:
		    n = int(sys.argv[2]); fcntl.ioctl(fd, 0x5606, n); fcntl.ioctl(fd, 0x5607, n)
	EOF
}

# ---- processes ---------------------------------------------------------------
# x11_stop PID [SECONDS]: SIGTERM, wait until it is gone (SIGKILL after).
x11_stop() {
	local i
	kill "$1" 2>/dev/null || return 0
	for i in $(seq $((${2:-10} * 10))); do
		kill -0 "$1" 2>/dev/null || { wait "$1" 2>/dev/null; return 0; }
		sleep 0.1
	done
	kill -KILL "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 1
}
# x11_end_user UID: stops what is left of the test user's processes (an
# ssh-agent that Xsession started daemonises), one pid at a time.
x11_end_user() {
	local p
	for p in $(pgrep -u "$1"); do kill "$p" 2>/dev/null; done
}
# x11_descends PID ANCESTOR: PID is ANCESTOR or one of its descendants.
x11_descends() {
	local p=$1
	while [ -n "$p" ] && [ "$p" -gt 1 ]; do
		[ "$p" = "$2" ] && return 0
		p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
	done
	return 1
}
