"""Readable before/after differences between revisions of a note and of its claim lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from api.schemas import RevisionPublic
from scribe.schemas.coding import ClaimLine, CodingResult
from scribe.schemas.corrections import Correction
from scribe.schemas.note import Note


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    what: str
    before: str = ""
    after: str = ""


@dataclass
class RevisionDiff:
    revision: RevisionPublic
    operations: list[str]
    note: list[Change] = field(default_factory=list)
    lines: list[Change] = field(default_factory=list)
    payment_before: float | None = None
    payment_after: float | None = None


def _muscles(note: Note | None) -> dict[tuple[str, str], str]:
    if note is None:
        return {}
    return {
        (m.name, m.laterality): m.status + (" (conflict)" if m.status_conflict else "")
        for m in note.muscles
    }


def _line(line: ClaimLine) -> str:
    mods = f"-{'-'.join(line.modifiers)}" if line.modifiers else ""
    units = f" x{line.units}" if line.units != 1 else ""
    return f"{line.code}{mods}{units}"


def describe(op: Correction) -> str:
    """An operation in words."""
    if op.op == "add_muscle":
        return f"add {op.muscle} ({op.laterality}, {op.status.replace('_', ' ')})"
    if op.op == "set_injectate":
        names = ", ".join(s.name for s in op.substances)
        return f"injectate: {op.status.replace('_', ' ')}" + (f" ({names})" if names else "")
    side = f" ({op.laterality})" if op.laterality else ""
    if op.op == "remove_muscle":
        return f"remove {op.muscle}{side}"
    if op.op == "set_laterality":
        return f"{op.muscle}{side}: side to {op.to}"
    return f"{op.muscle}{side}: status to {op.to.replace('_', ' ')}"


def note_changes(before: Note | None, after: Note) -> list[Change]:
    changes: list[Change] = []
    old, new = _muscles(before), _muscles(after)
    for key in sorted(old.keys() | new.keys()):
        name = f"{key[0]} ({key[1]})"
        if key not in old:
            changes.append(Change("added", name, after=new[key].replace("_", " ")))
        elif key not in new:
            changes.append(Change("removed", name, before=old[key].replace("_", " ")))
        elif old[key] != new[key]:
            changes.append(
                Change("changed", name, old[key].replace("_", " "), new[key].replace("_", " "))
            )
    if before is not None:
        was, now = before.injectate, after.injectate
        if was.status != now.status:
            changes.append(
                Change(
                    "changed",
                    "injectate",
                    was.status.replace("_", " "),
                    now.status.replace("_", " "),
                )
            )
        old_subs = {s.name for s in was.substances if s.status == "injected"}
        new_subs = {s.name for s in now.substances if s.status == "injected"}
        for name in sorted(new_subs - old_subs):
            changes.append(Change("added", f"substance {name}", after="injected"))
        for name in sorted(old_subs - new_subs):
            changes.append(Change("removed", f"substance {name}", before="injected"))
    return changes


def line_changes(before: CodingResult | None, after: CodingResult) -> list[Change]:
    old = sorted(_line(line) for line in before.lines) if before else []
    new = sorted(_line(line) for line in after.lines)
    if old == new:
        return []
    return [Change("changed", "claim lines", ", ".join(old) or "none", ", ".join(new) or "none")]


def revision_diffs(revisions: list[RevisionPublic]) -> list[RevisionDiff]:
    """Each revision against the one before it, newest first."""
    diffs = []
    previous: CodingResult | None = None
    for revision in revisions:
        diff = RevisionDiff(
            revision=revision,
            operations=[describe(op) for op in revision.operations],
            note=note_changes(revision.note_before, revision.note_after),
            lines=line_changes(previous, revision.coding_after),
            payment_before=previous.total_payment if previous else None,
            payment_after=revision.coding_after.total_payment,
        )
        diffs.append(diff)
        previous = revision.coding_after
    return list(reversed(diffs))
