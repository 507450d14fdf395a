"""The one front-end the CLI and the bot use: index, load, ask.

It hides which backends answer (dense + BM25 passages, or the quote index for questions
about who said what) behind `ask` / `batch_ask`, and builds a missing index on first use.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache

from .answer import Answer, Hit, make_citation
from .config import Settings
from .embeddings import Encoder
from .gazetteer import KINDS_OF_PLACE, STANDS_FOR, as_bodies_of_kind, as_owning_countries, place_of_kind
from .index import IndexMissing, UpdateReport, load_index, query_encoder_folder, update_index
from .passages import Passage
from .sparse import query_tokens, stem_words

log = logging.getLogger(__name__)

# how many words either side of a quote its verb stands in ("he urged them to “...”"): 3-6 each
# gain the same (+5 R@1 and highlight over twenty-seven sets), 2 and 7 lose a dozen; see README
VERB_NEAR = 4
# how far (standard units) a speaker's quote goes down whose attribution repeats every word the
# question describes the speaker with, words that match the attribution, not what was said:
# 1.0-3.0 each gain the same (+1 R@1 over thirty-eight sets, and one more in each of two sets
# run once sealed); see README
SPEAKER_ECHO = 2.0
# how much of what a speaker was asked about (three words or more) their response must name to
# be what they said
TOPIC_SHARE = 0.75
_SPEAKER_FILLER = {"the", "of", "s", "a", "an"}
# what a reporter writes for a speech act told without quoting it ("Michel gave no indications
# that ...", "he made it clear that ...")
_REPORTS = (r"(?:said|says|gave no indications?|gave (?:an )?indications?|indicated|signall?ed|suggested|"
            r"noted|stressed|made it clear|did not say|declined)\b")
_QUOTE_MARK = re.compile(r"[“”\"]")
# what someone asked for, named as their own ("Russia's latest calls for ...", "Baku's demands")
_ASKS_NOUN = r"(?:calls?|appeals?|demands?|requests?|pleas?|urgings?)\b"
_URGE_STEMS = frozenset(stem_words(["urge", "demand", "appeal"]))
# what frames a charge answered ("claims that it keeps troops there", "denies having troops there"):
# the answer names the charge, not the frame ("Armenia has repeatedly denied any military presence in
# Karabakh")
_FRAME_STEMS = frozenset(stem_words(["claims", "allegations", "accusations", "charges", "assertions",
                                     "suggestions", "reports", "having", "being"]))
# one person by a role held over a body or place ("the commander of the peacekeeping mission"),
# or the body's command ("the command of the peacekeeping mission")
_ONE_BY_ROLE = re.compile(r"^(?:the\s+)?(?:[\w-]+\s+)?(?P<role>leader|head|commander|command|chief|president|"
                          r"chairman|chairwoman|chair|spokesman|spokeswoman|spokesperson|ambassador|envoy|governor|"
                          r"mayor|minister|premier|prime\s+minister)\s+of\s+(?:the\s+)?", re.I)
# ... or by a place's ("Karabakh's de facto president")
_PLACES_ONE = re.compile(r"^(?:the\s+)?(?-i:[A-Z])[\w-]*['’]s\s+(?:[\w-]+\s+){0,2}(?:leader|head|commander|"
                         r"chief|president|premier|prime\s+minister|ambassador|envoy|governor|mayor)$", re.I)
_GENERIC_VERBS = {"say", "said", "says", "tell", "told", "think", "thinks", "thought", "state", "stated"}
# "I noticed ...", "we agreed ...": a verb the speaker says of themselves
_FIRST_PERSON_ACT = re.compile(r"\b(?:I|[Ww]e)\s+(?:(?:have|had|also|then|all|both)\s+)?([a-z]+)\b")
_WORDS = re.compile(r"[^\W_]+")
# a name owning what a question is about ("Pashinyan's peace policy")
_POSSESSOR = re.compile(r"\b([A-Z][\w-]+)['’]s\b")
# "the Azerbaijani presidential administration", "the Armenian presidency": the president's office
_PRESIDENTIAL = re.compile(r"\bpresiden(?:tial|t's|t’s)\s+(?:administration|office|staff|press service)\b|"
                           r"\bpresidency\b", re.I)
# a person named by the part played at a meeting ("the Brussels host", "the EU convener"), and
# where news says who played it ("hosted by the European Union's top official, Charles Michel")
_HOST = re.compile(r"\b(?:host|conven[eo]r|convening host|mediator|intermediary|facilitator)s?"
                   r"(?:\s+of\s+the\s+(?:talks|summit|meeting|negotiations))?$", re.I)  # "host of the talks"
_HOST_NAMED = re.compile(r"\bthe\s+(?:[\w-]+\s+){0,2}?(?:host|conven[eo]r|mediator)"
                         r"(?:\s+of\s+the\s+(?:talks|summit|meeting))?\b", re.I)
# "the institution the summit host presides over", "the body chaired by Michel": a body named by
# the one who leads it
_LED_BODY = re.compile(
    r"\bthe\s+(?:institution|body|organi[sz]ation|entity)\s+(?:(?:that|which)\s+)?"
    r"(?:(?:is\s+)?(?:chaired|presided\s+over|headed|led)\s+by\s+(?P<by>[^?,]+?)"
    r"|(?:over\s+which\s+)?(?P<who>[^?,]+?)\s+(?:chairs|presides\s+over|presides|heads|leads))"
    r"(?=\s*(?:[?,]|$)|\s+(?:is|was|in|described|characteri[sz]ed|portrayed|depicted|called)\b)", re.I)
# what the article calls a person by the body they lead ("the president of the European Council")
_HEAD_OF = re.compile(r"\b(?:president|head|chair(?:man|woman|person)?|leader|chief)\s+of\s+(?:the\s+)?"
                      r"(?P<body>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)")
_HOSTED_BY = re.compile(r"\b(?:hosted|convened|chaired|mediated|brokered|facilitated) by\s+[^.;:]{0,80}")
# a person's own words asked for ("What did Aliyev personally say?", "his personal reaction")
_PERSONALLY = re.compile(r"\b(?i:personal(?:ly)?)\b|\b[A-Z][\w’'-]+\s+(?:himself|herself)\b")
# a place named by what it is ("the enclave's authorities"), for gazetteer.place_of_kind
_KIND_OF_PLACE = re.compile(r"\b(?:the\s+)?(" + "|".join(KINDS_OF_PLACE) + r")\b", re.I)
# a person the question names by office ("the Armenian premier", "the EU's senior official",
# "the Azerbaijani head of state"), not already followed by a name; `_with_names` reads whom
_DESCRIPTION = re.compile(
    r"(?:\bthe\s+|(?<![\w’'-])(?=[A-Z][\w-]*['’]s\s))(?P<d>(?:[A-Z][\w-]*(?:['’]s)?\s+){1,3}"
    r"(?:(?:senior|top|chief|most\s+senior)\s+)?"
    r"(?:heads?\s+of\s+(?:government|state)|prime\s+minister|foreign\s+minister|premier|president|leader|"
    r"chief|head|official|spokeswoman|spokesman|spokesperson))\b(?!\s+[A-Z])")
_NAME = re.compile(r"\b[A-Z][\w-]*")
_WHO_IS = re.compile(r"^\W*(?:who|whom|whose)\b|\bname\b", re.I)
# "How did Michel say he views the routes?": a view asked through what was said (each verb one of
# quotes.OPINION_VERBS)
_SAYS_HE_THINKS = re.compile(r"^(?:he|she|they|it|we)\s+(?:\w+ly\s+)?(view|see|think|feel|regard|consider|"
                             r"believe|favou?r|prefer|assess|judge)s?\b", re.I)
# standard units (of a question's candidate sentence scores) a quote of the speaker asked for
# goes up, and more with the question's verb: the middle of the plateau (R@1 126-127, highlight
# 116-118 of the 134 speech questions of all seven sets, against 120 and 109 for the search
# alone, and 126 and 115 when only quotes may answer); see README, "Choices". The verb's (or an
# opinion's first-person quote's) share: 2.5 over the twenty-two sets of session 12 (+2 highlight
# against 1.5, 2.0 +1, 3.0 and 4.0 lose a first hit)
QUOTE_BOOST = 1.5
# the descriptions of people (`_with_names`) remembered with whom they name, before starting afresh
MAX_DESCRIPTIONS = 4096
QUOTE_VERB_BOOST = 2.5
# "According to Grigoryan, what ...?" names whose words answer: their quotes (and the reporter's
# account of what they said) go up this much more, past any echo of the question's words (0.5
# gains five first hits over 250 sets and loses none; see README)
ACCORDING_BOOST = 0.5
# a yes/no question about what someone said: their quotes go up less (1.0 and 0 moved one
# highlight each over the twelve sets, 0.5 two; see README, "Choices")
QUOTE_BOOST_YES_NO = 0.5


def _lead_with(first: Hit, fallback: Answer, k: int) -> list[Hit]:
    """`first`, then the search's hits for the question (without first's passage), renumbered."""
    rest = [h for h in (fallback.hits or fallback.abstained_hits) if h.passage_id != first.passage_id]
    hits = [first] + rest[:k - 1]
    for n, h in enumerate(hits, 1):
        h.rank = n
        h.citation = re.sub(r"^\[\d+\]", f"[{n}]", h.citation)
    return hits


def _quote_extra(rec: dict) -> dict:
    """What a hit whose highlight is a quote says of it: who, as written, what, how quoted."""
    return {"speaker": rec["speaker"], "speaker_as_written": rec.get("speaker_as_written", ""),
            "quote": rec["quote"], "kind": rec.get("kind", ""), "confidence": rec.get("confidence", 0.0)}


def _form_unmet(question: str, hits) -> bool:
    """Whether no hit gives what the question's form asks for: the one asked about responding
    ("How did Russia respond to ...?"), a person by name ("Which opposition leaders criticized
    it, by name?"), and so on (`answer_type_supported`)."""
    from .features import answer_type_supported, responder_named

    if not hits:
        return False
    return all(responder_named(question, h.text) is False for h in hits) or \
        answer_type_supported(question, hits[0].highlight, hits[0].text) is False


# a thing named by its owner: "Russia's latest calls for ...", "Moscow's most recent appeal to ..."
_OWNED_THING = re.compile(r"\b(?P<owner>[A-Z][\w-]*)['’]s\s+(?:[a-z][\w-]*\s+){0,3}?(?P<thing>[a-z][\w-]*)"
                          r"(?=\s+(?:to|for|about|over|on|regarding|concerning|of|that|with)\b|\s*[,.?;]|$)")


def _names_of(found: list[dict], *asked: str) -> list[str]:
    """Every name the quotes `found` call their speaker by, and the names `asked`, longest first
    (as a regular expression tries them)."""
    called = {a for rec in found for a in
              (rec.get("speaker", ""), rec.get("speaker_as_written", ""), *rec.get("aliases", []))}
    return sorted((a for a in called | set(asked) if a[:1].isupper()), key=len, reverse=True)


@lru_cache(maxsize=1)
def _thesaurus_kin() -> dict[str, set[str]]:
    """Each THESAURUS word's stem -> the stems of its family (lexicon.py), as topic terms meet."""
    from .lexicon import THESAURUS, thesaurus_links

    return thesaurus_links(set(stem_words(sorted(set().union(*THESAURUS)))), stem_words)


class Engine:
    """Question answering over the corpus in `settings.seeds`, indexed in `settings.vectors`."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self._encoder = None
        self._searcher = None
        self._quotes = None
        self._spans: dict | None = None
        self._rows: dict[str, int] | None = None
        self._stems: dict[int, set[str]] = {}
        self._spokes: list[tuple[dict, str]] | None = None  # `_spokespeople`, read once
        self._people: dict[str, str | None] = {}  # `_remembered`: whom each description names
        self._lock = threading.Lock()
        # a stream of questions (`qabot ask -`, `qabot eval`) rather than a bot waiting on
        # messages: encoded in bfloat16 where the CPU has it, else by ONNX with its worker
        # threads spinning between batches (wasted CPU for a bot); read when the searcher loads
        self.batch = False

    # -- building --

    @property
    def encoder(self):
        if self._encoder is None:
            self._encoder = Encoder(self.settings.model)
        return self._encoder

    def index(self, *, rebuild: bool = False) -> UpdateReport:
        """Bring the index up to date; a loaded searcher is swapped for the new one."""
        report = update_index(self.settings.seeds, self.settings.vectors, encoder=self.encoder,
                              rebuild=rebuild, max_bytes=self.settings.max_bytes,
                              extract_quotes=self.settings.quotes)
        if report.touched or report.rebuilt:
            with self._lock:
                self._searcher = None
                self._quotes = None
                self._spans = None
                self._rows = None
                self._stems = {}
                self._spokes = None
                self._people = {}
        return report

    # -- loading --

    def load(self, *, build_missing: bool = True):
        """The searcher, loaded once; builds the index first if there is none."""
        if self._searcher is not None:
            return self._searcher
        with self._lock:
            if self._searcher is None:
                from .search import Searcher

                try:
                    data = load_index(self.settings.vectors, model_name=self.encoder.name, mmap=True)
                except IndexMissing:
                    if not build_missing:
                        raise
                    log.warning("no index in %s yet: building it from %s", self.settings.vectors,
                                self.settings.seeds)
                    report = update_index(self.settings.seeds, self.settings.vectors, encoder=self.encoder,
                                          max_bytes=self.settings.max_bytes,
                                          extract_quotes=self.settings.quotes)
                    log.info("index built: %s", report.summary())
                    data = load_index(self.settings.vectors, model_name=self.encoder.name, mmap=True)
                self._searcher = Searcher(data, self._query_encoder(data.manifest))
        return self._searcher

    def _query_encoder(self, manifest: dict):
        """How questions are encoded (`QABOT_QUERY_ENCODER`: auto, onnx, bf16 or
        sentence-transformers). auto: the ONNX export recorded in the manifest (starts in a
        second, no torch), run in bfloat16 by `Bf16Encoder` for a batch on a CPU that has it
        (a third of the time); without the export, the model as it embedded the passages."""
        choice = os.environ.get("QABOT_QUERY_ENCODER", "auto")
        rec = manifest.get("query_encoder")
        if rec and choice in ("auto", "onnx", "bf16"):
            folder = query_encoder_folder(self.settings.vectors, rec)
            if folder is not None:
                from .bf16_encoder import native_bf16
                from .onnx_encoder import OnnxEncoder

                onnx = OnnxEncoder(folder, spin=self.batch)
                if choice == "bf16" or (choice == "auto" and self.batch and native_bf16()):
                    return self._bf16(onnx)
                return onnx
            log.warning("ONNX query encoder in %s is missing or damaged; using sentence-transformers "
                        "(qabot index --rebuild restores it)", self.settings.vectors)
        return self.encoder

    def _bf16(self, onnx):
        """The bfloat16 encoder of the index's model, or `onnx` where it cannot reproduce it."""
        from .bf16_encoder import Bf16Encoder, Unsupported

        try:
            return Bf16Encoder(self.encoder.model_path, onnx)
        except (Unsupported, OSError, KeyError, ImportError) as exc:
            log.warning("questions are encoded in float32 by onnxruntime: %s", exc)
            return onnx

    @property
    def quotes(self):
        """The quote index (who said what), or None when it was not built."""
        if self._quotes is None:
            from .index import read_manifest

            manifest = read_manifest(self.settings.vectors)  # lookups need no model or FAISS
            if manifest is None:
                manifest = self.load().data.manifest
            files = manifest.get("files", {})
            if "quotes" not in files:
                return None
            from .quotes import QuoteIndex

            self._quotes = QuoteIndex.load(self.settings.vectors / files["quotes"]["name"])
        return self._quotes

    # -- asking --

    def ask(self, question: str, k: int = 3) -> Answer:
        return self.batch_ask([question], k)[0]

    def batch_ask(self, questions: Sequence[str], k: int = 3, *, mode: str | None = None) -> list[Answer]:
        """Answers in question order. A question about who said what is answered by the search
        with the speaker's quotes raised (`_speech_boosts`); one about a person's office, by the
        sentence that names them by it."""
        searcher = self.load()
        questions = [q if isinstance(q, str) else str(q) for q in questions]
        config = replace(searcher.config, mode=mode) if mode else None
        cleaned = [searcher.normalise(q) for q in questions]
        hybrid = (mode or searcher.config.mode) == "hybrid"
        quotes = self.quotes if hybrid else None
        if quotes is None:
            return searcher.batch_search(questions, k, config=config)
        cleaned = [self._led_body_named(c) for c in cleaned]
        # the model reads a person named by office by name too (BM25 would then favour any sentence
        # naming them over the one that answers by pronoun: "He made it clear ..."); once: the
        # office answers reuse them
        vecs = searcher.encode_questions([self._with_names(c) for c in cleaned], config)
        # and BM25 and the word features by name alone (the quotes' speaker is found as before)
        readings = [self._by_names(c) for c in cleaned]
        from .features import question_parts
        from .quotes import parse_role_question, parse_speech_question

        # ("Did the bloc's council president urge ...?": the one bloc the corpus names, by name)
        speech = [parse_speech_question(as_bodies_of_kind(c, searcher.known)) for c in cleaned]
        # a question about something the corpus never names keeps its abstention
        # (a measure the corpus never names is no more reported by a speaker: "What embargo did
        # Moscow threaten?")
        known = [not searcher.unknown_names(c) and not searcher.unknown_measure(c) for c in cleaned]
        said = [self._speech_boosts(c, sq, quotes, by_name=r != c) if sq is not None and ok else None
                for c, sq, ok, r in zip(cleaned, speech, known, readings)]
        answers = searcher.batch_search(questions, k, config=config, vectors=vecs, readings=readings,
                                        boosts=[x[0] if x else None for x in said] if any(said) else None)
        for i, q in enumerate(questions):
            if said[i]:
                if not answers[i].answered and _form_unmet(cleaned[i], answers[i].abstained_hits):
                    continue  # "How did Russia respond to ...?" with Russia's quotes on something else,
                    # "Which opposition leaders criticized it, by name?" with no one named
                self._mark_quotes(answers[i], said[i][1])
                continue
            # "What office does Michel hold, and how is that body described?": its first question's
            asked = [cleaned[i], *question_parts(cleaned[i])[:1]] if speech[i] is None and known[i] else []
            # ("Which institution does the summit host preside over?": whom the article says hosted)
            role = next((r for part in asked if (r := parse_role_question(_HOST_NAMED.sub(
                lambda m: self._remembered(m.group(0), self._host) or m.group(0), part)))), None)
            if role is None:
                continue
            qv = vecs[i] if vecs is not None else None
            ans = self._role_answer(cleaned[i], role, k, quotes, answers[i], qv)
            if ans is not None:
                ans.question, ans.notice = q, answers[i].notice
                answers[i] = ans
        for i, sq in enumerate(speech):
            # "What did the commander of the Russian peacekeeping mission say in reply?": a person by
            # a role the article gives no one, and quoted nowhere, said nothing it reports
            if sq is not None and sq.speaker and said[i] is None and answers[i].answered \
                    and self._unheld_role(sq.speaker):
                a = answers[i]
                a.answered, a.hits, a.abstained_hits = False, [], a.hits
                continue
            # "What did Aliyev personally tell reporters?": his own words, which the article may not
            # quote at all (his office's words are not his)
            if sq is not None and sq.speaker and answers[i].answered and _PERSONALLY.search(cleaned[i]) \
                    and not self._own_words(sq.speaker, quotes):
                a = answers[i]
                a.answered, a.hits, a.abstained_hits = False, [], a.hits
        # "What post does Michel hold, and how is that body described?": when the whole reads as
        # unanswerable, its first question may not be; its answer is the one given
        for i, q in enumerate(questions):
            for part in [] if answers[i].answered else question_parts(cleaned[i]):
                ans = self.batch_ask([part], k, mode=mode)[0]
                if ans.answered:
                    ans.question, ans.notice = q, answers[i].notice
                    answers[i] = ans
                    break
        return answers

    def _speech_boosts(self, question: str, sq, quotes, *,
                       by_name: bool = False) -> tuple[dict[int, float], dict[int, dict]] | None:
        """For a question about who said what: ({sentence row: how many standard units the
        search raises it}, {sentence row: its quote}), or None when no quote fits.

        A sentence holding a quote of the speaker asked for (or, with no speaker, a quote on the
        topic) goes up QUOTE_BOOST (QUOTE_BOOST_YES_NO for a yes/no question), and
        QUOTE_VERB_BOOST more when it holds the question's verb or its kin ("call on" is met
        by "urged"). The reporter's own sentences still compete:
        "Did Michel suggest they narrowed their differences?" is answered by "Michel gave no
        indications that ...", which quotes no one."""
        found = self._speaker_quotes(sq, quotes, k=30)
        if sq.speaker is None and sq.topic:  # "Who condemned Pashinyan's policy?": not Pashinyan
            owners = {w.lower() for w in _POSSESSOR.findall(sq.topic)}
            found = [r for r in found
                     if not owners & {w.lower() for w in _WORDS.findall(r.get("speaker", ""))}]
        if sq.speaker:  # "What did Yerevan's foreign ministry say ...?": its spokeswoman's words too
            found = found + [r for r in self._spoken_for(sq.speaker, quotes) if r not in found]
        if not found and (sq.speaker or not sq.topic):  # (with no speaker, the reporter's account below)
            return None
        from .features import asks_response, asks_stance, is_polar, question_names
        from .quotes import OPINION_VERBS, asks_according, in_own_words, speech_verbs

        data = self.load().data
        # what they think: their own words say it ("How did Michel say he views the routes?" too)
        opinion = sq.verb in OPINION_VERBS or bool(_SAYS_HE_THINKS.match(sq.topic or ""))
        verbs = set(stem_words(sorted(speech_verbs(sq.verb, question)))) \
            if sq.verb and sq.verb not in _GENERIC_VERBS else set()
        # "Did Michel suggest they had bridged their gaps?" asks whether: the reporter's account
        # ("Michel gave no indications that ...") answers as well as his words do
        # "According to Grigoryan, what ...?" (or "Is it ready, according to Pashinyan?"): only what he
        # said answers, his words however attributed
        according = asks_according(question)
        base = QUOTE_BOOST_YES_NO if is_polar(question) and not according else QUOTE_BOOST
        extra = ACCORDING_BOOST if according else 0.0
        # whom the act asked is done to ("Did Michel press Aliyev to ...?"), read once for every quote
        # (a person named by office by their surname: "press the Azerbaijani head of state" is
        # "urging Aliyev")
        topic = self._offices_named(sq.topic, lambda whole, office, name: whole.replace(
            office, name.split()[-1])) if verbs and sq.topic else ""
        acted_on = question_names(f"x {topic}") if topic else []
        boosts: dict[int, float] = {}
        recs: dict[int, dict] = {}
        # "the European Council president": words of the speaker that a quote's attribution may repeat
        described = set(stem_words([w for w in _WORDS.findall((sq.speaker or "").lower())
                                    if w not in _SPEAKER_FILLER]))
        if len(described) < 2 or by_name:  # read by name (`_by_names`), the words are not matched
            described = set()
        placed = [(rec, loc) for rec in found
                  if (loc := self._locate(rec["doc_id"], int(rec.get("start", 0)))) is not None]
        if described and all(self._attributed_as(rec, loc, described) for rec, loc in placed):
            described = set()  # attributed so every time ("The Azerbaijani side dismissed ..."), the
            # words lift no quote of theirs over another
        located: list[int] = []  # the passages of the quotes, for the reporter's account below
        for rec, loc in placed:
            located.append(loc[0])
            row = int(data.sentence_offsets[loc[0]]) + loc[1]
            held = bool(verbs) and (self._verb_by_quote(rec, row, loc, verbs)
                                    or self._act_on_named(rec, loc, verbs, acted_on)) \
                or opinion and in_own_words(rec)
            echo = SPEAKER_ECHO if described and self._attributed_as(rec, loc, described) else 0.0
            boosts[row] = max(boosts.get(row, 0.0), max(base + QUOTE_VERB_BOOST * held - echo, 0.0) + extra)
            recs.setdefault(row, rec)
        if boosts and is_polar(question):
            # "Michel gave no indications that ...": his word too, and the act asked if it is that
            for row, r, j in self._reported(found, range(len(data.passages)), verbs, sq.speaker or ""):
                held = bool(verbs) and bool(verbs & self._sentence_stems(row, r, j))
                boosts[row] = max(boosts.get(row, 0.0), base + QUOTE_VERB_BOOST * held + extra)
        from .search import RESPONSE_STEMS

        responded = verbs & set(RESPONSE_STEMS)  # the act asked is an answer ("reject", "deny")
        if boosts and sq.speaker and (asks_response(question) or asks_stance(question)):
            # "What is Armenia's stance on the accusations?": "Armenia has repeatedly denied ...",
            # the reporter's account of its answer, when none of its quotes responds ("The
            # Azerbaijani side dismissed those concerns, saying ..." answers for itself)
            responses = self._responses(sq.speaker, sq.topic, located)
            if responses.keys() & boosts.keys():  # its answer, as a quote with the act asked is
                # but for the account that names whose calls it answered ("How did Baku respond to
                # Moscow's appeals?": "Azerbaijan has rejected Russia's latest calls ...", over
                # its quotes on the peacekeepers)
                responses = self._answering(responses, sq.topic)
            for row in responses:
                boosts[row] = max(boosts.get(row, 0.0), base + QUOTE_VERB_BOOST)
        elif boosts and sq.speaker and (responded or sq.topic and sq.verb in _GENERIC_VERBS):
            # "What has Armenia said about having a military presence in Karabakh?": what it
            # answered on just that ("Armenia has repeatedly denied any military presence in
            # Karabakh") is what it said; "What did Azerbaijan reject from Russia?": its answer
            # by the act asked ("Azerbaijan has rejected Russia's latest calls ..."), and "What did
            # Azerbaijan reject?" by it too, not by the quotes it rejects nothing in
            from .quotes import topic_terms

            asked = set(topic_terms(sq.topic)) - _FRAME_STEMS
            for row, sentence in self._responses(sq.speaker, sq.topic, located).items():
                if responded and responded & set(stem_words(_WORDS.findall(sentence.lower()))) \
                        or not responded and len(asked) > 2 \
                        and len(asked & set(topic_terms(sentence))) >= TOPIC_SHARE * len(asked):
                    boosts[row] = max(boosts.get(row, 0.0), base + QUOTE_VERB_BOOST)
        elif sq.speaker is None and responded and sq.topic:
            # "Which country denies having a military presence in Karabakh?": the reporter's
            # account of the answer by the act asked ("Armenia has repeatedly denied any military
            # presence in Karabakh") names who gave it, as much as any quote on the topic
            for row in self._answered_by_whom(sq.topic, responded):
                boosts[row] = max(boosts.get(row, 0.0), base + QUOTE_VERB_BOOST)
        if boosts and sq.speaker and verbs & _URGE_STEMS:
            # "What did Russia ask Azerbaijan to do?": the reporter's name for what it asked,
            # "Russia's latest calls for an immediate end to ...", says it as well as its words
            for row in self._asked_for(found, sq.speaker):
                boosts[row] = max(boosts.get(row, 0.0), base + QUOTE_VERB_BOOST)
        return (boosts, recs) if boosts else None

    def _answered_by_whom(self, topic: str, acts: set[str]) -> list[int]:
        """The sentence rows that tell of an answer by one of the `acts` ("denied", "rejected")
        on what `topic` names, in its words or their kin, by anyone but the topic's owner: "Baku's
        claims of an Armenian military presence" were not rejected by Baku or Azerbaijan
        ("Azerbaijan has rejected Russia's latest calls ...")."""
        from .quotes import topic_terms

        s = self.load()
        owners = set(_POSSESSOR.findall(topic))
        owners |= {STANDS_FOR[o] for o in owners if o in STANDS_FOR}
        asked = set(topic_terms(_POSSESSOR.sub("", topic))) - _FRAME_STEMS
        if len(asked) < 2:
            return []

        kin = _thesaurus_kin()

        def meets(term: str, stems: set[str]) -> bool:  # "troops" meets "presence", "Armenian" "Armenia"
            # (WordNet's kin are too loose here: "present" is "immediate")
            return term in stems or bool(stems & kin.get(term, set())) \
                or len(term) >= 6 and any(st[:6] == term[:6] for st in stems)

        rows = []
        for r, p in enumerate(s.data.passages):
            for j, sentence in enumerate(p.sentences):
                row = int(s.data.sentence_offsets[r]) + j
                if acts.isdisjoint(self._sentence_stems(row, r, j)):  # (stemmed once, kept across questions)
                    continue
                words = _WORDS.findall(sentence)
                at = next(i for i, st in enumerate(stem_words([w.lower() for w in words])) if st in acts)
                if owners & set(words[:at]):
                    continue
                stems = set(topic_terms(sentence))
                if sum(meets(t, stems) for t in asked) >= TOPIC_SHARE * len(asked):
                    rows.append(row)
        return rows

    def _asked_for(self, found: list[dict], speaker: str) -> list[int]:
        """The sentence rows that name, by its owner, what the speaker of the quotes `found` asked
        for: "Russia's latest calls for ...", "Baku's demands for ..." (no quote marks needed)."""
        data = self.load().data
        names = _names_of(found, speaker, STANDS_FOR.get(speaker, speaker))  # "Moscow" asks as Russia
        owned = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")['’]s\s+(?:[a-z][\w-]*\s+){0,2}?"
                           + _ASKS_NOUN)
        return [int(data.sentence_offsets[r]) + j for r, p in enumerate(data.passages)
                for j, sentence in enumerate(p.sentences) if owned.search(sentence)]

    def _speaker_quotes(self, sq, quotes, k: int) -> list[dict]:
        """The quotes `quotes.answer` finds for a speech question, or, when it names its speaker
        by a description none is found under ("the EU chief"), those of whom the article
        describes so."""
        found = quotes.answer(sq, k=k)
        if not found and sq.speaker and (person := self._described(sq.speaker)):
            found = quotes.answer(replace(sq, speaker=person), k=k)
        return found

    def _own_words(self, speaker: str, quotes) -> bool:
        """Whether the article quotes the person a question names (or describes) in their own right."""
        from .quotes import SpeechQuery

        found = self._speaker_quotes(SpeechQuery(speaker, "", "say"), quotes, k=50)
        return any(r.get("speaker_kind") == "person" for r in found)

    def _spoken_for(self, speaker: str, quotes) -> list[dict]:
        """The quotes of a body's spokesperson, for a question about what the body said: "the
        ministry spokeswoman, Ani Badalyan" speaks for the ministry the sentence before names
        ("The Armenian Foreign Ministry pointed to those injunctions on Monday.")."""
        bodies = {r["speaker"].lower() for r in quotes.by_speaker(speaker)}
        if not bodies:
            return []
        return [rec for rec, context in self._spokespeople(quotes) if any(b in context for b in bodies)]

    def _spokespeople(self, quotes) -> list[tuple[dict, str]]:
        """The quotes of spokespeople, each with its sentence and the one before (lower-cased),
        where the body they speak for is named: found once, not for every question."""
        if self._spokes is None:
            from .features import SPOKES

            data = self.load().data
            spokes = re.compile(rf"\b(?:{SPOKES})\b", re.I)
            found = []
            for rec in quotes.quotes:
                loc = self._locate(rec["doc_id"], int(rec.get("start", 0))) \
                    if spokes.search(rec.get("speaker_as_written", "")) else None
                if loc is not None:
                    sents = data.passages[loc[0]].sentences
                    found.append((rec, " ".join(sents[max(0, loc[1] - 1):loc[1] + 1]).lower()))
            self._spokes = found
        return self._spokes

    def _around_quote(self, rec: dict, loc: tuple[int, int]) -> tuple[str, str, str] | None:
        """(the quote's sentence before it, the quote, after it), or None where the sentence does
        not hold the quote as recorded."""
        sentence = self.load().data.passages[loc[0]].sentences[loc[1]]
        quote = rec.get("quote", "")
        at = sentence.find(quote[:40]) if quote else -1
        if at < 0:
            return None
        return sentence[:at], quote, sentence[at + len(quote):]

    def _attributed_as(self, rec: dict, loc: tuple[int, int], described: set[str]) -> bool:
        """Whether a quote's sentence, outside the quote, names its speaker by all the words the
        question describes them with ("..., added the president of the European Council" for
        "the European Council president"): those words then match the attribution, not what was
        said, and lift that quote over the one that answers."""
        parts = self._around_quote(rec, loc)
        if parts is None:
            return False
        outside = f"{parts[0]} {parts[2]}"
        return described <= set(stem_words(_WORDS.findall(outside.lower())))

    def _reported(self, found: list[dict], passages, verbs: set[str] = frozenset(),
                  asked: str = "") -> list[tuple[int, int, int]]:
        """(sentence row, passage, sentence) in `passages` that report, without quoting, what
        the speaker of the quotes `found` said or did ("Michel gave no indications that Aliyev
        and Pashinyan narrowed their differences", "Aliyev apparently insisted on this idea"):
        the speaker by name, then a reporting verb or one of the act's stems `verbs` within four
        words."""
        data = self.load().data
        names = _names_of(found, asked)
        if not names:
            return []
        called_by = r"\b(?:" + "|".join(map(re.escape, names)) + r")\b\W+"
        said = re.compile(rf"{called_by}(?:\w+\W+){{0,3}}?{_REPORTS}")
        named = re.compile(rf"{called_by}((?:\w+\W+){{0,3}}\w+)?")
        rows = []
        for r in dict.fromkeys(passages):
            if not any(n in data.passages[r].text for n in names):
                continue  # (a plain test first: every passage may be asked of)
            for j, sentence in enumerate(data.passages[r].sentences):
                if _QUOTE_MARK.search(sentence):
                    continue
                if said.search(sentence) or verbs and any(
                        verbs & set(stem_words(_WORDS.findall((m.group(1) or "").lower())))
                        for m in named.finditer(sentence)):
                    rows.append((int(data.sentence_offsets[r]) + j, r, j))
        return rows

    def _responses(self, speaker: str, topic: str, passages: list[int]) -> dict[int, str]:
        """{sentence row: sentence} in the `passages` of a speaker's quotes where the speaker
        responds (`responder_named`: "Armenia has repeatedly denied ...", "denied by Armenia")."""
        from .features import responder_named

        data = self.load().data
        asked = f"How did {speaker} respond to {topic}?"
        return {int(data.sentence_offsets[r]) + j: sentence for r in dict.fromkeys(passages)
                for j, sentence in enumerate(data.passages[r].sentences) if responder_named(asked, sentence)}

    def _answering(self, responses: dict[int, str], topic: str) -> dict[int, str]:
        """The sentence rows that say how their subject answered the very thing `topic` names by
        its owner: "Moscow's most recent appeal to ..." is answered by "Azerbaijan has rejected
        Russia's latest calls ...", not by "Baku reacted to Saturday's statement by the Russian
        Foreign Ministry ..." (which says to what, not how), nor for "Russia's worries"."""
        from .search import RESPONSE_STEMS  # "rejected", not only "reacted to"

        s = self.load()
        asked = _OWNED_THING.search(s.lexical_form(topic))
        if asked is None:
            return {}
        owner, thing = asked.group("owner").lower(), stem_words([asked.group("thing").lower()])[0]
        kin = {thing, *s.synonyms.get(thing, ())}

        def answers(sentence: str) -> bool:
            if set(query_tokens(sentence)).isdisjoint(RESPONSE_STEMS):
                return False
            return any(m.group("owner").lower() == owner and stem_words([m.group("thing").lower()])[0] in kin
                       for m in _OWNED_THING.finditer(sentence))
        return {row: sentence for row, sentence in responses.items() if answers(sentence)}

    def _verb_by_quote(self, rec: dict, row: int, loc: tuple[int, int], verbs: set[str]) -> bool:
        """Whether the act asked of the speaker is the verb that brings in the quote: within
        VERB_NEAR words before it ("he urged them to “take ...”"), VERB_NEAR + 1 after it
        ("“...,” added the president ..."), or its first word (“noted ...”), not anywhere in the
        sentence ("as well as urging Aliyev to reopen the corridor he “noted ...”" brings in what
        he noted, not what he urged). The whole sentence where the quote is not found in it."""
        parts = self._around_quote(rec, loc)
        if parts is None:
            return bool(verbs & self._sentence_stems(row, *loc))
        before, quote, after = parts
        near = (_WORDS.findall(before.lower())[-VERB_NEAR:] + _WORDS.findall(quote.lower())[:1]
                + _WORDS.findall(after.lower())[:VERB_NEAR + 1])
        # or the speaker's own first-person act in the quote ("I noticed an important momentum")
        near += [m.group(1).lower() for m in _FIRST_PERSON_ACT.finditer(quote)]
        return bool(verbs & set(stem_words(near)))

    def _act_on_named(self, rec: dict, loc: tuple[int, int], verbs: set[str], names: list[str]) -> bool:
        """Whether the reporter's words of the quote's sentence hold the act asked, done to whom
        the question names (`names`): "Did Michel press Aliyev to ...?" is answered by "as well as
        urging Aliyev to reopen the corridor he “noted ...”", whose quote brings in something else,
        not by "he urged them to “take ...”", whose quote the verb brings in but names no Aliyev."""
        parts = self._around_quote(rec, loc) if names else None
        if parts is None:
            return False
        reported = (parts[0] + " " + parts[2]).lower()
        return all(n in reported for n in names) and bool(verbs & set(stem_words(_WORDS.findall(reported))))

    def _with_names(self, clean: str) -> str:
        """The question with the name of each person it calls by office written after the office
        ("the Armenian premier" -> "the Armenian premier Nikol Pashinyan"), where the passages
        closest to the office name its holder (`_described`) and the question does not already:
        what the model reads."""
        return self._offices_named(clean, lambda whole, office, name: f"{whole} {name}")

    def _by_names(self, clean: str) -> str:
        """The question with each office it names a person by replaced by the name ("Did the
        Armenian premier regard ...?" -> "Did the Nikol Pashinyan regard ...?"): what the lexical
        search reads. The office's words would match every sentence naming the country
        ("An Armenian government statement ..."), not the one naming the person ("Pashinyan said
        ...")."""
        return self._offices_named(clean, lambda whole, office, name: whole.replace(office, name))

    def _offices_named(self, clean: str, written: Callable[[str, str, str], str]) -> str:
        """`clean` with each description of a person whose holder the passages name `written`
        (the whole description, its office words, the name)."""
        def by_name(whole: str, office: str, name: str | None) -> str:
            # (not where the question already names the holder)
            return whole if not name or name.split()[-1] in clean else written(whole, office, name)

        def add(m: re.Match) -> str:
            d = m.group("d")
            return by_name(m.group(0), d, self._remembered(d, lambda d: self._described(
                d if d.split()[0][-2:] in ("'s", "’s") else f"the {d}")))

        def host(m: re.Match) -> str:
            whole = m.group(0)
            return by_name(whole, whole.split(" ", 1)[1], self._remembered(whole, self._host))

        if _WHO_IS.search(clean):  # "Who is the Armenian premier?" asks the name itself
            return clean
        # "the bloc's council president": the one bloc the corpus knows, by name
        named = _DESCRIPTION.sub(add, as_bodies_of_kind(clean, self.load().known))
        # "Did the summit host suggest ...?": whom the article says hosted, where the question
        # asks whether the host did something, which the article reports of him by name; not of
        # the host's words or views, which it may give by office ("..., added the president of
        # the European Council") and the quote index finds as the host's
        if _HOST_NAMED.search(named):
            from .features import is_polar
            from .quotes import parse_speech_question

            if is_polar(named) and parse_speech_question(named) is None:
                named = _HOST_NAMED.sub(host, named)
        return named

    def _led_body_named(self, clean: str) -> str:
        """The question with a body named by who leads it named as the article names it:
        "How does the report describe the institution the summit host presides over?" -> "...
        describe the European Council?", as the article calls its host "the president of the
        European Council". Unchanged where the article names no body so."""
        m = _LED_BODY.search(clean)
        if m is None or self.quotes is None:
            return clean
        person = (m.group("by") or m.group("who")).strip()
        if _HOST.search(person):
            person = self._remembered(person, self._host) or person
        bodies = [b.group("body") for rec in self.quotes.by_speaker(person)
                  if (b := _HEAD_OF.search(rec.get("speaker_as_written", "")))]
        return f"{clean[:m.start()]}the {bodies[0]}{clean[m.end():]}" if bodies else clean

    def _remembered(self, description: str, find: Callable[[str], str | None]) -> str | None:
        """`find(description)`, the person a description names, looked up once (each lookup is a
        search) and remembered up to MAX_DESCRIPTIONS, then afresh: a bot hears any number."""
        if description not in self._people:
            if len(self._people) >= MAX_DESCRIPTIONS:
                self._people.clear()
            self._people[description] = find(description)
        return self._people[description]

    def _described(self, speaker: str) -> str | None:
        """The person a description names ("the EU chief" -> "Charles Michel"): someone the
        passages closest to it name beside the role, qualified by its names ("European Union
        head Charles Michel", "the EU's top official, Charles Michel"); None if none is."""
        from .features import described_role

        if _HOST.search(speaker):  # "the summit host", "the EU convener": whom the article says hosted
            return self._host(speaker)
        searcher = self.load()
        speaker = as_bodies_of_kind(speaker, searcher.known)  # "the bloc's chief": the EU's
        # "Yerevan's spokesperson" is Armenia's, where the corpus never writes "Yerevan's"
        speaker = as_owning_countries(speaker, searcher.known, searcher.written_possessive)
        place = _KIND_OF_PLACE.search(speaker)  # "the enclave's authorities": Karabakh's
        if place and (name := place_of_kind(place.group(1), searcher.known)):
            return f"{speaker[:place.start()]}{name}{speaker[place.end():]}"
        office = _PRESIDENTIAL.search(speaker)  # "the Azerbaijani presidential administration"
        role = described_role(_PRESIDENTIAL.sub("president", speaker) if office else speaker)
        if role is None:
            return None
        person = self._spokesperson_of(speaker) or self._named_beside(speaker, role) or self._written_as(role)
        if person and office:  # the president's office, where it speaks ("According to Aliyev's office")
            body = f"{person}'s office"
            return body if self.quotes.by_speaker(body) else None
        return person

    def _unheld_role(self, speaker: str) -> bool:
        """Whether a speaker is one person by a role ("Karabakh's de facto president", "the
        commander of the peacekeeping mission") whom the article neither quotes nor names."""
        of = _ONE_BY_ROLE.match(speaker)
        # (not "the Brussels official", "one Armenian analyst": the search finds whom they describe)
        if not (of or _PLACES_ONE.match(speaker)) or self.quotes.by_speaker(speaker) \
                or self._described(speaker) is not None:
            return False
        # "the head of the European Council" is "the European Council head"
        return not of or self._described(f"{speaker[of.end():]} {of.group('role')}") is None

    def _spokesperson_of(self, speaker: str) -> str | None:
        """The quoted spokesperson of the body a description names ("Armenia's diplomatic
        spokesperson": "the ministry spokeswoman, Ani Badalyan", after "The Armenian Foreign
        Ministry ..."); None for no such description, or one naming no country or body."""
        from .features import SPOKES, named_in

        names = _NAME.findall(speaker)
        if not names or not re.search(rf"\b(?:{SPOKES})\b", speaker, re.I):
            return None
        found = {rec["speaker"] for rec, context in self._spokespeople(self.quotes)
                 if all(named_in(n, context) for n in names)}
        return found.pop() if len(found) == 1 else None

    def _host(self, speaker: str) -> str | None:
        """The quoted speaker the passages closest to a description ("the EU convener") say
        hosted the meeting ("talks hosted by the European Union's top official, Charles Michel"),
        the closest passage first; None if they name none."""
        from .speakers import person_names

        # ("the mediator" alone says little of which passages to read)
        for passage in self._closest_passages(f"{speaker} who hosted the talks", 10):
            for m in _HOSTED_BY.finditer(passage.text):
                named = [n for n in person_names(m.group(0)) if self.quotes.by_speaker(n)]
                if named:
                    return named[0]
        return None

    def _closest_passages(self, query: str, k: int) -> Iterator[Passage]:
        """The passages of the search's first `k` hits for `query`, answered or not, best first:
        where a description's person is named."""
        found = self.load().search(query, k)
        rows = self._passage_rows()
        for hit in found.hits or found.abstained_hits:
            yield self.load().data.passages[rows[hit.passage_id]]

    def _named_beside(self, speaker: str, role: tuple[str, list[str]]) -> str | None:
        """The person the passages closest to a description name beside its role."""
        from .features import named_in, role_holder

        for passage in self._closest_passages(speaker, 6):
            for i, sentence in enumerate(passage.sentences):
                person = role_holder(sentence, *role)
                # the qualifier said there or just before ("The Armenian Foreign Ministry ... the
                # ministry spokeswoman, Ani Badalyan"): she is no Kremlin spokesman
                near = " ".join(passage.sentences[max(0, i - 1):i + 1])
                if person and all(named_in(n, near) for n in _NAME.findall(speaker)):
                    return person
        return None

    def _written_as(self, role: tuple[str, list[str]]) -> str | None:
        """The speaker a quote's attribution calls by the role and its qualifiers ("the European
        Council's head" is who "added the president of the European Council")."""
        pattern, names = role
        for rec in self.quotes.quotes:
            written = (rec.get("speaker_as_written") or "").lower()
            if re.search(rf"\b(?:{pattern})\b", written) and all(n in written for n in names):
                return rec["speaker"]
        return None

    def _mark_quotes(self, ans: Answer, recs: dict[int, dict]) -> None:
        """A speech question is answered (the quotes found say the corpus holds it); each hit
        whose highlight is a quote names its speaker."""
        if not ans.answered:
            ans.answered, ans.hits, ans.abstained_hits = True, ans.abstained_hits, []
        data = self.load().data
        rows = self._passage_rows()
        for h in ans.hits:
            rec = recs.get(int(data.sentence_offsets[rows[h.passage_id]]) + h.highlight_index)
            if rec is not None:
                h.extra = _quote_extra(rec)
        if any(h.extra.get("speaker") for h in ans.hits):
            ans.kind = "quotes"

    def _sentence_stems(self, row: int, passage: int, sentence: int) -> set[str]:
        """The stemmed words of sentence `row` (of `passage`), kept: quotes recur across questions."""
        if row not in self._stems:
            text = self.load().data.passages[passage].sentences[sentence]
            self._stems[row] = set(stem_words(_WORDS.findall(text.lower())))
        return self._stems[row]

    def _passage_rows(self) -> dict[str, int]:
        if self._rows is None:
            self._rows = {p.passage_id: r for r, p in enumerate(self.load().data.passages)}
        return self._rows

    def _role_answer(self, question: str, person: str, k: int, quotes, fallback: Answer,
                     qv=None) -> Answer | None:
        """For "What post does Michel hold?": the sentence that names the person by their office
        ("..., added the president of the European Council") first, then the passages search
        found. None (the search's answer stands) when no quote names them so."""
        found = quotes.by_description(person)
        if not found:
            return None
        first = self._quote_hits(question, found, 1, qv=qv)
        if not first:
            return None
        return Answer(question, True, _lead_with(first[0], fallback, k))

    def _quote_hits(self, question: str, found: list[dict], k: int, qv=None) -> list[Hit]:
        """Quote records as hits (for an office named by description): one per passage, the
        quote's sentence highlighted, ranked as the search ranks those sentences for the question
        (`qv`, its vector, if already encoded)."""
        import numpy as np

        searcher = self.load()
        data = searcher.data
        if qv is None:
            qv = searcher.encoder.encode([question])[0]
        located = []
        for rank, rec in enumerate(found):
            loc = self._locate(rec["doc_id"], int(rec.get("start", 0)))
            if loc is not None:
                located.append((rank, rec, *loc))
        if not located:
            return []
        rows = np.array([int(data.sentence_offsets[row]) + sent for _, _, row, sent in located])
        # the search's own ranking of these sentences, in standard units; a quote in a sentence
        # it never considered comes after those it did, in the quote index's order
        learned = searcher.sentence_scores_of(question, qv, rows)
        if np.isfinite(learned).any():
            learned = np.where(np.isfinite(learned), learned, np.nanmin(learned) - 1.0)
            spread = float(learned.std())
            learned = (learned - learned.mean()) / spread if spread > 0 else np.zeros_like(learned)
        else:
            learned = np.zeros(len(rows))
        scored = []
        for (rank, rec, row, sent), z in zip(located, learned):
            scored.append((float(z), -rank, row, sent, rec))
        scored.sort(key=lambda x: (-x[0], -x[1]))
        hits: list[Hit] = []
        seen: set[int] = set()
        for score, _, row, sent, rec in scored:
            if row in seen:  # one hit per passage: its best-matching quote is highlighted
                continue
            seen.add(row)
            p = data.passages[row]
            meta = data.documents.get(p.doc_id, {})
            n = len(hits) + 1
            hits.append(Hit(
                rank=n, score=round(score, 6), passage_id=p.passage_id, doc_id=p.doc_id,
                title=meta.get("title", p.doc_id), paragraphs=list(p.paragraphs), text=p.text,
                highlight=p.sentences[sent], citation=make_citation(meta, p.paragraphs, p.doc_id, n),
                highlight_index=sent, extra=_quote_extra(rec),
            ))
            if len(hits) >= k:
                break
        return hits

    def _locate(self, doc_id: str, offset: int) -> tuple[int, int] | None:
        """(passage row, sentence index) holding a character offset of a document."""
        if self._spans is None:
            spans: dict[str, list[tuple[int, int, int]]] = {}
            for r, p in enumerate(self.load().data.passages):
                spans.setdefault(p.doc_id, []).append((p.start, p.end, r))
            self._spans = spans
        for start, end, row in self._spans.get(doc_id, []):
            if start <= offset < end:
                p = self.load().data.passages[row]
                rel = offset - start
                for j, (_a, b) in enumerate(p.sentence_spans):
                    if rel < b:
                        return row, j
                return row, max(0, len(p.sentence_spans) - 1)
        return None

    def info(self) -> dict:
        searcher = self.load()
        m = searcher.data.manifest
        vec = self.settings.vectors
        size = sum(p.stat().st_size for p in vec.rglob("*") if p.is_file())
        return {
            "vectors": str(vec),
            "seeds": str(self.settings.seeds),
            "documents": [{"doc_id": k, "title": v.get("title"), "path": v.get("path"),
                           "passages": v.get("passages")} for k, v in m["documents"].items()],
            "document_count": m["document_count"],
            "passage_count": m["passage_count"],
            "sentence_count": m.get("sentence_count"),
            "quote_count": m.get("quote_count"),
            "quotes_pending": list(m.get("quotes_pending", [])),
            "model": m["model"],
            "faiss_index": fi if isinstance(fi := m.get("faiss_index"), dict) else {"type": fi},
            "index_bytes": size,
            "built_at": m["built_at"],
            "skipped": [v["path"] for v in m.get("skipped", {}).values()],
        }
