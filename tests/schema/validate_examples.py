#!/usr/bin/env python3
"""Validates every plan in examples/ against the schema `tgt schema` prints (JSON Schema 2020-12),
and checks that plans with known mistakes are rejected, so that the schema is neither too loose
nor too strict. Usage: validate_examples.py TGT_BINARY SOURCE_DIR"""
import json
import pathlib
import subprocess
import sys

from jsonschema import Draft202012Validator

tgt, src = sys.argv[1], pathlib.Path(sys.argv[2])
schema = json.loads(subprocess.run([tgt, "schema"], check=True, capture_output=True).stdout)
Draft202012Validator.check_schema(schema)
plans = Draft202012Validator(schema)
calendars = Draft202012Validator({**schema, "$ref": "#/$defs/calendar", "required": [], "additionalProperties": True,
                                  "properties": {}})
failures = 0
checked = 0
for path in (sorted((src / "examples").glob("*.json")) + sorted((src / "templates").glob("*.json"))
             + sorted((src / "data" / "calendars").glob("*.json"))):
    doc = json.loads(path.read_text(encoding="utf-8"))
    is_plan = "metrics" in doc or "split" in doc
    errors = list((plans if is_plan else calendars).iter_errors(doc))
    checked += 1
    for e in errors:
        failures += 1
        print(f"{path.name}: {'/'.join(map(str, e.absolute_path))}: {e.message}")

# Mistakes the schema must catch (tgt validate catches them too, with file:line:column).
bad = {
    "misspelt key": {"period": "2027", "metrics": [{"id": "s", "totl": 1}], "split": [{"level": "month", "by": "equal"}]},
    "unknown rule": {"period": "2027", "metrics": [{"id": "s", "total": 1}], "split": [{"level": "month", "by": "evenly"}]},
    "rate with a total": {"period": "2027", "metrics": [{"id": "r", "kind": "rate", "target": "30%", "weighted_by": "s", "total": 1}],
                          "split": [{"level": "month", "by": "equal"}]},
    "weight and amount": {"period": "2027", "metrics": [{"id": "s", "total": 1}],
                          "dimensions": [{"id": "d", "members": [{"id": "a", "weight": 1, "amount": 1}]}],
                          "split": [{"level": "d"}]},
    "bad ramp_rest": {"period": "2027", "metrics": [{"id": "s", "total": 1}],
                      "dimensions": [{"id": "d", "members": ["a"]}], "split": [{"level": "d", "ramp_rest": "nobody"}]},
}
for name, doc in bad.items():
    if plans.is_valid(doc):
        failures += 1
        print(f"schema accepts a plan with a {name}")
print(f"{checked} examples validated, {len(bad)} bad plans rejected" if not failures else f"{failures} problem(s)")
sys.exit(1 if failures else 0)
