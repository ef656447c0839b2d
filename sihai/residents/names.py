"""Personal names as people write them, and one form for matching.

A name is stored exactly as given. For matching (the possible-duplicate check)
it is normalised: Unicode NFKC, spaces collapsed, and every middle-dot look-alike
used in transliterated names (·, •, ．, ‧, ・, ∙, ･) turned into U+00B7, so
"阿依•木合塔尔" and "阿依·木合塔尔" match.
"""

from __future__ import annotations

import re
import unicodedata

MIDDLE_DOTS = "\u00b7\u2022\uff0e\u2027\u30fb\u2219\uff65\u0387\u22c5"
_DOT_RE = re.compile(f"\\s*[{re.escape(MIDDLE_DOTS)}.]\\s*")
_SPACE_RE = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """The matching form of a name (never shown, never stored instead of the name)."""
    text = unicodedata.normalize("NFKC", name).strip()
    text = _DOT_RE.sub("\u00b7", text)
    return _SPACE_RE.sub(" ", text).casefold()
