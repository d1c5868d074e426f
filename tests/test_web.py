"""The web edition in a real browser: Debian's Chromium, driven by Selenium through Debian's
chromedriver (nothing is downloaded). The bundled edition is built once for the session
(conftest's `bundled`); one browser serves the whole module.

Screenshots at 1280 and 390 px go to output/screenshots/, for people to look at.
"""
from __future__ import annotations

import base64
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from markupsafe import Markup

from conftest import REPO, html_elements
from glossator.render import THEME

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SHOTS = REPO / "output" / "screenshots"
WIDE, PHONE = 1280, 390
NEAR = 24  # px: a note's top from its call's line, unless the note above pushes it down
FAR = 400  # px: never further than this below it
SPACE = 8  # px between stacked notes (notes.js); a pushed note sits this far under the one above

needs_browser = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian's chromium and chromium-driver (apt install chromium chromium-driver; .ci/run does)")

# Every face the stylesheet declares (@font-face): the single file carries each of them.
SHIPPED_FACES = re.findall(r"@font-face \{", (THEME / "glossator.css").read_text(encoding="utf-8"))


# --- the page's HTML, without a browser ------------------------------------------------------

@pytest.fixture(scope="module")
def page(bundled) -> Path:
    """The bundled edition's HTML, beside its fonts/ (the session's one build)."""
    return bundled.with_suffix(".html")


@pytest.fixture(scope="module")
def edition():
    from glossator.pipeline import checked_edition
    return checked_edition(REPO).edition


def test_one_paragraph_is_one_p_and_no_print_wording(page, edition):
    html = page.read_text(encoding="utf-8")
    paragraphs = [a for tag, a in html_elements(html) if tag == "p" and "para" in (a.get("class") or "").split()]
    assert [a["id"] for a in paragraphs] == [b.id for b in edition.blocks if b.kind == "paragraph"]
    text = Markup(html).striptags()
    for print_only in ("continued from", "see the long notes", "Long notes", "p.\u202f"):
        assert print_only not in text


def test_the_article_copies_from_the_web_page_as_written(page):
    """Text copied from the web page carries no invisible character the article does not
    have: the zero-width spaces that help WeasyPrint break lines are the PDF's alone."""
    html = page.read_text(encoding="utf-8")
    source = (REPO / "source" / "article.md").read_text(encoding="utf-8")
    for invisible in ("\u200b", "\u200c", "\u2060"):
        assert html.count(invisible) == source.count(invisible), repr(invisible)


def test_calls_and_notes_keep_their_ids_and_notes_follow_their_block(page, edition):
    elements = html_elements(page.read_text(encoding="utf-8"))
    ids = [a.get("id") for _, a in elements]
    for n in edition.notes:
        call, note = ids.index(f"call-{n.number}"), ids.index(f"note-{n.number}")
        assert call < note
        # nothing of the paragraph's text comes between: the note is in the <aside> after it
        between = [tag for tag, _ in elements[call:note]]
        assert "aside" in between


# --- the browser ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver (apt install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(arg)
    # Given the driver's path, Selenium does not run Selenium Manager: nothing is downloaded.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_script_timeout(60)
    yield driver
    driver.quit()


def show(driver, page: Path, width: int, height: int = 900) -> None:
    """Load the page at a viewport `width` px wide, fonts loaded and notes placed."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    driver.get(page.as_uri())
    settle(driver)


def settle(driver) -> None:
    """Wait until the fonts are loaded and the page has been laid out (and its notes placed)."""
    driver.execute_async_script("var done = arguments[0]; document.fonts.ready.then(function () {"
                                " requestAnimationFrame(function () { requestAnimationFrame(done); }); });")


def screenshot(driver, name: str, whole: bool = True) -> Path:
    """The whole page (or what the window shows) as a PNG under output/screenshots/."""
    size = driver.execute_script("return [document.documentElement.scrollWidth,"
                                 " document.documentElement.scrollHeight]")
    clip = {"clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}} if whole else {}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": whole, **clip})
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


BOXES = """
var box = function (e) { var r = e.getBoundingClientRect();
  return {top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left + scrollX, right: r.right + scrollX}; };
var main = document.querySelector("main");
return {
  notes: Array.from(main.querySelectorAll(".block-notes .note")).map(function (n) {
    var call = document.querySelector('.call[aria-details="' + n.id + '"]');
    return {id: n.id, note: box(n), call: box(call), shown: n.offsetParent !== null}; }),
  text: Array.from(main.querySelectorAll(":scope > .para, :scope > h2, :scope > .pullquote")).map(box),
  main: box(main),
  width: document.documentElement.clientWidth,
  scroll: document.documentElement.scrollWidth};
"""


def overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def check_wide_layout(driver) -> list[float]:
    """Every note beside its call's line, none overlapping another or the text, none past the
    article's end; returns each note's distance below its call."""
    found = driver.execute_script(BOXES)
    notes = found["notes"]
    assert notes and all(n["shown"] for n in notes)
    drops = []
    for before, n in zip([None] + notes, notes):
        drop = n["note"]["top"] - n["call"]["top"]
        pushed = before is not None and abs(n["note"]["top"] - (before["note"]["bottom"] + SPACE)) < 1.5
        assert -NEAR <= drop <= FAR, f"{n['id']} is {drop:.0f} px from its call"
        assert drop <= NEAR or pushed, f"{n['id']} is {drop:.0f} px below its call, not pushed by a note"
        drops.append(drop)
    for i, a in enumerate(notes):
        for b in notes[i + 1:]:
            assert not overlap(a["note"], b["note"]), f"{a['id']} overlaps {b['id']}"
        for block in found["text"]:
            assert not overlap(a["note"], block), f"{a['id']} overlaps the text"
        assert a["note"]["bottom"] <= found["main"]["bottom"] + 0.5, f"{a['id']} runs past the article"
        assert a["note"]["right"] <= found["width"]
    assert found["scroll"] <= found["width"], "the page scrolls sideways"
    return drops


@needs_browser
def test_wide_screen_notes_beside_their_lines(browser, page):
    show(browser, page, WIDE)
    drops = check_wide_layout(browser)
    screenshot(browser, f"web-{WIDE}.png")
    assert sum(d <= NEAR for d in drops) >= len(drops) // 2  # most notes level with their line


@needs_browser
@pytest.mark.parametrize("width", [1000, 1920])
def test_wide_layout_holds_at_other_widths(browser, page, width):
    show(browser, page, width)
    check_wide_layout(browser)


@needs_browser
def test_a_folded_note_opens_and_the_stack_still_holds(browser, page):
    show(browser, page, WIDE)
    toggles = browser.find_elements("css selector", ".note.folded .note-toggle")
    if not toggles:
        pytest.skip("no note is folded at this width")
    toggle = toggles[0]
    assert toggle.accessible_name.startswith("Show more of note ")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert "folded" not in toggle.find_element("xpath", "..").get_attribute("class")
    check_wide_layout(browser)
    # a folded note's call opens it too, and takes the reader there
    note = browser.find_elements("css selector", ".note.folded")[-1]
    browser.find_element("css selector", f'.call[aria-details="{note.get_attribute("id")}"]').click()
    assert "folded" not in note.get_attribute("class")
    assert browser.switch_to.active_element == note
    check_wide_layout(browser)


@needs_browser
def test_the_first_tab_stop_skips_to_the_article(browser, page):
    from selenium.webdriver.common.keys import Keys

    show(browser, page, WIDE)
    browser.find_element("tag name", "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "Skip to the article" and skip.is_displayed()
    assert skip.location["y"] >= 0
    skip.send_keys(Keys.ENTER)
    from glossator import ids
    assert browser.execute_script("return location.hash") == f"#{ids.ARTICLE}"


@needs_browser
def test_phone_calls_are_controls_that_open_the_note_after_its_sentence(browser, page, edition):
    from selenium.webdriver.common.keys import Keys

    show(browser, page, PHONE)
    screenshot(browser, f"web-{PHONE}.png")
    found = browser.execute_script(BOXES)
    assert not any(n["shown"] for n in found["notes"]), "notes show before they are opened"
    n = next(n for n in edition.notes if n.title)
    call = browser.find_element("id", f"call-{n.number}")
    assert call.aria_role == "button"
    assert call.accessible_name == f"Note {n.number}: {n.title}"
    assert call.get_attribute("aria-expanded") == "false"
    assert call.size["width"] >= 24 and call.size["height"] >= 24
    for key in (Keys.ENTER, Keys.SPACE):
        browser.execute_script("arguments[0].focus()", call)
        call.send_keys(key)
        note = browser.find_element("id", f"note-{n.number}")
        assert call.get_attribute("aria-expanded") == "true"
        assert note.is_displayed()
        assert browser.switch_to.active_element == note
        visible = browser.execute_script(
            "var r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight", note)
        assert visible
        # inline, after the call's sentence, in the call's paragraph
        assert browser.execute_script(
            "var n = arguments[0], c = arguments[1]; return n.parentNode === c.closest('p') &&"
            " !!(c.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING)", note, call)
        if key == Keys.ENTER:
            screenshot(browser, f"web-{PHONE}-note-{n.number}-open.png", whole=False)
        note.send_keys(Keys.ESCAPE)
        assert not note.is_displayed()
        assert call.get_attribute("aria-expanded") == "false"
        assert browser.switch_to.active_element == call


@needs_browser
def test_on_a_phone_each_note_opens_at_the_end_of_its_calls_sentence(browser, page):
    show(browser, page, PHONE)
    before = browser.execute_script("""
        return Array.from(document.querySelectorAll("main .call")).map(function (call) {
          call.click();
          var note = document.getElementById(call.getAttribute("aria-details"));
          var range = document.createRange();
          range.setStart(call.closest("p, h2, blockquote"), 0);
          range.setEndBefore(note);
          var text = range.toString();
          call.click();
          return [call.id, text.slice(-40)]; });""")
    for call, text in before:
        assert re.search(r"[.!?…][”\"’)]*\d*\s*$", text), f"{call} opens mid-sentence: …{text}"
        assert not re.search(r"(^|\s)([A-Z]\.)+\d*\s*$", text), f"{call} opens after an abbreviation: …{text}"


@needs_browser
@pytest.mark.parametrize("width", [WIDE, PHONE])
def test_a_link_to_a_note_shows_it_whole(browser, page, width):
    show(browser, page, width)
    folded = browser.find_elements("css selector", ".note.folded")
    number = folded[-1].get_attribute("id").split("-")[-1] if folded else "12"
    browser.get(f"{page.as_uri()}#note-{number}")  # the same page: only the fragment changes
    settle(browser)
    note = browser.find_element("id", f"note-{number}")
    assert note.is_displayed() and "folded" not in note.get_attribute("class")
    assert browser.switch_to.active_element == note
    # and a note's "See note N" link, too
    see = browser.execute_script("return document.querySelector('.note:focus .note-see a')")
    if see is not None:
        target = see.get_attribute("href").split("#")[1]
        see.click()
        settle(browser)
        assert browser.find_element("id", target).is_displayed()


@needs_browser
def test_turning_a_phone_into_a_laptop_puts_open_notes_back(browser, page):
    from selenium.webdriver.common.keys import Keys

    show(browser, page, PHONE)
    call = browser.find_element("css selector", ".call")
    browser.execute_script("arguments[0].focus()", call)
    call.send_keys(Keys.ENTER)
    note = browser.switch_to.active_element
    resize = {"height": 900, "deviceScaleFactor": 1, "mobile": False}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": WIDE, **resize})
    settle(browser)
    assert note.find_element("xpath", "..").tag_name == "aside"
    assert call.get_attribute("role") is None and call.get_attribute("aria-expanded") is None
    check_wide_layout(browser)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": PHONE, **resize})
    settle(browser)
    assert not any(n["shown"] for n in browser.execute_script(BOXES)["notes"])
    assert call.get_attribute("aria-expanded") == "false"


@needs_browser
@pytest.mark.parametrize("width", [WIDE, PHONE])
def test_without_script_every_note_stands_under_its_block(browser, page, tmp_path, width):
    html = page.read_text(encoding="utf-8")
    bare = tmp_path / page.name  # beside nothing: fonts are not needed to see where boxes go
    bare.write_text(re.sub(r"<script>.*?</script>", "", html, flags=re.S), encoding="utf-8")
    show(browser, bare, width)
    found = browser.execute_script(BOXES)
    assert all(n["shown"] and n["note"]["top"] > n["call"]["top"] for n in found["notes"])
    for n in found["notes"]:
        assert not any(overlap(n["note"], block) for block in found["text"])
    assert found["scroll"] <= found["width"]


@needs_browser
@pytest.mark.parametrize("width", [800, WIDE])
def test_the_timeline_fills_the_chronologys_width_on_a_laptop(browser, page, width):
    show(browser, page, width)
    found = browser.execute_script(
        "var s = document.querySelector('.timeline-scroll'), g = s.querySelector('svg');"
        "return [s.getBoundingClientRect().width, g.getBoundingClientRect().width, s.scrollWidth];")
    scroller, svg, scrolled = found
    assert abs(svg - scroller) < 1 and scrolled <= scroller + 1, found  # as wide as its column, not scrolled


# Each chronology date's text, line by line as the browser set it (a line: the characters
# of one top), and whether it runs out of its column.
DATE_LINES = """
return [...document.querySelectorAll('.event .date')].map(d => {
  const t = d.firstChild, lines = [];
  let top = null;
  for (let i = 0; i < t.length; i++) {
    const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1);
    const rect = r.getClientRects()[0];
    if (rect && (top === null || Math.abs(rect.top - top) > 2)) { lines.push(''); top = rect.top; }
    lines[lines.length - 1] += t.data[i];
  }
  return {lines: lines, over: d.scrollWidth > d.clientWidth + 1};
});
"""


@needs_browser
@pytest.mark.parametrize("width", [WIDE, PHONE, 320])
def test_a_chronology_date_never_breaks_inside_itself(browser, page, width):
    show(browser, page, width)
    dates = browser.execute_script(DATE_LINES)
    assert len(dates) == 37 and not any(d["over"] for d in dates)
    for d in dates:  # a range may break after its dash, and only there
        assert all(line.rstrip().endswith("\u2013") for line in d["lines"][:-1]), d["lines"]


@needs_browser
@pytest.mark.parametrize("width", [PHONE, WIDE])
def test_a_timeline_that_scrolls_says_so_under_it(browser, page, width):
    """On a phone the timeline keeps its size and scrolls in its box: the caption tells the
    student to swipe; where it fits the column, the caption does not."""
    show(browser, page, width)
    found = browser.execute_script(
        "var s = document.querySelector('.timeline-scroll'), h = document.querySelector('.scroll-hint');"
        "return [s.scrollWidth > s.clientWidth + 1, h.getBoundingClientRect().height > 0, h.textContent];")
    scrolls, said, hint = found
    assert scrolls == said == (width == PHONE), found
    assert "Swipe the timeline sideways" in hint


@needs_browser
@pytest.mark.parametrize("width", [320, PHONE])
def test_no_sideways_scrolling_on_a_phone(browser, page, width):
    show(browser, page, width)
    found = browser.execute_script(BOXES)
    assert found["scroll"] <= found["width"]


@needs_browser
@pytest.mark.parametrize("width", [WIDE, PHONE])
def test_axe_finds_no_violations(browser, page, width):
    show(browser, page, width)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    # axe leaves WCAG 2.2's target-size rule (2.5.8, 24 by 24 px) off unless asked
    result = browser.execute_async_script(
        "var done = arguments[0]; axe.run(document, {rules: {'target-size': {enabled: true}}}).then(function (r) { done({"
        " passed: r.passes.map(function (p) { return p.id; }),"
        " violations: r.violations.map(function (v) {"
        "  return v.id + ': ' + v.help + ' ' + v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })"
        "   .join(' | '); })}); }, function (e) { done({passed: [], violations: ['axe failed: ' + e]}); });")
    assert result["violations"] == []
    # the rules the issue was about did run, and found nothing
    assert {"region", "link-in-text-block", "target-size", "color-contrast"} <= set(result["passed"])


def words(text: str) -> str:
    """Text as extracted from a PDF, for comparing: ligatures and line breaks undone."""
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return " ".join(re.sub(r"-\n", "-", text).split())


@needs_browser
def test_printing_from_the_browser_keeps_every_note(browser, page, edition, tmp_path):
    show(browser, page, WIDE)  # printed from the wide layout, with notes folded
    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(base64.b64decode(browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})["data"]))
    # Poppler, not pdfminer: pdfminer reads Chromium's ligatures (Th, Qu) as private-use characters.
    printed = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    text = words(printed)
    for n in edition.notes:
        first = " ".join(words(Markup(n.body_html).striptags()).split()[:6])
        assert first in text, f"note {n.number} is missing from the printed page: {first!r}"
        assert text.count(first) == 1
    assert "Show more" not in text
    assert printed.count("\f") <= 12  # a handout: the PDF edition has 9 pages


# --- --single-file -------------------------------------------------------------------------------

def test_single_file_build_writes_one_html_with_its_fonts_inside(edition_folder, tmp_path):
    from conftest import run_cli

    out = tmp_path / "out"
    result = run_cli("build", edition_folder, "--single-file", "--out", out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no word from fontTools about the tables it drops ("FFTM NOT subset")
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert not (out / "fonts").exists()
    assert "url(fonts/" not in html
    assert html.count("url(data:font/woff2;base64,") == len(SHIPPED_FACES)


@pytest.fixture
def edition_folder(tmp_path):
    from conftest import make_edition
    return make_edition(tmp_path / "edition", notes="""\
        - id: kh
          quote: "Kataib Hezbollah"
          title: Kataib Hezbollah
          body: An Iraqi Shiite militia.
        """)


@needs_browser
def test_single_file_page_loads_its_fonts_alone(browser, page, tmp_path):
    from glossator.render import html_assets
    from glossator.webfonts import fonts_inside

    alone = tmp_path / "alone" / "edition.html"  # no fonts/ beside it
    alone.parent.mkdir()
    alone.write_text(fonts_inside(page.read_text(encoding="utf-8"), html_assets()), encoding="utf-8")
    assert alone.stat().st_size < 600_000  # small enough to email (README gives the size)
    show(browser, alone, WIDE)
    faces = browser.execute_async_script(
        "var done = arguments[0]; var faces = Array.from(document.fonts);"
        " Promise.all(faces.map(function (f) { return f.load().catch(function () {}); })).then(function () {"
        " done(faces.map(function (f) { return f.family + ' ' + f.weight + ' ' + f.style + ': ' + f.status; })); });")
    assert len(faces) == len(SHIPPED_FACES) and all(face.endswith(": loaded") for face in faces), faces
    check_wide_layout(browser)
