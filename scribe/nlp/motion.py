"""Range of motion before and after the session, from sentence text: degrees or millimetres
said as a change ("rotation 60 -> 75 degrees"), values timed by the pain reader's cues, a
reach without degrees ("fingertips to mid-shin"), or an improvement said in words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scribe.nlp.numbers import NUMBER, parse_number
from scribe.nlp.timing_cues import timing_from_cues

# (never a temperature: "temp 38.4 °C")
_DEGREES = r"\s*(?:°|º|degrees?|deg\b|degs\b)(?!\s*(?:[cf]|celsius|fahrenheit)\b)"
# Mouth opening is measured in millimetres: a before -> after pair, or a value said right after
# "open" (_OPENING_MM).
_ROM_UNITS = (
    r"\s*(?:°|º|degrees?|deg\b|degs\b|mm\b|millimet(?:er|re)s?\b|cm\b|centimet(?:er|re)s?\b)"
)
_ROM_CONTEXT = re.compile(
    r"\b(?:rom|range\s+of\s+motion|rotation|flexion|extension|abduction|adduction|side[\s-]?bending|"
    r"opening|opens?|opened|forward\s+bend(?:ing|s)?|"
    r"dorsiflexion|plantar\s?flexion|elevation|slr|straight\s+leg\s+raise|knee[\s-]to[\s-]wall|"
    r"degrees?|deg)\b(?!\s*(?:[cf]|celsius|fahrenheit)\b)|°(?!\s*[cf]\b)",
    re.IGNORECASE,
)
# a change with its unit said once, after either value: "from 20 to 35 degrees", "went from
# eight centimeters to eleven", the first value's time said after it ("from 32 millimeters
# before to 38 after") (never a count: "40 mm to 3 muscles")
_ROM_TRANSITION = re.compile(
    rf"(?:\bfrom\s+)?(?P<a>{NUMBER})(?P<unit_a>{_ROM_UNITS})?"
    r"(?:\s+(?:before|pre(?:[\s-]?(?:treatment|tx|needling))?|initially|at\s+the\s+start))?\s*"
    rf"(?:->|→|-->|=>|>|\bto\b|\bup\s+to\b|\bthen\b)\s*"
    rf"(?P<b>{NUMBER})(?P<unit_b>{_ROM_UNITS})?"
    r"(?!\s*(?:/|%|muscles?|needles?|times|sessions?|visits?|reps?|sets?)\b)",
    re.IGNORECASE,
)
_ROM_VALUE = re.compile(rf"(?P<v>{NUMBER}){_DEGREES}", re.IGNORECASE)
# a mouth opening in millimetres, said a few words after "open": "Mouth opening 29 mm", "can
# only open about twenty eight millimeters" (a needle's "40 mm" is no opening)
_OPENING_MM = re.compile(
    rf"\bopen(?:ing|s|ed)?\b(?:\s+(?:was|is|of|about|only|to|at|approximately|approx|~))*\s+"
    rf"(?P<v>{NUMBER})\s*(?:mm\b|millimet(?:er|re)s?\b)",
    re.IGNORECASE,
)
_ROM_QUALITATIVE = re.compile(
    r"\b(?:improved|increased|better|restored|full|gained|improvement\s+in|increase\s+in)\s+"
    r"(?:\w+\s+){0,3}?(?:rom|range\s+of\s+motion|range|mobility|rotation|flexion|extension|abduction)\b|"
    r"\b(?:rom|range\s+of\s+motion|mobility|rotation|flexion|extension|abduction)\s+(?:\w+\s+){0,4}?"
    r"(?:improved|increased|restored|better)\b",
    re.IGNORECASE,
)
# forward bending measured by where the fingertips reach ("Lumbar flexion: fingertips to
# mid-shin"): the fingertip-to-floor measure, a range of motion without degrees
_ROM_REACH = re.compile(
    r"\bfinger\s*-?tips?\s+(?:(?:reach(?:es|ed|ing)?|went|go(?:es)?|got|moved|came)\s+)?"
    # where they started, when said: "fingertips from his knees down to mid shin"
    r"(?:from\s+(?:the\s+|his\s+|her\s+|their\s+)?\w+\s+(?:down\s+|up\s+)?)?"
    r"(?:to|at)\s+(?:the\s+)?(?:mid[\s-]?|distal\s+|"
    r"proximal\s+)?(?:knees?|shins?|tibias?|ankles?|floor|toes?|feet|foot|thighs?|patellae?)\b",
    re.IGNORECASE,
)
# an angle said without its unit right after the motion: "flexion was about one twenty",
# "SLR 60" (at least 20: never a strength grade, a count or a pain value)
_ROM_BARE = re.compile(
    rf"\b(?:rotation|flexion|extension|abduction|adduction|side[\s-]?bending|dorsiflexion|"
    rf"plantar\s?flexion|elevation|slr|straight\s+leg\s+raise)\b"
    rf"(?:\s+(?:was|is|of|about|around|approximately|approx|to|at|now|measured|only))*\s+"
    rf"(?P<v>{NUMBER})\b"
    r"(?!\s*(?:/|%|\+|-|reps?\b|sets?\b|times\b|x\b|sec|min|hours?\b|lbs?\b|pounds?\b|kg\b|"
    r"mm\b|cm\b|needles?\b|muscles?\b))",
    re.IGNORECASE,
)
# a range said as a share of the normal one, after its motion (written short too): "Lx flex
# down 50%", "cervical rotation limited by 25%", "lumbar ext 75% of normal"
_ROM_PERCENT = re.compile(
    r"\b(?:rom|range\s+of\s+motion|rotation|flexion|extension|abduction|adduction|"
    r"side[\s-]?bending|dorsiflexion|flex|ext|rot|abd|sb)\b\s*[:=]?"
    r"(?:\s*(?:\u2193|\u2191|~|(?:limited|restricted|reduced|decreased|down|lacks?|lacking|by|to|"
    r"about|approx(?:imately)?|only|at|is|was|r|l|rt|lt|right|left)\b))*\s*(?P<v>\d{1,3})\s*%",
    re.IGNORECASE,
)
# a reach behind the back measured by the spinal level the thumb gets to: "IR behind back R:
# L3 -> L1 post-tx", "hand behind back from T12 to T8"
_ROM_BEHIND_BACK = re.compile(
    r"\bbehind\s+(?:the\s+|her\s+|his\s+|their\s+)?back\b[^.;\n]{0,30}?"
    r"\b[CTLS]\d{1,2}\s*(?:->|\u2192|-->|=>|\bto\b)\s*[CTLS]\d{1,2}\b",
    re.IGNORECASE,
)
_ROM_ARROW = re.compile(r"[\w-]+(?:\s+[\w-]+){0,3}\s*(?:->|→|-->|=>)\s*[\w-]+(?:\s+[\w-]+){0,2}")
_MOTION = re.compile(
    r"(?:(?:cervical|lumbar|thoracic|trunk|neck|shoulder|hip|knee|ankle|wrist|elbow|right|left|"
    r"r|l)\s+){0,2}(?:(?:internal|external|lateral|active|passive)\s+)?(?:rotation|flexion|extension|"
    r"abduction|adduction|side[\s-]?bending|lateral\s+bending|dorsiflexion|plantar\s?flexion|"
    r"elevation|slr|straight\s+leg\s+raise|(?:mouth\s+|jaw\s+)?opening|forward\s+bend(?:ing|s)?|"
    r"knee[\s-]to[\s-]wall)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RomValue:
    start: int
    end: int
    motion: str | None
    before_degrees: float | None
    after_degrees: float | None
    improved: bool | None


def rom_values(text: str, before: re.Pattern[str], after: re.Pattern[str]) -> list[RomValue]:
    """Range-of-motion changes in one sentence (degrees when stated)."""
    if behind := _ROM_BEHIND_BACK.search(text):
        return [RomValue(behind.start(), behind.end(), "reach behind the back", None, None, None)]
    if not _ROM_CONTEXT.search(text) and not _ROM_PERCENT.search(text):
        return []
    found: list[RomValue] = []
    for match in _ROM_TRANSITION.finditer(text):
        a, b = parse_number(match.group("a")), parse_number(match.group("b"))
        if a is None or b is None or a > 360 or b > 360:
            continue
        if not (match.group("unit_a") or match.group("unit_b") or _angles_of_a_motion(text, match)):
            continue  # "3 to 4 times a week": no measure
        found.append(
            RomValue(match.start(), match.end(), _motion(text, match.start()), a, b, b > a)
        )
    if not found:
        single = sorted(
            [*_ROM_VALUE.finditer(text), *_OPENING_MM.finditer(text)], key=lambda m: m.start()
        )
        pre: tuple[re.Match[str], float] | None = None
        post: tuple[re.Match[str], float] | None = None
        for match in single:
            number = parse_number(match.group("v"))
            if number is None or number > 360:
                continue
            timing = timing_from_cues(text, match.start(), match.end(), before, after)
            if timing == "after" and post is None:
                post = (match, number)
            elif timing != "after" and pre is None:
                pre = (match, number)
        if pre or post:
            start = min(m.start() for m, _ in (x for x in (pre, post) if x))
            end = max(m.end() for m, _ in (x for x in (pre, post) if x))
            a = pre[1] if pre else None
            b = post[1] if post else None
            improved = (b > a) if a is not None and b is not None else None
            found.append(RomValue(start, end, _motion(text, start), a, b, improved))
    if not found:
        for match in _ROM_BARE.finditer(text):
            number = parse_number(match.group("v"))
            if number is not None and 20 <= number <= 180:
                timing = timing_from_cues(text, match.start("v"), match.end("v"), before, after)
                a, b = (number, None) if timing != "after" else (None, number)
                motion = _motion(text, match.start())
                found.append(RomValue(match.start(), match.end(), motion, a, b, None))
                break
    if not found:
        share = _ROM_PERCENT.search(text)
        if share and int(share.group("v")) <= 100:
            found.append(
                RomValue(share.start(), share.end(), _motion(text, share.start()), None, None, None)
            )
    if not found:
        arrow = _ROM_ARROW.search(text)
        if arrow and _MOTION.search(text):
            # "Flexion: fingertips to knees -> mid-shin": a change without degrees
            found.append(
                RomValue(arrow.start(), arrow.end(), _motion(text, arrow.start()), None, None, None)
            )
    if not found:
        reach = _ROM_REACH.search(text)
        if reach and _MOTION.search(text):
            found.append(
                RomValue(reach.start(), reach.end(), _motion(text, reach.start()), None, None, None)
            )
    if not found:
        qualitative = _ROM_QUALITATIVE.search(text)
        if qualitative:
            found.append(
                RomValue(
                    qualitative.start(),
                    qualitative.end(),
                    _motion(text, qualitative.end()),
                    None,
                    None,
                    True,
                )
            )
    return found


_MOTION_REACH = 40  # characters from the end of a motion's name to the change said of it


def _angles_of_a_motion(text: str, match: re.Match[str]) -> bool:
    """A change said without its unit right after the motion it measures: "shoulder flexion
    went from one forty to one sixty five", "Flexion 140 -> 165" (angles: 10 to 180 both)."""
    a, b = parse_number(match.group("a")), parse_number(match.group("b"))
    if a is None or b is None or not (10 <= a <= 180 and 10 <= b <= 180):
        return False
    lo = max(0, match.start() - _MOTION_REACH)
    return any(m.end() <= match.start() for m in _MOTION.finditer(text, lo, match.start() + 1))


def _motion(text: str, position: int) -> str | None:
    """The motion named closest before a value (or anywhere in the sentence)."""
    motions = list(_MOTION.finditer(text))
    if not motions:
        return None
    before = [m for m in motions if m.start() < position]
    chosen = before[-1] if before else motions[0]
    return chosen.group(0).lower()
