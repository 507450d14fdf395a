"""Soak: 5,000 questions from 200 chats against a fake Bot API that fails at random; every question
is answered exactly once, and the bot's resident memory grows by less than 10 % after warm-up."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from botapi import FakeBotAPI, parse_html, u16
from conftest import TEST_TOKEN, start_bot

DATA = Path(__file__).parent / "data"
CHATS, TOTAL, WARMUP, WAVE = 200, 5000, 1000, 500


def questions() -> list[str]:
    qs = [json.loads(line)["question"] for name in ("gold_qa.jsonl", "offtopic.jsonl")
          for line in (DATA / name).read_text().splitlines() if line.strip()]
    return qs or ["How big is Armenia?", "Who is Ani Badalyan?"]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.slow
def test_soak_5000_updates_200_chats_random_faults(tmp_path, vectors_dir, seeds_dir, capsys):
    server = FakeBotAPI(TEST_TOKEN).start()
    bot = start_bot(server, tmp_path / "bot", vectors_dir, seeds_dir,
                    env={"QABOT_USER_RATE": "0", "QABOT_MAX_MSG_RATE": "1000"})
    try:
        qs = questions()
        chats = [900_000_000 + i for i in range(CHATS)]
        server.set_faults(random_rate=0.03, random_429_in=20, retry_after=1, random_seed=7,
                          methods=("sendMessage", "getUpdates", "sendChatAction"))
        t0 = time.time()
        wanted: set[tuple[int, int]] = set()
        rss_warm = None
        for wave in range(TOTAL // WAVE):
            msgs = [server.build_message(chats[(wave * WAVE + i) % CHATS], qs[(wave * WAVE + i) % len(qs)])
                    for i in range(WAVE)]
            server.inject_many([{"message": m} for m in msgs])
            wanted |= {(m["chat"]["id"], m["message_id"]) for m in msgs}

            def done(wanted: set = wanted) -> bool:
                return wanted <= {(c.chat_id, c.reply_to) for c in server.sent("sendMessage")}
            try:
                server.wait_for(done, 60)
            except TimeoutError:
                pytest.fail(f"wave {wave}: questions unanswered after 60 s:\n{bot.logs()[-2000:]}")
            if (wave + 1) * WAVE == WARMUP:
                rss_warm = rss_kb(bot.proc.pid)
        wall = time.time() - t0
        rss_end = rss_kb(bot.proc.pid)
        server.set_faults()
        time.sleep(1.0)
        replies = [c for c in server.sent("sendMessage") if c.reply_to]
        count = Counter((c.chat_id, c.reply_to) for c in replies)
        assert all(count[k] == 1 for k in wanted), \
            f"{sum(count[k] != 1 for k in wanted)} questions not answered exactly once"
        for c in replies:
            assert 0 < u16(parse_html(c.params["text"]).strip()) <= 4096
        sorry = sum("something went wrong" in c.params["text"] for c in replies)
        statuses = {m: server.statuses(m) for m in ("sendMessage", "getUpdates", "sendChatAction")}
        growth = (rss_end - rss_warm) / rss_warm
        with capsys.disabled():
            print(f"\nsoak: {len(wanted)} questions from {CHATS} chats in {wall:.0f}s; RSS after warm-up "
                  f"{rss_warm / 1024:.0f} MB, at the end {rss_end / 1024:.0f} MB ({growth:+.1%}); "
                  f"statuses {statuses}; apologies {sorry}")
        assert sorry == 0
        assert growth < 0.10
        assert bot.proc.poll() is None
    finally:
        bot.stop()
        server.stop()
    assert TEST_TOKEN not in bot.logs()
