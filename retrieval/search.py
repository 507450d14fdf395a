"""Step 5: hybrid search: dense + BM25 candidates, every sentence scored, best passages first.

Why this shape (measured with `qabot eval`; see the README's table):
- BM25 finds names, numbers and dates; dense vectors find paraphrases. Candidate passages
  come from both; then every sentence of every candidate is scored too, because a question
  is usually answered by one sentence, which a whole paragraph's score dilutes.
- Scores are combined by a linear ranker learned from the gold sets (`retrieval/features.py`);
  without trained weights, by min-max weighted fusion (or RRF).
- Between BM25's exact stems and whole-text vectors, soft word matching (pieces.py) credits a
  sentence for near words of the question ("spokesperson" ~ "spokeswoman"), and WordNet
  relatives met in the sentence count too ("evidence" ~ "proof"; lexicon.py).
- The highlight is the passage's best-scoring sentence; a question about where the story was
  filed is answered by its dateline ("YEREVAN (Azatutyun) — ..."), and one about who wrote it
  by its byline ("By A and B"), which nothing else restates.
- Abstention looks at raw (unnormalised) evidence, since normalised scores always have a
  winner: a question naming something the corpus never mentions, or one far from every
  sentence, is answered with "not in the corpus".
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .answer import Answer, Hit, make_citation
from .features import (
    BYLINE,
    DATELINE,
    GATHERINGS,
    KNOWN,
    RESPONSE_WORDS,
    SENTENCE_FEATURES,
    TRIGGER_WORDS,
    VIEW_WORDS,
    LinearModel,
    answer_type_supported,
    asked_act,
    asked_body,
    asked_kind_of_people,
    asked_role,
    asks_about_photo,
    asks_another,
    asks_besides,
    asks_consequence,
    asks_for_addressee,
    asks_for_byline,
    asks_for_dateline,
    asks_importance,
    asks_medium,
    asks_opinion,
    asks_outlet,
    asks_pair,
    asks_participants,
    asks_person,
    asks_place_of,
    asks_response,
    asks_trigger,
    asks_urged_many,
    asks_view,
    asks_who_is,
    attribute_bits,
    count_supported,
    dates_asked,
    excluded_topic,
    gives_purpose,
    gives_reason,
    holds_role,
    is_polar,
    load_models,
    measure_supported,
    names_an_addressee,
    names_body,
    names_medium,
    names_several,
    preposition_last,
    quantity_unmet,
    question_names,
    question_parts,
    question_type,
    responder_named,
    role_qualified,
    tells_addition,
    tells_both,
    tells_consequence,
    tells_importance,
    tells_likeness,
    tells_opinion,
    tells_place_in_detail,
    tells_view,
    titles,
    urges_many,
    without_source,
    without_when_asked,
)
from .gazetteer import (
    STANDS_FOR,
    as_capitals,
    as_countries,
    as_named_bodies,
    as_owning_countries,
    as_places_of_kind,
    as_sides,
    as_the_capitals,
    capitalised_places,
    owned_bodies,
    spelled_out,
    wholes_of,
    without_known_wholes,
)
from .index import IndexData
from .lexicon import COMPOUNDS, NAMED_MEASURES, PARTICLES, antonym_key, initialism_key, phrasal_key
from .passages import CAPTION
from .pieces import SoftMatcher, content_mask
from .quotes import VERB_FAMILY_FORMS, parse_role_question, parse_speech_question
from .sparse import _import_bm25s, query_tokens, stem_words
from .speakers import SPEAKER_KINDS
from .truecase import casing_table, truecase

log = logging.getLogger(__name__)
_STANDS_FOR_LOWER = {k.lower(): v.lower() for k, v in STANDS_FOR.items()}


@dataclass(frozen=True)
class SearchConfig:
    """Knobs of the ranking, tuned on tests/data (see README)."""

    candidates: int = 40
    fusion: str = "learned"  # "learned" (if weights exist), "weighted" (min-max) or "rrf"
    w_dense: float = 0.5
    sentence_mix: float = 0.3  # weighted/rrf: passage score = (1 - mix) * passage + mix * best sentence
    rrf_k: int = 60
    # rule-based abstention (used when no answerability model is trained)
    min_dense: float = 0.45
    min_dense_with_words: float = 0.30
    min_word_coverage: float = 0.5
    mode: str = "hybrid"  # "hybrid", "dense" or "bm25"


MAX_QUESTION_CHARS = 1000
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def clean_question(q: str) -> str:
    """Whitespace, control characters and lone surrogates folded; cut to MAX_QUESTION_CHARS."""
    return " ".join(_CONTROL.sub(" ", q).split())[:MAX_QUESTION_CHARS]


# a body's name: a capitalised word before a body's head ("Security Council", "Defence Ministry")
_BODY_HEADS = ("Council", "Court", "Commission", "Committee", "Assembly", "Parliament", "Mission",
               "Service", "Agency", "Organi[sz]ation", "Union", "Ministry", "Office", "Bank", "Fund", "Forum",
               "Tribunal", "Secretariat", "Command", "Forces?")
MAX_WRITTEN_PHRASES = 4096
# a time told relative to the story's ("earlier this year", "later in the month", "last week")
_RELATIVE_TIME = re.compile(r"\b(?:(?:earlier|later)\s+(?:(?:this|that|last)\s+|in\s+(?:the\s+)?)|"
                            r"(?:this|last|next)\s+)(?:year|month|week)\b", re.I)
_BODY_NAME = re.compile(rf"\b(?P<word>[A-Z][a-z]+)\s+(?P<head>{'|'.join(_BODY_HEADS)})\b")
_TOKEN = re.compile(r"[^\W_][\w’'.-]*[^\W_]|[^\W_]", re.UNICODE)
_PHRASE_WORDS = re.compile(r"[a-z]+")
_PRONOUN = re.compile(r"\b(he|she|it|they|them|his|her|its|their|him)\b", re.I)
# how far down the candidate list a passage holding the quantity asked for may come up from
SUPPORTED_DEPTH = 5
# what a question sets aside ("Apart from the ICJ, which other court ...?"), its "other" read as
# no word of the topic: 2.0-4.0 each gain the same (+1 highlight over thirty-two sets), 1.5 none
EXCLUDED_PENALTY = 2.5
# a why-question's reason, stated right after the event asked about, lifted this far above it
REASON_LIFT = 0.1
# how near (standard units) the sentence after the best, opening with a subject pronoun and
# nearer the question by the model's vectors, must be to go first: 1.0-5.0 each gain the same
# (+2 highlight over twenty-seven sets), 0.5 one; see README, "Choices"
PRONOUN_NEAR = 2.0
# a kind of speaker the question names by a word the corpus never uses ("How did Armenian
# commentators interpret ...?") raises the sentences naming its kin ("some Armenian analysts");
# 0.2-0.5 each gain the same (+3 R@1 over twenty-seven sets), 0.7 loses one; see README
KIND_BOOST = 0.35
# verbs a reporter uses for the same act ("condemn", "denounce"), as the quote index reads them
_ACT_KIN = [frozenset(stem_words(sorted(forms))) for forms in VERB_FAMILY_FORMS]
_KIND_STEMS = [frozenset(stem_words(sorted(f | {w + "s" for w in f}))) for f in SPEAKER_KINDS]
_SUBJECT_PRONOUN = re.compile(r"\W*(?:It|He|She|They)\b")
# how near (standard units) a why-question's runner-up that gives a reason must be to the best
# sentence, which gives none, to go first: 0.15-0.4 each gain the same (+3 R@1, +4 highlight
# over twenty-seven sets), 0.5 loses one; see README, "Choices"
REASON_NEAR = 0.3
RESPONSE_STEMS = stem_words(list(RESPONSE_WORDS))
_TRIGGER_STEMS = stem_words(list(TRIGGER_WORDS))
# a sentence saying what something reacted to nearly always answers what triggered it: 1.4
# units fix one of the sets' two trigger questions, 2.0 and 3.0 both, and 3.0 also a third
# wording of the test ("What prompted ...?"); no other question moves at any of them
TRIGGER_BOOST = 3.0
# a question stem of at least MIN_EXTENDED letters meets corpus words it begins, up to MAX_SUFFIX
# letters longer, as it meets its WordNet relatives ("running short" and "shortages")
MIN_EXTENDED = 5
MAX_SUFFIX = 4
# the act a who-question asks the doer of: 1.25-1.5 each gain (1.4: +2 R@1 over twenty-two
# sets), 1.75 and 2.0 lose two highlights; see README, "Choices"
ACT_BOOST = 1.4
# "What has the closure caused?": a sentence saying what something led to, this many standard
# units under the best or nearer, goes first (`_lift_near`)
CONSEQUENCE_NEAR = 1.0
# how far below the best a sentence naming a medium (a Twitter post) may be and still answer
# through what medium someone spoke: 2.0 gains two questions more than 1.0 over 589 sets (which
# abstain when the first passage names no medium)
MEDIUM_NEAR = 2.0
# how far below the best a sentence naming a person by their office may be and still answer what
# their office is (it shares few of the question's words: "What is Pashinyan's job?")
TITLE_NEAR = 2.0
# the model's cosine between a question and the best sentence of its best passage, under which
# the corpus is about something else: far questions reach 0.15 ("How do I bake sourdough
# bread?"); on-topic ones over 181 sets go down to 0.136 for a dateline asked (exempt: the
# article's own line), 0.150 for an office asked ("What is Charles Michel's official title?",
# which the engine answers from the quote index's descriptions) and 0.211 otherwise
MIN_TOP_DENSE = 0.16
# "Who took part in the trilateral summit?": the sentence naming several people goes first when
# this near the best, without a raise that makes the abstention read the answer as surer
PARTICIPANTS_NEAR = 1.5
# Words a question uses to say what kind of answer it wants, rarely the documents' own words.
_FRAME_STEMS = frozenset(stem_words([
    "name", "position", "title", "role", "job", "post", "occupation", "profession", "rank", "hold",
    "kind", "type", "sort",
]))
_IMPORTANCE_STEMS = frozenset(stem_words([
    "matter", "matters", "much", "important", "importance", "significant", "significance", "crucial", "vital",
    "essential", "critical", "key",
]))
# a thing asked for as the doer of an act ("Which country filed ...?", "What agreement deployed ...?")
_DOCUMENTS = r"agreements?|treat(?:y|ies)|deals?|accords?|documents?|laws?|resolutions?"
_THING_ASKED = re.compile(rf"^\W*(?:which|what)\s+(?:[\w-]+\s+)?(?:countr(?:y|ies)|nations?|states?|"
                          rf"{_DOCUMENTS})\b(?!\s+body)", re.I)
_THING_BY = re.compile(rf"^\W*(?:under|by|through|in)\s+(?:which|what)\s+(?:[\w-]+\s+)?(?:{_DOCUMENTS})\b"
                       r"[^?]*?\b(?:was|were)\s+(?:[\w-]+\s+){1,4}?(?P<act>[a-z]+ed)\b", re.I)
# question forms and the sentences that answer them, raised ACT_BOOST units: a stance and the
# holder's words ("michel view on lachin vs aghdam": "I see both options as ..."); how someone
# took it and their view ("How did analysts see it?": "was construed by analysts as ..."); what
# several were urged to do ("... urged Aliyev and Pashinyan to do?": "urged them to"); why
# something matters ("Why does the corridor matter?": "its only land link"). Who took part, a
# consequence and a pair go first by `_lift_near` instead, which raises no score
_ANSWERED_BY = ((asks_opinion, tells_opinion), (asks_view, tells_view), (asks_urged_many, urges_many),
                (asks_importance, tells_importance))
_VIEW_STEMS = frozenset(stem_words(list(VIEW_WORDS)))
_MEASURE_STEMS = frozenset(stem_words(sorted(NAMED_MEASURES)))
_OTHER = re.compile(r"\b(?:other|another|else)\b\s*", re.I)
_CAPS_WORD = re.compile(r"(?<![\w/])[A-Z]{3,6}(?![\w/])")
# "When did the summit happen / occur?": a when- or where-question's verb of mere occurrence
_EVENT_STEMS = frozenset(stem_words(["happen", "happened", "occur", "occurred", "unfold", "unfolded"]))
_GATHERING_STEMS = frozenset(stem_words(list(GATHERINGS)))
# "Which city hosted ...?", "What kind of goods ...?": the noun after a leading which/what names
# the kind of answer (a city), which the answer names by itself (Brussels), not the topic
_FOCUS = re.compile(r"^\W*(?:(?:in|on|at|for|from|to|by|of|with|under)\s+)?(?:what|which)\s+"
                    r"(?:(?:kind|type|sort|kinds|types|sorts)\s+of\s+)?([^\W\d_][\w-]*)", re.I)
_QUESTION_WORDS = {
    "what", "who", "whom", "whose", "when", "where", "why", "how", "which", "is", "are", "was", "were",
    "did", "does", "do", "can", "could", "should", "would", "will", "has", "have", "had", "tell", "give",
    "list", "name", "explain", "describe", "show", "find", "according", "in", "on", "at", "the", "a", "an",
    "i", "please", "and", "or", "so", "if", "ok", "hi", "hello",
}


# answer-type bits of features.attribute_bits a question type asks for
_TYPE_BITS = (("who", 1), ("when", 2), ("quantity", 4), ("where", 8), ("why", 16))
_TYPE_BIT = dict(_TYPE_BITS)


def _top_rows(scores: np.ndarray, c: int) -> np.ndarray:
    """Rows of the c highest positive scores (in no order), without sorting a million of them.

    The c-th highest score of a strided sample is a lower bound of the c-th highest overall,
    so one vectorised comparison keeps every row of the top c plus a few others, and only
    those are partitioned. Exact; ~1 ms instead of ~6 ms at a million passages.
    """
    if len(scores) > 64 * c:
        sample = scores[:: max(1, len(scores) // (32 * c * 4))]
        if len(sample) > c:
            bound = float(np.partition(sample, len(sample) - c)[len(sample) - c])
            if bound > 0:
                rows = np.flatnonzero(scores >= bound)
                return rows[np.argpartition(-scores[rows], c - 1)[:c]] if len(rows) > c else rows
    rows = np.flatnonzero(scores)  # rows holding a query word
    return rows[np.argpartition(-scores[rows], c - 1)[:c]] if len(rows) > c else rows


def _rrf(x: np.ndarray, k: int) -> np.ndarray:
    ranks = np.argsort(np.argsort(-x, kind="stable"), kind="stable")
    return 1.0 / (k + ranks + 1)


def _norm(x: np.ndarray) -> np.ndarray:
    if not len(x):
        return x
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-9:
        return np.ones_like(x) if hi > 0 else np.zeros_like(x)
    return (x - lo) / (hi - lo)


def _scale(x: np.ndarray) -> np.ndarray:
    """Divide by the maximum: BM25 scores keep their zero."""
    hi = float(x.max()) if len(x) else 0.0
    return x / hi if hi > 0 else np.zeros_like(x)


def _raise(s_score: np.ndarray, held: np.ndarray, units: float) -> np.ndarray:
    """s_score with the `held` sentences moved `units` standard units of the scores, when some
    sentences are held and some are not (otherwise the order says nothing new)."""
    if not held.any() or held.all():
        return s_score
    return s_score + units * (float(s_score.std()) or 1.0) * held


_VERB_FORM = re.compile(r"[a-z]+(?:ed|ing)\b")


def _acted(sentence: str, kin: frozenset[str]) -> bool:
    """Whether the sentence holds one of the act's stems as a verb (a past or -ing form)."""
    forms = _VERB_FORM.findall(sentence.lower())
    return bool(forms) and bool(kin & set(stem_words(forms)))


def _next_sentence(c: Candidates, i: int) -> int:
    """The candidate after candidate sentence i in its passage, or -1."""
    nxt = np.flatnonzero((c.owner == c.owner[i]) & (c.local == c.local[i] + 1))
    return int(nxt[0]) if len(nxt) else -1


def _put_above(s_score: np.ndarray, i: int, top: int) -> np.ndarray:
    """s_score with sentence i put REASON_LIFT standard units above sentence `top`."""
    out = s_score.copy()
    out[i] = s_score[top] + REASON_LIFT * (float(s_score.std()) or 1.0)
    return out


_WHAT_DID = re.compile(r"^(?:what|which)\b.*?\b(?:did|does|do|has|have|had)\s+(?P<rest>.+)$", re.I)


def _what_act(question: str) -> frozenset[str] | None:
    """The reporter's verbs for the act a what-question asks the object of, where the act is one
    of a family ("What shortcomings did Baku attribute to ...?": "accused", "blamed", ...)."""
    m = _WHAT_DID.match(question)
    if not m:
        return None
    words = re.findall(r"[\w’']+", m.group("rest").lower())
    for before, st in zip([""] + words, stem_words(words)):
        if before in _BEFORE_A_NOUN or before.endswith(("'s", "’s")):
            continue  # a noun ("the summit's host", "the accusations"), not the act
        family = _act_family(st)
        if st in _ASCRIBE and not _BLAME.search(question):
            continue  # "What motive did they ascribe to it?" is no charge; "What failings ...?" is
        if len(family) > 1 and not family & _LIGHT_ACTS:
            # (read last, as it takes longest) what was said: the quotes answer
            return family if parse_speech_question(question) is None else None
    return None


_ASCRIBE = frozenset(stem_words(["attribute", "ascribe", "impute"]))
_BLAME = re.compile(r"\b(?:fail\w*|shortcomings?|faults?|derelictions?|lapses?|negligence|wrongdoing|"
                    r"misconduct|omissions?|deficienc(?:y|ies)|blame)\b", re.I)


# words that come before a noun, not a verb ("the accusations", "regarding accusations")
_BEFORE_A_NOUN = frozenset({"the", "a", "an", "its", "his", "her", "their", "this", "that", "these", "those",
                            "regarding", "about", "of"})
# acts too common to point at a sentence ("give", "produce", "offer"), or done by a host
_LIGHT_ACTS = frozenset(stem_words(["give", "produce", "host"]))


def _act_family(stem: str) -> frozenset[str]:
    """The reporter's verbs for the same act as `stem` ("condemn", "denounce"), or the stem alone."""
    return next((f for f in _ACT_KIN if stem in f), frozenset([stem]))


def _first_in_passage(c: Candidates, s_score: np.ndarray, holds) -> np.ndarray:
    """s_score with the best sentence of the first passage that `holds(i)` put just above the
    best one, where that one does not hold it (None counts as holding: nothing asked); the
    passage keeps its place."""
    top = int(np.argmax(s_score))
    if holds(top) is not False:
        return s_score
    held = [int(i) for i in np.flatnonzero(c.owner == c.owner[top]) if i != top and holds(int(i))]
    if not held:
        return s_score
    out = s_score.copy()
    out[max(held, key=lambda i: s_score[i])] = s_score[top] + 1e-3
    return out


@dataclass
class Candidates:
    """Candidate passages and all their sentences, with the features the ranker reads."""

    rows: np.ndarray  # passage rows
    p_dense: np.ndarray
    p_bm: np.ndarray
    owner: np.ndarray  # for each candidate sentence, its index into `rows`
    local: np.ndarray  # for each candidate sentence, its index within its passage
    s_dense: np.ndarray
    s_bm: np.ndarray
    x: np.ndarray  # sentence features (SENTENCE_FEATURES order)
    q_words: list[str]
    unknown_names: list[str]
    unknown_words: float
    question: str = ""
    attrs: np.ndarray | None = None  # answer-type bits of each sentence (features.attribute_bits)
    # the sentences a speech question raises (the quotes of the speaker it names), if any
    raised: np.ndarray | None = None


class Searcher:
    """Answers questions from a loaded index; safe for concurrent readers."""

    def __init__(self, data: IndexData, encoder, config: SearchConfig | None = None,
                 models: tuple[LinearModel | None, LinearModel | None] | None = None) -> None:
        self.data = data
        self.encoder = encoder
        self.config = config or SearchConfig()
        self.ranker, self.answerer = models if models is not None else load_models()
        self._docs = data.documents
        self._vocab = data.sparse.retriever.vocab_dict
        self._possessives: dict[str, bool] = {}
        self._owners: dict[str, frozenset[str] | None] | None = None  # `_body_owners`, on first use
        self._sorted_vocab: list[str] | None = None  # for `_extensions`, sorted on first use
        # stored at index time; an older index's bits are computed on first sight and kept
        self._attrs: np.ndarray | None = data.sentence_attrs
        self._attrs_stored = data.sentence_attrs is not None
        self.soft = self._soft_matcher()
        self._casing: dict[str, str] | None = None
        self._written_phrase: dict[str, bool] = {}  # "security council": whether the corpus writes it
        self._pronouns: np.ndarray | None = None  # by sentence row: 1 if it speaks by pronoun, -1 unread
        self.synonyms = data.synonyms or {}
        if data.synonyms is None and self.size:
            log.warning("the index has no synonym table; run `qabot index` to add it (answers are "
                        "ranked less well until then)")

    def _soft_matcher(self) -> SoftMatcher | None:
        """Soft word matching, if the index stores word pieces (built by this version)."""
        d = self.data
        if d.pieces is None or d.piece_offsets is None or d.piece_table is None or self.encoder is None:
            if self.size:
                log.warning("the index has no word pieces; run `qabot index` to add them (answers are "
                            "ranked less well until then)")
            return None
        stop = set(_import_bm25s().stopwords.STOPWORDS_EN)
        content = content_mask(self.encoder.piece_vocab(), stop)
        return SoftMatcher(d.piece_table, d.pieces, d.piece_offsets, content)

    def _casing_table(self) -> dict[str, str]:
        if self._casing is None:
            self._casing = casing_table(s for p in self.data.passages for s in p.sentences)
        return self._casing

    def normalise(self, question: str) -> str:
        """The question as every step reads it: cleaned (`clean_question`), a fronted "of" or
        "to" put after its verb (`features.preposition_last`), lower-case words
        the corpus capitalises given their capitals ("michel" -> "Michel", truecase.py), and
        title abbreviations the corpus does not use written out ("PM" -> "Prime Minister"),
        countries and capitals it never mentions capitalised ("turkey" -> "Turkey"), and a
        number of sides in the corpus's form ("three-way" -> "trilateral"), and "the two
        capitals" by name where the corpus names two."""
        cased = capitalised_places(truecase(preposition_last(without_source(clean_question(question))),
                                            self._casing_table()),
                                   self.known)
        return as_the_capitals(as_sides(spelled_out(cased, self.known), self.known), self.known)

    @property
    def size(self) -> int:
        return len(self.data.passages)

    def search(self, question: str, k: int = 3, *, config: SearchConfig | None = None) -> Answer:
        return self.batch_search([question], k, config=config)[0]

    def encode_questions(self, clean: Sequence[str], config: SearchConfig | None = None) -> np.ndarray | None:
        """Vectors of cleaned questions, in one batch (None where the mode reads no vectors)."""
        if (config or self.config).mode == "bm25" or self.size == 0:
            return None
        clean = [as_owning_countries(c, self.known, self.written_possessive) for c in clean]
        return self.encoder.encode([c or " " for c in clean])

    def batch_search(self, questions: Sequence[str], k: int = 3, *, config: SearchConfig | None = None,
                     vectors: np.ndarray | None = None,
                     boosts: Sequence[dict[int, float] | None] | None = None,
                     readings: Sequence[str] | None = None) -> list[Answer]:
        """Answers for many questions; the questions are encoded in one batch (or `vectors`,
        from `encode_questions`, are theirs), and read by the lexical search as cleaned (or as
        `readings[i]`: the engine writes a person named by office by name). `boosts[i]` raises
        sentence rows for question i by so many standard units of its sentence scores (the
        quotes of a speaker asked about)."""
        cfg = config or self.config
        questions = [q if isinstance(q, str) else str(q) for q in questions]
        # whitespace and control characters folded; overlong questions cut (the model reads
        # 256 word pieces anyway, and BM25 over a novel-length "question" is noise)
        clean = [self.normalise(q) for q in questions]
        if self.size == 0:
            return [Answer(q, False, []) for q in questions]
        vecs = vectors if vectors is not None or cfg.mode == "bm25" else self.encode_questions(clean, cfg)
        out = []
        for i, q in enumerate(questions):
            qv = vecs[i] if vecs is not None else None
            cands = self.candidates(readings[i] if readings is not None else clean[i], qv, cfg)
            ans = self._answer(q, cands, k, cfg, boosts[i] if boosts else None)
            if len(" ".join(q.split())) > MAX_QUESTION_CHARS:  # spaces alone do not count
                ans.notice = f"The question was cut to its first {MAX_QUESTION_CHARS} characters."
            out.append(ans)
        return out

    def sentence_scores_of(self, clean: str, qv: np.ndarray | None, rows: np.ndarray,
                           config: SearchConfig | None = None) -> np.ndarray:
        """The ranker's score of given sentence rows for a question (NaN for a sentence outside
        its candidates): a speaker's quotes are ordered by what orders every other answer."""
        cfg = config or self.config
        out = np.full(len(rows), np.nan)
        c = self.candidates(clean, qv, cfg)
        if c is None:
            return out
        scores = self.sentence_scores(c, cfg)
        where = {int(r): i for i, r in enumerate(self._sentence_rows(c))}
        for n, r in enumerate(rows):
            i = where.get(int(r))
            if i is not None:
                out[n] = scores[i]
        return out

    def _sentence_rows(self, c: Candidates) -> np.ndarray:
        """The index row of each candidate sentence (as `sentence_vectors` and the sentence BM25
        number them): what boosts and quote records name sentences by."""
        return self.data.sentence_offsets[c.rows[c.owner]] + c.local

    # -- candidates and features --

    def candidates(self, clean: str, qv: np.ndarray | None, cfg: SearchConfig) -> Candidates | None:
        """Candidate passages from both indexes, and every sentence of them with features."""
        data = self.data
        clean = self.lexical_form(clean)
        n = self.size
        c = min(cfg.candidates, n)
        use_dense = qv is not None
        use_sparse = cfg.mode != "dense" and bool(clean)
        # "Which other court ...?": "other" says what is not asked, not what is
        words = without_when_asked(_OTHER.sub("", clean) if excluded_topic(clean) else clean)
        q_words = list(query_tokens(words)) if clean else []
        bm = data.sparse.scores(words) if use_sparse else None
        rows: dict[int, float] = {}
        if use_dense:
            d_scores, d_ids = data.dense.search(qv, c)
            for s, r in zip(d_scores, data.rows_of_ids(d_ids)):
                rows[int(r)] = float(s)
        if bm is not None:
            for r in _top_rows(bm, c):
                if int(r) not in rows:
                    rows[int(r)] = math.nan
        if not rows:
            return None
        cand = np.fromiter(rows.keys(), dtype=np.int64)
        p_dense = np.fromiter(rows.values(), dtype=np.float32)
        missing = np.isnan(p_dense)
        if use_dense and missing.any():
            p_dense[missing] = data.dense.vectors(data.ids[cand[missing]]) @ qv
        p_dense = np.nan_to_num(p_dense)
        p_bm = bm[cand].astype(np.float32) if bm is not None else np.zeros(len(cand), np.float32)

        offs = data.sentence_offsets
        spans = [(int(offs[r]), int(offs[r + 1])) for r in cand]
        s_rows = np.concatenate([np.arange(a, b) for a, b in spans]).astype(np.int64)
        owner = np.concatenate([np.full(b - a, j) for j, (a, b) in enumerate(spans)]).astype(np.int64)
        local = np.concatenate([np.arange(b - a) for a, b in spans]).astype(np.int64)
        s_dense = (np.asarray(data.sentence_vectors[s_rows]) @ qv).astype(np.float32) \
            if use_dense and len(s_rows) else np.zeros(len(s_rows), np.float32)
        if use_sparse and len(s_rows):
            s_bm, s_present = data.sentence_sparse.lookup(words, s_rows)
        else:
            s_bm, s_present = np.zeros(len(s_rows), np.float32), np.zeros(len(s_rows), np.int32)

        # lexical and answer-type features; word coverage comes from the posting lists
        qset = set(q_words)
        nq = max(1, len(qset))
        names = question_names(clean)
        qtype = question_type(clean)
        x = np.zeros((len(s_rows), len(SENTENCE_FEATURES)), np.float32)
        p_present = data.sparse.lookup(words, cand)[1] if clean else np.zeros(len(cand), np.int32)
        p_cov = (p_present / nq).astype(np.float32) if qset else np.zeros(len(cand), np.float32)
        p_names = np.zeros(len(cand), np.float32)
        if names:
            for j, r in enumerate(cand):
                low = data.passages[r].text.lower()
                p_names[j] = sum(nm in low for nm in names) / len(names)
        attrs = self._sentence_attributes(s_rows, cand, owner, local)
        if qset:
            x[:, 6] = s_present / nq
        if names:
            for i, (j, loc) in enumerate(zip(owner, local)):
                low = data.passages[cand[j]].sentences[loc].lower()
                x[i, 8] = sum(nm in low for nm in names) / len(names)
        for col, (qt, bit) in zip(range(10, 15), _TYPE_BITS):
            if qtype == qt:
                x[:, col] = (attrs & bit) > 0
        x[:, 15] = np.log1p(data.sentence_sparse.distinct_words[s_rows]) if len(s_rows) else 0.0
        if self.soft is not None and clean:
            soft = self.soft.coverage(self.soft.question_pieces(self.encoder.piece_ids([words])[0]), s_rows)
            x[:, 16] = soft
            x[:, 17] = _norm(soft)
        if self.synonyms and q_words and len(s_rows):
            x[:, 18], x[:, 19] = self._synonym_cover(q_words, s_rows, self._phrasal_relatives(clean),
                                                     opposites=is_polar(clean))
        if len(s_rows):
            self._context(x, s_rows, cand, owner, local, qv if use_dense else None, names)
        x[:, 0] = s_dense
        x[:, 1] = _norm(s_dense)
        x[:, 2] = _scale(s_bm)
        x[:, 3] = p_dense[owner]
        x[:, 4] = _norm(p_dense)[owner]
        x[:, 5] = _scale(p_bm)[owner]
        x[:, 7] = p_cov[owner]
        x[:, 9] = p_names[owner]
        # words naming what is asked ("What position does she hold?") say nothing of the topic
        focus = _FOCUS.match(clean)
        frame = _FRAME_STEMS | set(stem_words([focus.group(1).lower()])) if focus else _FRAME_STEMS
        if qtype in ("when", "where"):  # "When did the summit happen?": the verb only asks when
            frame = frame | _EVENT_STEMS
        if asks_importance(clean):  # "Why does the corridor matter so much?" asks what it is to them
            frame = frame | _IMPORTANCE_STEMS
        if asks_view(clean):  # "How did analysts interpret it?" asks what they took it for
            frame = frame | _VIEW_STEMS
        # "summit" where the corpus says "meeting" and "talks": one event by another name
        gatherings = _GATHERING_STEMS if any(g in self._vocab for g in _GATHERING_STEMS) else frozenset()
        unknown = [w for w in qset if w not in frame and w not in gatherings and not self._met(w)]
        unknown_words = len(unknown) / len(qset) if qset else 1.0
        return Candidates(cand, p_dense, p_bm, owner, local, s_dense, s_bm, x, q_words,
                          self._unknown_names(clean), unknown_words, clean, attrs)

    def _context(self, x: np.ndarray, s_rows: np.ndarray, cand: np.ndarray, owner: np.ndarray,
                 local: np.ndarray, qv: np.ndarray | None, names: list[str]) -> None:
        """Features of the sentence before a sentence that speaks by pronoun ("He said he urged
        them ..."): how near it is to the question (prev_dense), and the question's names it
        holds that the sentence lacks (prev_names). The names a pronoun stands for are there."""
        data = self.data
        if self._pronouns is None:
            self._pronouns = np.full(data.sentence_vectors.shape[0], -1, np.int8)
        flags = self._pronouns[s_rows]
        for i in np.flatnonzero(flags < 0):  # first sight of the sentence: read it once
            sent = data.passages[int(cand[owner[i]])].sentences[int(local[i])]
            self._pronouns[s_rows[i]] = flags[i] = bool(_PRONOUN.search(sent))
        prev = []
        for i in np.flatnonzero(flags > 0):
            j, loc = owner[i], int(local[i])
            r = int(cand[j])
            p = data.passages[r]
            if loc:
                prev.append((i, p.sentences[loc - 1]))
            elif r and data.passages[r - 1].doc_id == p.doc_id and data.passages[r - 1].sentences:
                prev.append((i, data.passages[r - 1].sentences[-1]))
        if not prev:
            return
        at = np.fromiter((i for i, _ in prev), np.int64)
        if qv is not None:
            x[at, 20] = np.asarray(data.sentence_vectors[s_rows[at] - 1]) @ qv
        if names:
            for i, text in prev:
                own = data.passages[cand[owner[i]]].sentences[local[i]].lower()
                low = text.lower()
                x[i, 21] = sum(n in low and n not in own for n in names) / len(names)

    def _phrasal_relatives(self, clean: str) -> dict[str, list[str]]:
        """{verb stem: WordNet relatives of the phrasal verb it heads in the question}: "turn
        down" is met by "rejected", "back up" by "support", where "turn" and "back" are not."""
        words = _PHRASE_WORDS.findall(clean.lower())
        out: dict[str, list[str]] = {}
        for verb, particle in zip(words, words[1:]):
            if particle in PARTICLES:
                head = stem_words([verb])[0]
                near = self.synonyms.get(phrasal_key(head, particle))
                if near:
                    out.setdefault(head, []).extend(near)
        return out

    def _synonym_cover(self, q_words: list[str], s_rows: np.ndarray,
                       phrasal: dict[str, list[str]] | None = None,
                       opposites: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(share of question words a sentence lacks but holds a WordNet relative of, share it
        holds either way): "evidence" is met by "proof", "spokesperson" by "spokeswoman"; a
        phrasal verb's head by the phrase's relatives (`phrasal`); with `opposites` (a yes/no
        question), a word by its antonyms too ("acknowledge" by "denied")."""
        words = list(dict.fromkeys(q_words))
        sent = self.data.sentence_sparse
        exact = sent.presence(words, s_rows)
        related = np.zeros_like(exact)
        for i, w in enumerate(words):
            near = self.synonyms.get(w, []) + (phrasal or {}).get(w, []) \
                + (self.synonyms.get(antonym_key(w), []) if opposites else []) \
                + (self._extensions(w) if len(w) >= MIN_EXTENDED else [])
            if near:
                related[i] = sent.presence(near, s_rows).any(axis=0)
        only = related & ~exact
        n = len(words)
        return only.sum(0) / n, (exact | related).sum(0) / n

    def _extensions(self, stem: str) -> list[str]:
        """Corpus words that are the stem with a short suffix the stemmer keeps ("short" ->
        "shortag", "comment" -> "commentari"): a derivation WordNet does not link. At most
        MAX_SUFFIX more letters, so "armen" does not reach every word it starts."""
        if self._sorted_vocab is None:
            self._sorted_vocab = sorted(self._vocab)
        words = self._sorted_vocab
        out = []
        for i in range(bisect.bisect_right(words, stem), len(words)):
            v = words[i]
            if not v.startswith(stem):
                break
            if len(v) - len(stem) <= MAX_SUFFIX:
                out.append(v)
        return out

    def _sentence_attributes(self, s_rows: np.ndarray, cand: np.ndarray, owner: np.ndarray,
                             local: np.ndarray) -> np.ndarray:
        """Answer-type bits of each sentence: from the index, else computed on first sight and kept."""
        if self._attrs is None:
            self._attrs = np.zeros(self.data.sentence_vectors.shape[0], np.uint8)
        out = np.asarray(self._attrs[s_rows])
        if self._attrs_stored:
            return out
        for i in np.flatnonzero(out & KNOWN == 0):
            sent = self.data.passages[cand[owner[i]]].sentences[local[i]]
            self._attrs[s_rows[i]] = out[i] = attribute_bits(sent)
        return out

    def known(self, words: str) -> bool:
        """Whether every indexed word (stem) of `words` occurs in the corpus."""
        stems = query_tokens(words)
        return bool(stems) and all(st in self._vocab for st in stems)

    def lexical_form(self, clean: str) -> str:
        """The question as BM25 and the unknown-name check read it: a capital the corpus never
        names stands for its country ("Moscow's request" -> "Russia's request"), and "the
        Belgian capital" is the city where the corpus names it ("Brussels"), and an acronym it
        never writes is the name its initials spell there ("ECHR" -> "European Court of Human
        Rights", acronyms.py)."""
        clean = as_named_bodies(self._spelled_initialisms(clean), self.known)
        clean = as_countries(as_capitals(clean, self.known), self.known, self.written_possessive)
        # "earlier in the year", which the corpus never writes, is when, not words to match
        # ("reported earlier"); "earlier this month", which it writes, stays
        clean = _RELATIVE_TIME.sub(lambda m: m.group(0) if self._writes(m.group(0)) else "", clean)
        return self._as_one_word(as_places_of_kind(clean, self.known))

    def _as_one_word(self, clean: str) -> str:
        """`clean` with a phrase for a thing the corpus names in one word read as that word
        ("Baku's control post" -> "Baku's checkpoint", "at the start of the week" -> "at the
        monday"; lexicon.COMPOUNDS), where the corpus never writes the phrase."""
        for word, phrases in COMPOUNDS.items():
            if not self.known(word):
                continue
            for phrase in phrases:
                if phrase.split()[0] in clean.lower() and not self._writes(phrase):
                    spaced = r"[\s-]+".join(phrase.split())
                    clean = re.sub(rf"\b{spaced}(?=s?\b)", word, clean, flags=re.I)
        return clean

    def written_possessive(self, name: str) -> bool:
        """Whether the corpus writes `name` with a possessive ("Baku's demands")."""
        if name not in self._possessives:
            owner = re.compile(rf"\b{re.escape(name)}[’']s\b")
            self._possessives[name] = any(owner.search(p.text) for p in self.data.passages)
        return self._possessives[name]

    def _spelled_initialisms(self, clean: str) -> str:
        if not self.synonyms:
            return clean

        def spell(m: re.Match) -> str:
            word = m.group(0)
            long_form = None if self.known(word) else self.synonyms.get(initialism_key(word))
            return long_form[0] if long_form else word
        return _CAPS_WORD.sub(spell, clean)

    def unknown_names(self, clean: str) -> list[str]:
        """Names, acronyms and numbers in the question that appear nowhere in the corpus."""
        return self._unknown_names(self.lexical_form(clean))

    def _unknown_names(self, lexical: str) -> list[str]:
        """unknown_names of a question already in its lexical form."""
        lexical = without_known_wholes(lexical, self.known)
        unknown = []
        for i, m in enumerate(_TOKEN.finditer(lexical)):
            word = m.group(0)
            if not (word[0].isupper() or word[0].isdigit()) or word.lower() in _QUESTION_WORDS:
                continue
            if i == 0 and not (word.isupper() or word[0].isdigit()):
                continue  # a sentence-initial capital says nothing
            word = re.sub(r"[’']s?$", "", word)
            # in a compound only the capitalised parts are names ("Armenian-inhabited")
            name = " ".join(p for p in word.split("-") if p[:1].isupper() or p[:1].isdigit())
            stems = [st for st in query_tokens(name) if len(st) > 1]
            if stems and not all(st in self._vocab for st in stems):
                unknown.append(word)
        return unknown + self._unowned_bodies(lexical) + self._unwritten_bodies(lexical)

    def _unwritten_bodies(self, lexical: str) -> list[str]:
        """Bodies named by a word the corpus writes only in lower case and a body's head ("the
        UN Security Council", where the corpus has "rights and security" and "the European
        Council"): each word is known, the name is not, unless the corpus writes the two words
        together."""
        out = []
        for m in _BODY_NAME.finditer(lexical):
            word = m.group("word")
            if m.start() == 0 or word.lower() in self._casing_table() or word.isupper():
                continue
            if not self._writes(m.group(0)):
                out.append(m.group(0))
        return out

    def _writes(self, phrase: str) -> bool:
        """Whether some passage writes `phrase` (its words in order, any case and spacing)."""
        key = " ".join(phrase.lower().split())
        if key not in self._written_phrase:
            if len(self._written_phrase) >= MAX_WRITTEN_PHRASES:  # a bot hears any number
                self._written_phrase.clear()
            pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, key.split())) + r"\b", re.I)
            self._written_phrase[key] = any(pattern.search(p.text) for p in self.data.passages)
        return self._written_phrase[key]

    def _unowned_bodies(self, lexical: str) -> list[str]:
        """The bodies the question names by whose they are where the corpus writes that body
        only as another's: "the EU monitoring mission" where it names only "the Russian
        peacekeeping mission" (though it knows both the EU and a mission)."""
        owners = self._body_owners()
        return [words for words, noun, keys in owned_bodies(lexical)
                if keys and owners.get(noun) and not keys & owners[noun]]

    def _body_owners(self) -> dict[str, frozenset[str] | None]:
        """For each body noun the corpus writes, whose it names it as (and the bodies and regions
        those are part of: the ICJ's court is the UN's); None where it also writes one of no one's
        ("the ministry" said), which may be anyone's."""
        if self._owners is None:
            seen: dict[str, set[str] | None] = {}
            for p in self.data.passages:
                for _, noun, keys in owned_bodies(p.text):
                    if not keys:
                        seen[noun] = None
                    elif seen.setdefault(noun, set()) is not None:
                        seen[noun] |= keys.union(*(wholes_of(k) for k in keys))
            self._owners = {n: frozenset(k) if k is not None else None for n, k in seen.items()}
        return self._owners

    # -- scoring --

    def sentence_scores(self, c: Candidates, cfg: SearchConfig) -> np.ndarray:
        """One score per candidate sentence, in the configured way."""
        if cfg.mode == "dense":
            return c.s_dense.astype(np.float64) + 0.3 * c.p_dense[c.owner]
        if cfg.mode == "bm25":
            return _scale(c.s_bm) + _scale(c.p_bm)[c.owner]
        if cfg.fusion == "learned" and self.ranker is not None:
            return self.ranker.score(c.x.astype(np.float64))
        if cfg.fusion == "rrf":
            p = _rrf(c.p_dense, cfg.rrf_k) + _rrf(c.p_bm, cfg.rrf_k)
            s = _rrf(c.s_dense, cfg.rrf_k) + _rrf(c.s_bm, cfg.rrf_k)
        else:
            p = cfg.w_dense * _norm(c.p_dense) + (1 - cfg.w_dense) * _norm(c.p_bm)
            s = cfg.w_dense * _norm(c.s_dense) + (1 - cfg.w_dense) * _norm(c.s_bm)
        return (1 - cfg.sentence_mix) * p[c.owner] + cfg.sentence_mix * s

    @staticmethod
    def _top_sentence(c: Candidates, s_score: np.ndarray, p_score: np.ndarray) -> tuple[int, int]:
        """(the first candidate passage, its best-scoring candidate sentence): what an answer shows first."""
        top = int(np.argmax(p_score))
        mine = np.flatnonzero(c.owner == top)
        return top, int(mine[np.argmax(s_score[mine])])

    def answer_features(self, c: Candidates, s_score: np.ndarray, p_score: np.ndarray) -> np.ndarray:
        order = np.argsort(-p_score, kind="stable")
        top, best = self._top_sentence(c, s_score, p_score)
        mine = c.owner == top
        margin = float(p_score[top] - p_score[order[1]]) if len(order) > 1 else 1.0
        return np.array([
            float(p_score[top]), float(c.s_dense[mine].max()), float(c.p_dense[top]),
            float(c.x[best, 6]), float(c.x[best, 7]), float(len(c.unknown_names)), c.unknown_words, margin,
        ])

    def _answer(self, question: str, c: Candidates | None, k: int, cfg: SearchConfig,
                boost: dict[int, float] | None = None) -> Answer:
        if c is None:
            return Answer(question, False, [])
        s_score = self.sentence_scores(c, cfg)
        if boost:
            add = np.array([boost.get(int(r), 0.0) for r in self._sentence_rows(c)])
            if add.any():
                s_score = s_score + add * (float(s_score.std()) or 1.0)
                c.raised = add > 0
        if cfg.mode == "hybrid":
            s_score = self._pronoun_follows(c, self._read_as_asked(c, s_score))
        furniture = self._furniture(c, cfg)
        if len(furniture):  # "where was this story filed from?", "who wrote it?": the article's own line
            s_score = s_score.copy()
            s_score[furniture] += float(s_score.max() - s_score.min()) + 1.0
        p_score = np.full(len(c.rows), -np.inf)
        np.maximum.at(p_score, c.owner, s_score)
        if not len(furniture) and cfg.mode == "hybrid":
            s_score, p_score = self._supported_first(c, s_score, p_score)
        order = np.argsort(-p_score, kind="stable")
        hits: list[Hit] = []
        seen_text: set[str] = set()
        taken: list[tuple[str, int, int]] = []
        data = self.data
        for j in order:
            r = int(c.rows[j])
            p = data.passages[r]
            key = " ".join(p.text.lower().split())
            if key in seen_text or any(d == p.doc_id and p.start < e and s < p.end for d, s, e in taken):
                continue  # the same text from another file, or an overlapping window
            seen_text.add(key)
            taken.append((p.doc_id, p.start, p.end))
            mine = np.flatnonzero(c.owner == j)
            hl = int(c.local[mine[np.argmax(s_score[mine])]]) if len(mine) else 0
            meta = self._docs.get(p.doc_id, {})
            hits.append(Hit(
                rank=len(hits) + 1, score=round(float(p_score[j]), 6), passage_id=p.passage_id,
                doc_id=p.doc_id, title=meta.get("title", p.doc_id), paragraphs=list(p.paragraphs),
                text=p.text, highlight=p.sentences[hl] if p.sentences else p.text,
                citation=make_citation(meta, p.paragraphs, p.doc_id, len(hits) + 1), highlight_index=hl,
                dense=round(float(c.p_dense[j]), 4), bm25=round(float(c.p_bm[j]), 4),
            ))
            if len(hits) >= k:
                break
        if len(furniture):
            answered = not c.unknown_names
        else:  # "Who heads Azerbaijan's foreign ministry?" and no one named so: not a guess
            answered = self._answerable(c, s_score, p_score, cfg) and not self._role_unnamed(c, cfg)
        return Answer(question, answered, hits if answered else [], abstained_hits=[] if answered else hits)

    def _kin_for_unknown_kinds(self, q_words: Sequence[str]) -> list[list[str]]:
        """For each kind of speaker the question names by a word the corpus never uses
        ("commentators"), the corpus's words for the same kind ("analysts", "critics")."""
        asked, out = set(q_words), []
        for fam in _KIND_STEMS:
            if asked & fam and not any(w in self._vocab for w in asked & fam):
                kin = sorted(w for w in fam if w in self._vocab)
                if kin:
                    out.append(kin)
        return out

    def _pronoun_follows(self, c: Candidates, s_score: np.ndarray) -> np.ndarray:
        """The best sentence often restates the question's names ("In a weekend statement, the
        Azerbaijani Foreign Ministry defended ...") and the next, speaking of them by pronoun,
        says what was asked ("It accused the peacekeepers of ..."), which the word features,
        missing the names, rank below it. When the next sentence opens with a subject pronoun,
        the model's vectors put it nearer the question than the best, and its score is within
        PRONOUN_NEAR standard units, it goes first (by REASON_LIFT units)."""
        top = int(np.argmax(s_score)) if len(s_score) else -1
        b = _next_sentence(c, top) if top >= 0 else -1
        if b < 0:
            return s_score
        std = float(s_score.std()) or 1.0
        if c.s_dense[b] <= c.s_dense[top] or s_score[b] < s_score[top] - PRONOUN_NEAR * std:
            return s_score
        if not _SUBJECT_PRONOUN.match(self.data.passages[int(c.rows[c.owner[b]])].sentences[int(c.local[b])]):
            return s_score
        return _put_above(s_score, b, top)

    def _read_as_asked(self, c: Candidates, s_score: np.ndarray) -> np.ndarray:
        """Sentence scores moved by what the question's form says of its answer: a sentence
        naming what it sets aside ("Besides the ICJ, which court ...?") goes down
        EXCLUDED_PENALTY standard units, since the ICJ's order is the one answer ruled out; one
        holding the act a who-question asks the doer of ("Who hosted the talks?") goes up
        ACT_BOOST, above the sentences that only share the rest of its words; and so does one
        naming a body by the qualifier asked ("Which Russian government body ...?" and "the
        Russian Foreign Ministry"), above those that only mention Russia."""
        aside, act = excluded_topic(c.question), asked_act(c.question)
        qtype = question_type(c.question)
        if aside:
            s_score = self._shift(c, s_score, list(query_tokens(aside)), -EXCLUDED_PENALTY)
        stems = list(query_tokens(act)) if act else []
        if len(stems) == 1:  # "Who condemned ...?" is met by "denounced by": the act's kin too
            kin = _act_family(stems[0])
            phrasal = self._phrasal_relatives(c.question).get(stems[0])
            if phrasal:  # "Whose appeals did Azerbaijan turn down?" is met by "rejected", not "turn"
                kin = frozenset(phrasal)
            if act.lower().endswith("ed") and not phrasal:
                # a past act asked ("Who criticised ...?", "Which body issued ...?") is met by a verb,
                # "denounced by", not a noun of its stem ("critics of", "the discussed issues")
                held = self._sentences_that(c, lambda t: _acted(t, kin))
                s_score = _raise(s_score, held, ACT_BOOST)
            else:
                s_score = self._shift(c, s_score, sorted(kin), ACT_BOOST, every=False)
        for kin in self._kin_for_unknown_kinds(c.q_words):
            s_score = self._shift(c, s_score, kin, KIND_BOOST, every=False)
        trigger = asks_trigger(c.question)
        if qtype == "why" and not trigger:  # a trigger comes before, not after
            s_score = self._reason_follows(c, s_score)
        if asks_response(c.question):
            s_score = self._shift(c, s_score, RESPONSE_STEMS, ACT_BOOST, every=False)
        for asks, tells in _ANSWERED_BY:
            if asks(c.question):
                s_score = _raise(s_score, self._sentences_that(c, tells), ACT_BOOST)
        if asks_participants(c.question):  # "Who took part?": the sentence naming several people
            s_score = self._lift_near(c, s_score, names_several, PARTICIPANTS_NEAR)
        if asks_consequence(c.question):  # "What humanitarian impact has the closure had?"
            s_score = self._lift_near(c, s_score, tells_consequence, CONSEQUENCE_NEAR)
        if asks_pair(c.question):  # "How did Michel weigh the two routes?": "I see both options as ..."
            s_score = self._lift_near(c, s_score, tells_both, CONSEQUENCE_NEAR)
        person = parse_role_question(c.question)
        if person:  # "What is Pashinyan's job?": where he is named by it ("Prime Minister Nikol Pashinyan")
            s_score = self._lift_near(c, s_score, lambda t: titles(t, person), TITLE_NEAR)
        kin = _what_act(c.question)
        if kin:  # "What shortcomings did Baku attribute to ...?": "It accused the peacekeepers of ..."
            held = self._sentences_that(c, lambda t: _acted(t, kin))
            top = int(np.argmax(s_score))
            if held[c.owner == c.owner[top]].any():  # the first passage's own, where it has one
                s_score = _first_in_passage(c, s_score, lambda i: bool(held[i]))
            else:
                s_score = self._lift_near(c, s_score, lambda t: _acted(t, kin), CONSEQUENCE_NEAR)
        if asks_medium(c.question):  # "Through what medium did she remark ...?": "in a Twitter post"
            s_score = self._lift_near(c, s_score, names_medium, MEDIUM_NEAR)
        if asks_another(c.question):  # "Did any other court rule on it?": "... issued a similar order"
            s_score = self._lift_near(c, s_score, tells_likeness, CONSEQUENCE_NEAR)
        if asks_place_of(c.question):  # "Where exactly is the control post?": "at the entry of ..., by ..."
            s_score = self._lift_near(c, s_score, tells_place_in_detail, CONSEQUENCE_NEAR)
        if asks_besides(c.question) and qtype != "who":
            # "Besides the treaty, what was discussed?": "not only ... but also" (whom else
            # "besides analysts" is named beside them, "analysts and critics", not by an addition)
            s_score = self._lift_near(c, s_score, tells_addition, CONSEQUENCE_NEAR)
        if trigger:
            s_score = self._shift(c, s_score, _TRIGGER_STEMS, TRIGGER_BOOST, every=False)
        qual = asked_body(c.question)
        if qual:
            q_stem = stem_words([qual.lower()])[0]
            held = self._sentences_that(c, lambda t: names_body(t, q_stem, stem_words))
            s_score = _raise(s_score, held, ACT_BOOST)
        return s_score

    def _lift_near(self, c: Candidates, s_score: np.ndarray, test, near: float) -> np.ndarray:
        """The best sentence passing `test(text)` put just above the best one (`_put_above`)
        when it is within `near` standard units of it: a form's answer among sentences that
        share the question's words, without raising its score (the abstention reads the top
        score, and a sentence raised far above the rest would look surer than it is)."""
        held = self._sentences_that(c, test)
        top = int(np.argmax(s_score))
        if c.raised is not None and c.raised[top]:
            # "What did the analyst fear from treating both routes alike?": the speaker's words,
            # not another's "I see both options ..."
            held &= c.raised
        if not held.any():
            return s_score
        i = int(np.flatnonzero(held)[np.argmax(s_score[held])])
        if i == top or s_score[i] < s_score[top] - near * (float(s_score.std()) or 1.0):
            return s_score
        return _put_above(s_score, i, top)

    def _sentences_that(self, c: Candidates, test) -> np.ndarray:
        """Which candidate sentences pass `test(text)`."""
        passages = self.data.passages
        sents = (passages[int(c.rows[j])].sentences[int(loc)] for j, loc in zip(c.owner, c.local))
        return np.fromiter((bool(test(t)) for t in sents), bool, len(c.owner))

    def _reason_follows(self, c: Candidates, s_score: np.ndarray) -> np.ndarray:
        """A why-question's best sentence often restates the event asked about ("In a weekend
        statement, the ministry defended ...") and the next one gives the reason ("It accused the
        peacekeepers of ...", "..., saying that ..."): when the best gives none and the next one
        in its passage does, the next one is highlighted, REASON_LIFT standard units above it; so
        is, failing that, a runner-up within REASON_NEAR units of the best that gives one."""
        top = int(np.argmax(s_score))
        j, loc = int(c.owner[top]), int(c.local[top])
        p = self.data.passages[int(c.rows[j])]
        if gives_reason(p.sentences[loc]) or gives_purpose(p.sentences[loc]):
            return s_score
        lift = _next_sentence(c, top)
        if lift < 0 or not gives_reason(p.sentences[loc + 1]):
            # or a runner-up all but level with it that does ("..., saying that it is a ploy")
            floor = s_score[top] - REASON_NEAR * (float(s_score.std()) or 1.0)
            near = [int(i) for i in np.argsort(-s_score)[1:4] if s_score[i] >= floor]
            lift = next((i for i in near if gives_reason(
                self.data.passages[int(c.rows[c.owner[i]])].sentences[int(c.local[i])])), -1)
            if lift < 0:
                return s_score
        return _put_above(s_score, lift, top)

    def _shift(self, c: Candidates, s_score: np.ndarray, stems: list[str], units: float,
               every: bool = True) -> np.ndarray:
        """s_score with the sentences holding every stem (or, with every=False, any of them)
        moved `units` standard units."""
        if not stems or not len(s_score):
            return s_score
        present = self.data.sentence_sparse.presence(stems, self._sentence_rows(c))
        return _raise(s_score, present.all(axis=0) if every else present.any(axis=0), units)

    def _furniture(self, c: Candidates, cfg: SearchConfig) -> np.ndarray:
        """The candidate sentences that answer by their form: datelines if the question asks where
        the story was filed, bylines if who wrote it, attributions naming whom it was told to
        (with the question's names) if which outlet someone spoke to."""
        if c.attrs is None or cfg.mode != "hybrid":
            return np.zeros(0, np.int64)
        bit = DATELINE if asks_for_dateline(c.question) else BYLINE if asks_for_byline(c.question) else 0
        if bit:
            return np.flatnonzero(c.attrs & bit)
        if asks_about_photo(c.question):
            found = self._captions(c)
            if len(found):
                return found
        role = asked_role(c.question)
        if role:
            return self._role_holders(c, role)
        if not asks_for_addressee(c.question):
            return np.zeros(0, np.int64)
        names = question_names(c.question)
        found = []
        for i, (j, loc) in enumerate(zip(c.owner, c.local)):
            sent = self.data.passages[c.rows[j]].sentences[loc]
            # the question's person as the one who told it ("Grigoryan told ..."), any of their names
            if any(names_an_addressee(sent, n.rstrip("s’'")) for n in names) if names \
                    else names_an_addressee(sent):
                found.append(i)
        return np.asarray(found, np.int64)

    def _captions(self, c: Candidates) -> np.ndarray:
        """The candidate sentences of photo captions that hold what the question asks for: a
        date for "when", a place for "where", anything for what it shows. A caption names no
        photographer and counts nothing, so who, how many and why are left to the search."""
        qtype = question_type(c.question)
        if qtype in ("who", "quantity", "why"):
            return np.zeros(0, np.int64)
        bit = _TYPE_BIT.get(qtype, 0)
        found = [i for i, j in enumerate(c.owner)
                 if self.data.passages[int(c.rows[j])].paragraphs == [CAPTION]
                 and (not bit or c.attrs[i] & bit)]
        return np.asarray(found, np.int64)

    def _supports_asked(self, c: Candidates, j: int) -> bool:
        """Whether candidate passage j holds the quantity the question asks for: a count of the
        thing counted, a number in the unit asked. (A person or a future date is weaker evidence:
        some passage down the list names one, even for questions the corpus cannot answer.)"""
        text = self.data.passages[int(c.rows[j])].text
        if question_type(c.question) == "when" and c.attrs is not None \
                and not (c.attrs[c.owner == j] & _TYPE_BIT["when"]).any():
            return False  # "When did the summit take place?": a passage without a date cannot say
        return (count_supported(c.question, text, stem_words) is not False
                and measure_supported(c.question, text, stem_words, self.synonyms) is not False
                and responder_named(c.question, text) is not False)

    def _supported_first(self, c: Candidates, s_score: np.ndarray,
                         p_score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """When the first passage lacks the quantity asked but one of the next few holds it ("How
        many leaders met?" and "the three leaders agreed"), that one goes first."""
        order = np.argsort(-p_score, kind="stable")
        if not self._supports_asked(c, int(order[0])):
            for j in order[1:SUPPORTED_DEPTH]:
                if self._supports_asked(c, int(j)):
                    s_score = s_score.copy()
                    s_score[c.owner == j] += float(s_score.max() - s_score.min()) + 1.0
                    p_score = np.full(len(c.rows), -np.inf)
                    np.maximum.at(p_score, c.owner, s_score)
                    break
        return self._told_sentence(c, self._dated_sentence(c, self._measured_sentence(c, s_score))), p_score

    def _told_sentence(self, c: Candidates, s_score: np.ndarray) -> np.ndarray:
        """A question asking for the outlet told, or a person by role, is highlighted where its
        first passage names one: "To which media outlet did the analyst make his remarks?" by
        "..., Grigoryan told RFE/RL's Armenian Service", not by "Michel's reference to it was
        construed by some Armenian analysts ...". A person only where that sentence, with the
        one before it, names every name of the question (`_named_with`): "Which Armenian
        Foreign Ministry official commented on Twitter?" is "the ministry spokeswoman, Ani
        Badalyan, said in a Twitter post" after "The Armenian Foreign Ministry pointed to ...",
        and no Armenian named is a Russian official."""
        if not len(s_score):
            return s_score
        top = int(np.argmax(s_score))
        p = self.data.passages[int(c.rows[c.owner[top]])]

        def holds(i: int) -> bool | None:
            return answer_type_supported(c.question, p.sentences[int(c.local[i])], p.text)
        if asks_outlet(c.question):
            return _first_in_passage(c, s_score, holds)
        if asks_person(c.question):
            named = set(self._named_with(c, lambda sentence, _: answer_type_supported(
                c.question, sentence, p.text), within=int(c.owner[top])))
            return _first_in_passage(c, s_score, lambda i: holds(i) if i == top else i in named)
        return s_score

    def _dated_sentence(self, c: Candidates, s_score: np.ndarray) -> np.ndarray:
        """A when-question (or one asking when and where: "When and where did the leaders
        meet?") is highlighted where its first passage gives a date: "... met in Brussels on
        July 15", not "Speaking after the trilateral meeting, ...", which shares the question's
        words and says no date. (A where-question alone is left be: "Where did she post it?"
        is answered by "in a Twitter post", which names no place.)"""
        if c.attrs is None or not len(s_score):
            return s_score
        if "when" not in {question_type(q) for q in question_parts(c.question) or [c.question]}:
            return s_score
        return _first_in_passage(c, s_score, lambda i: bool(c.attrs[i] & _TYPE_BIT["when"]))

    def _measured_sentence(self, c: Candidates, s_score: np.ndarray) -> np.ndarray:
        """A question asking a quantity in a unit, a date or a day is highlighted where its first
        passage gives one: "the city and the date of the latest meeting" by "... met in Brussels
        on July 15", not by "Speaking after the trilateral meeting, ..."."""
        p = self.data.passages[int(c.rows[c.owner[int(np.argmax(s_score))]])]
        return _first_in_passage(c, s_score, lambda i: measure_supported(
            c.question, p.sentences[int(c.local[i])], stem_words))

    def _role_holders(self, c: Candidates, role: str) -> np.ndarray:
        """Sentences naming a person beside the role asked for, where that sentence or the one
        before it names every name of the question ("the ministry spokeswoman, Ani Badalyan"
        after "The Armenian Foreign Ministry pointed to ..."): the question's names pick whose
        spokeswoman, so one of another ministry is not taken for her."""
        return np.fromiter(self._named_with(c, lambda sent, names: holds_role(sent, role, names)), np.int64)

    def _role_unnamed(self, c: Candidates, cfg: SearchConfig) -> bool:
        """Whether the question asks who holds a role that no candidate sentence names with the
        question's names ("Who is the head of Azerbaijan's foreign ministry?", where the only
        head is the EU's): the corpus does not say, whoever else it names. A role it names but
        by no person ("added the president of the European Council") still answers."""
        role = asked_role(c.question) if cfg.mode == "hybrid" else None
        if role is None:
            return False
        return next(self._named_with(c, lambda sent, names: role_qualified(sent, role, names)), None) is None

    def _named_with(self, c: Candidates, test, within: int | None = None) -> Iterator[int]:
        """The candidate sentences (of the candidate passage `within` only, if given) that pass
        `test(sentence, the question's names)` and, with the sentence before them, name every
        name of the question (a role's qualifier may stand in the sentence before: "The
        Armenian Foreign Ministry pointed to ...")."""
        names = [re.sub(r"['’]s?$", "", n) for n in question_names(c.question)]
        # a capital names its country ("Yerevan's foreign ministry" is "the Armenian Foreign Ministry")
        forms = [{n, _STANDS_FOR_LOWER.get(n, n)} for n in names]
        for i, (j, loc) in enumerate(zip(c.owner, c.local)):
            if within is not None and j != within:
                continue
            sents = self.data.passages[c.rows[j]].sentences
            if not test(sents[loc], names):
                continue
            context = (sents[loc - 1] + " " + sents[loc] if loc else sents[loc]).lower()
            if all(any(f in context for f in alts) for alts in forms):
                yield i

    def _act_unmet(self, c: Candidates, sentence: str) -> bool:
        """For "Which country filed the case at the ICJ?" (a thing, not a person, asked as the
        doer of an act): whether the answer's sentence lacks the act and its kin ("The ICJ court
        ordered Azerbaijan ..." says who was ordered, not who filed). A person asked for is
        named by other verbs too ("Who slammed Armenian diplomacy?" and "decried"), so is left be."""
        act = asked_act(c.question) if _THING_ASKED.match(c.question) else None
        passive = _THING_BY.match(c.question)  # "Under which agreement were peacekeepers deployed?"
        act = act or (passive.group("act") if passive else None)
        stems = list(query_tokens(act)) if act else []
        if len(stems) != 1:
            return False
        kin = set(_act_family(stems[0]))
        kin |= set(self._phrasal_relatives(c.question).get(stems[0], ()))
        kin |= set(self.synonyms.get(stems[0], ())) | set(stems)
        return not kin & set(query_tokens(sentence))

    def _unknown_kind_asked(self, question: str) -> bool:
        """"Who were the so-called eco-activists who first blocked the road?" asks who a kind of
        people are; a kind the corpus never names, by any word of it or its kin, is no one it can
        name (the story's own authors, "the journalists behind this report", aside)."""
        if not asks_who_is(question):  # (a plain test first: the lexical form takes longer)
            return False
        kind = asked_kind_of_people(self.lexical_form(question))
        if kind is None or asks_for_byline(question):
            return False
        stems = query_tokens(kind)
        return bool(stems) and not any(self._met(st) for st in stems)

    def unknown_measure(self, question: str) -> bool:
        """Whether the question names a measure or event the corpus never mentions, by the word
        or its kin (lexicon.NAMED_MEASURES): "What sanctions has the EU imposed on Baku?"."""
        words = [w for w in re.findall(r"[a-z]+", question.lower()) if w in NAMED_MEASURES]
        # (its kin are the measure's own: "truce" is met by "ceasefire", not "penalty" by the
        # "medicine" a thesaurus sense of it shares)
        stems = query_tokens(" ".join(words))
        kin = {st: _MEASURE_STEMS.intersection(self.synonyms.get(st, ())) for st in stems}
        return any(not any(k in self._vocab for k in {st} | near) for st, near in kin.items())

    def _met(self, stem: str) -> bool:
        """Whether the corpus has the word (stem) or one of its kin in the synonym table."""
        return stem in self._vocab or any(k in self._vocab for k in self.synonyms.get(stem, ()))

    def _answerable(self, c: Candidates, s_score: np.ndarray, p_score: np.ndarray, cfg: SearchConfig) -> bool:
        """Abstain when the question names something the corpus never mentions, or is far from it."""
        if cfg.mode == "bm25":
            return bool(c.p_bm.max() > 0)
        if c.unknown_names or self._unknown_kind_asked(c.question) or self.unknown_measure(c.question):
            return False
        f = self.answer_features(c, s_score, p_score)
        top_j, best = self._top_sentence(c, s_score, p_score)
        top = self.data.passages[int(c.rows[top_j])]
        counted = count_supported(c.question, top.text, stem_words)
        if counted is False:
            return False
        if self._act_unmet(c, top.sentences[int(c.local[best])]):
            return False
        # "how old", "in kilometres" without one
        measured = measure_supported(c.question, top.text, stem_words, self.synonyms)
        if measured is False:
            return False
        sentence = top.sentences[int(c.local[best])]
        if answer_type_supported(c.question, sentence, top.text) is False:  # no person, no future
            return False
        if counted is None and quantity_unmet(c.question, sentence):  # "What tonnage of aid ...?" with none
            return False
        if counted:  # "How many leaders met?" and "the three leaders": the passage counts them
            return True
        if measured and measure_supported(c.question, sentence, stem_words, self.synonyms):
            return True  # "What land areas were cited ...?" and "covers 29,800 square kilometers"
        # "On what date did the summit happen?" and "held in Brussels on July 15", whatever
        # words it calls the summit
        if dates_asked(c.question, sentence, stem_words, self.synonyms):
            return True
        if cfg.fusion == "learned" and self.answerer is not None and cfg.mode == "hybrid":
            # "How do I make sourdough bread?": nothing in the corpus is near (the article's own
            # lines, its dateline and byline, answer questions about it that are near no sentence)
            if f[1] < MIN_TOP_DENSE and not (asks_for_dateline(c.question) or asks_for_byline(c.question)):
                return False
            return bool(self.answerer.score(f[None, :])[0] >= self.answerer.threshold)
        dense = float(max(f[1], f[2]))
        if dense >= cfg.min_dense:
            return True
        return bool(dense >= cfg.min_dense_with_words and f[4] >= cfg.min_word_coverage)

    def with_config(self, **changes) -> SearchConfig:
        return replace(self.config, **changes)
