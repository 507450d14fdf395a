"""Start-up paths: no token (exit 2), token from a file, webhook mode with a secret, SIGTERM."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from botapi import FakeBotAPI
from conftest import REPO, TEST_TOKEN, offline_env, qabot_command, start_bot

SECRET = "s3cret-Token_1"


def test_no_token_exits_2_without_traceback(tmp_path):
    proc = subprocess.run(qabot_command("bot"), env=offline_env(), capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert proc.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in proc.stderr and "Traceback" not in proc.stderr


def test_python_m_bot_same_flags_and_exit_code(tmp_path):
    env = offline_env()
    proc = subprocess.run([sys.executable, "-m", "bot", "--help"], env=env, capture_output=True, text=True,
                          timeout=60, cwd=REPO)
    assert proc.returncode == 0 and "--webhook-url" in proc.stdout and "--secret-token" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "bot"], env=env, capture_output=True, text=True, timeout=60,
                          cwd=REPO)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _post(url: str, update: dict, secret: str) -> int:
    req = urllib.request.Request(url, data=json.dumps(update).encode(), method="POST",
                                 headers={"Content-Type": "application/json",
                                          "X-Telegram-Bot-Api-Secret-Token": secret})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.slow
def test_webhook_mode_with_token_file(tmp_path, vectors_dir, seeds_dir):
    server = FakeBotAPI(TEST_TOKEN).start()
    token_file = tmp_path / "token"
    token_file.write_text(TEST_TOKEN + "\n")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/hook"
    try:
        bp = start_bot(server, tmp_path / "run", vectors_dir, seeds_dir, "--webhook-url", url,
                       "--listen", "127.0.0.1", "--port", str(port), "--secret-token", SECRET,
                       env={"TELEGRAM_BOT_TOKEN": "", "TELEGRAM_BOT_TOKEN_FILE": str(token_file),
                            "QABOT_LOG_HTTP": "1"},  # httpx logs each URL: the token must be masked
                       # PTB sets the webhook first, then starts listening
                       ready=lambda calls: any(c.method == "setWebhook" for c in calls) and _listening(port))
        try:
            assert server.webhook["url"] == url and server.webhook["secret_token"] == SECRET
            msg = server.build_message(4711, "How big is Armenia?")
            assert _post(url, {"update_id": 1, "message": msg}, "wrong-secret") == 403
            assert _post(url, {"update_id": 2, "message": msg}, SECRET) == 200
            reply = server.wait_reply(msg, 30)
            assert "29,800 square kilometers" in reply.params["text"]
        finally:
            rc = bp.stop()
        assert rc == 0, bp.logs()[-2000:]
        logs = bp.logs()
        assert TEST_TOKEN not in logs and "Traceback" not in logs
        assert "/bot<token>/sendMessage" in logs
    finally:
        server.stop()
