"""Turning text into comparable words, the same way for the index and for queries.

Both sides must agree exactly, or "Café" in a title would never meet "cafe" in a query, so the
folding (case, accents, apostrophes, hyphens) and the light plural stemming live in one place.
"""

from __future__ import annotations

import re
import unicodedata

from catalogue.vocabulary import MISSPELLINGS, STOPWORDS

_WORD_RE = re.compile(r"[a-z0-9]+")
# Words where dropping a final "s" would make a different or broken word.
_KEEP_S = frozenset({"bus", "yes", "gas", "canvas", "chorus", "always", "plus", "class"})


def fold(text: str) -> str:
    """Lower-cases and strips accents and apostrophes: "Singers’ Café" -> "singers cafe"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.replace("'", "").replace("’", "").replace("‘", "")


def stem(word: str) -> str:
    """Reduces a plural to its singular in the common English cases ("choirs" -> "choir")."""
    if len(word) <= 3 or word in _KEEP_S or word.endswith("ss") or word.endswith("us"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s"):
        return word[:-1]
    return word


def raw_words(text: str) -> list[str]:
    """Splits folded text into words, keeping stopwords and numbers (for the query parser)."""
    return _WORD_RE.findall(fold(text))


def index_words(text: str) -> list[str]:
    """Returns the stemmed content words of a text, with misspellings put right."""
    words: list[str] = []
    for word in raw_words(text):
        word = MISSPELLINGS.get(word, word)
        if word in STOPWORDS or word.isdigit() or len(word) < 2:
            continue
        words.append(stem(word))
    return words
