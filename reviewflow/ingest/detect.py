"""Decode an export and tell its format from its content, not its name.

``FORMATS`` is an ordered table of (format name, sniff predicate); the first
predicate that accepts the text names the format. Predicates that look at the
first line come first, so that a tabular header or a tagged header wins over
the looser "somewhere in the text" tests for RIS and BibTeX at the end.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from reviewflow.errors import ReviewflowError

# A few kilobytes decide the format; sniffing never scans a whole large file.
_HEAD = 20_000

_MEDLINE_FIRST = re.compile(r"PMID- *\d")
_OVID_FIRST = re.compile(r"<\s*\d+\.\s*>\s*$")
_OVID_TAG = re.compile(r"^(?:VN|DB|UI|TI|AU)  - ", re.MULTILINE)
_WOS_FIRST = re.compile(r"(?:FN |PT [A-Z]\s*$)")
_RIS_TY = re.compile(r"^TY  - ", re.MULTILINE)
_BIBTEX_ENTRY = re.compile(r"^\s*@[A-Za-z]+\s*[{(]", re.MULTILINE)


def _first_line(text: str) -> str:
    for line in text[:_HEAD].split("\n"):
        if line.strip():
            return line.strip()
    return ""


def _is_medline(text: str) -> bool:
    return bool(_MEDLINE_FIRST.match(_first_line(text)))


def _is_ovid_tagged(text: str) -> bool:
    return bool(_OVID_FIRST.match(_first_line(text))) and bool(_OVID_TAG.search(text[:_HEAD]))


def _is_wos_tagged(text: str) -> bool:
    first = _first_line(text)
    return bool(_WOS_FIRST.match(first)) and "\t" not in first


def _tabular(fmt: str, text: str) -> bool:
    # The header row decides, by columns only that format has (not "Title": a
    # CSV that lacks it should be reported as such by its parser).
    from reviewflow.ingest import tables

    return tables.sniffer(fmt)(text[:_HEAD])


def _is_wos_tab(text: str) -> bool:
    return _tabular("wos_tab", text)


def _is_cochrane_csv(text: str) -> bool:
    return _tabular("cochrane_csv", text)


def _is_embase_csv(text: str) -> bool:
    return _tabular("embase_csv", text)


def _is_scopus_csv(text: str) -> bool:
    return _tabular("scopus_csv", text)


def _register(module: str, test: str):
    """A register reader's own content test (imported when first used, like the tabular ones)."""

    def sniff(text: str) -> bool:
        from importlib import import_module

        return getattr(import_module(f"reviewflow.ingest.{module}"), test)(text)

    return sniff


def _is_ris(text: str) -> bool:
    return bool(_RIS_TY.search(text[:_HEAD]))


def _is_bibtex(text: str) -> bool:
    return bool(_BIBTEX_ENTRY.search(text[:_HEAD]))


FORMATS = [
    ("medline", _is_medline),
    ("ovid_tagged", _is_ovid_tagged),
    ("wos_tagged", _is_wos_tagged),
    ("wos_tab", _is_wos_tab),
    ("cochrane_csv", _is_cochrane_csv),
    ("embase_csv", _is_embase_csv),
    ("scopus_csv", _is_scopus_csv),
    ("ctgov_csv", _register("ctgov", "is_csv")),
    ("ctgov_classic", _register("ctgov", "is_classic")),
    ("ctgov_json", _register("ctgov", "is_json")),
    ("ictrp_xml", _register("ictrp", "is_xml")),
    ("ictrp_csv", _register("ictrp", "is_csv")),
    ("euctr_text", _register("euctr", "is_text")),
    ("ris", _is_ris),
    ("bibtex", _is_bibtex),
]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


# Files that are not text, told by their first bytes (their "magic number"), so the
# message says what the file is instead of blaming its encoding.
_MAGIC = (
    (
        b"\x1f\x8b",
        "this is a gzip-compressed file, not a text export: decompress it first "
        "(gunzip, or 7-Zip on Windows) and name the file inside",
    ),
    (
        b"%PDF-",
        "this is a PDF document, not a database export: export the records from the database "
        "(RIS, CSV or its tagged text format)",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "this is an old Office file (Excel .xls or Word .doc), not a text "
        "export: save it as CSV, or export the records again",
    ),
    (
        b"7z\xbc\xaf\x27\x1c",
        "this is a 7-Zip archive: unpack it first and name the export files inside",
    ),
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def zip_members(path: Path) -> list[str] | None:
    """The member names of a ZIP archive, or None when the file is not one that opens.

    A ZIP may be an XLSX workbook (members under xl/), a Word document (word/) or an
    archive of exports; the members tell them apart, the first bytes do not."""
    try:
        with open(path, "rb") as handle:
            if handle.read(4) not in _ZIP_MAGIC:
                return None
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return None


def not_text(path: Path, data: bytes) -> str | None:
    """What the file is, when its first bytes say it is not a text export."""
    for magic, message in _MAGIC:
        if data.startswith(magic):
            return message
    if not data.startswith(_ZIP_MAGIC):
        return None
    members = zip_members(path)
    if members is None:
        return (
            "this is a ZIP archive that cannot be opened (damaged or cut short?), not a text export"
        )
    if any(name.startswith("xl/") for name in members):
        return "this is an XLSX workbook, not a text export: export the records as CSV or RIS"
    if any(name.startswith("word/") for name in members):
        return (
            "this is a Word document, not a database export: export the records from the database"
        )
    shown = ", ".join(members[:5]) + (f" and {len(members) - 5} more" if len(members) > 5 else "")
    return (
        f"this is a ZIP archive (holding {shown or 'nothing'}): unpack "
        "it first and name the export files inside"
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark, told by its NUL pattern: text that is mostly
    Latin script has a NUL in every other byte (the high byte of each character)."""
    head = data[: 4096 - 4096 % 2]
    head = head[: len(head) - len(head) % 2]
    half = len(head) // 2
    if half < 2:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    for nuls, clean, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls >= 0.6 * half and clean <= 0.02 * half:
            return encoding
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_BYTES = bytes(b for b in range(256) if not _CONTROL.match(chr(b)))


def read_text(path: Path) -> str:
    """Decode bytes (BOM-aware), normalising CR and CRLF line breaks to LF.

    UTF-8 is the default; a UTF-16 byte-order mark (WoS tab-delimited "win"
    exports) selects UTF-16. Undecodable bytes and binary content are errors
    naming the line, never guessed at.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewflowError(f"cannot read file ({exc.strerror})", str(path)) from None
    kind = not_text(path, data)
    if kind:
        raise ReviewflowError(kind, str(path), 1)
    encoding = (
        next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
        or _utf16_without_bom(data)
        or "utf-8-sig"
    )
    utf16 = encoding.startswith("utf-16")
    if not utf16:  # on bytes: several times faster than on the decoded text
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if not utf16 and b"\x00" in data[: exc.start + 1]:
            # Text exports never hold NUL bytes: a PDF, an image, a program, or UTF-16 without its
            # BOM.
            raise ReviewflowError(
                "binary content (NUL bytes); not a text export", str(path), line
            ) from None
        found = data[exc.start : exc.end].hex(" ").upper()
        if exc.end == len(data) and exc.reason.startswith(("truncated", "unexpected end")):
            raise ReviewflowError(
                f"the file ends in the middle of a character (byte {exc.start}): it looks "
                "truncated",
                str(path),
                line,
            ) from None
        hint = (
            ""
            if utf16
            else (
                ": the file is in another encoding (Windows-1252 or Latin-1?); export it "
                "again as UTF-8, or convert it, e.g. iconv -f windows-1252 -t utf-8"
            )
        )
        raise ReviewflowError(
            f"bytes that are not {encoding.removesuffix('-sig').upper()} "
            f"at byte {exc.start} (0x{found}){hint}",
            str(path),
            line,
        ) from None
    if text.startswith("\ufeff"):  # utf-16 keeps the BOM as a character
        text = text[1:]
    if utf16:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text or text.isspace():
        raise ReviewflowError("file is empty", str(path))
    # UTF-8 multibyte sequences hold no ASCII bytes, so deleting every text
    # byte leaves exactly the control characters, at C speed; the regex that
    # locates one runs only when there is one.
    if utf16 or data.translate(None, _TEXT_BYTES):
        binary = _CONTROL.search(text)
        if binary:
            line = text.count("\n", 0, binary.start()) + 1
            raise ReviewflowError(
                f"binary content (control character {binary.group(0)!r}); not a text export",
                str(path),
                line,
            )
    return text


def detect_format(text: str, path: Path) -> str:
    for name, sniff in FORMATS:
        if sniff(text):
            return name
    raise ReviewflowError(
        "unknown export format (expected " + ", ".join(name for name, _ in FORMATS) + ")",
        str(path),
        1,
    )
