#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Replays the policy fuzz corpus through the harness (no crash, no leak
# reported by the sanitizers when built with --enable-sanitizers).
set -eu
exec "$top_builddir/fuzz/policy/fuzz_policy" "$top_srcdir"/fuzz/policy/corpus/*
