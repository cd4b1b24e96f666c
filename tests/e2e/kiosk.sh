#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/kiosk.sh - a graphical kiosk confined by pam_landlock under
# three real display managers, lightdm (autologin, Debian's session wrapper
# /etc/X11/Xsession), greetd (initial_session) and nodm, on Xvfb, with the
# example policy conf/examples/kiosk.conf; and a Debian desktop session under
# lightdm with the shipped policy (its "desktop" profile).
#
# The kiosk application is xbiff (x11-apps), a real X client that runs a
# configurable shell command (its checkCommand resource) through sh: here a
# "shell escape" that tries to write into every world-writable directory
# outside the kiosk's data directory (its home) and into the data directory.
#
# The display managers' PAM service names are fixed, so each runs in a
# private mount namespace where Debian's stack plus conf/pam.d/<service> is
# bind-mounted over /etc/pam.d/<service>.  lightdm also gets a private D-Bus
# system bus, /dev/null over /dev/tty0 (it would switch the console's VT) and
# tmpfs over /var/lib/lightdm{,-data}; greetd gets a free VT, and the active
# VT is switched back at the end.  Screenshots: tests/e2e/kiosk-*.png in the
# build tree.
#
# Checks, per display manager: the application starts, reaches the X server
# through its pathname socket and draws (window found, screenshot with more
# than one colour); the session worker (lightdm --session-child, greetd
# --session-worker, nodm's session process) opens the session, is not
# confined, forks the confined process, which the application descends from;
# the shell escape ran (as the user, from the application) and wrote only
# inside the data directory: every other write is denied and audited (1423,
# fs.make_reg/fs.make_dir, the domain created by the confined process) and
# nothing exists afterwards; the worker closes the session (and writes the
# wtmp login and logout records: lightdm, greetd).  Without "-nolisten local"
# the kiosk profile keeps the application off the display, and the audit log
# says why (scope.abstract_unix_socket).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"
. "$top_srcdir/tests/e2e/x11-lib.sh"

svc_init lightdm greetd nodm Xvfb xwininfo xwd dbus-daemon unshare mount utmpdump "$X11_PY"
svc_accounting
VT_BEFORE=
SHOTS="$top_builddir/tests/e2e"
H=$(getent passwd "$U" | cut -d: -f6)
APP=$LL_TAG-kiosk # the application's X resource name and window title
APP_CMD="/usr/bin/xbiff -name $APP -update 1 -geometry 160x160+20+20"

# The kiosk policy: the example as it is (its default entry gives every
# account but root the kiosk profile).
KIOSK=$(install_policy "$top_srcdir/conf/examples/kiosk.conf")
mv "$KIOSK" "$WORK/kiosk.conf" && KIOSK="$WORK/kiosk.conf"
POLICY=$(install_policy)
check "landlockctl check accepts the kiosk policy" \
	"$top_builddir/tools/landlockctl" -q -c "$KIOSK" check

# Where the escape tries to write: the world-writable directories outside
# the data directory (Unix permissions allow the write, only Landlock can
# deny it).
{
	for d in /tmp /tmp/.X11-unix /tmp/.ICE-unix /var/tmp /dev/shm /dev/mqueue /run/lock /var/lock; do
		[ -d "$d" ] && [ -n "$(find "$d" -maxdepth 0 -perm -0002)" ] && readlink -f "$d"
	done
	find /var /run /srv /opt -maxdepth 3 -type d -perm -0002 2>/dev/null
} | sort -u >"$WORK/targets"
log "escape targets: $(tr '\n' ' ' <"$WORK/targets")"
at_exit "while read -r d; do rm -rf \"\$d/$LL_TAG-escape\" \"\$d/$LL_TAG-escape.d\"; done <'$WORK/targets'"

# The kiosk account's files: the application's resource (the escape) and
# the escape.
setup_home() {
	# The user's application defaults for class XBiff (Xt reads
	# $HOME/XBiff whatever xrdb did).
	echo "*checkCommand: /bin/sh $H/escape.sh" >"$H/XBiff"
	echo "exec $APP_CMD" >"$H/.xsession"  # nodm: Xsession runs ~/.xsession
	cp "$WORK/targets" "$H/targets"
	cat >"$H/escape.sh" <<-EOF
		# The shell escape: run by the application through sh, once.
		[ -e "\$HOME/escape.done" ] && exit 1
		: >"\$HOME/escape.done"
		{
		echo "ESCAPE sh=\$\$ uid=\$(id -u) parent=\$(cat /proc/\$PPID/comm) grandparent=\$(cat /proc/\$(awk '/^PPid/ { print \$2 }' /proc/\$PPID/status)/comm)"
		while read -r d; do
			touch "\$d/$LL_TAG-escape" 2>/dev/null; echo "TOUCH \$d \$?"
			mkdir "\$d/$LL_TAG-escape.d" 2>/dev/null; echo "MKDIR \$d \$?"
		done <"\$HOME/targets"
		touch "\$HOME/escape-inside"; echo "INSIDE \$?"
		echo END
		} >"\$HOME/escape.log" 2>&1
		exit 1
	EOF
	rm -f "$H/escape.done" "$H/escape.log" "$H/escape-inside"
	chown -R "$U:" "$H"
}

# ---- the display managers ---------------------------------------------------
# Each dm_* starts the display manager with PAM stack $1 and sets DM_PID,
# DM_EXE, DM_SERVICE, DISPLAY and XAUTHORITY (for the test's own clients).
ns_start() { # ns_start LOG PRE CMD...: CMD in a private mount namespace
	local log=$1 pre=$2 cmd
	shift 2
	cmd=$(printf '%q ' "$@")
	# Not the test's display: lightdm would start a nested server.
	env -u DISPLAY -u XAUTHORITY unshare -m --propagation private bash -c "$pre
		for f in /proc/self/fd/*; do n=\${f##*/}; [ \$n -gt 2 ] && eval \"exec \$n>&-\"; done
		exec $cmd" >"$log" 2>&1 &
	DM_PID=$!
	at_exit "kill $DM_PID"
}

# dm_lightdm STACK nolocal|local: autologin of U into the "kiosk" session
# (Exec=the application), run through /etc/X11/Xsession.
dm_lightdm() {
	local n d="$WORK/lightdm.$RANDOM"
	n=$(x11_display) || return 1
	mkdir -p "$d/sessions" "$d/run" "$d/log" "$d/cache" "$d/lib" "$d/data"
	chown lightdm:lightdm "$d/lib"
	chmod 0750 "$d/lib"
	x11_server_cmd "$d/xserver" "$2"
	printf '[Desktop Entry]\nName=Kiosk\nExec=%s\nType=Application\n' "$APP_CMD" >"$d/sessions/kiosk.desktop"
	cat >"$d/lightdm.conf" <<-EOF
		[LightDM]
		minimum-display-number=$n
		sessions-directory=$d/sessions
		logind-check-graphical=false
		start-default-seat=true
		[Seat:*]
		xserver-command=$d/xserver
		autologin-user=$U
		autologin-session=kiosk
		user-session=kiosk
		session-wrapper=/etc/X11/Xsession
	EOF
	DM_EXE=/usr/sbin/lightdm DM_SERVICE=lightdm-autologin DISPLAY=":$n" XAUTHORITY="$d/run/root/:$n"
	DBUS_SYSTEM_BUS_ADDRESS=$X11_BUS_ADDRESS ns_start "$d/lightdm.out" "
		mount --bind '$1' /etc/pam.d/lightdm-autologin || exit 99
		mount --bind /dev/null /dev/tty0 || exit 99
		mount --bind '$d/lib' /var/lib/lightdm || exit 99
		mount --bind '$d/data' /var/lib/lightdm-data || exit 99" \
		lightdm -d --config "$d/lightdm.conf" --log-dir "$d/log" --run-dir "$d/run" --cache-dir "$d/cache"
	DM_LOG="$d/lightdm.out"
}

# dm_greetd STACK nolocal|local: initial_session = the application, on an
# Xvfb of our own, on a free VT.
dm_greetd() {
	local n vt d="$WORK/greetd.$RANDOM" opts=
	n=$(x11_display) || return 1
	mkdir -p "$d"
	[ "$2" = nolocal ] && opts="-nolisten local"
	# shellcheck disable=SC2086
	x11_xvfb "$n" -nolisten tcp $opts || return 1
	vt=$(x11_vt free) || return 1
	[ -n "$VT_BEFORE" ] || { VT_BEFORE=$(x11_vt active) && at_exit "x11_vt activate $VT_BEFORE"; }
	cat >"$d/config.toml" <<-EOF
		[terminal]
		vt = $vt
		switch = true
		[general]
		runfile = "$d/greetd.run"
		[default_session]
		command = "sleep 600"
		user = "_greetd"
		[initial_session]
		command = "env DISPLAY=:$n $APP_CMD"
		user = "$U"
	EOF
	DM_EXE=/usr/sbin/greetd DM_SERVICE=greetd DISPLAY=":$n" XAUTHORITY=
	ns_start "$d/greetd.out" "mount --bind '$1' /etc/pam.d/greetd || exit 99" \
		greetd -c "$d/config.toml" -s "$d/greetd.sock"
	DM_LOG="$d/greetd.out"
}

# dm_nodm STACK nolocal|local: nodm logs U in; Xsession runs ~/.xsession.
dm_nodm() {
	local n d="$WORK/nodm.$RANDOM"
	n=$(x11_display) || return 1
	mkdir -p "$d"
	x11_server_cmd "$d/xserver" "$2"
	DM_EXE=/usr/sbin/nodm DM_SERVICE=nodm DISPLAY=":$n" XAUTHORITY=
	NODM_USER=$U NODM_XSESSION=/etc/X11/Xsession NODM_X_OPTIONS="$d/xserver :$n -nolisten tcp" \
		NODM_FIRST_VT=8 NODM_MIN_SESSION_TIME=60 NODM_X_TIMEOUT=30 \
		ns_start "$d/nodm.out" "mount --bind '$1' /etc/pam.d/nodm || exit 99" \
		nodm --verbose --no-syslog --stderr
	DM_LOG="$d/nodm.out"
}

# stack_for SERVICE POLICY [kiosk]: Debian's stack plus the snippet, whose
# line gets "debug" (the opener logs "opener EXE: confine=..." with its
# pid); for the kiosk, with the pam_env line of the example's step 4 before
# it.
stack_for() {
	cat "/etc/pam.d/$1" || return 1
	[ "${3:-}" != kiosk ] || echo "session required pam_env.so readenv=0 conffile=$WORK/kiosk-env.conf"
	svc_snippet "$1" "$2" | sed '$s/$/ debug/'
}
echo 'TMPDIR DEFAULT=@{HOME}' >"$WORK/kiosk-env.conf"

# dm_diag NAME: why a session showed nothing.
dm_diag() {
	log "$1 did not show the window; its log:"
	tail -30 "$DM_LOG" | sed 's/^/#   /'
	tail -20 "$H/.xsession-errors" 2>/dev/null | sed 's/^/#   xsession-errors: /'
	svc_events | grep -a 'kind=access' | head -20 | sed 's/^/#   denied: /'
	syslog_new | grep -a 'pam_landlock' | tail -5 | sed 's/^/#   syslog: /'
}

# ---- one kiosk session ----------------------------------------------------------
# kiosk_run DM PROFILE POLICY: the display manager DM logs U in with POLICY;
# the profile PROFILE applies; the checks above.
kiosk_run() {
	local dm=$1 prof=$2 pol=$3 stack="$WORK/pam.$1.$2" wid shot conf opener xb e dom
	log "$dm: profile $prof"
	setup_home
	svc_mark
	svc_wtmp_mark
	case $dm in
	lightdm) stack_for lightdm-autologin "$pol" "$prof" >"$stack" ;;
	*) stack_for "$dm" "$pol" "$prof" >"$stack" ;;
	esac
	"dm_$dm" "$stack" nolocal || { not_ok "$dm: could not start"; return; }
	export DISPLAY XAUTHORITY
	wid=$(x11_window "$APP" "$DISPLAY" 20)
	check "$dm: the application's window is on the display ($wid)" test -n "$wid"
	[ -n "$wid" ] || dm_diag "$dm"
	for i in $(seq 50); do grep -q '^END' "$H/escape.log" 2>/dev/null && break; sleep 0.2; done
	if [ -n "$wid" ]; then
		shot=$(x11_shot "$wid" "$DISPLAY" "$SHOTS/kiosk-$dm-$prof")
		log "screenshot $SHOTS/kiosk-$dm-$prof.png: $shot"
		check "$dm: the application drew its window (more than one colour)" \
			test "$(x11_colours "$shot")" -ge 2
	fi
	conf=$(svc_confined_pids "$DM_SERVICE" | head -1)
	check "$dm: the session is confined with profile $prof, confine=children (pid $conf)" \
		syslog_wait "pam_landlock($DM_SERVICE:session): confined user=$U service=$DM_SERVICE profile=$prof .* confine=children pid=$conf" 1
	opener=$(syslog_new | sed -n "s/.*\[\([0-9]*\)\]: pam_landlock($DM_SERVICE:session): opener $(sed 's|/|\\/|g' <<<"$DM_EXE"): confine=children.*/\1/p" | head -1)
	check "$dm: the opener is $DM_EXE, a known supervisor (pid $opener)" \
		test -n "$opener" -a "$(readlink "/proc/$opener/exe" 2>/dev/null)" = "$DM_EXE"
	check "$dm: the opener forked the confined process" \
		test "$(awk '/^PPid:/ { print $2 }' "/proc/$conf/status" 2>/dev/null)" = "$opener"
	xb=$(pgrep -u "$U" -x xbiff | head -1)
	check "$dm: the application (xbiff, pid $xb) descends from the confined process" \
		x11_descends "$xb" "$conf"
	check "$dm: the shell escape ran as the user, from the application" \
		grep -qE "^ESCAPE .* uid=$UID_U .*(parent|grandparent)=xbiff" "$H/escape.log"
	check "$dm: the escape wrote inside the data directory" grep -q '^INSIDE 0' "$H/escape.log"
	check "$dm: every write outside it failed" \
		bash -c "grep -E '^(TOUCH|MKDIR) ' '$H/escape.log' | grep -qv ' 1\$' && exit 1; grep -q '^TOUCH /var/tmp 1' '$H/escape.log'"
	check "$dm: and nothing outside the data directory was written" \
		bash -c "while read -r d; do [ -e \"\$d/$LL_TAG-escape\" ] || [ -e \"\$d/$LL_TAG-escape.d\" ] && exit 1; done <'$WORK/targets'; exit 0"
	svc_events_wait "kind=access .*blockers=fs.make_reg .*var/tmp.* uid=$UID_U .*comm=touch" 5
	e=$(svc_events | grep -a "kind=access .*blockers=fs.make_reg .*var/tmp.* uid=$UID_U .*comm=touch" | head -1)
	check "$dm: audit: the escape's write to /var/tmp was denied (1423 fs.make_reg)" test -n "$e"
	dom=$(ev domain <<<"$e")
	check "$dm: audit: in the domain the confined process created" \
		grep -q "kind=alloc .* domain=$dom pid=$conf " <(svc_events)
	check "$dm: audit: every target's write denied (fs.make_reg and fs.make_dir)" \
		bash -c "while read -r d; do for b in make_reg make_dir; do grep -qaF \"blockers=fs.\$b obj=path=\$d,\" <<<\"\$1\" || exit 1; done; done <'$WORK/targets'" _ "$(svc_events | grep -a " uid=$UID_U ")"
	check "$dm: no denial from the opener" refute grep -q "kind=access .* pid=$opener " <(svc_events)
	# The session ends with its command (the kiosk application exits):
	# under greetd and lightdm the opener then closes it with no signal
	# pending. nodm's session ends when nodm is stopped. (Stopping lightdm
	# with its session running races in lightdm itself: it signals the X
	# server, then the session worker, and a worker whose session already
	# ended exits on that SIGTERM before pam_close_session.)
	if [ "$dm" != nodm ]; then
		x11_stop "$xb"
		syslog_wait "pam_unix($DM_SERVICE:session): session closed for user $U" 5
	fi
	x11_stop "$DM_PID" 15
	if ! syslog_wait "pam_unix($DM_SERVICE:session): session closed for user $U" 5; then
		not_ok "$dm: the opener closed the session"
		log "the display manager's log ($DM_LOG), its end:"
		tail -n 40 "$DM_LOG" | sed 's/^/#   /'
	else
		ok "$dm: the opener closed the session"
	fi
	check "$dm: no warning at close_session" \
		refute grep -qa "pam_landlock($DM_SERVICE:session): session of $U" <(syslog_new)
	if [ "$dm" != nodm ]; then
		svc_wtmp_new >"$WORK/wtmp.$dm"
		check "$dm: wtmp: login and logout records of the session (written by the unconfined worker)" \
			bash -c "grep -qE '^\[7\] .*\[$U *\]' '$WORK/wtmp.$dm' && grep -qE '^\[8\] ' '$WORK/wtmp.$dm'"
	fi
	x11_end_user "$UID_U"
	[ -z "${XVFB_PID:-}" ] || { x11_stop "$XVFB_PID"; XVFB_PID=; }
}

x11_system_bus || { echo "FAIL: private D-Bus system bus"; exit 1; }
for dm in lightdm greetd nodm; do
	kiosk_run "$dm" kiosk "$KIOSK"
done

# Debian's own desktop session under lightdm with the shipped policy: the X
# server as lightdm starts it (abstract socket too), the "desktop" profile.
log "lightdm, shipped policy: a Debian desktop session"
# (kiosk_run with the X server's abstract socket left on)
kiosk_desktop() {
	local stack="$WORK/pam.desktop" wid conf
	setup_home
	svc_mark
	stack_for lightdm-autologin "$POLICY" >"$stack"
	dm_lightdm "$stack" local || { not_ok "desktop: lightdm could not start"; return; }
	export DISPLAY XAUTHORITY
	wid=$(x11_window "$APP" "$DISPLAY" 20)
	check "desktop: the application's window is on the display" test -n "$wid"
	[ -n "$wid" ] || dm_diag desktop
	for i in $(seq 50); do grep -q '^END' "$H/escape.log" 2>/dev/null && break; sleep 0.2; done
	conf=$(svc_confined_pids lightdm-autologin | head -1)
	check "desktop: confined with the shipped policy's desktop profile" \
		syslog_wait "confined user=$U service=lightdm-autologin profile=desktop .* confine=children pid=$conf" 1
	check "desktop: the write to /var/tmp was denied" grep -q '^TOUCH /var/tmp 1' "$H/escape.log"
	check "desktop: the home directory is writable" grep -q '^INSIDE 0' "$H/escape.log"
	x11_stop "$DM_PID" 15
	x11_end_user "$UID_U"
}
kiosk_desktop

# The kiosk profile without "-nolisten local": the X server's abstract
# socket is outside the session's scope.
log "greetd, kiosk profile, X server also on its abstract socket"
setup_home
svc_mark
stack_for greetd "$KIOSK" kiosk >"$WORK/pam.abstract"
if dm_greetd "$WORK/pam.abstract" local; then
	check "abstract socket: the application never reaches the display" \
		refute x11_window "$APP" "$DISPLAY" 3
	check "abstract socket: audit says why (scope.abstract_unix_socket, as the user)" \
		svc_events_wait "kind=access .*blockers=scope.abstract_unix_socket .* uid=$UID_U " 5
	x11_stop "$DM_PID" 15
	x11_end_user "$UID_U"
	x11_stop "$XVFB_PID"
else
	not_ok "abstract socket: greetd could not start"
fi
finish
