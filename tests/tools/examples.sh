#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/tools/examples.sh - the shipped policy and every example policy
# (conf/examples/*.conf) under landlockctl:
#   - check accepts each as it is (--abi 10 and this kernel's), with no
#     warning but about the user and group names it asks the admin to
#     create; --strict accepts a copy in which those names exist;
#   - name services on Landlock ABI 9 (issue 13, part 5): for every profile,
#     "explain --abi 9 USER" lists syslog (/dev), journald, systemd-userdbd,
#     systemd-resolved, SSSD and nscd with resolve_unix granted, or skipped
#     because missing, on this system; and granted, all of them, in a mount
#     namespace where those directories exist;
#   - the bastion's agent-forwarding rules plan resolve_unix on ABI 9.
. "$(dirname "$0")/lib-ctl.sh"

need_root
ctl_init
EX="$top_srcdir/conf/examples"
FILES=("$top_srcdir/conf/landlock.conf" "$EX"/*.conf)
check "there are example policies (${#FILES[@]} files with the shipped one)" test "${#FILES[@]}" -ge 4
user_add x >/dev/null || { echo "FAIL: useradd"; exit 1; }
X="${LL_TAG}x"

# The name-service rules: path, what they serve.
NS_PATHS="/dev /run/systemd/journal /run/systemd/userdb /run/systemd/resolve /var/lib/sss/pipes /run/nscd"

# rule_state OUT PATH: the line under the rule for PATH in explain's output
# (what it grants, or why it is skipped), empty if PATH has no rule.
rule_state() {
	awk -v p="$2" 'found { sub(/^ +/, ""); print; exit }
		/^  line [0-9]+ / && $NF == p { found = 1 }' <<<"$1"
}
# profiles FILE: the names of the profiles FILE defines.
profiles() { sed -n '/^profiles = {/,/^};/s/^  \([a-z_][a-z0-9_]*\) = {.*/\1/p' "$1"; }
# only_profile FILE PROFILE: a copy of FILE whose only match entry gives
# everyone PROFILE; prints its path.
only_profile() {
	sed '/^match = (/,/^);/d' "$1" >"$WORK/tmp.conf" &&
		echo "match = ( { default = true; profile = \"$2\"; } );" >>"$WORK/tmp.conf" &&
		policy "$(basename "$1" .conf)-$2" <"$WORK/tmp.conf"
}
# ns_check FILE PROFILE WHERE: explain --abi 9 for user X, each name-service
# rule granted (or, WHERE=system, skipped because missing).
ns_check() {
	local f=$1 prof=$2 where=$3 out p st bad=""
	out=$("$CTL" -c "$f" --abi 9 explain "$X" 2>&1)
	grep -q "^Kernel: Landlock ABI 9 (simulated.*enforcement: full; dropped: none" <<<"$out" ||
		bad+=" (kernel line: $(grep '^Kernel:' <<<"$out"))"
	for p in $NS_PATHS; do
		st=$(rule_state "$out" "$p")
		case $st in
		"grants "*resolve_unix*) ;;
		"does not exist: rule skipped (missing = \"skip\")")
			[ "$where" = system ] && [ "$p" != /dev ] || bad+=" $p: $st;" ;;
		*) bad+=" $p: ${st:-no rule};" ;;
		esac
	done
	[ -z "$bad" ] && return 0
	log "$(basename "$f") profile $prof ($where):$bad"
	return 1
}

# in_ns CODE: the shell CODE (functions of this test included) in a mount
# namespace with a tmpfs on /run and /var/lib holding the name services'
# directories (nobody outside sees it).
in_ns() {
	unshare -m --propagation private bash -c '
		mount -t tmpfs -o mode=0755 tmpfs /run && mount -t tmpfs -o mode=0755 tmpfs /var/lib &&
			mkdir -p /run/systemd/journal /run/systemd/userdb /run/systemd/resolve /run/nscd \
				/var/lib/sss/pipes || exit 99
		eval "$1"' _ "$(declare -f ns_check rule_state log); NS_PATHS='$NS_PATHS' CTL='$CTL' X='$X'; $1"
}

for f in "${FILES[@]}"; do
	name=${f#"$top_srcdir"/}
	copy=$(policy "$(basename "$f" .conf)" <"$f")

	# ---- check, as it is ----------------------------------------------
	for abi in 10 "$("$top_builddir/tests/e2e/ll-abi")"; do
		ctl -c "$copy" --abi "$abi" check
		check "$name: landlockctl check --abi $abi accepts it (exit 0)" is 0 "$RC"
		others=$(grep ': warning: ' <<<"$ERR" |
			grep -v -e ": warning: group '[^']*' does not exist;" -e ": warning: user '[^']*' does not exist;" \
				-e ": warning: profile '[^']*': Landlock ABI $abi (simulated) does not enforce fs.resolve_unix;")
		check "$name --abi $abi: no warning but names to create (and resolve_unix below ABI 9)" same "" "$others"
	done

	# ---- --strict, with the names it asks for ------------------------
	sed_names="" made=""
	for n in $(grep -v '^ *#' "$f" | grep -oE '(user|group) = "[^"]+"' | sed 's/.*= "//; s/"$//' | sort -u); do
		getent passwd "$n" >/dev/null || getent group "$n" >/dev/null && continue
		if getent passwd "$LL_TAG-$n" >/dev/null || getent group "$LL_TAG-$n" >/dev/null; then
			: # made for an earlier file
		elif grep -qE "group = \"$n\"" "$f"; then
			group_add "-$n" >/dev/null || { echo "FAIL: groupadd"; exit 1; }
		else
			user_add "-$n" >/dev/null || { echo "FAIL: useradd"; exit 1; }
		fi
		sed_names+="s|= \"$n\";|= \"$LL_TAG-$n\";|g;"
		made+=" $n"
	done
	strict=$(sed -e "$sed_names" "$f" | policy "$(basename "$f" .conf)-strict")
	ctl -c "$strict" --abi 10 --strict check
	check "$name: --strict accepts it once its users and groups exist (made:${made:- none})" is 0 "$RC"
	[ "$RC" = 0 ] || printf '%s\n' "$ERR" | sed 's/^/#   /'

	# ---- name services on ABI 9, every profile -----------------------
	for prof in $(profiles "$f"); do
		one=$(only_profile "$f" "$prof")
		check "$name, profile $prof: explain --abi 9 grants resolve_unix to each name service, or skips the missing" \
			ns_check "$one" "$prof" system
		check "$name, profile $prof: explain --abi 9 grants resolve_unix to each, where they all exist" \
			in_ns "ns_check '$one' '$prof' all"
	done
done

# ---- the bastion: agent forwarding on ABI 9 ---------------------------------
B=$(only_profile "$EX/bastion.conf" jump)
out=$("$CTL" -c "$B" --abi 9 explain "$X" 2>&1)
check "bastion on ABI 9: /tmp grants sshd's agent directory and socket and resolve_unix, no file" \
	same "grants remove_dir,remove_file,make_dir,make_sock,resolve_unix" "$(rule_state "$out" /tmp)"
check "bastion on ABI 9: the home grants resolve_unix (OpenSSH 10.1's ~/.ssh/agent), no execute" \
	same "grants write_file,read_file,read_dir,remove_dir,remove_file,make_dir,make_reg,make_sock,make_fifo,make_sym,refer,truncate,resolve_unix" \
	"$(rule_state "$out" "/home/$X")"
finish
