"""Dense backend: a FAISS inner-product index keyed by passage id.

Vectors are unit length, so inner product is cosine similarity. `IndexIDMap2` keeps our
ids inside the index, so a changed or deleted document's passages can be removed and any
vector can be read back by id (for scoring candidates that only BM25 found).
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

# One question at a time: FAISS's OpenMP threads cost more than they save on a single query
# (measured: 5.6 ms vs 13.9 ms over 100k vectors on 2 cores) and fight the event loop.
faiss.omp_set_num_threads(int(__import__("os").environ.get("QABOT_FAISS_THREADS", "1")))


class DenseIndex:
    """Exact inner-product search over passage vectors, with ids."""

    def __init__(self, dim: int, index: faiss.Index | None = None) -> None:
        self.dim = dim
        self.index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                    np.asarray(ids, dtype=np.int64))

    def remove(self, ids: np.ndarray) -> int:
        if not len(ids):
            return 0
        return int(self.index.remove_ids(np.asarray(ids, dtype=np.int64)))

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
        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, *, mmap: bool = False) -> DenseIndex:
        flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
        index = faiss.read_index(str(path), flags)
        return cls(index.d, index)
