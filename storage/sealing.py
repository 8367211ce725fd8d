"""Slack bot tokens sealed at rest with Fernet (AES-128-CBC + HMAC-SHA256), keyed by
DEALCOACH_TOKEN_KEY.

A sealed value is `fernet:<token>`; the database, its backups and its dumps hold
only that. Without the key nothing can be read or stored: the error says how to
create one.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

PREFIX = "fernet:"
NEW_KEY_HINT = (
    'create one with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)


class TokenKeyError(Exception):
    """The key is missing or is not the one the tokens were sealed with."""


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


class TokenSealer:
    def __init__(self, key: str | None) -> None:
        self._fernet = Fernet(key.encode()) if key else None

    def _key(self, why: str) -> Fernet:
        if self._fernet is None:
            raise TokenKeyError(f"DEALCOACH_TOKEN_KEY: required to {why}; {NEW_KEY_HINT}")
        return self._fernet

    def seal(self, token: str) -> str:
        return PREFIX + self._key("store Slack tokens sealed").encrypt(token.encode()).decode()

    def unseal(self, stored: str) -> str:
        if not is_sealed(stored):
            raise TokenKeyError(
                "a Slack token is stored in plain text: run `dealcoach db upgrade` with "
                "DEALCOACH_TOKEN_KEY set to seal it"
            )
        try:
            return self._key("read the stored Slack tokens").decrypt(stored[len(PREFIX) :]).decode()
        except InvalidToken:
            raise TokenKeyError(
                "DEALCOACH_TOKEN_KEY is not the key the stored Slack tokens were sealed with"
            ) from None
