"""Access: /reindex is for admins only, QABOT_ALLOWED_CHATS keeps other chats out, the token never
reaches logs, errors or the feedback file, questions are logged only with QABOT_LOG_QUESTIONS=1,
and an admin's /reindex swaps the index while questions keep being answered.

Each bot here has its own fake Bot API server (127.0.0.1) and its own copy of seeds and index."""

from __future__ import annotations

import itertools
import json
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from botapi import FakeBotAPI, parse_html, plain_of
from conftest import ADMIN_ID, TEST_TOKEN, start_bot
from fixtures_core import STORY

pytestmark = pytest.mark.slow

ALLOWED = 555_000_101
ALLOWED_2 = 555_000_102
STRANGER = 555_000_999
GROUP_ALLOWED = -555_000_200
MARKER = "Qzx7Marker"  # in questions that must never be logged
_ids = itertools.count(555_100_000)


def buttons(call) -> dict[str, str]:
    markup = call.params.get("reply_markup") or {}
    return {b["text"]: b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row}


@pytest.fixture(scope="module")
def env_copy(tmp_path_factory, seeds_dir, vectors_dir) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("access")
    shutil.copytree(seeds_dir, root / "seeds")
    shutil.copytree(vectors_dir, root / "vectors")
    return root, root / "seeds", root / "vectors"


@pytest.fixture(scope="module")
def server():
    s = FakeBotAPI(TEST_TOKEN).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def access_bot(server, env_copy):
    root, seeds, vectors = env_copy
    allowed = ",".join(str(i) for i in (ALLOWED, ALLOWED_2, ADMIN_ID, GROUP_ALLOWED))
    bp = start_bot(server, root / "bot", vectors, seeds,
                   env={"QABOT_ALLOWED_CHATS": allowed, "QABOT_LOG_HTTP": "1", "QABOT_USER_RATE": "1000"})
    yield bp
    bp.stop()


def generation(vectors: Path) -> str:
    return json.loads((vectors / "manifest.json").read_text())["generation"]


def test_non_admin_reindex_is_refused_and_does_nothing(access_bot, server, env_copy):
    _, seeds, vectors = env_copy
    (seeds / "penguins.txt").write_text(STORY, encoding="utf-8")  # a pending change a re-index would pick up
    gen = generation(vectors)
    msg = server.message(ALLOWED, "/reindex")
    reply = server.wait_for(lambda: server.sent(chat_id=ALLOWED))[0]
    parse_html(reply.params["text"])
    assert "only the bot's administrators" in plain_of(reply)
    assert msg["message_id"]
    time.sleep(2.0)
    assert generation(vectors) == gen
    assert len(server.sent(chat_id=ALLOWED)) == 1
    assert "Index updated" not in access_bot.logs()
    q = server.message(ALLOWED, "How many penguins were counted at the harbour in Fooberg?")
    assert "seventeen" not in plain_of(server.wait_reply(q))


def test_stranger_gets_no_answer(access_bot, server):
    start = len(server.calls)
    server.message(STRANGER, "How big is Armenia?")
    server.message(-555_000_201, "@qabot_test_bot How big is Armenia?", chat_type="group", user_id=STRANGER)
    server.message(STRANGER, "/reindex")
    qid = server.inline("How big is Armenia?", user_id=STRANGER)
    inline = server.wait_for(lambda: [c for c in server.calls[start:] if c.method == "answerInlineQuery"
                                      and c.params.get("inline_query_id") == qid])[0]
    assert inline.params["results"] == []
    # an allowed chat still gets its answer, so the bot did read the stranger's updates first
    ok = server.message(ALLOWED_2, "How big is Armenia?")
    assert "29,800" in plain_of(server.wait_reply(ok))
    time.sleep(1.0)
    to_strangers = [c for c in server.calls[start:] if c.method == "sendMessage"
                    and c.chat_id in (STRANGER, -555_000_201)]
    assert not any("Sources" in plain_of(c) or "29,800" in plain_of(c) for c in to_strangers)
    assert len(to_strangers) <= 2  # at most a polite refusal each


def test_stranger_button_press_is_refused(access_bot, server):
    msg = server.message(ALLOWED, "How big is Armenia?")
    reply = server.wait_reply(msg)
    # the same message, forwarded into a stranger's hands: a callback from a chat not allowed
    server.messages[(STRANGER, reply.result["message_id"])] = {**server.messages[(ALLOWED, reply.result[
        "message_id"])], "chat": server.chat(STRANGER)}
    qid = server.callback(STRANGER, reply.result["message_id"], buttons(reply)["👍"], user_id=STRANGER)
    ack = server.wait_for(lambda: [c for c in server.sent("answerCallbackQuery")
                                   if c.params["callback_query_id"] == qid])[0]
    assert "not available" in ack.params.get("text", "")


def test_questions_are_not_logged_and_errors_do_not_leak_them(access_bot, server):
    for q in (f"How big is Armenia {MARKER}?", f"Who is {MARKER} \ud800 Badalyan?", f"{MARKER} " * 300):
        reply = server.wait_reply(server.message(ALLOWED, q), 30)
        assert reply
    time.sleep(0.5)
    logs = access_bot.logs()
    assert "answered" in logs or "abstained" in logs  # the bot does log its answers
    assert MARKER not in logs, [line for line in logs.splitlines() if MARKER in line][:3]


def test_lone_surrogate_question_gets_an_answer_not_an_apology(access_bot, server):
    """JSON allows "\\ud800"; the engine's tokenizer rejects it (see test_hostile_input)."""
    reply = server.wait_reply(server.message(ALLOWED, "How big \ud800 is Armenia?"), 30)
    parse_html(reply.params["text"])
    assert "something went wrong" not in plain_of(reply)


def test_admin_reindex_while_questions_keep_flowing(access_bot, server, env_copy):
    _, seeds, vectors = env_copy
    if not (seeds / "penguins.txt").exists():
        (seeds / "penguins.txt").write_text(STORY, encoding="utf-8")
    gen = generation(vectors)
    start = len(server.calls)
    server.message(ADMIN_ID, "/reindex")
    asked = []
    t0 = time.monotonic()
    done = []
    while time.monotonic() - t0 < 120 and not done:
        asked.append(server.message(ALLOWED if len(asked) % 2 else ALLOWED_2, "How big is Armenia?"))
        time.sleep(0.25)
        done = [c for c in server.calls[start:] if c.method == "sendMessage" and c.chat_id == ADMIN_ID
                and "Index updated" in plain_of(c)]
    assert done, f"the re-index did not finish:\n{access_bot.logs()[-2000:]}"
    assert generation(vectors) != gen
    for m in asked:
        r = server.wait_reply(m, 30)
        assert "29,800" in plain_of(r)
        assert len(server.replies_to(m["chat"]["id"], m["message_id"])) == 1
    assert len(asked) >= 4, "questions kept flowing during the re-index"
    q = server.message(ALLOWED_2, "How many penguins were counted at the harbour in Fooberg?")
    assert "seventeen penguins" in plain_of(server.wait_reply(q, 30))


def test_token_never_in_logs_errors_or_feedback(access_bot, server):
    # errors on the way: a flaky API (502s are logged with the failing request) and a vote
    server.set_faults(bad_gateway_every=2, server_error_every=3,
                      methods=("sendMessage", "answerCallbackQuery"))
    try:
        msg = server.message(ALLOWED, "How big is Armenia?")
        reply = server.wait_reply(msg, 30)
        # the second answer is the second sendMessage since the faults were set: a 502, retried
        server.wait_reply(server.message(ALLOWED, "Who is Ani Badalyan?"), 30)
        qid = server.callback(ALLOWED, reply.result["message_id"], buttons(reply)["👍"])
        server.wait_for(lambda: [c for c in server.sent("answerCallbackQuery")
                                 if c.params["callback_query_id"] == qid], 30)
    finally:
        server.set_faults()
    feedback = access_bot.data_dir / "feedback.jsonl"
    server.wait_for(lambda: feedback.exists(), 10)
    for line in feedback.read_text().splitlines():
        json.loads(line)
    access_bot.stop()
    texts = {"logs": access_bot.logs()}
    for p in access_bot.data_dir.rglob("*"):
        if p.is_file():
            texts[str(p)] = p.read_bytes().decode(errors="replace")
    secret = TEST_TOKEN.split(":", 1)[1]
    assert "retry" in texts["logs"].lower()  # the faults were logged...
    for name, text in texts.items():
        for s in (TEST_TOKEN, quote(TEST_TOKEN, safe=""), secret):
            assert s not in text, f"the token is in {name}"
    assert "Traceback" not in texts["logs"] or TEST_TOKEN not in texts["logs"]


def test_questions_are_logged_with_qabot_log_questions(tmp_path, env_copy):
    _, seeds, vectors = env_copy
    server = FakeBotAPI(TEST_TOKEN).start()
    try:
        bp = start_bot(server, tmp_path / "bot", vectors, seeds, env={"QABOT_LOG_QUESTIONS": "1"})
        try:
            chat = next(_ids)
            server.wait_reply(server.message(chat, f"How big is Armenia {MARKER}?"), 30)
            time.sleep(0.3)
        finally:
            bp.stop()
        assert MARKER in bp.logs()
        assert TEST_TOKEN not in bp.logs()
    finally:
        server.stop()
