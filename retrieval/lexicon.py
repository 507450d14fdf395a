"""WordNet synonyms restricted to the corpus's words, so a question meets a paraphrase.

Readers ask in their own words: "evidence" for the article's "proof", "accusations" for
"allegations", "failed to stop" for "not preventing", "spokesperson" for "spokeswoman".
Neither BM25's exact stems nor MiniLM's vectors connect all of these; WordNet (Princeton,
3.0) does, through synonyms, one step down the hypernym tree, similar adjectives and derivationally
related words.

At index time every single-word WordNet lemma is mapped to the corpus stems it is related
to (`build_synonyms`); only that table, JSON, is part of the index. At question time a
question word's related stems are looked up in the sentence BM25 posting lists (search.py),
and the ranker learns how much a synonym match is worth (`features.py`).

WordNet is read from its database files (`data.*` and `index.*` for noun, verb, adj, adv)
as Debian's `wordnet-base` installs them (`/usr/share/wordnet`; the Makefile unpacks the same
package into `.venv/share/wordnet` where it is not installed). NLTK's reader is not used: it
wants files this package does not ship (`lexnames`, `index.sense`). Without WordNet the index
carries only the corpus's acronyms (acronyms.py), a warning says how to get it, and answers are
ranked less well.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from .acronyms import acronym_links, find_acronyms, find_initialisms

log = logging.getLogger(__name__)

SYNONYMS_VERSION = 17
_KINDS = ("noun", "verb", "adj", "adv")
_FILES = tuple(f"{part}.{kind}" for part in ("data", "index") for kind in _KINDS)
_POS_FILE = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
# synonyms are the synset itself; then hyponyms (and instances: a question's general word
# meets the article's specific one, "evidence" -> "proof", "accusation" -> "allegation"),
# similar-to, also-see, verb group, attribute (noun <-> adjective), derivationally related
# form, pertainym. Hypernyms are left out and only a lemma's two most frequent senses are
# followed: both added more noise than matches (README, "What each choice measured").
_POINTERS = {"~", "~i", "&", "^", "$", "=", "+", "\\"}
MAX_SENSES = 2
_WORD = re.compile(r"^[a-z]+$")
# phrasal verbs ("turn down" = reject, "back up" = support, "brush off" = dismiss): a two-word
# lemma ending in a particle is keyed "<stem of its verb>_<particle>", as `phrasal_key` reads a
# question's words
PARTICLES = frozenset("up down off out on in over away back about around through into for with upon aside "
                      "forward".split())
_PHRASAL = re.compile(r"^([a-z]+)_([a-z]+)$")


def find_wordnet() -> Path | None:
    """The WordNet database folder: $QABOT_WORDNET if set (only there), else the venv's
    share/wordnet (the Makefile puts it there), else Debian's."""
    env = os.environ.get("QABOT_WORDNET")
    candidates = [env] if env is not None else [str(Path(sys.prefix) / "share" / "wordnet"),
                                                "/usr/share/wordnet"]
    for c in candidates:
        if c and all((Path(c) / f).is_file() for f in _FILES):
            return Path(c)
    return None


def _records(folder: Path, part: str) -> Iterator[tuple[str, list[str]]]:
    """(part of speech, fields) of every line of the data or index files, licence header skipped."""
    for kind in _KINDS:
        with open(folder / f"{part}.{kind}", encoding="latin-1") as f:
            for line in f:
                if not line.startswith("  "):
                    yield kind, line.split(" | ", 1)[0].split()


def _synsets(folder: Path) -> Iterator[tuple[tuple[str, int], list[str], list[tuple[str, int]],
                                             list[tuple[str, int]]]]:
    """(key, single-word lemmas and phrasal verbs, related synset keys, antonym synset keys) of
    every synset in the data files."""
    for kind, fields in _records(folder, "data"):
        w_cnt = int(fields[3], 16)
        words = []
        for i in range(w_cnt):
            w = re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).lower()
            if _WORD.match(w) or kind == "verb" and _phrasal(w):
                words.append(w)
        at = 4 + 2 * w_cnt
        related, opposed = [], []
        for i in range(int(fields[at])):
            sym, off, pos = fields[at + 1 + 4 * i: at + 4 + 4 * i]
            if sym in _POINTERS:
                related.append((_POS_FILE[pos], int(off)))
            elif sym == "!":
                opposed.append((_POS_FILE[pos], int(off)))
        yield (kind, int(fields[0])), words, related, opposed


def phrasal_key(verb_stem: str, particle: str) -> str:
    """The table key of a phrasal verb: "turn_down" for "turned down"."""
    return f"{verb_stem}_{particle}"


def _phrasal(lemma: str) -> tuple[str, str] | None:
    m = _PHRASAL.match(lemma)
    return (m.group(1), m.group(2)) if m and m.group(2) in PARTICLES else None


def _senses(folder: Path) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """(lemma, its synset keys, most frequent sense first) from the index files: single words
    and phrasal verbs."""
    for kind, fields in _records(folder, "index"):
        lemma, synset_cnt, p_cnt = fields[0], int(fields[2]), int(fields[3])
        if _WORD.match(lemma) or kind == "verb" and _phrasal(lemma):
            offs = fields[6 + p_cnt:6 + p_cnt + synset_cnt]
            yield lemma, [(kind, int(o)) for o in offs]


def build_synonyms(folder: Path, vocab: Iterable[str], stem,
                   phrases: Iterable[str] = ()) -> dict[str, list[str]]:
    """For each stem of a WordNet lemma, the corpus stems (in `vocab`) WordNet relates it to.

    `stem` is the BM25 stemmer, so question words, corpus words and lemmas meet as stems.
    A stem never lists itself: exact matches are BM25's job. A phrasal verb of a synset counts
    by its verb where the corpus writes the two words together (`phrases`, `corpus_phrasals`):
    "hinge on" is "depend on", and "Real progress depends on ..." holds "depend".
    """
    phrases = set(phrases)
    vocab = set(vocab)
    words_of: dict[tuple[str, int], list[str]] = {}
    related_of: dict[tuple[str, int], list[tuple[str, int]]] = {}
    opposed_of: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for key, words, related, opposed in _synsets(folder):
        words_of[key] = words
        related_of[key] = related
        if opposed:
            opposed_of[key] = opposed
    senses = list(_senses(folder))
    phrasals = {w for ws in words_of.values() for w in ws if not _WORD.match(w)} \
        | {lemma for lemma, _ in senses if _phrasal(lemma)}
    lemmas = sorted({w for ws in words_of.values() for w in ws if _WORD.match(w)}
                    | {lemma for lemma, _ in senses if _WORD.match(lemma)}
                    | {ph[0] for lemma in phrasals if (ph := _phrasal(lemma))})
    stem_of = dict(zip(lemmas, stem(lemmas)))
    head_of: dict[str, str] = {}  # a phrasal verb the corpus writes -> its verb's stem
    for lemma in phrasals:
        if ph := _phrasal(lemma):
            stem_of[lemma] = phrasal_key(stem_of[ph[0]], ph[1])
            if stem_of[lemma] in phrases:
                head_of[lemma] = stem_of[ph[0]]
    in_corpus = {key: {stem_of[w] for w in ws if _WORD.match(w)} & vocab for key, ws in words_of.items()}
    # a phrasal verb's kin are the corpus's phrasal verbs too ("hinge on" -> "depend"), not a
    # single word's: "set up" written once would make "set" kin of every "open" and "found"
    by_phrase = {key: {head_of[w] for w in ws if w in head_of} for key, ws in words_of.items()}
    table: dict[str, set[str]] = {}
    for lemma, keys in senses:
        s = stem_of[lemma]
        sources = (in_corpus, by_phrase) if _phrasal(lemma) else (in_corpus,)
        near: set[str] = set()
        for key in keys[:MAX_SENSES]:  # the most frequent senses: rare ones are mostly noise
            for source in sources:
                near |= source.get(key, set())
                for other in related_of.get(key, ()):
                    near |= source.get(other, set())
        near.discard(s)
        if near:
            table.setdefault(s, set()).update(near)
        opposite: set[str] = set()
        for key in keys[:MAX_SENSES]:
            for other in opposed_of.get(key, ()):
                opposite |= in_corpus.get(other, set())
        if opposite:
            table.setdefault(antonym_key(s), set()).update(opposite)
    for s, near in _again(senses, words_of, related_of, vocab, stem).items():
        table.setdefault(s, set()).update(near)
    return {s: sorted(v) for s, v in sorted(table.items())}


def _again(senses: list[tuple[str, list[tuple[str, int]]]], words_of: dict, related_of: dict,
           vocab: set[str], stem) -> dict[str, set[str]]:
    """A "re-" verb's kin are "re-" and its verb's kin: "reaffirm" meets the article's
    "reconfirmed" (affirm and confirm share a synset), which WordNet does not relate to it."""
    keys_of = dict(senses)
    pairs = []
    for lemma, _ in senses:
        base = lemma[2:]
        if lemma.startswith("re") and len(base) >= 4 and _WORD.match(lemma) and base in keys_of:
            kin = set()
            for key in keys_of[base][:MAX_SENSES]:
                if key[0] != "verb":
                    continue
                for k in (key, *related_of.get(key, ())):
                    kin.update(w for w in words_of.get(k, ()) if _WORD.match(w) and len(w) >= 4 and w != base
                               and k[0] == "verb")
            pairs += [(lemma, "re" + w) for w in sorted(kin)]
    words = sorted({w for pair in pairs for w in pair})
    stem_of = dict(zip(words, stem(words)))
    out: dict[str, set[str]] = {}
    for lemma, again in pairs:
        if stem_of[again] in vocab and stem_of[again] != stem_of[lemma]:
            out.setdefault(stem_of[lemma], set()).add(stem_of[again])
    return out


def antonym_key(stem: str) -> str:
    """The table key of a stem's antonyms ("!acknowledg" -> "deni"): a yes/no question's
    answer may be the opposite ("Does Armenia acknowledge ...?" -> "Armenia has denied ...")."""
    return f"!{stem}"


def initialism_key(acronym: str) -> str:
    """The table key of the name an acronym the corpus never writes abbreviates ("#ECHR" ->
    "European Court of Human Rights"): the question's acronym is read as that name."""
    return f"#{acronym}"


def corpus_synonyms(vocab: Iterable[str], stem,
                    texts: Sequence[str] = ()) -> tuple[dict[str, list[str]], dict]:
    """The synonym table of a corpus: WordNet's relatives of its words and THESAURUS's, joined
    by the acronyms its `texts` use ("ICJ" and "International Court of Justice", acronyms.py);
    and a record of its sources for the manifest."""
    vocab = set(vocab)
    folder = find_wordnet()
    if folder is None:
        log.warning("WordNet not found (install Debian's wordnet-base, or set QABOT_WORDNET to its "
                    "folder, then run `qabot index --rebuild`): questions in other words than the "
                    "documents' are matched less well")
    phrases = corpus_phrasals(texts, stem)
    table = {k: set(v) for k, v in build_synonyms(folder, vocab, stem, phrases).items()} if folder else {}
    for s, near in thesaurus_links(vocab, stem).items():
        table.setdefault(s, set()).update(near)
    acronyms = find_acronyms(texts)
    initialisms = find_initialisms(texts, taken=set(acronyms))
    links = acronym_links({**acronyms, **initialisms}, stem)
    for s, near in links.items():
        near = near & vocab
        if near:
            table.setdefault(s, set()).update(near)
    for acronym, long_form in initialisms.items():  # what a question's "ECHR" is read as
        table[initialism_key(acronym)] = {long_form}
    info = {"version": SYNONYMS_VERSION, "source": "wordnet-3.0" if folder else None,
            "acronyms": len(acronyms), "initialisms": len(initialisms)}
    return {s: sorted(v) for s, v in sorted(table.items())}, info


# Words of diplomatic and legal reporting that WordNet does not join in the senses news uses:
# a peace "settlement" is an accord, a treaty is "concluded" or "executed" when signed, a
# draft "ripe" for it is ready, a "closure" or "interdiction" of a road is its blockade.
# Each set is one family; a question's word meets the corpus's words of its family.
THESAURUS: list[set[str]] = [
    {"settlement", "accord", "treaty", "agreement", "deal", "pact"},
    {"sign", "signing", "signed", "conclude", "conclusion", "execute", "execution", "ink", "inked",
     "finalise", "finalize"},
    {"ready", "readiness", "ripe", "mature", "maturity", "prepared", "preparedness"},
    {"blockade", "closure", "interdiction", "obstruction", "siege", "cordon"},
    {"normalization", "normalisation", "rapprochement", "reconciliation"},
    {"depend", "dependent", "hinge", "contingent", "conditional"},
    {"willingness", "willing", "disposition", "inclination", "openness", "readiness"},
    {"rebuke", "reproach", "admonition", "admonishment", "reprimand", "censure", "criticism", "critique"},
    {"veiled", "implicit", "oblique", "indirect", "tacit", "implied", "thinly"},
    {"agenda", "programme", "program", "platform", "strategy"},
    {"deviate", "abandon", "depart", "renounce", "forsake", "backtrack", "waver"},
    {"peace", "conciliatory", "conciliation", "peacemaking"},
    {"disagree", "disagreement", "differ", "differences", "variance", "divergence"},
    {"progress", "advancement", "headway"},
    {"embolden", "emboldened", "bolder", "assertive", "assertiveness"},
    {"note", "noted", "acknowledge", "acknowledged", "observe", "observed"},
    # a "stabilisation force" keeps the peace; to "attribute" or "impute" a failing is to accuse
    {"peacekeeper", "peacekeepers", "peacekeeping", "stabilization", "stabilisation"},
    {"attribute", "impute", "ascribe", "accuse", "accused", "blame"},
    # where something was said: "via which platform", "a social media message" is a Twitter post
    {"twitter", "tweet", "tweeted", "facebook", "telegram", "social", "online", "platform", "medium"},
    # an "appeal", "plea" or "entreaty" to act is a call for it
    {"call", "calls", "appeal", "appeals", "plea", "pleas", "entreaty", "entreaties", "exhortation"},
    # a country's "military presence" somewhere is its troops there
    {"troop", "troops", "soldier", "soldiers", "servicemen", "presence", "deployment", "deployed",
     "stationed"},
    # talks held "against the backdrop" of tensions took place "in the context" of them
    {"backdrop", "context"},
    # a ministry that "justified" or "vindicated" a decision defended it
    {"justify", "justified", "vindicate", "vindicated", "defend", "defended"},
    # a checkpoint "near a waterway" or "by a stream" is by a river
    {"waterway", "watercourse", "stream", "river"},
    # a leader who "pushed" an idea insisted on it
    {"push", "pushed", "insist", "insisted"},
    # two issues "treated as equivalent", "on a par" or "on equal footing" are "on the same plane"
    {"equivalent", "equal", "par", "parity", "footing", "plane"},
    # a government that "predicted" or "forecast" worse to come warned of it, of its
    # "repercussions" or "fallout", its consequences
    {"warn", "warned", "warning", "predict", "predicted", "prediction", "forecast", "foresee", "foresaw",
     "foretell", "foretold"},
    {"consequence", "consequences", "repercussion", "repercussions", "fallout", "aftermath", "ramification",
     "ramifications"},
    # "scarcities" or "a dearth" of food are shortages; "alarm" or "disquiet" over them, concern
    {"shortage", "shortages", "scarcity", "scarcities", "dearth", "shortfall", "shortfalls", "deficit",
     "deficits"},
    {"concern", "concerns", "alarm", "alarmed", "disquiet", "unease", "apprehension"},
]


# Phrases news uses for a thing it also names in one word, which no synonym table joins
# word by word ("post" alone is also a Twitter post): a question's phrase is read as the word
# where the corpus writes the word and never the phrase (`Searcher.lexical_form`).
COMPOUNDS: dict[str, tuple[str, ...]] = {
    "checkpoint": ("control post", "control point", "check post", "checking point", "inspection post",
                   "inspection point", "border post", "security post", "control station"),
    # a day of the week named by where in the week it falls
    "monday": ("start of the week", "beginning of the week"),
}


# Measures and events news reports by their own names, as it does people: a question asking
# about one a corpus never mentions, by the word or its kin, asks what it does not report
# ("Has the EU imposed sanctions on Baku?" of a story that names none), however many of its
# other words (the EU, Baku, the blockade) the corpus shares.
NAMED_MEASURES = frozenset({
    "sanction", "sanctions", "embargo", "embargoes", "tariff", "tariffs", "ceasefire", "ceasefires",
    "truce", "armistice", "referendum", "referendums", "election", "elections", "ballot", "ballots",
    "vote", "votes", "voting", "voted", "casualty", "casualties", "landmine", "landmines", "airstrike",
    "airstrikes", "curfew", "conscription", "mobilization", "mobilisation", "fines", "penalty", "penalties",
})  # (not "evacuation": a reader's word for a withdrawal the corpus reports)


def thesaurus_links(vocab: set[str], stem) -> dict[str, set[str]]:
    """For each word of a THESAURUS family, the corpus stems of the others."""
    out: dict[str, set[str]] = {}
    for family in THESAURUS:
        stems = set(stem(sorted(family)))
        for s in stems:
            near = (stems - {s}) & vocab
            if near:
                out.setdefault(s, set()).update(near)
    return out


_WORDS = re.compile(r"[A-Za-z]+")


def corpus_phrasals(texts: Sequence[str], stem) -> set[str]:
    """The phrasal-verb keys ("depend_on") of every word the corpus writes before a particle
    ("depends on"): a synset's phrasal verb is in the corpus only when these two words are."""
    pairs = {(a.lower(), b.lower()) for ws in (_WORDS.findall(t) for t in texts) for a, b in zip(ws, ws[1:])
             if b.lower() in PARTICLES}
    firsts = sorted({a for a, _ in pairs})
    stem_of = dict(zip(firsts, stem(firsts)))
    return {phrasal_key(stem_of[a], b) for a, b in pairs}


def save_synonyms(path: Path, table: dict[str, list[str]]) -> None:
    path.write_text(json.dumps(table, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def load_synonyms(path: Path) -> dict[str, list[str]]:
    table = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(table, dict) or not all(isinstance(v, list) for v in table.values()):
        raise ValueError(f"{path.name} is not a synonym table")
    return table
