"""Sending that does not lose answers: retries on flood control, 5xx and network errors, and a
plain-text fallback when Telegram rejects our HTML."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter

from .render import html_to_plain

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter, plus retries with capped backoff for NetworkError, TimedOut and 5xx,
    for up to `deadline` seconds, so an answer survives a Telegram outage of a minute or two.

    Chat actions are dropped while the flood budget is more than half used, so under load the
    budget goes to answers.

    AIORateLimiter only retries RetryAfter (429); PTB reports a 502 from Telegram or a proxy as
    NetworkError("Bad Gateway"). BadRequest is a NetworkError subclass but retrying cannot fix it.
    """

    def __init__(self, *, tries: int = 5, base_delay: float = 0.3, max_delay: float = 10.0,
                 overall_max_rate: float = 30.0, deadline: float = 120.0) -> None:
        # RetryAfter (429) is retried by AIORateLimiter itself, up to 20 times per request
        super().__init__(overall_max_rate=overall_max_rate, max_retries=max(tries, 20))
        self.tries, self.base_delay, self.max_delay = tries, base_delay, max_delay
        self.deadline = deadline  # keep retrying an answer through an outage this long
        self.retried = 0
        self.skipped_actions = 0

    def _room_for_extras(self) -> bool:
        """True while the overall flood budget is less than half used."""
        limiter = getattr(self, "_base_limiter", None)
        return limiter is None or limiter.has_capacity(limiter.max_rate / 2)

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args) -> Any:
        if endpoint == "sendChatAction" and not self._room_for_extras():
            self.skipped_actions += 1
            return True  # a typing indicator is a nicety: never spend flood budget that answers need
        start = asyncio.get_running_loop().time()
        attempt = 0
        while True:
            attempt += 1
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data,
                                                     rate_limit_args)
            except (BadRequest, RetryAfter):
                raise
            except NetworkError as exc:
                backoff = self.base_delay * 2 ** min(attempt - 1, 10)
                delay = min(self.max_delay, backoff) * (0.5 + random.random())
                elapsed = asyncio.get_running_loop().time() - start
                if elapsed + delay > self.deadline:
                    raise
                self.retried += 1
                log.warning("%s failed (%s), retry %d in %.1fs", endpoint, exc, attempt, delay)
                await asyncio.sleep(delay)


def _unparsable(exc: BadRequest) -> bool:
    return "can't parse entities" in str(exc).lower() or "can't find end" in str(exc).lower()


async def send_html(bot: Bot, chat_id: int, text: str, *, reply_to: int | None = None,
                    markup: InlineKeyboardMarkup | None = None) -> Message:
    """Send HTML; if Telegram cannot parse it, send the same words as plain text."""
    reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    try:
        return await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_parameters=reply,
                                      reply_markup=markup, link_preview_options=NO_PREVIEW)
    except BadRequest as exc:
        if not _unparsable(exc):
            raise
        log.warning("Telegram rejected our HTML (%s); resending as plain text", exc)
        return await bot.send_message(chat_id, html_to_plain(text), reply_parameters=reply,
                                      reply_markup=markup, link_preview_options=NO_PREVIEW)


async def send_parts(bot: Bot, chat_id: int, parts: list[str], *, reply_to: int | None = None,
                     markup: InlineKeyboardMarkup | None = None) -> list[Message]:
    """Parts in order, the first replying to the question, the keyboard on the last."""
    sent = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent.append(await send_html(bot, chat_id, part, reply_to=reply_to if i == 0 else None,
                                    markup=markup if last else None))
    return sent


async def edit_html(bot: Bot, chat_id: int, message_id: int, text: str,
                    markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit in place; 'message is not modified' is not an error, unparsable HTML falls back to plain."""
    try:
        await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id, parse_mode=ParseMode.HTML,
                                    reply_markup=markup, link_preview_options=NO_PREVIEW)
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return
        if not _unparsable(exc):
            raise
        log.warning("Telegram rejected our HTML (%s); editing as plain text", exc)
        await bot.edit_message_text(html_to_plain(text), chat_id=chat_id, message_id=message_id,
                                    reply_markup=markup, link_preview_options=NO_PREVIEW)
