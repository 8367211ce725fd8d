"""The coach's answer to free text, within what the asker may see."""

from decimal import Decimal

from coach_support import KIT, globex, late_deal, person, view
from risk_support import TODAY, deal

from coaching.coach import Asker, Scope, default_intents, respond
from coaching.coach.deal_view import DealView

COMMANDS = ("checkin", "deal", "deals", "help", "schedule")
ALEX = Asker("Alex Rivera", is_manager=False)
DANA = Asker("Dana Whitfield", is_manager=True)


def alex_deals() -> tuple[DealView, ...]:
    northwind = view(
        late_deal(
            id=2, crm_id="NW-1", name="Northwind fleet analytics", account="Northwind Traders"
        ),
        stakeholders=(person("Maria Lopez", "CFO", "decision_maker"),),
        owner="Alex Rivera",
    )
    contoso_a = view(
        deal(id=3, crm_id="CT-1", name="Contoso service desk", account="Contoso Ltd"),
        owner="Alex Rivera",
    )
    contoso_b = view(
        deal(id=4, crm_id="CT-2", name="Contoso service desk", account="Contoso GmbH"),
        owner="Alex Rivera",
    )
    return (northwind, contoso_a, contoso_b)


def ask(text: str, asker: Asker = ALEX, scope: Scope | None = None):  # type: ignore[no-untyped-def]
    scope = scope or Scope(alex_deals())
    return respond(text, asker, scope, KIT, default_intents(), today=TODAY, commands=COMMANDS)


def team_scope() -> Scope:
    sam_deal = view(
        deal(id=9, crm_id="VD-1", name="Vandelay import", owner_id=12, amount=Decimal(12000)),
        owner="Sam Okafor",
    )
    alex = tuple(
        view(
            late_deal(id=item.deal.id, crm_id=item.deal.crm_id, name=item.deal.name, owner_id=11),
            owner="Alex Rivera",
        )
        for item in alex_deals()
    )
    return Scope((*alex, sam_deal), reps=((11, "Alex Rivera"), (12, "Sam Okafor")))


def test_a_deal_question_gets_a_deal_review() -> None:
    reply = ask("what should I do about Northwind?").reply
    assert reply.kind == "deal_review"
    assert reply.title.text.startswith("Northwind fleet analytics · Northwind Traders")


def test_a_misspelt_or_bare_deal_name_still_finds_it() -> None:
    assert ask("review nortwind").reply.title.text.startswith("Northwind fleet analytics")
    assert ask("northwind").reply.kind == "deal_review"


def test_two_deals_with_one_name_offer_their_ids_and_accounts() -> None:
    reply = ask("review the Contoso one").reply
    assert reply.kind == "choose_deal"
    assert reply.title.text == "Several deals match “contoso”. Which one? Name it by its id."
    assert [item.text for item in reply.sections[0].items] == [
        "Contoso service desk · Contoso Ltd · id `CT-1`",
        "Contoso service desk · Contoso GmbH · id `CT-2`",
    ]
    assert ask("review CT-2").reply.title.text.startswith("Contoso service desk · Contoso GmbH")


def test_a_deal_nobody_has_lists_what_there_is() -> None:
    reply = ask("review Acme").reply
    assert reply.kind == "choose_deal"
    assert reply.title.text.startswith("No open deal here matches “acme”.")


def test_small_talk_is_answered_briefly() -> None:
    hello = ask("hi").reply
    assert hello.title.text == "Hi Alex."
    assert "“What should I do about Northwind fleet analytics?”" in hello.text()
    assert "How is Alex doing?" not in hello.text()
    assert ask("thanks!").reply.text() == "You're welcome."
    assert "How is Alex doing?" in ask("hello", DANA, team_scope()).reply.text()


def test_out_of_scope_is_answered_honestly_with_what_i_can_do() -> None:
    reply = ask("what's the weather like in Paris?").reply
    assert reply.title.text.startswith("That's not something I can help with, Alex")
    assert "“How's my pipeline?”" in reply.text()


def test_a_typo_gets_did_you_mean() -> None:
    assert ask("chekin").reply.text() == "Did you mean `checkin`?"
    assert ask("dael northwind").reply.text() == "Did you mean `deal northwind`?"


def test_meeting_prep_finds_the_deal_where_that_person_is() -> None:
    reply = ask("prep me for the call with the CFO on Thursday").reply
    assert reply.kind == "meeting_prep"
    assert (
        reply.title.text
        == "Prep: call with Maria Lopez (CFO) · Northwind fleet analytics · Thursday 26 November"
    )


def test_a_role_play_starts_with_a_state_to_keep() -> None:
    answer = ask("role-play the CFO on northwind")
    assert answer.kind == "role_play" and answer.roleplay is not None
    assert answer.roleplay.deal_id == 2 and answer.roleplay.who == "Maria Lopez"


def test_managers_questions_are_for_managers() -> None:
    assert ask("how is Alex doing?").reply.text().startswith("That's a question for managers")
    assert ask("prep my 1:1 with Alex").reply.text().startswith("That's a question for managers")


def test_a_manager_asks_about_a_rep_of_their_team() -> None:
    summary = ask("how is Alex doing?", DANA, team_scope()).reply
    assert summary.kind == "rep_summary"
    assert summary.title.text.startswith("Alex Rivera: 3 open, ")
    assert "Vandelay" not in summary.text()
    one_on_one = ask("prep my 1:1 with Sam", DANA, team_scope()).reply
    assert one_on_one.title.text == "1:1 with Sam Okafor · at risk: 0"


def test_a_manager_never_sees_anyone_outside_their_team() -> None:
    reply = ask("how is Priya doing?", DANA, team_scope()).reply
    assert reply.kind == "choose_rep"
    assert reply.title.text == "I don't see “priya” in your team. Your team:"
    assert [item.text for item in reply.sections[0].items] == ["Alex Rivera", "Sam Okafor"]
    other_team = ask("review Tailspin", DANA, team_scope()).reply
    assert other_team.title.text.startswith("No open deal here matches “tailspin”")


def test_a_manager_opens_any_deal_of_their_team_with_its_owner() -> None:
    reply = ask("show me Vandelay", DANA, team_scope()).reply
    assert reply.kind == "deal_review"
    assert reply.lead.text == "Sam Okafor's deal."


def test_slipping_and_pipeline_use_the_scope() -> None:
    slipping = ask("which deals will slip this quarter?", DANA, team_scope()).reply
    assert slipping.kind == "slipping"
    pipeline = ask("Sam's pipeline", DANA, team_scope()).reply
    assert pipeline.title.text == "Sam Okafor's pipeline: 1 open, $12,000"


def test_how_is_a_deal_doing_is_a_review_not_a_rep() -> None:
    assert ask("how is northwind doing?").reply.kind == "deal_review"


def test_one_deal_needs_no_name() -> None:
    only = Scope((globex(),))
    assert ask("what should I do about it?", scope=only).reply.kind in (
        "deal_review",
        "choose_deal",
    )
    assert ask("role-play the CFO", scope=only).roleplay is not None
