#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/tools/explain.sh - "landlockctl explain": which entries match and
# which decides (a user entry beats an earlier group entry; a user+service
# entry beats both; a group entry decides for a member without a user
# entry), --from (IPv4, IPv6, IPv4-mapped, a host name, none; a tie between
# user+service and user+from decided by the file), the resolved profile,
# every rule with its expanded path and rights, network and scopes, what
# --abi 3 drops and the gaps it opens, and the verdict and exit status: 0
# confined or exempt (root), 1 refused (no entry, hard requirement, missing
# path, invalid policy), 2 usage.
. "$(dirname "$0")/lib-ctl.sh"

need_root
ctl_init
group_add g >/dev/null || { echo "FAIL: groupadd"; exit 1; }
G="${LL_TAG}g"
user_add a -G "$G" >/dev/null || { echo "FAIL: useradd"; exit 1; }
user_add b -G "$G" >/dev/null || { echo "FAIL: useradd"; exit 1; }
user_add c >/dev/null || { echo "FAIL: useradd"; exit 1; }
A="${LL_TAG}a" B="${LL_TAG}b" C="${LL_TAG}c"
UA=$(id -u "$A") GA=$(id -g "$A")

P=$(policy explain <<EOF
version = 1;
profiles = {
  base = { filesystem = ( { path = "/usr"; access = "read_exec"; },         # @usr
                          { path = "/dev/null"; access = "read_write"; },   # @null
                          { path = "/dev/pts"; access = ["read_file", "ioctl_dev"]; } ); # @pts
           scope = ["signal"]; };
  dev = { extends = "base"; # @dev
          filesystem = ( { path = "\${HOME}"; access = "read_write_exec"; },       # @home
                         { path = "/var/mail/\${USER}"; access = "read_only"; missing = "skip"; } ); # @mail
          network = { connect_tcp = [443, 8080]; bind_tcp = []; }; };
  staff = { extends = "base"; logging = "kernel_default"; no_new_privs = false; }; # @staff
  sshonly = { extends = "base"; }; # @sshonly
};
match = (
  { user = "root"; profile = "unconfined"; },                # @root
  { group = "$G"; profile = "staff"; },                      # @group
  { user = "$A"; profile = "dev"; },                         # @user
  { user = "$A"; service = "sshd"; profile = "sshonly"; },   # @usersvc
  { group = ["nosuch-$LL_TAG", "$G"]; profile = "dev"; }     # @group2
);
EOF
)
L() { line_of "$1" "$P"; }

# ---- a user entry beats an earlier group entry ----------------------------
ctl -c "$P" --abi 7 explain "$A"
check "A: confined (exit 0)" is 0 "$RC"
check "A: header names the user, uid and groups" has "User:     $A (uid $UA, gid $GA, home /home/$A; groups: $A, $G)" "$OUT"
check "A: no service" has "Service:  (none: only entries without a service apply)" "$OUT"
check "A: the user entry decides" has "  * line $(L user)   user             user $A -> dev   <- decides" "$OUT"
check "A: the earlier group entry loses to the user class" has "    line $(L group)   group            group $G -> staff   less specific than user" "$OUT"
check "A: the second group entry names the group A is in" has "    line $(L group2)   group            group $G -> dev   less specific than user" "$OUT"
check "A: the user+service entry does not match without the service" has "(2 other entries do not match)" "$OUT"
check "A: profile and what it extends" has "Profile: dev (line $(L dev); extends base)" "$OUT"
check "A: settings" has "Settings: compatibility=best_effort min_abi=none no_new_privs=yes logging=forced log_subdomains=yes" "$OUT"
check "A: kernel line" has "Kernel: Landlock ABI 7 (simulated with --abi; this kernel has" "$OUT"
check "A: enforcement and drops" has "; enforcement: partial; dropped: fs.resolve_unix" "$OUT"
check "A: /usr rule with its rights" has "  line $(L usr)    base       /usr
        grants read_exec: execute,read_file,read_dir" "$OUT"
check "A: a file rule is trimmed to file rights" has "  line $(L null)    base       /dev/null (not a directory)
        grants write_file,read_file,truncate
        left out, only for directories: read_dir,remove_dir,remove_file,make_dir,make_reg,make_sock,make_fifo,make_sym,refer" "$OUT"
check "A: \${HOME} expanded" has "  line $(L home)   dev        \${HOME} = /home/$A
        grants read_write_exec: execute,write_file,read_file,read_dir,remove_dir,remove_file,make_dir,make_reg,make_sock,make_fifo,make_sym,refer,truncate" "$OUT"
check "A: \${USER} expanded, missing path skipped" has "  line $(L mail)   dev        /var/mail/\${USER} = /var/mail/$A
        does not exist: rule skipped (missing = \"skip\")" "$OUT"
check "A: connect_tcp ports" has "  connect_tcp       (connect TCP): only ports 443, 8080" "$OUT"
check "A: bind_tcp none" has "  bind_tcp          (bind TCP): no port" "$OUT"
check "A: UDP not restricted" has "  bind_udp          (bind UDP): not restricted by this profile (any port); ABI 7 could not (needs ABI 10)" "$OUT"
check "A: signal scoped" has "  signal               signals to processes outside the session are denied" "$OUT"
check "A: abstract sockets not scoped by this profile" has "  abstract_unix_socket not restricted by this profile" "$OUT"
check "A: gap: pathname UNIX sockets before ABI 9" has "connecting to pathname UNIX sockets is not restricted before ABI 9" "$OUT"
check "A: gap: UDP before ABI 10" has "UDP is not restricted before ABI 10" "$OUT"
check "A: gap: chmod/chown never" has "chmod, chown, utime and chroot are never checked by Landlock" "$OUT"
check "A: verdict with the module's log line" has "Verdict: confined. The module would log:
  confined user=$A service=? profile=dev match=$P:$(L user)(user) abi=7 enforcement=partial dropped=fs.resolve_unix flags=log_new_exec_on no_new_privs=yes" "$OUT"

# ---- with the service, the user+service entry decides ---------------------
ctl -c "$P" --abi 7 explain "$A" sshd
check "A sshd: exit 0" is 0 "$RC"
check "A sshd: user+service decides" has "  * line $(L usersvc)   user+service     user $A, service sshd -> sshonly   <- decides" "$OUT"
check "A sshd: the user entry is less specific" has "    line $(L user)   user             user $A -> dev   less specific than user+service" "$OUT"
ctl -c "$P" --abi 7 --service sshd explain "$A"
check "--service is the same as the second argument" has "profile=sshonly match=$P:$(L usersvc)(user+service)" "$OUT"

# ---- a member without a user entry: the first group entry decides ---------
ctl -c "$P" --abi 7 explain "$B"
check "B: exit 0" is 0 "$RC"
check "B: the first group entry decides" has "  * line $(L group)   group            group $G -> staff   <- decides" "$OUT"
check "B: the later group entry: same class, comes later" has "    line $(L group2)   group            group $G -> dev   line $(L group) comes first" "$OUT"
check "B: settings of staff" has "no_new_privs=no logging=kernel_default" "$OUT"
check "B: gap: no_new_privs off" has "no_new_privs is off: setuid programs" "$OUT"
check "B: gap: logging kernel_default" has "logging is \"kernel_default\"" "$OUT"
check "B: flags" has "restrict_self flags: none (enforced: none)" "$OUT"
check "B: network not restricted" has "  connect_tcp       (connect TCP): not restricted by this profile (any port)" "$OUT"

# ---- nobody matches C: refused, exit 1 -------------------------------------
ctl -c "$P" explain "$C"
check "C: refused (exit 1)" is 1 "$RC"
check "C: no matching entry" has "  (none)" "$OUT"
check "C: the verdict says why" has "Verdict: session refused: $P: no match entry applies to user '$C' (service ?); add a match entry for them" "$OUT"

# ---- root: unconfined ------------------------------------------------------
ctl -c "$P" explain root
check "root: exit 0" is 0 "$RC"
check "root: the user entry decides" has "  * line $(L root)   user             user root -> unconfined   <- decides" "$OUT"
check "root: exempt" has "Profile: unconfined: the policy exempts this user; no Landlock domain is built." "$OUT"
check "root: verdict" has "Verdict: not confined (exempt by policy). The module would log:
  not confined (exempt by policy): user=root service=? profile=unconfined match=$P:$(L root)(user)" "$OUT"
check "root: no rules listed" hasnt "Filesystem rules" "$OUT"

# ---- --abi 3: what is dropped, and the gaps it opens -----------------------
ctl -c "$P" --abi 3 explain "$A"
check "ABI 3: still confined (best effort), exit 0" is 0 "$RC"
check "ABI 3: kernel line lists every drop" has "Kernel: Landlock ABI 3 (simulated with --abi; this kernel has" "$OUT"
check "ABI 3: dropped rights and flags" has "; enforcement: partial; dropped: fs.ioctl_dev,fs.resolve_unix,net.bind_tcp,net.connect_tcp,scope.signal,log_new_exec_on" "$OUT"
check "ABI 3: ioctl_dev is not handled on a rule" has "  line $(L pts)    base       /dev/pts
        grants read_file
        not handled on ABI 3: ioctl_dev (allowed everywhere)" "$OUT"
check "ABI 3: 15 filesystem rights handled" has "Filesystem rules (ABI 3 handles 15 filesystem rights" "$OUT"
check "ABI 3: connect_tcp not enforced" has "  connect_tcp       (connect TCP): NOT ENFORCED on ABI 3 (needs ABI 4): any port" "$OUT"
check "ABI 3: signal not enforced" has "  signal               NOT ENFORCED on ABI 3 (needs ABI 6)" "$OUT"
check "ABI 3: gap: TCP" has "TCP is not restricted before ABI 4" "$OUT"
check "ABI 3: gap: scopes" has "signals and abstract UNIX sockets are not scoped before ABI 6" "$OUT"
check "ABI 3: gap: no audit" has "the kernel writes no Landlock audit records before ABI 7" "$OUT"
check "ABI 3: gap: ioctl" has "ioctl on devices is not restricted before ABI 5." "$OUT"
check "ABI 3: flags not enforced" has "restrict_self flags: log_new_exec_on (enforced: none)" "$OUT"
check "ABI 3: the module's log line" has "abi=3 enforcement=partial dropped=fs.ioctl_dev,fs.resolve_unix,net.bind_tcp,net.connect_tcp,scope.signal,log_new_exec_on flags=none no_new_privs=yes" "$OUT"

# ---- --abi 10, above this kernel's: the module's path up to the plan -------
ctl -c "$P" --abi 10 explain "$A"
check "ABI 10: confined (exit 0)" is 0 "$RC"
check "ABI 10: nothing dropped" has "; enforcement: full; dropped: none" "$OUT"
check "ABI 10: verdict says the ruleset was not built here" has "Verdict: confined on Landlock ABI 10 (this kernel has ABI" "$OUT"

# ---- refusals: hard requirement, missing path, invalid policy --------------
H=$(policy hard <<'EOF'
version = 1;
profiles = {
  p = { compatibility = "hard_requirement"; network = { connect_tcp = [443]; }; # @hard
        filesystem = ( { path = "/nonexistent-dir"; access = "read_only"; } ); }; # @missing
};
match = ( { default = true; profile = "p"; } );
EOF
)
ctl -c "$H" --abi 3 explain "$A"
check "hard requirement on ABI 3: refused (exit 1)" is 1 "$RC"
check "hard requirement: the kernel line says so" has "refuses this profile: profile 'p' is a hard requirement but Landlock ABI 3 cannot enforce: fs.ioctl_dev,fs.resolve_unix,net.connect_tcp,log_new_exec_on" "$OUT"
check "hard requirement: verdict" has "Verdict: session refused: $H" "$OUT"
check "hard requirement: verdict says why" has "profile 'p' is a hard requirement but Landlock ABI 3 cannot enforce" "$(grep Verdict <<<"$OUT")"
ctl -c "$H" --abi 10 explain "$A"
check "missing path on ABI 10: refused (exit 1)" is 1 "$RC"
check "missing path: the rule says so" has "  line $(line_of missing "$H")    p          /nonexistent-dir
        REFUSES THE SESSION: does not exist" "$OUT"
check "missing path: verdict with file:line" has "Verdict: session refused: $H:$(line_of missing "$H"): cannot open '/nonexistent-dir': No such file or directory" "$OUT"

BAD=$(policy bad <<'EOF'
version = 1;
profiles = { p = { logging = "loud"; }; }; # @bad
match = ( { default = true; profile = "p"; } );
EOF
)
ctl -c "$BAD" explain "$A"
check "invalid policy: exit 1" is 1 "$RC"
check "invalid policy: the error with file:line" has "$BAD:$(line_of bad "$BAD"): 'logging' has unknown value \"loud\"" "$ERR"
check "invalid policy: verdict" has "Verdict: session refused: the policy is invalid" "$OUT"

# The module's trust check: a group-writable policy refuses every session.
cp "$P" "$WORK/writable.conf"
chmod 0664 "$WORK/writable.conf"
ctl -c "$WORK/writable.conf" explain "$A"
check "group-writable policy: refused (exit 1)" is 1 "$RC"
check "group-writable policy: says why" has "Verdict: session refused: $WORK/writable.conf: policy is writable by group or others (mode 0664); run: chmod go-w FILE" "$OUT"

# ---- --from: where the session comes from ----------------------------------
FP=$(policy from <<EOF
version = 1;
profiles = { p = { filesystem = ( { path = "/usr"; access = "read_exec"; } ); };
             office = { }; vpn = { }; svc = { }; };
match = (
  { user = "root"; profile = "unconfined"; },
  { user = "$A"; service = "sshd"; profile = "svc"; },                              # @svc
  { user = "$A"; from = ["10.0.0.0/8", "2001:db8::/32"]; profile = "office"; },     # @office
  { user = "$A"; service = "sshd"; from = "192.0.2.0/24"; profile = "vpn"; },       # @vpn
  { group = "$G"; from = "198.51.100.0/24"; profile = "office"; },                  # @gfrom
  { default = true; profile = "p"; }                                                # @def
);
EOF
)
L() { line_of "$1" "$FP"; }
LN() { printf 'line %-4s ' "$(L "$1")"; } # as explain aligns it
ctl -c "$FP" --abi 7 explain "$A" --from 10.1.2.3
check "from 10.1.2.3: exit 0" is 0 "$RC"
check "from 10.1.2.3: the From line" has "From:     10.1.2.3" "$OUT"
check "from 10.1.2.3: user+from decides, naming the block" \
	has "  * $(LN office)user+from        user $A, from 10.0.0.0/8 -> office   <- decides" "$OUT"
check "from 10.1.2.3: the group entry loses to the user class" \
	hasnt "group $G, from" "$OUT"
check "from 10.1.2.3: the module's log line" has "profile=office match=$FP:$(L office)(user+from) abi=7" "$OUT"
ctl -c "$FP" --abi 7 explain "$A" sshd --from 10.1.2.3
check "sshd from 10.1.2.3: user+service and user+from tie, the earlier line decides" \
	has "  * $(LN svc)user+service     user $A, service sshd -> svc   <- decides" "$OUT"
check "sshd from 10.1.2.3: the later user+from entry: its rank, later in the file" \
	has "    $(LN office)user+from        user $A, from 10.0.0.0/8 -> office   line $(L svc) comes first" "$OUT"
ctl -c "$FP" --abi 7 explain "$A" sshd --from ::ffff:192.0.2.9
check "sshd from ::ffff:192.0.2.9 (IPv4-mapped): user+service+from decides" \
	has "profile=vpn match=$FP:$(L vpn)(user+service+from)" "$OUT"
ctl -c "$FP" --abi 7 explain "$A" --from 2001:db8:5::1
check "from 2001:db8:5::1: the IPv6 block is named" \
	has "  * $(LN office)user+from        user $A, from 2001:db8::/32 -> office   <- decides" "$OUT"
ctl -c "$FP" --abi 7 explain "$A" --from gw.example.com
check "from a host name: said, only entries without from apply" \
	has "From:     (not an IP address: only entries without 'from' apply)" "$OUT"
check "from a host name: the default decides" has "profile=p match=$FP:$(L def)(default)" "$OUT"
ctl -c "$FP" --abi 7 explain "$A"
check "no remote host: said" has "From:     (no remote host: only entries without 'from' apply)" "$OUT"
check "no remote host: the default decides" has "profile=p match=$FP:$(L def)(default)" "$OUT"
ctl -c "$FP" --abi 7 explain "$B" --from 198.51.100.7
check "B from 198.51.100.7: group+from decides" \
	has "  * $(LN gfrom)group+from       group $G, from 198.51.100.0/24 -> office   <- decides" "$OUT"
ctl -c "$FP" --abi 7 --from 198.51.100.7 explain "$B"
check "--from before the command works too" has "profile=office match=$FP:$(L gfrom)(group+from)" "$OUT"

# ---- usage ------------------------------------------------------------------
ctl -c "$P" explain "nosuchuser-$LL_TAG"
check "unknown user: exit 2" is 2 "$RC"
check "unknown user: says so" has "cannot look up user 'nosuchuser-$LL_TAG'" "$ERR"
ctl -c "$P" explain
check "no user: exit 2" is 2 "$RC"
ctl -c "$P" explain "$A" sshd extra
check "too many arguments: exit 2" is 2 "$RC"
ctl -c "$P" --service login explain "$A" sshd
check "two different services: exit 2" is 2 "$RC"
ctl -c "$P" explain --strict "$A"
check "--strict is not for explain: exit 2" is 2 "$RC"

finish
