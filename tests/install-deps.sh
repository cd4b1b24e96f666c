#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/install-deps.sh - installs the Debian packages the build, the tests
# and the demo need (.ci/packages), only when one is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=$(grep -v '^#' .ci/packages | tr '\n' ' ')
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
[ "$(id -u)" = 0 ] || { echo "install-deps: run as root to install:$missing" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# auditd and sshd must not be started by their packages: the tests start
# their own, and there is no init system here.
policy=/usr/sbin/policy-rc.d
created=
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created=1; fi
apt-get install -y -qq --no-install-recommends $missing >/dev/null
[ -n "$created" ] && rm -f "$policy"
exit 0
