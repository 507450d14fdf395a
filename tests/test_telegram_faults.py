"""Faults from Telegram: an API that is down when the bot starts, answers 5xx or 429 on any method,
or hangs past the client's read timeout; and SIGTERM in the middle of answering. Nothing is lost,
nothing is answered twice, the bot does not crash, and the feedback file never holds a torn line.

One bot per module against its own fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from botapi import FakeBotAPI, parse_html, u16
from conftest import ADMIN_ID, TEST_TOKEN, BotProcess, offline_env, qabot_command, start_bot

pytestmark = pytest.mark.slow

QUESTIONS = ["How big is Armenia?", "Who is Ani Badalyan?", "What did Russia say about the blockade?",
             "What is the best recipe for chocolate cake?"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(base_url: str, tmp: Path, vectors: Path, seeds: Path) -> BotProcess:
    tmp.mkdir(parents=True, exist_ok=True)
    env = offline_env(TELEGRAM_BOT_TOKEN=TEST_TOKEN, TELEGRAM_API_BASE_URL=base_url, QABOT_SEEDS=str(seeds),
                      QABOT_VECTORS=str(vectors), QABOT_DATA_DIR=str(tmp / "data"),
                      QABOT_ADMIN_IDS=str(ADMIN_ID), QABOT_USER_RATE="1000")
    out, err = tmp / "stdout.log", tmp / "stderr.log"
    with out.open("wb") as fo, err.open("wb") as fe:
        proc = subprocess.Popen(qabot_command("bot"), env=env, stdout=fo, stderr=fe, cwd=tmp)
    return BotProcess(proc, out, err, tmp / "data")


class Harness:
    def __init__(self, server: FakeBotAPI, bot: BotProcess) -> None:
        self.server, self.bot = server, bot
        self.chat_ids = iter(range(700_000_000, 800_000_000))

    def ask_many(self, n: int, chats: int = 5) -> list[dict]:
        ids = [next(self.chat_ids) for _ in range(chats)]
        msgs = [self.server.build_message(ids[i % chats], QUESTIONS[i % len(QUESTIONS)]) for i in range(n)]
        self.server.inject_many([{"message": m} for m in msgs])
        return msgs

    def wait_answered(self, msgs: list[dict], timeout: float) -> None:
        wanted = {(m["chat"]["id"], m["message_id"]) for m in msgs}

        def done() -> bool:
            return wanted <= {(c.chat_id, c.reply_to) for c in self.server.sent("sendMessage")}
        try:
            self.server.wait_for(done, timeout)
        except TimeoutError:
            got = {(c.chat_id, c.reply_to) for c in self.server.sent("sendMessage")}
            pytest.fail(f"{len(wanted - got)} of {len(wanted)} questions unanswered:\n"
                        f"{self.bot.logs()[-2500:]}")

    def assert_exactly_once(self, msgs: list[dict]) -> None:
        time.sleep(1.0)
        chats = {m["chat"]["id"] for m in msgs}
        replies = [c for c in self.server.sent("sendMessage") if c.chat_id in chats and c.reply_to]
        count = Counter((c.chat_id, c.reply_to) for c in replies)
        twice = {k: v for k, v in count.items() if v > 1}
        assert not twice, f"{len(twice)} questions answered more than once"
        for m in msgs:
            assert count[(m["chat"]["id"], m["message_id"])] == 1
        for c in replies:
            assert 0 < u16(parse_html(c.params["text"]).strip()) <= 4096
            assert "something went wrong" not in c.params["text"]


@pytest.fixture(scope="module")
def harness(tmp_path_factory, vectors_dir, seeds_dir):
    server = FakeBotAPI(TEST_TOKEN).start()
    tmp = tmp_path_factory.mktemp("tgfaults")
    bot = start_bot(server, tmp / "run1", vectors_dir, seeds_dir, env={"QABOT_USER_RATE": "1000"})
    h = Harness(server, bot)
    h.tmp, h.vectors, h.seeds = tmp, vectors_dir, seeds_dir
    yield h
    h.bot.stop()
    server.stop()


def test_api_unreachable_at_start_up(tmp_path, vectors_dir, seeds_dir):
    """The bot starts while nothing listens on the API port; the server comes up 6 s later."""
    port = free_port()
    server = FakeBotAPI(TEST_TOKEN, port=port)
    bot = launch(f"http://127.0.0.1:{port}/bot", tmp_path, vectors_dir, seeds_dir)
    try:
        deadline = time.monotonic() + 180
        while "polling for updates" not in bot.logs() and bot.proc.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(6.0)  # the bot has been knocking on a closed port for 6 s
        server.start()
        assert bot.proc.poll() is None, \
            f"the bot gave up while the API was down (exit {bot.proc.returncode}):\n{bot.logs()[-1500:]}"
        server.wait_for(lambda: any(c.method == "getUpdates" for c in server.calls), 60)
        h = Harness(server, bot)
        msgs = h.ask_many(4, chats=2)
        h.wait_answered(msgs, 30)
        h.assert_exactly_once(msgs)
    finally:
        bot.stop()
        server.stop()
        assert TEST_TOKEN not in bot.logs()


def test_5xx_on_every_method(harness):
    server = harness.server
    start = len(server.calls)
    methods = ("sendMessage", "getUpdates", "sendChatAction", "answerCallbackQuery")
    server.set_faults(bad_gateway_every=7, server_error_every=5, methods=methods)
    try:
        msgs = []
        for _ in range(8):  # in batches, so that getUpdates is called (and fails) several times
            msgs += harness.ask_many(5)
            time.sleep(0.4)
        harness.wait_answered(msgs, 90)
    finally:
        server.set_faults()
    harness.assert_exactly_once(msgs)
    assert server.statuses("sendMessage", start).get(500, 0) >= 5
    assert server.statuses("sendMessage", start).get(502, 0) >= 5
    assert server.statuses("getUpdates", start).get(500, 0) >= 1
    assert harness.bot.proc.poll() is None


def test_429_with_retry_after(harness):
    server = harness.server
    start = len(server.calls)
    server.set_faults(too_many_every=3, retry_after=2)
    try:
        msgs = harness.ask_many(15)
        harness.wait_answered(msgs, 90)
    finally:
        server.set_faults()
    harness.assert_exactly_once(msgs)
    assert server.statuses("sendMessage", start).get(429, 0) >= 4
    # retry_after is honoured: a refused message is sent again only after the wait it was told
    calls = [c for c in server.calls[start:] if c.method == "sendMessage"]
    for i, c in enumerate(calls):
        if c.status == 429:
            key = (c.chat_id, c.params.get("text"))
            again = [d for d in calls[i + 1:] if (d.chat_id, d.params.get("text")) == key]
            assert again, "a message refused with 429 was never sent again"
            assert again[0].t - c.t >= 1.9, f"retried after {again[0].t - c.t:.2f}s, retry_after was 2"


def test_timeouts_longer_than_the_read_timeout(harness):
    server = harness.server
    start = len(server.calls)
    server.set_faults(hang_every=4, hang_seconds=7.0, methods=("sendMessage",))
    try:
        msgs = harness.ask_many(12, chats=4)
        harness.wait_answered(msgs, 120)
    finally:
        server.set_faults()
    harness.assert_exactly_once(msgs)
    # a hang is recorded when it ends
    server.wait_for(lambda: server.statuses("sendMessage", start).get(504, 0) >= 2, 15)
    assert "TimedOut" in harness.bot.logs() or "Timed out" in harness.bot.logs() \
        or "timed out" in harness.bot.logs().lower()
    assert harness.bot.proc.poll() is None


def test_an_outage_of_ten_seconds_loses_no_answer(harness):
    """sendMessage fails with 500 for 10 s (a Telegram incident): the answers go out afterwards."""
    server = harness.server
    server.set_faults(server_error_every=1, methods=("sendMessage",))
    try:
        msgs = harness.ask_many(10, chats=5)
        time.sleep(10.0)
    finally:
        server.set_faults()
    harness.wait_answered(msgs, 30)
    harness.assert_exactly_once(msgs)
    assert harness.bot.proc.poll() is None


def test_sigterm_mid_answer_then_restart_answers_everything_once(harness):
    server = harness.server
    # votes in flight too: the feedback file must never hold half a line
    first = harness.ask_many(6, chats=3)
    harness.wait_answered(first, 30)
    replies = [c for c in server.sent("sendMessage") if c.reply_to
               and (c.chat_id, c.reply_to) in {(m["chat"]["id"], m["message_id"]) for m in first}]
    server.set_faults(hang_every=5, hang_seconds=3.0, methods=("sendMessage",))
    msgs = harness.ask_many(150, chats=30)
    for c in replies:
        keys = [b.get("callback_data") for row in (c.params.get("reply_markup") or {}).get(
            "inline_keyboard", []) for b in row if b.get("text") == "👍"]
        if keys:
            server.callback(c.chat_id, c.result["message_id"], keys[0])
    server.wait_for(lambda: len([c for c in server.sent("sendMessage") if c.chat_id in
                                 {m["chat"]["id"] for m in msgs}]) >= 10, 60)
    bot = harness.bot
    bot.proc.send_signal(signal.SIGTERM)
    try:
        rc = bot.proc.wait(60)
    except subprocess.TimeoutExpired:
        bot.proc.kill()
        pytest.fail(f"the bot did not stop within 60 s of SIGTERM:\n{bot.logs()[-2000:]}")
    server.set_faults()
    assert rc == 0, bot.logs()[-2000:]
    answered_before = len({(c.chat_id, c.reply_to) for c in server.sent("sendMessage") if c.chat_id in
                           {m["chat"]["id"] for m in msgs}})
    # the next start, against the same server, picks up whatever was left
    harness.bot = start_bot(server, harness.tmp / "run2", harness.vectors, harness.seeds,
                            env={"QABOT_USER_RATE": "1000", "QABOT_DATA_DIR": str(bot.data_dir)})
    harness.wait_answered(msgs, 120)
    harness.assert_exactly_once(msgs)
    print(f"\nSIGTERM: {answered_before} of {len(msgs)} answered before the stop, the rest after the restart")
    fb = bot.data_dir / "feedback.jsonl"
    if fb.exists():
        for line in fb.read_text().splitlines():
            json.loads(line)
    logs = bot.logs() + harness.bot.logs()
    assert TEST_TOKEN not in logs
