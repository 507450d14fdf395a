"""In-memory state the bot keeps between updates: answers behind buttons, rate limits, feedback."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from retrieval.answer import Hit


@dataclass
class Entry:
    """One answered question: all its hits, so buttons work without searching again."""

    question: str
    hits: list[Hit]
    answered: bool
    user_id: int | None
    page: int = 0
    created: float = field(default_factory=time.time)


class LRU:
    """A bounded mapping that forgets the least recently used key (the event loop is its only user)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._d: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        value = self._d.get(key)
        if value is not None:
            self._d.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        self._d[key] = value
        self._d.move_to_end(key)
        while len(self._d) > self.size:
            self._d.popitem(last=False)

    def __len__(self) -> int:
        return len(self._d)


class AnswerCache:
    """Answers keyed by a short random id: callback_data holds only the id (Telegram allows 64 bytes)."""

    def __init__(self, size: int = 2000) -> None:
        self.entries = LRU(size)
        self.last_by_user = LRU(size)

    def add(self, entry: Entry) -> str:
        key = secrets.token_urlsafe(6)
        while self.entries.get(key) is not None:
            key = secrets.token_urlsafe(6)
        self.entries.put(key, entry)
        if entry.user_id is not None:
            self.last_by_user.put(entry.user_id, key)
        return key

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def last(self, user_id: int) -> Entry | None:
        key = self.last_by_user.get(user_id)
        return self.entries.get(key) if key is not None else None

    def __len__(self) -> int:
        return len(self.entries)


class UserRateLimit:
    """At most `rate` questions per user in any `period` seconds (a sliding window)."""

    def __init__(self, rate: int = 20, period: float = 60.0, users: int = 10_000) -> None:
        self.rate, self.period = rate, period
        self._windows = LRU(users)

    def allow(self, user_id: int, now: float | None = None) -> bool:
        if self.rate <= 0:
            return True
        now = time.monotonic() if now is None else now
        window: deque[float] | None = self._windows.get(user_id)
        if window is None:
            window = deque()
            self._windows.put(user_id, window)
        while window and now - window[0] >= self.period:
            window.popleft()
        if len(window) >= self.rate:
            return False
        window.append(now)
        return True

    def retry_in(self, user_id: int, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        window = self._windows.get(user_id)
        return max(0.0, self.period - (now - window[0])) if window else 0.0


class FeedbackLog:
    """👍/👎 votes appended to a JSONL file; one write + fsync per line under a lock, so no torn lines.

    User ids are stored as a salted hash (the salt lives beside the file), so votes can be grouped
    per user without keeping who they are.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "feedback.jsonl"
        self._lock = threading.Lock()
        self._salt: bytes | None = None

    def _salt_bytes(self) -> bytes:
        if self._salt is None:
            salt_file = self.path.parent / ".feedback_salt"
            try:
                self._salt = salt_file.read_bytes()
            except FileNotFoundError:
                salt = secrets.token_bytes(16)
                fd = os.open(salt_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                try:
                    os.write(fd, salt)
                finally:
                    os.close(fd)
                self._salt = salt
        return self._salt

    def user_hash(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        return hashlib.sha256(self._salt_bytes() + str(user_id).encode()).hexdigest()[:16]

    def record(self, question: str, passage_ids: Sequence[str], vote: str, user_id: int | None,
               chat_type: str | None = None) -> None:
        """Blocking (fsync): call it from a thread."""
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            line = json.dumps({
                "ts": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "question": question, "passage_ids": list(passage_ids), "vote": vote,
                "user": self.user_hash(user_id), "chat_type": chat_type,
            }, ensure_ascii=False) + "\n"
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, line.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)


@dataclass
class Stats:
    """Counters for /stats."""

    started: float = field(default_factory=time.time)
    questions: int = 0
    answered: int = 0
    abstained: int = 0
    rate_limited: int = 0
    inline: int = 0
    votes_up: int = 0
    votes_down: int = 0
    errors: int = 0
    search_ms: deque = field(default_factory=lambda: deque(maxlen=1000))

    def summary(self) -> dict:
        ms = sorted(self.search_ms)
        p = (lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]) if ms else (lambda q: 0.0)
        return {"uptime_s": int(time.time() - self.started), "questions": self.questions,
                "answered": self.answered, "abstained": self.abstained, "rate_limited": self.rate_limited,
                "inline": self.inline, "votes_up": self.votes_up, "votes_down": self.votes_down,
                "errors": self.errors, "search_ms_p50": round(p(0.5), 1), "search_ms_p95": round(p(0.95), 1)}
