"""Why a claim file cannot be written. Messages name settings and fields, never their values
or anything from the note."""

from __future__ import annotations

from scribe.errors import ScribeError


class ClaimError(ScribeError):
    """The claim cannot be written as asked."""


class MissingClaimData(ClaimError):
    def __init__(self, names: list[str]) -> None:
        super().__init__("the claim needs " + ", ".join(names))
        self.names = names


class InvalidClaim(ClaimError):
    """The X12 file written does not pass validation (a bug: the errors name segments)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the 837P file does not validate: " + "; ".join(problems[:5]))
        self.problems = problems
