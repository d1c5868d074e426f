"""Properties over random input (hypothesis): whatever a stranger's edition holds, the loaders
answer with coded findings or success, never a traceback; Markdown never yields script;
output names never leave their folder.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import html_elements, make_edition
from glossator import schema
from glossator.compose import render_inline, render_markdown, safe_link
from glossator.errors import CODES, OutputError
from glossator.model import slugify
from glossator.pipeline import check
from glossator.write import write_outputs

# In CI the examples are the same on every run; at a desk each run explores new ones.
# HYPOTHESIS_PROFILE=explore runs many more, to hunt for crashes (a minute or two).
_BASE = dict(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("glossator", max_examples=120, **_BASE)
settings.register_profile("glossator-ci", max_examples=120, derandomize=True, **_BASE)
settings.register_profile("explore", max_examples=3000, **_BASE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("glossator-ci" if os.environ.get("CI") else "glossator"))

FIELDS = sorted({f.name for spec in (schema.NOTES, schema.GLOSSARY, schema.CHRONOLOGY) for f in spec.fields}
                | {"title", "author", "slug", "url", "date", "bio", "credits"})
# The characters YAML and Markdown give meaning to, plus a few that trip decoders.
SYNTAX = "-:[]{},&*!|>'\"#%@`?\n \t\\<>()/.=_\x00\ufeff\u2028\r"
words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(SYNTAX),
                max_size=30)
scalars = st.one_of(words, st.sampled_from(FIELDS), st.integers(), st.floats(allow_nan=True), st.booleans(),
                    st.none(), st.dates().map(str), st.just("Quds Force"))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5),
    st.dictionaries(st.one_of(st.sampled_from(FIELDS), words), inner, max_size=6)), max_leaves=30)


@st.composite
def yaml_documents(draw) -> str:
    """A YAML document: a dump of random data, raw syntax soup, or a dump with junk spliced in."""
    dumped = yaml.safe_dump(draw(values), allow_unicode=draw(st.booleans()),
                            default_flow_style=draw(st.sampled_from([None, True, False])))
    kind = draw(st.sampled_from(["dump", "soup", "spliced", "anchors"]))
    if kind == "soup":
        return draw(st.text(alphabet=st.sampled_from(SYNTAX + "abcxyz019"), max_size=200))
    if kind == "spliced":
        at = draw(st.integers(0, len(dumped)))
        return dumped[:at] + draw(words) + dumped[at:]
    if kind == "anchors":  # anchors, aliases and tags where a stranger might put them
        extra = draw(st.sampled_from(["&a ", "*a ", "!!python/object:os.system ", "!!binary ", "<<: *a\n",
                                      "? ", "--- ", "...\n", "%YAML 1.1\n", "!local "]))
        at = draw(st.integers(0, len(dumped)))
        return dumped[:at] + extra + dumped[at:]
    return dumped


def assert_coded(findings) -> None:
    for f in findings:
        assert f.code in CODES, f
        assert f.severity == CODES[f.code].severity
        assert isinstance(f.format(), str) and f.message and f.hint


def checked(**files) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_edition(Path(tmp) / "edition", **files)
        return check(root).findings


@given(notes=yaml_documents(), glossary=yaml_documents(), chronology=yaml_documents())
@example(notes='- "\\U01010000"\n', glossary="[]", chronology="[]")  # found by the explore profile
@example(notes="- " + "[" * 5000 + "]" * 5000, glossary="&a [*a]", chronology="- !!python/name:os.system x")
def test_random_annotation_files_give_coded_findings(notes, glossary, chronology):
    assert_coded(checked(notes=notes, glossary=glossary, chronology=chronology))


@given(front=yaml_documents(), body=st.text(alphabet=st.sampled_from(SYNTAX + "abc ABC*_[]()!"), max_size=200))
@example(front='title: "\\U01010000"', body="x")
def test_random_front_matter_and_body_give_coded_findings(front, body):
    assert_coded(checked(article=f"---\n{front}\n---\n\n{body}\n"))


@given(data=st.binary(max_size=300), name=st.sampled_from(["notes", "glossary", "chronology", "article"]))
def test_random_bytes_give_coded_findings(data, name):
    with tempfile.TemporaryDirectory() as tmp:
        root = make_edition(Path(tmp) / "edition")
        path = root / "source" / "article.md" if name == "article" else root / "annotations" / f"{name}.yaml"
        path.write_bytes(data)
        assert_coded(check(root).findings)


# --- Markdown ----------------------------------------------------------------------------------

ALLOWED_TAGS = {"span": {"class"}, "em": set(), "strong": set(), "a": {"href"}, "code": set(),
                "br": set(), "abbr": {"class"}}
PIECES = st.sampled_from([
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "[a](", ")", "](", "javascript:", "JaVaScRiPt:",
    "java\tscript:", "data:text/html,", "vbscript:", "file:///etc/passwd", "https://example.org", "<", ">",
    "&#106;", "&lt;", "&", '"', "'", "`", "*", "_", "\\", "\n", "\n\n", "![i](", "<https://x.org>",
    "<javascript:alert(1)>", "ISIS", "onload=", "<a href=", "#note-1", "mailto:a@b.org",
])
markdown_texts = st.lists(PIECES | words, max_size=25).map("".join)


@given(text=markdown_texts)
def test_markdown_yields_only_allowed_tags_and_safe_links(text):
    for html in (render_markdown(text), render_inline(text)):
        for tag, attrs in html_elements(html):
            assert tag in ALLOWED_TAGS, (text, html)
            assert set(attrs) <= ALLOWED_TAGS[tag], (text, html)
            if "href" in attrs:
                assert safe_link(attrs["href"]), (text, html)


@given(url=st.text(max_size=40))
def test_safe_link_admits_only_the_web_mail_and_fragments(url):
    plain = "".join(c for c in url if ord(c) > 0x20 and c != "\x7f").lower()
    if safe_link(url):
        assert plain.startswith(("http:", "https:", "mailto:", "#"))


# --- outputs --------------------------------------------------------------------------------------

@given(title=st.text(max_size=120))
def test_slugs_are_plain_names(title):
    slug = slugify(title)
    assert slug and set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") and len(slug) <= 80


@given(name=st.text(alphabet=st.sampled_from("ab./\\-_~\x00 "), min_size=1, max_size=12))
def test_outputs_stay_in_their_folder(name):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "a" / "out"
        try:
            written = write_outputs(folder, {name: b"x"})
        except OutputError as exc:
            assert exc.findings[0].code in ("O101", "O103")
            written = []
        inside = lambda p: p.parent == folder or (p.parent.parent == folder and not p.parent.is_symlink())
        for path in written:  # in the folder, or one plain subfolder of it (fonts/)
            assert inside(path) and path.resolve().is_relative_to(folder.resolve())
        everything = [p for p in Path(tmp).rglob("*") if p.is_file()]
        assert all(inside(p) for p in everything), everything
