"""Name normalisation shared by lookups and importers ("Martin Truex Jr" == "Martin Truex Jr.")."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PUNCTUATION = re.compile(r"[.'’`\"]")
_SPACES = re.compile(r"[\s_\-]+")


@lru_cache(maxsize=1 << 16)  # importers normalise the same few thousand names once per row
def normalize_name(value: str) -> str:
    """Casefold, strip accents and dots/apostrophes, collapse whitespace and dashes."""
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    without_marks = _PUNCTUATION.sub("", ascii_only.casefold())
    return _SPACES.sub(" ", without_marks).strip()
