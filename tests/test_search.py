"""Step 5, search: real model, real FAISS and BM25 over the seed article.

Questions and answers come from the seed (seeds/000_d538b9dfed72cb85.txt); the off-topic ones
are about things the article never mentions.
"""

from __future__ import annotations

import numpy as np
import pytest
from fixtures_core import SEED_ID, SEED_TITLE

from retrieval.answer import Answer, paragraph_label, render_text

pytest_plugins = ["fixtures_core"]

HIT_KEYS = {"rank", "score", "passage_id", "doc_id", "title", "paragraphs", "text", "highlight", "citation"}


def assert_valid(ans: Answer, k: int, searcher) -> None:
    """What every answer must satisfy, answered or not."""
    assert isinstance(ans.answered, bool)
    if not ans.answered:
        assert ans.hits == []
        return
    assert 1 <= len(ans.hits) <= k
    assert [h.rank for h in ans.hits] == list(range(1, len(ans.hits) + 1))
    ids = [h.passage_id for h in ans.hits]
    assert len(set(ids)) == len(ids)
    scores = [h.score for h in ans.hits]
    assert scores == sorted(scores, reverse=True)
    by_id = {p.passage_id: p for p in searcher.data.passages}
    for h in ans.hits:
        p = by_id[h.passage_id]
        assert h.text == p.text and h.paragraphs == p.paragraphs and h.doc_id == p.doc_id == SEED_ID
        assert h.highlight in p.sentences
        assert h.title == SEED_TITLE
        assert h.citation.startswith(f"[{h.rank}] {SEED_TITLE}")
        assert f", {paragraph_label(h.paragraphs)}, " in h.citation  # "para. 3", or "photo caption"
        assert paragraph_label(h.paragraphs).startswith(("para. ", "paras. ", "photo caption"))
        assert HIT_KEYS <= set(h.to_json())


def test_how_big_is_armenia(core_searcher):
    ans = core_searcher.search("How big is Armenia?", 3)
    assert_valid(ans, 3, core_searcher)
    assert ans.answered
    top = ans.hits[0]
    assert "29,800 square kilometers" in top.text
    assert "29,800 square kilometers" in top.highlight


def test_who_is_ani_badalyan(core_searcher):
    ans = core_searcher.search("Who is Ani Badalyan?", 3)
    assert_valid(ans, 3, core_searcher)
    assert ans.answered
    assert any("Ani Badalyan" in h.text for h in ans.hits)
    assert any("Ani Badalyan" in h.highlight for h in ans.hits)


@pytest.mark.parametrize("question", [
    "How do I bake sourdough bread?",
    "What did Vladimir Putin say about the blockade?",
])
def test_off_topic_questions_are_not_answered(core_searcher, question):
    ans = core_searcher.search(question, 3)
    assert not ans.answered
    assert ans.hits == []
    assert ans.to_json()["hits"] == []
    assert "do not seem to answer" in render_text(ans)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_k_is_respected(core_searcher, k):
    ans = core_searcher.search("What happened to the Lachin corridor?", k)
    assert ans.answered
    assert_valid(ans, k, core_searcher)
    assert len(ans.hits) == min(k, len(core_searcher.data.passages))


@pytest.mark.parametrize("question", ["", "   ", "\n\t", "?", "!!!"])
def test_empty_or_blank_questions_do_not_crash(core_searcher, question):
    ans = core_searcher.search(question, 3)
    assert ans.question == question
    assert_valid(ans, 3, core_searcher)


def test_batch_equals_single_searches(core_searcher):
    questions = ["How big is Armenia?", "Who is Ani Badalyan?", "How do I bake sourdough bread?",
                 "When did the ICJ order Azerbaijan to ensure movement along the corridor?"]
    batch = core_searcher.batch_search(questions, 3)
    assert [a.question for a in batch] == questions
    for q, b in zip(questions, batch):
        single = core_searcher.search(q, 3)
        assert b.answered == single.answered
        assert [h.passage_id for h in b.hits] == [h.passage_id for h in single.hits]


def test_search_is_deterministic(core_searcher):
    first = core_searcher.search("Who reacted to the Russian statement?", 3).to_json()
    second = core_searcher.search("Who reacted to the Russian statement?", 3).to_json()
    assert first == second


def test_answer_json_shape(core_searcher):
    d = core_searcher.search("How big is Armenia?", 2).to_json()
    assert {"question", "answered", "hits"} <= set(d)
    assert d["question"] == "How big is Armenia?" and d["answered"] is True
    for i, h in enumerate(d["hits"], 1):
        assert HIT_KEYS <= set(h)
        assert h["rank"] == i and isinstance(h["score"], float)
        assert isinstance(h["paragraphs"], list) and all(isinstance(n, int) for n in h["paragraphs"])


def test_rendered_answer_marks_the_highlight_and_lists_sources(core_searcher):
    ans = core_searcher.search("How big is Armenia?", 3)
    text = render_text(ans)
    assert f"»{ans.hits[0].highlight}«" in text
    assert "Sources:" in text
    for h in ans.hits:
        assert h.citation in text


@pytest.mark.parametrize("question, needle", [
    ("What did the ICJ order in February?", "International Court of Justice"),
    ("Who is Tigran Grigoryan?", "Tigran Grigoryan"),
    ("Where did Pashinyan and Aliyev meet?", "Brussels"),
])
def test_more_seed_questions(core_searcher, question, needle):
    ans = core_searcher.search(question, 3)
    assert ans.answered
    assert any(needle in h.text for h in ans.hits)


def test_top_rows_is_exact_on_large_and_sparse_score_arrays():
    """The sampled lower bound never loses a row of the true top c (ties compared by value)."""
    from retrieval.search import _top_rows

    rng = np.random.default_rng(0)
    for n, density in ((1_000_000, 0.5), (1_000_000, 0.001), (200_000, 1.0), (100, 0.5), (5000, 0.02)):
        for trial in range(6):
            x = np.where(rng.random(n) < density, rng.random(n), 0).astype(np.float32)
            if trial % 2:
                x = np.round(x * 10) / 10  # many ties at the boundary
            got = _top_rows(x, 40)
            nz = np.flatnonzero(x)
            want = nz[np.argpartition(-x[nz], 39)[:40]] if len(nz) > 40 else nz
            assert sorted(x[got].tolist()) == sorted(x[want].tolist())
            assert (x[got] > 0).all() and len(set(got.tolist())) == len(got)


@pytest.mark.parametrize(("question", "passage", "want"), [
    ("How old is the minister?", "The minister, 54, said ...", False),  # a bare number is not an age
    ("How old is the minister?", "The 54-year-old minister said ...", True),
    ("How old is the minister?", "The minister, aged 54, said ...", True),
    ("How long is the road in kilometres?", "The country covers 29,800 square kilometers.", False),
    ("How long is the road in kilometres?", "The 65-kilometre road links the two towns.", True),
    ("How big is the country in square kilometres?", "The country covers 29,800 square kilometers.", True),
    ("What is the population of the city?", "The city has 1.1 million inhabitants.", True),
    ("What is the population of the city?", "The mayor met 12 ministers.", False),
    ("How much does a loaf of bread cost there?", "Bread ran out in three days.", False),
    ("How much does a loaf of bread cost there?", "A loaf now costs 1,000 drams.", True),
    ("How long has she been mayor?", "She was elected mayor in Lyon.", False),
    ("How long has she been mayor?", "She has been mayor since 2019.", True),
    ("How long has the blockade lasted?", "The seven-month blockade goes on.", True),
    ("What was the vote count in parliament?", "Parliament approved the bill on Tuesday.", False),
    ("What was the vote count in parliament?", "Parliament approved the bill by 87 votes to 12.", True),
    ("What was the vote count in parliament?", "Parliament voted unanimously for the bill.", True),
    ("Who voted against the bill?", "Anything at all.", None),
    ("Who said aid must reach the population?", "Anything at all.", None),  # not a measure question
    ("How big is Armenia?", "Anything at all.", None),
    ("What land area was cited for the country?", "The seven-month blockade goes on.", False),
    ("What land area was cited for the country?", "The country covers 29,800 square kilometers.", True),
    ("What is the area of the country?", "It has 29,800 square kilometers.", True),
    ("How many sq km does the country cover?", "The country covers 29,800 square kilometers.", True),
    # a hyphenated measure is asked too; a question's capitalised first word is no place the area is of
    ("Which surface-area figures were cited?", "The country covers 29,800 square kilometers.", True),
    ("Mutual recognition rests on what land-area figures?", "Armenia covers 29,800 square kilometers.", True),
    ("Armenia's land area, per the talks?", "Azerbaijan covers 86,600 square kilometers.", False),
    ("How long is the road in kilometres?", "The country covers 29,800 sq km.", False),
    # a date of the calendar: a month by name or a year, not "the weekend" nor the verb "may"
    ("On what exact date did the talks begin?", "In a weekend statement, the ministry said.", False),
    ("On what exact date did the talks begin?", "That may have been a rebuke.", False),
    ("What was the date of the meeting?", "They met on Saturday, July 15.", True),
    ("On what date did the court rule?", "The court ordered Azerbaijan in February to act.", True),
    ("On what date did the court rule?", "The ruling of 2023 stands.", True),
    # a day asked: a weekday or a calendar date says which, "the weekend" does not
    ("On what day did the ministry speak?", "In a weekend statement, the ministry said.", False),
    # a day of the week by name
    ("On which day of the week did the ministry speak?", "In a weekend statement, the ministry said.", False),
    ("What weekday was the statement issued?", "Baku reacted to Saturday’s statement.", True),
    # a life's dates, and a country's money, need their own words, not just any date or sum
    ("When was the council president born?", "He met them in Brussels on July 15.", False),
    ("When was the council president born?", "Michel, born in 1975 in Namur, said ...", True),
    ("Where did the poet die?", "The poet died in Paris.", True),
    ("What currency is used in Armenia?", "Armenia is a landlocked country of 2.9 million.", False),
    ("What currency is used in Armenia?", "Prices are quoted in drams.", True),
    ("Which currency does the country use?", "It costs 300 euros.", True),
    ("On which day did Russia issue its statement?", "Baku reacted to Saturday’s statement.", True),
    ("On which day did they meet?", "They met on July 15.", True),
    ("What day of the week did they meet?", "They met on July 15.", False),
])
def test_measure_questions_need_a_number_in_their_unit(question, passage, want):
    from retrieval.features import measure_supported

    assert measure_supported(question, passage) is want


def test_a_durations_window_reads_the_words_at_its_edges_whole():
    """As for a date: "corridor" cut at the window's edge to "r" is still "corridor"."""
    from retrieval.features import measure_supported
    from retrieval.sparse import stem_words

    cut = "the corridor " + "x" * 21 + " seven months."
    assert measure_supported("How long has the corridor been shut?", cut, stem_words) is True
    assert measure_supported("How long has the road been shut?", cut, stem_words) is False


@pytest.mark.parametrize("question, passage, want", [
    # a span of time answers "how long" only when it spans what was asked about
    ("How long has the corridor been blockaded?", "Its seven-month blockade of the corridor goes on.", True),
    ("How long has Aliyev been president?",
     "Aliyev, who spoke on Monday in the capital, kept up the seven-month blockade of the road.", False),
    ("How long did the talks last?", "The talks lasted three hours.", True),
    # a hedge before "how long" asks the same
    ("For roughly how long has the corridor been cut off?", "Its seven-month blockade of the corridor.",
     True),
    ("About how long has Aliyev been president?",
     "Aliyev, who spoke on Monday in the capital, kept up the seven-month blockade of the road.", False),
    # a derived form of the question's word is that word ("blocking" and "blockade")
    ("How long has Azerbaijan been blocking the road?",
     "Russia called for an end to its seven-month blockade of Karabakh's only land link.", True),
    ("How long has Azerbaijan been blocking the road?",
     "Russia spoke of the seven-month talks of Karabakh's only land link.", False),
])
def test_a_duration_answers_only_for_what_it_spans(question, passage, want):
    from retrieval.features import measure_supported
    from retrieval.sparse import stem_words

    assert measure_supported(question, passage, stem_words) is want


@pytest.mark.parametrize("question", [
    "How old is Pashinyan?",
    "How long is the Lachin corridor in kilometres?",
    "What is the population of Armenia?",
    "What population figure does the report give for Karabakh's Armenians?",  # a number, by its kind
    # a number in the passage ("seven-month") is no weight
    "What tonnage of relief goods has been stopped at Baku's checkpoint since the seven-month blockade began",
    "How big is the ethnic Armenian population of the enclave in number of residents?",
    "How long has Ilham Aliyev been president of Azerbaijan?",
])
def test_near_topic_measure_questions_abstain(core_searcher, question):
    """The article names them all, but gives no age, no length and no population."""
    assert not core_searcher.search(question, 3).answered


def test_a_population_named_is_not_a_population_asked(core_searcher):
    """"What has the blockade done for the population of Karabakh?" asks what happened to the
    people, which the article says, not how many they are, which it does not."""
    q = "What humanitarian consequences has the blockade had for the population of Karabakh?"
    ans = core_searcher.search(q)
    assert ans.answered and "serious humanitarian crisis" in ans.hits[0].highlight
    assert not core_searcher.search("What is the current population of Nagorno-Karabakh?").answered


def test_capitals_stand_for_their_countries_only_when_the_corpus_does_not_name_them():
    from retrieval.gazetteer import as_countries

    known = {"Russia", "Azerbaijan", "Baku"}.__contains__
    assert as_countries("Did Baku agree to Moscow's request?", known) == \
        "Did Baku Azerbaijan agree to Russia's request?"
    assert as_countries("What did Paris say?", known) == "What did Paris say?"  # France unknown too
    assert as_countries("Moscow’s view", known) == "Russia’s view"
    # seats of government too; for a country the corpus does not name, its capital if named
    assert as_countries("What did the Kremlin ask of Baku?", known) == \
        "What did the Russia ask of Baku Azerbaijan?"
    assert as_countries("What did the White House say?", {"Washington"}.__contains__) == \
        "What did the Washington say?"
    assert as_countries("What did the Pentagon say?", known) == "What did the Pentagon say?"
    # a capital as a place is the city: talks in Moscow are not any talks in Russia
    assert as_countries("What came of the talks in Moscow?", known) == "What came of the talks in Moscow?"
    assert as_countries("Who met at Moscow's request?", known) == "Who met at Russia's request?"


def test_a_place_named_by_its_kind_is_searched_by_its_name(core_searcher):
    """The article never says "enclave": a question that does is read as naming the one
    enclave the article names, so BM25 meets the sentences about Karabakh."""
    from retrieval.gazetteer import as_places_of_kind

    known = {"Karabakh"}.__contains__
    assert as_places_of_kind("Are there troops in the mountain enclave?", known) == \
        "Are there troops in the mountain enclave Karabakh?"
    assert as_places_of_kind("the Karabakh enclave", known) == "the Karabakh enclave"
    assert as_places_of_kind("the enclave", {"Karabakh", "Kaliningrad"}.__contains__) == "the enclave"
    hits = core_searcher.search("Does Armenia keep soldiers in the enclave?", 3).hits
    assert any("denied any military presence in Karabakh" in h.highlight for h in hits)


def test_a_capitals_possessive_the_corpus_never_writes_is_its_countrys(core_searcher):
    """The article writes "Baku's demands" but never "Yerevan's": "Yerevan's answer" is
    Armenia's answer, not whatever sentence happens to name the city."""
    from retrieval.gazetteer import as_countries

    known = {"Armenia", "Yerevan", "Azerbaijan", "Baku"}.__contains__
    owns = {"Baku"}.__contains__
    assert as_countries("Yerevan's answer to Baku's demands", known, owns) == \
        "Armenia's answer to Baku Azerbaijan's demands"
    assert as_countries("talks in Yerevan", known, owns) == "talks in Yerevan Armenia"
    q = "What is Yerevan's answer to claims that it has soldiers in Karabakh?"
    hit = core_searcher.search(q, 3).hits[0]
    assert "Armenia has repeatedly denied any military presence" in hit.highlight
    # the model reads it so too, and the city where it is a place
    a, b, c, d = core_searcher.encode_questions([
        "What did Yerevan's readout say?", "What did Armenia's readout say?",
        "What was said in Yerevan?", "What was said in Armenia?"])
    assert np.allclose(a, b) and not np.allclose(c, d)


def test_a_whole_counts_as_known_only_when_the_corpus_names_a_part():
    from retrieval.gazetteer import without_known_wholes

    known = {"ICJ", "Armenia"}.__contains__
    assert without_known_wholes("What did the UN's top court order?", known) == \
        "What did the 's top court order?"
    assert without_known_wholes("Who met the South Caucasus leaders?", known) == "Who met the  leaders?"
    assert without_known_wholes("What did the Baltic states say?", known) == "What did the Baltic states say?"
    # a city named for a body seated there: "the court in The Hague" is the ICJ
    assert without_known_wholes("What did the court in The Hague order?", known) == \
        "What did the court in  order?"
    assert without_known_wholes("What did the Strasbourg court say?", known) == \
        "What did the Strasbourg court say?"


def test_a_city_named_for_the_court_seated_there_is_no_unknown_name(core_searcher):
    """"the Strasbourg human rights court": the article names the European Court of Human
    Rights, which sits in Strasbourg; a city seating nothing the corpus names stays unknown."""
    q = "In which month did the Strasbourg human rights court issue its own order on Lachin?"
    assert not core_searcher.unknown_names(core_searcher.normalise(q))
    ans = core_searcher.search(q, 3)
    assert ans.answered and "December" in ans.hits[0].highlight
    assert core_searcher.unknown_names("What did Interpol in Lyon say about the corridor?")


@pytest.mark.parametrize("question", [
    "What did the Baltic states say about the blockade?", "Has Central Asia offered to mediate?",
])
def test_a_whole_of_no_named_part_is_still_unknown(core_searcher, question):
    assert core_searcher.unknown_names(question) and not core_searcher.search(question, 3).answered


@pytest.mark.parametrize(("question", "needle"), [
    ("On what day did Moscow's foreign ministry voice concern over shortages in Karabakh?", "Saturday"),
    ("Did Baku agree to Moscow's request to lift the blockade?", "rejected Russia"),
    ("What has Azerbaijan refused the Kremlin?", "rejected Russia"),
    # a whole the article names a part of: the ICJ, not the UN; Armenia, not the South Caucasus
    ("What exactly did the UN's top court require Azerbaijan to do?", "unimpeded movement"),
    ("Who hosted the talks between the South Caucasus leaders?", "Charles Michel"),
])
def test_a_name_for_one_the_corpus_names_is_not_an_unknown_name(core_searcher, question, needle):
    ans = core_searcher.search(question, 3)
    assert ans.answered and not core_searcher.unknown_names(question)
    assert any(needle in h.text for h in ans.hits)


def test_the_two_capitals_are_the_two_the_corpus_names(core_searcher):
    """"the two capitals" of a dispute are the two capitals the article names (Baku and
    Yerevan): read by name, the question is answered, and by the sentence naming both."""
    from retrieval.gazetteer import as_the_capitals

    assert as_the_capitals("Do both capitals agree?", {"Baku", "Yerevan"}.__contains__) == \
        "Do Baku and Yerevan agree?"
    three = {"Baku", "Yerevan", "Moscow"}.__contains__
    assert as_the_capitals("Do the two capitals agree?", three) == "Do the two capitals agree?"
    ans = core_searcher.search("On which procedural questions do the two capitals reportedly remain at odds?")
    assert ans.answered and "continue to disagree on practical modalities" in ans.hits[0].highlight


def test_owned_bodies_name_whose_they_are():
    from retrieval.gazetteer import owned_bodies
    assert owned_bodies("under the guidance of the Russian peacekeeping mission") == \
        [("Russian peacekeeping mission", "mission", frozenset({"Russia"}))]
    assert owned_bodies("Has Moscow's stabilization mission left?")[0][2] == {"Russia"}
    assert owned_bodies("What did the EU monitoring mission report?")[0][2] == {"EU"}
    # "Foreign" names no owner; a body after a preposition ("by") is no one's named
    assert owned_bodies("the Russian Foreign Ministry")[0][2] == {"Russia"}
    assert owned_bodies("this line,” the ministry said")[0][2] == frozenset()
    assert owned_bodies("Which Foreign mission did it name?")[0][2] == frozenset()
    # "United" begins "United States" as well as "United Nations"
    assert owned_bodies("the United Nations mission")[0][2] == {"UN"}
    assert "UN" not in owned_bodies("the United States mission")[0][2]


@pytest.mark.parametrize("question", [
    "What did the EU monitoring mission in Armenia report about border incidents?",
    "Has the European Union's civilian monitoring mission recorded ceasefire violations?",
])
def test_a_body_the_corpus_names_only_as_anothers_is_unknown(core_searcher, question):
    """The article names the Russian peacekeeping mission and the EU, but no EU mission: a
    question about one is about something it does not mention, and abstains."""
    assert core_searcher.unknown_names(core_searcher.normalise(question))
    assert not core_searcher.search(question, 3).answered


def test_a_body_named_by_a_word_the_corpus_writes_only_in_lower_case_is_unknown(core_searcher):
    """"security" is in the article ("the rights and security of the Karabakh Armenians") and
    so is "the European Council", but no Security Council: the name is unknown, and a body
    named by words the corpus writes together, capitalised or not, is known."""
    question = "Has the UN Security Council adopted a resolution demanding that Baku reopen the corridor?"
    assert core_searcher.unknown_names(core_searcher.normalise(question)) == ["Security Council"]
    assert not core_searcher.search(question, 3).answered
    for known in ("What did the European Council president say?", "What did the Foreign Ministry say?",
                  "What does the Russian Peacekeeping Mission do?"):
        assert core_searcher.unknown_names(core_searcher.normalise(known)) == []


@pytest.mark.parametrize("question", [
    "What did Baku allege about the relationship between Armenian troops and Moscow's mission?",
    "Which foreign mission did the Azerbaijani ministry say was helping Armenian units?",
    "What did the EU's council president say after the talks?",
])
def test_a_body_named_as_the_corpus_names_it_is_known(core_searcher, question):
    assert not core_searcher.unknown_names(core_searcher.normalise(question))
    assert core_searcher.search(question, 3).answered


def test_soft_coverage_meets_near_words_that_bm25_misses(core_searcher):
    """The model's word-piece vectors give credit for near words (spokesperson ~ spokeswoman),
    where exact stems match nothing, and give an unrelated sentence less."""
    soft = core_searcher.soft
    assert soft is not None
    data = core_searcher.data
    sentences = [s for p in data.passages for s in p.sentences]
    spokes = next(i for i, s in enumerate(sentences) if "spokeswoman" in s)
    sizes = next(i for i, s in enumerate(sentences) if "29,800 square kilometers" in s)
    q = soft.question_pieces(core_searcher.encoder.piece_ids(["Who is the spokesperson?"])[0])
    cov = soft.coverage(q, np.array([spokes, sizes]))
    assert cov[0] > cov[1] + 0.1
    assert core_searcher.data.sentence_sparse.lookup("spokesperson", np.array([spokes]))[1][0] == 0
    # question words and stop words carry no content: nothing is left of a question made of them
    empty = core_searcher.encoder.piece_ids(["Who is it and what was there?"])[0]
    assert len(soft.question_pieces(empty)) == 0
    # a sentence's own words cover it fully
    own = soft.question_pieces(core_searcher.encoder.piece_ids([sentences[sizes]])[0])
    assert soft.coverage(own, np.array([sizes]))[0] == pytest.approx(1.0, abs=1e-2)


def test_soft_coverage_of_no_question_pieces_or_no_rows_is_zero(core_searcher):
    soft = core_searcher.soft
    assert soft.coverage(np.array([], np.int64), np.arange(3)).tolist() == [0.0, 0.0, 0.0]
    assert soft.coverage(np.array([1000]), np.array([], np.int64)).tolist() == []


@pytest.mark.parametrize(("question", "opening"), [
    ("In which city was this story datelined?", "YEREVAN (Azatutyun) —"),
    ("Which news agency filed this report?", "YEREVAN (Azatutyun) —"),
    ("Where was this article written?", "YEREVAN (Azatutyun) —"),
    ("Who wrote this article?", "By Heghine Buniatian and Astghik Bedevian"),
    ("Who are the authors of this report?", "By Heghine Buniatian and Astghik Bedevian"),
    ("Which journalists wrote this piece?", "By Heghine Buniatian and Astghik Bedevian"),
])
def test_where_the_story_was_filed_and_who_wrote_it_are_answered_by_its_own_lines(core_searcher, question,
                                                                                  opening):
    ans = core_searcher.search(question, 3)
    assert ans.answered
    assert ans.hits[0].highlight.startswith(opening)


def test_what_the_photo_shows_is_answered_from_its_caption_and_cited_as_such(core_searcher):
    ans = core_searcher.search("Which river does the bridge near the checkpoint cross?", 3)
    assert ans.answered and "Hakari river" in ans.hits[0].highlight
    assert ans.hits[0].paragraphs == [0] and ", photo caption, " in ans.hits[0].citation


def test_dateline_questions_are_told_from_others():
    from retrieval.features import asks_for_dateline

    assert asks_for_dateline("where is this story datelined from")
    assert asks_for_dateline("Which news service filed this report from the Armenian capital?")
    assert asks_for_dateline("From which city was this report filed?")
    assert asks_for_dateline("Where did this story come from?")
    assert not asks_for_dateline("Which city did the report say was hit?")
    assert not asks_for_dateline("Which city hosted the talks reported in this article?")
    assert not asks_for_dateline("What did the Russian news agency say?")
    assert not asks_for_dateline("Which outlet did Grigoryan give his comments to?")
    assert not asks_for_dateline("What did the report say about Aghdam?")


def test_byline_questions_are_told_from_others():
    from retrieval.features import asks_for_byline

    assert asks_for_byline("who is the author?")
    assert asks_for_byline("Whose bylines does this dispatch carry?")
    assert asks_for_byline("Which reporters compiled this story, and where was it filed from?")
    assert asks_for_byline("The story was written by whom?")
    assert not asks_for_byline("Who wrote the letter to Michel?")
    assert asks_for_byline("Who are the reporters credited with writing this story?")
    assert asks_for_byline("Who are the reporters credited with this piece?")
    assert asks_for_byline("Who is credited with the article?")
    assert asks_for_byline("Which journalists are credited with the report?")
    assert asks_for_byline("Name the journalists covering the article.")
    assert not asks_for_byline("Who reported the shortages of food?")
    # the story "produced" by its writers
    assert asks_for_byline("Which journalists produced this dispatch?")
    assert asks_for_byline("Who produced the report?")
    assert not asks_for_byline("Who produced the food supplies?")
    # the story "put together" by its writers
    assert asks_for_byline("Which two journalists put this report together?")
    assert asks_for_byline("Who put together the story?")
    assert not asks_for_byline("Who put the blockade in place?")
    assert not asks_for_byline("Were journalists allowed into Karabakh?")
    # a few words may say which story
    assert asks_for_byline("who wrote this lachin article")
    assert asks_for_byline("Who are the authors of the Lachin corridor report?")
    assert not asks_for_byline("Who reported the shortages in the region in the report?")


def test_a_count_question_is_answered_by_the_passage_that_counts_the_thing_asked(core_searcher):
    # the first passage by score names the trilateral meeting; the third counts its leaders
    ans = core_searcher.search("How many leaders took part in the Brussels meeting?", 3)
    assert ans.answered and "the three leaders" in ans.hits[0].highlight
    # a passage that counts what is asked answers, however the answer model scores it
    ans = core_searcher.search("How many leaders attended the summit?", 3)
    assert ans.answered and "the three leaders" in ans.hits[0].highlight


def test_the_thing_counted_starts_at_its_plural():
    """"How many Azerbaijani border guards ...?" counts guards: "Azerbaijan's 86,600 square
    kilometers" counts no guard."""
    from retrieval.features import count_supported
    from retrieval.sparse import stem_words

    text = "Armenia's territory covers 29,800 square kilometers and Azerbaijan's 86,600 square kilometers."
    assert count_supported("How many Azerbaijani border guards staff it?", text, stem_words) is False
    assert count_supported("How many leaders met?", "the three leaders agreed", stem_words) is True
    # and ends at its verb: trucks are counted, not Karabakh
    text = "the seven-month blockade of Karabakh’s only land link"
    assert count_supported("How many aid lorries crossed into Karabakh?", text, stem_words) is False
    assert count_supported("How many months has Karabakh been cut off?", text, stem_words) is True


def test_a_dateline_question_naming_an_unknown_place_still_abstains(core_searcher):
    assert not core_searcher.search("Which news agency filed this report from Tbilisi?", 3).answered


# --- the asked type must be in the answer ---------------------------------------------------


@pytest.mark.parametrize("question", [
    "Who is the head of Azerbaijan's foreign ministry?",  # the article names no such person
    "Who is the Azerbaijani foreign minister?",  # a minister it names is Armenian
    "Who is the president of Russia?",  # a president it names is Azerbaijani
    # a plural possessive is a name the question gives, not a person the answer must add
    "who is the current leader of the karabakh armenians' government",
    "When will Pashinyan and Aliyev sign the peace treaty?",  # nor any date ahead
    "When are the leaders due to meet again?",
    "where and when will aliyev and pashinyan meet next",  # a future place and date
    "On what exact calendar date did Azerbaijan first block the Lachin corridor?",  # an onset
    "On which precise day did Baku first shut the road?",  # a day, however qualified
    "What was Nagorno-Karabakh's population before the blockade?",  # a count, asked by the possessive
    "On which precise day in December did the Strasbourg court rule?",  # a month alone says no day
    # one person asked for by a role, where the statement is a ministry's, signed by no one
    "Which Russian official signed the Foreign Ministry's Saturday statement on the blockade?",
])
def test_a_person_or_a_future_date_the_article_lacks_abstains(core_searcher, question):
    assert not core_searcher.search(question, 3).answered


@pytest.mark.parametrize(("question", "name"), [
    ("Who is the president of Azerbaijan?", "Ilham Aliyev"),
    ("Who is the spokeswoman of the Armenian foreign ministry?", "Ani Badalyan"),
    ("What position does Ani Badalyan hold?", "spokeswoman"),  # "position", "hold": the asked kind
    ("What is Tigran Grigoryan's job?", "analysts"),
    ("Which analyst slammed Armenian diplomacy after the talks?", "Grigoryan"),
    ("Which EU official hosted the talks in Brussels?", "Charles Michel"),
    ("Who acts as the chief mouthpiece of Yerevan's foreign ministry?", "Ani Badalyan"),  # its spokesperson
])
def test_a_person_asked_by_role_or_a_role_asked_of_a_person_is_answered(core_searcher, question, name):
    ans = core_searcher.search(question, 3)
    assert ans.answered and name in ans.hits[0].highlight


def test_answer_type_support_reads_the_sentence():
    from retrieval.features import answer_type_supported

    passage = "One of those analysts, Tigran Grigoryan, spoke. Grigoryan told RFE/RL. The ministry said."
    q = "Who is the analyst quoted by the service?"
    assert answer_type_supported(q, "Grigoryan told RFE/RL.", passage)  # the surname of a full name
    assert not answer_type_supported(q, "The ministry said.", passage)
    # a person the question names is no answer to it
    assert answer_type_supported("Who is Tigran Grigoryan's adviser?", "Grigoryan told RFE/RL.",
                                 passage) is False
    # a name asked for is a person's only with a title: "Name the river ..." asks for a river
    assert answer_type_supported("Name the river by the bridge", "The ministry said.", passage) is None
    assert answer_type_supported("Name the analyst quoted", "The ministry said.", passage) is False
    assert answer_type_supported("What's the name of the analyst quoted?", "Grigoryan told RFE/RL.", passage)
    assert answer_type_supported("When will they meet next?", "They will meet in May.", "")
    assert not answer_type_supported("When will they meet next?", "They met on July 15.", "")
    assert answer_type_supported("When did they meet?", "They met on July 15.", "") is None
    # the onset of something: the passage must say when it began
    onset = "When did Azerbaijan first begin blocking the corridor?"
    assert answer_type_supported(onset, "x", "It set up a checkpoint in the seven-month blockade.") is False
    assert answer_type_supported(onset, "x", "Azerbaijan has blocked the corridor since December.")
    assert answer_type_supported("On what date did it start?", "x", "The blockade began on Dec. 12.")


def test_person_names_leave_titles_and_organisations_out():
    from retrieval.speakers import person_names

    text = "Armenian Prime Minister Nikol Pashinyan met the Azerbaijani Foreign Ministry in Lachin."
    assert person_names(text) == ["Nikol Pashinyan"]


@pytest.mark.parametrize("question", [
    "Which news service did Tigran Grigoryan talk to?",
    "To whom did Grigoryan speak?",
])
def test_whom_someone_spoke_to_is_answered_by_their_attribution(core_searcher, question):
    ans = core_searcher.search(question, 3)
    assert ans.answered and ans.hits[0].highlight.endswith("Grigoryan told RFE/RL’s Armenian Service.")


def test_an_outlet_the_article_never_names_abstains(core_searcher):
    assert not core_searcher.search("Which newspaper did Pashinyan give an interview to?", 3).answered
    ans = core_searcher.search("To which media outlet did Grigoryan make his comments?", 3)
    assert ans.answered and "told RFE/RL" in ans.hits[0].highlight


def test_an_outlet_asked_for_is_the_sentence_naming_one(core_searcher):
    """The outlet is in the passage but not in its best sentence: the one naming it is highlighted."""
    ans = core_searcher.search("To which media outlet did the Armenian analyst make his remarks?", 3)
    assert ans.answered and "told RFE/RL" in ans.hits[0].highlight


def test_a_person_asked_for_by_role_is_the_sentence_naming_one_of_those_asked(core_searcher):
    """"The Armenian Foreign Ministry pointed to those injunctions" names no one; the next
    sentence names its spokeswoman, and with it every name the question gives. No one in that
    passage is a Russian official."""
    ans = core_searcher.search("Which Armenian Foreign Ministry official commented on the court injunctions "
                               "on Twitter?", 3)
    assert ans.answered and "Ani Badalyan" in ans.hits[0].highlight
    assert not core_searcher.search("Which Russian official signed the Russian Foreign Ministry's statement "
                                    "on the blockade?", 3).answered


def test_an_attribution_names_its_own_speaker():
    from retrieval.features import asks_for_addressee, names_an_addressee

    sent = "“By including such a point [by Michel] …,” Grigoryan told RFE/RL’s Armenian Service."
    assert names_an_addressee(sent) and names_an_addressee(sent, "grigoryan")
    assert not names_an_addressee(sent, "michel")  # Michel is quoted about, not the one who told
    assert names_an_addressee("Aliyev said in an interview with the BBC that ...", "Aliyev")
    assert not names_an_addressee("He told reporters he would stay.")
    assert asks_for_addressee("Which outlet did Grigoryan give his comments to?")
    assert not asks_for_addressee("Which outlet reported the story?")
    # comments made to it, or carried by it, are the ones asked about too
    assert asks_for_addressee("To which media outlet did Grigoryan make his comments?")
    assert asks_for_addressee("Which media outlet carried Grigoryan's comments?")
    assert asks_for_addressee("Through which broadcaster did Grigoryan voice his criticism?")


@pytest.mark.parametrize(("question", "qtype"), [
    ("What land area was cited for Azerbaijan?", "quantity"),  # a word before the measure
    ("What was the death toll?", "quantity"),
    ("What population figure was given?", "quantity"),
    ("What did the total agreement say?", "other"),
    ("What is the Lachin corridor?", "other"),
    ("In what city did the summit happen?", "where"),  # "what" as well as "which"
    ("At which venue did they meet?", "where"),
    ("What is the capital of Armenia?", "other"),
    ("On what grounds did Baku brush off the concerns?", "why"),  # a reason, asked another way
    ("What was the justification for the checkpoint?", "why"),
    ("What grounds the planes?", "other"),
    ("On what exact day did the talks end?", "when"),  # a date, however qualified
    ("In which year was the court founded?", "when"),
    ("What was Nagorno-Karabakh's population?", "quantity"),  # a hyphenated possessive before it
])
def test_quantity_questions_are_told_by_their_measure_word(question, qtype):
    from retrieval.features import question_type

    assert question_type(question) == qtype


def test_a_count_of_a_unit_is_a_measure():
    """"How many sq km ...?" counts no thing: the unit, in any spelling, is measure_supported's."""
    from retrieval.features import count_supported
    from retrieval.sparse import stem_words

    assert count_supported("How many sq km does it cover?", "It covers 29,800 square km.", stem_words) is None
    assert count_supported("How many leaders met?", "The three leaders agreed.", stem_words) is True


def test_a_when_question_goes_to_a_passage_with_a_date(core_searcher):
    """Of the first three passages, a when-question's first holds a date ("on Saturday, July 15"),
    not the one whose words match best but that dates nothing."""
    import re

    from retrieval.features import attribute_bits

    ans = core_searcher.search("On what date did the three leaders hold talks?", 3)
    assert ans.answered
    assert any(attribute_bits(s) & 2 for s in re.split(r"(?<=[.!?”])\s+", ans.hits[0].text))


@pytest.mark.parametrize(("question", "name"), [
    ("Besides the ICJ, has any other court issued an order about the corridor?", "ICJ"),
    ("Apart from the ICJ, which court also ordered the corridor to be kept open?", "ICJ"),
    ("Who other than Michel hosted talks?", "Michel"),
    ("Did anyone besides the European Court of Human Rights rule?", "European Court of Human Rights"),
    ("What did the court order?", None),
    ("What, other than food, is short?", None),  # no name: nothing to rule out by its words
    ("Did any other international court rule on the corridor before the ICJ?", "ICJ"),
    ("Which other body, like the ICJ, ordered Azerbaijan to act?", "ICJ"),
    ("What other steps did Michel urge after the talks?", None),
    ("Did other countries follow the ICJ?", None),
])
def test_what_a_question_sets_aside(question, name):
    from retrieval.features import excluded_topic

    assert excluded_topic(question) == name


def test_the_answer_set_aside_is_not_the_one_highlighted(core_searcher):
    """"Besides the ICJ, ...": the ICJ's order shares the question's words, the other court's
    answers it; both sit in one passage."""
    ans = core_searcher.search("Besides the ICJ, has any other court issued an order about the corridor?")
    assert ans.answered
    assert ans.hits[0].highlight.startswith("The European Court of Human Rights issued a similar order")
    plain = core_searcher.search("Has any court issued an order about the corridor?")
    assert plain.hits[0].highlight.startswith("The ICJ court ordered Azerbaijan")


def test_a_sentence_after_one_it_speaks_of_by_pronoun_knows_its_names(core_searcher):
    """"He made it clear ... he will not deviate from his peace agenda": the sentence before
    names Pashinyan, whom "he" stands for (prev_names, prev_dense)."""
    from retrieval.features import SENTENCE_FEATURES
    from retrieval.search import clean_question

    q = clean_question("Will Pashinyan abandon his peace agenda?")
    c = core_searcher.candidates(q, core_searcher.encoder.encode([q])[0], core_searcher.config)
    sents = [core_searcher.data.passages[c.rows[j]].sentences[loc] for j, loc in zip(c.owner, c.local)]
    i = next(n for n, s in enumerate(sents) if s.startswith("He made it clear"))
    names = SENTENCE_FEATURES.index("prev_names")
    assert c.x[i, names] == 1.0 and c.x[i, SENTENCE_FEATURES.index("prev_dense")] > 0.3
    own = next(n for n, s in enumerate(sents) if s.startswith("Pashinyan charged"))
    assert c.x[own, names] == 0.0  # it names him itself


@pytest.mark.parametrize(("question", "act"), [
    ("Who hosted the talks between the Armenian and Azerbaijani leaders?", "hosted"),
    ("who was the host of the talks", "host"),
    ("Who has decried the inactivity of Armenian diplomacy?", "decried"),
    ("Which EU official hosted the talks?", "hosted"),  # the kind asked for, then its act
    ("Which groups have condemned Pashinyan's approach?", "condemned"),  # after "have" too
    ("Whose latest appeals did Azerbaijan turn down?", "turn"),  # what a named subject did
    ("Whose latest appeals did Baku Azerbaijan turn down?", "turn"),  # as the word features read it
    ("Whose pleas did the Azerbaijani government spurn?", "spurn"),  # a country's government acting
    ("Who acted as host of the trilateral talks?", "host"),  # the role taken
    ("Who played host to Aliyev and Pashinyan?", "host"),  # the part played
    ("Who played the role of mediator at the talks?", "mediator"),
    ("Which person acted as convenor of the summit?", "convenor"),  # the kind asked, then the role
    ("Who played a key part in the talks?", "played"),  # "key" is no part played
    ("Whose request did the ministry reject?", None),  # a subject not named: no telling
    ("What land area was cited for Azerbaijan?", None),  # passive: the subject is not asked
    ("Who said the corridor must reopen?", None),  # what someone said: the quote index's
    ("Who is the president of Azerbaijan?", None),  # an office: its holder's sentence answers
    ("Who is Ani Badalyan?", None),
])
def test_the_act_a_who_question_asks_the_doer_of(question, act):
    from retrieval.features import asked_act

    assert asked_act(question) == act


@pytest.mark.parametrize("question", [
    "Who hosted the talks between the Armenian and Azerbaijani leaders?",
    "who was the host of the talks between the armenian and azerbaijani leaders",
    "Which EU official hosted the talks between the Armenian and Azerbaijani leaders?",
    "Which EU figure hosted the latest Armenia-Azerbaijan summit?",  # "latest" is the other's word
    "Who mediated between Aliyev and Pashinyan?",  # another word for the part: "hosted by"
])
def test_a_who_question_is_answered_where_its_act_is(core_searcher, question):
    """Sentences about the talks and the leaders share more of the question's words; the
    one that says who hosted them answers it."""
    ans = core_searcher.search(question)
    assert ans.answered
    assert "hosted by the European Union’s top official, Charles Michel" in ans.hits[0].highlight


def test_a_question_about_the_photo_is_answered_by_its_caption(core_searcher):
    """"The photo at the top — what date was it taken?" names nothing the caption does but
    the photo; the caption is the one sentence that says."""
    from retrieval.features import asks_about_photo

    assert asks_about_photo("When was the picture taken?") and asks_about_photo("What is pictured?")
    assert not asks_about_photo("Explain how photosynthesis works.")
    ans = core_searcher.search("The photo at the top — what date was it taken?")
    assert ans.answered and "May 2, 2023" in ans.hits[0].highlight
    assert "photo caption" in ans.hits[0].citation


def test_the_askers_own_photos_are_not_the_storys_photo(core_searcher):
    """"my photos" are nothing the caption can answer: a far question stays abstained."""
    from retrieval.features import asks_about_photo

    assert not asks_about_photo("How do I back up my photos to the cloud?")
    assert not asks_about_photo("Which app edits photos best?")
    assert asks_about_photo("What does the lead photo show?")
    assert not core_searcher.search("How do I factory reset a phone without losing my photos?").answered


def test_a_title_abbreviation_is_read_as_the_corpus_writes_it(core_searcher):
    """"the Armenian PM": the article writes "Prime Minister", and "PM" is no unknown name."""
    from retrieval.gazetteer import spelled_out

    known = {"Prime Minister"}.__contains__
    assert spelled_out("What did the Armenian PM say?", known) == "What did the Armenian Prime Minister say?"
    assert spelled_out("What did the PM's office say?", lambda w: w in ("PM", "Prime Minister")) == \
        "What did the PM's office say?"  # a corpus that writes "PM" keeps it
    q = core_searcher.normalise("What does the Armenian PM say the blockade shows about Baku's intentions?")
    assert "Prime Minister" in q and not core_searcher.unknown_names(q)
    # in lower case too, after a country or its people ("who is armenia's pm"), not a time
    assert spelled_out("who is Armenia's pm", known) == "who is Armenia's Prime Minister"
    assert spelled_out("the talks ended at 3 pm", known) == "the talks ended at 3 pm"
    ans = core_searcher.search("who is armenia's pm")
    assert ans.answered and "Pashinyan" in ans.hits[0].highlight


def test_a_number_of_sides_is_read_as_the_corpus_writes_it(core_searcher):
    """"the three-way summit": the article says "trilateral meeting", and MiniLM puts the two
    phrases far apart (cosine 0.20), so the question is read in the corpus's form."""
    from retrieval.gazetteer import as_sides

    known = {"trilateral", "bilateral"}.__contains__
    assert as_sides("Where was the three-way summit?", known) == "Where was the trilateral summit?"
    assert as_sides("a Three party deal, tripartite talks", known) == "a trilateral deal, trilateral talks"
    assert as_sides("two-way trade", known) == "bilateral trade"
    assert as_sides("two ways of getting aid", known) == "two ways of getting aid"
    assert as_sides("a multi-nation force", known) == "a multi-nation force"  # no form the corpus has
    assert as_sides("tripartite talks", {"tripartite", "trilateral"}.__contains__) == "tripartite talks"
    assert "trilateral" in core_searcher.normalise("In which city was the three-way summit held?")
    ans = core_searcher.search("In which city was the three-way summit held?", 3)
    assert ans.answered and "Brussels" in ans.hits[0].text

def test_the_kind_of_answer_asked_for_is_no_unknown_word(core_searcher):
    """"Which city hosted the talks?" is answered by "in Brussels": "city" names the kind of
    answer, and a corpus that never says "city" still answers it; in "Did the city host the
    talks?" the word is the topic, and counts."""
    s = core_searcher

    def unknown_share(q: str) -> float:
        clean = s.normalise(q)
        return s.candidates(clean, s.encode_questions([clean])[0], s.config).unknown_words

    assert "citi" not in s._vocab
    assert unknown_share("Which city hosted the talks?") < unknown_share("Did the city host the talks?")
    assert unknown_share("In what kind of city were the talks held?") < \
        unknown_share("Were the talks held in a city?")

def test_a_country_typed_in_lower_case_is_still_a_name(core_searcher):
    """"what was turkey's position?": the corpus never mentions Turkey, so it is an unknown
    name and the question abstains, as "Turkey's" would; a country it mentions is left to
    truecasing ("armenia" -> "Armenia")."""
    from retrieval.gazetteer import capitalised_places

    known = {"armenia"}.__contains__
    assert capitalised_places("what was turkey's stance? and armenia's?", known) == \
        "what was Turkey's stance? and armenia's?"
    assert capitalised_places("talks in new delhi", known) == "talks in New Delhi"
    q = "what was turkey's position on the lachin corridor blockade"
    assert core_searcher.unknown_names(core_searcher.normalise(q)) == ["Turkey"]
    assert not core_searcher.search(q, 3).answered

def test_a_yes_no_question_needs_no_measure_in_its_answer():
    from retrieval.features import measure_supported

    text = "the Armenian-populated region"
    assert measure_supported("Is the population of Nagorno-Karabakh mostly Armenian?", text) is None
    assert measure_supported("What is the population of Nagorno-Karabakh?", text) is False


def test_a_country_adjective_before_capital_is_read_as_the_city(core_searcher):
    """"the Belgian capital": the article says "Brussels" and never "Belgian"; the question is
    about a name it knows, so it is answered, not abstained on as naming something unknown."""
    from retrieval.gazetteer import as_capitals

    known = {"Brussels", "Moscow"}.__contains__
    assert as_capitals("talks in the Belgian capital", known) == "talks in the Brussels"
    assert as_capitals("the Russian capital's mayor", known) == "the Moscow's mayor"
    assert as_capitals("the Polish capital", known) == "the Polish capital"  # Warsaw unknown: as written
    assert as_capitals("Belgian capital markets", known) == "Brussels markets"
    q = "Who took part in the trilateral talks in the Belgian capital?"
    assert not core_searcher.unknown_names(core_searcher.normalise(q))
    ans = core_searcher.search(q, 3)
    assert ans.answered and "Brussels" in ans.hits[0].text


def test_a_place_named_as_a_countrys_capital_is_read_as_the_city(core_searcher):
    """"reaffirmed in the capital of Belgium": where it happened, which the article calls
    Brussels; the capital asked for ("What is the capital of Armenia?") stays a question."""
    from retrieval.gazetteer import as_capitals

    known = {"Brussels", "Yerevan"}.__contains__
    assert as_capitals("met in the capital of Belgium", known) == "met in Brussels"
    assert as_capitals("talks in Belgium's capital city", known) == "talks in Brussels"
    assert as_capitals("What is the capital of Armenia?", known) == "What is the capital of Armenia?"
    assert as_capitals("met in the capital of Poland", known) == "met in the capital of Poland"  # unknown
    q = ("Which of the two states has the larger land area under the understanding reaffirmed in the "
         "capital of Belgium, and what are the figures?")
    assert not core_searcher.unknown_names(core_searcher.normalise(q))
    ans = core_searcher.search(q, 3)
    assert ans.answered and "29,800 square kilometers" in ans.hits[0].highlight


def test_only_the_capitalised_parts_of_a_compound_are_names(core_searcher):
    """"the Armenian-inhabited region": "Armenian" is a name the article holds, "inhabited" a
    plain word it lacks, which must not make the question one about something unknown."""
    q = "What has the blockade caused inside the mostly Armenian-inhabited region?"
    clean = core_searcher.normalise(q)
    assert core_searcher.unknown_names(clean) == []
    assert core_searcher.unknown_names(core_searcher.normalise("Was the Zubrovkan-led mission there?")) == [
        "Zubrovkan-led"]
    assert core_searcher.search("What has the blockade caused in the Armenian-inhabited region?", 3).answered


def test_a_stem_meets_the_corpus_words_it_begins(core_searcher):
    """"running short" and "shortages": a derivation WordNet does not link, met by the corpus
    word the question's stem begins, a few letters longer."""
    assert "shortag" in core_searcher._extensions("short")
    assert all(len(w) - len("armen") <= 4 for w in core_searcher._extensions("armen"))
    ans = core_searcher.search("What kinds of goods are people in Karabakh running short of?")
    assert ans.answered and "shortages of food, medicine" in ans.hits[0].highlight


def test_a_body_asked_by_its_qualifier_is_the_one_named_so(core_searcher):
    """"Which Russian government body ...?" is answered by "the Russian Foreign Ministry",
    not by a sentence that only mentions Russia."""
    from retrieval.features import asked_body, names_body
    from retrieval.sparse import stem_words

    assert asked_body("Which Russian government body voiced alarm?") == "Russian"
    assert asked_body("which Azerbaijani ministry defended the checkpoint?") == "Azerbaijani"
    assert asked_body("Which city hosted the talks?") is None
    russ = stem_words(["russian"])[0]
    assert names_body("a statement by the Russian Foreign Ministry", russ, stem_words)
    assert not names_body("Azerbaijan has rejected Russia’s latest calls", russ, stem_words)
    ans = core_searcher.search("Which Russian government body voiced alarm about the shortages?")
    assert ans.answered and "Russian Foreign Ministry" in ans.hits[0].highlight


def test_a_body_asked_by_its_country_after_the_noun_is_the_one_named_so(core_searcher):
    """"Which organ of the Azerbaijani state ...?", "Which agency in Baku ...?": the qualifier
    after the noun, a capital read as its country."""
    from retrieval.features import asked_body

    assert asked_body("Which organ of the Azerbaijani state spoke up for the checkpoint?") == "Azerbaijani"
    assert asked_body("Which agency in Baku put out the weekend statement?") == "Azerbaijan"
    assert asked_body("Which Armenian governmental organs objected?") == "Armenian"
    assert asked_body("What body of water runs past the checkpoint?") is None
    # a government agency that issued a statement, not a news agency that carried it
    ans = core_searcher.search("Which agency in Azerbaijan put out a statement standing up for the "
                               "checkpoint?")
    assert ans.answered and "Azerbaijani Foreign Ministry defended" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "needle"), [
    ("Why is Azerbaijan unhappy with the Russian peacekeepers?", "It accused the peacekeepers"),
    ("Why did Baku brush off Russia's worries about shortages?", "saying that Karabakh can be supplied"),
    # the best sentence gives the purpose itself: it stays
    ("Why did Michel want humanitarian deliveries from both directions?", "to ensure the needs"),
    # a runner-up all but level with the best, which gives no reason, gives it
    ("Why did the Karabakh authorities turn down the idea of getting supplies via Aghdam?", "it is a ploy"),
    ("Why did Azerbaijan blame the Russian peacekeeping troops?", "It accused the peacekeepers"),
])
def test_a_why_question_highlights_the_reason_after_the_event(core_searcher, question, needle):
    ans = core_searcher.search(question)
    assert ans.answered and needle in ans.hits[0].highlight



@pytest.mark.parametrize("question", [
    "On what date did the Brussels summit happen?",  # "happen" only asks when; "summit" is "meeting"
    "On what date did the three-way summit in the Belgian capital happen?",
])
def test_a_date_asked_beside_the_questions_own_words_is_answered(core_searcher, question):
    ans = core_searcher.search(question, 3)
    assert ans.answered and "July 15" in ans.hits[0].highlight


def test_dates_asked_needs_a_date_near_the_questions_words():
    from retrieval.features import dates_asked
    from retrieval.sparse import stem_words

    q = "On what date did the Brussels summit happen?"
    assert dates_asked(q, "They met in Brussels on July 15 for fresh talks.", stem_words)
    far = "In July a storm hit the coast, far from any of the places asked about."
    assert not dates_asked(q, far, stem_words)
    assert not dates_asked("When will they meet in Brussels?", "They met in Brussels on July 15.", stem_words)
    # a word cut by the window's edge is read whole ("ICJ", 32 letters before "February")
    cut = "The ICJ court ordered Azerbaijan in February to act."
    assert dates_asked("when did the icj rule on lachin", cut, stem_words)


def test_a_distance_asked_needs_one():
    from retrieval.features import measure_supported

    assert measure_supported("how far is aghdam from stepanakert", "Aghdam rejected the option.") is False
    assert measure_supported("How far is Aghdam from Stepanakert?", "Aghdam lies 26 km from it.") is True
    # the length of a road is a distance too, not the time the road has been blocked
    road = "its seven-month blockade of the Lachin corridor"
    assert measure_supported("How long is the Lachin corridor road?", road) is False
    assert measure_supported("How long has the Lachin corridor been blocked?", road) is not False


def test_a_breakaway_seat_stands_for_its_authorities(core_searcher):
    """"Why did the Stepanakert leadership turn down the Aghdam route?": the article names
    Karabakh's leadership, never its seat; the seat is read as the region it governs."""
    ans = core_searcher.search("Why did the Stepanakert leadership turn down the Aghdam route?")
    assert ans.answered and "ploy" in ans.hits[0].highlight
    assert not core_searcher.search("How long is the Lachin corridor road from Stepanakert to the "
                                    "Armenian border?").answered


def test_a_hedged_how_long_question_is_a_quantity_question(core_searcher):
    from retrieval.features import question_type

    assert question_type("For roughly how long has Baku been blocking the road?") == "quantity"
    assert question_type("For what duration has the road been shut?") == "quantity"
    q = "For roughly how long has Baku been cutting off the sole overland route between Karabakh and Armenia?"
    ans = core_searcher.search(q, 3)
    assert ans.answered and "seven-month blockade" in ans.hits[0].highlight


def test_the_sentence_after_the_best_speaking_of_it_by_pronoun_goes_first_when_nearer(core_searcher):
    """"In a weekend statement, the Azerbaijani Foreign Ministry defended ..." holds the
    question's names; "It accused the peacekeepers of ..." says what it pinned on them."""
    q = "What failings did Azerbaijan's foreign ministry pin on the Russian peacekeeping force?"
    ans = core_searcher.search(q, 3)
    assert ans.answered and ans.hits[0].highlight.startswith("It accused the peacekeepers")
    # the sentence before is kept where the question asks what it says
    ans = core_searcher.search("Which decisions did the Azerbaijani Foreign Ministry defend?", 3)
    assert ans.answered and "defended Baku’s decisions" in ans.hits[0].highlight


def test_a_body_called_by_what_it_is_is_read_as_the_name_the_corpus_gives_it(core_searcher):
    from retrieval.gazetteer import as_named_bodies

    known = {"ICJ", "European Court of Human Rights"}.__contains__
    assert as_named_bodies("What did the world court order?", known) == "What did ICJ order?"
    assert as_named_bodies("Did the UN's top court rule?", known) == "Did ICJ rule?"
    # the Charter's words for it, and a tribunal in Strasbourg
    assert as_named_bodies("What did the principal judicial organ of the United Nations order?", known) == \
        "What did ICJ order?"
    assert as_named_bodies("Did the UN's judicial organ rule?", known) == "Did ICJ rule?"
    # a plural's possessive, an apostrophe alone
    assert as_named_bodies("What did the United Nations' principal judicial body require?", known) == \
        "What did ICJ require?"
    assert as_named_bodies("When did the Strasbourg court rule?", known) == \
        "When did European Court of Human Rights rule?"
    assert as_named_bodies("When did the Strasbourg-based tribunal rule?", known) == \
        "When did European Court of Human Rights rule?"
    unknown = "What did the world court order?"
    assert as_named_bodies(unknown, lambda n: False) == unknown
    q = "What specifically did the world court tell Azerbaijan to guarantee on the corridor?"
    ans = core_searcher.search(q)
    assert ans.answered and ans.hits[0].highlight.startswith("The ICJ court ordered Azerbaijan")


def test_a_kind_of_speaker_the_corpus_never_names_is_met_by_its_kin(core_searcher):
    """"commentators" is a word the article never uses; its "analysts" are the same kind."""
    from retrieval.sparse import stem_words

    kin = core_searcher._kin_for_unknown_kinds(stem_words(["commentators", "interpret"]))
    assert kin and stem_words(["analysts"])[0] in kin[0]
    assert core_searcher._kin_for_unknown_kinds(stem_words(["analysts"])) == []  # the corpus's own word
    ans = core_searcher.search("How did some Armenian commentators interpret Michel's mention of Aghdam?")
    assert ans.answered and ans.hits[0].highlight.startswith("Michel’s reference to it was constructed")


def test_another_name_of_a_people_is_read_as_the_one_the_corpus_uses(core_searcher):
    assert core_searcher.normalise("did the azeris offer proof?") == "did the Azerbaijanis offer proof?"
    assert core_searcher.normalise("Did the Azeri army retreat?").startswith("Did the Azerbaijani ")
    # and another name of a body: "Moscow's diplomatic service" is its Foreign Ministry
    assert core_searcher.normalise("What did Moscow's diplomatic service say?") == \
        "What did Moscow's Foreign Ministry say?"
    assert core_searcher.normalise("What did Baku's foreign affairs office claim?") == \
        "What did Baku's Foreign Ministry claim?"
    # and a post by the platform's name ("tweet"), where the corpus writes "Twitter post"
    q = "was the armenian ministry's tweet possibly aimed at michel"
    assert "Twitter post" in core_searcher.normalise(q)
    ans = core_searcher.search(q, 3)
    assert ans.answered and "veiled rebuke of Michel" in ans.hits[0].highlight


def test_a_who_questions_act_is_met_by_its_kin(core_searcher):
    """"Who accused Baku of intending genocide?" is met by "Pashinyan charged ...": the reporter's
    verbs for one act (quotes.VERB_FAMILIES) stand for each other."""
    ans = core_searcher.search("Who accused Baku of intending genocide in Karabakh?", 3)
    assert ans.answered and ans.hits[0].highlight.startswith("Pashinyan charged earlier this month")


@pytest.mark.parametrize(("question", "first"), [
    ("What post does Michel hold, and how is that body described?", "What post does Michel hold?"),
    ("Where and on what date did the summit take place?", "Where did the summit take place?"),
    ("How many are there and when does their mandate expire?", "How many are there?"),
    ("Did Aliyev and Pashinyan meet in Brussels?", None),  # "and" joining names, not questions
    ("Who met and talked?", None),
])
def test_the_first_of_two_questions_asked_as_one(question, first):
    from retrieval.features import question_parts

    assert (question_parts(question) or [None])[0] == first


def test_an_onset_asked_as_the_date_something_began_needs_a_beginning():
    from retrieval.features import answer_type_supported

    q = "What is the exact calendar date on which the blockade of the Lachin road began?"
    assert answer_type_supported(q, "The blockade goes on.", "Its seven-month blockade of the road.") is False


def test_what_a_question_sets_aside_goes_down_and_its_other_is_no_topic_word(core_searcher):
    q = "Apart from the ICJ, which other court demanded the corridor be kept open, and in which month?"
    ans = core_searcher.search(q, 3)
    assert ans.answered and ans.hits[0].highlight.startswith("The European Court of Human Rights issued")


def test_a_day_asked_is_answered_where_a_day_is_given(core_searcher):
    ans = core_searcher.search("which day did russia put out its statement on the blockade", 3)
    assert ans.answered and "Saturday’s statement by the Russian Foreign Ministry" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "needle"), [
    ("Kindly confirm the city and the date of the latest three-way meeting of Aliyev, Pashinyan and Michel.",
     "July 15"),
    ("What land area for Azerbaijan did the two sides recognise during the talks?", "86,600 square km"),
])
def test_a_measure_question_is_highlighted_where_its_passage_gives_it(core_searcher, question, needle):
    ans = core_searcher.search(question, 3)
    assert ans.answered and needle.replace(" km", " kilometers") in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "Whose most recent appeals to lift the corridor blockade did Azerbaijan turn down?",
    "Whose most recent appeals to lift the blockade did Baku turn down?",  # read as "Baku Azerbaijan"
])
def test_a_phrasal_act_is_met_by_the_phrases_relatives(core_searcher, question):
    """"turn down" is "rejected": "Azerbaijan has rejected Russia's latest calls ..."."""
    ans = core_searcher.search(question, 3)
    assert ans.answered and "rejected Russia’s latest calls" in ans.hits[0].highlight


def test_a_how_long_question_is_answered_by_a_span_of_time_by_its_words(core_searcher):
    from retrieval.features import dates_asked
    from retrieval.sparse import stem_words

    q = "For roughly how long had the blockade been in place when this report was written?"
    assert dates_asked(q, "It ended its seven-month blockade of the road.", stem_words)
    far = "Aliyev, who spoke on Monday in the capital, kept up the seven-month blockade."
    assert not dates_asked("How long has Aliyev been president?", far, stem_words)
    ans = core_searcher.search(q, 3)
    assert ans.answered and "seven-month blockade" in ans.hits[0].highlight


def test_two_wh_words_over_one_clause_are_two_questions_tried_in_turn(core_searcher):
    from retrieval.features import question_parts

    assert question_parts("In what city and on what date did the summit take place?") == [
        "In what city did the summit take place?", "on what date did the summit take place?"]
    assert question_parts("Did they meet?") == []
    ans = core_searcher.search("On exactly which day did the Lachin corridor blockade begin?", 3)
    assert not ans.answered  # an onset the article never gives


def test_importance_questions_are_told_and_answered_by_what_the_thing_is_to_them(core_searcher):
    """"Why is the corridor so important?" is answered by "its only land link", a sentence that
    never names the corridor; "not only" calls nothing the only one."""
    from retrieval.features import asks_importance, tells_importance

    assert asks_importance("Why does the Lachin corridor matter so much to Karabakh?")
    assert asks_importance("What makes the corridor so vital?")
    assert not asks_importance("Why did Baku set up a checkpoint?")
    assert tells_importance("the blockade of Karabakh's only land link with Armenia")
    assert not tells_importance("which included not only the would-be treaty")
    ans = core_searcher.search("Why is the Lachin corridor so important for Karabakh?")
    assert ans.answered and "only land link with Armenia" in ans.hits[0].highlight


def test_a_when_question_is_highlighted_where_its_passage_gives_a_date(core_searcher):
    """"Speaking after the trilateral meeting, Michel ..." shares the question's words; the
    sentence after it says when ("met in Brussels on July 15")."""
    ans = core_searcher.search("When and where did Aliyev, Pashinyan and Michel hold their "
                               "trilateral meeting?")
    assert ans.answered and "on July 15" in ans.hits[0].highlight
    # a where-question alone is answered by what may name no place: "in a Twitter post"
    ans = core_searcher.search("Where did Badalyan post her comment?")
    assert "Twitter post" in ans.hits[0].highlight


def test_how_someone_took_something_is_answered_by_their_view(core_searcher):
    """"How did commentators interpret Michel's mention of Aghdam?" is answered by "Michel's
    reference to it was construed by some Armenian analysts ... as a serious setback", which
    names Aghdam only by "it"; not by Michel's own words on Aghdam."""
    from retrieval.features import asks_view, tells_view

    assert asks_view("How was Michel's mention of the Aghdam route received by Armenian commentators?")
    assert asks_view("Some commentators saw Michel mentioning Aghdam as what kind of development?")
    assert not asks_view("Could Badalyan's post be read as an implicit criticism of someone?")
    assert not asks_view("How is that body described?")
    assert tells_view("Michel's reference to it was construed by some analysts and critics as a setback.")
    assert not tells_view("his agenda was denounced by the opposition as well as Karabakh's leadership")
    for q in ("How did certain Armenian commentators interpret Michel's mention of the Aghdam route?",
              "how did armenian analysts take michel mentioning aghdam"):
        ans = core_searcher.search(q)
        assert ans.answered and "serious setback" in ans.hits[0].highlight, q


def test_how_something_might_be_read_is_the_reporters_hedged_reading(core_searcher):
    """"How might the spokesperson's social-media message be read?": the report's own reading
    of it ("a Twitter post that may have been a veiled rebuke of Michel") is a view too."""
    from retrieval.features import tells_view

    assert tells_view("she said in a Twitter post that may have been a veiled rebuke of Michel")
    assert not tells_view("Karabakh can be supplied with basic necessities from Azerbaijan proper")
    q = "How might the spokesperson's social-media message be read with respect to the EU official?"
    ans = core_searcher.search(q)
    assert ans.answered and "veiled rebuke" in ans.hits[0].highlight


def test_whether_someone_complied_is_how_they_responded(core_searcher):
    """"Did Azerbaijan agree to Russia's request?" is answered by "Azerbaijan has rejected
    Russia's latest calls ...", not by Michel "urging Aliyev to reopen the Lachin corridor"."""
    from retrieval.features import asks_response

    assert asks_response("did baku agree to moscow's request to lift the blockade?")
    assert asks_response("Has Azerbaijan complied with the ICJ order?")
    assert not asks_response("Who agreed to intensify the work?")
    ans = core_searcher.search("did azerbaijan agree to russia's request to reopen the lachin corridor")
    assert ans.answered and "has rejected Russia’s latest calls" in ans.hits[0].highlight
    # whether someone admits something: they admitted or denied it
    assert asks_response("Has Armenia conceded that it has soldiers inside Karabakh?")
    ans = core_searcher.search("Does Armenia admit maintaining armed forces in Karabakh?")
    assert ans.answered and "repeatedly denied any military presence" in ans.hits[0].highlight


def test_an_affiliation_asked_needs_a_body_of_its_kind_beside_the_person(core_searcher):
    """"Which think tank does Tigran Grigoryan work for?": the article calls him "one of those
    analysts" and says whom he told ("RFE/RL's Armenian Service"), never where he works; "Which
    ministry does Badalyan speak for?" is answered ("the ministry spokeswoman, Ani Badalyan")."""
    from retrieval.features import asked_affiliation, names_affiliation

    assert asked_affiliation("what think tank does tigran grigoryan work for") == "institute"
    assert asked_affiliation("Which political party does Pashinyan lead?") == "party"
    assert asked_affiliation("Who does Badalyan work for?") == "organisation"
    assert asked_affiliation("What EU institution does Michel head?") is None
    assert asked_affiliation("What is Tigran Grigoryan's institutional affiliation?") == "organisation"
    assert asked_affiliation("Where did Tigran Grigoryan go to university?") == "university"
    assert asked_affiliation("What is Ani Badalyan's educational background?") == "university"
    assert asked_affiliation("Which groups have condemned Pashinyan's approach?") is None
    told = "One of those analysts, Tigran Grigoryan, decried it. Grigoryan told RFE/RL's Armenian Service."
    assert not names_affiliation(told, ["grigoryan"], "organisation")
    assert names_affiliation("Tigran Grigoryan, of the Regional Studies Center, said so.", ["grigoryan"],
                             "institute")
    assert names_affiliation("the ministry spokeswoman, Ani Badalyan, said", ["badalyan"], "organisation")
    for q in ("what think tank does tigran grigoryan work for", "Which political party does Pashinyan lead?",
              "What is Tigran Grigoryan's institutional affiliation?",
              "Where did Tigran Grigoryan go to university?"):
        assert not core_searcher.search(q).answered, q


def test_a_party_to_an_act_is_a_side_not_a_political_party(core_searcher):
    """"Which party carried the relief Baku blocked?" asks which side did it (the Russian
    peacekeepers), not what political party someone belongs to, which the article never names;
    "Which Armenian opposition party leads the protests?" still asks for one, and abstains."""
    from retrieval.features import asked_affiliation

    assert asked_affiliation("Which party carried the relief that Baku blocked?") is None
    assert asked_affiliation("Which party won Armenia's last parliamentary elections?") == "party"
    assert asked_affiliation("Which Armenian opposition party is behind the protests?") == "party"
    ans = core_searcher.search("Which party was delivering the relief supplies that Azerbaijan blocked?")
    assert ans.answered and "by Russian peacekeepers" in ans.hits[0].text
    opposition = "Which Armenian opposition party leads the protests against Pashinyan?"
    assert not core_searcher.search(opposition).answered


def test_a_think_tank_is_no_thought():
    from retrieval.quotes import parse_speech_question

    assert parse_speech_question("Which organisation or think tank is Grigoryan affiliated with?") is None
    assert parse_speech_question("What does Grigoryan think about the Aghdam route?").speaker == "Grigoryan"


@pytest.mark.parametrize(("question", "answered"), [
    # the article has the ICJ's order on Azerbaijan, not who brought the case
    ("Which country filed the case at the International Court of Justice that led to the order?", False),
    ("Which country brought the case against Azerbaijan at the International Court of Justice?", False),
    ("What agreement first deployed Russian peacekeepers to Nagorno-Karabakh?", False),
    ("Under which agreement were Russian peacekeepers deployed to Karabakh?", False),  # asked in the passive
    # the act's kin answer: "turned down" is "rejected"
    ("Which country turned down Moscow's latest appeals to lift the blockade?", True),
    ("Which country rebuffed Moscow's request to end the blockade?", True),  # "rebuffed" whatever its stem
])
def test_a_thing_asked_as_the_doer_of_an_act_needs_the_act(core_searcher, question, answered):
    assert core_searcher.search(question).answered is answered


def test_an_irregular_past_is_an_act_but_a_light_verb_is_not():
    from retrieval.features import asked_act

    assert asked_act("Which country brought the case?") == "brought"
    assert asked_act("Which European court put out a comparable injunction?") is None


def test_how_judges_voted_asks_a_vote():
    from retrieval.features import measure_supported

    ordered = "The ICJ court ordered Azerbaijan in February to take all measures at its disposal."
    assert measure_supported("How did the ICJ judges vote on the order?", ordered) is False
    assert measure_supported("How did the judges vote on the order?", "It passed by 13 votes to 2.") is True


def test_a_terse_duration_question_is_a_how_long_question(core_searcher):
    ans = core_searcher.search("Blockade duration?")
    assert ans.answered and "seven-month blockade" in ans.hits[0].highlight


def test_a_role_asked_after_a_long_qualifier_needs_a_person():
    from retrieval.features import answer_type_supported

    q = "Which Russian Foreign Ministry spokesperson delivered Saturday's statement on the blockade?"
    s = "Baku reacted to Saturday's statement by the Russian Foreign Ministry expressing serious concern."
    assert answer_type_supported(q, s, s) is False


def test_who_took_part_is_answered_by_the_sentence_naming_them(core_searcher):
    """Michel's "Even though our meeting took place ..." names one of them; "Pashinyan and
    Azerbaijani President Ilham Aliyev met in Brussels ..." or the trilateral meeting "with
    Armenian Prime Minister Nikol Pashinyan and European Union head Charles Michel" name them."""
    from retrieval.features import asks_participants, names_several

    assert asks_participants("Who took part in the trilateral talks?")
    assert not asks_participants("Who hosted the talks?")
    assert not names_several("“Even though our meeting took place ...,” Michel said in a statement.")
    ans = core_searcher.search("Who took part in the three-way meeting in Brussels?")
    assert ans.answered and names_several(ans.hits[0].highlight)
    # "took part" is no act of "took" ("our meeting took place" holds none), and the sentence
    # naming them goes first without a raise that makes the abstention misread the answer
    from retrieval.features import asked_act

    assert asked_act("Who took part in the trilateral summit?") is None
    ans = core_searcher.search("Who took part in the trilateral summit, and where and when was it held?")
    assert ans.answered and names_several(ans.hits[0].highlight) and "Brussels" in ans.hits[0].highlight


def test_a_month_in_a_count_question_is_when_not_the_unit_asked():
    from retrieval.features import measure_supported

    q = "what was the vote count when the ICJ issued its February order on the Lachin corridor"
    assert measure_supported(q, "The ICJ court ordered Azerbaijan in February to act.") is False
    # "... back in December?" still asks the month
    assert measure_supported("Which court ruled back in December?", "It issued an order in December.") is True
    assert measure_supported("What land areas were cited?", "Armenia covers 29,800 square kilometers.")


def test_a_consequence_is_answered_by_what_it_led_to(core_searcher):
    """"What humanitarian consequence has the closure had?" is answered by the sentence saying
    what the blockade "has led to", not by Michel's "humanitarian supplies via Aghdam", which
    shares more of its words; "What caused ...?" asks the cause and is not read so."""
    from retrieval.features import asks_consequence, tells_consequence

    assert asks_consequence("What has the blockade caused for people there?")
    assert not asks_consequence("What caused the blockade?")
    assert tells_consequence("... blockade, which has led to a serious humanitarian crisis")
    ans = core_searcher.search("What humanitarian consequence has the closure of the corridor had "
                               "for the enclave?")
    assert ans.answered and "led to a serious humanitarian crisis" in ans.hits[0].highlight
    # what something "has meant for" or "produced in" a place is what it led to there
    assert asks_consequence("What has the closure meant for the people there?")
    assert asks_consequence("What has the blockade of the road produced in the region?")
    assert not asks_consequence("What has Azerbaijan produced?")
    ans = core_searcher.search("What has the closure produced in the ethnically Armenian territory's "
                               "daily life?")
    assert ans.answered and "led to a serious humanitarian crisis" in ans.hits[0].highlight


def test_a_meeting_by_any_name_is_dated(core_searcher):
    """"When and where did the three-way summit take place?": the article calls it a meeting and
    talks "held in Brussels on Saturday, July 15", never a summit; the date beside any word for
    the meeting answers when it was."""
    from retrieval.features import dates_asked
    from retrieval.search import stem_words

    held = "his latest trilateral meeting with Pashinyan and Michel held in Brussels on Saturday, July 15."
    assert dates_asked("When did the summit take place?", held, stem_words)
    assert not dates_asked("When was the ceasefire signed?", held, stem_words)
    ans = core_searcher.search("When and where did the three-way summit take place?")
    assert ans.answered and "July 15" in ans.hits[0].highlight and "Brussels" in ans.hits[0].highlight
    # nor is "summit" a word the corpus does not know, where it names the meeting otherwise
    ans = core_searcher.search("Who were the participants in the trilateral summit, and in which city "
                               "did it take place?")
    assert ans.answered and "Brussels" in ans.hits[0].text


def test_a_pair_asked_about_is_answered_by_both(core_searcher):
    """"How did Michel weigh the Lachin and Aghdam routes against each other?": the sentence
    naming each route ("urging Aliyev to reopen the Lachin corridor he noted ... via Aghdam")
    shares more words than the one on both ("I see both options as important ..."), which
    answers it; "in both directions" is no pair of things."""
    from retrieval.features import asks_pair, tells_both

    assert asks_pair("What did Michel say about the two routes?")
    assert asks_pair("How did he see the Lachin and Aghdam routes?")
    assert asks_pair("How did Michel weigh the Lachin route against the Aghdam route for aid?")
    assert asks_pair("Did Michel rank one way of sending aid above or over the other?")
    assert not asks_pair("Did one official speak to the other delegates?")
    assert not asks_pair("Which route did Michel mention?")
    # two people addressed or acting together are no pair of things weighed
    assert not asks_pair("What did Michel urge both leaders to do?")
    assert not asks_pair("What did the two sides reaffirm?")
    assert asks_pair("Did Michel urge both leaders to use both routes?")
    assert tells_both("I see both options as important") and not tells_both("along it in both directions")
    ans = core_searcher.search("How did Michel weigh the Lachin and Aghdam routes against each other?")
    assert ans.answered and "both options" in ans.hits[0].highlight


def test_another_of_a_kind_is_told_as_a_likeness(core_searcher):
    """"Has any other court ordered Baku to reopen the road?": news tells of the second court's
    order as like the first ("issued a similar order"), not by naming the first again; "the
    other" and "one another" point back to something named, and "not only ... but also" adds
    rather than likens."""
    from retrieval.features import asks_another, tells_likeness

    assert asks_another("Did any other court rule on the corridor?")
    assert asks_another("Has another tribunal ruled?")
    assert not asks_another("Did Michel prefer one route over the other?")
    assert not asks_another("What did the leaders reaffirm about one another?")
    assert not asks_another("Besides the ICJ, which other court ruled?")  # it says which is set aside
    assert tells_likeness("The European Court of Human Rights issued a similar order in December.")
    assert not tells_likeness("which included not only the treaty but also the blockade")
    ans = core_searcher.search("Has any other court ordered Baku to reopen the road?")
    assert ans.answered and "similar order" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "needle"), [
    ("Besides the peace treaty, what other issues were discussed in Brussels?",
     "not only the would-be treaty"),
    ("Apart from the draft accord, which subjects did the Armenian readout list as discussed?",
     "not only the would-be treaty"),
    ("Besides pressing for the route to be unblocked, what did the bloc's council president say he noted?",
     "as well as urging Aliyev"),
])
def test_what_is_asked_besides_a_thing_is_told_as_an_addition(core_searcher, question, needle):
    """"Besides the treaty, which issues were discussed?": the answer adds to what the question
    sets aside, and news says so ("not only the would-be treaty but also ..."), where sentences
    sharing more of its words ("Aliyev and Pashinyan narrowed their differences on a peace
    treaty") do not; whom else "besides analysts" is named beside them, not by an addition."""
    from retrieval.features import asks_besides, tells_addition

    assert asks_besides("Beyond the prospective accord, which matters were deliberated?")
    assert not asks_besides("Which issues were discussed in Brussels?")
    assert tells_addition("which included not only the would-be treaty but also the blockade")
    assert tells_addition("as well as urging Aliyev to reopen the Lachin corridor he noted")
    assert not tells_addition("The European Court of Human Rights issued a similar order.")
    ans = core_searcher.search(question)
    assert ans.answered and needle in ans.hits[0].highlight


def test_an_earlier_office_needs_a_sentence_saying_one(core_searcher):
    """"What job did Ani Badalyan hold before becoming the ministry's spokeswoman?": the article
    names her only as the spokeswoman, which is the office she became, not the one before."""
    from retrieval.features import answer_type_supported

    now = "the ministry spokeswoman, Ani Badalyan, said in a Twitter post"
    asked = "What job did Ani Badalyan hold before becoming the ministry's spokeswoman?"
    assert answer_type_supported(asked, now, now) is False
    assert answer_type_supported(asked, "Badalyan, a former journalist, said", now) is True
    assert not core_searcher.search(asked).answered
    assert core_searcher.search("Who is Ani Badalyan?").answered


def test_a_yes_no_question_on_a_named_person_needs_them_named(core_searcher):
    """"Did Ani Badalyan meet with Charles Michel in Brussels?": the Brussels meeting's passage
    never names her; a yes/no question on the leaders by their surnames is answered by "the
    Armenian and Azerbaijani leaders", so only a person named in full is held to it. An office
    held before ("before he led the European Council") and a term's end are asked too."""
    from retrieval.features import answer_type_supported

    met = "Aliyev met Armenian Prime Minister Nikol Pashinyan and Charles Michel in Brussels."
    assert answer_type_supported("Did Ani Badalyan meet with Charles Michel in Brussels?", met, met) is False
    assert answer_type_supported("Did Nikol Pashinyan meet Michel?", met, met) is None
    for q in ("Did Ani Badalyan meet with Charles Michel in Brussels?",
              "Which country was Charles Michel prime minister of before he led the European Council?",
              "When does Charles Michel's term as European Council president expire?"):
        assert not core_searcher.search(q).answered, q
    assert core_searcher.search("Did Aliyev and Pashinyan reaffirm respect for each other's territorial "
                                "integrity?").answered


def test_a_final_word_needs_a_passage_giving_one(core_searcher):
    """"What was the ICJ's final judgment on the merits?": the article has the court's order of
    February, an interim one, and says nothing final; as "When did the blockade first begin?"
    needs a passage saying when it began."""
    from retrieval.features import answer_type_supported

    order = "The ICJ court ordered Azerbaijan in February to ensure unimpeded movement."
    asked = "What was the ICJ's final judgment on the merits in Armenia's case against Azerbaijan?"
    assert answer_type_supported(asked, order, order) is False
    assert answer_type_supported(asked, order, order + " Its final ruling came in May.") is True
    assert not core_searcher.search(asked).answered
    assert core_searcher.search("What did the ICJ order Azerbaijan to do?").answered
    # so the start of an office: "When was Badalyan appointed?" of a passage naming her in it
    assert not core_searcher.search("When was Ani Badalyan appointed spokeswoman of Armenia's "
                                    "Foreign Ministry?").answered


def test_world_bodies_typed_in_lower_case_are_names(core_searcher):
    """"what did the us state department say about the aghdam route": a body the article never
    names, typed in lower case, is still a name it does not know; "us" the pronoun is not."""
    from retrieval.gazetteer import capitalised_places

    known = {"Armenia"}.__contains__
    assert capitalised_places("what did the us state department say", known) == \
        "what did the US State Department say"
    assert capitalised_places("can you tell us what nato said", known) == "can you tell us what NATO said"
    assert not core_searcher.search("what did the us state department say about the aghdam route").answered
    assert not core_searcher.search("is the red cross still able to evacuate patients from karabakh").answered


def test_a_span_of_time_stands_near_the_asked_thing_by_any_of_its_names(core_searcher):
    """"How long had Baku's obstruction of the route lasted?": "its seven-month blockade" is the
    span asked, the obstruction by the article's word for it (the synonym table's kin)."""
    from retrieval.features import measure_supported
    from retrieval.search import stem_words

    lead = "Azerbaijan has rejected calls for an immediate end to its seven-month blockade of the road."
    asked = "How long had Baku's obstruction of the route lasted at the time of the report?"
    assert measure_supported(asked, lead, stem_words) is False
    assert measure_supported(asked, lead, stem_words, {"obstruct": ["blockad"]}) is True
    ans = core_searcher.search("How long had Baku's obstruction of the route linking the enclave to Armenia "
                               "lasted at the time of the report?")
    assert ans.answered and "seven-month" in ans.hits[0].highlight



def test_a_date_the_question_gives_is_the_answers_date(core_searcher):
    """"What ruling did the ICJ issue on the Lachin corridor in July 2023?": the article has its
    February order; a passage that dates something else in July ("on July 17 decried") does
    not date the ruling. A day ("after the July 15 meeting") may stand anywhere in the passage."""
    from retrieval.features import answer_type_supported

    order = "The ICJ court ordered Azerbaijan in February to ensure unimpeded movement."
    assert answer_type_supported("What did the ICJ order in July 2023?", order, order) is False
    assert answer_type_supported("What did the ICJ order in February?", order, order) is None
    assert not core_searcher.search("What ruling did the International Court of Justice issue on the "
                                    "Lachin corridor in July 2023?").answered
    ans = core_searcher.search("What did Michel urge Aliyev and Pashinyan to do after the July 15 meeting?")
    assert ans.answered and "courageous steps" in ans.hits[0].text


def test_a_later_meeting_needs_a_sentence_on_one(core_searcher):
    """"What was agreed at the next Aliyev–Pashinyan meeting after July 15?": the article has the
    July 15 meeting and no later one; "the next steps that will need to be taken" is none."""
    from retrieval.features import answer_type_supported

    met = "Pashinyan and Aliyev met in Brussels on July 15. Real progress depends on the next steps."
    asked = "What was agreed at the next Aliyev–Pashinyan meeting after July 15?"
    assert answer_type_supported(asked, met, met) is False
    assert answer_type_supported(asked, "They will meet again in October.", met) is not False
    assert not core_searcher.search(asked).answered


def test_an_area_asked_is_the_named_places(core_searcher):
    """"What is the land area of Nagorno-Karabakh?": the article gives Armenia's and
    Azerbaijan's, not Karabakh's; "What land areas were cited ...?", which names no place, is
    answered by the sentence giving them, however few of its words the corpus uses."""
    from retrieval.features import measure_supported

    areas = "Armenia’s territory covers 29,800 square kilometers and Azerbaijan’s 86,600 square kilometers."
    assert measure_supported("What is the land area of Nagorno-Karabakh?", areas) is False
    assert measure_supported("What is Armenia's land area?", areas) is True
    # a place where something happened is not the one whose area is asked
    assert measure_supported("What land areas were reaffirmed in Brussels?", areas) is True
    assert not core_searcher.search("What is the land area of Nagorno-Karabakh?").answered
    ans = core_searcher.search("What land areas were cited as the basis for mutual recognition of each "
                               "state's territory?")
    assert ans.answered and "29,800 square kilometers" in ans.hits[0].highlight



def test_a_word_with_kin_in_the_corpus_is_no_unknown_word(core_searcher):
    """"Where did the spokeswoman post her remark, and who might it have been aimed at?": "remark"
    is not the article's word, but WordNet relates it to the article's ("note", "reference"), so
    it does not count as a word the corpus does not know; a question on nothing the corpus is
    near ("How do I make sourdough bread at home?") abstains by the model's cosine, however
    many of its words have kin somewhere in the article."""
    from retrieval.search import MIN_TOP_DENSE

    ans = core_searcher.search("Where did the spokeswoman post her remark, and who might it have been "
                               "aimed at?")
    assert ans.answered and "veiled rebuke of Michel" in ans.hits[0].highlight
    for far in ("how do i make sourdough bread at home?", "Which company manufactures the iPhone?",
                "What is the best time of year to prune tomato plants?"):
        assert not core_searcher.search(far).answered, far
    assert 0.0 < MIN_TOP_DENSE < 0.2


def test_a_places_own_measure_is_asked_by_its_possessive(core_searcher):
    """"What was Armenia's area?" asks a number the article gives ("29,800 square kilometers");
    "What consequence has the blockade had for the region's population?" asks no count."""
    from retrieval.features import measure_supported

    assert measure_supported("What is Karabakh's population?", "the Armenian-populated region") is False
    assert measure_supported("What consequence has the blockade had for the region's population?",
                             "a serious humanitarian crisis in the Armenian-populated region") is None
    # "How many tons ... in July?" asks tons; the month says when, and a July date does not answer
    assert measure_supported("How many tonnes of aid reached Karabakh in July?",
                             "held in Brussels on Saturday, July 15.") is False
    ans = core_searcher.search("What was Armenia's area?")
    assert ans.answered and "29,800" in ans.hits[0].highlight


def test_a_date_asked_in_a_last_clause_is_asked_and_names_no_topic(core_searcher):
    """"What did the court order, and in which month?": the question asks a date too, and
    "month" is what it asks for, not a word to meet ("earlier this month")."""
    from retrieval.features import question_type, without_when_asked

    assert question_type("What did the ICJ require of Baku, and in which month?") == "when"
    assert question_type("What did Baku reply to Moscow, and when did it do so?") == "when"
    assert question_type("Which body replied to Moscow, and when?") == "who"  # the first clause's kind first
    assert question_type("What did the ICJ require of Baku, and why?") == "other"
    assert without_when_asked("What did the ICJ require of Baku, and in which month?") == \
        "What did the ICJ require of Baku, and ?"
    ans = core_searcher.search("What duty did the UN's principal judicial organ place on Baku, and in which "
                               "month?")
    assert ans.answered and "ordered Azerbaijan in February" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "How do you work out the area of a triangle?",
    "How can I convert square kilometers into square miles?",
    "how should one pack supplies for a long road trip",
    "What is the best way to cook traditional Armenian dolma?",  # advice, asked of no one
])
def test_a_how_to_question_is_not_answered_by_news(core_searcher, question):
    """Instructions asked in the second or first person: news reports what happened, and a
    shared word ("area", "square kilometers") does not make it answer how to do something."""
    assert not core_searcher.search(question, 3).answered


def test_a_how_question_about_the_story_is_still_answered(core_searcher):
    ans = core_searcher.search("How do Armenia and Azerbaijan differ in territory size?", 3)
    assert ans.answered and "29,800 square kilometers" in ans.hits[0].highlight


def test_advice_someone_gave_is_still_answered(core_searcher):
    ans = core_searcher.search("What is the best way to end the blockade, according to Michel?", 3)
    assert ans.answered


def test_a_past_act_asked_is_met_by_a_verb_not_a_noun_of_its_stem(core_searcher):
    """"Who has criticised Pashinyan's peace policy?": "denounced by the Armenian opposition",
    not "critics of Pashinyan's government"; "Which body issued ...?" is not met by "the
    discussed issues"."""
    from retrieval.search import _acted
    from retrieval.sparse import stem_words

    kin = frozenset(stem_words(["criticize", "denounce"]))
    assert _acted("his peace agenda denounced by the Armenian opposition", kin)
    assert not _acted("some Armenian analysts and critics of Pashinyan's government", kin)
    ans = core_searcher.search("Who has criticised Pashinyan's approach to making peace with Baku?", 3)
    assert ans.answered and "denounced by the Armenian opposition" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "answered"), [
    ("What tonnage of relief supplies had the peacekeepers delivered before the checkpoint went up?", False),
    ("What is the troop strength of the Russian peacekeeping mission in Karabakh?", False),
    ("What is the official exchange rate of the Azerbaijani manat to the dollar?", False),  # two words
    ("How large is Armenia's territory?", True),  # "covers 29,800 square kilometers"
    ("Which figure hosted the trilateral talks?", True),  # a person, not a quantity
])
def test_a_quantity_asked_by_its_kind_needs_a_number(core_searcher, question, answered):
    """"What tonnage ...?", "What is the troop strength ...?": only a sentence giving a number
    answers, however near the rest of it is."""
    assert core_searcher.search(question, 3).answered is answered


def test_a_time_told_relative_to_the_story_is_no_word_to_match(core_searcher):
    """"earlier in the year", which the corpus never writes, says when, and its "earlier" is not
    the "reported earlier" of another sentence; "earlier this month", which it writes, stays."""
    ans = core_searcher.search("What did the UN's top court tell Baku to do earlier in the year?", 3)
    assert ans.answered and "The ICJ court ordered Azerbaijan in February" in ans.hits[0].highlight
    assert "earlier this month" in core_searcher.lexical_form("What did Pashinyan charge earlier this month?")


def test_a_two_word_name_of_a_thing_is_read_as_the_corpus_word(core_searcher):
    """"control post", which the corpus never writes, is its "checkpoint" (lexicon.COMPOUNDS); a
    Twitter "post" stays a post."""
    assert "Azerbaijani checkpoints" in core_searcher.lexical_form("Where are the Azerbaijani control posts?")
    assert "post" in core_searcher.lexical_form("What did Ani Badalyan post on Twitter?")
    ans = core_searcher.search("Beside which stream is the Azerbaijani control post at the head of the "
                               "corridor?", 3)
    assert ans.answered and "by a bridge across the Hakari river" in ans.hits[0].highlight
    # and a day by where in the week it falls: "at the start of the week" is the corpus's "Monday"
    assert "at the monday" in core_searcher.lexical_form("What did Yerevan cite at the start of the week?")



def test_a_noun_or_a_motive_ascribed_is_no_act_of_blame():
    """"the summit's host" names a doer, not the act asked; a motive ascribed is no charge."""
    from retrieval.search import _what_act

    assert _what_act("Which institution does the summit's host lead?") is None
    assert _what_act("What motive did the enclave's authorities attribute to the proposal?") is None
    assert _what_act("What shortcomings did Baku attribute to the peacekeepers?")


@pytest.mark.parametrize(("question", "read"), [
    ("What did Azerbaijan reject, according to the report?", "What did Azerbaijan reject?"),
    ("According to the article, what did Baku turn down?", "What did Baku turn down?"),
    ("For how long, per the report, has the road been shut?", "For how long has the road been shut?"),
    ("What did Baku reject, according to the report from Yerevan?", "What did Baku reject?"),
    ("What did Michel say, according to Reuters?", "What did Michel say, according to Reuters?"),
    ("What did the report say about the talks?", "What did the report say about the talks?"),
    ("What institution does Michel head, as the piece describes it?", "What institution does Michel head?"),
    ("As the report puts it, who closed the road?", "Who closed the road?"),
    ("Who closed the road, as described by the article?", "Who closed the road?"),
    ("What does the piece describe?", "What does the piece describe?"),
])
def test_the_story_named_as_the_source_is_not_read_as_the_question(question, read):
    from retrieval.features import without_source

    assert without_source(question) == read
