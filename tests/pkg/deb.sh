#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/pkg/deb.sh - the Debian packages, end to end, as root: built once
# from a fresh copy of the source (the dist tree of this build, as a release
# tarball would unpack), checked by lintian, installed, the pam-auth-update
# profile enabled, a real "su -l" session opened through the installed
# module named bare (pam_landlock.so, from Debian's common-session) and seen
# confined, then purged while enabled, leaving no file of the packages.
#
# Everything that touches PAM's state (install, enable, the session, purge)
# runs in private mount namespaces over copies of /etc/pam.d, /var/lib/pam
# (pam-auth-update's record of what it wrote) and /var/cache/debconf (its
# answers), so the machine's own PAM configuration is never changed; the
# test checks that too.  Files of the packages that were already on the
# machine (a "make install", an admin's landlock.conf) are moved aside and
# put back at exit.  Installed packages are purged at exit, also on failure.

. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/e2e/lib.sh"

need_root
need_cmd dpkg-buildpackage dpkg-checkbuilddeps dpkg-parsechangelog dpkg-architecture dpkg-deb dh lintian \
	apt-get pam-auth-update debconf-show unshare mount su setpriv auditctl make
need_landlock_abi 7 # audit records of the session's denials
PROBE="$top_builddir/tests/e2e/probe"
[ -x "$PROBE" ] || prereq_missing "probe not built at $PROBE (run make check)"
PKGS="libpam-landlock pam-landlock-tools"
PROFILE=landlock
SECDIR=/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/security
export DEBIAN_FRONTEND=noninteractive
for p in $PKGS; do
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)
	case "$s" in "" | "un "*) ;; *)
		prereq_missing "package $p is on this machine ($s): the test installs and purges its own build; purge it first" ;;
	esac
done

version=$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")
debversion=$(dpkg-parsechangelog -l "$top_srcdir/debian/changelog" -S Version)
check "debian/changelog's version ($debversion) is configure.ac's ($version)" [ "$debversion" = "$version" ]

workdir
T0=$(date +%s)

# ---- build, once, in a fresh copy -----------------------------------------
SRC="$WORK/src/pam_landlock-$version"
mkdir -p "$WORK/src"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$top_builddir" distdir distdir="$SRC" \
	>"$WORK/distdir.log" 2>&1 || { cat "$WORK/distdir.log"; echo "FAIL: make distdir"; exit 1; }
(cd "$SRC" && dpkg-checkbuilddeps) >"$WORK/builddeps.log" 2>&1 ||
	prereq_missing "$(cat "$WORK/builddeps.log") (apt-get install them; .ci/packages lists them)"
mkdir -p "$WORK/home"
# A clean environment: nothing of make check's (MAKEFLAGS, top_srcdir, CI).
if ! (cd "$SRC" && env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$WORK/home" LANG=C.UTF-8 \
	DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1; then
	tail -60 "$WORK/build.log"
	echo "FAIL: dpkg-buildpackage -us -uc -b"
	exit 1
fi
log "built in $(($(date +%s) - T0)) s"
DEBS=
for p in $PKGS; do
	f="$WORK/src/${p}_${version}_$(dpkg-architecture -qDEB_HOST_ARCH).deb"
	check "built $(basename "$f")" [ -f "$f" ]
	DEBS+=" $f"
done
[ "$FAILS" = 0 ] || finish
check "the build ran the unit tests" grep -q '^PASS: tests/unit/test_parse' "$WORK/build.log"

lintian --fail-on error,warning -I "$WORK/src/pam-landlock_${version}_"*.changes \
	>"$WORK/lintian.out" 2>&1
lrc=$?
sed 's/^/# lintian: /' "$WORK/lintian.out"
check "lintian: no error and no warning (overrides in debian/*.lintian-overrides)" [ "$lrc" = 0 ]

# What the packages hold, straight from the .deb files: "files" (anything
# but a directory) and "dirs".
for f in $DEBS; do dpkg-deb --fsys-tarfile "$f" | tar -tv; done |
	awk '{ p = $6; sub(/^\./, "", p); sub(/\/$/, "", p); if (p != "") print substr($1, 1, 1), p }' |
	sort -u >"$WORK/contents"
awk '$1 != "d" { print $2 }' "$WORK/contents" >"$WORK/files"
awk '$1 == "d" { print $2 }' "$WORK/contents" >"$WORK/dirs"
check "no libtool archive in the packages" bash -c '! grep -q "\.la$" "$1"' _ "$WORK/files"
check "the module is $SECDIR/pam_landlock.so" grep -qx "$SECDIR/pam_landlock.so" "$WORK/files"

# ---- the machine before -----------------------------------------------------
# state: what must be the same at the end (PAM's files and debconf answers).
state() {
	(cd /etc/pam.d && find . -printf '%p %y %m %l\n' && find . -type f -exec sha256sum {} +) | sort
	(cd /var/lib/pam && find . -type f -exec sha256sum {} +) | sort
	debconf-show libpam-runtime | sort
}
state >"$WORK/state.before"
same_state() { state >"$WORK/state.now" && diff "$WORK/state.before" "$WORK/state.now"; }
# Files of the packages already here (not from dpkg: a make install, an
# admin's policy) go aside now and come back after the purge.
while read -r f; do
	[ -e "$f" ] || [ -L "$f" ] || continue
	mkdir -p "$WORK/aside$(dirname "$f")"
	mv "$f" "$WORK/aside$f" && at_exit "mv -f '$WORK/aside$f' '$f'"
	log "moved $f aside for the test"
done <"$WORK/files"
while read -r d; do [ -d "$d" ] && echo "$d"; done <"$WORK/dirs" >"$WORK/dirs.before"

# ---- private PAM state ----------------------------------------------------
NS="$WORK/ns"
mkdir -p "$NS"
cp -a /etc/pam.d "$NS/pam.d"
# Files that name the module already (an admin's hand-written lines) are
# not the package's doing: the checks of what it adds leave them out.
grep -rl pam_landlock "$NS/pam.d" | sed 's/$/:/' >"$WORK/pam.d.had"
[ -s "$WORK/pam.d.had" ] && log "these already name pam_landlock: $(tr '\n' ' ' <"$WORK/pam.d.had")"
cp -a /var/lib/pam "$NS/lib-pam"
cp -a /var/cache/debconf "$NS/debconf"
# in_ns CMD...: CMD in a new mount namespace where /etc/pam.d, /var/lib/pam
# and /var/cache/debconf are the private copies (unshare -m: private
# propagation, nothing leaks out).
in_ns() {
	unshare -m -- bash -c 'mount --bind "$1/pam.d" /etc/pam.d &&
		mount --bind "$1/lib-pam" /var/lib/pam &&
		mount --bind "$1/debconf" /var/cache/debconf && shift && exec "$@"' _ "$NS" "$@"
}
# The purge at exit runs before the files moved aside come back (LIFO).
at_exit "in_ns dpkg --purge $PKGS"

# ---- install ---------------------------------------------------------------
apt-get install -s --no-install-recommends $DEBS >"$WORK/apt-s.out" 2>&1
others=$(sed -n 's/^Inst \([^ ]*\) .*/\1/p' "$WORK/apt-s.out" | grep -vxE 'libpam-landlock|pam-landlock-tools')
[ -z "$others" ] || prereq_missing "apt would also install: $others (install the runtime libraries first)"
in_ns apt-get install -y -q --no-install-recommends $DEBS >"$WORK/install.log" 2>&1
rc=$?
check "apt-get install ./*.deb" [ $rc = 0 ]
[ $rc = 0 ] || sed 's/^/# /' "$WORK/install.log"
for p in $PKGS; do
	check "$p is installed" [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p")" = "ii " ]
done
check "$SECDIR/pam_landlock.so belongs to libpam-landlock" \
	bash -c '[ "$(dpkg-query -S "$1" 2>/dev/null | cut -d: -f1)" = libpam-landlock ]' _ "$SECDIR/pam_landlock.so"
check "no pam_landlock.la in $SECDIR" [ ! -e "$SECDIR/pam_landlock.la" ]
conffiles=$(dpkg-query -W -f='${Conffiles}\n' $PKGS)
check "/etc/security/landlock.conf is a conffile" grep -q '^ /etc/security/landlock.conf ' <<<"$conffiles"
check "/etc/audit/plugins.d/aulandlock.conf is a conffile" \
	grep -q '^ /etc/audit/plugins.d/aulandlock.conf ' <<<"$conffiles"
check "the auditd plugin is installed inactive (active = no)" \
	grep -qx 'active = no' /etc/audit/plugins.d/aulandlock.conf
check "the profile is Default: no" grep -qx 'Default: no' "/usr/share/pam-configs/$PROFILE"
# pam-auth-update stacks higher Priority first, equal ones by name (z..a):
# ours is last only if its Priority is below every other profile's.
prio=$(sed -n 's/^Priority: *//p' "/usr/share/pam-configs/$PROFILE")
others=$(for f in /usr/share/pam-configs/*; do
	[ "$f" = "/usr/share/pam-configs/$PROFILE" ] || sed -n 's/^Priority: *//p' "$f"
done | sort -n | head -1)
check "the profile's Priority ($prio) is below every other profile's (lowest: ${others:-none})" \
	[ "$prio" -lt "${others:-0}" ]
check "installing changed no PAM stack (private copy = the machine's)" diff -r /etc/pam.d "$NS/pam.d"
check "installed landlockctl accepts the installed policy" \
	bash -c '/usr/sbin/landlockctl check 2>&1 | sed "s/^/# /"; exit "${PIPESTATUS[0]}"'
for ex in "$top_srcdir"/conf/examples/*.conf; do
	f=/usr/share/doc/libpam-landlock/examples/${ex##*/}
	check "the example policy ${ex##*/} is installed as $f" cmp -s "$ex" "$f"
	check "installed landlockctl accepts $f" /usr/sbin/landlockctl -q -c "$f" check
done

# ---- enable ----------------------------------------------------------------
# With mkhomedir too (libpam-runtime's, Priority 0 like most session
# profiles): ours must still come last.
in_ns pam-auth-update --enable "$PROFILE" mkhomedir >"$WORK/enable.log" 2>&1
rc=$?
check "pam-auth-update --enable $PROFILE mkhomedir" [ $rc = 0 ]
[ $rc = 0 ] || sed 's/^/# /' "$WORK/enable.log"
sed -n '/^# and here are more/,/^# end of pam-auth-update/p' "$NS/pam.d/common-session" | sed 's/^/# common-session: /'
check "common-session has pam_mkhomedir too" grep -q pam_mkhomedir "$NS/pam.d/common-session"
# The Additional block of common-session ends with our line.
last=$(sed -n '/^# and here are more per-package modules/,/^# end of pam-auth-update config/p' \
	"$NS/pam.d/common-session" | grep -v '^#' | tail -1)
check "common-session: the last session line is ours: '$last'" \
	grep -qE '^session[[:space:]]+required[[:space:]]+pam_landlock\.so[[:space:]]*$' <<<"$last"
check "pam_landlock is in common-session once, and in no other file" \
	[ "$(grep -rc pam_landlock "$NS/pam.d" | grep -v ':0$' | grep -vF -f "$WORK/pam.d.had")" = "$NS/pam.d/common-session:1" ]
check "the machine's /etc/pam.d is unchanged" same_state

# ---- a real session --------------------------------------------------------
audit_start
syslog_start
probe_user pkg || { echo "FAIL: the test user"; exit 1; }
denied=$DENIED
check "control: $U creates a file in $denied outside a session" \
	setpriv --reuid="$U" --regid="$U" --init-groups "$PROBE" create "$denied/control" >/dev/null

audit_mark
SYSLOG_OFF=$(stat -c %s "$SYSLOG_FILE")
out=$(in_ns su -l "$U" -c "printf 'denied: '; ~/probe create $denied/in-session
printf 'home: '; ~/probe create ~/in-session; echo end" 2>&1)
printf '%s\n' "$out" | sed 's/^/# session: /'
check "su -l: the session ran to its end" grep -qx end <<<"$out"
check "su -l: creating a file in $denied fails with EACCES (Unix permissions allow it)" \
	grep -q '^denied: EACCES ' <<<"$out"
check "su -l: creating a file in the home succeeds" grep -q '^home: ok ' <<<"$out"
pid=$(sed -n 's/^denied: EACCES pid=//p' <<<"$out")
audit_wait "type=SYSCALL .* pid=${pid:-x} " 10
A="$WORK/audit.log"
audit_new >"$A"
serial=$(grep -a 'type=SYSCALL ' "$A" | grep -a " pid=${pid:-x} " | head -1 | sed -n 's/.*msg=audit(\([0-9.:]*\)).*/\1/p')
ev=$(grep -aF "msg=audit(${serial:-x})" "$A")
check "audit: the denial (blockers=fs.make_reg on $denied) in the event of pid ${pid:-?}" \
	grep -qaE "type=(UNKNOWN\[1423\]|LANDLOCK_ACCESS) .*blockers=fs\.make_reg .*path=\"?$denied\"?( |$)" <<<"$ev"
check "audit: the denied syscall ran as $U (uid $UID_U)" grep -qa "type=SYSCALL .* uid=$UID_U " <<<"$ev"
check "syslog: pam_landlock(su-l:session): confined user=$U service=su-l" \
	syslog_wait "pam_landlock(su-l:session): confined user=$U service=su-l "
rep=$(/usr/sbin/aulandlock -if "$A" --denials --format csv 2>&1)
printf '%s\n' "$rep" | grep -a "$denied" | sed 's/^/# aulandlock: /'
check "installed aulandlock lists the denial" grep -qa "$denied" <<<"$rep"

# ---- disable, enable again ------------------------------------------------
in_ns pam-auth-update --disable "$PROFILE" >>"$WORK/enable.log" 2>&1
check "pam-auth-update --disable $PROFILE takes the line out" \
	bash -c '! grep -q pam_landlock "$1"' _ "$NS/pam.d/common-session"
in_ns pam-auth-update --enable "$PROFILE" >>"$WORK/enable.log" 2>&1
check "pam-auth-update --enable $PROFILE puts it back" \
	grep -q pam_landlock "$NS/pam.d/common-session"

# ---- purge, while enabled ---------------------------------------------------
dpkg-query -L $PKGS | grep -vxE '/\.|' | sort -u >"$WORK/listed"
check "dpkg -L lists what the .deb files hold" \
	bash -c 'diff <(sort -u "$1" "$2") "$3"' _ "$WORK/files" "$WORK/dirs" "$WORK/listed"
in_ns dpkg --purge $PKGS >"$WORK/purge.log" 2>&1
rc=$?
check "dpkg --purge" [ $rc = 0 ]
[ $rc = 0 ] || sed 's/^/# /' "$WORK/purge.log"
for p in $PKGS; do
	s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)
	check "$p is gone from dpkg's database ('$s')" [ -z "$s" -o "$s" = "un " ]
done
left=
while read -r f; do
	[ -e "$f" ] || [ -L "$f" ] && left+=" $f"
done <"$WORK/files"
while read -r d; do # a directory stays if it was here before or is another package's
	[ -d "$d" ] || continue
	grep -qxF "$d" "$WORK/dirs.before" || dpkg-query -S "$d" >/dev/null 2>&1 || left+=" $d/"
done <"$WORK/dirs"
check "purge left no file of the packages (${left:-none left})" [ -z "$left" ]
check "/etc/security/landlock.conf is gone" [ ! -e /etc/security/landlock.conf ]
check "no dpkg leftovers of our conffiles" \
	bash -c '! ls /etc/security/landlock.conf.* /etc/audit/plugins.d/aulandlock.conf.* 2>/dev/null | grep -q .'
check "the prerm took the module out of common-session" \
	bash -c '! grep -rl pam_landlock "$1" | sed "s/$/:/" | grep -qvF -f "$2"' _ "$NS/pam.d" "$WORK/pam.d.had"
check "pam-auth-update forgot the profile" bash -c '! grep -qx "$1" "$2/seen"' _ "$PROFILE" "$NS/lib-pam"
out=$(in_ns su -l "$U" -c 'echo session-after-purge' 2>&1)
check "su -l still opens a session after the purge (no stack names a missing module)" \
	grep -qx session-after-purge <<<"$out"
check "the machine's /etc/pam.d, /var/lib/pam and debconf answers are as before" same_state
log "package test took $(($(date +%s) - T0)) s"
finish
