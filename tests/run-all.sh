#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/run-all.sh - the whole test suite from a fresh clone: configure with
# warnings as errors and sanitizers off, build, and run every test layer
# (unit, libpam-level, end to end) through "make check".  Run as root: the
# end-to-end tests need it.  Prints "N passed, N failed" at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
build=${BUILD_DIR:-$top/_build}

bash tests/install-deps.sh || exit 1
autoreconf -fi >/dev/null 2>&1 || { echo "autoreconf failed (install autoconf automake libtool)"; exit 1; }
mkdir -p "$build"
cd "$build"
"$top/configure" --sysconfdir=/etc --enable-werror >configure.out 2>&1 || { cat configure.out; exit 1; }
make -j"$(nproc)" >make.out 2>&1 || { cat make.out; exit 1; }
make -j1 check
rc=$?
for t in $(find . -name '*.trs' | sort); do
	r=$(sed -n 's/^:test-result: //p' "$t" | head -1)
	printf '%-5s %s\n' "$r" "${t%.trs}"
done
pass=$(grep -h '^:test-result: PASS' $(find . -name '*.trs') 2>/dev/null | wc -l)
fail=$(grep -h '^:test-result: \(FAIL\|ERROR\|XPASS\)' $(find . -name '*.trs') 2>/dev/null | wc -l)
skip=$(grep -h '^:test-result: SKIP' $(find . -name '*.trs') 2>/dev/null | wc -l)
if [ "$rc" -ne 0 ]; then
	for t in $(grep -l '^:test-result: \(FAIL\|ERROR\)' $(find . -name '*.trs')); do
		echo "=== ${t%.trs}.log"; tail -50 "${t%.trs}.log"
	done
fi
echo "tests: $pass passed, $fail failed, $skip skipped"
exit $rc
