"""What a free text or a code may hold: the character rule the API's input boundary (``api.boundary``) and the
supplier portal's forms (``supplier_portal.form_check``) share.

No text may hold NUL, other C0/C1 control characters (tab, line feed and carriage return are allowed in free
text only), lone surrogates, or the bidirectional embedding, override and isolate controls (U+202A–U+202E,
U+2066–U+2069) that make a code read differently from what it is. A code also refuses every other format
character (zero-width space, LRM, RLM …), line and paragraph separators, and surrounding spaces.
"""

import unicodedata
from enum import StrEnum

_BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_TEXT_WHITESPACE = frozenset("\t\n\r")


class TextKind(StrEnum):
    CODE = "code"  # identifiers people type and print: codes, lot codes, units, references, keys
    TEXT = "text"  # names, notes, reasons, memos, searches


def text_problem(value: str, kind: TextKind, max_length: int) -> str | None:
    """Why ``value`` is not an acceptable ``kind`` of at most ``max_length`` characters, or None."""
    if len(value) > max_length:
        return f"is {len(value)} characters long, at most {max_length} are allowed"
    if not (value.isascii() and value.isprintable()):  # printable ASCII, the usual case, needs no walk
        for ch in value:
            problem = _char_problem(ch, kind)
            if problem:
                return f"contains {problem} (U+{ord(ch):04X})"
    if kind is TextKind.CODE and value != value.strip():
        return "must not start or end with a space"
    return None


def _char_problem(ch: str, kind: TextKind) -> str | None:
    if ch in _BIDI_CONTROLS:
        return "a bidirectional control character"
    category = unicodedata.category(ch)
    if category == "Cc" and not (kind is TextKind.TEXT and ch in _TEXT_WHITESPACE):
        return "a control character"
    if category == "Cs":
        return "a lone surrogate"
    if kind is TextKind.CODE and category in ("Cf", "Zl", "Zp"):
        return "an invisible formatting character"
    if kind is TextKind.CODE and ch.isspace() and ch != " ":
        return "a whitespace character other than a space"
    return None
