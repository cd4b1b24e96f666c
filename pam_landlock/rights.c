/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rights.c - the rights table and the per-ABI support masks.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ll_sys.h"
#include "rights.h"

const struct ll_right ll_rights[] = {
	{ "execute", LL_KIND_FS, LL_FS_EXECUTE, 1 },
	{ "write_file", LL_KIND_FS, LL_FS_WRITE_FILE, 1 },
	{ "read_file", LL_KIND_FS, LL_FS_READ_FILE, 1 },
	{ "read_dir", LL_KIND_FS, LL_FS_READ_DIR, 1 },
	{ "remove_dir", LL_KIND_FS, LL_FS_REMOVE_DIR, 1 },
	{ "remove_file", LL_KIND_FS, LL_FS_REMOVE_FILE, 1 },
	{ "make_char", LL_KIND_FS, LL_FS_MAKE_CHAR, 1 },
	{ "make_dir", LL_KIND_FS, LL_FS_MAKE_DIR, 1 },
	{ "make_reg", LL_KIND_FS, LL_FS_MAKE_REG, 1 },
	{ "make_sock", LL_KIND_FS, LL_FS_MAKE_SOCK, 1 },
	{ "make_fifo", LL_KIND_FS, LL_FS_MAKE_FIFO, 1 },
	{ "make_block", LL_KIND_FS, LL_FS_MAKE_BLOCK, 1 },
	{ "make_sym", LL_KIND_FS, LL_FS_MAKE_SYM, 1 },
	{ "refer", LL_KIND_FS, LL_FS_REFER, 2 },
	{ "truncate", LL_KIND_FS, LL_FS_TRUNCATE, 3 },
	{ "ioctl_dev", LL_KIND_FS, LL_FS_IOCTL_DEV, 5 },
	{ "resolve_unix", LL_KIND_FS, LL_FS_RESOLVE_UNIX, 9 },
	{ "bind_tcp", LL_KIND_NET, LL_NET_BIND_TCP, 4 },
	{ "connect_tcp", LL_KIND_NET, LL_NET_CONNECT_TCP, 4 },
	{ "bind_udp", LL_KIND_NET, LL_NET_BIND_UDP, 10 },
	{ "connect_send_udp", LL_KIND_NET, LL_NET_CONNECT_SEND_UDP, 10 },
	{ "abstract_unix_socket", LL_KIND_SCOPE, LL_SCOPE_ABSTRACT_UNIX_SOCKET, 6 },
	{ "signal", LL_KIND_SCOPE, LL_SCOPE_SIGNAL, 6 },
};
const size_t ll_nrights = sizeof(ll_rights) / sizeof(ll_rights[0]);

const struct ll_right *ll_right_by_name(const char *name)
{
	for (size_t i = 0; i < ll_nrights; i++)
		if (strcmp(ll_rights[i].name, name) == 0)
			return &ll_rights[i];
	return NULL;
}

uint64_t ll_fs_shorthand(const char *name)
{
	static const struct {
		const char *name;
		uint64_t mask;
	} sh[] = {
		{ "read_only", LL_FS_READ_ONLY },
		{ "read_exec", LL_FS_READ_EXEC },
		{ "read_write", LL_FS_READ_WRITE },
		{ "read_write_exec", LL_FS_READ_WRITE_EXEC },
	};
	for (size_t i = 0; i < sizeof(sh) / sizeof(sh[0]); i++)
		if (strcmp(sh[i].name, name) == 0)
			return sh[i].mask;
	return 0;
}

uint64_t ll_abi_mask(enum ll_kind kind, int abi)
{
	uint64_t m = 0;
	for (size_t i = 0; i < ll_nrights; i++)
		if (ll_rights[i].kind == kind && ll_rights[i].abi <= abi)
			m |= ll_rights[i].bit;
	return m;
}

uint32_t ll_abi_restrict_flags(int abi)
{
	uint32_t f = 0;
	if (abi >= 7)
		f |= LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF | LL_RESTRICT_SELF_LOG_NEW_EXEC_ON |
		     LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF;
	if (abi >= 8)
		f |= LL_RESTRICT_SELF_TSYNC;
	return f;
}

const char *ll_kind_prefix(enum ll_kind kind)
{
	switch (kind) {
	case LL_KIND_FS:
		return "fs";
	case LL_KIND_NET:
		return "net";
	case LL_KIND_SCOPE:
		return "scope";
	}
	return "?";
}

char *ll_rights_str(enum ll_kind kind, uint64_t mask, bool prefix, char *buf, size_t len)
{
	size_t off = 0;
	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < ll_nrights; i++) {
		if (ll_rights[i].kind != kind || !(mask & ll_rights[i].bit))
			continue;
		int n = snprintf(buf + off, len - off, "%s%s%s%s", off ? "," : "",
		                 prefix ? ll_kind_prefix(kind) : "", prefix ? "." : "",
		                 ll_rights[i].name);
		if (n < 0 || (size_t)n >= len - off) {
			buf[off] = '\0';
			break;
		}
		off += (size_t)n;
	}
	if (off == 0)
		snprintf(buf, len, "none");
	return buf;
}
