"""Scores of spoken runs (bench/asr_spoken.py): per engine and overall, and each loss put down
to recognition or to extraction.

A case's claim lines (or a treated muscle) lost from the recording is an extraction loss when
the reference text (what the engine was told to say) already loses it; a run-on extraction
loss when only the reference written as a recogniser writes it (lower case, no punctuation, read
as a transcript) loses it; else a recognition loss.

Columns: `false` counts billed lines the case does not bill (a lower code too); `over` only
those that claim more than was done (another service, a higher muscle band, more units).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

import jiwer

from scribe import Scribe
from scribe.coding.rules import load_rules
from scribe.evaluation.golden import GoldenCase, compare, group_name_index
from scribe.lexicons import load_lexicons
from scribe.schemas.transcript import Transcript

Row = dict[str, Any]
_GROUPS: dict[str, str] = {}


def run_on(text: str) -> str:
    """The reference as a recogniser without punctuation would write it."""
    return " ".join(re.sub(r"[^\w' ]+", " ", text.lower()).split())


def normalise(text: str) -> str:
    text = text.lower().replace("counselled", "counseled")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def _sides(side: str) -> tuple[str, ...]:
    return ("left", "right") if side == "bilateral" else (side,)


def treated(result: Any) -> list[list[str]]:
    """Treated muscles, one per side, as [name, side] pairs."""
    return sorted(
        [m.name, side]
        for m in result.note.muscles
        if m.status == "treated"
        for side in _sides(m.laterality)
    )


def lines(result: Any) -> list[list[Any]]:
    """Claim lines as [code, units, modifiers]."""
    return sorted([line.code, line.units, list(line.modifiers)] for line in result.coding.lines)


def wanted_lines(case: GoldenCase) -> set[tuple[str, int, tuple[str, ...]]]:
    return {
        (line["code"], line.get("units", 1), tuple(line.get("modifiers", [])))
        for line in case.expect.get("lines") or []
    }


def false_lines(scribe: Scribe, case: GoldenCase, row: Row) -> int:
    """Lines billed from the recording that the case does not bill (a wrong code, units or
    modifiers counts; a line left out does not). Runs saved without their lines are coded
    again from the transcript text."""
    billed = row["lines"] if "lines" in row else lines(scribe.extract(row["hypothesis"]))
    got = {(c, u, tuple(m)) for c, u, m in billed}
    return len(got - wanted_lines(case))


_CODES: dict[str, tuple[str, int]] = {}


def over_lines(scribe: Scribe, case: GoldenCase, row: Row) -> int:
    """Billed lines that claim more than the case did: a service it did not bill (an
    injection for dry needling, a line where nothing was done), a code of a higher muscle
    band, or more units (codes.yaml: service and min_muscles). Lower codes and changed
    modifiers are not counted: they lose money, they claim nothing that was not done."""
    if not _CODES:
        _CODES.update({c.code: (c.service, c.min_muscles or 0) for c in load_rules().codes})
    billed = row["lines"] if "lines" in row else lines(scribe.extract(row["hypothesis"]))
    band = {
        _CODES.get(code, (code, 0))[0]: (_CODES.get(code, (code, 0))[1], units)
        for code, units, _ in wanted_lines(case)
    }
    over = 0
    for code, units, _ in billed:
        service, floor = _CODES.get(code, (code, 0))
        if service not in band or floor > band[service][0] or units > band[service][1]:
            over += 1
    return over


def wanted(case: GoldenCase) -> set[tuple[str, str]]:
    return {
        (m["name"], side)
        for m in case.expect.get("muscles", [])
        if m["status"] == "treated"
        for side in _sides(m["laterality"])
    }


def diffs(case: GoldenCase, result: Any) -> dict[str, Any]:
    if not _GROUPS:
        _GROUPS.update(group_name_index(load_lexicons()))
    return compare(case, result, _GROUPS)


def _key_pattern() -> re.Pattern[str]:
    lexicons = load_lexicons()
    terms = {"left", "right", "bilateral", "bilaterally", "both sides"}
    for muscle in lexicons.muscles.muscles:
        terms |= {normalise(n) for n in [muscle.name, *muscle.synonyms]}
    for substance in lexicons.substances.substances:
        terms.add(normalise(substance.name))
    terms = {t for t in terms if len(t) >= 4}
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})s?\b")


def key_terms(pattern: re.Pattern[str], reference: str, hypothesis: str) -> tuple[int, int]:
    """(key terms of the reference heard, key terms in the reference), counted with repeats."""
    want = Counter(m.rstrip("s") for m in pattern.findall(normalise(reference)))
    got = Counter(m.rstrip("s") for m in pattern.findall(normalise(hypothesis)))
    return sum(min(n, got[t]) for t, n in want.items()), sum(want.values())


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report(scribe: Scribe, cases: list[GoldenCase], rows: list[Row], *, verbose: bool) -> None:
    by_id = {case.id: case for case in cases}
    pattern = _key_pattern()
    reference: dict[str, tuple[set[tuple[str, str]], bool, list[str]]] = {}
    plain: dict[str, tuple[set[tuple[str, str]], bool, list[str]]] = {}
    for case in cases:
        for text, table in ((case.text, reference), (run_on(case.text), plain)):
            # the run-on form is what a recogniser writes, so it is read as a transcript (lower
            # case "q l" is the spelled name there, not in typed text); the reference as typed
            result = (
                scribe.extract(text)
                if table is reference
                else scribe.extract_transcript(
                    Transcript(text=text, language="en", duration=60.0, model="run-on reference")
                )
            )
            got = {(n, s) for n, s in treated(result)}
            found = diffs(case, result)
            table[case.id] = (got, "lines" not in found, sorted(found))
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row["engine"]].append(row)
        groups["overall"].append(row)
    print(
        f"{'engine':10s} {'n':>3s} {'WER':>6s} {'keyterm':>8s} {'P':>6s} {'R':>6s} {'F1':>6s}"
        f" {'lines':>6s} {'false':>5s} {'over':>4s} {'review':>6s} {'RTF':>6s}"
        " | reference F1, lines; run-on F1, lines"
    )
    for name, members in groups.items():
        refs = [normalise(by_id[r["case"]].text) for r in members]
        hyps = [normalise(r["hypothesis"]) for r in members]
        heard = total = tp = fp = fn = rtp = rfp = rfn = 0
        lines = ref_lines = review = ptp = pfp = pfn = plain_lines = false = over = 0
        for row in members:
            case = by_id[row["case"]]
            h, t = key_terms(pattern, case.text, row["hypothesis"])
            heard, total = heard + h, total + t
            want, got = wanted(case), {(n, s) for n, s in row["got"]}
            tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
            ref_got, ref_ok, _ = reference[case.id]
            rtp, rfp = rtp + len(want & ref_got), rfp + len(ref_got - want)
            rfn += len(want - ref_got)
            plain_got, plain_ok, _ = plain[case.id]
            ptp, pfp = ptp + len(want & plain_got), pfp + len(plain_got - want)
            pfn += len(want - plain_got)
            plain_lines += plain_ok
            lines += "lines" not in row["diffs"]
            ref_lines += ref_ok
            review += bool(row.get("low_confidence") or row.get("procedure_unread"))
            false += false_lines(scribe, case, row)
            over += over_lines(scribe, case, row)
        p, r, f1 = _f1(tp, fp, fn)
        rtf = sum(x["asr_seconds"] for x in members) / sum(x["audio_seconds"] for x in members)
        n = len(members)
        print(
            f"{name:10s} {n:3d} {jiwer.wer(refs, hyps):6.3f} {heard / max(total, 1):8.1%}"
            f" {p:6.3f} {r:6.3f} {f1:6.3f} {lines / n:6.1%} {false:5d} {over:4d}"
            f" {review / n:6.1%} {rtf:6.3f}"
            f" | {_f1(rtp, rfp, rfn)[2]:.3f}, {ref_lines / n:.1%};"
            f" {_f1(ptp, pfp, pfn)[2]:.3f}, {plain_lines / n:.1%}"
        )
    _attribution(by_id, rows, reference, plain, verbose=verbose)


def _attribution(
    by_id: dict[str, GoldenCase],
    rows: list[Row],
    reference: dict[str, tuple[set[tuple[str, str]], bool, list[str]]],
    plain: dict[str, tuple[set[tuple[str, str]], bool, list[str]]],
    *,
    verbose: bool,
) -> None:
    """Each wrong claim and each lost or extra muscle, put down to one stage."""
    kinds: Counter[str] = Counter()
    muscles: Counter[str] = Counter()
    for row in rows:
        case = by_id[row["case"]]
        want, got = wanted(case), {(n, s) for n, s in row["got"]}
        ref_got, ref_ok, _ = reference[case.id]
        plain_got, plain_ok, _ = plain[case.id]
        ok = "lines" not in row["diffs"]
        stage = (
            "extraction" if not ref_ok else "run-on extraction" if not plain_ok else "recognition"
        )
        kinds["right" if ok else f"{stage} loss"] += 1
        for m in want - got:
            where = "extraction" if m not in ref_got else "run-on" if m not in plain_got else "asr"
            muscles[f"missed: {where}"] += 1
        for m in got - want:
            where = "extraction" if m in ref_got else "run-on" if m in plain_got else "asr"
            muscles[f"extra: {where}"] += 1
        if verbose and not ok:
            print(
                f"    {row['engine']:8s} {case.id}: {stage}; missed {sorted(want - got)};"
                f" extra {sorted(got - want)}"
            )
    print("claim lines: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print("muscles: " + ", ".join(f"{k} {v}" for k, v in sorted(muscles.items())))
    if verbose:
        for label, table in (("reference", reference), ("run-on reference", plain)):
            print(f"{label} extraction, cases with a wrong field:")
            for case_id, (_, _, found) in sorted(table.items()):
                if found:
                    print(f"    {case_id}: {', '.join(found)}")
