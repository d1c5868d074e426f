"""Page furniture: what a web page puts around an article (subscription offers, share
buttons, captions, menus, link lists) and how to tell a second copy of a passage.

The importer (importer.py) removes it from a paste; `glossator check` (lint.py) warns
about what is left in an article. One list, so the two agree.
"""
from __future__ import annotations

import difflib
import re

# A heading over a list of links or tags, whose items follow it as short lines.
LIST_HEADING = (r"^(related|recommended|popular|trending|most read|most popular|more stories|read next|up next"
                r"|you (may|might) also like|further reading|more (on|in) this|tags|topics)"
                r"( articles| stories| posts| content| reading| links)?:?$")

# Short units matching one of these are page furniture, not the article. Each
# pattern names what it is, for the report. `glossator check` (lint.py) reads
# the same list to warn about furniture left in an article.
SOCIAL = (r"facebook|x|twitter|linkedin|reddit|whatsapp|pinterest|bluesky|threads|mastodon|instagram"
          r"|youtube|tiktok|telegram|flipboard|e-?mail|print|copy( the)? link|link copied")
BOILERPLATE = [
    (re.compile(p, re.IGNORECASE), why) for p, why in (
        (r"\bsubscri(be|ber|bers|ption|ptions)\b", "a subscription offer"),
        (r"\bpaywall", "a paywall notice"),
        (r"\bfree articles?\b", "a paywall notice"),
        (r"\bunlimited (digital )?access\b", "a subscription offer"),
        (r"\bunlock\b.*\baccess\b", "a subscription offer"),
        (r"\b(sign|log) ?(in|up)\b", "a sign-in prompt"),
        (r"\bnewsletters?\b", "a newsletter prompt"),
        (r"\bcookies?\b", "a cookie notice"),
        (r"^advertisement$", "an advertisement marker"),
        (r"^(share|save|print|email|tweet|listen|menu|search|close|skip to (main )?content|back to top)"
         r"( this( article| story| page)?)?$", "a page button"),
        (rf"^((share|follow us)( (on|via))? )?({SOCIAL})$|^(share|follow us)( (on|via))?:?$"
         r"|^follow us\b", "a share or social link"),
        # A credit starts the line, or follows the caption's sentence ("The crowd at the
        # Capitol. Photo: Library of Congress"), or is in brackets at its end.
        (r"^(photo|photograph|image|illustration|picture|credit|caption|source)s?( credit)?\s*[:|]"
         r"|[.!?…][”\"’')]*\s+(photo|photograph|image|illustration|picture|credit)s?( credit)?\s*[:|]"
         r"|\((photo|image|credit|courtesy|source|illustration)\b[^)]*\)\.?$"
         r"|\b(photo|photograph|image|illustration) (by|courtesy of|credit)\b"
         r"|\b(getty images|ap photo|shutterstock|wikimedia commons)\b|\b(reuters|afp|epa|ap)\s*/\s*[A-Z]"
         r"|\bcourtesy of\b", "a photo caption or credit"),
        (r"\b(enter|type) your e-?mail\b|^(your )?e-?mail( address)?:?$", "a newsletter prompt"),
        (r"^(citation|cite this( item| page| article)?|how to cite)\b", "a citation of the page"),
        (r"^(read|see) more\b", "a link to other pages"),
        (r"^more (by|from|on|in) ", "a link to other pages"),
        (LIST_HEADING, "a link list heading"),
        (r"^(tags?|topics?|filed under|categories|category|posted in)\b\s*[:|]", "the page's tags"),
        (r"\ball rights reserved\b|^(copyright|©)", "a copyright line"),
        (r"^\d+ min(ute)?s? read$", "a reading-time label"),
    )
]
BOILERPLATE_MAX_WORDS = 40  # longer units are prose, whatever words they use
PROSE_WORDS = 12  # a unit this long, not boilerplate, is a paragraph of running text
MENU_RUN = 3  # this many short lines in a row, without punctuation, are a menu
MENU_SEPARATORS = re.compile(r"\s+[|›»>/·•]\s+|\s*[|›»]\s*")

COMMON = 20  # a three-word run in more texts than this is too common to tell copies apart
COPY_SHARE = 0.9  # a longer unit this much like another is a second copy of it

WORD = re.compile(r"\w+(?:[’'.-]\w+)*")


def boilerplate_reason(text: str) -> str | None:
    """Why a short text is page furniture ("a newsletter prompt"), or None."""
    if len(text.split()) > BOILERPLATE_MAX_WORDS:
        return None
    for pattern, why in BOILERPLATE:
        if pattern.search(text):
            return why
    return None


def menu_line(text: str) -> bool:
    """A breadcrumb or a menu copied as one line: short items between separators."""
    items = [item for item in MENU_SEPARATORS.split(text) if item.strip()]
    return len(items) >= 3 and all(len(item.split()) <= 4 for item in items)


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def shared_share(short: list[str], long: list[str]) -> float:
    """Share of `short`'s words found in `long` in order, in runs of three or more."""
    matcher = difflib.SequenceMatcher(None, short, long, autojunk=False)
    matched = sum(size for _, _, size in matcher.get_matching_blocks() if size >= 3)
    return matched / len(short) if short else 0.0


def alike(tokens: list[list[str]]) -> list[set[int]]:
    """For each text (its words), the others that may share PULLQUOTE_SHARE of its words in
    runs of three: those holding a fifth or more of its three-word runs (a share of 3/4 in
    runs of 3 or more leaves at least 1/4 of its three-word runs whole). An index of the
    runs keeps this linear on long pastes, where comparing every pair would take minutes;
    runs found in more than COMMON texts ("one of the") tell nothing and are left out."""
    runs = [set(zip(t, t[1:], t[2:])) for t in tokens]
    index: dict[tuple, list[int]] = {}
    for j, these in enumerate(runs):
        for run in these:
            index.setdefault(run, []).append(j)
    out = []
    for i, these in enumerate(runs):
        hits: dict[int, int] = {}
        for run in these:
            holders = index[run]
            if len(holders) <= COMMON:
                for j in holders:
                    hits[j] = hits.get(j, 0) + 1
        out.append({j for j, n in hits.items() if j != i and n >= max(1, len(these) / 5)})
    return out


def shorten(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"
