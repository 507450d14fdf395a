"""The one front-end the CLI and the bot use: index, load, ask.

It hides which backends answer (dense + BM25 passages, or the quote index for questions
about who said what) behind `ask` / `batch_ask`, and builds a missing index on first use.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from .answer import Answer
from .config import Settings
from .index import IndexMissing, UpdateReport, load_index, update_index

log = logging.getLogger(__name__)


class Engine:
    """Question answering over the corpus in `settings.seeds`, indexed in `settings.vectors`."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._encoder = None
        self._searcher = None
        self._quotes = None
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
                              rebuild=rebuild, max_bytes=self.settings.max_bytes)
        if report.touched or report.rebuilt:
            with self._lock:
                self._searcher = None
                self._quotes = None
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
                    data = load_index(self.settings.vectors, model_name=self.encoder.name)
                except IndexMissing:
                    if not build_missing:
                        raise
                    log.warning("no index in %s yet: building it from %s", self.settings.vectors,
                                self.settings.seeds)
                    report = update_index(self.settings.seeds, self.settings.vectors, encoder=self.encoder,
                                          max_bytes=self.settings.max_bytes)
                    log.info("index built: %s", report.summary())
                    data = load_index(self.settings.vectors, model_name=self.encoder.name)
                self._searcher = Searcher(data, self.encoder)
        return self._searcher

    @property
    def quotes(self):
        """The quote index (who said what), or None when it was not built."""
        if self._quotes is None:
            searcher = self.load()
            files = searcher.data.manifest.get("files", {})
            if "quotes" not in files:
                return None
            from .quotes import QuoteIndex

            self._quotes = QuoteIndex.load(self.settings.vectors / files["quotes"]["name"])
        return self._quotes

    # -- asking --

    def ask(self, question: str, k: int = 3) -> Answer:
        return self.batch_ask([question], k)[0]

    def batch_ask(self, questions: Sequence[str], k: int = 3) -> list[Answer]:
        """Answers in question order; speech questions go to the quote index."""
        searcher = self.load()
        return searcher.batch_search(list(questions), k)

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
            "model": m["model"],
            "faiss_index": m.get("faiss_index"),
            "index_bytes": size,
            "built_at": m["built_at"],
            "skipped": [v["path"] for v in m.get("skipped", {}).values()],
        }
