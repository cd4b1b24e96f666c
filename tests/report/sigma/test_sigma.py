#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""test_sigma.py - the Sigma rules of conf/sigma (run by tests/report/sigma.sh).

1. Structure: every rule has the keys, a UUID, a status and a level of the
   Sigma specification, a valid condition; broken copies are rejected.
2. The evaluator's semantics on a table of small cases.
3. Fixtures (tests/report/sigma/fixtures, JSON lines written to the field
   names of aulandlock's schema 3): each rule fires on every event of
   RULE.match.jsonl and on none of RULE.nomatch.jsonl (a correlation: on
   the expected group only).
4. Real output: the aulandlock of this build tree on the real audit log of
   the corpus (tests/report/corpus/e2e-sessions.log).  With schema 3 or
   later the session context must be there (FAIL otherwise); schema 2 (the
   reporter before issue 14) has no session context on denials and no
   session records, and only the rules that need none are checked.
Prints TAP-like "ok"/"not ok" lines; exit 0 or 1.
"""

import copy
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, HERE)
import sigmaeval as se  # noqa: E402

TOP_SRC = os.environ.get("top_srcdir") or os.path.normpath(os.path.join(HERE, "../../.."))
TOP_BUILD = os.environ.get("top_builddir") or TOP_SRC
RULES = os.path.join(TOP_SRC, "conf", "sigma")
FIXTURES = os.path.join(HERE, "fixtures")
CORPUS = os.path.join(TOP_SRC, "tests", "report", "corpus", "e2e-sessions.log")
AULANDLOCK = os.path.join(TOP_BUILD, "tools", "aulandlock")
EXPECTED_RULES = {
    "landlock_pam_session_denial", "landlock_pam_session_refused",
    "landlock_sensitive_object_denial", "mr_landlock_pam_session_denial_burst",
    "landlock_aulandlock_burst_alert",
}
fails = 0


def check(desc, cond, detail=""):
    global fails
    if cond:
        print("ok - %s" % desc)
    else:
        fails += 1
        print("not ok - %s%s" % (desc, (": " + detail) if detail else ""))


def rule_from(doc, where="inline"):
    return se.Rule(doc, where, 0)


def fires(doc, event):
    return se.Matcher(rule_from(doc))(event)


# ---- 1. structure ---------------------------------------------------------
rules = se.load([RULES])
names = {r.name for r in rules}
check("conf/sigma has the five rules (%s)" % ", ".join(sorted(names)), names == EXPECTED_RULES,
      "missing %s, extra %s" % (EXPECTED_RULES - names, names - EXPECTED_RULES))
ids = [r.id for r in rules]
check("rule ids are unique", len(ids) == len(set(ids)))
for r in rules:
    errs = se.check(r)
    check("%s: structure (keys, UUID, status %s, level %s)" % (
        os.path.basename(r.path), r.doc.get("status"), r.doc.get("level")), not errs, "; ".join(errs))
    with open(r.path, encoding="utf-8") as fh:
        check("%s: SPDX header" % os.path.basename(r.path), "SPDX-License-Identifier" in fh.readline())

base = next(r for r in rules if r.name == "landlock_sensitive_object_denial").doc
corr = next(r for r in rules if r.is_correlation).doc
broken = {
    "id not a UUID": lambda d: d.update(id="landlock-1"),
    "status outside the spec": lambda d: d.update(status="production"),
    "level outside the spec": lambda d: d.update(level="severe"),
    "no falsepositives": lambda d: d.pop("falsepositives"),
    "no logsource": lambda d: d.pop("logsource"),
    "date not YYYY-MM-DD": lambda d: d.update(date="2026/12/01"),
    "unknown modifier": lambda d: d["detection"].update(x={"a|base64": "b"}, condition="x"),
    "condition names an undefined identifier": lambda d: d["detection"].update(condition="selection_denial and nothing"),
    "identifier not used by the condition": lambda d: d["detection"].update(condition="selection_denial"),
    "keyword list": lambda d: d["detection"].update(kw=["shadow"], condition="kw"),
    "condition syntax": lambda d: d["detection"].update(condition="selection_denial and (1 of object_*"),
    "bad tag": lambda d: d.update(tags=["Credential Access"]),
}
for what, mutate in broken.items():
    d = copy.deepcopy(base)
    mutate(d)
    try:
        errs = se.check(rule_from(d))
    except se.RuleError as e:
        errs = [str(e)]
    check("checker rejects a rule with: %s" % what, bool(errs))
for what, mutate in {
    "correlation type": lambda c: c.update(type="value_count"),
    "timespan": lambda c: c.update(timespan="1 minute"),
    "condition": lambda c: c.update(condition={"more": 3}),
    "no group-by": lambda c: c.pop("group-by"),
}.items():
    d = copy.deepcopy(corr)
    mutate(d["correlation"])
    check("checker rejects a correlation with a bad %s" % what, bool(se.check(rule_from(d))))

# ---- 2. evaluator semantics ----------------------------------------------------
ev = {"record": "denial", "n": 7, "flag": True, "nul": None, "user": {"name": "Alice"},
      "event": {"category": ["landlock", "session"]},
      "landlock": {"object": {"value": "/home/bob/.ssh/id_rsa"}}, "star": "a*b", "flat.key": "x"}


def rule_of(detection):
    return {"title": "t", "detection": detection}


cases = [
    ({"s": {"record": "denial"}, "condition": "s"}, True),
    ({"s": {"record": "DENIAL"}, "condition": "s"}, True),            # case-insensitive
    ({"s": {"record|cased": "DENIAL"}, "condition": "s"}, False),
    ({"s": {"record": "deni"}, "condition": "s"}, False),             # whole value
    ({"s": {"record": "den*"}, "condition": "s"}, True),              # wildcard
    ({"s": {"record": "d?nial"}, "condition": "s"}, True),
    ({"s": {"star": "a\\*b"}, "condition": "s"}, True),               # escaped wildcard
    ({"s": {"record": "a\\*b"}, "condition": "s"}, False),
    ({"s": {"user.name": "alice"}, "condition": "s"}, True),          # dotted path
    ({"s": {"flat.key": "x"}, "condition": "s"}, True),               # literal dotted key
    ({"s": {"landlock.object.value|startswith": "/home/"}, "condition": "s"}, True),
    ({"s": {"landlock.object.value|endswith": "id_rsa"}, "condition": "s"}, True),
    ({"s": {"landlock.object.value|contains": ".SSH"}, "condition": "s"}, True),
    ({"s": {"landlock.object.value|re": "^/home/[^/]+/\\.ssh/"}, "condition": "s"}, True),
    ({"s": {"landlock.object.value|re": "^/HOME"}, "condition": "s"}, False),   # re is cased
    ({"s": {"landlock.object.value|re|i": "^/HOME"}, "condition": "s"}, True),
    ({"s": {"record": ["x", "denial"]}, "condition": "s"}, True),     # list = OR
    ({"s": {"record|contains|all": ["den", "ial"]}, "condition": "s"}, True),
    ({"s": {"record|contains|all": ["den", "xyz"]}, "condition": "s"}, False),
    ({"s": {"record": "denial", "n": 8}, "condition": "s"}, False),   # map = AND
    ({"s": [{"n": 8}, {"n": 7}], "condition": "s"}, True),            # list of maps = OR
    ({"s": {"n": 7, "flag": True}, "condition": "s"}, True),
    ({"s": {"n": "7"}, "condition": "s"}, True),                      # values are strings
    ({"s": {"event.category": "session"}, "condition": "s"}, True),   # any element of a list
    ({"s": {"nul": None}, "condition": "s"}, True),
    ({"s": {"absent": None}, "condition": "s"}, True),
    ({"s": {"record": None}, "condition": "s"}, False),
    ({"s": {"nul|exists": True}, "condition": "s"}, True),            # present, even if null
    ({"s": {"absent|exists": True}, "condition": "s"}, False),
    ({"s": {"absent|exists": False}, "condition": "s"}, True),
    ({"s": {"user|exists": True}, "condition": "s"}, True),
    ({"s": {"user": "alice"}, "condition": "s"}, False),              # a map is no string
    ({"a": {"n": 7}, "b": {"n": 8}, "condition": "a and not b"}, True),
    ({"a": {"n": 7}, "b": {"n": 8}, "condition": "not a or b"}, False),
    ({"a": {"n": 7}, "b": {"n": 8}, "condition": "a and b or a"}, True),      # and before or
    ({"a": {"n": 7}, "b": {"n": 8}, "condition": "a and (b or not a)"}, False),
    ({"sel_1": {"n": 8}, "sel_2": {"n": 7}, "condition": "1 of sel_*"}, True),
    ({"sel_1": {"n": 8}, "sel_2": {"n": 7}, "condition": "all of sel_*"}, False),
    ({"sel_1": {"n": 7}, "_x": {"n": 8}, "condition": "all of them"}, True),  # _x is not in them
    ({"sel_1": {"n": 8}, "_x": {"n": 7}, "condition": "1 of them"}, False),
    ({"a": {"n": 7}, "condition": "NOT a"}, False),                  # keywords in any case
]
for det, want in cases:
    got = fires(rule_of(det), ev)
    check("evaluator: %s on %s -> %s" % (det["condition"], json.dumps({k: v for k, v in det.items() if k != "condition"}), want),
          got == want, "got %s" % got)
for det in ({"s": {"a|exists": "yes"}, "condition": "s"}, {"s": {"a|i": "x"}, "condition": "s"},
            {"s": {"a": [None, "x"]}, "condition": "s"}, {"s": {"a|startswith|endswith": "x"}, "condition": "s"},
            {"s": {"a|re": "("}, "condition": "s"}, {"s": {"a": "x"}, "condition": "s or"},
            {"s": {"a": "x"}, "condition": "sel*"}):
    try:
        rule = rule_from(rule_of(det))
        se.Matcher(rule)
        ok = False
    except se.RuleError:
        ok = True
    check("evaluator refuses %s" % json.dumps(det), ok)


# ---- 3. fixtures -----------------------------------------------------------------
def run_on(rule_list, path):
    return se.run(rule_list, list(se.read_events([path])))


for r in rules:
    base_rules = [r] if not r.is_correlation else \
        [x for x in rules if x.name in r.doc["correlation"]["rules"] or x.id in r.doc["correlation"]["rules"]] + [r]
    for kind in ("match", "nomatch"):
        path = os.path.join(FIXTURES, "%s.%s.jsonl" % (r.name, kind))
        if not os.path.exists(path):
            check("%s: fixture %s" % (r.name, os.path.basename(path)), False, "missing")
            continue
        events = list(se.read_events([path]))
        hits = [h for h in run_on(base_rules, path) if h["rule"] == r.name]
        if r.is_correlation:
            groups = [h["group"] for h in hits]
            if kind == "match":
                check("%s fires once, on the burst's domain, on %s (%d events): %s" % (
                    r.name, os.path.basename(path), len(events), groups),
                    groups == [{"host.name": "web1", "landlock.domain": "1a2b3c4d5"}] and hits[0]["count"] == 10)
            else:
                check("%s does not fire on %s (%d events)" % (r.name, os.path.basename(path), len(events)),
                      not hits, json.dumps(groups))
            continue
        lines = sorted(h["line"] for h in hits)
        if kind == "match":
            absent = [f for f in r.doc["fields"] if all(se.lookup(e, f) is se.MISSING for _, _, e in events)]
            check("%s: its fields are in its fixture events" % r.name, not absent, "absent: %s" % absent)
            missed = [n for _, n, _ in events if n not in lines]
            check("%s fires on each of the %d events of %s" % (r.name, len(events), os.path.basename(path)),
                  events and not missed, "missed lines %s" % missed)
        else:
            check("%s fires on none of the %d events of %s" % (r.name, len(events), os.path.basename(path)),
                  events and not lines, "fired on lines %s" % lines)


# ---- 4. real output of this build's aulandlock --------------------------------------
def aulandlock(*args):
    p = subprocess.run([AULANDLOCK, "-if", CORPUS, "--format", "json", *args],
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


if not os.access(AULANDLOCK, os.X_OK):
    check("aulandlock built at %s" % AULANDLOCK, False, "run make")
else:
    with tempfile.TemporaryDirectory(prefix="pam_landlock-sigma.") as tmp:
        rc, den, err = aulandlock("--denials")
        check("aulandlock --denials on the corpus (rc %d)" % rc, rc == 0 and den, err)
        records = [json.loads(x) for x in den.splitlines() if x.strip()]
        schema = min((x.get("schema", 0) for x in records), default=0)
        print("# aulandlock prints schema %d" % schema)
        jsonl = os.path.join(tmp, "real.jsonl")
        with open(jsonl, "w") as fh:
            fh.write(den)
        rc, doms, err = aulandlock("--domains")
        domains = [json.loads(x) for x in doms.splitlines() if x.strip()]
        with open(CORPUS, "rb") as fh:
            raw = fh.read().decode("utf-8", "replace")
        n_refused = len(re.findall(r"op=pam_landlock-refused ", raw))
        if schema >= 3:
            rc, ses, err = aulandlock("--sessions")
            check("aulandlock --sessions on the corpus (rc %d)" % rc, rc == 0 and ses, err)
            with open(jsonl, "a") as fh:
                fh.write(ses)
            rc, al, err = aulandlock("--alert-burst", "10/60")
            alerts = [x for x in al.splitlines() if x.strip() and json.loads(x).get("record") == "alert"]
            check("aulandlock --alert-burst 10/60 on the corpus (rc %d, %d alerts)" % (rc, len(alerts)),
                  rc == 0 and alerts, err)
            with open(jsonl, "a") as fh:
                fh.write("".join(a + "\n" for a in alerts))
        hits = se.run(rules, list(se.read_events([jsonl])))
        count = {n: sum(1 for h in hits if h["rule"] == n) for n in EXPECTED_RULES}
        print("# hits on the corpus: %s" % json.dumps(count, sort_keys=True))
        # The domains aulandlock ties to a module record, and their denials.
        tied = {d["landlock"]["domain"]: d for d in domains if d.get("pam")}
        tied_denials = sum(d["landlock"]["denials"]["logged"] for d in tied.values())
        burst_domains = sorted(
            d["landlock"]["domain"] for d in tied.values()
            if d["landlock"]["denials"]["logged"] >= 10 and
            se.timestamp({"@timestamp": d["event"]["end"]}, "") -
            se.timestamp({"@timestamp": d["event"]["start"]}, "") < 60)
        check("the corpus has denials in domains tied to PAM sessions (%d in %d domains)" % (
            tied_denials, len(tied)), tied_denials > 0)
        if schema >= 3:
            with_pam = [x for x in records if x.get("record") == "denial" and isinstance(x.get("pam"), dict)]
            check("schema %d: denials carry the session (pam.service) as the interface says (%d of %d)" % (
                schema, len(with_pam), len(records)), len(with_pam) > 0)
            check("landlock_pam_session_denial fires on every denial of a tied domain (%d == %d)" % (
                count["landlock_pam_session_denial"], tied_denials),
                count["landlock_pam_session_denial"] == tied_denials)
            services = set(re.findall(r"op=pam_landlock-enforce .*? service=(\S+)", raw))
            bad = [h for h in hits if h["rule"] == "landlock_pam_session_denial"
                   and h["event"]["pam"]["service"] not in services]
            check("each hit names a service of a real enforce record (%s)" % ", ".join(sorted(services)),
                  not bad, json.dumps(bad[:1]))
            check("landlock_pam_session_refused fires once per op=pam_landlock-refused record (%d == %d)" % (
                count["landlock_pam_session_refused"], n_refused),
                count["landlock_pam_session_refused"] == n_refused and n_refused > 0)
            groups = sorted(h["group"]["landlock.domain"] for h in hits
                            if h["rule"] == "mr_landlock_pam_session_denial_burst")
            check("the burst correlation fires on the tied domains with >= 10 denials in < 60 s (%s)" % burst_domains,
                  groups == burst_domains and groups, "fired on %s" % groups)
            alert_domains = sorted(h["event"]["landlock"]["domain"] for h in hits
                                   if h["rule"] == "landlock_aulandlock_burst_alert")
            burst_alerts = sorted(json.loads(a)["landlock"]["domain"] for a in alerts
                                  if json.loads(a)["alert"]["rule"] == "burst")
            check("landlock_aulandlock_burst_alert fires on each of aulandlock's burst alerts (%s)" % burst_alerts,
                  alert_domains == burst_alerts and alert_domains, "fired on %s" % alert_domains)
            tied_alerts = sorted(json.loads(a)["landlock"]["domain"] for a in alerts
                                 if json.loads(a)["alert"]["rule"] == "burst" and json.loads(a).get("pam"))
            check("aulandlock's burst alerts in sessions and the correlation agree (%s)" % tied_alerts,
                  tied_alerts == groups)
            # The fields a rule shows the analyst exist in what it fires on.
            for r in rules:
                if r.is_correlation:
                    continue
                evs = [h["event"] for h in hits if h["rule"] == r.name]
                if not evs:
                    continue
                absent = [f for f in r.doc["fields"] if all(se.lookup(e, f) is se.MISSING for e in evs)]
                check("%s: its fields are in the real records it fires on (%d)" % (r.name, len(evs)),
                      not absent, "absent: %s" % absent)
        else:
            print("# schema %d: no session context on denials and no session records before issue 14's "
                  "reporter; landlock_pam_session_denial, _refused and the burst correlation are "
                  "checked on the fixtures only" % schema)
            check("schema %d: no rule that needs the session fires (%s)" % (schema, count),
                  count["landlock_pam_session_denial"] == 0 and count["landlock_pam_session_refused"] == 0)
        n_sensitive = sum(1 for x in records if x.get("record") == "denial" and re.match(
            r"^(/etc/(shadow|gshadow|sudoers)|/root(/|$)|/home/[^/]+/\.ssh(/|$))",
            str(((x.get("landlock") or {}).get("object") or {}).get("value", ""))))
        check("landlock_sensitive_object_denial fires on the corpus's %d denials of shadow, sudoers, "
              "/root and ~/.ssh at least" % n_sensitive,
              count["landlock_sensitive_object_denial"] >= n_sensitive)

print("FAIL: %d check(s) failed" % fails if fails else "PASS")
sys.exit(1 if fails else 0)
