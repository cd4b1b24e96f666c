#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""sigmaeval.py - checks and runs the Sigma rules of conf/sigma on JSON lines.

Debian 12 ships no Sigma tool (pySigma converts rules to queries, it does not
match events), so the tests use this small evaluator of the subset of Sigma
the rules use, written from the Sigma specification (rules, modifiers and
correlation documents, v2.x):

  detection   search identifiers as maps (fields ANDed) or lists of maps
              (ORed); a list of values is an OR (|all makes it an AND)
  values      strings with the wildcards * and ? (backslash escapes them),
              matched case-insensitively unless |cased; integers, booleans;
              null (the field is absent or null)
  modifiers   contains, startswith, endswith, re (sub-modifiers i, m, s),
              exists, cased, all
  condition   and, or, not, parentheses, "1 of PATTERN", "all of PATTERN",
              "1 of them", "all of them" (identifiers starting with _ are
              not part of "them")
  correlation event_count with group-by, timespan (s, m, h, d) and a
              condition map (gt, gte, lt, lte, eq, neq), over the rules it
              names by name or id; windows end at each event (sliding)

Anything else (keyword lists, other modifiers, other correlation types) is
an error, never silently ignored.  Field names are dotted paths into the
JSON object ("pam.service" is event["pam"]["service"]); a list value matches
when one of its elements does (ECS arrays such as event.category).

  sigmaeval.py check RULE.yml...            structure; exit 1 on an error
  sigmaeval.py match RULES_DIR|RULE.yml... -- EVENTS.jsonl...
        one JSON line per hit: {"rule", "id", "file", "line", "event"} or,
        for a correlation, {"rule", "id", "group", "count", "first", "last"}
  sigmaeval.py count ... (same arguments)   "NAME COUNT" per rule
"""

import datetime
import glob
import json
import os
import re
import sys
import uuid

import yaml

STATUSES = ("stable", "test", "experimental", "deprecated", "unsupported")
LEVELS = ("informational", "low", "medium", "high", "critical")
# Required by this project for every rule (the spec requires fewer).
RULE_KEYS = ("title", "id", "status", "description", "references", "author",
             "date", "logsource", "detection", "fields", "falsepositives",
             "level")
CORRELATION_KEYS = ("title", "id", "status", "description", "references",
                    "author", "date", "correlation", "falsepositives", "level")
MODIFIERS = {"contains", "startswith", "endswith", "re", "exists", "cased",
             "all", "i", "m", "s"}
TAG_RE = re.compile(r"^[a-z0-9_-]+\.[a-z0-9._-]+$")
DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$")
SPAN_RE = re.compile(r"^([1-9][0-9]*)([smhd])$")
SPAN_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
CMP = {
    "gt": lambda n, v: n > v, "gte": lambda n, v: n >= v,
    "lt": lambda n, v: n < v, "lte": lambda n, v: n <= v,
    "eq": lambda n, v: n == v, "neq": lambda n, v: n != v,
}


class RuleError(Exception):
    pass


class Rule:
    """One YAML document of a rule file."""

    def __init__(self, doc, path, index):
        self.doc = doc
        self.path = path
        self.where = "%s (document %d)" % (path, index + 1)
        self.id = str(doc.get("id", ""))
        self.name = doc.get("name") or self.id
        self.is_correlation = "correlation" in doc
        self.condition = None
        if not self.is_correlation and isinstance(doc.get("detection"), dict):
            cond = doc["detection"].get("condition")
            if isinstance(cond, str):
                self.condition = parse_condition(cond, self.where)


def load(paths):
    """Rules of the files and directories (*.yml) in PATHS, in order."""
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(glob.glob(os.path.join(p, "*.yml")))
        else:
            files.append(p)
    if not files:
        raise RuleError("no rule files in %s" % " ".join(paths))
    rules = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            try:
                docs = list(yaml.safe_load_all(fh))
            except yaml.YAMLError as e:
                raise RuleError("%s: not YAML: %s" % (f, e))
        for i, d in enumerate(x for x in docs if x is not None):
            if not isinstance(d, dict):
                raise RuleError("%s (document %d): not a mapping" % (f, i + 1))
            rules.append(Rule(d, f, i))
    return rules


# ---- structure -------------------------------------------------------------

def check(rule):
    """Errors in RULE's structure, as "FILE: what" strings."""
    d, w, errs = rule.doc, rule.where, []
    need = CORRELATION_KEYS if rule.is_correlation else RULE_KEYS
    for k in need:
        if k not in d:
            errs.append("%s: missing '%s'" % (w, k))
    if not isinstance(d.get("title", ""), str) or len(d.get("title", "")) > 256:
        errs.append("%s: title must be a string of at most 256 characters" % w)
    try:
        if str(uuid.UUID(str(d.get("id")))) != str(d.get("id")).lower():
            raise ValueError
    except ValueError:
        errs.append("%s: id '%s' is not a UUID" % (w, d.get("id")))
    if d.get("status") not in STATUSES:
        errs.append("%s: status '%s' is not one of %s" % (w, d.get("status"), ", ".join(STATUSES)))
    if d.get("level") not in LEVELS:
        errs.append("%s: level '%s' is not one of %s" % (w, d.get("level"), ", ".join(LEVELS)))
    if not DATE_RE.match(str(d.get("date", ""))):
        errs.append("%s: date '%s' is not YYYY-MM-DD" % (w, d.get("date")))
    for k in ("references", "fields", "falsepositives", "tags"):
        v = d.get(k, [])
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            errs.append("%s: %s must be a list of strings" % (w, k))
    for t in d.get("tags", []) or []:
        if isinstance(t, str) and not TAG_RE.match(t):
            errs.append("%s: tag '%s' is not namespace.name" % (w, t))
    if rule.is_correlation:
        errs += check_correlation(d.get("correlation"), w)
        return errs
    ls = d.get("logsource")
    if not isinstance(ls, dict) or not ({"product", "service", "category"} & set(ls)):
        errs.append("%s: logsource needs product, service or category" % w)
    det = d.get("detection")
    if not isinstance(det, dict) or not isinstance(det.get("condition"), str):
        errs.append("%s: detection needs a condition string" % w)
        return errs
    ids = [k for k in det if k != "condition"]
    if not ids:
        errs.append("%s: detection has no search identifier" % w)
    for k in ids:
        try:
            compile_search(det[k], "%s: %s" % (w, k))
        except RuleError as e:
            errs.append(str(e))
    try:
        for ref in condition_names(rule.condition):
            if not any(match_pattern(ref, k) for k in ids):
                errs.append("%s: condition names '%s', which is not defined" % (w, ref))
        for k in ids:
            if not any(match_pattern(r, k) for r in condition_names(rule.condition)):
                errs.append("%s: search identifier '%s' is not used" % (w, k))
    except RuleError as e:
        errs.append(str(e))
    return errs


def check_correlation(c, w):
    errs = []
    if not isinstance(c, dict):
        return ["%s: correlation must be a mapping" % w]
    if c.get("type") != "event_count":
        errs.append("%s: correlation type '%s' is not supported (event_count)" % (w, c.get("type")))
    if not isinstance(c.get("rules"), list) or not c["rules"]:
        errs.append("%s: correlation needs rules" % w)
    if not isinstance(c.get("group-by"), list) or not c["group-by"]:
        errs.append("%s: correlation needs group-by" % w)
    if not SPAN_RE.match(str(c.get("timespan", ""))):
        errs.append("%s: timespan '%s' is not NUMBER[smhd]" % (w, c.get("timespan")))
    cond = c.get("condition")
    if (not isinstance(cond, dict) or not cond or
            not all(k in CMP and isinstance(v, int) for k, v in cond.items())):
        errs.append("%s: correlation condition must map gt/gte/lt/lte/eq/neq to integers" % w)
    return errs


# ---- values ------------------------------------------------------------------

def wildcard_regex(s, cased):
    """Sigma string with * and ? (backslash-escaped) as an anchored regex."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s) and s[i + 1] in "*?\\":
            # \* \? are plain; \\ is one backslash (before a wildcard too).
            out.append(re.escape(s[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "*" else "." if c == "?" else re.escape(c))
        i += 1
    return re.compile("^" + "".join(out) + "$", re.S | (0 if cased else re.I))


def compile_value(v, mods, where):
    """A predicate on one scalar of the event for the rule value V."""
    if "exists" in mods:
        raise RuleError("%s: exists takes no list" % where)
    if v is None:
        if mods - {"all"}:
            raise RuleError("%s: null takes no modifier" % where)
        return None  # handled by the caller (absent or null)
    if isinstance(v, bool) or isinstance(v, int):
        if mods - {"all"}:
            raise RuleError("%s: modifiers on a number or boolean" % where)
        want = v

        def same(x):
            if isinstance(want, bool) or isinstance(x, bool):
                return isinstance(x, bool) and x == want or str(x).lower() == str(want).lower()
            return x == want or isinstance(x, str) and x == str(want)
        return same
    if not isinstance(v, str):
        raise RuleError("%s: value %r is not a string, number, boolean or null" % (where, v))
    cased = "cased" in mods
    if "re" in mods:
        flags = (re.I if "i" in mods else 0) | (re.M if "m" in mods else 0) | (re.S if "s" in mods else 0)
        try:
            rx = re.compile(v, flags)
        except re.error as e:
            raise RuleError("%s: bad regular expression %r: %s" % (where, v, e))
        return lambda x: isinstance(x, (str, int)) and not isinstance(x, bool) and rx.search(str(x)) is not None
    if mods & {"i", "m", "s"}:
        raise RuleError("%s: i, m and s are sub-modifiers of re" % where)
    if len(mods & {"contains", "startswith", "endswith"}) > 1:
        raise RuleError("%s: contains, startswith and endswith exclude each other" % where)
    if "contains" in mods:
        v = "*" + v + "*"
    elif "startswith" in mods:
        v = v + "*"
    elif "endswith" in mods:
        v = "*" + v
    rx = wildcard_regex(v, cased)
    return lambda x: isinstance(x, (str, int)) and not isinstance(x, bool) and rx.match(str(x)) is not None


MISSING = object()


def lookup(event, field):
    """The value of dotted FIELD in EVENT, or MISSING."""
    if field in event:
        return event[field]
    cur = event
    for part in field.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return MISSING
    return cur


def compile_field(key, value, where):
    """A predicate on the event for one "field|modifiers: value" entry."""
    parts = key.split("|")
    field, mods = parts[0], set(parts[1:])
    if not field:
        raise RuleError("%s: empty field name" % where)
    bad = mods - MODIFIERS
    if bad:
        raise RuleError("%s: modifier(s) %s not supported" % (where, ", ".join(sorted(bad))))
    if "exists" in mods:
        if mods != {"exists"} or not isinstance(value, bool):
            raise RuleError("%s: exists takes true or false alone" % where)
        return lambda e: (lookup(e, field) is not MISSING) == value
    values = value if isinstance(value, list) else [value]
    if not values:
        raise RuleError("%s: empty value list" % where)
    if "all" in mods and len(values) < 2:
        raise RuleError("%s: all needs a list of several values" % where)
    if None in values and len(values) > 1:
        raise RuleError("%s: null cannot be part of a list" % where)
    preds = [compile_value(v, mods, where) for v in values]

    def scalar_matches(x, p):
        if p is None:
            return x is None
        if isinstance(x, list):
            return any(scalar_matches(y, p) for y in x)
        return x is not None and not isinstance(x, dict) and p(x)

    def match(e):
        x = lookup(e, field)
        if x is MISSING:
            return preds == [None]
        results = (scalar_matches(x, p) for p in preds)
        return all(results) if "all" in mods else any(results)
    return match


def compile_search(s, where):
    """A predicate on the event for one search identifier."""
    if isinstance(s, dict):
        if not s:
            raise RuleError("%s: empty map" % where)
        preds = [compile_field(k, v, "%s.%s" % (where, k)) for k, v in s.items()]
        return lambda e: all(p(e) for p in preds)
    if isinstance(s, list) and s and all(isinstance(x, dict) for x in s):
        preds = [compile_search(x, where) for x in s]
        return lambda e: any(p(e) for p in preds)
    raise RuleError("%s: search identifiers must be a map or a list of maps (keyword searches are not supported)" % where)


# ---- condition -----------------------------------------------------------------

TOKEN_RE = re.compile(r"\s*(\(|\)|[A-Za-z0-9_*]+)")


def tokenize(text, where):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = TOKEN_RE.match(text, pos)
        if not m:
            raise RuleError("%s: condition: unexpected '%s'" % (where, text[pos:]))
        out.append(m.group(1))
        pos = m.end()
    return out


def parse_condition(text, where):
    """The condition as a tree: ("or"|"and", a, b), ("not", a), ("id", name),
    ("of", "1"|"all", pattern)."""
    toks = tokenize(text, where)
    pos = [0]

    def peek():
        return toks[pos[0]].lower() if pos[0] < len(toks) else None

    def take():
        pos[0] += 1
        return toks[pos[0] - 1]

    def primary():
        t = peek()
        if t is None:
            raise RuleError("%s: condition ends early" % where)
        if t == "(":
            take()
            node = expr()
            if peek() != ")":
                raise RuleError("%s: condition: missing ')'" % where)
            take()
            return node
        if t == "not":
            take()
            return ("not", primary())
        if t in ("1", "all"):
            take()
            if peek() != "of":
                raise RuleError("%s: condition: '%s' without 'of'" % (where, t))
            take()
            if peek() is None or peek() in ("(", ")", "and", "or", "not"):
                raise RuleError("%s: condition: 'of' needs a pattern or 'them'" % where)
            return ("of", t, take())
        if t in ("and", "or", ")", "of"):
            raise RuleError("%s: condition: unexpected '%s'" % (where, t))
        name = take()
        if "*" in name:
            raise RuleError("%s: condition: pattern '%s' outside '1 of'/'all of'" % (where, name))
        return ("id", name)

    def conj():
        node = primary()
        while peek() == "and":
            take()
            node = ("and", node, primary())
        return node

    def expr():
        node = conj()
        while peek() == "or":
            take()
            node = ("or", node, conj())
        return node

    tree = expr()
    if pos[0] != len(toks):
        raise RuleError("%s: condition: unexpected '%s'" % (where, toks[pos[0]]))
    return tree


def condition_names(tree):
    """The identifiers and patterns a condition refers to."""
    if tree is None:
        return []
    if tree[0] == "id":
        return [tree[1]]
    if tree[0] == "of":
        return ["*"] if tree[2] == "them" else [tree[2]]
    return [n for sub in tree[1:] for n in condition_names(sub)]


def match_pattern(pattern, name):
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), name) is not None


def evaluate(tree, hits):
    op = tree[0]
    if op == "id":
        return hits[tree[1]]
    if op == "not":
        return not evaluate(tree[1], hits)
    if op == "and":
        return evaluate(tree[1], hits) and evaluate(tree[2], hits)
    if op == "or":
        return evaluate(tree[1], hits) or evaluate(tree[2], hits)
    quant, pat = tree[1], tree[2]
    names = [k for k in hits if (pat == "them" and not k.startswith("_")) or
             (pat != "them" and match_pattern(pat, k))]
    if not names:
        raise RuleError("no search identifier matches '%s'" % pat)
    vals = [hits[k] for k in names]
    return all(vals) if quant == "all" else any(vals)


class Matcher:
    def __init__(self, rule):
        if rule.is_correlation:
            raise RuleError("%s: a correlation has no detection" % rule.where)
        det = rule.doc["detection"]
        self.rule = rule
        self.searches = {k: compile_search(v, "%s: %s" % (rule.where, k))
                         for k, v in det.items() if k != "condition"}

    def __call__(self, event):
        hits = {k: p(event) for k, p in self.searches.items()}
        return evaluate(self.rule.condition, hits)


# ---- running ---------------------------------------------------------------------

def timestamp(event, where):
    ts = event.get("@timestamp")
    if not isinstance(ts, str):
        raise RuleError("%s: event without @timestamp" % where)
    try:
        return datetime.datetime.fromisoformat(ts.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise RuleError("%s: bad @timestamp %r" % (where, ts))


def read_events(files):
    """(file, line number, event) for each JSON line of FILES."""
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    ev = json.loads(line)
                except ValueError as e:
                    raise RuleError("%s:%d: not JSON: %s" % (f, n, e))
                if not isinstance(ev, dict):
                    raise RuleError("%s:%d: not a JSON object" % (f, n))
                yield f, n, ev


def run(rules, events):
    """Hits of every rule over EVENTS (a list of (file, line, event))."""
    out = []
    by_ref = {}
    matchers = []
    for r in rules:
        if not r.is_correlation:
            m = Matcher(r)
            matchers.append(m)
            by_ref[r.id] = by_ref[str(r.doc.get("name", r.id))] = m
    matched = {id(m): [] for m in matchers}
    for f, n, ev in events:
        for m in matchers:
            if m(ev):
                matched[id(m)].append((f, n, ev))
                out.append({"rule": m.rule.name, "id": m.rule.id,
                            "file": f, "line": n, "event": ev})
    for r in rules:
        if r.is_correlation:
            out += correlate(r, by_ref, matched)
    return out


def correlate(rule, by_ref, matched):
    c = rule.doc["correlation"]
    base = []
    for ref in c["rules"]:
        if ref not in by_ref:
            raise RuleError("%s: correlation names rule '%s', which is not loaded" % (rule.where, ref))
        base += matched[id(by_ref[ref])]
    num, unit = SPAN_RE.match(str(c["timespan"])).groups()
    span = int(num) * SPAN_UNIT[unit]
    groups = {}
    for f, n, ev in base:
        key = tuple(json.dumps(lookup(ev, g) if lookup(ev, g) is not MISSING else None,
                               sort_keys=True) for g in c["group-by"])
        groups.setdefault(key, []).append((timestamp(ev, "%s:%d" % (f, n)), ev))
    hits = []
    for key, evs in sorted(groups.items()):
        evs.sort(key=lambda x: x[0])
        best = None
        lo = 0
        for hi in range(len(evs)):
            while evs[hi][0] - evs[lo][0] >= span:
                lo += 1
            count = hi - lo + 1
            if all(CMP[op](count, v) for op, v in c["condition"].items()):
                if best is None or count > best[0]:
                    best = (count, evs[lo][1]["@timestamp"], evs[hi][1]["@timestamp"])
        if best:
            hits.append({"rule": rule.name, "id": rule.id,
                         "group": dict(zip(c["group-by"], (json.loads(k) for k in key))),
                         "count": best[0], "first": best[1], "last": best[2]})
    return hits


def main(argv):
    if len(argv) < 2 or argv[0] not in ("check", "match", "count"):
        print(__doc__.split("\n\n")[-1], file=sys.stderr)
        return 2
    cmd, args = argv[0], argv[1:]
    try:
        if cmd == "check":
            errs = []
            for r in load(args):
                errs += check(r)
            for e in errs:
                print("sigmaeval: %s" % e, file=sys.stderr)
            return 1 if errs else 0
        if "--" not in args:
            print("sigmaeval: usage: %s RULES... -- EVENTS..." % cmd, file=sys.stderr)
            return 2
        sep = args.index("--")
        rules = load(args[:sep])
        for r in rules:
            errs = check(r)
            if errs:
                raise RuleError("; ".join(errs))
        hits = run(rules, list(read_events(args[sep + 1:])))
    except (RuleError, OSError) as e:
        print("sigmaeval: %s" % e, file=sys.stderr)
        return 1
    if cmd == "match":
        for h in hits:
            print(json.dumps(h, sort_keys=True))
    else:
        counts = {r.name: 0 for r in rules}
        for h in hits:
            counts[h["rule"]] += 1
        for name, n in counts.items():
            print(name, n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
