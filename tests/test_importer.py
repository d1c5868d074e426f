"""importer.py: raw text copied from a web page -> the article's Markdown, decisions reported."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from glossator.furniture import shorten
from glossator.importer import escape_markdown, import_text
from glossator.load import parse_blocks, split_front_matter
from glossator.typography import smarten

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


# --- whole-page pastes (tests/pastes/): real public-domain texts in invented site chrome ------------

PASTES = Path(__file__).resolve().parent / "pastes"

# name: (the lines of the paste that are the article, as (kind, line); front matter found;
#        lines whose decision says what they became)
WHOLE_PAGES = {
    "news-lincoln-second-inaugural.txt": (
        [("paragraph", 34), ("paragraph", 36), ("pullquote", 38), ("paragraph", 40), ("paragraph", 48),
         ("paragraph", 50)],
        {"title": "‘With malice toward none’: Lincoln’s second inaugural address, in full",
         "subtitle": "The speech he gave on March 4, 1865, six weeks before his death, is read by many as his greatest.",
         "author": "Margaret Ellison", "date": "2024-03-04"},
        {1: "removed a page button, above the article", 12: "removed a menu, above the article",
         27: "removed a share or social link, above the article", 28: "removed a share or social link",
         32: "removed a photo caption or credit", 38: "pull quote: “Both read the same Bible",
         42: "removed a second copy of a paragraph: ““With malice toward none", 44: "removed a newsletter prompt",
         52: "removed the page's tags", 54: "removed a link list heading", 24: "removed the page's header"}),
    "archive-gettysburg-address.txt": (
        [("paragraph", 18), ("paragraph", 20), ("paragraph", 24)],
        {"title": "The Gettysburg Address", "author": "Abraham Lincoln", "date": "1863-11-19"},
        {11: "removed a menu", 13: "title: “The Gettysburg Address”, from the headline",
         14: "date: “1863-11-19”, from the date line “Document date: November 19, 1863”",
         15: "author: “Abraham Lincoln”, from the byline “Creator: Abraham Lincoln, 16th President",
         22: "removed a photo caption or credit", 26: "removed a citation of the page", 30: "removed a share"}),
    "blog-thoreau-civil-disobedience.txt": (
        [("paragraph", 13), ("paragraph", 15), ("paragraph", 21), ("pullquote", 23), ("paragraph", 25)],
        {"title": "Reading Thoreau again: “Resistance to Civil Government”", "author": "Nora Finch",
         "date": "2023-06-12"},
        {2: "removed the page's header", 10: "date: “2023-06-12”, from the byline", 17: "removed a photo caption",
         19: "removed an advertisement marker", 23: "pull quote: “\"I think that we should be men first", 33: "removed a link list heading",
         42: "removed text after the article's end: “Beautiful post."}),
    "library-federalist-10.txt": (
        [("paragraph", n) for n in (15, 17, 19, 21, 23, 25, 27)],
        {"title": "The Federalist No. 10",
         "subtitle": "The Same Subject Continued: The Union as a Safeguard Against Domestic Faction and Insurrection",
         "author": "James Madison", "publication": "Daily Advertiser", "date": "1787-11-22"},
        {7: "removed a menu", 11: "publication: “Daily Advertiser”", 12: "date: “1787-11-22”",
         29: "removed text after the article's end"}),
}


@pytest.mark.parametrize("name", sorted(WHOLE_PAGES))
def test_a_whole_page_paste_gives_the_article_and_nothing_of_the_page(name):
    kept, meta, said = WHOLE_PAGES[name]
    raw = (PASTES / name).read_text(encoding="utf-8")
    lines = raw.split("\n")
    imported = import_text(raw, {})
    expected = [(kind, lines[n - 1].strip("“”\"") if kind == "pullquote" else lines[n - 1]) for kind, n in kept]
    assert list(imported.blocks) == expected
    # and Glossator reads the Markdown back the same, its quotes and dashes set by the typographer
    assert blocks_of(imported.markdown()) == [(kind, smarten(text, "en")) for kind, text in expected]
    assert imported.meta == meta
    # Every other line of the page is accounted for: a decision names it.
    reported = {d.line for d in imported.decisions}
    article = {n for kind, n in kept if kind == "paragraph"}
    for number, line in enumerate(lines, 1):
        if line.strip() and number not in article:
            assert number in reported, (number, line)
    report = decisions(imported)
    for number, what in said.items():
        assert f"{number}: {what}" in report, (number, what)
    # Some browsers copy a page without blank lines between its blocks: the same article.
    dense = import_text("\n".join(line for line in lines if line.strip()), {})
    assert (dense.blocks, dense.meta) == (imported.blocks, imported.meta)


def test_a_saved_web_page_gives_the_article_and_its_metadata_from_the_page_alone(monkeypatch):
    """trafilatura reads the page's bytes; any attempt to open a connection fails the test."""
    import socket

    from glossator.importer import import_html, looks_like_html

    def no_network(*args, **kwargs):
        raise AssertionError("the importer tried to use the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    data = (PASTES / "society-second-inaugural.html").read_bytes()
    assert looks_like_html("page.txt", data) and looks_like_html("page.HTM", b"hello")
    assert not looks_like_html("paste.txt", b"Four score and seven years ago")
    imported = import_html(data, {})
    assert imported.meta == {"title": "Lincoln’s Second Inaugural Address", "author": "Thomas Whitcomb",
                             "publication": "Susquehanna Historical Society", "date": "2023-03-04"}
    kinds = [kind for kind, _ in imported.blocks]
    assert kinds == ["paragraph", "paragraph", "pullquote", "paragraph"]
    assert imported.blocks[0][1].startswith("At this second appearing")
    assert imported.blocks[2][1] == ("Both parties deprecated war, but one of them would make war rather than "
                                     "let the nation survive.")
    assert imported.blocks[3][1].startswith("With malice toward none")
    text = " ".join(t for _, t in imported.blocks)
    for chrome in ("Historical Society", "cookies", "Facebook", "Related", "Petersburg", "email", "©", "Photo"):
        assert chrome not in text, chrome
    report = decisions(imported)
    # Lines are the page's own: the <meta> lines, the byline and <time>, the <h1>, the pull quote's <p>.
    for expected in ("7: title: “Lincoln’s Second Inaugural Address”, from the page's <meta property=\"og:title\">",
                     "27: author: “Thomas Whitcomb”, from the byline “By Thomas Whitcomb”",
                     "28: date: “2023-03-04”, from the date line “March 4, 2023”",
                     "8: publication: “Susquehanna Historical Society”, from the page's <meta property=\"og:site_name\">",
                     "26: removed the headline: it repeats the title",
                     "33: pull quote: ““Both parties deprecated war", "repeats ¶ 2 (line 32)"):
        assert expected in report, expected


def test_given_fields_win_over_the_pages_metadata():
    from glossator.importer import import_html
    data = (PASTES / "society-second-inaugural.html").read_bytes()
    imported = import_html(data, {"title": "Second Inaugural Address", "date": "1865-03-04"})
    assert imported.meta["title"] == "Second Inaugural Address" and imported.meta["date"] == "1865-03-04"
    report = decisions(imported)
    assert "title: “" not in report and "date: “" not in report
    assert "26: removed the headline “Lincoln’s Second Inaugural Address”: the title was given" in report


def test_a_whole_paragraph_repeated_without_quotation_marks_is_removed_as_the_later_copy():
    long = " ".join([PROSE] * 3)
    other = "Nobody in the hall believed a word of it, and the newspapers said so the next morning."
    raw = f"{long}\n\n{other}\n\n{long}\n"
    imported = import_text(raw, {"title": "T", "author": "A"})
    assert [kind for kind, _ in imported.blocks] == ["paragraph", "paragraph"]
    assert "5: removed a second copy of a paragraph: “The minister" in decisions(imported)
    assert "repeats ¶ 1 (line 1)" in decisions(imported)


def test_furniture_inside_the_article_is_removed_not_made_a_heading():
    other = PROSE.replace("hour", "evening")
    raw = (f"{PROSE}\n\nHome › News › Politics\n\nEnter your email address\n\nRelated articles\n\n"
           f"The budget in five charts\n\nWhat the minister did not say\n\n{other}\n\n"
           f"The minister at the podium on Tuesday. (Photo: Jane Roe / Getty Images)\n\nShare\nFacebook\nX\n\n{PROSE.replace('hour', 'afternoon')}\n")
    imported = import_text(raw, {"title": "T", "author": "A"})
    assert [kind for kind, _ in imported.blocks] == ["paragraph", "paragraph", "paragraph"]
    report = decisions(imported)
    for expected in ("3: removed a menu or breadcrumb: “Home › News › Politics”",
                     "5: removed a newsletter prompt: “Enter your email address”",
                     "7: removed the heading of a list of links or tags (“Related articles”)",
                     "9: removed an item of the list of links or tags above: “The budget in five charts”",
                     "11: removed an item of the list of links or tags above",
                     "15: removed a photo caption or credit", "17: removed a page button: “Share”",
                     "18: removed a share or social link: “Facebook”", "19: removed a share or social link: “X”"):
        assert expected in report, expected
    assert "heading:" not in report


def test_headline_byline_and_date_are_read_below_a_site_header_and_menu():
    raw = ("The Valley Courier\nNews\nSport\nWeather\nOpinion\n\nRoads Before Snow\n\n"
           "By ADA LOVELACE and JOHN ROE | Jan. 3, 2020\n\n" + PROSE + "\n")
    imported = import_text(raw, {})
    assert imported.meta == {"title": "Roads Before Snow", "author": "Ada Lovelace and John Roe",
                             "date": "2020-01-03"}
    assert imported.blocks == (("paragraph", PROSE),)
    report = decisions(imported)
    assert "1: removed a menu, above the article: “The Valley Courier”" in report
    assert "2: removed a menu, above the article: “News”" in report


def test_a_short_first_and_last_sentence_stay_with_the_article():
    raw = (f"Roads Before Snow\n\nBy Ada Lovelace\n\nWASHINGTON — The Senate passed the roads bill.\n\n"
           f"{PROSE}\n\nThe vote was close.\n\nAdvertisement\n")
    imported = import_text(raw, {})
    assert [text for _, text in imported.blocks] == ["WASHINGTON — The Senate passed the roads bill.", PROSE,
                                                     "The vote was close."]
    assert imported.meta == {"title": "Roads Before Snow", "author": "Ada Lovelace"}


def _corpus_lines() -> list[str]:
    lines = []
    for path in sorted(PASTES.glob("*.txt")):
        lines += path.read_text(encoding="utf-8").split("\n")
    return lines + ["By", "Published:", "“”", '"', "Feb 30, 2020", "By JANE and JOHN DOE", "Home › › ›", "::: x"]


def test_any_mix_of_page_lines_imports_into_markdown_that_reads_back():
    """Lines of the corpus in any order and number: never an exception, and the Markdown
    written reads back, block for block, with no finding."""
    from hypothesis import given, settings, strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(_corpus_lines()), max_size=40))
    def mix(lines):
        imported = import_text("\n".join(lines), {"title": "T", "author": "A"})
        assert blocks_of(imported.markdown()) == [(k, smarten(t, "en")) for k, t in imported.blocks]

    mix()


# --- captions and credits (a caption line with its credit is furniture, never a heading) ----------

@pytest.mark.parametrize("caption", [
    "Roosevelt delivers the address. Photo: Library of Congress",
    "The minister at the podium on Tuesday. Credit: Jane Roe",
    "Crowds outside the hall. Image: Wikimedia",
    "The minister at the podium on Tuesday. Photograph: Jane Roe/The Courier",
    "The minister at the podium (Getty Images)",
    "The minister at the podium. AP Photo/Jane Roe",
    "The minister at the podium. REUTERS/Jane Roe",
])
def test_a_caption_line_with_its_credit_is_removed_not_made_a_heading(caption):
    other = PROSE.replace("hour", "evening")
    imported = import_text(f"{PROSE}\n\n{caption}\n\n{other}\n", {"title": "T", "author": "A"})
    assert imported.blocks == (("paragraph", PROSE), ("paragraph", other))
    assert f"3: removed a photo caption or credit: “{shorten(caption)}”" in decisions(imported)


def test_a_short_line_without_a_credit_before_a_paragraph_is_still_a_heading():
    other = PROSE.replace("hour", "evening")
    imported = import_text(f"{PROSE}\n\nWhat the minister did not say\n\n{other}\n", {"title": "T", "author": "A"})
    assert imported.blocks[1] == ("heading", "What the minister did not say")


def test_the_users_paste_keeps_its_caption_out_of_the_article():
    imported = import_text((PASTES / "fdr-paste.txt").read_text(encoding="utf-8"), {})
    assert [kind for kind, _ in imported.blocks if kind == "heading"] == []
    assert not any("Library of Congress" in text for _, text in imported.blocks)
    assert ("17: removed a photo caption or credit: “Roosevelt delivers the address. Photo: Library of Congress”"
            in decisions(imported))


# --- a saved page's date and author: as the page shows them, never a copyright year -------------

def page(head: str = "", header: str = "", footer: str = "<footer><p>&copy; 2024 The Site. All rights reserved.</p></footer>") -> bytes:
    """A saved page: `head` in <head>, `header` above the article's paragraphs, a copyright footer."""
    other = PROSE.replace("hour", "evening")
    return (f"<!DOCTYPE html>\n<html>\n<head>\n<title>Roads Before Snow</title>\n{head}\n</head>\n<body>\n"
            f"<article>\n<h1>Roads Before Snow</h1>\n{header}\n<p>{PROSE}</p>\n<p>{other}</p>\n</article>\n"
            f"{footer}\n</body>\n</html>\n").encode()


def fdr_page(variant: str) -> bytes:
    """The new user's saved page (tests/pastes/fdr-page.html): as saved, without its
    <meta name="author">, or without its copyright line, as they tried it."""
    data = (PASTES / "fdr-page.html").read_bytes()
    cut, put = {"as saved": (b"", b""),
                "no meta author": (b'<meta name="author" content="Franklin D. Roosevelt">\n', b""),
                "no copyright": (b"&copy; 2024 American Speeches Archive. All rights reserved.",
                                 b"American Speeches Archive.")}[variant]
    assert cut in data
    return data.replace(cut, put, 1)


@pytest.mark.parametrize("variant", ["as saved", "no meta author", "no copyright"])
def test_a_saved_page_gives_the_same_front_matter_as_a_paste_of_it(variant):
    from glossator.importer import import_html
    imported = import_html(fdr_page(variant), {})
    pasted = import_text((PASTES / "fdr-paste.txt").read_text(encoding="utf-8"), {})
    assert {k: imported.meta[k] for k in ("title", "subtitle", "author", "date")} == pasted.meta == {
        "title": "The Four Freedoms", "subtitle": "Annual Message to Congress on the State of the Union.",
        "author": "Franklin D. Roosevelt", "date": "1941-01-06"}
    report = decisions(imported)
    assert "author: “Franklin D. Roosevelt”, from the byline “By Franklin D. Roosevelt”; the line was removed" in report
    assert "date: “1941-01-06”, from the date line “Published: January 6, 1941”; the line was removed" in report
    assert "2024" not in report and "removed the date line" not in report


def test_a_copyright_year_is_never_a_date():
    from glossator.importer import import_html
    for data in (page(), page(head='<meta itemprop="copyrightYear" content="2024">'),
                 page(footer="<footer>Copyright (c) 2024 The Site</footer>")):
        imported = import_html(data, {"author": "A"})
        assert "date" not in imported.meta
        assert "no date given: add 'date:'" in decisions(imported) and "2024" not in decisions(imported)


@pytest.mark.parametrize("head, header, line, where", [
    ('<meta property="article:published_time" content="2020-01-03T09:00:00-05:00">', "", 5,
     '<meta property="article:published_time">'),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2020-01-03"}</script>', "", 5,
     "JSON-LD (“datePublished”)"),
    ("", '<time datetime="2020-01-03">Friday</time>', 10, '<time datetime="2020-01-03">'),
])
def test_a_date_the_markup_states_is_taken_and_named_when_no_line_shows_one(head, header, line, where):
    from glossator.importer import import_html
    imported = import_html(page(head, header), {"author": "A"})
    assert imported.meta["date"] == "2020-01-03"
    assert f"{line}: date: “2020-01-03”, from the page's {where}; check it" in decisions(imported)


def test_a_date_line_the_page_shows_wins_over_its_markup():
    from glossator.importer import import_html
    imported = import_html(page('<meta name="date" content="2024-05-01">', "<p>Published: Jan. 3, 2020</p>"),
                           {"author": "A"})
    assert imported.meta["date"] == "2020-01-03"
    assert "10: date: “2020-01-03”, from the date line “Published: Jan. 3, 2020”" in decisions(imported)


NAMES = ["Franklin D. Roosevelt", "W. E. B. Du Bois", "J.R.R. Tolkien", "Conan O'Brien", "Mary O’Neil",
         "Jean-Paul Sartre", "John Smith Jr.", "Martin Luther King, Jr.", "Charles de Gaulle", "Ali al-Sistani"]


@pytest.mark.parametrize("name", NAMES)
def test_an_authors_name_keeps_its_punctuation_from_a_byline_or_the_markup(name):
    from glossator.importer import import_html
    pasted = import_text(f"Roads Before Snow\n\nBy {name}\n\n{PROSE}\n", {})
    bylined = import_html(page(header=f'<p class="byline">By <a href="/a">{name}</a></p>'), {})
    meta = import_html(page(head=f'<meta name="author" content="{name}">'), {})
    assert pasted.meta["author"] == bylined.meta["author"] == meta.meta["author"] == name
    assert f"5: author: “{name}”, from the page's <meta name=\"author\">; check it" in decisions(meta)


@pytest.mark.parametrize("byline, name", [("BY JEAN-PAUL O'BRIEN", "Jean-Paul O'Brien"),
                                          ("BY W.E.B. DU BOIS", "W.E.B. Du Bois"), ("BY JOHN SMITH III", "John Smith III"),
                                          ("By John Smith.", "John Smith"), ("By Franklin D. Roosevelt.", "Franklin D. Roosevelt")])
def test_a_byline_in_capitals_or_ending_a_sentence_gives_the_name_as_written(byline, name):
    assert import_text(f"Roads Before Snow\n\n{byline}\n\n{PROSE}\n", {}).meta["author"] == name


def test_any_mix_of_page_markup_imports_without_an_error_and_reads_back():
    """Bylines, dates and metadata in any number and nesting, some broken: never an exception
    but ValueError, and the Markdown written reads back."""
    from hypothesis import given, settings, strategies as st

    from glossator.importer import import_html

    parts = ['<p class="byline">By Jane Doe</p>', "<div><span>By Jane Doe</span> | <time>Jan. 3, 2020</time></div>",
             '<time datetime="nonsense">x</time>', '<time datetime="2020-01-03">Friday</time>', "<p>© 2024</p>",
             '<meta name="author" content="https://example.org/jane">', '<meta name="date" content="">',
             '<script type="application/ld+json">{"author": [5, {"name": null}], "datePublished": 7}</script>',
             '<script type="application/ld+json">{broken</script>', "<!-- a comment -->", "<?pi x?>",
             '<span class="author">Jane Doe</span>', "<p>Published:</p>", "<div>", "</div>", "By", "&copy;"]

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(parts), max_size=8), st.lists(st.sampled_from(parts), max_size=4))
    def mix(header, head):
        imported = import_html(page("".join(head), "".join(header)), {"title": "T"})
        assert blocks_of(imported.markdown()) == [(k, smarten(t, "en")) for k, t in imported.blocks]

    mix()


def test_an_updated_line_gives_way_to_the_first_date_the_markup_states():
    from glossator.importer import import_html
    imported = import_html(page('<meta property="article:published_time" content="2020-01-03">',
                                "<p>Updated: March 5, 2024</p>"), {"author": "A"})
    assert imported.meta["date"] == "2020-01-03"
    report = decisions(imported)
    assert "5: date: “2020-01-03”, from the page's <meta property=\"article:published_time\">" in report
    assert "10: removed the date line “Updated: March 5, 2024”" in report


def test_a_saved_pages_lines_are_where_each_element_starts_not_a_breadcrumb_ending_with_its_words():
    from glossator.importer import import_html
    report = decisions(import_html((PASTES / "fdr-page.html").read_bytes(), {}))
    # Line 23 is the breadcrumb "Home > … > The Four Freedoms"; line 26 the <h1>.
    assert "26: removed the headline: it repeats the title" in report
    assert "27: subtitle: “Annual Message to Congress on the State of the Union.”" in report
