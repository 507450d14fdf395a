"""Update handlers: parse the update, ask the engine in a thread, render, send.

Everything shared lives in `application.bot_data` (see `bot.app.build_application`): the engine,
the config, the answer cache, the per-user rate limit, the feedback log and the counters.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Mapping

from telegram import (
    InlineQueryResultArticle,
    InputTextMessageContent,
    MessageEntity,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from retrieval.answer import Hit, paragraph_label

from . import render
from .config import BotConfig
from .sending import NO_PREVIEW, edit_html, send_html, send_parts
from .state import AnswerCache, Entry, FeedbackLog, Stats, UserRateLimit

log = logging.getLogger(__name__)

EXPIRED = "This result expired — please ask again."
MAX_QUESTION = 1000  # characters searched; Telegram messages can be 4096
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

Ctx = ContextTypes.DEFAULT_TYPE


# --- shared state ---------------------------------------------------------------------------


def _cfg(context: Ctx) -> BotConfig:
    return context.bot_data["config"]


def _cache(context: Ctx) -> AnswerCache:
    return context.bot_data["cache"]


def _stats(context: Ctx) -> Stats:
    return context.bot_data["stats"]


def _documents(engine) -> Mapping[str, Mapping]:
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


async def _typing(context: Ctx, chat_id: int) -> None:
    """Best effort: a lost typing indicator must never cost an answer."""
    with contextlib.suppress(TelegramError):
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)


async def answer_question(update: Update, context: Ctx, question: str, *, reply_to: int | None) -> None:
    """The one path every question takes: rate limit → search in a thread → render → send."""
    chat, user = update.effective_chat, update.effective_user
    cfg, stats = _cfg(context), _stats(context)
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
    context.application.create_task(_typing(context, chat.id))  # the limiter drops it when busy
    t0 = time.perf_counter()
    answer, docs = await context.bot_data["asker"].ask(question[:MAX_QUESTION])
    ms = (time.perf_counter() - t0) * 1000
    stats.search_ms.append(ms)
    if answer.answered and answer.hits:
        stats.answered += 1
        key = _cache(context).add(Entry(question, list(answer.hits), True, user.id if user else None))
        page = answer.hits[: cfg.page_size]
        parts = render.answer_parts(question, page, docs, total=len(answer.hits))
        markup = render.answer_keyboard(key, [h.rank for h in page], len(answer.hits) > cfg.page_size)
    else:
        stats.abstained += 1
        parts, markup = render.abstain_parts(question, docs), None
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
    entry = _cache(context).last(user.id) if user else None
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
    await _send_source(update, context, hit, reply_to=msg.message_id)


async def _send_source(update: Update, context: Ctx, hit: Hit, *, reply_to: int | None) -> None:
    engine = context.bot_data["engine"]
    text = await asyncio.to_thread(_full_paragraphs, engine, hit)
    docs = await asyncio.to_thread(_documents, engine)
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
    await send_parts(context.bot, chat_id, render.who_parts(name, quotes))


def _is_admin(update: Update, context: Ctx) -> bool:
    user = update.effective_user
    return user is not None and user.id in _cfg(context).admin_ids


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
    s = _stats(context).summary() | {"cached_answers": len(_cache(context)),
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


# --- buttons and inline mode --------------------------------------------------------------------


async def on_button(update: Update, context: Ctx) -> None:
    """More / Source / 👍👎 / example questions; every callback query is answered exactly once."""
    query = update.callback_query
    answered = False

    async def ack(text: str | None = None) -> None:
        nonlocal answered
        if not answered:
            answered = True
            await query.answer(text)

    try:
        kind, _, rest = (query.data or "").partition("|")
        msg = query.message
        if kind == "x":
            examples = context.bot_data.get("examples") or []
            i = int(rest) if rest.isdigit() else -1
            if not 0 <= i < len(examples) or msg is None:
                await ack(EXPIRED)
                return
            await ack()
            await answer_question(update, context, examples[i], reply_to=msg.message_id)
            return
        key, _, arg = rest.partition("|")
        entry = _cache(context).get(key)
        if entry is None or msg is None:
            await ack(EXPIRED)
            return
        if kind == "m":
            await _more(context, query, entry, key, ack)
        elif kind == "s":
            hit = next((h for h in entry.hits if str(h.rank) == arg), None)
            if hit is None:
                await ack(EXPIRED)
                return
            await ack()
            await _send_source(update, context, hit, reply_to=msg.message_id)
        elif kind == "v" and arg in ("0", "1"):
            vote = "up" if arg == "1" else "down"
            stats = _stats(context)
            if vote == "up":
                stats.votes_up += 1
            else:
                stats.votes_down += 1
            feedback: FeedbackLog = context.bot_data["feedback"]
            user = update.effective_user
            await asyncio.to_thread(feedback.record, entry.question, [h.passage_id for h in entry.hits],
                                    vote, user.id if user else None, msg.chat.type)
            await ack("Thanks for the feedback!")
        else:
            await ack(EXPIRED)
    finally:
        if not answered:
            with contextlib.suppress(TelegramError):
                await query.answer()


async def _more(context: Ctx, query, entry: Entry, key: str, ack) -> None:
    """Next page of the same answer, edited into the message that holds the buttons."""
    size = _cfg(context).page_size
    page = entry.page + 1
    first = page * size
    if first >= len(entry.hits):
        await ack("No more results for this question.")
        return
    entry.page = page
    hits = entry.hits[first:first + size]
    docs = await asyncio.to_thread(_documents, context.bot_data["engine"])
    parts = render.answer_parts(entry.question, hits, docs, first=first, total=len(entry.hits))
    markup = render.answer_keyboard(key, [h.rank for h in hits], first + size < len(entry.hits))
    await ack()
    msg = query.message
    await edit_html(context.bot, msg.chat.id, msg.message_id, parts[0], markup if len(parts) == 1 else None)
    if len(parts) > 1:
        await send_parts(context.bot, msg.chat.id, parts[1:], markup=markup)


async def on_inline(update: Update, context: Ctx) -> None:
    """@bot question in any chat: one article per passage, the highlight as its description."""
    iq = update.inline_query
    question = " ".join(iq.query.split())[:256]
    if not question:
        await iq.answer([], cache_time=10)
        return
    _stats(context).inline += 1
    answer, docs = await context.bot_data["asker"].ask(question)
    results = []
    if answer.answered:
        for h in answer.hits[:50]:
            label = paragraph_label(h.paragraphs)
            results.append(InlineQueryResultArticle(
                id=str(h.rank),
                title=render.shorten(f"[{h.rank}] {h.title}" + (f", {label}" if label else ""), 120),
                description=render.shorten(h.highlight or h.text, 200),
                input_message_content=InputTextMessageContent(
                    render.inline_text(h, docs.get(h.doc_id)), parse_mode=ParseMode.HTML,
                    link_preview_options=NO_PREVIEW),
            ))
    else:
        results.append(InlineQueryResultArticle(
            id="none", title="Not covered by the indexed articles",
            description="They report on: " + "; ".join(render.titles(docs, 3)),
            input_message_content=InputTextMessageContent(render.abstain_parts(question, docs)[0],
                                                          parse_mode=ParseMode.HTML),
        ))
    await iq.answer(results, cache_time=30)


# --- gate and errors ----------------------------------------------------------------------------


async def gate(update: Update, context: Ctx) -> None:
    """QABOT_ALLOWED_CHATS: updates from other chats stop here."""
    allowed = _cfg(context).allowed_chats
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


def register(app: Application) -> None:
    """Wire handlers: commands everywhere, plain text in private chats, mentions/replies in groups."""
    new = filters.UpdateType.MESSAGE
    app.add_handler(TypeHandler(Update, gate), group=-1)
    for name, fn in [("start", cmd_start), ("help", cmd_help), ("ask", cmd_ask), ("about", cmd_about),
                     ("source", cmd_source), ("who", cmd_who), ("quotes", cmd_quotes),
                     ("reindex", cmd_reindex), ("stats", cmd_stats)]:
        app.add_handler(CommandHandler(name, fn, filters=new))
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
                                   on_private_text))
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS,
                                   on_group_text))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(InlineQueryHandler(on_inline))
    app.add_error_handler(on_error)

