#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/groups.sh - group entries of the policy decide as the group
# database says, or the session is refused: never a silent fall to a laxer
# entry (issue 9, item 4).  Real "su -l" sessions in a private mount
# namespace where /etc/group and /etc/nsswitch.conf are bind-mounted copies;
# the shipped policy with its "sftponly -> sftp" entry renamed to a unique
# group.
#
# Checks: a member of the restricting group gets profile sftp (3 of 3
# sessions, match= names the group entry) when a group line of more than
# 64 KiB comes first in /etc/group; also through the primary gid alone, and
# for a user in 400 groups with the restricting one last; a user in 400
# groups but not that one gets the default entry; when the group source of
# nsswitch.conf cannot be used (a module that does not exist, or one that is
# not installed) the session is refused with the group and the policy line
# named - glibc's getgrnam_r then answers exactly as for a group that does
# not exist (0, no entry), so only a probe of the database itself can tell.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/svc-lib.sh"

svc_init su unshare mount
G="${LL_TAG}sftp" # the restricting group; it exists only in the private /etc/group
GPOL="$WORK/groups.conf"
sed "s|group = \"sftponly\";|group = \"$G\";|" "$POLICY" >"$WORK/tmp.conf"
install -m 0644 "$WORK/tmp.conf" "$GPOL"
GLINE=$(grep -n "group = \"$G\";" "$GPOL" | cut -d: -f1)
DLINE=$(grep -n 'default = true; profile = "shell";' "$GPOL" | cut -d: -f1)
[ -n "$GLINE" ] && [ -n "$DLINE" ] || { echo "FAIL: the shipped policy no longer maps sftponly to sftp; update this test"; exit 1; }

# A group file: the system's, then the lines given on stdin.
group_file() { { cat /etc/group; cat; } >"$WORK/$1.group"; chmod 0644 "$WORK/$1.group"; }
nss_file() { sed "s|^group:.*|group: $2|" /etc/nsswitch.conf >"$WORK/$1.nss"; chmod 0644 "$WORK/$1.nss"; }
# session TAG GROUPFILE NSSFILE: one su -l session of U with those files.
session() {
	svc_mark
	SVC_BIND="$WORK/$2.group:/etc/group $WORK/$3.nss:/etc/nsswitch.conf" \
		svc_su "$1" "$GPOL" -l "$U" -c "$(svc_suprobe)"
}
# profile_is TAG PROFILE LINE CLASS: the session ran, was confined with
# PROFILE by the entry at LINE (CLASS) and behaved so.
profile_is() {
	local l
	l=$(svc_confined_line su-l)
	check "$1: the session ran, the write to $DENY_DIR denied" grep -q "TOUCH=1" "$WORK/$1.txt"
	check "$1: confined with profile $2, match=$GPOL:$3($4)" \
		grep -q " profile=$2 match=$GPOL:$3($4) " <<<"$l"
	if [ "$2" = sftp ]; then
		check "$1: no execute in the home (sftp profile)" grep -q "HOMEEXEC=126" "$WORK/$1.txt"
	else
		check "$1: execute in the home ($2 profile)" grep -q "HOMEEXEC=0" "$WORK/$1.txt"
	fi
}
nss_file files files
# in_group GROUPFILE: "id -Gn U" lists G with that group file.
in_group() { SVC_BIND="$WORK/$1.group:/etc/group" svc_ns id -Gn "$U" | grep -qw "$G"; }
ngroups() { SVC_BIND="$WORK/$1.group:/etc/group" svc_ns id -G "$U" | wc -w; }

log "a group line over 64 KiB before the restricting group"
members=$(seq -f "${LL_TAG}member%05g" 1 6000 | paste -sd,)
group_file big <<EOF
${LL_TAG}big:x:$((UID_U + 50000)):$members
$G:x:$((UID_U + 50001)):$U
EOF
len=$(grep "^${LL_TAG}big:" "$WORK/big.group" | wc -c)
check "the big group's line is over 64 KiB ($len bytes)" test "$len" -gt 65536
for i in 1 2 3; do
	session "big$i" big files
	profile_is "big$i" sftp "$GLINE" group
done
check "id(1) sees the user in $G through the private file" in_group big

log "the restricting group is the user's primary group (gid only, no member list)"
sed "s|group = \"$G\";|group = \"$U\";|" "$GPOL" >"$WORK/tmp.conf"
install -m 0644 "$WORK/tmp.conf" "$WORK/primary.conf"
group_file prim <<EOF
${LL_TAG}big:x:$((UID_U + 50000)):$members
EOF
svc_mark
SVC_BIND="$WORK/prim.group:/etc/group" svc_su prim "$WORK/primary.conf" -l "$U" -c "$(svc_suprobe)"
check "primary: confined with sftp by the group entry" \
	grep -q " profile=sftp match=$WORK/primary.conf:$GLINE(group) " <<<"$(svc_confined_line su-l)"

log "a user in 400 groups"
for i in $(seq 1 400); do echo "${LL_TAG}g$i:x:$((UID_U + 60000 + i)):$U"; done >"$WORK/many.lines"
group_file many <"$WORK/many.lines"
session many400 many files
profile_is many400 shell "$DLINE" default
check "many400: the user has 401 groups" test "$(ngroups many)" = 401
{ cat "$WORK/many.lines"; echo "$G:x:$((UID_U + 50001)):$U"; } | group_file manyg
session many401 manyg files
profile_is many401 sftp "$GLINE" group

log "the group source of nsswitch.conf cannot be used"
group_file plain <<EOF
$G:x:$((UID_U + 50001)):$U
EOF
for src in nonexistent_module "db"; do
	tag=nss-${src%% *}
	nss_file "$tag" "$src"
	session "$tag" plain "$tag"
	check "$tag: no shell" refute grep -q "TOUCH=" "$WORK/$tag.txt"
	check "$tag: su failed" refute grep -q "SVC-EXIT=0$" "$WORK/$tag.txt"
	check "$tag: not confined with the default entry" test -z "$(svc_confined_line su-l)"
	check "$tag: refused, naming the group and the entry's line" \
		syslog_wait "session refused for $U: $GPOL:$GLINE: cannot look up group '$G' for user '$U': " 5
	check "$tag: the refusal says what to do" \
		syslog_wait "(needed by the match entry at this line); check the group: line of /etc/nsswitch.conf" 1
	log "$(syslog_new | grep -ao 'session refused for .*' | head -1)"
done
finish
