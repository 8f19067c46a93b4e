"""The QA figures: corrections per field and per clinician, the share of 20561 among dry
needling lines, prompt frequencies, and each by month of service; charts as inline SVG."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.persistence.tables import Encounter, KeyHolder, NoteRevision

NEEDLING = {"20560", "20561"}
THREE_PLUS = "20561"
FIELD_OF_OPERATION = {
    "add_muscle": "muscles (added)",
    "remove_muscle": "muscles (removed)",
    "set_laterality": "side",
    "set_status": "status",
    "set_injectate": "injectate",
}
MONTHS = 12
ROW_LIMIT = 50_000


@dataclass
class Month:
    encounters: int = 0
    corrected: int = 0
    corrections: int = 0
    needling_lines: int = 0
    three_plus: int = 0
    prompts: Counter[str] = field(default_factory=Counter)

    @property
    def share_20561(self) -> float | None:
        return self.three_plus / self.needling_lines if self.needling_lines else None


@dataclass
class QaFigures:
    since: dt.date
    encounters: int = 0
    signed_off: int = 0
    corrected: int = 0
    by_field: Counter[str] = field(default_factory=Counter)
    by_clinician: dict[str, tuple[int, int]] = field(default_factory=dict)  # corrections, total
    needling_lines: int = 0
    three_plus: int = 0
    prompts: Counter[str] = field(default_factory=Counter)
    months: dict[str, Month] = field(default_factory=dict)

    @property
    def share_20561(self) -> float | None:
        return self.three_plus / self.needling_lines if self.needling_lines else None


def qa_figures(session: Session, organisation: str, *, today: dt.date | None = None) -> QaFigures:
    """The organisation's figures over the last twelve months of service dates."""
    today = today or dt.date.today()
    since = (today.replace(day=1) - dt.timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    figures = QaFigures(since=since)
    rows = session.execute(
        select(
            Encounter.id,
            Encounter.owner_id,
            Encounter.date_of_service,
            Encounter.coding_json,
            Encounter.signed_off_at,
        )
        .where(
            Encounter.organisation == organisation,
            Encounter.status == "ready",
            Encounter.date_of_service >= since,
        )
        .limit(ROW_LIMIT)
    ).all()
    month_of: dict[str, str] = {}
    owner_of: dict[str, str] = {}
    per_owner: Counter[str] = Counter()
    for encounter_id, owner_id, day, coding_json, signed in rows:
        key = day.strftime("%Y-%m")
        month = figures.months.setdefault(key, Month())
        month_of[encounter_id], owner_of[encounter_id] = key, owner_id
        month.encounters += 1
        figures.encounters += 1
        figures.signed_off += signed is not None
        per_owner[owner_id] += 1
        coding = json.loads(coding_json or "{}")
        codes = [line["code"] for line in coding.get("lines", []) if line["code"] in NEEDLING]
        month.needling_lines += len(codes)
        month.three_plus += codes.count(THREE_PLUS)
        prompt_ids = {p["id"] for p in coding.get("prompts", [])}
        month.prompts.update(prompt_ids)
        figures.prompts.update(prompt_ids)
    figures.needling_lines = sum(m.needling_lines for m in figures.months.values())
    figures.three_plus = sum(m.three_plus for m in figures.months.values())
    corrections = session.execute(
        select(NoteRevision.encounter_id, NoteRevision.operations_json).where(
            NoteRevision.kind == "correction",
            NoteRevision.encounter_id.in_(
                select(Encounter.id).where(
                    Encounter.organisation == organisation, Encounter.date_of_service >= since
                )
            ),
        )
    ).all()
    corrected: set[str] = set()
    per_owner_corrections: Counter[str] = Counter()
    for encounter_id, operations_json in corrections:
        if encounter_id not in month_of:
            continue
        operations = json.loads(operations_json)
        for op in operations:
            figures.by_field[FIELD_OF_OPERATION.get(op.get("op"), "other")] += 1
        month = figures.months[month_of[encounter_id]]
        month.corrections += len(operations)
        if encounter_id not in corrected:
            month.corrected += 1
        corrected.add(encounter_id)
        per_owner_corrections[owner_of[encounter_id]] += len(operations)
    figures.corrected = len(corrected)
    names = {
        holder_id: name
        for holder_id, name in session.execute(
            select(KeyHolder.id, KeyHolder.name).where(KeyHolder.id.in_(list(per_owner)))
        )
    }
    figures.by_clinician = {
        f"{names.get(owner, 'unknown')} ({owner[:8]})": (per_owner_corrections[owner], total)
        for owner, total in sorted(per_owner.items(), key=lambda item: -item[1])
    }
    figures.months = dict(sorted(figures.months.items()))
    return figures


def bar_chart(
    title: str,
    bars: Sequence[tuple[str, float]],
    *,
    percent: bool = False,
    band: tuple[float, float] | None = None,
    width: int = 560,
) -> Markup:
    """A horizontal bar chart as inline SVG, with its numbers written out (and a title for
    screen readers); ``band``: a shaded expected range (fractions, for percentages)."""
    row, label_w, pad = 22, 170, 60
    height = max(1, len(bars)) * row + 10
    top = max([v for _, v in bars] + [1.0 if percent else 1e-9])
    scale = (width - label_w - pad) / top
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-labelledby="t-{abs(hash(title))}">'
        f'<title id="t-{abs(hash(title))}">{escape(title)}</title>'
    ]
    if band is not None:
        x0, x1 = label_w + band[0] * scale, label_w + band[1] * scale
        parts.append(
            f'<rect class="band" x="{x0:.1f}" y="0" width="{x1 - x0:.1f}" '
            f'height="{height}"><title>typical range</title></rect>'
        )
    for index, (label, value) in enumerate(bars):
        y = index * row + 4
        text = f"{value:.0%}" if percent else f"{value:g}"
        parts.append(
            f'<text class="label" x="{label_w - 6}" y="{y + 13}" text-anchor="end">'
            f"{escape(label[:28])}</text>"
            f'<rect class="bar" x="{label_w}" y="{y}" width="{max(value * scale, 1):.1f}" '
            f'height="{row - 6}"></rect>'
            f'<text class="value" x="{label_w + value * scale + 4:.1f}" y="{y + 13}">{text}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
