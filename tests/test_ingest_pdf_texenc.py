"""TeX fonts without a Unicode map (ingest.pdf_texenc): the encoding told from the font's own
codes and widths, the codes mapped, and a dvips bitmap font read alike by both PDF engines."""
from __future__ import annotations

import pytest
from pdfminer.psparser import LIT

from ingest.pdf import extract as pdfminer_extract
from ingest.pdf_engines import ENGINES
from ingest.pdf_pdfium import extract as pdfium_extract
from ingest.pdf_texenc import TexFont, identify, tex_font, text_encoding

# Computer Modern Roman's advance widths (ems) of the letters and ligatures used here.
CM = {ord("f"): 0.306, ord("i"): 0.278, ord("l"): 0.278, ord("r"): 0.392, ord("s"): 0.394, ord("t"): 0.389,
      ord("m"): 0.833, ord("e"): 0.444}
T1_LIGATURES = {27: 0.583, 28: 0.556, 29: 0.556, 30: 0.833, 31: 0.833}
OT1_LIGATURES = {11: 0.583, 12: 0.556, 13: 0.556, 14: 0.833, 15: 0.833}
# cmmi (OML) keeps Greek letters where T1 has ligatures: tau at 28, upsilon at 29.
OML_GREEK = {28: 0.437, 29: 0.540}


def test_encoding_from_ligature_widths_and_codes() -> None:
    assert text_encoding({*CM, *T1_LIGATURES}, {**CM, **T1_LIGATURES}) == "T1"
    assert text_encoding({*CM, *OT1_LIGATURES}, {**CM, **OT1_LIGATURES}) == "OT1"
    assert text_encoding({*CM, *OML_GREEK}, {**CM, **OML_GREEK}) is None  # a math font
    assert text_encoding({*CM, 0xE4}, CM) == "T1"  # only T1 has codes past 127 ("ä")
    assert text_encoding({*CM}, CM) is None  # nothing tells
    # Ligature slots without their letters tell nothing; one slot too narrow for its letters
    # says the font is not in that encoding.
    assert text_encoding({28, 29}, T1_LIGATURES) is None
    assert text_encoding({*CM, *T1_LIGATURES, 0xE4}, {**CM, **T1_LIGATURES, 29: 0.3}) == "T1"
    assert text_encoding({*CM, *T1_LIGATURES}, {**CM, **T1_LIGATURES, 29: 0.3}) is None


def dvips_font(widths: dict[int, float], **extra: object) -> dict[str, object]:
    """A Type3 font dictionary as dvips and Ghostscript write TeX's bitmap fonts."""
    first, last = min(widths), max(widths)
    differences: list[object] = []
    for code in sorted(widths):
        differences += [code, LIT(f"a{code}")]
    return {"Type": LIT("Font"), "Subtype": LIT("Type3"), "FirstChar": first, "LastChar": last,
            "Widths": [widths.get(c, 0) * 100 for c in range(first, last + 1)], "FontMatrix": [0.01, 0, 0, 0.01, 0, 0],
            "Encoding": {"Type": LIT("Encoding"), "BaseEncoding": LIT("WinAnsiEncoding"), "Differences": differences},
            **extra}


def test_a_dvips_t1_font_gets_its_ligatures_and_quotes() -> None:
    font = tex_font(dvips_font({**CM, **T1_LIGATURES, 16: 0.5, 17: 0.5, 21: 0.5}))
    assert font.table == {16: "\u201c", 17: "\u201d", 21: "\u2013", 27: "ff", 28: "fi", 29: "fl", 30: "ffi", 31: "ffl"}
    assert font.codes == {*CM, *T1_LIGATURES, 16, 17, 21}


def test_fonts_that_map_themselves_are_left_alone() -> None:
    widths = {**CM, **T1_LIGATURES}
    assert tex_font(dvips_font(widths, ToUnicode=object())).table is None
    named = dvips_font(widths)
    named["Encoding"]["Differences"] = [28, LIT("fi"), LIT("fl")]  # type: ignore[index]
    assert tex_font(named).table is None
    assert tex_font(dvips_font({**CM, **OML_GREEK})).table == {}  # qualifies, but tells no encoding


def test_a_nameless_font_is_known_by_the_codes_it_draws() -> None:
    text = TexFont({28: "fi"}, frozenset({28, *CM}))
    math = TexFont({}, frozenset({28, ord("x")}))
    assert identify([text, math], 28, {28, ord("r"), ord("s")}) == "fi"
    assert identify([text, math], 28, {28, ord("x")}) is None
    assert identify([text, math], 28, {28}) is None  # both could have drawn it, and they disagree
    assert identify([text, TexFont({28: "fi"}, frozenset({28}))], 28, {28}) == "fi"


def _pdf_with_dvips_font() -> bytes:
    """One page: “first flirt” set in a T1 bitmap font the way dvips embeds it (glyph names
    a<code>, no ToUnicode), each glyph a small square."""
    widths = {**CM, **T1_LIGATURES, 16: 0.5, 17: 0.5}
    first, last = min(widths), max(widths)
    procs = {code: f"{widths[code] * 100:.0f} 0 0 0 40 60 d1 0 0 40 60 re f".encode() for code in widths}
    objects: list[bytes] = []
    proc_ids = {}
    for code, body in procs.items():
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(body), body))
        proc_ids[code] = len(objects) + 4  # objects 1-4 are catalog, pages, page, font
    diffs = " ".join(f"{c} /a{c}" for c in sorted(widths))
    char_procs = " ".join(f"/a{c} {proc_ids[c]} 0 R" for c in sorted(widths))
    width_list = " ".join(f"{widths.get(c, 0) * 100:.1f}" for c in range(first, last + 1))
    words = [(72, bytes([16, 28]) + b"rst"), (120, bytes([29]) + b"irt" + bytes([17]))]
    content = b"BT /F1 12 Tf " + b" ".join(b"1 0 0 1 %d 700 Tm <%s> Tj" % (x, w.hex().encode()) for x, w in words) + b" ET"
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    content_id = len(objects) + 4
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents %d 0 R >>" % content_id,
        (f"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 100 100] /FontMatrix [0.01 0 0 0.01 0 0] "
         f"/FirstChar {first} /LastChar {last} /Widths [{width_list}] /CharProcs << {char_procs} >> "
         f"/Encoding << /Type /Encoding /Differences [{diffs}] >> >>").encode(),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(head + objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    return bytes(out)


@pytest.mark.parametrize("engine", ENGINES)
def test_both_engines_read_a_dvips_bitmap_font(engine: str) -> None:
    extract = pdfium_extract if engine == "pdfium" else pdfminer_extract
    content = extract(_pdf_with_dvips_font(), "dvips.pdf")
    text = " ".join(block.text for page in content.pages for block in page)
    assert "\u201cfirst flirt\u201d" in text, text
