"""How a work's stable key travels through a screening tool and is found again."""

from __future__ import annotations

import re

# "rf-" + 10 hex digits, a work's key (docs/contracts.md, works).
# Case-insensitive: a tool or spreadsheet may upper-case an ID field.
KEY_PATTERN = re.compile(r"(?<![0-9A-Za-z])rf-[0-9a-f]{10}(?![0-9A-Za-z])", re.IGNORECASE)
NOTE_PREFIX = "reviewflow-key: "


def key_note(key: str) -> str:
    return NOTE_PREFIX + key


def keys_in(texts) -> list[str]:
    """Every distinct work key written anywhere in a tool record's fields, sorted.

    Tools move our ID tag to different places (Rayyan's notes, Covidence's Ref,
    ASReview's id column), so the whole record is searched, not one field.
    """
    found = set()
    for text in texts:
        if isinstance(text, str):
            found.update(key.lower() for key in KEY_PATTERN.findall(text))
    return sorted(found)
