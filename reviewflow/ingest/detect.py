"""Decode an export and tell its format from its content, not its name."""

from __future__ import annotations

import re
from pathlib import Path

from reviewflow.errors import ReviewflowError

_RIS_TAG = re.compile(r"^TY  -", re.MULTILINE)


def read_text(path: Path) -> str:
    """Decode bytes (BOM-aware), normalising CR and CRLF line breaks to LF."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewflowError(f"cannot read file ({exc.strerror})", str(path)) from None
    if not data.strip():
        raise ReviewflowError("file is empty", str(path))
    # WoS "Tab-delimited (Win)" is UTF-16LE with a BOM; every other export is UTF-8.
    utf16 = data[:2] == b"\xff\xfe"
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        newline = "\n".encode("utf-16-le") if utf16 else b"\n"
        line = data[: exc.start].count(newline) + 1
        kind = "UTF-16" if utf16 else "UTF-8"
        raise ReviewflowError(f"bytes that are not {kind} at byte {exc.start}", str(path), line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_ris(text: str) -> bool:
    return bool(_RIS_TAG.search(text))


def _formats():
    """Ordered (format, sniff) table: the first format whose test passes wins.

    Header-based tests come first: they look only at a file's first lines, so
    an abstract that happens to contain "TY  -" cannot mislead them.
    """
    from reviewflow.ingest import bibtex, tables

    return [
        *((fmt, tables.sniffer(fmt)) for fmt in tables.LAYOUTS),
        ("bibtex", bibtex.sniff),
        ("ris", _is_ris),
    ]


def detect_format(text: str, path: Path) -> str:
    for fmt, sniff in _formats():
        if sniff(text):
            return fmt
    raise ReviewflowError("unknown export format", str(path))
