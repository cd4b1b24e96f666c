# SPDX-License-Identifier: BSD-3-Clause
# tests/e2e/svc-lib.sh - fixtures shared by the real-service tests (sshd.sh,
# login.sh, sudo.sh, su_supervisor.sh): PAM stacks built from Debian's own
# files plus our shipped snippet (conf/pam.d/), a private mount namespace for
# services whose PAM name is hard-coded, login accounting files, policies
# that cannot be built, and one-line-per-event views of the audit log.
#
# Sourced after lib.sh.  Nothing here changes the system outside what lib.sh's
# at_exit undoes.

SVC_HELPERS="$top_builddir/tests/e2e"
SVC_SRC="$top_srcdir/tests/e2e"
SNIPPETS="$top_srcdir/conf/pam.d"

# svc_init: prerequisites, work directory, audit, syslog, the test user
# "$LL_TAG"u (U, UID_U) and the shipped policy (POLICY).
svc_init() {
	need_root
	need_module
	need_cmd "$@"
	need_landlock_abi 7 # denials of a login session are logged from ABI 7 on
	[ -x "$SVC_HELPERS/svc-stack" ] || prereq_missing "helper svc-stack not built (make check builds it)"
	workdir
	audit_start
	syslog_start
	user_add u >/dev/null || { echo "FAIL: useradd"; exit 1; }
	U="${LL_TAG}u"
	UID_U=$(id -u "$U")
	POLICY=$(install_policy) || { echo "FAIL: install_policy"; exit 1; }
	DENY_DIR=/var/tmp # writable for everyone (1777), not in the shipped policy
	[ -d "$DENY_DIR" ] || prereq_missing "$DENY_DIR does not exist"
	at_exit "rm -f $DENY_DIR/$LL_TAG-*"
}

# svc_snippet NAME CONF: the active lines of conf/pam.d/NAME with the built
# module and conf=CONF; fails if the snippet has no pam_landlock line.
svc_snippet() {
	local f="$SNIPPETS/$1"
	grep -q '^session.*pam_landlock\.so' "$f" || { echo "FAIL: $f has no session line" >&2; return 1; }
	grep -v -e '^#' -e '^[[:space:]]*$' "$f" | sed "s|pam_landlock\.so|$MODULE conf=$2|"
}

# svc_stack BASE [SNIPPET CONF] > file: Debian's /etc/pam.d/BASE, then the
# snippet's lines appended (the README's placement: last in the stack).
svc_stack() {
	cat "/etc/pam.d/$1" || return 1
	[ $# -lt 3 ] || svc_snippet "$2" "$3"
}

# svc_ns CMD [ARGS...]: runs CMD in a private mount namespace, where
# SVC_BIND="src:dst ..." is bind-mounted first (nobody outside sees it), after
# the shell code SVC_PRE (e.g. svc_loginuid), with only fds 0, 1 and 2.
svc_ns() {
	local binds="" b cmd
	for b in ${SVC_BIND:-}; do
		binds+="mount --bind '${b%%:*}' '${b#*:}' || exit 99; "
	done
	cmd=$(printf '%q ' "$@")
	# Only 0, 1 and 2 go on: the session's fds must not depend on the harness.
	unshare -m --propagation private bash -c "$binds ${SVC_PRE:-}
		for f in /proc/self/fd/*; do n=\${f##*/}; [ \$n -gt 2 ] && eval \"exec \$n>&-\"; done
		exec $cmd"
}

# svc_loginuid: for SVC_PRE: a login uid of 0 and a fresh audit session, as
# if root had logged in (su, runuser and sudo keep both).
svc_loginuid() { echo 'echo 0 >/proc/self/loginuid || exit 99;'; }

# svc_mark: later audit_new, svc_events and syslog_new start here.
svc_mark() {
	audit_mark
	SYSLOG_OFF=$(stat -c %s "$SYSLOG_FILE" 2>/dev/null || echo 0)
}

# svc_ports N: N distinct TCP ports that nothing uses now, below the
# ephemeral range (so that no outgoing connection takes one meanwhile).
svc_ports() {
	local n=$1 p used low
	low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[ "${low:-0}" -gt 12000 ] || low=32768
	used=$(ss -Htan | awk '{ sub(/.*:/, "", $4); print $4 }' | tr '\n' ' ')
	while [ "$n" -gt 0 ]; do
		p=$((10000 + RANDOM % (low - 10000)))
		case " $used " in *" $p "*) continue ;; esac
		used+=" $p"
		echo "$p"
		n=$((n - 1))
	done
}
# svc_listening PORT [SECONDS]: waits until something listens on PORT.
svc_listening() {
	local i
	for i in $(seq $((${2:-5} * 10))); do
		[ -n "$(ss -Htln "sport = :$1")" ] && return 0
		sleep 0.1
	done
	return 1
}

# ---- sshd ------------------------------------------------------------------
# svc_sshd PAMFILE: the sshd fixture.  sshd takes its PAM service from its
# program name, so a symlink with a unique name (SVC) gives it a service of
# its own, installed from PAMFILE; a host key, a key for the user U
# ($WORK/id, in U's authorized_keys), and a config ($WORK/sshd_config:
# 127.0.0.1, public keys only, PAM, forwarding, both sftp servers).  Sets
# SSH0 (the client's options, no port) and DEST.  Start servers with
# svc_sshd_start.
svc_sshd() {
	SVC="$LL_TAG-sshd"
	ln -s /usr/sbin/sshd "$WORK/$SVC"
	pam_service "$SVC" <"$1" || exit 1
	[ -d /run/sshd ] || { mkdir -m 0755 /run/sshd && at_exit "rmdir /run/sshd"; }
	ssh-keygen -q -t ed25519 -N '' -f "$WORK/hostkey" -C "$SVC"
	ssh-keygen -q -t ed25519 -N '' -f "$WORK/id" -C "$U"
	svc_authorize "$U"
	cat >"$WORK/sshd_config" <<EOF
ListenAddress 127.0.0.1
HostKey $WORK/hostkey
PidFile $WORK/sshd.pid
UsePAM yes
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowTcpForwarding yes
PrintMotd no
LogLevel VERBOSE
MaxSessions 20
Subsystem sftp internal-sftp
Subsystem sftpx /usr/lib/openssh/sftp-server
EOF
	SSH0=(ssh -F /dev/null -i "$WORK/id" -o IdentitiesOnly=yes -o BatchMode=yes
		-o UserKnownHostsFile="$WORK/known_hosts" -o StrictHostKeyChecking=accept-new
		-o LogLevel=ERROR -o ConnectTimeout=10)
	DEST="$U@127.0.0.1"
}
# svc_authorize USER: the fixture's key may log in as USER.
svc_authorize() {
	install -d -m 0700 -o "$1" -g "$1" "/home/$1/.ssh"
	install -m 0600 -o "$1" -g "$1" "$WORK/id.pub" "/home/$1/.ssh/authorized_keys"
}
# svc_sshd_start "PORT..." [WRAPPER...]: a foreground sshd on each PORT,
# logging to syslog, as Debian runs it; stopped at exit by pid.
svc_sshd_start() {
	local ports=$1 p args=()
	shift
	for p in $ports; do args+=(-p "$p"); done
	"$@" "$WORK/$SVC" -D "${args[@]}" -f "$WORK/sshd_config" 2>>"$WORK/sshd.err" &
	local pid=$!
	at_exit "kill $pid; wait $pid"
	for p in $ports; do
		svc_listening "$p" 10 || { cat "$WORK/sshd.err"; echo "FAIL: sshd did not start"; exit 1; }
	done
}

# ---- login accounting ------------------------------------------------------
# svc_accounting: makes sure /run/utmp, /var/log/wtmp and /var/log/lastlog
# exist (a fresh machine may lack them; created files are removed at exit).
svc_accounting() {
	local f
	for f in /run/utmp /var/log/wtmp /var/log/lastlog; do
		[ -e "$f" ] && continue
		install -o root -g utmp -m 0664 /dev/null "$f" || return 1
		at_exit "rm -f '$f'"
	done
}
# svc_wtmp_new: wtmp records appended since svc_wtmp_mark, one per line
# (utmpdump format: [type] [pid] [id] [user] [line] [host] ...).
svc_wtmp_mark() { WTMP_OFF=$(stat -c %s /var/log/wtmp); }
svc_wtmp_new() {
	local f="$WORK/wtmp.tail"
	tail -c +"$((WTMP_OFF + 1))" /var/log/wtmp >"$f"
	utmpdump "$f" 2>/dev/null
}

# ---- policies that cannot be built ----------------------------------------
# svc_bad_policies: BAD_MISSING (a rule on a missing path, no missing="skip";
# the rule is on line BAD_MISSING_LINE) and BAD_HARD (the shell profile as a
# hard requirement: fs.resolve_unix needs ABI 9).
svc_bad_policies() {
	BAD_MISSING="$WORK/bad-missing.conf"
	BAD_HARD="$WORK/bad-hard.conf"
	sed "/^  shell = {/,/^  };/s|^\(    filesystem = (\)$|\1\n      { path = \"/nonexistent-$LL_TAG\"; access = \"read_only\"; },|" \
		"$POLICY" >"$WORK/tmp.conf"
	install -m 0644 "$WORK/tmp.conf" "$BAD_MISSING"
	BAD_MISSING_LINE=$(grep -n "nonexistent-$LL_TAG" "$BAD_MISSING" | cut -d: -f1)
	sed "s|^\(  shell = {\)$|\1\n    compatibility = \"hard_requirement\";|" "$POLICY" >"$WORK/tmp.conf"
	install -m 0644 "$WORK/tmp.conf" "$BAD_HARD"
	[ -n "$BAD_MISSING_LINE" ] && grep -q hard_requirement "$BAD_HARD" ||
		{ echo "FAIL: the shipped policy no longer has a 'shell = {' line to edit"; exit 1; }
}
# svc_refused_logged CONF [LINE]: a new syslog line "session refused for U:
# CONF:LINE:" (LINE: a basic regex, any number by default).
svc_refused_logged() {
	syslog_wait "pam_landlock([^)]*): session refused for $U: $1:${2:-[0-9][0-9]*}:" 5
}

# ---- syslog ----------------------------------------------------------------
# svc_confined_pids SERVICE: pids of the new "confined user=U service=SERVICE"
# lines, one per line, in order.
svc_confined_pids() {
	syslog_new | grep -a "pam_landlock($1:session): confined user=$U service=$1 " |
		sed -n 's/.* pid=\([0-9]*\).*/\1/p'
}

# ---- audit -----------------------------------------------------------------
# svc_events: the new audit events that matter here, one line each, fields
# " key=value " (title= last: the decoded proctitle):
#   kind=access ev= domain= blockers= obj= pid= ppid= uid= auid= ses= comm= exe= title=
#   kind=alloc ev= domain= pid=     (1424 status=allocated: the creator)
#   kind=dealloc ev= domain= denials=
#   kind=enforce ev= pid= uid= auid= ses= acct=   (our TRUSTED_APP record)
#   kind=refused ev= pid= acct=
svc_events() {
	audit_new | tr -d '\r' | awk '
	function kv(s, k,   r) {
		if (match(s, "(^| )" k "=(\"[^\"]*\"|[^ ]*)")) {
			r = substr(s, RSTART, RLENGTH); sub(/^ /, "", r); sub(/^[^=]*=/, "", r)
			gsub(/"/, "", r); return r
		}
		return "-"
	}
	function unhex(h,   i, o, c, H) {
		H = "0123456789ABCDEF"; o = ""
		if (h ~ /^"/) { gsub(/"/, "", h); return h }
		for (i = 1; i < length(h); i += 2) {
			c = (index(H, toupper(substr(h, i, 1))) - 1) * 16 + index(H, toupper(substr(h, i + 1, 1))) - 1
			o = o (c == 0 ? " " : sprintf("%c", c))
		}
		return o
	}
	{
		line = $0; sub(/\035.*/, "", line)
		if (!match(line, /msg=audit\([0-9.]+:[0-9]+\)/)) next
		id = substr(line, RSTART + 10, RLENGTH - 11); sub(/^[^:]*:/, "", id)
		t = line; sub(/^type=/, "", t); sub(/ .*/, "", t)
		if (!(id in seen)) { seen[id] = 1; order[++n] = id }
		if (t == "UNKNOWN[1423]" || t == "LANDLOCK_ACCESS") {
			acc[id] = 1; dom[id] = kv(line, "domain"); blk[id] = kv(line, "blockers")
			o = line; sub(/.*blockers=[^ ]* /, "", o); gsub(/ /, ",", o); gsub(/"/, "", o); obj[id] = o
		} else if (t == "UNKNOWN[1424]" || t == "LANDLOCK_DOMAIN") {
			d = kv(line, "domain"); st = kv(line, "status")
			if (st == "allocated") extra[id] = extra[id] "kind=alloc ev=" id " domain=" d " pid=" kv(line, "pid") " \n"
			else extra[id] = extra[id] "kind=dealloc ev=" id " domain=" d " denials=" kv(line, "denials") " \n"
		} else if (t == "SYSCALL") {
			sys[id] = "pid=" kv(line, "pid") " ppid=" kv(line, "ppid") " uid=" kv(line, "uid") \
				" auid=" kv(line, "auid") " ses=" kv(line, "ses") " comm=" kv(line, "comm") \
				" exe=" kv(line, "exe")
		} else if (t == "PROCTITLE") {
			pt = line; sub(/.*proctitle=/, "", pt); title[id] = unhex(pt)
		} else if (t == "TRUSTED_APP" && line ~ /op=pam_landlock-/) {
			k = (line ~ /op=pam_landlock-enforce/) ? "enforce" : "refused"
			extra[id] = extra[id] "kind=" k " ev=" id " pid=" kv(line, "pid") " uid=" kv(line, "uid") \
				" auid=" kv(line, "auid") " ses=" kv(line, "ses") " acct=" kv(line, "acct") " \n"
		}
	}
	END {
		for (i = 1; i <= n; i++) {
			id = order[i]
			if (acc[id])
				printf " kind=access ev=%s domain=%s blockers=%s obj=%s %s title=%s\n", id, dom[id], \
					blk[id], obj[id], (id in sys) ? sys[id] : "pid=-", title[id]
			if (id in extra) { e = extra[id]; sub(/\n$/, "", e); gsub(/\n/, "\n ", e); print " " e }
		}
	}'
}
# svc_touch_event PID: waits for, then prints, the access event of
# "touch $DENY_DIR/$LL_TAG-PID" (the probes' denied write).
svc_touch_event() {
	svc_events_wait "kind=access .*title=touch $DENY_DIR/$LL_TAG-$1" 5
	svc_events | grep -a "kind=access .*title=touch $DENY_DIR/$LL_TAG-$1"
}
# ev FIELD: the value of FIELD in the event line on stdin (first line).
ev() {
	head -1 | awk -v k="$1" '{ for (i = 1; i <= NF && $i !~ /^title=/; i++)
		if (index($i, k "=") == 1) { print substr($i, length(k) + 2); exit } }'
}
# svc_events_wait PATTERN [SECONDS]: until a new event line matches (grep -E).
svc_events_wait() {
	local i
	for i in $(seq $((${2:-10} * 5))); do
		svc_events | grep -qE -- "$1" && return 0
		sleep 0.2
	done
	return 1
}

# ---- file descriptors ------------------------------------------------------
# The shell's own descriptors, printed from inside a session ("FD n target"),
# and the same for any pid from outside; targets are normalised (inode
# numbers, pty numbers), so sessions can be compared by name.
SVC_FDPROBE='for f in /proc/$$/fd/*; do t=$(readlink "$f") && echo "FD ${f##*/} $t"; done'
svc_fd_norm() { sed -E -e 's/\[[0-9]+\]/[]/g' -e 's|/dev/pts/[0-9]+|/dev/pts/N|g' | sort; }
svc_fds_of() {
	local f t
	for f in /proc/"$1"/fd/*; do
		t=$(readlink "$f") && echo "FD ${f##*/} $t"
	done | svc_fd_norm
}
# svc_same_fds WHAT A B: A and B (normalised listings) name the same fds.
svc_same_fds() {
	if diff -u "$2" "$3" >"$WORK/fd.diff"; then
		[ -s "$2" ] || { log "$1: empty fd listing"; return 1; }
		log "$1: $(cut -d' ' -f2- "$3" | tr '\n' ';')"
		return 0
	fi
	log "$1: fds differ (- without the module, + with it):"
	sed 's/^/#   /' "$WORK/fd.diff"
	return 1
}

# ---- running commands under a terminal ------------------------------------
# svc_pty TIMEOUT COMMANDS PROG [ARGS]: PROG on a new pty; once a shell
# prompt shows, COMMANDS then "exit" are typed.  Output on stdout, with
# "SVC-END-42" after the commands and "SVC-PTY: exit=N" last.
svc_pty() { expect "$SVC_SRC/svc-pty.exp" "$@"; }

# svc_vals KEY FILE: the values printed as KEY=value (digits) in FILE.
svc_vals() { grep -ao "$1=[0-9][0-9]*" "$2" | cut -d= -f2; }

# ---- su -l with a policy of the test's choice ------------------------------
# svc_su TAG CONF SU-ARGS...: "su SU-ARGS" (Debian's su stack plus
# conf/pam.d/su with conf=CONF, bind-mounted over /etc/pam.d/su; su-l
# includes it) in a private mount namespace, after SVC_BIND and SVC_PRE, with
# login uid 0, run through the words of SVC_WRAP if set (a wrapper such as
# svc-stack 16).  Output and "SVC-EXIT=status" in $WORK/TAG.txt.
svc_su() {
	local tag=$1 conf=$2 pam="$WORK/su.$1.pam"
	shift 2
	svc_stack su su "$conf" >"$pam" || return 1
	SVC_BIND="$pam:/etc/pam.d/su ${SVC_BIND:-}" SVC_PRE="$(svc_loginuid) ${SVC_PRE:-}" \
		svc_ns ${SVC_WRAP:-} su "$@" </dev/null >"$WORK/run.out" 2>&1
	echo "SVC-EXIT=$?" >>"$WORK/run.out"
	tr -d '\r' <"$WORK/run.out" >"$WORK/$tag.txt"
	rm -f "$WORK/run.out"
}
# svc_suprobe: a shell command that prints SH=pid, TOUCH=status of a write to
# DENY_DIR (1: denied) and HOMEEXEC=status of a program copied into the home
# (126: the profile grants no execute there, as "sftp"; 0: it does, as "shell").
svc_suprobe() {
	echo "echo SH=\$\$; touch $DENY_DIR/$LL_TAG-\$\$; echo TOUCH=\$?; cp /bin/true ~/ll-true 2>/dev/null; ~/ll-true; echo HOMEEXEC=\$?; rm -f ~/ll-true"
}
# svc_confined_line SERVICE: the new "confined user=U service=SERVICE" lines.
svc_confined_line() {
	syslog_new | grep -a "pam_landlock($1:session): confined user=$U service=$1 "
}

# ---- a private mount namespace that stays up -------------------------------
# svc_hold SCRIPT: starts a private mount namespace in which the shell code
# SCRIPT runs first (mounts; daemons it starts must write their pids to
# $WORK/*.pid, which are killed at exit), then waits; its pid is SVC_HOLD.
# svc_in CMD [ARGS...]: runs CMD in that namespace, with login uid 0 and a
# fresh audit session, after SVC_PRE, with only fds 0, 1 and 2.
svc_hold() {
	at_exit "for f in '$WORK'/*.pid; do kill \$(cat \"\$f\"); done"
	rm -f "$WORK/hold.ready"
	# Without the test's fds (the e2e lock among them): nothing started
	# here may keep them after the test.
	unshare -m --propagation private bash -c "
		for f in /proc/self/fd/*; do n=\${f##*/}; [ \$n -gt 2 ] && eval \"exec \$n>&-\"; done
		$1
		touch '$WORK/hold.ready'
		exec sleep 3600" </dev/null >"$WORK/hold.out" 2>&1 &
	SVC_HOLD=$!
	at_exit "kill $SVC_HOLD"
	local i
	for i in $(seq 100); do
		[ -e "$WORK/hold.ready" ] && return 0
		kill -0 "$SVC_HOLD" 2>/dev/null || break
		sleep 0.1
	done
	cat "$WORK/hold.out"
	return 1
}
svc_in() {
	local cmd
	cmd=$(printf '%q ' "$@")
	nsenter -t "$SVC_HOLD" -m -- bash -c "$(svc_loginuid) ${SVC_PRE:-}
		for f in /proc/self/fd/*; do n=\${f##*/}; [ \$n -gt 2 ] && eval \"exec \$n>&-\"; done
		exec $cmd"
}
