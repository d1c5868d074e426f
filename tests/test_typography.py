"""The article as printed says exactly what the source says: its punctuation, its words
as they copy out of the PDF, and titles and header lines that break where a reader expects."""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO, cli, make_edition
from glossator.balance import SAFETY, TITLE_FONT, balance, balanced_title
from glossator.compose import ACRONYM
from glossator.model import LETTER, PAPERS, Piece
from glossator.pipeline import check
from glossator.textwidth import advance_width
from pdfcheck import BODY_SIZE, CALL_SIZE, HYPHEN, foot_top, read_pdf, text_column

TITLE_SIZE = LETTER.title_size


def bundled_paragraphs():
    """The bundled article's paragraphs as composed: [(number, text, call offsets)]."""
    edition = check(REPO).edition
    out = []
    for block in (b for b in edition.blocks if b.kind == "paragraph"):
        text, calls = "", set()
        for piece in block.pieces:
            if piece.kind == "text":
                text += piece.text
            elif piece.kind == "call":
                calls.add(len(text))
        out.append((block.number, text, calls))
    return out


def column_text(pdf, paper="letter", duplex=True) -> str:
    """What the article's text column prints, in reading order, white space and break
    hyphens left out. Calls are left out, and so is the separator between two calls
    (a raised comma between call figures); any other mark at a call's size, such as a
    comma the stylesheet adds beside a call, is kept: the reader sees it."""
    g, out = PAPERS[paper], []
    with read_pdf(pdf) as doc:
        for index, page in enumerate(doc.pages):
            left, right = text_column(index, paper, duplex)
            foot = foot_top(page, index, paper, duplex)  # notes set at the page's foot are not the article
            for c in page.chars:  # in the order drawn, which is the reading order
                if not (left - 1 <= c["x0"] and c["x1"] <= right + 1 and g.top - 1 <= c["top"] <= foot):
                    continue
                size = c["size"]
                if abs(size - BODY_SIZE) < 0.2 or abs(size - BODY_SIZE * 0.8) < 0.2:
                    out.append(c["text"])
                elif abs(size - CALL_SIZE) < 0.2 and "Sans" not in c["fontname"]:  # not a ¶ number
                    out.append(CALL if c["text"].isdigit() else SMALL_COMMA if c["text"] == "," else c["text"])
    text = re.sub(r"\s+", "", "".join(out)).replace(HYPHEN, "")
    text = re.sub(f"(?<={CALL}){SMALL_COMMA}(?={CALL})", "", text)  # the separator: not the article's
    return text.replace(SMALL_COMMA, ",").replace(CALL, "")


CALL, SMALL_COMMA = "\x00", "\x01"  # stand-ins for a call's figure and a comma at a call's size


def is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def punctuation_by_paragraph(stream: str, paragraphs: list[str]) -> list[str]:
    """Cut a whitespace-free stream of the article into its paragraphs by their letters and
    figures (punctuation between two paragraphs goes to the later one), and keep each
    paragraph's punctuation with the word before it, for a readable failure."""
    out, i = [], 0
    for text in paragraphs:
        letters = sum(c.isalnum() for c in text)
        start = i
        while letters and i < len(stream):
            letters -= stream[i].isalnum()
            i += 1
        out.append(_marks(stream[start:i]))
    return out


def _marks(segment: str) -> str:
    """'ofIran.ButIraq,' -> 'ofIran. utIraq,': each run of punctuation, with up to six
    letters before it."""
    return " ".join(m.group() for m in re.finditer(r"\w{0,6}[^\w\s]+", segment) if any(map(is_punctuation, m.group())))


# --- 1. punctuation ----------------------------------------------------------------


def test_calls_are_parted_only_when_nothing_stands_between_them(tmp_path):
    """Two notes on one quote: their calls are parted; a call after more words is not."""
    root = make_edition(tmp_path, notes="""\
        - id: one
          quote: "Green Zone in Baghdad"
          body: One.
        - id: two
          quote: "the Green Zone in Baghdad"
          body: Two.
        - id: three
          quote: "about the Quds Force"
          body: Three.
        - id: four
          quote: "about Kataib Hezbollah"
          body: Four.
        """)
    blocks = [b for b in check(root).edition.blocks if b.kind == "paragraph"]
    first = [p for p in blocks[0].pieces if p.kind in ("call", "call-sep")]
    assert [(p.kind, p.text) for p in first] == [("call", "1"), ("call-sep", ","), ("call", "2")]
    second = [p for p in blocks[1].pieces if p.kind in ("call", "call-sep")]
    assert [p.kind for p in second] == ["call", "call"]  # words between them: no separator


def test_the_separator_is_set_apart_from_the_article_text():
    """The template sets the separator as its own element, hidden from screen readers."""
    import jinja2
    from glossator.render import TEMPLATES
    macros = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)
    text = macros.get_template("macros.html.j2").module.text
    assert str(text(Piece("call-sep", text=","))) == '<span class="call-sep" aria-hidden="true">,</span>'
    assert str(text(Piece("text", text="KH", caps=True))) == '<abbr class="caps">KH</abbr>'


def test_the_printed_article_has_the_sources_punctuation(bundled):
    """Paragraph by paragraph, the text column's punctuation is the source's: no comma
    added beside a call ("12,000 people,⁶."), none lost."""
    paragraphs = bundled_paragraphs()
    texts = [re.sub(r"\s+", "", text) for _, text, _ in paragraphs]
    printed = punctuation_by_paragraph(column_text(bundled), texts)
    source = punctuation_by_paragraph("".join(texts), texts)
    differ = [f"¶ {number}: printed {p!r}\n       source  {s!r}"
              for (number, _, _), p, s in zip(paragraphs, printed, source) if p != s]
    assert not differ, "\n".join(differ)


# --- 2. copied text -------------------------------------------------------------------


def copied_text(pdf) -> str:
    """The PDF's text as pdftotext (poppler) copies it, words broken at a line's end joined."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = out.replace(HYPHEN + "\n", "").replace("-\n", "-")
    return re.sub(r"\s+", " ", out)


def source_words(paragraphs):
    """Every word of the article as written (split where a call stands, which is not text)."""
    for number, text, calls in paragraphs:
        for m in re.finditer(r"\S+", text):
            cuts = [m.start(), *sorted(c for c in calls if m.start() < c < m.end()), m.end()]
            for a, b in zip(cuts, cuts[1:]):
                yield number, text[a:b]


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


@needs_pdftotext
def test_acronyms_copy_as_written(bundled):
    """An acronym in reduced capitals copies with nothing added: "KH’s", "(KH)", "ISIS."."""
    copied = copied_text(bundled)
    assert "KH’s ability" in copied and "KH ’s" not in copied
    words = [(n, w) for n, w in source_words(bundled_paragraphs()) if ACRONYM.search(w)]
    assert len(words) > 10
    missing = [f"¶ {n}: {w}" for n, w in words if w not in copied]
    assert not missing, missing


@needs_pdftotext
def test_every_word_copies_without_added_spaces(bundled):
    copied = copied_text(bundled)
    words = list(source_words(bundled_paragraphs()))
    missing = [f"¶ {n}: {w}" for n, w in words if w not in copied]
    assert not missing, missing



# --- 3. title and header line -------------------------------------------------------------

def by_letters(text: str) -> float:
    return float(len(text))  # a measure for the logic tests: one unit a character


def test_a_title_is_not_left_with_one_word_on_its_last_line():
    words = "Address of the President Before Congress on Greece and Turkey".split()
    lines = balance(words, 30, by_letters)
    assert [" ".join(line) for line in lines] == ["Address of the President", "Before Congress on", "Greece and Turkey"]
    # filling each line in turn gives three lines too, the last one alone:
    # "Address of the President" / "Before Congress on Greece and" / "Turkey"


@given(words=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14), max_size=24),
       width=st.integers(min_value=1, max_value=60))
def test_balanced_lines_keep_every_word_in_as_few_lines_as_filling_them(words, width):
    lines = balance(words, width, by_letters)
    assert [w for line in lines for w in line] == words
    assert all(len(" ".join(line)) <= width or len(line) == 1 for line in lines)
    greedy: list[str] = []
    for w in words:
        if greedy and len(f"{greedy[-1]} {w}") <= width:
            greedy[-1] += f" {w}"
        else:
            greedy.append(w)
    assert len(lines) == len(greedy)
    if lines:  # the longest line is never longer than filling would make it
        assert max(len(" ".join(line)) for line in lines) <= max(len(line) for line in greedy)


def test_the_title_markup_keeps_its_words_apart_and_escaped():
    assert balanced_title("Tom & Jerry", 1000, TITLE_SIZE) == "Tom &amp; Jerry"
    two = balanced_title("The Death of the U.S.-Iraqi Relationship", 296, TITLE_SIZE)
    assert two == "The Death of the <br>U.S.-Iraqi Relationship"


def test_the_font_measure_matches_the_printed_title():
    """The printed width of a title line (pdfplumber, below) is within 1% of the measure."""
    measure = advance_width(TITLE_FONT, TITLE_SIZE)
    assert measure("Address of the President of the") == pytest.approx(289.6, rel=1 - SAFETY)


LONG_TITLE = "Address of the President of the United States Delivered Before Congress on Greece and Turkey"
# A publication long enough that, set in turn, the header line broke inside the date
# ("…Debates of 1947 · 12 / March 1947").
KICKER = "Congressional Record, Proceedings and Debates of 1947"


@pytest.fixture(scope="module")
def long_title_pdf(tmp_path_factory):
    root = tmp_path_factory.mktemp("truman")
    article = (f"---\ntitle: {LONG_TITLE}\nauthor: Harry S. Truman\npublication: {KICKER}\n"
               "date: 1947-03-12\nlang: en-GB\n---\n\nMr. President, Mr. Speaker, Members of the Congress "
               "of the United States: the gravity of the situation which confronts the world today "
               "necessitates my appearance before a joint session of the Congress.\n")
    make_edition(root, article=article)
    result = cli("build", root, "--out", root / "out")
    assert result.returncode == 0, result.stderr
    return next((root / "out").glob("*.pdf"))


def lines_at(pdf, size: float) -> list[str]:
    """The first page's lines of text set at `size` (pt), top to bottom."""
    with read_pdf(pdf) as doc:
        chars = [c for c in doc.pages[0].chars if abs(c["size"] - size) < 0.05]
    rows: dict[int, list] = {}
    for c in chars:
        rows.setdefault(round(c["top"]), []).append(c)
    return ["".join(c["text"] for c in sorted(row, key=lambda c: c["x0"])).replace("\xa0", " ").strip()
            for _, row in sorted(rows.items())]


def test_a_long_titles_last_line_has_more_than_one_word(long_title_pdf):
    lines = lines_at(long_title_pdf, TITLE_SIZE)
    assert " ".join(lines) == LONG_TITLE
    assert len(lines[-1].split()) > 1, lines
    widths = [len(line) for line in lines]
    assert max(widths) - min(widths) <= 8, lines  # balanced: no line much shorter than another


def test_the_header_line_never_breaks_inside_the_date(long_title_pdf):
    lines = lines_at(long_title_pdf, 9.0)
    assert " ".join(lines) == f"{KICKER} · 12 March 1947"
    assert any(line.endswith("12 March 1947") for line in lines), lines
    assert not lines[-1].startswith("·"), lines  # the dot stays with the publication
