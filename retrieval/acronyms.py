"""Acronyms and their long forms, found in the corpus, so "ICJ" meets "International Court of Justice".

News spells a body out once ("the International Court of Justice (ICJ)") and then writes the
acronym ("The ICJ court ordered ..."), or uses a common one it never defines ("EU" beside
"European Union"). A reader asks either way. Neither BM25's stems nor MiniLM's vectors tie an
acronym to its words, and WordNet knows few of them.

Two sources, both read from the corpus text, nothing from outside:
- a definition, "Long Form (ACR)", where the acronym's letters are the initials of the
  capitalised words before it (small words such as "of" skipped);
- an acronym the corpus uses and exactly one capitalised phrase of the corpus whose initials
  spell it ("EU" and "European Union"). Two candidate phrases and the acronym is left alone.

A third source answers a question's acronym the corpus never writes ("Did the ECHR rule?"
against "The European Court of Human Rights issued ..."): the initials of a body's name of three
or more capitalised words, a name being a phrase that holds "of" or ends in a word such bodies end
in (Court, Council, Ministry, ...), kept when exactly one such phrase spells them
(`find_initialisms`), the name ending where its run of capitalised words does.

The links join the synonym table (lexicon.py) both ways, as stems: the acronym's stem to the
long form's, and each long-form stem to the acronym's. The ranker's synonym features then
credit "The ICJ court ordered ..." for "When did the International Court of Justice ...".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

_SMALL = {"of", "for", "and", "the", "on", "in", "de", "du", "des", "la", "le", "to", "at", "&"}
_CAP = r"[A-Z][\w’'-]*"
# a run of capitalised words, small words allowed between them
_SMALL_ALT = "|".join(map(re.escape, sorted(_SMALL)))
_RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:{_SMALL_ALT})\s+)*{_CAP})*")
_DEFINED = re.compile(r"\(([A-Z][A-Za-z&]{1,9})\)")
_ACRONYM = re.compile(r"(?<![/\w])[A-Z][A-Z&]{1,5}(?![/\w])")  # not one half of "RFE/RL"


def _letters(acronym: str) -> str:
    return "".join(ch for ch in acronym if ch.isalpha()).upper()


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in _SMALL).upper()


def _phrases(run: str, longest: int = 8) -> Iterator[tuple[str, list[str]]]:
    """Every sub-run of 2 to `longest` words that starts and ends with a capitalised word
    (possessives folded: "European Union's" is "European Union"), with its words."""
    words = [re.sub(r"[’']s$", "", w) for w in run.split()]
    caps = [i for i, w in enumerate(words) if w.lower() not in _SMALL]
    for a in caps:
        for b in caps:
            if a < b < a + longest:
                yield " ".join(words[a:b + 1]), words[a:b + 1]


def _capitalised_phrases(texts: Iterable[str]) -> Iterator[tuple[str, list[str], str, bool]]:
    """(phrase, its words, their initials, whether it ends where its run of capitalised words
    does) for every `_phrases` sub-run of the texts, leaving out those holding an acronym
    already ("RFE/RL Armenian Service")."""
    for text in texts:
        for run in _RUN.findall(text):
            last = re.sub(r"[’']s$", "", run.split()[-1])
            for phrase, words in _phrases(run):
                if not any(w.isupper() for w in words):
                    yield phrase, words, _initials(words), words[-1] == last


def find_acronyms(texts: Sequence[str]) -> dict[str, str]:
    """Acronym -> its long form, for the acronyms the texts define or use unambiguously.

    Two passes: the acronyms first, then only the phrases whose initials spell one of them,
    so a large corpus's capitalised phrases are never all held at once.
    """
    defined: dict[str, str] = {}
    used: set[str] = set()
    for text in texts:
        for m in _DEFINED.finditer(text):
            letters = _letters(m.group(1))
            words = text[max(0, m.start() - 200):m.start()].split()
            # the shortest tail of capitalised words whose initials spell the acronym
            for n in range(2, min(len(words), 12) + 1):
                tail = words[-n:]
                if tail[0].lower() in _SMALL or not tail[0][0].isupper():
                    continue
                if _initials(tail) == letters:
                    defined.setdefault(m.group(1), " ".join(tail))
                    break
        used.update(_ACRONYM.findall(text))
    wanted = {_letters(a) for a in used - set(defined)}
    by_initials: dict[str, set[str]] = {}
    for phrase, _words, key, _whole in _capitalised_phrases(texts if wanted else ()):
        if key in wanted:
            by_initials.setdefault(key, set()).add(phrase)
    out = dict(defined)
    for acronym in sorted(used - set(defined)):
        phrases = by_initials.get(_letters(acronym), set())
        if len(phrases) == 1:
            out[acronym] = next(iter(phrases))
    return out


def acronym_links(acronyms: dict[str, str], stem: Callable[[list[str]], list[str]]) -> dict[str, set[str]]:
    """Stem links both ways between each acronym (`find_acronyms`) and the words of its long form."""
    links: dict[str, set[str]] = {}
    for acronym, long_form in acronyms.items():
        short = stem([acronym.lower()])[0]
        words = [w for w in re.findall(r"[\w’'-]+", long_form.lower()) if w not in _SMALL]
        stems = [s for s in stem(words) if s and s != short]
        if not stems:
            continue
        links.setdefault(short, set()).update(stems)
        for s in stems:
            links.setdefault(s, set()).add(short)
    return links


# the last word of a body's name ("... Ministry", "... Court"), which its initials abbreviate
_BODY_HEADS = {
    "agency", "alliance", "army", "assembly", "association", "authority", "bank", "board", "bureau",
    "centre", "center", "coalition", "commission", "committee", "company", "conference", "corporation",
    "council", "court", "department", "federation", "forces", "foundation", "front", "fund", "guard",
    "institute", "ministry", "movement", "nations", "office", "organisation", "organization", "parliament",
    "party", "police", "programme", "program", "republic", "rights", "service", "states", "tribunal",
    "union", "university",
}


def find_initialisms(texts: Sequence[str], taken: set[str] = frozenset()) -> dict[str, str]:
    """Initials -> the one body's name of three or more capitalised words that they spell, for
    the names the texts write out ("European Court of Human Rights" -> "ECHR"); initials two
    names share, or that are in `taken` (acronyms the texts use themselves), are left out."""
    by_initials: dict[str, set[str]] = {}
    for phrase, words, key, whole in _capitalised_phrases(texts):
        # a whole name ends where its run does ("European Court of Human", no); one that joins
        # two ("Pashinyan and European Union") is not a name
        if not whole or "and" in words or "&" in words or len(key) < 3 or key in taken:
            continue
        if words[-1].lower() in _BODY_HEADS or " of " in f" {phrase.lower()} ":
            by_initials.setdefault(key, set()).add(phrase)
    return {k: next(iter(v)) for k, v in sorted(by_initials.items()) if len(v) == 1}
