"""Stage placement: the stage map's syntax, its file, and the order of what decides."""

from __future__ import annotations

from pathlib import Path

import pytest

from coaching.playbook import load_playbook
from storage.importers.errors import ImportAborted
from storage.importers.stage_placement import (
    Placement,
    StagePlacer,
    StageRule,
    load_stage_signals,
    parse_stage_map_options,
    read_stage_map_file,
)

PLAYBOOK = load_playbook()
SIGNALS = load_stage_signals()


def placer(*options: str) -> StagePlacer:
    return StagePlacer(PLAYBOOK, parse_stage_map_options(options), SIGNALS)


def test_stage_map_options_for_every_pipeline_or_one() -> None:
    assert parse_stage_map_options(
        ["Verbal Commit=late", "Enterprise: Evaluation = middle", "Signed=WON"]
    ) == [
        StageRule("", "Verbal Commit", "late"),
        StageRule("Enterprise", "Evaluation", "middle"),
        StageRule("", "Signed", "won"),
    ]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("Verbal Commit", 'write it as "Stage=group" or "Pipeline: Stage=group"'),
        ("=late", 'write it as "Stage=group"'),
        (": Evaluation=late", 'write it as "Stage=group"'),
        ("Evaluation=soon", "'soon' is not one of early, middle, late, won, lost"),
    ],
)
def test_bad_stage_map_options_say_how_to_write_them(option: str, message: str) -> None:
    with pytest.raises(ImportAborted, match=message):
        parse_stage_map_options([option])


def test_a_stage_map_file(tmp_path: Path) -> None:
    path = tmp_path / "stages.yaml"
    path.write_text(
        "stages:\n  Verbal Commit: late\npipelines:\n  SMB:\n    Demo Completed: middle\n",
        encoding="utf-8",
    )
    assert read_stage_map_file(path) == [
        StageRule("", "Verbal Commit", "late"),
        StageRule("SMB", "Demo Completed", "middle"),
    ]
    path.write_text("Verbal Commit: late\n", encoding="utf-8")
    with pytest.raises(ImportAborted, match="write it as `stages:`"):
        read_stage_map_file(path)
    with pytest.raises(ImportAborted, match="cannot read it"):
        read_stage_map_file(tmp_path / "missing.yaml")


def test_what_decides_a_placement_in_order() -> None:
    places = placer("Verbal Commit=middle", "SMB: Verbal Commit=early", "Signed=won")
    # the map's outcome first, then a Commit forecast, then the map, the playbook, probability
    assert places.place("Signed", None, "Commit", 10) == Placement(None, "won", "map", True)
    assert places.place("Verbal Commit", None, "Commit", 10) == Placement(
        "late", None, "forecast", True
    )
    assert places.place("Verbal Commit", "SMB", None, 90) == Placement("early", None, "map", True)
    assert places.place("Verbal Commit", "Other", None, 90) == Placement(
        "middle", None, "map", True
    )
    assert places.place("Negotiation", None, "Pipeline", 10) == Placement(
        None, None, "playbook", True
    )
    assert places.place("Mystery", None, None, 75) == Placement("late", None, "probability", False)
    assert places.place("Mystery", None, None, 30).group == "middle"
    assert places.place("Mystery", None, None, 29).group == "early"
    assert places.place("Mystery", None, None, None) == Placement(None, None, "default", False)


def test_a_hubspot_pipeline_suffix_is_ignored_when_matching() -> None:
    assert placer("Verbal Commit=late").place("Verbal Commit (Enterprise)", None, None, None) == (
        Placement("late", None, "map", True)
    )
    assert placer().place("Negotiation (Renewals)", None, None, None).known
