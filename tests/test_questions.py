"""annotations/questions.yaml and `audience: teacher`: read, checked, anchored (no WeasyPrint)."""
from __future__ import annotations

import json
import textwrap


from conftest import REPO, make_edition, run_cli
from glossator import schema
from glossator.pipeline import check
from glossator.variants import edition_for, statistics


def with_questions(root, text: str):
    (root / "annotations" / "questions.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def check_lines(root) -> tuple[int, list[str]]:
    result = run_cli("check", cwd=root)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout.splitlines()


NOTES = """\
- id: sofa
  quote: Status of Forces Agreement
  body: For everyone.
- id: tip
  quote: about the Quds Force
  audience: teacher
  body: For the teacher.
"""


def test_a_good_questions_file_checks_clean(tmp_path):
    root = with_questions(make_edition(tmp_path / "ed", notes=NOTES), """\
        - question: What does the first paragraph mention?
          quote: the Green Zone
          answer: The Green Zone.
          kind: long
        - question: Discuss.
          kind: discussion
          audience: teacher
        """)
    code, lines = check_lines(root)
    assert code == 0 and lines[-1].startswith("0 errors, 0 warnings"), lines


def test_a_quote_that_is_nowhere_is_an_error_naming_the_question_at_its_line(tmp_path):
    root = with_questions(make_edition(tmp_path / "ed"), """\
        - question: First?
          quote: the Green Zone
        - question: Second?
          quote: the Purple Zone in Basra
        """)
    code, lines = check_lines(root)
    assert code == 1
    assert lines[0].startswith("annotations/questions.yaml:4:10: A101 question '#2': quote not found: "
                               "“the Purple Zone in Basra”")
    assert lines[1].startswith("    hint: ")


def test_an_ambiguous_quote_is_an_error_listing_its_places(tmp_path):
    root = with_questions(make_edition(tmp_path / "ed"), """\
        - question: Where?
          quote: Baghdad
        """)
    code, lines = check_lines(root)
    assert code == 1
    assert lines[0].startswith("annotations/questions.yaml:2:10: A102 question '#1': quote occurs 2 times: ¶ 1")


def test_an_unknown_kind_or_audience_or_field_is_named_with_a_hint(tmp_path):
    root = with_questions(make_edition(tmp_path / "ed"), """\
        - question: One?
          kind: essay
        - question: Two?
          audience: students
        - question: Three?
          answr: Yes.
        """)
    code, lines = check_lines(root)
    assert code == 1
    assert lines[:6] == [
        "annotations/questions.yaml:2:9: Q101 question #1: kind “essay” is not one of short, long, discussion",
        "    hint: Write kind: short (3 ruled lines), long (8) or discussion (no lines), or leave it out.",
        "annotations/questions.yaml:4:13: Q102 question #2: audience “students” is not one of all, teacher",
        "    hint: Write audience: teacher for the teacher's copy only, or leave it out (everyone).",
        "annotations/questions.yaml:6:3: Y105 question #3: unknown field 'answr' (did you mean 'answer'?)",
        "    hint: Known fields: question, quote, answer, kind, audience, before, after, paragraph, occurrence.",
    ]


def test_a_notes_audience_is_checked_too(tmp_path):
    root = make_edition(tmp_path / "ed", notes=NOTES.replace("audience: teacher", "audience: teachers"))
    code, lines = check_lines(root)
    assert code == 1
    assert lines[0] == "annotations/notes.yaml:4:3: Q102 note 'tip': audience “teachers” is not one of all, teacher"


def test_a_question_file_that_is_not_a_list_is_a_yaml_error(tmp_path):
    root = with_questions(make_edition(tmp_path / "ed"), "question: What?\n")
    code, lines = check_lines(root)
    assert code == 1 and lines[0].startswith("annotations/questions.yaml:1:1: Y102 expected a list of questions")


def test_each_copy_takes_the_notes_and_questions_meant_for_it(tmp_path):
    root = with_questions(make_edition(tmp_path / "ed", notes=NOTES), """\
        - question: Warm-up.
          audience: teacher
        - question: What does the first paragraph mention?
          quote: the Green Zone
          answer: The Green Zone.
        """)
    checked = check(root)
    student, teacher, reader = (edition_for(checked, v) for v in ("student", "teacher", "reader"))
    assert [n.id for n in reader.notes] == [n.id for n in student.notes] == ["sofa"]
    assert [(n.number, n.id) for n in teacher.notes] == [(1, "sofa"), (2, "tip")]
    assert reader.questions == ()
    assert [(q.number, q.answer_html) for q in student.questions] == [(1, None)]
    assert student.questions[0].paragraph == 1 and student.questions[0].passage == "the Green Zone"
    assert [q.number for q in teacher.questions] == [1, 2]
    assert "The Green Zone." in teacher.questions[1].answer_html


def test_the_bundled_questions_are_many_answered_and_of_every_kind():
    checked = check(REPO)
    assert not checked.errors
    questions = checked.edition.questions
    assert len(questions) >= 8 and sum(bool(q.answer_html) for q in questions) >= 8
    assert {q.kind for q in questions} == set(schema.QUESTION_KINDS)
    assert sum(q.place is not None for q in questions) >= 8


def test_the_overview_counts_the_articles_words():
    stats = statistics(check(REPO).edition)
    assert 1200 < stats["words"] < 1350 and stats["minutes"] == 5
    assert 6 < stats["grade"] < 16


def test_the_questions_schema_is_printed_with_its_choices():
    result = run_cli("schema", "questions")
    assert result.returncode == 0
    fields = json.loads(result.stdout)["items"]["properties"]
    assert fields["kind"]["enum"] == ["short", "long", "discussion"]
    assert fields["audience"]["enum"] == ["all", "teacher"]
    assert json.loads(result.stdout)["items"]["required"] == ["question"]
