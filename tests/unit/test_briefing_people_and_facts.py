"""Reading what a rep typed: a person's name apart from the rest, a role from a title,
a buyer's facts typed as savings, costs and volumes with their units."""

import pytest

from coaching.briefing.facts import summary_facts
from coaching.briefing.people import TypedPerson, split_people, split_person
from coaching.briefing.roles import load_roles


@pytest.mark.parametrize(
    ("typed", "person"),
    [
        ("Maria Lopez", TypedPerson("Maria Lopez")),
        (
            "Bob Stone (CFO, thinks we are overpriced, budget only 30k)",
            TypedPerson("Bob Stone", "CFO", "thinks we are overpriced, budget only 30k"),
        ),
        ("Jordan Lee, our primary contact", TypedPerson("Jordan Lee", None, "our primary contact")),
        ("Jordan Lee our primary contact", TypedPerson("Jordan Lee", None, "our primary contact")),
        ("Tom Becker - Head of Dispatch", TypedPerson("Tom Becker", "Head of Dispatch")),
        ("Ludwig van Beethoven", TypedPerson("Ludwig van Beethoven")),
        ("Anne-Marie O'Neil, VP Operations", TypedPerson("Anne-Marie O'Neil", "VP Operations")),
    ],
)
def test_a_person_is_a_name_with_the_title_and_description_split_off(
    typed: str, person: TypedPerson
) -> None:
    assert split_person(typed) == person


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("CFO", "finance"),
        ("Finance Manager", "finance"),
        ("Chief Operating Officer", "operations"),
        ("VP Operations", "operations"),
        ("IT Director", "it"),
        ("Head of IT Operations", "it"),  # the longer match wins
        ("Head of Dispatch", "users_leader"),
        ("Fleet Manager", "users_leader"),
        ("Chief Executive Officer", "executive"),
        ("Regional Sales Rep", None),
    ],
)
def test_roles_come_from_titles(title: str, role: str | None) -> None:
    found = load_roles().role_of(title)
    assert (found.key if found else None) == role


def test_a_crm_role_is_used_when_the_title_says_nothing() -> None:
    roles = load_roles()
    found = roles.role_of("Regional Sales Rep", "finance")
    assert found is not None and found.concerns == ("payback", "risk", "cash")


def test_facts_are_typed_and_carry_their_units() -> None:
    facts = summary_facts(
        "Dispatchers plan 400 daily routes; late deliveries cost them about 6% of revenue. "
        "In the pilot, fuel spend went down 9%. The team moved offices in June."
    )
    assert [(fact.kind, fact.text) for fact in facts] == [
        ("volume", "Dispatchers plan 400 daily routes."),
        ("cost", "Late deliveries cost them about 6% of revenue."),
        ("saving", "In the pilot, fuel spend went down 9%."),
        ("statement", "The team moved offices in June."),
    ]
    assert [figure.text for figure in facts[0].figures] == ["400 daily routes"]
    assert [figure.text for figure in facts[1].figures] == ["6% of revenue"]


@pytest.mark.parametrize(
    ("typed", "people"),
    [
        ("Maria Lopez", [TypedPerson("Maria Lopez")]),
        ("CFO and COO", [TypedPerson("CFO", "CFO"), TypedPerson("COO", "COO")]),
        (
            "the CFO & the Head of Dispatch",
            [TypedPerson("CFO", "CFO"), TypedPerson("Head of Dispatch", "Head of Dispatch")],
        ),
        (
            "Dana Cruz (CFO, hates change and risk) and Omar Ali, COO",
            [
                TypedPerson("Dana Cruz", "CFO", "hates change and risk"),
                TypedPerson("Omar Ali", "COO"),
            ],
        ),
        ("Tom Becker - Head of Dispatch", [TypedPerson("Tom Becker", "Head of Dispatch")]),
    ],
)
def test_an_answer_may_name_several_people_some_only_by_title(
    typed: str, people: list[TypedPerson]
) -> None:
    assert split_people(typed) == people
