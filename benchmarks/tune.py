"""Grid search of passage size and fusion settings on the gold sets (prints a table).

    .venv/bin/python benchmarks/tune.py [--min-tokens 0,32,48,64] [--quick]

Each passage setting builds an index in a temporary folder; each fusion setting re-ranks.
Use it to choose defaults; the README records what was chosen and why.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import tempfile
from dataclasses import replace
from pathlib import Path

from retrieval import index as index_mod
from retrieval.embeddings import Encoder
from retrieval.evaluate import DATA, evaluate_retrieval, read_jsonl, searcher_ask
from retrieval.index import load_index, update_index
from retrieval.search import SearchConfig, Searcher

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--min-tokens", default="0,32,48,64,96")
    ap.add_argument("--w-dense", default="0.2,0.3,0.4,0.5,0.6")
    ap.add_argument("--mix", default="0.0,0.3,0.5,0.7")
    ap.add_argument("--fusion", default="weighted,rrf")
    ap.add_argument("--seeds", default=str(ROOT / "seeds"))
    ap.add_argument("--sentence-vectors", default="late")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    gold = read_jsonl(DATA / "gold_qa.jsonl")
    off = read_jsonl(DATA / "offtopic.jsonl")
    enc = Encoder()
    rows = []
    for mt in [int(x) for x in args.min_tokens.split(",")]:
        index_mod.PASSAGE_SETTINGS["min_tokens"] = mt
        index_mod.PASSAGE_SETTINGS["sentence_vectors"] = args.sentence_vectors
        with tempfile.TemporaryDirectory() as tmp:
            update_index(Path(args.seeds), Path(tmp), encoder=enc, extract_quotes=False)
            s = Searcher(load_index(Path(tmp)), enc)
            for fusion, w, mix in itertools.product(args.fusion.split(","),
                                                    [float(x) for x in args.w_dense.split(",")],
                                                    [float(x) for x in args.mix.split(",")]):
                if fusion == "rrf" and w != float(args.w_dense.split(",")[0]):
                    continue
                s.config = replace(SearchConfig(), fusion=fusion, w_dense=w, sentence_mix=mix)
                m, _ = evaluate_retrieval(searcher_ask(s), s.data.passages, gold, off)
                rows.append((mt, len(s.data.passages), fusion, w, mix, m))
                print(f"{args.sentence_vectors} min_tokens={mt:3d} passages={len(s.data.passages):3d} "
                      f"{fusion:8s} w_dense={w:.1f} "
                      f"mix={mix:.1f} R@1={m['recall@1']:.3f} R@3={m['recall@3']:.3f} "
                      f"MRR={m['mrr@10']:.3f} hl={m['highlight_accuracy']:.3f} "
                      f"ans={m['answer_rate']:.3f} abst={m['abstention_accuracy']:.3f}", flush=True)
    best = max(rows, key=lambda r: (r[5]["recall@1"] + r[5]["highlight_accuracy"], r[5]["mrr@10"]))
    print("best:", best[:5], best[5])


if __name__ == "__main__":
    main()
