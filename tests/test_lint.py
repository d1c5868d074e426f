"""lint.py: what a paste from a web page leaves in an article, as `check` reports it."""
from __future__ import annotations

from conftest import make_edition, run_cli
from glossator.lint import article_findings
from glossator.load import load

HEAD = "---\ntitle: T\nauthor: A\nlang: en-US\n---\n\n"
PARA = ("The minister spoke for an hour about the budget, the roads and the schools, and "
        "promised that every promise made in the campaign would be kept before the winter.")
OTHER = "Nobody in the hall believed a word of it, and the newspapers said so the next morning in print."


def findings_for(tmp_path, body: str):
    root = make_edition(tmp_path / "ed", article=HEAD + body, notes="[]", glossary="[]", chronology="[]")
    return [(f.code, f.line, f.message) for f in article_findings(load(root).article)]


def test_a_paragraph_pasted_twice_is_reported_at_the_copy(tmp_path):
    found = findings_for(tmp_path, f"{PARA}\n\n{OTHER}\n\n“{PARA}”\n")
    assert found == [("S130", 11, "¶ 3 repeats ¶ 1 (line 7): ““The minister spoke for an hour about the…”")]


def test_a_pull_quote_block_may_repeat_its_paragraph(tmp_path):
    assert findings_for(tmp_path, f"{PARA}\n\n::: pullquote\n{PARA}\n:::\n\n{OTHER}\n") == []


def test_menus_breadcrumbs_and_boilerplate_left_in_an_article_are_named(tmp_path):
    body = (f"Home\n\nNews\n\nPolitics\n\nOpinion\n\n{PARA}\n\nHome › History › Primary Sources\n\n"
            f"## Enter your email address\n\n{OTHER}\n\nFacebook\n")
    found = findings_for(tmp_path, body)
    assert ("S131", 7, "4 short lines in a row without punctuation, like the site's menu: "
                       "“Home · News · Politics · Opinion”") in found
    assert ("S131", 17, "a breadcrumb or menu line, like the site's menu: “Home › History › Primary Sources”") in found
    assert ("S132", 19, "“Enter your email address” looks like a newsletter prompt, not the article's text") in found
    assert ("S132", 23, "“Facebook” looks like a share or social link, not the article's text") in found


def test_headings_and_a_short_closing_line_are_not_a_menu(tmp_path):
    body = f"## The Plan\n\n{PARA}\n\n## The Vote\n\n{OTHER}\n\nTime will tell.\n"
    assert findings_for(tmp_path, body) == []


def test_straight_quotes_and_double_hyphens_are_information_that_never_fails_strict(tmp_path):
    body = f"He said \"no\" -- twice -- and didn't mean it; {PARA}\n\n{OTHER}\n"
    found = findings_for(tmp_path, body)
    assert found == [("S133", 7, "straight quotes or '--' in the article (2 × \", 1 × ', 2 × --; the first "
                                 "here): the build sets them as curly quotes and dashes for lang en-US")]
    result = run_cli("check", tmp_path / "ed", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "source/article.md:7: S133 " in result.stdout
    assert "hint: Nothing to do, unless an apostrophe must not curl" in result.stdout
    assert "0 errors, 0 warnings" in result.stdout


def test_leftovers_are_warnings_that_fail_strict_with_line_and_hint(tmp_path):
    make_edition(tmp_path / "ed", article=HEAD + f"{PARA}\n\nSign up for our newsletter\n\n{OTHER}\n",
                 notes="[]", glossary="[]", chronology="[]")
    plain = run_cli("check", tmp_path / "ed")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    strict = run_cli("check", tmp_path / "ed", "--strict")
    assert strict.returncode == 1
    assert ("source/article.md:9: S132 “Sign up for our newsletter” looks like a sign-in prompt, "
            "not the article's text\n    hint: Delete it if it was copied") in strict.stdout
    assert "0 errors, 1 warning" in strict.stdout and "Traceback" not in strict.stderr


def test_the_bundled_edition_has_nothing_to_report():
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    assert article_findings(load(root).article) == []


def test_a_sentence_that_mentions_cookies_or_signing_up_is_not_furniture(tmp_path):
    body = (f"{PARA}\n\nThe soldiers' children baked cookies and sold them to sign up more volunteers.\n\n"
            f"{OTHER}\n")
    assert [code for code, _, _ in findings_for(tmp_path, body)] == ["S133"]  # the apostrophe of soldiers'



def test_a_pull_quote_pasted_as_a_paragraph_before_its_paragraph_is_a_copy(tmp_path):
    quote = "Every promise made in the campaign would be kept before the winter."
    found = findings_for(tmp_path, f"{OTHER}\n\n{quote}\n\n{PARA}\n")
    assert found == [("S130", 9, "¶ 2 repeats ¶ 3 (line 11): “Every promise made in the campaign would be kept…”")]


def test_information_is_in_the_json_report_but_not_counted(tmp_path):
    import json
    make_edition(tmp_path / "ed", article=HEAD + f"It isn't -- {PARA}\n", notes="[]", glossary="[]", chronology="[]")
    result = run_cli("check", tmp_path / "ed", "--strict", "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["ok"] is True and report["warnings"] == 0
    assert [(f["code"], f["severity"], f["line"]) for f in report["findings"]] == [("S133", "info", 7)]
