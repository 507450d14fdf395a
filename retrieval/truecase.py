"""Truecasing: a question typed in lower case gets the corpus's capitals back.

Readers type "what did michel say about aghdam?" as often as the capitalised form. The steps
that read names from capitals (the speaker of a who-said-what question, the names a sentence
must hold, the office asked about) would see none. Each lower-case word the corpus writes
capitalised nearly everywhere it is not first in a sentence takes that form: "michel" ->
"Michel", "icj" -> "ICJ". Words the corpus never names keep the reader's case, so the check
for unknown names reads exactly what it read before.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_POSSESSIVE = re.compile(r"['’]s?$")
_ENDS = ".!?:;"  # a sentence ended here, then space: the next word starts one
_OPENS = "“\"([—–-"  # a quote, bracket or dash opened here: the next word may start one
# a word takes the corpus's capitals when at least this share of its mid-sentence uses have them
MIN_SHARE = 0.8


def starts_sentence(text: str, at: int) -> bool:
    """Whether a word at `at` opens a sentence or a quote: first in the text, after an end
    mark and space, or after an opening quote, bracket or dash (and any space). It reads
    back over the space only, so a long sentence costs no more per word than a short one."""
    k = at
    while k and text[k - 1].isspace():
        k -= 1
    if not k:
        return at == 0 or text[:at] == "\n"
    return text[k - 1] in _OPENS or (k < at and text[k - 1] in _ENDS)


def casing_table(sentences: Iterable[str]) -> dict[str, str]:
    """{lower-case word: the capitalised form the corpus writes it in}, from mid-sentence uses
    (a sentence's first word is capitalised whatever it is)."""
    forms: dict[str, Counter] = {}
    for sentence in sentences:
        for m in _WORD.finditer(sentence):
            if starts_sentence(sentence, m.start()):
                continue
            word = _POSSESSIVE.sub("", m.group(0))  # "Russia’s" is a use of "Russia"
            forms.setdefault(word.lower(), Counter())[word] += 1
    table = {}
    for low, seen in forms.items():
        total = sum(seen.values())
        form, n = seen.most_common(1)[0]
        if form != low and form[0].isupper() and n >= MIN_SHARE * total:
            table[low] = form
    return table


def truecase(question: str, table: dict[str, str]) -> str:
    """The question with each all-lower-case word the table knows in the corpus's form; words
    the reader capitalised, and words the corpus does not capitalise, are left as typed."""
    if not table:
        return question

    def fix(m: re.Match) -> str:
        word = m.group(0)
        if not word.islower():
            return word
        base = _POSSESSIVE.sub("", word)
        form = table.get(base)
        return form + word[len(base):] if form else word

    return _WORD.sub(fix, question)
