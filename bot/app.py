"""Build and run the Telegram application: `qabot bot` and `python -m bot` both end up here."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import sys
from urllib.parse import urlparse

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeDefault, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from . import buttons, handlers, redact
from .asker import BatchAsker
from .config import BotConfig, ConfigError
from .sending import RetryingRateLimiter
from .state import AnswerCache, FeedbackLog, Stats, UserRateLimit

log = logging.getLogger("qabot.bot")

COMMANDS = [
    BotCommand("ask", "Ask a question about the news articles"),
    BotCommand("source", "Full paragraph of result N of your last answer"),
    BotCommand("who", "What a person is quoted saying"),
    BotCommand("quotes", "Who is quoted"),
    BotCommand("about", "What is indexed"),
    BotCommand("help", "How to ask"),
]


POLL_INTERVAL = 0.1  # seconds between getUpdates calls (see run_from_args)


def build_parser() -> argparse.ArgumentParser:
    """The flags of `qabot bot`, for `python -m bot`."""
    p = argparse.ArgumentParser(prog="python -m bot", description="Run the Telegram bot "
                                "(token from $TELEGRAM_BOT_TOKEN or $TELEGRAM_BOT_TOKEN_FILE).")
    p.add_argument("--seeds", metavar="DIR", help="documents folder (default $QABOT_SEEDS or ./seeds)")
    p.add_argument("--vectors", metavar="DIR", help="index folder (default $QABOT_VECTORS or ./vectors)")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    p.add_argument("--webhook-url", help="public HTTPS URL for webhook mode (default: polling)")
    p.add_argument("--listen", default="0.0.0.0", help="webhook listen address")
    p.add_argument("--port", type=int, default=8443, help="webhook port")
    p.add_argument("--secret-token", help="webhook secret (default $TELEGRAM_WEBHOOK_SECRET or random)")
    return p


def example_questions(engine, n: int = 2) -> list[str]:
    """Two questions for /start that the corpus answers: $QABOT_EXAMPLES ('q1|q2') or built from titles."""
    env = [q.strip() for q in (os.environ.get("QABOT_EXAMPLES") or "").split("|") if q.strip()]
    if env:
        return env[:n]
    docs = engine.load().data.documents
    titles = [str(m.get("title") or "").strip() for m in docs.values()]
    titles = [t for t in titles if t][:4]
    candidates = [f"What is “{t}” about?" for t in titles] + [f"Who is quoted in “{t}”?" for t in titles]
    found = []
    for q in candidates:
        if engine.ask(q, 1).answered:
            found.append(q)
        if len(found) == n:
            break
    return found


def build_application(cfg: BotConfig, engine) -> Application:
    """The PTB application with shared state in bot_data; the engine must already be loaded."""
    app = (
        ApplicationBuilder()
        .token(cfg.token)
        .base_url(cfg.base_url)
        .base_file_url(cfg.base_file_url)
        .concurrent_updates(True)
        .rate_limiter(RetryingRateLimiter(tries=cfg.send_tries, overall_max_rate=cfg.max_msg_rate))
        .connection_pool_size(64)
        .pool_timeout(30)
        .post_init(_post_init)
        .build()
    )
    app.bot_data.update(
        engine=engine, config=cfg, cache=AnswerCache(cfg.cache_size), limiter=UserRateLimit(cfg.user_rate),
        feedback=FeedbackLog(cfg.data_dir), stats=Stats(), reindex_lock=asyncio.Lock(),
        asker=BatchAsker(engine, cfg.max_hits),
        examples=example_questions(engine),
    )
    register(app)
    return app


def register(app: Application) -> None:
    """Wire handlers: commands everywhere, plain text in private chats, mentions/replies in groups."""
    new = filters.UpdateType.MESSAGE
    app.add_handler(TypeHandler(Update, handlers.gate), group=-1)
    for name in ("start", "help", "ask", "about", "source", "who", "quotes", "reindex", "stats"):
        app.add_handler(CommandHandler(name, getattr(handlers, f"cmd_{name}"), filters=new))
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
                                   handlers.on_private_text))
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS,
                                   handlers.on_group_text))
    app.add_handler(CallbackQueryHandler(buttons.on_button))
    app.add_handler(InlineQueryHandler(buttons.on_inline))
    app.add_error_handler(handlers.on_error)


async def _post_init(app: Application) -> None:
    """Menu of commands in private chats and groups; the index is already loaded by now."""
    await app.bot.set_my_commands(COMMANDS, scope=BotCommandScopeDefault())
    await app.bot.set_my_commands(COMMANDS[:5], scope=BotCommandScopeAllGroupChats())
    log.info("bot @%s ready", app.bot.username)


def _load_engine(args):
    # The bot batches concurrent questions itself; torch's intra-op threads on top of that spin
    # against the event loop and other processes (measured on a busy 2-core box: 550 ms a
    # question with 2 threads, 17 ms with 1). Set OMP_NUM_THREADS to override.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from retrieval.config import Settings
    from retrieval.engine import Engine

    engine = Engine(Settings.from_env(getattr(args, "seeds", None), getattr(args, "vectors", None)))
    engine.load()
    engine.ask("warm up the encoder", 1)  # the model loads on first use: pay that before the first user
    return engine


def run_from_args(args: argparse.Namespace) -> int:
    """Start the bot (polling, or webhook with --webhook-url); returns the process exit code."""
    try:
        cfg = BotConfig.from_env()
    except ConfigError as exc:
        print(f"qabot bot: {exc}", file=sys.stderr)
        return 2
    redact.install(cfg.token)
    # httpx logs every request URL, and Bot API URLs hold the token: masked by bot.redact
    http_level = logging.INFO if os.environ.get("QABOT_LOG_HTTP") == "1" else logging.WARNING
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(http_level)
    if cfg.base_url.rstrip("/") != "https://api.telegram.org/bot":
        log.info("using Bot API server %s", cfg.base_url)
    engine = _load_engine(args)
    app = build_application(cfg, engine)
    if args.webhook_url:
        secret = args.secret_token or os.environ.get("TELEGRAM_WEBHOOK_SECRET") or secrets.token_urlsafe(32)
        path = urlparse(args.webhook_url).path.lstrip("/")
        log.info("webhook mode: listening on %s:%d/%s", args.listen, args.port, path)
        app.run_webhook(listen=args.listen, port=args.port, url_path=path, webhook_url=args.webhook_url,
                        secret_token=secret, allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
    else:
        log.info("polling for updates")
        # bootstrap_retries=-1: a Bot API server that is not up yet is waited for, not fatal.
        # poll_interval: under load, each getUpdates otherwise fetches one update (11 % of the
        # bot's CPU at 50 questions/s); 0.1 s between polls fetches them in batches, and a quiet
        # bot still long-polls, so a lone question waits at most 0.1 s more.
        app.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1, poll_interval=POLL_INTERVAL)
    log.info("bot stopped")
    return 0
