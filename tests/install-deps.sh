#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/install-deps.sh - installs the Debian packages the build, the tests
# and the demo need (.ci/packages), only when one is missing, and unpacks
# those that conflict with one of them (.ci/packages-unpacked) into
# /var/cache/pam_landlock-tests.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=$(grep -v '^#' .ci/packages | tr '\n' ' ')
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# Packages run from an unpacked copy (.ci/packages-unpacked): one that is
# missing or of another version than the candidate is fetched again.
unpack_dir=/var/cache/pam_landlock-tests
stale=
for p in $(grep -v '^#' .ci/packages-unpacked 2>/dev/null | tr '\n' ' '); do
	want=$(apt-cache policy "$p" 2>/dev/null | awk '$1 == "Candidate:" { print $2 }')
	[ -n "$want" ] && [ "$(cat "$unpack_dir/$p/.version" 2>/dev/null)" = "$want" ] || stale="$stale $p"
done
[ -z "$missing" ] && [ -z "$stale" ] && exit 0
[ "$(id -u)" = 0 ] || { echo "install-deps: run as root to install:$missing" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# auditd and sshd must not be started by their packages: the tests start
# their own, and there is no init system here.
policy=/usr/sbin/policy-rc.d
created=
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created=1; fi
[ -z "$missing" ] || apt-get install -y -qq --no-install-recommends $missing >/dev/null
[ -n "$created" ] && rm -f "$policy"
for p in $stale; do
	dl=$(mktemp -d)
	chown _apt "$dl" 2>/dev/null || true # apt downloads as _apt where it can
	(cd "$dl" && apt-get download -qq "$p" >/dev/null)
	rm -rf "${unpack_dir:?}/$p"
	mkdir -p "$unpack_dir/$p"
	dpkg-deb -x "$dl"/"${p}"_*.deb "$unpack_dir/$p"
	dpkg-deb -f "$dl"/"${p}"_*.deb Version >"$unpack_dir/$p/.version"
	rm -rf "$dl"
done
exit 0
