"""The pdfium engine's font facts and inflation check take faster paths (qpdf for the font
dictionaries, ISA-L for inflating) than the code they replaced (pdfminer's parser, zlib): each
must find what the old one found, and hand back to it where it could differ."""
from __future__ import annotations

import io
import zlib
from pathlib import Path

import pikepdf
import pytest

from ingest import pdf_guard
from ingest.limits import DEFAULT_LIMITS
from ingest.pdf_fonts import _pdfminer_fonts, _qpdf_descents, _qpdf_fonts, _tex_fonts, font_facts
from tests.conftest import need_corpus


def _shared_pdfs() -> list[Path]:
    return sorted(need_corpus("pdfs").glob("*.pdf"))


def test_qpdf_finds_what_pdfminer_finds_in_real_papers() -> None:
    checked = special = 0
    for path in _shared_pdfs():
        data = path.read_bytes()
        expected, found = _pdfminer_fonts(data), _qpdf_fonts(data)
        assert expected.descents, f"{path.name}: pdfminer found no fonts"
        assert found is not None and found.descents == expected.descents, path.name
        if found.fonts:  # fonts with cmsy slots (APS's and RSC's math fonts)
            special += 1
            assert found.slots == expected.slots and any(found.slots), path.name
            assert [_tex_fonts(f, {}) for f in found.fonts] == [_tex_fonts(f, {}) for f in expected.fonts], path.name
        checked += 1
    assert checked >= 9 and special >= 3


def _pdf(fonts: dict[str, pikepdf.Dictionary], on_parent: bool = False) -> bytes:
    """A one-page PDF whose resources name `fonts`, on the page or inherited from its parent."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary({f"/{k}": pdf.make_indirect(v) for k, v in fonts.items()}))
    if on_parent:
        pdf.Root.Pages.Resources = resources
        if "/Resources" in pdf.pages[0].obj:
            del pdf.pages[0].obj["/Resources"]
    else:
        pdf.pages[0].obj.Resources = resources
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _font(name: str, descent: object | None, subtype: str = "/TrueType") -> pikepdf.Dictionary:
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name(subtype), BaseFont=pikepdf.Name(name))
    if descent is not None:
        font.FontDescriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, Descent=descent)
    else:
        font.FontDescriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor)
    return font


@pytest.mark.parametrize("on_parent", [False, True])
def test_descents_as_pdfminer_reads_them(on_parent: bool) -> None:
    data = _pdf({"F1": _font("/ABCDEF+Minion", -250), "F2": _font("/Plain", None),
                 "F3": _font("/Times-Roman", -999), "F4": _font("/Real", pikepdf.Object.parse(b"-212.5")),
                 "F5": _font("/Bitmap", -300, subtype="/Type3")}, on_parent)
    expected = _pdfminer_fonts(data).descents
    # Subset prefix dropped; no Descent is 0; a standard-14 name takes the standard metrics;
    # a real number stays one; a Type3 font has none.
    assert expected == {"Minion": -0.25, "Plain": -0.0, "Times-Roman": -0.217, "Real": -0.2125}
    assert _qpdf_descents(data) == expected


def test_two_fonts_of_one_name_that_differ_are_left_to_pdfminer() -> None:
    data = _pdf({"F1": _font("/ABCDEF+Minion", -250), "F2": _font("/GHIJKL+Minion", -300)})
    assert _qpdf_descents(data) is None
    assert font_facts(data).descents == _pdfminer_fonts(data).descents == {"Minion": -0.25}


def test_a_file_qpdf_cannot_open_gives_no_descents_and_no_error() -> None:
    assert _qpdf_descents(b"%PDF-1.4\n garbage") is None
    assert font_facts(b"%PDF-1.4\n garbage").descents == {}


def test_isal_inflates_real_papers_to_the_bytes_zlib_does(monkeypatch: pytest.MonkeyPatch) -> None:
    assert pdf_guard._INFLATE.__name__ == "isal.isal_zlib"  # a dependency: the check's fast path
    datas = [path.read_bytes() for path in _shared_pdfs()]
    fast = [pdf_guard.check_inflation(data, DEFAULT_LIMITS) for data in datas]
    monkeypatch.setattr(pdf_guard, "_INFLATE", zlib)
    monkeypatch.setattr(pdf_guard, "_INFLATE_ERRORS", (zlib.error,))
    assert fast == [pdf_guard.check_inflation(data, DEFAULT_LIMITS) for data in datas]
    assert min(fast) > 0


def _tex_font(names: list[object], subtype: str = "/Type3") -> pikepdf.Dictionary:
    font = _font("/", None, subtype)
    del font["/BaseFont"]
    font.Encoding = pikepdf.Dictionary(Type=pikepdf.Name.Encoding, Differences=pikepdf.Array(names))
    return font


def test_fonts_are_kept_only_where_one_may_have_cmsy_slots_or_a_tex_encoding() -> None:
    plain = font_facts(_pdf({"F1": _font("/ABCDEF+Minion", -250)}))
    assert plain.fonts == [] and plain.slot_glyph(0, "Minion", 3) is None
    assert plain.tex_text(0, "", 28, frozenset({28})) is None
    dvips = [27, pikepdf.Name("/a27"), pikepdf.Name("/a28"), 102, pikepdf.Name("/a102")]
    widths = pikepdf.Array([500, 520])
    tex = _tex_font(dvips)
    tex.FirstChar, tex.Widths = 27, widths
    data = _pdf({"T3": tex})
    found = font_facts(data)
    assert len(found.fonts) == 1 and found.fonts[0][0][1]["Widths"] == [500, 520]
    assert [_tex_fonts(f, {}) for f in found.fonts] == [_tex_fonts(f, {}) for f in _pdfminer_fonts(data).fonts]
    cmsy = _font("/ABCDEF+AdvP4C4E74", -250)
    cmsy.Encoding = pikepdf.Dictionary(Differences=pikepdf.Array([0, pikepdf.Name("/C0"), pikepdf.Name("/C6")]))
    found = font_facts(_pdf({"S": cmsy}))
    assert found.slot_glyph(0, "AdvP4C4E74", 1) == "\u00b1" and found.slot_glyph(0, "AdvP4C4E74", 0) == "\u2212"
    # Glyph names a font maps by itself, or a font with a Unicode map, are no TeX encoding.
    assert font_facts(_pdf({"T1": _tex_font([27, pikepdf.Name("/ff"), pikepdf.Name("/fi")], "/Type1")})).fonts == []
    with_map = _tex_font(dvips)
    with_map.ToUnicode = pikepdf.Dictionary()
    assert font_facts(_pdf({"T3": with_map})).fonts == []
