"""The seller profile (DEALCOACH_SELLER): validated with errors that say what to fix."""

from pathlib import Path

import pytest
import yaml

from bot.settings import SettingsError, load_settings
from coaching.briefing import SellerProfileError, load_seller_profile
from storage.demo import DEMO_SELLER_FILE

MINIMAL = {
    "company": "Acme Routing",
    "products": [{"name": "Planner", "summary": "plans routes"}],
    "differentiators": [{"text": "Plans stay legal.", "answers": ["risk"]}],
}


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "seller.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_the_demo_ships_a_complete_profile() -> None:
    profile = load_seller_profile(DEMO_SELLER_FILE)
    assert profile.company == "Wayline Software"
    assert profile.first_step("Fleet Analytics") is not None
    assert profile.reference_programme is not None and profile.guarantees
    assert all(point.may_name or point.described_as for point in profile.proof_points)
    assert profile.unnamed_customers() == ["Blue Yonder Parcel"]
    public = " ".join(profile.public_texts())
    assert "Blue Yonder" not in public and "a 200-truck parcel carrier" in public


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"company": " "}, "company: must not be empty"),
        ({"products": []}, "products: list at least one"),
        (
            {"proof_points": [{"customer": "Fabrikam", "may_name": False, "result": "cut 9%"}]},
            "proof_points.0: 'Fabrikam' may not be named: add described_as",
        ),
        (
            {"proof_points": [{"customer": "Fabrikam", "may_name": True, "result": "much"}]},
            "proof_points.0.result: a proof point needs a figure",
        ),
        (
            {"proof_points": [{"customer": "Fabrikam", "result": "cut 9%"}]},
            "proof_points.0.may_name: Field required",
        ),
        (
            {"differentiators": [{"text": "Fast.", "answers": ["speed"]}]},
            "'speed' is not a concern; answers may list adoption, cash, change",
        ),
        (
            {"differentiators": [{"text": "Fast.", "products": ["Nope"]}]},
            "'Nope' is not one of the products listed",
        ),
        (
            {
                "implementation_options": [
                    {"name": "Pilot", "text": "One site.", "first_step": True},
                    {"name": "Trial", "text": "One team.", "first_step": True},
                ]
            },
            "only one implementation option may be first_step",
        ),
        ({"guarantee": [{"text": "typo"}]}, "guarantee: Extra inputs are not permitted"),
    ],
)
def test_a_broken_profile_says_where_and_what_to_fix(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    path = write(tmp_path, MINIMAL | change)
    with pytest.raises(SellerProfileError) as error:
        load_seller_profile(path)
    assert str(error.value).startswith(f"seller profile {path}")
    assert message in str(error.value)


def test_a_file_that_is_not_a_profile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SellerProfileError, match="must be a mapping"):
        load_seller_profile(write(tmp_path, ["a", "list"]))
    with pytest.raises(SellerProfileError, match="cannot read seller profile"):
        load_seller_profile(tmp_path / "missing.yaml")


def test_the_setting_is_checked_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEALCOACH_SELLER", str(DEMO_SELLER_FILE))
    assert load_settings().seller_path == DEMO_SELLER_FILE
    monkeypatch.setenv("DEALCOACH_SELLER", str(write(tmp_path, MINIMAL | {"products": []})))
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert "DEALCOACH_SELLER" in str(error.value)
    assert "products: list at least one" in str(error.value)
    assert len(str(error.value).splitlines()) == 1
