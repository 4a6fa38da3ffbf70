#!/usr/bin/python3
"""tests/e2e/query_log/qlog_check.py - checks the query log line of one
query, field by field (SPEC 1.8).

usage: qlog_check.py LOGFILE SRCPORT KEY=EXPECTED...

Selects the lines whose srcport is SRCPORT (every query of the scenario
comes from its own source port); there must be exactly one.  EXPECTED is
a JSON value compared for equality, or:
  @absent      the key is not in the line
  @present     the key is there (any value)
  @re:REGEX    the value is a string matching REGEX (fullmatch)
  @nonempty    the value is a non-empty string
  @now         an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ, optional
               fraction) within 120 s of now
KEY may be a path: srcids.instance.  Prints every field checked and exits
1 when one differs.
"""
import datetime
import json
import re
import sys

path, port = sys.argv[1], sys.argv[2]
lines = []
with open(path, encoding="utf-8") as f:
    for raw in f:
        raw = raw.rstrip("\n")
        if not raw:
            continue
        try:
            obj = json.loads(raw)
        except ValueError as e:
            print(f"not JSON: {raw!r}: {e}")
            sys.exit(1)
        if obj.get("srcport") == port or str(obj.get("srcport")) == port:
            lines.append((raw, obj))
if len(lines) != 1:
    print(f"{len(lines)} lines with srcport {port}, expected 1:")
    for raw, _ in lines:
        print(raw)
    sys.exit(1)
raw, obj = lines[0]
print(raw)
bad = 0
TS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
for spec in sys.argv[3:]:
    key, want = spec.split("=", 1)
    cur, here = obj, True
    for part in key.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            here = False
            break
    if want == "@absent":
        ok = not here
    elif not here:
        ok = False
    elif want == "@present":
        ok = True
    elif want == "@nonempty":
        ok = isinstance(cur, str) and cur != ""
    elif want.startswith("@re:"):
        ok = isinstance(cur, str) and re.fullmatch(want[4:], cur) is not None
    elif want == "@now":
        ok = isinstance(cur, str) and TS.fullmatch(cur) is not None
        if ok:
            t = datetime.datetime.strptime(cur[:19], "%Y-%m-%dT%H:%M:%S")
            t = t.replace(tzinfo=datetime.timezone.utc)
            now = datetime.datetime.now(datetime.timezone.utc)
            ok = abs((now - t).total_seconds()) < 120
    else:
        ok = here and cur == json.loads(want)
    got = json.dumps(cur) if here else "(absent)"
    print(f"{'ok ' if ok else 'BAD'} {key}: want {want}, got {got}")
    bad += not ok
sys.exit(1 if bad else 0)
