"""Command and message handlers: parse the update, ask the engine (in a thread), render, send.

Everything shared lives in `application.bot_data` (see `bot.app.build_application`): the engine,
the batching asker, the config, the answer cache, the per-user rate limit, the feedback log and
the counters. Buttons and inline mode are in `bot.buttons`; the wiring is `bot.app.register`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Mapping

from telegram import MessageEntity, Update
from telegram.constants import ChatAction
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from retrieval.answer import Hit

from . import render
from .config import BotConfig
from .sending import send_html, send_parts
from .state import AnswerCache, Entry, Stats, UserRateLimit

log = logging.getLogger(__name__)

EXPIRED = "This result expired — please ask again."
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

Ctx = ContextTypes.DEFAULT_TYPE


# --- shared state ---------------------------------------------------------------------------


def config_of(context: Ctx) -> BotConfig:
    return context.bot_data["config"]


def cache_of(context: Ctx) -> AnswerCache:
    return context.bot_data["cache"]


def stats_of(context: Ctx) -> Stats:
    return context.bot_data["stats"]


def documents_of(engine) -> Mapping[str, Mapping]:
    return engine.load().data.documents


def _full_paragraphs(engine, hit: Hit) -> str:
    """The whole paragraph(s) behind a hit.

    Passages are windows over a document's text with character offsets, so the paragraphs are
    stitched from every passage that touches them (retrieval may offer this directly one day).
    """
    fn = getattr(engine, "paragraphs", None)
    if callable(fn):
        with contextlib.suppress(Exception):
            return "\n\n".join(fn(hit.doc_id, hit.paragraphs))
    wanted = set(hit.paragraphs)
    passages = sorted((p for p in engine.load().data.passages
                       if p.doc_id == hit.doc_id and wanted & set(p.paragraphs)), key=lambda p: p.start)
    text, end = "", -1
    for p in passages:
        if end < 0:
            text = p.text
        elif p.start >= end:
            text += "\n\n" + p.text
        elif p.end > end:
            text += p.text[end - p.start:]
        end = max(end, p.end)
    return text or hit.text


def _quote_index(engine):
    """The who-said-what index, or None when this build has none."""
    try:
        return engine.quotes
    except (AttributeError, ImportError, OSError):
        log.info("quote lookup unavailable", exc_info=True)
        return None


# --- asking -------------------------------------------------------------------------------------


# An answer sent sooner than this needs no "typing..." first; a slower one gets it. Most
# answers take tens of milliseconds, and the indicator would cost one more request each.
TYPING_DELAY = 0.5


async def _typing(context: Ctx, chat_id: int, delay: float = TYPING_DELAY) -> None:
    """Best effort, after `delay` (cancelled once the answer is ready), and not while questions
    queue up (each indicator is a request the answers behind it wait for): a lost typing
    indicator must never cost an answer."""
    await asyncio.sleep(delay)
    asker = getattr(context, "bot_data", {}).get("asker")
    if asker is not None and asker.busy:
        return
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)


async def answer_question(update: Update, context: Ctx, question: str, *, reply_to: int | None) -> None:
    """The one path every question takes: rate limit → search in a thread → render → send."""
    chat, user = update.effective_chat, update.effective_user
    cfg, stats = config_of(context), stats_of(context)
    question = question.strip()
    if not question:
        await send_html(context.bot, chat.id, "Ask me a question, for example "
                        "<code>/ask Who is quoted?</code>", reply_to=reply_to)
        return
    limiter: UserRateLimit = context.bot_data["limiter"]
    if user is not None and not limiter.allow(user.id):
        stats.rate_limited += 1
        wait = max(1, round(limiter.retry_in(user.id)))
        await send_html(context.bot, chat.id,
                        f"You are asking faster than I can read: up to {cfg.user_rate} questions a minute. "
                        f"Please try again in {wait} s.", reply_to=reply_to)
        return
    stats.questions += 1
    typing = context.application.create_task(_typing(context, chat.id))  # the limiter drops it when busy
    t0 = time.perf_counter()
    try:
        answer, docs = await context.bot_data["asker"].ask(question)  # the engine cuts overlong ones
    finally:
        typing.cancel()
    ms = (time.perf_counter() - t0) * 1000
    stats.search_ms.append(ms)
    if answer.answered and answer.hits:
        stats.answered += 1
        key = cache_of(context).add(Entry(question, list(answer.hits), True, user.id if user else None))
        page = answer.hits[: cfg.page_size]
        parts = render.answer_parts(question, page, docs, total=len(answer.hits), notice=answer.notice)
        markup = render.answer_keyboard(key, [h.rank for h in page], len(answer.hits) > cfg.page_size)
    else:
        stats.abstained += 1
        parts, markup = render.abstain_parts(question, docs, notice=answer.notice), None
    await send_parts(context.bot, chat.id, parts, reply_to=reply_to, markup=markup)
    log.info("%s in %s chat: %d hit(s), search %.0f ms%s", "answered" if answer.answered else "abstained",
             chat.type, len(answer.hits), ms, f", question {question!r}" if cfg.log_questions else "")


def _after_command(update: Update) -> str:
    """The text after '/cmd' or '/cmd@bot', keeping its line breaks (context.args would lose them)."""
    msg = update.effective_message
    text = msg.text or ""
    for ent in msg.entities or ():
        if ent.type == MessageEntity.BOT_COMMAND and ent.offset == 0:
            return text[len(msg.parse_entity(ent)):]
    return text.partition(" ")[2]


# --- commands -----------------------------------------------------------------------------------


async def cmd_start(update: Update, context: Ctx) -> None:
    """/start, or a deep link t.me/<bot>?start=<question_with_underscores> taken as a question."""
    msg = update.effective_message
    if context.args and _PAYLOAD.match(context.args[0]):
        question = " ".join(re.sub(r"[_-]+", " ", context.args[0]).split())
        if question:
            await answer_question(update, context, question, reply_to=msg.message_id)
            return
    examples = context.bot_data.get("examples") or []
    await send_html(context.bot, msg.chat_id, render.start_text(context.bot.username),
                    markup=render.examples_keyboard(examples))


async def cmd_help(update: Update, context: Ctx) -> None:
    await send_html(context.bot, update.effective_chat.id, render.help_text(context.bot.username))


async def cmd_ask(update: Update, context: Ctx) -> None:
    msg = update.effective_message
    await answer_question(update, context, _after_command(update), reply_to=msg.message_id)


async def cmd_about(update: Update, context: Ctx) -> None:
    info = await asyncio.to_thread(context.bot_data["engine"].info)
    await send_html(context.bot, update.effective_chat.id, render.about_text(info))


async def cmd_source(update: Update, context: Ctx) -> None:
    """/source N: the full paragraph(s) of result N of this user's last answer."""
    msg, user = update.effective_message, update.effective_user
    entry = cache_of(context).last(user.id) if user else None
    if entry is None:
        await send_html(context.bot, msg.chat_id, "Ask a question first; then <code>/source N</code> shows "
                        "the full paragraph behind result N.", reply_to=msg.message_id)
        return
    arg = (context.args or ["1"])[0]
    ranks = [h.rank for h in entry.hits]
    hit = next((h for h in entry.hits if str(h.rank) == arg), None)
    if hit is None:
        await send_html(context.bot, msg.chat_id, f"Your last answer has results {ranks[0]}–{ranks[-1]}; "
                        f"try <code>/source {ranks[0]}</code>.", reply_to=msg.message_id)
        return
    await send_source(update, context, hit, reply_to=msg.message_id)


async def send_source(update: Update, context: Ctx, hit: Hit, *, reply_to: int | None) -> None:
    engine = context.bot_data["engine"]
    text = await asyncio.to_thread(_full_paragraphs, engine, hit)
    docs = await asyncio.to_thread(documents_of, engine)
    parts = render.source_parts(hit, text, docs.get(hit.doc_id))
    await send_parts(context.bot, update.effective_chat.id, parts, reply_to=reply_to)


async def cmd_quotes(update: Update, context: Ctx) -> None:
    chat_id = update.effective_chat.id
    qi = await asyncio.to_thread(_quote_index, context.bot_data["engine"])
    if qi is None:
        await send_html(context.bot, chat_id, "Quote lookup is not available for this index.")
        return
    speakers = await asyncio.to_thread(qi.speakers)
    await send_html(context.bot, chat_id, render.quotes_text(speakers))


async def cmd_who(update: Update, context: Ctx) -> None:
    chat_id = update.effective_chat.id
    name = _after_command(update).strip()
    if not name:
        await send_html(context.bot, chat_id, "Usage: <code>/who NAME</code> — /quotes lists who is quoted.")
        return
    qi = await asyncio.to_thread(_quote_index, context.bot_data["engine"])
    if qi is None:
        await send_html(context.bot, chat_id, "Quote lookup is not available for this index.")
        return
    quotes = await asyncio.to_thread(qi.by_speaker, name)
    msg = update.effective_message
    await send_parts(context.bot, chat_id, render.who_parts(name, quotes),
                     reply_to=msg.message_id if msg else None)


def _is_admin(update: Update, context: Ctx) -> bool:
    user = update.effective_user
    return user is not None and user.id in config_of(context).admin_ids


async def cmd_reindex(update: Update, context: Ctx) -> None:
    """Admins only: re-index in a thread while the old index keeps answering."""
    chat_id = update.effective_chat.id
    if not _is_admin(update, context):
        await send_html(context.bot, chat_id, "Sorry, only the bot's administrators can re-index.")
        return
    lock: asyncio.Lock = context.bot_data["reindex_lock"]
    if lock.locked():
        await send_html(context.bot, chat_id, "A re-index is already running.")
        return
    async with lock:
        await send_html(context.bot, chat_id,
                        "Re-indexing; I keep answering from the current index meanwhile.")
        engine = context.bot_data["engine"]
        report = await asyncio.to_thread(engine.index)
        await asyncio.to_thread(engine.load)
        await send_html(context.bot, chat_id, f"Index updated: {render.esc(report.summary())}")


async def cmd_stats(update: Update, context: Ctx) -> None:
    chat_id = update.effective_chat.id
    if not _is_admin(update, context):
        await send_html(context.bot, chat_id, "Sorry, only the bot's administrators can see statistics.")
        return
    s = stats_of(context).summary() | {"cached_answers": len(cache_of(context)),
                                     "send_retries": getattr(context.bot.rate_limiter, "retried", 0)}
    text = "\n".join(f"{render.esc(k)}: <code>{v}</code>" for k, v in s.items())
    await send_html(context.bot, chat_id, text)


# --- plain messages -----------------------------------------------------------------------------


async def on_private_text(update: Update, context: Ctx) -> None:
    msg = update.effective_message
    await answer_question(update, context, msg.text or "", reply_to=msg.message_id)


async def on_group_text(update: Update, context: Ctx) -> None:
    """In groups answer only @mentions of the bot and replies to its messages."""
    msg = update.effective_message
    me = (context.bot.username or "").lower()
    text = msg.text or ""
    mentions = [e for e, v in msg.parse_entities([MessageEntity.MENTION]).items() if v.lower() == f"@{me}"]
    reply = msg.reply_to_message
    to_me = reply is not None and reply.from_user is not None and reply.from_user.id == context.bot.id
    if not mentions and not to_me:
        return
    if me:
        text = re.sub(rf"@{re.escape(me)}\b", " ", text, flags=re.IGNORECASE)
    await answer_question(update, context, text, reply_to=msg.message_id)


# --- gate and errors ----------------------------------------------------------------------------


async def gate(update: Update, context: Ctx) -> None:
    """QABOT_ALLOWED_CHATS: updates from other chats stop here."""
    allowed = config_of(context).allowed_chats
    if not allowed or not isinstance(update, Update):
        return
    chat, user = update.effective_chat, update.effective_user
    where = chat.id if chat else (user.id if user else None)
    if where in allowed:
        return
    with contextlib.suppress(TelegramError):
        if update.callback_query:
            await update.callback_query.answer("This bot is not available here.")
        elif update.inline_query:
            await update.inline_query.answer([], cache_time=60)
    raise ApplicationHandlerStop


async def on_error(update: object, context: Ctx) -> None:
    """The one error handler: log the traceback (the token is masked by bot.redact) and tell the user."""
    stats = context.bot_data.get("stats")
    if stats is not None:
        stats.errors += 1
    if isinstance(context.error, Forbidden):
        log.info("a user blocked the bot or left the chat: %s", context.error)
        return
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    with contextlib.suppress(TelegramError):
        if update.callback_query:
            await update.callback_query.answer("Sorry, something went wrong. Please try again.")
        elif update.effective_chat and update.effective_message:
            await send_html(context.bot, update.effective_chat.id,
                            "Sorry, something went wrong while answering. Please try again in a moment.",
                            reply_to=update.effective_message.message_id)
