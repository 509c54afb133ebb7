"""A structural PDF/A-3b check with pypdf and qpdf, for when veraPDF cannot be installed (it is not run here).

It checks what trustdocs' PDFs must hold to be PDF/A-3b: the identification in the XMP metadata, an sRGB
output intent with its ICC profile, associated files that say what they are, embedded fonts, a file
identifier and no encryption; and `qpdf --check` finds the file sound.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

_PART = re.compile(r'pdfaid:part(?:="|>)(\d)')
_CONFORMANCE = re.compile(r'pdfaid:conformance(?:="|>)([A-Z])')
_PRODUCER = re.compile(r'pdf:Producer(?:="|>)([^"<]+)')


@dataclass(frozen=True)
class AssociatedFile:
    name: str
    relationship: str
    mime_type: str
    data: bytes


def _fonts(resources: DictionaryObject, seen: set[int]) -> list[DictionaryObject]:
    fonts = []
    for font in (resources.get("/Font") or {}).values():
        fonts.append(font.get_object())
    for xobject in (resources.get("/XObject") or {}).values():
        ref = getattr(xobject, "idnum", None)
        if ref in seen:
            continue
        seen.add(ref)
        inner = xobject.get_object().get("/Resources")
        if inner is not None:
            fonts += _fonts(inner.get_object(), seen)
    return fonts


def _embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        return all(_embedded(d.get_object()) for d in font["/DescendantFonts"])
    descriptor = font["/FontDescriptor"].get_object()
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def check_pdfa(path: Path) -> list[AssociatedFile]:
    """Assert that `path` has the structures of a PDF/A-3b; return its associated files."""
    reader = PdfReader(path)
    assert not reader.is_encrypted
    assert reader.pdf_header == "%PDF-1.7"
    root = reader.trailer["/Root"]
    assert "/ID" in reader.trailer
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert _PART.findall(xmp) == ["3"] and _CONFORMANCE.findall(xmp) == ["B"], xmp[:300]
    assert _PRODUCER.findall(xmp) == [reader.metadata["/Producer"]]
    intents = [i.get_object() for i in root["/OutputIntents"]]
    assert [i["/S"] for i in intents] == ["/GTS_PDFA1"]
    assert intents[0]["/DestOutputProfile"].get_object().get_data()[36:40] == b"acsp"  # an ICC profile

    tree = root.get("/Names", {}).get("/EmbeddedFiles")
    names = tree.get_object()["/Names"] if tree is not None else []
    specs = {names[i]: names[i + 1].get_object() for i in range(0, len(names), 2)}
    assert {ref.get_object()["/UF"] for ref in root.get("/AF", [])} == set(specs)
    files = []
    for name, spec in specs.items():
        assert spec["/Type"] == "/Filespec" and spec["/UF"] == name
        stream = spec["/EF"]["/F"].get_object()
        assert "/ModDate" in stream["/Params"]
        files.append(AssociatedFile(name, spec["/AFRelationship"], stream["/Subtype"], stream.get_data()))

    seen: set[int] = set()
    for number, page in enumerate(reader.pages, 1):
        for font in _fonts(page["/Resources"].get_object(), seen):
            assert _embedded(font), f"page {number}: font {font.get('/BaseFont')} is not embedded"
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, errors="replace")
    assert check.returncode == 0, check.stdout + check.stderr
    return sorted(files, key=lambda f: f.name)
