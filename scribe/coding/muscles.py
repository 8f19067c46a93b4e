"""Billable muscle counting: distinct muscles per side, never needles, never group terms.

A treated muscle documented ``bilateral`` is two muscle sides; ``unspecified`` laterality is its
own side. Subdivisions of one muscle on one side (upper and middle trapezius) count once, and
each further one counts only with its own documented trigger point finding. Muscles the
extraction recorded as injected (``techniques``) go to the trigger point injection service; the
rest are dry needled. A note without techniques (written by hand, or older) is read from its
injection statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from scribe.schemas.common import Evidence
from scribe.schemas.note import TRIGGER_POINT_FINDINGS, Laterality, Muscle, MuscleRef, Note

Side = Literal["right", "left", "unspecified"]

#: Service names shared with ``lexicons/billing`` (``ServiceKind``).
DRY_NEEDLING: Final = "dry_needling"
INJECTION: Final = "trigger_point_injection"

_SIDES: Final[dict[Laterality, tuple[Side, ...]]] = {
    "right": ("right",),
    "left": ("left",),
    "bilateral": ("right", "left"),
    "unspecified": ("unspecified",),
}


@dataclass(frozen=True)
class MuscleSide:
    """One treated muscle on one side; ``index`` is its position in ``note.muscles``."""

    index: int
    muscle: Muscle
    side: Side
    injected: bool

    @property
    def counting_id(self) -> str:
        return self.muscle.counting_id

    @property
    def key(self) -> tuple[int, Side]:
        return (self.index, self.side)


@dataclass(frozen=True)
class MuscleAnalysis:
    """Treated muscle sides of a note, split by service after the same-muscle rule."""

    sides: tuple[MuscleSide, ...]
    by_service: dict[str, tuple[MuscleSide, ...]]
    counts: dict[str, int]
    total: int
    conflicts: tuple[MuscleSide, ...]
    subdivision_groups: tuple[tuple[MuscleSide, ...], ...]

    def count(self, service: str) -> int:
        return self.counts.get(service, 0)


def _ref_matches(ref: MuscleRef, muscle: Muscle, side: Side) -> bool:
    if ref.id not in (muscle.id, muscle.counting_id):
        return False
    if ref.laterality in ("unspecified", "bilateral") or side == "unspecified":
        return True
    return ref.laterality == side


def _injection_targets(note: Note) -> tuple[list[MuscleRef], bool]:
    """Muscles named in injection statements, and whether every treated muscle was injected."""
    injected = [s for s in note.injectate.substances if s.status == "injected"]
    if not injected:
        # "Injected" with no substance named: the statement covers the whole session.
        return [], note.injectate.status == "injected"
    refs = [ref for s in injected for ref in s.muscles]
    # A statement that names no muscle covers every treated muscle.
    return refs, any(not s.muscles for s in injected)


#: The technique of each billable service, as the note records it on a treated muscle.
TECHNIQUE_OF: Final[dict[str, str]] = {DRY_NEEDLING: "needling", INJECTION: "injection"}


def treated_sides(note: Note) -> list[MuscleSide]:
    """Every treated muscle side, marked injected or not."""
    refs, inject_all = _injection_targets(note)
    sides: list[MuscleSide] = []
    for index, muscle in enumerate(note.muscles):
        if muscle.status != "treated" or muscle.status_conflict:
            continue
        for side in _SIDES[muscle.laterality]:
            if muscle.techniques:
                injected = "injection" in muscle.techniques
            else:
                injected = inject_all or any(_ref_matches(r, muscle, side) for r in refs)
            sides.append(MuscleSide(index, muscle, side, injected))
    return sides


ConflictMatch = Literal["muscle", "counting_muscle"]


def _same_muscle(a: MuscleSide, b: MuscleSide, match: ConflictMatch) -> bool:
    """Whether two sides are one muscle for the needled-and-injected edit.

    ``muscle``: the same muscle, or a whole muscle and one of its parts (upper trapezius and
    trapezius); two different parts (upper and lower trapezius) are not. ``counting_muscle``:
    any parts of one muscle. An undocumented side overlaps every side.
    """
    if a.counting_id != b.counting_id:
        return False
    if not (a.side == b.side or "unspecified" in (a.side, b.side)):
        return False
    if match == "counting_muscle":
        return True
    ids = {a.muscle.id, b.muscle.id}
    return len(ids) == 1 or a.counting_id in ids


def _key_count(counting_id: str, items: Sequence[MuscleSide]) -> int:
    """Billable muscles among sides of one muscle on one side.

    Two or more subdivisions count once, plus one for each further subdivision with its own
    trigger point finding (``max(1, subdivisions with findings)``; tenderness alone documents
    no trigger point: "R UFT with taut band and LTR, R LFT mildly TTP" is one trapezius).
    Counting "all or one" instead would let a new subdivision without findings lower the code,
    which the coder must never do.
    """
    subdivisions = {s.muscle.id for s in items if s.muscle.id != counting_id}
    if len(subdivisions) < 2:
        return 1
    with_findings = {
        s.muscle.id
        for s in items
        if s.muscle.id != counting_id and TRIGGER_POINT_FINDINGS & set(s.muscle.findings)
    }
    return max(1, len(with_findings))


def _by_muscle(sides: Iterable[MuscleSide]) -> dict[str, dict[Side, list[MuscleSide]]]:
    grouped: dict[str, dict[Side, list[MuscleSide]]] = {}
    for s in sides:
        grouped.setdefault(s.counting_id, {}).setdefault(s.side, []).append(s)
    return grouped


def count_sides(sides: Iterable[MuscleSide]) -> int:
    """Billable muscles among ``sides``.

    A muscle whose side is not documented is not added again when the same muscle is also
    documented with a side (the larger of the two counts is kept, so adding never lowers it).
    """
    total = 0
    for counting_id, per_side in _by_muscle(sides).items():
        sided = sum(
            _key_count(counting_id, per_side[x]) for x in ("right", "left") if x in per_side
        )
        unspecified = (
            _key_count(counting_id, per_side["unspecified"]) if "unspecified" in per_side else 0
        )
        total += max(sided, unspecified)
    return total


def _subdivision_groups(sides: Iterable[MuscleSide]) -> list[tuple[MuscleSide, ...]]:
    groups: list[tuple[MuscleSide, ...]] = []
    for counting_id, per_side in _by_muscle(sides).items():
        for items in per_side.values():
            if len({s.muscle.id for s in items if s.muscle.id != counting_id}) >= 2:
                groups.append(tuple(items))
    return groups


def _both_techniques(muscle: Muscle) -> bool:
    """The note ties this muscle both to dry needling and to an injection."""
    return "needling" in muscle.techniques and "injection" in muscle.techniques


def analyse_muscles(
    note: Note,
    *,
    keep_service: str | None = INJECTION,
    match: ConflictMatch = "muscle",
) -> MuscleAnalysis:
    """Split the treated muscles by service and count them.

    ``keep_service`` is where a muscle documented as both needled and injected is billed
    (the same-muscle edit, compared as ``match`` says); ``None`` leaves both. A muscle whose
    techniques are both needling and injection ("dry needled the upper trapezius ... lidocaine
    injected into the upper trapezius") was treated both ways.
    """
    sides = treated_sides(note)
    by_service: dict[str, list[MuscleSide]] = {
        DRY_NEEDLING: [s for s in sides if not s.injected],
        INJECTION: [s for s in sides if s.injected],
    }
    conflicts: list[MuscleSide] = []
    if keep_service in by_service:
        other = DRY_NEEDLING if keep_service == INJECTION else INJECTION
        kept = list(by_service[keep_service])
        conflicts = []
        # moving a whole muscle ("trapezius") to the kept line can make its other parts
        # ("middle trapezius") conflict in turn: repeat until nothing moves
        while True:
            moving = [
                s for s in by_service[other]
                if s not in conflicts and any(_same_muscle(s, k, match) for k in kept)
            ]  # fmt: skip
            if not moving:
                break
            conflicts += moving
            kept += moving
        both = [s for s in by_service[INJECTION] if _both_techniques(s.muscle)]
        conflicts += [s for s in both if s.key not in {c.key for c in conflicts}]
        moved = {s.key for s in conflicts}
        for service in (DRY_NEEDLING, INJECTION):
            by_service[service] = [s for s in by_service[service] if s.key not in moved]
        by_service[keep_service] += conflicts
    counts = {k: count_sides(v) for k, v in by_service.items()}
    return MuscleAnalysis(
        sides=tuple(sides),
        by_service={k: tuple(v) for k, v in by_service.items()},
        counts=counts,
        # Each line counts its own muscles; the session total is what the lines bill.
        total=sum(counts.values()),
        conflicts=tuple(conflicts),
        subdivision_groups=tuple(_subdivision_groups(sides)),
    )


def count_muscles(note: Note) -> int:
    """Billable muscle count of a note: distinct treated muscles per side, needles ignored."""
    return analyse_muscles(note).total


def muscle_refs(sides: Iterable[MuscleSide]) -> list[MuscleRef]:
    """One reference per muscle; both sides of one entry read back as ``bilateral``."""
    per_muscle: dict[int, tuple[Muscle, set[Side]]] = {}
    for s in sides:
        per_muscle.setdefault(s.index, (s.muscle, set()))[1].add(s.side)
    refs: list[MuscleRef] = []
    for _, (muscle, side_set) in sorted(per_muscle.items()):
        laterality: Laterality = (
            "bilateral" if side_set == {"right", "left"} else next(iter(side_set))
        )
        refs.append(MuscleRef(id=muscle.id, name=muscle.name, laterality=laterality))
    return refs


def side_evidence(sides: Iterable[MuscleSide]) -> list[Evidence]:
    """The spans that decided each muscle's status."""
    return [Evidence(start=s.muscle.start, end=s.muscle.end, text=s.muscle.text) for s in sides]


def describe(sides: Iterable[MuscleSide]) -> str:
    """ "right upper trapezius, bilateral levator scapulae" (names only, no patient details)."""
    parts = []
    for ref in muscle_refs(sides):
        side = "" if ref.laterality == "unspecified" else f"{ref.laterality} "
        parts.append(f"{side}{ref.name}")
    return ", ".join(parts)
