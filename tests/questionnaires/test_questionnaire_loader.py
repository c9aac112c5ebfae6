"""Loading a folder of definitions: file names, keys and menu order must agree."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest

from bot.questionnaires import DefinitionError, load_folder

SHIPPED = resources.files("bot.questionnaires")


def _copy(target: Path, key: str, *, as_name: str | None = None, order: int | None = None) -> None:
    text = SHIPPED.joinpath(f"{key}.yaml").read_text(encoding="utf-8")
    if order is not None:
        text, count = re.subn(r"^order: \d+$", f"order: {order}", text, flags=re.MULTILINE)
        assert count == 1
    (target / f"{as_name or key}.yaml").write_text(text, encoding="utf-8")


def test_a_folder_loads_in_menu_order(tmp_path: Path) -> None:
    _copy(tmp_path, "mood")
    _copy(tmp_path, "ons4")
    (tmp_path / "notes.txt").write_text("not a questionnaire", encoding="utf-8")
    assert [q.key for q in load_folder(tmp_path)] == ["ons4", "mood"]


def test_reordering_changes_the_menu(tmp_path: Path) -> None:
    _copy(tmp_path, "mood", order=1)
    _copy(tmp_path, "ons4", order=2)
    assert [q.key for q in load_folder(tmp_path)] == ["mood", "ons4"]


def test_file_name_must_match_key(tmp_path: Path) -> None:
    _copy(tmp_path, "ons4", as_name="wellbeing")
    with pytest.raises(DefinitionError, match="key is 'ons4', expected 'wellbeing'"):
        load_folder(tmp_path)


def test_orders_must_not_repeat(tmp_path: Path) -> None:
    _copy(tmp_path, "ons4", order=5)
    _copy(tmp_path, "mood", order=5)
    with pytest.raises(DefinitionError, match="order values repeat"):
        load_folder(tmp_path)


def test_an_empty_folder_has_no_questionnaires(tmp_path: Path) -> None:
    assert load_folder(tmp_path) == []
