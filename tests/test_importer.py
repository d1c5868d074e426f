"""importer.py: raw text copied from a web page -> the article's Markdown, decisions reported."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from glossator.importer import escape_markdown, import_text
from glossator.load import parse_blocks, split_front_matter

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "article-raw.txt"


def blocks_of(markdown: str) -> list[tuple[str, str]]:
    """(kind, text) of each block, as Glossator's loader reads the Markdown."""
    _, body, line = split_front_matter(markdown)
    findings = []
    blocks = [(b.kind, b.text) for b in parse_blocks(body, line, findings)]
    assert findings == []
    return blocks


def front(markdown: str) -> dict:
    return yaml.safe_load(split_front_matter(markdown)[0])


def decisions(imported) -> str:
    return "\n".join(f"{d.line}: {d.what}" for d in imported.decisions)


PROSE = ("The minister spoke for an hour about the budget, the roads and the schools, and "
         "promised that every promise made in the campaign would be kept before the winter.")


def test_paragraphs_kept_with_spaces_normalised():
    raw = "First paragraph of the piece,\u00a0with a non-breaking space and  two spaces.  \n\n" + PROSE + "\n"
    imported = import_text(raw, {"title": "T", "author": "A"})
    assert imported.blocks == (("paragraph", "First paragraph of the piece, with a non-breaking space and two spaces."),
                               ("paragraph", PROSE))


def test_subscription_boilerplate_removed_and_reported():
    raw = f"{PROSE}\n\nAdvertisement\n\n{PROSE.replace('hour', 'afternoon')}\n\nSign up for our newsletter\n"
    imported = import_text(raw, {"title": "T", "author": "A"})
    assert [kind for kind, _ in imported.blocks] == ["paragraph", "paragraph"]
    report = decisions(imported)
    assert "3: removed an advertisement marker: “Advertisement”" in report
    assert "7: removed a sign-in prompt: “Sign up for our newsletter”" in report


def test_prose_that_mentions_subscribing_is_kept():
    long = PROSE + " Readers who subscribe to the paper were told first, and the paywall was lifted for the day."
    imported = import_text(long + "\n", {"title": "T", "author": "A"})
    assert imported.blocks == (("paragraph", long),)


def test_short_closing_sentence_before_the_furniture_is_kept():
    raw = f"{PROSE}\n\nTime will tell.\n\nSubscribe Now\n\n  • Six issues a year\n"
    imported = import_text(raw, {"title": "T", "author": "A"})
    assert imported.blocks == (("paragraph", PROSE), ("paragraph", "Time will tell."))
    assert "7: removed text after the article's end: “Six issues a year”" in decisions(imported)


def test_pull_quote_repeating_a_sentence_is_detected():
    quote = "The roads will be mended before the first snow falls on the capital."
    para = f"Nobody believed him. {quote} He said it twice, and the crowd laughed."
    raw = f"{PROSE}\n\n{quote}\n\n{para}\n"
    imported = import_text(raw, {"title": "T", "author": "A"})
    assert imported.blocks == (("paragraph", PROSE), ("pullquote", quote), ("paragraph", para))
    assert "3: pull quote: “The roads will be mended" in decisions(imported)
    assert "repeats ¶ 2 (line 5)" in decisions(imported)


def test_short_paragraph_that_repeats_nothing_is_not_a_pull_quote():
    line = "But then the money ran out, as everyone had said it would in the spring."
    imported = import_text(f"{PROSE}\n\n{line}\n\n{PROSE.replace('hour', 'evening')}\n", {"title": "T", "author": "A"})
    assert [kind for kind, _ in imported.blocks] == ["paragraph"] * 3


def test_bio_goes_to_the_front_matter_and_names_the_author():
    bio = ("JANE DOE is a correspondent for the Review and the author of a history of the city's "
           "water supply.")
    raw = f"{PROSE}\n\nSubscribe today\n\n{bio}\n\nMore by Jane Doe\n"
    imported = import_text(raw, {"title": "T"})
    markdown = imported.markdown()
    assert front(markdown) == {"title": "T", "author": "Jane Doe", "bio": bio}
    assert blocks_of(markdown) == [("paragraph", PROSE)]
    assert "5: author: “Jane Doe”, from the bio" in decisions(imported)


def test_byline_names_the_author_and_missing_fields_are_listed():
    imported = import_text(f"By Ada Lovelace\n\n{PROSE}\n", {})
    assert imported.meta == {"author": "Ada Lovelace"}
    assert imported.missing == ("title",)
    assert "no date given" in decisions(imported)


def test_hard_wrapped_text_is_joined():
    wrapped = ("The minister spoke for an hour about the budget, the roads\n"
               "and the schools, and promised that every promise made in the\n"
               "campaign would be kept before the winter.\n")
    imported = import_text(wrapped, {"title": "T", "author": "A"})
    assert imported.blocks == (("paragraph", PROSE),)
    assert "joined 3 lines" in decisions(imported)


def test_markdown_characters_survive_as_text():
    tricky = ["1984. That was the year *everything* changed_for good.",
              "# not a heading, [not a link](x) and <b>not html</b> &amp; not an entity",
              "- not a list item, and a backslash \\ too",
              "::: not a container"]
    for text in tricky:
        markdown = "---\ntitle: T\nauthor: A\n---\n\n" + escape_markdown(text) + "\n"
        assert blocks_of(markdown) == [("paragraph", text)], text


def test_front_matter_values_read_back_as_written():
    given = {"title": "Iraq: what now? #1", "author": "O'Brien", "date": "2020-01-03",
             "url": "https://example.org/a?b=c#d", "publication": "\"Quoted\" Review"}
    imported = import_text(PROSE + "\n", given)
    meta = front(imported.markdown())
    assert {k: str(v) for k, v in meta.items()} == given


@pytest.mark.skipif(not SEED.is_file(), reason="needs ../shared/seeds/article-raw.txt beside the repository")
def test_seed_gives_the_bundled_articles_paragraphs_and_pull_quotes():
    """The raw copy of the bundled article gives what was made from it by hand."""
    bundled = (Path(__file__).resolve().parents[1] / "source" / "article.md").read_text(encoding="utf-8")
    imported = import_text(SEED.read_text(encoding="utf-8"), {})
    markdown = imported.markdown()
    assert blocks_of(markdown) == blocks_of(bundled)
    expected = front(bundled)
    got = front(markdown)
    assert got["author"] == expected["author"]
    # The copy lost the bio's italics; otherwise it is the same text.
    assert got["bio"] == expected["bio"].replace("*", "")
    assert imported.missing == ("title",)
    report = decisions(imported)
    for line in (7, 17):
        assert f"{line}: pull quote:" in report
    for line in (25, 27, 29, 30, 31, 32, 34):
        assert f"{line}: removed " in report


def test_headline_byline_and_dateline_fill_the_front_matter_and_headings_are_kept():
    raw = (f"Roads Before Snow\n\nBy Ada Lovelace\n\nJanuary 3, 2020\n\n{PROSE}\n\n"
           f"The Winter Plan\n\n{PROSE.replace('hour', 'evening')}\n")
    imported = import_text(raw, {})
    assert imported.meta == {"title": "Roads Before Snow", "author": "Ada Lovelace", "date": "2020-01-03"}
    assert [kind for kind, _ in imported.blocks] == ["paragraph", "heading", "paragraph"]
    assert blocks_of(imported.markdown())[1] == ("heading", "The Winter Plan")
    report = decisions(imported)
    assert "1: title: “Roads Before Snow”, from the headline" in report
    assert "5: date: “2020-01-03”, from the date line “January 3, 2020”" in report
    assert "9: heading: “The Winter Plan”" in report


def test_given_fields_win_over_what_the_text_says():
    raw = f"Roads Before Snow\n\nBy Ada Lovelace\n\n3 Jan 2020\n\n{PROSE}\n"
    imported = import_text(raw, {"title": "Roads before snow", "author": "A. Lovelace", "date": "2020-01"})
    assert imported.meta == {"title": "Roads before snow", "author": "A. Lovelace", "date": "2020-01"}
    assert imported.blocks == (("paragraph", PROSE),)
    assert "1: removed the headline: it repeats the title" in decisions(imported)
