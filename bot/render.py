"""Telegram HTML for answers, sources and help texts.

Text is kept as plain runs until the last moment: long answers are split into messages at
paragraph (then word) boundaries first, and each piece is escaped and tagged on its own, so
no tag ever spans two messages and every message stays under Telegram's 4096 characters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from retrieval.answer import Hit, paragraph_label

MAX_MESSAGE = 4096
QUESTION_ECHO = 200  # characters of the question repeated above an answer


@dataclass(frozen=True)
class Run:
    """Plain text with at most one style: '' (plain), 'b', 'i', 'code' or 'a' (with href)."""

    text: str
    tag: str = ""
    href: str = ""


@dataclass
class Block:
    """A paragraph-like unit; `sep` joins it to the block before it in the same message."""

    runs: list[Run] = field(default_factory=list)
    sep: str = "\n\n"


def u16(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def valid_unicode(text: str) -> str:
    """Lone surrogates (which no UTF-8 message can carry) become U+FFFD."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if text else text


def esc(text: str) -> str:
    """Text content: <, > and & escaped (quotes may stay as they are outside attributes)."""
    return html.escape(valid_unicode(text), quote=False)


def esc_attr(text: str) -> str:
    return html.escape(valid_unicode(text), quote=True)


def _open_close(run: Run) -> tuple[str, str]:
    if run.tag == "a" and run.href:
        return f'<a href="{esc_attr(run.href)}">', "</a>"
    if run.tag in ("b", "i", "code", "u", "s"):
        return f"<{run.tag}>", f"</{run.tag}>"
    return "", ""


def render_runs(runs: Iterable[Run]) -> str:
    out = []
    for r in runs:
        if not r.text:
            continue
        o, c = _open_close(r)
        out.append(f"{o}{esc(r.text)}{c}")
    return "".join(out)


def plain_runs(runs: Iterable[Run]) -> str:
    return "".join(r.text for r in runs)


def _pieces(text: str, budget: int) -> Iterable[str]:
    """Words (with their trailing space) whose escaped size fits `budget`; longer words are cut."""
    for word in re.findall(r"\S+\s*|\s+", text):
        if u16(esc(word)) <= budget:
            yield word
            continue
        cur, size = "", 0
        for ch in word:
            cost = u16(esc(ch))
            if cur and size + cost > budget:
                yield cur
                cur, size = "", 0
            cur += ch
            size += cost
        if cur:
            yield cur


def split_block(block: Block, limit: int = MAX_MESSAGE) -> list[Block]:
    """A block too long for one message, cut at word boundaries into blocks that fit."""
    out: list[Block] = []
    cur: list[Run] = []
    size = 0
    for run in block.runs:
        o, c = _open_close(run)
        overhead = u16(o) + u16(c)
        continuing = False
        for piece in _pieces(run.text, max(1, limit - overhead)):
            cost = u16(esc(piece))
            need = cost + (0 if continuing else overhead)
            if cur and size + need > limit:
                out.append(Block(cur, sep=block.sep if not out else "\n"))
                cur, size, continuing = [], 0, False
                need = cost + overhead
            if continuing:
                cur[-1] = Run(cur[-1].text + piece, run.tag, run.href)
            else:
                cur.append(Run(piece, run.tag, run.href))
                continuing = True
            size += need
    if cur:
        out.append(Block(cur, sep=block.sep if not out else "\n"))
    return out


def pack(blocks: Sequence[Block], limit: int = MAX_MESSAGE) -> list[str]:
    """Blocks joined into as few messages as fit; every message is complete, valid HTML."""
    parts: list[str] = []
    cur = ""
    for block in blocks:
        rendered = render_runs(block.runs)
        pieces = [block] if u16(rendered) <= limit else split_block(block, limit)
        for piece in pieces:
            text = render_runs(piece.runs)
            if not plain_runs(piece.runs).strip():
                continue
            joined = f"{cur}{piece.sep}{text}" if cur else text
            if u16(joined) <= limit:
                cur = joined
            else:
                parts.append(cur)
                cur = text
    if cur:
        parts.append(cur)
    return parts


def html_to_plain(text: str) -> str:
    """The fallback when Telegram rejects our markup: same words, no tags."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


# --- pieces of answers -------------------------------------------------------------------


def _http(url: str | None) -> str:
    return url if url and re.match(r"^https?://\S+$", url, re.IGNORECASE) else ""


def shorten(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def citation_runs(hit: Hit, meta: Mapping | None, number: int | None = None) -> list[Run]:
    """'[n] Title — Authors, para. 3' with the title linked when the document has a web address."""
    meta = meta or {}
    number = hit.rank if number is None else number
    title = hit.title or meta.get("title") or hit.doc_id
    url = _http(meta.get("url"))
    runs = [Run(f"[{number}] "), Run(title, "a", url) if url else Run(title)]
    authors = ", ".join(meta.get("authors") or [])
    if authors:
        runs.append(Run(f" — {authors}"))
    label = paragraph_label(hit.paragraphs)
    if label:
        runs.append(Run(f", {label}"))
    if not url:
        where = meta.get("path")
        if where:
            runs.append(Run(f", seeds/{where}"))
        elif hit.citation and not meta:
            runs = [Run(hit.citation)]
    return runs


def passage_blocks(hit: Hit, text: str | None = None, *, number: bool = True) -> list[Block]:
    """The passage, one block per paragraph, with the highlight sentence in bold."""
    text = hit.text if text is None else text
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()] or [text]
    hl = (hit.highlight or "").strip()
    found = False
    blocks: list[Block] = []
    for para in paragraphs:
        runs: list[Run] = []
        i = para.find(hl) if hl and not found else -1
        if i >= 0:
            found = True
            runs += [Run(para[:i]), Run(hl, "b"), Run(para[i + len(hl):])]
        else:
            runs.append(Run(para))
        blocks.append(Block(runs))
    if hl and not found:  # the highlight is not verbatim in the text: show it first
        blocks.insert(0, Block([Run("» "), Run(hl, "b")]))
    speaker = (hit.extra or {}).get("speaker")
    if speaker:  # an answer from the quote index: say who is speaking
        kind = (hit.extra or {}).get("kind")
        blocks.insert(0, Block([Run(str(speaker) + (f" ({kind})" if kind else "") + ":", "i")]))
    if number and blocks:
        blocks[0].runs.insert(0, Run(f"[{hit.rank}] ", "b"))
    return blocks


def answer_parts(question: str, hits: Sequence[Hit], docs: Mapping[str, Mapping], *,
                 first: int = 0, total: int | None = None, notice: str = "") -> list[str]:
    """An answered question: passages with highlights, then their numbered citations."""
    head = [Run("🔎 "), Run(shorten(question, QUESTION_ECHO), "i")]
    total = len(hits) + first if total is None else total
    if first or total > len(hits):
        head.append(Run(f"  (results {first + 1}–{first + len(hits)} of {total})"))
    blocks = [Block(head)]
    if notice:  # e.g. that an overlong question was cut
        blocks.append(Block([Run(notice, "i")]))
    for h in hits:
        blocks += passage_blocks(h)
    blocks.append(Block([Run("Sources", "b")]))
    blocks += [Block(citation_runs(h, docs.get(h.doc_id)), sep="\n") for h in hits]
    return pack(blocks)


def titles(docs: Mapping[str, Mapping], n: int = 8) -> list[str]:
    out = []
    for doc_id, meta in docs.items():
        t = (meta.get("title") or doc_id).strip()
        if t and t not in out:
            out.append(t)
    return out[:n]


def abstain_parts(question: str, docs: Mapping[str, Mapping], *, notice: str = "") -> list[str]:
    """Not covered: say so, and show what the corpus is about so the next question lands."""
    blocks = [Block([Run("🤷 The indexed articles do not seem to answer "),
                     Run(shorten(question, QUESTION_ECHO), "i")])]
    if notice:
        blocks.append(Block([Run(notice, "i")]))
    blocks.append(Block([Run("They report on:")]))
    blocks += [Block([Run(f"• {t}")], sep="\n") for t in titles(docs)]
    if len(docs) > 8:
        blocks.append(Block([Run(f"… and {len(docs) - 8} more (see /about)")], sep="\n"))
    blocks.append(Block([Run("Try asking about the people, places and events in them.")]))
    return pack(blocks)


def source_parts(hit: Hit, full_text: str, meta: Mapping | None) -> list[str]:
    """/source N: the whole paragraph(s) behind a hit, with its citation."""
    label = paragraph_label(hit.paragraphs)
    head = Block([Run(f"[{hit.rank}] ", "b"), Run(hit.title or hit.doc_id, "b")]
                 + ([Run(f", {label}")] if label else []))
    blocks = [head] + passage_blocks(hit, full_text, number=False)
    blocks.append(Block(citation_runs(hit, meta)))
    return pack(blocks)


def inline_text(hit: Hit, meta: Mapping | None, limit: int = 3000) -> str:
    """The message an inline result sends: one passage and its citation, always one message."""
    text = hit.text if len(hit.text) <= limit else shorten(hit.text, limit)
    blocks = passage_blocks(hit, text, number=False)
    blocks.append(Block(citation_runs(hit, meta)))
    return pack(blocks)[0]


# --- fixed texts ------------------------------------------------------------------------


def start_text(bot_name: str) -> str:
    return (f"Ask me a question about the news articles I have read — I answer with the passages "
            f"that say it, each with a citation.\n"
            f"Type a question (in groups: /ask or mention @{esc(bot_name)}); /help lists the commands.")


def help_text(bot_name: str) -> str:
    n = esc(bot_name)
    return "\n".join([
        "<b>How to ask</b>",
        "Send a question as a message, or <code>/ask question</code>. "
        f"In groups use /ask, mention @{n}, or reply to one of my answers.",
        f"In any chat: type <code>@{n} question</code> to share a passage (inline mode).",
        "",
        "<b>Commands</b>",
        "/ask QUESTION — answer with cited passages",
        "/source N — the full paragraph(s) of result N of your last answer",
        "/who NAME — what a person is quoted saying; /quotes — who is quoted",
        "/about — what is indexed",
        "",
        "Under an answer: <b>More</b> pages through further results, <b>Source</b> shows the whole "
        "paragraph, 👍/👎 tell us whether it helped.",
    ])


def about_text(info: Mapping) -> str:
    docs = info.get("documents") or []
    lines = [f"<b>Indexed</b>: {int(info.get('document_count') or len(docs))} document(s), "
             f"{int(info.get('passage_count') or 0)} passages."]
    for d in docs[:20]:
        lines.append(f"• {esc(str(d.get('title') or d.get('doc_id')))} "
                     f"({int(d.get('passages') or 0)} passages)")
    if len(docs) > 20:
        lines.append(f"… and {len(docs) - 20} more")
    model = info.get("model") or {}
    name = model.get("name") if isinstance(model, Mapping) else str(model)
    if name:
        lines.append(f"Model: <code>{esc(str(name))}</code>")
    if info.get("built_at"):
        lines.append(f"Index built: {esc(str(info['built_at']))}")
    return "\n".join(lines)


def quotes_text(speakers: Sequence[tuple[str, int]], n: int = 30) -> str:
    if not speakers:
        return "No quotes were found in the indexed articles."
    lines = ["<b>Who is quoted</b> (try /who NAME):"]
    lines += [f"• {esc(str(name))} ({int(count)})" for name, count in list(speakers)[:n]]
    return "\n".join(lines)


def who_parts(name: str, quotes: Sequence[Mapping], n: int = 10) -> list[str]:
    if not quotes:
        return [f"I found no quotes by <i>{esc(shorten(name, 100))}</i>. /quotes lists who is quoted."]
    blocks = [Block([Run("What "), Run(str(quotes[0].get("speaker") or name), "b"), Run(" said:")])]
    for i, q in enumerate(quotes[:n], 1):
        blocks.append(Block([Run(f"[{i}] "), Run(f"“{q.get('quote') or q.get('sentence') or ''}”", "i")]))
        if q.get("citation"):
            blocks.append(Block([Run(str(q["citation"]))], sep="\n"))
    if len(quotes) > n:
        blocks.append(Block([Run(f"… and {len(quotes) - n} more.")]))
    return pack(blocks)


# --- keyboards --------------------------------------------------------------------------


def answer_keyboard(key: str, ranks: Sequence[int], has_more: bool) -> InlineKeyboardMarkup:
    """More / Source N / 👍 👎; callback data is a short cache key, far below Telegram's 64 bytes."""
    rows = []
    top = [InlineKeyboardButton(f"📄 Source {r}", callback_data=f"s|{key}|{r}") for r in ranks]
    if has_more:
        top.append(InlineKeyboardButton("More ▶", callback_data=f"m|{key}"))
    rows.append(top)
    rows.append([InlineKeyboardButton("👍", callback_data=f"v|{key}|1"),
                 InlineKeyboardButton("👎", callback_data=f"v|{key}|0")])
    return InlineKeyboardMarkup(rows)


def examples_keyboard(examples: Sequence[str]) -> InlineKeyboardMarkup | None:
    if not examples:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(shorten(q, 60), callback_data=f"x|{i}")]
                                 for i, q in enumerate(examples)])
