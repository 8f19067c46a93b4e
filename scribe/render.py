"""A readable summary of an extraction for a clinician (``--format text``)."""

from __future__ import annotations

from scribe.coding import render_coding_text
from scribe.pipeline import AudioExtractionResult, ExtractionResult
from scribe.schemas.note import Measure, Note
from scribe.schemas.transcript import Transcript


def _side(laterality: str) -> str:
    return "side not stated" if laterality == "unspecified" else laterality


def _measure(measure: Measure | None) -> str:
    if measure is None:
        return "?"
    value = f"{measure.value:g}"
    return f"{value}/10" if measure.scale_max else value


def render_note_text(note: Note) -> str:
    out: list[str] = []
    treated = [m for m in note.muscles if m.status == "treated"]
    others = [m for m in note.muscles if m.status != "treated"]
    out.append(f"Muscles treated ({len(treated)} named)")
    for muscle in treated or []:
        fuzzy = "  [spelling matched approximately: check]" if muscle.match == "fuzzy" else ""
        out.append(f'  - {muscle.name}, {_side(muscle.laterality)}   "{muscle.text}"{fuzzy}')
    if not treated:
        out.append("  (none named)")
    if others:
        out.append("Named but not counted")
        for muscle in others:
            out.append(
                f"  - {muscle.name}, {_side(muscle.laterality)}: {muscle.status.replace('_', ' ')}"
            )
    if note.groups:
        out.append("Groups and vague terms (never counted)")
        for group in note.groups:
            out.append(f'  - {group.name} ({group.kind}), {group.status}   "{group.text}"')
    injectate = note.injectate
    out.append(f"Injectate: {injectate.status.replace('_', ' ')}")
    for statement in injectate.statements[:1]:
        out.append(f'  "{statement.text}"')
    for substance in injectate.substances:
        dose = f" {substance.dose.text}" if substance.dose else ""
        where = ", ".join(m.name for m in substance.muscles)
        where = f" into {where}" if where else ""
        out.append(f"  - {substance.name}{dose}: {substance.status}{where}")
    r = note.rationale
    out.append("Rationale")
    kinds = sorted({f.kind.replace("_", " ") for f in r.findings if not f.negated})
    out.append(f"  findings: {', '.join(kinds) if kinds else 'none documented'}")
    for finding in r.findings:
        if finding.referral_target is not None:
            out.append(f"  referral to: {finding.referral_target.text}")
    limitation = r.functional_limitations[0].text if r.functional_limitations else "none documented"
    out.append(f"  functional limitation: {limitation}")
    if r.pain.before or r.pain.after:
        out.append(f"  pain: {_measure(r.pain.before)} before -> {_measure(r.pain.after)} after")
    else:
        out.append("  pain: not documented")
    for rom in r.rom:
        motion = rom.motion or "range of motion"
        if rom.before_degrees is not None or rom.after_degrees is not None:
            out.append(f"  {motion}: {rom.before_degrees} -> {rom.after_degrees}")
        else:
            out.append(f"  {motion}: improved")
    out.append(f"  consent: {'documented' if r.consent else 'not documented'}")
    out.append(f"  tolerance: {'documented' if r.tolerance else 'not documented'}")
    if r.needle_counts:
        out.append(f"  needles: {r.needles_used()} (never used for the code)")
    return "\n".join(out) + "\n"


def render_extraction_text(result: ExtractionResult | AudioExtractionResult) -> str:
    """Note summary followed by the coding summary."""
    return render_note_text(result.note) + "\n" + render_coding_text(result.coding)


def render_transcript_text(transcript: Transcript) -> str:
    """The transcript with timings, unsure words marked [?]."""
    out = [f"Transcript ({transcript.duration:.1f} s, model {transcript.model})"]
    for segment in transcript.segments:
        words = " ".join(f"{w.text}[?]" if w.probability < 0.5 else w.text for w in segment.words)
        out.append(f"  [{segment.start:6.1f}-{segment.end:6.1f}] {words or segment.text}")
    if not transcript.segments:
        out.append("  (no speech recognised)")
    for item in transcript.removed:
        out.append(f"  removed ({item.reason}): {item.text.strip()!r}")
    return "\n".join(out) + "\n"
