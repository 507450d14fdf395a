"""Step 5: hybrid search: dense + BM25 candidates, fused, each hit with its best sentence.

Why this shape (measured with `qabot eval`, see the README's table):
- BM25 finds names, numbers and dates; dense vectors find paraphrases. Candidates come from
  both, and scores are fused after min-max normalisation over the candidate set.
- A passage's dense score mixes the passage vector with its best sentence's vector: a
  question usually matches one sentence, which a whole paragraph's vector dilutes.
- The highlight is the sentence with the best mix of dense similarity and query-word overlap.
- Abstention uses raw (unnormalised) evidence, since normalised scores always have a winner.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from .answer import Answer, Hit, make_citation
from .index import IndexData
from .sparse import tokenize


@dataclass(frozen=True)
class SearchConfig:
    """Knobs of the ranking, tuned on tests/data (see README)."""

    candidates: int = 40
    fusion: str = "weighted"  # "weighted" (min-max) or "rrf"
    w_dense: float = 0.5
    sentence_mix: float = 0.5  # dense = (1 - mix) * passage + mix * best sentence
    rrf_k: int = 60
    highlight_lexical: float = 0.35
    # abstain unless the best sentence is this close to the question...
    min_dense: float = 0.45
    # ... or it is fairly close and the question's rare words are found in the passage
    min_dense_with_words: float = 0.30
    min_word_coverage: float = 0.5
    mode: str = "hybrid"  # "hybrid", "dense" or "bm25"


_WORD = re.compile(r"\w+", re.UNICODE)


def _norm(x: np.ndarray) -> np.ndarray:
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-9:
        return np.ones_like(x) if hi > 0 else np.zeros_like(x)
    return (x - lo) / (hi - lo)


class Searcher:
    """Answers questions from a loaded index; thread-safe for concurrent readers."""

    def __init__(self, data: IndexData, encoder, config: SearchConfig | None = None) -> None:
        self.data = data
        self.encoder = encoder
        self.config = config or SearchConfig()
        self._row_of_id = data.row_of_id
        self._docs = data.documents
        self._sent_tokens: dict[int, list[set[str]]] = {}

    @property
    def size(self) -> int:
        return len(self.data.passages)

    def search(self, question: str, k: int = 3, *, config: SearchConfig | None = None) -> Answer:
        return self.batch_search([question], k, config=config)[0]

    def batch_search(self, questions: Sequence[str], k: int = 3, *,
                     config: SearchConfig | None = None) -> list[Answer]:
        """Answers for many questions; the questions are encoded in one batch."""
        cfg = config or self.config
        questions = [q if isinstance(q, str) else str(q) for q in questions]
        clean = [" ".join(q.split()) for q in questions]
        if self.size == 0:
            return [Answer(q, False, []) for q in questions]
        vecs = self.encoder.encode([c or " " for c in clean]) if cfg.mode != "bm25" else None
        out = []
        for i, q in enumerate(questions):
            qv = vecs[i] if vecs is not None else None
            out.append(self._search_one(q, clean[i], qv, k, cfg))
        return out

    # -- internals --

    def _sentence_tokens(self, row: int) -> list[set[str]]:
        toks = self._sent_tokens.get(row)
        if toks is None:
            toks = [set(t) for t in tokenize(self.data.passages[row].sentences)]
            if len(self._sent_tokens) < 200_000:
                self._sent_tokens[row] = toks
        return toks

    def _search_one(self, question: str, clean: str, qv: np.ndarray | None, k: int,
                    cfg: SearchConfig) -> Answer:
        data = self.data
        n = self.size
        c = min(cfg.candidates, n)
        q_words = set(tokenize([clean])[0]) if clean else set()
        bm = data.sparse.scores(clean) if (clean and cfg.mode != "dense") else np.zeros(n, np.float32)
        rows: dict[int, float] = {}
        if qv is not None:
            d_scores, d_ids = data.dense.search(qv, c)
            for s, i in zip(d_scores, d_ids):
                rows[self._row_of_id[int(i)]] = float(s)
        if cfg.mode != "dense" and bm.max() > 0:
            top = np.argpartition(-bm, min(c, n) - 1)[:c] if n > c else np.arange(n)
            for r in top:
                if bm[r] > 0 and int(r) not in rows:
                    rows[int(r)] = math.nan
        if not rows:
            return Answer(question, False, [])
        cand = np.fromiter(rows.keys(), dtype=np.int64)
        p_dense = np.fromiter(rows.values(), dtype=np.float32)
        sent_best = np.zeros(len(cand), np.float32)
        sent_scores: list[np.ndarray] = []
        if qv is not None:
            missing = np.isnan(p_dense)
            if missing.any():
                p_dense[missing] = data.dense.vectors(data.ids[cand[missing]]) @ qv
            for j, r in enumerate(cand):
                a, b = int(data.sentence_offsets[r]), int(data.sentence_offsets[r + 1])
                s = np.asarray(data.sentence_vectors[a:b]) @ qv if b > a else np.zeros(1, np.float32)
                sent_scores.append(s)
                sent_best[j] = float(s.max())
        else:
            p_dense = np.zeros(len(cand), np.float32)
            sent_scores = [np.zeros(len(data.passages[r].sentences) or 1, np.float32) for r in cand]
        dense = (1 - cfg.sentence_mix) * p_dense + cfg.sentence_mix * sent_best
        sparse = bm[cand]
        if cfg.mode == "dense":
            fused = dense
        elif cfg.mode == "bm25":
            fused = sparse.astype(np.float32)
        elif cfg.fusion == "rrf":
            rd = np.argsort(np.argsort(-dense))
            rs = np.argsort(np.argsort(-sparse))
            fused = 1 / (cfg.rrf_k + rd + 1) + 1 / (cfg.rrf_k + rs + 1)
        else:
            fused = cfg.w_dense * _norm(dense) + (1 - cfg.w_dense) * _norm(sparse)
        order = np.argsort(-fused, kind="stable")

        hits: list[Hit] = []
        seen_text: set[str] = set()
        spans: list[tuple[str, int, int]] = []
        for j in order:
            r = int(cand[j])
            p = data.passages[r]
            key = " ".join(p.text.lower().split())
            if key in seen_text or any(d == p.doc_id and p.start < e and s < p.end for d, s, e in spans):
                continue  # the same text from another file, or an overlapping window
            seen_text.add(key)
            spans.append((p.doc_id, p.start, p.end))
            hl = self._highlight(r, sent_scores[j], q_words, cfg)
            meta = self._docs.get(p.doc_id, {})
            hits.append(Hit(
                rank=len(hits) + 1, score=round(float(fused[j]), 6), passage_id=p.passage_id,
                doc_id=p.doc_id, title=meta.get("title", p.doc_id), paragraphs=list(p.paragraphs),
                text=p.text, highlight=p.sentences[hl] if p.sentences else p.text,
                citation=make_citation(meta, p.paragraphs, p.doc_id, len(hits) + 1), highlight_index=hl,
                dense=round(float(dense[j]), 4), bm25=round(float(sparse[j]), 4),
            ))
            if len(hits) >= k:
                break
        top = order[0]
        answered = self._answerable(float(sent_best[top]), float(p_dense[top]), q_words,
                                    int(cand[top]), cfg) if qv is not None else float(sparse[top]) > 0
        return Answer(question, answered, hits if answered else [], abstained_hits=[] if answered else hits)

    def _highlight(self, row: int, dense_scores: np.ndarray, q_words: set[str], cfg: SearchConfig) -> int:
        sents = self.data.passages[row].sentences
        if len(sents) <= 1:
            return 0
        toks = self._sentence_tokens(row)
        lex = np.array([len(q_words & t) / max(1, len(q_words)) for t in toks], np.float32)
        score = dense_scores[:len(sents)] + cfg.highlight_lexical * lex
        return int(np.argmax(score))

    def _answerable(self, best_sentence: float, passage: float, q_words: set[str], row: int,
                    cfg: SearchConfig) -> bool:
        dense = max(best_sentence, passage)
        if dense >= cfg.min_dense:
            return True
        if dense < cfg.min_dense_with_words or not q_words:
            return False
        p_words = set(tokenize([self.data.passages[row].text])[0])
        coverage = len(q_words & p_words) / len(q_words)
        return coverage >= cfg.min_word_coverage

    def with_config(self, **changes) -> SearchConfig:
        return replace(self.config, **changes)
