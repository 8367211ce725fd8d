"""The seller's own profile (DEALCOACH_SELLER): who we are, what we sell, why us.

Everything in it is shareable by definition: it is what the team says to any buyer.
Only a customer who agreed to be named is named; a proof point about any other
customer carries a description instead ("a 200-truck parcel carrier"), and that
customer's name is internal (the guard blocks it).

Each entry may list the `answers` it gives: the concerns of roles.yaml it answers
(a guarantee answers `risk`, a phased rollout `disruption`...). The briefing answers
each stakeholder's concern with those entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from coaching.briefing.roles import RoleTable, load_roles
from coaching.data_files import read_yaml_mapping


class SellerProfileError(ValueError):
    """The seller profile is malformed; the message names the file, the entry and the fix."""


def _filled(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise ValueError("must not be empty")
    return text


def _with_figure(value: str) -> str:
    if not re.search(r"\d", value):
        raise ValueError("a proof point needs a figure (e.g. 'cut late deliveries by 38%')")
    return value


def _not_empty(value: tuple[object, ...]) -> tuple[object, ...]:
    if not value:
        raise ValueError("list at least one")
    return value


Words = Annotated[str, AfterValidator(_filled)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Product(_Entry):
    name: Words
    summary: Words = Field(description="what it does for a buyer, in one line")


class Answering(_Entry):
    answers: tuple[str, ...] = ()
    products: tuple[str, ...] = Field(
        default=(), description="the products it is about (empty: all of them)"
    )

    def about(self, product: str | None) -> bool:
        wanted = (product or "").casefold()
        return not self.products or wanted in {name.casefold() for name in self.products}


class Differentiator(Answering):
    text: Words
    criterion: Words | None = Field(
        None, description="the question a buyer should ask every option, which we answer best"
    )


class ProofPoint(Answering):
    customer: Words
    may_name: bool = Field(description="the customer agreed to be named")
    described_as: Words | None = None
    result: Annotated[Words, AfterValidator(_with_figure)]

    @model_validator(mode="after")
    def _described_when_unnamed(self) -> ProofPoint:
        if not self.may_name and not self.described_as:
            raise ValueError(
                f"{self.customer!r} may not be named: add described_as, "
                "e.g. 'a 200-truck parcel carrier'"
            )
        return self

    @property
    def who(self) -> str:
        return self.customer if self.may_name else str(self.described_as)


class Guarantee(Answering):
    text: Words


class Option(Answering):
    name: Words
    text: Words
    first_step: bool = Field(False, description="a smaller first step than the whole project")


class ReferenceProgramme(Answering):
    text: Words


class SellerProfile(_Entry):
    company: Words
    products: Annotated[tuple[Product, ...], AfterValidator(_not_empty)]
    differentiators: Annotated[tuple[Differentiator, ...], AfterValidator(_not_empty)]
    proof_points: tuple[ProofPoint, ...] = ()
    reference_programme: ReferenceProgramme | None = None
    guarantees: tuple[Guarantee, ...] = ()
    implementation_options: tuple[Option, ...] = ()

    @model_validator(mode="after")
    def _one_first_step(self) -> SellerProfile:
        steps = [option.name for option in self.implementation_options if option.first_step]
        if len(steps) > 1:
            raise ValueError(f"only one implementation option may be first_step: {steps}")
        names = {product.name.casefold() for product in self.products}
        for entry in self.entries():
            unknown = [name for name in entry.products if name.casefold() not in names]
            if unknown:
                raise ValueError(f"{unknown[0]!r} is not one of the products listed")
        return self

    def entries(self) -> Iterator[Answering]:
        yield from self.differentiators
        yield from self.proof_points
        if self.reference_programme:
            yield self.reference_programme
        yield from self.guarantees
        yield from self.implementation_options

    def product(self, name: str | None) -> Product | None:
        wanted = (name or "").casefold()
        return next((item for item in self.products if item.name.casefold() == wanted), None)

    def first_step(self, product: str | None) -> Option | None:
        return next(
            (o for o in self.implementation_options if o.first_step and o.about(product)), None
        )

    def public_texts(self) -> list[str]:
        """Every word of the profile a buyer may read (customers not to be named left out)."""
        texts = [self.company]
        texts += [f"{product.name} {product.summary}" for product in self.products]
        texts += [f"{item.text} {item.criterion or ''}" for item in self.differentiators]
        texts += [f"{item.who} {item.result}" for item in self.proof_points]
        texts += [item.text for item in self.guarantees]
        texts += [f"{item.name} {item.text}" for item in self.implementation_options]
        if self.reference_programme:
            texts.append(self.reference_programme.text)
        return texts

    def unnamed_customers(self) -> list[str]:
        """Customers who did not agree to be named: internal, whatever else says."""
        return [item.customer for item in self.proof_points if not item.may_name]


def load_seller_profile(path: Path, roles: RoleTable | None = None) -> SellerProfile:
    """The profile at `path`, or SellerProfileError saying what to fix, and where."""
    raw = read_yaml_mapping(path, "seller profile", SellerProfileError, "company, products...")
    try:
        profile = SellerProfile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        message = first["msg"].removeprefix("Value error, ")
        raise SellerProfileError(f"seller profile {path}: {where}: {message}") from None
    known = set((roles or load_roles()).concerns)
    for entry in profile.entries():
        unknown = sorted(set(entry.answers) - known)
        if unknown:
            raise SellerProfileError(
                f"seller profile {path}: {unknown[0]!r} is not a concern; "
                f"answers may list {', '.join(sorted(known))}"
            )
    return profile
