import datetime as dt
from decimal import Decimal

from coaching.model import AnswerFact, DealFacts
from coaching.playbook import load_playbook
from coaching.qualification import build_card

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
PLAYBOOK = load_playbook()


def deal(stage: str = "Negotiation/Review") -> DealFacts:
    return DealFacts(
        id=1,
        crm_id="X-1",
        name="Acme rollout",
        account="Acme",
        amount=Decimal(50000),
        currency="USD",
        stage=stage,
        stage_entered_on=None,
        close_date=None,
        owner_id=7,
        created_on=None,
        last_activity_on=None,
        status="open",
    )


def answer(field: str, value: str, days_ago: float) -> AnswerFact:
    return AnswerFact(
        deal_id=1,
        field=field,
        value=value,
        answered_at=NOW - dt.timedelta(days=days_ago),
        source="test",
    )


def test_empty_history_is_all_missing_except_dependent_fields() -> None:
    card = build_card(PLAYBOOK, deal(), [], NOW)
    statuses = {line.spec.key: line.status for line in card.lines}
    assert statuses["money"] == "missing"
    assert statuses["exposure"] == "waiting"  # needs a decision maker first
    assert statuses["champion_sells"] == "waiting"
    assert card.coverage == 0


def test_fresh_answer_is_known_and_old_one_is_stale() -> None:
    money_fresh = PLAYBOOK.field("money").fresh_for_days
    card = build_card(
        PLAYBOOK,
        deal(),
        [answer("money", "confirmed", 2), answer("need", "defined", (money_fresh or 30) + 1)],
        NOW,
    )
    assert card.line("money").status == "known"
    assert card.line("money").display == "Budget confirmed"
    assert card.line("money").age_days == 2
    assert card.line("need").status == "stale"
    assert not card.line("money").askable
    assert card.line("need").askable


def test_latest_answer_wins_and_history_is_kept() -> None:
    card = build_card(
        PLAYBOOK, deal(), [answer("money", "none", 20), answer("money", "confirmed", 1)], NOW
    )
    assert card.value("money") == "confirmed"


def test_not_sure_is_unsure_until_it_goes_stale_sooner() -> None:
    recent = build_card(PLAYBOOK, deal(), [answer("money", "unknown", 3)], NOW)
    assert recent.line("money").status == "unsure"
    assert not recent.line("money").askable
    assert recent.value("money") is None
    days = PLAYBOOK.defaults.unknown_fresh_for_days
    older = build_card(PLAYBOOK, deal(), [answer("money", "unknown", days)], NOW)
    assert older.line("money").status == "stale"


def test_dependent_field_opens_once_its_requirement_is_known() -> None:
    card = build_card(PLAYBOOK, deal(), [answer("authority", "Maria Lopez", 1)], NOW)
    assert card.line("exposure").status == "missing"
    assert card.placeholders(PLAYBOOK.field("exposure"))["person"] == "Maria Lopez"
    unsure = build_card(PLAYBOOK, deal(), [answer("authority", "unknown", 1)], NOW)
    assert unsure.line("exposure").status == "waiting"


def test_there_is_none_is_an_answer_that_names_nobody() -> None:
    history = [answer("champion", "none", 1), answer("next_step", "none", 1)]
    card = build_card(PLAYBOOK, deal(), history, NOW)
    assert card.line("champion").status == "known"
    assert card.value("champion") is None
    assert card.placeholders(PLAYBOOK.field("champion_sells"))["person"] == "them"
    assert card.line("champion_sells").status == "waiting"
    assert card.line("next_step_date").status == "waiting"
    assert card.line("champion").display == "none"


def test_none_is_a_value_where_it_is_an_option() -> None:
    card = build_card(PLAYBOOK, deal(), [answer("money", "none", 1)], NOW)
    assert card.value("money") == "none"
    assert card.line("money").display == "No budget"


def test_coverage_counts_only_fields_that_can_be_asked() -> None:
    history = [answer(key, "x", 1) for key in ("compelling_event", "competitors", "next_step")]
    card = build_card(PLAYBOOK, deal(), history, NOW)
    relevant = [line for line in card.lines if line.status != "waiting"]
    assert card.coverage == 3 / len(relevant)
    assert len(card.gaps) == len(relevant) - 3
