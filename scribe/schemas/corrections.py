"""A reviewer's corrections to a structured note, as a list of small operations."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from scribe.schemas.common import Frozen
from scribe.schemas.note import InjectateStatus, Laterality, MuscleStatus, Technique

MuscleName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        description="A muscle id, its canonical name or a name from the lexicon "
        '("upper-trapezius", "upper trapezius", "upper trap").',
    ),
]


class MuscleTarget(Frozen):
    """A muscle already in the note. ``laterality`` is needed only when the note has the
    muscle on more than one side."""

    muscle: MuscleName
    laterality: Laterality | None = None


class AddMuscle(Frozen):
    op: Literal["add_muscle"]
    muscle: MuscleName
    laterality: Laterality
    status: MuscleStatus = "treated"
    technique: Technique | None = Field(
        default=None, description="For a treated muscle: needling (default) or injection."
    )


class RemoveMuscle(MuscleTarget):
    op: Literal["remove_muscle"]


class SetLaterality(MuscleTarget):
    op: Literal["set_laterality"]
    to: Laterality


class SetStatus(MuscleTarget):
    op: Literal["set_status"]
    to: MuscleStatus


class SubstanceCorrection(Frozen):
    name: str = Field(min_length=1, max_length=100, description="A substance in the lexicon.")
    dose: str | None = Field(default=None, max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")
    muscles: list[MuscleTarget] = Field(
        default_factory=list, description="Muscles that received it; none: every treated muscle."
    )


class SetInjectate(Frozen):
    op: Literal["set_injectate"]
    status: InjectateStatus
    substances: list[SubstanceCorrection] = Field(default_factory=list, max_length=20)


Correction = Annotated[
    AddMuscle | RemoveMuscle | SetLaterality | SetStatus | SetInjectate,
    Field(discriminator="op"),
]


class NoteCorrection(Frozen):
    """What a reviewer changes, and why."""

    reason: str = Field(
        min_length=3,
        max_length=2000,
        pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$",
        description="Why (kept in the revision); plain text, no control characters.",
    )
    operations: list[Correction] = Field(min_length=1, max_length=100)
