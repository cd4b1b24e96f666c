#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# bench/session/smoke.sh - "make check" runs the in-session benchmark
# (bench/session/run.sh) in its smoke mode: tiny trees, two pairs, every
# workload confined and unconfined, and the refusals that keep a silent
# no-op from passing for a cheap sandbox.  It asserts behaviour, not time.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
export top_srcdir top_builddir
exec bash "$top_srcdir/bench/session/run.sh" --smoke
