"""Truecasing (truecase.py): a question typed in lower case is read with the corpus's capitals,
so the steps that read names from capitals answer it as they answer the capitalised one."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.config import Settings
from retrieval.engine import Engine
from retrieval.truecase import casing_table, truecase

SENTENCES = [
    "Michel met Aliyev in Brussels.",
    "The talks, Michel said, went well.",
    "Officials said the ICJ ruled on Russia’s request.",
    "Brussels is where the talks took place.",  # first word: says nothing of its case
    "They spoke of the court and of Michel's court.",
]


def test_the_table_holds_the_names_the_corpus_capitalises_mid_sentence():
    table = casing_table(SENTENCES)
    assert table["michel"] == "Michel" and table["icj"] == "ICJ"
    assert table["russia"] == "Russia"  # from "Russia’s"
    assert "the" not in table and "talks" not in table and "court" not in table
    assert "officials" not in table  # capitalised only where a sentence starts


def test_a_sentence_start_is_read_back_over_space_only():
    """`starts_sentence` says what the pattern "(^|[.!?:;]\\s+|[“\"(\\[—–-]\\s*)$" says of the
    text before the word, without reading all of it (every string of up to six of these
    characters, at every position)."""
    import itertools
    import re

    from retrieval.truecase import starts_sentence

    before = re.compile(r"(?:^|[.!?:;]\s+|[“\"(\[—–-]\s*)$")
    for n in range(7):
        for chars in itertools.product("a .(-\n", repeat=n):
            text = "".join(chars)
            for at in range(n + 1):
                assert starts_sentence(text, at) == bool(before.search(text[:at])), (text, at)


def test_only_words_typed_in_lower_case_change():
    table = casing_table(SENTENCES)
    assert truecase("what did michel tell the icj about russia’s plan?", table) == \
        "what did Michel tell the ICJ about Russia’s plan?"
    assert truecase("What did MICHEL say in Paris?", table) == "What did MICHEL say in Paris?"
    assert truecase("who is zelensky?", table) == "who is zelensky?"  # unknown: kept as typed
    assert truecase("michel’s talks and the russia' case", table) == "Michel’s talks and the Russia' case"
    assert truecase("anything", {}) == "anything"


@pytest.fixture(scope="module")
def engine(seeds_dir: Path, vectors_dir: Path) -> Engine:
    e = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir))
    e.load()
    return e


# each answered wrongly in lower case when names were read from the reader's capitals alone
@pytest.mark.parametrize("question", [
    "What post does Charles Michel hold?",  # the office asked about: "Charles Michel" is a name
    "What did Michel urge the two leaders to do?",  # the speaker of a who-said-what question
    "Did Baku back up its claims about the peacekeepers with any evidence?",
])
def test_a_lower_case_question_is_answered_as_the_capitalised_one(engine, question):
    upper, lower = engine.batch_ask([question, question.lower()])
    assert upper.answered and lower.answered
    assert lower.kind == upper.kind
    assert [h.passage_id for h in lower.hits] == [h.passage_id for h in upper.hits]
    assert lower.hits[0].highlight == upper.hits[0].highlight
    assert lower.question == question.lower()  # the reader's question is reported as typed
