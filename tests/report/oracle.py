#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""oracle.py - an independent reading of Landlock audit logs, for the
differential tests of aulandlock (difftest.py).  Written from the record
formats (the kernel's 1423/1424 records, SYSCALL, PROCTITLE, and
pam_landlock's TRUSTED_APP records), not from aulandlock's code, and simple
on purpose: it reads whole files, groups every record by its event id
(node, time, serial) with no completion heuristics, and computes what each
view must show.  Strings are bytes, as in the log after decoding.
"""
import datetime
import pwd
import re
import subprocess

UNSET = 4294967295
HOLD_MS = 3000  # aulandlock(8): the last seconds of each node held back by --checkpoint
ENCODABLE = {b"path", b"name", b"comm", b"exe", b"ocomm", b"cwd", b"acct", b"reason",
             b"hostname", b"terminal", b"match"}
HEADER = re.compile(rb"(?:node=(\S+) )?type=(\S+) msg=audit\((\d{1,12})\.(\d{1,3}):(\d{1,19})\):")
FIELD = re.compile(rb'([A-Za-z_][A-Za-z0-9_-]*)=("[^"]*"|\S*)')
HEX = re.compile(rb"(?:[0-9A-Fa-f]{2})+")


class Rec:
    def __init__(self, node, typ, sec, ms, serial, body):
        self.node, self.sec, self.ms, self.serial = node, sec, ms, serial
        self.time = sec * 1000 + ms
        t = typ
        self.kind = {b"UNKNOWN[1423]": "access", b"LANDLOCK_ACCESS": "access",
                     b"UNKNOWN[1424]": "domain", b"LANDLOCK_DOMAIN": "domain",
                     b"SYSCALL": "syscall", b"PROCTITLE": "proctitle",
                     b"TRUSTED_APP": "trusted"}.get(t, "other")
        raw, _, enr = body.partition(b"\x1d")
        raw = raw.replace(b"msg='", b"", 1)
        if raw.endswith(b"'"):
            raw = raw[:-1]
        self.raw, self.enr = {}, {}
        for k, v in FIELD.findall(raw):
            self.raw.setdefault(k, v)
        for k, v in FIELD.findall(enr):
            self.enr.setdefault(k, v)

    def value(self, key):
        """As written, quotes removed."""
        v = self.raw.get(key)
        if v is not None and len(v) >= 2 and v[:1] == b'"' and v[-1:] == b'"':
            return v[1:-1]
        return v

    def text(self, key):
        """An untrusted string: hex-decoded when it is hex and may be."""
        v = self.raw.get(key)
        if v is None:
            return None
        if len(v) >= 2 and v[:1] == b'"' and v[-1:] == b'"':
            return v[1:-1]
        if key in ENCODABLE and HEX.fullmatch(v):
            return bytes.fromhex(v.decode()).replace(b"\0", b"@")
        return v

    def opt(self, key, text=False):
        """None for absent, empty and '?'."""
        v = self.text(key) if text else self.value(key)
        return None if v in (None, b"", b"?") else v

    def enriched(self, key):
        v = self.enr.get(key)
        if v is not None and len(v) >= 2 and v[:1] == b'"' and v[-1:] == b'"':
            v = v[1:-1]
        return None if v in (None, b"", b"?") else v

    def num(self, key, base=10):
        v = self.raw.get(key)
        try:
            return int(v, base) if v and v[:1] not in (b"-", b"+") else None
        except ValueError:
            return None

    def ident(self, key):
        """A uid-like field: -1 and 4294967295 are unset."""
        v = self.raw.get(key)
        try:
            n = int(v)
        except (TypeError, ValueError):
            return UNSET
        return UNSET if n in (-1, UNSET) or n < -1 or n > UNSET else n


def parse(line):
    m = HEADER.match(line)
    if not m:
        return None
    node, typ, sec, ms, serial = m.groups()
    return Rec(node or b"", typ, int(sec), int(ms), int(serial), line[m.end():])


class Event:
    def __init__(self, r):
        self.node, self.sec, self.ms, self.serial, self.time = r.node, r.sec, r.ms, r.serial, r.time
        self.recs = []
        self.first = None  # index of its first Landlock or pam_landlock record


def pam_kind(r):
    op = r.value(b"op") or b""
    return {b"pam_landlock-enforce": "enforce", b"pam_landlock-refused": "refused",
            b"pam_landlock-try": "try"}.get(op)


def read_events(paths):
    """Events in the order of their first Landlock or pam_landlock record."""
    events, order, n = {}, [], 0
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        elif lines:
            lines.pop()  # aulandlock(8): a last line without newline is not read
        for line in lines:
            r = parse(line)
            if not r:
                continue
            key = (r.node, r.sec, r.ms, r.serial)
            ev = events.get(key)
            if ev is None:
                ev = events[key] = Event(r)
            ev.recs.append(r)
            relevant = r.kind in ("access", "domain") or (r.kind == "trusted" and pam_kind(r))
            if relevant and ev.first is None:
                ev.first = n
                order.append(ev)
            n += 1
    return order


def iso(t):
    s = datetime.datetime.fromtimestamp(t // 1000, datetime.timezone.utc)
    return s.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (t % 1000)


_SYSCALLS = {}


def syscall_name(arch, nr):
    """libaudit's name (through ausyscall, not aulandlock)."""
    mach = {b"c000003e": "x86_64", b"40000003": "i386", b"c00000b7": "aarch64"}.get(
        (arch or b"").lower(), "x86_64")
    if mach not in _SYSCALLS:
        out = subprocess.run(["ausyscall", mach, "--dump"], capture_output=True, text=True).stdout
        _SYSCALLS[mach] = {int(a): b.encode() for a, b in
                           (l.split() for l in out.splitlines()[1:] if len(l.split()) == 2)}
    return _SYSCALLS[mach].get(nr, b"unknown-syscall(%d)" % nr)


def usable_name(n):
    return n is not None and n not in (b"", b"unset", b"?", b"(null)") and not (
        n.startswith(b"unknown(") or n.startswith(b"unknown-"))


class Opts:
    def __init__(self, resolve=False, user=None, node=None, blockers=(), domain=None,
                 start=None, end=None, uid=None, auid=None, exe=None, pid=None,
                 syscall=None, ses=None, top=5, hold=False):
        self.__dict__.update(locals())
        del self.__dict__["self"]

    def per_denial(self):
        return bool(self.blockers or self.uid is not None or self.auid is not None or
                    self.exe or self.pid is not None or self.syscall or self.ses is not None)


def uid_name(o, uid):
    if not o.resolve or uid == UNSET:
        return None
    try:
        return pwd.getpwuid(uid).pw_name.encode()
    except KeyError:
        return None


def name_uid(o, name):
    if not o.resolve or name is None:
        return UNSET
    try:
        return pwd.getpwnam(name.decode("utf-8", "surrogateescape")).pw_uid
    except (KeyError, UnicodeError, ValueError):
        return UNSET


def i64(r, key):
    v = r.raw.get(key)
    try:
        return int(v) if v and v[:1] not in (b"+", b" ") else None
    except ValueError:
        return None


class Denial:
    pass


def decode_access(r):
    d = Denial()
    d.domain = r.num(b"domain", 16) or 0
    d.blockers = sorted({b for b in (r.value(b"blockers") or b"").split(b",") if b})
    d.path = d.addr = None
    d.port = 0
    opid = i64(r, b"opid")
    if opid is not None:
        d.kind, d.opid, d.value = "task", opid, r.text(b"ocomm") or b"?"
        return d
    dest = r.num(b"dest") if r.num(b"dest") is not None else r.num(b"fport")
    src = None if dest is not None else (r.num(b"src") if r.num(b"src") is not None
                                         else r.num(b"lport"))
    daddr = r.opt(b"daddr") or r.opt(b"faddr")
    saddr = r.opt(b"saddr") or r.opt(b"laddr")
    path, name = r.text(b"path"), None
    if path is None:
        name = r.text(b"name")
    kind = None
    if dest is not None or daddr:
        kind = "connect"
    elif src is not None or saddr:
        kind = "bind"
    elif path is None and name is None:
        for b in d.blockers:  # aulandlock: the first net blocker in its table order
            if b.startswith(b"net.bind"):
                kind = "bind"
                break
            if b.startswith(b"net.connect"):
                kind = "connect"
                break
    if kind:
        d.kind = kind
        d.port = (dest if dest is not None else src) or 0
        d.addr = daddr if kind == "connect" else saddr
        a = d.addr or b""
        d.value = (b"[%s]:%d" if b":" in a else b"%s:%d") % (a, d.port)
        return d
    if path is not None:
        d.path = path
        raw = r.raw.get(b"path")
        cmd = r.value(b"ioctlcmd")
        if path.startswith(b"@") and raw.startswith(b"00"):
            d.kind, d.value = "unix", path
        elif cmd is not None:
            d.kind, d.value = "ioctl", path + b" ioctlcmd=" + cmd
        else:
            d.kind, d.value = "path", path
    elif name is not None:
        d.kind, d.value, d.path = "dentry", name, name
    else:
        d.kind, d.value = "none", b"-"
    return d


class Syscall:
    def __init__(self, r=None):
        self.present = r is not None
        if not r:
            self.uid = self.auid = self.euid = self.ses = UNSET
            self.pid = self.ppid = self.exit = self.nr = None
            self.sysname = self.comm = self.exe = self.uid_name = self.auid_name = None
            return
        self.pid, self.ppid, self.exit = i64(r, b"pid") or 0, i64(r, b"ppid") or 0, i64(r, b"exit")
        self.uid, self.auid = r.ident(b"uid"), r.ident(b"auid")
        self.euid, self.ses = r.ident(b"euid"), r.ident(b"ses")
        self.nr = i64(r, b"syscall")
        en = r.enr.get(b"SYSCALL")
        if en and not en.startswith(b"unknown-"):
            self.sysname = en
        elif self.nr is not None and 0 <= self.nr <= 0x7fffffff:
            self.sysname = syscall_name(r.value(b"arch"), self.nr)
        else:
            self.sysname = None
        self.comm, self.exe = r.opt(b"comm", True), r.opt(b"exe", True)
        self.uid_name, self.auid_name = r.enriched(b"UID"), r.enriched(b"AUID")


def proctitle(r):
    raw = r.raw.get(b"proctitle")
    if raw is None:
        return None
    if raw[:1] != b'"' and HEX.fullmatch(raw):
        b = bytes.fromhex(raw.decode())
    else:
        b = r.value(b"proctitle")
    b = b.rstrip(b"\0")
    return b


class Decoded:
    """An event's records, as aulandlock's model reads them."""

    def __init__(self, ev):
        self.ev = ev
        self.acc, self.alloc, self.dealloc, self.pam = [], [], [], None
        sc = pt = None
        for r in ev.recs:
            if r.kind == "access":
                self.acc.append(decode_access(r))
            elif r.kind == "domain":
                dom = r.num(b"domain", 16) or 0
                if r.value(b"status") == b"deallocated":
                    self.dealloc.append((dom, r.num(b"denials") or 0))
                else:
                    self.alloc.append(dict(
                        domain=dom, pid=i64(r, b"pid") or 0, uid=r.ident(b"uid"),
                        exe=r.opt(b"exe", True), comm=r.opt(b"comm", True),
                        mode=r.opt(b"mode"), uid_name=r.enriched(b"UID")))
            elif r.kind == "syscall":
                sc = r
            elif r.kind == "proctitle":
                pt = r
            elif r.kind == "trusted" and pam_kind(r):
                self.pam = dict(
                    kind=pam_kind(r), failed=r.value(b"res") != b"success",
                    pid=i64(r, b"pid") or 0, acct=r.opt(b"acct", True),
                    auid=r.ident(b"auid"), auid_name=r.enriched(b"AUID"),
                    service=r.opt(b"service"), profile=r.opt(b"profile"),
                    match=r.opt(b"match", True),
                    hostname=r.opt(b"hostname", True) or r.opt(b"addr"),
                    terminal=r.opt(b"terminal", True), enforcement=r.opt(b"enforcement"),
                    digest=r.opt(b"digest"), confine=r.opt(b"confine"),
                    dropped=r.opt(b"dropped"), abi=i64(r, b"abi"),
                    reason=r.opt(b"reason", True), exe=r.opt(b"exe", True))
        self.sc = Syscall(sc)
        self.pt = proctitle(pt) if pt else None


class User:
    def __init__(self, uid, name):
        self.uid, self.name = uid, name
        self.denials = self.events = self.kernel = self.unlogged = self.kernel_domains = 0
        self.pam = {"enforce": 0, "refused": 0, "try": 0}
        self.sessions, self.domains = set(), set()
        self.blockers, self.objects, self.programs = {}, {}, {}
        self.first = self.last = None
        self.hidden = False

    def label(self):
        if self.name is not None:
            return self.name
        return b"(unknown)" if self.uid == UNSET else str(self.uid).encode()


class Domain:
    def __init__(self, node, id):
        self.node, self.id = node, id
        self.user = None  # (time, serial, User) of its earliest denial
        self.alloc = None
        self.pam = None
        self.logged = self.logged_all = 0
        self.kernel = None
        self.first = self.last = None
        self.blockers, self.objects = {}, {}
        self.shown = False


class Node:
    def __init__(self, name):
        self.name = name
        self.denials = self.events = self.kernel = self.unattributed = 0
        self.pam = {"enforce": 0, "refused": 0, "try": 0}
        self.users, self.domains = set(), set()
        self.first = self.last = None


def bump(d, k, n=1):
    d[k] = d.get(k, 0) + n


def span(obj, t):
    obj.first = t if obj.first is None else min(obj.first, t)
    obj.last = t if obj.last is None else max(obj.last, t)


class Result:
    """What aulandlock must report for these events under these options."""

    def __init__(self, events, o):
        self.o = o
        self.users, self.domains, self.nodes = {}, {}, {}
        self.rows = []  # selected denials, in delivery order
        self.tot = dict(denials=0, events=0, kernel=0, unattributed=0, unlogged=0,
                        enforce=0, refused=0, try_=0, no_syscall=0)
        self.sessions = []  # (node, pid, time, pam) kept for ties
        self.srows = []  # the --sessions view: one per selected pam_landlock record
        self.revs = {}  # the --revisions view: per digest (None: no revision)
        for ev in events:
            self.event(Decoded(ev))
        # name-only rows (pam_landlock accounts) join the one named row with a uid
        for u in list(self.users.values()):
            if u.uid != UNSET or u.name is None:
                continue
            to = [v for v in self.users.values() if v.uid != UNSET and v.name == u.name]
            if len(to) != 1:
                continue
            for k in u.pam:
                to[0].pam[k] += u.pam[k]
                u.pam[k] = 0
            if not u.denials and not u.kernel:
                u.hidden = True

    def user(self, uid, name):
        key = (uid, name)
        if key not in self.users:
            self.users[key] = User(uid, name)
        return self.users[key]

    def node(self, name):
        if name not in self.nodes:
            self.nodes[name] = Node(name)
        return self.nodes[name]

    def user_matches(self, u):
        f = self.o.user
        if f is None:
            return True
        if isinstance(f, int):
            return u.uid == f
        return u.name == f

    def in_time(self, ev):
        o = self.o
        return (o.start is None or ev.sec >= o.start) and (o.end is None or ev.sec <= o.end)

    def event(self, d):
        o, ev = self.o, d.ev
        if o.node is not None and ev.node != o.node:
            return
        scope = self.in_time(ev)
        if d.pam:
            return self.pam(d, scope)
        for a in d.alloc:
            if o.domain is None or a["domain"] == o.domain:
                self.do_alloc(ev, a, scope)
        if d.acc:
            self.do_access(d, scope)
        for dom, n in d.dealloc:
            if o.domain is None or dom == o.domain:
                self.do_dealloc(ev, dom, n, scope)

    def pam(self, d, scope):
        p, ev = d.pam, d.ev
        if p["kind"] in ("enforce", "try") and not p["failed"]:
            self.sessions.append((ev.node, p["pid"], ev.time, p))
            p["time"], p["serial"] = ev.time, ev.serial
        if not scope:
            return
        name = p["acct"] if usable_name(p["acct"]) else None
        if name is not None and p["auid"] != UNSET and p["auid_name"] == name:
            uid = p["auid"]  # the record's own login uid, named as the account
        else:
            uid = name_uid(self.o, name)
        u = self.user(uid, name)
        if not self.user_matches(u):
            return
        u.pam[p["kind"]] += 1
        self.node(ev.node).pam[p["kind"]] += 1
        self.tot["try_" if p["kind"] == "try" else p["kind"]] += 1
        row = dict(p, node=ev.node, time=ev.time, serial=ev.serial, user=u, domain=None)
        p["row"] = row
        self.srows.append(row)
        rv = self.rev(p["digest"])
        rv[{"enforce": "sessions", "refused": "refused", "try": "trials"}[p["kind"]]] += 1
        if rv["file"] is None and p["match"] is not None:
            m = re.fullmatch(rb"(.*):[0-9]+(\([^)]*\))?", p["match"], re.S)
            rv["file"] = m.group(1) if m else p["match"]
        self.rev_seen(rv, u, ev)

    def rev(self, digest):
        if digest not in self.revs:
            self.revs[digest] = dict(digest=digest, file=None, sessions=0, refused=0, trials=0,
                                     denials=0, users=set(), nodes=set(), domains=set(),
                                     first=None, last=None)
        return self.revs[digest]

    @staticmethod
    def rev_seen(rv, u, ev):
        rv["users"].add(("name", u.name) if u.name is not None else ("uid", u.uid))
        rv["nodes"].add(ev.node)
        rv["first"] = ev.time if rv["first"] is None else min(rv["first"], ev.time)
        rv["last"] = ev.time if rv["last"] is None else max(rv["last"], ev.time)

    def domain(self, node, id):
        if (node, id) not in self.domains:
            self.domains[(node, id)] = Domain(node, id)
        return self.domains[(node, id)]

    def do_alloc(self, ev, a, scope):
        dm = self.domain(ev.node, a["domain"])
        if dm.alloc:
            return
        dm.alloc = dict(a, time=ev.time)
        cname = a["uid_name"] if usable_name(a["uid_name"]) else uid_name(self.o, a["uid"])
        dm.alloc["cname"] = cname
        best = None
        for node, pid, t, p in self.sessions:
            if node == ev.node and pid == a["pid"] and t <= ev.time:
                if best is None or t >= best[0]:
                    best = (t, p)
        dm.pam = best[1] if best else None
        if dm.pam and dm.pam.get("row") and dm.pam["row"]["domain"] is None:
            dm.pam["row"]["domain"] = a["domain"]
        if scope and not self.o.per_denial() and (dm.user is None or self.o.user is None):
            dm.shown = True

    def attribute(self, sc):
        if not sc.present:
            return self.user(UNSET, None)
        uid, name = (sc.auid, sc.auid_name) if sc.auid != UNSET else (sc.uid, sc.uid_name)
        if not usable_name(name):
            name = uid_name(self.o, uid)
        return self.user(uid, name)

    def selected(self, d, a, u):
        o, sc = self.o, d.sc
        if o.domain is not None and a.domain != o.domain:
            return False
        if o.blockers and not set(o.blockers) & set(a.blockers):
            return False
        if not self.user_matches(u):
            return False
        if o.uid is not None and (not sc.present or sc.uid != o.uid):
            return False
        if o.auid is not None and (not sc.present or sc.auid != o.auid):
            return False
        if o.exe is not None and (sc.exe is None or o.exe not in sc.exe):
            return False
        if o.pid is not None and (not sc.present or sc.pid != o.pid):
            return False
        if o.ses is not None and (not sc.present or sc.ses != o.ses):
            return False
        if o.syscall is not None and (not sc.present or sc.sysname != o.syscall):
            return False
        return True

    def do_access(self, d, scope):
        ev, sc = d.ev, d.sc
        u = self.attribute(sc)
        counted = False
        for a in d.acc:
            if self.o.domain is not None and a.domain != self.o.domain:
                continue
            dm = self.domain(ev.node, a.domain)
            dm.logged_all += 1
            if dm.user is None or (ev.time, ev.serial) < dm.user[:2]:
                dm.user = (ev.time, ev.serial, u)
            if not scope or not self.selected(d, a, u):
                continue
            n = self.node(ev.node)
            if not counted:
                span(u, ev.time)
                u.events += 1
                n.events += 1
                self.tot["events"] += 1
                self.tot["no_syscall"] += not sc.present
                counted = True
            u.denials += 1
            n.denials += 1
            dm.logged += 1
            self.tot["denials"] += 1
            for b in a.blockers:
                bump(u.blockers, b)
                bump(dm.blockers, b)
            key = a.kind.encode() + b":" + a.value
            bump(u.objects, key)
            bump(dm.objects, key)
            bump(u.programs, sc.exe or sc.comm or b"-")
            u.sessions.add((ev.node, sc.ses) if sc.ses != UNSET else (ev.node, "dom", a.domain))
            u.domains.add((ev.node, a.domain))
            span(dm, ev.time)
            dm.shown = True
            span(n, ev.time)
            n.users.add((u.uid, u.name))
            n.domains.add(a.domain)
            a.session = dm.pam  # the session context of the denial
            rv = self.rev(dm.pam["digest"] if dm.pam else None)
            rv["denials"] += 1
            rv["domains"].add((ev.node, a.domain))
            self.rev_seen(rv, u, ev)
            self.rows.append((d, a, u))

    def do_dealloc(self, ev, dom, count, scope):
        dm = self.domains.get((ev.node, dom))
        u = dm.user[2] if dm and dm.user else None
        if dm:
            dm.kernel = count
        if not scope or self.o.per_denial():
            return
        if not (self.user_matches(u) if u else self.o.user is None):
            return
        n = self.node(ev.node)
        n.kernel += count
        self.tot["kernel"] += count
        if u:
            unl = max(0, count - dm.logged_all)
            u.kernel += count
            u.unlogged += unl
            u.kernel_domains += 1
            self.tot["unlogged"] += unl
        else:
            n.unattributed += count
            self.tot["unattributed"] += count
        if dm:
            dm.shown = True
        if dm:  # a deallocated domain is gone: a later one with its id is new
            self.domains.pop((ev.node, dom))
            self.gone = getattr(self, "gone", [])
            self.gone.append(dm)

    def all_domains(self):
        return list(self.domains.values()) + getattr(self, "gone", [])


# ---- alerts -------------------------------------------------------------------


def path_match(pattern, path):
    """aulandlock(8): the glob matches the path or one of its parent directories
    (fnmatch with FNM_PATHNAME: * and ? do not match '/')."""
    pat = pattern.rstrip(b"/") or b"/"
    rx = b""
    i = 0
    while i < len(pat):
        c = pat[i:i + 1]
        if c == b"*":
            rx += b"[^/]*"
        elif c == b"?":
            rx += b"[^/]"
        elif c == b"[":
            j = pat.find(b"]", i + 2)
            if j < 0:
                rx += re.escape(c)
            else:
                body = pat[i + 1:j]
                if body[:1] == b"!":
                    body = b"^" + body[1:]
                rx += b"[" + body + b"]"
                i = j
        else:
            rx += re.escape(c)
        i += 1
    parts = path.split(b"/")
    for k in range(len(parts), 1, -1):
        prefix = b"/".join(parts[:k])
        if prefix and re.fullmatch(rx, prefix, re.S):
            return True
    return False


def alerts(res, first=False, burst=None, objects=(), ports=()):
    """The alerts aulandlock must raise on the selected denials, in order:
    (rule, serial, object, domain) per alert."""
    out, seen, windows = [], set(), {}
    for d, a, u in res.rows:
        ev, sc = d.ev, d.sc
        if a.session is not None:
            key = ("p", ev.node, a.session["pid"], a.session["time"])
        elif sc.present and sc.ses != UNSET:
            key = ("s", ev.node, sc.ses)
        else:
            key = ("d", ev.node, a.domain)
        fresh = key not in seen
        seen.add(key)
        if first and fresh:
            out.append(("first_denial", ev.serial, a.value, a.domain))
        if a.kind in ("path", "ioctl") and a.path.startswith(b"/"):
            if any(path_match(p, a.path) for p in objects):
                out.append(("sensitive_object", ev.serial, a.value, a.domain))
        if a.kind == "connect" and any(lo <= a.port <= hi for lo, hi in ports):
            out.append(("internal_port", ev.serial, a.value, a.domain))
        if burst:
            n, w = burst
            st = windows.setdefault(key, {"times": [], "quiet": None})
            if st["quiet"] is not None and ev.time < st["quiet"]:
                continue
            st["times"] = (st["times"] + [ev.time])[-n:]
            if len(st["times"]) == n and ev.time - st["times"][0] <= w * 1000:
                out.append(("burst", ev.serial, a.value, a.domain))
                st["times"], st["quiet"] = [], ev.time + w * 1000
    return out
