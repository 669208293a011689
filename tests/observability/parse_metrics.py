"""Reads Prometheus text exposition on stdin with the official client's parser and prints
one JSON object: {"families": {name: type}, "samples": [{"name", "labels", "value"}]}.

The parser raises on malformed input (bad escapes, a sample before its TYPE, a family declared
twice), and so this script exits non-zero; the Rust test shows its stderr.
"""

import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main() -> None:
    text = sys.stdin.read()
    families = {}
    samples = []
    for family in text_string_to_metric_families(text):
        if family.name in families:
            raise SystemExit(f"family {family.name} appears twice")
        families[family.name] = family.type
        for s in family.samples:
            value = s.value
            if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
                value = str(value)
            samples.append({"name": s.name, "labels": dict(s.labels), "value": value})
    print(json.dumps({"families": families, "samples": samples}))


if __name__ == "__main__":
    main()
