"""Words, synonyms and typo matching behind the search index."""

from __future__ import annotations

import numpy as np

from catalogue.index import NARROWER_WEIGHT, SYNONYM_WEIGHT, TermIndex, related_terms
from catalogue.tokens import fold, index_words, stem


def test_folding_and_stemming_agree_for_index_and_query() -> None:
    assert fold("Singers’ Café") == "singers cafe"
    assert stem("choirs") == "choir" and stem("ceramics") == "ceramic"
    assert stem("activities") == "activity"
    assert stem("chorus") == "chorus" and stem("glass") == "glass" and stem("bus") == "bus"
    assert index_words("The Ukelele Strummers meet on 3 Tuesdays") == [
        "ukulele",
        "strummer",
        "tuesday",
    ]


def test_broad_words_reach_narrow_ones_but_not_the_other_way() -> None:
    music = related_terms("music")
    assert music["choir"] == NARROWER_WEIGHT and music["ukulele"] == NARROWER_WEIGHT
    choir = related_terms("choir")
    assert choir["singing"] == SYNONYM_WEIGHT
    assert "ukulele" not in choir and "music" not in choir
    assert "choir" not in related_terms("ukulele")


def test_typos_reach_the_vocabulary_and_short_words_need_to_be_close() -> None:
    index = TermIndex(
        [
            {"title": "Pottery Taster", "categories": "pottery"},
            {"title": "Drum Circle", "categories": "drumming"},
            {"title": "Sing for Joy", "categories": "singing ; choir"},
        ]
    )
    assert dict(index.expand("potery"))["pottery"] > 0.9
    assert dict(index.expand("quire"))["choir"] == 1.0  # a sound-alike, listed by hand
    assert index.expand("drug") == ()  # one letter from "drum", but a different word
    assert index.expand("scuba") == ()
    scores = index.word_scores("singin")
    assert scores.argmax() == 2 and scores[0] == 0.0
    assert np.isclose(index.word_scores("taster")[0], 0.9)  # title weight
    assert index.names_a_kind("choir") and not index.names_a_kind("taster")
    assert "pottery" in index and "potery" not in index
