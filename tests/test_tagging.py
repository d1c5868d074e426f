"""tagging.py's rearranging of the structure tree, on trees made by hand (no WeasyPrint)."""
from __future__ import annotations

from glossator.tagging import Node, Source, _arranged, _merged, link_description

_serials = iter(range(10_000))


def element(tag, role, *kids, id="", classes="", serial=None):
    source = Source(next(_serials) if serial is None else serial, tag, id, frozenset(classes.split()))
    return Node(None, role, source, list(kids))


def text(page, mcid):
    return ("mcid", page, mcid)


def shape(nodes) -> list:
    """(role, id, [kids' shapes]) or the MCID, for comparing trees."""
    return [(n.role, n.source.id if n.source else "", shape(n.kids)) if isinstance(n, Node) else n[2]
            for n in nodes]


def test_notes_are_read_after_their_paragraph_and_numbers_are_artifacts():
    note = element("span", "Span", element("a", "Link", text(0, 3)), text(0, 4), id="note-1",
                   classes="note note-margin")
    paragraph = element("p", "P", element("span", "Span", text(0, 9), classes="pnum"), text(0, 1),
                        element("a", "Link", text(0, 2), classes="call"), note, text(0, 5), id="p1")
    main = element("main", "Part", paragraph, element("blockquote", "BlockQuote", text(0, 6), classes="pullquote"))
    assert shape(_arranged(_merged([main], {"p1": "p1"}))) == [
        ("Part", "", [("P", "p1", [1, ("Link", "", [2]), 5]),
                      ("Note", "note-1", [("Link", "", [3]), 4])])]


def test_a_note_carried_to_the_next_pages_paragraph_is_read_after_the_paragraph_calling_it():
    def note(number, *classes):
        return element("span", "Span", text(1, 40 + number), id=f"note-{number}", classes=" ".join(("note", *classes)))

    first = element("p", "P", text(0, 1), element("a", "Link", text(0, 2), id="call-1"), note(1),
                    element("a", "Link", text(0, 3), id="call-2"), id="p1")
    # Note 2, carried to page 2, stands at the top of paragraph 2 (its heading an artifact),
    # before paragraph 2's own note 3.
    carried = note(2, "note-carried")
    carried.kids.insert(0, element("span", "Span", text(1, 9), classes="note-from"))
    second = element("p", "P", carried, text(1, 1), element("a", "Link", text(1, 2), id="call-3"), note(3), id="p2")
    main = element("main", "Part", first, second)
    arranged = _arranged(_merged([main], {"p1": "p1", "p2": "p2"}))
    assert [(role, ident) for role, ident, _ in shape(arranged)[0][2]] == [
        ("P", "p1"), ("Note", "note-1"), ("Note", "note-2"), ("P", "p2"), ("Note", "note-3")]
    assert shape([carried]) == [("Note", "note-2", [42])]  # "from p. 1" is not read


def test_a_paragraph_split_over_a_page_turn_is_one_paragraph():
    main_serial = 999_001
    first = element("main", "Part", element("p", "P", text(0, 1), id="p7"), serial=main_serial)
    second = element("main", "Part", element("p", "P", text(1, 0), id="p7-cont"), serial=main_serial)
    merged = _merged([first, second], {"p7": "p7", "p7-cont": "p7"})
    assert shape(merged) == [("Part", "", [("P", "p7", [1, 0])])]
    assert [kid[1] for kid in merged[0].kids[0].kids] == [0, 1]  # each text keeps its page


def test_glossary_entry_is_a_label_and_a_body():
    entry = element("div", "Div", element("dt", "LI", text(0, 1)), element("dd", "LI", text(0, 2)), classes="entry")
    assert shape(_arranged([entry])) == [("LI", "", [("Lbl", "", [1]), ("LBody", "", [2])])]


def test_links_say_where_they_go():
    assert link_description("note-12") == "Note 12"
    assert link_description("call-3") == "Back to the call of note 3 in the text"
    assert link_description("gloss-green-zone") == "Glossary entry: green zone"


def test_only_the_editions_own_files_are_embedded(tmp_path):
    from glossator.tagging import embedded_files

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.yaml").write_text("secret: 1\n")
    root = tmp_path / "edition"
    (root / "source").mkdir(parents=True)
    (root / "source" / "article.md").write_text("---\ntitle: T\n---\n\nText.\n")
    (root / "source" / "other.md").write_text("not the article\n")
    (root / "annotations").symlink_to(outside)  # a folder that leads out of the edition
    assert embedded_files(root) == {"source/article.md": b"---\ntitle: T\n---\n\nText.\n"}
