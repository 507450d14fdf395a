"""Shared fixtures: the seed corpus, an index built once per session, and (for the bot tests) a fake
Bot API server on 127.0.0.1 with the real bot process polling it.

Nothing here talks to any address but 127.0.0.1.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEST_TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz_0123"
ADMIN_ID = 777001


def qabot_command(*args: str) -> list[str]:
    """The console script of this venv (`make run` uses it), or the module if it is not installed."""
    exe = Path(sys.executable).with_name("qabot")
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "retrieval.cli", *args]


def offline_env(**extra: str) -> dict[str, str]:
    """The environment for child processes: offline model hub, no proxies, no real Telegram settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.upper().endswith("_PROXY") and not k.startswith(("TELEGRAM_", "QABOT_"))}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", NO_PROXY="127.0.0.1,localhost",
               PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return REPO / "seeds"


@pytest.fixture(scope="session")
def vectors_dir(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """An index of seeds/ in a temporary folder, built once per session by `qabot index`."""
    vectors = tmp_path_factory.mktemp("vectors")
    proc = subprocess.run(qabot_command("index", "--seeds", str(seeds_dir), "--vectors", str(vectors)),
                          env=offline_env(), capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.fail(f"qabot index failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return vectors


# --- Telegram -----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def botapi():
    """The fake Bot API server (tests/botapi.py), one per session."""
    from botapi import FakeBotAPI

    server = FakeBotAPI(TEST_TOKEN).start()
    yield server
    server.stop()


@dataclass
class BotProcess:
    """A running `qabot bot` and where its output goes."""

    proc: subprocess.Popen
    stdout: Path
    stderr: Path
    data_dir: Path

    def logs(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")

    def stop(self, timeout: float = 20) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode


def start_bot(server, tmp: Path, vectors: Path, seeds: Path, *args: str, env: dict | None = None,
              ready=None, timeout: float = 180) -> BotProcess:
    """Start `qabot bot ARGS` against the fake server, the way `make run` would, and wait until it polls."""
    tmp.mkdir(parents=True, exist_ok=True)
    data = tmp / "data"
    out, err = tmp / "stdout.log", tmp / "stderr.log"
    settings = {"TELEGRAM_BOT_TOKEN": TEST_TOKEN, "TELEGRAM_API_BASE_URL": server.base_url,
                "QABOT_SEEDS": str(seeds), "QABOT_VECTORS": str(vectors), "QABOT_DATA_DIR": str(data),
                "QABOT_ADMIN_IDS": str(ADMIN_ID)}
    full_env = offline_env(**{**settings, **(env or {})})
    start = len(server.calls)
    with out.open("wb") as fo, err.open("wb") as fe:
        proc = subprocess.Popen(qabot_command("bot", *args), env=full_env, stdout=fo, stderr=fe, cwd=tmp)
    bp = BotProcess(proc, out, err, data)

    def is_ready() -> bool:
        if proc.poll() is not None:
            return True
        new = server.calls[start:]
        if ready is not None:
            return ready(new)
        return (any(c.method == "setMyCommands" for c in new) and any(c.method == "getUpdates" for c in new))

    try:
        server.wait_for(is_ready, timeout)
    except TimeoutError:
        bp.stop()
        pytest.fail(f"the bot did not start in {timeout}s:\n{bp.logs()[-3000:]}")
    if proc.poll() is not None:
        pytest.fail(f"the bot exited with {proc.returncode}:\n{bp.logs()[-3000:]}")
    return bp


@pytest.fixture(scope="session")
def bot(botapi, tmp_path_factory, vectors_dir, seeds_dir) -> Iterator[BotProcess]:
    """The real bot, polling the fake server, for the whole session; stopped with SIGTERM."""
    bp = start_bot(botapi, tmp_path_factory.mktemp("bot"), vectors_dir, seeds_dir)
    yield bp
    rc = bp.stop()
    assert rc == 0, f"the bot did not stop cleanly on SIGTERM ({rc}):\n{bp.logs()[-2000:]}"
    assert TEST_TOKEN not in bp.logs()


_ids = itertools.count(int(time.time()) % 100_000 * 1000 + 1)


@pytest.fixture
def new_id():
    """Fresh chat/user ids, so tests do not share rate limits or 'last answer' state."""
    return lambda: next(_ids)
