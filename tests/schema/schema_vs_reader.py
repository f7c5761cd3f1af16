#!/usr/bin/env python3
"""Schema = reader. Every plan under examples/, templates/ and tests/cli/bad/, and a table of values
written in every accepted and refused form, goes through both `tgt validate` and the JSON Schema that
`tgt schema` prints. Whatever the reader takes, the schema must take; whatever the reader refuses, the
schema refuses too, unless the reason is one JSON Schema cannot express: those are listed below with
why, and a listed case that stops disagreeing fails the test too (the list stays true).

Usage: schema_vs_reader.py TGT SOURCE_DIR [--ajv]
  --ajv: judge with Ajv in strict mode (npm `ajv`) instead of python3-jsonschema; exits 77 (skipped)
         when node or ajv is not installed (scripts/setup.sh --test installs it when npm is there)."""
import copy
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

tgt, src = sys.argv[1], pathlib.Path(sys.argv[2])
use_ajv = "--ajv" in sys.argv[3:]
schema_text = subprocess.run([tgt, "schema"], check=True, capture_output=True).stdout

# Refusals that depend on more than one value's form: sums, other files, ids that must exist, the
# plan's own arithmetic. JSON Schema sees one value at a time.
CANNOT_EXPRESS = {
    "bad/arithmetic.json": "amounts that do not add up",
    "bad/bad-csv.json": "a CSV file's contents",
    "bad/capacity-missing.json": "a capacity rule without capacities (across members)",
    "bad/wrong-column.json": "a CSV column that must exist",
    "bad/quarters-vs-month-amounts.json": "amounts that do not add up",
    "bad/time-weights-partial.json": "which periods a level has (keyed weights that leave some out)",
    "bad/weights-near-100.json": "a sum of siblings (bare weights adding up to nearly 100)",
    "bad/calendar-not-covered.json": "which years a calendar covers against the plan's period",
    "bad/control-character.json": "control characters in any string (a pattern on every string of the schema)",
    "bad/fractions-near-one.json": "a sum of siblings (bare weights adding up to nearly 1)",
    "bad/fractions-near-one.json": "a sum of siblings (bare weights adding up to nearly 1)",
    "bad/floors-caps.json": "floors adding up to more than their parent; a floor above a cap",
    "bad/floors-exceed.json": "floors adding up to more than their parent",
    "bad/budget-duplicate-id.json": "ids that must be unique",
    "bad/dangling.json": "ids that must name a member",
    "bad/duplicates.json": "ids that must be unique",
    "bad/growth-bottom-up.json": "growth against a plan without a total",
    "bad/hold-too-large.json": "holds larger than their parent",
    "bad/members-from-bad-date.json": "a CSV file's dates",
    "bad/members-from-dates.json": "a CSV file's dates",
    "bad/missing-csv.json": "a file that does not exist",
    "bad/customer-classes.json": "a CSV file's contents",
    "bad/customer-columns.json": "a CSV file's columns",
    "bad/customer-rules.json": "rule text, tier ids and which level is deepest",
    "bad/no-total-time-first.json": "the order of split steps",
    "bad/per-level.json": "which levels are split before a step",
    "bad/per-product.json": "a CSV file's contents",
    "bad/quarter-vs-months.json": "amounts that do not add up",
    "bad/ramp-after-time.json": "the order of split steps",
    "bad/top-down-vs-bottom-up.json": "amounts that do not add up",
    "form/percent weights above 100 in total": "a sum of siblings",
    "form/allocate 100001%": "an upper bound on a decimal string (at most 100000%)",
    "form/growth 0.123456789%": "a percentage's precision (at most 8 decimals of a ratio)",
}

BASE = {
    "period": "2027",
    "metrics": [{"id": "s", "total": "100万"}],
    "dimensions": [{"id": "d", "members": [{"id": "a"}, {"id": "b"}]}],
    "split": [{"level": "d"}, {"level": "month", "by": "equal"}],
}
FUNNEL = {"order_value": "1万", "target_stage": "orders",
          "stages": [{"id": "leads"}, {"id": "orders", "rate": "10%"}]}


def form(name, path, value, accept, base=None):
    doc = copy.deepcopy(base or BASE)
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return name, doc, accept


def with_funnel(**changes):
    doc = copy.deepcopy(BASE)
    doc["funnel"] = copy.deepcopy(FUNNEL)
    doc["funnel"].update(changes)
    return doc


FORMS = [
    # allocate: a percentage, or a bare multiplier from 1 to 2
    form("allocate 110%", ["split", 0, "allocate"], "110%", True),
    form("allocate 1.1", ["split", 0, "allocate"], 1.1, True),
    form("allocate \"1.1\"", ["split", 0, "allocate"], "1.1", True),
    form("allocate 1,000%", ["split", 0, "allocate"], "1,000%", True),
    form("allocate \"110\"", ["split", 0, "allocate"], "110", False),
    form("allocate 110", ["split", 0, "allocate"], 110, False),
    form("allocate 90%", ["split", 0, "allocate"], "90%", False),
    form("allocate abc", ["split", 0, "allocate"], "abc", False),
    form("allocate 100001%", ["split", 0, "allocate"], "100001%", False),
    # growth: signed percentages; bare numbers other than 0 are ambiguous
    form("growth 20%", ["dimensions", 0, "members", 0], {"id": "a", "baseline": "50万", "growth": "20%"}, True),
    form("growth +20%", ["dimensions", 0, "members", 0], {"id": "a", "baseline": "50万", "growth": "+20%"}, True),
    form("growth -5%", ["dimensions", 0, "members", 0], {"id": "a", "baseline": "50万", "growth": "-5%"}, True),
    form("growth 0", ["dimensions", 0, "members", 0], {"id": "a", "baseline": "50万", "growth": 0}, True),
    form("growth 20", ["dimensions", 0, "members", 0], {"id": "a", "baseline": "50万", "growth": 20}, False),
    form("growth 0.2", ["dimensions", 0, "members", 0], {"id": "a", "baseline": "50万", "growth": 0.2}, False),
    form("growth \"20\"", ["dimensions", 0, "members", 0], {"id": "a", "baseline": "50万", "growth": "20"}, False),
    form("growth 2万%", ["dimensions", 0, "members", 0], {"id": "a", "baseline": "50万", "growth": "2万%"}, False),
    form("growth 0.123456789%", ["dimensions", 0, "members", 0],
         {"id": "a", "baseline": "50万", "growth": "0.123456789%"}, False),
    # amounts
    form("total 1,000万", ["metrics", 0, "total"], "1,000万", True),
    form("total 1.2e6", ["metrics", 0, "total"], "1.2e6", True),
    form("total 1000000", ["metrics", 0, "total"], 1000000, True),
    form("total fullwidth digits", ["metrics", 0, "total"], "１０００万", False),
    form("total abc", ["metrics", 0, "total"], "abc", False),
    form("total -5", ["metrics", 0, "total"], -5, False),
    form("total 1,00", ["metrics", 0, "total"], "1,00", False),
    # weights
    form("weights 3 and 1", ["dimensions", 0, "members"], [{"id": "a", "weight": 3}, {"id": "b", "weight": 1}], True),
    form("weights 25% and 75%", ["dimensions", 0, "members"],
         [{"id": "a", "weight": "25%"}, {"id": "b", "weight": "75%"}], True),
    form("weight -5", ["dimensions", 0, "members"], [{"id": "a", "weight": -5}, {"id": "b", "weight": 1}], False),
    form("weight -5%", ["dimensions", 0, "members"], [{"id": "a", "weight": "-5%"}, {"id": "b"}], False),
    form("weight 150%", ["dimensions", 0, "members"], [{"id": "a", "weight": "150%"}, {"id": "b"}], False),
    form("percent weights above 100 in total", ["dimensions", 0, "members"],
         [{"id": "a", "weight": "60%"}, {"id": "b", "weight": "60%"}], False),
    # ramps: 0 to 100 %
    form("ramp 25% 50%", ["split", 0], {"level": "d", "ramp": ["25%", "50%"]}, True),
    form("ramp 150%", ["split", 0], {"level": "d", "ramp": ["150%"]}, False),
    form("ramp 0.5", ["split", 0], {"level": "d", "ramp": [0.5]}, False),
    # funnel rates: above 0, at most 100 %
    ("funnel rate 85%", with_funnel(stages=[{"id": "leads"}, {"id": "orders", "rate": "85%"}]), True),
    ("funnel rate 0%", with_funnel(stages=[{"id": "leads"}, {"id": "orders", "rate": "0%"}]), False),
    ("funnel rate 120%", with_funnel(stages=[{"id": "leads"}, {"id": "orders", "rate": "120%"}]), False),
    ("funnel rate 0.85", with_funnel(stages=[{"id": "leads"}, {"id": "orders", "rate": 0.85}]), False),
    # status thresholds
    form("status 105%", ["status"], {"ahead": "105%"}, True),
    form("status 1.05", ["status"], {"ahead": 1.05}, False),
    # time weights keyed for some periods
    form("rest equal", ["split", 1], {"level": "month", "weights": {"01": "20%"}, "rest": "equal"}, True),
    form("rest linear", ["split", 1], {"level": "month", "weights": {"01": "20%"}, "rest": "linear"}, False),
]


def reader_accepts(path):
    run = subprocess.run([tgt, "validate", str(path)], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        raise SystemExit(f"tgt validate {path}: exit {run.returncode}\n{run.stderr}")
    return run.returncode == 0


def schema_verdicts(docs):
    """name → whether the schema accepts the document, by python3-jsonschema or Ajv (strict)."""
    if not use_ajv:
        from jsonschema import Draft202012Validator
        schema = json.loads(schema_text)
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        return {name: validator.is_valid(doc) for name, doc in docs.items()}
    prefix = os.environ.get("TGT_NPM_PREFIX", os.path.expanduser("~/.cache/tgt-npm"))
    ajv = pathlib.Path(prefix) / "node_modules" / "ajv" / "dist" / "2020.js"
    if not shutil.which("node") or not ajv.exists():
        print(f"skipped: node or {ajv} is missing")
        sys.exit(77)
    script = src / "tests" / "schema" / "ajv_verdicts.js"
    run = subprocess.run(["node", str(script), str(ajv)], input=json.dumps({"schema": json.loads(schema_text),
                                                                             "docs": docs}),
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"Ajv (strict) failed: {run.stderr}{run.stdout}")
    return json.loads(run.stdout)


cases = {}  # name → (document, path or None, reader verdict)
for folder, label in ((src / "examples", "examples"), (src / "templates", "templates"), (src / "tests/cli/bad", "bad")):
    for path in sorted(folder.glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            continue  # not JSON (or nested past Python's limit): nothing for a schema to judge
        if not isinstance(doc, dict) or not ("metrics" in doc or "split" in doc):
            continue  # calendar files: schema.examples checks them
        cases[f"{label}/{path.name}"] = (doc, path)
with tempfile.TemporaryDirectory() as tmp:
    for name, doc, _ in FORMS:
        path = pathlib.Path(tmp) / (str(len(cases)) + ".json")
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        cases[f"form/{name}"] = (doc, path)
    reader = {name: reader_accepts(path) for name, (doc, path) in cases.items()}
schema = schema_verdicts({name: doc for name, (doc, path) in cases.items()})

failures = 0
for name, doc, accept in FORMS:
    if reader[f"form/{name}"] != accept:
        failures += 1
        print(f"form/{name}: the reader {'refuses' if accept else 'accepts'} it")
for name in cases:
    r, s = reader[name], schema[name]
    listed = name in CANNOT_EXPRESS
    if r and not s:
        failures += 1
        print(f"{name}: the reader accepts it but the schema refuses it")
    elif not r and s and not listed:
        failures += 1
        print(f"{name}: the reader refuses it but the schema accepts it (and it is not listed as inexpressible)")
    elif listed and (r or not s):
        failures += 1
        print(f"{name}: listed as inexpressible, but reader and schema now agree: drop it from the list")
for name in CANNOT_EXPRESS:
    if name not in cases:
        failures += 1
        print(f"{name}: listed but no such case")
judge = "Ajv (strict)" if use_ajv else "jsonschema"
print(f"{len(cases)} plans through the reader and {judge}: "
      f"{sum(reader.values())} accepted by both, {len(CANNOT_EXPRESS)} refusals JSON Schema cannot express"
      if not failures else f"{failures} disagreement(s)")
sys.exit(1 if failures else 0)
