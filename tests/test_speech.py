"""Questions about who said what, answered by the search with the speaker's quotes raised
(engine.py `_speech_boosts`): the quote index says who spoke, the ranker says which sentence answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.config import Settings
from retrieval.engine import Engine
from retrieval.quotes import parse_speech_question


@pytest.fixture(scope="module")
def engine(seeds_dir: Path, vectors_dir: Path) -> Engine:
    e = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir))
    e.load()
    return e


@pytest.mark.parametrize(("question", "needle", "speaker"), [
    # the claims are what the subject said; "provide" is met by its kin "offering"
    ("Did Baku provide any proof for its claims about the peacekeepers?", "without offering proof",
     "Azerbaijani Foreign Ministry"),
    # ... and "furnish" is kin of "offering" too
    ("Did Azerbaijan furnish any evidence for its charges against the peacekeepers?", "without offering",
     "Azerbaijani Foreign Ministry"),
    # the opposition the article quotes, whatever its members are called
    ("What do opposition politicians in Armenia argue has encouraged Azerbaijan?", "emboldened",
     "Opposition leaders"),
    # "According to X, ...": the question as that speaker put it
    ("According to Grigoryan, what might Azerbaijan be able to undo?", "nullify the previous decisions",
     "Tigran Grigoryan"),
    ("According to the analyst Grigoryan, what could Azerbaijan pull off by having the Aghdam route put on "
     "equal footing with lifting the blockade?", "nullify the previous decisions",
     "Tigran Grigoryan"),  # a title before the name
    ("What does the Armenian PM say Azerbaijan's blockade shows about its intentions?",
     "reflects Baku’s intention", "Nikol Pashinyan"),  # "PM": the article's "Prime Minister"
    # a ministry speaks through its spokeswoman ("the ministry spokeswoman, Ani Badalyan")
    ("What did Yerevan's foreign ministry say other international players ought to do?",
     "Other international actors should follow this line", "Ani Badalyan"),
    # "hinges on" is the article's "depends on" (a phrasal verb the corpus writes)
    ("What did Michel say genuine progress hinges on?", "Real progress depends on the next steps",
     "Charles Michel"),
    # a speech act named by its noun: an appeal is urging, a forecast a warning
    ("What appeal did Michel make to the two leaders about normalization?", "urged them to",
     "Charles Michel"),
    ("What forecast did Moscow give about the blockade?", "warning of even more", "Russian Foreign Ministry"),
    # a name owned by its body ("the EU's Michel") is the person named
    ("How did the EU's Michel describe both supply roads?", "I see both options", "Charles Michel"),
    # "ultimately" here asks what it depends on, not a last word on a matter
    ("Per Michel, what does real headway ultimately hinge on?", "Real progress depends on the next steps",
     "Charles Michel"),
    # "According to X" names whose words answer, above another's quote that shares more words
    ("According to Grigoryan, what could Baku get by treating Aghdam like the Lachin road?",
     "Azerbaijan will be able to nullify", "Tigran Grigoryan"),
    # the act asked, done to whom the question names, in the reporter's words around a quote
    ("Did Michel push Aliyev to open the road again?", "urging Aliyev to reopen", "Charles Michel"),
    # a refusal asked of whoever governs the place named by its kind: answered in their words
    ("Why did the enclave's officials refuse the supply route from the east?", "a ploy designed",
     "Karabakh's leadership"),
    ("Why did the enclave's leaders turn down the proposal to get supplies from the east?", "a ploy designed",
     "Karabakh's leadership"),
    # what was proposed, or noted, asked by a longer noun phrase ("What alternative means of ...")
    ("What alternative means of supplying the enclave did Azerbaijan put forward?", "can be supplied",
     "Azerbaijan"),
    ("What readiness on Azerbaijan's part did the EU chief say he had taken note of?", "noted Azerbaijan’s",
     "Charles Michel"),
    # ... by a speaker named by rank and office ("the EU's top official")
    ("Did the EU's top official urge the Azerbaijani president to reopen the road?", "urging Aliyev",
     "Charles Michel"),
    # ... by a speaker named as the bloc's ("the bloc's council president": the EU's)
    ("Did the bloc's council president push the Azerbaijani leader to reopen the road?", "urging Aliyev",
     "Charles Michel"),
    # ... to whom the question names by office ("the Azerbaijani president" is Aliyev)
    ("Did Michel push the Azerbaijani president to open the road again?", "urging Aliyev to reopen",
     "Charles Michel"),
    # what a side proposed is what it said: "The Azerbaijani side ..., saying that Karabakh can be ..."
    ("What alternative did Azerbaijan suggest for supplying Karabakh?", "can be supplied", "Azerbaijan"),
    # a view asked through what was said: their own words in the first person
    ("What did Michel say he thinks of the Aghdam option?", "I see both options", "Charles Michel"),
    # "In X's assessment, ...": X's words answer, as "In X's view" and "According to X" do
    ("In the analyst's estimation, what could Baku achieve by linking the two routes?", "nullify",
     "Tigran Grigoryan"),
    # a speaker named by what the article calls them ("One of those analysts, Tigran Grigoryan"),
    # with a verb of foreseeing
    ("What legal consequence did that commentator foresee from treating the two supply issues as equivalent?",
     "nullify", "Tigran Grigoryan"),
    # the speaker's words, not another's "I see both options ...", for a question about both routes
    ("What did the critic fear Azerbaijan could achieve with both supply routes placed on an equal footing?",
     "nullify", "Tigran Grigoryan"),
    # what was said, asked by the preposition it takes ("On what ...", "Upon what ...")
    ("On what did the EU chief say genuine progress would hinge?", "Real progress depends on the next steps",
     "Charles Michel"),
])
def test_the_speakers_quote_answers(engine, question, needle, speaker):
    ans = engine.ask(question, 3)
    assert ans.answered and ans.kind == "quotes"
    assert needle in ans.hits[0].highlight
    assert ans.hits[0].extra["speaker"] == speaker
    assert [h.rank for h in ans.hits] == list(range(1, len(ans.hits) + 1))


def test_the_questions_verb_raises_its_kin(engine):
    """"call on" is met by "urged", in a sentence that names no one but "he": it is raised
    above Michel's other quotes, and highlighted in its passage."""
    from retrieval.engine import QUOTE_BOOST, QUOTE_VERB_BOOST
    from retrieval.quotes import parse_speech_question

    question = "What did Michel call on Aliyev and Pashinyan to take?"
    boosts, recs = engine._speech_boosts(question, parse_speech_question(question), engine.quotes)
    raised = {recs[r]["quote"][:20]: b for r, b in boosts.items()}
    assert raised["take further courage"] == QUOTE_BOOST + QUOTE_VERB_BOOST
    assert raised["Real progress depend"] == QUOTE_BOOST
    ans = engine.ask(question, 3)
    assert any("he urged them" in h.highlight for h in ans.hits)


@pytest.mark.parametrize("question", [
    "Did Michel suggest that Aliyev and Pashinyan had narrowed their differences on the peace treaty?",
    # in other words than the article's: a yes/no question raises the quotes less
    "Did Michel suggest the two leaders had bridged their gaps on the peace treaty?",
    # the act asked is the report's ("signal" and "gave no indications"), in a formal wording
    "Did the EU official signal any rapprochement between the two heads of government on the treaty?",
])
def test_the_reporters_own_sentence_still_competes(engine, question):
    """Whether Michel suggested progress is told by the reporter ("Michel gave no indications
    that ..."), not by any quote of his: raising his quotes must not hide it."""
    ans = engine.ask(question, 3)
    assert ans.answered and "gave no indications" in ans.hits[0].highlight
    assert not ans.hits[0].extra.get("speaker")


@pytest.mark.parametrize(("question", "needle"), [
    # the reporter's account of what the body said, whose attribution repeats the question's words
    ("What are Baku and Yerevan still at odds over, according to the Armenian Foreign Ministry?",
     "The Armenian Foreign Ministry reported earlier"),
    ("Did Aliyev and Pashinyan narrow their gaps on the treaty, according to Michel?", "gave no indications"),
])
def test_according_to_raises_what_they_said_however_attributed(engine, question, needle):
    ans = engine.ask(question, 3)
    assert ans.answered and needle in ans.hits[0].highlight


def test_the_search_alone_answers_what_it_does_not_read_as_speech(engine):
    ans = engine.ask("Has Baku offered any proof for what it alleges about the peacekeepers?", 3)
    assert ans.answered and ans.kind == "passages" and "without offering proof" in ans.hits[0].highlight


def test_a_country_speaks_through_its_ministry(engine):
    ans = engine.ask("Why is Azerbaijan blaming the peacekeepers?", 3)
    assert ans.answered
    assert any("accused the peacekeepers" in h.highlight for h in ans.hits)


def test_a_people_speaks_through_its_countrys_words(engine):
    ans = engine.ask("Which town did the Azerbaijanis propose as another supply route?", 3)
    assert ans.answered and "the town of Aghdam" in ans.hits[0].highlight


def test_who_did_it_to_someone_is_not_answered_by_their_own_words(engine):
    """"Who has condemned Pashinyan's peace policy?" asks who spoke against it: his own quote on
    peace ("Pashinyan said last week that the peace accord is not ...") is not raised, and the
    report of who denounced it answers."""
    ans = engine.ask("Who condemned Pashinyan's peace plans?", 3)
    assert ans.answered and "denounced by the Armenian opposition" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "What did Moscow ask Baku to do about the corridor?",
    "What did Russia ask Azerbaijan to do that Baku turned down?",
])
def test_what_a_speaker_asked_for_is_named_by_its_owner(engine, question):
    """"What did Moscow ask Baku to do?" is answered by the reporter's name for what Russia asked,
    "Russia's latest calls for an immediate end to ...", above the sentence that only cites its
    statement (`Engine._asked_for`)."""
    ans = engine.ask(question, 3)
    assert ans.answered and "Azerbaijan has rejected Russia’s latest calls" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "Through what medium did Armenia's diplomatic spokesperson make her statement, and how might it be read?",
    "Through what medium was Yerevan's veiled criticism of the EU chief delivered?",
])
def test_the_medium_spoken_through_is_a_post_not_an_outlet_told(engine, question):
    """"Through what medium ...?" is answered by "said in a Twitter post", lifted from the
    passages after the first; "Grigoryan told RFE/RL's Armenian Service" names an outlet told,
    which a medium or platform is not (features.asks_medium, asks_for_addressee)."""
    ans = engine.ask(question, 3)
    assert ans.answered and "said in a Twitter post" in ans.hits[0].highlight


def test_what_a_speaker_proposed_is_what_they_said(engine):
    """"Through which other route does Baku propose ...?" is answered by Baku's words ("The
    Azerbaijani side dismissed those concerns, saying that Karabakh can be supplied ..."), not by
    the sentence that says what Baku reacted to."""
    ans = engine.ask("Through which other route does Baku propose that Karabakh get its supplies?", 3)
    assert ans.answered and ans.hits[0].highlight.startswith("The Azerbaijani side dismissed")


def test_a_day_named_by_its_place_in_the_week_is_the_corpus_day(engine):
    """"at the start of the week" is "on Monday" (lexicon.COMPOUNDS), which sets the ministry's
    citing of the court orders apart from what it "reported earlier"."""
    ans = engine.ask("What did Yerevan's diplomatic service draw attention to at the start of the week?", 3)
    assert ans.answered and "pointed to those injunctions on Monday" in ans.hits[0].highlight


def test_a_capitals_spokesperson_is_the_countrys(engine):
    """"Yerevan's diplomatic spokesperson" is Armenia's (the corpus never writes "Yerevan's"), and
    the one the article quotes is "the ministry spokeswoman, Ani Badalyan", after "The Armenian
    Foreign Ministry pointed to ..." (`Engine._spokesperson_of`)."""
    ans = engine.ask("What did Yerevan's diplomatic spokesperson ask outside powers to do about the court "
                     "orders?", 3)
    assert ans.answered and "Other international actors should follow" in ans.hits[0].highlight


def test_an_unknown_speaker_still_abstains(engine):
    assert not engine.ask("What did the Turkish Foreign Ministry say about the corridor?", 3).answered


@pytest.mark.parametrize(("description", "person"), [
    ("the EU chief", "Charles Michel"),  # "European Union head Charles Michel"
    ("the EU's top official", "Charles Michel"),  # "the European Union's top official, Charles Michel"
    ("the Armenian premier", "Nikol Pashinyan"),  # "Armenian Prime Minister Nikol Pashinyan"
    ("the Azerbaijani president", "Ilham Aliyev"),
    ("the Azerbaijani leader", "Ilham Aliyev"),  # "Azerbaijani President Ilham Aliyev", six passages in
    ("the Russian president", None),  # the article names none
    ("the Kremlin spokesman", None),  # "the ministry spokeswoman, Ani Badalyan" is Armenia's
    # a capital's possessive is its country's; a spokesperson is of the body named just before her
    ("Yerevan's diplomatic spokesperson", "Ani Badalyan"),
    ("Armenia's spokesperson", "Ani Badalyan"),
    ("Moscow's spokesperson", None),
    ("the chief", None),  # not whose
    ("the Armenian head of government", "Nikol Pashinyan"),  # a head of government is its premier
    ("the Azerbaijani head of state", "Ilham Aliyev"),  # a head of state its president
    ("the European Council's head", "Charles Michel"),  # as a quote's attribution calls him
    ("the Azerbaijani presidential administration", "Ilham Aliyev's office"),  # the president's office
    ("the Russian presidential administration", None),
    # the part played, not an office: whom the article says hosted ("talks hosted by ..., Charles Michel")
    ("the summit host", "Charles Michel"),
    ("the Brussels convener", "Charles Michel"),
    ("the European mediator", "Charles Michel"),  # one who mediates between the two is the host too
])
def test_a_speaker_described_by_office_is_found(engine, description, person):
    assert engine._described(description) == person


def test_a_person_named_by_office_is_read_by_name_too(engine):
    """The model reads "the Armenian head of government" as Pashinyan, whom the sentence that
    answers names; a question asking who holds the office keeps it as asked."""
    assert engine._with_names("Did the Armenian premier say so?") == \
        "Did the Armenian premier Nikol Pashinyan say so?"
    assert engine._with_names("Who is the Armenian premier?") == "Who is the Armenian premier?"
    assert engine._with_names("Did Michel press Azerbaijan's head of state?") == \
        "Did Michel press Azerbaijan's head of state Ilham Aliyev?"  # whose office, by the possessive
    assert engine._with_names("Did the Armenian premier Nikol Pashinyan say so?") == \
        "Did the Armenian premier Nikol Pashinyan say so?"
    ans = engine.ask("What goal did the Armenian head of government ascribe to Baku's blockade?", 3)
    assert ans.answered and "commit “genocide”" in ans.hits[0].highlight
    # the names remembered stay bounded however many descriptions a bot hears
    from retrieval.engine import MAX_DESCRIPTIONS

    engine._people.pop("Azerbaijani president", None)  # (other tests of this engine may have read it)
    engine._people.update({f"Made-up {i} official": None for i in range(MAX_DESCRIPTIONS)})
    engine._with_names("Did the Azerbaijani president say so?")
    assert engine._people == {"Azerbaijani president": "Ilham Aliyev"}


def test_the_lexical_search_reads_a_person_named_by_office_by_name(engine):
    """BM25 and the word features read "the Armenian head of government" as Pashinyan: the
    office's words match every sentence naming Armenia ("Michel's reference to it was construed
    by some Armenian analysts ..."), the name the sentence that answers."""
    assert engine._by_names("Did the Armenian premier say so?") == "Did the Nikol Pashinyan say so?"
    assert engine._by_names("Who is the Armenian premier?") == "Who is the Armenian premier?"
    ans = engine.ask("How did the Armenian head of government judge the readiness of the settlement text?", 3)
    assert ans.answered and "not “yet ready for signing.”" in ans.hits[0].highlight


def test_a_described_speakers_quotes_are_raised(engine):
    ans = engine.ask("What did the EU chief urge the two leaders to take?", 3)
    assert ans.answered and ans.hits[0].extra.get("speaker") == "Charles Michel"


@pytest.mark.parametrize(("question", "needle"), [
    # a speaker named by the part played, with a verb of urging the corpus words as "urged"
    ("What did the Brussels host exhort Aliyev and Pashinyan to take?", "take further courageous steps"),
    ("How did the meeting's convener weigh the Lachin and Aghdam supply routes?", "I see both options"),
    # conditions put on the agenda are demands; the presidential administration is the president's office
    ("What preconditions did the Azerbaijani presidential administration place on the agenda?",
     "Baku’s demands for “the withdrawal"),
    # a proposal named with its own words after the noun, and "advocate" for proposing
    ("What alternative supply arrangement does Baku advocate for the Karabakh population?",
     "supplied with basic necessities from Azerbaijan proper"),
    # forecasting bad outcomes is warning of them; a foreign-affairs apparatus is the Foreign Ministry
    ("What did Russia's foreign affairs apparatus forecast if the blockade went on?",
     "even more “dramatic” consequences"),
    # a ministry's spokesperson, whichever word the article uses for her
    ("What did the Armenian ministry's spokesperson urge other international actors to do?",
     "should follow this line"),
    # a government's diplomats speak as its Foreign Ministry
    ("What warning did Moscow's diplomats voice about the blockade?", "even more “dramatic” consequences"),
    # "the Armenian head of government" asked of with a charging verb: his charge
    ("What purpose did the Armenian head of government impute to Azerbaijan over the blockade?",
     "commit “genocide”"),
])
def test_a_speaker_named_by_part_or_office_with_a_rarer_verb(engine, question, needle):
    ans = engine.ask(question, 3)
    assert ans.answered and needle in ans.hits[0].highlight, ans.hits[0].highlight


def test_a_speaker_named_by_the_bloc_they_lead(engine):
    """"the bloc's top official": the one union of states the corpus names (the EU, by either
    of its names), and the person the article names by that office (Charles Michel)."""
    from retrieval.gazetteer import as_bodies_of_kind, body_of_kind

    known = engine.load().known
    assert body_of_kind("bloc", known) == "EU"
    assert as_bodies_of_kind("Has the bloc imposed sanctions?", known) == "Has the EU imposed sanctions?"
    assert as_bodies_of_kind("the bloc-wide ban", known) == "the bloc-wide ban"
    assert engine._described("the bloc's chief") == "Charles Michel"
    for q, needle in (("What did the bloc's top official say he urged Aliyev to do?", "urging Aliyev"),
                      ("How did the bloc's chief describe the two supply routes?", "I see both options")):
        ans = engine.ask(q, 3)
        assert ans.answered and needle in ans.hits[0].highlight
        assert ans.hits[0].extra["speaker"] == "Charles Michel"


def test_a_speaker_named_by_the_kind_of_place_it_governs(engine):
    """"the enclave's authorities": the one enclave the corpus names (gazetteer), and whoever
    governs it under any of the words for that ("Karabakh's leadership")."""
    from retrieval.gazetteer import place_of_kind
    from retrieval.quotes import parse_speech_question

    assert place_of_kind("enclave", engine.load().known) == "Karabakh"
    assert place_of_kind("exclave", engine.load().known) is None  # the corpus names none
    assert engine._described("the enclave's leaders") == "Karabakh's leaders"
    assert [r["speaker"] for r in engine.quotes.answer(
        parse_speech_question("What did Karabakh's de facto authorities say about Aghdam?"))] == \
        ["Karabakh's leadership"]
    sq = parse_speech_question("On what grounds did the enclave's leaders reject the Aghdam route?")
    assert sq and sq.speaker == "enclave's leaders"
    for q in ("On what grounds did the enclave's officials repudiate the Aghdam supply route?",
              "What motive did the enclave's authorities cite for rejecting deliveries through Aghdam?"):
        ans = engine.ask(q, 3)
        assert ans.answered and "it is a ploy" in ans.hits[0].highlight, q


@pytest.mark.parametrize(("speaker", "speakers"), [
    ("Baku's authorities", {"Azerbaijan", "Azerbaijani Foreign Ministry"}),  # its government speaks for it
    ("the Armenian cabinet", {"Armenian government"}),  # a word for the government
    ("Yerevan's official readout", {"Armenian government", "Armenian Foreign Ministry"}),  # its account
    ("Yerevan's account of the summit", {"Armenian government", "Armenian Foreign Ministry"}),
    ("the Armenian government's statement", {"Armenian government"}),
    ("Russia's diplomats", {"Russian Foreign Ministry"}),  # diplomats speak for the Foreign Ministry
    ("the Russian diplomatic corps", {"Russian Foreign Ministry"}),
    ("the Turkish authorities", set()),  # none that the article quotes
])
def test_a_government_its_accounts_and_its_diplomats_speak_as_it_does(engine, speaker, speakers):
    from retrieval.quotes import SpeechQuery

    assert {r["speaker"] for r in engine.quotes.answer(SpeechQuery(speaker, "", "say"), k=30)} == speakers


def test_a_who_question_may_put_an_adverb_before_its_verb():
    """"Which analyst publicly faulted ...?": the kind asked is the analyst, not "publicly"."""
    from retrieval.quotes import parse_speech_question

    sq = parse_speech_question("Which commentator openly faulted the Armenian diplomats?")
    assert sq and sq.kind == "commentator" and sq.verb == "faulted"
    sq = parse_speech_question("Which analyst had most recently censured the foreign ministry?")
    assert sq and sq.kind == "analyst" and sq.verb == "censured"


def test_a_view_asked_for_is_answered_in_the_speakers_own_words(engine):
    """"Does Michel prefer ...?" is answered by his first-person quote ("I see both options as
    important ..."), not by the reporter's account of what he noted."""
    from retrieval.quotes import OPINION_VERBS, in_own_words, parse_speech_question

    assert parse_speech_question("Does Michel prefer one aid route to the other?").verb == "prefer"
    assert parse_speech_question("What is Michel's opinion of the Aghdam route?").verb == "view"
    assert in_own_words({"kind": "direct", "quote": "I see both options as important"})
    assert not in_own_words({"kind": "partial", "quote": "noted Azerbaijan's willingness"})
    ans = engine.ask("Does Michel prefer one aid route to the other?", 3)
    assert ans.answered and "I see both options" in ans.hits[0].highlight
    # how someone describes a choice is their view of it, in their own words too
    assert parse_speech_question("How did Michel describe the choice between Lachin and Aghdam?").verb \
        in OPINION_VERBS
    ans = engine.ask("how did michel describe the choice between lachin and aghdam for aid deliveries?", 3)
    assert ans.answered and "I see both options" in ans.hits[0].highlight
    # "frame", "portray", "interpret": how someone casts a thing is their view of it
    sq = parse_speech_question("How did the EU chief frame the choice between the Lachin and Aghdam routes?")
    assert sq.speaker == "EU chief" and sq.verb in OPINION_VERBS
    ans = engine.ask("How did the EU chief frame the choice between the Lachin and the Aghdam route for aid?")
    assert ans.answered and "I see both options" in ans.hits[0].highlight
    sq = parse_speech_question("How did certain Armenian commentators interpret Michel's mention of Aghdam?")
    assert sq.speaker == "certain Armenian commentators" and sq.topic == "Michel's mention of Aghdam"
    # a stance asked yes or no, of a speaker named or described by office
    for q in ("Does Michel regard both the Lachin and Aghdam supply routes as significant?",
              "Did the EU chief favour only the Lachin route, or did he endorse both supply routes?",
              "how did charles michel feel about the corridor versus the aghdam route for aid?"):
        ans = engine.ask(q, 3)
        assert ans.answered and "I see both options" in ans.hits[0].highlight, q


def test_a_response_asked_for_is_the_response_not_what_it_answered(engine):
    """"How did Azerbaijan respond to Russia's worries?": "dismissed those concerns", not the
    sentence that restates the worries ("Baku reacted to ... serious concern over ...")."""
    ans = engine.ask("How did Azerbaijan respond to Russia's worries about shortages?", 3)
    assert ans.answered and "dismissed those concerns" in ans.hits[0].highlight
    # "answer" is a word for responding
    ans = engine.ask("How did Baku answer Moscow's worries about the shortages?", 3)
    assert ans.answered and "dismissed those concerns" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "How did Baku respond to Moscow's most recent appeals to lift the obstruction of the route?",
    "What was Baku's response to Moscow's latest appeal concerning the route into the enclave?",
])
def test_a_response_to_the_thing_asked_is_the_account_that_names_it(engine, question):
    """"How did Baku respond to Moscow's appeals?": the report's "Azerbaijan has rejected
    Russia's latest calls ...", which answers those very calls (an appeal is a call), over
    Baku's quotes on the peacekeepers; Russia's worries are answered as before (above)."""
    ans = engine.ask(question, 3)
    assert ans.answered and "Azerbaijan has rejected Russia’s latest calls" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "needle"), [
    # the speaker ends before "say it": Aliyev's office, read for "the presidential administration"
    ("Which demands did the Azerbaijani presidential administration say it put on the table?",
     "According to Aliyev’s office"),
    # what was said, asked with a preposition before "what"
    ("Against what security backdrop did the EU official say the talks were held?",
     "worrying increase in tensions"),
    ("By what alternative means did Baku argue the enclave could be provisioned?",
     "can be supplied with basic necessities"),
    # to acknowledge is to say (the article's "noted")
    ("What readiness on Baku's part did the European Council chief acknowledge after the summit?",
     "noted Azerbaijan’s willingness"),
])
def test_what_a_speaker_said_in_more_question_forms(engine, question, needle):
    ans = engine.ask(question, 3)
    assert ans.answered and needle in ans.hits[0].highlight


def test_what_triggered_a_statement_is_what_it_reacted_to(engine):
    ans = engine.ask("What prompted Azerbaijan's weekend statement on the corridor?", 3)
    assert ans.answered and "reacted to Saturday’s statement" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "speaker", "needle"), [
    ("What did Russia caution could happen if the blockade continues?", "Russia", "dramatic"),
    ("What did Grigoryan fear would happen if the Aghdam route was put on a par with reopening Lachin?",
     "Grigoryan", "nullify the previous decisions"),
])
def test_reporting_verbs_beyond_say_ask_what_a_speaker_said(engine, question, speaker, needle):
    """"caution", "fear", "emphasise", "contend", ...: what the speaker said, as "warn" asks."""
    from retrieval.quotes import parse_speech_question

    assert parse_speech_question(question).speaker == speaker
    ans = engine.ask(question, 3)
    assert ans.answered and needle in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "What did Michel call on Aliyev and Pashinyan to do?",
    "What did the EU chief ask Aliyev and Pashinyan to do going forward?",  # "ask them to": urge
    "What did Michel encourage Aliyev and Pashinyan to do?",
])
def test_the_verb_asked_must_bring_in_the_quote(engine, question):
    """"He said he urged them to “take further courageous steps ...”" answers, not "Michel said
    ... as well as urging Aliyev to reopen the corridor he “noted ...”", whose quote "urging"
    does not bring in."""
    from retrieval.quotes import speech_verbs

    assert "urge" in speech_verbs("ask", "What did he ask them to do?")
    assert speech_verbs("ask", "What did the reporter ask?") == {"ask"}
    ans = engine.ask(question, 3)
    assert ans.answered and "take further courageous steps" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "Did Michel signal that the two leaders had bridged their gaps on the peace deal?",
    "Did the two leaders get closer on the peace agreement, according to Michel?",
])
def test_a_yes_no_speech_question_takes_the_reporters_account_of_the_speaker(engine, question):
    """"Michel gave no indications that Aliyev and Pashinyan narrowed their differences" reports
    what he said without quoting him: it answers as his quotes do."""
    ans = engine.ask(question, 3)
    assert ans.answered and "gave no indications" in ans.hits[0].highlight


def test_a_people_named_otherwise_speaks_as_its_country(engine):
    """"the azeris" are the Azerbaijanis, whose claims the ministry made without offering proof."""
    ans = engine.ask("did the azeris back up their claims about the peacekeepers with any evidence?", 3)
    assert ans.answered and "without offering proof" in ans.hits[0].highlight


def test_a_speaker_named_by_the_words_of_an_alias_in_another_order_is_found(engine):
    """"the European Council president" is whom the article calls "the president of the European
    Council"; "press them to" is urging them."""
    from retrieval.quotes import parse_speech_question

    q = "How did the European Council president characterise the two possible supply routes for Karabakh?"
    assert engine.quotes.answer(parse_speech_question(q))[0]["speaker"] == "Charles Michel"
    ans = engine.ask(q, 3)
    assert ans.answered and "I see both options" in ans.hits[0].highlight
    ans = engine.ask("What did Michel press the two leaders to do in order to make lasting progress?", 3)
    assert ans.answered and "take further courageous steps" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "needle"), [
    ("How did the European Council president characterise the two possible supply routes?",
     "I see both options"),
    ("What did the European Council president call on the two leaders to do?",
     "take further courageous steps"),
])
def test_an_attribution_repeating_the_speakers_description_does_not_win_on_it(engine, question, needle):
    """"..., added the president of the European Council" matches "the European Council
    president" by its attribution, not by what was said."""
    ans = engine.ask(question, 3)
    assert ans.answered and needle in ans.hits[0].highlight


def test_a_speaker_called_only_as_the_article_calls_them_is_found_and_their_words_win(engine):
    """"The Azerbaijani side dismissed those concerns, saying ..." is the one place the article
    calls Azerbaijan so: the question's words for the speaker find that quote, and repeating its
    attribution (the only one it has) does not count against it."""
    assert [q["quote"][:27] for q in engine.quotes.by_speaker("the Azerbaijani side")] == \
        ["Karabakh can be supplied wi"]
    ans = engine.ask("How did the Azerbaijani side say Karabakh could be supplied instead of via the "
                     "Lachin corridor?", 3)
    assert ans.answered and ans.hits[0].highlight.startswith("The Azerbaijani side dismissed")


@pytest.mark.parametrize("question", [
    "What has Armenia said about having a military presence in Karabakh?",
    "What has Armenia said about claims of its military presence in Karabakh?",
    "What has Armenia said about claims that it keeps a military presence in Karabakh?",  # a frame
])
def test_what_one_said_on_a_charge_is_how_the_reporter_says_they_answered_it(engine, question):
    """Armenia's quotes (its government's statement, its ministry's tweet) are on other things;
    "Armenia has repeatedly denied any military presence in Karabakh" is what it said on that."""
    ans = engine.ask(question, 3)
    assert ans.answered and ans.hits[0].highlight.startswith("Armenia has repeatedly denied")


@pytest.mark.parametrize(("question", "needle"), [
    ("Against what backdrop did the EU official say the summit was held?",
     "took place in the context of a worrying increase"),
    ("Which two measures did Baku's diplomatic service justify in its statement issued over the weekend?",
     "defended Baku’s decisions to set up a checkpoint"),
    ("Which leader apparently pushed the Aghdam supply idea at the latest trilateral meeting?",
     "Aliyev apparently insisted on this idea"),
    ("What does Grigoryan fear Azerbaijan could achieve by having Aghdam treated on par with "
     "reopening Lachin?", "on the same plane with the issue"),
])
def test_an_analysts_words_for_the_articles_are_its_words(engine, question, needle):
    """A "backdrop" is the "context", to "justify" a decision to defend it, to "push" an idea to
    insist on it, to treat two things "as equivalent" to put them "on the same plane"
    (THESAURUS): words WordNet does not join in these senses."""
    ans = engine.ask(question, 3)
    assert ans.answered and needle in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "needle"), [
    # a channel spoken through may be a medium
    ("Through what channel did the Armenian ministry's spokesperson comment, and how might her "
     "remark be read?", "in a Twitter post"),
    # "following the talks" is after them, not a next meeting asked about
    ("What did the bloc's council president say he pressed the Azerbaijani leader to do about the "
     "route following the talks?", "urging Aliyev to reopen the Lachin corridor"),
])
def test_a_medium_spoken_through_or_an_act_after_the_talks_is_answered(engine, question, needle):
    ans = engine.ask(question, 3)
    assert ans.answered and needle in ans.hits[0].highlight
    # a medium is no newspaper
    assert not engine.ask("Which newspaper did Ani Badalyan speak to?", 3).answered


def test_an_answer_asked_by_its_act_is_the_reporters_account_of_it(engine):
    """"What did Azerbaijan reject from Russia?": Azerbaijan's quotes (on the peacekeepers, on
    Aghdam) are not the rejection; "Azerbaijan has rejected Russia's latest calls ..." is. An
    act that is no answer ("urge") keeps to the quotes it brings in."""
    ans = engine.ask("What did Azerbaijan reject from Russia?", 3)
    assert ans.answered and "Azerbaijan has rejected Russia’s latest calls" in ans.hits[0].highlight
    ans = engine.ask("What did Michel urge Armenia and Azerbaijan's leaders to do?", 3)
    assert ans.answered and "take further courageous steps" in ans.hits[0].highlight


def test_where_in_what_was_said_is_a_speech_question(engine):
    """"From where did Baku contend ...?" asks where in what Baku said (a clause follows the
    verb), not where it said it ("Where did Michel say it?")."""
    from retrieval.quotes import parse_speech_question

    assert parse_speech_question("Where did Michel say it?") is None
    sq = parse_speech_question("From where did Baku contend the enclave could instead be provisioned?")
    assert sq is not None and sq.speaker == "Baku" and sq.verb == "contend"
    ans = engine.ask("From where did Baku contend the enclave could instead be provisioned?", 3)
    assert ans.answered and ans.hits[0].highlight.startswith("The Azerbaijani side dismissed those concerns")


@pytest.mark.parametrize("question", [
    "How does the report characterize the institution the summit host presides over?",
    "How is the institution chaired by Charles Michel characterized?",
])
def test_a_body_named_by_whom_it_is_led_by_is_the_body_the_article_names(engine, question):
    """The article calls its host "the president of the European Council": "the institution
    the summit host presides over" is the European Council, which "the EU's top
    decision-making body" describes."""
    assert "the European Council" in engine._led_body_named(engine.load().normalise(question))
    ans = engine.ask(question, 3)
    assert ans.answered and "the EU’s top decision-making body" in ans.hits[0].highlight


def test_in_someones_view_asks_what_they_said():
    from retrieval.quotes import parse_speech_question

    sq = parse_speech_question("In Michel's view, what does genuine progress hinge on?")
    assert sq.speaker == "Michel" and sq.topic == "what does genuine progress hinge on"
    assert parse_speech_question("In Brussels, who met?") is None


def test_a_response_is_answered_only_where_the_one_asked_about_responds(engine):
    """"How did Russia respond to Azerbaijan's accusations?": the article has Armenia denying
    them ("allegations strongly denied by Armenia") and Russia's quotes on other things; how
    Baku or Yerevan responded it does say."""
    from retrieval.features import responder_named

    text = "The allegations were strongly denied by Armenia. The Azerbaijani side dismissed those concerns."
    assert responder_named("How did Russia respond to the accusations?", text) is False
    assert responder_named("How did Yerevan respond to the accusations?", text) is True
    assert responder_named("How did Baku answer Moscow's concerns?", text) is True
    assert responder_named("Why did Baku block the road?", text) is None
    # a statement on what was asked about is a response too; one on something else is not
    stated = "Baku reacted to the Russian Foreign Ministry expressing concern over shortages in Karabakh."
    assert responder_named("How did the Russian Foreign Ministry react to the situation in Karabakh?", stated)
    assert not responder_named("How did Russia respond to Azerbaijan's accusations?", stated)
    # pointing to what was asked about is a response on it
    pointed = "The Armenian Foreign Ministry pointed to those injunctions on Monday."
    assert responder_named("How did Yerevan's foreign ministry react to the court injunctions?", pointed)
    ans = engine.ask("How did Yerevan’s foreign ministry react on Monday regarding the court injunctions?")
    assert ans.answered and ans.hits[0].highlight == pointed
    # the one asked, named in what was asked about, or what the charge says, is not its subject
    assert not responder_named("How did the Kremlin respond to the charge that Russian peacekeepers help "
                               "Armenian units in Karabakh?", stated)
    assert not engine.ask("How did the Kremlin respond to Azerbaijan's accusation that Russian "
                          "peacekeepers help Armenian army units in Karabakh?").answered
    off = engine.ask("How did Russia respond to Azerbaijan's accusations that its peacekeepers helped "
                     "Armenian army units?")
    assert not off.answered
    on = engine.ask("How did Yerevan respond to accusations that it has troops in Karabakh?")
    assert on.answered and "denied" in on.hits[0].highlight
    # the one asked is the possessor of a body ("Russia's Foreign Ministry"), as truecasing
    # writes it ("Ani Badalyan's Ministry"): Baku reacting is no response of hers
    assert responder_named("How did Russia's Foreign Ministry respond to the accusations?", text) is False
    assert responder_named("How did Yerevan's Foreign Ministry respond to the accusations?", text) is True
    # a stance on accusations is the answer to them, which the reporter gives where the
    # speaker's quotes are on other things
    stance = engine.ask("What is Armenia's stance on accusations that it keeps troops in Karabakh?")
    assert stance.answered and "denied" in stance.hits[0].highlight
    line = engine.ask("What is Armenia's line on allegations of its troops in Karabakh?")
    assert line.answered and "denied" in line.hits[0].highlight
    # a stance on a charge against itself, not named as one, is its answer too
    own = engine.ask("What is Armenia's position on whether it has troops in Karabakh?")
    assert own.answered and "denied" in own.hits[0].highlight
    # by its capital too, over a quote naming the capital on something else
    yerevan = engine.ask("What is Yerevan's position on having troops in Karabakh?")
    assert yerevan.answered and "denied" in yerevan.hits[0].highlight
    # whether one responded asks the same of the passage
    assert responder_named("Did Russia respond to the accusations?", text) is False
    assert responder_named("Has Armenia responded to the accusations?", text) is True
    assert not engine.ask("Did Charles Michel respond to Ani Badalyan's Twitter post?").answered
    # either of two asked; a passive is a response only by a verb of one ("hosted by" is none)
    hosted = "The talks were hosted by the European Union's top official, Charles Michel."
    assert responder_named("Did Charles Michel or the EU respond to the post?", hosted) is False
    assert responder_named("Did Moscow or Yerevan respond to the accusations?", text) is True
    assert not engine.ask("How did Ani Badalyan's ministry respond to the Russian Foreign Ministry's "
                          "Saturday statement?").answered


@pytest.mark.parametrize("question", [
    "What did Michel say he urged Aliyev and Pashinyan to do?",
    "What did the EU chief say he had pressed the two leaders to do?",
])
def test_what_several_were_urged_to_do_is_what_they_were_urged_to_do(engine, question):
    """Both leaders were urged "to take further courageous steps" ("He said he urged them to
    ..."); "urging Aliyev to reopen the Lachin corridor" asked one of them."""
    from retrieval.features import asks_urged_many, urges_many

    assert asks_urged_many(question) and not asks_urged_many("What did Michel urge Aliyev to do?")
    assert urges_many("He said he urged them to act.") and not urges_many("urging Aliyev to reopen it")
    ans = engine.ask(question)
    assert ans.answered and "take further courageous steps" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "michel view on lachin vs aghdam routes for aid",
    "Does Michel prefer the Lachin corridor or the Aghdam route for getting aid in?",
])
def test_a_stance_asked_is_given_in_the_holders_words(engine, question):
    """"I see both options as important ..." is Michel's stance; "noted Azerbaijan's
    willingness to ... provide humanitarian supplies via Aghdam" is what he noted of Baku's."""
    from retrieval.features import asks_opinion, tells_opinion

    assert asks_opinion(question)
    assert not asks_opinion("What did the EU chief say he had observed about Azerbaijan's stance on aid?")
    assert not asks_opinion("In Michel's view, what does genuine advancement hinge upon?")  # attributes
    assert tells_opinion("“I see both options as important,” he said.")
    ans = engine.ask(question)
    assert ans.answered and "I see both options as important" in ans.hits[0].highlight


def test_people_asked_by_name_need_names(engine):
    """"denounced by the Armenian opposition" names no one: the speech path's quotes do not
    make that answered."""
    ans = engine.ask("Which Armenian opposition leaders criticized Pashinyan's peace agenda, by name?")
    assert not ans.answered
    assert engine.ask("Who has condemned Pashinyan's peace agenda?").answered


def test_in_someones_view_attributes_what_follows(engine):
    """"In Michel's view, what does genuine advancement hinge upon?" asks what he said it depends
    on ("Real progress depends on the next steps ..."), not his stance ("I see both options ...")."""
    ans = engine.ask("In Michel's view, what does genuine advancement hinge upon?")
    assert ans.answered and "Real progress depends" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "answered"), [
    # the article quotes Aliyev's office, never Aliyev himself
    ("What did Ilham Aliyev personally say to the press after the Brussels meeting?", False),
    ("What was the Russian president's personal reaction to Baku's rejection?", False),  # named nowhere
    # Michel's own words are quoted
    ("What did Michel personally say about the supply routes?", True),
    # "himself" after a name asks the same
    ("What did Ilham Aliyev himself tell reporters once the Brussels meeting ended?", False),
    ("Personally, what did Ilham Aliyev tell the press after the summit?", False),  # capitalised
    ("What did Michel himself say about the two supply routes?", True),
])
def test_a_persons_own_words_asked_for_need_a_quote_of_that_person(engine, question, answered):
    assert engine.ask(question, 3).answered is answered


@pytest.mark.parametrize("question", [
    "What number did Michel cite for the size of Armenia?",
    "Which figures did the European Council president give for the two countries' territory?",
])
def test_a_figure_a_speaker_gave_is_what_they_said(engine, question):
    """"What number did Michel cite ...?" asks for his words ("... Armenia's territory covers
    29,800 square kilometers ..."), which name no Michel, not the sentence that names him."""
    assert parse_speech_question(question) is not None
    ans = engine.ask(question, 3)
    assert ans.answered and "29,800 square kilometers" in ans.hits[0].highlight


def test_a_policy_asked_in_other_words_is_the_one_he_said_he_keeps(engine):
    """"forsake his peacemaking strategy" is "deviate from his peace agenda" (the thesaurus), not
    "the peace accord is not yet ready for signing", which shares only "ready" and his name."""
    ans = engine.ask("Is Pashinyan ready to forsake his peacemaking strategy?", 3)
    assert ans.answered and "will not deviate from his “peace agenda”" in ans.hits[0].highlight


def test_two_people_are_not_a_pair_of_things(engine):
    """"What principle did both leaders reaffirm ...?" is answered by what the leaders did ("The
    Armenian and Azerbaijani leaders once again fully reconfirmed ..."), and "What did the EU
    mediator exhort both parties to undertake?" by his urging, not by the sentence on "both options"
    that a question weighing two routes asks for."""
    ans = engine.ask("What principle did both leaders reaffirm their respect for?", 3)
    assert ans.answered and "fully reconfirmed the respect" in ans.hits[0].highlight
    ans = engine.ask("What did the EU mediator exhort both parties to undertake?", 3)
    assert ans.answered and "he urged them" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "Apart from acknowledging Baku's offer, what did the European Council president say he pressed "
    "Aliyev to do?",
    "Besides noting the Aghdam option, what did Michel say he urged the Azerbaijani leader to do?",
])
def test_a_speech_question_after_an_opening_clause_is_still_one(engine, question):
    """An opening clause ("Apart from acknowledging Baku's offer, ...") does not hide the speech
    question after it: the speaker's sentence answers, and what it sets aside is not its topic."""
    sq = parse_speech_question(question)
    assert sq is not None and "offer" not in sq.topic and "Aghdam" not in sq.topic
    ans = engine.ask(question, 3)
    assert ans.answered and "as well as urging Aliyev to reopen" in ans.hits[0].highlight


def test_a_concession_opening_the_question_stays_in_its_topic(engine):
    """"Notwithstanding the tensions, what did Michel discern ...?": the clause is of the topic,
    and the act asked ("discern") is met by the speaker's own "I noticed ..." in his quote."""
    question = ("Notwithstanding the rising frictions, what did the EU official discern in the political "
                "talks?")
    sq = parse_speech_question(question)
    assert sq is not None and "frictions" in sq.topic
    ans = engine.ask(question, 3)
    assert ans.answered and "I noticed an important momentum" in ans.hits[0].highlight


def test_a_yes_no_question_after_an_opening_clause(engine):
    """"After the Brussels talks, did the EU chief suggest ...?" asks yes or no as much as the
    question without its opening clause, and "In the premier's estimation, ...?" names whose
    account it asks for."""
    from retrieval.features import is_polar
    from retrieval.quotes import asks_according
    question = ("After the Brussels talks, did the EU chief suggest the two leaders had bridged their gaps "
                "over the treaty?")
    assert is_polar(question) and asks_according("In the Armenian premier's estimation, is the accord ready?")
    ans = engine.ask(question, 3)
    assert ans.answered and "gave no indications" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "Which demands did the Azerbaijani presidential administration say it brought to Brussels?",
    "What demands did the Azerbaijani presidency say featured at the summit?",
])
def test_a_presidency_is_a_speaker_as_much_as_an_office(engine, question):
    """"The Azerbaijani presidential administration" and "the Azerbaijani presidency" are the
    speaker the article calls "Aliyev's office", whose account of the agenda answers."""
    sq = parse_speech_question(question)
    assert sq is not None and sq.speaker and "Azerbaijani" in sq.speaker
    ans = engine.ask(question, 3)
    assert ans.answered and "According to Aliyev’s office" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "Did Aliyev press the plan of supplying Karabakh from Azerbaijan when he met Pashinyan and Michel?",
    "Did Ilham Aliyev push the Aghdam supply idea in Brussels?",
    "Which leader reportedly pushed the Aghdam provisioning idea at the three-way summit?",
])
def test_pressing_an_idea_is_insisting_on_it(engine, question):
    """"Did Aliyev push the idea ...?" is answered by the reporter's "Aliyev apparently insisted on
    this idea ...", though the quotes found for him are his office's: the person asked is sought
    by name with the act asked or its kin ("insist" is of the family of "urge", "push", "press")."""
    ans = engine.ask(question, 3)
    assert ans.answered and "insisted on this idea" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "How did Armenian commentators respond to Michel's mention of Aghdam?",
    "How did some Armenian analysts react to the EU chief raising the Aghdam route?",
])
def test_people_of_a_country_respond_where_named_so(engine, question):
    """"How did Armenian analysts react ...?" asks the analysts, not Armenia: "allegations
    strongly denied by Armenia" is no response of theirs, and "Michel's reference to it was
    constructed by some Armenian analysts ... as a serious setback" is one (a participle, "by"
    them, "as" what they took it for)."""
    from retrieval.features import responder_named
    assert responder_named(question, "Those allegations were strongly denied by Armenia.") is False
    assert responder_named(question, "It was branded by some Armenian commentators as a setback.") is True
    ans = engine.ask(question, 3)
    assert ans.answered and "Michel’s reference to it" in ans.hits[0].highlight


@pytest.mark.parametrize("question, answered", [
    ("What did the Kremlin say in response to Baku's charge that the peacekeepers help Armenian "
     "troops?", False),
    ("What did Moscow say in reply to Azerbaijan's accusations against its peacekeepers?", False),
    ("What did Armenia say in response to Baku's allegations of weapons shipments?", True),
])
def test_what_someone_said_in_response_needs_them_responding(engine, question, answered):
    """"What did X say in response to ...?" is "How did X respond to ...?": the article never
    gives Moscow's answer to Baku's charge (Baku's own words are no answer of Moscow's), and
    Armenia's is "Armenia has repeatedly denied ..."."""
    ans = engine.ask(question, 3)
    assert ans.answered is answered
    if answered:
        assert "denied" in ans.hits[0].highlight


def test_the_grounds_of_a_refusal_are_in_the_refusers_words(engine):
    """"On what grounds did the enclave's authorities turn down ...?" asks, like "Why did they
    refuse ...?", for the reason in their words ("..., saying that it is a ploy ...")."""
    question = ("On what grounds did the enclave's authorities turn down the offer of supplies through the "
                "town to the east?")
    sq = parse_speech_question(question)
    assert sq is not None and sq.verb == "turn down"
    ans = engine.ask(question, 3)
    assert ans.answered and "it is a ploy" in ans.hits[0].highlight


@pytest.mark.parametrize("question, needle", [
    ("What shortcomings did Baku attribute to the Russian stabilization contingent?",
     "It accused the peacekeepers"),
    ("Which domestic and regional constituencies have condemned the premier's reconciliation strategy?",
     "denounced by the Armenian opposition"),
    ("What mutual commitment did the two South Caucasus leaders reaffirm at the Brussels summit?",
     "fully reconfirmed the respect"),
    ("What did the two heads of government restate about each other's statehood?",
     "fully reconfirmed the respect"),
])
def test_the_act_a_what_question_asks_the_object_of_is_the_reporters(engine, question, needle):
    """"What shortcomings did Baku attribute to ...?" is answered where the reporter's verb is of
    the act's family ("It accused the peacekeepers of ..."), in the first passage when it has
    one; "Which constituencies have condemned ...?" by "denounced by ..." (`search._what_act`);
    what leaders "reaffirmed" or "restated" by what they "reconfirmed", not by a "pledge" that
    shares the question's "commitment"."""
    ans = engine.ask(question, 3)
    assert ans.answered and needle in ans.hits[0].highlight


@pytest.mark.parametrize("question, answered", [
    ("Has Brussels slapped sanctions on Azerbaijan for closing the road to Karabakh?", False),
    ("What embargo did Moscow threaten against Baku over the corridor?", False),
    ("Which truce put Russian peacekeepers in Karabakh?", False),
    # (not met by "medicines", which a thesaurus sense of "penalty" shares: a measure's kin are its own)
    ("What penalties did the ICJ set for Azerbaijan if it failed to comply with its order?", False),
    ("What fines has the ICJ imposed on Baku over the corridor?", False),
    ("Did Brussels condemn the blockade of the Lachin corridor?", True),
])
def test_a_measure_the_corpus_never_names_is_not_reported(engine, question, answered):
    """Sanctions, an embargo, a truce: measures news reports by name, which a story that never
    names them (by the word or its kin) does not report, however much else of the question it
    shares, and what a speaker said of one is not either (`Searcher.unknown_measure`,
    lexicon.NAMED_MEASURES)."""
    assert engine.ask(question, 3).answered is answered


@pytest.mark.parametrize("question, answered", [
    ("Who were the Azerbaijani self-described eco-activists who first blocked the Lachin road?", False),
    ("Who were the so-called eco-activists who first blocked the Lachin corridor?", False),
    ("Who are the journalists behind this report?", True),
])
def test_who_a_kind_of_people_are_needs_the_kind_named(engine, question, answered):
    """"Who were the so-called eco-activists ...?" asks to name people of a kind the corpus never
    mentions (by any word of it or its kin), so it abstains, though the blockade is its subject;
    the story's own journalists are the byline's (`Searcher._unknown_kind_asked`)."""
    from retrieval.features import asked_kind_of_people

    assert asked_kind_of_people(question) in ("eco-activists", "journalists")
    assert asked_kind_of_people("Who is Tigran Grigoryan?") is None
    assert engine.ask(question, 3).answered is answered


@pytest.mark.parametrize("question", [
    "What risk did the analyst see in placing the alternative route on an equal footing with the road?",
    "What danger did Grigoryan see in treating the Aghdam point as equal to reopening Lachin?",
])
def test_a_view_a_speaker_is_asked_to_see_is_what_they_said(engine, question):
    """"What risk did the analyst see in ...?": the risk is the analyst's own words ("Azerbaijan
    will be able to nullify ..."), not Michel's "I see both options", which shares the verb."""
    from retrieval.quotes import parse_speech_question

    asked = parse_speech_question(question)
    assert asked is not None and asked.verb == "see"
    ans = engine.ask(question, 3)
    assert ans.answered and "will be able to nullify" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "needle"), [
    ("Of which EU body is Charles Michel the president?", "the president of the European Council"),
    ("Of what failings did Baku's foreign office accuse the Russian contingent deployed in the enclave?",
     "It accused the peacekeepers of not preventing"),
])
def test_a_fronted_preposition_is_read_after_its_verb(engine, question, needle):
    """"Of what failings did Baku accuse ...?" is "What failings did Baku accuse ... of?", the
    form the question's other readings are written for; "To what extent ...?" keeps its own."""
    from retrieval.features import preposition_last

    assert preposition_last("Of what did Baku accuse them?") == "What did Baku accuse them of?"
    assert preposition_last("To which note was it a response?") == "Which note was it a response to?"
    assert preposition_last("To what extent is the road closed?") == "To what extent is the road closed?"
    ans = engine.ask(question, 3)
    assert ans.answered and needle in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "Near which waterway is Baku's control post at the entrance to the route located?",
    "Where precisely is Baku's control post on the route situated?",
])
def test_where_a_thing_is_is_told_by_its_landmarks(engine, question):
    """"Where precisely is Baku's control post?": the caption places it by landmarks ("at the
    entry of the Lachin corridor, by a bridge across the Hakari river"), where the sentence that
    shares "Baku's" only names the region ("a checkpoint in the Lachin corridor")."""
    from retrieval.features import asks_place_of, tells_place_in_detail

    assert asks_place_of("Beside which watercourse is the post?") and not asks_place_of("By what margin?")
    assert tells_place_in_detail("a post set up at the entry of the road, by a bridge across the river")
    assert not tells_place_in_detail("decisions to set up a checkpoint in the Lachin corridor")
    ans = engine.ask(question, 3)
    assert ans.answered and "Hakari river" in ans.hits[0].highlight


def test_the_doers_of_an_act_asked_after_a_long_kind_are_found_by_the_act(engine):
    """"Which domestic and enclave actors have condemned ...?": the act ("condemned", met by
    "denounced by") after up to four words of the kind asked for, not the sentence that shares
    the word "actors" ("Other international actors should follow this line")."""
    from retrieval.features import asked_act

    q = "Which domestic and enclave actors have condemned the premier's conciliatory course?"
    assert asked_act(q) == "condemned"
    ans = engine.ask(q, 3)
    assert ans.answered and "denounced by the Armenian opposition" in ans.hits[0].highlight


def test_a_stance_a_speaker_is_asked_to_have_taken_is_what_they_said(engine):
    """"What stance have the enclave's authorities taken on the eastern route?": the stance is
    their words ("Karabakh's leadership rejected the Aghdam option earlier, saying ..."), asked
    by a stance taken rather than said (quotes._Q_STANCE_TAKEN)."""
    from retrieval.quotes import parse_speech_question

    q = "What stance have the enclave's authorities taken on the eastern supply route, and why?"
    asked = parse_speech_question(q)
    assert asked is not None and asked.verb == "view" and asked.speaker == "enclave's authorities"
    assert parse_speech_question("What position did Michel take on the two routes?").speaker == "Michel"
    ans = engine.ask(q, 3)
    assert ans.answered and "rejected the Aghdam option" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "needle"), [
    ("Did the summit host suggest that the two leaders had bridged their gaps over the draft peace accord?",
     "gave no indications"),
    # (his own words the article gives by office, "..., added the president of the European Council")
    ("According to the summit host, on what does genuine advancement hinge?", "Real progress depends"),
])
def test_whether_the_host_did_something_is_read_by_his_name(engine, question, needle):
    """"Did the summit host suggest ...?": whom the article says hosted, by name, in what the
    lexical search reads ("Michel gave no indications ..."); a question of the host's words
    keeps the office, which the quote index resolves."""
    ans = engine.ask(question, 3)
    assert ans.answered and needle in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "where"), [
    ("What did Azerbaijan reject?", "highlight"),
    ("What did Azerbaijan reject, according to the report?", "highlight"),
    ("What appeal from Moscow did Baku turn down, according to the report?", "text"),
])
def test_an_answer_asked_of_a_speaker_with_no_topic_is_the_account_of_it(engine, question, where):
    """"What did Azerbaijan reject?" is answered by the reporter's account of the act
    ("Azerbaijan has rejected Russia's latest calls ..."), not by the ministry's quotes, which
    reject nothing; and ", according to the report" names where to look, not a speaker
    ("According to Aliyev's office, ..." was the first passage)."""
    ans = engine.ask(question, 3)
    assert ans.answered and "Azerbaijan has rejected Russia’s latest calls" in getattr(ans.hits[0], where)


@pytest.mark.parametrize("question", [
    "What did the commander of the Russian peacekeeping mission say in response to Azerbaijan's accusations?",
    "What did the leader of Karabakh's de facto government say about the outcome of the Brussels summit?",
    "How did Karabakh's de facto president respond to Charles Michel's statement after the Brussels talks?",
    "What did the command of the Russian peacekeeping mission itself say in response to Azerbaijan's "
    "accusations?",  # a body's command, which the article neither quotes nor names
])
def test_a_person_by_a_role_the_article_gives_no_one_said_nothing_it_reports(engine, question):
    """No one in the article commands the peacekeepers or presides over Karabakh, and no quote is
    theirs: what they said is not in it, however near the search's best passage is."""
    assert not engine.ask(question, 3).answered


@pytest.mark.parametrize(("question", "needle"), [
    ("What did the head of the European Council say about the next steps?", "Real progress depends on"),
    ("What did the president of the European Council say real progress depends on?",
     "Real progress depends on the next steps"),
])
def test_a_person_by_a_role_the_article_gives_someone_is_still_answered(engine, question, needle):
    ans = engine.ask(question, 3)
    assert ans.answered and any(needle in h.text for h in ans.hits)


@pytest.mark.parametrize("question", [
    "Which country denies Baku's allegations of a military presence in Karabakh?",
    "Which country denies having a military presence in Karabakh?",
    # its kin ("rejected" for "denied"), but not by the owner of the charge ("Azerbaijan has
    # rejected Russia's latest calls ..." is Baku's answer to another thing)
    "Which country has rejected Baku's claims of an Armenian military presence in Karabakh?",
    "Who has rejected the allegations that Armenian troops are present in Karabakh?",
    # the charge's frame ("having", "being") is no part of it, nor is the kind asked: "government"
    # is whoever governs, not the sentence that says "An Armenian government statement"
    "Which government denies having soldiers in Karabakh?",
])
def test_who_gave_an_answer_no_speaker_asked_is_the_reporters_account_of_it(engine, question):
    """No speaker is asked, only the answer ("denies"): "Armenia has repeatedly denied any
    military presence in Karabakh", the reporter's account, names who gave it, over the quotes
    on the topic (the ministry's charge, which denies nothing)."""
    ans = engine.ask(question, 3)
    assert ans.answered and "Armenia has repeatedly denied" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "What, in the EU leader's view, will genuine advances hinge on?",
    "Upon what, in Michel's assessment, does genuine advancement hinge?",
])
def test_whose_view_asked_between_commas_is_a_question_of_their_words(engine, question):
    """", in the EU leader's view," names whose words answer, as "according to Michel" does:
    his quote "Real progress depends on ...", not a sentence that merely names him."""
    ans = engine.ask(question, 3)
    assert ans.answered and "Real progress depends on" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "What did Azerbaijan turn down?",
    "What appeal from Moscow did Baku turn down?",
    "Which government spurned Moscow's appeals?",
    "Which state spurned Moscow's most recent appeals to restore unhindered transit through the Lachin "
    "corridor?",
])
def test_a_refusal_in_other_words_is_the_act_of_rejecting(engine, question):
    """"turn down", "spurn": what was rejected, "Azerbaijan has rejected Russia's latest calls
    ...", not a sentence that only shares the country's name."""
    ans = engine.ask(question, 3)
    assert ans.answered and "Azerbaijan has rejected Russia’s latest calls" in ans.hits[0].highlight


@pytest.mark.parametrize("question", [
    "What did the summit host call on both leaders to do?",
    "What did the host of the talks call on both leaders to do?",
])
def test_the_host_asked_by_the_meeting_hosted_is_who_the_article_says_hosted(engine, question):
    """"the host of the talks" is "the summit host": Michel, whose urging answers, not the
    sentence that says he hosted."""
    ans = engine.ask(question, 3)
    assert ans.answered and "urged them to “take further courageous steps" in ans.hits[0].highlight
