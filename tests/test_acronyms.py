"""Acronyms found in the corpus (retrieval/acronyms.py), and what they do for a question."""

from __future__ import annotations

from retrieval.acronyms import acronym_links, find_acronyms, find_initialisms
from retrieval.search import SearchConfig
from retrieval.sparse import stem_words

pytest_plugins = ["fixtures_core"]


def test_a_defined_acronym_takes_the_capitalised_words_its_letters_spell():
    text = "Judges of the International Court of Justice (ICJ) in The Hague ruled. The ICJ said more."
    assert find_acronyms([text]) == {"ICJ": "International Court of Justice"}


def test_an_undefined_acronym_is_linked_only_to_a_unique_phrase():
    texts = ["The European Union's envoy spoke.", "The EU said no. The US agreed.",
             "Both the United States and the Upper Silesia delegation left."]
    found = find_acronyms(texts)
    assert found["EU"] == "European Union"  # the possessive folded: one phrase, not two
    assert "US" not in found  # "United States" or "Upper Silesia": ambiguous, left alone


def test_halves_of_a_slashed_acronym_and_lone_capitals_are_not_acronyms():
    found = find_acronyms(["Grigoryan told RFE/RL's Armenian Service. Radio Liberty and Reopen Lachin."])
    assert "RL" not in found and "RFE" not in found
    assert find_acronyms(["A Quiet Day.", "I went home."]) == {}


def test_links_join_the_stems_both_ways():
    links = acronym_links({"ICJ": "International Court of Justice"}, stem_words)
    icj, court, justice = stem_words(["icj", "court", "justice"])
    assert links[icj] >= {court, justice}
    assert links[justice] == {icj} and links[court] == {icj}
    assert stem_words(["of"])[0] not in links[icj]


def test_a_long_form_question_credits_the_acronym_sentence(core_searcher):
    q = "In which month did the International Court of Justice rule on the corridor?"
    c = core_searcher.candidates(q, core_searcher.encoder.encode([q])[0], SearchConfig())
    sents = [core_searcher.data.passages[c.rows[j]].sentences[loc] for j, loc in zip(c.owner, c.local)]
    from retrieval.features import SENTENCE_FEATURES

    target = next(i for i, s in enumerate(sents) if s.startswith("The ICJ court ordered Azerbaijan"))
    assert c.x[target, SENTENCE_FEATURES.index("s_synonyms")] > 0
    ans = core_searcher.search(q, 3)
    assert ans.answered and ans.hits[0].highlight.startswith("The ICJ court ordered Azerbaijan in February")


def test_a_bodys_name_the_corpus_never_abbreviates_gives_its_initials():
    text = ("The European Court of Human Rights issued a similar order. Armenian Prime Minister "
            "Nikol Pashinyan and European Union head Charles Michel met. The Bank of England said.")
    found = find_initialisms([text])
    assert found["ECHR"] == "European Court of Human Rights"
    assert "ECH" not in found  # "European Court of Human": a name ends where its capitals do
    assert not any("and" in v.split() for v in found.values())  # two names joined are not one
    assert "BE" not in found  # two letters: too many words share them
    # initials two names spell, or an acronym the corpus writes itself, are left alone
    two = find_initialisms(["The Armenian Foreign Ministry and the Azerbaijani Foreign Ministry."])
    assert "AFM" not in two
    assert find_initialisms([text], taken={"ECHR"}).get("ECHR") is None


def test_a_question_with_an_acronym_the_corpus_never_writes_is_read_as_its_name(core_searcher):
    q = "did the ECHR also rule on this? if so when"
    assert "European Court of Human Rights" in core_searcher.lexical_form(q)
    assert core_searcher.unknown_names(q) == []
    ans = core_searcher.search(q, 3)
    assert ans.answered and ans.hits[0].highlight.startswith("The European Court of Human Rights issued")
    assert core_searcher.unknown_names("Did the OSCE rule on this?") == ["OSCE"]
