#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""difftest.py - the differential tests of aulandlock (run by diff.sh).

Each check runs the real aulandlock on real logs (gen-logs.sh, and the
variants derive() makes of them) and compares with the independent reading
(oracle.py, expect.py):

  views       every view x format x engine, with and without filters: the
              two engines byte for byte, CSV and JSON field by field against
              the oracle, text safe (no control bytes, no forged line);
  checkpoint  a cut at every line (also mid-line, and with a rotation at
              the cut): two runs with one --checkpoint give exactly the
              denials of one run, none lost, none twice, each attributed;
  follow      --follow=FILE on a growing file and --plugin on a pipe, with
              records older than the clock and two nodes' skewed clocks;
  inputs      rotations given newest first, corrupt and truncated gzip, a
              gap in the rotation;
  suggest     --suggest paths read back through libconfig are the denied
              paths, or are left out with a reason.

Usage: difftest.py CHECK AULANDLOCK LOG [ARGS...]
"""
import csv
import gzip
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import expect
import oracle

FAILS = []


def fail(what):
    FAILS.append(what)
    print("FAIL: " + what, file=sys.stderr)


def run(aul, args, stdin=None, check=True):
    p = subprocess.run([aul] + args, input=stdin, capture_output=True)
    if check and p.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(args), p.returncode, p.stderr.decode(errors="replace")))
    return p


def diff_rows(what, exp, got):
    if len(exp) != len(got):
        fail("%s: %d rows, expected %d" % (what, len(got), len(exp)))
    for i, (e, g) in enumerate(zip(exp, got)):
        for k in g:
            if k in e and e[k] != g[k]:
                fail("%s: row %d field %s: got %r, expected %r" % (what, i + 1, k, g[k], e[k]))
                return False
    return len(exp) == len(got)


def text_safe(what, out):
    try:
        out.decode("utf-8")
    except UnicodeDecodeError as e:
        fail("%s: text output is not UTF-8 (%s)" % (what, e))
    bad = [c for c in out if c < 0x20 and c != 0x0a or c == 0x7f]
    if bad:
        fail("%s: text output holds control byte 0x%02x" % (what, bad[0]))
    for line in out.split(b"\n"):
        if line.startswith(b"Number of Landlock denials (logged): 999999"):
            fail("%s: a file name forged a report line" % what)


VIEWS = {"summary": "--summary", "domains": "--domains", "nodes": "--nodes",
         "denials": "--denials", "sessions": "--sessions", "revisions": "--revisions"}


def expected(view, res, fmt):
    if view == "summary":
        return expect.users(res, full_blockers=fmt == "json")
    if view == "domains":
        return expect.domains(res, full_blockers=fmt == "json")
    if view == "nodes":
        return expect.nodes(res)
    if view == "sessions":
        return expect.sessions(res)
    if view == "revisions":
        return expect.revisions(res)
    return expect.denials(res)


def passwd_state():
    st = os.stat("/etc/passwd")
    return st.st_mtime_ns, st.st_size


def check_views(aul, logs, sets):
    events = oracle.read_events(logs)
    for args, o in sets:
        for attempt in (1, 2):
            before, mark = passwd_state(), len(FAILS)
            check_view_set(aul, logs, events, args, o)
            if len(FAILS) == mark or not o.resolve or passwd_state() == before or attempt == 2:
                break
            # names looked up in passwd while a parallel test adds or removes
            # users: the oracle and the runs saw different databases
            del FAILS[mark:]
            print("views: %s: /etc/passwd changed during the check: once more" % (
                " ".join(args) or "(no filter)"))


def check_view_set(aul, logs, events, args, o):
    res = oracle.Result(events, o)
    for view, flag in VIEWS.items():
        for fmt in ("text", "csv", "json"):
            outs = []
            for engine in ("fast", "auparse"):
                a = args + [flag, "-F", fmt, "--engine", engine, "--top", str(o.top)]
                for log in logs:
                    a += ["-if", log]
                p = run(aul, a)
                outs.append(p.stdout)
            what = "%s %s %s" % (" ".join(args) or "(no filter)", view, fmt)
            if fmt == "text" and {"today", "now", "recent"} & set(args):
                # the report says the selected range, which ends at the
                # second each run resolved "now" to
                outs = [re.sub(rb"^(Selected time for report: .* - ).*$", rb"\1NOW", x,
                               flags=re.M) for x in outs]
            if outs[0] != outs[1]:
                fail("%s: the engines differ" % what)
            if fmt == "text":
                text_safe(what, outs[0])
                continue
            parse = expect.parse_csv if fmt == "csv" else expect.parse_json
            try:
                got = parse(view, outs[0].decode("utf-8"))
            except (AssertionError, ValueError, KeyError) as e:
                fail("%s: cannot read the output: %r" % (what, e))
                continue
            diff_rows(what, expected(view, res, fmt), got)
    print("views: %s: %d denials, %d users" % (" ".join(args) or "(no filter)",
                                               res.tot["denials"], len(res.users)))


def filter_sets(logs):
    """Filters drawn from the log itself, with the oracle's reading of each."""
    base = ["--no-resolve"]
    sets = [(base, oracle.Opts()), ([], oracle.Opts(resolve=True)),
            (base + ["--top", "3"], oracle.Opts(top=3))]
    res = oracle.Result(oracle.read_events(logs), oracle.Opts())
    rows = [(d, a, u) for d, a, u in res.rows if d.sc.present]
    if not rows:
        return sets
    d, a, u = max(rows, key=lambda r: r[2].denials)
    sc, ev = d.sc, d.ev
    mid = sorted(r[0].ev.sec for r in res.rows)[len(res.rows) // 2]
    sets += [
        (base + ["-u", u.label().decode()],
         oracle.Opts(user=u.name if u.name is not None else u.uid)),
        (base + ["-n", ev.node.decode()], oracle.Opts(node=ev.node)),
        (base + ["-b", a.blockers[0].decode()], oracle.Opts(blockers=[a.blockers[0]])),
        (base + ["-b", "net.bind_tcp"], oracle.Opts(blockers=[b"net.bind_tcp"])),
        (base + ["-d", "%x" % a.domain], oracle.Opts(domain=a.domain)),
        (base + ["-ui", str(sc.uid)], oracle.Opts(uid=sc.uid)),
        (base + ["-ul", str(sc.auid)], oracle.Opts(auid=sc.auid)),
        (base + ["-x", "cat"], oracle.Opts(exe=b"cat")),
        (base + ["-p", str(sc.pid)], oracle.Opts(pid=sc.pid)),
        (base + ["-sc", "openat"], oracle.Opts(syscall=b"openat")),
        (base + ["-ts", "@%d" % mid], oracle.Opts(start=mid)),
        (base + ["-te", "@%d" % mid], oracle.Opts(end=mid)),
    ]
    # ausearch's keywords: -ts yesterday (midnight) -te today (now)
    lt = time.localtime()
    midnight = int(time.mktime((lt.tm_year, lt.tm_mon, lt.tm_mday - 1, 0, 0, 0, 0, 0, -1)))
    sets.append((base + ["-ts", "yesterday", "-te", "today"],
                 oracle.Opts(start=midnight, end=int(time.time()) + 3600)))
    if sc.ses != oracle.UNSET:
        sets.append((base + ["--session", str(sc.ses)], oracle.Opts(ses=sc.ses)))
    if u.name is not None:  # -u with --nodes: only the user's domains per node
        sets.append((base + ["-u", u.name.decode(), "-n", ev.node.decode()],
                     oracle.Opts(user=u.name, node=ev.node)))
    return sets


# ---- alerts --------------------------------------------------------------------


def check_alerts(aul, logs):
    """Every alert rule on a real log against the oracle's reading: which
    denials raise which alert, in both engines and formats, and (control)
    none with thresholds the log does not reach."""
    res = oracle.Result(oracle.read_events(logs), oracle.Opts())
    paths = [a.path for d, a, u in res.rows if a.kind == "path" and a.path.startswith(b"/")]
    ports = sorted({a.port for d, a, u in res.rows if a.kind == "connect"})
    objects = []
    if paths:  # the commonest parent directory, and a glob over one level
        parents = {}
        for p in paths:
            parents[os.path.dirname(p)] = parents.get(os.path.dirname(p), 0) + 1
        top = max(sorted(parents), key=lambda k: parents[k])
        objects = [top]
        if top.count(b"/") >= 2:
            head, _, tail = top.rpartition(b"/")
            objects.append(head.rpartition(b"/")[0] + b"/*/" + tail)
    portspec = [(p, p) for p in ports[:1]] + [(1, 25)]
    cases = [
        (["--alert-first-denial"], dict(first=True)),
        (["--alert-burst", "5/2"], dict(burst=(5, 2))),
        (["--alert-burst", "1000/1"], dict(burst=(1000, 1))),  # control: never reached
        (sum((["--alert-object", o.decode("utf-8", "surrogateescape")] for o in objects), []),
         dict(objects=objects)),
        (["--alert-port", ",".join("%d-%d" % r for r in portspec)], dict(ports=portspec)),
    ]
    for args, kw in cases:
        if not any(kw.values()) or (args[0] == "--alert-object" and not objects):
            continue
        want = oracle.alerts(res, **kw)
        for engine in ("fast", "auparse"):
            a = ["--no-resolve", "--denials", "-F", "json", "--engine", engine] + args
            for log in logs:
                a += ["-if", log]
            out = run(aul, a).stdout.decode("utf-8")
            got = []
            for j in expect.json_lines(out):
                if j["record"] != "alert":
                    continue
                al = j["alert"]
                ob = j["landlock"]["object"]
                got.append((al["rule"], j["sequence"], expect.jstr(ob["value"]),
                            int(j["landlock"]["domain"], 16)))
                if j["event"] != {"kind": "alert", "category": ["landlock"],
                                  "action": al["rule"], "outcome": "failure"}:
                    fail("alerts %s: event %r" % (" ".join(args), j["event"]))
            if got != want:
                fail("alerts %s (%s) on %s: %d alerts, expected %d; first difference %r" % (
                    " ".join(args), engine, os.path.basename(logs[0]), len(got), len(want),
                    ([x for x in want if x not in got] + [x for x in got if x not in want])[:1]))
        print("alerts %s: %d" % (" ".join(args), len(want)))
    if not ports:
        print("alerts: no connect denial in %s (internal_port only on a listed port)" % logs[0])


# ---- checkpoint sequences --------------------------------------------------


def rows_of(p):
    lines = p.stdout.decode("utf-8").split("\n")
    return [l for l in lines[1:] if l]


def node_frontiers(path):
    newest = {}
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    for line in lines[:-1]:
        r = oracle.parse(line)
        if r:
            newest[r.node] = max(newest.get(r.node, r.time), r.time)
    return {n: t - oracle.HOLD_MS for n, t in newest.items()}


def check_checkpoint(aul, log, step=1):
    """Cut LOG at every line (step), with and without a rotation at the cut."""
    with open(log, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")[:-1]
    tmp = tempfile.mkdtemp(prefix="lldiff-ck.")
    cp, d = os.path.join(tmp, "cp"), os.path.join(tmp, "logs")
    os.mkdir(d)
    common = ["--no-resolve", "--denials", "-F", "csv", "--checkpoint", cp, "-if", d]

    def write(name, chunk):
        with open(os.path.join(d, name), "wb") as f:
            f.write(chunk)

    # one run over everything, and the oracle's reading of it
    write("audit.log", data)
    whole = sorted(rows_of(run(aul, common)))
    os.unlink(cp)
    fr = node_frontiers(log)
    res = oracle.Result(oracle.read_events([log]), oracle.Opts())
    want = [r for r in res.rows if r[0].ev.time <= fr[r[0].ev.node]]
    if len(whole) != len(want):
        fail("checkpoint: one run counted %d denials, the oracle %d (up to each node's "
             "frontier)" % (len(whole), len(want)))
    cuts = 0
    for i in range(1, len(lines), step):
        for rotate in (False, True):
            for mid in (False, True) if i % 7 == 0 else (False,):
                for f in os.listdir(d):
                    os.unlink(os.path.join(d, f))
                if os.path.exists(cp):
                    os.unlink(cp)
                head = b"\n".join(lines[:i]) + b"\n"
                if mid:  # cut inside the next line: a record being written
                    head += lines[i][: len(lines[i]) // 2]
                write("audit.log", head)
                first = rows_of(run(aul, common))
                if rotate:
                    os.rename(os.path.join(d, "audit.log"), os.path.join(d, "audit.log.1"))
                    write("audit.log.1", b"\n".join(lines[:i]) + b"\n")
                    write("audit.log", b"\n".join(lines[i:]) + b"\n")
                else:
                    write("audit.log", data)
                second = rows_of(run(aul, common))
                got = sorted(first + second)
                cuts += 1
                if got != whole:
                    lost = [r for r in whole if r not in got]
                    extra = [r for r in got if r not in whole]
                    fail("checkpoint cut at line %d%s%s: %d lost, %d extra: %s" % (
                        i, " (rotated)" if rotate else "", " (mid-line)" if mid else "",
                        len(lost), len(extra), (lost + extra)[:2]))
                    shutil.rmtree(tmp)
                    return
    shutil.rmtree(tmp)
    print("checkpoint: %d cut sequences of %s, %d denials each time" % (cuts, log, len(whole)))


def check_checkpoint_totals(aul, log, every=23):
    """Kernel, unlogged and pam_landlock counts add up across runs too."""
    with open(log, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")[:-1]
    tmp = tempfile.mkdtemp(prefix="lldiff-ct.")
    cp, path = os.path.join(tmp, "cp"), os.path.join(tmp, "audit.log")
    args = ["--no-resolve", "--summary", "-F", "json", "--checkpoint", cp, "-if", path]
    keys = ("denials", "events", "kernel", "unlogged", "pam_sessions", "pam_refused",
            "pam_trials")

    def totals(outs):
        t = {}
        for out in outs:
            for u in expect.parse_json("summary", out.decode("utf-8")):
                row = t.setdefault(u["label"], dict.fromkeys(keys, 0))
                for k in keys:
                    row[k] += u[k] or 0
        return {k: v for k, v in t.items() if any(v.values())}

    with open(path, "wb") as f:
        f.write(data)
    whole = totals([run(aul, args).stdout])
    for i in range(1, len(lines), every):
        os.unlink(cp)
        with open(path, "wb") as f:
            f.write(b"\n".join(lines[:i]) + b"\n")
        a = run(aul, args).stdout
        with open(path, "wb") as f:
            f.write(data)
        b = run(aul, args).stdout
        got = totals([a, b])
        if got != whole:
            fail("checkpoint totals, cut at line %d: %r != %r" % (i, got, whole))
            break
    shutil.rmtree(tmp)
    print("checkpoint totals: %d users add up across runs" % len(whole))


# ---- derived logs --------------------------------------------------------

def shift(line, delta_ms):
    m = oracle.HEADER.match(line)
    if not m:
        return line
    t = int(m.group(3)) * 1000 + int(m.group(4)) + delta_ms
    a, b = m.span(3)[0], m.span(4)[1]
    return line[:a] + b"%d.%03d" % (t // 1000, t % 1000) + line[b:]


def derive(log, out):
    """Variants of a real log: raw format with both record names, two nodes
    with colliding serials and clocks 5 s apart (either way), SYSCALL records
    missing."""
    with open(log, "rb") as f:
        lines = f.read().split(b"\n")[:-1]
    made = {}

    def write(name, ls):
        made[name] = os.path.join(out, name)
        with open(made[name], "wb") as f:
            f.write(b"".join(l + b"\n" for l in ls))

    raw = []
    for l in lines:
        l = l.split(b"\x1d")[0]
        m = oracle.HEADER.match(l)
        if m and int(m.group(5)) % 2:
            l = l.replace(b"type=UNKNOWN[1423]", b"type=LANDLOCK_ACCESS", 1)
            l = l.replace(b"type=UNKNOWN[1424]", b"type=LANDLOCK_DOMAIN", 1)
        raw.append(l)
    write("raw-mixed-names.log", raw)
    for name, delta in (("two-nodes-ahead.log", 5000), ("two-nodes-behind.log", -5000)):
        both = []
        for a, b in zip(lines, raw):
            both += [b"node=alpha " + a, b"node=beta " + shift(b, delta)]
        write(name, both)
    drop = set()
    for l in lines:
        m = oracle.HEADER.match(l)
        if m and b"type=UNKNOWN[1423]" in l and int(m.group(5)) % 3 == 0:
            drop.add(m.group(5))
    write("no-syscall.log", [l for l in lines if not (
        (b"type=SYSCALL " in l or b"type=PROCTITLE " in l) and oracle.HEADER.match(l) and
        oracle.HEADER.match(l).group(5) in drop)])
    return made


# ---- follow mode -----------------------------------------------------------


def expected_rows_csv(aul, log):
    return sorted(rows_of(run(aul, ["--no-resolve", "--denials", "-F", "csv", "-if", log])))


def check_follow(aul, log, engine="fast"):
    with open(log, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")[:-1]
    want = expected_rows_csv(aul, log)
    res = oracle.Result(oracle.read_events([log]), oracle.Opts())
    if len(want) != len(res.rows):
        fail("follow: batch run has %d denials, the oracle %d" % (len(want), len(res.rows)))
    tmp = tempfile.mkdtemp(prefix="lldiff-f.")
    path = os.path.join(tmp, "audit.log")
    open(path, "wb").close()
    out = open(os.path.join(tmp, "out.csv"), "wb")
    p = subprocess.Popen([aul, "--no-resolve", "--engine", engine, "--follow=" + path,
                          "--denials", "-F", "csv"], stdout=out)
    time.sleep(0.5)
    chunks = 6
    for k in range(chunks):  # records far older than the clock, in bursts
        part = lines[k * len(lines) // chunks:(k + 1) * len(lines) // chunks]
        with open(path, "ab") as f:
            f.write(b"".join(l + b"\n" for l in part))
        if k == chunks // 2:  # a rotation in the middle
            os.rename(path, path + ".1")
            open(path, "wb").close()
        time.sleep(0.25)
    time.sleep(3.8)  # events complete 3 s after their last record: all out now

    def rows(name):
        with open(os.path.join(tmp, name), "rb") as f:
            return sorted(l for l in f.read().decode().split("\n")[1:] if l)

    early = rows("out.csv")
    p.terminate()
    if p.wait() != 0:
        fail("follow --follow=FILE (%s): exit status %d" % (engine, p.returncode))
    out.close()
    got = rows("out.csv")
    if got != want or early != want:
        fail("follow --follow=FILE (%s) on %s: %d denials (%d before the end), expected %d; "
             "first difference %r" % (
                 engine, os.path.basename(log), len(got), len(early), len(want),
                 ([r for r in want if r not in got] + [r for r in got if r not in want])[:1]))
    # the auditd plugin preset, on a pipe
    jout = os.path.join(tmp, "out.json")
    p = subprocess.Popen([aul, "--no-resolve", "--engine", engine, "--plugin", jout],
                         stdin=subprocess.PIPE)
    for k in range(chunks):
        part = lines[k * len(lines) // chunks:(k + 1) * len(lines) // chunks]
        p.stdin.write(b"".join(l + b"\n" for l in part))
        p.stdin.flush()
        time.sleep(0.25)
    time.sleep(3.8)
    with open(jout, "rb") as f:
        early = f.read().count(b"\n")
    p.stdin.close()
    if p.wait() != 0:
        fail("follow --plugin (%s): exit status %d" % (engine, p.returncode))
    with open(jout, "rb") as f:
        got = expect.parse_json("denials", f.read().decode("utf-8"))
    exp = expect.denials(res)
    key = lambda r: (r["time"], r["node"], r["serial"], r["object"], r["user"])
    if sorted(map(key, got)) != sorted(map(key, exp)) or early != len(exp):
        fail("follow --plugin (%s) on %s: %d denials (%d before the end), expected %d" % (
            engine, os.path.basename(log), len(got), early, len(exp)))
    else:
        diff_rows("follow --plugin (%s)" % engine, sorted(exp, key=key), sorted(got, key=key))
    shutil.rmtree(tmp)
    print("follow (%s): %s: %d denials by tail and by plugin" % (engine, os.path.basename(log),
                                                                  len(want)))


def check_follow_restart(aul, log):
    """--follow --checkpoint: a follower stopped and restarted between two
    events still gives each later denial its session context (the CSV rows of
    both followers are the batch run's)."""
    with open(log, "rb") as f:
        lines = f.read().split(b"\n")[:-1]
    ids = [oracle.HEADER.match(l) and oracle.HEADER.match(l).group(1, 3, 4, 5) for l in lines]
    last = {}
    for i, k in enumerate(ids):
        last[k] = i
    cuts, first_seen = [], set()
    for i in range(1, len(lines)):  # no event has records on both sides of i
        first_seen.add(ids[i - 1])
        if ids[i] not in first_seen and all(last[k] < i for k in first_seen if k):
            cuts.append(i)
    # the cut that puts most tied denials after their session's record
    res = oracle.Result(oracle.read_events([log]), oracle.Opts())
    first = {}
    for i, k in enumerate(ids):
        first.setdefault(k, i)
    pairs = []
    for d, a, u in res.rows:
        if a.session is not None:
            ev, p = d.ev, a.session
            sl = min((i for k, i in first.items() if k and k[0] == (ev.node or None) and
                      int(k[3]) == p["serial"]), default=None)
            dl = first.get((ev.node or None, b"%d" % ev.sec, b"%03d" % ev.ms, b"%d" % ev.serial))
            if sl is not None and dl is not None:
                pairs.append((sl, dl))
    score = {c: sum(1 for sl, dl in pairs if sl < c <= dl) for c in cuts}
    if not score or not max(score.values()):
        print("follow restart: no cut between a session record and its denials in %s" % log)
        return
    cut = max(sorted(score), key=lambda c: score[c])
    want = expected_rows_csv(aul, log)
    tmp = tempfile.mkdtemp(prefix="lldiff-fr.")
    path, cp = os.path.join(tmp, "audit.log"), os.path.join(tmp, "cp")
    open(path, "wb").close()
    got = []
    for part in (lines[:cut], lines[cut:]):
        outp = os.path.join(tmp, "out.csv")
        with open(outp, "wb") as out:
            p = subprocess.Popen([aul, "--no-resolve", "--follow=" + path, "--checkpoint", cp,
                                  "--denials", "-F", "csv"], stdout=out)
            time.sleep(0.5)
            with open(path, "ab") as f:
                f.write(b"".join(l + b"\n" for l in part))
            time.sleep(3.8)
            p.terminate()
            if p.wait() != 0:
                fail("follow restart: exit status %d" % p.returncode)
        with open(outp, "rb") as f:
            got += [l for l in f.read().decode().split("\n")[1:] if l]
    shutil.rmtree(tmp)
    got.sort()
    if got != want:
        fail("follow restart at line %d of %s: %d rows, expected %d; first difference %r" % (
            cut, os.path.basename(log), len(got), len(want),
            ([r for r in want if r not in got] + [r for r in got if r not in want])[:1]))
    print("follow restart with --checkpoint at line %d: %d denials, %d of them after the cut in "
          "sessions opened before it" % (cut, len(want), score[cut]))


# ---- inputs: rotations, gzip, gaps ------------------------------------------


def denial_keys(p):
    """time, node, serial and object of each denial row (attribution aside)."""
    rows = list(csv.reader(io.StringIO(p.stdout.decode("utf-8"))))[1:]
    return sorted((r[0], r[1], r[2], r[15]) for r in rows)


def check_inputs(aul, log):
    with open(log, "rb") as f:
        lines = f.read().split(b"\n")[:-1]
    tmp = tempfile.mkdtemp(prefix="lldiff-in.")
    n = len(lines)
    parts = [lines[: n // 3], lines[n // 3: 2 * n // 3], lines[2 * n // 3:]]
    names = ["audit.log.2", "audit.log.1", "audit.log"]  # oldest first
    for name, part in zip(names, parts):
        with open(os.path.join(tmp, name), "wb") as f:
            f.write(b"".join(l + b"\n" for l in part))
    base = ["--no-resolve", "-F", "csv"]
    for view in ("--summary", "--denials", "--domains"):
        whole = run(aul, base + [view, "-if", log]).stdout
        newest_first = run(aul, base + [view] + sum((["-if", os.path.join(tmp, x)]
                                                    for x in reversed(names)), [])).stdout
        as_dir = run(aul, base + [view, "-if", tmp]).stdout
        if view == "--denials":
            whole, newest_first, as_dir = (sorted(x.split(b"\n")) for x in
                                           (whole, newest_first, as_dir))
        if newest_first != whole:
            fail("inputs: rotations given newest first give another %s" % view)
        if as_dir != whole:
            fail("inputs: the rotations of a directory give another %s" % view)
    # compressed rotations
    for name in names[:2]:
        src = os.path.join(tmp, name)
        with open(src, "rb") as f, gzip.open(src + ".gz", "wb") as g:
            g.write(f.read())
        os.unlink(src)
    if run(aul, base + ["--denials", "-if", tmp]).stdout.split(b"\n")[1:] == []:
        fail("inputs: gzip rotations read nothing")
    good = denial_keys(run(aul, base + ["--denials", "-if", os.path.join(tmp, "audit.log.2.gz"),
                                        "-if", os.path.join(tmp, "audit.log")]))
    # a corrupt, then a truncated middle rotation: the rest is still reported
    mid = os.path.join(tmp, "audit.log.1.gz")
    with open(mid, "rb") as f:
        gz = f.read()
    for what, bad in (("corrupt", gz[: len(gz) // 2] + bytes(64) + gz[len(gz) // 2 + 64:]),
                      ("truncated", gz[: len(gz) // 2])):
        with open(mid, "wb") as f:
            f.write(bad)
        p = run(aul, base + ["--denials", "-if", tmp], check=False)
        err = p.stderr.decode(errors="replace")
        if p.returncode != 2 or "audit.log.1.gz" not in err or "after line" not in err:
            fail("inputs: a %s gzip: exit %d, stderr %r" % (what, p.returncode, err[:300]))
        got = denial_keys(p)
        missing = [k for k in good if k not in got]
        # events cut by the lost part may lose their SYSCALL, never their denial
        if missing:
            fail("inputs: a %s gzip lost %d denials of the good inputs" % (what, len(missing)))
    with open(mid, "wb") as f:
        f.write(gz)
    # a gap in the rotation
    os.rename(mid, os.path.join(tmp, "audit.log.3.gz.tmp"))
    os.rename(os.path.join(tmp, "audit.log.2.gz"), os.path.join(tmp, "audit.log.3.gz"))
    os.unlink(os.path.join(tmp, "audit.log.3.gz.tmp"))
    p = run(aul, base + ["--summary", "-if", tmp], check=False)
    err = p.stderr.decode(errors="replace")
    if p.returncode != 2 or "audit.log.2 is missing" not in err or b"user,uid" not in p.stdout:
        fail("inputs: a gap in the rotation: exit %d, stderr %r" % (p.returncode, err[:300]))
    shutil.rmtree(tmp)
    print("inputs: rotations newest first, gzip, corrupt and truncated gzip, a gap: ok")


# ---- suggestions ----------------------------------------------------------------


def check_suggest(aul, conf_paths, log):
    """Every user's --suggest: libconfig (itself) reads back the denied paths."""
    res = oracle.Result(oracle.read_events([log]), oracle.Opts())
    tmp = tempfile.mkdtemp(prefix="lldiff-sg.")
    checked = 0
    for u in res.users.values():
        if not u.denials:
            continue
        denied = {a.path for d, a, uu in res.rows if uu is u and a.kind in ("path", "ioctl")
                  and a.path.startswith(b"/") and
                  any(b.startswith(b"fs.") and b != b"fs.change_topology" for b in a.blockers)}
        p = run(aul, ["--no-resolve", "--suggest", u.label().decode("utf-8", "surrogateescape"),
                      "-if", log])
        text = p.stdout
        text_safe("--suggest %r" % u.label(), text)
        conf = os.path.join(tmp, "s.conf")
        with open(conf, "wb") as f:
            f.write(text)
        q = subprocess.run([conf_paths, conf], capture_output=True)
        if q.returncode != 0:
            fail("--suggest %r is not valid libconfig: %s" % (u.label(), q.stderr.decode()))
            continue
        paths = [bytes.fromhex(h.decode()) for h in q.stdout.split()]
        skipped = text.count(b"# not suggested: ")
        for path in paths:
            kids = [x for x in denied if x.startswith(path.rstrip(b"/") + b"/")]
            if path not in denied and len(kids) < 3:
                fail("--suggest %r names %r, which was not denied" % (u.label(), path))
        for path in denied:
            if path in paths or os.path.dirname(path) in paths:
                continue
            if b"$" in path or path.endswith(b" (deleted)"):
                continue
            fail("--suggest %r leaves out %r without saying why" % (u.label(), path))
        unnameable = [x for x in denied if b"$" in x or x.endswith(b" (deleted)")]
        if skipped < len({x for x in unnameable if os.path.dirname(x) not in paths}):
            fail("--suggest %r: %d paths left out, %d comments" % (u.label(), len(unnameable),
                                                                  skipped))
        checked += 1
    shutil.rmtree(tmp)
    print("suggest: %d users' suggestions read back through libconfig" % checked)


def main(argv):
    check, aul, logs = argv[1], argv[2], argv[3:]
    if check == "views":
        for log in logs:
            check_views(aul, [log], filter_sets([log]))
    elif check == "checkpoint":
        check_checkpoint(aul, logs[0], int(logs[1]) if len(logs) > 1 else 1)
        check_checkpoint_totals(aul, logs[0])
    elif check == "follow":
        import threading
        ts = [threading.Thread(target=check_follow, args=(aul, log, engine))
              for log in logs for engine in ("fast", "auparse")]
        ts.append(threading.Thread(target=check_follow_restart, args=(aul, logs[0])))
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    elif check == "alerts":
        for log in logs:
            check_alerts(aul, [log])
    elif check == "inputs":
        check_inputs(aul, logs[0])
    elif check == "suggest":
        check_suggest(aul, logs[0], logs[1])
    elif check == "derive":
        for name, path in derive(logs[0], logs[1]).items():
            print(path)
    else:
        sys.exit("difftest.py: unknown check %s" % check)
    if FAILS:
        print("difftest %s: %d failure(s)" % (check, len(FAILS)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
