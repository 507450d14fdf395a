"""A person's office asked for ("What post does Michel hold?"), answered where the article names
them by it, which the quote index knows (engine.py, quotes.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.config import Settings
from retrieval.engine import Engine
from retrieval.quotes import parse_role_question


@pytest.fixture(scope="module")
def engine(seeds_dir: Path, vectors_dir: Path) -> Engine:
    e = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir))
    e.load()
    return e


@pytest.mark.parametrize(("question", "person"), [
    ("What is Charles Michel's official title?", "Charles Michel"),
    ("What post does Michel hold?", "Michel"),
    ("what position did the Armenian Prime Minister have?", None),  # no person named
    ("What is the title of the report?", None),
    ("What did Michel say?", None),
])
def test_role_questions_are_told_from_others(question, person):
    assert parse_role_question(question) == person


def test_an_office_named_only_by_description_is_found(engine):
    ans = engine.ask("What post does Charles Michel hold?", 3)
    assert ans.answered and ans.kind == "passages"
    assert "added the president of the European Council" in ans.hits[0].highlight
    assert [h.rank for h in ans.hits] == list(range(1, len(ans.hits) + 1))
    assert all(h.citation.startswith(f"[{h.rank}] ") for h in ans.hits)
    assert len({h.passage_id for h in ans.hits}) == len(ans.hits)


def test_the_description_must_not_be_the_name(engine):
    quotes = engine.quotes
    assert [q["speaker_as_written"] for q in quotes.by_description("Michel")] == \
        ["the president of the European Council"]
    assert quotes.by_description("Ani Badalyan") == []  # "the ministry spokeswoman, Ani Badalyan"


def test_without_such_a_description_search_answers(engine):
    ans = engine.ask("What position does Nikol Pashinyan hold?", 3)
    assert ans.answered and "Armenian Prime Minister Nikol Pashinyan" in ans.hits[0].highlight
