"""Questions that arrive together are searched together.

The search is CPU-bound and dominated by the encoder; one batched encoder call for 16 questions
costs little more than one call for a single question. A single worker drains whatever queued
up while the previous batch ran, so a quiet bot adds no delay and a busy one batches itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from retrieval.answer import Answer

log = logging.getLogger(__name__)


class BatchAsker:
    """`await asker.ask(q)` → (Answer, documents); the engine runs in worker threads."""

    def __init__(self, engine, k: int, *, max_batch: int = 16, workers: int = 1) -> None:
        self.engine, self.k, self.max_batch, self.workers = engine, k, max_batch, workers
        self._pending: list[tuple[str, asyncio.Future]] = []
        self._running = 0
        self._tasks: set[asyncio.Task] = set()  # the loop keeps only weak references to tasks
        self.batches = 0

    @property
    def busy(self) -> bool:
        """More questions wait than one batch takes: the bot is behind, and should spend its
        time on answers rather than on niceties such as typing indicators."""
        return len(self._pending) > self.max_batch

    async def ask(self, question: str) -> tuple[Answer, Mapping[str, Mapping]]:
        fut: asyncio.Future = asyncio.get_running_loop().create_future()
        self._pending.append((question, fut))
        if self._running < self.workers:
            self._running += 1
            task = asyncio.create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await fut

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch:]
                batch = [(q, f) for q, f in batch if not f.cancelled()]
                if not batch:
                    continue
                self.batches += 1
                try:
                    answers, docs = await asyncio.to_thread(self._search, [q for q, _ in batch])
                except Exception:  # one bad question must not fail its neighbours: ask one by one
                    log.warning("batched search failed; retrying the %d questions one by one", len(batch),
                                exc_info=True)
                    for q, f in batch:
                        try:
                            answer, docs = await asyncio.to_thread(self._search_one, q)
                        except Exception as exc:
                            if not f.done():
                                f.set_exception(exc)
                        else:
                            if not f.done():
                                f.set_result((answer, docs))
                    continue
                for (_, f), answer in zip(batch, answers):
                    if not f.done():
                        f.set_result((answer, docs))
        finally:
            self._running -= 1

    def _search(self, questions: list[str]) -> tuple[list[Answer], Mapping[str, Mapping]]:
        answers = self.engine.batch_ask(questions, self.k)
        return answers, self.engine.load().data.documents

    def _search_one(self, question: str) -> tuple[Answer, Mapping[str, Mapping]]:
        return self.engine.ask(question, self.k), self.engine.load().data.documents
