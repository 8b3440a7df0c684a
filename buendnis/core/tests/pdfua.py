"""A structural PDF/UA-1 check with pikepdf, shared by the tests of every PDF the app prints."""

import io
from collections import Counter
from dataclasses import dataclass, field

import pikepdf

PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"


@dataclass
class TaggedPdf:
    """What the check found: structure element counts, figure alt texts, link texts."""

    title: str
    lang: str
    tags: Counter = field(default_factory=Counter)
    figure_alts: list[str] = field(default_factory=list)
    link_texts: list[str] = field(default_factory=list)
    bookmarks: list[str] = field(default_factory=list)


def _walk(element: pikepdf.Object, found: TaggedPdf, depth: int = 0) -> None:
    assert depth < 200, "structure tree too deep (cycle?)"
    kids = element.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if not isinstance(kid, pikepdf.Dictionary) or kid.get("/Type") != "/StructElem":
            continue
        tag = str(kid.get("/S"))[1:]
        found.tags[tag] += 1
        if tag == "Figure":
            found.figure_alts.append(str(kid.get("/Alt", "")))
        _walk(kid, found, depth + 1)


def _outline_titles(item: pikepdf.Object | None) -> list[str]:
    titles = []
    while item is not None:
        titles.append(str(item.Title))
        titles.extend(_outline_titles(item.get("/First")))
        item = item.get("/Next")
    return titles


def check_tagged_pdf(content: bytes) -> TaggedPdf:
    """Assert the catalogue entries PDF/UA-1 requires and return the structure found."""
    pdf = pikepdf.open(io.BytesIO(content))
    root = pdf.Root
    assert root.MarkInfo.Marked is True or bool(root.MarkInfo.Marked), "not /Marked"
    assert bool(root.ViewerPreferences.DisplayDocTitle), "DisplayDocTitle missing"
    lang = str(root.get("/Lang", ""))
    assert lang, "no /Lang"
    title = str(pdf.docinfo.get("/Title", ""))
    assert title.strip(), "no document title"
    with pdf.open_metadata() as xmp:
        assert xmp.get(f"{{{PDFUA_NS}}}part") == "1", "no PDF/UA-1 identification in XMP"
        assert xmp.get("dc:title"), "no title in XMP"
    found = TaggedPdf(title=title, lang=lang)
    tree = root.get("/StructTreeRoot")
    assert tree is not None, "no structure tree"
    _walk(tree, found)
    assert found.tags["Document"] == 1, found.tags
    assert all(alt.strip() for alt in found.figure_alts), found.figure_alts
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") == "/Link":
                text = str(annotation.get("/Contents", ""))
                assert text.strip(), "link without a description"
                assert str(annotation.get("/Dest", "")) != text, f"link described by id {text}"
                found.link_texts.append(text)
    if "/Outlines" in root:
        found.bookmarks = _outline_titles(root.Outlines.get("/First"))
    return found
