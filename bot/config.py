"""Bot settings from the environment, read once at start-up so handlers never touch os.environ."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

OFFICIAL_BASE_URL = "https://api.telegram.org/bot"
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class ConfigError(Exception):
    """A setting the operator must fix; the message says which and how."""


def _ids(raw: str | None, name: str) -> frozenset[int]:
    out = set()
    for part in (raw or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.add(int(part))
        except ValueError:
            raise ConfigError(f"{name} must be comma-separated numeric ids, got {part!r}") from None
    return frozenset(out)


def read_token(env: dict[str, str] | None = None) -> str:
    """The bot token from TELEGRAM_BOT_TOKEN, or from the file TELEGRAM_BOT_TOKEN_FILE names."""
    env = os.environ if env is None else env
    token = (env.get("TELEGRAM_BOT_TOKEN") or "").strip()
    path = (env.get("TELEGRAM_BOT_TOKEN_FILE") or "").strip()
    if not token and path:
        try:
            token = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"cannot read TELEGRAM_BOT_TOKEN_FILE {path}: {exc.strerror}") from None
    if not token:
        raise ConfigError("no Telegram token: set TELEGRAM_BOT_TOKEN (or TELEGRAM_BOT_TOKEN_FILE to a file "
                          "holding it); get one from @BotFather")
    if not _TOKEN_RE.match(token):
        raise ConfigError("the Telegram token does not look like '<digits>:<letters>'; "
                          "check for stray quotes or spaces")
    return token


@dataclass(frozen=True)
class BotConfig:
    """Everything the bot needs besides the engine; `repr` never shows the token."""

    token: str = field(repr=False)
    base_url: str = OFFICIAL_BASE_URL
    data_dir: Path = Path("data")
    user_rate: int = 20  # questions per user per minute
    admin_ids: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()  # empty: every chat
    log_questions: bool = False
    page_size: int = 3
    max_hits: int = 9  # fetched once per question; "More" pages through them
    cache_size: int = 2000
    # Overall sends per second. Telegram's guidance for broadcasts is ~30/s, but replies to
    # incoming messages may go faster, and a 429 from Telegram pauses every request anyway
    # (AIORateLimiter); 100/s keeps a bot answering 50 questions a second on time.
    max_msg_rate: float = 100.0
    send_tries: int = 5

    @property
    def base_file_url(self) -> str:
        """Bot API servers serve files under /file/bot<token> next to /bot<token>."""
        base = self.base_url.rstrip("/")
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base + "/file/bot"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> BotConfig:
        env = os.environ if env is None else env
        try:
            rate = int(env.get("QABOT_USER_RATE") or 20)
            msg_rate = float(env.get("QABOT_MAX_MSG_RATE") or 100)
        except ValueError:
            raise ConfigError("QABOT_USER_RATE and QABOT_MAX_MSG_RATE must be numbers") from None
        return cls(
            token=read_token(env),
            base_url=(env.get("TELEGRAM_API_BASE_URL") or OFFICIAL_BASE_URL).strip(),
            data_dir=Path(env.get("QABOT_DATA_DIR") or "data"),
            user_rate=rate,
            admin_ids=_ids(env.get("QABOT_ADMIN_IDS"), "QABOT_ADMIN_IDS"),
            allowed_chats=_ids(env.get("QABOT_ALLOWED_CHATS"), "QABOT_ALLOWED_CHATS"),
            log_questions=(env.get("QABOT_LOG_QUESTIONS") or "") == "1",
            max_msg_rate=msg_rate,
        )
