"""The question encoder for batches on a CPU that multiplies bfloat16 in hardware.

Why: on such a CPU (AMX or AVX-512 BF16, `native_bf16`) the model's matrix products in
bfloat16 take a third of onnxruntime's float32 time (1.1 against 2.9 ms a question in batches
of 32 on two cores), and onnxruntime has no bfloat16 kernels on x86. `transformers` would run
the same model in bfloat16, but importing it costs ~5 s on every `qabot ask -`; this is the
BERT forward pass in about forty lines of torch (importing torch alone: ~1 s), read from the
model's own `config.json` and `model.safetensors` (no pickle).

Safety net: at load the vectors of `CHECK_SENTENCES` are compared with the ONNX export's (the
reference, itself checked against sentence-transformers at index time); a model this code does
not reproduce to a cosine of `MIN_COSINE` is refused and the engine keeps onnxruntime. Layer
norms, residual sums and pooling stay in float32, as `torch.autocast` would keep them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .embeddings import all_cores
from .onnx_encoder import CHECK_SENTENCES, default_threads, encode_in_batches

MIN_COSINE = 0.9999  # measured on every question of the question sets: 0.99998 at worst


def native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 in hardware (AMX or AVX-512 BF16); elsewhere
    bfloat16 is emulated and slower than float32."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return bool(set(line.split(":", 1)[1].split()) & {"amx_bf16", "avx512_bf16"})
    except OSError:
        pass
    return False


class Unsupported(ValueError):
    """The model is not one this forward pass reproduces (not BERT, or vectors differ)."""


class Bf16Encoder:
    """Unit-length float32 question vectors from a BERT model run in bfloat16.

    `like` is the ONNX encoder of the same model: its tokenizer is shared (same word pieces,
    same truncation) and its vectors are the reference the load check compares with.
    """

    def __init__(self, model_path: str | Path, like, *, threads: int | None = None,
                 batch_size: int = 32) -> None:
        import torch

        self._torch = torch
        self.like = like
        self.name, self.dim, self.batch_size = like.name, like.dim, batch_size
        self.threads = threads or default_threads()  # as many as onnxruntime would use
        folder = Path(model_path)
        cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if cfg.get("model_type") != "bert" or cfg.get("hidden_act") != "gelu" or \
                cfg.get("position_embedding_type", "absolute") != "absolute":
            raise Unsupported(f"{folder}: not a BERT model with GELU and absolute positions")
        self.heads = int(cfg["num_attention_heads"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        w = _load_weights(folder / "model.safetensors")
        bf = torch.bfloat16
        emb = "embeddings."
        self.words = w[emb + "word_embeddings.weight"]
        self.positions = w[emb + "position_embeddings.weight"]
        self.token_type = w[emb + "token_type_embeddings.weight"][0]
        self.emb_norm = (w[emb + "LayerNorm.weight"], w[emb + "LayerNorm.bias"])
        self.layers = []
        for i in range(int(cfg["num_hidden_layers"])):
            p = f"encoder.layer.{i}."
            qkv_w = torch.cat([w[p + f"attention.self.{n}.weight"] for n in ("query", "key", "value")])
            qkv_b = torch.cat([w[p + f"attention.self.{n}.bias"] for n in ("query", "key", "value")])
            self.layers.append((
                (qkv_w.to(bf), qkv_b.to(bf)),
                (w[p + "attention.output.dense.weight"].to(bf), w[p + "attention.output.dense.bias"].to(bf)),
                (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                (w[p + "intermediate.dense.weight"].to(bf), w[p + "intermediate.dense.bias"].to(bf)),
                (w[p + "output.dense.weight"].to(bf), w[p + "output.dense.bias"].to(bf)),
                (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            ))
        self._lock = threading.Lock()  # torch's thread count is process-wide state
        check = list(CHECK_SENTENCES)
        worst = float(np.min(np.sum(self.encode(check) * like.encode(check), 1)))
        if worst < MIN_COSINE:
            raise Unsupported(f"{folder}: bfloat16 vectors differ from the ONNX export (cosine {worst:.5f})")

    # the word-piece side is the ONNX encoder's: same tokenizer file
    @property
    def max_tokens(self) -> int:
        return self.like.max_tokens

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.like.count_tokens(texts)

    def piece_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return self.like.piece_ids(texts)

    def piece_vocab(self) -> dict[str, int]:
        return self.like.piece_vocab()

    def _forward(self, ids, mask):
        torch = self._torch
        F = torch.nn.functional
        bf = torch.bfloat16
        b, n = ids.shape
        h, heads = self.words.shape[1], self.heads
        x = self.words[ids] + self.positions[:n] + self.token_type
        x = F.layer_norm(x, (h,), *self.emb_norm, eps=self.eps)
        attend = mask.bool()[:, None, None, :]  # padding is never attended to
        for qkv, out, norm1, up, down, norm2 in self.layers:
            q, k, v = F.linear(x.to(bf), *qkv).view(b, n, 3, heads, h // heads).permute(2, 0, 3, 1, 4)
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=attend)
            a = F.linear(a.transpose(1, 2).reshape(b, n, h), *out)
            x = F.layer_norm(a.float() + x, (h,), *norm1, eps=self.eps)
            y = F.linear(F.gelu(F.linear(x.to(bf), *up)), *down)
            x = F.layer_norm(y.float() + x, (h,), *norm2, eps=self.eps)
        m = mask.unsqueeze(-1).float()
        return (x * m).sum(1) / m.sum(1).clamp(min=1e-9)  # mean over real word pieces

    def _run(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        ids, mask = self.like.tokenize(texts)
        return self._forward(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()

    def encode(self, texts: Sequence[str], *, progress: bool | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text; texts are batched by length."""
        with self._lock, self._torch.inference_mode(), all_cores(self.threads):
            return encode_in_batches(texts, self.dim, self.batch_size, self._run)


def _load_weights(path: Path) -> dict:
    """Every tensor of a safetensors file as float32 torch tensors."""
    from safetensors.torch import load_file

    return {k: v.float() if v.is_floating_point() else v for k, v in load_file(str(path)).items()}
