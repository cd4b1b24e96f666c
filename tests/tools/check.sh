#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/tools/check.sh - "landlockctl check": the shipped policy is valid;
# broken policies are invalid with the exact FILE:LINE: message; hint; every
# kind of warning (shadowed entries, unknown users and groups, unused
# profiles, missing paths, per-user paths, no fallback entry, rights the ABI
# drops, a profile the ABI refuses, a file the module would not trust); exit
# statuses 0, 1 (also with --strict), 2.
. "$(dirname "$0")/lib-ctl.sh"

need_root # policies must be root-owned for the trust check to be quiet
ctl_init
getent passwd daemon >/dev/null || prereq_missing "user 'daemon' (every Debian has it)"
getent group daemon >/dev/null || prereq_missing "group 'daemon' (every Debian has it)"

# ---- the shipped policy ----------------------------------------------------
SHIPPED=$(install_policy)
ctl -c "$SHIPPED" --abi 10 check
check "shipped policy: valid (exit 0)" is 0 "$RC"
np=$(grep -c '^  [a-z_]* = {' "$SHIPPED")
check "shipped policy: summary line" has "$SHIPPED: valid ($np profiles," "$OUT"
# On ABI 10 nothing is dropped and every path without a variable exists on
# Debian: the only warnings left name users or groups this system lacks
# (the example sftponly group).
warn=$(grep ': warning: ' <<<"$ERR")
check "shipped policy on ABI 10: no warning but absent names" same "" \
	"$(grep -v -e ": warning: group '[^']*' does not exist;" -e ": warning: user '[^']*' does not exist;" <<<"$warn")"
gl=$(grep -n 'group = "sftponly"' "$SHIPPED" | cut -d: -f1)
if [ -n "$gl" ] && ! getent group sftponly >/dev/null; then
	check "shipped policy on ABI 10: the missing sftponly group, at its line" has \
		"$SHIPPED:$gl: warning: group 'sftponly' does not exist; this entry matches nobody through that group until it exists; check the spelling (getent group)" \
		"$warn"
fi
ctl -c "$SHIPPED" --abi 7 check
sl=$(grep -n '^  shell = {' "$SHIPPED" | cut -d: -f1)
check "shipped policy on ABI 7: still valid" is 0 "$RC"
check "shipped policy on ABI 7: shell drops fs.resolve_unix" has \
	"$SHIPPED:$sl: warning: profile 'shell': Landlock ABI 7 (simulated) does not enforce fs.resolve_unix; a right this ABI does not handle is allowed everywhere in these sessions, a dropped log flag leaves denials unlogged; 'landlockctl explain USER' lists the gaps" "$ERR"
ctl -c "$SHIPPED" --abi 3 check
check "shipped policy on ABI 3: TCP, scopes, ioctl_dev and logging dropped" has \
	"profile 'shell': Landlock ABI 3 (simulated) does not enforce fs.ioctl_dev,fs.resolve_unix,net.bind_tcp,net.connect_tcp,scope.abstract_unix_socket,scope.signal,log_new_exec_on;" "$ERR"
ctl -c "$SHIPPED" -q --abi 10 check
check "-q: nothing on stdout" same "" "$OUT"

# ---- broken policies: exit 1, one exact error ------------------------------
broken() { # broken NAME EXPECTED-MESSAGE-AFTER-LINE < policy; line marked "# @err"
	local f l
	f=$(policy "$1")
	l=$(line_of err "$f")
	ctl -c "$f" check
	check "$1: invalid (exit 1)" is 1 "$RC"
	check "$1: error at $1.conf:$l" same "$f:$l: $2" "$ERR"
	check "$1: nothing on stdout" same "" "$OUT"
}
broken syntax "syntax error; fix the syntax (see landlock.conf(5)); every setting ends with ';' and strings are in double quotes" <<'EOF'
version = 1;
profiles = {
  p = { filesystem = ( { path = "/usr"; access = read_exec; } ); }; # @err
};
match = ( { default = true; profile = "p"; } );
EOF
broken right "unknown right 'write'; use read_only, read_exec, read_write, read_write_exec or rights among execute, write_file, read_file, read_dir, remove_dir, remove_file, make_char, make_dir, make_reg, make_sock, make_fifo, make_block, make_sym, refer, truncate, ioctl_dev, resolve_unix" <<'EOF'
version = 1;
profiles = {
  p = { filesystem = ( { path = "/usr";
        access = ["read_file", "write"]; } ); }; # @err
};
match = ( { default = true; profile = "p"; } );
EOF
broken profile "match entry names unknown profile 'shel'; define it under profiles or fix the name" <<'EOF'
version = 1;
profiles = { shell = { }; };
match = (
  { default = true;
    profile = "shel"; } # @err
);
EOF
broken loop "profile 'a' extends itself through a loop; remove one of the extends in the loop" <<'EOF'
version = 1;
profiles = {
  a = { extends = "b"; }; # @err
  b = { extends = "a"; };
};
match = ( { default = true; profile = "a"; } );
EOF
broken port "port 70000 in 'connect_tcp' is out of range; ports are numbers from 0 to 65535" <<'EOF'
version = 1;
profiles = {
  p = { network = { connect_tcp = [22, 70000]; }; }; # @err
};
match = ( { default = true; profile = "p"; } );
EOF
broken key "unknown key 'colour' in a profile; valid keys here: extends, filesystem, network, scope, compatibility, min_abi, no_new_privs, logging, log_subdomains, block_terminal_injection, block_unchecked_protocols, block_io_uring, block_fd_exec" <<'EOF'
version = 1;
profiles = { p = { colour = "red"; }; }; # @err
match = ( { default = true; profile = "p"; } );
EOF
broken dotdot "path '\${HOME}/../x' contains '..'; write the path without '..' components" <<'EOF'
version = 1;
profiles = {
  p = { filesystem = ( { path = "${HOME}/../x"; access = "read_only"; } ); }; # @err
};
match = ( { default = true; profile = "p"; } );
EOF
broken fromhost "bad address 'office.example.com' in 'from': host names are not accepted; write IPv4 or IPv6 addresses or address blocks: \"192.0.2.0/24\", \"2001:db8::/32\"; host names are not accepted (PAM_RHOST would be whatever name reverse DNS gives the client)" <<'EOF'
version = 1;
profiles = { p = { }; };
match = ( { default = true; profile = "p";
            from = ["192.0.2.0/24", "office.example.com"]; } ); # @err
EOF

# ---- warnings --------------------------------------------------------------
user_add w >/dev/null || { echo "FAIL: useradd"; exit 1; }
U="${LL_TAG}w"
W=$(policy warn <<EOF
version = 1;
profiles = {
  p = { filesystem = ( { path = "/usr"; access = "read_exec"; } ); }; # @p
  q = { extends = "p"; }; # @q
  base = { filesystem = ( { path = "/etc"; access = "read_only"; } ); }; # @base
  unused = { extends = "base"; # @unused
             filesystem = ( { path = "/nonexistent-$LL_TAG"; access = "read_only"; }, # @missing
                            { path = "/nonexistent2-$LL_TAG"; access = "read_only"; missing = "skip"; } ); }; # @skipped
  hard = { extends = "p"; compatibility = "hard_requirement"; # @hard
           scope = ["signal"]; };
  home = { filesystem = ( { path = "\${HOME}/sub-$LL_TAG"; access = "read_write"; } ); }; # @homerule
};
match = (
  { user = "root"; profile = "unconfined"; },                       # @root
  { user = ["root", "daemon"]; profile = "p"; },                    # @rootdaemon
  { group = "daemon"; profile = "p"; },                             # @g1
  { group = "daemon"; profile = "q"; },                             # @g2
  { user = "daemon"; service = "sshd"; profile = "p"; },            # @us1
  { user = "daemon"; service = ["sshd", "login"]; profile = "q"; }, # @us2
  { user = "nosuchuser-$LL_TAG"; profile = "hard"; },               # @nouser
  { group = ["nosuchgroup-$LL_TAG", "0"]; profile = "p"; },         # @nogroup
  { user = "$U"; profile = "home"; },                               # @user
  { default = true; service = "sshd"; profile = "q"; },             # @ds
  { default = true; service = "sshd"; profile = "p"; }              # @ds2
);
EOF
)
L() { line_of "$1" "$W"; }
ctl -c "$W" --abi 5 check
check "warnings only: still valid (exit 0)" is 0 "$RC"
check "summary counts the warnings" has "$W: valid (6 profiles, 11 match entries, 16 warnings)" "$OUT"
expected="$W: warning: no entry applies to users that no other entry matches: the module refuses their sessions; add { default = true; profile = \"...\"; } as the last entry (the profile may be \"unconfined\")
$W:$(L p): warning: profile 'p': Landlock ABI 5 (simulated) does not enforce fs.resolve_unix,log_new_exec_on; a right this ABI does not handle is allowed everywhere in these sessions, a dropped log flag leaves denials unlogged; 'landlockctl explain USER' lists the gaps
$W:$(L q): warning: profile 'q': Landlock ABI 5 (simulated) does not enforce fs.resolve_unix,log_new_exec_on; a right this ABI does not handle is allowed everywhere in these sessions, a dropped log flag leaves denials unlogged; 'landlockctl explain USER' lists the gaps
$W:$(L base): warning: profile 'base' is never used: no match entry names it, and no profile in use extends it; remove it, or name it in a match entry
$W:$(L unused): warning: profile 'unused' is never used: no match entry names it, and no profile in use extends it; remove it, or name it in a match entry
$W:$(L missing): warning: path '/nonexistent-$LL_TAG' does not exist: sessions whose profile has this rule are refused; create it, or add missing = \"skip\"; to the rule
$W:$(L skipped): note: path '/nonexistent2-$LL_TAG' does not exist: the rule is skipped
$W:$(L hard): warning: sessions with profile 'hard' are refused on Landlock ABI 5 (simulated): profile 'hard' is a hard requirement but Landlock ABI 5 cannot enforce: fs.resolve_unix,scope.signal,log_new_exec_on; use a newer kernel, or set compatibility = \"best_effort\" (or min_abi) in the profile
$W:$(L homerule): warning: for user '$U': path '/home/$U/sub-$LL_TAG' does not exist: sessions whose profile has this rule are refused; create it, or add missing = \"skip\"; to the rule
$W:$(L homerule): warning: profile 'home': Landlock ABI 5 (simulated) does not enforce fs.resolve_unix,log_new_exec_on; a right this ABI does not handle is allowed everywhere in these sessions, a dropped log flag leaves denials unlogged; 'landlockctl explain USER' lists the gaps
$W:$(L rootdaemon): warning: 'root' in this entry never decides: the entry at line $(L root) decides first; the first matching entry of the most specific class decides: remove this one, or move it above line $(L root)
$W:$(L g2): warning: this entry never decides: the entry at line $(L g1) decides first; the first matching entry of the most specific class decides: remove this one, or move it above line $(L g1)
$W:$(L us2): warning: 'daemon' with service 'sshd' in this entry never decides: the entry at line $(L us1) decides first; the first matching entry of the most specific class decides: remove this one, or move it above line $(L us1)
$W:$(L nouser): warning: user 'nosuchuser-$LL_TAG' does not exist; this entry matches nobody under that name until the user exists; check the spelling (getent passwd)
$W:$(L nogroup): warning: group 'nosuchgroup-$LL_TAG' does not exist; this entry matches nobody through that group until it exists; check the spelling (getent group)
$W:$(L nogroup): warning: group '0' is written as a number, but gid 0 is named 'root'; entries match group names; write the name
$W:$(L ds2): warning: this entry never decides: the entry at line $(L ds) decides first; the first matching entry of the most specific class decides: remove this one, or move it above line $(L ds)"
check "every warning, in file order, exactly" same "$expected" "$ERR"

ctl -c "$W" --abi 5 --strict check
check "--strict: warnings make it invalid (exit 1)" is 1 "$RC"
check "--strict: says why" has "$W: invalid with --strict: 16 warnings" "$ERR"

# The per-user path warning goes once the directory exists.
install -d -o "$U" "/home/$U/sub-$LL_TAG"
ctl -c "$W" --abi 10 check
check "per-user path: no warning once it exists" hasnt "for user '$U'" "$ERR"
check "ABI 10: nothing dropped, the hard profile is accepted" hasnt "Landlock ABI 10" "$ERR"

# ---- entries with "from": shadowed only where every address is taken -----
# A block that an earlier entry of the same rank (or a more specific one)
# holds whole never decides; the entry is reported when all its blocks are
# taken, else each block that is.  An entry with a block nothing holds
# decides there.
F=$(policy from <<'EOF'
version = 1;
profiles = { p = { }; q = { }; };
match = (
  { user = "root"; profile = "unconfined"; },
  { user = "daemon"; from = "10.0.0.0/8"; profile = "p"; },                            # @f1
  { user = "daemon"; from = ["10.0.0.0/8", "192.168.0.0/16"]; profile = "q"; },        # @f2
  { user = "daemon"; from = "10.1.0.0/16"; profile = "q"; },                           # @f3
  { user = "daemon"; from = ["10.2.0.0/16", "172.16.0.0/12"]; profile = "q"; },        # @f4
  { user = "daemon"; from = "0.0.0.0/0"; profile = "q"; },                             # @f5
  { user = "daemon"; service = "sshd"; from = "2001:db8::/32"; profile = "q"; },       # @f6
  { user = "daemon"; service = "sshd"; from = ["2001:db8:1::/48", "::1"]; profile = "p"; }, # @f7
  { user = "daemon"; service = "sshd"; profile = "q"; },                               # @f8
  { default = true; from = ["192.0.2.0/24", "198.51.100.0/24"]; profile = "q"; },      # @f9
  { default = true; from = "192.0.2.0/25"; profile = "p"; },                           # @f10
  { default = true; profile = "p"; }
);
EOF
)
L() { line_of "$1" "$F"; }
ctl -c "$F" --abi 10 check
check "from: valid (exit 0)" is 0 "$RC"
expected="$F:$(L f2): warning: 'daemon' from 10.0.0.0/8 in this entry never decides: the entry at line $(L f1) decides first; the first matching entry of the most specific class decides: remove this one, or move it above line $(L f1)
$F:$(L f3): warning: this entry never decides: the entry at line $(L f1) decides first; the first matching entry of the most specific class decides: remove this one, or move it above line $(L f1)
$F:$(L f4): warning: 'daemon' from 10.2.0.0/16 in this entry never decides: the entry at line $(L f1) decides first; the first matching entry of the most specific class decides: remove this one, or move it above line $(L f1)
$F:$(L f7): warning: 'daemon' with service 'sshd' from 2001:db8:1::/48 in this entry never decides: the entry at line $(L f6) decides first; the first matching entry of the most specific class decides: remove this one, or move it above line $(L f6)
$F:$(L f10): warning: this entry never decides: the entry at line $(L f9) decides first; the first matching entry of the most specific class decides: remove this one, or move it above line $(L f9)"
check "from: a warning for each entry or block that never decides, and none for those that do" same "$expected" "$ERR"

# A policy with no warning at all passes --strict.
CLEAN=$(policy clean <<'EOF'
version = 1;
profiles = { p = { filesystem = ( { path = "/usr"; access = "read_exec"; } ); }; };
match = ( { user = "root"; profile = "unconfined"; }, { default = true; profile = "p"; } );
EOF
)
ctl -c "$CLEAN" --abi 10 --strict check
check "clean policy: --strict passes (exit 0)" is 0 "$RC"
check "clean policy: no diagnostics" same "" "$ERR"

# The module loads with LL_LOAD_TRUSTED: a group-writable file is refused.
chmod 0664 "$CLEAN"
ctl -c "$CLEAN" --abi 10 check
check "group-writable policy: still valid as text (exit 0)" is 0 "$RC"
check "group-writable policy: the module's refusal is a warning" same \
	"$CLEAN: warning: the module would refuse this file where it is: policy is writable by group or others (mode 0664); run: chmod go-w FILE" "$ERR"

# A symlink is never followed by the module: an error, not a warning.
chmod 0644 "$CLEAN"
ln -s "$CLEAN" "$WORK/link.conf"
ctl -c "$WORK/link.conf" check
check "symlinked policy: invalid (exit 1)" is 1 "$RC"
check "symlinked policy: says why" same \
	"$WORK/link.conf: cannot open policy: Too many levels of symbolic links; the policy must be a regular file, not a symlink" "$ERR"

# ---- usage and I/O: exit 2 -------------------------------------------------
ctl -c "$WORK/nonexistent.conf" check
check "missing file: exit 2" is 2 "$RC"
check "missing file: says so" has "landlockctl: cannot read $WORK/nonexistent.conf: No such file or directory" "$ERR"
ctl -c "$WORK" check
check "a directory: exit 2" is 2 "$RC"
ctl -c "$CLEAN" --abi 11 check
check "--abi 11: exit 2" is 2 "$RC"
ctl -c "$CLEAN" check --bogus
check "unknown option: exit 2" is 2 "$RC"
ctl -c "$CLEAN" check root
check "check with a user: exit 2" is 2 "$RC"
ctl
check "no command: exit 2 with usage" is 2 "$RC"
check "no command: usage on stderr" has "usage: landlockctl" "$ERR"

finish
