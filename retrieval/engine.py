"""The one front-end the CLI and the bot use: index, load, ask.

It hides which backends answer (dense + BM25 passages, or the quote index for questions
about who said what) behind `ask` / `batch_ask`, and builds a missing index on first use.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import replace

from .answer import Answer, Hit, make_citation
from .config import Settings
from .index import IndexMissing, UpdateReport, load_index, query_encoder_folder, update_index
from .sparse import stem_words

log = logging.getLogger(__name__)

_GENERIC_VERBS = {"say", "said", "says", "tell", "told", "think", "thinks", "thought", "state", "stated"}
_WORDS = re.compile(r"[^\W_]+")


def _lead_with(first: Hit, fallback: Answer, k: int) -> list[Hit]:
    """`first`, then the search's hits for the question (without first's passage), renumbered."""
    rest = [h for h in (fallback.hits or fallback.abstained_hits) if h.passage_id != first.passage_id]
    hits = [first] + rest[:k - 1]
    for n, h in enumerate(hits, 1):
        h.rank = n
        h.citation = re.sub(r"^\[\d+\]", f"[{n}]", h.citation)
    return hits


class Engine:
    """Question answering over the corpus in `settings.seeds`, indexed in `settings.vectors`."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._encoder = None
        self._searcher = None
        self._quotes = None
        self._spans: dict | None = None
        self._lock = threading.Lock()

    # -- building --

    @property
    def encoder(self):
        if self._encoder is None:
            from .embeddings import Encoder

            self._encoder = Encoder(self.settings.model)
        return self._encoder

    def index(self, *, rebuild: bool = False) -> UpdateReport:
        """Bring the index up to date; a loaded searcher is swapped for the new one."""
        report = update_index(self.settings.seeds, self.settings.vectors, encoder=self.encoder,
                              rebuild=rebuild, max_bytes=self.settings.max_bytes,
                              extract_quotes=self.settings.quotes)
        if report.touched or report.rebuilt:
            with self._lock:
                self._searcher = None
                self._quotes = None
                self._spans = None
        return report

    # -- loading --

    def load(self, *, build_missing: bool = True):
        """The searcher, loaded once; builds the index first if there is none."""
        if self._searcher is not None:
            return self._searcher
        with self._lock:
            if self._searcher is None:
                from .search import Searcher

                try:
                    data = load_index(self.settings.vectors, model_name=self.encoder.name, mmap=True)
                except IndexMissing:
                    if not build_missing:
                        raise
                    log.warning("no index in %s yet: building it from %s", self.settings.vectors,
                                self.settings.seeds)
                    report = update_index(self.settings.seeds, self.settings.vectors, encoder=self.encoder,
                                          max_bytes=self.settings.max_bytes,
                                          extract_quotes=self.settings.quotes)
                    log.info("index built: %s", report.summary())
                    data = load_index(self.settings.vectors, model_name=self.encoder.name, mmap=True)
                self._searcher = Searcher(data, self._query_encoder(data.manifest))
        return self._searcher

    def _query_encoder(self, manifest: dict):
        """The ONNX export recorded in the manifest (fast start, same vectors), else the model."""
        rec = manifest.get("query_encoder")
        if rec and os.environ.get("QABOT_QUERY_ENCODER", "onnx") == "onnx":
            folder = query_encoder_folder(self.settings.vectors, rec)
            if folder is not None:
                from .onnx_encoder import OnnxEncoder

                return OnnxEncoder(folder)
            log.warning("ONNX query encoder in %s is missing or damaged; using sentence-transformers "
                        "(qabot index --rebuild restores it)", self.settings.vectors)
        return self.encoder

    @property
    def quotes(self):
        """The quote index (who said what), or None when it was not built."""
        if self._quotes is None:
            from .index import read_manifest

            manifest = read_manifest(self.settings.vectors)  # lookups need no model or FAISS
            if manifest is None:
                manifest = self.load().data.manifest
            files = manifest.get("files", {})
            if "quotes" not in files:
                return None
            from .quotes import QuoteIndex

            self._quotes = QuoteIndex.load(self.settings.vectors / files["quotes"]["name"])
        return self._quotes

    # -- asking --

    def ask(self, question: str, k: int = 3) -> Answer:
        return self.batch_ask([question], k)[0]

    def batch_ask(self, questions: Sequence[str], k: int = 3, *, mode: str | None = None) -> list[Answer]:
        """Answers in question order; questions about who said what go to the quote index."""
        searcher = self.load()
        questions = [q if isinstance(q, str) else str(q) for q in questions]
        config = replace(searcher.config, mode=mode) if mode else None
        from .search import clean_question

        cleaned = [clean_question(q) for q in questions]
        vecs = searcher.encode_questions(cleaned, config)  # once: the quote answers reuse them
        answers = searcher.batch_search(questions, k, config=config, vectors=vecs)
        if (mode or searcher.config.mode) != "hybrid":
            return answers
        quotes = self.quotes
        if quotes is None:
            return answers
        from .quotes import parse_role_question, parse_speech_question

        for i, q in enumerate(questions):
            clean = cleaned[i]
            qv = vecs[i] if vecs is not None else None
            sq = parse_speech_question(clean)
            role = parse_role_question(clean) if sq is None else None
            # a question about something the corpus never names keeps its abstention
            if (sq is None and role is None) or searcher.unknown_names(clean):
                continue
            ans = self._quote_answer(clean, sq, k, quotes, answers[i], qv) if sq is not None \
                else self._role_answer(clean, role, k, quotes, answers[i], qv)
            if ans is not None:
                ans.question, ans.notice = q, answers[i].notice
                answers[i] = ans
        return answers

    def _role_answer(self, question: str, person: str, k: int, quotes, fallback: Answer,
                     qv=None) -> Answer | None:
        """For "What post does Michel hold?": the sentence that names the person by their office
        ("..., added the president of the European Council") first, then the passages search
        found. None (the search's answer stands) when no quote names them so."""
        found = quotes.by_description(person)
        if not found:
            return None
        first = self._quote_hits(question, found, 1, verbs=set(), qv=qv)
        if not first:
            return None
        return Answer(question, True, _lead_with(first[0], fallback, k))

    def _quote_answer(self, question: str, sq, k: int, quotes, fallback: Answer,
                      qv=None) -> Answer | None:
        """The quotes that answer a speech question, as passages with the quote's sentence
        highlighted (see `_quote_hits`); None when no quote fits."""
        found = quotes.answer(sq, k=max(10, k * 3))
        if not found:
            return None
        # a specific verb in the question ("urge", "call on", "blame") should be the quote's verb
        # or its kin ("push ... to" is met by "urged")
        from .quotes import speech_verbs

        verbs = set(stem_words(sorted(speech_verbs(sq.verb, question)))) \
            if sq.verb and sq.verb not in _GENERIC_VERBS else set()
        hits = self._quote_hits(question, found, k, verbs, qv=qv)
        if hits and sq.speaker is None:  # matched by topic alone: its best quote, then the search's
            hits = _lead_with(hits[0], fallback, k)
        return Answer(question, True, hits, kind="quotes") if hits else None

    def _quote_hits(self, question: str, found: list[dict], k: int, verbs: set[str],
                    qv=None) -> list[Hit]:
        """Quote records as hits: one per passage, the quote's sentence highlighted, ranked as the
        search ranks those sentences for the question (`qv`, its vector, if already encoded),
        a quote with the question's verb or its kin (`verbs`, stems) one standard unit higher.
        (The quote index's topic overlap and the sentence's bare dense and BM25 scores ranked
        them before: 62 of 72 speech questions highlighted the evidence, against 66 now.)"""
        import numpy as np

        searcher = self.load()
        data = searcher.data
        if qv is None:
            qv = searcher.encoder.encode([question])[0]
        located = []
        for rank, rec in enumerate(found):
            loc = self._locate(rec["doc_id"], int(rec.get("start", 0)))
            if loc is not None:
                located.append((rank, rec, *loc))
        if not located:
            return []
        rows = np.array([int(data.sentence_offsets[row]) + sent for _, _, row, sent in located])
        # the search's own ranking of these sentences, in standard units; a quote in a sentence
        # it never considered comes after those it did, in the quote index's order
        learned = searcher.sentence_scores_of(question, qv, rows)
        if np.isfinite(learned).any():
            learned = np.where(np.isfinite(learned), learned, np.nanmin(learned) - 1.0)
            spread = float(learned.std())
            learned = (learned - learned.mean()) / spread if spread > 0 else np.zeros_like(learned)
        else:
            learned = np.zeros(len(rows))
        scored = []
        for (rank, rec, row, sent), z in zip(located, learned):
            words = set(stem_words(_WORDS.findall(data.passages[row].sentences[sent].lower())))
            scored.append((float(z) + float(bool(verbs & words)), -rank, row, sent, rec))
        scored.sort(key=lambda x: (-x[0], -x[1]))
        hits: list[Hit] = []
        seen: set[int] = set()
        for score, _, row, sent, rec in scored:
            if row in seen:  # one hit per passage: its best-matching quote is highlighted
                continue
            seen.add(row)
            p = data.passages[row]
            meta = data.documents.get(p.doc_id, {})
            n = len(hits) + 1
            hits.append(Hit(
                rank=n, score=round(score, 6), passage_id=p.passage_id, doc_id=p.doc_id,
                title=meta.get("title", p.doc_id), paragraphs=list(p.paragraphs), text=p.text,
                highlight=p.sentences[sent], citation=make_citation(meta, p.paragraphs, p.doc_id, n),
                highlight_index=sent,
                extra={"speaker": rec["speaker"], "speaker_as_written": rec.get("speaker_as_written", ""),
                       "quote": rec["quote"], "kind": rec.get("kind", ""),
                       "confidence": rec.get("confidence", 0.0)},
            ))
            if len(hits) >= k:
                break
        return hits

    def _locate(self, doc_id: str, offset: int) -> tuple[int, int] | None:
        """(passage row, sentence index) holding a character offset of a document."""
        if self._spans is None:
            spans: dict[str, list[tuple[int, int, int]]] = {}
            for r, p in enumerate(self.load().data.passages):
                spans.setdefault(p.doc_id, []).append((p.start, p.end, r))
            self._spans = spans
        for start, end, row in self._spans.get(doc_id, []):
            if start <= offset < end:
                p = self.load().data.passages[row]
                rel = offset - start
                for j, (_a, b) in enumerate(p.sentence_spans):
                    if rel < b:
                        return row, j
                return row, max(0, len(p.sentence_spans) - 1)
        return None

    def info(self) -> dict:
        searcher = self.load()
        m = searcher.data.manifest
        vec = self.settings.vectors
        size = sum(p.stat().st_size for p in vec.rglob("*") if p.is_file())
        return {
            "vectors": str(vec),
            "seeds": str(self.settings.seeds),
            "documents": [{"doc_id": k, "title": v.get("title"), "path": v.get("path"),
                           "passages": v.get("passages")} for k, v in m["documents"].items()],
            "document_count": m["document_count"],
            "passage_count": m["passage_count"],
            "sentence_count": m.get("sentence_count"),
            "quote_count": m.get("quote_count"),
            "quotes_pending": list(m.get("quotes_pending", [])),
            "model": m["model"],
            "faiss_index": fi if isinstance(fi := m.get("faiss_index"), dict) else {"type": fi},
            "index_bytes": size,
            "built_at": m["built_at"],
            "skipped": [v["path"] for v in m.get("skipped", {}).values()],
        }
