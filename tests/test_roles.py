"""A person's office asked for ("What post does Michel hold?"), answered where the article names
them by it, which the quote index knows (engine.py, quotes.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from retrieval.config import Settings
from retrieval.engine import Engine
from retrieval.quotes import parse_role_question


@pytest.fixture(scope="module")
def engine(seeds_dir: Path, vectors_dir: Path) -> Engine:
    e = Engine(Settings(seeds=seeds_dir, vectors=vectors_dir))
    e.load()
    return e


@pytest.mark.parametrize(("question", "person"), [
    ("What is Charles Michel's official title?", "Charles Michel"),
    ("What post does Michel hold?", "Michel"),
    ("What is Charles Michel's formal title?", "Charles Michel"),  # any such adjective
    ("What full title does Michel hold?", "Michel"),
    ("what position did the Armenian Prime Minister have?", None),  # no person named
    ("What is the title of the report?", None),
    ("What did Michel say?", None),
    ("Which EU body does Charles Michel head?", "Charles Michel"),  # the body a person leads
    ("What institution is Michel in charge of?", "Michel"),
    ("Which body does the Armenian Prime Minister lead?", None),  # a description: search answers
    ("Michel is the president of which EU institution?", "Michel"),
    ("Charles Michel heads which EU institution?", "Charles Michel"),  # the person first
    ("Michel's title?", "Michel"),  # in two words
    ("The Lachin corridor's role?", None),
    ("What post does Charles Michel hold, as described in the article?", "Charles Michel"),  # where to look
    ("What institution does Charles Michel head, as the piece describes it?", "Charles Michel"),
    ("What is Charles Michel's official job title?", "Charles Michel"),  # a compound office
    ("What institutional post does Michel hold?", "Michel"),
    ("What formal role does Charles Michel hold within the EU institutions?", "Charles Michel"),  # where held
    ("What position does Armenia hold on the talks?", None),  # a stance, not an office
    ("Which EU office does Charles Michel occupy?", "Charles Michel"),  # where the office is, first
    ("What is Michel's official European role?", "Michel"),
])
def test_role_questions_are_told_from_others(question, person):
    assert parse_role_question(question) == person


def test_an_office_named_only_by_description_is_found(engine):
    ans = engine.ask("What post does Charles Michel hold?", 3)
    assert ans.answered and ans.kind == "passages"
    assert "added the president of the European Council" in ans.hits[0].highlight
    assert [h.rank for h in ans.hits] == list(range(1, len(ans.hits) + 1))
    assert all(h.citation.startswith(f"[{h.rank}] ") for h in ans.hits)
    assert len({h.passage_id for h in ans.hits}) == len(ans.hits)


def test_an_office_asked_as_the_article_describes_it_is_found_in_the_description(engine):
    """", as the piece describes it" says where to look, not what is asked."""
    ans = engine.ask("What institution does Charles Michel head, as the piece describes it?", 3)
    assert ans.answered and "the EU’s top decision-making body" in ans.hits[0].highlight


def test_an_office_asked_with_where_it_is_is_found_in_the_description(engine):
    ans = engine.ask("What European post does Charles Michel occupy?", 3)
    assert ans.answered and "the president of the European Council" in ans.hits[0].highlight


def test_the_body_a_person_leads_is_found_in_their_description(engine):
    ans = engine.ask("Which European body does Charles Michel lead?", 3)
    assert ans.answered and "the president of the European Council" in ans.hits[0].highlight


def test_the_description_must_not_be_the_name(engine):
    quotes = engine.quotes
    assert [q["speaker_as_written"] for q in quotes.by_description("Michel")] == \
        ["the president of the European Council"]
    assert quotes.by_description("Ani Badalyan") == []  # "the ministry spokeswoman, Ani Badalyan"


def test_the_body_led_by_the_host_is_found_in_the_hosts_description(engine):
    """"Which institution does the Brussels host of the talks lead?": the host is whom the article
    says hosted ("hosted by ..., Charles Michel"), and his body is in his description."""
    ans = engine.ask("Which institution does the Brussels host of the talks lead?", 3)
    assert ans.answered and "the president of the European Council" in ans.hits[0].highlight


def test_without_such_a_description_search_answers(engine):
    ans = engine.ask("What position does Nikol Pashinyan hold?", 3)
    assert ans.answered and "Armenian Prime Minister Nikol Pashinyan" in ans.hits[0].highlight


# --- the holder of a role ("Who is the spokesperson for ...?") ------------------------------


@pytest.mark.parametrize(("question", "role"), [
    ("Who is the spokeswoman of the Armenian Foreign Ministry?", "spokeswoman"),
    ("Who speaks for the Armenian government?", "spokesman"),  # any of the family
    ("Who speaks on behalf of Armenia's foreign ministry?", "spokeswoman"),
    ("Who officially speaks for the ministry?", "spokesperson"),
    ("Who serves as spokesperson for Armenia's Foreign Ministry?", "spokeswoman"),
    ("Who currently heads the de facto leadership of Nagorno-Karabakh?", "leader"),  # its head
    ("Who is Armenia's foreign minister?", "minister"),
    ("Who is the EU's top official?", "officials"),
    ("Who was the host of the talks?", None),
    ("who's the spokesperson for armenia's foreign ministry", "spokeswoman"),  # as readers type it
    ("Who said the ministry spokeswoman was right?", None),
    # a body's stated position is its spokesperson's to give; a person's own view is not
    ("Who conveyed the Armenian Foreign Ministry's stance?", "spokeswoman"),
    ("Who relays the views of the Azerbaijani government to the press?", "spokesman"),
    ("Who voiced Pashinyan's position?", None),
    ("Who expressed the view that Baku was emboldened?", None),
])
def test_the_role_a_question_asks_the_holder_of(question, role):
    from retrieval.features import asked_role

    got = asked_role(question)
    assert (got is None) if role is None else bool(re.fullmatch(got, role))


def test_a_role_holder_is_named_beside_the_role_and_not_qualified_by_another_name():
    from retrieval.features import asked_role, holds_role

    spokes = asked_role("Who speaks for them?")
    assert holds_role("“Follow this line,” the ministry spokeswoman, Ani Badalyan, said.", spokes)
    assert holds_role("Ani Badalyan, the ministry's spokeswoman, said so.", spokes)
    assert not holds_role("The spokeswoman met Ani Badalyan later that day.", spokes)
    president = asked_role("Who is the president of Karabakh?")
    assert holds_role("Azerbaijani President Ilham Aliyev met him.", president, ["azerbaijan"])
    assert not holds_role("Azerbaijani President Ilham Aliyev met him.", president, ["karabakh"])
    minister = asked_role("Who is the prime minister of Armenia?")
    assert holds_role("He met Armenian Prime Minister Nikol Pashinyan.", minister, ["armenia"])
    head = asked_role("Who is the head of the EU?")
    assert holds_role("European Union head Charles Michel said", head, ["eu"])


def test_a_role_qualified_by_a_names_first_word_is_that_names(engine):
    """"the European official" is "the European Union's top official, Charles Michel" (the first
    word of the qualifier's name), not a "Union" official; what he noted is his."""
    from retrieval.features import role_holder

    s = "talks hosted by the European Union’s top official, Charles Michel."
    assert role_holder(s, "official|top\\s+official", ["european"]) == "Charles Michel"
    assert role_holder(s, "official|top\\s+official", ["union"]) is None
    ans = engine.ask("What readiness on Baku's part did the European official say he had taken note of?")
    assert ans.answered and "noted Azerbaijan’s willingness" in ans.hits[0].highlight


def test_a_spokeswoman_is_found_where_the_sentence_before_names_her_ministry(engine):
    # "The Armenian Foreign Ministry pointed to ... 'Other ...,' the ministry spokeswoman, Ani Badalyan, said"
    ans = engine.ask("Who is the spokeswoman of Armenia's Foreign Ministry?")
    assert ans.answered and "Ani Badalyan" in ans.hits[0].highlight
    other = engine.ask("Who is the spokesperson of Russia's Foreign Ministry?")
    assert not other.answered or "Badalyan" not in other.hits[0].highlight


def test_who_speaks_on_behalf_of_a_ministry_is_its_spokeswoman(engine):
    ans = engine.ask("Who speaks on behalf of Armenia's foreign ministry?", 3)
    assert ans.answered and "Ani Badalyan" in ans.hits[0].highlight


def test_two_questions_asked_as_one_are_answered_by_the_first_when_the_whole_is_not(engine):
    ans = engine.ask("What post does Charles Michel hold, and how is that body described?", 3)
    assert ans.answered and "the president of the European Council" in ans.hits[0].highlight
    assert ans.question == "What post does Charles Michel hold, and how is that body described?"
    # the office path takes the first question too ("office" sends the whole to another answer)
    ans = engine.ask("What office does Charles Michel hold, and how is that body described?", 3)
    assert ans.answered and "the president of the European Council" in ans.hits[0].highlight
    # a future first question still abstains
    assert not engine.ask("When and where is the next Aliyev–Pashinyan meeting scheduled?", 3).answered


def test_who_heads_a_body_the_article_names_no_head_of_abstains(engine):
    assert not engine.ask("Who currently heads the de facto leadership of Nagorno-Karabakh?", 3).answered
    ans = engine.ask("Who leads Armenia?", 3)
    assert ans.answered and "Pashinyan" in ans.hits[0].highlight


def test_a_place_and_a_date_asked_together_are_answered_by_the_part_that_can_be(engine):
    ans = engine.ask("In what city and on what date did the most recent three-way summit take place?", 3)
    assert ans.answered and "July 15" in ans.hits[0].highlight


@pytest.mark.parametrize(("question", "answered"), [
    # the article names Azerbaijan's president and Armenia's prime minister, and Karabakh's
    # leadership but no leader of it: "Armenian Prime Minister" and "the three leaders" are others
    ("Who leads the ethnic Armenian administration in Karabakh?", False),
    ("who is the current president of the karabakh authorities", False),
    ("Who commands the Russian peacekeeping mission in Karabakh?", False),
    ("Who is Azerbaijan's president?", True),
    ("Who is the spokeswoman of Armenia's Foreign Ministry?", True),
])
def test_a_role_is_held_only_by_whom_the_article_names_in_it(engine, question, answered):
    from retrieval.features import asked_role, question_names, role_qualified

    assert engine.ask(question).answered is answered
    role = asked_role(question)
    assert not role_qualified("Opposition leaders claim so.", role, question_names(question))


def test_a_role_is_qualified_by_the_questions_names_or_a_body():
    from retrieval.features import role_qualified

    heads = "heads?|leaders?|presidents?"
    assert role_qualified("Azerbaijani President Ilham Aliyev met him.", heads, ["azerbaijan"])
    assert role_qualified("added the president of the European Council", heads, ["european", "council"])
    assert not role_qualified("with European Union head Charles Michel", heads, ["karabakh"])
    assert role_qualified("the ministry spokeswoman, Ani Badalyan, said", "spokeswoman", ["armenia"])


def test_an_office_no_quote_gives_is_read_where_the_name_carries_it(engine):
    """"What is Pashinyan's occupation?": no quote of his is attributed by his office, but the
    article names him by it ("Armenian Prime Minister Nikol Pashinyan"); that sentence answers,
    while one only about him ("Pashinyan charged ...") does not. A party he leads, which the
    article never names, still abstains."""
    from retrieval.features import titles

    assert titles("a meeting with Armenian Prime Minister Nikol Pashinyan", "Nikol Pashinyan")
    assert titles("the ministry spokeswoman, Ani Badalyan, said", "Ani Badalyan")
    assert titles("Ani Badalyan, the ministry's spokeswoman, said", "Badalyan")
    assert not titles("Pashinyan charged earlier this month that ...", "Pashinyan")
    ans = engine.ask("What is Nikol Pashinyan's occupation?", 3)
    assert ans.answered and "Prime Minister Nikol Pashinyan" in ans.hits[0].highlight
    assert not engine.ask("Which political party does Pashinyan lead?", 3).answered


def test_who_gave_a_bodys_position_is_its_spokesperson(engine):
    """"Who conveyed Yerevan's diplomatic stance, and where?": the ministry spokeswoman named
    beside her words ("..., the ministry spokeswoman, Ani Badalyan, said in a Twitter post"),
    not the sentence that names the ministry most often."""
    ans = engine.ask("Who conveyed Yerevan's diplomatic stance, and where?", 3)
    assert ans.answered and "Ani Badalyan" in ans.hits[0].highlight
