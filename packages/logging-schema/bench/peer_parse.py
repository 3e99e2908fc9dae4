"""Peer for parse.bench.ts: the same decision rules in plain Python (json.loads + hand checks).

No schema library (pydantic, jsonschema) is installed here, so this is the honest Python
baseline: stream the JSONL file line by line, parse, apply the decision rules, count.
Usage: OMP_NUM_THREADS=1 /usr/bin/python3 peer_parse.py FILE  -> prints {"rows", "valid", "seconds", "cpu_seconds"}
"""
import json
import math
import re
import sys
import time

TIME_RE = re.compile(
    r"^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$"
)
HASH_RE = re.compile(r"^[0-9a-f]{64}$")
KEYS = {"schema_version", "decision_id", "unit_id", "program", "surface", "policy_id", "policy_version",
        "decision_time", "eligible_actions", "action", "propensity", "action_probabilities", "design", "salt",
        "bucket", "features", "feature_ref", "feature_contract_hash"}
DESIGNS = {"uniform", "stratified", "warm_start", "holdout", "greedy", "policy"}


def is_id(v):
    return isinstance(v, str) and len(v) > 0


def num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def valid(d):
    if not isinstance(d, dict) or not set(d) <= KEYS or d.get("schema_version") != 1:
        return False
    for k in ("decision_id", "unit_id", "program", "surface", "policy_id", "policy_version", "action"):
        if not is_id(d.get(k)):
            return False
    if not isinstance(d.get("decision_time"), str) or not TIME_RE.match(d["decision_time"]):
        return False
    el = d.get("eligible_actions")
    if not isinstance(el, list) or not el or not all(is_id(a) for a in el):
        return False
    p = d.get("propensity")
    if not num(p) or not (0 < p <= 1) or d.get("design") not in DESIGNS:
        return False
    if "bucket" in d and not (isinstance(d["bucket"], int) and d["bucket"] >= 0):
        return False
    f = d.get("features")
    if f is not None and not (isinstance(f, dict) and all(v is None or isinstance(v, (str, bool)) or num(v) for v in f.values())):
        return False
    if "feature_contract_hash" in d and not HASH_RE.match(str(d["feature_contract_hash"])):
        return False
    eligible = set(el)
    if len(eligible) != len(el) or d["action"] not in eligible:
        return False
    probs = d.get("action_probabilities")
    if probs is not None:
        if not isinstance(probs, dict) or not all(num(v) and 0 <= v <= 1 for v in probs.values()):
            return False
        if not set(probs) <= eligible or abs(sum(probs.values()) - 1) > 1e-6:
            return False
        if d["action"] not in probs or abs(probs[d["action"]] - p) > 1e-6:
            return False
    if "feature_ref" in d and "feature_contract_hash" not in d:
        return False
    return True


def main(path):
    t0 = time.perf_counter()
    c0 = time.process_time()
    rows = ok = 0
    seen = set()
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            rows += 1
            d = json.loads(line)
            if valid(d) and d["decision_id"] not in seen:
                seen.add(d["decision_id"])
                ok += 1
    print(json.dumps({"rows": rows, "valid": ok, "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0}))


if __name__ == "__main__":
    main(sys.argv[1])
