"""Step 6: an answer is the passages that answer a question, each with a checkable citation.

Typed results cross module borders (`Hit`, `Answer`), and one JSON shape serves the CLI,
the console chat, the evaluation and the bot. A citation number always refers to a hit
listed in the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .passages import CAPTION


@dataclass
class Hit:
    """One passage of an answer, with the sentence that best answers the question."""

    rank: int
    score: float
    passage_id: str
    doc_id: str
    title: str
    paragraphs: list[int]
    text: str
    highlight: str
    citation: str
    highlight_index: int = 0
    dense: float = 0.0
    bm25: float = 0.0
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        d = {
            "rank": self.rank,
            "score": self.score,
            "passage_id": self.passage_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "paragraphs": self.paragraphs,
            "text": self.text,
            "highlight": self.highlight,
            "citation": self.citation,
        }
        d.update(self.extra)
        return d


@dataclass
class Answer:
    """Hits for a question, or `answered=False` when the corpus does not cover it."""

    question: str
    answered: bool
    hits: list[Hit]
    # the weak passages behind an abstention: not shown as answers, kept for diagnostics
    abstained_hits: list[Hit] = field(default_factory=list)
    kind: str = "passages"  # or "quotes"
    notice: str = ""  # e.g. that an overlong question was cut

    def to_json(self) -> dict:
        d = {"question": self.question, "answered": self.answered,
             "hits": [h.to_json() for h in self.hits], "kind": self.kind}
        if self.notice:
            d["notice"] = self.notice
        return d


def paragraph_label(paragraphs: Sequence[int]) -> str:
    ps = sorted(paragraphs)
    if not ps:
        return ""
    if ps == [CAPTION]:
        return "photo caption"
    if len(ps) == 1:
        return f"para. {ps[0]}"
    if ps == list(range(ps[0], ps[-1] + 1)):
        return f"paras. {ps[0]}–{ps[-1]}"
    return "paras. " + ", ".join(map(str, ps))


def make_citation(meta: dict, paragraphs: Sequence[int], doc_id: str, number: int | None = None) -> str:
    """'Title — Authors (Source, date), para. 3, <url or seeds/file>' for a reader to check."""
    title = meta.get("title") or doc_id
    who = ", ".join(meta.get("authors") or [])
    extra = ", ".join(x for x in (meta.get("source"), meta.get("date")) if x)
    if who and extra:
        who = f"{who} ({extra})"
    elif extra:
        who = extra
    where = meta.get("url") or f"seeds/{meta.get('path', doc_id)}"
    parts = [title + (f" — {who}" if who else ""), paragraph_label(paragraphs), where]
    text = ", ".join(p for p in parts if p)
    return f"[{number}] {text}" if number is not None else text


def render_text(answer: Answer, *, width: int = 0) -> str:
    """Plain-text rendering for the console: highlight marked with »…«, citations below."""
    notice = f"({answer.notice})\n" if answer.notice else ""
    if not answer.answered:
        return (notice + "The indexed documents do not seem to answer that. "
                "Try asking about the people, places and events they report.")
    lines = [notice] if notice else []
    for h in answer.hits:
        text = h.text
        if h.highlight and h.highlight in text:
            text = text.replace(h.highlight, f"»{h.highlight}«", 1)
        if h.extra.get("speaker"):
            lines.append(f"[{h.rank}] {h.extra['speaker']} ({h.extra.get('kind', 'quote')}):")
            lines.append(text)
        else:
            lines.append(f"[{h.rank}] {text}")
        lines.append("")
    lines.append("Sources:")
    lines.extend(f"  {h.citation}" for h in answer.hits)
    return "\n".join(lines)
