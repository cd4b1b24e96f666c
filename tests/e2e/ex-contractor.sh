#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/ex-contractor.sh - conf/examples/contractor.conf at work, with
# "from" decided by a real sshd's PAM_RHOST: the example's group, project
# directory and office network become a unique test group, a test
# directory and loopback blocks; one extra allowed port.
#
# One sshd on 127.0.0.1 and ::1.  With the office network 127.0.0.1/32 and
# ::1/128, a contractor connecting from 127.0.0.1 or ::1 gets "contractor"
# (group+from): the project is writable and runnable, the home and /tmp are
# not, listed ports only, no listening.  From 127.0.0.2 (ssh -b) the same
# contractor gets "contractor_offsite" (group): the project read-only,
# nothing writable, no network.  With the office network elsewhere
# (10.99.0.0/16), 127.0.0.1 is outside too.  su -l (no remote host) matches
# only the entry without "from".  Staff get "staff" from anywhere.  For
# every session "landlockctl explain --from" predicts the profile and the
# match the module logs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"
. "$top_srcdir/tests/e2e/examples-lib.sh"

CTL="$top_builddir/tools/landlockctl"
ex_init sshd ssh ssh-keygen socat ss su unshare mount
[ -x "$CTL" ] || prereq_missing "landlockctl not built at $CTL"
ip -6 addr show dev lo | grep -q 'inet6 ::1/128' || prereq_missing "no ::1 on lo (IPv6 loopback)"
T0=$(date +%s)
read -r OK NO < <(svc_ports 2 | tr '\n' ' ')
G=$(group_add ctr) || { echo "FAIL: groupadd"; exit 1; }
PROJ="$WORK/project"
install -d -m 2775 -g "$G" "$PROJ"
echo "spec" >"$PROJ/README" && chgrp "$G" "$PROJ/README"

# office NETWORKS: the example with the test's group, project, port and
# office network NETWORKS (a libconfig list body).
office() {
	sed -e "s|group = \"contractors\";|group = \"$G\";|" \
		-e "s|\"/srv/project\"|\"$PROJ\"|" \
		-e "s|from = \[\"192.0.2.0/24\", \"2001:db8:1::/48\"\];|from = [$1];|" \
		-e "/^  contractor = {/,/^  };/s|connect_tcp = \[22, 443\];|connect_tcp = [22, 443, $OK];|" \
		"$EXAMPLES/contractor.conf" >"$WORK/tmp.conf" && install -m 0644 "$WORK/tmp.conf" "$POL"
	ex_has "$POL" "group = \"$G\"; from = [$1];" "\"$PROJ\"; access = \"read_write_exec\"" "connect_tcp = [22, 443, $OK];"
}
POL="$WORK/contractor.conf"
office '"127.0.0.1/32", "::1/128"'
ex_sshd "$POL"
K=$(ex_user k -G "$G") && O=$(ex_user o) || { echo "FAIL: useradd"; exit 1; }
HK=$(getent passwd "$K" | cut -d: -f6)
for p in "$OK" "$NO"; do ex_serve "$p"; done

# What a session tries; its answers in $WORK/TAG.out.
work() {
	printf '%s\n' "echo \"project: \$($P create $PROJ/$LL_TAG-\$\$)\"" \
		"echo \"readproj: \$(cat $PROJ/README 2>/dev/null || echo EACCES) pid=0\"" \
		"echo \"home: \$($P create ~/$LL_TAG-file)\"" \
		"echo \"tmp: \$($P create /tmp/$LL_TAG-file)\"" \
		"echo \"allowed: \$($P connect $OK)\"" \
		"echo \"notlisted: \$($P connect $NO)\"" \
		"echo \"listen: \$($P listen)\""
}
# explained USER SERVICE FROM|"" PROFILE: landlockctl explain predicts
# PROFILE; prints its "profile=P match=FILE:LINE(CLASS)".
explained() {
	local from=()
	[ -n "$3" ] && from=(--from "$3")
	"$CTL" -c "$POL" explain "$1" "$2" "${from[@]}" >"$WORK/explain.out" 2>&1
	grep -o "profile=$4 match=[^ ]*" "$WORK/explain.out" | head -1 | grep . && return 0
	sed 's/^/#   explain: /' "$WORK/explain.out" >&2
	return 1
}
explains() { explained "$@" >/dev/null; }
# session TAG USER FROM PROFILE [ssh options]: an ssh session of USER from
# address FROM; checks the syslog line against explain's prediction.
session() {
	local tag=$1 user=$2 from=$3 profile=$4 want host=127.0.0.1
	shift 4
	case $from in *:*) host=::1 ;; esac
	want=$(explained "$user" "$SVC" "$from" "$profile")
	check "$tag: landlockctl explain --from $from predicts $profile (${want#* })" test -n "$want"
	svc_mark
	"${SSH[@]}" "$@" "$user@$host" "$(work)" >"$WORK/$tag.out" 2>&1
	check "$tag: the module logged what explain predicted ($want)" \
		syslog_wait "confined user=$user service=$SVC $want abi=" 5
	check "$tag: its audit record has the session's remote address (addr=$from)" \
		audit_wait "op=pam_landlock-enforce acct=\"$user\" .* addr=$from " 5
}

log "the office network 127.0.0.1/32, ::1/128"
session in4 "$K" 127.0.0.1 contractor
check "in4: rhost 127.0.0.1: group+from decides" grep -q "(group+from)" <<<"$(syslog_new | grep "confined user=$K ")"
check "in4: the project is writable" ex_ok "$WORK/in4.out" project
check "in4: the home is read-only: fs.make_reg" ex_denial "$WORK/in4.out" home "$K" fs.make_reg "path=$HK,"
check "in4: /tmp: fs.make_reg" ex_denial "$WORK/in4.out" tmp "$K" fs.make_reg "path=/tmp,"
check "in4: the listed port $OK" ex_ok "$WORK/in4.out" allowed
check "in4: a port not listed: net.connect_tcp" ex_denial "$WORK/in4.out" notlisted "$K" net.connect_tcp "daddr=127.0.0.1,dest=$NO"
check "in4: no listening: net.bind_tcp" ex_denial "$WORK/in4.out" listen "$K" net.bind_tcp "saddr=127.0.0.1"

session in6 "$K" ::1 contractor -6
check "in6: rhost ::1: the project is writable" ex_ok "$WORK/in6.out" project

session out4 "$K" 127.0.0.2 contractor_offsite -b 127.0.0.2
check "out4: rhost 127.0.0.2: group decides" grep -q "(group)" <<<"$(syslog_new | grep "confined user=$K ")"
check "out4: the project is readable" grep -qx "readproj: spec pid=0" "$WORK/out4.out"
check "out4: the project is read-only: fs.make_reg" ex_denial "$WORK/out4.out" project "$K" fs.make_reg "path=$PROJ,"
check "out4: no network, not even the listed port: net.connect_tcp" \
	ex_denial "$WORK/out4.out" allowed "$K" net.connect_tcp "daddr=127.0.0.1,dest=$OK"
check "out4: the home: fs.make_reg" ex_denial "$WORK/out4.out" home "$K" fs.make_reg "path=$HK,"

session staff "$O" 127.0.0.2 staff -b 127.0.0.2
check "staff: the home is writable" ex_ok "$WORK/staff.out" home
check "staff: /tmp is writable" ex_ok "$WORK/staff.out" tmp

log "the office network elsewhere (10.99.0.0/16): 127.0.0.1 is outside"
office '"10.99.0.0/16"'
session elsewhere "$K" 127.0.0.1 contractor_offsite
check "elsewhere: the project is read-only: fs.make_reg" ex_denial "$WORK/elsewhere.out" project "$K" fs.make_reg "path=$PROJ,"

log "no remote host: su -l"
office '"127.0.0.1/32", "::1/128"'
svc_stack su-l su-l "$POL" >"$WORK/su-l" || exit 1
want=$(explained "$K" su-l "" contractor_offsite)
check "su -l: landlockctl explain (no --from) predicts contractor_offsite (${want#* })" test -n "$want"
check "su -l: explain says only entries without 'from' apply" \
	grep -q "From:     (no remote host: only entries without 'from' apply)" "$WORK/explain.out"
svc_mark
SVC_BIND="$WORK/su-l:/etc/pam.d/su-l" SVC_PRE=$(svc_loginuid) svc_ns su -l "$K" -c "$(work)" </dev/null >"$WORK/su.out" 2>&1
check "su -l: the module logged what explain predicted ($want)" \
	syslog_wait "pam_landlock(su-l:session): confined user=$K service=su-l $want abi=" 5
check "su -l: its audit record has no remote address (addr=?)" \
	audit_wait "op=pam_landlock-enforce acct=\"$K\" service=su-l .* addr=? " 5
check "su -l: the project is read-only: fs.make_reg" ex_denial "$WORK/su.out" project "$K" fs.make_reg "path=$PROJ,"

log "landlockctl explain --from: the forms of an address"
for f in "127.0.0.1:contractor" "::ffff:127.0.0.1:contractor" "::1:contractor" "127.0.0.2:contractor_offsite" \
	"::2:contractor_offsite" "localhost:contractor_offsite"; do
	a=${f%:*} p=${f##*:}
	check "explain --from $a: $p" explains "$K" "$SVC" "$a" "$p"
done
check "explain --from localhost: a host name only matches entries without from" \
	grep -q "From:     (not an IP address: only entries without 'from' apply)" "$WORK/explain.out"
log "ran in $(($(date +%s) - T0)) s"
finish
