"""Features for ranking candidate sentences and for deciding whether to answer at all.

The ranker scores every sentence of every candidate passage with a linear model over
general signals: dense and BM25 similarity of the sentence and of its passage, how much of
the question's wording and names the sentence holds, and whether the sentence holds the
kind of thing the question asks for (a date for "when", a number for "how many", a name
for "who", a reason for "why"). Weights are learned from the gold sets by
`benchmarks/train_ranker.py` and stored as JSON beside this module.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .documents import BYLINE as _BYLINE
from .documents import DATELINE_PREFIX
from .gazetteer import CAPITAL_OF, CAPITALS, STANDS_FOR
from .speakers import PERSON_TITLES, person_names

WEIGHTS = Path(__file__).with_name("ranker.json")

SENTENCE_FEATURES = [
    "s_dense", "s_dense_norm", "s_bm25_norm", "p_dense", "p_dense_norm", "p_bm25_norm",
    "s_coverage", "p_coverage", "s_names", "p_names",
    "who_x_name", "when_x_date", "quantity_x_number", "where_x_place", "why_x_cause",
    "s_log_len", "s_soft", "s_soft_norm", "s_synonyms", "s_cover_synonyms",
    "prev_dense", "prev_names",
]
ANSWER_FEATURES = [
    "top_score", "top_s_dense", "top_p_dense", "top_s_coverage", "top_p_coverage",
    "unknown_names", "unknown_words", "margin",
]

# --- question types --------------------------------------------------------------------

_QTYPES = [
    # "On what exact day ...?": a date however qualified
    ("when", re.compile(r"^(when|(on |in )?(what|which) ((exact|precise|specific|particular) )?"
                        r"(date|day|month|year|time)|how long ago|since when)\b", re.I)),
    ("quantity", re.compile(r"^(how (many|much|big|large|long|far|old|often)|"
                            # ("What is the current exchange rate ...?": two words after "the" before what is
                            # measured; "What did the total agreement say?" asks no quantity)
                            r"what (is |was |were |are )?(the ([\w'’-]+ ){0,2}|([\w'’-]+ )?)"
                            r"(number|size|area|percentage|share|amount|total|toll|figure|count|population|length|"
                            r"distance|budget|sum|tonnage|rate|price|cost)s?|"
                            r"(for |over )?what (length of time|duration|span of time)|"
                            r"what percentage)\b", re.I)),
    ("who", re.compile(r"^(who|whom|whose|which (person|official|leader|minister|analyst|spokes\w+|"
                       r"president|politician|man|woman|country|organi[sz]ation|body|outlet|agency|court"
                       r"|news))\b", re.I)),
    ("where", re.compile(r"^(where|(in |at |from )?(which|what) (city|country|town|place|region|capital|"
                         r"village|venue|location))\b", re.I)),
    ("why", re.compile(r"^(why|what (caused|triggered|prompted|led to|is the reason|was the reason|reason)|"
                       r"for what reason|how come|"
                       r"(on )?what (grounds|basis) (did|does|do|is|was|are|were|has|have|had)|"
                       r"what (is|was|are|were) the (grounds|justification|rationale|motive)s? (for|behind)|"
                       r"what (justification|rationale))\b", re.I)),
]


# A question about the story itself: where it was filed from, by which agency. News puts that
# in the dateline ("YEREVAN (Azatutyun) — ..."), which no other sentence restates.
# "this story", "the news report", "this Lachin corridor article": a few words may say which
_STORY = r"(this|the)( (?!(?:the|an?|this|that|in|on|of|by|to|for|about|from)\b)[\w-]+){0,3}? " \
    r"(story|report|article|dispatch|piece)"
_PLACE_ASKED = r"(city|town|place|country|capital|location)"
_DATELINE_Q = re.compile(
    r"\bdatelin|"
    # "From which city was this report filed?", "What town is the article written from?"
    rf"\b(which|what) {_PLACE_ASKED}\b.{{0,20}}\b{_STORY}\b.{{0,20}}\b(filed|written|reported|sent|"
    r"produced|datelined)\b|"
    rf"\bwhere did {_STORY} (come|originate) from\b|\bwhere (was|is) {_STORY} based\b|"
    r"\b(which|what) (news |wire )?(service|agency|outlet)\b.{0,30}\b(filed|wrote|reported|produced|"
    r"published|source)|"
    rf"\b{_STORY}\b.{{0,40}}\b(filed|written|reported|come|came)\b.{{0,12}}\bfrom\b|"
    rf"\bwhere (was|is|were) {_STORY}\b.{{0,30}}\b(filed|written|reported|from)\b|\bsource of {_STORY}",
    re.I)


def asks_for_dateline(question: str) -> bool:
    """Whether the question asks where (or by which agency) the story was filed."""
    return bool(_DATELINE_Q.search(question))


# A question about who wrote the story: its byline answers it ("By A and B"), which no
# other sentence restates. "Who wrote the letter?" is about the story's content, not this.
_WRITER = r"(authors?|writers?|reporters?|journalists?|correspondents?)"
_BYLINE_Q = re.compile(
    r"\bbylines?\b|"
    rf"\bwho (wrote|authored|penned|reported|filed|compiled|produced|is behind|was behind)( (this|the|that))?"
    rf"( {_STORY})?\s*[?.!]*$|"
    rf"\bwho (wrote|authored|penned|reported|filed|compiled|produced)\b.{{0,20}}\b{_STORY}|"
    rf"\b{_WRITER}\b.{{0,25}}\b(of|behind|for|wrote|authored|penned|filed|compiled|produced|writing|reporting|"
    rf"covering|authoring|compiling|producing) {_STORY}|"
    rf"\b{_STORY}\b.{{0,25}}\b(written|authored|penned|reported|filed|compiled|produced|bylined) by\b|"
    rf"\bwho (is|are|was|were) the {_WRITER}\s*[?.!]*$|"
    rf"\b{_WRITER} ((is|are|was|were) )?(credited|listed|named) (with|for|on|in) {_STORY}|"
    rf"\bwho (is|are|was|were|gets?|got) (credited|the credit)\b.{{0,25}}\b{_STORY}|"
    r"\bwhose (story|report|article|dispatch|piece) is (this|it)\b|\bwho wrote it\s*[?.!]*$|"
    # "Which two journalists put this report together?", "Who put together the story?"
    rf"\b(who|{_WRITER})\b.{{0,25}}\b(put|pieced|prepared|assembled|wrote|compiled)( together)? {_STORY}"
    r"( together)?\s*[?.!]*$",
    re.I)


def asks_for_byline(question: str) -> bool:
    """Whether the question asks who wrote the story."""
    return bool(_BYLINE_Q.search(question.strip()))


# "When was the photo taken?": the photo caption answers it, which no other sentence restates.
# The story's photo is a definite one ("the photo", "this picture", "the photo at the top");
# "my photos" or "photos of cats" are the asker's or anyone's, which the caption cannot answer.
_PHOTO_Q = re.compile(r"\b(the|this|that|its|story’s|story's|article’s|article's)\s+([\w-]+\s+){0,2}?"
                      r"(photo|photograph|picture|image|caption)s?\b|\bpictured\b", re.I)


def asks_about_photo(question: str) -> bool:
    """Whether the question asks about the story's photo (what, where or when it shows), not
    about photos in general."""
    return bool(_PHOTO_Q.search(question))


# "Which outlet did Grigoryan speak to?": news names the outlet in its attribution ("...,"
# Grigoryan told RFE/RL's Armenian Service), the end of a sentence that a long quote fills.
_OUTLET = (r"outlet|newspaper|paper|agency|broadcaster|channel|medium|platform|service|radio|station|"
           r"publication|media|"
           r"network|website|magazine|programme|program|show|television|tv")
_MEDIUM = re.compile(r"\b(?:Twitter|Facebook|Telegram|Instagram|YouTube|tweet(?:ed)?|social media|blog|"
                    r"website|video (?:message|address)|press conference|briefing)\b", re.I)
# outlets spoken through: a Twitter post is one; a channel may be one spoken to too ("Grigoryan
# told RFE/RL"), a medium or platform not
_SPOKEN_THROUGH = frozenset({"medium", "platform"})
_THROUGH_OUTLETS = _SPOKEN_THROUGH | {"channel"}
_OUTLET_Q = re.compile(
    rf"\b(which|what) ([\w-]+ ){{0,2}}({_OUTLET})\b.{{0,60}}\b(speak|spoke|talk|talked|give|gave|tell|told|"
    r"comments?|commented|interview|interviewed|remarks?|statements?|quoted?|carried|cited|"
    # "Through which broadcaster did Grigoryan convey his critique?"
    r"conveys?|conveyed|voiced?|shared?|disseminated?|aired?|expressed|delivered?|publici[sz]ed?|"
    r"critiques?|criticism|assessment|analysis|views?)\b", re.I)
_TO_WHOM_Q = re.compile(
    r"\b(to whom|who) did .{1,40}\b(speak|talk|tell|give (his|her|their) (comments|remarks|interview))\b",
    re.I)
_TOLD = (r"(told|telling|said to|speaking to|spoke to|talking to|talked to|in an interview with|"
         r"interviewed by|in comments to|quoted by)\s+(the\s+)?[A-Z]")
_ADDRESSED = re.compile(rf"\b{_TOLD}")


def asks_for_addressee(question: str) -> bool:
    """Whether the question asks whom (which outlet) someone spoke to."""
    m = _OUTLET_Q.search(question)  # ("Through what medium ...?" asks what was spoken through)
    return bool(m and m.group(3).lower() not in _SPOKEN_THROUGH or _TO_WHOM_Q.search(question))


def asks_outlet(question: str) -> str | None:
    """The word for an outlet a question asks someone spoke to or through ("Which newspaper did
    she speak to?" -> "newspaper"), or None ("Which agency in Baku issued the statement?" asks
    for a government agency)."""
    m = _OUTLET_Q.search(question)
    return m.group(3).lower() if m and not asked_body(question) else None


def asks_medium(question: str) -> bool:
    """Whether the question asks through what someone spoke ("Through what medium did she make her
    remark?"), which a post or a broadcast names."""
    return asks_outlet(question) in _THROUGH_OUTLETS


def names_medium(sentence: str) -> bool:
    """Whether the sentence names a medium spoken through ("in a Twitter post")."""
    return bool(_MEDIUM.search(sentence))


def names_an_addressee(sentence: str, speaker: str = "") -> bool:
    """Whether the sentence says whom it was told to ("X told Reuters", "in an interview with the
    BBC"); with `speaker`, whom that speaker told it to ("Grigoryan told ...", not "[by Michel]
    ... Grigoryan told ...")."""
    if not speaker:
        return bool(_ADDRESSED.search(sentence))
    return bool(re.search(rf"\b{re.escape(speaker)}\w*[’']?s?\b[^“”\"]{{0,40}}\b{_TOLD}", sentence, re.I))


# "Besides the ICJ, has any other court ...?": the answer is something other than what follows
_EXCEPT = re.compile(
    r"(?i:\b(?:besides|apart from|aside from|other than|except(?: for)?|in addition to|not counting|"
    # "Did any other court rule on it before the ICJ?": the ICJ is the one set aside
    r"(?:other|another)\b[^?]{0,60}?\b(?:before|after|beside|alongside|as well as|like)))\s+"
    r"(?i:(?:the\s+|an?\s+)?)(?P<x>[A-Z][\w’'-]*(?:\s+(?:(?:of|for|on)\s+(?:the\s+)?)?[A-Z][\w’'-]*)*)")


_ACT_Q = re.compile(
    r"^who(?:['’]s| is| was| are| were) (?:the|a|an) (?P<noun>[a-z]+) (?:of|for|behind|at|in)\b|"
    # "Who acted as host of the talks?", "Who played host to them?": the role taken is the act
    r"^who\s+(?:(?:acted|served|stood|was|were)\s+as|play(?:ed|s)?(?:\s+the\s+(?:role|part)\s+of)?)\s+"
    r"(?:the\s+|a\s+|an\s+)?(?P<role>(?!(?:the|a|an)\b)[a-z]+)\b(?!\s+(?:part|role)\b)|"
    # "Which individual acted as convenor of the talks?": the same, after the kind asked for
    r"^(?:which|what)\s+(?:[\w-]+\s+){1,2}?(?:acted|served|stood)\s+as\s+(?:the\s+|a\s+|an\s+)?"
    r"(?P<role_of>[a-z]+)\b|"
    r"^who(?:m)?\s+(?:(?:has|have|had|did|does|do|will|would)\s+)?(?P<verb>[a-z]+)\b|"
    # "Which EU official hosted the talks?": a past-tense verb right after the kind asked for
    r"^(?:which|what)\s+(?!(?:[\w-]+\s+){0,2}?(?:is|are|was|were|has|have|had|did|does|do)\b)"
    # (irregular pasts too, but not light verbs: "put out" and "took part" say little alone)
    r"(?:[\w-]+\s+){1,3}?(?P<past>[a-z]+ed|brought|sent|began|won|led|drew|struck|sought|fought|built|"
    r"lost|met|paid|broke|chose|spoke|wrote)\b|"
    # "Which groups have condemned ...?": the same, after "has" or "have"
    # ("Which domestic and enclave actors have condemned ...?": four words)
    r"^which\s+(?:[\w-]+\s+){1,4}?(?:has|have|had)\s+(?P<perfect>[a-z]+ed)\b|"
    # "Whose appeals did Azerbaijan turn down?": the owner of what the one-word subject acted on
    # ("Which country's calls ...?" asks the same)
    r"^(?:whose|(?:which|what)\s+(?:[\w-]+\s+)?[\w-]+['’]s)\s+(?:[\w'’-]+\s+){1,8}?(?:did|does|do|has|have|had)\s+(?:the\s+)?(?-i:[A-Z])[\w-]*"
    # ("the Azerbaijani government": a country's government or side acts as it does)
    r"(?:\s+(?-i:[A-Z])[\w-]*)?(?:\s+(?:government|authorities|leadership|side))?\s+(?P<whose>(?-i:[a-z]+))\b",
    re.I)
_NO_ACT = frozenset("is was are were be been being said say says told tell tells stated state "
                    "think thinks thought mentioned according also else exactly".split())
# "Who took part ...?": a light verb says little alone ("took place" is no taking part)
_LIGHT_ACT = re.compile(r"^\W*who\s+(?:(?:has|have|had|did|does|do|will|would)\s+)?"
                        r"(?:took|take|takes|taking|taken)\s+part\b", re.I)


def asked_act(question: str) -> str | None:
    """The word saying what the person asked for did ("Who hosted the talks?" -> "hosted",
    "Who was the host of the talks?" -> "host", "Which EU official hosted ...?" -> "hosted");
    None for an office asked for ("Who is the president of ...?", the role holder's
    question), what someone said (the quote index's), or no act."""
    m = _ACT_Q.search(question.strip())
    if not m or asked_role(question) or _LIGHT_ACT.match(question):
        return None
    groups = ("role", "role_of", "verb", "noun", "past", "perfect", "whose")
    word = next(w for g in groups if (w := m.group(g)))
    return None if word.lower() in _NO_ACT else word


# "Which Russian government body voiced alarm ...?": the answer is a body the article names
# with that qualifier ("the Russian Foreign Ministry"), not any sentence about Russia
_BODY_NOUNS = (r"(?:body|bodies|organs?|ministry|ministries|institutions?|agency|agencies|departments?|"
               r"organi[sz]ations?|office|authority|authorities|service)")
_BODY_Q = re.compile(
    r"^\W*(?i:which|what)\s+(?:(?P<qual>[A-Z][\w-]*)\s+"
    r"(?:(?:government|governmental|state|official|foreign|diplomatic)\s+)?" + _BODY_NOUNS + r"\b|"
    # "Which body in Azerbaijan ...?", "Which organ of the Azerbaijani state ...?": the same, after it
    r"(?:(?:government|governmental|state|official)\s+)?" + _BODY_NOUNS + r"\s+(?:in|of|from)\s+(?:the\s+)?"
    r"(?P<after>[A-Z][\w-]*)(?:\s+(?:state|government))?\b(?!['’]s))")


def asked_body(question: str) -> str | None:
    """The qualifier of a body asked for ("Which Azerbaijani government body ...?" ->
    "Azerbaijani"), or None."""
    m = _BODY_Q.match(question)
    if not m:
        return None
    qual = m.group("qual") or m.group("after")
    return STANDS_FOR.get(qual, qual)  # "Which body in Baku ...?": Azerbaijan's


def names_body(sentence: str, qual_stem: str, stem) -> bool:
    """Whether the sentence names a body by a word of the qualifier's stem followed by a
    capitalised name ("Russian Foreign Ministry" for "Russian"; not "Russia's latest calls")."""
    for m in re.finditer(r"\b([A-Z][\w-]*)(?:’s|'s)?\s+(?:[a-z]+\s+)?([A-Z][\w-]*)", sentence):
        if stem([m.group(1).lower()])[0] == qual_stem:
            return True
    return False


# "Armenia's position on having troops in Karabakh?": a stance asked, which may be a response
_STANCE_ON = r"\b(stance|position|line)\s+(on|regarding|about|toward|towards)\b"
# "How did Armenia respond to the claims?": the answer is the response itself ("strongly denied by
# Armenia", "dismissed those concerns"), not the sentence restating what it answered
_RESPONSE_Q = re.compile(r"\b(how|what)\b.{0,60}\b(respond(ed)?|react(ed)?|repl(y|ied)|response|reaction|"
                         r"answer(ed)?)\b(?! by)|"
                         # "What is Armenia's stance on accusations that ...?": its answer to them
                         rf"{_STANCE_ON}\s+(the\s+)?(\w+\s+){{0,2}}?"
                         r"(accusations?|claims?|allegations?|charges?)\b", re.I)
_STANCE_Q = re.compile(_STANCE_ON, re.I)
RESPONSE_WORDS = ("deny", "denied", "dismiss", "reject", "rebuff", "refute", "welcome", "accept", "condemn",
                  "denounce", "counter", "retort", "shrug", "brush")
# "What triggered the ministry's statement?": what it reacted to ("Baku reacted to Saturday's
# statement by ..."), not the statement itself
_TRIGGER_Q = re.compile(r"\b(what|which)\b.{0,30}\b(trigger(ed|s)?|prompt(ed|s)?|spark(ed|s)?|"
                        r"provok(ed|es))\b", re.I)
TRIGGER_WORDS = ("reacted", "response", "prompted", "triggered", "following", "sparked")
# what gives a reason ("It accused the peacekeepers of ...", "..., saying that ..."), and a
# purpose that already answers why ("... to ensure the needs ... are met")
_REASON = re.compile(r"\b(saying|accused\b.{0,80}\bof|because|designed to|due to|as a result|"
                     r"in order to|citing|blamed\b.{0,80}\bfor)\b", re.I)
_PURPOSE = re.compile(r"\b(to (ensure|prevent|avoid|allow|help|facilitate|protect|guarantee|secure|stop|"
                      r"keep)|so that|so as to)\b", re.I)


# "Why is the Lachin corridor so important for Karabakh?" is answered by what it is to it,
# "Karabakh's only land link with Armenia": the words that say a thing is the one it needs
_IMPORTANCE_Q = re.compile(r"\bwhy\b.{0,60}\b(important|crucial|vital|significant|essential|critical|"
                           r"matters?|key)\b|\bwhat makes\b.{0,60}\b(important|crucial|vital|significant|"
                           r"essential|critical|matter)\b|\b(importance|significance)\b", re.I)
_ESSENTIAL = re.compile(r"(?<!\bnot )\b(only|sole|main|vital|crucial|essential|lifeline|key|critical|"
                        r"primary)\b", re.I)


# "What did Michel say he urged Aliyev and Pashinyan to do?": urged both, so "He said he urged
# them to ..." answers, not "urging Aliyev to reopen the Lachin corridor", which asked one
_URGE = (r"(?:urg(?:e|ed|es|ing)|press(?:ed|es|ing)?|ask(?:ed|s|ing)?|call(?:ed|s|ing)? on|"
         r"t(?:ell|old|ells|elling)|encourag(?:e|ed|es|ing)|push(?:ed|es|ing)?|appeal(?:ed|s|ing)? to)")
_MANY = r"(?:them|both|the two \w+|the (?:leaders|sides|parties|presidents|countries)|\w+ and \w+)"
_URGED_MANY_Q = re.compile(rf"\b{_URGE}\s+(?:the\s+)?(?:[\w-]+\s+){{0,3}}?(?:\w+ and \w+|them|both|two|"
                           rf"leaders|sides|parties|presidents|countries)(?:\s+\w+)?\s+to\b", re.I)
_URGED_MANY = re.compile(rf"\b{_URGE}\s+{_MANY}\s+to\b", re.I)


def asks_urged_many(question: str) -> bool:
    """Whether the question asks what several were urged to do."""
    return bool(_URGED_MANY_Q.search(question))


def urges_many(sentence: str) -> bool:
    """Whether the sentence urges several ("urged them to", "urged Aliyev and Pashinyan to")."""
    return bool(_URGED_MANY.search(sentence))


# "Who took part in the trilateral talks?": the answer names the several who did ("Pashinyan and
# Azerbaijani President Ilham Aliyev met in Brussels ..."), not one of them speaking of it
_PARTICIPANTS_Q = re.compile(r"^\W*(?:who|which \w+)\s+(?:took part|participated|attended|joined|"
                             r"were (?:at|in|present)|met)\b", re.I)


def asks_participants(question: str) -> bool:
    """Whether the question asks who took part in something."""
    return bool(_PARTICIPANTS_Q.search(question))


def names_several(sentence: str) -> bool:
    """Whether the sentence names two people or more."""
    return len(set(person_names(sentence))) >= 2


def asks_importance(question: str) -> bool:
    """Whether the question asks why something matters (what it is to someone)."""
    return bool(_IMPORTANCE_Q.search(question))


def tells_importance(sentence: str) -> bool:
    """Whether the sentence calls something the only, main or vital one ("not only" does not)."""
    return bool(_ESSENTIAL.search(sentence))


# "What humanitarian consequence has the closure had?", "What has the blockade caused?": the
# answer is the sentence saying what it led to ("which has led to a serious humanitarian crisis"),
# not one that shares the topic's words; "What caused ...?" asks the cause, which is left be
_CONSEQUENCE_Q = re.compile(r"\b(?:consequences?|effects?|impacts?|toll|(?<!\bwhat )(?<!\bwho )caused|"
                            r"led to|resulted in|brought about|how bad)\b|"
                            # "What has the closure meant for the territory?", "... produced in ...?"
                            r"^\W*what (?:has|have|had|did|does) (?:the|this|that|its|[\w-]+['’]s) "
                            r"(?:[\w-]+ ){0,4}?"
                            r"(?:meant for|produced|brought|done to|caused)\b", re.I)
_LED_TO = re.compile(r"\b(?:led to|leading to|lead to|leads to|resulted in|results in|resulting in|"
                     r"caus(?:ed|es|ing)|triggered|sparked|consequences?)\b", re.I)


def asks_consequence(question: str) -> bool:
    """Whether the question asks what something led to."""
    return bool(_CONSEQUENCE_Q.search(question))


def tells_consequence(sentence: str) -> bool:
    """Whether the sentence says what something led to or would lead to."""
    return bool(_LED_TO.search(sentence))


# "How did Michel weigh the Lachin and Aghdam routes against each other?", "What did he say about
# the two routes?": a question on a pair is answered by the sentence on both ("I see both options
# as important"), not the one naming each ("urging Aliyev to reopen the Lachin corridor he noted
# ... via Aghdam"); "in both directions" is no pair of things
_PAIRED_THINGS = (r"(?:routes?|options?|roads?|corridors?|proposals?|alternatives?|channels?|approaches|"
                  r"plans?)")
_PAIR_Q = re.compile(r"\b(?:both|either|each other|one another|versus|vs)\b|\bthe two\b|"
                     # "Did Michel favour one route over the other?"
                     r"\bone\b[^?]{0,60}\b(?:over|than|or|to) the other(?:\s+one)?\s*(?:[?,.;]|$)|"
                     rf"\b[A-Z][\w-]+ (?:and|or) (?:the )?[A-Z][\w-]+ (?:[a-z]+ )?{_PAIRED_THINGS}\b|"
                     # "the Lachin route against the Aghdam route"
                     rf"\b[A-Z][\w-]+ {_PAIRED_THINGS} (?:against|over|or|and) (?:the )?[A-Z][\w-]+")
_BOTH = re.compile(r"\b(?:[Bb]oth|[Ee]ither)\s+(?!directions\b)[a-z]+s\b")


# "What did Michel urge both leaders to do?": two people addressed, not two things weighed
_PAIR_OF_PEOPLE = re.compile(r"\b(?:both|the two)\s+(?:[\w-]+\s+)?(?:leaders|sides|parties|presidents|"
                             r"heads|men|countries|governments|capitals|nations|states|officials|delegations)\b",
                             re.I)


def asks_pair(question: str) -> bool:
    """Whether the question asks about two things together."""
    return bool(_PAIR_Q.search(_PAIR_OF_PEOPLE.sub("them", question)))


def tells_both(sentence: str) -> bool:
    """Whether the sentence speaks of both of two things ("both options", "either side")."""
    return bool(_BOTH.search(sentence))


# "Did any other court rule on the corridor?": another of a kind, which news tells as a likeness
# to the first ("The European Court of Human Rights issued a similar order"), not by naming the
# first again
# ("the other" and "one another" point back to something named, not to another of a kind)
_ANOTHER_Q = re.compile(r"\b(?:any|some|which|what)\s+(?:other|second|further)\b|(?<!\bone )\banother\b",
                        re.I)
_LIKENESS = re.compile(r"\b(?:similar|similarly|likewise|(?<!\bbut )also|comparable)\b", re.I)


def asks_another(question: str) -> bool:
    """Whether the question asks for another of a kind without saying which one it sets aside."""
    return bool(_ANOTHER_Q.search(question)) and excluded_topic(question) is None


# "Besides the treaty, which issues were discussed?": the answer adds to what is set aside, and
# news tells an addition by its own words ("not only the would-be treaty but also ...", "as well
# as urging Aliyev to reopen the corridor he noted ...")
_BESIDES_Q = re.compile(r"\b(?:besides|apart from|aside from|in addition to|beyond|other than)\s", re.I)
_ADDITION = re.compile(r"\bnot (?:only|just|merely)\b[^.;]{1,160}?\bbut(?: also)?\b|\bas well as\b|"
                       r"\bin addition to\b|\bbesides\b|\balong with\b|\btogether with\b", re.I)


def asks_besides(question: str) -> bool:
    """Whether the question asks for more than a thing it sets aside ("Apart from the draft
    accord, which subjects ...?")."""
    return bool(_BESIDES_Q.search(question))


def tells_addition(sentence: str) -> bool:
    """Whether the sentence tells of one thing added to another ("not only ... but also")."""
    return bool(_ADDITION.search(sentence))


# "Where exactly is Baku's control post situated?": a place told in detail ("set up at the entry
# of the Lachin corridor, by a bridge across the Hakari river"), over one that only names the
# region the thing is in ("a checkpoint in the Lachin corridor")
_NEAR_WHAT_Q = re.compile(r"\b(?:near|beside|next to|across|along)\s+(?:which|what)\b", re.I)
_LOCATIVE = re.compile(r"\b(?:at|near|across|beside|next to|along|outside|opposite)\s+(?:the|an?)\s+[\w’'-]+",
                       re.I)


def asks_place_of(question: str) -> bool:
    """Whether the question asks where something is ("Where is ...?", "Near which river ...?")."""
    return question_type(question) == "where" or bool(_NEAR_WHAT_Q.search(question))


def tells_place_in_detail(sentence: str) -> bool:
    """Whether the sentence places something by two or more landmarks ("at the entry of ...,
    by a bridge across the ... river")."""
    return len(_LOCATIVE.findall(sentence)) >= 2


def tells_likeness(sentence: str) -> bool:
    """Whether the sentence tells of something as like an earlier one ("a similar order")."""
    return bool(_LIKENESS.search(sentence))


# "How was Michel's mention of Aghdam viewed by Armenian analysts?", "How did critics see it?":
# the answer is the view ("was construed by some Armenian analysts ... as a serious setback")
_VIEW_VERBS = (r"interpret(ed|s)?|view(ed|s)?|see|saw|seen|sees|take|took|taken|takes|receiv(e|ed|es)|"
               r"regard(ed|s)?|perceiv(e|ed|es)|constru(e|ed|es)|read|judg(e|ed|es)|assess(ed|es)?")
VIEW_WORDS = ("interpret", "view", "see", "saw", "take", "took", "receive", "regard", "perceive", "construe",
              "read", "judge", "assess")
_VIEW_Q = re.compile(rf"\bhow\b.{{0,80}}\b({_VIEW_VERBS})\b|\b({_VIEW_VERBS})\b.{{0,80}}\bas (what|which)\b",
                     re.I)
# a passive view, its holders and what they took it for: "was construed by some analysts as ..."
_VIEWED = re.compile(r"\b(?:was|were|is|are|been|being)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn)\s+by\b[^.;]{1,100}?"
                     r"(?<!\bwell )\bas\b(?!\s+well\b)|"
                     # the reporter's own hedged reading: "a Twitter post that may have been a
                     # veiled rebuke"
                     r"\b(?:may|might|could)\s+(?:well\s+)?(?:have\s+been|be)\s+"
                     r"(?:an?|seen\s+as|read\s+as)\s", re.I)


# "michel view on lachin vs aghdam", "Does Michel prefer one route?": a person's own stance,
# which they give in their words ("I see both options as important ...")
_OPINION_Q = re.compile(r"\b(views?|position|stance|opinion|prefer(?:s|red)?|favou?r(?:s|ed)?|take on|"
                        r"weigh(?:s|ed)?|think|thinks|feel|feels)\b", re.I)
_OPINION = re.compile(r"\b(?:see|sees|saw|view|views|regard|regards|consider|considers|find|finds)\b"
                      r"[^.;]{1,40}?\bas\b(?!\s+well\b)|\bI (?:think|believe|feel|consider)\b")


def asks_opinion(question: str) -> bool:
    """Whether the question asks someone's stance on something (in their own words). "In
    Michel's view, what does progress hinge on?" attributes, as "according to" does: it asks
    what he said progress hinges on, not his stance."""
    if not _OPINION_Q.search(_IN_VIEW.sub("", question)) or asks_view(question):
        return False
    reported = re.search(r"['’]s\s+(?:stance|position|views?|opinion)\b", question, re.I) and \
        re.search(r"\b(?:say|said|says|noted?|observed?|took note|taken note)\b", question, re.I)
    return not reported


_IN_VIEW = re.compile(r"\bin (?:the )?(?:[\w’'-]+ ){0,3}?(?:view|opinion|estimation|eyes)"
                      r"(?: of [\w’' -]+?)?,", re.I)


def tells_opinion(sentence: str) -> bool:
    """Whether the sentence gives a stance in the holder's words ("I see both options as important")."""
    return bool(_OPINION.search(sentence))


def asks_view(question: str) -> bool:
    """Whether the question asks how someone took something (what they saw it as)."""
    return bool(_VIEW_Q.search(question))


def tells_view(sentence: str) -> bool:
    """Whether the sentence says who took something as what ("was construed by ... as a
    setback"; "denounced by the opposition as well as ..." says no such thing)."""
    return bool(_VIEWED.search(sentence))


# "Did Azerbaijan agree to Russia's request?": yes or no is how it responded ("Azerbaijan has
# rejected Russia's latest calls ...")
_COMPLIED_Q = re.compile(r"^\W*(did|does|do|has|have|had|will|would|is|was)\b.{0,60}?\b(agree[ds]?|"
                         r"accept(ed|s)?|compl(y|ied|ies)|heed(ed|s)?|consent(ed|s)?|grant(ed|s)?|"
                         r"go along|"
                         # "Does Armenia admit to having troops there?": it admits or denies it
                         r"admit(s|ted)?|acknowledg(e|es|ed)|concede[ds]?)\b", re.I)


def asks_stance(question: str) -> bool:
    """Whether the question asks someone's stance, position or line on something."""
    return bool(_STANCE_Q.search(question))


def asks_response(question: str) -> bool:
    """Whether the question asks how someone responded to something, or whether they complied."""
    return bool(_RESPONSE_Q.search(question) or _COMPLIED_Q.search(question))


def asks_trigger(question: str) -> bool:
    """Whether the question asks what triggered something (which came before it)."""
    return bool(_TRIGGER_Q.search(question))


def gives_reason(sentence: str) -> bool:
    return bool(_REASON.search(sentence))


def gives_purpose(sentence: str) -> bool:
    return bool(_PURPOSE.search(sentence))


# "Of what failings did Baku accuse the peacekeepers?", "To which statement was it a response?":
# a preposition fronted with its question word, which the steps after read at the end
_FRONTED = re.compile(r"^(?P<p>of|to)\s+(?P<rest>(?:what|which)\s+(?!(?:extent|degree)\b).+?)[\s?]*$", re.I)


def preposition_last(question: str) -> str:
    """The question with a fronted "of" or "to" put back after its verb ("Of what did Baku accuse
    them?" -> "What did Baku accuse them of?"), the form the question forms are written for."""
    m = _FRONTED.match(question)
    if not m:
        return question
    rest = m.group("rest")
    return f"{rest[0].upper()}{rest[1:]} {m.group('p').lower()}?"


# the story named as the source ("..., according to the report?", "per the article"): where to
# look, which every answer is; its words would meet "reported" and "According to Aliyev's office"
_STORY = r"(?:the|this)\s+(?:news\s+)?(?:article|report|story|piece|text)(?:\s+from\s+[A-Z]\w*)?"
_SOURCE = (r"(?:(?:according\s+to|per|as\s+(?:described|stated|reported|told|given|named|mentioned|"
           rf"identified|put)\s+(?:in|by))\s+{_STORY}|"
           # "..., as the piece describes it", "as the report puts it"
           rf"as\s+{_STORY}\s+(?:describes|puts|calls|names|gives|states|identifies|reports|has)\s+"
           r"(?:it|him|her|them|this))")
_SOURCE_TAIL = re.compile(rf",?\s+{_SOURCE}\s*(?=[?.!]*\s*$)|^\s*{_SOURCE}\s*,\s*|,\s+{_SOURCE}\s*,", re.I)


def without_source(question: str) -> str:
    """The question without the story named as its source ("What did Azerbaijan reject,
    according to the report?" -> "What did Azerbaijan reject?")."""
    out = _SOURCE_TAIL.sub(lambda m: " " if m.group(0).startswith(",") and m.group(0).rstrip().endswith(",")
                           else "", question)
    if out != question and out[:1].islower():
        out = out[0].upper() + out[1:]
    return " ".join(out.split()) or question


def excluded_topic(question: str) -> str | None:
    """The name the question sets aside ("Apart from the ICJ, which court ...?" -> "ICJ"): a
    sentence about it is the one answer the question rules out."""
    m = _EXCEPT.search(question)
    return m.group("x") if m else None


_HEDGE = r"(roughly|approximately|about|around|exactly|precisely|just|so far)"


def question_type(question: str) -> str:
    q = question.strip().lower()
    q = re.sub(r"^(and|so|but|please|tell me|can you tell me|do you know)\s*,?\s*", "", q)
    # "On which day ...", "In what city ...": the preposition only carries the wh-phrase
    q = re.sub(r"^(on|in|at|from|by|since|until|during|for|to)\s+(?=(what|which)\b)", "", q)
    # "For roughly how long ...?" is "How long ...?"
    q = re.sub(rf"^(for\s+)?({_HEDGE}\s+)?(?=how\b)", "", q)
    for name, rx in _QTYPES:
        if rx.search(q):
            return name
    # "What did the court order, and in which month?": the date is asked too, in the last clause
    if _WHEN_TOO.search(q):
        return "when"
    return "other"


_WHEN_TOO = re.compile(r",\s*and\s+(?:when|(?:in|on)\s+(?:what|which)\s+(?:month|year|date|day))\b[^,]*$")
_WHEN_WORDS = re.compile(r"(,\s*and\s+)(?:in|on)\s+(?:what|which)\s+(?:month|year|date|day)\b(?=[^,]*$)",
                         re.I)


def without_when_asked(question: str) -> str:
    """The question without a last clause's "in which month" ("What did the court order, and in
    which month?"): words naming the kind of answer, which "this month" must not meet."""
    return _WHEN_WORDS.sub(r"\1", question)


# --- sentence attributes ---------------------------------------------------------------

_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
# the same, capitalised as a date writes them ("may" is also a verb)
_MONTH_NAMES = "|".join(m.capitalize() for m in _MONTHS.split("|"))
_DATE = re.compile(rf"\b({_MONTHS})\b|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)\b|"
                   r"\b(1[89]\d\d|20\d\d)\b|\b(last|next|this|earlier this|later this) (week|month|year)\b|"
                   r"\b(yesterday|today|tomorrow)\b", re.I)
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                     r"hundred|thousand|million|billion|dozen|half|single|double)\b", re.I)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)+")
_PLACE = re.compile(r"\b(in|at|from|to|near|via|across)\s+(the\s+)?[A-Z][\w’'-]+")
_CAUSE = re.compile(r"\b(because|due to|since|as a result|in order to|so that|designed to|aimed at|"
                    r"saying that|reflects|accused|over|after|for|reason|ploy|intention|concern)\b", re.I)


@lru_cache(maxsize=200_000)
def sentence_attributes(sentence: str) -> tuple[bool, bool, bool, bool, bool, bool, bool]:
    """(has name, has date, has number, has place, has cause cue, opens with a dateline, is a byline)."""
    return (bool(_NAME.search(sentence)), bool(_DATE.search(sentence)), bool(_NUMBER.search(sentence)),
            bool(_PLACE.search(sentence)), bool(_CAUSE.search(sentence)),
            bool(DATELINE_PREFIX.match(sentence)), bool(_BYLINE.match(sentence.strip())))


# One byte a sentence: the seven attributes above, and KNOWN (computed). Stored at index time
# (`sentence_attrs-*.npy`), because running the regexes on first sight of a sentence costs
# ~11 ms a question at a million passages. Bump ATTRIBUTES_VERSION when the regexes change:
# an index with another version has its bits recomputed.
ATTR_BITS = (1, 2, 4, 8, 16, 32, 64)
DATELINE = 32
BYLINE = 64
KNOWN = 128
ATTRIBUTES_VERSION = 3


def attribute_bits(sentence: str) -> int:
    bits = KNOWN
    for flag, bit in zip(sentence_attributes.__wrapped__(sentence), ATTR_BITS):
        bits |= bit if flag else 0
    return bits


def attribute_array(sentences: Iterable[str]) -> np.ndarray:
    """Attribute bytes of many sentences (uncached: an index build sees each once)."""
    return np.fromiter((attribute_bits(s) for s in sentences), dtype=np.uint8)


_QNAME = re.compile(r"\b[A-Z][\w’'-]*")


def question_names(question: str) -> list[str]:
    """Capitalised words of the question after its first word, lower-cased."""
    words = _QNAME.findall(question)
    first = question.strip().split(" ", 1)[0] if question.strip() else ""
    return [w.lower() for w in words if w != first]


# --- the model -------------------------------------------------------------------------


@dataclass
class LinearModel:
    """w . x + b over named features, with the feature means and scales used in training."""

    features: list[str]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float = 0.0

    def score(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias

    def to_json(self) -> dict:
        return {"features": self.features, "weights": self.weights.tolist(), "bias": self.bias,
                "mean": self.mean.tolist(), "scale": self.scale.tolist(), "threshold": self.threshold}

    @classmethod
    def from_json(cls, d: dict) -> LinearModel:
        return cls(list(d["features"]), np.asarray(d["weights"], np.float64), float(d["bias"]),
                   np.asarray(d["mean"], np.float64), np.asarray(d["scale"], np.float64),
                   float(d.get("threshold", 0.0)))


def load_models(path: Path = WEIGHTS) -> tuple[LinearModel | None, LinearModel | None]:
    """(sentence ranker, answerability model) if trained weights exist and match the features."""
    if not path.exists():
        return None, None
    d = json.loads(path.read_text(encoding="utf-8"))
    rank = LinearModel.from_json(d["ranker"]) if "ranker" in d else None
    answer = LinearModel.from_json(d["answer"]) if "answer" in d else None
    if rank is not None and rank.features != SENTENCE_FEATURES:
        rank = None
    if answer is not None and answer.features != ANSWER_FEATURES:
        answer = None
    return rank, answer


def fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, iters: int = 500,
                 fit_bias: bool = True) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (features already standardised)."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))]) if fit_bias else x
    w = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
    if fit_bias:
        reg[-1] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + reg * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg) + 1e-9 * np.eye(xb.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return (w[:-1], float(w[-1])) if fit_bias else (w, 0.0)


# --- count questions -------------------------------------------------------------------

_COUNT_Q = re.compile(r"\bhow (?:many|much)\s+(?P<rest>.*)$", re.I)
_AUX = {"is", "are", "was", "were", "do", "does", "did", "has", "have", "had", "will", "would", "can",
        "could", "in", "per", "of", "to", "for", "there", "the", "a", "an", "by", "on", "at", "with"}
_NUMBER_WORDS = {
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
    "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands",
    "million", "millions", "billion", "billions", "dozen", "dozens", "both", "several", "single", "double",
    "twice", "half", "couple",
}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def count_supported(question: str, passage: str, stem) -> bool | None:
    """For "how many X" / "how much X": does the passage count X (a number just before X)?

    None when the question is not a count question. A count question whose thing counted is
    never preceded by a number in the passage ("How many people live there?" against a
    passage that counts only months) is one the passage cannot answer.
    """
    m = _COUNT_Q.search(question)
    if not m:
        return None
    counted = []  # the words naming what is counted: up to the verb or preposition
    for w in _WORD.findall(m.group("rest").lower())[:4]:
        # "How many aid trucks reached Karabakh ...?" counts trucks: the verb ends what is counted,
        # whatever number comes before "Karabakh" ("the seven-month blockade of Karabakh")
        if w in _AUX or len(w) > 4 and w.endswith("ed") and counted:
            break
        counted.append(w)
    if not counted:
        return None  # "how much does it cost": nothing named to count
    if any(_MEASURES[f].search(" ".join(counted)) for f in _UNITS):
        return None  # "how many sq km": a unit, which `measure_supported` reads in any spelling
    # the thing counted starts at the first plural ("How many Azerbaijani border guards staff
    # ...?": guards, not "Azerbaijani" before "Azerbaijan's 86,600 square kilometers")
    head = next((i for i, w in enumerate(counted) if len(w) > 3 and w[-1] == "s" and w[-2] != "s"), 0)
    targets = set(stem(counted[head:]))
    words = [w.lower() for w in _WORD.findall(passage)]
    stems = stem(words)
    for i, w in enumerate(words):
        if (w.isdigit() or w in _NUMBER_WORDS) and targets & set(stems[i + 1:i + 5]):
            return True
    return False


# "What tonnage of cargo ...?", "What is the numerical strength of the contingent?", "How large is
# the contingent?": a quantity asked by its kind, which only a sentence giving a number answers
_QUANTITY_ASKED = re.compile(
    r"^\W*(?:(?:what|which)\s+(?:(?:is|was|were|are|has been)\s+)?(?:the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:tonnage|volume|amount|quantity|number|size|strength|value|count|total|sum|headcount)\b|"
    r"how\s+(?:large|big|much|many)\b)", re.I)
_A_NUMBER = re.compile(r"\d|\b(?:" + "|".join(sorted(_NUMBER_WORDS - {"both", "single", "double", "several"}))
                       + r")\b", re.I)


def quantity_unmet(question: str, sentence: str) -> bool:
    """Whether the question asks a quantity by its kind and the answer's sentence gives no number."""
    return bool(_QUANTITY_ASKED.match(question)) and not _A_NUMBER.search(sentence)


# --- measure questions -----------------------------------------------------------------

# Families of units a question can ask a quantity in; the passage must give a number in one.
_UNITS = ("length", "area", "money", "percent", "weight")
_MEASURES: dict[str, re.Pattern] = {
    "age": re.compile(r"\b(years?[- ]old|aged|age of)\b", re.I),
    "length": re.compile(r"(?<!square )(?<!sq )(?<!sq\. )\b(kilomet(er|re)s?|km|miles?|met(er|re)s?|feet|"
                         r"foot|yards?)\b", re.I),
    "area": re.compile(r"\b((square|sq\.?) (kilomet(er|re)s?|km|miles?|mi|met(er|re)s?|m)|km2|km²|hectares?|"
                       r"acres?)\b", re.I),
    "money": re.compile(r"(\$|€|£|\b(dollars?|euros?|pounds sterling|roubles?|rubles?|drams?|manats?|"
                        r"usd|eur)\b)", re.I),
    "percent": re.compile(r"(%|\b(percent|per cent|percentage)\b)", re.I),
    "weight": re.compile(r"\b(tons?|tonnes?|tonnage|kilograms?|kg)\b", re.I),
    "population": re.compile(r"\b(population|inhabitants|residents|people|citizens)\b", re.I),
    "duration": re.compile(r"\b(years?|months?|weeks?|days?|decades?|hours?)\b|\bsince\b", re.I),
    "votes": re.compile(r"\b(votes?|voted|ballots?|in favou?r|abstentions?|unanimous(ly)?)\b", re.I),
    # a calendar date: a month by name (capitalised: "may" is also a verb) or a year
    "date": re.compile(rf"\b({_MONTH_NAMES})\b\.?|\b(1[89]|20)\d\d\b"),
    # a day of the week by name: "weekend" or "July 15" does not say which day
    "weekday": re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"),
    # a life's dates: a passage about a person that never says when they were born does not give it
    "birth": re.compile(r"\b(born|births?|birthday|birthplace|died|death|passed away)\b", re.I),
}
# a day: of the week, or of the calendar ("Saturday's statement", "on July 15"); a month alone
# ("in December") does not say which day
_MEASURES["day"] = re.compile("|".join((_MEASURES["weekday"].pattern, rf"\b({_MONTH_NAMES})\.?\s+\d{{1,2}}\b",
                                        rf"\b\d{{1,2}}\s+({_MONTH_NAMES})\b")))
# the money a country uses: named, with or without a sum
_MEASURES["currency"] = _MEASURES["money"]
# families a word gives, with no number beside it
_NO_NUMBER = {"date", "weekday", "day", "birth", "currency"}
# families only a phrase of `_ASKS` asks for: their words in a question ("people", "months",
# "votes", "born", "dollars") do not by themselves ask for a quantity in them
_ASKED_BY_PHRASE = {"population", "duration", "votes", "weekday", "day", "birth", "currency"}
# What in a question names a family: its units, or a phrase that asks for one.
_ASKS = {
    "age": re.compile(r"\b(how old|what age|age of|aged)\b", re.I),
    # "What was Armenia's area?", "What is Karabakh's population?": a place's own, asked as what it
    # is (not "What has the blockade done to the region's population?")
    "area": re.compile(r"\b(land|surface|total|territorial)[- ]areas?\b|"
                       r"^\s*what(’s|'s| is| was)? (the )?areas?\b|"
                       r"^\s*what(’s|'s| is| was) ([\w-]+ ){0,2}?[\w-]+[’']s (land |total )?areas?\b", re.I),
    # "What is the current population of ...?"; not "What has the closure done for the population of ...?"
    "population": re.compile(r"\b(what(’s|'s| is| was) the population|"
                             r"how (large|big) (is|was) (the |its )?([\w-]+ ){0,2}?population|"
                             r"^\s*what(’s|'s| is| was| are| were)? (the )?([\w-]+ ){0,2}?population|"
                             r"^\s*what(’s|'s| is| was) ([\w-]+ ){0,2}?[\w-]+[’']s population|"
                             r"how many (people|inhabitants|residents) (live|lives|living)|"
                             # "What population figure is cited ...?", "the size of its population"
                             r"population (figure|count|size|total|estimate|number)s?|"
                             r"(size|number) of (the |its |their )?([\w-]+ ){0,3}?"
                             r"(population|inhabitants|residents))\b",
                             re.I),
    "duration": re.compile(rf"^\s*((for )?({_HEDGE} )?how long (has|have|had|did|does|do)\b|"
                           rf"for ({_HEDGE} )?how long\b|since when\b)|\bduration\b", re.I),
    # "How far is Aghdam from Stepanakert?" asks a distance, which a passage without one lacks
    # so does "How long is the Lachin corridor road?": a thing one travels is as long as a distance
    "length": re.compile(r"\bhow far\b|\b(the )?distance (between|from|to)\b|"
                         r"\bhow long (is|was|are|were) (the |a |this |that )?([\w-]+ ){0,3}?"
                         r"(road|route|corridor|highway|railway|railroad|border|frontier|river|bridge|pipeline|tunnel|canal|runway|"
                         r"coastline|wall|fence|line)s?\b", re.I),
    "votes": re.compile(r"\b(vote (count|tally|split|margin|result)|(the|a) tally|by how many votes|"
                        r"how did\b.{0,40}\bvote|what was the vote|"
                        r"how many (votes|judges|members|lawmakers|deputies|senators) "
                        r"(voted|backed|supported|opposed|approved))\b", re.I),
    # "On what date ...?" asks for a day of the calendar: "in a weekend statement" does not give one
    "date": re.compile(r"\b(what|which)\s+(exact\s+|precise\s+)?dates?\b|"
                       r"\bthe\s+(exact\s+|precise\s+)?date\s+(of|when|on which)\b", re.I),
    "weekday": re.compile(r"\b(what|which)\s+(day\s+of\s+the\s+week|weekday)\b|\bday of the week\b", re.I),
    # "On which day did Russia issue its statement?": a weekday or a date answers; a weekend does not
    "day": re.compile(r"\b(what|which)\s+((exact|precise|specific|particular)\s+)?day\b"
                      r"(?!\s+of\s+the\s+week)", re.I),
    "birth": re.compile(r"\b(when|where|what year|which year|in what year)\b.*\b(born|die|died)\b|"
                        r"\b(date|place|year) of (birth|death)\b|\bbirthday\b", re.I),
    "currency": re.compile(r"\b(what|which)\s+(\w+\s+)?currency\b|\bcurrency\s+(of|in|does|do|is)\b", re.I),
    "money": re.compile(r"\b(how much (money|did|does|do|will|would|is|was)\b.*"
                        r"\b(cost|pay|paid|spend|spent|worth)|"
                        r"in (dollars|euros|roubles|rubles|drams|manats))\b", re.I),
}
_NUM = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
                  r"twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|"
                  r"billion|dozen)\b", re.I)


# "Who is the spokesperson of ...?", "What is the name of Karabakh's president?": a person is
# asked for by role. "When will they meet next?": a future event is asked about.
_TITLES = "|".join(sorted((t for t in PERSON_TITLES if t.isalpha()), key=len, reverse=True))
# roles that name one person ("Which official ...?"; not "Which leaders ...?", answered by "the
# Armenian and Azerbaijani leaders", nor "Which foreign ministry ...?")
_ROLE = (r"(official|spokesman|spokeswoman|spokesperson|minister|analyst|commentator|envoy|ambassador|"
         r"diplomat|expert|negotiator|journalist|reporter|lawmaker|aide|adviser|advisor|critic)")
_PERSON_Q = re.compile(
    r"^(who (is|was|are|were) (the|its|their|his|her|([\w-]+ ){0,2}[\w-]+['’]s) "
    rf"([\w-]+ ){{0,3}}({_TITLES})\b|"
    # "What's the name of the ministry's spokesperson?": a name asked for is a person's only
    # when a title follows ("Name the river ..." asks for a river)
    r"((what|tell me)(['’]s| is| was| are| were) the names? of|name the)\s+([\w'’-]+\s+){0,5}?"
    rf"({_TITLES})\b|"
    # "Which Russian official signed the statement?": one person asked for by a role
    rf"which ([\w-]+ ){{0,3}}?{_ROLE}\b(?!['’]s| (post|position|title|role|office|job|body))(?= [a-z]))|"
    # "Which opposition leaders criticized it, by name?": people asked for by their names
    r"\bby name\s*[?.!]*$",
    re.I)
# "When will they meet next?", "where and when will they meet next", "On what exact date is it due?"
_FUTURE_Q = re.compile(r"^((where|who|what) and )?(when|where|on what ([\w-]+ ){0,2}(date|day)|"
                       r"what ([\w-]+ ){0,2}(date|day)|which day)\b.*\b(will|shall|next|upcoming|"
                       r"expire|expires|run out|runs out|"
                       r"(is|are) (scheduled|planned|expected|due|set)|"
                       r"(scheduled|planned|expected|due|set) (to|for))\b", re.I)
_FUTURE = re.compile(r"\b(will|shall|would|scheduled|planned|plans?|expected|due to|next|upcoming|"
                     r"later this|is to|are to|soon|future)\b", re.I)

# "When did the blockade first begin?": the onset of something, which a report of where it
# stands now seldom gives; a passage that does says so ("began", "since December", "first").
_ONSET_Q = re.compile(r"^(when|since when|on what ([\w-]+ ){0,2}(date|day)|what ([\w-]+ ){0,2}(date|day)|"
                      r"(on )?((exactly|precisely) )?which ([\w-]+ )?(day|date|month|year)|in what year|"
                      r"what(['’]s| is| was) the ([\w-]+ ){0,2}(date|day|month|year))\b.*"
                      r"\b(first|begin|began|begun|"
                      r"start|started|originally|initially|"
                      # "When was Badalyan appointed spokeswoman?": the start of an office
                      r"appointed|named|elected|sworn in|took office|hired)\b", re.I)
# "What job did Ani Badalyan hold before becoming the ministry's spokeswoman?" asks an earlier
# office, which only a sentence saying one was earlier gives ("a former journalist, she ...")
_PAST_ROLE_Q = re.compile(r"\b(?:before|prior to)\s+(?:becoming|being\s+(?:appointed|named|made)|joining|"
                          r"taking\s+(?:up|over|office)|(?:he|she|they)\s+(?:became|led|joined|headed|took))\b|"
                          r"\bprevious(?:ly)?\s+(?:job|position|role|post|career|work|held|served|worked)\b|"
                          r"\bformer\s+(?:job|position|role|post)s?\b", re.I)
_PAST_ROLE = re.compile(r"\b(?:former|formerly|previously|ex-|earlier|before|until|once|used to|"
                        r"had (?:served|worked|been))\b", re.I)
# "What was the ICJ's final judgment on the merits?": the last word of a matter, which a passage
# on an interim order does not give; as the onset of something needs a passage saying it began
# ("What does progress ultimately hinge on?" asks what it depends on, not a last word)
_FINAL_Q = re.compile(r"\b(final|finally|ultimate|eventual|eventually|definitive|on the merits|"
                      r"ultimately(?!\s+(?:depends?|hinges?|rests?|relies|rely|comes? down|turns? on)))\b",
                      re.I)
_FINAL = re.compile(r"\b(final|finally|ultimate|ultimately|eventual|eventually|definitive|in the end|"
                    r"conclud\w*|conclusion|merits)\b", re.I)
# "What was agreed at the next Aliyev–Pashinyan meeting after July 15?": a later meeting, which
# a sentence on this one does not describe
_GATHERING_NOUNS = r"(?:meeting|meetings|talks|summit|round|session|visit|conference|negotiations)"
# ("following the talks" is after them, not a next meeting)
_NEXT_EVENT_Q = re.compile(rf"\b(?:next|following(?!\s+(?:the|their|his|her|its|this|that|these|those)\b)|"
                           rf"subsequent|later)\s+(?:[\w’'–-]+\s+){{0,3}}?"
                           rf"{_GATHERING_NOUNS}\b", re.I)
_NEXT_EVENT = re.compile(rf"\b(?:next|following|subsequent|later|upcoming)\s+(?:[\w’'–-]+\s+){{0,3}}?"
                         rf"{_GATHERING_NOUNS}\b|\b(?:will|to)\s+meet\b", re.I)
# a month the question dates its event by, which the answer's sentence must give as well
_MONTH = re.compile(r"\b(January|February|March|April|June|July|August|September|October|November|"
                    r"December)\b(?:\s+(\d{1,2})\b)?", re.I)


def _dated_as_asked(question: str, sentence: str, passage: str) -> bool:
    """Whether the answer gives the date the question dates its event by: a day ("after the
    July 15 meeting") anywhere in the passage, a month alone ("in July 2023") in the sentence
    itself (a passage may date something else that month: "on July 17 decried")."""
    asked = [(m.group(1).lower(), m.group(2)) for m in _MONTH.finditer(question)]
    if not asked:
        return True
    days = {(m.group(1).lower(), m.group(2)) for m in _MONTH.finditer(passage) if m.group(2)}
    months = {m.group(1).lower() for m in _MONTH.finditer(sentence)}
    return any((month, day) in days if day else month in months for month, day in asked)
_ONSET = re.compile(r"\b(first|began|begun|begin|begins|start|started|starts|since|launched|initially|"
                    r"appointed|named|elected|sworn|took office|hired|"
                    r"originally|onset|outset)\b", re.I)


# "Who is the spokesperson for Armenia's foreign ministry?", "Who speaks for (on behalf of) the ministry?",
# "What's the name of the ministry's spokesperson?": the holder of a role somewhere. News
# names the holder beside the role ("the ministry spokeswoman, Ani Badalyan") and often names
# where only in the sentence before ("The Armenian Foreign Ministry pointed to ...").
SPOKES = r"spokes(?:person|woman|man|people|men|women)|press secretary"
_HEADS = r"heads?|leaders?|chiefs?|presidents?|chair(?:man|woman|person)?|premier|prime minister"
_ROLE_Q = re.compile(
    r"^(?:who(?:['’]s| is| was| are| were)|(?:what|tell me)(?:['’]s| is| was| are| were) the name of) "
    r"(?:the |its |their |his |her |(?:[\w-]+ ){0,2}[\w-]+['’]s )"
    rf"(?:[\w'’-]+ ){{0,3}}?(?P<role>{_TITLES}|mouthpiece)(?=\s+(?:of|for|at|in|to)\b|\s*[?.!]*$)|"
    r"^who (?:(?:officially|publicly|formally) )?(?P<speaks>speaks|spoke|talks|talked) "
    r"(?:for|on behalf of|in the name of)\b|"
    # "Who serves as spokesperson for the ministry?"
    rf"^who (?:serves|served|acts|acted|works|worked) as (?:the |a |an |its )?"
    rf"(?:(?:official|chief|main|principal) (?=mouthpiece))?(?P<serves>{_TITLES}|mouthpiece)\b|"
    # "Who currently heads the leadership of Karabakh?": its head
    r"^who (?:currently |now |still )?(?P<leads>heads|leads|runs|chairs|governs|commands|directs)\b", re.I)


# "Who articulated the Armenian foreign ministry's position?", "Who voices the positions of Yerevan's
# diplomatic ministry?": a body's stated position is its spokesperson's to give (a person's own
# view, "Who voiced Pashinyan's position?", is not asked here)
_STATED = r"(?:positions?|views?|line|stance|reactions?|responses?|messages?)"
_BODY_OWNER = r"(?:ministry|government|office|service|administration|diplomatic|diplomacy|foreign|official)"
_VOICED_Q = re.compile(
    r"^who (?:(?:officially|publicly|formally|usually|typically) )?(?:voice[sd]?|articulat(?:es|ed|e)|"
    r"convey(?:s|ed)?|relay(?:s|ed)?|communicat(?:es|ed|e)|express(?:es|ed)?|present(?:s|ed)?|"
    r"(?:sets|set) out|outlin(?:es|ed|e)|stat(?:es|ed|e)) (?:publicly )?"
    rf"(?:(?:the )?(?:[\w-]+ ){{0,3}}?[\w-]+['’]s (?:[\w-]+ ){{0,2}}?{_STATED}|"
    rf"the {_STATED} of (?:the )?(?:[\w'’-]+ ){{0,4}})", re.I)


def asked_role(question: str) -> str | None:
    """A pattern for the role a question asks the holder of ("spokesperson" also meets
    "spokeswoman"), or None when it asks for none."""
    voiced = _VOICED_Q.search(question.strip())
    if voiced and re.search(rf"\b{_BODY_OWNER}\b", voiced.group(0), re.I):
        return SPOKES
    m = _ROLE_Q.search(question.strip())
    if not m:
        return None
    if m.group("leads"):
        return _HEADS
    head = "spokesperson" if m.group("speaks") else (m.group("role") or m.group("serves")).split()[-1].lower()
    if re.fullmatch(SPOKES, head) or head == "mouthpiece":  # "the ministry's official mouthpiece"
        return SPOKES
    return re.escape(head) + r"s?"


def _same_name(word: str, name: str) -> bool:
    """"Armenian" and "armenia", "Azerbaijani" and "azerbaijan": one name, told apart by ending."""
    w, n = word.lower(), name.lower()
    common = len(os.path.commonprefix([w, n]))
    return common >= 4 and common >= min(len(w), len(n)) - 2


_BODY_NOUN = re.compile(r"^(?:ministry|ministry['’]s|government|council|commission|authorities|"
                        r"administration|office|court|party|union|bloc|agency|foreign|leadership|mission|"
                        r"service|department)$", re.I)


def role_qualified(sentence: str, role: str, names: Sequence[str]) -> bool:
    """Whether the sentence names the role with a qualifier: the question's names just before
    it or after "of" ("Azerbaijani President", "the president of the European Council"),
    or a body ("the ministry spokeswoman", whose ministry the sentence before may name). "The
    three leaders agreed" and "Opposition leaders claim" name no one's leader asked about."""
    for m in re.finditer(rf"\b(?:{role})\b", sentence, re.I):
        before = re.findall(r"[\w'’-]+", sentence[:m.start()])[-3:]
        for k, w in enumerate(before):  # "the ministry spokeswoman"; not "European Union head"
            if _BODY_NOUN.match(w) and all(any(_same_name(x, n) for n in names)
                                           for x in before[:k] if x[:1].isupper()):
                return True
        after = re.match(r"\s+(?:of|for|at|in)\s+(?:the\s+)?((?:[\w'’-]+\s*){1,4})", sentence[m.end():])
        beside = before + (after.group(1).split() if after else [])
        # a name qualifies it only with all the question's ("Armenian Prime Minister" is not
        # the leader of the Armenians of Karabakh)
        if names and all(any(_same_name(w, n) for w in beside) for n in names):
            return True
    return False


def holds_role(sentence: str, role: str, names: Sequence[str] = ()) -> bool:
    """Whether the sentence names a person beside the role: "the ministry spokeswoman, Ani
    Badalyan", "Ani Badalyan, the ministry's spokeswoman", "President Ilham Aliyev". Where the
    sentence qualifies the role by a name ("Azerbaijani President ..."), that name must be one
    of `names` (the question's): the president of Karabakh is not the Azerbaijani one."""
    return role_holder(sentence, role, names) is not None


# the words of an office ("Prime Minister", "head", "spokeswoman"), not a form of address
_OFFICE = "|".join(sorted((re.escape(t) for t in PERSON_TITLES if not t.endswith(".")),
                          key=len, reverse=True))


def titles(sentence: str, name: str) -> bool:
    """Whether the sentence gives the person's office beside their name: before it ("Armenian
    Prime Minister Nikol Pashinyan", "European Union head Charles Michel") or after it as an
    apposition ("Ani Badalyan, the ministry spokeswoman") -- where "What is Pashinyan's job?"
    is answered."""
    last = re.escape(re.sub(r"['’]s$", "", name.split()[-1])) if name.split() else ""
    if not last:
        return False
    before = rf"\b(?i:{_OFFICE}),?\s+(?:[A-Z][\w’'.-]*\s+){{0,2}}{last}\b"
    after = rf"\b{last},\s+(?:the\s+|an?\s+)?(?:[\w’'-]+\s+){{0,4}}(?i:{_OFFICE})\b"
    return bool(re.search(before, sentence) or re.search(after, sentence))


def role_holder(sentence: str, role: str, names: Sequence[str] = ()) -> str | None:
    """The person `holds_role` finds beside the role, or None."""
    if not re.search(rf"\b(?:{role})\b", sentence, re.I):
        return None
    for name in person_names(sentence):
        n = re.escape(name)
        m = re.search(rf"((?:[A-Z][\w'’.-]*\s+){{0,3}})\b(?i:{role}),?\s+(?:[A-Z][\w'’.-]*\s+)*{n}", sentence)
        if m:
            qualifier = [w for w in m.group(1).split()  # "Armenian Prime Minister": "Prime" is the role's
                         if w.lower() not in ("the", "a", "an") and w.lower() not in PERSON_TITLES]
            initials = "".join(w[0] for w in qualifier).lower()  # "European Union head", "the EU's head"
            # a qualified role is the one asked only where the question names nothing else the
            # sentence leaves out: "Armenian Prime Minister" does not lead the Armenians of Karabakh
            elsewhere = [q for q in names if q not in sentence.lower()]
            # ("the European official" is "the European Union's top official": a name's first word)
            lead = bool(names) and any(_same_name(qualifier[0], q) for q in names) and \
                all(any(_same_name(w, q) for w in qualifier) for q in names) if qualifier else False
            if not qualifier or initials in names or \
                    (lead or all(any(_same_name(w, q) for q in names) for w in qualifier)) and not elsewhere:
                return name
        elif re.search(rf"{n},\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,4}}(?i:{role})\b", sentence):
            return name
    return None


# the words news uses for whoever leads a body: a reader's "EU chief" is the article's
# "European Union head" or "the EU's top official"
_LEADS = ("chief", "head", "leader", "president", "boss", "chairman", "chairwoman", "chair", "top official")
_SPOKES_TITLES = ("spokesperson", "spokeswoman", "spokesman")
_KIN_TITLES = {**{w: _LEADS for w in _LEADS}, **{w: _SPOKES_TITLES for w in _SPOKES_TITLES},
               "premier": ("premier", "prime minister"),
               "official": ("official", "top official"), "diplomat": ("diplomat", "minister", "ambassador")}


def described_role(speaker: str) -> tuple[str, list[str]] | None:
    """(role pattern, qualifying names) when a speaker is a description rather than a name:
    "the EU chief" -> (chief|head|leader|..., ["eu"]), for `holds_role` to find who it is."""
    # "the Armenian head of government" is its premier, "the Azerbaijani head of state" its president
    speaker = re.sub(r"\bheads? of (?:the )?government\b", "premier",
                     re.sub(r"\bheads? of (?:the )?state\b", "president", speaker, flags=re.I), flags=re.I)
    words = [re.sub(r"['’]s$", "", w) for w in speaker.split() if w.lower() not in ("the", "a", "an")]
    if not words or words[-1].lower() not in PERSON_TITLES:
        return None
    kin = _KIN_TITLES.get(words[-1].lower(), (words[-1].lower(),))
    names = [w.lower() for w in words[:-1] if w.lower() not in PERSON_TITLES]
    if not names:  # "the chief" says not whose
        return None
    return "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in kin), names


# "Did Ani Badalyan meet Michel in Brussels?": whether the person a yes/no question names in full
# did so, which a passage that never names them cannot say (nor another's meeting with Michel);
# "Did Aliyev and Pashinyan reaffirm ...?" is answered by "the Armenian and Azerbaijani leaders"
_POLAR_SUBJECT = re.compile(r"^\W*(?i:did|does|do|has|have|had|is|was|will|would|can|could)\s+"
                            r"(?P<s>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)")


def named_in(name: str, passage: str) -> bool:
    """Whether the passage names any word of `name`, or the country a capital of it stands for."""
    low = passage.lower()
    for w in re.findall(r"[\w’'-]+", name):
        w = re.sub(r"['’]s$", "", w)
        for form in {w, STANDS_FOR.get(w, w), _COUNTRY_CAPITAL.get(w, w)}:
            if re.search(r"\b" + re.escape(form.lower()[:max(3, min(5, len(form) - 1))]), low):
                return True
    return False


# a how-to question, asked in the second (or first) person: what to do, not what happened
_HOW_TO_Q = re.compile(r"^\W*how\s+(?:do|does|can|could|should|would|might|must)\s+(?:you|i|we|one)\s+"
                       r"(?!(?:know|tell|say)\b)", re.I)
# advice asked of no one: "What is the best way to cook dolma?", "What's a good recipe for ...?"
_ADVICE_Q = re.compile(r"^\W*what(?:\s+is|['’]s)\s+(?:the|a)\s+(?:best|good|right|easiest|simplest)\s+"
                       r"(?:way|recipe|method|technique)\s+(?:to|for|of)\b", re.I)
_ATTRIBUTED = re.compile(r"\b(?:according\s+to|in\s+\w+(?:['’]s)?\s+(?:view|opinion|words)|say|says|said|"
                         r"think|thinks|believe|believes|argue|argues|argued|suggest|suggests|suggested)\b",
                         re.I)


def asks_person(question: str) -> bool:
    """Whether a question asks for a person by role ("Which Russian official signed it?",
    "Who is the ministry's spokesperson?")."""
    return bool(_PERSON_Q.search(question.strip()))


def answer_type_supported(question: str, sentence: str, passage: str) -> bool | None:
    """For a person asked for by role, a future event, the onset of something, an earlier office or the outlet
    someone spoke to: does the answer's sentence hold one (a person the question does not name;
    a future reference; whom it was told to), or its passage say when the thing began?

    None when the question asks for none. "Who is the spokesperson of the Russian Foreign
    Ministry?" against a sentence naming only the ministry is one the documents cannot answer;
    nor is "When will they meet next?" by a sentence on their last meeting, nor "When did the
    blockade first begin?" by a passage on the blockade as it stands.
    """
    q = question.strip()
    if _HOW_TO_Q.match(q):  # "How do you work out a circle's area?": instructions, which news never gives
        return False
    if _ADVICE_Q.match(q) and not _ATTRIBUTED.search(q):  # nor advice, unless someone gave it
        return False
    if _PERSON_Q.search(q):
        asked = {re.sub(r"['’]s?$", "", w) for w in re.findall(r"[\w'’-]+", q.lower())}
        surnames = {n.split()[-1] for n in person_names(passage)}  # "Grigoryan" once "Tigran Grigoryan"
        named = person_names(sentence) + [w for w in re.findall(r"\b[A-Z][\w-]+\b", sentence)
                                          if w in surnames]
        return any(not all(w.lower() in asked for w in n.split()) for n in named)
    if _FUTURE_Q.search(q):
        return bool(_FUTURE.search(sentence))
    if _ONSET_Q.search(q):
        return bool(_ONSET.search(passage))
    if _PAST_ROLE_Q.search(q):
        return bool(_PAST_ROLE.search(sentence))
    if _FINAL_Q.search(q):
        return bool(_FINAL.search(passage))
    if _NEXT_EVENT_Q.search(q):  # "What was agreed at the next Aliyev–Pashinyan meeting?"
        return bool(_NEXT_EVENT.search(sentence))
    if not _dated_as_asked(q, sentence, passage):
        return False  # "What ruling did the ICJ issue in July 2023?" of its February order
    if (subject := _POLAR_SUBJECT.match(q)) and person_names(subject.group("s")) \
            and not named_in(subject.group("s"), passage):
        return False  # "Did Ani Badalyan meet Michel in Brussels?" of a passage without her
    # "Which newspaper did she speak to?" needs "she told <Name>"; "Which agency in Baku issued the
    # statement?" asks for a government agency
    if (outlet := asks_outlet(q)) is not None:
        # "Through what channel did she comment?": the medium ("in a Twitter post") is one too
        # (a "medium" or "platform" is no one told: "Grigoryan told RFE/RL" is a channel only)
        told = outlet not in _SPOKEN_THROUGH and names_an_addressee(sentence)
        return told or outlet in _THROUGH_OUTLETS and names_medium(sentence)
    if (said := responder_named(q, passage)) is not None:
        return said
    kind = asked_affiliation(q)
    names = [re.sub(r"['’]s?$", "", n) for n in question_names(q)] if kind else []
    if names:  # "Which think tank does Grigoryan work for?" needs one named beside him
        return names_affiliation(passage, names, kind)
    return None


# "How did Russia respond to Azerbaijan's accusations?": answered only where Russia is the one
# responding ("Armenia has denied ...", "allegations strongly denied by Armenia" are Armenia's);
# the one asked is the possessor of "Russia's Foreign Ministry" or "Ani Badalyan's Ministry" (as
# truecasing writes it), not the body's common words, which every ministry shares
_RESPONDER_Q = re.compile(r"(?:\b(?i:how|when|why|what) |^\W*)(?i:did|has|have|does|do|had|will|would) "
                          r"(?i:(?:the|some|many|several|most) )?"
                          r"(?P<x>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*(?:\s+or\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?)"
                          r"(?:['’]s(?:\s+[A-Z][\w-]*)*)?"
                          r"(?P<noun>(?:\s+[a-z][\w-]*){0,2}?)\s+"
                          r"(?:\w+ly\s+)?(?i:respond|react|repl(?:y|ied)|answer|"
                          # "What did the Kremlin say in response to ...?"
                          r"(?:say|said|state|do)\s+in\s+(?:response|reply|answer|reaction)\b)")
# "How did Armenian analysts react ...?": people of the place, not its state ("denied by Armenia"),
# are the ones asked; they respond only where named so ("construed by some Armenian analysts")
_PEOPLE_KINDS = {
    **dict.fromkeys(("analysts", "commentators", "experts", "observers", "pundits", "critics"),
                    r"(?:analyst|commentator|expert|observer|pundit|critic)s?"),
    **{k: k for k in ("journalists", "activists", "residents", "opposition", "media", "scholars",
                      "academics", "citizens", "voters")},
}
_RESPONDED = (r"(?:deni(?:ed|es)|deny|dismiss(?:ed|es)?|reject(?:ed|s)?|rebuff(?:ed|s)?|refut(?:e|ed|es)|"
              r"welcom(?:e|ed|es)|accept(?:ed|s)?|condemn(?:ed|s)?|denounc(?:e|ed|es)|counter(?:ed|s)?|"
              r"retort(?:ed|s)?|shrug(?:ged|s)?|brush(?:ed|es)?|react(?:ed|s)?|respond(?:ed|s)?|"
              r"repl(?:y|ied|ies)|answer(?:ed|s)?)")
_STATED = (r"(?:express(?:ed|es|ing)?|voic(?:e|ed|es|ing)|warn(?:ed|s|ing)?|sa(?:y|ys|id|ying)|"
           r"call(?:ed|s|ing)?|urg(?:e|ed|es|ing)|criticiz(?:e|ed|es|ing)|criticis(?:e|ed|es|ing)|"
           r"protest(?:ed|s|ing)?|decr(?:y|ied|ies)|issu(?:e|ed|es|ing)|stat(?:e|ed|es|ing)|"
           # "The Armenian Foreign Ministry pointed to those injunctions on Monday"
           r"point(?:ed|s|ing)? to|cit(?:e|ed|es|ing)|referr?(?:ed|s|ing)? to)")
_COUNTRY_CAPITAL = {country: capital for capital, country in STANDS_FOR.items()}


def responder_named(question: str, passage: str) -> bool | None:
    """For "How did X respond to ...?": whether the passage has X (its people, its capital)
    doing the responding, as subject a few words before a response word or its agent after
    ("denied by Armenia"); None for any other question."""
    m = _RESPONDER_Q.search(question)
    if not m:
        return None
    x = m.group("x")  # "Did Charles Michel or the EU respond ...?": either one
    forms = {f for w in (x, *x.split()) if w not in ("or", "the")
             for f in (w, STANDS_FOR.get(w, w), _COUNTRY_CAPITAL.get(w, w), CAPITAL_OF.get(w, w))}
    # "Azerbaijan" is "Azerbaijani", "Russia" is "Russian": a stem of each form
    roots = sorted({re.escape(f[:max(4, len(f) - 2)]) for f in forms})
    who = rf"(?:{'|'.join(roots)})[\w-]*"
    kind = _PEOPLE_KINDS.get((m.group("noun").split() or [""])[-1].lower())
    if kind:  # "Armenian analysts": the kind right after the place's word
        who = rf"{who}\s+(?:[\w-]+\s+)?{kind}"
    said = re.compile(rf"\b{who}(?:['’]s)?(?:\s+[\w’'-]+){{0,4}}?\s+{_RESPONDED}\b|"
                      # "denied by Armenia", "construed by some Armenian analysts as ..."
                      # (a response or a view: "talks hosted by the European Union" is neither)
                      rf"\b(?:{_RESPONDED}|{_VIEW_VERBS})\s+by\s+(?:[\w-]+\s+){{0,2}}?{who}|"
                      # "branded / described / constructed by some Armenian analysts as a setback"
                      rf"\b[a-z]+ed\s+by\s+(?:[\w-]+\s+){{0,2}}?{who}\b[^.]{{0,80}}?\bas\b", re.I)
    if said.search(passage):
        return True
    # "How did the Russian Foreign Ministry react to the situation in Karabakh?": "the Russian
    # Foreign Ministry expressing serious concern over ... in Karabakh", a statement on what was
    # asked about; its statement on something else is no response to it
    spoke = re.compile(rf"\b{who}(?:['’]s)?(?: +(?:[A-Z][\w’'-]*|side|government|officials?|authorities|"
                       rf"ministry|leaders?|president))* +(?:(?:has|have|had) +)?{_STATED}\b[^.]*")
    to = re.search(r"\b(?:respond|react|repl(?:y|ied)|answer)\w*\s+(?:to\s+)?(?P<what>.+)$", question, re.I)
    # what was asked about, less the one asked and what a charge says ("How did the Kremlin
    # respond to Baku's charge that Russian peacekeepers ... in Karabakh?": "the Russian Foreign
    # Ministry expressing concern over ... in Karabakh" is on neither)
    what = re.split(r"\s+that\s+", to.group("what"), maxsplit=1)[0] if to else ""
    about = _prefixes(what) - _prefixes(" ".join(forms))
    return any(about & _prefixes(m.group(0)) for m in spoke.finditer(passage))


def _prefixes(text: str) -> set[str]:
    """The first five letters of each word of five or more: "accusations" meets "accused"."""
    return {w.lower()[:5] for w in re.findall(r"[A-Za-z]{5,}", text)}


# "Which think tank does Tigran Grigoryan work for?": the answer is a body of the kind asked
# named beside the person ("Grigoryan, of the Regional Studies Center"), which "One of those
# analysts, Tigran Grigoryan, ..." does not give; a body he spoke to ("Grigoryan told RFE/RL's
# Armenian Service") is no affiliation
_AFFIL_KINDS = {
    "party": (r"part(?:y|ies)", r"\b[Pp]art(?:y|ies)\b"),
    "university": (r"universit(?:y|ies)", r"\b[Uu]niversit(?:y|ies)\b"),
    "company": (r"compan(?:y|ies)|firms?|business(?:es)?",
                r"\b(?:[Cc]ompany|Corporation|Group|[Ff]irm|Inc|Ltd)\b"),
    "institute": (r"think[- ]tanks?|institutes?|research (?:cent(?:er|re)|group)s?",
                  r"\b(?:Institute|Cent(?:er|re)|Foundation|think tank|institute)\b"),
    "organisation": (r"organi[sz]ations?|ngos?",
                     r"\b(?:Institute|Cent(?:er|re)|Party|Council|Ministry|Foundation|University|Group|Agency|"
                     r"Committee|Movement|Organi[sz]ation|Fund|Commission|Association|Network|Forum|Company|"
                     r"Corporation)\b|\b(?:ministry|institute|party|foundation|agency|think tank|"
                     r"organi[sz]ation)\b"),
}
_KIND_ASKED = "|".join(f"(?P<{k}>{ask})" for k, (ask, _) in _AFFIL_KINDS.items())
_AFFIL_Q = re.compile(rf"\b(?:which|what)\s+(?:[\w-]+\s+){{0,3}}?(?:{_KIND_ASKED})\b", re.I)
_AFFIL_VERB = re.compile(r"\b(?:work(?:s|ed|ing)? (?:for|at)|affiliat(?:ed|ions?)|belongs? to|members? of|"
                         r"employed by)\b", re.I)
# "Which party was carrying the aid?" asks for a side, not a political party: that reading
# needs politics in the question ("opposition", "won the elections", "does Pashinyan lead")
_POLITICS = re.compile(r"\b(?:politic\w*|opposition|ruling|governing|elect\w*|lead|leads|led|head|heads|"
                       r"headed|chairs?|found(?:ed)?|belongs?|members?|make up)\b", re.I)
_TO_BODY = re.compile(r"\b(told|to|with|spoke|speaking|talking|interview)\s+(?:\S+\s+){0,3}$", re.I)
AFFILIATION_NEAR = 10


# "Where did Grigoryan go to university?", "Where did he study?": the school a person attended
_STUDIED = re.compile(r"\b(?:go|went|gone|goes)\s+to\s+(?:university|college|school)\b|"
                      r"\b(?:studied|study|studies)\s+(?:at|in)\b|^\W*(?:where|what)\s+did\s+.{1,40}\s+study\b|"
                      r"\bgraduated?\s+from\b|\beducated\b|\balma mater\b|"
                      r"\beducation(?:al)?\s+(?:background|history|record)\b", re.I)


def asked_affiliation(question: str) -> str | None:
    """The kind of body a question asks a person belongs to ("think tank" -> "institute";
    "Who does she work for?" -> "organisation"; "Where did he go to university?" ->
    "university"), or None."""
    m = _AFFIL_Q.search(question)
    if m and not (m.group("party") and not _POLITICS.search(question)):
        return next(k for k in _AFFIL_KINDS if m.group(k))
    if _STUDIED.search(question):
        return "university"
    return "organisation" if _AFFIL_VERB.search(question) else None


def names_affiliation(passage: str, names: list[str], kind: str = "organisation") -> bool:
    """Whether a body of the kind is named within AFFILIATION_NEAR words of one of the
    question's names, other than one spoken to."""
    org = re.compile(_AFFIL_KINDS[kind][1])
    words = list(re.finditer(r"\S+", passage))
    for i, w in enumerate(words):
        if not any(w.group(0).lower().strip("“”\"',.;:’()").startswith(n) for n in names):
            continue
        lo = words[max(0, i - AFFILIATION_NEAR)].start()
        window = passage[lo:words[min(len(words), i + AFFILIATION_NEAR + 1) - 1].end()]
        for m in org.finditer(window):
            if not _TO_BODY.search(window[:m.start()][-60:]):
                return True
    return False


# an opening clause before a question's own words, set off by a comma ("After the talks, ...")
OPENING_CLAUSE = r"[^,?“”\"]{3,90}"
# "After the talks, did Michel suggest ...?" asks yes or no after its opening clause
_POLAR = re.compile(rf"\s*(?:{OPENING_CLAUSE},\s*)?"
                    r"(?:is|are|was|were|does|do|did|has|have|had|will|would|can|could)\b", re.I)


# "Who were the so-called eco-activists who first blocked the road?": who a kind of people are
_WHO_IS = re.compile(r"^\W*who\s+(?:is|are|was|were)\b", re.I)
_WHO_ARE = re.compile(_WHO_IS.pattern + r"\s+(?:the\s+)?(?P<np>[^,?]+?)"
                      r"(?=\s+(?:who|that|whose|which|and)\b|[,?]|$)", re.I)
_AFTER_HEAD = re.compile(r"\s+(?:behind|of|in|with|credited|mentioned|on|at|for|from|to|over|by|during|"
                         r"quoted|named|cited|interviewed|involved|responsible)\b", re.I)


def asks_who_is(question: str) -> bool:
    """Whether the question opens "Who is / are / was / were": a plain test, before reading it
    for the kind of people asked (`asked_kind_of_people`)."""
    return bool(_WHO_IS.match(question))


def asked_kind_of_people(question: str) -> str | None:
    """The kind of people a "Who are the ...?" question asks to be named, by its head noun in
    lower case ("eco-activists", "journalists"); None for a name ("Who is Tigran Grigoryan?")
    or any other question."""
    m = _WHO_ARE.match(question)
    if not m:
        return None
    words = re.findall(r"[\w’'-]+", _AFTER_HEAD.split(m.group("np"))[0])
    head = words[-1].strip("'’") if words else ""
    return head if head[:1].islower() else None


def is_polar(question: str) -> bool:
    """Whether the question asks yes or no ("Does Armenia acknowledge ...?")."""
    return bool(_POLAR.match(question))


_LIGHT = _AUX | {"how", "long", "been", "being", "this", "that", "these", "those", "now", "point", "far",
                 "so", "it", "they", "he", "she", "going", "gone", "lasted", "last", "lasting"}


def _asked_stems(question: str, stem, related: dict | None = None) -> set[str]:
    """Stems of the question's own content words (not "how long has ... been"): what a span of
    time in a passage must stand near to be the span asked about; with `related` (the
    synonym table), their kin too ("obstruction" for the article's "blockade")."""
    own = set(stem(sorted({w for w in (x.lower() for x in _WORD.findall(question))
                           if w not in _LIGHT and len(w) > 2})))
    return own | {k for w in own for k in (related or {}).get(w, ())}


def _near_asked(asked: set[str], window: str, stem) -> bool:
    """Whether the few words either side of a span of time hold one of the question's stems
    ("How long has the corridor been blockaded?" and "its seven-month blockade"), not just any
    "seven-month" near Aliyev's name for "How long has Aliyev been president?". A derived form
    counts ("How long has Azerbaijan been blocking ...?" and "blockade"): a stem of ROOT_MIN
    letters or more that begins the other."""
    near = set(stem([w.lower() for w in _WORD.findall(window)]))
    return bool(asked & near) or any(_same_root(a, w) for a in asked for w in near)


ROOT_MIN = 5


def _same_root(a: str, b: str) -> bool:
    """Whether one stem begins the other and the shorter has ROOT_MIN letters ("block", "blockad")."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= ROOT_MIN and long_.startswith(short)


_WH_WORDS = {"when", "what", "which", "date", "day", "exact", "precise"}
# the words a report uses for a meeting of leaders, one event whichever the question says
# ("held in Brussels on Saturday, July 15" is the meeting's date too)
GATHERINGS = ("meeting", "meet", "met", "summit", "talks", "conference", "negotiations", "session",
              "gathering", "held", "hosted")


def dates_asked(question: str, sentence: str, stem, related: dict | None = None) -> bool:
    """For a when-question on a past event, whether the sentence gives a date a few words from
    one of the question's own words ("On what date did the Brussels summit happen?" and "held
    in Brussels on Saturday, July 15"): the date asked, whatever other words the question uses.
    So for a how-long question and a span of time ("For roughly how long had the blockade been
    in place when this report was written?" and "its seven-month blockade")."""
    if _FUTURE_Q.search(question):
        return False
    if question_type(question) == "when":
        family = "date"
    elif _ASKS["duration"].search(question):
        family = "duration"
    else:
        return False
    asked = _asked_stems(" ".join(w for w in _WORD.findall(question) if w.lower() not in _WH_WORDS), stem,
                         related)
    gatherings = set(stem(list(GATHERINGS)))
    if asked & gatherings:  # "When did the summit take place?" and "met in Brussels on July 15 for talks"
        asked |= gatherings
    return any(_near_asked(asked, _around(sentence, m, 30), stem)
               and (family != "duration" or _NUM.search(sentence[max(0, m.start() - 40):m.end() + 25]))
               for m in _MEASURES[family].finditer(sentence))


def _around(text: str, m: re.Match, chars: int) -> str:
    """The text `chars` either side of a match, widened to whole words: a word cut at the edge
    ("CJ court ordered Azerbaijan in February") is read whole ("ICJ")."""
    start, end = max(0, m.start() - chars), min(len(text), m.end() + chars)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


_OF_A_PLACE = {"area", "population"}
_HOW_MANY_UNIT = re.compile(r"^\s*how (?:many|much)\s+([\w-]+)", re.I)
_PLACES = set(CAPITALS) | set(CAPITALS.values()) | set(CAPITAL_OF)
_QUESTION_OPENERS = {"what", "which", "how", "who", "whose", "when", "where", "why", "is", "are", "was",
                     "were", "does", "do", "did", "according", "per", "in", "the", "tell", "give"}


def _names_in(question: str) -> list[str]:
    """The capitalised words of a question but its opening words. Its first word is capitalised
    whatever it is ("Mutual recognition rests on ..."): there only a country, its capital or
    its people's name counts."""
    return [m.group(0) for m in re.finditer(r"\b[A-Z][\w-]+", question)
            if m.group(0).lower() not in _QUESTION_OPENERS
            and (question[:m.start()].strip(" \"'“‘(") or re.sub(r"['’]s$", "", m.group(0)) in _PLACES)]


def measure_supported(question: str, passage: str, stem=None, related: dict | None = None) -> bool | None:
    """For a question asking a quantity in a unit ("in kilometres", "how old", "the population"):
    does the passage give a number in that unit?

    None when the question asks for no unit (nor a yes/no question without a number). An age
    is not answered by a passage without one, nor a length in kilometres by one that gives
    only an area in square kilometres.
    """
    if is_polar(question) and not re.search(r"\d", question):
        return None  # "Is the population mostly Armenian?" asks whether, not how many
    asked = [f for f, rx in _ASKS.items() if rx.search(question)]
    in_unit = re.search(r"\b(in|how many)\s+\w+\s*\??$", question, re.I)  # "... back in December?"
    if question_type(question) == "quantity" or in_unit:
        # a month elsewhere in a count question is when, not the unit asked ("the vote count when
        # the ICJ issued its February order")
        asked += [f for f, rx in _MEASURES.items()
                  if f not in asked and f not in _ASKED_BY_PHRASE and rx.search(question)
                  and (f != "date" or in_unit)]
    unit = _HOW_MANY_UNIT.match(question)  # "How many tons ... in July?": tons asked, July is when
    if unit and any(f != "date" and rx.search(unit.group(1)) for f, rx in _MEASURES.items()):
        asked = [f for f in asked if f != "date"]
    if not asked:
        return None
    # a "how long" question's own stems, read once for every span of time in the passage
    spans_of = _asked_stems(question, stem, related) if stem is not None and "duration" in asked \
        and _ASKS["duration"].search(question) else None
    # "What is the land area of Nagorno-Karabakh?": the area of what the question names, not
    # the two countries' areas beside it
    # (not where something it asks about happened: "the understanding reaffirmed in Brussels")
    named = [w.lower()[:5] for w in _names_in(question)
             if not re.search(rf"\b(?:in|at|near|outside)\s+(?:the\s+)?{re.escape(w)}\b", question)] \
        if any(f in _OF_A_PLACE for f in asked) else []
    for fam in asked:
        for m in _MEASURES[fam].finditer(passage):
            window = passage[max(0, m.start() - 40):m.end() + 25]
            if fam == "duration" and spans_of is not None \
                    and not _near_asked(spans_of, _around(passage, m, 30), stem):
                continue
            if fam in _OF_A_PLACE and named and not any(n in _around(passage, m, 40).lower() for n in named):
                continue
            if fam in _NO_NUMBER or _NUM.search(window) or m.group(0).lower().startswith("unanimous"):
                # a vote needs no count, nor a date a number ("in February")
                return True
    return False


# "What post does Michel hold, and how is that body described?": a second question joined on
_JOINED = re.compile(r",?\s+and\s+(?=(?:(?:on|in|at|from|for|to|by|over|near)\s+)?(?:what|how|who|whom|whose|"
                     r"when|where|which|why|did|does|do|is|was|were|are|has|have|had|might|could|would|can)\b)",
                     re.I)
# "Where and on what date did the summit take place?": two wh-words over one clause
_PAIRED = re.compile(r"^(?P<a>(?:(?:on|in|at)\s+)?(?:when|where|who|what|which|why|how)(?:\s+[\w-]+){0,2}?)"
                     r"\s*,?\s+and\s+"
                     r"(?P<b>(?:(?:on|in|at)\s+)?(?:when|where|who|what|which|why|how)(?:\s+[\w-]+){0,2}?)\s+"
                     r"(?P<rest>(?:did|does|do|is|was|were|are|has|have|had|will|would|can)\b.*)$", re.I)


def question_parts(question: str) -> list[str]:
    """The questions asked as one, in order: the first of two joined ones ("What post does
    Michel hold, and how is that body described?" -> "What post does Michel hold?"), or each
    of two wh-words over one clause ("Where and on what date did the summit take place?" ->
    "Where did the summit take place?", "on what date did the summit take place?"); [] for a
    single question."""
    q = question.strip()
    m = _PAIRED.match(q)
    if m:
        return [f"{m.group('a')} {m.group('rest')}", f"{m.group('b')} {m.group('rest')}"]
    m = _JOINED.search(q)
    if m and m.start() > 8:
        return [q[:m.start()].rstrip(" ,") + "?"]
    return []
