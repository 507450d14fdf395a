"""Quality as a client sees it: a question set through `qabot ask - --json`, one process.

`qabot eval` computes ranx metrics in-process; this runs the console command itself, one
question per line on stdin, and counts the way an outside check would: the first hit is right
when its text contains an evidence string, the highlight when it holds one (or lies inside
one), and an abstained question counts as missed.

    .venv/bin/python benchmarks/acceptance.py tests/data/holdout_qa.jsonl tests/data/holdout_offtopic.jsonl
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", type=Path)
    ap.add_argument("offtopic", type=Path)
    ap.add_argument("--qabot", default=str(ROOT / ".venv" / "bin" / "qabot"))
    args = ap.parse_args()
    gold, off = read_jsonl(args.gold), read_jsonl(args.offtopic)
    questions = [q["question"] for q in gold + off]
    t0 = time.perf_counter()
    out = subprocess.run([args.qabot, "ask", "-", "--json"], input="\n".join(questions) + "\n",
                         capture_output=True, text=True, cwd=ROOT, check=True)
    wall = time.perf_counter() - t0
    answers = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    if len(answers) != len(questions):
        print(f"expected {len(questions)} answers, got {len(answers)}", file=sys.stderr)
        return 1
    r1 = r3 = hl = answered = 0
    for q, a in zip(gold, answers):
        hits = a.get("hits") or []
        holds = [any(e in h["text"] for e in q["evidence"]) for h in hits]
        answered += bool(a["answered"])
        r1 += bool(holds[:1] and holds[0])
        r3 += any(holds[:3])
        first = hits[0]["highlight"] if hits else None
        hl += first is not None and any(e in first or first in e for e in q["evidence"])
    abstained = sum(not a["answered"] for a in answers[len(gold):])
    n = len(gold)
    print(json.dumps({"questions": n, "offtopic": len(off), "recall@1": round(r1 / n, 3),
                      "recall@3": round(r3 / n, 3), "highlight": round(hl / n, 3),
                      "answered": f"{answered}/{n}", "abstained": f"{abstained}/{len(off)}",
                      "wall_seconds": round(wall, 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
