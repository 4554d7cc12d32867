"""Broken and hostile input files for the fuzz test and benchmarks/fuzz_inputs.py: truncated,
bit-flipped and random PDFs, malformed, deep and huge markup, entity expansion, external
entities, wrong encodings, empty files, odd names, links out of the folder, FIFOs. Each case is
built from a seed and the repository's demo corpus, so a failing one can be made again."""
from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SECRET = "MATTERMINE-FUZZ-SECRET-7f3a"  # written outside the input folder; must never reach the graph
_LAUGHS = "lol" * 40  # what an expanded billion-laughs entity would put into a sentence


@dataclass(frozen=True)
class Case:
    name: str  # file name inside the input folder
    kind: str  # family of input, for the tally
    valid: bool = False  # a well-formed document that must come out as a complete Document


class _Maker:
    def __init__(self, folder: Path, outside: Path, demo: Path, seed: int) -> None:
        self.folder, self.outside, self.demo = folder, outside, demo
        self.rng = random.Random(seed)
        self.cases: list[Case] = []
        self.texts = sorted(demo.glob("*.txt"))
        self.pdfs = sorted(demo.glob("*.pdf"))
        self.htmls = sorted(demo.glob("*.html"))

    def add(self, name: str, kind: str, data: bytes, valid: bool = False) -> None:
        (self.folder / name).write_bytes(data)
        self.cases.append(Case(name, kind, valid))

    def noise(self, n: int) -> bytes:
        return self.rng.randbytes(n)

    def pick(self, files: list[Path]) -> bytes:
        return self.rng.choice(files).read_bytes()


def _pdfs(m: _Maker) -> None:
    for i in range(14):
        m.add(f"random-{i}.pdf", "random pdf", m.noise(m.rng.randint(1, 50_000)))
    for i in range(10):
        m.add(f"header-junk-{i}.pdf", "random pdf", b"%PDF-1.7\n" + m.noise(m.rng.randint(10, 40_000)))
    for i in range(24):
        data = m.pick(m.pdfs)
        m.add(f"truncated-{i}.pdf", "truncated pdf", data[:m.rng.randint(1, len(data) - 1)])
    for i in range(16):
        flipped = bytearray(m.pick(m.pdfs))
        for _ in range(m.rng.choice((1, 10, 200))):
            flipped[m.rng.randrange(len(flipped))] = m.rng.randrange(256)
        m.add(f"bitflip-{i}.pdf", "corrupted pdf", bytes(flipped))
    m.add("pdf-named.txt", "mislabelled", m.pick(m.pdfs) + b"\n% another copy\n", valid=True)
    m.add("html-named.pdf", "mislabelled", m.pick(m.htmls))
    # An object that refers to itself and a page tree that loops: parsers that follow blindly spin.
    m.add("loop.pdf", "corrupted pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
          b"2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\n3 0 obj << /Length 3 0 R >> "
          b"stream\nxx\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def _markup(m: _Maker) -> None:
    for i in range(16):
        data = m.pick(m.htmls)
        m.add(f"truncated-{i}.html", "malformed html", data[:m.rng.randint(1, len(data) - 1)])
    tags = ["<p>", "</p>", "<div>", "</table>", "<td>", "<b>", "<!--", "-->", "<![CDATA[", "&", "&#xD800;",
            "<script>", "</", "<html", "\x00", "TiO2 has a band gap of 3.2 eV."]
    for i in range(16):
        soup = "".join(m.rng.choice(tags) for _ in range(m.rng.randint(5, 3000)))
        m.add(f"soup-{i}.html", "malformed html", ("<html><body>" + soup).encode("utf-8", "surrogatepass"))
    for i in range(12):
        soup = "".join(m.rng.choice(["<a>", "</b>", "<c x='1'>", "</a>", "&amp;", "&bogus;", "text", "<?pi?>"])
                       for _ in range(m.rng.randint(3, 2000)))
        m.add(f"malformed-{i}.xml", "malformed xml", ("<?xml version='1.0'?><article>" + soup).encode())
    for depth in (250, 5_000, 100_000):
        m.add(f"deep-{depth}.html", "deep nesting", b"<html><body>" + b"<div>" * depth + b"deep" + b"</div>" * depth)
        m.add(f"deep-{depth}.xml", "deep nesting", b"<article>" + b"<sec>" * depth + b"x" + b"</sec>" * depth + b"</article>")
    m.add("huge.html", "huge markup", b"<html><body>" + b"<p>TiO2 is white.</p>" * 1_500_000 + b"</body></html>")
    m.add("many-elements.xml", "huge markup", b"<article>" + b"<i/>" * 2_000_000 + b"</article>")
    m.add("long-line.html", "huge markup", b"<html><body><p>" + b"a" * 3_000_000 + b"</p></body></html>")


def _entities(m: _Maker) -> None:
    lol = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    for ext, root in (("xml", "article"), ("html", "html")):
        m.add(f"billion-laughs.{ext}", "entity expansion",
              f'<?xml version="1.0"?><!DOCTYPE {root} [<!ENTITY lol0 "lol">{lol}]><{root}><p>&lol9;</p></{root}>'.encode())
        big = "x" * 100_000
        m.add(f"quadratic.{ext}", "entity expansion",
              f'<!DOCTYPE {root} [<!ENTITY a "{big}">]><{root}><p>{"&a;" * 20_000}</p></{root}>'.encode())
    secret = m.outside / "secret.txt"
    uri = secret.resolve().as_uri()
    for i, decl in enumerate([f'<!ENTITY xxe SYSTEM "{uri}">', '<!ENTITY xxe SYSTEM "file:///etc/passwd">',
                              f'<!ENTITY % p SYSTEM "{uri}"> %p;', '<!ENTITY xxe SYSTEM "http://127.0.0.1:9/x">']):
        m.add(f"external-{i}.xml", "external entity",
              f'<?xml version="1.0"?><!DOCTYPE article [{decl}]><article><p>&xxe;</p></article>'.encode())
    m.add("xinclude.xml", "external entity",
          f'<article xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{uri}" parse="text"/></article>'.encode())
    m.add("external-dtd.xml", "external entity",
          f'<?xml version="1.0"?><!DOCTYPE article SYSTEM "{uri}"><article><p>x</p></article>'.encode())


def _encodings(m: _Maker) -> None:
    text = m.texts[0].read_text(encoding="utf-8")
    m.add("utf16-bom.txt", "encoding", text.encode("utf-16"), valid=True)
    m.add("utf16-no-bom.txt", "encoding", text.encode("utf-16-le"))
    m.add("utf32.txt", "encoding", text.encode("utf-32"))
    m.add("latin1.txt", "encoding", (text + " café à 300 °C").encode("latin-1", "replace"), valid=True)
    m.add("shift-jis.txt", "encoding", "酸化チタンのバンドギャップは3.2 eVである。".encode("shift_jis"))
    m.add("invalid-utf8.txt", "encoding", text.encode() + b"\xff\xfe\xc3\x28\xa0\xa1" * 50)
    m.add("lying-xml-decl.xml", "encoding",
          '<?xml version="1.0" encoding="utf-8"?><article><p>Fe₂O₃ à 800 °C</p></article>'.encode("utf-16"))
    m.add("bogus-encoding.xml", "encoding", b'<?xml version="1.0" encoding="x-bogus-42"?><article><p>x</p></article>')
    m.add("ebcdic.xml", "encoding", '<?xml version="1.0" encoding="cp500"?><article><p>x</p></article>'.encode("cp500"))
    m.add("meta-charset-lie.html", "encoding",
          '<html><head><meta charset="utf-16"></head><body><p>SnSe has ZT 2.6.</p></body></html>'.encode())
    for i in range(6):
        junk = bytes(m.rng.choice([0, 1, 7, 27, 127, 255]) for _ in range(2000))
        m.add(f"control-chars-{i}.txt", "binary as text", text.encode()[:500] + junk)
    for i in range(6):
        m.add(f"random-{i}.txt", "binary as text", m.noise(m.rng.randint(1, 20_000)))
    for i in range(4):
        m.add(f"random-{i}.xml", "binary as text", m.noise(m.rng.randint(1, 20_000)))
        m.add(f"random-{i}.html", "binary as text", m.noise(m.rng.randint(1, 20_000)))


def _names_and_links(m: _Maker) -> None:
    for ext in ("pdf", "html", "htm", "xml", "txt"):
        m.add(f"empty.{ext}", "zero bytes", b"")
    odd = ["space name.txt", "quote'\"name.txt", "semi;colon$(rm -rf x).txt", "-dash-first.txt",
           "ünïcödé-名前.txt", "emoji-🧪.txt", "new\nline.txt", "tab\tname.txt", "back\\slash.txt",
           ("x" * 240) + ".txt", "UPPER.TXT", "dots...txt", "percent%20encoded.txt", "star*glob?.txt"]
    for i, name in enumerate(odd):
        data = m.texts[i % len(m.texts)].read_bytes() + f"\nCopy {i}.".encode()
        m.add(name, "odd name", data, valid=True)
    raw = os.fsencode(m.folder) + b"/latin1-\xe9t\xe9.txt"  # not valid UTF-8: a str path must survive it
    with open(raw, "wb") as fh:
        fh.write(m.texts[3].read_bytes() + b"\nLatin-1 name.")
    m.cases.append(Case(os.fsdecode(raw).rsplit("/", 1)[1], "odd name", True))
    (m.outside / "secret.txt").write_text(f"{SECRET} TiO2 has a band gap of 9.9 eV.\n")
    links = {"link-to-secret.txt": m.outside / "secret.txt", "link-to-passwd.txt": Path("/etc/passwd"),
             "link-dangling.txt": m.outside / "missing.txt", "link-loop.txt": m.folder / "link-loop.txt",
             "link-inside.txt": m.folder / "space name.txt"}
    for name, target in links.items():
        (m.folder / name).symlink_to(target)
        m.cases.append(Case(name, "symlink"))
    (m.folder / "linked-dir").symlink_to(m.outside, target_is_directory=True)
    m.cases.append(Case("linked-dir", "symlink"))
    os.mkfifo(m.folder / "fifo.txt")
    m.cases.append(Case("fifo.txt", "fifo"))


def _valid(m: _Maker) -> None:
    for i, path in enumerate(m.texts[:8] + m.htmls[:4] + m.pdfs[:2]):
        m.add(f"valid-{i}{path.suffix}", "valid", path.read_bytes(), valid=True)


FAMILIES: list[Callable[[_Maker], None]] = [_pdfs, _markup, _entities, _encodings, _names_and_links, _valid]


def make_hostile_inputs(folder: Path, outside: Path, demo: Path, seed: int = 8) -> list[Case]:
    """Write the cases into `folder` (inputs) and `outside` (link targets, never read)."""
    folder.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    m = _Maker(folder, outside, demo, seed)
    for family in FAMILIES:
        family(m)
    return m.cases
