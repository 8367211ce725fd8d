"""The one error an import raises when it writes nothing at all."""


class ImportAborted(Exception):
    """The file or the options cannot be used; the message says what to fix."""
