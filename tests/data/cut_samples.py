"""Write tests/data/samples: each bibliographic sample of ../shared/samples, cut to its first
records.

A file of up to 32 KB is copied whole; a larger one keeps its first five records, cut at a record
boundary found from the format's own markers (not by reviewflow), so its BOM, line breaks, header
lines and encoding stay as the database wrote them. SOURCES.txt is copied with each file's record
count set to the cut's. Run from the repository: python tests/data/cut_samples.py
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = (
    Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent.parent / "shared" / "samples"
)
TARGET = HERE / "samples"
FOLDERS = [
    "pubmed_medline",
    "ovid_ris",
    "ovid_embase_tagged",
    "embase_ris",
    "embase_csv",
    "cochrane",
    "wos_tagged",
    "wos_tab",
    "wos_ris",
    "wos_bibtex",
    "scopus_ris",
    "scopus_csv",
    "scopus_bibtex",
    "cross_db_citesource_valid",
]
WHOLE = 32_000
KEEP = 5


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    return data.decode("utf-8"), "utf-8"


def _lines_until(lines: list[str], is_end, keep: int) -> tuple[int, int]:
    """(lines to keep, records seen): up to and including the line ending record ``keep``."""
    seen = 0
    for i, line in enumerate(lines):
        if is_end(line):
            seen += 1
            if seen == keep:
                return i + 1, seen
    return len(lines), seen


def _cut_text(name: str, text: str) -> tuple[str, int]:
    lines = text.splitlines(keepends=True)
    bare = [line.lstrip("\ufeff").rstrip("\r\n") for line in lines]
    first = bare[0] if bare else ""
    if first.startswith(("FN ", "PT ")) and any(
        b == "EF" for b in bare
    ):  # WoS tagged: FN/VR, records to ER, EF
        n, seen = _lines_until(bare, lambda b: b == "ER", KEEP)
        ending = "\r\n" if lines[0].endswith("\r\n") else "\n"
        return "".join(lines[:n]) + ending + "EF" + ("" if text.endswith("EF") else ending), seen
    if any(b.startswith("ER  -") for b in bare):  # RIS
        n, seen = _lines_until(bare, lambda b: b.startswith("ER  -"), KEEP)
        return "".join(lines[:n]), seen
    if any(b.startswith("PMID-") for b in bare):  # MEDLINE: a record starts at PMID-
        starts = [i for i, b in enumerate(bare) if b.startswith("PMID-")]
        n = starts[KEEP] if len(starts) > KEEP else len(lines)
        return "".join(lines[:n]), min(KEEP, len(starts))
    if any(b.startswith("@") for b in bare):  # BibTeX: an entry starts at @
        starts = [i for i, b in enumerate(bare) if b.startswith("@")]
        n = starts[KEEP] if len(starts) > KEEP else len(lines)
        return "".join(lines[:n]), min(KEEP, len(starts))
    if "\t" in first:  # WoS tab-delimited: a header, then one line a record
        return "".join(lines[: KEEP + 1]), min(KEEP, len(lines) - 1)
    # CSV (Embase puts a search-query block and a blank line above the header): quoted cells span
    # lines.
    skip = (
        next((i + 1 for i, b in enumerate(bare[:6]) if b == ""), 0)
        if first.startswith('"SEARCH QUERY"')
        else 0
    )
    reader = csv.reader(io.StringIO("".join(lines[skip:]), newline=""))
    next(reader)
    for _ in range(KEEP):
        next(reader)
    body = "".join(lines[skip:])
    consumed = len("".join(body.splitlines(keepends=True)[: reader.line_num]))
    return "".join(lines[:skip]) + body[:consumed], KEEP


def main() -> None:
    for folder in FOLDERS:
        (TARGET / folder).mkdir(parents=True, exist_ok=True)
        sources = (SOURCE / folder / "SOURCES.txt").read_text(encoding="utf-8")
        for path in sorted((SOURCE / folder).iterdir()):
            if path.name == "SOURCES.txt":
                continue
            data = path.read_bytes()
            if len(data) <= WHOLE or path.suffix == ".xlsx":
                (TARGET / folder / path.name).write_bytes(data)
                continue
            text, encoding = _decode(data)
            cut, kept = _cut_text(path.name, text)
            (TARGET / folder / path.name).write_bytes(cut.encode(encoding))
            block = re.compile(
                rf"(^{re.escape(path.name)}$.*?records: )(\d+)", re.MULTILINE | re.DOTALL
            )
            sources = block.sub(
                lambda m: f"{m.group(1)}{kept} (cut: the first {kept} of {m.group(2)})", sources, 1
            )
        (TARGET / folder / "SOURCES.txt").write_text(sources, encoding="utf-8")


if __name__ == "__main__":
    main()
