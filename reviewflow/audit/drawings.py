"""What the published flow diagram says, read back and checked against counts.json.

The diagram is the number people publish, so every line of text it draws -- each
box's label and number, the database and exclusion-reason lines, headers, side
labels, the "Incomplete" note -- must be the text reviewflow.prisma.layout makes
from counts.json: in flow_diagram.svg (its <text> elements), in flow_diagram.pdf
(its text layer) and in the SVG inlined in flow_diagram.html. The database-overlap
figure's text (its counts and labels) is checked against the figure drawn again
from the re-derived ledger. The PNGs have no text to read; the manifest's SHA-256
covers them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

from reviewflow.paths import PRISMA
from reviewflow.prisma.layout import flow_layout

SVG, PDF, HTML, OVERLAP_SVG = (PRISMA.path(key) for key in ("svg", "pdf", "html", "overlap_svg"))
COUNTS = "counts.json"
_SVG_ELEMENT = re.compile(r"<svg\b.*?</svg>", re.DOTALL)
_SPACE = re.compile(r"\s+")


def expected_texts(counts: dict, databases: list[str], separator: str = "") -> list[str]:
    """Every line of text the diagram of these counts draws (numbers grouped by ``separator``)."""
    return [
        text for box in flow_layout(counts, databases, separator).boxes for _, text in box.lines
    ]


def svg_texts(svg: str) -> list[str]:
    """The text of every <text> element of an SVG document or element."""
    root = ET.fromstring(svg)
    return [
        "".join(element.itertext())
        for element in root.iter()
        if element.tag.rsplit("}", 1)[-1] == "text"
    ]


def inline_svg(page: str) -> str | None:
    """The <svg> element an HTML page inlines (the first), or None."""
    found = _SVG_ELEMENT.search(page)
    return found.group(0) if found else None


def without_svg(page: str) -> str:
    """The HTML page with its inline SVG taken out: the part whose bytes do not depend on
    matplotlib."""
    return _SVG_ELEMENT.sub("<svg/>", page, count=1)


def _compare(name: str, drawn: list[str], expected: list[str], source: str) -> list[str]:
    extra = Counter(drawn) - Counter(expected)
    missing = Counter(expected) - Counter(drawn)
    problems = [
        f"{name}: draws {text!r}, which {source} does not give" for text in sorted(extra.elements())
    ]
    problems += [
        f"{name}: does not draw {text!r}, which {source} gives"
        for text in sorted(missing.elements())
    ]
    return problems


def check_svg(
    path: Path, expected: list[str], text: str | None = None, source: str = COUNTS
) -> list[str]:
    try:
        drawn = svg_texts(path.read_text(encoding="utf-8") if text is None else text)
    except (OSError, UnicodeDecodeError, ET.ParseError) as exc:
        return [f"{path}: cannot be read as SVG ({exc})"]
    return _compare(str(path), drawn, expected, source)


def check_redrawn_svg(path: Path, redrawn: Path) -> list[str]:
    """An SVG figure's text against the same figure drawn again from the re-derived results."""
    return check_svg(
        path,
        svg_texts(redrawn.read_text(encoding="utf-8")),
        source="re-drawing it from the exports",
    )


def check_html(path: Path, expected: list[str]) -> list[str]:
    try:
        svg = inline_svg(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}: cannot be read ({exc})"]
    if svg is None:
        return [f"{path}: has no inline flow diagram (<svg> element)"]
    return check_svg(Path(f"{path} (inline SVG)"), expected, svg)


def check_pdf(path: Path, expected: list[str]) -> list[str]:
    """The PDF's text layer, spacing ignored (a PDF keeps no line structure to compare):
    each expected line is in it, and it holds no characters beyond the expected lines'."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        text = "".join(page.extract_text() for page in PdfReader(path).pages)
    except (OSError, PdfReadError, ValueError) as exc:
        return [f"{path}: cannot be read as PDF ({exc})"]
    flat = _SPACE.sub("", text)
    problems = [
        f"{path}: does not show {line!r}, which counts.json gives"
        for line in expected
        if _SPACE.sub("", line) not in flat
    ]
    extra = Counter(flat) - Counter(_SPACE.sub("", "".join(expected)))
    if extra:
        numbers = Counter(re.findall(r"\d+", text)) - Counter(
            re.findall(r"\d+", " ".join(expected))
        )
        shown = (
            f"numbers {', '.join(sorted(numbers.elements()))}"
            if numbers
            else repr("".join(sorted(extra.elements())))
        )
        problems.append(f"{path}: shows text counts.json does not give ({shown})")
    return problems


def check_drawings(
    results: Path, counts: dict, databases: list[str], separator: str = ""
) -> list[str]:
    """Each flow-diagram file that exists, against the diagram ``counts`` give (a
    missing one is named by the manifest and re-derivation checks)."""
    expected = expected_texts(counts, databases, separator)
    problems = []
    for rel, check in ((SVG, check_svg), (PDF, check_pdf), (HTML, check_html)):
        if (results / rel).is_file():
            problems += check(results / rel, expected)
    return problems
