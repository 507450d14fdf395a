"""Settings from flags and environment variables, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Settings:
    """Where the corpus and the index live, and which model reads them."""

    seeds: Path
    vectors: Path
    model: str | None = None
    max_file_mb: float = 50.0
    quotes: bool = True  # who-said-what extraction at index time (spaCy: ~40% of build time)

    @classmethod
    def from_env(cls, seeds: str | None = None, vectors: str | None = None) -> Settings:
        return cls(
            seeds=Path(seeds or os.environ.get("QABOT_SEEDS") or "seeds"),
            vectors=Path(vectors or os.environ.get("QABOT_VECTORS") or "vectors"),
            model=os.environ.get("QABOT_MODEL") or None,
            max_file_mb=float(os.environ.get("QABOT_MAX_FILE_MB") or 50),
            quotes=os.environ.get("QABOT_QUOTES", "1") != "0",
        )

    @property
    def max_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
