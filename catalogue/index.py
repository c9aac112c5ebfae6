"""The inverted index behind search: which words occur in which activities, and how strongly.

Everything expensive happens once, at build time: every activity's text is split into words,
each word gets a posting list of (document, field weight) pairs, and the distinct words form a
small vocabulary. A query word is then matched against that vocabulary (exactly, through
synonyms, or by edit distance for typos) rather than against every document, so a query costs
a few vectorised posting-list merges however large the catalogue is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from catalogue.tokens import index_words, stem
from catalogue.vocabulary import MISSPELLINGS, NARROWER, SYNONYM_GROUPS

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]

# How much a word in each field says about what an activity *is*. Categories are chosen by
# the organiser, so they count most; a venue name ("Arts Centre") says least.
FIELD_WEIGHTS: dict[str, float] = {
    "categories": 1.0,
    "title": 0.9,
    "organisation": 0.6,
    "description": 0.5,
    "venue": 0.3,
}
SYNONYM_WEIGHT = 0.85  # "choir" for "singing"
NARROWER_WEIGHT = 0.75  # "choir" for "music": right, but less certainly what was meant
# Minimum rapidfuzz ratio for a typo to count; short words need a closer match because one
# wrong letter in four changes the word ("drum" and "drug").
FUZZY_CUTOFF_LONG = 80.0
FUZZY_CUTOFF_SHORT = 88.0
FUZZY_LIMIT = 3


def _stemmed(words: Iterable[str]) -> frozenset[str]:
    return frozenset(stem(w) for w in words if " " not in w)


_GROUPS: dict[str, frozenset[str]] = {name: _stemmed(g) for name, g in SYNONYM_GROUPS.items()}
_MEMBER_OF: dict[str, list[str]] = defaultdict(list)
for _name, _members in _GROUPS.items():
    for _member in _members | {stem(_name)}:
        _MEMBER_OF[_member].append(_name)


def related_terms(term: str) -> dict[str, float]:
    """Returns the words a term stands for, with how strongly: itself, synonyms, narrower words."""
    related: dict[str, float] = {term: 1.0}
    for group in _MEMBER_OF.get(term, ()):
        for member in _GROUPS[group]:
            related.setdefault(member, SYNONYM_WEIGHT)
        for narrow in NARROWER.get(group, ()):
            for member in _GROUPS.get(narrow, frozenset({stem(narrow)})) | {stem(narrow)}:
                if related.get(member, 0.0) < NARROWER_WEIGHT:
                    related[member] = NARROWER_WEIGHT
    return related


class TermIndex:
    """Posting lists over a fixed list of documents, each document a set of weighted fields."""

    def __init__(self, documents: Sequence[dict[str, str]]) -> None:
        """Indexes documents given as {field name: text} in FIELD_WEIGHTS' field names."""
        self.size = len(documents)
        best: dict[str, dict[int, float]] = defaultdict(dict)
        kinds: set[str] = set()
        for number, fields in enumerate(documents):
            for name, text in fields.items():
                weight = FIELD_WEIGHTS[name]
                words = index_words(text)
                if name == "categories":
                    kinds.update(words)
                for word in words:
                    postings = best[word]
                    if postings.get(number, 0.0) < weight:
                        postings[number] = weight
        self._postings: dict[str, tuple[IntArray, FloatArray]] = {
            word: (
                np.fromiter(docs.keys(), dtype=np.int32, count=len(docs)),
                np.fromiter(docs.values(), dtype=np.float32, count=len(docs)),
            )
            for word, docs in best.items()
        }
        self.vocabulary: list[str] = sorted(self._postings)
        self._kinds = frozenset(kinds)
        # Expansion depends only on the word and the fixed vocabulary, so it is safe to cache
        # per index; people repeat the same few dozen words.
        self.expand = lru_cache(maxsize=4096)(self._expand)

    def __contains__(self, word: object) -> bool:
        return word in self._postings

    def _expand(self, word: str) -> tuple[tuple[str, float], ...]:
        """Returns the indexed terms a query word matches, with a match strength in (0, 1]."""
        word = stem(MISSPELLINGS.get(word, word))
        sources: dict[str, float] = {}
        if word in self._postings or word in _MEMBER_OF:
            sources[word] = 1.0
        else:
            cutoff = FUZZY_CUTOFF_LONG if len(word) >= 5 else FUZZY_CUTOFF_SHORT
            choices = [*self.vocabulary, *(m for m in _MEMBER_OF if m not in self._postings)]
            for match, score, _ in process.extract(
                word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=FUZZY_LIMIT
            ):
                sources[match] = score / 100.0
        terms: dict[str, float] = {}
        for source, strength in sources.items():
            for term, weight in related_terms(source).items():
                if term in self._postings and terms.get(term, 0.0) < strength * weight:
                    terms[term] = strength * weight
        return tuple(sorted(terms.items()))

    def names_a_kind(self, word: str) -> bool:
        """Whether a query word reaches some activity's categories: what it *is*, not a detail.

        "choir" in "choir for beginners" names a kind of session; "beginners" only describes
        one, so search weighs the first more.
        """
        return any(term in self._kinds for term, _ in self.expand(word))

    def word_scores(self, word: str) -> FloatArray:
        """Scores every document for one query word: the best (match x field weight) it holds."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term, strength in self.expand(word):
            docs, weights = self._postings[term]
            scores[docs] = np.maximum(scores[docs], weights * np.float32(strength))
        return scores

    def matched_terms(self, words: Iterable[str]) -> frozenset[str]:
        """Returns every indexed term the query words reach, for explaining a match."""
        return frozenset(term for word in words for term, _ in self.expand(word))
