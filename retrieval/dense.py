"""Dense backend: a FAISS inner-product index keyed by passage id, chosen by corpus size.

Vectors are unit length, so inner product is cosine similarity. Up to `exact_max()` passages
(default 100k, env QABOT_EXACT_MAX) the index is exact, `IndexIDMap2` over `IndexFlatIP`
(~6-8 ms a query at 100k on one core). Above it, `IndexIVFFlat` with nlist = 4*sqrt(N) lists,
trained on min(N, 50*nlist) vectors, nprobe tuned at build time to the smallest value whose
recall@10 against exact search is >= 0.95 on 200 held-out corpus vectors. Both keep our ids
inside the index, so a changed or deleted document's passages can be removed and any vector
can be read back by id (IVF through a hashtable direct map). `info` describes the choice for
the manifest ("faiss_index").
"""

from __future__ import annotations

import logging
import math
import os
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

log = logging.getLogger(__name__)

# One question at a time: FAISS's OpenMP threads cost more than they save on a single query
# (measured: 5.6 ms vs 13.9 ms over 100k vectors on 2 cores) and fight the event loop.
faiss.omp_set_num_threads(int(os.environ.get("QABOT_FAISS_THREADS", "1")))

EXACT_MAX = 100_000  # passages searched exactly; above: IVF
NPROBES = (1, 2, 4, 8, 16, 32, 64, 128, 256)  # tried in order; then doubling up to nlist (= exact)
TARGET_RECALL = 0.95  # recall@10 vs exact search the chosen nprobe must reach
TUNE_QUERIES = 200  # held-out corpus vectors used as queries to tune nprobe
TRAIN_PER_LIST = 50  # training sample: min(N, 50 * nlist)
RETRAIN_GROWTH = 4  # rebuild an IVF index once N has grown (or shrunk) 4x since training
FLAT = "IDMap2,Flat"


def exact_max() -> int:
    """Largest corpus searched exactly (env QABOT_EXACT_MAX, default 100k)."""
    return int(os.environ.get("QABOT_EXACT_MAX", EXACT_MAX))


def flat_info(limit: int | None = None) -> dict:
    return {"type": FLAT, "nlist": None, "nprobe": None, "recall_at_10": 1.0, "trained_on": 0,
            "trained_at_size": 0, "exact_max": exact_max() if limit is None else limit}


@contextmanager
def build_threads():
    """All cores for training/adding (batch work), back to one thread for questions afterwards."""
    old = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(int(os.environ.get("QABOT_FAISS_BUILD_THREADS", os.cpu_count() or 1)))
    try:
        yield
    finally:
        faiss.omp_set_num_threads(old)


class DenseIndex:
    """Inner-product search over passage vectors, with ids: exact (IDMap2,Flat) or IVF,Flat."""

    def __init__(self, dim: int, index: faiss.Index | None = None, info: dict | None = None,
                 *, read_only: bool = False) -> None:
        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self.read_only = read_only
        if self.is_ivf:
            # reconstruct() by id (vectors of BM25-only candidates) and remove_ids need a direct
            # map; the hashtable kind allows arbitrary ids and removal (~125 B a vector)
            self.index.set_direct_map_type(faiss.DirectMap.Hashtable)
            base = {"type": f"IVF{self.index.nlist},Flat", "nlist": int(self.index.nlist),
                    "nprobe": int(self.index.nprobe)}
            self.info = {**base, **(info or {})}
            self.index.nprobe = int(self.info["nprobe"])
        else:
            self.info = dict(info) if isinstance(info, dict) else flat_info()

    @property
    def is_ivf(self) -> bool:
        return isinstance(self.index, faiss.IndexIVF)

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def _writable(self) -> None:
        if self.read_only:
            raise RuntimeError("this dense index is memory-mapped read-only; "
                               "load it with mmap=False to change it")

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self._writable()
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        if not len(ids):
            return 0
        self._writable()
        return int(self.index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def extend(self, ids: np.ndarray, vectors: np.ndarray, *, limit: int | None = None) -> DenseIndex:
        """Add vectors; returns the index to keep: this one, or a rebuilt one when the corpus
        crossed `limit` (exact <-> IVF) or an IVF index has grown or shrunk 4x since training."""
        limit = exact_max() if limit is None else limit
        n = self.size + len(ids)
        if self.is_ivf:
            trained = int(self.info.get("trained_at_size") or self.size or 1)
            keep = n > limit and trained / RETRAIN_GROWTH < n < trained * RETRAIN_GROWTH
        else:
            keep = n <= limit
        if keep:
            with build_threads():
                self.add(ids, vectors)
            if not self.is_ivf:
                self.info["exact_max"] = limit
            return self
        old_ids, old_vecs = self.items()
        log.info("dense index: %d -> %d vectors, rebuilding (%s)", self.size, n, self.info.get("type"))
        return build(np.concatenate([old_ids, np.asarray(ids, np.int64)]),
                     np.vstack([old_vecs, np.asarray(vectors, np.float32).reshape(-1, self.dim)]),
                     dim=self.dim, limit=limit)

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of the k nearest passages for one query vector; ids -1 are padding."""
        k = max(1, min(k, self.size))
        scores, ids = self.index.search(query.reshape(1, -1).astype(np.float32), k)
        keep = ids[0] >= 0
        return scores[0][keep], ids[0][keep]

    def vectors(self, ids: np.ndarray) -> np.ndarray:
        """Stored vectors of the given ids."""
        return np.vstack([self.index.reconstruct(int(i)) for i in ids]) if len(ids) else \
            np.zeros((0, self.dim), dtype=np.float32)

    def all_ids(self) -> np.ndarray:
        if self.is_ivf:
            return np.concatenate([i for i, _ in _ivf_lists(self.index, codes=False)] or
                                  [np.zeros(0, np.int64)])
        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def items(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of everything stored, in storage order."""
        if self.is_ivf:
            parts = list(_ivf_lists(self.index, codes=True))
            if not parts:
                return np.zeros(0, np.int64), np.zeros((0, self.dim), np.float32)
            return (np.concatenate([i for i, _ in parts]),
                    np.vstack([c.view(np.float32).reshape(-1, self.dim) for _, c in parts]))
        if not self.size:
            return np.zeros(0, np.int64), np.zeros((0, self.dim), np.float32)
        vecs = self.index.index.reconstruct_n(0, self.size)
        return self.all_ids(), np.asarray(vecs, np.float32).reshape(-1, self.dim)

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, *, mmap: bool = False, info: dict | None = None) -> DenseIndex:
        """Read an index; mmap=True maps the vectors (flat codes or IVF lists) read-only instead of
        copying them (IO_FLAG_MMAP_IFC: ~10 MB resident after load instead of the file size;
        IO_FLAG_MMAP maps only IVF lists). Load without mmap to add or remove."""
        flags = faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY if mmap else 0
        index = faiss.read_index(str(path), flags)
        return cls(index.d, index, info if isinstance(info, dict) else None, read_only=mmap)


def _ivf_lists(index: faiss.IndexIVF, *, codes: bool):
    """(ids, codes or None) of each non-empty inverted list, copied out."""
    inv = index.invlists
    for lst in range(index.nlist):
        n = inv.list_size(lst)
        if not n:
            continue
        ids = faiss.rev_swig_ptr(inv.get_ids(lst), n).copy()
        c = faiss.rev_swig_ptr(inv.get_codes(lst), n * inv.code_size).copy() if codes else None
        yield ids.astype(np.int64), c


def _recall_at(found: list[list[int]], truth: list[list[int]]) -> float:
    return float(np.mean([len(set(f) & set(t)) / max(1, len(t))
                          for f, t in zip(found, truth)]))


def _drop_self(ids: np.ndarray, own: np.ndarray, k: int) -> list[list[int]]:
    """Each row's first k ids other than the query's own id (the queries are corpus vectors)."""
    return [[i for i in row.tolist() if i != o and i >= 0][:k] for row, o in zip(ids, own.tolist())]


def build(ids: np.ndarray, vectors: np.ndarray, *, dim: int | None = None, limit: int | None = None,
          seed: int = 0, k: int = 10) -> DenseIndex:
    """The index for this corpus size: exact up to `limit` passages, else IVF with tuned nprobe."""
    limit = exact_max() if limit is None else limit
    ids = np.asarray(ids, np.int64)
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    n = len(ids)
    dim = int(x.shape[1]) if x.ndim == 2 and x.shape[1] else int(dim or 0)
    if n <= limit:
        d = DenseIndex(dim, info=flat_info(limit))
        d.add(ids, x)
        return d
    nlist = max(1, round(4 * math.sqrt(n)))
    rng = np.random.default_rng(seed)
    perm = rng.permutation(n)
    n_held = min(TUNE_QUERIES, n // 10)
    held, rest = perm[:n_held], perm[n_held:]
    train = np.sort(rest[:min(len(rest), TRAIN_PER_LIST * nlist)])
    with build_threads():
        quantizer = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.own_fields = True
        quantizer.this.disown()  # the IVF index owns (and frees) its quantizer
        ivf.train(x[train])
        ivf.add_with_ids(x, ids)
        # tune nprobe: neighbours of held-out corpus vectors other than themselves, IVF vs exact
        xq, own = x[held], ids[held]
        _, rows = faiss.knn(xq, x, k + 1, metric=faiss.METRIC_INNER_PRODUCT)
        truth = _drop_self(np.where(rows >= 0, ids[np.maximum(rows, 0)], -1), own, k)
        probes = [p for p in NPROBES if p < nlist]
        p = NPROBES[-1] * 2
        while p < nlist:
            probes.append(p)
            p *= 2
        probes.append(nlist)  # all lists: exact
        chosen, recall = nlist, 1.0
        for p in probes:
            ivf.nprobe = p
            _, found = ivf.search(xq, k + 1)
            r = _recall_at(_drop_self(found, own, k), truth)
            log.debug("nprobe %d: recall@%d %.4f", p, k, r)
            if r >= TARGET_RECALL:
                chosen, recall = p, r
                break
    ivf.nprobe = chosen
    info = {"type": f"IVF{nlist},Flat", "nlist": nlist, "nprobe": chosen, "recall_at_10": round(recall, 4),
            "trained_on": int(len(train)), "trained_at_size": n, "tuned_on": int(n_held), "exact_max": limit}
    log.info("dense index: %s over %d vectors, nprobe %d (recall@10 vs exact %.3f)",
             info["type"], n, chosen, recall)
    return DenseIndex(dim, ivf, info)
