"""WordNet synonyms (retrieval/lexicon.py): built from the real WordNet 3.0 the Makefile installs,
stored with the index, and read by the ranker as features."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from fixtures_core import copy_seeds

from retrieval.features import SENTENCE_FEATURES
from retrieval.index import load_index, update_index
from retrieval.lexicon import (
    SYNONYMS_VERSION,
    antonym_key,
    build_synonyms,
    corpus_phrasals,
    find_wordnet,
    load_synonyms,
    phrasal_key,
)
from retrieval.search import SearchConfig, Searcher
from retrieval.sparse import stem_words

pytest_plugins = ["fixtures_core"]

VOCAB = stem_words(["proof", "allegations", "spokeswoman", "receive", "potato", "evidence"])


@pytest.fixture(scope="module")
def wordnet() -> Path:
    folder = find_wordnet()
    assert folder is not None, "no WordNet: `make setup` puts Debian's wordnet-base in .venv/share/wordnet"
    return folder


def test_question_words_meet_the_corpus_words_wordnet_relates_them_to(wordnet):
    table = build_synonyms(wordnet, VOCAB, stem_words)
    asked = ["evidence", "accusations", "spokesperson", "get"]
    stem = dict(zip(asked, stem_words(asked)))
    proof, alleg, spokeswom, receiv = stem_words(["proof", "allegations", "spokeswoman", "receive"])
    assert proof in table[stem["evidence"]]  # a hyponym: the article's word is the more specific
    assert alleg in table[stem["accusations"]]
    assert spokeswom in table[stem["spokesperson"]]  # one synset
    assert receiv in table[stem["get"]]  # a verb's frequent sense
    assert all(set(v) <= set(VOCAB) for v in table.values())  # only the corpus's stems
    assert all(k not in v for k, v in table.items())  # exact matches are BM25's, not listed
    assert stem_words(["potato"])[0] not in table[stem["evidence"]]


def test_a_phrasal_verb_meets_what_its_verb_alone_does_not(wordnet):
    """"turn down" is "reject" and "brush off" is "dismiss"; "turn" and "brush" are neither."""
    vocab = stem_words(["rejected", "dismissed"])
    table = build_synonyms(wordnet, vocab, stem_words)
    turn, brush = stem_words(["turned", "brushing"])
    assert vocab[0] in table[phrasal_key(turn, "down")] and vocab[0] not in table.get(turn, [])
    assert vocab[1] in table[phrasal_key(brush, "off")] and vocab[1] not in table.get(brush, [])


def test_a_phrasal_verb_meets_the_phrasal_verbs_the_corpus_writes(wordnet):
    """"hinge on" is "depend on": where the corpus writes "depends on", a question's "hinges on"
    meets "depend"; a single word does not ("open" is not "set" for the corpus's "set up")."""
    texts = ["Real progress depends on the next steps.", "Baku set up a checkpoint."]
    phrases = corpus_phrasals(texts, stem_words)
    depend, hinge, set_, open_ = stem_words(["depends", "hinges", "set", "open"])
    assert phrasal_key(depend, "on") in phrases and phrasal_key(set_, "up") in phrases
    vocab = set(stem_words(" ".join(texts).replace(".", "").lower().split()))
    table = build_synonyms(wordnet, vocab, stem_words, phrases)
    assert depend in table[phrasal_key(hinge, "on")]
    assert depend not in build_synonyms(wordnet, vocab, stem_words).get(phrasal_key(hinge, "on"), [])
    assert set_ not in table.get(open_, [])


def test_a_re_verb_meets_re_and_its_verbs_kin(wordnet):
    """"reaffirm" meets the article's "reconfirmed": affirm and confirm share a synset, and
    WordNet relates neither "re-" verb to the other."""
    vocab = set(stem_words(["reconfirmed", "confirmed", "report"]))
    table = build_synonyms(wordnet, vocab, stem_words)
    reaffirm, reconfirm = stem_words(["reaffirm", "reconfirmed"])
    assert reconfirm in table[reaffirm]
    assert reconfirm not in build_synonyms(wordnet, vocab - {reconfirm}, stem_words).get(reaffirm, [])


def test_antonyms_are_kept_apart_for_yes_no_questions(wordnet):
    """"acknowledge" is opposed by "deny": kept under its own key, so only a yes/no question
    reads it ("Does Armenia acknowledge ...?" is answered by "Armenia has denied ...")."""
    vocab = stem_words(["denied", "admitted"])
    table = build_synonyms(wordnet, vocab, stem_words)
    ack, deny = stem_words(["acknowledge", "deny"])
    assert vocab[0] in table[antonym_key(ack)] and vocab[0] not in table.get(ack, [])
    assert vocab[1] in table[antonym_key(deny)]


def test_a_yes_no_question_meets_the_sentence_that_denies_it(core_searcher):
    ans = core_searcher.search("Does Armenia acknowledge having soldiers in Karabakh?")
    assert ans.answered
    assert ans.hits[0].highlight == "Armenia has repeatedly denied any military presence in Karabakh."


def test_troops_asked_of_are_a_military_presence(core_searcher):
    """A country's troops somewhere are its "military presence" there (THESAURUS): the plain
    question is answered by the denial, not by the accusation of shipping "personnel"."""
    ans = core_searcher.search("Does Armenia have troops in Karabakh?")
    assert ans.answered
    assert ans.hits[0].highlight == "Armenia has repeatedly denied any military presence in Karabakh."


def test_an_appeal_to_act_is_a_call_for_it(core_searcher):
    """An "appeal" (a "plea", an "entreaty") is what the article calls "calls" (THESAURUS)."""
    ans = core_searcher.search("Whose appeals to reopen the Lachin corridor did Azerbaijan turn down?")
    assert ans.answered and "Azerbaijan has rejected Russia’s latest calls" in ans.hits[0].highlight


def test_which_countrys_appeals_asks_whose(core_searcher):
    """"Which country's calls ... did Azerbaijan turn down?" asks what "Whose calls ...?" does:
    the sentence with the act ("rejected"), not the one that only shares the corridor's name."""
    ans = core_searcher.search("Which country's calls to reopen the Lachin corridor did Azerbaijan "
                               "turn down?")
    assert ans.answered and "Azerbaijan has rejected Russia’s latest calls" in ans.hits[0].highlight


def test_the_search_reads_a_questions_phrasal_verbs(core_searcher):
    relatives = core_searcher._phrasal_relatives("What request from Moscow did Baku turn down?")
    assert stem_words(["rejected"])[0] in relatives[stem_words(["turn"])[0]]
    assert core_searcher._phrasal_relatives("Where did the talks take place?") == {}


def test_the_index_stores_its_synonym_table(core_seed_index, wordnet):
    data = load_index(core_seed_index.vectors)
    m = data.manifest
    assert m["settings"]["synonyms"] == {"version": SYNONYMS_VERSION, "source": "wordnet-3.0",
                                         "acronyms": 2, "initialisms": 3}  # ICJ, EU; ECHR, CHR, RFM
    stored = load_synonyms(core_seed_index.vectors / m["files"]["synonyms"]["name"])
    assert stored == data.synonyms and stored
    vocab = set(data.sentence_sparse.retriever.vocab_dict)
    wordnet_only = build_synonyms(wordnet, vocab, stem_words)
    assert all(set(v) <= set(stored[k]) for k, v in wordnet_only.items())
    assert stem_words(["proof"])[0] in stored[stem_words(["evidence"])[0]]
    justice, icj = stem_words(["justice", "icj"])
    assert icj in stored[justice] and justice in stored[icj] and icj not in wordnet_only.get(justice, [])


def test_an_index_without_synonyms_gets_them_without_re_embedding(core_fresh_index, core_encoder):
    vectors, seeds = core_fresh_index.vectors, core_fresh_index.seeds
    m = json.loads((vectors / "manifest.json").read_text(encoding="utf-8"))
    (vectors / m["files"].pop("synonyms")["name"]).unlink()
    del m["settings"]["synonyms"]
    (vectors / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    old = load_index(vectors)
    assert old.synonyms is None
    report = update_index(seeds, vectors, encoder=core_encoder)
    assert report.embedded_passages == 0 and not report.rebuilt
    new = load_index(vectors)
    assert new.synonyms and np.array_equal(new.sentence_vectors, old.sentence_vectors)


def test_a_synonym_in_the_sentence_is_a_ranker_feature(core_searcher):
    q = "Did Azerbaijan back up its accusations with any evidence?"
    c = core_searcher.candidates(q, core_searcher.encoder.encode([q])[0], SearchConfig())
    sents = [core_searcher.data.passages[c.rows[j]].sentences[loc] for j, loc in zip(c.owner, c.local)]
    col = SENTENCE_FEATURES.index("s_synonyms")
    target = next(i for i, s in enumerate(sents) if "without offering proof of the allegations" in s)
    assert c.x[target, col] > 0  # "evidence" ~ "proof", "accusations" ~ "allegations"
    assert c.x[target, SENTENCE_FEATURES.index("s_cover_synonyms")] >= c.x[target, col]
    assert c.x[:, col].min() >= 0 and c.x[:, col].max() <= 1


def test_the_thesaurus_joins_diplomatic_words_wordnet_keeps_apart():
    """A peace "settlement" is an accord, a draft "ripe" for "conclusion" is ready for signing,
    a road's "interdiction" is its blockade: in the corpus's words only, never a word itself."""
    from retrieval.lexicon import thesaurus_links

    vocab = set(stem_words(["accord", "ready", "signing", "blockade", "potato"]))
    links = thesaurus_links(vocab, stem_words)
    settlement, ripe, conclusion, interdiction = stem_words(["settlement", "ripe", "conclusion",
                                                             "interdiction"])
    accord, ready, signing, blockade = stem_words(["accord", "ready", "signing", "blockade"])
    assert accord in links[settlement] and ready in links[ripe] and signing in links[conclusion]
    assert blockade in links[interdiction]
    assert all(v <= vocab and k not in v for k, v in links.items())


def test_the_thesaurus_joins_the_words_of_reported_positions():
    """Progress "contingent" on something depends on it, "headway" is progress, a "disposition"
    to act is willingness, a "reproach" a rebuke, parties "at variance" disagree, a "bolder"
    side an emboldened one, what was "acknowledged" was noted, an "implicit criticism" a veiled
    rebuke, to "abandon" a "conciliatory programme" to deviate from a peace agenda; an "online"
    message on a "social" platform was posted on Twitter; a "stabilisation" force keeps the peace,
    and what a side "imputes" to another it accuses it of; a ministry that "forecast"
    "repercussions" warned of consequences, and its "alarm" over "scarcities" is concern over
    shortages."""
    from retrieval.lexicon import thesaurus_links

    corpus = ["depends", "progress", "willingness", "rebuke", "disagree", "emboldened", "noted", "rebuke",
              "veiled", "agenda", "deviate", "peace", "twitter", "twitter",
              "peacekeepers", "accused", "warning", "consequences", "concern", "shortages"]
    asked = ["contingent", "headway", "disposition", "reproach", "variance", "bolder", "acknowledged",
             "criticism", "implicit", "programme", "abandon", "conciliatory", "online", "social",
             "stabilisation", "impute", "forecast", "repercussions", "alarm", "scarcities"]
    vocab = set(stem_words(corpus))
    links = thesaurus_links(vocab, stem_words)
    for question_word, corpus_word in zip(stem_words(asked), stem_words(corpus)):
        assert corpus_word in links[question_word], (question_word, corpus_word)


def _synonym_share(searcher, question: str, needle: str) -> tuple[float, int]:
    """(the s_synonyms feature of the candidate sentence holding `needle`, the question's word count)."""
    c = searcher.candidates(question, searcher.encoder.encode([question])[0], SearchConfig())
    sents = [searcher.data.passages[c.rows[j]].sentences[loc] for j, loc in zip(c.owner, c.local)]
    target = next(i for i, s in enumerate(sents) if needle in s)
    return float(c.x[target, SENTENCE_FEATURES.index("s_synonyms")]), len(c.q_words)


@pytest.mark.parametrize(("question", "needle"), [
    # "headway" meets "progress" and "contingent" "depends" (a third of the question's words)
    ("On what is genuine headway contingent, in Michel's words?", "Real progress depends on"),
    # "online" and "platform" meet "Twitter"
    ("On which online platform did the ministry spokeswoman post her message?", "said in a Twitter post"),
    # "impute" meets "accused" and "stabilisation" "peacekeepers"
    ("Which failing did Baku impute to the Russian stabilisation contingent?", "It accused the peacekeepers"),
    # "scarcities" meets "shortages", "alarm" "concern", "forecast" "warning"
    ("What scarcities caused alarm in Moscow, and what did it forecast?", "expressing serious concern"),
])
def test_words_asked_in_other_words_are_a_synonym_feature(core_searcher, question, needle):
    share, n = _synonym_share(core_searcher, question, needle)
    assert share >= 2 / n


def test_a_thesaurus_word_in_the_sentence_is_a_synonym_feature(core_searcher):
    question = "Was the settlement up for conclusion, in the Armenian premier's words?"
    share, _ = _synonym_share(core_searcher, question, "yet ready for signing")
    assert share > 0
    # the index's table holds the thesaurus's links in the corpus's words
    settlement, accord, conclusion, signing = stem_words(["settlement", "accord", "conclusion", "signing"])
    assert accord in core_searcher.synonyms[settlement] and signing in core_searcher.synonyms[conclusion]


def test_without_wordnet_the_index_says_how_to_get_it_and_still_answers(tmp_path, core_encoder, monkeypatch,
                                                                         caplog):
    monkeypatch.setenv("QABOT_WORDNET", str(tmp_path / "nowhere"))
    assert find_wordnet() is None
    seeds, vectors = copy_seeds(tmp_path / "seeds"), tmp_path / "vectors"
    with caplog.at_level(logging.WARNING):
        update_index(seeds, vectors, encoder=core_encoder, extract_quotes=False)
    assert any("WordNet not found" in r.getMessage() and "wordnet-base" in r.getMessage()
               for r in caplog.records)
    data = load_index(vectors)
    assert data.manifest["settings"]["synonyms"]["source"] is None
    assert stem_words(["proof"])[0] not in data.synonyms.get(stem_words(["evidence"])[0], [])
    # the acronyms: those the corpus writes, and the initials of bodies it names in full; and
    # the thesaurus, which needs no WordNet ("settlement" is still the corpus's "accord")
    from retrieval.lexicon import THESAURUS

    thesaurus = {st for family in THESAURUS for st in stem_words(sorted(family))}
    acronyms = set(stem_words(["icj", "international", "court", "justice", "eu", "european", "union",
                               "echr", "chr", "rfm"])) | {"#ECHR", "#CHR", "#RFM"}
    assert set(data.synonyms) - thesaurus == acronyms  # (a name's words link to no acronym the corpus lacks)
    assert stem_words(["accord"])[0] in data.synonyms[stem_words(["settlement"])[0]]
    ans = Searcher(data, core_encoder).search("How big is Armenia?")
    assert ans.answered and "29,800" in ans.hits[0].text
