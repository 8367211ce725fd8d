"""Cell parsers of the CRM importer other than dates and money: emails, probabilities."""

from __future__ import annotations

import pytest

from storage.importers.values import fold, parse_email, parse_probability


def test_emails() -> None:
    assert parse_email("Ann.Lee@Example.com") == "Ann.Lee@Example.com"
    with pytest.raises(ValueError, match="not an email address"):
        parse_email("ann at example")


def test_fold_ignores_case_spaces_and_underscores() -> None:
    assert fold("Close Date") == fold("close_date") == "closedate"
    assert fold(" Opportunity ID (18) ") == "opportunityid18"


@pytest.mark.parametrize(
    ("text", "fractions", "percent"),
    [
        ("90%", False, 90),
        ("90", False, 90),
        ("90,5 %", False, 91),
        ("0.9", True, 90),
        ("1", True, 100),
        ("0", True, 0),
        ("75%", True, 75),
        ("1", False, 1),
    ],
)
def test_probabilities_in_whole_percent(text: str, fractions: bool, percent: int) -> None:
    assert parse_probability(text, fractions=fractions) == percent


@pytest.mark.parametrize(
    ("text", "message"), [("likely", "cannot read 'likely'"), ("120%", "between 0% and 100%")]
)
def test_bad_probabilities_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_probability(text, fractions=False)
