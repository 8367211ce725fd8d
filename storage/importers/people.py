"""Finding the people a file names: by email (any case), or else by name (any case)."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")


class PeopleIndex(Generic[T]):
    """People by email and by name; when two share a name, the first added wins."""

    def __init__(self) -> None:
        self._by_email: dict[str, T] = {}
        self._by_name: dict[str, T] = {}

    def add(self, name: str | None, email: str | None, person: T) -> None:
        if email:
            self._by_email.setdefault(email.casefold(), person)
        if name:
            self._by_name.setdefault(" ".join(name.split()).casefold(), person)

    def find(self, name: str | None, email: str | None) -> T | None:
        if email and (person := self._by_email.get(email.casefold())) is not None:
            return person
        if name:
            return self._by_name.get(" ".join(name.split()).casefold())
        return None
