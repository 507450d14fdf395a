"""Step 2: cut documents into passages the model reads whole.

Passages follow paragraphs, because news paragraphs are the unit a reader cites. Very
short paragraphs are merged into their neighbour (a one-line quote means little alone);
long ones are split at sentence boundaries so no passage exceeds the model's window
(counted with the model's own tokenizer: nothing is ever truncated silently). A photo
caption is a passage of its own (paragraph number 0, cited as "photo caption"), and a byline
is the first passage's first sentence, so "Who wrote this?" has a sentence to be answered by.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from .documents import Document

TokenCounter = Callable[[Sequence[str]], list[int]]


@dataclass
class Passage:
    """A retrievable unit: text with its place in the document and its sentences."""

    passage_id: str
    doc_id: str
    paragraphs: list[int]
    start: int
    end: int
    text: str
    sentences: list[str] = field(default_factory=list)
    # (start, end) of each sentence, relative to `text`
    sentence_spans: list[tuple[int, int]] = field(default_factory=list)
    heading: str = ""

    def to_json(self) -> dict:
        d = asdict(self)
        d["sentence_spans"] = [list(s) for s in self.sentence_spans]
        return d

    @classmethod
    def from_json(cls, d: dict) -> Passage:
        d = dict(d)
        d["sentence_spans"] = [tuple(s) for s in d.get("sentence_spans", [])]
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


_nlp = None


def _sentencizer():
    """spaCy's rule-based sentencizer: fast, no model, handles quotes and abbreviations."""
    global _nlp
    if _nlp is None:
        import spacy

        _nlp = spacy.blank("en")
        _nlp.add_pipe("sentencizer")
        _nlp.max_length = 10_000_000
    return _nlp


_OPENING = re.compile(r"\s([“‘\"'(\[]+)\s*$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`, whitespace trimmed.

    The sentencizer leaves an opening quote mark at the end of the sentence before it
    ('... on Monday. “'); such marks are moved to the sentence they open.
    """
    bounds = [(sent.start_char, sent.end_char) for sent in _sentencizer()(text).sents]
    for i in range(len(bounds) - 1):
        m = _OPENING.search(text, bounds[i][0], bounds[i][1])
        if m and m.start(1) > bounds[i][0]:
            bounds[i] = (bounds[i][0], m.start(1))
            bounds[i + 1] = (m.start(1), bounds[i + 1][1])
    spans = []
    for s, e in bounds:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


@dataclass
class _Unit:
    """A sentence (or a piece of an overlong one) with doc offsets and its paragraph."""

    start: int
    end: int
    paragraph: int
    tokens: int


def _split_overlong(text: str, s: int, e: int, limit: int, count: TokenCounter) -> list[tuple[int, int]]:
    """Cut one sentence longer than the window at word boundaries, each piece within `limit`."""
    words = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
    pieces: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        lo, hi = i + 1, min(len(words), i + limit)  # every word is at least one word piece
        while lo < hi:  # the most words from i that still fit
            mid = (lo + hi + 1) // 2
            if count([text[words[i][0]:words[mid - 1][1]]])[0] <= limit:
                lo = mid
            else:
                hi = mid - 1
        a, b = words[i][0], words[lo - 1][1]
        if lo == i + 1 and count([text[a:b]])[0] > limit:
            pieces.extend(_split_word(text, a, b, limit, count))  # one "word" over the window
        else:
            pieces.append((a, b))
        i = lo
    return pieces


def _split_word(text: str, s: int, e: int, limit: int, count: TokenCounter) -> list[tuple[int, int]]:
    """Cut a run of characters without spaces (a long URL, a table) into pieces that fit."""
    pieces = []
    while s < e:
        lo, hi = s + 1, min(e, s + limit * 64)  # no word piece is longer than that
        while lo < hi:  # the longest prefix from s that fits
            mid = (lo + hi + 1) // 2
            if count([text[s:mid]])[0] <= limit:
                lo = mid
            else:
                hi = mid - 1
        pieces.append((s, lo))
        s = lo
    return pieces


CAPTION = 0  # the paragraph number of a photo caption's sentences (body paragraphs count from 1)


def make_passages(doc: Document, count_tokens: TokenCounter, *, max_tokens: int = 254,
                  min_tokens: int = 48) -> list[Passage]:
    """Passages of `doc`: paragraphs, short ones merged forward, long ones split by sentence.

    `max_tokens` is the model window without its [CLS]/[SEP]; `min_tokens` is the size
    below which a paragraph is merged with the next one in the same section.
    """
    text = doc.text
    # 1. sentences of every paragraph, with their token counts (one batched tokenizer call)
    units: list[_Unit] = []
    para_units: list[list[_Unit]] = []
    spans_all: list[tuple[int, int, int]] = []
    if doc.caption_span and (not doc.paragraphs or doc.caption_span[1] <= doc.paragraphs[0].start):
        # the photo caption is a passage of its own, cited as such (paragraph number 0)
        s0, e0 = doc.caption_span
        spans_all.extend((s0 + s, s0 + e, CAPTION) for s, e in split_sentences(text[s0:e0]))
    if doc.byline_span and doc.paragraphs and doc.byline_span[1] <= doc.paragraphs[0].start:
        # the byline opens the first passage as a sentence of its own (cited as paragraph 1)
        spans_all.append((*doc.byline_span, doc.paragraphs[0].number))
    for p in doc.paragraphs:
        for s, e in split_sentences(p.text):
            spans_all.append((p.start + s, p.start + e, p.number))
    counts = count_tokens([text[s:e] for s, e, _ in spans_all]) if spans_all else []
    by_para: dict[int, list[_Unit]] = {}
    for (s, e, n), c in zip(spans_all, counts):
        pieces = [(s, e)] if c <= max_tokens else _split_overlong(text, s, e, max_tokens, count_tokens)
        for ps, pe in pieces:
            u = _Unit(ps, pe, n, c if len(pieces) == 1 else count_tokens([text[ps:pe]])[0])
            units.append(u)
            by_para.setdefault(n, []).append(u)
    headings = {CAPTION: "", **{p.number: p.heading for p in doc.paragraphs}}
    para_units = [by_para[n] for n in [CAPTION] + [p.number for p in doc.paragraphs] if n in by_para]

    # 2. groups: paragraphs merged while short, or split while long
    groups: list[list[_Unit]] = []
    pending: list[_Unit] = []
    for us in para_units:
        size = sum(u.tokens for u in us)
        # never merge across a heading or across anything left out between paragraphs
        # (boilerplate such as "Get the Mirror in your inbox:" must not enter a passage)
        same_section = not pending or (headings[pending[-1].paragraph] == headings[us[0].paragraph]
                                       and not text[pending[-1].end:us[0].start].strip())
        if pending and (not same_section or sum(u.tokens for u in pending) + size > max_tokens):
            groups.append(pending)
            pending = []
        if size > max_tokens:
            chunk: list[_Unit] = []
            for u in us:
                # +1: joining two pieces may add a token at the seam
                if chunk and sum(c.tokens + 1 for c in chunk) + u.tokens > max_tokens:
                    groups.append(chunk)
                    chunk = []
                chunk.append(u)
            pending = chunk
        else:
            pending = pending + us
        if sum(u.tokens for u in pending) >= min_tokens:
            groups.append(pending)
            pending = []
    if pending:
        last = groups[-1] if groups else None
        if (last and headings[last[-1].paragraph] == headings[pending[0].paragraph]
                and not text[last[-1].end:pending[0].start].strip()
                and sum(u.tokens for u in last) + sum(u.tokens for u in pending) <= max_tokens):
            last.extend(pending)
        else:
            groups.append(pending)

    # 3. passages with sentence spans relative to the passage text
    out = []
    for k, g in enumerate(groups):
        start, end = g[0].start, g[-1].end
        paragraphs = sorted({u.paragraph for u in g})
        out.append(Passage(
            passage_id=f"{doc.doc_id}#{k + 1}",
            doc_id=doc.doc_id,
            paragraphs=paragraphs,
            start=start,
            end=end,
            text=text[start:end],
            sentences=[text[u.start:u.end] for u in g],
            sentence_spans=[(u.start - start, u.end - start) for u in g],
            heading=headings.get(paragraphs[0], ""),
        ))
    return out
