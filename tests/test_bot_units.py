"""Fast tests of the bot's pieces: rendering, state, token redaction, settings, the fake server's checks."""

from __future__ import annotations

import io
import json
import logging
import threading

import pytest
from botapi import HTMLError, parse_html, u16
from conftest import TEST_TOKEN
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import render
from bot.config import BotConfig, ConfigError, read_token
from bot.redact import TokenFilter
from bot.state import LRU, AnswerCache, Entry, FeedbackLog, UserRateLimit
from retrieval.answer import Hit

DOCS = {"d1": {"title": "A <Title> & more", "authors": ["Ann O'Neil"], "url": "https://example.org/a?x=1&y=2",
               "path": "d1.txt"},
        "d2": {"title": "Plain", "authors": [], "url": "javascript:alert(1)", "path": "d2.txt"}}


def hit(text: str, highlight: str, rank: int = 1, doc: str = "d1", paragraphs=(3,)) -> Hit:
    return Hit(rank=rank, score=1.0, passage_id=f"{doc}#{rank}", doc_id=doc, title=DOCS[doc]["title"],
               paragraphs=list(paragraphs), text=text, highlight=highlight, citation=f"[{rank}] x")


def valid(part: str) -> str:
    plain = parse_html(part)
    assert 0 < u16(plain) <= 4096
    return plain


# --- rendering ------------------------------------------------------------------------------------

def test_answer_escapes_and_links():
    h = hit("Before <b>x</b> & after.\n\nThe sentence & <i>more</i>. Tail.", "The sentence & <i>more</i>.")
    [part] = render.answer_parts("Is 1 < 2 & 3 > 2?", [h], DOCS)
    valid(part)
    assert "<b>The sentence &amp; &lt;i&gt;more&lt;/i&gt;.</b>" in part
    assert "Is 1 &lt; 2 &amp; 3 &gt; 2?" in part
    assert '<a href="https://example.org/a?x=1&amp;y=2">A &lt;Title&gt; &amp; more</a>' in part
    assert "para. 3" in part


def test_non_http_urls_are_not_linked():
    h = hit("Text.", "Text.", doc="d2")
    [part] = render.answer_parts("q", [h], DOCS)
    assert "<a " not in part and "seeds/d2.txt" in part


def test_long_answers_split_at_paragraphs_with_valid_html():
    paras = [f"Paragraph {i} " + "word & <tag> " * 60 for i in range(30)]
    h = hit("\n\n".join(paras), paras[17].strip())
    parts = render.answer_parts("q", [h], DOCS)
    assert len(parts) > 1
    plains = [valid(p) for p in parts]
    assert "Sources" in plains[-1]
    assert sum("<b>" in p for p in parts) >= 2  # the rank and the highlight, each closed in its part


def test_one_huge_word_is_cut_safely():
    h = hit("&" * 9000, "&" * 10)
    parts = render.answer_parts("q", [h], DOCS)
    assert all(valid(p) for p in parts)
    assert sum(p.count("&amp;") for p in parts) == 9000 + 2  # the passage, the title, the url


@settings(max_examples=60, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6000),
       data=st.data())
def test_any_text_renders_to_valid_messages(text, data):
    if not text.strip():
        return
    i = data.draw(st.integers(0, len(text) - 1))
    j = data.draw(st.integers(i + 1, len(text)))
    h = hit(text, text[i:j])
    question = data.draw(st.text(max_size=300))
    parts = render.answer_parts(question, [h], DOCS) + render.abstain_parts(question, DOCS)
    parts += render.source_parts(h, text, DOCS["d1"])
    for p in parts:
        valid(p)
    valid(render.inline_text(h, DOCS["d1"]))
    joined = "".join(parse_html(p) for p in render.answer_parts(question, [h], DOCS))
    assert "".join(text.split()) in "".join(joined.split())


def test_html_to_plain_round_trip():
    assert render.html_to_plain("<b>a &lt; b</b> &amp; c") == "a < b & c"


def test_keyboard_callback_data_is_short():
    kb = render.answer_keyboard("abcdefgh", [7, 8, 9], True)
    datas = [b.callback_data for row in kb.inline_keyboard for b in row]
    assert all(len(d.encode()) < 64 for d in datas)


# --- state ----------------------------------------------------------------------------------------

def test_lru_and_answer_cache_forget_old_entries():
    lru = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    lru.get("a")
    lru.put("c", 3)
    assert lru.get("b") is None and lru.get("a") == 1
    cache = AnswerCache(3)
    keys = [cache.add(Entry(f"q{i}", [], True, user_id=i)) for i in range(5)]
    assert cache.get(keys[0]) is None and cache.get(keys[-1]).question == "q4"
    assert all(len(k) <= 12 for k in keys)
    assert cache.last(4).question == "q4" and cache.last(0) is None


def test_user_rate_limit_is_a_sliding_window():
    rl = UserRateLimit(rate=3, period=60)
    assert [rl.allow(1, now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert rl.allow(2, now=3)
    assert rl.retry_in(1, now=30) == pytest.approx(30)
    assert rl.allow(1, now=60.5)


def test_feedback_lines_are_whole_under_concurrency(tmp_path):
    fb = FeedbackLog(tmp_path)
    q = "long question " * 500

    def worker(n: int) -> None:
        for i in range(20):
            fb.record(q, [f"p{n}-{i}"], "up" if i % 2 else "down", user_id=n)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rows = [json.loads(line) for line in fb.path.read_text().splitlines()]
    assert len(rows) == 160
    assert {r["user"] for r in rows} == {fb.user_hash(n) for n in range(8)}
    assert all(r["user"] != str(n) for r in rows for n in range(8))


# --- token redaction ------------------------------------------------------------------------------

def test_token_filter_masks_messages_args_and_tracebacks():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(TokenFilter(TEST_TOKEN))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("POST https://api.telegram.org/bot%s/getMe", TEST_TOKEN)
        logger.warning("url-encoded %s", TEST_TOKEN.replace(":", "%3A"))
        try:
            raise RuntimeError(f"failed: https://x/bot{TEST_TOKEN}/sendMessage")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert TEST_TOKEN not in out and TEST_TOKEN.replace(":", "%3A") not in out
    assert out.count("<token>") == 3


# --- settings -------------------------------------------------------------------------------------

def test_token_from_env_or_file(tmp_path):
    f = tmp_path / "token"
    f.write_text(TEST_TOKEN + "\n")
    assert read_token({"TELEGRAM_BOT_TOKEN_FILE": str(f)}) == TEST_TOKEN
    assert read_token({"TELEGRAM_BOT_TOKEN": TEST_TOKEN}) == TEST_TOKEN
    with pytest.raises(ConfigError, match="no Telegram token"):
        read_token({})
    with pytest.raises(ConfigError, match="cannot read"):
        read_token({"TELEGRAM_BOT_TOKEN_FILE": str(tmp_path / "missing")})
    with pytest.raises(ConfigError, match="does not look like"):
        read_token({"TELEGRAM_BOT_TOKEN": '"123:abc"'})


def test_config_from_env():
    cfg = BotConfig.from_env({"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
                              "QABOT_ADMIN_IDS": "1, 2", "QABOT_USER_RATE": "5"})
    assert cfg.base_file_url == "http://127.0.0.1:9/file/bot"
    assert cfg.admin_ids == {1, 2} and cfg.user_rate == 5
    assert TEST_TOKEN not in repr(cfg)
    with pytest.raises(ConfigError):
        BotConfig.from_env({"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "QABOT_ADMIN_IDS": "alice"})


# --- the fake server's HTML check agrees with Telegram's rules -------------------------------------

@pytest.mark.parametrize("bad", ["<script>x</script>", "<b>open", "a & b", "1 < 2", "<b><i>x</b></i>",
                                 "&nbsp;", "<span>x</span>", "<code><b>x</b></code>", "2 > 1"])
def test_fake_server_rejects_invalid_html(bad):
    with pytest.raises(HTMLError):
        parse_html(bad)


def test_fake_server_accepts_valid_html():
    text = ('<b>b</b><strong>s</strong><i>i</i><a href="https://x.org/?a=1&amp;b=2">l</a>'
            '<span class="tg-spoiler">s</span><pre><code>c</code></pre> &lt;&gt;&amp;&quot;&#39;&#x41;')
    assert parse_html(text).endswith(" <>&\"'A")


# --- the allow-list gate, on real PTB updates ----------------------------------------------------

def test_allowed_chats_gate():
    import asyncio
    from types import SimpleNamespace

    from telegram import Update
    from telegram.ext import ApplicationHandlerStop

    from bot.handlers import gate

    def update(chat_id: int) -> Update:
        return Update.de_json({"update_id": 1, "message": {
            "message_id": 1, "date": 0, "text": "hi", "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "U"}}}, None)

    cfg = BotConfig(token=TEST_TOKEN, allowed_chats=frozenset({1}))
    ctx = SimpleNamespace(bot_data={"config": cfg})
    asyncio.run(gate(update(1), ctx))
    with pytest.raises(ApplicationHandlerStop):
        asyncio.run(gate(update(2), ctx))
    open_ctx = SimpleNamespace(bot_data={"config": BotConfig(token=TEST_TOKEN)})
    asyncio.run(gate(update(2), open_ctx))


def test_typing_is_shown_only_for_an_answer_slower_than_the_delay(botapi, new_id):
    """The real PTB Bot against the fake server: a typing indicator cancelled before its delay
    (a fast answer) is never sent; one whose delay passes is."""
    import asyncio
    from types import SimpleNamespace

    from telegram import Bot

    from bot.handlers import _typing

    fast, slow = new_id(), new_id()
    for chat in (fast, slow):
        botapi.build_message(chat, "a question")  # the chat exists; nothing is delivered

    async def scenario() -> None:
        async with Bot(TEST_TOKEN, base_url=botapi.base_url) as tg:
            ctx = SimpleNamespace(bot=tg)  # _typing reads only context.bot
            quick = asyncio.create_task(_typing(ctx, fast, delay=0.5))
            late = asyncio.create_task(_typing(ctx, slow, delay=0.05))
            await asyncio.sleep(0.02)
            quick.cancel()  # the answer was ready first
            await asyncio.wait_for(late, 10)
            await asyncio.sleep(0.6)

    asyncio.run(scenario())
    assert botapi.sent("sendChatAction", chat_id=fast) == []
    assert [c.params["action"] for c in botapi.sent("sendChatAction", chat_id=slow)] == ["typing"]
