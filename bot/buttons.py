"""Inline keyboard presses (More, Source, 👍/👎, example questions) and inline mode (@bot question)."""

from __future__ import annotations

import asyncio
import contextlib

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from retrieval.answer import paragraph_label

from . import render
from .handlers import EXPIRED, Ctx, answer_question, cache_of, config_of, documents_of, send_source, stats_of
from .sending import NO_PREVIEW, edit_html, send_parts
from .state import Entry, FeedbackLog


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
        entry = cache_of(context).get(key)
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
            await send_source(update, context, hit, reply_to=msg.message_id)
        elif kind == "v" and arg in ("0", "1"):
            vote = "up" if arg == "1" else "down"
            stats = stats_of(context)
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
    size = config_of(context).page_size
    page = entry.page + 1
    first = page * size
    if first >= len(entry.hits):
        await ack("No more results for this question.")
        return
    entry.page = page
    hits = entry.hits[first:first + size]
    docs = await asyncio.to_thread(documents_of, context.bot_data["engine"])
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
    stats_of(context).inline += 1
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
