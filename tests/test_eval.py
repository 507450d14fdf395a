"""CI guard: retrieval quality on the hand-written gold sets must not regress.

The floors sit just under what `qabot eval` measures today (see the README's table); a change
to chunking, fusion, the ranker or the model that costs quality fails the build.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import offline_env, qabot_command

from retrieval.config import Settings
from retrieval.engine import Engine
from retrieval.evaluate import DATA, evaluate_retrieval, read_jsonl

FLOORS = {
    "recall@1": 0.918,
    "recall@3": 0.98,
    "mrr@10": 0.96,
    "highlight_accuracy": 0.918,
    "answer_rate": 0.989,
    "abstention_accuracy": 0.97,
}


@pytest.fixture(scope="module", params=["single", "batch"])
def engine(request, seeds_dir: Path, vectors_dir: Path) -> Engine:
    """Both question encoders the floors guard: the bot's (ONNX, float32) and the one `qabot ask
    -` and `qabot eval` use for batches (bfloat16 where the CPU has it, else the same ONNX)."""
    e = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir))
    e.batch = request.param == "batch"
    e.load()
    return e


def test_hybrid_quality_floors(engine: Engine) -> None:
    gold, off = read_jsonl(DATA / "gold_qa.jsonl"), read_jsonl(DATA / "offtopic.jsonl")
    assert len(gold) >= 80 and len(off) >= 30
    metrics, failures = evaluate_retrieval(lambda qs, k, mode: engine.batch_ask(qs, k, mode=mode),
                                           engine.load().data.passages, gold, off, mode="hybrid")
    low = {k: (metrics[k], floor) for k, floor in FLOORS.items() if metrics[k] < floor}
    assert not low, f"quality below floors {low}; failures: {[f['id'] for f in failures][:20]}"


def test_hybrid_beats_each_alone(engine: Engine) -> None:
    gold, off = read_jsonl(DATA / "gold_qa.jsonl"), read_jsonl(DATA / "offtopic.jsonl")
    ask = lambda qs, k, mode: engine.batch_ask(qs, k, mode=mode)  # noqa: E731
    passages = engine.load().data.passages
    r1 = {m: evaluate_retrieval(ask, passages, gold, off, mode=m)[0]["recall@1"] for m in ("dense", "bm25",
                                                                                          "hybrid")}
    assert r1["hybrid"] > max(r1["dense"], r1["bm25"]), r1


def test_eval_cli_json(seeds_dir: Path, vectors_dir: Path, tmp_path: Path) -> None:
    out = subprocess.run(qabot_command("eval", "--seeds", str(seeds_dir), "--vectors", str(vectors_dir),
                                       "--json", "--failures", str(tmp_path / "f.jsonl")),
                         env=offline_env(), capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    data = json.loads(out.stdout)
    hybrid = data["modes"]["hybrid"]
    for key in ("recall@1", "recall@3", "recall@5", "mrr@10", "ndcg@10", "highlight_accuracy",
                "answer_rate", "abstention_accuracy", "ms_per_question_batch"):
        assert key in hybrid
    assert data["quotes"]["speaker_accuracy"] >= 0.9
    assert (tmp_path / "f.jsonl").exists()


# Twenty-two sets never trained on, 40 + 8 questions each. tests/data/blind_*.jsonl was written after
# the ranker and its features were fixed; holdout, fresh, unseen, novel, sealed, final, pristine,
# untold, candid, brisk, last, tacit, veiled, muted, hushed, serene, rapt, jade, yonder, glint and
# ivory were written by helpers who saw only the article and the file format, never the code or the
# other sets, so they are the closest to a stranger's questions. Measured by `qabot eval` when each
# floor was last set (R@1, R@3, highlight, answered, abstained): blind 0.963, 1.000, 1.000, 1.000,
# 0.875; holdout 0.925, 1.000, 0.950, 1.000, 1.000; fresh 0.963, 1.000, 1.000, 1.000, 1.000; unseen
# 0.912, 1.000, 0.975, 1.000, 1.000; novel 0.912, 0.963, 0.950, 1.000, 1.000; sealed 0.838, 1.000,
# 0.875, 0.975, 1.000; final 0.887, 0.975, 0.925, 1.000, 1.000; pristine 0.900, 0.963, 0.950, 1.000,
# 1.000; untold 0.887, 0.950, 0.900, 0.975, 1.000; candid 0.950, 1.000, 0.950, 0.975, 1.000; brisk
# 0.887, 1.000, 0.850, 0.975, 1.000; last 0.900, 0.963, 0.925, 1.000, 1.000; tacit 0.887, 0.975,
# 0.850, 0.975, 1.000; veiled 0.838, 0.975, 0.850, 1.000, 1.000; muted 0.900, 0.975, 0.925, 1.000,
# 1.000; hushed 0.900, 1.000, 1.000, 0.975, 1.000; serene 0.875, 0.988, 0.950, 1.000, 1.000; rapt
# 0.800, 0.950, 0.775, 1.000, 1.000; jade 0.912, 1.000, 0.925, 1.000, 1.000; yonder 0.950, 1.000,
# 0.975, 0.975, 1.000; glint 0.863, 1.000, 0.900, 1.000, 1.000; ivory 0.975, 1.000, 0.975, 1.000,
# 1.000; and, from session 13: topaz 0.871, 0.988, 0.925, 0.975, 1.000; vivid 0.950, 0.988, 0.950,
# 1.000, 1.000; ember 0.912, 1.000, 0.950, 1.000, 1.000; quill 0.958, 0.992, 1.000, 1.000, 1.000; rune
# 0.896, 0.988, 0.950, 1.000, 1.000; sable 0.938, 1.000, 0.975, 1.000, 1.000; tidal 0.925, 1.000, 0.975,
# 0.975, 1.000; umber 0.950, 1.000, 1.000, 0.975, 1.000; vesper 0.933, 0.992, 1.000, 1.000, 1.000;
# wren 0.900, 1.000, 0.900, 1.000, 1.000; xylem 0.912, 0.988, 0.925, 1.000, 1.000; yarrow 0.946, 0.988,
# 1.000, 1.000, 0.875; zinnia 0.900, 1.000, 0.950, 1.000, 1.000; aster 0.883, 0.988, 0.925, 0.950,
# 1.000; birch 0.950, 0.988, 1.000, 1.000, 1.000; cedar 0.921, 0.988, 0.975, 1.000, 0.875; dune 0.887,
# 0.988, 0.900, 1.000, 1.000; elm 0.912, 1.000, 0.900, 1.000, 1.000; fern 0.900, 0.988, 0.950, 1.000,
# 1.000; gorse 0.921, 0.992, 0.975, 1.000, 1.000; hazel 0.887, 0.963, 0.925, 0.975, 1.000; iris 0.912,
# 0.988, 0.950, 1.000, 1.000; juniper 0.908, 0.992, 0.900, 1.000, 1.000 (the same through the bfloat16
# batch encoder).
# Their first runs, through ask and before any change they led to, are in the README. Floors about
# one question under (one of 40 is 0.025, one of eight 0.125), as for the gold set.
NEVER_TRAINED_ON = {
    "blind": {"recall@1": 0.937, "recall@3": 0.975, "highlight_accuracy": 0.975,
              "answer_rate": 0.975, "abstention_accuracy": 0.75},
    "holdout": {"recall@1": 0.9, "recall@3": 0.975, "highlight_accuracy": 0.925,
                "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "fresh": {"recall@1": 0.937, "recall@3": 0.975, "highlight_accuracy": 0.975,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "unseen": {"recall@1": 0.887, "recall@3": 0.975, "highlight_accuracy": 0.95,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "novel": {"recall@1": 0.887, "recall@3": 0.95, "highlight_accuracy": 0.925,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "sealed": {"recall@1": 0.812, "recall@3": 0.975, "highlight_accuracy": 0.85,
               "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "final": {"recall@1": 0.862, "recall@3": 0.95, "highlight_accuracy": 0.9,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "pristine": {"recall@1": 0.875, "recall@3": 0.937, "highlight_accuracy": 0.925,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "untold": {"recall@1": 0.862, "recall@3": 0.925, "highlight_accuracy": 0.875,
               "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "candid": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.925,
               "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "brisk": {"recall@1": 0.862, "recall@3": 0.975, "highlight_accuracy": 0.825,
              "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "last": {"recall@1": 0.875, "recall@3": 0.937, "highlight_accuracy": 0.9,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "tacit": {"recall@1": 0.862, "recall@3": 0.95, "highlight_accuracy": 0.825,
              "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "veiled": {"recall@1": 0.812, "recall@3": 0.95, "highlight_accuracy": 0.825,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "muted": {"recall@1": 0.875, "recall@3": 0.95, "highlight_accuracy": 0.9,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "hushed": {"recall@1": 0.875, "recall@3": 0.975, "highlight_accuracy": 0.975,
               "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "serene": {"recall@1": 0.85, "recall@3": 0.962, "highlight_accuracy": 0.925,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "rapt": {"recall@1": 0.775, "recall@3": 0.925, "highlight_accuracy": 0.75,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "jade": {"recall@1": 0.887, "recall@3": 0.975, "highlight_accuracy": 0.9,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "yonder": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.95,
               "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "glint": {"recall@1": 0.837, "recall@3": 0.975, "highlight_accuracy": 0.875,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "ivory": {"recall@1": 0.95, "recall@3": 0.975, "highlight_accuracy": 0.95,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "topaz": {"recall@1": 0.846, "recall@3": 0.963, "highlight_accuracy": 0.9,
              "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "vivid": {"recall@1": 0.925, "recall@3": 0.963, "highlight_accuracy": 0.925,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "ember": {"recall@1": 0.887, "recall@3": 0.975, "highlight_accuracy": 0.925,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "quill": {"recall@1": 0.933, "recall@3": 0.967, "highlight_accuracy": 0.975,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "rune": {"recall@1": 0.871, "recall@3": 0.963, "highlight_accuracy": 0.925,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "sable": {"recall@1": 0.913, "recall@3": 0.975, "highlight_accuracy": 0.95,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "tidal": {"recall@1": 0.9, "recall@3": 0.975, "highlight_accuracy": 0.95,
              "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "umber": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.975,
              "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "vesper": {"recall@1": 0.908, "recall@3": 0.967, "highlight_accuracy": 0.975,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "wren": {"recall@1": 0.875, "recall@3": 0.975, "highlight_accuracy": 0.875,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "xylem": {"recall@1": 0.887, "recall@3": 0.963, "highlight_accuracy": 0.9,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "yarrow": {"recall@1": 0.921, "recall@3": 0.963, "highlight_accuracy": 0.975,
               "answer_rate": 0.975, "abstention_accuracy": 0.750},
    "zinnia": {"recall@1": 0.875, "recall@3": 0.975, "highlight_accuracy": 0.925,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "aster": {"recall@1": 0.858, "recall@3": 0.963, "highlight_accuracy": 0.9,
              "answer_rate": 0.925, "abstention_accuracy": 0.875},
    "birch": {"recall@1": 0.925, "recall@3": 0.963, "highlight_accuracy": 0.975,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "cedar": {"recall@1": 0.896, "recall@3": 0.963, "highlight_accuracy": 0.95,
              "answer_rate": 0.975, "abstention_accuracy": 0.750},
    "dune": {"recall@1": 0.862, "recall@3": 0.963, "highlight_accuracy": 0.875,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "elm": {"recall@1": 0.887, "recall@3": 0.975, "highlight_accuracy": 0.875,
            "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "fern": {"recall@1": 0.85, "recall@3": 0.963, "highlight_accuracy": 0.9,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "gorse": {"recall@1": 0.896, "recall@3": 0.967, "highlight_accuracy": 0.95,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "hazel": {"recall@1": 0.862, "recall@3": 0.938, "highlight_accuracy": 0.9,
              "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "iris": {"recall@1": 0.862, "recall@3": 0.963, "highlight_accuracy": 0.9,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "juniper": {"recall@1": 0.883, "recall@3": 0.967, "highlight_accuracy": 0.875,
                "answer_rate": 0.975, "abstention_accuracy": 0.875},
    # session 14's fifty-seven, as measured through both encoders after their first runs (b97c445
    # for kelp to gardenia, 74f29ec for the rest), less one question (ulmus's batch encoder one
    # first hit and one highlight lower than its single one)
    "kelp": {"recall@1": 0.9, "recall@3": 0.963, "highlight_accuracy": 0.925,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "larch": {"recall@1": 0.913, "recall@3": 0.975, "highlight_accuracy": 0.95,
              "answer_rate": 0.95, "abstention_accuracy": 0.75},
    "maple": {"recall@1": 0.862, "recall@3": 0.95, "highlight_accuracy": 0.925,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "nettle": {"recall@1": 0.825, "recall@3": 0.975, "highlight_accuracy": 0.85,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "olive": {"recall@1": 0.896, "recall@3": 0.975, "highlight_accuracy": 0.95,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "poplar": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.925,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "quince": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.925,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "rowan": {"recall@1": 0.887, "recall@3": 0.95, "highlight_accuracy": 0.925,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "spruce": {"recall@1": 0.838, "recall@3": 0.975, "highlight_accuracy": 0.85,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "tansy": {"recall@1": 0.913, "recall@3": 0.975, "highlight_accuracy": 0.95,
              "answer_rate": 0.95, "abstention_accuracy": 0.75},
    "umbra": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.975,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "valerian": {"recall@1": 0.908, "recall@3": 0.975, "highlight_accuracy": 0.95,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "willow": {"recall@1": 0.933, "recall@3": 0.975, "highlight_accuracy": 0.975,
               "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "yew": {"recall@1": 0.9, "recall@3": 0.975, "highlight_accuracy": 0.95,
            "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "zelkova": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.975,
                "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "alder": {"recall@1": 0.933, "recall@3": 0.975, "highlight_accuracy": 0.925,
              "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "bramble": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.95,
                "answer_rate": 0.975, "abstention_accuracy": 0.75},
    "clover": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.975,
               "answer_rate": 0.975, "abstention_accuracy": 0.75},
    "dogwood": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.95,
                "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "elder": {"recall@1": 0.9, "recall@3": 0.95, "highlight_accuracy": 0.975,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "foxglove": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.975,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "ginkgo": {"recall@1": 0.921, "recall@3": 0.954, "highlight_accuracy": 0.975,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "hawthorn": {"recall@1": 0.938, "recall@3": 0.963, "highlight_accuracy": 0.95,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "ironwood": {"recall@1": 0.913, "recall@3": 0.975, "highlight_accuracy": 0.95,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "jasmine": {"recall@1": 0.913, "recall@3": 0.975, "highlight_accuracy": 0.95,
                "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "kapok": {"recall@1": 0.95, "recall@3": 0.975, "highlight_accuracy": 0.975,
              "answer_rate": 0.975, "abstention_accuracy": 0.75},
    "linden": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.95,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "mimosa": {"recall@1": 0.908, "recall@3": 0.975, "highlight_accuracy": 0.95,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "nutmeg": {"recall@1": 0.925, "recall@3": 0.963, "highlight_accuracy": 0.975,
               "answer_rate": 0.975, "abstention_accuracy": 0.75},
    "oleander": {"recall@1": 0.913, "recall@3": 0.975, "highlight_accuracy": 0.925,
                 "answer_rate": 0.95, "abstention_accuracy": 0.875},
    "pine": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.975,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "rosemary": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.95,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "sorrel": {"recall@1": 0.933, "recall@3": 0.975, "highlight_accuracy": 0.975,
               "answer_rate": 0.975, "abstention_accuracy": 0.75},
    "tamarind": {"recall@1": 0.933, "recall@3": 0.967, "highlight_accuracy": 0.975,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "ulmus": {"recall@1": 0.875, "recall@3": 0.963, "highlight_accuracy": 0.925,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "vetch": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.975,
              "answer_rate": 0.975, "abstention_accuracy": 0.75},
    "wisteria": {"recall@1": 0.95, "recall@3": 0.975, "highlight_accuracy": 0.925,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "yucca": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.925,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "azalea": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.975,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "bayberry": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.975,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "catalpa": {"recall@1": 0.913, "recall@3": 0.975, "highlight_accuracy": 0.975,
                "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "dill": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.975,
             "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "eucalyptus": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.95,
                   "answer_rate": 0.975, "abstention_accuracy": 0.75},
    "fennel": {"recall@1": 0.95, "recall@3": 0.975, "highlight_accuracy": 0.95,
               "answer_rate": 0.975, "abstention_accuracy": 0.75},
    "gardenia": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.95,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "hemlock": {"recall@1": 0.896, "recall@3": 0.967, "highlight_accuracy": 0.95,
                "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "indigo": {"recall@1": 0.913, "recall@3": 0.963, "highlight_accuracy": 0.95,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "jacaranda": {"recall@1": 0.925, "recall@3": 0.963, "highlight_accuracy": 0.95,
                  "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "kumquat": {"recall@1": 0.938, "recall@3": 0.975, "highlight_accuracy": 0.975,
                "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "lilac": {"recall@1": 0.925, "recall@3": 0.95, "highlight_accuracy": 0.975,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "magnolia": {"recall@1": 0.883, "recall@3": 0.975, "highlight_accuracy": 0.9,
                 "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "nasturtium": {"recall@1": 0.883, "recall@3": 0.975, "highlight_accuracy": 0.925,
                   "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "orchid": {"recall@1": 0.9, "recall@3": 0.975, "highlight_accuracy": 0.95,
               "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "peony": {"recall@1": 0.925, "recall@3": 0.975, "highlight_accuracy": 0.925,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "rhubarb": {"recall@1": 0.913, "recall@3": 0.963, "highlight_accuracy": 0.95,
                "answer_rate": 0.975, "abstention_accuracy": 0.75},
    "saffron": {"recall@1": 0.908, "recall@3": 0.975, "highlight_accuracy": 0.975,
                "answer_rate": 0.975, "abstention_accuracy": 0.875},
    "thyme": {"recall@1": 0.933, "recall@3": 0.975, "highlight_accuracy": 0.975,
              "answer_rate": 0.975, "abstention_accuracy": 0.875},
}


@pytest.mark.parametrize("name", sorted(NEVER_TRAINED_ON))
def test_quality_on_questions_never_trained_on(engine: Engine, name: str) -> None:
    gold, off = read_jsonl(DATA / f"{name}_qa.jsonl"), read_jsonl(DATA / f"{name}_offtopic.jsonl")
    assert len(gold) == 40 and len(off) == 8
    metrics, failures = evaluate_retrieval(lambda qs, k, mode: engine.batch_ask(qs, k, mode=mode),
                                           engine.load().data.passages, gold, off, mode="hybrid")
    low = {k: (metrics[k], floor) for k, floor in NEVER_TRAINED_ON[name].items() if metrics[k] < floor}
    assert not low, f"quality below floors {low}; failures: {[f['id'] for f in failures][:20]}"
