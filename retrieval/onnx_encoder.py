"""The question-path encoder: the index model exported to ONNX, run with onnxruntime.

Why: importing torch + sentence-transformers costs ~4 s and ~400 MB, while onnxruntime and
`tokenizers` give the same vectors (cosine >= 0.9999, checked in tests/test_onnx_encoder.py)
after a fraction of a second and in far less memory. sentence-transformers stays the
reference and builds the index; `export_onnx` runs at index time (it needs torch) and
`OnnxEncoder` serves questions. This module imports only numpy, onnxruntime and tokenizers
at the top level: torch is imported inside `export_onnx` alone.

Exported folder layout (written to a temporary folder, then renamed into place):
    model.onnx              BERT + mean pooling in the graph; L2 normalisation in numpy
    tokenizer.json          the model's fast tokenizer (truncation/padding set at load)
    1_Pooling/config.json   copied for the record; the graph does mean pooling
    onnx_config.json        name, dim, max_seq_length, opset, quantized, sha256 of model.onnx
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .documents import file_sha256

OPSET = 17
MODEL_FILE = "model.onnx"
CONFIG_FILE = "onnx_config.json"
DEFAULT_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def _display_name(model_path: str) -> str:
    """The name the manifest records, the same as retrieval.embeddings.Encoder gives."""
    try:
        from .embeddings import model_display_name

        return model_display_name(model_path)
    except ImportError:  # pragma: no cover - the package always has embeddings.py
        return model_path


# --- export (index time; needs torch and sentence-transformers) ------------------------------


CHECK_SENTENCES = (
    "How big is Armenia?",
    "",
    "Who said the border villages would get water before the summer?",
    "Ünïcödé café, Москва, 東京 🚀",
    "The minister said the agreement, signed on 12 March 2024, would cost 1.2 billion. " * 30,
)


def export_onnx(model_path: str, out_dir: Path, *, quantize: bool = False, name: str | None = None,
                reference=None, max_gap: float = 1e-4) -> dict:
    """Export the sentence-transformers model to `out_dir`; returns the manifest record.

    `reference` may be the already loaded SentenceTransformer (the index build has one).
    The export is checked against it on CHECK_SENTENCES before it is put in place: an
    fp32 export whose vectors differ (1 - cosine > `max_gap`) raises ValueError, so a
    broken export never serves questions; the int8 gap is only recorded.

    The transformer and mean pooling go into the graph (token_type_ids are zeros inside it,
    so the runtime feeds only input_ids and attention_mask); normalisation is one numpy line.
    With `quantize`, weights of the MatMuls are int8 (dynamic quantization), ~4x smaller.
    The folder appears complete or not at all: it is written beside `out_dir` and renamed.
    """
    import torch
    from sentence_transformers import SentenceTransformer

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    out_dir = Path(out_dir)
    st = reference if reference is not None else SentenceTransformer(str(model_path), device="cpu")
    st.eval()
    transformer = st[0]
    bert = transformer.auto_model
    max_seq = int(st.max_seq_length)
    dim = int(st.get_embedding_dimension())

    class _Pooled(torch.nn.Module):
        def __init__(self, bert: torch.nn.Module) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                            token_type_ids=torch.zeros_like(input_ids), return_dict=False)
            tokens = out[0]
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            summed = (tokens * mask).sum(1)
            return summed / mask.sum(1).clamp(min=1e-9)

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the bot may run as another user
    try:
        fp32 = tmp / ("model_fp32.onnx" if quantize else MODEL_FILE)
        # a padded dummy batch, so no "mask is all ones" shortcut is traced into the graph
        ids = torch.full((2, 16), 1000, dtype=torch.long)
        mask = torch.ones(2, 16, dtype=torch.long)
        mask[1, 9:] = 0
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # TracerWarnings about shapes; the test checks the vectors
            torch.onnx.export(
                _Pooled(bert).eval(), (ids, mask), str(fp32),
                input_names=["input_ids", "attention_mask"], output_names=["sentence_embedding"],
                dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                              "sentence_embedding": {0: "batch"}},
                opset_version=OPSET, do_constant_folding=True, dynamo=False,
            )
        if quantize:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(str(fp32), str(tmp / MODEL_FILE), weight_type=QuantType.QInt8,
                             per_channel=True)
            fp32.unlink()
        src = Path(model_path)
        shutil.copy2(src / "tokenizer.json", tmp / "tokenizer.json")
        if (src / "1_Pooling" / "config.json").is_file():
            (tmp / "1_Pooling").mkdir()
            shutil.copy2(src / "1_Pooling" / "config.json", tmp / "1_Pooling" / "config.json")
        ref = st.encode(list(CHECK_SENTENCES), normalize_embeddings=True, convert_to_numpy=True)
        gap = max_cosine_gap(ref, OnnxEncoder(tmp, threads=1, config={"max_seq_length": max_seq, "dim": dim})
                             .encode(list(CHECK_SENTENCES)))
        if not quantize and gap > max_gap:
            raise ValueError(f"ONNX export differs from sentence-transformers (1 - cosine = {gap:.2e})")
        record = {
            "backend": "onnx",
            "file": MODEL_FILE,
            "sha256": file_sha256(tmp / MODEL_FILE),
            "bytes": (tmp / MODEL_FILE).stat().st_size,
            "quantized": bool(quantize),
            "opset": OPSET,
            "name": name or _display_name(str(model_path)),
            "dim": dim,
            "max_seq_length": max_seq,
            "pooling": "mean",
            "max_cosine_gap": gap,
            "normalize": True,
            "versions": {"torch": torch.__version__, "onnxruntime": _ort_version()},
        }
        (tmp / CONFIG_FILE).write_text(json.dumps(record, indent=1), encoding="utf-8")
        for f in tmp.rglob("*"):
            if f.is_file():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
        if out_dir.exists():  # replace an older export: move it aside, then swap in the new one
            old = out_dir.with_name(f".{out_dir.name}.old.{os.getpid()}")
            os.replace(out_dir, old)
            os.replace(tmp, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return record


def _ort_version() -> str:
    import onnxruntime

    return onnxruntime.__version__


# --- runtime (question path: numpy, onnxruntime, tokenizers only) ---------------------------


def default_threads() -> int:
    """intra-op threads: `QABOT_ONNX_THREADS`, else all cores up to 2 (short queries gain little more)."""
    env = os.environ.get("QABOT_ONNX_THREADS")
    if env:
        return max(1, int(env))
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        n = os.cpu_count() or 1
    return max(1, min(2, n))


class OnnxEncoder:
    """Unit-length float32 sentence vectors from an exported folder, like `Encoder.encode`.

    Thread-safe: onnxruntime sessions allow concurrent `run` calls; the tokenizer is
    guarded by a lock since its padding/truncation settings are shared state.
    """

    def __init__(self, folder: str | Path, *, threads: int | None = None, batch_size: int = 32,
                 expected_sha256: str | None = None, spin: bool = False, config: dict | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = Path(folder)
        cfg_path = self.folder / CONFIG_FILE
        if config is None:
            config = json.loads(cfg_path.read_text(encoding="utf-8")) if cfg_path.is_file() else {}
        self.config: dict = config
        model_file = self.folder / self.config.get("file", MODEL_FILE)
        if expected_sha256 and file_sha256(model_file) != expected_sha256:
            raise ValueError(f"{model_file} does not match the sha256 recorded in the manifest")
        self.name: str = self.config.get("name", DEFAULT_NAME)
        self.dim: int = int(self.config.get("dim", 384))
        self.max_seq_length: int = int(self.config.get("max_seq_length", 256))
        self.batch_size = batch_size
        self.quantized = bool(self.config.get("quantized", False))

        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = threads or default_threads()
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.log_severity_level = 3
        if not spin:  # idle workers sleep instead of spinning: less CPU between bot messages
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(str(model_file), sess_options=opts,
                                            providers=["CPUExecutionProvider"])
        tok = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tok.enable_truncation(max_length=self.max_seq_length)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tok = tok
        counter = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        counter.no_truncation()
        counter.no_padding()
        self._counter = counter
        self._lock = threading.Lock()

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads, less [CLS] and [SEP] (as `Encoder.max_tokens`)."""
        return self.max_seq_length - 2

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces of each text, special tokens excluded, untruncated."""
        return [len(ids) for ids in self.piece_ids(texts)]

    def piece_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids of each text, as `Encoder.piece_ids`."""
        if not texts:
            return []
        with self._lock:
            return [e.ids for e in self._counter.encode_batch(list(texts), add_special_tokens=False)]

    def piece_vocab(self) -> dict[str, int]:
        with self._lock:
            return self._counter.get_vocab()

    def tokenize(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Word-piece ids and attention mask of a batch, padded to its longest text (int64)."""
        with self._lock:
            encs = self._tok.encode_batch(texts)
        ids = np.asarray([e.ids for e in encs], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encs], dtype=np.int64)
        return ids, mask

    def _run(self, texts: list[str]) -> np.ndarray:
        ids, mask = self.tokenize(texts)
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]

    def encode(self, texts: Sequence[str], *, progress: bool | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text; texts are batched by length."""
        return encode_in_batches(texts, self.dim, self.batch_size, self._run)


def encode_in_batches(texts: Sequence[str], dim: int, batch_size: int,
                      run: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """Unit-length float32 vectors of `texts` by `run` (one padded batch -> its pooled rows),
    in batches of similar length so each pads little."""
    texts = [t if isinstance(t, str) else str(t) for t in texts]
    if not texts:
        return np.zeros((0, dim), dtype=np.float32)
    out = np.empty((len(texts), dim), dtype=np.float32)
    if len(texts) <= batch_size:
        out[:] = run(texts)
    else:  # sort by length so each batch pads little
        order = np.argsort([len(t) for t in texts], kind="stable")
        for i in range(0, len(texts), batch_size):
            rows = order[i:i + batch_size]
            out[rows] = run([texts[r] for r in rows])
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    out /= np.maximum(norms, 1e-12)
    return out


def max_cosine_gap(reference_vecs: np.ndarray, onnx_vecs: np.ndarray) -> float:
    """Largest 1 - cosine(reference row i, onnx row i); 0.0 means identical directions."""
    a = np.asarray(reference_vecs, dtype=np.float64)
    b = np.asarray(onnx_vecs, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    na = np.linalg.norm(a, axis=1)
    nb = np.linalg.norm(b, axis=1)
    cos = (a * b).sum(1) / np.maximum(na * nb, 1e-12)
    return float(np.max(1.0 - cos))
