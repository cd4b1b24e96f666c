/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * explain.c - "landlockctl explain USER [SERVICE]": what the module would do
 * for one user's session, in plain sections: the entries that match and
 * which one decides (ll_match_test, ll_policy_decide), the resolved profile
 * and its settings, what the ABI enforces and drops (ll_plan_build), every
 * filesystem rule with its expanded path and the rights granted, network
 * and scopes, the known gaps on this kernel, and the verdict.
 *
 * The verdict comes from ll_session_prepare() with LL_LOAD_TRUSTED, the
 * module's own call; only for an ABI above this kernel's (nothing can be
 * built there) is it the same steps without the ruleset.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "openers.h"

static void rights_list(uint64_t mask, char *buf, size_t len)
{
	char names[512];
	const char *sh = ctl_shorthand(mask);
	ll_rights_str(LL_KIND_FS, mask, false, names, sizeof(names));
	if (sh)
		snprintf(buf, len, "%s: %s", sh, names);
	else
		snprintf(buf, len, "%s", names);
}

/* "user alice", "group staff", "default", plus ", service sshd" and
 * ", from 10.0.0.0/8". */
static void entry_desc(const struct ll_match *m, struct ll_identity *id, char *buf, size_t len)
{
	size_t off = 0;
	if (m->nusers) {
		off = (size_t)snprintf(buf, len, "user %s", id->user);
		if (m->nusers > 1)
			off += (size_t)snprintf(buf + off, len - off, " (one of %zu)", m->nusers);
	} else if (m->ngroups) {
		off = (size_t)snprintf(buf, len, "group");
		/* Which of the entry's groups the user is in: ask ll_match_test()
		 * about each group alone. */
		for (size_t i = 0; i < m->ngroups && off < len; i++) {
			struct ll_match one = *m;
			one.groups = &m->groups[i];
			one.ngroups = 1;
			enum ll_match_class c;
			if (ll_match_test(&one, id, &c, NULL) == 0 && c != LL_CLASS_NONE)
				off += (size_t)snprintf(buf + off, len - off, " %s", m->groups[i]);
		}
	} else {
		off = (size_t)snprintf(buf, len, "default");
	}
	if (m->nservices && off < len)
		off += (size_t)snprintf(buf + off, len - off, ", service %s", id->service);
	for (size_t i = 0; i < m->nfrom && off < len; i++) {
		char cidr[64];
		if (ll_cidr_contains(&m->from[i], &id->addr)) {
			snprintf(buf + off, len - off, ", from %s", ll_cidr_str(&m->from[i], cidr,
			                                                        sizeof(cidr)));
			break;
		}
	}
}

static void print_matches(const struct ll_policy *pol, struct ll_identity *id,
                          const struct ll_decision *dec)
{
	size_t others = 0;
	printf("Matching entries (the most specific class decides, then file order):\n");
	for (size_t i = 0; i < pol->nmatches; i++) {
		const struct ll_match *m = &pol->matches[i];
		enum ll_match_class c;
		char desc[400], why[128];
		if (ll_match_test(m, id, &c, NULL) < 0 || c == LL_CLASS_NONE) {
			others++;
			continue;
		}
		entry_desc(m, id, desc, sizeof(desc));
		if (m == dec->entry)
			snprintf(why, sizeof(why), "<- decides");
		else if (!dec->entry)
			why[0] = '\0';
		else if (ll_match_rank(c) > ll_match_rank(dec->class))
			snprintf(why, sizeof(why), "less specific than %s",
			         ll_match_class_name(dec->class));
		else
			snprintf(why, sizeof(why), "line %d comes first", dec->entry->line);
		printf("  %s line %-4d %-16s %s -> %s   %s\n", m == dec->entry ? "*" : " ", m->line,
		       ll_match_class_name(c), desc, m->profile, why);
	}
	if (!dec->entry)
		printf("  (none)\n");
	if (others)
		printf("  (%zu other entr%s do%s not match)\n", others, others == 1 ? "y" : "ies",
		       others == 1 ? "es" : "");
}

static void print_settings(const struct ll_policy *pol, const struct ll_resolved *prof,
                           const struct ll_plan *plan)
{
	const struct ll_profile *p = ll_policy_profile(pol, prof->name);
	char flags[128], have[128], minabi[16] = "none";
	printf("\nProfile: %s (line %d", prof->name, p ? p->line : 0);
	for (size_t i = 0; p && i < p->nextends; i++)
		printf("%s%s", i ? ", " : "; extends ", p->extends[i]);
	printf(")\n");
	if (prof->min_abi > 0)
		snprintf(minabi, sizeof(minabi), "%d", prof->min_abi);
	printf("Settings: compatibility=%s min_abi=%s no_new_privs=%s logging=%s "
	       "log_subdomains=%s\n",
	       prof->compat == LL_COMPAT_HARD ? "hard_requirement" : "best_effort", minabi,
	       prof->nnp ? "yes" : "no",
	       prof->logging == LL_LOG_FORCED   ? "forced"
	       : prof->logging == LL_LOG_OFF    ? "off"
	                                        : "kernel_default",
	       prof->log_subdomains ? "yes" : "no");
	printf("          restrict_self flags: %s (enforced: %s)\n",
	       ll_flags_str(plan->want_flags, flags, sizeof(flags)),
	       ll_flags_str(plan->have_flags, have, sizeof(have)));
}

static void print_kernel(int abi, int kernel, bool simulated, const struct ll_plan *plan,
                         bool planned, const struct ll_diag *d)
{
	char dropped[512];
	printf("\nKernel: ");
	if (abi < 1) {
		printf("Landlock is not available (%s)\n", strerror(-abi));
		return;
	}
	if (simulated && kernel >= 1)
		printf("Landlock ABI %d (simulated with --abi; this kernel has %d)", abi, kernel);
	else if (simulated)
		printf("Landlock ABI %d (simulated with --abi; this kernel has none)", abi);
	else
		printf("Landlock ABI %d (this kernel)", abi);
	if (planned)
		printf("; enforcement: %s; dropped: %s\n", ll_plan_partial(plan) ? "partial" : "full",
		       ll_plan_dropped_str(plan, dropped, sizeof(dropped)));
	else
		printf("; refuses this profile: %s\n", d->msg);
}

static void print_rule(const struct ll_policy *pol, const struct ll_identity *id, int abi,
                       uint64_t handled, const struct ll_fs_rule *r)
{
	struct ctl_rule_view v;
	const struct ll_profile *owner = ctl_rule_owner(pol, r);
	char rights[600];

	ctl_view_rule(r, id, abi, pol->file, &v);
	printf("  line %-4d %-10s ", r->line, owner ? owner->name : "?");
	if (strchr(r->path, '$'))
		printf("%s = %s", r->path, v.path ? v.path : "?");
	else
		printf("%s", r->path);
	printf("%s\n", v.exists && !v.is_dir ? " (not a directory)" : "");
	if (v.error) {
		printf("        REFUSES THE SESSION: %s\n", v.why);
	} else if (!v.exists && r->skip_missing) {
		printf("        does not exist: rule skipped (missing = \"skip\")\n");
	} else if (!v.exists) {
		printf("        REFUSES THE SESSION: does not exist; create it, or add missing = "
		       "\"skip\"\n");
	} else {
		rights_list(v.granted, rights, sizeof(rights));
		printf("        grants %s\n", v.granted ? rights : "nothing");
		uint64_t lost = r->access & ~handled;
		if (lost) {
			ll_rights_str(LL_KIND_FS, lost, false, rights, sizeof(rights));
			printf("        not handled on ABI %d: %s (allowed everywhere)\n", abi, rights);
		}
		uint64_t trimmed = r->access & handled & ~v.granted;
		if (trimmed) {
			ll_rights_str(LL_KIND_FS, trimmed, false, rights, sizeof(rights));
			printf("        left out, only for directories: %s\n", rights);
		}
	}
	ctl_view_free(&v);
}

static void print_ports(const struct ll_ports *p)
{
	if (!p->n) {
		printf("no port");
		return;
	}
	printf("only port%s", p->n > 1 ? "s" : "");
	for (size_t i = 0; i < p->n; i++)
		printf("%s %u", i ? "," : "", (unsigned)p->port[i]);
}

static void print_net_scope(const struct ll_resolved *prof, const struct ll_plan *plan,
                            int abi)
{
	static const char *const net_what[] = { "bind TCP", "connect TCP", "bind UDP",
		                                "connect/send UDP" };
	printf("\nNetwork:\n");
	for (size_t i = 0; i < ll_nrights; i++) {
		const struct ll_right *r = &ll_rights[i];
		if (r->kind != LL_KIND_NET)
			continue;
		int idx = __builtin_ctzll(r->bit);
		printf("  %-17s (%s): ", r->name, net_what[idx]);
		if (!(plan->want[LL_KIND_NET] & r->bit)) {
			printf("not restricted by this profile (any port)");
			if (abi < r->abi)
				printf("; ABI %d could not (needs ABI %d)", abi, r->abi);
			printf("\n");
		} else if (!(plan->have[LL_KIND_NET] & r->bit)) {
			printf("NOT ENFORCED on ABI %d (needs ABI %d): any port\n", abi, r->abi);
		} else {
			print_ports(&prof->ports[idx]);
			printf("\n");
		}
	}
	printf("\nScopes:\n");
	for (size_t i = 0; i < ll_nrights; i++) {
		const struct ll_right *r = &ll_rights[i];
		if (r->kind != LL_KIND_SCOPE)
			continue;
		const char *what = r->bit == LL_SCOPE_SIGNAL
		                       ? "signals to processes outside the session"
		                       : "connections to abstract UNIX sockets bound outside the "
		                         "session";
		printf("  %-20s ", r->name);
		if (!(plan->want[LL_KIND_SCOPE] & r->bit))
			printf("not restricted by this profile: %s are allowed\n", what);
		else if (!(plan->have[LL_KIND_SCOPE] & r->bit))
			printf("NOT ENFORCED on ABI %d (needs ABI %d): %s are allowed\n", abi, r->abi,
			       what);
		else
			printf("%s are denied\n", what);
	}
}

/* A bullet, wrapped at 78 columns. */
static void gap(const char *text)
{
	const char *prefix = "  - ";
	size_t col = 0, width = 78 - 4;
	while (*text) {
		size_t n = strcspn(text, " ");
		if (col && col + 1 + n > width) {
			printf("\n");
			col = 0;
			prefix = "    ";
		}
		printf("%s%.*s", col ? " " : prefix, (int)n, text);
		col += (col ? 1 : 0) + n;
		text += n;
		while (*text == ' ')
			text++;
	}
	printf("\n");
}

/* What each part of the second layer does for this profile. */
static void print_layer2(const struct ll_resolved *prof, const struct ll_plan *plan)
{
	static const char *const what[LL_L2_NPARTS] = {
		"ioctl TIOCSTI and TIOCLINUX fail (EPERM): nothing can be typed into a terminal "
		"that was opened outside the session",
		"MPTCP, SCTP, DCCP and SMC sockets fail (EPROTONOSUPPORT), setsockopt(TCP_ULP) "
		"fails (ENOPROTOOPT), a send with MSG_FASTOPEN (TCP Fast Open, a connection "
		"without connect) fails (EOPNOTSUPP): the TCP rules cannot be bypassed by "
		"another stream protocol or an implicit connect",
		"io_uring_setup/enter/register fail (EPERM): no socket or file operation past "
		"the filter",
		"memfd_create without MFD_NOEXEC_SEAL and execveat(AT_EMPTY_PATH) fail (EACCES): "
		"no program image from memory",
	};
	char sys[400];
	struct ll_l2_env env;
	ll_l2_probe(&env, true);
	printf("\nSecond layer (a seccomp filter installed with the domain):\n");
	for (int p = 0; p < LL_L2_NPARTS; p++) {
		unsigned bit = LL_L2_BIT(p);
		printf("  %-20s ", ll_l2_name((enum ll_l2_part)p));
		if (!(prof->block & bit))
			printf("OFF in this profile (block_%s = false at line %d): not closed%s\n",
			       ll_l2_name((enum ll_l2_part)p), prof->block_line[p],
			       p == LL_L2_IO_URING && (plan->l2_have & LL_L2_BIT(LL_L2_UNCHECKED_PROTOCOLS))
			           ? "; io_uring's socket operation also creates MPTCP and SCTP sockets, "
			             "so unchecked_protocols does not hold for io_uring programs"
			           : "");
		else if (p == LL_L2_UNCHECKED_PROTOCOLS && !(plan->l2_want & bit))
			printf("not needed: the profile does not restrict TCP\n");
		else if (p == LL_L2_FD_EXEC && !(plan->l2_want & bit))
			printf("not needed: line %d lets the session write and execute the same place, "
			       "so it can run its own programs anyway\n",
			       plan->l2_exec_line);
		else if (!(plan->l2_have & bit))
			printf("NOT ENFORCED on this kernel (%s): dropped\n",
			       p == LL_L2_FD_EXEC ? "needs MFD_NOEXEC_SEAL, Linux 6.3"
			                          : "no seccomp filters");
		else
			printf("%s\n", what[p]);
		if ((plan->l2_want & bit) && ll_l2_closed_by_system(&env, bit, sys, sizeof(sys)))
			printf("  %-20s (this system closes it too: %s)\n", "", sys);
		else if ((plan->l2_want & bit) && sys[0])
			printf("  %-20s (this system: %s)\n", "", sys);
	}
}

static void print_gaps(const struct ll_resolved *prof, const struct ll_plan *plan, int abi)
{
	printf("\nKnown gaps on this kernel:\n");
	gap("chmod, chown, utime and chroot are never checked by Landlock: the user can still "
	    "change the mode and times of files they own, anywhere Unix permissions let them.");
	if (abi < 9)
		gap("connecting to pathname UNIX sockets is not restricted before ABI 9: the "
		    "session can ask an unconfined process to act for it: D-Bus and systemd "
		    "(systemd-run --user), and a tmux or screen server or an ssh ControlMaster of "
		    "the same user started outside any confined session (tmux -S SOCKET "
		    "run-shell CMD runs CMD unconfined). What to do: put the module in the stack "
		    "of every service the user can log in with, so that no such server starts "
		    "outside a domain; use a kernel with ABI 9 (resolve_unix).");
	if (abi < 10)
		gap("UDP is not restricted before ABI 10: any UDP port can be used (DNS, QUIC, ...). "
		    "What to do: a firewall rule per user (nft/iptables meta skuid).");
	if (abi < 4)
		gap("TCP is not restricted before ABI 4: any port can be bound or connected.");
	if (abi < 6)
		gap("signals and abstract UNIX sockets are not scoped before ABI 6: the session can "
		    "signal and reach the user's processes outside it.");
	if (abi < 5)
		gap("ioctl on devices is not restricted before ABI 5.");
	if (abi < 3)
		gap("truncating a file is not restricted before ABI 3.");
	if (abi < 2)
		gap("on ABI 1, moving or linking a file into another directory is always denied.");
	if (abi < 7)
		gap("the kernel writes no Landlock audit records before ABI 7: denials are not "
		    "logged.");
	else if (prof->logging == LL_LOG_OFF)
		gap("logging is \"off\": no denial of the session is logged.");
	else if (prof->logging == LL_LOG_KERNEL_DEFAULT)
		gap("logging is \"kernel_default\": denials after the session's first exec (the "
		    "login shell and everything it runs) are not logged.");
	if (!prof->nnp)
		gap("no_new_privs is off: setuid programs (su, sudo, passwd) gain privileges "
		    "inside the session; a root process there is still confined by Landlock but "
		    "may chmod and chown any file.");
	gap("processes that services start for the user outside this session (cron jobs, "
	    "systemd --user units) are not confined by it.");
	gap("a program in a place without execute can still be run through the dynamic "
	    "loader (/lib64/ld-linux-x86-64.so.2 PROGRAM), interpreted by an allowed "
	    "interpreter (sh, python3) or mapped executable by a running "
	    "program: Landlock's execute right covers execve(2) only, and no system-call "
	    "filter can tell the loader's mmap from any other. What to do: mount the places "
	    "the session can write (home, /tmp) with noexec, which also stops the loader.");
	gap("/proc shows the command line, status and stat of every process, also the user's "
	    "own processes outside the session (environ and mem need ptrace access, which "
	    "Landlock denies). What to do: mount /proc with hidepid=invisible to hide other "
	    "users' processes; the user's own stay visible.");
	if (prof->block & plan->l2_have & LL_L2_BIT(LL_L2_UNCHECKED_PROTOCOLS))
		gap("32-bit (x86) programs cannot create sockets in this session: socketcall(2) "
		    "hides the arguments of socket, setsockopt and the send calls from the second "
		    "layer, so those are refused.");
	gap("a session started on its caller's terminal (su -l, runuser -l, sudo -i with "
	    "!use_pty) can leave a process behind that, once the session ends, makes itself "
	    "the terminal's foreground (tcsetpgrp, which job control needs) and reads what "
	    "is typed there next; the second layer only stops typing into it (TIOCSTI). "
	    "What to do: su --pty, runuser --pty, sudo's use_pty, so that the session gets "
	    "a terminal of its own.");
	if (plan->have[LL_KIND_NET] & LL_NET_BIND_TCP)
		gap("listen(2) on a TCP socket that was never bound listens on a port the kernel "
		    "picks (the ephemeral range), although bind_tcp allows no such port: Landlock "
		    "checks bind(2) only (landlock-lsm/linux issue 15), and at listen(2) no "
		    "system-call filter can tell a TCP socket from a UNIX one. What to do: a "
		    "firewall that accepts incoming connections only on the ports of the "
		    "machine's services.");
	gap("a process of the session that runs as root (no_new_privs off, or a root account "
	    "with a profile) can open raw sockets and so send TCP outside the rules.");
}

/* The module's verdict: 0 confined or exempt, -1 refused (DIAG).  SUMMARY
 * is left empty when no ruleset could be built (ABI above the kernel's). */
/* The second layer as the verdict's plan has it (with the user's rules). */
struct l2_view {
	bool known;
	unsigned want, have;
	int exec_line;
};

static int verdict(const struct ctl_opts *o, int abi, int kernel, char *summary, size_t len,
                   bool *exempt, struct l2_view *l2, struct ll_diag *d)
{
	summary[0] = '\0';
	char conf[4096];
	struct ll_session s;
	ctl_abspath(o->conf, conf, sizeof(conf));
	/* An ABI above this kernel's cannot be built here: the same path, up to
	 * the plan. */
	unsigned flags = LL_LOAD_TRUSTED;
	/* The mode the module picks for the application that uses this
	 * service (confine=auto), as far as the service's name tells. */
	const struct ll_opener *op = o->service ? ll_opener_by_service(o->service) : NULL;
	if (!op || op->mode != LL_OPENER_CHILDREN)
		flags |= LL_SESSION_OPENER;
	if (abi > 0 && kernel > 0 && abi > kernel)
		flags |= LL_SESSION_PLAN_ONLY;
	int rc = ll_session_prepare(&s, conf, flags, o->user, o->service, o->from, abi, d, NULL);
	if (rc == 0) {
		if (!(flags & LL_SESSION_PLAN_ONLY))
			snprintf(summary, len, "%s", s.summary);
		*exempt = s.unconfined;
		*l2 = (struct l2_view){ !s.unconfined, s.plan.l2_want, s.plan.l2_have,
			                s.plan.l2_exec_line };
	}
	ll_session_free(&s);
	return rc;
}

int ctl_explain(const struct ctl_opts *o)
{
	struct ll_policy *pol = NULL;
	struct ll_identity id = { 0 };
	struct ll_decision dec;
	struct ll_resolved prof = { 0 };
	struct ll_plan plan = { 0 };
	struct ll_diag d = { 0 }, pd = { 0 };
	int kernel, abi, rc = CTL_USAGE;
	bool exempt = false;
	char summary[1600];

	if (!ctl_readable(o->conf))
		return CTL_USAGE;
	printf("Policy:   %s\n", o->conf);
	if (ll_policy_load(o->conf, 0, &pol, NULL, &d, &ctl_sink) < 0) {
		fflush(stdout);
		ctl_error(&d);
		printf("\nVerdict: session refused: the policy is invalid (every session it applies "
		       "to is refused)\n");
		return CTL_INVALID;
	}
	printf("Digest:   sha256 %s\n", pol->digest);
	if (ll_identity_load(o->user, o->service, &id, &d) < 0 ||
	    ll_identity_set_rhost(&id, o->from) < 0) {
		fflush(stdout);
		fprintf(stderr, "landlockctl: %s; %s\n", d.msg, d.hint);
		goto out;
	}
	ll_identity_group_names(&id, NULL);
	printf("User:     %s (uid %u, gid %u, home %s; groups:", id.user, (unsigned)id.uid,
	       (unsigned)id.gid, id.home);
	for (size_t i = 0; i < id.ngroups; i++)
		printf("%s %s", i ? "," : "", id.groups[i]);
	printf(")\nService:  %s\n", o->service ? o->service
	                                       : "(none: only entries without a service apply)");
	printf("From:     %s\n\n",
	       !o->from     ? "(no remote host: only entries without 'from' apply)"
	       : id.has_addr ? o->from
	                     : "(not an IP address: only entries without 'from' apply)");
	abi = ctl_abi(o, &kernel);

	struct ll_diag vd = { 0 };
	struct l2_view l2 = { 0 };
	int vrc = verdict(o, abi, kernel, summary, sizeof(summary), &exempt, &l2, &vd);

	int drc = ll_policy_decide(pol, &id, &dec, &d);
	print_matches(pol, &id, &dec);
	if (drc == 0 && dec.unconfined) {
		printf("\nProfile: unconfined: the policy exempts this user; no Landlock domain is "
		       "built.\n");
	} else if (drc == 0 && ll_policy_resolve(pol, dec.entry->profile, &prof, &d) == 0) {
		int view_abi = abi < 1 ? LL_ABI_MAX : abi;
		bool planned = abi >= 1 && ctl_plan_rights(&prof, abi, pol->file, &plan, &pd) == 0;
		if (!planned) {
			/* Show what would be handled anyway; the verdict says why not. */
			struct ll_resolved soft = prof;
			soft.compat = LL_COMPAT_BEST_EFFORT;
			soft.min_abi = 0;
			ll_plan_free(&plan);
			ctl_plan_rights(&soft, view_abi, pol->file, &plan, &d);
		}
		print_settings(pol, &prof, &plan);
		print_kernel(abi, kernel, o->abi > 0, &plan, planned, &pd);
		printf("\nFilesystem rules (ABI %d handles %d filesystem rights; each is denied "
		       "except beneath a path that grants it):\n",
		       view_abi, __builtin_popcountll(plan.have[LL_KIND_FS]));
		for (size_t i = 0; i < prof.nfs; i++)
			print_rule(pol, &id, view_abi, plan.have[LL_KIND_FS], prof.fs[i]);
		if (!prof.nfs)
			printf("  (none: every filesystem access is denied)\n");
		print_net_scope(&prof, &plan, view_abi);
		if (l2.known) {
			/* What the user's own rules make of it (fd_exec). */
			plan.l2_want = l2.want;
			plan.l2_have = l2.have;
			plan.l2_exec_line = l2.exec_line;
		}
		print_layer2(&prof, &plan);
		print_gaps(&prof, &plan, view_abi);
	}

	const struct ll_opener *op = o->service ? ll_opener_by_service(o->service) : NULL;
	if (op)
		printf("\nApplication: service %s is %s's (%s, %s): %s\n", o->service, op->app,
		       op->exe, op->role,
		       op->mode == LL_OPENER_REFUSED ? "the module refuses its sessions"
		       : op->mode == LL_OPENER_CHILDREN
		           ? "confine=children, what it forks is confined"
		           : "confine=opener, it is confined itself");
	else
		printf("\nApplication: %s: confine=opener unless its executable is a known "
		       "supervisor (landlockctl stacks, pam_landlock(8))\n",
		       o->service ? "not one the module knows by this service's name"
		                  : "no service given");
	if (op && op->mode == LL_OPENER_REFUSED) {
		printf("\nVerdict: session refused: pam_landlock cannot confine sessions opened by "
		       "%s: it %s; %s\n",
		       op->exe, op->after, op->hint);
		rc = CTL_INVALID;
	} else if (vrc < 0) {
		char buf[1200];
		printf("\nVerdict: session refused: %s\n", ll_diag_format(&vd, buf, sizeof(buf)));
		rc = CTL_INVALID;
	} else {
		rc = CTL_OK;
		printf("\nVerdict: %s", exempt ? "not confined (exempt by policy)" : "confined");
		if (summary[0])
			printf(". The module would log:\n  %s%s\n",
			       exempt ? "not confined (exempt by policy): " : "confined ", summary);
		else if (exempt)
			printf(".\n");
		else
			printf(" on Landlock ABI %d (this kernel has ABI %d: the ruleset itself was not "
			       "built)\n",
			       abi, kernel);
	}
out:
	ll_plan_free(&plan);
	ll_resolved_free(&prof);
	ll_identity_free(&id);
	ll_policy_free(pol);
	return rc;
}
