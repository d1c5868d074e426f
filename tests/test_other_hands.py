"""Editions from other hands (issue 11): front matter as Pandoc and Quarto users write it,
dates read and printed by language, typography, and a forgiving glossary.

Everything here runs `check`-level (load and compose) or renders HTML: no PDF."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ARTICLE, make_edition, run_cli
from glossator.load import load
from glossator.model import LETTER, Options, PartialDate
from glossator.pipeline import check

BODY = ARTICLE.split("---\n", 2)[2]
MD = "source/article.md"


def front(*lines: str, body: str = BODY) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def meta_of(tmp_path, *lines, **files):
    loaded = load(make_edition(tmp_path / "ed", front(*lines), **files))
    return loaded.article.meta if loaded.article else None, loaded.findings


def checked(tmp_path, article=ARTICLE, **files):
    return check(make_edition(tmp_path / "ed", article, **files))


def html_of(edition) -> str:
    from glossator.render import Renderer
    return str(Renderer(Path(".")).html(edition, LETTER, Options(), part="all"))


# --- front matter ---------------------------------------------------------------------------

def test_an_unknown_field_is_a_warning_that_names_it_and_strict_still_fails(tmp_path):
    root = make_edition(tmp_path / "ed", front("title: T", "author: A", "toc: true", "lang: en"))
    plain, strict = run_cli("check", root), run_cli("check", root, "--strict")
    assert (plain.returncode, strict.returncode) == (0, 1)
    assert f"{MD}:4:1: S107 front matter: unknown field 'toc' is ignored" in plain.stdout + plain.stderr
    assert "Traceback" not in plain.stderr


def test_authors_as_a_list_or_quarto_objects_print_joined(tmp_path):
    meta, found = meta_of(tmp_path, "title: T", "author: [Ann Lee, Bo Chan]")
    assert (meta.author, meta.authors, found) == ("Ann Lee and Bo Chan", ("Ann Lee", "Bo Chan"), ())
    meta, found = meta_of(tmp_path, "title: T", "author:", "  - name: Ann Lee", "    affiliation: Yale",
                          "  - name: Bo Chan", "  - Cy Dee")
    assert (meta.author, found) == ("Ann Lee, Bo Chan and Cy Dee", ())
    meta, _ = meta_of(tmp_path, "title: T", "author: {name: Ann Lee}")
    assert meta.author == "Ann Lee"


def test_an_author_object_without_a_name_is_an_error_at_its_line(tmp_path):
    _, found = meta_of(tmp_path, "title: T", "author:", "  - affiliation: Yale")
    assert [(f.code, f.line) for f in found] == [("S106", 3)]
    assert "'name:'" in found[0].message


@pytest.mark.parametrize("field", ["editor", "annotator"])
def test_the_editor_is_annotated_by_in_the_title_block_and_the_pdf_author(tmp_path, field):
    article = front("title: T", "author: Ann Lee", f"{field}: [Bo Chan, Cy Dee]")
    result = checked(tmp_path, article)
    assert result.edition.meta.editor == "Bo Chan and Cy Dee"
    html = html_of(result.edition)
    assert '<p class="editor-line">Annotated by Bo Chan and Cy Dee</p>' in html
    assert '<meta name="author" content="Ann Lee">' in html
    assert '<meta name="author" content="Bo Chan (annotations)">' in html


def test_rights_keywords_and_abstract_reach_the_credits_and_the_metadata(tmp_path):
    article = front("title: T", "author: A", "keywords: [war, Iraq]", "abstract: What it says.",
                    "rights: Notes under *CC0*.")
    html = html_of(checked(tmp_path, article).edition)
    assert '<meta name="keywords" content="war, Iraq">' in html
    assert '<meta name="description" content="What it says.">' in html
    assert "Notes under <em>CC0</em>." in html  # printed with the credits
    meta, found = meta_of(tmp_path, "title: T", "author: A", "keywords: war, Iraq ,", "description: D")
    assert (meta.keywords, meta.abstract, found) == (("war", "Iraq"), "D", ())


def test_a_key_given_twice_is_an_error_at_the_second_one(tmp_path):
    _, found = meta_of(tmp_path, "title: T", "author: A", "lang: en", "title: U")
    assert [(f.code, f.line, f.column) for f in found] == [("S113", 5, 1)]
    assert found[0].message == "front matter: 'title' is given twice (first at line 2)"


def test_a_key_given_twice_inside_a_value_or_under_an_alias_is_an_error(tmp_path):
    _, found = meta_of(tmp_path, "title: T", "author:", "  - name: A", "    name: B")
    assert [(f.code, f.line, f.column) for f in found] == [("S113", 5, 5)]
    _, found = meta_of(tmp_path, "title: T", "author: A", "editor: B", "annotator: C")
    assert [(f.code, f.line) for f in found] == [("S113", 5)]
    assert "as 'editor' at line 4" in found[0].message


def test_a_key_given_twice_inside_an_annotation_field_is_y113(tmp_path):
    notes = """\
    - id: a
      quote: the Quds Force
      body: x
      sources: [{title: a, title: b}]
    """
    found = load(make_edition(tmp_path / "ed", notes=notes)).findings
    assert ("Y113", 4, 24) in [(f.code, f.line, f.column) for f in found]


# --- dates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, date", [
    ("March 12, 1947", (1947, 3, 12)), ("12 March 1947", (1947, 3, 12)),
    ("1947-03-12T13:00:00", (1947, 3, 12)), ("1947-03-12T13:00:00Z", (1947, 3, 12)),
    ("March 1947", (1947, 3, 0)), ("2011-12", (2011, 12, 0)), ("2003", (2003, 0, 0)),
    ("13/03/1947", (1947, 3, 13)),
])
def test_written_and_iso_dates_are_read(text, date):
    assert PartialDate.parse(text) == PartialDate(*date)


def test_an_ambiguous_numeric_date_shows_both_readings(tmp_path):
    _, found = meta_of(tmp_path, "title: T", "author: A", "date: 03/12/1947")
    assert [(f.code, f.line, f.column) for f in found] == [("S106", 4, 7)]
    assert "March 12, 1947 or December 3, 1947; write 1947-03-12 or 1947-12-03" in found[0].message


def test_chronology_dates_are_read_the_same_way(tmp_path):
    chronology = """\
    - date: January 3, 2020
      end: 5 January 2020
      event: A.
    - date: 03/04/2020
      event: B.
    """
    loaded = load(make_edition(tmp_path / "ed", chronology=chronology))
    assert [(f.code, f.line) for f in loaded.findings] == [("C101", 4)]
    assert "March 4, 2020 or April 3, 2020" in loaded.findings[0].message
    event = loaded.annotations.chronology[0]
    assert (event.date, event.end) == (PartialDate(2020, 1, 3), PartialDate(2020, 1, 5))


@pytest.mark.parametrize("lang, day, month, same_month, years", [
    ("en-US", "March 12, 1947", "March 1947", "March 11 – 12, 1947", "March 1947 – May 1949"),
    ("en-GB", "12 March 1947", "March 1947", "11–12 March 1947", "March 1947 – May 1949"),
    ("fr", "12 mars 1947", "mars 1947", "11–12 mars 1947", "mars 1947 – mai 1949"),
    ("xx-unknown", "March 12, 1947", "March 1947", "March 11 – 12, 1947", "March 1947 – May 1949"),
])
def test_dates_print_by_language(lang, day, month, same_month, years):
    p = PartialDate.parse
    assert p("1947-03-12").display(lang) == day
    assert p("1947-03").display(lang) == month
    assert p("1947-03-11").span(p("1947-03-12"), lang).replace("\u2009", " ") == same_month
    assert p("1947-03").span(p("1949-05"), lang).replace("\u2009", " ") == years


def test_a_range_never_mixes_precisions():
    p = PartialDate.parse
    assert p("1940-10-28").range_to(p("1952-02-18"), "en-GB") == ("28 October 1940", "18 February 1952")
    assert p("1940").range_to(p("1952-02-18"), "en-GB") == ("1940", "1952")
    assert p("1940-10").range_to(p("1952-02-18"), "en-US") == ("October 1940", "February 1952")


def test_the_title_block_and_the_chronology_print_dates_by_lang(tmp_path):
    article = ARTICLE.replace("lang: en", "lang: en-GB")
    chronology = """\
    - date: 2019-12-27
      event: A.
    - date: "2003"
      event: B.
    """
    html = html_of(checked(tmp_path, article, chronology=chronology).edition)
    assert '<time datetime="2021-05-04">4 May 2021</time>' in html
    assert "Events from 2003 to 2019." in html
    assert '<span class="date">27\u00a0December\u00a02019</span>' in html  # never broken: PartialDate.label


# --- typography -----------------------------------------------------------------------------

TYPED = ('He said "no" -- and left --- it\'s `code "as" -- typed` and <https://example.com/a--b> '
         'then "the end."')


@pytest.mark.parametrize("lang, said", [("en-US", "“no”"), ("de", "„no“"), ("fr", "«\u00a0no\u00a0»")])
def test_dashes_and_quotes_follow_lang_and_code_and_urls_stay(tmp_path, lang, said):
    article = front("title: T", "author: A", f"lang: {lang}", body=f"\n{TYPED}\n")
    text = load(make_edition(tmp_path / "ed", article)).article.paragraphs[0].text
    assert text.startswith(f"He said {said} – and left — it’s ")
    assert 'code "as" -- typed' in text and "https://example.com/a--b" in text


def test_a_quote_typed_straight_anchors_in_the_curled_article_cleanly(tmp_path):
    article = front("title: T", "author: A", body=f"\n{TYPED}\n")
    notes = """\
    - id: a
      quote: He said "no" -- and left --- it's
      body: A "straight" note -- curled.
    """
    result = checked(tmp_path, article, notes=notes)
    assert result.errors == () and result.warnings == ()  # S133, information, says the quotes were curled
    assert "A “straight” note – curled." in result.edition.notes[0].body_html


def test_note_titles_and_terms_get_the_same_typography(tmp_path):
    notes = """\
    - id: a
      quote: the Quds Force
      title: The "Quds" Force
      body: x
    """
    glossary = """\
    - term: Kataib Hezbollah
      aliases: [KH]
      definition: x
    """
    edition = checked(tmp_path, notes=notes, glossary=glossary).edition
    assert edition.notes[0].title == "The “Quds” Force"


# --- glossary and cross-references ----------------------------------------------------------

def test_a_lowercase_term_is_found_at_a_sentence_start_a_proper_noun_only_as_written(tmp_path):
    article = front("title: T", "author: A",
                    body="\nInflation rose. The green zone is not the Green Zone, and inflation fell.\n")
    glossary = """\
    - term: inflation
      definition: x
    - term: Green Zone
      definition: x
    """
    edition = checked(tmp_path, article, glossary=glossary).edition
    places = {t.term: [offset for _, offset in t.occurrences] for t in edition.glossary}
    text = "Inflation rose. The green zone is not the Green Zone, and inflation fell."
    assert places == {"inflation": [0, text.index("inflation")], "Green Zone": [text.index("Green Zone")]}


def test_case_only_aliases_are_not_printed(tmp_path):
    glossary = """\
    - term: embassy
      aliases: [Embassy, EMBASSY, the mission, The Mission]
      definition: x
    """
    edition = checked(tmp_path, glossary=glossary).edition
    assert edition.glossary[0].aliases == ("the mission",)


def test_see_names_an_entry_by_id_term_or_alias(tmp_path):
    glossary = """\
    - term: Status of Forces Agreement
      aliases: [SOFA]
      definition: x
      see: [Green Zone, kh]
    - term: Green Zone
      definition: x
      see: [sofa]
    - term: Kataib Hezbollah
      id: kh
      definition: x
      see: [status of forces agreement]
    """
    result = checked(tmp_path, glossary=glossary)
    assert result.errors == () and result.warnings == ()  # S133, information, says the quotes were curled
    see = {t.id: t.see for t in result.edition.glossary}
    assert see == {"status-of-forces-agreement": (("green-zone", "Green Zone"), ("kh", "Kataib Hezbollah")),
                   "green-zone": (("status-of-forces-agreement", "Status of Forces Agreement"),),
                   "kh": (("status-of-forces-agreement", "Status of Forces Agreement"),)}


def test_an_unknown_see_names_the_closest_entry(tmp_path):
    glossary = """\
    - term: Security Council
      definition: x
    - term: Green Zone
      definition: x
      see: [Security Councl]
    """
    found = load(make_edition(tmp_path / "ed", glossary=glossary)).findings
    assert [(f.code, f.line, f.column) for f in found] == [("G103", 5, 9)]
    assert found[0].message == ("glossary term 'Green Zone': see: 'Security Councl' is not a glossary entry "
                                "(did you mean 'security-council'?)")


def test_a_wrong_item_in_a_list_is_named(tmp_path):
    notes = """\
    - id: a
      quote: the Quds Force
      body: x
      sources: [fine, {a: b}]
    """
    found = load(make_edition(tmp_path / "ed", notes=notes)).findings
    assert [f.code for f in found] == ["Y106"]
    assert found[0].message == ("note 'a': 'sources' must be text or a list of texts, "
                                "found a mapping as item 2 of the list")


def test_a_note_may_see_a_glossary_entry_and_links_to_it(tmp_path):
    notes = """\
    - id: a
      quote: the Quds Force
      body: x
      see: [b, Green Zone]
    - id: b
      quote: Kataib Hezbollah
      body: y
    """
    glossary = """\
    - term: Green Zone
      definition: x
    """
    result = checked(tmp_path, notes=notes, glossary=glossary)
    assert result.errors == () and result.warnings == ()  # S133, information, says the quotes were curled
    note = next(n for n in result.edition.notes if n.id == "a")
    assert (note.see, note.terms) == (((2, "b"),), (("green-zone", "Green Zone"),))
    html = html_of(result.edition)
    assert '<a class="see-term" href="#gloss-green-zone">Green Zone</a> in the glossary.' in html


def test_a_note_kind_is_a_label_and_an_unknown_one_says_the_closest(tmp_path):
    notes = """\
    - id: a
      quote: the Quds Force
      kind: group
      body: x
    - id: b
      quote: Kataib Hezbollah
      kind: persn
      body: y
    """
    found = load(make_edition(tmp_path / "ed", notes=notes)).findings
    assert [(f.code, f.line, f.column) for f in found] == [("N104", 7, 9)]
    assert found[0].message == "note 'b': kind 'persn' is not one Glossator knows (did you mean 'person'?)"
    edition = checked(tmp_path / "2", notes=notes.replace("persn", "person")).edition
    assert '<span class="note-kind">group</span>' in html_of(edition)


def test_a_straight_quote_anchors_in_a_french_article_with_guillemets(tmp_path):
    article = front("title: T", "author: A", "lang: fr", body='\nIl a dit "non" deux fois, puis il est parti.\n')
    notes = """\
    - id: a
      quote: Il a dit "non" deux fois
      body: x
    """
    result = checked(tmp_path, article, notes=notes)
    assert result.errors == () and result.warnings == ()  # S133, information, says the quotes were curled
    assert "".join(p.text for p in result.edition.blocks[0].pieces).startswith("Il a dit «\u00a0non\u00a0» deux fois")
