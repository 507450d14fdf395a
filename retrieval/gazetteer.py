"""Capitals and seats of government standing for their countries ("Moscow said ...", "the
Kremlin said ..." = Russia said), as news writes.

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
}
# seats of government that news names instead of the country
SEATS: dict[str, str] = {
    "Kremlin": "Russia", "White House": "United States", "Pentagon": "United States",
    "Capitol Hill": "United States", "Downing Street": "Britain", "Whitehall": "Britain",
    "Elysee": "France", "Élysée": "France", "Zhongnanhai": "China",
}
STANDS_FOR = {**CAPITALS, **SEATS}
_CAPITAL = re.compile(r"\b(" + "|".join(sorted(map(re.escape, STANDS_FOR), key=len, reverse=True))
                      + r")(?=’s|'s|\b)")


def as_countries(text: str, known: Callable[[str], bool]) -> str:
    """`text` with each capital or seat the corpus does not know (`known(name)` false) replaced
    by its country when the corpus knows that, else by the country's capital (a seat only);
    everything else as written."""
    def swap(m: re.Match) -> str:
        name = m.group(1)
        if known(name):
            return name
        country = STANDS_FOR[name]
        if known(country):
            return country
        capital = next((c for c, k in CAPITALS.items() if k == country), None) if name in SEATS else None
        return capital if capital and known(capital) else name

    return _CAPITAL.sub(swap, text)
