"""The bundled edition, end to end: what a reader finds in the PDF, and what the CLI says."""
from __future__ import annotations

import re

import yaml

from conftest import REPO, SLUG, bundled_build, cli, pdf_pages_text, run_cli
from pdfcheck import article_stream, body_stream, margin_text, read_pdf, reading_text, text_column


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "").replace("-\n", "-")).strip()


def test_every_word_of_the_article_is_in_the_pdf_in_order(bundled):
    article = (REPO / "source" / "article.md").read_text(encoding="utf-8")
    expected = article_stream(article)
    found = body_stream(bundled)
    assert len(expected) > 6000
    if found != expected:
        at = next(i for i, (a, b) in enumerate(zip(found, expected)) if a != b) if found[:len(expected)] != expected else len(expected)
        raise AssertionError(f"body text differs at {at}: PDF …{found[at - 40:at + 40]}… "
                             f"article …{expected[at - 40:at + 40]}…")


def column_text(pdf) -> str:
    """The first page's text column, as one line."""
    with read_pdf(pdf) as doc:
        page = doc.pages[0]
        left, right = text_column(0, "letter", True)
        return flat(page.crop((left - 1, 0, right + 1, page.height)).extract_text() or "")


def test_boilerplate_is_gone_and_pull_quotes_appear_once(bundled):
    text = reading_text(bundled)
    for junk in ("You are reading a free article", "Subscribe Now", "Paywall-free reading", "More By Emma Sky"):
        assert junk not in text
    # Each pull quote is set once as a pull quote, besides the body sentence it repeats.
    assert text.count("symbolizing the high hopes that both countries had for the") == 1


def test_title_block_bio_credits_and_appendix_headings(bundled):
    pages = [flat(t) for t in pdf_pages_text(bundled)]
    assert "The Death of the U.S.-Iraqi Relationship" in column_text(bundled)  # a note may stand beside it
    assert "Emma Sky" in pages[0] and "Foreign Affairs" in pages[0] and "January 3, 2020" in pages[0]  # en-US
    everything = reading_text(bundled)
    assert "About the author" in everything
    assert "Maurice R. Greenberg World Fellows Program" in everything
    assert "foreignaffairs.com/articles/iran/2020-01-03/death-us-iraqi-relationship" in everything.replace(" ", "")
    assert any(p.startswith("Glossary") or " Glossary " in p[:80] for p in pages)
    assert any("Chronology" in p[:120] for p in pages)


def test_every_note_and_glossary_term_is_printed(bundled):
    text = reading_text(bundled)
    margin = margin_text(bundled)
    notes = yaml.safe_load((REPO / "annotations" / "notes.yaml").read_text(encoding="utf-8"))
    terms = yaml.safe_load((REPO / "annotations" / "glossary.yaml").read_text(encoding="utf-8"))
    assert len(notes) >= 16 and len(terms) >= 20
    for note in notes:
        assert note["title"] in margin, note["id"]
        first_words = " ".join(note["body"].split()[:6]).replace("*", "")
        assert first_words in margin, note["id"]
    for term in terms:
        assert term["term"] in text, term["term"]


def test_a_notes_sources_are_joined_as_sentences_where_they_end_in_a_full_stop(bundled):
    """Several citations: "…2020. Encyclopaedia Britannica…", never "…2020.; Encyclopaedia…";
    "; " only between citations that do not end a sentence. In the PDF and in the HTML."""
    notes = yaml.safe_load((REPO / "annotations" / "notes.yaml").read_text(encoding="utf-8"))
    joined = [s for note in notes for s in note.get("sources", [])[:-1] if s.endswith(".")]
    assert len(joined) >= 3  # the bundled edition has such notes: the test can fail
    html = flat(re.sub(r"<[^>]+>", "", bundled.with_suffix(".html").read_text(encoding="utf-8")))
    for text in (flat(margin_text(bundled)), html):
        assert ".;" not in text
    assert "January 2, 2020. Encyclopaedia Britannica" in html


def test_pdf_metadata_bookmarks_and_links(bundled):
    with read_pdf(bundled) as pdf:
        assert pdf.metadata["Title"] == "The Death of the U.S.-Iraqi Relationship"
        assert pdf.metadata["Author"] == "Emma Sky"
        catalog = pdf.doc.catalog
        assert catalog["Lang"].decode() == "en-US"
        outlines = [title for (_, title, *_rest) in pdf.doc.get_outlines()]
        assert {"The Death of the U.S.-Iraqi Relationship", "About the author", "Glossary", "Chronology"} <= set(outlines)
        links = sum(len(page.annots or []) for page in pdf.pages)
    notes = yaml.safe_load((REPO / "annotations" / "notes.yaml").read_text(encoding="utf-8"))
    assert links >= 2 * len(notes)  # every call links to its note, every note back to its call


def test_a4_build_writes_an_a4_pdf(build_once):
    result, tmp_path = bundled_build(build_once, "a4")
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and "pages in" in result.stdout
    with read_pdf(tmp_path / f"{SLUG}.pdf") as pdf:
        assert abs(pdf.pages[0].width - 595.28) < 0.5 and abs(pdf.pages[0].height - 841.89) < 0.5


def test_missing_quote_names_file_line_and_quote_and_writes_nothing(edition, tmp_path):
    folder = edition(notes="""\
        - id: sofa
          quote: Status of Forces Agreement
          body: The 2008 agreement that set the terms of the U.S. presence in Iraq.
        - id: ghost
          quote: a passage that is not there
          body: This note has nowhere to go.
        """)
    out = tmp_path / "out"
    result = run_cli("build", folder, "--out", out)
    assert result.returncode == 1
    assert "annotations/notes.yaml:5:10:" in result.stderr  # the quote of the second note
    assert "A101" in result.stderr and "a passage that is not there" in result.stderr
    assert "hint:" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_not_a_folder_is_a_usage_error(tmp_path):
    result = run_cli("build", tmp_path / "nowhere")
    assert result.returncode == 2
    assert "not a folder" in result.stderr and "Traceback" not in result.stderr


def test_line_numbers_count_every_fifth_line_in_the_inside_margin(tmp_path):
    from conftest import make_edition
    from pdfcheck import BODY_SIZE, glyphs, numbers_at, text_column

    # The bundled article alone (no notes, glossary or chronology): its pages, at less cost.
    root = make_edition(tmp_path / "edition", article=(REPO / "source" / "article.md").read_text(encoding="utf-8"))
    result = cli("build", root, "--out", tmp_path, "--line-numbers")
    assert result.returncode == 0, result.stderr
    found = []
    with read_pdf(next(tmp_path.glob("*.pdf"))) as pdf:
        for index, page in enumerate(pdf.pages):
            left, right = text_column(index, "letter", True)
            inside_is_left = index % 2 == 0
            baseline = {round(c["bottom"], 1): page.height - c["matrix"][5] for c in page.chars}
            body_lines = {baseline[round(c.bottom, 1)] for c in glyphs(page) if abs(c.size - BODY_SIZE) < 0.2}
            for number, x, top in numbers_at(page, 6.0, "Glossator-Sans"):
                assert (x < left) == inside_is_left and (x > right) != inside_is_left, number
                # level with a line of the article: on the baseline of body glyphs
                own = baseline[round(next(c.bottom for c in glyphs(page) if c.x0 == x and c.text == number[0]), 1)]
                assert any(abs(own - b) <= 0.2 for b in body_lines), number
                found.append(int(number))
    assert found == list(range(5, 5 * len(found) + 1, 5)) and len(found) >= 20


def test_the_html_edition_finds_every_file_its_stylesheet_links_to(bundled):
    """The fonts travel with the HTML edition, with their licence: opened from output/, it
    is set in the edition's own faces, not the browser's fallback."""
    html = next(bundled.parent.glob("*.html")).read_text(encoding="utf-8")
    links = set(re.findall(r"url\(([^)]+)\)", html))
    assert {link.split("/")[0] for link in links} == {"fonts"} and len(links) >= 7
    for link in links:
        assert (bundled.parent / link).read_bytes() == (REPO / "src" / "glossator" / "theme" / link).read_bytes()
    assert "SIL OPEN FONT LICENSE" in (bundled.parent / "fonts" / "OFL.txt").read_text(encoding="utf-8").upper()


def test_a_build_whose_fonts_are_subset_by_fonttools_says_how_to_be_faster(monkeypatch):
    from glossator import pipeline
    from glossator.placement import measure

    monkeypatch.setattr(measure, "subsets_with_harfbuzz", lambda: False)
    (warning,) = pipeline.subsetter_warning()
    assert warning.code == "R106" and "libharfbuzz-subset0" in warning.hint
    monkeypatch.setattr(measure, "subsets_with_harfbuzz", lambda: True)
    assert pipeline.subsetter_warning() == ()


def test_a_finding_with_no_file_is_said_without_an_empty_place():
    from glossator.errors import finding

    said = finding("R103", None, reason="the call of note 1 moved").format()
    assert said.startswith("R103 layout did not settle: the call of note 1 moved"), said


def test_a_copy_an_earlier_build_left_is_named_when_an_input_changed_since(tmp_path):
    """A teacher who rebuilds the reader's copy after an edit is told that the student copy
    beside it was not made again, and how to make it (and the copy is left alone)."""
    import os

    from conftest import make_edition

    root = make_edition(tmp_path / "ed", notes="- id: quds\n  quote: the Quds Force\n  body: Iran's foreign arm.\n")
    student = root / "output" / "a-small-test-article-student.pdf"
    student.parent.mkdir()
    student.write_bytes(b"last week's copy")
    os.utime(student, (1, 1))
    result = run_cli("build", root)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^\S*ed/output/a-small-test-article-student\.pdf: O106 a copy made before "
                     r"(source/article\.md|annotations/notes\.yaml) last changed", result.stderr, re.M), result.stderr
    assert "glossator build --all" in result.stderr
    assert student.read_bytes() == b"last week's copy"


def test_only_copies_older_than_the_newest_input_and_not_made_now_are_stale(tmp_path):
    import os

    from conftest import make_edition
    from glossator.pipeline import stale_copies

    root = make_edition(tmp_path / "ed")
    out = root / "output"
    out.mkdir()
    for name in ("x-teacher.pdf", "x-student-booklet.pdf", "x-large-print.pdf", "x.pdf", "notes.txt"):
        (out / name).write_bytes(b"old")
        os.utime(out / name, (1, 1))
    os.utime(root / "source" / "article.md", (100, 100))
    os.utime(out / "x-large-print.pdf", (200, 200))  # made after the last edit
    (root / "source" / ".article.md.swp").write_text("an editor's swap file")  # not an input
    found = stale_copies(root, out, "x", made={"x.pdf", "x-teacher.pdf"})
    assert [(f.code, f.path, f.severity) for f in found] == [("O106", "output/x-student-booklet.pdf", "warning")]
    assert "source/article.md" in found[0].message
