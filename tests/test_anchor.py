"""Anchoring: each tier, the disambiguators, orphans, and edits to the article."""
from __future__ import annotations

import textwrap

import pytest

from conftest import make_edition
from glossator.anchor import Anchorer
from glossator.load import parse_blocks
from glossator.model import Article, Quote, Where
from glossator.pipeline import check

WHERE = Where("annotations/notes.yaml", 4, 10)


def article(*paragraphs: str) -> Article:
    return Article(None, tuple(parse_blocks("\n\n".join(paragraphs), 1, [])), Where("source/article.md"))


def resolve(art: Article, text: str, **hints):
    return Anchorer(art).resolve(Quote(text, **hints), "note", "n", WHERE)


def placed(art: Article, resolved) -> str:
    span = resolved.span
    return art.blocks[span.block].text[span.start:span.end]


def codes(resolved) -> list[str]:
    return [f.code for f in resolved.findings]


SKY = article(
    "The assassination of Iranian General Qasem Soleimani on the outskirts of Baghdad was a major escalation.",
    "Iraq’s prime minister — Adil Abdul-Mahdi — called the strike an “aggression” on Iraq.",
    "Protesters stormed the U.S. embassy in Baghdad on New Year’s Eve. Later, a second crowd gathered at the "
    "U.S. embassy in Baghdad.",
    "::: pullquote\nThe United States is losing Iraq.\n:::",
    "Washington should now work with Baghdad, not against it.",
)


# --- tiers 1-3 -----------------------------------------------------------------------

def test_exact():
    r = resolve(SKY, "General Qasem Soleimani")
    assert (placed(SKY, r), codes(r)) == ("General Qasem Soleimani", [])


@pytest.mark.parametrize("quote", [
    "Iraq's prime minister -- Adil Abdul-Mahdi -- called",       # straight apostrophe, '--' for dashes
    "Iraq’s prime minister - Adil Abdul-Mahdi - called",          # hyphens for dashes
    "Iraq’s  prime\u00a0minister\n— Adil Abdul-Mahdi — called",   # spaces, no-break space, newline
    "Iraq’s prime min\u00adister — Adil Abdul\u200b-Mahdi — called",  # soft hyphen, zero-width space
    'an "aggression" on Iraq',                                    # straight double quotes
])
def test_normalised_matches_are_placed_silently_on_the_articles_own_characters(quote):
    r = resolve(SKY, quote)
    assert codes(r) == []
    assert placed(SKY, r) in ("Iraq’s prime minister — Adil Abdul-Mahdi — called", "an “aggression” on Iraq")


def test_nfkc():
    art = article("The ﬁrst ﬂight left at dawn.")
    r = resolve(art, "first flight left")
    assert (placed(art, r), codes(r)) == ("ﬁrst ﬂight left", [])


def test_case_differs_is_placed_with_a_warning_showing_the_quote_to_write():
    r = resolve(SKY, "general qasem soleimani")
    assert placed(SKY, r) == "General Qasem Soleimani"
    (f,) = r.findings
    assert (f.code, f.severity) == ("A103", "warning")
    assert f.hint == 'Set quote: "General Qasem Soleimani"'


# --- tier 4: approximate ------------------------------------------------------------------

def test_a_typo_is_placed_with_the_corrected_quote():
    r = resolve(SKY, "General Qasem Soleimanni on the outskirts")
    assert placed(SKY, r) == "General Qasem Soleimani on the outskirts"
    (f,) = r.findings
    assert (f.code, f.severity) == ("A104", "warning")
    assert "97% alike" in f.message
    assert f.hint == 'If that is the passage, set quote: "General Qasem Soleimani on the outskirts"'


def test_the_corrected_quote_is_valid_yaml_even_with_quotation_marks():
    art = article(r'He said \"no\" twice, then left the room.')  # escaped: not curled
    r = resolve(art, 'He said "noo" twice, then left')
    assert r.findings[0].hint == 'If that is the passage, set quote: "He said \\"no\\" twice, then left"'


def test_up_to_a_quarter_wrong_needs_before_or_after():
    quote = "called the strike a aggression against Iraq"  # 6 edits in 44 characters: 14%
    alone = resolve(SKY, quote)
    assert (alone.span, codes(alone)) == (None, ["A108"])
    assert "“called the strike an “aggression” on Iraq”" in alone.findings[0].message
    confirmed = resolve(SKY, quote, before="Abdul-Mahdi —")
    assert placed(SKY, confirmed) == "called the strike an “aggression” on Iraq"
    assert codes(confirmed) == ["A104"]
    contradicted = resolve(SKY, quote, before="the president")
    assert (contradicted.span, codes(contradicted)) == (None, ["A108"])


def test_more_than_a_quarter_wrong_is_an_orphan_even_with_context():
    r = resolve(SKY, "called the attack a grave aggression", before="Abdul-Mahdi —")
    assert (r.span, codes(r)) == (None, ["A101"])


def test_short_quotes_are_never_placed_approximately():
    r = resolve(SKY, "Soleimanni")
    assert (r.span, codes(r)) == (None, ["A101"])


def test_approximate_matches_that_cannot_be_told_apart_are_an_error_not_a_guess():
    r = resolve(SKY, "the U.S. embasy in Baghdad")
    assert (r.span, codes(r)) == (None, ["A102"])
    assert "¶ 3" in r.findings[0].message
    second = resolve(SKY, "the U.S. embasy in Baghdad", after=".")
    assert placed(SKY, second) == "the U.S. embassy in Baghdad"
    assert second.span.start > 50


def test_a_quote_is_never_placed_across_paragraphs():
    r = resolve(SKY, "against it.")
    assert codes(r) == ["A105"]
    r = resolve(SKY, "escalation. Iraq’s prime minister")
    assert (r.span, codes(r)) == (None, ["A101"])
    assert "it runs from ¶ 1 into ¶ 2; a quote stays within one paragraph" in r.findings[0].message


# --- orphans -----------------------------------------------------------------------------

def test_an_orphan_names_the_closest_passage_and_how_alike_it_is():
    r = resolve(SKY, "Washington must now cooperate with Baghdad, never against it")
    (f,) = r.findings
    assert (f.code, f.severity, r.span) == ("A101", "error", None)
    assert f.message.endswith(
        "the closest passage, ¶ 4 “Washington should now work with Baghdad, not against it”, is 73% alike")


def test_an_orphan_with_nothing_alike_says_only_that():
    r = resolve(SKY, "zebras graze on the savannah at noon")
    assert r.findings[0].message == "note 'n': quote not found: “zebras graze on the savannah at noon”"


def test_a_quote_in_a_pull_quote_only_is_an_orphan_that_says_so():
    r = resolve(SKY, "The United States is losing Iraq")
    assert (r.span, codes(r)) == (None, ["A101"])
    assert "it is only in a pull quote" in r.findings[0].message


# --- several candidates ------------------------------------------------------------------

def test_ambiguous_is_an_error_listing_each_place():
    r = resolve(SKY, "the U.S. embassy in Baghdad")
    (f,) = r.findings
    assert (f.code, r.span) == ("A102", None)
    assert f.message.count("¶ 3") == 2
    assert "[the U.S. embassy in Baghdad] on New Year’s" in f.message


@pytest.mark.parametrize("hints", [dict(before="gathered at"), dict(after="."), dict(occurrence=2)])
def test_disambiguators_pick_one(hints):
    r = resolve(SKY, "the U.S. embassy in Baghdad", **hints)
    assert codes(r) == []
    assert r.span.start > 50


def test_the_paragraph_hint_picks_one():
    r = resolve(SKY, "Baghdad", paragraph=4)
    assert (SKY.blocks[r.span.block].number, codes(r)) == (4, [])


def test_context_next_to_no_occurrence_is_an_error():
    r = resolve(SKY, "the U.S. embassy in Baghdad", before="the British")
    assert (r.span, codes(r)) == (None, ["A106"])


def test_occurrence_out_of_range_is_an_error():
    r = resolve(SKY, "the U.S. embassy in Baghdad", occurrence=3)
    assert (r.span, codes(r)) == (None, ["A107"])


def test_a_unique_short_quote_is_a_fragile_anchor():
    r = resolve(SKY, "Adil")
    assert placed(SKY, r) == "Adil"
    assert [(f.code, f.severity) for f in r.findings] == [("A105", "warning")]


def test_a_stale_paragraph_hint_is_reported():
    r = resolve(SKY, "General Qasem Soleimani", paragraph=3)
    assert placed(SKY, r) == "General Qasem Soleimani"
    assert r.findings[0].message == "note 'n': paragraph: 3 given, but the quote is in ¶ 1"


def test_findings_point_at_the_quote_line():
    r = Anchorer(SKY).resolve(Quote("nowhere to be found", where=Where("annotations/notes.yaml", 9, 10)),
                              "note", "n", Where("annotations/notes.yaml", 7, 3))
    assert (r.findings[0].line, r.findings[0].column) == (9, 10)


# --- the editor changes the article -------------------------------------------------------

BEFORE = """\
---
title: Edits
author: A. Editor
---

The drone strike that killed General Qasem Soleimanni was a major escalation.

The prime minister said that the strike was an “aggression” against Iraq’s sovereignty.

A third paragraph, about the embassy, which is deleted in one of the edits below.

Iraq’s parliament then voted to expel the U.S. troops stationed in the country since 2014.
"""

NOTES = """\
- id: soleimani
  quote: General Qasem Soleimanni
  body: The Quds Force commander.
- id: aggression
  quote: was an “aggression” against Iraq’s sovereignty
  body: A strong word.
- id: embassy
  quote: about the embassy, which
  body: The U.S. embassy in Baghdad.
- id: vote
  quote: voted to expel the U.S. troops stationed in the country
  paragraph: 4
  body: A non-binding resolution, 5 January 2020.
"""


def check_edit(tmp_path, article: str, notes: str = NOTES):
    root = make_edition(tmp_path / "ed", article=article, notes=notes)
    result = check(root)
    return [(f.code, f.line) for f in result.findings if f.severity != "info"], result  # S133 says quotes are curled


def test_the_edition_before_the_edits_is_clean(tmp_path):
    assert check_edit(tmp_path, BEFORE)[0] == []


def test_typo_fixed_in_the_article_re_anchors_with_a_warning(tmp_path):
    found, result = check_edit(tmp_path, BEFORE.replace("Soleimanni", "Soleimani"))
    assert found == [("A104", 2)]
    assert result.findings[0].hint == 'If that is the passage, set quote: "General Qasem Soleimani"'
    assert result.edition is not None


def test_quotes_straightened_in_the_article_re_anchor_silently(tmp_path):
    straight = BEFORE.replace("“", '"').replace("”", '"').replace("’", "'")
    assert check_edit(tmp_path, straight)[0] == []


def test_a_sentence_lightly_reworded_re_anchors_with_a_warning(tmp_path):
    found, result = check_edit(tmp_path, BEFORE.replace("in the country", "in this country"))
    assert found == [("A104", 11)]
    assert "the article reads “voted to expel the U.S. troops stationed in this country”" in result.findings[0].message


def test_a_sentence_rewritten_orphans_the_note_and_names_the_closest_passage(tmp_path):
    found, result = check_edit(tmp_path, BEFORE.replace(
        "the strike was an “aggression” against Iraq’s sovereignty",
        "the strike was an attack on Iraq’s sovereignty"))
    assert found == [("A101", 5)]
    assert result.edition is None
    assert result.findings[0].message.endswith(
        "the closest passage, ¶ 2 “was an attack on Iraq’s sovereignty”, is 63% alike")


def test_a_paragraph_deleted_orphans_its_notes_and_flags_stale_paragraph_hints(tmp_path):
    deleted = BEFORE.replace("A third paragraph, about the embassy, which is deleted in one of the edits below.\n\n", "")
    found, result = check_edit(tmp_path, deleted)
    assert found == [("A101", 8), ("A109", 11)]
    assert result.errors[0].message == "note 'embassy': quote not found: “about the embassy, which”"
    assert result.warnings[0].hint == "Set paragraph: 3, or remove it."


def test_overlapping_notes_are_allowed_and_reported(tmp_path):
    notes = NOTES + textwrap.dedent("""\
        - id: strike
          quote: The drone strike that killed General
          body: An MQ-9 Reaper.
        """)
    found, result = check_edit(tmp_path, BEFORE, notes)
    assert found == [("N103", 2)]
    assert result.edition is not None
    assert result.findings[0].message == "note 'soleimani' overlaps note 'strike' in ¶ 1: “General”"
