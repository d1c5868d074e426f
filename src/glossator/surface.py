"""The theming surface: the CSS custom properties an edition's stylesheet may set.

An edition restyles itself in styles/*.css. Most of the stylesheet is free: notes and
lines are measured as WeasyPrint sets them, so type faces, sizes and colours can
change at will. What the placement engine must know before it measures, the page's
geometry, is set through custom properties in a `:root` (or `html`) rule:

    :root { --note-width: 170pt; --text-width: 300pt; }

Glossator reads them here, checks each against its range, and builds the edition's
Geometry from them, so the placement engine and the stylesheet cannot disagree.
Setting a geometric property directly (`.note { width: 150pt }`) is warned about
(L105), with the custom property to use instead.

No WeasyPrint here: tinycss2 (WeasyPrint's CSS parser) reads the files, so `check`
stays fast.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import finding
from .model import Geometry, Where

# The templates: Glossator's skeleton (the document, the print plan's parts, the notes, every
# id the placement pass reads back) and the parts an edition may override in templates/.
SKELETON = ("edition.html.j2", "macros.html.j2")
PARTS = ("title-block.html.j2", "back-matter.html.j2", "glossary-entry.html.j2", "chronology.html.j2",
         "timeline.svg.j2", "questions.html.j2", "overview.html.j2")


def template_findings(root: Path) -> list:
    """R107 for each skeleton template an edition replaces: it is read, but its ids and
    structure are the placement pass's, and a copy goes stale with the next release. And
    R101 for a template whose syntax Jinja2 refuses, so that `check` finds what `build` would."""
    folder = root / "templates"
    found = [finding("R107", Where(f"templates/{name}", 1), name=name, parts=", ".join(PARTS))
             for name in SKELETON if (folder / name).is_file()]
    return found + [f for path in sorted(folder.glob("*.j2")) for f in _syntax(path)]  # none if no folder


def _syntax(path: Path) -> list:
    import jinja2  # here: only an edition with templates pays for it in `check`

    if path.is_symlink() or not path.is_file():
        return []  # the build says why it cannot be read (X103, R101)
    try:
        jinja2.Environment().parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return []  # likewise
    except jinja2.TemplateSyntaxError as exc:
        return [finding("R101", Where(f"templates/{path.name}", exc.lineno or 0), reason=exc.message)]
    return []


# custom property -> (Geometry field, least, most, what it is), lengths in pt. The page's
# width must still hold inside margin + text + gap + note column + an outside margin of
# at least OUTSIDE_LEAST (a printer's unsafe zone is 0.25 in = 18 pt).
GEOMETRIC = {
    "--text-width": ("text", 180.0, 480.0, "the text column's width"),
    "--note-width": ("notes", 72.0, 260.0, "the note column's width"),
    "--note-gap": ("gap", 8.0, 48.0, "the space between the text and the note column"),
    "--inside": ("inside", 36.0, 108.0, "the inside margin (the binding side)"),
    "--page-top": ("top", 36.0, 144.0, "the space above the text (the running head sits in it)"),
    "--page-bottom": ("bottom", 36.0, 144.0, "the space below the text"),
    "--note-space": ("note_gap", 2.0, 36.0, "the least space between two notes, vertically"),
    "--leading": ("leading", 10.0, 30.0, "the article's line height"),
    "--title-size": ("title_size", 14.0, 40.0, "the title's type size"),
    "--body-size": ("body_size", 7.0, 24.0, "the article's type size"),
    "--note-size": ("note_size", 5.0, 18.0, "the notes' type size"),
    "--note-leading": ("note_leading", 6.0, 24.0, "the notes' line height"),
}
OUTSIDE_LEAST = 27.0  # pt: the outside margin left to the paper's edge, 0.375 in

# Type sizes are measured as set, but Geometry holds them too (the large-print copy sets
# them larger, and the template hands them to the stylesheet), so they are read like the
# geometry. Colours (--accent) are the stylesheet's alone.

# Plain properties that move the page's geometry behind the placement engine's back:
# (selector word, property) -> the custom property to set instead.
DIRECT = {
    ("page", "margin"): "--page-top, --page-bottom, --inside",
    ("page", "margin-top"): "--page-top",
    ("page", "margin-bottom"): "--page-bottom",
    ("page", "margin-left"): "--inside",
    ("page", "margin-right"): "--inside",
    ("page", "margin-inside"): "--inside",
    ("page", "size"): "--paper on the command line (letter or a4)",
    (".note", "width"): "--note-width",
    (".note", "left"): "--note-gap",
    (".note", "right"): "--note-gap",
    (".note", "margin-left"): "--note-gap",
    (".article", "width"): "--text-width",
    (".article", "max-width"): "--text-width",
    (".para", "width"): "--text-width",
    ("body", "width"): "--text-width",
    ("html", "line-height"): "--leading",
    (".para", "line-height"): "--leading",
    (".article", "line-height"): "--leading",
}


@dataclass(frozen=True)
class Surface:
    values: dict  # Geometry field -> pt
    findings: tuple
    places: dict = field(default_factory=dict)  # Geometry field -> Where it was set (the last one)


def read(sheets) -> Surface:
    """The geometric custom properties the edition's stylesheets set (the last one wins,
    as in CSS), and a finding for each value out of range or property set directly.
    `sheets`: styles.Stylesheet objects; only the edition's own are read."""
    import tinycss2

    values, findings, places = {}, [], {}
    for sheet in (s for s in sheets if s.edition):
        rules = tinycss2.parse_stylesheet(sheet.text, skip_comments=True, skip_whitespace=True)
        for rule in rules:
            for name, value, line in declarations(rule):
                where = Where(sheet.rel, line)
                selector = selector_of(rule)
                if name in GEOMETRIC and selector in (":root", "html"):
                    found = length_pt(value)
                    field, least, most, what = GEOMETRIC[name]
                    if found is None or not least <= found <= most:
                        findings.append(finding("L106", where, name=name, value=value.strip(), what=what,
                                                least=f"{least:g}", most=f"{most:g}"))
                    else:
                        values[field], places[field] = found, where
                elif (key := direct_key(rule, selector, name)) in DIRECT:
                    findings.append(finding("L105", where, selector=selector, property=name, instead=DIRECT[key]))
    return Surface(values, tuple(findings), places)


def geometry(base: Geometry, surface: Surface) -> Geometry:
    return replace(base, **surface.values)


WIDTHS = ("text", "notes", "gap", "inside")  # the Geometry fields that share the paper's width


def fit_findings(base: Geometry, surface: Surface, path: str) -> list:
    """L107 if the surface's widths leave the outside margin too narrow on this paper, at the
    declaration that widened the page's parts the most."""
    g = geometry(base, surface)
    if surface.values and g.outside < OUTSIDE_LEAST:
        widened = [f for f in WIDTHS if f in surface.places]
        most = max(widened, key=lambda f: surface.values[f] - getattr(base, f), default=None)
        return [finding("L107", surface.places[most] if most else Where(path), paper=base.name,
                        outside=f"{g.outside:.0f}", least=f"{OUTSIDE_LEAST:g}", width=f"{base.width:g}")]
    return []


def declarations(rule):
    """(property, value text, line) for each declaration of a qualified or at-rule."""
    import tinycss2

    if rule.type not in ("qualified-rule", "at-rule") or rule.content is None:
        return
    for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            yield item.lower_name if not item.name.startswith("--") else item.name, \
                tinycss2.serialize(item.value), item.source_line


def selector_of(rule) -> str:
    import tinycss2

    if rule.type == "at-rule":
        return "@" + rule.lower_at_keyword
    return " ".join(tinycss2.serialize(rule.prelude).split())


def direct_key(rule, selector: str, name: str) -> tuple[str, str]:
    """(the selector word that matters, property): '@page :left' -> 'page'; '.note b' is not a
    note's box, so only a selector ending in the word counts."""
    if rule.type == "at-rule":
        return (rule.lower_at_keyword, name)
    last = selector.split(",")[-1].strip().split(" ")[-1]
    return (last, name)


UNITS = {"pt": 1.0, "px": 0.75, "in": 72.0, "mm": 72.0 / 25.4, "cm": 72.0 / 2.54, "pc": 12.0}


def length_pt(value: str) -> float | None:
    """'170pt' -> 170.0, '2.5in' -> 180.0; None for anything that is not a plain length."""
    value = value.strip().lower()
    for unit, factor in UNITS.items():
        if value.endswith(unit):
            try:
                return float(value[: -len(unit)]) * factor
            except ValueError:
                return None
    return None
