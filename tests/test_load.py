"""Loading: every problem a finding at the offending key or value, all of them in one run."""
from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ARTICLE, REPO, make_edition
from glossator import load as load_module
from glossator.load import load


def findings(tmp_path, **files):
    loaded = load(make_edition(tmp_path / "ed", **files))
    return loaded, [(f.code, f.path, f.line, f.column) for f in loaded.findings]


NOTES = "annotations/notes.yaml"


def test_every_problem_of_a_file_in_one_run_each_at_its_key(tmp_path):
    _, found = findings(tmp_path, notes="""\
        - id: one
          qoute: the Quds Force
          body: x
        - id: two
          quote: the Green Zone
          body:
          paragraph: first
        - quote: the embassy
          body: y
        """)
    assert found == [
        ("Y105", NOTES, 2, 3), ("Y104", NOTES, 1, 3),
        ("Y110", NOTES, 6, 3), ("Y106", NOTES, 7, 3),
        ("Y104", NOTES, 8, 3),
    ]


def test_labels_name_items_by_id_term_or_date_else_number(tmp_path):
    loaded, _ = findings(tmp_path, notes="- quote: x\n  body: y\n",
                         glossary="- term: Green Zone\n  defintion: x\n",
                         chronology="- date: '2003'\n  event: x\n  colour: red\n")
    messages = sorted(f.message for f in loaded.findings)
    assert messages[0].startswith("event '2003': unknown field 'colour'")
    assert messages[1] == "note #1: required field 'id' is missing"
    assert messages[3].startswith("term 'Green Zone': unknown field 'defintion' (did you mean 'definition'?)")


def test_a_field_given_twice_is_an_error_not_silently_the_last(tmp_path):
    loaded, found = findings(tmp_path, notes="- id: a\n  quote: the Quds Force\n  body: x\n  quote: Baghdad\n")
    assert found == [("Y113", NOTES, 4, 3)]
    assert loaded.findings[0].message == "note 'a': 'quote' is given twice (first at line 2)"
    assert loaded.annotations.notes == ()


def test_the_quote_carries_its_own_line(tmp_path):
    loaded, _ = findings(tmp_path, notes="- id: a\n  body: x\n\n  quote: >-\n    the Quds\n    Force\n")
    (note,) = loaded.annotations.notes
    assert note.quote.text == "the Quds Force"
    assert (note.quote.where.line, note.quote.where.column) == (4, 10)


def test_references_point_at_the_id_in_the_list(tmp_path):
    loaded, found = findings(tmp_path, notes="""\
        - id: sofa
          quote: Status of Forces Agreement
          body: x
          see:
            - quds-force
            - quds-forse
        - id: quds-force
          quote: the Quds Force
          body: y
        """)
    assert found == [("N101", NOTES, 6, 7)]
    assert loaded.findings[0].message == (
        "note 'sofa': see: 'quds-forse' is neither a note nor a glossary entry (did you mean 'quds-force'?)")


def test_an_item_with_a_problem_still_counts_as_a_target_of_see(tmp_path):
    """One mistake, one message: the broken note is left out, but not reported as missing too."""
    loaded, found = findings(tmp_path, notes="""\
        - id: sofa
          quote: Status of Forces Agreement
          body: x
          see: [quds-force]
        - id: quds-force
          quote: the Quds Force
          body: y
          paragraph: two
        """)
    assert found == [("Y106", NOTES, 8, 3)]
    assert [n.id for n in loaded.annotations.notes] == ["sofa"]


def test_a_repeated_id_keeps_the_first_only(tmp_path):
    loaded, found = findings(tmp_path, notes="""\
        - id: a
          quote: the Quds Force
          body: first
        - id: a
          quote: the Green Zone
          body: second
        """)
    assert found == [("Y107", NOTES, 4, 7)]
    assert [n.body for n in loaded.annotations.notes] == ["first"]


def test_a_term_without_id_is_known_by_its_slug(tmp_path):
    loaded, found = findings(tmp_path, glossary="""\
        - term: Kataib Hezbollah
          definition: x
        - term: KH
          definition: y
          see: [kataib-hezbollah]
          aliases: [Kataib Hezbollah]
        """)
    assert found == [("G102", "annotations/glossary.yaml", 6, 13)]
    assert loaded.findings[0].message == "glossary: 'Kataib Hezbollah' is given for both 'Kataib Hezbollah' and 'KH'"


def test_unquoted_dates_and_years_are_read_as_written(tmp_path):
    loaded, found = findings(tmp_path, chronology="- date: 2003\n  end: 2011-12-18\n  event: 1979\n")
    assert found == []
    (event,) = loaded.annotations.chronology
    assert (event.date.iso(), event.end.iso(), event.event) == ("2003", "2011-12-18", "1979")


def test_chronology_problems_point_at_the_value(tmp_path):
    loaded, found = findings(tmp_path, chronology="""\
        - date: "2011-02-30"
          event: x
        - date: "2011"
          end: "2010"
          event: y
        """)
    assert found == [("C101", "annotations/chronology.yaml", 1, 9), ("C102", "annotations/chronology.yaml", 4, 8)]
    assert loaded.annotations.chronology == ()


def test_an_alias_is_refused_where_it_is_used(tmp_path):
    _, found = findings(tmp_path, notes="""\
        - id: a
          quote: &q the Quds Force
          body: x
        - id: b
          quote: *q
          body: y
        """)
    assert found == [("Y111", NOTES, 5, 10)]


def test_a_glossary_that_cannot_be_read_is_its_own_one_error_not_also_the_notes_that_name_it(tmp_path):
    _, found = findings(tmp_path, notes="""\
        - id: sofa
          quote: Status of Forces Agreement
          body: x
          see: [quds-force]
        - id: kh
          quote: Kataib Hezbollah
          body: y
          see: [no-such-entry]
        """, glossary="- term: Quds Force\n  definition:\tThe external arm.\n")
    assert found == [("Y112", "annotations/glossary.yaml", 2, 14)]
    # A glossary read as it should be: the unknown name is an error again.
    _, found = findings(tmp_path / "again", notes="- id: kh\n  quote: Kataib Hezbollah\n  body: y\n  see: [nope]\n",
                        glossary="- term: Quds Force\n  definition: The external arm.\n")
    assert [code for code, *_ in found] == ["N101"]


def test_deep_nesting_is_refused_without_reaching_the_recursion_limit(tmp_path):
    _, found = findings(tmp_path, notes="[" * 100_000)
    assert found == [("Y114", NOTES, 1, 21)]


def test_a_tab_after_a_colon_is_called_a_tab(tmp_path):
    _, found = findings(tmp_path, notes="- id: a\n  quote:\tthe Quds Force\n  body: x\n")
    assert found == [("Y112", NOTES, 2, 9)]


def test_nul_bytes_are_reported_at_their_line(tmp_path):
    root = make_edition(tmp_path / "ed")
    (root / "annotations" / "notes.yaml").write_bytes(b"- id: a\n  quote: x\n  body: \x00\n")
    assert [(f.code, f.line) for f in load(root).findings] == [("Y109", 3)]


def test_bom_and_windows_line_ends_are_fine(tmp_path):
    root = make_edition(tmp_path / "ed")
    (root / "annotations" / "notes.yaml").write_bytes(
        "\ufeff- id: a\r\n  quote: the Quds Force\r\n  body: x\r\n".encode("utf-8"))
    loaded = load(root)
    assert loaded.findings == () and loaded.annotations.notes[0].quote.text == "the Quds Force"


# --- the article's front matter ---------------------------------------------------------

ARTICLE_MD = "source/article.md"


def test_front_matter_problems_are_at_their_lines(tmp_path):
    article = ARTICLE.replace("lang: en", "lang: en\nautor: Someone\nsubtitle: [a, b]").replace(
        "date: 2021-05-04", "date: 2021-05-44")
    _, found = findings(tmp_path, article=article)
    assert sorted(found) == [("S106", ARTICLE_MD, 5, 7), ("S106", ARTICLE_MD, 8, 1), ("S107", ARTICLE_MD, 7, 1)]


def test_a_missing_title_is_one_finding(tmp_path):
    loaded, found = findings(tmp_path, article=ARTICLE.replace("title: A Small Test Article\n", ""))
    assert found == [("S105", ARTICLE_MD, 1, 0)]
    assert loaded.article.meta is None and loaded.article.paragraphs  # anchors are still checked


def test_front_matter_aliases_are_refused(tmp_path):
    """safe_load would build the value; printing a billion-laughs title would never end."""
    lol = "".join(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}, *l{i - 1}]\n" for i in range(1, 30))
    article = ARTICLE.replace("lang: en\n", "lang: en\nl0: &l0 lol\n" + lol + "subtitle: *l29\n")
    loaded, found = findings(tmp_path, article=article)
    assert found == [("S104", ARTICLE_MD, 8, 10)]
    assert "YAML aliases are not allowed ('*l0')" in loaded.findings[0].message


def test_an_indented_end_marker_is_text_of_the_bio_not_the_end_of_the_front_matter(tmp_path):
    """YAML ends a document only at a '---' or '...' line in column 1; cut at an indented one,
    the rest of the bio became a heading of the article, and check passed."""
    for marker in ("...", "---"):
        article = ARTICLE.replace("lang: en\n", f"lang: en\nbio: |\n  She wrote:\n  {marker}\n  and then stopped.\n")
        loaded, found = findings(tmp_path / marker, article=article)
        assert found == []
        assert loaded.article.meta.bio == f"She wrote:\n{marker}\nand then stopped."
        assert [b.kind for b in loaded.article.blocks][:1] == ["paragraph"]
        assert loaded.article.blocks[0].where.line == 13


def test_an_end_marker_in_column_one_ends_an_unfinished_block(tmp_path):
    article = ARTICLE.replace("lang: en\n", "lang: en\nbio: |\n  She wrote.\n").replace("\n---\n\n", "\n... \n\n")
    loaded, found = findings(tmp_path, article=article)
    assert found == [] and loaded.article.meta.bio == "She wrote."


def test_columns_count_from_the_line_an_editor_shows(tmp_path):
    """PyYAML starts a new line, and column 1, after U+2028; an editor does not."""
    line = '- {id: a, body: "x\u2028y\x85z", colour: red, quote: the Quds Force}\n'
    _, found = findings(tmp_path, notes="- id: b\n  quote: \"the\u2029Green Zone\"\n  body: x\n" + line)
    assert found == [("Y105", NOTES, 4, line.index("colour") + 1)]


# --- dates --------------------------------------------------------------------------------------

def test_year_zero_is_refused_where_it_is_written(tmp_path):
    """'0000' passed check, and the build failed with an internal error."""
    loaded, found = findings(tmp_path, article=ARTICLE.replace("date: 2021-05-04", 'date: "0000"'),
                             chronology='- date: "0000-01"\n  event: x\n')
    assert found == [("S106", ARTICLE_MD, 5, 7), ("C101", "annotations/chronology.yaml", 1, 9)]
    assert loaded.findings[0].message == (
        "front matter: 'date' “0000” is not a date: there is no year 0000; years run from 0001 to 9999")


@pytest.mark.parametrize("text", ["0001", "0001-01-01", "1863-11-19", "1969-12-31", "1970", "2038-01-20",
                                  "9999", "9999-12-31"])
def test_every_date_check_accepts_the_build_can_use(text, monkeypatch):
    """The build fixes the PDF's timestamps from the article's date (SOURCE_DATE_EPOCH, which
    may not be negative): every date from 0001 to 9999 gives one, before 1970 the epoch's start."""
    from glossator.pipeline import source_date
    from glossator.model import PartialDate
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    date = PartialDate.parse(text)
    with source_date(date):
        epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    expected = datetime.datetime(date.year, date.month or 1, date.day or 1, tzinfo=datetime.timezone.utc)
    assert epoch == max(0, int(expected.timestamp()))
    assert date.display() and date.iso() == text


PASTED_LINES = ["- id: a\n", "  quote: x\n", "  body: \"p\u2028q\x85r\u2029s\"\n", "  body: p\u2028q\n",
                "  colour: red\n", "  see: [\u2028b]\n", "- [\u2029\n", "  x\x85: y\n", "\"\u2028\n"]


@given(st.lists(st.sampled_from(PASTED_LINES), min_size=1, max_size=12))
@settings(max_examples=150, deadline=None, database=None, derandomize=True)
def test_every_line_reported_is_a_line_of_the_file_an_editor_shows(lines):
    import tempfile
    text = "".join(lines)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_edition(Path(tmp) / "ed")
        (root / "annotations" / "notes.yaml").write_text(text, encoding="utf-8")
        found = load(root).findings
    last_line = text.count("\n") + 1
    for f in found:
        line_text = text.split("\n")[f.line - 1] if f.line else ""
        assert f.line <= last_line and f.column <= len(line_text) + 1, (f, text)


def _walk(node):
    """Every node of a YAML tree as (kind, tag, value or None, style, line, column), in order."""
    value = node.value if isinstance(node.value, str) else None
    style = getattr(node, "style", getattr(node, "flow_style", None))
    yield type(node).__name__, node.tag, value, style, node.start_mark.line, node.start_mark.column
    if isinstance(node.value, list):
        for item in node.value:
            for child in (item if isinstance(item, tuple) else (item,)):
                yield from _walk(child)


@pytest.mark.skipif(load_module._FastComposer is None, reason="PyYAML built without libyaml")
def test_libyaml_composes_every_shipped_annotation_file_as_pyyaml_does():
    """Annotation files are parsed by libyaml where PyYAML would say the same (fast on long
    files): the same nodes, values, styles and places, so every finding is the same."""
    files = sorted((REPO / "annotations").glob("*.yaml")) + sorted(Path(__file__).parent.glob("editions/*/annotations/*.yaml"))
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = list(_walk(load_module._composed(load_module._FastComposer(text))))
        slow = list(_walk(load_module._composed(load_module._Composer(text))))
        assert fast == slow, path
