"""Load and faults: many questions at once, and a flaky Bot API; every question answered exactly once."""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from pathlib import Path

import pytest
from botapi import parse_html, u16

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"


def questions(n: int) -> list[str]:
    qs = [json.loads(line)["question"] for name in ("gold_qa.jsonl", "offtopic.jsonl")
          for line in (DATA / name).read_text().splitlines() if line.strip()]
    qs = qs or ["How big is Armenia?", "Who is Ani Badalyan?"]
    return [qs[i % len(qs)] for i in range(n)]


def flood(botapi, new_id, chats: int, per_chat: int, timeout: float) -> tuple[list[dict], float]:
    """Inject chats*per_chat questions in one go; wait until each has a reply."""
    ids = [new_id() for _ in range(chats)]
    qs = questions(chats * per_chat)
    msgs = [botapi.build_message(ids[i % chats], q) for i, q in enumerate(qs)]
    t0 = time.time()
    update_ids = botapi.inject_many([{"message": m} for m in msgs])
    for m, u in zip(msgs, update_ids):
        m["update_id"] = u
    wanted = {(m["chat"]["id"], m["message_id"]) for m in msgs}

    def done() -> bool:
        got = {(c.chat_id, c.reply_to) for c in botapi.sent("sendMessage") if c.reply_to is not None}
        return wanted <= got

    botapi.wait_for(done, timeout)
    return msgs, time.time() - t0


def check_exactly_once(botapi, msgs: list[dict]) -> list[float]:
    """One reply per question, valid HTML; returns each reply's latency after the bot fetched it."""
    chats = {m["chat"]["id"] for m in msgs}
    replies = [c for c in botapi.sent("sendMessage") if c.chat_id in chats]
    by_target = Counter((c.chat_id, c.reply_to) for c in replies)
    latencies = []
    for m in msgs:
        key = (m["chat"]["id"], m["message_id"])
        assert by_target[key] == 1, f"question {key} answered {by_target[key]} times"
    for c in replies:
        assert u16(parse_html(c.params["text"]).strip()) <= 4096
    first = {(c.chat_id, c.reply_to): c.t for c in replies}
    for m in msgs:
        latencies.append(first[(m["chat"]["id"], m["message_id"])] - botapi.fetched_at[m["update_id"]])
    per_chat = Counter(c.chat_id for c in replies if c.reply_to is not None)
    assert set(per_chat.values()) == {len(msgs) // len(chats)}
    return latencies


def summary(name: str, latencies: list[float], wall: float) -> str:
    q = statistics.quantiles(latencies, n=100)
    within = sum(x <= 1.0 for x in latencies) / len(latencies)
    return (f"{name}: {len(latencies)} questions answered in {wall:.1f}s; latency after fetch "
            f"p50 {q[49]:.2f}s p90 {q[89]:.2f}s p99 {q[98]:.2f}s max {max(latencies):.2f}s; "
            f"{within:.0%} within 1 s")


def test_load_500_questions_from_50_chats(bot, botapi, new_id, capsys):
    msgs, wall = flood(botapi, new_id, chats=50, per_chat=10, timeout=120)
    time.sleep(1.0)  # let any duplicate show up before counting
    latencies = check_exactly_once(botapi, msgs)
    with capsys.disabled():
        print("\n" + summary("load", latencies, wall))


def test_faults_502_and_429_lose_nothing(bot, botapi, new_id, capsys):
    botapi.set_faults(bad_gateway_every=7, too_many_every=11, retry_after=1)
    try:
        start = len(botapi.calls)
        msgs, wall = flood(botapi, new_id, chats=20, per_chat=6, timeout=120)
        time.sleep(1.0)
        latencies = check_exactly_once(botapi, msgs)
        statuses = Counter(c.status for c in botapi.calls[start:] if c.method == "sendMessage")
        assert statuses[502] >= 5 and statuses[429] >= 5
    finally:
        botapi.set_faults()
    with capsys.disabled():
        print("\n" + summary("faults", latencies, wall) + f"; sendMessage statuses {dict(statuses)}")


def steady(botapi, new_id, *, chats: int, n: int, per_second: float,
           timeout: float) -> tuple[list[float], float]:
    """n questions from `chats` chats arriving evenly at `per_second`; latencies after fetch."""
    ids = [new_id() for _ in range(chats)]
    msgs = []
    t0 = time.time()
    for i, q in enumerate(questions(n)):
        msgs.append(botapi.message(ids[i % chats], q))
        time.sleep(max(0.0, t0 + (i + 1) / per_second - time.time()))
    wanted = {(m["chat"]["id"], m["message_id"]) for m in msgs}
    botapi.wait_for(lambda: wanted <= {(c.chat_id, c.reply_to) for c in botapi.sent("sendMessage")}, timeout)
    time.sleep(1.0)  # let any duplicate show up before counting
    return check_exactly_once(botapi, msgs), time.time() - t0


def test_steady_traffic_is_answered_within_a_second(bot, botapi, new_id, capsys):
    """10 questions a second from 20 chats: well inside Telegram's 30 messages a second."""
    latencies, wall = steady(botapi, new_id, chats=20, n=60, per_second=10, timeout=60)
    with capsys.disabled():
        print("\n" + summary("steady 10/s", latencies, wall))
    assert sum(x <= 1.0 for x in latencies) / len(latencies) >= 0.9


def test_fifty_questions_a_second_are_answered_within_a_second(bot, botapi, new_id, capsys):
    """1,000 questions from 100 chats arriving at 50 a second: all answered, 95% within 1 s."""
    latencies, wall = steady(botapi, new_id, chats=100, n=1000, per_second=50, timeout=120)
    with capsys.disabled():
        print("\n" + summary("steady 50/s", latencies, wall))
    assert sum(x <= 1.0 for x in latencies) / len(latencies) >= 0.95


def test_resident_memory_after_fifty_questions(bot, botapi, new_id):
    """The bot with the seed corpus stays under 300 MB resident after 50 questions."""
    chat = new_id()
    msgs = [botapi.message(chat, q) for q in questions(50)]
    wanted = {(m["chat"]["id"], m["message_id"]) for m in msgs}
    botapi.wait_for(lambda: wanted <= {(c.chat_id, c.reply_to) for c in botapi.sent("sendMessage")}, 120)
    status = Path(f"/proc/{bot.proc.pid}/status").read_text()
    rss_mb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024
    print(f"\nbot RSS after 50+ questions: {rss_mb:.0f} MB")
    assert rss_mb <= 300, rss_mb
