"""Speaker names: split titles from names, resolve pronouns and descriptions, cluster across documents.

Pure Python (no spaCy), so the query side can normalise names without loading a model.
Canonical names: a person is named by the longest proper full name seen for them ("Charles Michel",
never a title); an organisation by its written name without the article ("Azerbaijani Foreign Ministry");
a possessive body keeps its owner ("Aliyev's office"), because an office is not the person; a document
is replaced by its issuer ("An Armenian government statement" -> "Armenian government"); a "the X side"
with a nationality adjective becomes the country ("Azerbaijani side" -> "Azerbaijan") when the country
is named in the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

DETERMINERS = {"the", "a", "an", "this", "that", "its", "their", "his", "her", "our"}
PRONOUNS_PERSON = {"he", "she", "him", "her"}
PRONOUNS_ORG = {"it"}
PRONOUNS_PLURAL = {"they", "them", "we", "i", "you"}
# Words that make a phrase a title or office holder rather than a name.
PERSON_TITLES = {
    "president", "prime", "minister", "chancellor", "secretary", "spokesman", "spokeswoman",
    "spokesperson", "envoy", "ambassador", "senator", "governor", "mayor", "chief", "head", "leader",
    "deputy", "economist", "analyst", "director", "chairman", "chairwoman", "chair", "ceo", "official",
    "commissioner", "king", "queen", "judge", "general", "colonel", "premier", "lawmaker", "mp",
    "representative", "adviser", "advisor", "aide", "professor", "expert", "researcher", "activist",
    "farmer", "resident", "founder", "owner", "manager", "commander", "lawyer", "attorney", "prosecutor",
    "mr.", "mrs.", "ms.", "dr.", "sen.", "rep.", "gen.", "col.", "special", "vice", "foreign", "defence",
    "defense", "interior", "finance", "justice", "chairperson", "officer", "negotiator", "diplomat",
    "speaker", "emir", "sheikh", "pope", "bishop", "rabbi", "imam", "coach", "captain", "member",
    "executive",
}
# what readers and reporters call the same kind of speaker
SPEAKER_KINDS = [
    {"analyst", "commentator", "expert", "observer", "pundit", "critic", "scholar"},
    {"official", "diplomat", "envoy"},
    {"court", "tribunal", "judge", "judges"},
    {"leader", "leaders", "leadership"},
]
ORG_HEADS = {
    "ministry", "office", "government", "service", "union", "court", "council", "commission", "authority",
    "agency", "company", "bank", "institute", "party", "parliament", "leadership", "side", "committee",
    "army", "police", "embassy", "department", "group", "organization", "organisation", "association",
    "federation", "corporation", "foundation", "university", "administration", "cabinet", "kremlin",
    "terminals", "operator", "board", "assembly", "senate", "congress", "presidency", "secretariat",
    "mission", "command", "forces", "network", "broadcaster", "firm", "coalition", "alliance", "bureau",
    "statement", "report", "communique", "press", "spokesperson's", "team", "campaign", "delegation",
    "tribunal", "watchdog", "regulator", "opposition", "leaders", "officials", "analysts", "residents",
}
DOCUMENT_NOUNS = {"statement", "report", "communique", "communiqué", "release", "declaration", "letter",
                  "order", "ruling", "post", "tweet", "readout", "note", "memo", "resolution"}
# Last words that make a capitalised name a business, not a person ("Saryarka Copper").
COMPANY_WORDS = {
    "copper", "oil", "gas", "energy", "mining", "metals", "steel", "holding", "holdings", "group",
    "bank", "airlines", "airways", "motors", "petroleum", "resources", "industries", "partners", "capital",
    "systems", "technologies", "pharmaceuticals", "telecom", "midstream", "electric", "chemicals",
    "foods", "logistics", "shipping", "minerals", "inc", "inc.", "ltd", "ltd.", "llc", "corp", "corp.", "plc",
    "ag", "sa", "gmbh", "jsc", "co", "co.", "company", "corporation", "enterprises", "ventures",
    "investments", "solutions", "networks", "media", "pipeline", "pipelines", "refining", "utilities",
    "aluminium", "aluminum",
    "nickel", "zinc", "iron", "coal", "uranium", "lithium", "cement", "platinum", "potash",
    "fertilizers", "fertilisers", "petrochemicals", "refinery", "airline", "rail", "railways", "shipyards",
}
# "the company Caucasus Midstream", "the mine's owner, Saryarka Copper": the name after is an organisation.
_ORG_CONTEXT = re.compile(
    r"\b(?:company|companies|firm|operator|owner|producer|miner|maker|giant|conglomerate|insurer|lender|"
    r"carrier|utility|subsidiary|contractor|developer|manufacturer|supplier|exporter|importer)"
    r"(?:,)?\s+((?:[A-Z][\w’'&.-]*\s?){1,4})")
_COMPANY_HEADS = {"company", "firm", "operator", "group", "owner", "producer", "miner", "carrier", "lender",
                  "insurer", "utility", "manufacturer", "contractor", "developer", "supplier", "exporter"}
_PUBLIC_HEADS = {"ministry", "government", "union", "court", "council", "commission", "authority", "agency",
                 "parliament", "office", "presidency", "cabinet", "administration", "embassy", "police",
                 "army", "party", "committee", "department", "leadership", "opposition", "side"}
_ACRONYM_DEF = re.compile(r"((?:(?:the|of|for|and|on|in)\s+|[A-Z][\w'’-]+\s+){1,8})\(([A-Z]{2,8})\)")
_ACRONYM = re.compile(r"^[A-Z][A-Z/&.-]{1,9}$")


def fold(text: str) -> str:
    """Lowercase, accents stripped, curly apostrophes straightened: the key names are compared on."""
    text = text.replace("’", "'").replace("‘", "'")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().strip()


def tidy(text: str) -> str:
    """Surface form for display: apostrophes straightened, spaces squeezed, no edge punctuation."""
    text = re.sub(r"\s+", " ", text.replace("’", "'")).strip(" ,;:.—–-\"“”")
    return text


def strip_determiner(text: str) -> str:
    words = text.split()
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return " ".join(words)


def is_cap(word: str) -> bool:
    return bool(word) and word[0].isupper()


def split_title_name(text: str) -> tuple[str, str]:
    """'Azerbaijani President Ilham Aliyev' -> ('Azerbaijani President', 'Ilham Aliyev').

    The name is the trailing run of capitalised words that are not titles or organisation heads;
    an empty name means the phrase is a description ("the ministry spokeswoman").
    """
    words = strip_determiner(tidy(text)).split()
    if not words:
        return "", ""
    name: list[str] = []
    for w in reversed(words):
        lw = w.lower().strip(",")
        if not is_cap(w) or lw in PERSON_TITLES or lw in ORG_HEADS or _ACRONYM.match(w) or "'" in w:
            break
        name.insert(0, w)
        if len(name) == 4:
            break
    title = " ".join(words[: len(words) - len(name)])
    return title, " ".join(name)


_CAP_RUN = re.compile(r"(?:[A-Z][\w’'-]*\s+)*[A-Z][\w’'-]*")


def person_names(text: str) -> list[str]:
    """Full personal names written in `text` ("Azerbaijani President Ilham Aliyev" -> "Ilham Aliyev"):
    the name part of every capitalised run, when it has two words or more and none is an
    organisation's or company's ("Foreign Ministry", "Saryarka Copper" are not people)."""
    out = []
    for m in _CAP_RUN.finditer(text):
        words = split_title_name(m.group(0))[1].split()
        if len(words) >= 2 and not any(w.lower() in ORG_HEADS or w.lower() in COMPANY_WORDS for w in words):
            out.append(" ".join(words))
    return out


def head_word(text: str) -> str:
    """The head noun of a description: the last word before 'of', lowercased."""
    words = strip_determiner(tidy(text)).split()
    if "of" in words:
        words = words[: words.index("of")]
    return words[-1].lower() if words else ""


@dataclass
class Entity:
    """One speaker within a document: every way the text named them, and what kind of thing it is."""

    key: int
    kind: str  # "person" | "org" | "group"
    names: list[str] = field(default_factory=list)  # proper names as written
    descriptions: list[str] = field(default_factory=list)  # titles, appositions, pronoun-free phrases
    last_pos: int = -1
    last_subject_pos: int = -1

    @property
    def title_words(self) -> set[str]:
        words: set[str] = set()
        for d in self.descriptions:
            words.update(fold(w) for w in re.findall(r"[\w'-]+", d))
        return words

    @property
    def acronyms(self) -> set[str]:
        out = set()
        for d in self.descriptions + self.names:
            caps = [w for w in re.findall(r"[\w'-]+", d) if is_cap(w) and w.lower() not in DETERMINERS]
            for i in range(len(caps)):
                for j in range(i + 2, len(caps) + 1):
                    out.add("".join(w[0] for w in caps[i:j]).lower())
        return out

    def canonical(self) -> str:
        if self.kind == "person" and self.names:
            best = max(self.names, key=lambda n: (len(n.split()), len(n)))
            return best
        if self.names:
            return max(self.names, key=lambda n: (len(n.split()), len(n)))
        if self.descriptions:
            d = strip_determiner(self.descriptions[0])
            return d[:1].upper() + d[1:]
        return "Unknown"

    def aliases(self) -> list[str]:
        seen: dict[str, str] = {}
        for a in self.names + self.descriptions:
            a = tidy(a)
            if a and fold(a) not in seen:
                seen[fold(a)] = a
        return list(seen.values())


class SpeakerTracker:
    """Resolves speaker phrases in reading order to entities of one document.

    Names are matched by full name or surname; pronouns by the most recent compatible subject;
    descriptions ("the ministry", "the UN envoy") by head noun and compatible modifiers.
    """

    def __init__(self, text: str = "", person_names: set[str] | None = None, places: set[str] | None = None):
        self.entities: list[Entity] = []
        self.person_surnames = {fold(n.split()[-1]) for n in (person_names or set()) if n.split()}
        self.places = {fold(p) for p in (places or set())}
        self.acronym_defs: dict[str, str] = {}
        for m in _ACRONYM_DEF.finditer(text):
            words, acr = m.group(1).split(), m.group(2)
            for i in range(len(words)):
                caps = [w for w in words[i:] if is_cap(w)]
                if is_cap(words[i]) and "".join(w[0] for w in caps) == acr:
                    self.acronym_defs[acr.lower()] = " ".join(words[i:])
                    break
        self.text = text
        self.org_names = {fold(m.group(1).strip()) for m in _ORG_CONTEXT.finditer(text)}
        self.full_names = {n for n in (person_names or set()) if len(n.split()) >= 2
                           and not self.is_org_name(n)}
        self.last_speaker: Entity | None = None

    # --- helpers -------------------------------------------------------------------------
    def _new(self, kind: str, name: str = "", description: str = "") -> Entity:
        e = Entity(len(self.entities), kind)
        if name:
            e.names.append(name)
        if description:
            e.descriptions.append(description)
        self.entities.append(e)
        return e

    def _touch(self, e: Entity, pos: int, subject: bool) -> Entity:
        e.last_pos = max(e.last_pos, pos)
        if subject:
            e.last_subject_pos = max(e.last_subject_pos, pos)
        return e

    def _recent(self, kinds: set[str], pos: int) -> Entity | None:
        cands = [e for e in self.entities if e.kind in kinds and 0 <= e.last_subject_pos <= pos]
        if not cands:
            cands = [e for e in self.entities if e.kind in kinds and 0 <= e.last_pos <= pos]
        return max(cands, key=lambda e: e.last_subject_pos if e.last_subject_pos >= 0 else e.last_pos) \
            if cands else None

    def _recent_company(self, pos: int) -> Entity | None:
        """'the company': the last business named as a subject; public bodies only when none is named."""
        orgs = [e for e in self.entities if e.kind == "org" and 0 <= e.last_pos <= pos]

        def recency(e: Entity) -> int:
            return e.last_subject_pos if e.last_subject_pos >= 0 else e.last_pos

        for tier in ([e for e in orgs if any(self.is_org_name(n) for n in e.names)],
                     [e for e in orgs if e.names and not any(head_word(n) in _PUBLIC_HEADS for n in e.names)],
                     orgs):
            if tier:
                return max(tier, key=recency)
        return None

    def _country(self, demonym: str) -> str:
        """'Azerbaijani' -> 'Azerbaijan' when the text names that country; else ''."""
        d = demonym.lower()
        best = ""
        for w in set(re.findall(r"\b[A-Z][a-z]{3,}\b", self.text)):
            lw = w.lower()
            if lw != d and (d.startswith(lw[:-1]) and len(lw) >= len(d) - 3 or lw.startswith(d)):
                if not best or len(w) > len(best):
                    best = w
        return best

    def expand_acronyms(self, text: str) -> str:
        """'The ICJ court' -> 'International Court of Justice' when the text defined '(ICJ)'."""
        for w in text.split():
            long = self.acronym_defs.get(w.strip(",.").lower()) if _ACRONYM.match(w.strip(",.")) else None
            if long:
                return strip_determiner(long)
        return text

    def is_org_name(self, name: str) -> bool:
        """A capitalised name the text shows is a business: a company word last, or named as one."""
        words = name.split()
        if not words:
            return False
        if len(words) >= 2 and fold(words[-1]).strip(",") in COMPANY_WORDS:
            # ... unless the text gives the name a personal title: "Ms. Ana Steel", "Minister Ana Steel"
            for m in re.finditer(r"\b([A-Z][a-z]+\.?)\s+(?:[A-Z][\w-]+\s+)?" + re.escape(words[-1]) + r"\b",
                                 self.text or ""):
                if fold(m.group(1)) in PERSON_TITLES or fold(m.group(1)) + "." in PERSON_TITLES:
                    return False
            return True
        key = fold(name)
        return any(key == o or o.startswith(key + " ") for o in getattr(self, "org_names", ()))

    def looks_person(self, name: str) -> bool:
        words = name.split()
        if not words or fold(name) in self.places or self.is_org_name(name):
            return False
        if fold(words[-1]) in self.person_surnames:
            return True
        return 2 <= len(words) <= 4 and all(is_cap(w) for w in words)

    # --- main entry ----------------------------------------------------------------------
    def resolve(self, phrase: str, pos: int, *, subject: bool = True, ner: str = "",
                verb: str = "", appos: str = "") -> Entity | None:
        """The entity a speaker phrase refers to; new entities are created for new names."""
        phrase = tidy(phrase)
        appos = tidy(appos)
        low = fold(phrase)
        if not phrase:
            return None
        if low in PRONOUNS_PERSON:
            e = self._recent({"person"}, pos)
            return self._touch(e, pos, subject) if e else None
        if low in PRONOUNS_ORG:
            e = self._recent({"org"}, pos)
            return self._touch(e, pos, subject) if e else None
        if low in PRONOUNS_PLURAL:
            return None
        # An organisation named in apposition: "The operator, Atlantic Gateway Terminals".
        if appos and is_cap(strip_determiner(appos)[:1]) and not is_cap(strip_determiner(phrase)[:1]):
            phrase, appos = appos, phrase
        # Apposition: whichever part is a name names the entity, the other describes it.
        parts = [p for p in (phrase, appos) if p]
        name, descs = "", []
        # a personal title makes a name a person, business word last or not ("chief executive, Paul Steel")
        titled = any(head_word(split_title_name(p)[0] or p) in PERSON_TITLES - _NOT_PERSONAL
                     and head_word(split_title_name(p)[0] or p) not in ORG_HEADS for p in parts)
        for p in parts:
            title, nm = split_title_name(p)
            single = len(nm.split()) == 1 and ner not in ("ORG", "GPE", "NORP", "LOC", "FAC") \
                and fold(nm) not in self.places and not _ACRONYM.match(nm)
            if nm and not name and (self.looks_person(nm) or ner == "PERSON" or single
                                    or titled and 2 <= len(nm.split()) <= 4) \
                    and head_word(p) not in ORG_HEADS and (titled or not self.is_org_name(nm)):
                name = nm
                if title:
                    descs.append(title)
            else:
                descs.append(p)
        if name:
            return self._touch(self._person(name, descs), pos, subject)
        return self._touch(self._org_or_description(phrase, descs, pos, verb, ner), pos, subject)

    def _person(self, name: str, descs: list[str]) -> Entity:
        fname = fold(name)
        surname = fname.split()[-1]
        match = None
        for e in reversed(self.entities):
            if e.kind != "person":
                continue
            for n in e.names:
                fn = fold(n)
                if fn == fname or fn.split()[-1] == surname:
                    match = e
                    break
            if match:
                break
        e = match or self._new("person")
        if name not in e.names:
            e.names.append(name)
        if len(name.split()) == 1:
            for full in self.full_names:
                if fold(full.split()[-1]) == fname and full not in e.names:
                    e.names.append(full)
        for d in descs:
            if d and d not in e.descriptions:
                e.descriptions.append(d)
        self.person_surnames.add(surname)
        return e

    def _org_or_description(self, phrase: str, descs: list[str], pos: int, verb: str, ner: str) -> Entity:
        text = strip_determiner(phrase)
        words = text.split()
        head = head_word(text)
        # A document speaks for its issuer: "An Armenian government statement" -> "Armenian government".
        if head in DOCUMENT_NOUNS and len(words) > 1 and "of" not in words:
            text = " ".join(words[:-1])
            words = text.split()
            head = head_word(text)
        text = self.expand_acronyms(text) if any(_ACRONYM.match(w) for w in words) else text
        words = text.split()
        definite = bool(words) and not is_cap(words[0]) or (
            phrase.split()[0].lower() == "the" and len(words) <= 3
            and not any(is_cap(w) for w in words[:-1] if w.lower() not in PERSON_TITLES))
        # "the Azerbaijani side" -> the country.
        if head == "side" and len(words) == 2 and is_cap(words[0]):
            country = self._country(words[0])
            if country:
                return self._named_org(country)
        is_person_desc = head in PERSON_TITLES and head not in ORG_HEADS
        if definite or is_person_desc:
            e = self._match_description(text, is_person_desc, pos, verb)
            if e:
                if is_person_desc and text not in e.descriptions:
                    e.descriptions.append(text)
                return e
            if not is_person_desc and (head in ORG_HEADS or ner == "ORG"):
                e = self._recent_company(pos) if head in _COMPANY_HEADS else None
                if e:
                    return e
            e = self._new("person" if is_person_desc else ("org" if head in ORG_HEADS else "group"),
                          description=text)
            return e
        return self._named_org(text, descs)

    def _full_owner(self, text: str) -> str:
        """'Beridze's office' -> 'Irakli Beridze's office' when the text names Irakli Beridze."""
        m = re.match(r"^([A-Z][\w-]+)'s\s+(\S.*)$", text)
        if not m:
            return ""
        owner = fold(m.group(1))
        fulls = [n for e in self.entities if e.kind == "person" for n in e.names]
        fulls += sorted(self.full_names)
        fulls = [n for n in fulls if len(n.split()) >= 2 and fold(n.split()[-1]) == owner]
        if not fulls:
            return ""
        return f"{max(fulls, key=lambda n: (len(n.split()), len(n)))}'s {m.group(2)}"

    def _named_org(self, text: str, descs: list[str] | None = None) -> Entity:
        key = fold(text)
        full = self._full_owner(text)
        keys = {key, fold(full)} if full else {key}
        for e in self.entities:
            if e.kind == "org" and any(fold(n) in keys for n in e.names):
                break
        else:
            e = self._new("org", name=text)
        for n in (text, full):
            if n and fold(n) not in {fold(x) for x in e.names}:
                e.names.append(n)
        for d in descs or []:
            if d and d not in e.descriptions:
                e.descriptions.append(d)
        return e

    def _match_description(self, text: str, person: bool, pos: int, verb: str) -> Entity | None:
        words = [fold(w) for w in re.findall(r"[\w'’-]+", text)]
        head = head_word(text)
        mods = {w for w in words if w not in DETERMINERS and w not in {"of", "top", "new", "former", head}}
        kinds = {"person"} if person else {"org"}
        # "the country's prime minister", "Kazakhstan's industry minister": a possessive place qualifies
        # the title; it fits an entity with that nationality or with none.
        owners = {m for m in mods
                  if m.endswith("'s") and (m[:-2] in _GENERIC_PLACES or m[:-2] in self.places)}
        mods -= owners
        cands = []
        for e in self.entities:
            if e.kind not in kinds or e.last_pos > pos:
                continue
            words_e = e.title_words | {fold(w) for n in e.names for w in n.split()}
            heads_e = {head_word(d) for d in e.descriptions + e.names}
            if head not in heads_e and head not in words_e:
                continue
            ok = all(m in words_e or m in e.acronyms for m in mods)
            for o in owners:
                national = {w for w in words_e if any(_same_place(w, p) for p in self.places)}
                if national and o[:-2] not in _GENERIC_PLACES \
                        and not any(_same_place(w, o[:-2]) for w in national):
                    ok = False
            cands.append((ok, e.last_pos, e))
        good = [c for c in cands if c[0]]
        if good:
            return max(good, key=lambda c: c[1])[2]
        # "added the president of the European Council" after a quote: the same speaker goes on.
        if verb in {"add", "continue", "conclude", "go"} and self.last_speaker is not None \
                and self.last_speaker.kind in kinds:
            return self.last_speaker
        if cands and not person:
            return max(cands, key=lambda c: c[1])[2]
        return None


_NOT_PERSONAL = {"owner", "founder", "member", "head", "chief", "leader", "special", "foreign", "defence",
                 "defense", "interior", "finance", "justice", "vice", "deputy"}
_GENERIC_PLACES = {"country", "nation", "state", "region", "republic", "kingdom", "city", "province"}


def _same_place(a: str, b: str) -> bool:
    """'georgian' ~ 'georgia', 'kazakh' ~ 'kazakhstan' (shared stem), not 'iran' ~ 'iraqi'."""
    a, b = a.removesuffix("'s"), b.removesuffix("'s")
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n >= 4 and n >= min(len(a), len(b)) - 2


def cluster_across(
        entries: list[tuple[str, str, str, list[str]]]) -> dict[tuple[str, str], tuple[str, list[str]]]:
    """Merge per-document speakers into corpus speakers.

    entries: (doc_id, local canonical, kind, aliases). Persons merge on full name, and a surname-only
    speaker joins the one corpus person with that surname; organisations merge on their folded name.
    Returns {(doc_id, local canonical): (corpus canonical, aliases)}.
    """
    groups: dict[str, dict] = {}
    order: list[tuple[str, str, str, list[str]]] = sorted(entries, key=lambda x: -len(x[1].split()))
    assign: dict[tuple[str, str], str] = {}
    for doc_id, name, kind, aliases in order:
        key = fold(name)
        if kind == "person":
            surname = key.split()[-1] if key else key
            if key not in groups:
                same = [k for k, g in groups.items() if g["kind"] == "person" and k.split()[-1] == surname
                        and (len(key.split()) == 1 or len(k.split()) == 1)]
                if len(same) == 1:
                    key = same[0]
        g = groups.setdefault(key, {"kind": kind, "names": [], "aliases": []})
        g["names"].append(name)
        for a in aliases:
            if fold(a) not in {fold(x) for x in g["aliases"]}:
                g["aliases"].append(a)
        assign[(doc_id, name)] = key
    out = {}
    for k, key in assign.items():
        g = groups[key]
        canon = max(g["names"], key=lambda n: (len(n.split()), len(n)))
        out[k] = (canon, g["aliases"])
    return out
