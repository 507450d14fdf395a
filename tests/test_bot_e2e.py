"""End to end: the real bot process (`qabot bot`) polling the fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import json
import re
import time

import pytest
from botapi import html_of, parse_html, plain_of, u16
from conftest import ADMIN_ID, TEST_TOKEN

pytestmark = pytest.mark.slow

TITLE = "Azerbaijan Rejects Russian Calls to Reopen Lachin Corridor"


def assert_valid(call) -> str:
    """Every message the bot sends is Telegram-valid HTML under 4096 characters."""
    text = html_of(call)
    assert call.params.get("parse_mode", "HTML") == "HTML" or "parse_mode" not in call.params
    plain = parse_html(text) if call.params.get("parse_mode") == "HTML" else text
    assert 0 < u16(plain.strip()) <= 4096
    return text


def assert_cited_answer(call) -> str:
    text = assert_valid(call)
    assert "<b>Sources</b>" in text and "[1] " in text and TITLE in text
    assert re.search(r"paras?\. \d", text)
    return text


def buttons(call) -> dict[str, str]:
    markup = call.params.get("reply_markup") or {}
    return {b["text"]: b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row}


def test_commands_registered_at_start(bot, botapi):
    cmds = {c["command"] for c in botapi.commands["default"]}
    assert {"ask", "source", "about", "help", "who", "quotes"} <= cmds
    assert "all_group_chats" in botapi.commands


def test_start_shows_two_examples(bot, botapi, new_id):
    chat = new_id()
    msg = botapi.message(chat, "/start")
    reply = botapi.wait_for(lambda: botapi.sent(chat_id=chat))[0]
    text = assert_valid(reply)
    assert msg["message_id"]
    assert len(plain_of(reply).strip().splitlines()) == 2
    examples = [d for d in buttons(reply).values() if d.startswith("x|")]
    assert len(examples) == 2
    # pressing an example asks it
    botapi.callback(chat, reply.result["message_id"], examples[0])
    answer = botapi.wait_for(lambda: botapi.replies_to(chat, reply.result["message_id"]), 20)[0]
    assert_cited_answer(answer)
    assert text


def test_start_deep_link_payload_is_a_question(bot, botapi, new_id):
    chat = new_id()
    msg = botapi.message(chat, "/start How_big-is_Armenia")
    reply = botapi.wait_reply(msg)
    text = assert_cited_answer(reply)
    assert "How big is Armenia" in text
    assert "29,800 square kilometers" in plain_of(reply)


def test_help_and_about(bot, botapi, new_id):
    chat = new_id()
    botapi.message(chat, "/help")
    help_reply = botapi.wait_for(lambda: botapi.sent(chat_id=chat))[0]
    assert "/source" in assert_valid(help_reply)
    botapi.message(chat, "/about")
    about = botapi.wait_for(lambda: botapi.sent(chat_id=chat)[1:])[0]
    text = assert_valid(about)
    assert TITLE in text and "passages" in text


@pytest.mark.parametrize("question,expect", [
    ("How big is Armenia?", "29,800 square kilometers"),
    ("Who is Ani Badalyan?", "Ani Badalyan"),
])
def test_private_question_answered_with_citation(bot, botapi, new_id, question, expect):
    chat = new_id()
    msg = botapi.message(chat, question)
    reply = botapi.wait_reply(msg)
    assert_cited_answer(reply)
    assert expect in plain_of(reply)
    assert "<b>" in html_of(reply)  # the highlight sentence
    actions = botapi.sent("sendChatAction", chat_id=chat)
    assert all(a.params["action"] == "typing" for a in actions)
    keys = buttons(reply)
    assert {"👍", "👎", "More ▶"} <= set(keys) and any(k.startswith("📄 Source") for k in keys)
    assert all(len(d.encode()) < 64 for d in keys.values())


def test_hostile_question_is_escaped(bot, botapi, new_id):
    chat = new_id()
    q = 'How big is <b>Armenia</b> & <script>alert("x")</script> &amp; <a href="x">?'
    msg = botapi.message(chat, q)
    reply = botapi.wait_reply(msg)
    text = assert_valid(reply)
    assert "&lt;script&gt;" in text and "<script>" not in text
    assert q in plain_of(reply)


def test_off_topic_question_abstains_politely(bot, botapi, new_id):
    chat = new_id()
    msg = botapi.message(chat, "What is the best recipe for chocolate cake?")
    reply = botapi.wait_reply(msg)
    text = assert_valid(reply)
    assert "do not seem to answer" in text and TITLE in text
    assert not buttons(reply)


def test_ask_command_and_empty_ask(bot, botapi, new_id):
    chat = new_id()
    msg = botapi.message(chat, "/ask Who is Ani Badalyan?")
    assert_cited_answer(botapi.wait_reply(msg))
    msg = botapi.message(chat, "/ask")
    assert "Ask me a question" in plain_of(botapi.wait_reply(msg))


def test_group_ignores_unaddressed_messages(bot, botapi, new_id):
    group = -new_id()
    ignored = botapi.message(group, "How big is Armenia?", chat_type="group", user_id=new_id())
    mention = botapi.message(group, "@qabot_test_bot How big is Armenia?", chat_type="group",
                             user_id=new_id())
    reply = botapi.wait_reply(mention)
    assert_cited_answer(reply)
    assert "@qabot_test_bot" not in plain_of(reply)
    # a reply to the bot's answer is a question too
    follow = botapi.message(group, "Who is Ani Badalyan?", chat_type="group", user_id=new_id(),
                            reply_to=reply.result["message_id"])
    assert_cited_answer(botapi.wait_reply(follow))
    cmd = botapi.message(group, "/ask@qabot_test_bot Who is Ani Badalyan?", chat_type="group",
                         user_id=new_id())
    assert_cited_answer(botapi.wait_reply(cmd))
    time.sleep(0.5)
    assert botapi.replies_to(group, ignored["message_id"]) == []
    assert len([c for c in botapi.sent(chat_id=group) if c.reply_to is not None]) == 3


def test_more_edits_in_place_source_and_expired(bot, botapi, new_id):
    chat = new_id()
    msg = botapi.message(chat, "What did Russia say about the blockade?")
    reply = botapi.wait_reply(msg)
    assert_cited_answer(reply)
    mid = reply.result["message_id"]
    keys = buttons(reply)
    qid = botapi.callback(chat, mid, keys["More ▶"])
    acks = botapi.wait_for(lambda: [c for c in botapi.sent("answerCallbackQuery")
                                    if c.params["callback_query_id"] == qid])
    assert len(acks) == 1
    edit = botapi.wait_for(lambda: botapi.sent("editMessageText", chat_id=chat))[0]
    assert int(edit.params["message_id"]) == mid
    text = assert_valid(edit)
    assert "[4]" in text and "results 4–6" in text
    # Source of result 4, from the edited keyboard
    src_key = next(d for t, d in buttons(edit).items() if t == "📄 Source 4")
    botapi.callback(chat, mid, src_key)
    source = botapi.wait_for(lambda: botapi.replies_to(chat, mid))[0]
    assert "[4]" in assert_valid(source)
    # an unknown key: the callback is answered with the expiry notice
    qid = botapi.callback(chat, mid, "m|NOPE1234")
    ack = botapi.wait_for(lambda: [c for c in botapi.sent("answerCallbackQuery")
                                   if c.params["callback_query_id"] == qid])[0]
    assert ack.params["text"] == "This result expired — please ask again."


def test_feedback_is_written(bot, botapi, new_id):
    chat = new_id()
    msg = botapi.message(chat, "How big is Armenia?")
    reply = botapi.wait_reply(msg)
    qid = botapi.callback(chat, reply.result["message_id"], buttons(reply)["👍"])
    ack = botapi.wait_for(lambda: [c for c in botapi.sent("answerCallbackQuery")
                                   if c.params["callback_query_id"] == qid])[0]
    assert "Thanks" in ack.params["text"]
    path = bot.data_dir / "feedback.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    mine = [r for r in lines if r["question"] == "How big is Armenia?" and r["vote"] == "up"]
    assert mine and mine[-1]["passage_ids"] and mine[-1]["user"] != str(chat)
    assert TEST_TOKEN not in path.read_text()


def test_source_command(bot, botapi, new_id):
    chat = new_id()
    msg = botapi.message(chat, "/source 1")
    assert "Ask a question first" in plain_of(botapi.wait_reply(msg))
    botapi.wait_reply(botapi.message(chat, "How big is Armenia?"))
    msg = botapi.message(chat, "/source 1")
    reply = botapi.wait_reply(msg)
    text = assert_valid(reply)
    assert "[1]" in text and TITLE in text and "29,800 square kilometers" in plain_of(reply)
    msg = botapi.message(chat, "/source 42")
    assert "try /source 1" in plain_of(botapi.wait_reply(msg))


def test_inline_query(bot, botapi):
    qid = botapi.inline("Who is Ani Badalyan?")
    call = botapi.wait_for(lambda: [c for c in botapi.sent("answerInlineQuery")
                                    if c.params["inline_query_id"] == qid])[0]
    results = call.params["results"]
    assert 1 <= len(results) <= 50
    first = results[0]
    assert first["type"] == "article" and first["description"]
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert TITLE in content["message_text"]
    parse_html(content["message_text"])


def test_who_and_quotes(bot, botapi, new_id):
    """Quote lookup when the index has quotes; a polite notice when it has none."""
    chat = new_id()
    botapi.message(chat, "/who Michel")
    reply = botapi.wait_for(lambda: botapi.sent(chat_id=chat))[0]
    assert "Michel" in assert_valid(reply) or "not available" in plain_of(reply)
    botapi.message(chat, "/quotes")
    reply = botapi.wait_for(lambda: [c for c in botapi.sent(chat_id=chat)
                                     if "Who is quoted" in plain_of(c) or "not available" in plain_of(c)])[0]
    assert_valid(reply)


def test_admin_commands(bot, botapi, new_id):
    chat = new_id()
    botapi.message(chat, "/stats")
    assert "only the bot's administrators" in plain_of(botapi.wait_for(lambda: botapi.sent(chat_id=chat))[0])
    botapi.message(ADMIN_ID, "/stats")
    reply = botapi.wait_for(lambda: botapi.sent(chat_id=ADMIN_ID))[0]
    assert "questions:" in plain_of(reply)


def test_user_rate_limit(bot, botapi, new_id):
    chat = new_id()
    msgs = [botapi.message(chat, f"How big is Armenia? ({i})") for i in range(24)]
    replies = [botapi.wait_reply(m, 30) for m in msgs]
    limited = [r for r in replies if "faster than I can read" in plain_of(r)]
    assert len(limited) == 4
    assert all(r in replies[20:] for r in limited) or len(limited) == 4


def test_unparsable_html_is_resent_as_plain_text(bot, botapi, new_id):
    chat = new_id()
    botapi.set_faults(reject_html_marker="How big is Armenia")  # the question echoed in the answer
    try:
        msg = botapi.message(chat, "How big is Armenia?")
        reply = botapi.wait_reply(msg)
    finally:
        botapi.set_faults()
    assert "parse_mode" not in reply.params
    assert "<b>" not in reply.params["text"] and "29,800 square kilometers" in reply.params["text"]
    assert "Sources" in reply.params["text"] and reply.params.get("reply_markup")


def test_admin_reindex_keeps_answering(bot, botapi, new_id):
    chat = new_id()
    botapi.message(chat, "/reindex")
    assert "only the bot's administrators" in plain_of(botapi.wait_for(lambda: botapi.sent(chat_id=chat))[0])
    botapi.message(ADMIN_ID, "/reindex")
    done = botapi.wait_for(lambda: [c for c in botapi.sent(chat_id=ADMIN_ID)
                                    if "Index updated" in plain_of(c)], 120)[0]
    assert_valid(done)
    msg = botapi.message(chat, "How big is Armenia?")
    assert_cited_answer(botapi.wait_reply(msg))


def test_every_message_was_valid_and_the_token_never_logged(bot, botapi):
    """A sweep over the session: Telegram would have accepted every text the bot sent."""
    texts = [c for c in botapi.calls if c.method in ("sendMessage", "editMessageText")]
    assert texts
    rejected = [c for c in texts if c.status == 400 and "How big is Armenia" not in str(c.params.get("text"))]
    assert rejected == [], [c.error for c in rejected]
    for c in texts:
        if c.ok:
            assert_valid(c)
    logs = bot.logs()
    assert TEST_TOKEN not in logs and TEST_TOKEN.replace(":", "%3A") not in logs
    assert "Traceback" not in logs


def test_who_said_what_in_the_bot(bot, botapi, new_id):
    """'/who Pashinyan' and 'What did Michel say about Aghdam?' answer with quotes and citations."""
    chat = new_id()
    reply = botapi.wait_reply(botapi.message(chat, "/who Pashinyan"), 30)
    assert_valid(reply)
    text = plain_of(reply)
    assert "Pashinyan" in text and "genocide" in text and re.search(r"paras?\. \d", text), text[:600]
    reply = botapi.wait_reply(botapi.message(chat, "What did Michel say about Aghdam?"), 30)
    assert_cited_answer(reply)
    text = plain_of(reply)
    assert "Charles Michel" in text and "Aghdam" in text, text[:600]
