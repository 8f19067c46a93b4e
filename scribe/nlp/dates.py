"""Dates that place a line on another day than the note's own.

A note's header names its date of service ("DOS 02/18/2026", "Date: 03/19/2026"). A procedure
line that carries a date of another day ("TDN performed 02/11 to R ECRB", a needling log row
"01/22  fibularis longus  LTR") speaks of that day, not of today. Only dates written as dates
count: a year, a zero-padded part ("02/11"), a date word before it ("on 10/3"), or a day past
the tenth leading a line ("10/13 DN R ECRB"); "5/10" (a pain score) and "4/5" (a strength
grade) are not dates. Without a date of service nothing is
decided here.

Reads: the note's text and sentences; the labels in ``lexicons/statements.yaml``
(``service_date_label``, ``not_a_visit_date_label``). Writes nothing: pure functions for
``events.py``.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc, Span

from scribe.nlp.extensions import doc_text

# month/day[/year] or year-month-day; what the date says is checked by the calendar
_DATE = re.compile(
    r"(?<![\w/.-])(?:(?P<year1>(?:19|20)\d\d)-(?P<month1>\d\d?)-(?P<day1>\d\d?)"
    r"|(?P<month>\d\d?)/(?P<day>\d\d?)(?:/(?P<year>\d\d(?:\d\d)?))?)(?![\w/-])"
)
_DATE_WORD = re.compile(r"\b(?:on|dated?|dos|from|since|visit)\s*[:(]?\s*$", re.IGNORECASE)

# only a row's bullet, pipe or indent before the date on its line
_LINE_START = re.compile(r"[ \t|*•-]*")

Day = tuple[int, int]  # month, day


def _day(match: re.Match[str], before: str, lead: str) -> Day | None:
    """The month and day of a date match, or None when it is not written as a date."""
    if match.group("year1"):
        month, day, written = int(match.group("month1")), int(match.group("day1")), True
    else:
        raw_month, raw_day = match.group("month"), match.group("day")
        month, day = int(raw_month), int(raw_day)
        padded = raw_month.startswith("0") or raw_day.startswith("0")
        written = bool(match.group("year")) or padded or bool(_DATE_WORD.search(before))
        # a log row led by its day ("10/13 DN R ECRB"): no score is out of more than ten
        written = written or (day > 10 and bool(_LINE_START.fullmatch(lead)))
    if not written:
        return None
    try:
        dt.date(2000, month, day)  # a leap year: 02/29 is a day
    except ValueError:
        return None
    return month, day


def days_in(text: str) -> list[tuple[Day, int, int]]:
    """The dates written in ``text``: (month, day), start and end character."""
    found = []
    for match in _DATE.finditer(text):
        lead = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        day = _day(match, text[max(0, match.start() - 12) : match.start()], lead)
        if day is not None:
            found.append((day, match.start(), match.end()))
    return found


class NoteDates:
    """The date of service of a note and the dates of its lines."""

    def __init__(self, service_labels: list[str], other_labels: list[str]) -> None:
        self._service = re.compile("|".join(f"(?:{p})" for p in service_labels) or "$^", re.I)
        # the label may stand a few words before its date: "consent on file 11/05/26"
        self._not_a_visit = re.compile(
            "(?:" + "|".join(f"(?:{p})" for p in other_labels) + r")[^.;:\n/]{0,16}$"
            if other_labels
            else "$^",
            re.I,
        )

    def service_day(self, doc: Doc) -> Day | None:
        """The first date written right after a date-of-service label, once per doc."""
        key = "scribe_service_day"
        if key in doc.user_data:
            cached: Day | None = doc.user_data[key]
            return cached
        text = doc_text(doc)
        day = None
        for label in self._service.finditer(text):
            # (the words of the label's own phrase: not "RE-EVALUATION (Visit 8)  DOS: ...")
            before = _PHRASE_BREAK.split(text[max(0, label.start() - 24) : label.start()])[-1]
            if self._not_a_visit.search(before):
                continue  # "Onset date: 01/02/2026", "Next visit date: ..."
            dates = days_in(text[label.end() : label.end() + 24])
            if dates and dates[0][1] <= 4:
                day = dates[0][0]
                break
        doc.user_data[key] = day
        return day

    def another_day(self, doc: Doc, sent: Span, words: Span) -> tuple[int, int] | None:
        """The character span of a date of another day than the service in ``sent``, the
        sentence of the procedure ``words``, when the sentence names no date of the service
        day; a date in brackets that do not hold the words ("TDN to R ECRB (see note of
        02/11)") dates something else."""
        service = self.service_day(doc)
        if service is None:
            return None
        text = doc_text(doc)
        start = sent.start_char
        other = None
        for day, a, b in days_in(text[start : sent.end_char]):
            a, b = start + a, start + b
            if self._not_a_visit.search(text[max(0, a - 40) : a]):
                continue  # "DOB 07/07/1977", "consent on file 11/05/26"
            if day == service:
                return None
            if _bracketed_apart(text, start, a, words):
                continue
            other = other or (a, b)
        return other

    def line_of_another_day(self, doc: Doc, words: Span) -> tuple[int, int] | None:
        """The character span of a date of another day than the service on the line of
        ``words`` (a row of a needling log: "| 10/02/2026 | R UT, R SCM |"), when the line
        names no date of the service day and the note has one; a date in brackets that do
        not hold the words dates something else."""
        service = self.service_day(doc)
        if service is None:
            return None
        text = doc_text(doc)
        start = text.rfind("\n", 0, words.start_char) + 1
        dates = self._line_dates(doc, words.start_char)
        if any(day == service for day, _, _ in dates):
            return None
        dates = [d for d in dates if not _bracketed_apart(text, start, d[1], words)]
        return (dates[0][1], dates[0][2]) if dates else None

    def document_of_another_day(self, doc: Doc, at: int) -> tuple[int, int] | None:
        """An export of several notes ("[Document 2 of 2]  Daily Note   DOS: 02/27/2026"): the
        character span of the date of service of the later note that holds character ``at``,
        when that date is not the first note's. A note opens at a line that a date-of-service
        label begins, with only a title before it on the line (capitalised words, brackets,
        numbers: not "last visit DOS 02/27"), and runs to the next such line."""
        service = self.service_day(doc)
        if service is None:
            return None
        key = "scribe_other_documents"
        blocks: list[tuple[int, int, tuple[int, int] | None]] | None = doc.user_data.get(key)
        if blocks is None:
            blocks = self._documents(doc_text(doc), service)
            doc.user_data[key] = blocks
        for start, end, dated in blocks:
            if start <= at < end:
                return dated
        return None

    def _documents(self, text: str, service: Day) -> list[tuple[int, int, tuple[int, int] | None]]:
        """(start, end, date span of another day or None) of each note a heading line opens."""
        heads: list[tuple[int, tuple[int, int] | None]] = []
        for label in self._service.finditer(text):
            line_start = text.rfind("\n", 0, label.start()) + 1
            if not _TITLE_BEFORE.fullmatch(text, line_start, label.start()):
                continue
            dates = days_in(text[label.end() : label.end() + 24])
            if not dates or dates[0][1] > 4:
                continue
            day, a, b = dates[0]
            other = None if day == service else (label.end() + a, label.end() + b)
            if heads and heads[-1][0] == line_start:
                continue
            heads.append((line_start, other))
        if len(heads) < 2:
            return []
        ends = [start for start, _ in heads[1:]] + [len(text)]
        return [(start, end, other) for (start, other), end in zip(heads, ends, strict=True)]

    def line_is_dated(self, doc: Doc, at: int) -> bool:
        """Whether the line holding character ``at`` names a date of a visit."""
        return self.service_day(doc) is not None and bool(self._line_dates(doc, at))

    def _line_dates(self, doc: Doc, at: int) -> list[tuple[Day, int, int]]:
        text = doc_text(doc)
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        return [
            (day, start + a, start + b)
            for day, a, b in days_in(text[start:end])
            if not self._not_a_visit.search(text[max(0, start + a - 40) : start + a])
        ]


_PHRASE_BREAK = re.compile(r"[()\[\]:;|,\n]")
# what may stand before a date-of-service label on the line that opens a note of an export:
# a title ("[Document 2 of 2]  Daily Note   ", "=== VISIT 3 ===  ")
_TITLE_BEFORE = re.compile(r"(?:[\s\[\]()#=*|:.,/-]|\d+|[A-Z][A-Za-z]*|of)*")


def _bracketed_apart(text: str, start: int, at: int, words: Span) -> bool:
    """Whether position ``at`` is inside brackets, opened after ``start``, that do not also
    hold ``words``."""
    opened = text.rfind("(", start, at)
    if opened == -1 or text.find(")", opened, at) != -1:
        return False
    return not opened < words.start_char < at
