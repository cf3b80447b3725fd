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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReviewflowError(f"bytes that are not UTF-8 at byte {exc.start}", str(path), line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_format(text: str, path: Path) -> str:
    if _RIS_TAG.search(text):
        return "ris"
    raise ReviewflowError("unknown export format", str(path))
