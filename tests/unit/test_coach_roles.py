"""The role table, who a meeting is with, and the objections they raise on this deal."""

from pathlib import Path

import pytest
from coach_support import KIT, globex, late_deal, person, view
from risk_support import answer

from coaching.coach import find_attendee
from coaching.coach.objections import choose_objections, handled, points_made, says
from coaching.coach.roles import RolesError, load_roles
from coaching.coach.slots import deal_slots

ROLES = KIT.roles


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("CFO", "finance"),
        ("Chief Financial Officer", "finance"),
        ("VP Operations", "operations"),
        ("Head of Dispatch", "users_leader"),
        ("IT Director", "it"),
        ("Director of IT Security", "it"),
        ("CEO & Founder", "executive"),
        ("Senior Procurement Manager", "finance"),
        ("Head of IT Operations", "it"),
        ("Gardener", None),
        ("", None),
    ],
)
def test_titles_map_to_roles_by_their_longest_phrase(title: str, role: str | None) -> None:
    assert ROLES.role_of(title) == role


def test_a_stored_role_counts_when_the_title_says_nothing() -> None:
    assert ROLES.role_of("Gardener", "procurement") == "finance"
    assert ROLES.role_of(None, "sponsor") == "executive"
    assert ROLES.role_of("CFO", "it") == "finance"


def test_a_decision_maker_with_an_unknown_title_raises_a_decision_makers_objections() -> None:
    deal_view = view(
        late_deal(),
        [answer("authority", "Ines Duarte")],
        (person("Ines Duarte", "Gardener", "decision_maker"),),
    )
    attendee = find_attendee(deal_view, "Ines", ROLES)
    assert attendee.role == "decision_maker"
    assert choose_objections(deal_view, attendee, ROLES)[0] == "payback"


def test_the_person_named_is_found_by_first_name_full_name_or_role() -> None:
    deal_view = globex()
    for who in ("Ines", "ines duarte", "the CFO", "their decision maker", "Ines Duarte's"):
        attendee = find_attendee(deal_view, who.removesuffix("'s"), ROLES)
        assert attendee.name is not None and attendee.name.value == "Ines Duarte", who
        assert attendee.is_decision_maker and attendee.role == "finance"
        assert attendee.exposure is not None and attendee.exposure.value == "2"
    champion = find_attendee(deal_view, "the champion", ROLES)
    assert champion.name is not None and champion.name.value == "Omar Haddad"
    assert champion.is_champion and champion.role == "users_leader"
    it = find_attendee(deal_view, "their IT director", ROLES)
    assert it.name is not None and it.name.value == "Lena Park" and it.role == "it"


def test_a_misspelt_name_still_finds_the_person() -> None:
    attendee = find_attendee(globex(), "Ines Duart", ROLES)
    assert attendee.name is not None and attendee.name.value == "Ines Duarte"


def test_someone_the_deal_does_not_know_stays_the_reps_words() -> None:
    attendee = find_attendee(globex(), "the COO", ROLES)
    assert attendee.name is None
    assert attendee.title is not None and attendee.title.value == "the COO"
    assert attendee.title.source == "request.who"
    assert attendee.role == "operations"


def test_a_cfo_we_barely_know_raises_payback_and_our_distance() -> None:
    cfo = find_attendee(globex(), "the CFO", ROLES)
    assert choose_objections(globex(), cfo, ROLES) == ["payback", "barely_met", "risk"]


def test_an_untested_champion_doubts_they_can_sell_it() -> None:
    champion = find_attendee(globex(), "Omar", ROLES)
    assert "cant_sell_it" in choose_objections(globex(), champion, ROLES)
    tested = globex([answer("champion_can_fund", "yes", 1), answer("champion_sells", "yes", 1)])
    assert "cant_sell_it" not in choose_objections(
        tested, find_attendee(tested, "Omar", ROLES), ROLES
    )


def test_a_competitors_head_start_is_raised_by_anyone_and_only_then() -> None:
    ahead = view(late_deal(), [answer("late_entry", "yes")], (person("Lena Park", "IT Director"),))
    it = find_attendee(ahead, "Lena", ROLES)
    assert "competitor_ahead" in choose_objections(ahead, it, ROLES)
    assert "competitor_ahead" not in choose_objections(
        globex(), find_attendee(globex(), "Lena", ROLES), ROLES
    )


def test_what_a_stakeholder_says_uses_the_deals_facts() -> None:
    deal_view = view(late_deal(), [answer("money", "next_year")])
    slots = deal_slots(deal_view, KIT.wording)
    budget = says(ROLES.objections["cash"], deal_view, slots)
    assert budget.text == "Our money for this is next year's. Why would I move it forward?"
    payback = says(ROLES.objections["payback"], deal_view, slots)
    assert payback.text.startswith("$84,000 is real money.")
    assert [fact.source for fact in payback.facts] == ["deal.amount"]


@pytest.mark.parametrize(
    ("reply", "points", "ok"),
    [
        (
            "It pays back in 7 months: today you lose 6% of revenue in penalties.",
            ["figure", "cost_today", "period"],
            True,
        ),
        ("Trust me, it's a great product.", [], False),
        ("Within a year.", ["period"], False),
    ],
)
def test_an_answer_is_judged_by_the_points_it_makes(
    reply: str, points: list[str], ok: bool
) -> None:
    payback = ROLES.objections["payback"]
    made = points_made(payback, reply, globex())
    assert made == points
    assert handled(payback, made) is ok


def test_naming_the_buyers_own_event_counts_as_why_now() -> None:
    why_now = ROLES.objections["why_now"]
    made = points_made(
        why_now, "Your carrier contract ends in April; every month we wait costs you", globex()
    )
    assert made == ["event", "cost_of_waiting"]


def test_a_broken_role_table_says_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    text = (Path(__file__).parents[2] / "coaching/coach/roles.yaml").read_text(encoding="utf-8")
    path.write_text(
        text.replace("objections: [payback, risk, cash, price, why_now]", "objections: [nope]"),
        encoding="utf-8",
    )
    with pytest.raises(RolesError, match="unknown objection 'nope'"):
        load_roles(path)
