"""Habits users bring from other tools and from web pages, read as they expect or reported
plainly: Pandoc's and Quarto's markup, pasted line separators, unclosed YAML quotes,
typed dashes, the case of an option's word."""
from __future__ import annotations

import json

import pytest

from conftest import make_edition
from glossator.anchor import Anchorer
from glossator.cli import main, parser
from glossator.lint import article_findings
from glossator.load import compose_yaml, load, parse_blocks, yaml_problem
from glossator.model import Article, Quote, Where

HEAD = "---\ntitle: T\nauthor: A\nlang: en-US\n---\n\n"  # the body starts on line 7
ONE = "The minister spoke for an hour about the budget, the roads and the schools."
TWO = "Nobody in the hall believed a word of it, and the newspapers said so the next morning."
THREE = "The next year the roads were mended, and the schools had their new roofs by the autumn."


def blocks_of(body: str):
    findings: list = []
    return parse_blocks(body, 7, findings), findings


def shown(findings) -> list[str]:
    return [f.format() for f in findings]


def check_cli(capsys, root, *options) -> tuple[int, str]:
    code = main(["check", str(root), *options])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out


# --- Pandoc's footnotes: an error that says how to make each a note ---------------------------

def test_a_pandoc_footnote_is_an_error_at_its_call_whose_hint_writes_the_note(tmp_path, capsys):
    body = f"{ONE}\n\n{TWO} It was so.[^1]\n\n{THREE}\n\n[^1]: The *Herald* said so on 6 January.\n"
    root = make_edition(tmp_path / "ed", HEAD + body, notes="[]", glossary="[]", chronology="[]")
    code, out = check_cli(capsys, root)
    assert code == 1
    assert (f"{root}/source/article.md:9:98: S140 footnote '[^1]': Glossator sets no footnotes in the article; "
            "its notes come from annotations/notes.yaml\n    hint: Delete '[^1]' here and its definition (line 13), "
            "and add to annotations/notes.yaml a note with quote: \"the next morning. It was so.\" and "
            "body: \"The *Herald* said so on 6 January.\".") in out


def test_the_definition_is_no_paragraph_and_the_call_is_not_printed():
    blocks, findings = blocks_of(f"{ONE}[^a]\n\n[^a]: A note.\n\n{TWO}\n")
    assert [(b.kind, b.number, b.text) for b in blocks] == [("paragraph", 1, ONE), ("paragraph", 2, TWO)]
    assert [f.code for f in findings] == ["S140"]


def test_inline_undefined_and_uncalled_footnotes_are_errors_too():
    _, findings = blocks_of(f"{ONE}^[An inline note.]\n\n{TWO}[^missing]\n\n{THREE}\n\n[^alone]: Never called.\n")
    assert [(f.code, f.line, f.column) for f in findings] == [("S140", 7, len(ONE) + 1), ("S140", 9, len(TWO) + 1),
                                                              ("S140", 13, 1)]
    inline, missing, alone = findings
    assert "Delete '^[…]' here, and add to annotations/notes.yaml a note with quote: " in inline.hint
    assert 'body: "An inline note."' in inline.hint
    assert missing.hint.startswith("Delete '[^missing]' (it has no definition), or add")
    assert alone.message.startswith("footnote '[^alone]:'")


# --- comments, fenced divs, heading attributes, page breaks: forgiven, and said --------------

def test_an_html_comment_is_left_out_and_takes_no_paragraph_number(tmp_path, capsys):
    body = (f"{ONE}\n\n<!-- TODO: check this -- against the Record -->\n\n{TWO} <!-- mine -->\n\n"
            "<!--\na note on\nseveral lines\n-->\n\n" f"{THREE}\n")
    blocks, findings = blocks_of(body)
    assert [(b.number, b.text) for b in blocks] == [(1, ONE), (2, TWO + " "), (3, THREE)]
    assert [(f.code, f.severity, f.line) for f in findings] == [("S141", "info", 9), ("S141", "info", 11),
                                                                ("S141", "info", 13)]
    assert findings[0].message == ("an HTML comment is left out of the edition, as Pandoc leaves it out: "
                                   "“TODO: check this -- against the Record”")
    root = make_edition(tmp_path / "ed", HEAD + body, notes="[]", glossary="[]", chronology="[]")
    code, out = check_cli(capsys, root, "--strict")
    assert code == 0 and "S141" in out and "S133" not in out  # a comment's '--' is not typeset


def test_a_fenced_div_loses_its_fences_and_keeps_its_paragraphs_with_a_warning():
    blocks, findings = blocks_of(f"{ONE}\n\n::: {{.callout-note}}\n{TWO}\n:::\n\n{THREE}\n")
    assert [(b.kind, b.number, b.text) for b in blocks] == [("paragraph", 1, ONE), ("paragraph", 2, TWO),
                                                            ("paragraph", 3, THREE)]
    assert shown(findings) == [
        "source/article.md:9: S142 fenced div '::: {.callout-note}': its ':::' lines are left out and what it "
        "holds is set as ordinary paragraphs\n    hint: Glossator knows one kind of block, '::: pullquote' (a pull "
        "quote). Delete the ':::' lines to keep the text as paragraphs, or make it '::: pullquote'."]


def test_pandocs_way_of_naming_a_pull_quote_is_a_pull_quote():
    blocks, findings = blocks_of(f"{ONE}\n\n::: {{.pullquote}}\n{TWO}\n:::\n\n{THREE}\n")
    assert [(b.kind, b.number) for b in blocks] == [("paragraph", 1), ("pullquote", None), ("paragraph", 2)]
    assert findings == []


def test_heading_attributes_are_left_out_as_information():
    blocks, findings = blocks_of(f"## The *Plan* {{#plan .unnumbered}}\n\n{ONE}\n\n## Later {{-}}\n\n{TWO}\n")
    assert [b.text for b in blocks if b.kind == "heading"] == ["The Plan", "Later"]
    assert [(f.code, f.severity, f.line) for f in findings] == [("S143", "info", 7), ("S143", "info", 11)]
    assert findings[0].message.startswith("heading attributes '{#plan .unnumbered}' are left out")


@pytest.mark.parametrize("command", ["\\newpage", "\\pagebreak", "\\clearpage", "{{< pagebreak >}}"])
def test_a_page_break_command_is_left_out_with_a_warning(command):
    blocks, findings = blocks_of(f"{ONE}\n\n{command}\n\n{TWO}\n")
    assert [(b.number, b.text) for b in blocks] == [(1, ONE), (2, TWO)]
    assert shown(findings) == [f"source/article.md:9: S144 '{command}' is left out: Glossator breaks the pages "
                               "itself\n    hint: Delete the line: pages break where the notes fit best beside "
                               "their lines, and never after a heading."]


# --- what would be printed as written: errors -----------------------------------------------------

def test_citations_shortcodes_raw_latex_and_spans_are_errors_at_their_place(tmp_path):
    body = (f"{ONE} As shown [see @smith2020, p. 3].\n\n{{{{< video https://example.org/v >}}}}\n\n"
            f"{TWO} It was \\textbf{{bold}}.\n\n{THREE} A [small caps]{{.smallcaps}} word.\n\n"
            "Mail me at [a@b.org](mailto:a@b.org) or ann@example.org, C:\\Users\\ann.\n")
    root = make_edition(tmp_path / "ed", HEAD + body, notes="[]", glossary="[]", chronology="[]")
    found = [f for f in article_findings(load(root).article) if f.code == "S145"]
    assert [(f.line, f.column, f.message) for f in found] == [
        (7, len(ONE) + 11, "a Pandoc citation would be printed as written: “[see @smith2020, p. 3]”"),
        (9, 1, "a Quarto shortcode would be printed as written: “{{< video https://example.org/v >}}”"),
        (11, len(TWO) + 9, "raw LaTeX would be printed as written: “\\textbf”"),
        (13, len(THREE) + 4, "a span with attributes would be printed as written: “[small caps]{.smallcaps}”")]
    assert all(f.severity == "error" and f.hint for f in found)


# --- S133: what the typographer really changes; not in a failed build -----------------------

def test_em_dashes_typed_as_three_hyphens_are_counted_as_such_and_need_no_advice(tmp_path):
    root = make_edition(tmp_path / "ed", HEAD + f"One---two---three \"x\". `a -- b` {ONE}\n",
                        notes="[]", glossary="[]", chronology="[]")
    (s133,) = article_findings(load(root).article)
    assert "(2 × \", 2 × ---; the first here)" in s133.message
    assert s133.hint == ("Nothing to do, unless an apostrophe must not curl as an opening quote (’90s, ’tis): "
                         "write ’ there yourself.")


def test_double_hyphens_get_the_advice_on_em_dashes(tmp_path):
    root = make_edition(tmp_path / "ed", HEAD + f"{ONE}\n\nOne -- two---three.\n",
                        notes="[]", glossary="[]", chronology="[]")
    (s133,) = article_findings(load(root).article)
    assert (s133.line, "(1 × ---, 1 × --; the first here)" in s133.message) == (9, True)
    assert s133.hint.endswith("'--' prints as an en dash (–): write '---' where an em dash (—) is meant.")


def test_a_failed_build_shows_its_errors_not_information(tmp_path, capsys):
    notes = '- id: n\n  quote: "zebras graze on the savannah at noon"\n  body: B.\n'
    root = make_edition(tmp_path / "ed", HEAD + f"He said \"no\" -- twice. {ONE}\n", notes=notes,
                        glossary="[]", chronology="[]")
    code = main(["build", str(root), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1 and "A101" in err and "S133" not in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert check_cli(capsys, root)[1].count("S133") == 1  # check still says it


# --- pasted line separators ---------------------------------------------------------------

def test_pasted_line_separators_are_read_as_spaces_in_the_article_and_the_annotations(tmp_path, capsys):
    body = f"Every realist\u2028knows it.\u2029Then\x85more. {ONE}\n"
    blocks, findings = blocks_of(body)
    assert blocks[0].text == f"Every realist knows it. Then more. {ONE}" and findings == []
    notes = '- id: r\n  quote: "realist\u2028knows"\n  body: "A line\u2028separator."\n'
    root = make_edition(tmp_path / "ed", HEAD + body, notes=notes, glossary="[]", chronology="[]")
    loaded = load(root)
    assert loaded.annotations.notes[0].body == "A line separator."
    code, out = check_cli(capsys, root, "--strict")
    assert (code, "F101" in out, "A10" in out) == (0, False, False), out


def test_a_control_character_no_font_has_is_reported(tmp_path, capsys):
    root = make_edition(tmp_path / "ed", HEAD + f"A stray\x01control. {ONE}\n", notes="[]", glossary="[]",
                        chronology="[]")
    code, out = check_cli(capsys, root)
    assert "source/article.md:7: F101 ¶ 1: no font of the edition has 1 of its characters, which print as empty " \
           "boxes: U+0001 \\x01" in out
    assert "came with a paste: delete it." in out


# --- an unclosed YAML quote, where it opens -----------------------------------------------------

def yaml_error(text: str) -> str:
    with pytest.raises(Exception) as info:
        compose_yaml(text)
    return yaml_problem(info.value, "annotations/notes.yaml", text).format()


def test_an_unclosed_quote_is_reported_at_its_line_not_where_yaml_gave_up():
    text = ('- id: a\n  quote: "pay for them all in ready cash\n  title: Cash\n  body: >-\n    Text.\n'
            '  sources:\n    - "A source."\n')
    assert yaml_error(text) == (
        "annotations/notes.yaml:2:10: Y119 the quote \" opened here is not closed on its line: YAML read the lines "
        "below, up to the next \" (line 7), as this value\n    hint: Close the quote at the end of the value; for a "
        "value holding a quote mark, write it inside the other kind (\"it's\", 'he said \"no\"'), double it inside "
        "single quotes ('it''s'), or use a block scalar ('>-', then the text on the lines below, indented).")


def test_a_quote_never_closed_or_closed_early_by_an_apostrophe():
    assert yaml_error('- id: a\n  quote: "pay for\n  body: B\n').startswith(
        "annotations/notes.yaml:2:10: Y119 the quote \" opened here is never closed")
    assert yaml_error("- id: a\n  quote: 'it's here'\n  body: B\n").startswith(
        "annotations/notes.yaml:2:10: Y119 the quote ' opened here is closed early, by the ' in column 13")


def test_other_yaml_errors_keep_their_message_and_a_quote_over_lines_is_fine():
    assert compose_yaml('- id: a\n  body: "long\n    text"\n  quote: x\n') is not None
    assert yaml_error("- id: a\n  title: Cash and carry: the Act\n").startswith(
        "annotations/notes.yaml:2:24: Y101 YAML syntax error: mapping values are not allowed here")


def test_an_unclosed_quote_in_the_front_matter(tmp_path, capsys):
    root = make_edition(tmp_path / "ed", f"---\ntitle: \"T\nauthor: A\n---\n\n{ONE}\n", notes="[]",
                        glossary="[]", chronology="[]")
    code, out = check_cli(capsys, root)
    assert code == 1
    assert "source/article.md:2:8: S104 front matter: the quote \" opened here is never closed" in out


# --- the closest passage, in whole words --------------------------------------------------------

def article(*paragraphs: str) -> Article:
    return Article(None, tuple(parse_blocks("\n\n".join(paragraphs), 1, [])), Where("source/article.md"))


def test_the_closest_passage_is_shown_in_whole_words():
    art = article("They have cried for the downfall of democratic nations all over the world.")
    (f,) = Anchorer(art).resolve(Quote("the great arsenal of democracy"), "note", "n", Where("n.yaml", 1)).findings
    assert f.message.endswith("the closest passage, ¶ 1 “the downfall of democratic”, is 56% alike")


def test_a_word_too_long_to_take_in_whole_is_cut_at_a_words_end_with_an_ellipsis():
    art = article("The chemist named it pneumonoultramicroscopicsilicovolcanoconiosis in her report.")
    (f,) = Anchorer(art).resolve(Quote("a chemist who called it pneumonoul"), "note", "n", Where("n.yaml", 1)).findings
    assert "“The chemist named it…”" in f.message


# --- options whose choices are words ------------------------------------------------------------

def test_word_choices_take_any_case():
    args = parser().parse_args(["build", "--paper", "A4", "--variant", "Teacher", "--pdf-variant", "PDF/A-2B"])
    assert (args.paper, args.variant, args.pdf_variant) == ("a4", "teacher", "pdf/a-2b")
    assert parser().parse_args(["check", "--format", "JSON"]).format == "json"
    assert parser().parse_args(["schema", "Notes"]).kind == "notes"
    with pytest.raises(SystemExit) as info:
        parser().parse_args(["build", "--paper", "A5"])
    assert info.value.code == 2


def test_json_check_output_still_parses_with_the_new_findings(tmp_path, capsys):
    root = make_edition(tmp_path / "ed", HEAD + f"{ONE}\n\n<!-- mine -->\n\n{TWO}\n", notes="[]", glossary="[]",
                        chronology="[]")
    code, out = check_cli(capsys, root, "--format", "JSON")
    assert code == 0 and [f["code"] for f in json.loads(out)["findings"]] == ["S141"]
