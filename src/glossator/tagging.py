"""The tagged PDF's structure tree, made to read as the edition does, and the PDF variants.

WeasyPrint (pdf_variant="pdf/ua-1") tags what it draws, page by page and box by box, in
the HTML's order. That order is not the reading order of an annotated edition: a note's
element sits inside its paragraph, right after its call, so a screen reader would read it
in the middle of a sentence; a paragraph split over two pages is two paragraphs; running
heads and folios are marked content that no structure element owns. This module rebuilds
the tree with pikepdf, after WeasyPrint has written the PDF:

- the pieces of one HTML element (a paragraph over a page turn, a span over two lines)
  become one structure element, and the parts a paragraph is split into at a page break
  (ids.part) one paragraph;
- each note (`Note`, with its id) is read after the paragraph, heading or list item that
  calls it, in the order of the calls;
- paragraph and line numbers, the separator between two calls, pull quotes (they repeat
  the text) and everything WeasyPrint draws in the page margins (running heads, folios)
  are artifacts: out of the tree, marked /Artifact in the page's content;
- the glossary is a list of term (`Lbl`) and definition (`LBody`), the chronology a list
  of date (`Lbl`) and event (`LBody`);
- every link has a description (/Contents) saying where it goes.

WeasyPrint's internals stay in placement/measure.py, which records which HTML element
each structure element was made for (tags_recorded); this module reads only the PDF.
"""
from __future__ import annotations

import hashlib
import io
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import ids

# numbers and marks, not the text (note-from: the "from p. 4" over a note carried to the next page)
ARTIFACT_CLASSES = {"pnum", "lnum", "call-sep", "note-line", "note-from"}
CARRIED_CLASS = "note-carried"  # a note set on the page after its call's, in that page's first paragraph
NOTE_CLASS = "note"  # the element of a note, wherever it is set (ids.note, ids.pointer)
BLOCKS = {"p", "h1", "h2", "h3", "li", "dd", "dt", "div"}  # what a note is read after
_MARKED = re.compile(rb"/(\w+)\n<</MCID (\d+)>>\nBDC")  # how WeasyPrint (pydyf) opens marked content


@dataclass(frozen=True, slots=True)  # one for every structure element: many in a long article
class Source:
    """The HTML element a structure element was made for (placement.measure.tags_recorded)."""
    serial: int  # the same for every piece of one element
    tag: str
    id: str
    classes: frozenset


@dataclass(eq=False, slots=True)
class Node:
    obj: object  # the pikepdf structure element
    role: str  # its /S, without the slash
    source: Source | None
    kids: list = field(default_factory=list)  # Node, ("mcid", page index, n) or ("objr", annotation)


def weasyprint_options(options) -> dict:
    """write_pdf's options for the PDF options ask for."""
    if options.print_shop:
        # WeasyPrint's PDF/X-4 wants a CMYK profile for its output intent, which Glossator
        # does not ship; its colours are sRGB, and so is the intent it declares.
        return dict(pdf_variant="pdf/x-4", pdf_tags=options.tagged, output_intent="srgb")
    if options.pdf_variant:
        return dict(pdf_variant=options.pdf_variant, pdf_tags=options.tagged)
    return dict(pdf_variant="pdf/ua-1") if options.tagged else {}


def pdf_errors() -> tuple[type[Exception], ...]:
    """What pikepdf raises for a PDF it cannot read or write."""
    import pikepdf

    return (pikepdf.PdfError,)


def embedded_files(root: Path) -> dict[str, bytes]:
    """The edition's own files that --embed-sources puts in the PDF, by their path in the
    edition: the article and the annotation files, nothing else (plain files inside it)."""
    from .load import ANNOTATIONS, ARTICLE
    from .schema import FILES

    found = {}
    for rel in (ARTICLE, *(f"{ANNOTATIONS}/{spec.filename}" for spec in FILES)):
        path = root / rel
        if path.is_file() and not path.is_symlink() and path.resolve().is_relative_to(root.resolve()):
            found[rel] = path.read_bytes()
    return found


def finish(pdf: bytes, options, recorded: dict[int, tuple], parts: dict[str, str], files: dict[str, bytes],
           front: int = 0) -> bytes:
    """WeasyPrint's PDF, its structure tree in reading order (when tagged), the edition's
    files attached (files: PDF/A-3 only) and its XMP metadata completed.
    recorded: PDF object number -> (serial, tag, id, classes) from measure.tags_recorded;
    parts: element id of a paragraph or of a part it is split into -> the paragraph's id;
    front: pages before the article's first (the teacher's overview), labelled i, ii…, so
    that a viewer's page numbers are the printed ones."""
    import pikepdf

    if not (options.tagged or options.pdf_variant or options.print_shop or front):
        return pdf  # --untagged: WeasyPrint's file as it is
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if options.tagged:
            restructure(doc, {number: Source(*value) for number, value in recorded.items()}, parts)
        if front:
            doc.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array([
                0, pikepdf.Dictionary(S=pikepdf.Name.r), front, pikepdf.Dictionary(S=pikepdf.Name.D)]))
        for name, data in files.items():
            attach(doc, name, data)
        _complete_metadata(doc, options, pdf)
        if "/ID" in doc.trailer:
            del doc.trailer["/ID"]  # PDF/A's and PDF/X's is random: the one saved is made from the content
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=True, recompress_flate=False,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def restructure(doc, sources: dict[int, Source], parts: dict[str, str]) -> None:
    pages = {page.objgen: index for index, page in enumerate(doc.pages)}
    root = doc.Root.StructTreeRoot
    document = _read(root.K[0], sources, pages, None)
    document.kids = _arranged(_merged(document.kids, parts))
    _write(doc, document, root.K[0], None)
    kept = _write_parent_tree(doc, root, document)
    _mark_artifacts(doc, kept)
    _describe_links(doc)


def attach(doc, name: str, data: bytes) -> None:
    """An associated file of the document (PDF/A-3), its relationship Source."""
    import pikepdf

    mime = "text/markdown" if name.endswith(".md") else "application/yaml"
    spec = pikepdf.AttachedFileSpec(doc, data, description=f"The edition's {name}", filename=name,
                                    mime_type=mime, relationship=pikepdf.Name.Source)
    doc.attachments[name] = spec
    reference = doc.Root.Names.EmbeddedFiles.Names  # the filespec just added is in the name tree
    filespec = next(reference[i + 1] for i in range(0, len(reference), 2) if str(reference[i]) == name)
    if "/AF" not in doc.Root:
        doc.Root.AF = pikepdf.Array()
    doc.Root.AF.append(filespec)


def _complete_metadata(doc, options, pdf: bytes) -> None:
    """Say in XMP that a tagged PDF/A or PDF/X is also PDF/UA, and give a PDF/X a document
    id made from its content (WeasyPrint draws a random one: a rebuild would differ)."""
    if not ((options.tagged and (options.pdf_variant or options.print_shop)) or options.print_shop):
        return
    with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if options.tagged:
            meta["pdfuaid:part"] = "1"
        if options.print_shop:
            digest = hashlib.sha256(pdf.split(b"xmp.did:")[0]).hexdigest()  # all that comes before it
            meta["xmpMM:DocumentID"] = f"xmp.did:{uuid.UUID(digest[:32])}"


# --- reading WeasyPrint's tree -------------------------------------------------------------

def _read(obj, sources, pages, page) -> Node:
    if "/Pg" in obj:
        page = pages.get(obj.Pg.objgen, page)
    node = Node(obj, str(obj.S)[1:], sources.get(obj.objgen[0]))
    kids = obj.get("/K")
    for kid in (kids if _is_array(kids) else [] if kids is None else [kids]):
        if isinstance(kid, int):
            node.kids.append(("mcid", page, int(kid)))
        elif kid.get("/Type") == "/OBJR":
            node.kids.append(("objr", kid.Obj))
        elif kid.get("/Type") == "/MCR":
            node.kids.append(("mcid", pages[kid.Pg.objgen], int(kid.MCID)))
        else:
            node.kids.append(_read(kid, sources, pages, page))
    return node


def _is_array(value) -> bool:
    import pikepdf

    return isinstance(value, pikepdf.Array)


# --- arranging it ----------------------------------------------------------------------------

def _key(node, parts: dict[str, str]):
    """Nodes with the same key are pieces of one element: joined where they meet."""
    if not isinstance(node, Node) or node.source is None:
        return None
    if node.source.tag == "main":  # the article: laid out one page per document, one <main> a page
        return ("main",)
    if node.source.id in (ids.GLOSSARY, ids.GLOSSARY_LIST):  # likewise the glossary: one a page
        return ("id", node.source.id)
    return ("para", parts[node.source.id]) if node.source.id in parts else node.source.serial


def _merged(kids: list, parts: dict[str, str], outer=None) -> list:
    """kids with the pieces of one element joined where they meet, and a box inside a box
    of the same element (an absolutely placed note, an anonymous block) taken as one."""
    out: list = []
    for kid in _flattened(kids, parts, outer):
        key = _key(kid, parts)
        if key is not None and out and _key(out[-1], parts) == key:
            out[-1].kids.extend(kid.kids)
        else:
            out.append(kid)
    for kid in out:
        if isinstance(kid, Node):
            kid.kids = _merged(kid.kids, parts, _key(kid, parts))
    return out


def _flattened(kids: list, parts: dict[str, str], outer):
    for kid in kids:
        if outer is not None and _key(kid, parts) == outer:
            yield from _flattened(kid.kids, parts, outer)
        else:
            yield kid


def _classes(node) -> frozenset:
    return node.source.classes if isinstance(node, Node) and node.source else frozenset()


def _is_artifact(node) -> bool:
    classes = _classes(node)
    return bool(classes & ARTIFACT_CLASSES) or "pullquote" in classes


def _arranged(kids: list) -> list:
    """Artifacts out, notes after their block, lists as term and definition, empty
    elements (an <a id> target) dropped."""
    out: list = []
    for kid in kids:
        if not isinstance(kid, Node):
            out.append(kid)
            continue
        if _is_artifact(kid):
            continue
        notes = _notes_out(kid) if kid.source and kid.source.tag in BLOCKS else []
        kid.kids = _arranged(kid.kids)
        if NOTE_CLASS in _classes(kid):
            _as_note(kid)
        _as_list_item(kid)
        if kid.source and kid.source.tag == "header":
            kid.role = "Sect"  # the title block (WeasyPrint: NonStruct)
        if _has_content(kid):
            out.append(kid)
        out.extend(note for note in notes if _has_content(note))
    return _carried_back(out)


def _carried_back(out: list) -> list:
    """A note carried to the next page is set in that page's first paragraph: read it, as
    every note, after the block that calls it, among that block's notes in their order."""
    for note in [kid for kid in out if CARRIED_CLASS in _classes(kid) and kid.source.id]:
        number = ids.note_number(note.source.id)
        caller = next((kid for kid in out if isinstance(kid, Node) and _holds(kid, ids.call(number))), None)
        if number is None or caller is None:
            continue
        out.remove(note)
        at = out.index(caller) + 1
        while at < len(out) and _is_note_before(out[at], number):
            at += 1
        out.insert(at, note)
    return out


def _holds(node: Node, ident: str) -> bool:
    return (node.source is not None and node.source.id == ident) or \
        any(isinstance(kid, Node) and _holds(kid, ident) for kid in node.kids)


def _is_note_before(node, number: int) -> bool:
    """node is a note read before note `number` (one with a smaller number)."""
    if not isinstance(node, Node) or node.role != "Note" or node.source is None:
        return False
    other = ids.note_number(node.source.id)
    return other is not None and other < number


def _notes_out(node: Node) -> list:
    """Take the notes out of node's subtree, in order (a note inside a note stays)."""
    found, kept = [], []
    for kid in node.kids:
        if NOTE_CLASS in _classes(kid):
            kid.kids = _arranged(kid.kids)
            _as_note(kid)
            found.append(kid)
            continue
        if isinstance(kid, Node):
            found.extend(_notes_out(kid))
        kept.append(kid)
    node.kids = kept
    return found


def _as_note(node: Node) -> None:
    node.role = "Note"


def _as_list_item(node: Node) -> None:
    """A glossary entry (div.entry: dt, dd) or a chronology event (li: date, what) as an
    LI of a label and a body."""
    classes = _classes(node)
    if "entry" in classes:
        label = _first(node, lambda n: n.source and n.source.tag == "dt")
        body = _first(node, lambda n: n.source and n.source.tag == "dd")
    elif "event" in classes:
        label = _first(node, lambda n: "date" in _classes(n))
        what = _first(node, lambda n: "what" in _classes(n))
        body = Node(None, "LBody", None, [what]) if what else None
    else:
        return
    if label and body:
        label.role = "Lbl"
        body.role = "LBody"
        node.role = "LI"
        node.kids = [label, body]


def _first(node: Node, test):
    for kid in node.kids:
        if isinstance(kid, Node):
            if test(kid):
                return kid
            found = _first(kid, test)
            if found:
                return found
    return None


def _has_content(node) -> bool:
    return any(not isinstance(kid, Node) or _has_content(kid) for kid in node.kids)


# --- writing it back -------------------------------------------------------------------------

def _write(doc, node: Node, obj, parent) -> None:
    """Write node (and its subtree) into obj: /S, /P, /K, /Pg, and /ID for notes."""
    import pikepdf

    node.obj = obj
    obj.S = pikepdf.Name("/" + node.role)
    if parent is not None:
        obj.P = parent
    if node.role == "Note" and node.source and node.source.id:
        obj.ID = pikepdf.String(node.source.id)
    page = _page_of(node)
    if page is not None:
        obj.Pg = doc.pages[page].obj
    kids = []
    for kid in node.kids:
        if isinstance(kid, Node):
            child = kid.obj
            if child is None:  # an element made here (a list item's body)
                child = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem))
            _write(doc, kid, child, obj)
            kids.append(child)
        elif kid[0] == "mcid" and kid[1] == page:
            kids.append(kid[2])
        elif kid[0] == "mcid":
            kids.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=doc.pages[kid[1]].obj, MCID=kid[2]))
        else:
            kids.append(pikepdf.Dictionary(Type=pikepdf.Name.OBJR, Obj=kid[1], Pg=doc.pages[page or 0].obj))
    obj.K = pikepdf.Array(kids)


def _page_of(node: Node):
    for kid in node.kids:
        page = _page_of(kid) if isinstance(kid, Node) else kid[1] if kid[0] == "mcid" else None
        if page is not None:
            return page
    return None


def _write_parent_tree(doc, root, document: Node) -> set[tuple[int, int]]:
    """The ParentTree, made again from the tree (which element owns each marked content and
    each link), and the IDTree of the notes. Returns the (page, MCID) pairs in the tree."""
    import pikepdf

    owners: dict[int, dict[int, object]] = {}
    annotations: list[tuple[object, object]] = []
    ids: list[tuple[str, object]] = []

    def walk(node: Node):
        if node.role == "Note" and "/ID" in node.obj:
            ids.append((str(node.obj.ID), node.obj))
        for kid in node.kids:
            if isinstance(kid, Node):
                walk(kid)
            elif kid[0] == "mcid":
                owners.setdefault(kid[1], {})[kid[2]] = node.obj
            else:
                annotations.append((kid[1], node.obj))

    walk(document)
    nums: list = []  # built whole, then made one Array: growing a pikepdf.Array is slow
    for index, page in enumerate(doc.pages):
        page.obj.StructParents = index
        mine = owners.get(index, {})
        nums += [index, pikepdf.Array([mine.get(n) for n in range(max(mine, default=-1) + 1)])]
    for page in doc.pages:  # a link inside an artifact (a pull quote) is owned by no element
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                del annotation["/StructParent"]
    for key, (annotation, owner) in enumerate(annotations, start=len(doc.pages)):
        annotation.StructParent = key
        nums += [key, owner]
    root.ParentTree = doc.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
    root.ParentTreeNextKey = len(doc.pages) + len(annotations)
    if ids:
        names = [item for name, obj in sorted(ids, key=lambda item: item[0]) for item in (pikepdf.String(name), obj)]
        root.IDTree = doc.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(names)))
    return {(page, mcid) for page, found in owners.items() for mcid in found}


def _mark_artifacts(doc, kept: set[tuple[int, int]]) -> None:
    """Marked content that no element of the tree owns becomes an artifact."""
    for index, page in enumerate(doc.pages):
        data = page.Contents.read_bytes()

        def replace(match, index=index):
            return match.group(0) if (index, int(match.group(2))) in kept else b"/Artifact BMC"

        changed = _MARKED.sub(replace, data)
        if changed != data:
            page.Contents.write(changed)


def _describe_links(doc) -> None:
    """Each link's /Contents says where it goes (WeasyPrint writes the bare target id)."""
    import pikepdf

    for index, page in enumerate(doc.pages):
        for annotation in page.obj.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link" or "/Dest" not in annotation:
                continue
            annotation.Contents = pikepdf.String(link_description(str(annotation.Dest)))


def link_description(target: str) -> str:
    """What a screen reader says for a link inside the edition."""
    kind, _, rest = target.partition("-")
    if kind == "note" and rest.isdigit():
        return f"Note {rest}"
    if kind == "call" and rest.isdigit():
        return f"Back to the call of note {rest} in the text"
    if kind == "para" and rest.isdigit():
        return f"Paragraph {rest}"
    if kind == "gloss":
        return f"Glossary entry: {rest.replace('-', ' ')}"
    return f"Go to {target.replace('-', ' ')}"
