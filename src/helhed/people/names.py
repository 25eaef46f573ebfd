"""Folding names for search: "soren aero" finds "Søren Ærø", "soeren" and "Åse"/"aase" too.

Both the stored name and the query are folded the same way: lower case, Danish letters
spelled out (æ→ae, ø→oe, å→aa), accents removed, then the spelled-out pairs reduced
(oe→o, aa→a) so that "Søren", "Soeren" and "Soren" all fold to "soren".
"""

from __future__ import annotations

import re
import unicodedata

_SPELL = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss"})
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    lowered = (text or "").lower().translate(_SPELL)
    stripped = "".join(
        c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c)
    )
    words = _NOT_WORD.sub(" ", stripped).split()
    return " ".join(w.replace("oe", "o").replace("aa", "a") for w in words)


def tokens(text: str) -> list[str]:
    return fold(text).split()
