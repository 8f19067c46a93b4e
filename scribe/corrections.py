"""Apply a reviewer's corrections to a note: pure, deterministic, validated against the lexicon.

What a reviewer adds has no words in the text: such items carry ``origin: reviewer`` and empty
evidence (``start == end == 0``), so nobody mistakes them for something the clinician said.
"""

from __future__ import annotations

from collections.abc import Sequence

from scribe.errors import InputError
from scribe.lexicons import Lexicons
from scribe.schemas.common import Evidence
from scribe.schemas.corrections import (
    AddMuscle,
    Correction,
    MuscleTarget,
    RemoveMuscle,
    SetInjectate,
    SetLaterality,
    SetStatus,
)
from scribe.schemas.note import Injectate, Muscle, MuscleRef, Note, Substance

_NO_WORDS = {"start": 0, "end": 0, "text": ""}


class CorrectionError(InputError):
    """A correction that does not fit the note or the lexicon (the message says which)."""


class _Names:
    """Muscle and substance names a reviewer may type, resolved to lexicon ids."""

    def __init__(self, lexicons: Lexicons) -> None:
        self.lexicons = lexicons
        self.muscles: dict[str, str] = {}
        self.substances: dict[str, str] = {}
        for term in lexicons.terms():
            key = term.text.lower()
            if term.label == "MUSCLE":
                self.muscles.setdefault(key, term.entry_id)
            elif term.label == "SUBSTANCE":
                self.substances.setdefault(key, term.entry_id)
        for muscle in lexicons.muscles.muscles:
            self.muscles[muscle.id] = muscle.id
            self.muscles[muscle.name.lower()] = muscle.id
        for substance in lexicons.substances.substances:
            self.substances[substance.id] = substance.id
            self.substances[substance.name.lower()] = substance.id

    def muscle_id(self, name: str) -> str:
        found = self.muscles.get(" ".join(name.lower().split()))
        if found is None:
            raise CorrectionError(f"unknown muscle {name!r} (use an id or a name from the lexicon)")
        return found

    def substance_id(self, name: str) -> str:
        found = self.substances.get(" ".join(name.lower().split()))
        if found is None:
            raise CorrectionError(f"unknown substance {name!r}")
        return found


def _find(muscles: Sequence[Muscle], names: _Names, target: MuscleTarget) -> int:
    wanted = names.muscle_id(target.muscle)
    hits = [
        i
        for i, m in enumerate(muscles)
        if m.id == wanted and (target.laterality is None or m.laterality == target.laterality)
    ]
    if not hits:
        side = f" ({target.laterality})" if target.laterality else ""
        raise CorrectionError(f"the note has no {target.muscle!r}{side}")
    if len(hits) > 1:
        raise CorrectionError(f"{target.muscle!r} is in the note on several sides: give laterality")
    return hits[0]


def _check_free(muscles: Sequence[Muscle], muscle_id: str, laterality: str, skip: int) -> None:
    for i, m in enumerate(muscles):
        if i != skip and m.id == muscle_id and m.laterality == laterality:
            raise CorrectionError(
                f"{m.name} ({laterality}) is already in the note: change that one instead"
            )


def _add(muscles: list[Muscle], names: _Names, op: AddMuscle) -> None:
    muscle_id = names.muscle_id(op.muscle)
    _check_free(muscles, muscle_id, op.laterality, skip=-1)
    entry = names.lexicons.muscle_by_id[muscle_id]
    techniques = [op.technique or "needling"] if op.status == "treated" else []
    muscles.append(
        Muscle(
            **_NO_WORDS,
            id=entry.id,
            name=entry.name,
            counting_id=names.lexicons.counting_id(entry.id),
            region=entry.region,
            group=entry.group,
            laterality=op.laterality,
            laterality_source="reviewer",
            status=op.status,
            techniques=techniques,
            mentions=[],
            origin="reviewer",
        )
    )


def _set_laterality(
    muscles: list[Muscle], injectate: Injectate, names: _Names, op: SetLaterality
) -> Injectate:
    """Move a muscle to another side; injection statements that named it follow it."""
    index = _find(muscles, names, op)
    old = muscles[index]
    _check_free(muscles, old.id, op.to, skip=index)
    muscles[index] = old.model_copy(update={"laterality": op.to, "laterality_source": "reviewer"})

    def moved(ref: MuscleRef) -> MuscleRef:
        if ref.id == old.id and ref.laterality == old.laterality:
            return ref.model_copy(update={"laterality": op.to})
        return ref

    substances = [
        s.model_copy(update={"muscles": [moved(r) for r in s.muscles]})
        for s in injectate.substances
    ]
    return injectate.model_copy(update={"substances": substances})


def _set_status(muscles: list[Muscle], names: _Names, op: SetStatus) -> None:
    index = _find(muscles, names, op)
    muscle = muscles[index]
    update: dict[str, object] = {"status": op.to}
    if op.to != "treated":
        update["techniques"] = []
    elif not muscle.techniques:
        update["techniques"] = ["needling"]
    muscles[index] = muscle.model_copy(update=update)


def _retechnique(muscles: list[Muscle], injectate: Injectate) -> None:
    """After the reviewer says what was injected, each treated muscle's technique follows:
    the muscles a substance went into (or every treated one, when a substance names none)
    were injected; with nothing injected, every treated muscle was needled dry."""
    refs = {(r.id, r.laterality) for s in injectate.substances for r in s.muscles}
    every = injectate.status == "injected" and (
        not injectate.substances or any(not s.muscles for s in injectate.substances)
    )
    for i, muscle in enumerate(muscles):
        if muscle.status != "treated":
            continue
        injected = every or (muscle.id, muscle.laterality) in refs
        techniques = ["injection"] if injected else ["needling"]
        muscles[i] = muscle.model_copy(update={"techniques": techniques})


def _injectate(muscles: Sequence[Muscle], names: _Names, op: SetInjectate) -> Injectate:
    if op.status != "injected" and op.substances:
        raise CorrectionError("substances are given only with status 'injected'")
    substances = []
    by_id = {s.id: s for s in names.lexicons.substances.substances}
    for given in op.substances:
        entry = by_id[names.substance_id(given.name)]
        refs = []
        for target in given.muscles:
            muscle = muscles[_find(muscles, names, target)]
            refs.append(MuscleRef(id=muscle.id, name=muscle.name, laterality=muscle.laterality))
        substances.append(
            Substance(
                **_NO_WORDS,
                name=entry.name,
                category=entry.category,
                status="injected",
                dose=None if given.dose is None else Evidence(start=0, end=0, text=given.dose),
                muscles=refs,
                origin="reviewer",
            )
        )
    return Injectate(status=op.status, statements=[], substances=substances)


def apply_corrections(note: Note, operations: Sequence[Correction], *, lexicons: Lexicons) -> Note:
    """The note after ``operations``, applied in order; CorrectionError when one does not fit
    (then nothing is applied)."""
    names = _Names(lexicons)
    muscles = list(note.muscles)
    injectate = note.injectate
    for op in operations:
        if isinstance(op, AddMuscle):
            _add(muscles, names, op)
        elif isinstance(op, RemoveMuscle):
            del muscles[_find(muscles, names, op)]
        elif isinstance(op, SetLaterality):
            injectate = _set_laterality(muscles, injectate, names, op)
        elif isinstance(op, SetStatus):
            _set_status(muscles, names, op)
        else:
            injectate = _injectate(muscles, names, op)
            _retechnique(muscles, injectate)
    corrected = note.model_copy(update={"muscles": muscles, "injectate": injectate})
    return Note.model_validate(corrected.model_dump())
