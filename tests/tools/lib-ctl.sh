# SPDX-License-Identifier: BSD-3-Clause
# tests/tools/lib-ctl.sh - what landlockctl's tests share, on top of
# tests/e2e/lib.sh: the built tool and helpers, policies written inline with
# "# @NAME" markers (so expected line numbers follow the text), and output
# assertions that show what they got when they fail.

. "$top_srcdir/tests/e2e/lib.sh"

CTL="$top_builddir/tools/landlockctl"
PROBE="$top_builddir/tests/tools/ll-probe"
SESSION="$top_builddir/tests/tools/ll-session"

ctl_init() {
	[ -x "$CTL" ] || prereq_missing "landlockctl not built at $CTL (run make)"
	workdir
}

# policy NAME < text: a root-owned 0644 copy in $WORK; prints its path.
policy() {
	local f="$WORK/$1.conf"
	cat >"$f" && chown root:root "$f" && chmod 0644 "$f" && echo "$f"
}
# line_of MARK FILE: the line that holds "# @MARK".
line_of() { grep -n -- "# @$1\$" "$2" | head -1 | cut -d: -f1; }

# ctl ARGS...: runs landlockctl; sets RC, OUT (stdout), ERR (stderr).
ctl() {
	"$CTL" "$@" >"$WORK/out" 2>"$WORK/err"
	RC=$?
	OUT=$(cat "$WORK/out")
	ERR=$(cat "$WORK/err")
}

# has TEXT STRING: STRING contains TEXT (fixed string), else shows STRING.
has() {
	if grep -qF -- "$1" <<<"$2"; then return 0; fi
	printf '# expected to find: %s\n# in:\n%s\n' "$1" "$(sed 's/^/#   /' <<<"$2")"
	return 1
}
hasnt() {
	if ! grep -qF -- "$1" <<<"$2"; then return 0; fi
	printf '# expected NOT to find: %s\n# in:\n%s\n' "$1" "$(sed 's/^/#   /' <<<"$2")"
	return 1
}
# same EXPECTED GOT: exact equality, with a diff when not.
same() {
	if [ "$1" = "$2" ]; then return 0; fi
	diff <(printf '%s\n' "$1") <(printf '%s\n' "$2") | sed 's/^/# /'
	return 1
}
# is EXPECTED GOT: integers.
is() {
	[ "$1" = "$2" ] && return 0
	echo "# expected $1, got $2"
	return 1
}
# none_in_audit REGEX: no record since audit_mark matches.
none_in_audit() { ! audit_new | grep -qaE -- "$1"; }
