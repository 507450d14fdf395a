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


_NAME = re.compile(r"[^\W_][\w’'.-]*[^\W_]|[^\W_]", re.UNICODE)
_QUESTION_WORDS = {
    "what", "who", "whom", "whose", "when", "where", "why", "how", "which", "is", "are", "was", "were",
    "did", "does", "do", "can", "could", "should", "would", "will", "has", "have", "had", "tell", "give",
    "list", "name", "explain", "describe", "show", "find", "according", "in", "on", "at", "the", "a", "an",
    "i", "please", "and", "or", "so", "if", "ok", "hi", "hello",
}


def _rrf(x: np.ndarray, k: int) -> np.ndarray:
    ranks = np.argsort(np.argsort(-x, kind="stable"), kind="stable")
    return 1.0 / (k + ranks + 1)


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

    def _search_one(self, question: str, clean: str, qv: np.ndarray | None, k: int,
                    cfg: SearchConfig) -> Answer:
        data = self.data
        n = self.size
        c = min(cfg.candidates, n)
        use_dense = qv is not None
        use_sparse = cfg.mode != "dense" and bool(clean)
        q_words = tokenize([clean])[0] if clean else []
        bm = data.sparse.scores(clean) if use_sparse else None
        rows: dict[int, float] = {}
        if use_dense:
            d_scores, d_ids = data.dense.search(qv, c)
            for s, i in zip(d_scores, d_ids):
                rows[self._row_of_id[int(i)]] = float(s)
        if bm is not None and bm.max() > 0:
            top = np.argpartition(-bm, c - 1)[:c] if n > c else np.arange(n)
            for r in top:
                if bm[r] > 0 and int(r) not in rows:
                    rows[int(r)] = math.nan
        if not rows:
            return Answer(question, False, [])
        cand = np.fromiter(rows.keys(), dtype=np.int64)
        p_dense = np.fromiter(rows.values(), dtype=np.float32)
        if use_dense and np.isnan(p_dense).any():
            missing = np.isnan(p_dense)
            p_dense[missing] = data.dense.vectors(data.ids[cand[missing]]) @ qv
        p_dense = np.nan_to_num(p_dense)
        p_bm = bm[cand] if bm is not None else np.zeros(len(cand), np.float32)

        # sentences of the candidates, scored the same two ways
        offs = data.sentence_offsets
        spans = [(int(offs[r]), int(offs[r + 1])) for r in cand]
        s_rows = np.concatenate([np.arange(a, b) for a, b in spans]) if spans else np.zeros(0, np.int64)
        owner = np.concatenate([np.full(b - a, j) for j, (a, b) in enumerate(spans)]).astype(np.int64)
        s_dense = (np.asarray(data.sentence_vectors[s_rows]) @ qv) if use_dense and len(s_rows) \
            else np.zeros(len(s_rows), np.float32)
        s_bm = data.sentence_sparse.scores(clean)[s_rows] if use_sparse and len(s_rows) \
            else np.zeros(len(s_rows), np.float32)

        if cfg.mode == "dense":
            p_score, s_score = p_dense, s_dense
        elif cfg.mode == "bm25":
            p_score, s_score = _norm(p_bm), _norm(s_bm)
        elif cfg.fusion == "rrf":
            p_score = _rrf(p_dense, cfg.rrf_k) + _rrf(p_bm, cfg.rrf_k)
            s_score = _rrf(s_dense, cfg.rrf_k) + _rrf(s_bm, cfg.rrf_k)
        else:
            p_score = cfg.w_dense * _norm(p_dense) + (1 - cfg.w_dense) * _norm(p_bm)
            s_score = cfg.w_dense * _norm(s_dense) + (1 - cfg.w_dense) * _norm(s_bm)
        best_s = np.full(len(cand), -np.inf, np.float32)
        np.maximum.at(best_s, owner, s_score)
        best_s[np.isinf(best_s)] = 0.0
        fused = (1 - cfg.sentence_mix) * p_score + cfg.sentence_mix * best_s
        order = np.argsort(-fused, kind="stable")

        hits: list[Hit] = []
        seen_text: set[str] = set()
        taken: list[tuple[str, int, int]] = []
        for j in order:
            r = int(cand[j])
            p = data.passages[r]
            key = " ".join(p.text.lower().split())
            if key in seen_text or any(d == p.doc_id and p.start < e and s < p.end for d, s, e in taken):
                continue  # the same text from another file, or an overlapping window
            seen_text.add(key)
            taken.append((p.doc_id, p.start, p.end))
            mine = owner == j
            hl = int(np.argmax(s_score[mine])) if mine.any() else 0
            meta = self._docs.get(p.doc_id, {})
            hits.append(Hit(
                rank=len(hits) + 1, score=round(float(fused[j]), 6), passage_id=p.passage_id,
                doc_id=p.doc_id, title=meta.get("title", p.doc_id), paragraphs=list(p.paragraphs),
                text=p.text, highlight=p.sentences[hl] if p.sentences else p.text,
                citation=make_citation(meta, p.paragraphs, p.doc_id, len(hits) + 1), highlight_index=hl,
                dense=round(float(p_dense[j]), 4), bm25=round(float(p_bm[j]), 4),
            ))
            if len(hits) >= k:
                break
        top = int(order[0])
        top_sent = float(s_dense[owner == top].max()) if use_dense and (owner == top).any() else 0.0
        answered = self._answerable(clean, q_words, top_sent, float(p_dense[top]), int(cand[top]), cfg) \
            if use_dense else float(p_bm[top]) > 0
        return Answer(question, answered, hits if answered else [], abstained_hits=[] if answered else hits)

    def _answerable(self, clean: str, q_words: list[str], best_sentence: float, passage: float,
                    row: int, cfg: SearchConfig) -> bool:
        """Abstain when the question names something the corpus never mentions, or is far from it."""
        if self._unknown_names(clean):
            return False
        dense = max(best_sentence, passage)
        if dense >= cfg.min_dense:
            return True
        if dense < cfg.min_dense_with_words or not q_words:
            return False
        p_words = set(tokenize([self.data.passages[row].text])[0])
        coverage = len(set(q_words) & p_words) / len(set(q_words))
        return coverage >= cfg.min_word_coverage

    def _unknown_names(self, clean: str) -> list[str]:
        """Names, acronyms and numbers in the question that appear nowhere in the corpus."""
        vocab = self.data.sparse.retriever.vocab_dict
        unknown = []
        for i, m in enumerate(_NAME.finditer(clean)):
            word = m.group(0)
            if i == 0 and word.lower() in _QUESTION_WORDS:
                continue
            if not (word[0].isupper() or word[0].isdigit()) or word.lower() in _QUESTION_WORDS:
                continue
            if i == 0 and m.start() == 0 and not (word.isupper() or word[0].isdigit()):
                continue  # sentence-initial capital says nothing
            word = re.sub(r"[’']s?$", "", word)
            stems = [st for st in tokenize([word])[0] if len(st) > 1]
            if stems and not all(st in vocab for st in stems):
                unknown.append(word)
        return unknown

    def with_config(self, **changes) -> SearchConfig:
        return replace(self.config, **changes)
