"""Capitals and seats of government standing for their countries ("Moscow said ...", "the
Kremlin said ..." = Russia said), as news writes; and bodies and regions named for what they
are made of ("the UN's top court" is the International Court of Justice, "the two South
Caucasus leaders" lead Armenia and Azerbaijan).

A question may name a government by its capital or its seat while the article names the
country, or the other way round. For BM25 and for the unknown-name check, such a name the
corpus never mentions is read as its country (or, failing that, the country's capital);
dense vectors see the question as written (the model knows both). General world knowledge,
not any one article's words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# capital -> country, as a reader would write them
CAPITALS: dict[str, str] = {
    "Abu Dhabi": "United Arab Emirates", "Abuja": "Nigeria", "Accra": "Ghana", "Addis Ababa": "Ethiopia",
    "Algiers": "Algeria", "Amman": "Jordan", "Amsterdam": "Netherlands", "Ankara": "Turkey",
    "Astana": "Kazakhstan", "Athens": "Greece", "Baghdad": "Iraq", "Baku": "Azerbaijan",
    "Bangkok": "Thailand", "Beijing": "China", "Beirut": "Lebanon", "Belgrade": "Serbia",
    "Berlin": "Germany", "Bern": "Switzerland", "Bishkek": "Kyrgyzstan", "Bogota": "Colombia",
    "Brasilia": "Brazil", "Bratislava": "Slovakia", "Bucharest": "Romania", "Budapest": "Hungary",
    "Buenos Aires": "Argentina", "Cairo": "Egypt", "Canberra": "Australia", "Caracas": "Venezuela",
    "Chisinau": "Moldova", "Copenhagen": "Denmark", "Damascus": "Syria", "Delhi": "India",
    "New Delhi": "India", "Dhaka": "Bangladesh", "Doha": "Qatar", "Dublin": "Ireland",
    "Dushanbe": "Tajikistan", "Hanoi": "Vietnam", "Havana": "Cuba", "Helsinki": "Finland",
    "Islamabad": "Pakistan", "Jakarta": "Indonesia", "Jerusalem": "Israel", "Kabul": "Afghanistan",
    "Kathmandu": "Nepal", "Khartoum": "Sudan", "Kyiv": "Ukraine", "Kiev": "Ukraine",
    "Kinshasa": "Congo", "Kuala Lumpur": "Malaysia", "Lima": "Peru", "Lisbon": "Portugal",
    "Ljubljana": "Slovenia", "London": "Britain", "Madrid": "Spain", "Manila": "Philippines",
    "Mexico City": "Mexico", "Minsk": "Belarus", "Moscow": "Russia", "Nairobi": "Kenya",
    "Oslo": "Norway", "Ottawa": "Canada", "Paris": "France", "Prague": "Czech Republic",
    "Pretoria": "South Africa", "Pyongyang": "North Korea", "Rabat": "Morocco", "Riga": "Latvia",
    "Riyadh": "Saudi Arabia", "Rome": "Italy", "Santiago": "Chile", "Seoul": "South Korea",
    "Skopje": "North Macedonia", "Sofia": "Bulgaria", "Stockholm": "Sweden", "Taipei": "Taiwan",
    "Tallinn": "Estonia", "Tashkent": "Uzbekistan", "Tbilisi": "Georgia", "Tehran": "Iran",
    "Tirana": "Albania", "Tokyo": "Japan", "Tripoli": "Libya", "Tunis": "Tunisia",
    "Vienna": "Austria", "Vilnius": "Lithuania", "Warsaw": "Poland", "Washington": "United States",
    "Wellington": "New Zealand", "Yerevan": "Armenia", "Zagreb": "Croatia", "Ashgabat": "Turkmenistan",
    "Ulaanbaatar": "Mongolia", "Nicosia": "Cyprus", "Valletta": "Malta", "Reykjavik": "Iceland",
    "Luxembourg": "Luxembourg", "Sarajevo": "Bosnia", "Podgorica": "Montenegro", "Pristina": "Kosovo",
    # the seats of breakaway governments, as news names them for their authorities
    "Stepanakert": "Nagorno-Karabakh", "Sukhumi": "Abkhazia", "Tskhinvali": "South Ossetia",
    "Tiraspol": "Transnistria",
}
# seats of government that news names instead of the country
SEATS: dict[str, str] = {
    "Kremlin": "Russia", "White House": "United States", "Pentagon": "United States",
    "Capitol Hill": "United States", "Downing Street": "Britain", "Whitehall": "Britain",
    "Elysee": "France", "Élysée": "France", "Zhongnanhai": "China",
}
STANDS_FOR = {**CAPITALS, **SEATS}
# titles news abbreviates, read out where the corpus writes them in full ("the Armenian PM")
ABBREVIATIONS: dict[str, str] = {
    "PM": "Prime Minister", "FM": "Foreign Minister", "MFA": "Foreign Ministry", "MoD": "Defence Ministry",
    "MP": "lawmaker", "MPs": "lawmakers", "Pres.": "President", "Gov.": "Governor", "Sen.": "Senator",
    "Rep.": "Representative", "Amb.": "Ambassador", "Gen.": "General", "Sec.": "Secretary",
}
_ABBREVIATION = re.compile(r"(?<![\w.])("
                           + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True))
                           + r")(?=’s|'s|\W|$)")
# a title abbreviation typed in lower case after a capitalised word ending in a possessive or
# three letters (a country or its people, as truecasing writes them: "Armenia's pm", "the
# Armenian fm"), not after a number ("3 pm")
_LOWER_TITLE = re.compile(r"(?<!\S)(?=[A-Z])(\S*(?:['’]s|[A-Za-z][a-z][a-z]) )(pm|fm|mfa)\b")
_CAPITAL = re.compile(r"\b(" + "|".join(sorted(map(re.escape, STANDS_FOR), key=len, reverse=True))
                      + r")(?=’s|'s|\b)")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|outside)\s+$", re.I)


def as_owning_countries(text: str, known: Callable[[str], bool], owns: Callable[[str], bool]) -> str:
    """`text` with each capital's possessive the corpus never writes (`owns(name)` false) read
    as its country's ("Yerevan's readout" -> "Armenia's readout"), where the corpus names both.
    Both the words BM25 reads and the vector the model reads take it: a city's name would
    otherwise draw the question to whatever sentence mentions the city."""
    def swap(m: re.Match) -> str:
        name = m.group(1)
        country = CAPITALS.get(name)
        if country and text[m.end():m.end() + 2] in ("'s", "’s") and known(name) and known(country) \
                and not owns(name):
            return country
        return name

    return _CAPITAL.sub(swap, text)


def as_countries(text: str, known: Callable[[str], bool],
                 owns: Callable[[str], bool] | None = None) -> str:
    """`text` with each capital or seat the corpus does not know (`known(name)` false) replaced
    by its country when the corpus knows that, else by the country's capital (a seat only); a
    capital it knows, with its country beside it when it knows that too ("Did Baku turn down
    ...?" is met by "Azerbaijan has rejected ..."); everything else as written. A capital
    after "in", "at", "near" or "outside" is the city itself, not its government, and stays ("talks in
    Moscow"; but "at Moscow's request"). With `owns` (whether the corpus itself writes the
    name possessively, "Baku's demands"), a capital's possessive the corpus never writes is
    its country's: "Yerevan's readout" is Armenia's, not a sentence that merely names Yerevan."""
    if owns is not None:
        text = as_owning_countries(text, known, owns)

    def swap(m: re.Match) -> str:
        name = m.group(1)
        country = STANDS_FOR[name]
        if known(name):
            return f"{name} {country}" if name in CAPITALS and known(country) else name
        if name in CAPITALS and _PLACE_BEFORE.search(text, 0, m.start()) \
                and text[m.end():m.end() + 2] not in ("'s", "’s"):
            return name  # "talks in Moscow" is a place: talks in Russia are not talks there
        if known(country):
            return country
        capital = next((c for c, k in CAPITALS.items() if k == country), None) if name in SEATS else None
        return capital if capital and known(capital) else name

    return _CAPITAL.sub(swap, text)


# "the Belgian capital" is Brussels: a country's adjective before "capital", read as the city
CAPITAL_OF: dict[str, str] = {
    "Afghan": "Kabul", "Albanian": "Tirana", "Algerian": "Algiers", "Argentine": "Buenos Aires",
    "Armenian": "Yerevan", "Australian": "Canberra", "Austrian": "Vienna", "Azerbaijani": "Baku",
    "Belarusian": "Minsk", "Belgian": "Brussels", "Brazilian": "Brasilia", "British": "London",
    "Bulgarian": "Sofia", "Canadian": "Ottawa", "Chinese": "Beijing", "Croatian": "Zagreb",
    "Cuban": "Havana", "Czech": "Prague", "Danish": "Copenhagen", "Dutch": "Amsterdam",
    "Egyptian": "Cairo", "Estonian": "Tallinn", "Ethiopian": "Addis Ababa", "Finnish": "Helsinki",
    "French": "Paris", "Georgian": "Tbilisi", "German": "Berlin", "Greek": "Athens",
    "Hungarian": "Budapest", "Indian": "New Delhi", "Indonesian": "Jakarta", "Iranian": "Tehran",
    "Iraqi": "Baghdad", "Irish": "Dublin", "Israeli": "Jerusalem", "Italian": "Rome",
    "Japanese": "Tokyo", "Jordanian": "Amman", "Kazakh": "Astana", "Kenyan": "Nairobi",
    "Kyrgyz": "Bishkek", "Latvian": "Riga", "Lebanese": "Beirut", "Libyan": "Tripoli",
    "Lithuanian": "Vilnius", "Mexican": "Mexico City", "Moldovan": "Chisinau", "Moroccan": "Rabat",
    "Nigerian": "Abuja", "Norwegian": "Oslo", "Pakistani": "Islamabad", "Polish": "Warsaw",
    "Portuguese": "Lisbon", "Qatari": "Doha", "Romanian": "Bucharest", "Russian": "Moscow",
    "Saudi": "Riyadh", "Serbian": "Belgrade", "Slovak": "Bratislava", "Slovenian": "Ljubljana",
    "Spanish": "Madrid", "Swedish": "Stockholm", "Swiss": "Bern", "Syrian": "Damascus",
    "Tajik": "Dushanbe", "Thai": "Bangkok", "Tunisian": "Tunis", "Turkish": "Ankara",
    "Turkmen": "Ashgabat", "Ukrainian": "Kyiv", "Uzbek": "Tashkent", "Venezuelan": "Caracas",
    "Vietnamese": "Hanoi",
}
_ADJ_CAPITAL = re.compile(r"\b(" + "|".join(sorted(CAPITAL_OF, key=len, reverse=True)) + r")\s+capital\b")


# a country's capital by the country's name ("the capital of Belgium"); Brussels, which news
# names for the EU, is not in CAPITALS
CAPITAL_BY_COUNTRY: dict[str, str] = {
    **{country: city for city, country in CAPITALS.items()},
    **{{**CAPITALS, "Brussels": "Belgium"}[city]: city for city in CAPITAL_OF.values()},
}
_COUNTRIES = "|".join(sorted(map(re.escape, CAPITAL_BY_COUNTRY), key=len, reverse=True))
# ... where something happened ("reaffirmed in the capital of Belgium", "talks in Belgium's
# capital"), not the capital asked for ("What is the capital of Armenia?")
_NAMED_CAPITAL = re.compile(rf"\b(?P<at>in|at|from|near|outside)\s+(?:(?:the\s+)?capital\s+(?:city\s+)?of\s+"
                            rf"(?:the\s+)?(?P<of>{_COUNTRIES})|(?P<own>{_COUNTRIES})['’]s\s+capital(?:\s+city)?)\b")


def as_capitals(text: str, known: Callable[[str], bool]) -> str:
    """`text` with "<country's adjective> capital" read as the city where the corpus names it
    ("talks in the Belgian capital" -> "talks in the Brussels"), and a place named as a
    country's capital ("met in the capital of Belgium" -> "met in Brussels"); as written
    otherwise."""
    def swap(m: re.Match) -> str:
        city = CAPITAL_OF[m.group(1)]
        return city if known(city) else m.group(0)

    def place(m: re.Match) -> str:
        city = CAPITAL_BY_COUNTRY[m.group("of") or m.group("own")]
        return f"{m.group('at')} {city}" if known(city) else m.group(0)

    return _NAMED_CAPITAL.sub(place, _ADJ_CAPITAL.sub(swap, text))


_THE_CAPITALS = re.compile(r"\b(?:the two|both(?: the)?) capitals\b", re.I)


def as_the_capitals(text: str, known: Callable[[str], bool]) -> str:
    """`text` with "the two capitals" (or "both capitals") named where the corpus names exactly
    two capitals of CAPITALS ("... do the two capitals remain at odds?" -> "... do Baku and
    Yerevan remain at odds?"): the two governments a report on their dispute names by their cities."""
    if not _THE_CAPITALS.search(text):
        return text
    named = [c for c in CAPITALS if known(c)]
    return _THE_CAPITALS.sub(" and ".join(named), text) if len(named) == 2 else text


# bodies news names as often in lower case ("what did the us state department say?"); "us" only
# before a body of its government, not the pronoun
WORLD_BODIES = ("US State Department", "State Department", "US government", "US administration",
                "US Congress", "US Senate", "US embassy", "US envoy", "US officials", "US president",
                "United Nations", "UN Security Council", "Security Council", "NATO", "OSCE", "CSTO",
                "Minsk Group", "Red Cross", "European Parliament", "European Commission", "World Bank",
                "IMF", "African Union", "Arab League")
_PLACE_NAMES = sorted({n for pair in CAPITALS.items() for n in pair} | set(SEATS) | set(WORLD_BODIES),
                      key=len, reverse=True)
_LOWER_PLACE = re.compile(r"\b(" + "|".join(re.escape(n.lower()) for n in _PLACE_NAMES) + r")(?=’s|'s|\b)")
_PLACE_FORM = {n.lower(): n for n in _PLACE_NAMES}


def capitalised_places(text: str, known: Callable[[str], bool]) -> str:
    """`text` with a country, capital, seat or world body typed in lower case that the corpus
    never mentions, in any case, given its capitals ("what was turkey's position?" -> "Turkey's",
    "the us state department" -> "the US State Department"), so the check
    for names the corpus does not know reads it as one. A name the corpus uses is left to
    truecase.py, which writes it as the corpus does."""
    def cap(m: re.Match) -> str:
        word = m.group(1)
        return word if known(word) else _PLACE_FORM[word]

    return _LOWER_PLACE.sub(cap, text)


def spelled_out(text: str, known: Callable[[str], bool]) -> str:
    """`text` with each title abbreviation the corpus does not use written out as the corpus
    writes it ("the Armenian PM" -> "the Armenian Prime Minister"), and each other name of a
    people it does not use as the one it does ("the azeris" -> "the Azerbaijanis"); others as
    written."""
    def spell(m: re.Match) -> str:
        short, full = m.group(1), ABBREVIATIONS[m.group(1)]
        return full if not known(short.rstrip(".")) and known(full) else short

    def spell_lower(m: re.Match) -> str:  # "Armenia's pm" -> "Armenia's Prime Minister"
        short, full = m.group(2).upper(), ABBREVIATIONS[m.group(2).upper()]
        return m.group(1) + (full if not known(short) and known(full) else m.group(2))

    def people(m: re.Match) -> str:
        word = m.group(0)
        full = PEOPLES[word.lower().rstrip("s")] + ("s" if word.lower().endswith("s") else "")
        return full if not known(word) and known(full) else word

    def body(m: re.Match) -> str:
        full = BODIES[m.group(0).lower()]
        return full if not known(m.group(0)) and known(full) else m.group(0)

    return _BODY.sub(body, _PEOPLE.sub(people, _LOWER_TITLE.sub(spell_lower, _ABBREVIATION.sub(spell, text))))


# other names of a government body ("Moscow's diplomatic service" is its Foreign Ministry), and
# of a post on a platform ("the ministry's tweet" is its "Twitter post")
BODIES = {"tweet": "Twitter post", "tweets": "Twitter posts",
          "diplomatic service": "Foreign Ministry", "foreign office": "Foreign Ministry",
          "ministry of foreign affairs": "Foreign Ministry", "foreign affairs ministry": "Foreign Ministry",
          "foreign affairs office": "Foreign Ministry", "foreign affairs department": "Foreign Ministry",
          "department of foreign affairs": "Foreign Ministry",
          "defense ministry": "Defence Ministry", "ministry of defence": "Defence Ministry",
          "ministry of defense": "Defence Ministry"}
_BODY = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, BODIES), key=len, reverse=True)) + r")\b", re.I)


# other names news gives a people, which a stemmer cannot tie to the country's own
PEOPLES = {"azeri": "Azerbaijani", "karabakhi": "Karabakh Armenian", "brit": "Briton", "kirghiz": "Kyrgyz",
           "filipino": "Philippine"}
_PEOPLE = re.compile(r"\b(?:" + "|".join(PEOPLES) + r")s?\b", re.I)


# How many sides a meeting, deal or treaty has, in its Latin and its English forms: "a
# three-way summit" is "a trilateral meeting", "two-way talks" are "bilateral talks".
_SIDES = [
    ["bilateral", "bipartite", "two-way", "two-sided", "two-party", "two-nation", "two-country"],
    ["trilateral", "tripartite", "three-way", "three-sided", "three-party", "three-nation", "three-country"],
    ["quadrilateral", "quadripartite", "four-way", "four-sided", "four-party", "four-nation", "four-country"],
    ["multilateral", "multi-nation", "multi-country", "multinational"],
]
_SIDE_FORM = {f: group for group in _SIDES for f in group}
_SIDE_KEY = {f.replace("-", ""): f for f in _SIDE_FORM}  # "three way", "threeway" -> "three-way"
_SIDE = re.compile(r"\b(" + "|".join(sorted((re.escape(f).replace(r"\-", r"[- ]?") for f in _SIDE_FORM),
                                            key=len, reverse=True)) + r")\b", re.I)


def as_sides(text: str, known: Callable[[str], bool]) -> str:
    """`text` with a number of sides the corpus does not write as the question does written as
    it does ("the three-way summit" -> "the trilateral summit" where the corpus says
    "trilateral" and never "tripartite"). A hyphenated form is made of words any text holds, so
    only its one-word twins (`known`) can say the corpus lacks it; it gives way to a one-word
    form the corpus uses."""
    def swap(m: re.Match) -> str:
        said = m.group(1)
        form = _SIDE_KEY[re.sub(r"[- ]", "", said.lower())]
        if "-" not in form and known(form):
            return said
        for other in _SIDE_FORM[form]:
            if other != form and "-" not in other and known(other):
                return other
        return said

    return _SIDE.sub(swap, text)


# the UN's courts, agencies and missions, and its chief, by names no other body shares (a
# multi-word name like "Security Council" is made of words any article may hold)
_UN_BODIES = ["ICJ", "UNSC", "UNHCR", "UNICEF", "UNESCO", "IAEA", "UNRWA", "OCHA", "UNDP", "OHCHR",
              "UNIFIL", "MONUSCO", "UNFICYP", "UNMISS", "Guterres"]
# a region, or a body, and the countries or bodies it is made of: a question may name the
# whole where the article names the parts
MADE_OF: dict[str, list[str]] = {
    "UN": _UN_BODIES, "United Nations": _UN_BODIES, "U.N.": _UN_BODIES,
    "South Caucasus": ["Armenia", "Azerbaijan", "Georgia", "Nagorno-Karabakh", "Karabakh"],
    "Transcaucasia": ["Armenia", "Azerbaijan", "Georgia"],
    "Caucasus": ["Armenia", "Azerbaijan", "Georgia", "Chechnya", "Dagestan", "Nagorno-Karabakh"],
    "Central Asia": ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan"],
    "Baltic states": ["Estonia", "Latvia", "Lithuania"], "Baltics": ["Estonia", "Latvia", "Lithuania"],
    "Balkans": ["Albania", "Bosnia", "Bulgaria", "Croatia", "Kosovo", "Montenegro", "North Macedonia",
                "Serbia", "Slovenia"],
    "Scandinavia": ["Denmark", "Norway", "Sweden"],
    "Nordic countries": ["Denmark", "Finland", "Iceland", "Norway", "Sweden"],
    "Gulf states": ["Bahrain", "Kuwait", "Oman", "Qatar", "Saudi Arabia", "United Arab Emirates"],
    "Levant": ["Israel", "Jordan", "Lebanon", "Palestine", "Syria"],
    "Maghreb": ["Algeria", "Libya", "Mauritania", "Morocco", "Tunisia"],
    "Horn of Africa": ["Djibouti", "Eritrea", "Ethiopia", "Somalia"],
}
# places news calls by what they are: "the enclave" of news on the South Caucasus is
# Nagorno-Karabakh. A description is read as the one place of its kind a corpus names.
KINDS_OF_PLACE: dict[str, list[str]] = {
    "enclave": ["Nagorno-Karabakh", "Karabakh", "Nakhchivan", "Kaliningrad", "Cabinda", "Ceuta", "Melilla",
                "West Berlin", "Transnistria"],
    "exclave": ["Nakhchivan", "Kaliningrad", "Cabinda", "Ceuta", "Melilla"],
}


def place_of_kind(kind: str, known: Callable[[str], bool]) -> str | None:
    """The one place of `kind` ("enclave") the corpus knows (`known(name)`), or None if it
    knows none or several."""
    names = [n for n in KINDS_OF_PLACE.get(kind.lower(), []) if known(n)]
    # "Nagorno-Karabakh" and "Karabakh" are one place: the shortest name the corpus knows
    places = {n for n in names if not any(o != n and o in n for o in names)}
    return places.pop() if len(places) == 1 else None


# the unions of states news calls "the bloc" ("the bloc's council president" is the European
# Council's), each with the names of one body; read where the corpus knows exactly one of them
KINDS_OF_BODY: dict[str, list[tuple[str, ...]]] = {
    "bloc": [("European Union", "EU"), ("NATO", "North Atlantic Treaty Organization"), ("African Union",),
             ("ASEAN", "Association of Southeast Asian Nations"), ("Eurasian Economic Union", "EAEU"),
             ("Collective Security Treaty Organization", "CSTO"), ("Commonwealth of Independent States",),
             ("Gulf Cooperation Council", "GCC"), ("Mercosur",), ("BRICS",)],
}
_KIND_OF_BODY = re.compile(r"(\bthe |^)(" + "|".join(KINDS_OF_BODY) + r")(?=['’]s\b|\b(?!['’-]))", re.I)


def body_of_kind(kind: str, known: Callable[[str], bool]) -> str | None:
    """The one body of `kind` ("bloc") the corpus knows (`known(name)`), by the shortest name
    it knows it by; None if it knows none or several."""
    bodies = [[n for n in names if known(n)] for names in KINDS_OF_BODY.get(kind.lower(), [])]
    bodies = [b for b in bodies if b]
    return min(bodies[0], key=len) if len(bodies) == 1 else None


def as_bodies_of_kind(text: str, known: Callable[[str], bool]) -> str:
    """`text` with a body named by its kind written by its name ("the bloc's council
    president" -> "the EU's council president"); as written where the corpus knows no body of
    that kind, or several."""
    def name(m: re.Match) -> str:
        body = body_of_kind(m.group(2), known)
        return m.group(1) + body if body else m.group(0)

    return _KIND_OF_BODY.sub(name, text)


_KIND_OF_PLACE = re.compile(r"\bthe ((?:[\w-]+ ){0,2}?)(" + "|".join(KINDS_OF_PLACE) + r")\b", re.I)


def as_places_of_kind(text: str, known: Callable[[str], bool]) -> str:
    """`text` with the place a description stands for written beside it ("shortages in the
    enclave" -> "shortages in the enclave Karabakh"), so that BM25 meets the sentences that
    name it; as written where the corpus names no place of that kind, or several."""
    def add(m: re.Match) -> str:
        name = place_of_kind(m.group(2), known)
        return f"{m.group(0)} {name}" if name and name.lower() not in m.group(1).lower() else m.group(0)

    return _KIND_OF_PLACE.sub(add, text)


# cities that news names for the international bodies seated there ("the Strasbourg court" is
# the European Court of Human Rights, "the court in The Hague" the ICJ); capitals stand for
# their countries instead (CAPITALS)
_HAGUE = ["International Court of Justice", "ICJ", "International Criminal Court", "ICC",
          "Permanent Court of Arbitration", "OPCW", "Europol"]
SEATED_IN: dict[str, list[str]] = {
    "Strasbourg": ["European Court of Human Rights", "ECHR", "ECtHR", "Council of Europe",
                   "European Parliament"],
    "The Hague": _HAGUE, "Hague": _HAGUE,
    "Geneva": ["OHCHR", "UNHCR", "WHO", "WTO", "ICRC", "Red Cross"],
    "Lyon": ["Interpol"], "Frankfurt": ["European Central Bank", "ECB"],
    "Basel": ["Bank for International Settlements"], "Davos": ["World Economic Forum"],
}
_PARTS = {**MADE_OF, **SEATED_IN}
_WHOLE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _PARTS), key=len, reverse=True))
                    + r")(?=’s|'s|\b)")


def without_known_wholes(text: str, known: Callable[[str], bool]) -> str:
    """`text` without each region or body the corpus knows a part of (`known(part)` true), and
    each city seating a body it knows: what the unknown-name check reads, since such a whole
    or seat is no name the corpus lacks."""
    return _WHOLE.sub(lambda m: "" if any(known(part) for part in _PARTS[m.group(1)]) else m.group(1), text)


# what news calls a body instead of its name ("the UN's top court", "the World Court" are the
# International Court of Justice; "the Strasbourg court" the European Court of Human Rights)
_ICJ = ["ICJ", "International Court of Justice"]
_ECHR = ["ECHR", "ECtHR", "European Court of Human Rights"]
_RANK = r"(?:top|highest|main|principal|chief)"
EPITHETS: list[tuple[re.Pattern, list[str]]] = [
    (re.compile(rf"\b(?:the\s+)?(?:UN|U\.N\.|United Nations)(?:[’']s?)?\s+(?:{_RANK}\s+)?"
                r"(?:court|judicial (?:body|organ))\b|"
                rf"\b(?:the\s+)?{_RANK}\s+(?:UN|U\.N\.|United Nations)\s+court\b|"
                # the Charter's own words: "the principal judicial organ of the United Nations"
                rf"\b(?:the\s+)?{_RANK}\s+judicial\s+(?:organ|body)\s+of\s+the\s+"
                r"(?:UN|U\.N\.|United Nations)\b|"
                r"\b(?:the\s+)?world\s+court\b",
                re.I), _ICJ),
    (re.compile(r"\b(?:the\s+)?Strasbourg(?:-based)?\s+(?:human\s+rights\s+)?(?:court|tribunal)\b|"
                r"\b(?:the\s+)?Europe(?:[’']s|an)\s+(?:top\s+)?human\s+rights\s+court\b", re.I), _ECHR),
]


def as_named_bodies(text: str, known: Callable[[str], bool]) -> str:
    """`text` with a body called by what it is ("the UN's top court") read as the name the corpus
    gives it ("International Court of Justice"); as written where the corpus names it neither way."""
    for rx, names in EPITHETS:
        name = next((n for n in names if known(n)), None)
        if name:
            text = rx.sub(name, text)
    return text


# bodies a country or a union fields, by the nouns news names them by: "the EU monitoring
# mission" is a body of the EU's, which a corpus naming only "the Russian peacekeeping mission"
# does not mention. (Nouns that stand for a country itself, "government", "authorities",
# "army", are left out: any country has them.)
OWNED_BODIES: dict[str, str] = {
    "mission": "mission", "missions": "mission", "monitors": "monitors", "observers": "observers",
    "court": "court", "courts": "court", "commission": "commission", "council": "council",
    "parliament": "parliament", "embassy": "embassy", "delegation": "delegation",
    "contingent": "contingent", "peacekeepers": "peacekeepers", "ministry": "ministry",
}
_OWNED = re.compile(r"\b(" + "|".join(OWNED_BODIES) + r")\b", re.I)
# ("United Nations" is read by its second word: "United" begins "United States" too)
_UNIONS = {"EU": "EU", "European": "EU", "Brussels": "EU", "UN": "UN", "U.N.": "UN", "Nations": "UN"}
# words that end a body's name, looking back from its noun ("by Russian peacekeepers")
_NOT_OWNER = frozenset({
    "the", "a", "an", "it", "its", "this", "that", "these", "those", "which", "what", "who", "whose",
    "how", "why", "when", "where", "did", "does", "do", "has", "have", "had", "is", "was", "were", "are",
    "of", "by", "to", "and", "or", "in", "on", "at", "for", "with", "from", "as", "their", "his", "her",
    "our", "any", "no", "each", "every", "some", "according",
})
_WORD = re.compile(r"[\w’'.-]+|[^\w\s]")


def owner_key(name: str) -> str:
    """The country or union a name stands for ("Moscow", "Russian", "Kremlin" -> "Russia";
    "European", "Brussels" -> "EU"), or the name itself."""
    name = re.sub(r"[’']s$", "", name).rstrip(".") if name != "U.N." else name
    if name in _UNIONS:
        return _UNIONS[name]
    name = CAPITAL_OF.get(name, name)
    return STANDS_FOR.get(name, name)


_OWNERS = {*_UNIONS, *CAPITAL_OF, *STANDS_FOR, *STANDS_FOR.values()}


def is_owner(word: str) -> bool:
    """Whether a word before a body's noun names whose it is: a country, its people, its capital
    or seat, a union, or an acronym ("ICJ"); not "Foreign" of "Foreign Ministry", nor a word
    capitalised as the corpus writes it ("Which Foreign mission ...?")."""
    word = re.sub(r"[’']s$", "", word)
    return word in _OWNERS or (len(word) > 1 and word.replace(".", "").isupper())


def owned_bodies(text: str) -> list[tuple[str, str, frozenset[str]]]:
    """Each body noun of OWNED_BODIES in `text`, as (the words naming it, its noun, the keys of
    the owners named before it, owner_key): "the Russian peacekeeping mission" -> ("Russian
    peacekeeping mission", "mission", {"Russia"}); no keys where nothing names whose."""
    out = []
    for m in _OWNED.finditer(text):
        words = _WORD.findall(text[max(0, m.start() - 80):m.start()])
        owners, first = [], m.start()
        for w in reversed(words[-4:]):
            if not w[0].isalnum() or w.lower() in _NOT_OWNER:
                break
            if is_owner(w):
                owners.append(owner_key(w))
            first = text.rfind(w, 0, first)
        out.append((text[first:m.end()], OWNED_BODIES[m.group(1).lower()], frozenset(owners)))
    return out


def wholes_of(key: str) -> set[str]:
    """The regions and bodies `key` is part of, and the cities seating it (MADE_OF, SEATED_IN):
    "the UN court" or "the Hague court" is the ICJ's."""
    return {owner_key(whole) for whole, parts in _PARTS.items() if key in parts}
