"""Hostile questions: every one gets a clear answer or abstention, in valid Telegram HTML, and
nothing crashes. Engine level (`Engine.ask`, in process), render level (bot.render, in process)
and bot level (the real bot polling the fake Bot API server on 127.0.0.1)."""

from __future__ import annotations

import itertools
import re
import time

import pytest
from botapi import html_of, parse_html, plain_of, u16
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MAX_Q = 1000  # retrieval.search.MAX_QUESTION_CHARS / bot.handlers.MAX_QUESTION
CUT_NOTICE = re.compile(r"\bcut\b|shortened|truncated|first 1,?000", re.IGNORECASE)
_FOLD = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")

HOSTILE: dict[str, str] = {
    "empty": "",
    "whitespace": " \t\n\r\u00a0\u2003 \n",
    "long_100k": ("How big is Armenia? " * 5000)[:100_000],
    "long_100k_one_word": "A" * 100_000,
    "long_4096": ("Who is Ani Badalyan? " * 300)[:4096],
    "control_and_nul": "How\x00 big\x01 is\x07 Armenia\x1b[31m?\x7f\x9b\x00",
    "only_nul": "\x00" * 50,
    "rtl_arabic": "\u202eما هي مساحة أرمينيا؟\u202c",
    "rtl_hebrew_mixed": "\u200fמה גודלה של Armenia?\u200e \u2067abc\u2069",
    "emoji_only": "🇦🇲🤔💥👀🧨" * 3,
    "emoji_zwj": "👩‍👩‍👧‍👦" * 20,
    "html_injection": 'How big is <b>Armenia</b> & <script>alert("x")</script> &amp; '
                      '<a href="javascript:x">?',
    "html_unclosed": "<b><i><code><pre>Who is Ani Badalyan?",
    "html_entities": "&lt;b&gt; &#0; &#x110000; &bogus; &amp &",
    "tg_tags": '<tg-spoiler>x</tg-spoiler> <span class="tg-spoiler">y</span> <blockquote>z',
    "markdown_injection": "*bold* _it_ `code` ```pre``` [link](http://evil.example) ~~s~~ ||spoiler|| \\",
    "russian": "Какова площадь Армении? Кто такой Шарль Мишель?",
    "armenian": "Որքա՞ն է Հայաստանի տարածքը։ Ո՞վ է Անի Բադալյանը",
    "combining": "A" + "\u0301" * 500 + "rmenia?",
    "lone_surrogate": "How big \ud800 is Armenia?",
    "bidi_and_nul_long": ("\u202e\x00Armenia " * 400),
}


# routed to the quote index (who said what), and longer than the limit
LONG_QUOTE_Q = "What did Michel say about the territorial integrity of Armenia and Azerbaijan" + "!" * 1000


def normalized(q: str) -> str:
    return " ".join(_FOLD.sub(" ", q).split())


@pytest.fixture(scope="module")
def engine(seeds_dir, vectors_dir):
    from retrieval.config import Settings
    from retrieval.engine import Engine

    eng = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir))
    eng.load()
    eng.ask("warm up", 1)
    return eng


def check_answer(engine, q: str):
    from retrieval.answer import Answer

    t0 = time.perf_counter()
    ans = engine.ask(q, 3)
    took = time.perf_counter() - t0
    assert isinstance(ans, Answer)
    assert isinstance(ans.answered, bool)
    assert len(ans.hits) <= 3
    assert ans.answered == bool(ans.hits)
    if len(normalized(q)) > MAX_Q:
        assert ans.notice and CUT_NOTICE.search(ans.notice), f"overlong question not flagged: {ans.notice!r}"
    if len(q) <= MAX_Q:
        assert not ans.notice
    assert took < 5.0, f"one question took {took:.1f}s"
    return ans


def check_rendered(engine, q: str, ans) -> list[str]:
    """What the bot would send for this answer: valid HTML, every part under 4096."""
    from bot import render

    docs = engine.load().data.documents
    parts = (render.answer_parts(q, ans.hits, docs) if ans.answered
             else render.abstain_parts(q, docs))
    assert parts
    for part in parts:
        plain = parse_html(part)
        assert 0 < u16(plain.strip()) <= 4096
        assert "<script" not in part.lower()
    return parts


# --- engine level -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(HOSTILE))
def test_engine_survives_hostile_question(engine, name):
    q = HOSTILE[name]
    ans = check_answer(engine, q)
    check_rendered(engine, q, ans)


def test_engine_cut_notice_also_on_quote_answers(engine):
    """A who-said-what question longer than the limit is routed to the quote index: still flagged."""
    ans = engine.ask(LONG_QUOTE_Q)
    assert ans.answered
    assert ans.notice, f"kind={ans.kind}: the cut notice was lost"


def test_engine_batch_with_one_poisoned_question(engine):
    """One bad question in a batch must not cost its neighbours their answers."""
    qs = ["How big is Armenia?", HOSTILE["lone_surrogate"], HOSTILE["only_nul"], "Who is Ani Badalyan?"]
    answers = engine.batch_ask(qs, 3)
    assert [a.question for a in answers] == qs
    assert answers[0].answered and answers[3].answered


hostile_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x3000, exclude_categories=("Cs",)),
            max_size=2500),
    st.builds(lambda a, b, n: a + b * n, st.text(max_size=50),
              st.sampled_from(["<b>", "&", "\x00", " ", "Armenia ", "🤔", "\u202e", "ա", "ж"]),
              st.integers(0, 3000)),
    st.sampled_from(list(HOSTILE.values())).map(lambda s: s.replace("\ud800", "")),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q=hostile_text)
def test_property_engine_answers_or_abstains_with_valid_html(engine, q):
    ans = check_answer(engine, q)
    check_rendered(engine, q, ans)


# --- bot level ----------------------------------------------------------------------------------

_chat_ids = itertools.count(int(time.time()) % 10_000 * 1000 + 900_000_000)

# Telegram never delivers an empty text message; a lone surrogate crashes the engine (see
# test_engine_survives_hostile_question) and its traceback would fail test_bot_e2e's log sweep of the
# shared session bot, so the bot-level check of it lives in test_access (its own bot).
BOT_CASES = [k for k in HOSTILE if k not in ("empty", "lone_surrogate")]


def ask_bot(botapi, q: str, timeout: float = 30):
    chat = next(_chat_ids)
    msg = botapi.message(chat, q)
    reply = botapi.wait_reply(msg, timeout)
    return chat, msg, reply


def assert_valid_reply(reply) -> str:
    text = html_of(reply)
    assert reply.params.get("parse_mode") == "HTML", "fell back to plain text: our HTML was rejected"
    plain = parse_html(text)
    assert 0 < u16(plain.strip()) <= 4096
    return plain


@pytest.mark.slow
@pytest.mark.parametrize("name", BOT_CASES)
def test_bot_replies_to_hostile_question(bot, botapi, name):
    q = HOSTILE[name]
    chat, msg, reply = ask_bot(botapi, q)
    plain = assert_valid_reply(reply)
    assert bot.proc.poll() is None, "the bot died"
    if normalized(q):
        assert "Sorry, something went wrong" not in plain, f"{name}: the bot failed on it"
    if name.startswith("html") or name in ("tg_tags",):
        assert "<script" not in html_of(reply)
        assert plain_of(reply)  # the echo is escaped text, not markup
    time.sleep(0.3)
    assert len(botapi.replies_to(chat, msg["message_id"])) == 1


@pytest.mark.slow
@pytest.mark.parametrize("name", ["long_100k", "long_4096", "long_quote_question"])
def test_bot_tells_the_user_an_overlong_question_was_cut(bot, botapi, name):
    _, _, reply = ask_bot(botapi, HOSTILE.get(name, LONG_QUOTE_Q))
    plain = assert_valid_reply(reply)
    assert CUT_NOTICE.search(plain), f"no notice that the question was cut in: {plain[:300]!r}"


@pytest.mark.slow
def test_bot_html_injection_is_shown_as_text(bot, botapi):
    q = HOSTILE["html_injection"]
    _, _, reply = ask_bot(botapi, q)
    plain = assert_valid_reply(reply)
    assert q in plain  # shown literally, as the user typed it


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(q=st.text(min_size=1, max_size=600).filter(lambda s: s.strip() and not s.lstrip().startswith("/")))
def test_property_bot_replies_with_valid_html(bot, botapi, q):
    _, _, reply = ask_bot(botapi, q)
    assert_valid_reply(reply)
    assert bot.proc.poll() is None
