from pathlib import Path

import pytest
import yaml

from coaching.playbook import DEFAULT_PLAYBOOK, PlaybookError, load_playbook

REQUIRED_FIELDS = {
    "money",
    "authority",
    "exposure",
    "need",
    "buying_phase",
    "late_entry",
    "vision_owner",
    "champion",
    "champion_prefers_us",
    "champion_can_fund",
    "champion_sells",
    "compelling_event",
    "decision_date",
    "competitors",
    "next_step",
    "next_step_date",
}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "playbook.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def minimal(**field: object) -> dict:
    spec = {"key": "money", "label": "Money", "question": "{deal}?", "kind": "text"} | field
    return {"name": "t", "fields": [spec]}


def test_default_playbook_covers_the_qualification_fields() -> None:
    playbook = load_playbook()
    assert set(playbook.by_key) == REQUIRED_FIELDS
    money = playbook.field("money")
    assert [option.value for option in money.options] == [
        "confirmed",
        "this_year",
        "next_year",
        "none",
        "unknown",
    ]
    assert [o.value for o in playbook.field("need").options][:3] == ["defined", "pain", "research"]
    assert playbook.field("exposure").kind == "scale"
    assert playbook.field("exposure").requires == "authority"
    assert playbook.field("decision_date").kind == "date"
    assert playbook.field("champion").kind == "person"


def test_every_field_has_a_coaching_line_and_freshness() -> None:
    playbook = load_playbook()
    for spec in playbook.fields:
        assert spec.coaching, spec.key
        assert spec.fresh_for_days, spec.key
        assert spec.matters, spec.key


def test_low_exposure_coaching_is_find_the_five() -> None:
    exposure = load_playbook().field("exposure")
    assert "Find the 5" in (exposure.coaching_for("1") or "")
    assert "Find the 5" in (exposure.coaching_for("2") or "")
    assert "Find the 5" not in (exposure.coaching_for("4") or "")


def test_late_entry_coaching_is_a_flanking_plan() -> None:
    line = load_playbook().field("late_entry").coaching_for("yes") or ""
    assert "change the decision criteria" in line
    assert "executive" in line


def test_coaching_falls_back_to_default_but_not_for_unknown(tmp_path: Path) -> None:
    playbook = load_playbook(write(tmp_path, minimal(coaching={"default": "D"})))
    spec = playbook.field("money")
    assert spec.coaching_for("anything") == "D"
    assert spec.coaching_for("unknown") is None


@pytest.mark.parametrize(
    ("stage", "group"),
    [
        ("Negotiation/Review", "late"),
        ("negotiation review", "late"),
        ("In_Progress", "early"),
        ("Value Proposition", "middle"),
        ("contractsent", "late"),
        ("Something New", "early"),
    ],
)
def test_stage_groups_ignore_case_and_punctuation(stage: str, group: str) -> None:
    assert load_playbook().group_of(stage) == group


def test_importance_scales_weight_by_stage_group() -> None:
    playbook = load_playbook()
    money = playbook.field("money")
    assert playbook.importance(money, "late") == money.weight * money.matters["late"]
    assert playbook.importance(money, "early") < playbook.importance(money, "late")


def test_a_team_can_ship_its_own_playbook(tmp_path: Path) -> None:
    bant = {
        "name": "BANT",
        "fields": [
            {"key": "budget", "label": "Budget", "question": "Budget for {deal}?", "kind": "text"},
            {"key": "timeline", "label": "Timeline", "question": "When?", "kind": "date"},
        ],
    }
    playbook = load_playbook(write(tmp_path, bant))
    assert [spec.key for spec in playbook.fields] == ["budget", "timeline"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (minimal(kind="choice"), "fields.money: a choice field needs options"),
        (minimal(question="{nope}"), "unknown placeholder {nope}"),
        (minimal(requires="ghost"), "requires names unknown field 'ghost'"),
        (minimal(kind="slider"), "fields.money.kind: Input should be"),
        (minimal(fresh_for_days=0), "fields.money.fresh_for_days"),
        (minimal(colour="red"), "fields.money.colour: Extra inputs are not permitted"),
        (minimal(also_heard_in=["ghost"]), "also_heard_in names unknown field 'ghost'"),
        (minimal(kind="date", listing=True), "listing only applies to text fields, not date"),
        (
            minimal(kind="scale", scale={"hints": {7: ["all the time"]}}),
            "phrases for 7, outside the scale 1-5",
        ),
        (minimal() | {"fiscal_year_starts": 13}, "fiscal_year_starts: Input should be less than"),
        ({"name": "t"}, "fields: Field required"),
        (["not", "a", "mapping"], "must be a mapping"),
    ],
)
def test_broken_playbooks_fail_with_where_and_why(
    tmp_path: Path, data: object, message: str
) -> None:
    path = write(tmp_path, data)
    with pytest.raises(PlaybookError) as error:
        load_playbook(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    data = minimal()
    data["fields"].append(dict(data["fields"][0]))
    with pytest.raises(PlaybookError, match="field keys must be unique: money"):
        load_playbook(write(tmp_path, data))


def test_unreadable_and_unparsable_files(tmp_path: Path) -> None:
    with pytest.raises(PlaybookError, match="cannot read playbook"):
        load_playbook(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("fields: [unclosed")
    with pytest.raises(PlaybookError, match="not valid YAML"):
        load_playbook(bad)


def test_shipped_file_is_the_default() -> None:
    assert DEFAULT_PLAYBOOK.name == "playbook.yaml"
    assert DEFAULT_PLAYBOOK.parent.name == "coaching"


def test_a_group_placed_by_the_import_wins_over_the_stage_name() -> None:
    playbook = load_playbook()
    assert playbook.group_of("Verbal Commit") == "early"  # unknown name: the default group
    assert playbook.group_of("Verbal Commit", "late") == "late"
    assert playbook.group_of("Negotiation", None) == "late"
    assert playbook.group_of("Negotiation", "bogus") == "late"
