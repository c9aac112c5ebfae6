"""Distances and the gazetteer of towns and postcodes built from the catalogue's venues."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalogue.geo import (
    MIN_PLACE_RADIUS_KM,
    Gazetteer,
    haversine_km,
    load_postcode_centroids,
    normalise_postcode,
    postcode_district,
)
from catalogue.model import Catalogue, Venue


@pytest.fixture
def gazetteer() -> Gazetteer:
    venues = [
        Venue("v1", "Hall", town="Morecambe", postcode="la4 5bx", latitude=54.07, longitude=-2.86),
        Venue("v2", "Rooms", town="Morecambe", postcode="LA4 6BY", latitude=54.08, longitude=-2.84),
        Venue(
            "v3", "Centre", town="Lancaster", postcode="LA1 1PJ", latitude=54.05, longitude=-2.80
        ),
        Venue("v4", "Nowhere", town="Kendal", postcode="LA9 4ND"),  # no coordinates: ignored
    ]
    return Gazetteer.from_catalogue(Catalogue(venues={v.source_id: v for v in venues}))


def test_haversine_matches_known_distances() -> None:
    assert haversine_km((51.5074, -0.1278), (48.8566, 2.3522)) == pytest.approx(343.5, abs=1)
    assert haversine_km((54.07, -2.86), (54.07, -2.86)) == 0.0
    # One degree of latitude is about 111 km everywhere.
    assert haversine_km((54.0, -2.8), (55.0, -2.8)) == pytest.approx(111.2, abs=0.2)


def test_postcodes_are_normalised() -> None:
    assert normalise_postcode(" la45bx ") == "LA4 5BX"
    assert normalise_postcode("CA1 1RZ") == "CA1 1RZ"
    assert normalise_postcode("EC1A1BB") == "EC1A 1BB"
    assert normalise_postcode("LA4") is None
    assert normalise_postcode("hello") is None
    assert normalise_postcode("QQ1 1AA") is None  # no such postcode area
    assert postcode_district("pr2 8dy") == "PR2"


def test_towns_average_their_venues(gazetteer: Gazetteer) -> None:
    place = gazetteer.lookup("Morecambe")
    assert place is not None and place.kind == "town"
    assert place.point == pytest.approx((54.075, -2.85))
    assert place.radius_km >= MIN_PLACE_RADIUS_KM
    assert gazetteer.lookup("Kendal") is None
    assert sorted(gazetteer.town_names) == ["Lancaster", "Morecambe"]


@pytest.mark.parametrize("typed", ["morecambe", "  MORECAMBE ", "morcambe", "Morecambee"])
def test_town_lookup_tolerates_case_spaces_and_slips(gazetteer: Gazetteer, typed: str) -> None:
    place = gazetteer.lookup(typed)
    assert place is not None and place.name == "Morecambe"


def test_fuzzy_town_lookup_can_be_turned_off_and_is_not_reckless(gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("morcambe", fuzzy=False) is None
    assert gazetteer.lookup("aberdeen") is None
    assert gazetteer.lookup("lanc") is None  # too short to guess from
    assert gazetteer.lookup("") is None


def test_districts_and_full_postcodes(gazetteer: Gazetteer) -> None:
    district = gazetteer.lookup("la4")
    assert district is not None and district.kind == "district" and district.name == "LA4"
    full = gazetteer.lookup("la4 5bx")
    assert full is not None and full.kind == "postcode" and full.point == (54.07, -2.86)
    unseen = gazetteer.lookup("LA4 9ZZ")  # not a venue's postcode: falls back to its district
    assert unseen is not None and unseen.name == "LA4"
    assert gazetteer.lookup("CA1") is None
    assert gazetteer.lookup("CA1 1AA") is None


def test_centroids_load_from_ons_style_headers(tmp_path: Path) -> None:
    path = tmp_path / "centroids.csv"
    path.write_text(
        "\ufeffPCDS,Lat,Long\n"
        "CA1 1AA,54.89,-2.93\n"
        "CA1 2BB,54.87,-2.91\n"
        "CA2 5EN,54.88,-2.94\n"
        "BAD,x,y\n"
        "CA3 9AE,,\n",
        encoding="utf-8",
    )
    places = {p.name: p for p in load_postcode_centroids(path)}
    assert set(places) == {"CA1", "CA2"}
    assert places["CA1"].point == pytest.approx((54.88, -2.92))


def test_centroids_fill_gaps_but_venues_win(tmp_path: Path, gazetteer: Gazetteer) -> None:
    path = tmp_path / "districts.csv"
    path.write_text(
        "postcode_district,latitude,longitude\nCA1,54.89,-2.93\nLA4,50.0,-1.0\n", "utf-8"
    )
    catalogue = Catalogue(
        venues={
            "v": Venue(
                "v", "Hall", town="Morecambe", postcode="LA4 5BX", latitude=54.07, longitude=-2.86
            )
        }
    )
    combined = Gazetteer.from_catalogue(catalogue, load_postcode_centroids(path))
    carlisle = combined.lookup("ca1")
    own = combined.lookup("LA4")
    assert carlisle is not None and carlisle.point == (54.89, -2.93)
    assert own is not None and own.point == (54.07, -2.86)


def test_centroid_file_without_the_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("name,x,y\nA,1,2\n", "utf-8")
    with pytest.raises(ValueError, match="postcode_district"):
        load_postcode_centroids(path)
