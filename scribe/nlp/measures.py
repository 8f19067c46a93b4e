"""Pain values before and after the session, from sentence text; the cues that time a value
are ``timing_cues.py``'s."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from scribe.nlp.numbers import parse_number
from scribe.nlp.timing_cues import Timing, timing_from_cues

# "6/10", "six out of ten", "six over ten"; "five from ten" as some speakers say it (not the
# start of a fall: "from 10 to 4")
_SCALE = (
    r"(?:\s*(?:(?:/|out\s+of|of|over)\s*(?:10|ten)\b|from\s+(?:10|ten)\b(?!\s*(?:to\b|->|→|-))))"
)
_ARTICLE = r"(?:(?:about|around|approximately|roughly|maybe|like)\s+)?(?:(?:a|an)\s+)?"
_PAIN_CONTEXT = re.compile(
    r"\b(?:pain|nprs|nrs|vas|discomfort|soreness|symptoms?|rated|rates|intensity|headaches?|ha)\b"
    r"|\d\s*/\s*10\b|\bout\s+of\s+(?:10|ten)\b",
    re.IGNORECASE,
)
# Pain is rated 0-10: a small number in digits or words (much cheaper to scan than NUMBER).
_SMALL = (
    r"(?<!ty[\s-])(?:\d{1,2}(?:\.\d)?|zero|one|two|three|four|five|six|seven|eight|nine|ten)\b"
    r"(?![\s-]hundred)"
)
_ANY_SMALL_NUMBER = re.compile(
    r"\d|\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten)\b", re.IGNORECASE
)
# "6/10", not the "10/10" of a date ("DOB 10/10/1987") nor the place of a visit in a course
# of care ("Visit 6/10", "session #4/8")
_PAIN_VALUE = re.compile(rf"(?<![/\d])(?P<v>{_SMALL}){_SCALE}(?![/\d])", re.IGNORECASE)
_COURSE_COUNT = re.compile(
    # (not the time of a rating: "Pain after session 3/10", "post visit 2/10")
    r"(?<!\bafter\s)(?<!\bpost\s)(?<!\bbefore\s)(?<!\bpre\s)(?<!\bend\sof\s)"
    r"\b(?:visits?|sessions?|appointments?|week|wk)\s*[:#]?\s*$",
    re.IGNORECASE,
)
# A bare number right after a pain word: "pain 6", "NPRS 6", "pain level of 6", "rated 6".
_NOT_A_RATING = (
    # (a slash before the other timing parts two ratings: "Pre 6 / Post 3")
    r"(?!\s*(?:/(?!\s*(?:pre|post|before|after)\b)|out\s+of|degrees|°|%|weeks?|days?|months?|years?|minutes?|min\b|hours?|hrs?\b|"
    r"needles?|times|sessions?|visits?|mm|cm|muscles?|miles?|km|kilomet(?:er|re)s?|blocks?|laps?|"
    r"reps?|steps?|feet|yards?|flights?|o'?clock|pm|am|mg|ml|cc|units?|inch(?:es)?|pounds?|lbs?|kg|"
    r"percent|fingers?|yrs?|yo\b)|[-\u2010][a-z]"  # nor a compound: "a two-week trip"
    # nor the subject of a verb or a part of a whole: "before one starts", "one of them"
    r"|\s+(?:starts|begins|comes|hits|kicks|sets|happens|of\s+(?:the|them|those|these|his|her))\b)"
)
_PAIN_BARE = re.compile(
    rf"\b(?:pain|nprs|nrs|vas|rated|rates)(?:\s+(?:level|score|rating|intensity|is|was|of|at|rated|started|"
    rf"went|came|down|dropped|decreased|reduced|improved|fell|to|about|around|roughly))*"
    # the scale's name may stand between: "Pre-tx pain (NPRS): 7"
    rf"(?:\s*\((?:nprs|nrs|vas|0-10)\))?"
    rf"\s*[:=]?\s*{_ARTICLE}(?P<v>{_SMALL})\b{_NOT_A_RATING}",
    re.IGNORECASE,
)
# A rating said with its article in a sentence about pain: "pain coming in was a seven", "she
# called it a three" (never a measure: "a two-week flare", "a two inch scar")
_PAIN_RATED = re.compile(rf"\b(?:a|an)\s+(?P<v>{_SMALL})\b{_NOT_A_RATING}", re.IGNORECASE)
# A value with its timing right after it: "a two after", "an eight before", "three leaving".
_PAIN_TIMED = re.compile(
    rf"\b{_ARTICLE}(?P<v>{_SMALL})\b{_NOT_A_RATING}"
    # a time since the session may stand between the value and its cue ("a 2 at 15 minutes
    # after")
    rf"(?=\s+(?:at\s+\w+\s+(?:min(?:ute)?s?|hours?|hrs?)\s+)?(?:before|after|afterwards?|pre|post|prior|following|"
    rf"(?:when|by\s+the\s+time)\s+(?:s?he|they|the\s+patient|pt)\s+(?:left|walked\s+out)|"
    rf"leaving|coming\s+in|going\s+in|going\s+out|coming\s+out|walking\s+out|at\s+the\s+end|at\s+the\s+start|on\s+arrival|"
    rf"at\s+discharge)\b)",
    re.IGNORECASE,
)
# The timing before the value: "came in at a seven", "left at about a three".
_PAIN_ARRIVAL = re.compile(
    rf"\b(?:(?P<in>came\s+in|coming\s+in|arrived|walked\s+in)|left(?:\s+(?:her|him|them))?|leaving|"
    rf"walked\s+out|went\s+home)\s+"
    # the speaker's subject may stand between: "coming in she was a six"
    rf"(?:(?:s?he|they|the\s+patient|pt)\s+(?:was|were|is|rated\s+it|called\s+it|said)\s+)?"
    rf"(?:at\s+|with\s+)?{_ARTICLE}(?P<v>{_SMALL})(?!\s*(?:degrees|°|%|minutes?|min\b|hours?|mm))",
    re.IGNORECASE,
)
# without a pain word a sentence needs a value before: these are all the words that can time
# one in the patterns it is read with (a cheap first test)
_TIMING_WORD = re.compile(
    r"\b(?:before|pre|came\s+in|coming\s+in|arrived|walked\s+in|at\s+the\s+start|on\s+arrival)\b",
    re.IGNORECASE,
)
_ENDS_WITH_ARTICLE = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)
# The value after a fall, its timing in the verb: "went down to a three", "came down to a four".
_PAIN_FALL = re.compile(
    rf"\b(?:went|came|dropped|fell|got|was)\s+(?:back\s+)?down\s+to\s+{_ARTICLE}(?P<v>{_SMALL})"
    rf"\b{_NOT_A_RATING}",
    re.IGNORECASE,
)
# The value after its cue: "pain was a seven and after about a four", "a five, now a three".
_PAIN_LATER = re.compile(
    rf"\b(?:after(?:wards?)?(?:\s+(?:the\s+)?(?:session|treatment|tx|needling|procedure|visit))?|"
    rf"now|leaving|walked\s+out(?:\s+at)?|"
    rf"post(?:[\s-]?(?:injection|procedure|treatment|tx|needling|dn|session|intervention))?)\s*,?\s*"
    rf"(?:(?:uh|um|is|was|it'?s|it\s+(?:is|was)|(?:s?he|they)\s+(?:said|says|say|reported|reports|rated\s+it|"
    rf"called\s+it|is|was|'?s))\s*,?\s*)*"
    rf"{_ARTICLE}(?P<v>{_SMALL})\b{_NOT_A_RATING}",
    re.IGNORECASE,
)
# The value right after its cue before the session: "pain before seven and after four" (not a
# cue that follows a value of its own: "six before three after")
_PAIN_EARLIER = re.compile(
    rf"\b(?:before|pre|initially)(?:[\s-]?(?:treatment|tx|needling|dn|(?:the\s+)?session|procedure))?"
    rf"(?:\s*[:=]|\s+(?:was|is|of|at))?\s+{_ARTICLE}(?P<v>{_SMALL})\b{_NOT_A_RATING}",
    re.IGNORECASE,
)
# a number (any measure) right before a cue, and a report of speech between the cue and the
# value after it: the cue times the number before ("thirty eight after uh he said it was like
# a seven"), while "pre 6 post 2" and "a five and after it was a two" keep theirs
_NUMBER_BEFORE = re.compile(
    r"\b(?:\d+(?:\.\d+)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"\w+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)"
    r"(?:\s*(?:degrees?|deg|°|mm|millimet(?:er|re)s?|cm|percent|%))?\s*,?\s*$",
    re.IGNORECASE,
)
_SAID_BETWEEN = re.compile(r"\b(?:said|says|reported|reports|called)\b", re.IGNORECASE)
_VALUE_BEFORE = re.compile(rf"(?:{_SMALL}){_SCALE}?\s*$", re.IGNORECASE)
# "pain three out of ten before and after, no change": one value for both
_PAIN_UNCHANGED = re.compile(
    rf"{_ARTICLE}(?P<v>{_SMALL}){_SCALE}?\s*,?\s*(?:both\s+)?(?:before\s+and\s+after|pre\s+and\s+post)\b"
    # "6/10 before and after treatment 3/10" gives the value after too
    rf"(?![^.;\n]{{0,30}}?\b{_SMALL})",
    re.IGNORECASE,
)
_TRANSITION = re.compile(
    rf"(?:\bfrom\s+)?{_ARTICLE}(?P<a>{_SMALL}){_SCALE}?\s*,?\s*"
    # "four out of ten going to one", "a six dropping down to a two"
    rf"(?:(?:going|went|goes|coming|came|dropping|dropped|decreasing|decreased|reducing|reduced|"
    rf"improving|improved|falling|fell)\s+)?"
    rf"(?:->|→|-->|=>|>|\bto\b|\bdown\s+to\b|\bthen\b)\s*"
    rf"{_ARTICLE}(?P<b>{_SMALL}){_SCALE}?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Value:
    start: int  # characters in the sentence
    end: int
    value: float
    timing: Timing
    # a rating said after the session in a sentence that names no pain ("Afterwards she was
    # a three"): the pain after, once the note has given the pain before
    alone: bool = False


@dataclass(frozen=True)
class SentenceValue:
    """A pain value with its sentence's text and offset in the note."""

    text: str
    offset: int
    value: Value


@dataclass
class PainPick:
    """The note's pain before and after the session, from its sentences in order: the first
    value timed before, the first timed after; an untimed one fills the first free slot. A
    value in the history (the subjective report, an interval history: "S: low back pain 5/10
    after yard work", "average pain now 4/10") is the patient's report on arrival: never the
    value after, and the value before only when no other sentence gives one."""

    before: SentenceValue | None = None
    after: SentenceValue | None = None
    reported: list[SentenceValue] = field(default_factory=list)

    def add(self, text: str, offset: int, values: list[Value], *, history: bool) -> None:
        if history:
            self.reported += [SentenceValue(text, offset, v) for v in values]
            return
        unknown: list[Value] = []
        for value in values:
            item = SentenceValue(text, offset, value)
            if value.alone and self.before is None:
                continue
            if value.timing == "before" and self.before is None:
                self.before = item
            elif value.timing == "after" and self.after is None:
                self.after = item
            elif value.timing == "unknown":
                unknown.append(value)
        for value in unknown:
            if self.before is None and not self.reported:
                self.before = SentenceValue(text, offset, value)
            elif self.after is None and (value.start > 0 or self.reported):
                self.after = SentenceValue(text, offset, value)

    def chosen(self) -> tuple[SentenceValue | None, SentenceValue | None]:
        before = self.before or (self.reported[0] if self.reported else None)
        return before, self.after


def pain_values(text: str, before: re.Pattern[str], after: re.Pattern[str]) -> list[Value]:
    """Pain values (0-10) in one sentence, each marked before/after/unknown.

    A sentence that names no pain word ("came in at a seven, leaving at a three", "a five
    before and a three after") gives its values only when it states both a value before and a
    value after, each with its timing: that pair is a rating."""
    if not _ANY_SMALL_NUMBER.search(text):
        return []
    if _PAIN_CONTEXT.search(text):
        return _pain_values(
            text, before, after, (_PAIN_VALUE, _PAIN_BARE, _PAIN_TIMED, _PAIN_RATED)
        )
    if _TIMING_WORD.search(text):
        # "came in at seven" may be a clock time: without a pain word, "at a seven" it must be
        values = _pain_values(text, before, after, (_PAIN_TIMED,), rating_article=True)
        if {"before", "after"} <= {v.timing for v in values}:
            return values
    return [
        Value(m.start("v"), _value_end(text, m.end("v")), number, "after", alone=True)
        for m in _PAIN_LATER.finditer(text)
        if _ENDS_WITH_ARTICLE.search(text, 0, m.start("v"))
        and (number := parse_number(m.group("v"))) is not None
        and 0 <= number <= 10
    ][:1]


def _pain_values(
    text: str,
    before: re.Pattern[str],
    after: re.Pattern[str],
    patterns: tuple[re.Pattern[str], ...],
    *,
    rating_article: bool = False,
) -> list[Value]:
    values: list[Value] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, raw: str, timing: Timing) -> None:
        number = parse_number(raw)
        if number is None or not 0 <= number <= 10:
            return
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        values.append(Value(start, end, number, timing))

    for match in _PAIN_UNCHANGED.finditer(text):
        start, end = match.start("v"), _value_end(text, match.end("v"))
        number = parse_number(match.group("v"))
        if number is not None and 0 <= number <= 10:
            taken.append((start, end))
            values += [Value(start, end, number, "before"), Value(start, end, number, "after")]
    for match in _TRANSITION.finditer(text):
        if "/" not in match.group(0) and not _is_pain_transition(text, match):
            continue
        add(match.start("a"), _value_end(text, match.end("a")), match.group("a"), "before")
        add(match.start("b"), _value_end(text, match.end("b")), match.group("b"), "after")
    for match in _PAIN_ARRIVAL.finditer(text):
        # "came in at a seven ... left at about a three": the verb says when
        if rating_article and not _ENDS_WITH_ARTICLE.search(text, 0, match.start("v")):
            continue
        timing: Timing = "before" if match.group("in") else "after"
        add(match.start("v"), _value_end(text, match.end("v")), match.group("v"), timing)
    for match in _PAIN_FALL.finditer(text):
        add(match.start("v"), _value_end(text, match.end("v")), match.group("v"), "after")
    owned: list[tuple[int, int]] = []  # cues that already timed the value after them
    if not rating_article:  # only in a sentence that names pain
        for match in _PAIN_LATER.finditer(text):
            if _NUMBER_BEFORE.search(text, 0, match.start()) and _SAID_BETWEEN.search(
                text, match.start(), match.start("v")
            ):
                continue  # "thirty eight after uh he said it was a seven": the cue is the 38's
            add(match.start("v"), _value_end(text, match.end("v")), match.group("v"), "after")
            owned.append((match.start(), match.start("v")))
        for match in _PAIN_EARLIER.finditer(text):
            if _VALUE_BEFORE.search(text, 0, match.start()):
                continue  # "six before three after": the cue is the six's
            add(match.start("v"), _value_end(text, match.end("v")), match.group("v"), "before")
            owned.append((match.start(), match.start("v")))
    loose: list[tuple[int, int, str]] = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            start = match.start()
            if pattern is _PAIN_VALUE and _COURSE_COUNT.search(text, max(0, start - 20), start):
                continue
            end = _value_end(text, match.end("v"))
            loose.append((match.start("v"), end, match.group("v")))
    loose.sort(key=lambda v: (v[0], -v[1]))
    loose = [v for i, v in enumerate(loose) if i == 0 or v[0] >= loose[i - 1][1]]
    # "before 7/10 after 3/10" puts the timing first, "7/10 before, 3/10 after" after:
    # a cue halfway between two values goes the way the sentence started
    first_cue = min((m.start() for p in (before, after) for m in p.finditer(text)), default=None)
    preposed = bool(loose) and first_cue is not None and first_cue < loose[0][0]
    # a cue belongs to the nearer value, whether loose or already timed by its verb
    anchors = sorted([*((s, e) for s, e, _ in loose), *taken])
    for start, end, raw in loose:
        low = max((e for s, e in anchors if e <= start), default=-(10**9))
        high = min((s for s, e in anchors if s >= end), default=10**9)
        timing = timing_from_cues(
            text, start, end, before, after, (low, high), preposed=preposed, owned=owned
        )
        add(start, end, raw, timing)
    return _corrected(text, sorted(values, key=lambda v: v.start))


# a value taken back as it is said: "pain coming in was a four, no it was a five", "a six,
# sorry, a seven", "three, actually make that four": only words of correction between them
_CORRECTION_WORD = (
    r"(?:no|sorry|actually|wait|i\s+mean|make\s+(?:that|it)|correction|(?:or\s+)?rather|"
    r"scratch\s+that|(?:s?he|they|the\s+patient|pt)\s+corrected\s+(?:me|it|that))"
)
_CORRECTED = re.compile(
    rf"[\s,.;:]*{_CORRECTION_WORD}\b(?:[\s,.;:]*(?:{_CORRECTION_WORD}|it\s+(?:was|is)|it'?s|"
    rf"(?:s?he|they)\s+(?:said|says)|(?:um|uh))\b)*[\s,.;:]*{_ARTICLE}",
    re.IGNORECASE,
)


def _corrected(text: str, values: list[Value]) -> list[Value]:
    """The values with each one taken back at once left out: the value that corrects it
    takes its timing when it has none of its own (or the same)."""
    kept: list[Value] = []
    for value in values:
        last = kept[-1] if kept else None
        if (
            last is not None
            and value.timing in ("unknown", last.timing)
            and _CORRECTED.fullmatch(text, last.end, value.start)
        ):
            kept[-1] = replace(value, timing=last.timing)
        else:
            kept.append(value)
    return kept


def _value_end(text: str, end: int) -> int:
    scale = re.match(_SCALE, text[end:], re.IGNORECASE)
    return end + scale.end() if scale else end


def _is_pain_transition(text: str, match: re.Match[str]) -> bool:
    """ "pain went from 7 to 3" but not "3 to 4 times a week"."""
    before = text[max(0, match.start() - 40) : match.start()].lower()
    after = text[match.end() : match.end() + 12].lower()
    if re.match(
        r"\s*(?:times|days|weeks|months|years|sessions|visits|minutes|needles|mm|degrees|°)", after
    ):
        return False
    return bool(
        re.search(
            r"\b(?:pain|nprs|nrs|vas|rated|rating|discomfort|soreness|headaches?|from)\b", before
        )
    )
