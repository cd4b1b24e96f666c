#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""expect.py - rows of every view as aulandlock(8) documents them, computed
from the independent reading (oracle.py), and the same rows parsed back
from aulandlock's CSV and JSON output (strings percent-decoded to bytes),
so that difftest.py can compare them field by field.
"""
import csv
import io
import ipaddress
import json
import urllib.parse

from oracle import UNSET, iso, usable_name


def pct(s):
    return None if s is None else urllib.parse.unquote_to_bytes(s)


def top(d, n, key=lambda kv: (-kv[1], kv[0])):
    return sorted(d.items(), key=key)[:n]


def objects(d, n):
    out = []
    for k, c in top(d, n):
        kind, _, v = k.partition(b":")
        out.append((kind.decode(), v, c))
    return out


def uid_or_none(u):
    return None if u.uid == UNSET else u.uid


# ---- expected rows --------------------------------------------------------


def users(res, full_blockers=False):
    o = res.o
    rows = [u for u in res.users.values() if not u.hidden and
            (u.denials or any(u.pam.values()) or u.kernel_domains)]
    rows.sort(key=lambda u: (-u.denials, u.uid, (u.name is not None, u.name or b"")))
    nd = o.per_denial()
    out = []
    for u in rows:
        out.append(dict(
            label=u.label(), uid=uid_or_none(u), sessions=len(u.sessions), domains=len(u.domains),
            denials=u.denials, events=u.events, kernel=None if nd else u.kernel,
            unlogged=None if nd else u.unlogged, pam_sessions=u.pam["enforce"],
            pam_refused=u.pam["refused"], pam_trials=u.pam["try"],
            first=iso(u.first) if u.events else None, last=iso(u.last) if u.events else None,
            blockers=[(b.decode(), c) for b, c in top(u.blockers, 1000 if full_blockers else o.top)],
            objects=objects(u.objects, o.top), programs=top(u.programs, o.top)))
    return out


def domains(res, full_blockers=False):
    o = res.o
    nd = o.per_denial()
    rows = []
    for d in res.all_domains():
        if not d.shown:
            continue
        u = d.user[2] if d.user else None
        if o.user is not None and not (u and res.user_matches(u)):
            continue
        rows.append(d)
    rows.sort(key=lambda d: (-d.logged, d.first if d.logged else (d.alloc or {}).get("time", 0),
                             d.node, d.id))
    out = []
    for d in rows:
        u = d.user[2] if d.user else None
        a, p = d.alloc or {}, d.pam or {}
        dealloc = d.kernel is not None
        out.append(dict(
            domain="%x" % d.id, node=d.node, user=u.label() if u else b"(unknown)",
            uid=uid_or_none(u) if u else None, creator_pid=a.get("pid"),
            creator_uid=None if a.get("uid", UNSET) == UNSET else a.get("uid"),
            creator_exe=a.get("exe"), creator_comm=a.get("comm"), mode=a.get("mode"),
            pam_service=p.get("service"), pam_profile=p.get("profile"), pam_acct=p.get("acct"),
            pam_rhost=p.get("hostname"), pam_tty=p.get("terminal"),
            pam_kind=({"enforce": "session", "try": "trial"}[p["kind"]] if p else None),
            pam_match=p.get("match"), pam_digest=p.get("digest"), pam_confine=p.get("confine"),
            denials=d.logged,
            kernel=d.kernel if dealloc and not nd else None, deallocated=dealloc,
            unlogged=max(0, d.kernel - d.logged_all) if dealloc and not nd else None,
            first=iso(d.first) if d.logged else None, last=iso(d.last) if d.logged else None,
            blockers=[(b.decode(), c) for b, c in top(d.blockers, 1000 if full_blockers else o.top)],
            objects=objects(d.objects, o.top)))
    return out


def nodes(res):
    nd = res.o.per_denial()
    rows = sorted(res.nodes.values(), key=lambda n: (-n.denials, n.name))
    return [dict(node=n.name, denials=n.denials, events=n.events, users=len(n.users),
                 domains=len(n.domains), kernel=None if nd else n.kernel,
                 unattributed=None if nd else n.unattributed, pam_sessions=n.pam["enforce"],
                 pam_refused=n.pam["refused"], pam_trials=n.pam["try"],
                 first=iso(n.first) if n.denials else None,
                 last=iso(n.last) if n.denials else None) for n in rows]


def ident(sc, v):
    return v if sc.present and v != UNSET else None


def is_ip(s):
    try:
        ipaddress.ip_address(s.decode("ascii"))
        return True
    except (UnicodeError, ValueError):
        return False


def related(names):
    """ECS related.user: the usable names, each once, in order."""
    out = []
    for n in names:
        if usable_name(n) and n not in out:
            out.append(n)
    return out or None


def context(p):
    """The session context fields of a denial (aulandlock(8): pam_*)."""
    p = p or {}
    return dict(
        pam_service=p.get("service"), pam_profile=p.get("profile"), pam_match=p.get("match"),
        pam_acct=p.get("acct"), pam_rhost=p.get("hostname"), pam_tty=p.get("terminal"),
        pam_digest=p.get("digest"),
        pam_kind={"enforce": "session", "try": "trial"}[p["kind"]] if p else None,
        pam_confine=p.get("confine"))


def denials(res):
    out = []
    for d, a, u in res.rows:
        ev, sc = d.ev, d.sc
        p = a.session
        out.append(dict(
            context(p),
            related=related([u.name, sc.auid_name, sc.uid_name, p and p["acct"]]),
            source_ip=p["hostname"] if p and p["hostname"] and is_ip(p["hostname"]) else None,
            time=iso(ev.time), node=ev.node, serial=ev.serial, user=u.label(),
            uid=ident(sc, sc.uid), auid=ident(sc, sc.auid), ses=ident(sc, sc.ses),
            euid=ident(sc, sc.euid), pid=sc.pid if sc.present else None,
            ppid=sc.ppid if sc.present else None, comm=sc.comm, exe=sc.exe,
            syscall=sc.sysname if sc.sysname is not None else (
                str(sc.nr).encode() if sc.present and sc.nr is not None and sc.nr >= 0 else None),
            exit=sc.exit if sc.present else None, domain="%x" % a.domain,
            blockers=[b.decode() for b in a.blockers], kind=a.kind, object=a.value,
            command_line=d.pt.replace(b"\0", b" ") if d.pt is not None else None,
            args=d.pt.split(b"\0") if d.pt is not None else None,
            port=a.port if a.kind in ("bind", "connect") else None,
            address=a.addr, opid=getattr(a, "opid", None) if a.kind == "task" else None,
            path=a.path if a.kind != "path" else None))
    return out


def sessions(res):
    out = []
    for r in res.srows:
        u = r["user"]
        host = r["hostname"]
        out.append(dict(
            time=iso(r["time"]), node=r["node"], serial=r["serial"],
            action={"enforce": "confined", "refused": "refused", "try": "trial"}[r["kind"]],
            outcome="failure" if r["kind"] == "refused" or r["failed"] else "success",
            user=u.name, uid=uid_or_none(u), pam_service=r["service"],
            pam_profile=r["profile"], pam_match=r["match"], pam_acct=r["acct"], pam_rhost=host,
            pam_tty=r["terminal"], pam_digest=r["digest"],
            pam_kind="trial" if r["kind"] == "try" else "session", pam_confine=r["confine"],
            pid=r["pid"], exe=r["exe"],
            domain="%x" % r["domain"] if r["domain"] is not None else None,
            abi=r["abi"] if r["abi"] is not None and r["abi"] >= 0 else None,
            enforcement=r["enforcement"], dropped=r["dropped"], reason=r["reason"],
            source_ip=host if host and is_ip(host) else None,
            related=related([u.name, r["acct"]])))
    return out


def revisions(res):
    rows = sorted(res.revs.values(), key=lambda r: (
        -r["denials"], -(r["sessions"] + r["refused"] + r["trials"]), r["first"],
        r["digest"] is None, r["digest"] or b""))
    return [dict(digest=r["digest"], file=r["file"], sessions=r["sessions"],
                 refused=r["refused"], trials=r["trials"], denials=r["denials"],
                 domains=len(r["domains"]), users=len(r["users"]), nodes=len(r["nodes"]),
                 first=iso(r["first"]), last=iso(r["last"])) for r in rows]


# ---- parsed back ------------------------------------------------------------


def csv_rows(text):
    """Rows of a CSV output: one per physical line, always."""
    lines = text.split("\n")
    assert lines[-1] == "", "CSV output does not end with a newline"
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == len(lines) - 1, "a CSV field spans lines"
    return rows[0], rows[1:]


def num(s):
    return None if s == "" else int(s)


def nstr(s):
    return None if s == "" else pct(s)


def csv_list(s, objs):
    out = []
    for item in s.split(";") if s else []:
        k, _, c = item.rpartition("=")
        if objs:
            kind, _, v = k.partition(":")
            out.append((kind, pct(v), int(c)))
        else:
            out.append((pct(k), int(c)))
    return out


def csv_blockers(s):
    return [(k, int(c)) for k, _, c in (i.rpartition("=") for i in s.split(";"))] if s else []


def parse_csv(view, text):
    head, rows = csv_rows(text)
    out = []
    for r in rows:
        x = dict(zip(head, r))
        if view == "summary":
            out.append(dict(
                label=pct(x["user"]), uid=num(x["uid"]), sessions=int(x["sessions"]),
                domains=int(x["domains"]), denials=int(x["denials"]), events=int(x["events"]),
                kernel=num(x["kernel_denials"]), unlogged=num(x["unlogged_denials"]),
                pam_sessions=int(x["pam_sessions"]), pam_refused=int(x["pam_refused"]),
                pam_trials=int(x["pam_trials"]), first=x["first_seen"] or None,
                last=x["last_seen"] or None, blockers=csv_blockers(x["top_blockers"]),
                objects=csv_list(x["top_objects"], True),
                programs=csv_list(x["top_programs"], False)))
        elif view == "domains":
            out.append(dict(
                domain=x["domain"], node=pct(x["node"]), user=pct(x["user"]), uid=num(x["uid"]),
                creator_pid=num(x["creator_pid"]), creator_uid=num(x["creator_uid"]),
                creator_exe=nstr(x["creator_exe"]), creator_comm=nstr(x["creator_comm"]),
                mode=nstr(x["mode"]), pam_service=nstr(x["pam_service"]),
                pam_profile=nstr(x["pam_profile"]), pam_acct=nstr(x["pam_acct"]),
                pam_rhost=nstr(x["pam_rhost"]), pam_tty=nstr(x["pam_tty"]),
                pam_kind=x["pam_kind"] or None, pam_match=nstr(x["pam_match"]),
                pam_digest=nstr(x["pam_digest"]), pam_confine=nstr(x["pam_confine"]),
                denials=int(x["denials"]), kernel=num(x["kernel_denials"]),
                deallocated=x["deallocated"] == "yes", unlogged=num(x["unlogged_denials"]),
                first=x["first_seen"] or None, last=x["last_seen"] or None,
                blockers=csv_blockers(x["top_blockers"]),
                objects=csv_list(x["top_objects"], True)))
        elif view == "nodes":
            out.append(dict(
                node=pct(x["node"]), denials=int(x["denials"]), events=int(x["events"]),
                users=int(x["users"]), domains=int(x["domains"]), kernel=num(x["kernel_denials"]),
                unattributed=num(x["unattributed_kernel_denials"]),
                pam_sessions=int(x["pam_sessions"]), pam_refused=int(x["pam_refused"]),
                pam_trials=int(x["pam_trials"]), first=x["first_seen"] or None,
                last=x["last_seen"] or None))
        elif view == "sessions":
            out.append(dict(
                time=x["time"], node=pct(x["node"]), serial=int(x["serial"]),
                action=x["action"], outcome=x["outcome"], user=nstr(x["user"]),
                uid=num(x["uid"]), pid=num(x["pid"]), exe=nstr(x["exe"]),
                domain=x["domain"] or None, abi=num(x["abi"]),
                enforcement=nstr(x["enforcement"]), dropped=nstr(x["dropped"]),
                reason=nstr(x["reason"]), **csv_context(x)))
        elif view == "revisions":
            out.append(dict(
                digest=nstr(x["digest"]), file=nstr(x["file"]), sessions=int(x["sessions"]),
                refused=int(x["refused"]), trials=int(x["trials"]), denials=int(x["denials"]),
                domains=int(x["domains"]), users=int(x["users"]), nodes=int(x["nodes"]),
                first=x["first_seen"], last=x["last_seen"]))
        else:
            out.append(dict(
                time=x["time"], node=pct(x["node"]), serial=int(x["serial"]), user=pct(x["user"]),
                uid=num(x["uid"]), auid=num(x["auid"]), ses=num(x["ses"]), euid=num(x["euid"]),
                pid=num(x["pid"]), ppid=num(x["ppid"]), comm=nstr(x["comm"]), exe=nstr(x["exe"]),
                syscall=nstr(x["syscall"]), exit=num(x["exit"]), domain=x["domain"],
                blockers=x["blockers"].split(",") if x["blockers"] else [],
                kind=x["object_kind"], object=pct(x["object"]),
                command_line=nstr(x["command_line"]), **csv_context(x)))
    return out


def csv_context(x):
    keys = ("pam_service", "pam_profile", "pam_match", "pam_acct", "pam_rhost", "pam_tty",
            "pam_digest", "pam_confine")
    out = {k: nstr(x[k]) for k in keys}
    out["pam_kind"] = x["pam_kind"] or None
    return out


def json_context(j):
    p = j.get("pam")
    if p is None:
        return dict.fromkeys(("pam_service", "pam_profile", "pam_match", "pam_acct", "pam_rhost",
                              "pam_tty", "pam_digest", "pam_kind", "pam_confine"))
    return dict(pam_service=jstr(p["service"]), pam_profile=jstr(p["profile"]),
                pam_match=jstr(p["match"]), pam_acct=jstr(p["acct"]),
                pam_rhost=jstr(p["remote_host"]), pam_tty=jstr(p["tty"]),
                pam_digest=jstr(p["digest"]), pam_kind=p["kind"], pam_confine=jstr(p["confine"]))


def json_ecs(j):
    rel = (j.get("related") or {}).get("user")
    return dict(related=[jstr(x) for x in rel] if rel is not None else None,
                source_ip=jstr((j.get("source") or {}).get("ip")))


def json_lines(text):
    raw = text.encode("utf-8")  # the output must be valid UTF-8
    out = []
    for line in text.split("\n")[:-1]:
        out.append(json.loads(line))
    assert raw.count(b"\n") == len(out)
    return out


def jstr(v):
    return None if v is None else pct(v)


def jid(v):
    return None if v is None else int(v)


def juser(j):
    u = j["user"]
    if u is None:
        return None, None
    name = jstr(u["name"])
    label = name if name is not None else (u["id"].encode() if u["id"] else b"(unknown)")
    return label, jid(u["id"])


def jtop(lst, objs):
    if objs:
        return [(e["kind"], jstr(e["value"]), e["count"]) for e in lst]
    return [(jstr(e["value"]), e["count"]) for e in lst]


def parse_json(view, text):
    out = []
    for j in json_lines(text):
        if view == "summary":
            label, uid = juser(j)
            ev = j.get("event") or {}
            out.append(dict(
                label=label, uid=uid, sessions=j["sessions"], domains=j["domains"],
                denials=j["denials"]["logged"], events=j["denials"]["events"],
                kernel=j["denials"]["kernel"], unlogged=j["denials"]["unlogged"],
                pam_sessions=j["pam"]["sessions"], pam_refused=j["pam"]["refused"],
                pam_trials=j["pam"]["trials"], first=ev.get("start"), last=ev.get("end"),
                blockers=[(b["name"], b["count"]) for b in j["blockers"]],
                objects=jtop(j["objects"], True), programs=jtop(j["programs"], False)))
        elif view == "domains":
            label, uid = juser(j) if j["user"] else (b"(unknown)", None)
            c, p, ll = j.get("creator") or {}, j.get("pam") or {}, j["landlock"]
            ev = j.get("event") or {}
            out.append(dict(
                domain=ll["domain"], node=jstr(j["host"]["name"]) or b"", user=label, uid=uid,
                creator_pid=c.get("pid"), creator_uid=jid((c.get("user") or {}).get("id")),
                creator_exe=jstr(c.get("executable")), creator_comm=jstr(c.get("name")),
                mode=jstr(c.get("mode")), pam_service=jstr(p.get("service")),
                pam_profile=jstr(p.get("profile")), pam_acct=jstr(p.get("acct")),
                pam_rhost=jstr(p.get("remote_host")), pam_tty=jstr(p.get("tty")),
                pam_kind=p.get("kind"), pam_match=jstr(p.get("match")),
                pam_digest=jstr(p.get("digest")), pam_confine=jstr(p.get("confine")),
                denials=ll["denials"]["logged"], kernel=ll["denials"]["kernel"],
                deallocated=ll["deallocated"], unlogged=ll["denials"]["unlogged"],
                first=ev.get("start"), last=ev.get("end"),
                blockers=[(b["name"], b["count"]) for b in j["blockers"]][:1000],
                objects=jtop(j["objects"], True)))
        elif view == "nodes":
            ev = j.get("event") or {}
            out.append(dict(
                node=jstr(j["host"]["name"]) or b"", denials=j["denials"]["logged"],
                events=j["denials"]["events"], users=j["users"], domains=j["domains"],
                kernel=j["denials"]["kernel"], unattributed=j["denials"]["unattributed_kernel"],
                pam_sessions=j["pam"]["sessions"], pam_refused=j["pam"]["refused"],
                pam_trials=j["pam"]["trials"], first=ev.get("start"), last=ev.get("end")))
        elif view == "sessions":
            assert j["record"] == "session" and j["schema"] == 3
            u, ev, ll, pr = j["user"], j["event"], j["landlock"], j["process"]
            assert ev["kind"] == "event" and ev["category"] == ["session"]
            p = j["pam"]
            out.append(dict(
                time=j["@timestamp"], node=jstr(j["host"]["name"]) or b"", serial=j["sequence"],
                action=ev["action"], outcome=ev["outcome"], user=jstr(u["name"]),
                uid=jid(u["id"]), pid=pr["pid"], exe=jstr(pr["executable"]),
                domain=ll["domain"], abi=ll["abi"], enforcement=jstr(ll["enforcement"]),
                dropped=jstr(ll["dropped"]), reason=jstr(p.get("reason")),
                **json_context(j), **json_ecs(j)))
        elif view == "revisions":
            assert j["record"] == "revision" and j["schema"] == 3
            ev = j["event"]
            out.append(dict(
                digest=jstr(j["policy"]["digest"]), file=jstr(j["policy"]["file"]),
                sessions=j["pam"]["sessions"], refused=j["pam"]["refused"],
                trials=j["pam"]["trials"], denials=j["denials"], domains=j["domains"],
                users=j["users"], nodes=j["nodes"], first=ev["start"], last=ev["end"]))
        else:
            assert j["record"] == "denial" and j["schema"] == 3
            assert j["event"]["category"] == ["landlock"]
            label, uid = juser(j)
            pr, ids, ll = j.get("process") or {}, j.get("ids") or {}, j["landlock"]
            ob = ll["object"]
            args = pr.get("args")
            out.append(dict(
                time=j["@timestamp"], node=jstr(j["host"]["name"]) or b"", serial=j["sequence"],
                user=label, uid=jid(ids.get("uid")), auid=jid(ids.get("auid")),
                ses=jid(j.get("session")), euid=jid(ids.get("euid")), pid=pr.get("pid"),
                ppid=pr.get("ppid"), comm=jstr(pr.get("name")), exe=jstr(pr.get("executable")),
                syscall=jstr(j.get("syscall")), exit=pr.get("exit_code"), domain=ll["domain"],
                blockers=ll["blockers"], kind=ob["kind"], object=jstr(ob["value"]),
                command_line=jstr(pr.get("command_line")),
                args=[jstr(a) for a in args] if args is not None else None,
                port=ob.get("port"), address=jstr(ob.get("address")), opid=ob.get("pid"),
                path=jstr(ob.get("path")), **json_context(j), **json_ecs(j)))
    return out
