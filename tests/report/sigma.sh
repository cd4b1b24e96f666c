#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/report/sigma.sh - the Sigma rules of conf/sigma: structure, the
# evaluator (tests/report/sigma/sigmaeval.py), fixtures written to the
# interface of aulandlock's JSON, and the output of this build's aulandlock
# on the real corpus (tests/report/sigma/test_sigma.py says what).  No root
# needed.  python3 and python3-yaml are Debian packages (.ci/packages).
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
missing() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: missing prerequisite under CI=true: $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
command -v python3 >/dev/null 2>&1 || missing "python3 not found (apt-get install python3)"
python3 -c 'import yaml' 2>/dev/null || missing "python3 cannot import yaml (apt-get install python3-yaml)"
exec python3 "$top_srcdir/tests/report/sigma/test_sigma.py"
