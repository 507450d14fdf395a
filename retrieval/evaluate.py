"""Measure retrieval quality on hand-written gold sets, so every change shows what it did.

A gold question lists evidence substrings copied from the article, not passage ids, so the
set survives changes to chunking: a passage is relevant when its text contains any of them.
Metrics come from ranx; the evaluation is a function of (searcher, questions) returning a
dict of numbers, with Recall@1 as the primary metric.
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from .search import Searcher

log = logging.getLogger(__name__)

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
MODES = ("dense", "bm25", "hybrid")
KS = (1, 3, 5)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _relevant(text: str, evidence: Sequence[str]) -> bool:
    return any(e in text for e in evidence)


Ask = Callable[[Sequence[str], int, str], list]


def searcher_ask(searcher: Searcher) -> Ask:
    """The passage search alone, as an `Ask` (for tuning without the quote route)."""
    return lambda qs, k, mode: searcher.batch_search(list(qs), k, config=replace(searcher.config, mode=mode))


def evaluate_retrieval(ask: Ask, passages: Sequence, gold: list[dict], offtopic: list[dict], *,
                       mode: str = "hybrid", k: int = 10) -> tuple[dict[str, float], list[dict]]:
    """Metrics for one mode, and the failed questions with what came first instead.

    `ask(questions, k, mode)` is the path a user's questions take (`Engine.batch_ask`), so
    the numbers are those of `qabot ask`.
    """
    from ranx import Qrels, Run, evaluate

    questions = [g["question"] for g in gold]
    ask(questions[:4], k, mode)  # warm up
    t0 = time.perf_counter()
    answers = ask(questions, k, mode)
    per_q = (time.perf_counter() - t0) / max(1, len(questions))
    singles = []
    for q in questions[:20]:
        t = time.perf_counter()
        ask([q], k, mode)
        singles.append(time.perf_counter() - t)
    off_answers = ask([o["question"] for o in offtopic], k, mode)

    qrels: dict[str, dict[str, int]] = {}
    run: dict[str, dict[str, float]] = {}
    failures = []
    highlight_ok = 0
    for g, ans in zip(gold, answers):
        qid = g["id"]
        rel = {p.passage_id: 1 for p in passages if _relevant(p.text, g["evidence"])}
        if not rel:
            log.warning("%s: no passage contains its evidence (check the gold set)", qid)
            continue
        qrels[qid] = rel
        ranked = ans.hits or ans.abstained_hits
        # ranx needs distinct, strictly ordered scores: use the rank
        run[qid] = {h.passage_id: float(len(ranked) - i) for i, h in enumerate(ranked)} or {"none": 0.0}
        first = ranked[0] if ranked else None
        if first is not None and _relevant(first.highlight, g["evidence"]):
            highlight_ok += 1
        if first is None or first.passage_id not in rel or not ans.answered or \
                not _relevant(first.highlight, g["evidence"]):
            rank = next((i + 1 for i, h in enumerate(ranked) if h.passage_id in rel), None)
            failures.append({
                "id": qid, "question": g["question"], "evidence": g["evidence"], "mode": mode,
                "answered": ans.answered, "rank_of_relevant": rank,
                "highlight_ok": bool(first and _relevant(first.highlight, g["evidence"])),
                "first": first.text if first else None, "first_highlight": first.highlight if first else None,
            })
    metrics = [f"recall@{n}" for n in KS] + ["mrr@10", "ndcg@10"]
    scores = evaluate(Qrels(qrels), Run(run), metrics, make_comparable=True)
    n = len(qrels)
    out = {m.replace("mrr@10", "mrr@10"): round(float(v), 4) for m, v in scores.items()}
    out.update({
        "questions": n,
        "highlight_accuracy": round(highlight_ok / n, 4) if n else 0.0,
        "answer_rate": round(sum(a.answered for a in answers) / len(answers), 4) if answers else 0.0,
        "abstention_accuracy": round(sum(not a.answered for a in off_answers) / len(off_answers), 4)
        if off_answers else 0.0,
        "offtopic_questions": len(off_answers),
        "ms_per_question_batch": round(per_q * 1000, 2),
        "ms_per_question_p50": round(statistics.median(singles) * 1000, 2) if singles else 0.0,
    })
    for o, a in zip(offtopic, off_answers):
        if a.answered:
            failures.append({"id": o["id"], "question": o["question"], "mode": mode,
                             "answered": True, "offtopic": True,
                             "first": a.hits[0].text if a.hits else None})
    return out, failures


def evaluate_quotes_gold(engine, gold_path: Path) -> dict[str, float] | None:
    """Quote recall, precision and speaker accuracy against hand-annotated quotes."""
    try:
        from .quotes import evaluate_quotes
    except ImportError:
        return None
    if not gold_path.exists() or engine.quotes is None:
        return None
    gold = read_jsonl(gold_path)
    docs = {g["doc_id"] for g in gold}
    predicted = [q for q in engine.quotes.quotes if q["doc_id"] in docs]
    return evaluate_quotes(predicted, gold)


def plot_recall(results: dict[str, dict], ask: Ask, passages: Sequence, gold: list[dict], path: Path) -> None:
    """Recall@k for k = 1..10, one line per mode."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from ranx import Qrels, Run, evaluate

    fig, ax = plt.subplots(figsize=(6, 4))
    ks = list(range(1, 11))
    for mode in results:
        answers = ask([g["question"] for g in gold], 10, mode)
        qrels, run = {}, {}
        for g, a in zip(gold, answers):
            rel = {p.passage_id: 1 for p in passages if _relevant(p.text, g["evidence"])}
            if rel:
                qrels[g["id"]] = rel
                ranked = a.hits or a.abstained_hits
                run[g["id"]] = {h.passage_id: float(len(ranked) - i)
                                for i, h in enumerate(ranked)} or {"x": 0.0}
        vals = evaluate(Qrels(qrels), Run(run), [f"recall@{k}" for k in ks], make_comparable=True)
        ax.plot(ks, [vals[f"recall@{k}"] for k in ks], marker="o", label=mode)
    ax.set_xlabel("k")
    ax.set_ylabel("Recall@k")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"Recall@k on {len(gold)} gold questions")
    ax.grid(alpha=0.3)
    ax.legend()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def run_cli(engine, args) -> int:
    gold_path = Path(args.gold) if args.gold else DATA / "gold_qa.jsonl"
    off_path = Path(args.offtopic) if args.offtopic else DATA / "offtopic.jsonl"
    for p in (gold_path, off_path):
        if not p.exists():
            print(f"qabot eval: {p} not found", file=sys.stderr)
            return 2
    gold, offtopic = read_jsonl(gold_path), read_jsonl(off_path)
    passages = engine.load().data.passages

    def ask(questions: Sequence[str], k: int, mode: str) -> list:
        return engine.batch_ask(questions, k, mode=mode)

    modes = MODES if args.mode == "all" else (args.mode,)
    results: dict[str, dict] = {}
    failures: list[dict] = []
    for mode in modes:
        results[mode], f = evaluate_retrieval(ask, passages, gold, offtopic, mode=mode)
        failures.extend(f)
    quotes_gold = Path(args.quotes_gold) if args.quotes_gold else DATA / "gold_quotes.jsonl"
    quote_metrics = evaluate_quotes_gold(engine, quotes_gold)
    fail_path = Path(args.failures) if args.failures else Path(".eval/failures.jsonl")
    fail_path.parent.mkdir(parents=True, exist_ok=True)
    with open(fail_path, "w", encoding="utf-8") as fh:
        for row in failures:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.plot:
        plot_recall(results, ask, passages, gold, Path(args.plot))
    payload = {"gold": str(gold_path), "offtopic": str(off_path), "modes": results,
               "quotes": quote_metrics, "failures_file": str(fail_path), "failures": len(failures)}
    if args.json:
        print(json.dumps(payload, indent=1))
        return 0
    cols = ["recall@1", "recall@3", "recall@5", "mrr@10", "ndcg@10", "highlight_accuracy",
            "answer_rate", "abstention_accuracy", "ms_per_question_batch", "ms_per_question_p50"]
    short = ["R@1", "R@3", "R@5", "MRR@10", "nDCG@10", "highlight", "answered", "abstained",
             "ms/q batch", "ms/q single"]
    print(f"{len(gold)} gold questions ({gold_path}), {len(offtopic)} off-topic ({off_path})")
    print(f"| mode | {' | '.join(short)} |")
    print("|" + "---|" * (len(cols) + 1))
    for mode, r in results.items():
        print(f"| {mode} | " + " | ".join(f"{r[c]:.3f}" if c.startswith(("r", "m", "n", "h", "a"))
                                          and not c.startswith("ms") else f"{r[c]:.2f}" for c in cols) + " |")
    if quote_metrics:
        print("quotes: " + ", ".join(f"{k} {v:.3f}" for k, v in quote_metrics.items()
                                     if isinstance(v, (int, float))))
    print(f"{len(failures)} failures written to {fail_path}")
    return 0
