"""The PDF's kinds: tagged (the default), --untagged, archival PDF/A (--pdf-variant, with
--embed-sources), and PDF/X-4 for a print shop (--print-shop), on Letter and A4.

Each variant of the bundled edition is built once per session (in one process, a Renderer
per paper, as `watch` keeps one: the layouts are reused, only the PDF is written again);
the default one as a user builds it, by the CLI (conftest.bundled_build).
"""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from markupsafe import Markup
from PIL import Image, ImageChops

import pdfua
from conftest import REPO, SLUG, bundled_build, run_cli
from glossator import ids
from glossator.model import BLEED_MM, PAPERS, Options
from glossator.pipeline import build, check

MM = 72 / 25.4
VARIANTS = {
    "untagged": dict(tagged=False),
    "pdf/a-3b": dict(pdf_variant="pdf/a-3b", embed_sources=True),
    "pdf/a-2b": dict(pdf_variant="pdf/a-2b"),
    "print-shop": dict(print_shop=True),
}


@pytest.fixture(scope="session")
def variant(tmp_path_factory):
    """variant(name, paper) -> the bundled edition's PDF of that kind, built once."""
    from glossator.render import Renderer

    built: dict = {}
    renderers: dict = {}

    def make(name: str, paper: str, again: bool = False) -> Path:
        """again: build it once more (with the layouts kept), into another folder."""
        if (name, paper) not in built or again:
            out = tmp_path_factory.mktemp(f"{name.replace('/', '-')}-{paper}")
            renderer = renderers.setdefault((paper, name == "print-shop"), Renderer(REPO))
            result = build(REPO, out, Options(paper=paper, **VARIANTS[name]), renderer=renderer)
            pdf = next(p for p in result.files if p.suffix == ".pdf")
            if again:
                return pdf
            built[(name, paper)] = pdf
        return built[(name, paper)]

    return make


@pytest.fixture(scope="session")
def edition():
    return check(REPO).edition


# --- tagged: the structure a screen reader reads ---------------------------------------------

def test_default_pdf_is_tagged_and_passes_the_structural_check(bundled):
    assert pdfua.problems(bundled) == []
    info = subprocess.run(["pdfinfo", bundled], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info


def test_checker_finds_an_untagged_pdf(variant):
    assert pdfua.problems(variant("untagged", "letter")) == ["no structure tree"]


def test_reading_order_is_the_article_word_for_word_each_note_after_its_paragraph(bundled, edition):
    expected = []
    for index, block in enumerate(edition.blocks):
        if block.kind == "pullquote":
            continue  # repeats the text: an artifact
        text = "".join(p.text for p in block.pieces if p.kind == "text")
        expected.append(("P" if block.kind == "paragraph" else "H2", "", pdfua.words(text)))
        expected += [("Note", ids.note(n.number), None) for n in edition.notes if n.block == index]
    read = pdfua.reading_order(bundled)
    assert [(role, ident) for role, ident, _ in read] == [(role, ident) for role, ident, _ in expected]
    for (role, ident, text), (_, _, words) in zip(read, expected):
        if words is not None:
            assert pdfua.words(text) == words, ident or text[:40]


def test_each_note_reads_its_own_text(bundled, edition):
    notes = {ident: text for role, ident, text in pdfua.reading_order(bundled) if role == "Note"}
    for n in edition.notes:
        body = "".join(Markup(n.body_html).striptags().split())
        assert body in "".join(notes[ids.note(n.number)].split()), n.number


def test_page_furniture_and_numbers_are_artifacts(bundled):
    read = " ".join(text for _, _, text in pdfua.reading_order(bundled))
    assert "¶" not in read
    geometry = PAPERS["letter"]
    pages = pdfua.page_chars(bundled)  # running heads and folios, above and below the text
    furniture = [c for chars in pages for c in chars
                 if c["bottom"] < geometry.top or c["top"] > geometry.height - geometry.bottom]
    numbers = [c for chars in pages[:3] for c in chars if c["text"] == "¶"]
    assert furniture and numbers
    assert all(c.get("mcid") is None for c in furniture + numbers)  # drawn, as /Artifact


def test_glossary_and_chronology_are_lists_and_the_timeline_a_figure(bundled, edition):
    with pikepdf.open(bundled) as pdf:
        document = pdfua.structure(pdf)
    lists = [e for e in document.walk() if e.role == "L"]
    items = [[k.role for k in li.kids] for lst in lists for li in lst.kids if isinstance(li, pdfua.Element)]
    assert len(items) == len(edition.glossary) + len(edition.chronology)
    assert all(roles == ["Lbl", "LBody"] for roles in items)
    figures = [e for e in document.walk() if e.role == "Figure"]
    assert [f.alt.split(",")[0] for f in figures] == [
        f"Timeline of {len(edition.chronology)} events from 1979 to 2020"]


def test_metadata_language_title_bookmarks_and_link_descriptions(bundled):
    with pikepdf.open(bundled) as pdf:
        assert str(pdf.Root.Lang) == "en-US"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        links = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
        described = {str(a.Contents) for a in links}
    assert "Note 12" in described and "Back to the call of note 12 in the text" in described


def test_untagged_is_todays_smaller_file(variant, bundled):
    untagged = variant("untagged", "letter")
    with pikepdf.open(untagged) as pdf:
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
    assert untagged.stat().st_size < bundled.stat().st_size <= 1.35 * untagged.stat().st_size


# --- archival ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, paper", [("pdf/a-3b", "letter"), ("pdf/a-2b", "a4")])
def test_pdf_a_metadata_output_intent_and_structure(variant, name, paper):
    path = variant(name, paper)
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == name[6] and meta["pdfaid:conformance"] == "B"
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == "The Death of the U.S.-Iraqi Relationship"
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
        assert pdf.pdf_version >= "1.7"
    assert pdfua.problems(path) == []


def test_embedded_sources_come_out_byte_for_byte(variant):
    with pikepdf.open(variant("pdf/a-3b", "letter")) as pdf:
        files = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
        relationships = {str(spec.AFRelationship) for spec in pdf.Root.AF}
    expected = {str(p.relative_to(REPO)): p.read_bytes()
                for p in [REPO / "source/article.md", *sorted((REPO / "annotations").glob("*.yaml"))]}
    assert files == expected
    assert relationships == {"/Source"}


def test_nothing_is_embedded_without_embed_sources(variant):
    with pikepdf.open(variant("pdf/a-2b", "a4")) as pdf:
        assert len(pdf.attachments) == 0 and "/AF" not in pdf.Root


@pytest.mark.parametrize("args, message", [
    (["--embed-sources"], "--embed-sources needs --pdf-variant pdf/a-3b"),
    (["--embed-sources", "--pdf-variant", "pdf/a-2b"], "--embed-sources needs --pdf-variant pdf/a-3b"),
    (["--print-shop", "--pdf-variant", "pdf/a-3b"], "cannot be combined"),
])
def test_impossible_combinations_are_usage_errors(tmp_path, args, message):
    result = run_cli("build", REPO, "--out", tmp_path / "out", *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --- print shop --------------------------------------------------------------------------------

@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_print_shop_pdf_x4_with_bleed_and_crop_marks(variant, paper):
    geometry = PAPERS[paper]
    with pikepdf.open(variant("print-shop", paper)) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX" and "/DestOutputProfile" in intent
        for page in pdf.pages:
            trim, bleed, media = (_box(page.obj[key]) for key in ("/TrimBox", "/BleedBox", "/MediaBox"))
            assert trim[2] - trim[0] == pytest.approx(geometry.width, abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(geometry.height, abs=0.01)
            assert bleed == pytest.approx((trim[0] - BLEED_MM * MM, trim[1] - BLEED_MM * MM,
                                           trim[2] + BLEED_MM * MM, trim[3] + BLEED_MM * MM), abs=0.01)
            assert media[0] <= bleed[0] and media[1] <= bleed[1] and media[2] >= bleed[2] and media[3] >= bleed[3]
    assert pdfua.problems(variant("print-shop", paper)) == []


def _box(array) -> tuple:
    return tuple(float(v) for v in array)


@pytest.mark.parametrize("name, paper", [("pdf/a-3b", "letter"), ("print-shop", "a4")])
def test_variants_are_rebuilt_byte_for_byte(variant, name, paper):
    # WeasyPrint gives PDF/A and PDF/X a random file id and PDF/X a random XMP document id
    first = variant(name, paper)
    assert variant(name, paper, again=True).read_bytes() == first.read_bytes()


# --- the same pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("name", ["untagged", "pdf/a-2b", "print-shop"])
def test_every_variant_sets_the_same_pages(variant, build_once, name, paper):
    reference = bundled_build(build_once, paper)[1] / f"{SLUG}.pdf"  # tagged, as a user builds it
    mine, theirs = _pages(variant(name, paper)), _pages(reference)
    assert len(mine) == len(theirs)
    for index, (a, b) in enumerate(zip(mine, theirs)):
        assert a.size == b.size, index
        differing = sum(1 for v in ImageChops.difference(a, b).get_flattened_data() if v > 64)
        assert differing <= 0.002 * a.size[0] * a.size[1], (name, paper, index + 1)


def _pages(path: Path) -> list:
    """Each page at 40 dpi, in grey, cut to its trimmed size (a print shop's marks and bleed
    are outside it)."""
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            if "/TrimBox" in page.obj:
                page.obj.MediaBox = page.obj.TrimBox
        trimmed = io.BytesIO()
        pdf.save(trimmed)
    return _pages_to_files(trimmed.getvalue())


def _pages_to_files(data: bytes) -> list:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "40", "-gray", source, Path(folder) / "page"], check=True)
        return [Image.open(p).convert("L").copy() for p in sorted(Path(folder).glob("page*.pgm"))]


def test_options_reach_the_build():
    from glossator.cli import parser
    from glossator.commands.build import options_from

    def options(*args):
        return options_from(parser().parse_args(["build", *args]))

    assert options() == Options()
    assert options().tagged and not options("--untagged").tagged
    assert options("--pdf-variant", "pdf/a-3b", "--embed-sources") == Options(pdf_variant="pdf/a-3b",
                                                                              embed_sources=True)
    assert options("--print-shop", "--paper", "a4") == Options(paper="a4", print_shop=True)
