"""Step 2, passages: paragraphs merged or split so that the model reads every passage whole.

Token counts come from the real model's tokenizer (`Encoder.count_tokens`); the window is the
real `Encoder.max_tokens`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixtures_core import SEED, SEED_NAME, news_text

from retrieval.documents import Document, Paragraph, load_document, parse_news_text
from retrieval.passages import CAPTION, Passage, make_passages, split_sentences

pytest_plugins = ["fixtures_core"]


def doc_from_text(text: str, doc_id: str = "t") -> Document:
    doc = Document(doc_id=doc_id, path=f"{doc_id}.txt", sha256="0" * 64)
    parse_news_text(doc, text)
    return doc


def passages_of(doc: Document, enc) -> list[Passage]:
    return make_passages(doc, enc.count_tokens, max_tokens=enc.max_tokens)


def assert_well_formed(doc: Document, passages: list[Passage], enc) -> None:
    """The invariants every passage list must keep."""
    assert [p.passage_id for p in passages] == [f"{doc.doc_id}#{i}" for i in range(1, len(passages) + 1)]
    counts = enc.count_tokens([p.text for p in passages])
    assert max(counts, default=0) <= enc.max_tokens, f"passage of {max(counts)} word pieces"
    for p in passages:
        assert p.doc_id == doc.doc_id
        assert doc.text[p.start:p.end] == p.text
        assert p.sentences and len(p.sentences) == len(p.sentence_spans)
        assert [p.text[s:e] for s, e in p.sentence_spans] == p.sentences
        assert p.sentence_spans[0][0] == 0 and p.sentence_spans[-1][1] == len(p.text)
        for (_, e1), (s2, _) in zip(p.sentence_spans, p.sentence_spans[1:]):
            assert e1 <= s2 and not p.text[e1:s2].strip()  # in order, nothing but space between
        for s in p.sentences:
            assert s == s.strip() and s
        assert p.paragraphs == sorted(set(p.paragraphs))
    # passages follow the text in order without overlapping
    for a, b in zip(passages, passages[1:]):
        assert a.end <= b.start


def body_words(doc: Document) -> list[str]:
    """The words passages must carry: the photo caption (a passage of its own), the byline (it
    opens the first body passage), then the body."""
    caption = doc.text[slice(*doc.caption_span)] if doc.caption_span else ""
    byline = doc.text[slice(*doc.byline_span)] if doc.byline_span else ""
    return re.findall(r"\S+", " ".join([caption, byline] + [p.text for p in doc.paragraphs]))


def passage_words(passages: list[Passage]) -> list[str]:
    return re.findall(r"\S+", " ".join(s for p in passages for s in p.sentences))


# --- the seed -----------------------------------------------------------------------------------


def test_seed_passages(core_encoder):
    doc = load_document(SEED, SEED_NAME)
    passages = passages_of(doc, core_encoder)
    assert_well_formed(doc, passages, core_encoder)
    assert passage_words(passages) == body_words(doc)
    # every paragraph lands in exactly one passage, in order; short ones were merged
    numbers = [n for p in passages for n in p.paragraphs]
    assert numbers == list(range(0, 22))  # 0: the photo caption
    assert len(passages) < 21
    # merging never crosses a section heading
    for p in passages[1:]:  # after the caption
        assert len({doc.paragraphs[n - 1].heading for n in p.paragraphs}) == 1
        assert p.heading == doc.paragraphs[p.paragraphs[0] - 1].heading
    assert passages[-1].heading == "Brussels Meeting"


def test_the_photo_caption_is_a_passage_of_its_own(core_encoder):
    doc = load_document(SEED, SEED_NAME)
    caption = passages_of(doc, core_encoder)[0]
    assert caption.paragraphs == [CAPTION] and caption.text == doc.caption
    assert caption.sentences == [doc.caption]
    assert caption.text.startswith("A view of an Azerbaijani checkpoint")


def test_the_byline_opens_the_first_passage_as_its_own_sentence(core_encoder):
    doc = load_document(SEED, SEED_NAME)
    first = passages_of(doc, core_encoder)[1]
    assert first.sentences[0] == "By Heghine Buniatian and Astghik Bedevian"
    assert first.sentences[1].startswith("YEREVAN (Azatutyun) —")
    assert first.paragraphs[0] == 1  # cited with the paragraph it stands above
    assert doc.paragraphs[0].text.startswith("YEREVAN")  # and never a body paragraph


def test_text_without_a_byline_starts_with_its_first_paragraph(core_encoder):
    doc = doc_from_text("A Headline Here\n\nFirst paragraph here, long enough.\n\nSecond one.\n")
    assert doc.byline_span is None
    assert passages_of(doc, core_encoder)[0].sentences[0] == "First paragraph here, long enough."


def test_seed_sentences_open_with_their_quote_marks(core_encoder):
    doc = load_document(SEED, SEED_NAME)
    sentences = [s for p in passages_of(doc, core_encoder) for s in p.sentences]
    assert "The Armenian Foreign Ministry pointed to those injunctions on Monday." in sentences
    assert any(s.startswith("“Other international actors should follow this line,”") for s in sentences)
    for s in sentences:
        assert not s.endswith(("“", " \"", "(")), s


@pytest.mark.parametrize("text, expected", [
    ("The ministry pointed to those injunctions on Monday. “Other actors should follow this line,” "
     "the spokeswoman said.",
     ["The ministry pointed to those injunctions on Monday.",
      "“Other actors should follow this line,” the spokeswoman said."]),
    ('He left on Monday. "We will return," she said.', ["He left on Monday.", '"We will return," she said.']),
    ("It rained. (Later he changed his mind.) Then it stopped.",
     ["It rained.", "(Later he changed his mind.)", "Then it stopped."]),
])
def test_opening_quote_moves_to_the_sentence_it_opens(text, expected):
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == expected


def test_split_sentences_trims_whitespace():
    text = "  First sentence here.   Second one follows.  \n"
    assert [text[s:e] for s, e in split_sentences(text)] == ["First sentence here.", "Second one follows."]
    assert split_sentences("   ") == []


# --- merging and splitting -------------------------------------------------------------------


def test_short_paragraphs_are_merged_within_a_section(core_encoder):
    doc = doc_from_text(
        "Council Approves Library\n\n"
        "The council met on Monday.\n\n"
        "It voted to build a library.\n\n"
        "Work starts in May.\n\n"
        "Funding\n\n"
        "The library will cost four million euros, paid by the region and a private foundation over "
        "five years, officials said in a statement after the vote, adding that bids would open soon.\n")
    passages = passages_of(doc, core_encoder)
    assert_well_formed(doc, passages, core_encoder)
    assert [p.paragraphs for p in passages] == [[1, 2, 3], [4]]
    assert passages[0].sentences == ["The council met on Monday.", "It voted to build a library.",
                                     "Work starts in May."]
    assert (passages[0].heading, passages[1].heading) == ("", "Funding")


def test_long_paragraph_is_split_at_sentence_boundaries(core_encoder):
    import random

    from fixtures_core import news_sentence

    rng = random.Random(11)
    para = " ".join(news_sentence(rng) for _ in range(60))
    doc = doc_from_text(f"A Very Long Paragraph\n\n{para}\n")
    assert len(doc.paragraphs) == 1
    passages = passages_of(doc, core_encoder)
    assert len(passages) > 1
    assert_well_formed(doc, passages, core_encoder)
    assert all(p.paragraphs == [1] for p in passages)
    assert passage_words(passages) == body_words(doc)
    whole = split_sentences(para)
    assert sum(len(p.sentences) for p in passages) == len(whole)  # cuts only between sentences


def test_one_sentence_of_2000_words(core_encoder):
    words = " ".join(f"word{i % 97}" if i % 13 else "and, as officials said" for i in range(2000))
    doc = doc_from_text(f"Endless Sentence\n\nIt began {words} and it ended there.\n")
    passages = passages_of(doc, core_encoder)
    assert len(passages) > 5
    assert_well_formed(doc, passages, core_encoder)
    assert passage_words(passages) == body_words(doc)  # nothing dropped at the cuts


@pytest.fixture(scope="module")
def big_doc(tmp_path_factory) -> Document:
    path = Path(tmp_path_factory.mktemp("big")) / "big.txt"
    path.write_text(news_text(5 * 1024 * 1024), encoding="utf-8")
    assert path.stat().st_size >= 5 * 1024 * 1024
    return load_document(path, "big.txt")


def test_five_megabyte_document(big_doc, core_encoder):
    passages = passages_of(big_doc, core_encoder)
    assert len(passages) > 5000
    counts = core_encoder.count_tokens([p.text for p in passages])
    assert max(counts) <= core_encoder.max_tokens
    assert passage_words(passages) == body_words(big_doc)
    for p in passages:
        assert big_doc.text[p.start:p.end] == p.text
        assert [p.text[s:e] for s, e in p.sentence_spans] == p.sentences


def test_document_without_paragraphs_has_no_passages(core_encoder):
    doc = Document(doc_id="empty", path="empty.txt", sha256="0" * 64)
    assert make_passages(doc, core_encoder.count_tokens) == []


def test_passage_json_round_trip(core_encoder):
    doc = load_document(SEED, SEED_NAME)
    for p in passages_of(doc, core_encoder):
        d = p.to_json()
        assert all(isinstance(s, list) for s in d["sentence_spans"])
        assert Passage.from_json(d) == p
        assert Passage.from_json({**d, "unknown_future_key": 1}) == p


# --- known bugs --------------------------------------------------------------------------------


def test_boilerplate_between_merged_paragraphs_stays_out_of_the_passage(core_encoder):
    """BUG: merged paragraphs take `text[first.start:last.end]`, which includes the newsletter
    boilerplate block that `parse_news_text` skipped between them."""
    doc = doc_from_text(
        "Council Approves Library\n\n"
        "The council met on Monday.\n\n"
        "Get the Mirror in your inbox:\n\n"
        "It voted to build a library.\n")
    assert all("Get the Mirror" not in p.text for p in doc.paragraphs)
    passages = passages_of(doc, core_encoder)
    for p in passages:
        assert "Get the Mirror" not in p.text, p.text


def test_a_single_overlong_word_is_cut_to_the_window(core_encoder):
    """BUG: `_split_overlong` cuts at whitespace only, so a whitespace-free run longer than the
    window (a long tracking URL, a pasted data blob) becomes one passage the model truncates."""
    url = "https://news.example.com/redirect?" + "&".join(f"utm_param_{i}=value-{i}" for i in range(30))
    doc = doc_from_text(f"A Link\n\nThe full report is at {url} according to the ministry.\n")
    counts = core_encoder.count_tokens([p.text for p in passages_of(doc, core_encoder)])
    assert max(counts) <= core_encoder.max_tokens, counts


def test_paragraph_dataclass_offsets_survive_parse():
    doc = doc_from_text("Title Line\n\nFirst paragraph is here.\n\n\n\n"
                        "Second paragraph, after extra blank lines.\n")
    assert doc.paragraphs == [
        Paragraph(1, "First paragraph is here.", doc.text.index("First"), doc.text.index("First") + 24),
        Paragraph(2, "Second paragraph, after extra blank lines.", doc.text.index("Second"),
                  doc.text.index("Second") + 42),
    ]
