"""Sparse backend: BM25 (bm25s) over stemmed words, English stop words removed.

News questions hinge on names, numbers and dates, which dense vectors blur and BM25 keeps.
bm25s saves to JSON and .npy files (no pickle). The index is rebuilt from the passage texts
on every update: it takes a fraction of the time the embeddings take.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

STOPWORDS = "en"
TOKEN_PATTERN = r"(?u)\b\w+\b"  # keep one-character tokens: "2", "X"


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


# Spelling variants that Snowball keeps apart but a reader treats as one word:
# demonyms ("Armenian" ~ "Armenia", "Azerbaijani" ~ "Azerbaijan") and British spellings.
_VARIANTS = [
    (re.compile(r"(?<=\w{3})ians?$"), ""),  # armenian, russian, iranian -> armen, russ, iran
    (re.compile(r"(?<=\w{3})ia$"), ""),  # armenia, russia -> armen, russ
    (re.compile(r"(?<=\w{4})anis?$"), ""),  # azerbaijani -> azerbaij
    (re.compile(r"(?<=\w{4})an$"), ""),  # azerbaijan -> azerbaij
    (re.compile(r"(?<=\w{3})tres?$"), "ter"),  # kilometres -> kilometer
    (re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),  # organise -> organize
]


def _normalise(word: str) -> str:
    for rx, rep in _VARIANTS:
        new = rx.sub(rep, word)
        if new != word:
            return new
    return word


def stem_words(words: list[str]) -> list[str]:
    """Snowball stems after folding spelling variants (callable form bm25s accepts)."""
    return _stemmer().stemWords([_normalise(w) for w in words])


def _import_bm25s():
    """bm25s without numba and scipy, which it imports but our numpy scoring never uses.

    They cost ~0.25 s and ~70 MB on the question path. They are hidden only while bm25s
    imports, so other modules (ranx needs numba) can still import them afterwards.
    """
    import sys

    if "bm25s" in sys.modules:
        return sys.modules["bm25s"]
    hidden = [m for m in ("numba", "scipy", "scipy.sparse") if m not in sys.modules]
    for m in hidden:
        sys.modules[m] = None  # type: ignore[assignment]
    try:
        import bm25s
    finally:
        for m in hidden:
            if sys.modules.get(m) is None:
                sys.modules.pop(m, None)
    return bm25s


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, stemmed words of each text."""
    return _import_bm25s().tokenize(list(texts), stopwords=STOPWORDS, stemmer=stem_words, return_ids=False,
                          show_progress=False, token_pattern=TOKEN_PATTERN)


@lru_cache(maxsize=8192)
def query_tokens(text: str) -> tuple[str, ...]:
    """`tokenize` of one text, cached: a search reads a question's words five times over."""
    return tuple(tokenize([text])[0])


class SparseIndex:
    """BM25 scores for every passage, in passage order."""

    def __init__(self, retriever=None) -> None:
        self.retriever = retriever

    @classmethod
    def build(cls, texts: Sequence[str]) -> SparseIndex:
        bm25s = _import_bm25s()
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        retriever = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
        tokens = tokenize(texts) if texts else []
        # bm25s cannot index an empty corpus or an empty vocabulary: keep a placeholder word
        tokens = [t if t else ["\x00empty"] for t in tokens] or [["\x00empty"]]
        retriever.index(tokens, show_progress=False)
        return cls(retriever)

    @property
    def size(self) -> int:
        return int(self.retriever.scores["num_docs"])

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for `query` (zeros when no query word is indexed)."""
        vocab = self.retriever.vocab_dict
        words = [w for w in query_tokens(query) if w in vocab]
        if not words:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores(words), dtype=np.float32)

    def scores_for(self, query: str, rows: np.ndarray) -> np.ndarray:
        """BM25 scores of the given rows only (see `lookup`)."""
        return self.lookup(query, rows)[0]

    def lookup(self, query: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(BM25 score, number of distinct query words present) of the given rows only (`_find`)."""
        scores = np.zeros(len(rows), dtype=np.float32)
        present = np.zeros(len(rows), dtype=np.int32)
        vocab = self.retriever.vocab_dict
        ids = {vocab[w] for w in query_tokens(query) if w in vocab}
        if not ids or not len(rows):
            return scores, present
        data = self._postings()[0]
        for t in ids:
            found = self._find(t, rows)
            if found is not None:
                hit, at = found
                scores[hit] += data[at[hit]]
                present += hit
        return scores, present

    def presence(self, words: Sequence[str], rows: np.ndarray) -> np.ndarray:
        """For each (stemmed) word, whether each of the given rows holds it."""
        out = np.zeros((len(words), len(rows)), dtype=bool)
        vocab = self.retriever.vocab_dict
        for i, w in enumerate(words):
            found = self._find(vocab[w], rows) if w in vocab and len(rows) else None
            if found is not None:
                out[i] = found[0]
        return out

    def _find(self, t: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """(which rows hold word id t, where each sits in the posting arrays), or None if no row does.

        Reads t's posting list (bm25s keeps it sorted by row) and looks the rows up in it, so
        the cost grows with the rows asked about, not with the corpus.
        """
        _, indices, indptr = self._postings()
        a, b = int(indptr[t]), int(indptr[t + 1])
        if a == b:
            return None
        docs = indices[a:b]
        rows = np.asarray(rows, dtype=indices.dtype)
        pos = np.minimum(np.searchsorted(docs, rows), len(docs) - 1)
        return docs[pos] == rows, a + pos

    def _postings(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(data, indices, indptr) as plain arrays: slicing a np.memmap costs ~40 us a call."""
        got = getattr(self, "_plain", None)
        if got is None:
            sc = self.retriever.scores
            got = self._plain = tuple(np.asarray(sc[k]) for k in ("data", "indices", "indptr"))
        return got

    @property
    def distinct_words(self) -> np.ndarray:
        """Distinct indexed words of every row (non-zeros of its column), computed once."""
        got = getattr(self, "_distinct", None)
        if got is None:
            got = np.bincount(np.asarray(self.retriever.scores["indices"]), minlength=self.size)
            self._distinct = got
        return got

    def save(self, path: Path) -> None:
        self.retriever.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path, *, mmap: bool = False) -> SparseIndex:
        bm25s = _import_bm25s()
        return cls(bm25s.BM25.load(str(path), mmap=mmap, show_progress=False, verbosity=0))
