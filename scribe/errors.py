"""Typed errors with messages safe to show a user (no dictation text, no PHI)."""

from __future__ import annotations


class ScribeError(Exception):
    """Base class for every error the product raises on purpose."""


class InputError(ScribeError):
    """The dictation given cannot be processed."""


class EmptyInputError(InputError):
    def __init__(self) -> None:
        super().__init__("the dictation is empty (no words to extract from)")


class BinaryInputError(InputError):
    def __init__(self) -> None:
        super().__init__(
            "the input looks like binary data, not a text dictation (pass a UTF-8 text file)"
        )


class InputTooLargeError(InputError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"the dictation has {size:,} characters, over the limit of {limit:,} "
            "(raise SCRIBE_MAX_INPUT_CHARS if this is intended)"
        )


class LexiconError(ScribeError):
    """A data file in lexicons/ is missing or does not validate."""


class AudioError(InputError):
    """The recording cannot be used (not audio, empty, corrupt or too long)."""


class ModelError(ScribeError):
    """A speech model is unknown, not installed or damaged."""
