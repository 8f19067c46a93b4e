"""Note sections and the kind of document, from the headings in ``lexicons/sections.yaml``.

A data-driven section detector in the manner of medspaCy's Sectionizer (the same rule format:
a literal and its category), built on one spaCy PhraseMatcher: a heading counts at the start
of a line, with its colon ("Plan:") or alone on its line ("PLAN"). Every sentence then knows
the section it is in, and the note knows whether it is a clinical note or an operative,
imaging, electrodiagnostic or discharge report. ``events.py`` reads both: a procedure under
"History:" was done before, one under "Plan:" is to come, and the muscles listed under "Dry
needling:" are the ones needled. (medspaCy's Sectionizer also writes a section on every token,
which cost a tenth of the whole extraction; nothing here needs that.)

Reads: sentences. Writes: ``doc._.note_sections``, ``doc._.document_kind``.
"""

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from scribe.lexicons import load_lexicons
from scribe.nlp.extensions import doc_text, register_extensions, sentences
from scribe.schemas.lexicon import SectionLexicon


def indent(line: str) -> int:
    """The spaces and tabs a line begins with."""
    return len(line) - len(line.lstrip(" \t"))


@dataclass(frozen=True)
class NoteSection:
    """A heading and the lines it heads (token offsets)."""

    category: str
    title_start: int
    body_start: int
    body_end: int
    single_line: bool = False
    # text an EHR copied from an earlier visit (history whose numbers are that visit's)
    carried: bool = False


# a procedure code in a line ("20552 - TPI"): a billing line, never a title
_CODE = re.compile(r"\b\d{5}\b")
# a banner line: "---- copied forward from 08/28/2030 ----", "=== end copied text ==="
_BANNER = re.compile(r"^\s*(?:[-=*#~_<>\[]\s*){2,}")
# a heading in capitals on its own line, a note in brackets after it: "PREVIOUS VISIT SUMMARY
# (copied forward from 03/11/2025 - not editable)"
_CAPS_HEADING = re.compile(r"^\s*[A-Z][A-Z/&'-]+(?:\s+[A-Z][A-Z/&'-]*)+\s*(?:\([^)\n]*\))?\s*$")


# a line that opens with the label of a field about today's care: "Scheduled procedure:",
# "Interim treatment (patient request; verbal consent documented):", "Consent:", "Injectate
# (per site):" (not a field of the history or exam itself: "Pain: current 6/10, best 3/10")
_LABEL_LINE = re.compile(
    r"\n[ \t]*(?=[A-Z])(?:[A-Za-z]+[ /-]){0,3}"
    r"(?i:procedures?|treatments?|interventions?|status|performed|today|consent|prep|injectates?"
    r"|technique)"
    r"(?:[ /-][A-Za-z]+){0,2}(?:\s*\([^)\n]{0,60}\))?:"
)
# the sections written as fields of one paragraph in a visit note
_FIELDS = frozenset({"history", "exam"})

# marks that open an item of a bulleted note: "• Exam: TrPs in ...", "- Plan: ..."
_BULLETS = frozenset({"-", "*", "•", "·", "–", "—", ">", "+", "▪", "◦", "‣", "●", "○"})


def _starts_line(doc: Doc, i: int) -> bool:
    """Token ``i`` opens its line, or follows only the bullet that does."""
    if i > 0 and doc[i - 1].text in _BULLETS and _opens_line(doc, i - 1):
        return True
    return _opens_line(doc, i)


def _opens_line(doc: Doc, i: int) -> bool:
    return i == 0 or (doc[i - 1].is_space and "\n" in doc[i - 1].text)


def _ends_line(doc: Doc, i: int) -> bool:
    return i >= len(doc) or (doc[i].is_space and "\n" in doc[i].text)


def _ends_heading_line(doc: Doc, i: int) -> bool:
    """The line ends here, or after a note in brackets: "PLAN OF CARE (recertification
    02/19 - 04/02)"."""
    if _ends_line(doc, i):
        return True
    if doc[i].text != "(":
        return False
    rest = doc_text(doc)[doc[i].idx :].split("\n", 1)[0].rstrip()
    return rest.endswith(")") and rest.count("(") == 1


class SectionTagger:
    def __init__(self, nlp: Language, lexicon: SectionLexicon) -> None:
        self._with_colon = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._alone = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._endings: dict[str, str] = {}  # heading words -> key, for titles ending in them
        for spec in lexicon.rules:
            key = f"{spec.category}|single" if spec.single_line else spec.category
            self._with_colon.add(key, [nlp.make_doc(spec.literal.lower())])
            words = spec.literal.rstrip(":").strip().lower()
            if spec.literal.endswith(":") and len(words) > 2:
                self._alone.add(key, [nlp.make_doc(words)])
                if not spec.single_line:
                    self._endings[" ".join(words.split())] = key
        self._kinds = lexicon.document_kinds
        self._within = lexicon.within_procedure
        self._plan = lexicon.within_plan
        self._titles = [
            (re.compile(rf"\b{re.escape(name)}\b", re.I), category)
            for category, names in lexicon.procedure_titles.items()
            for name in sorted(names, key=len, reverse=True)
        ]
        carried = lexicon.carried_forward
        self._carried_opens = [re.compile(p) for p in carried.opens] if carried else []
        self._carried_closes = [re.compile(p) for p in carried.closes] if carried else []
        self._carried_words = carried.max_words if carried else 0
        self._not_titles = re.compile(
            "|".join(rf"\b{re.escape(w)}\b" for w in lexicon.not_procedure_titles) or "$^", re.I
        )

    @staticmethod
    def _capital_lines(doc: Doc) -> Iterator[tuple[re.Match[str], str]]:
        """Each line in capitals of at most eight words (before any bracket) with no procedure
        code in them ("20552 - TPI (R QL)" under "CODING" is a code line, no title), and those
        words."""
        for line in re.finditer(r"[^\n]+", doc_text(doc)):
            # "PROCEDURE 2 - DRY NEEDLING (different muscles; no injectate)"
            words = line.group(0).split("(")[0].strip()
            if words != words.upper() or words == words.lower():
                continue  # not in capitals (or no letters at all)
            if len(words.split()) > 8 or _CODE.search(words):
                continue
            yield line, words

    def _title_lines(self, doc: Doc) -> list[tuple[int, int, str]]:  # start, end, category
        """ "PROCEDURE 2 - DRY NEEDLING": a line in capitals that names a procedure (and nothing
        said about it) heads that procedure's section."""
        found: list[tuple[int, int, str]] = []
        for line, words in self._capital_lines(doc):
            if self._not_titles.search(words) or words.endswith(":"):
                continue
            category = next((c for pattern, c in self._titles if pattern.search(words)), None)
            span = doc.char_span(line.start(), line.end(), alignment_mode="expand")
            if category is not None and span is not None:
                found.append((span.start, span.end, category))
        return found

    def _titles_ending_in_a_heading(self, doc: Doc) -> list[tuple[int, int, str]]:
        """ "SUMMARY OF PRIOR VISITS", "UPDATED PLAN OF CARE": a title in capitals, alone on
        its line, whose last words are a heading's, is that heading (not when the words before
        them name a title about it: ``not_procedure_titles``)."""
        found: list[tuple[int, int, str]] = []
        for line, title in self._capital_lines(doc):
            words = title.rstrip(":").split()
            if len(words) < 2:
                continue
            # the longest ending that is a heading, unless the words before it say the title
            # is about it ("PATIENT EDUCATION - DRY NEEDLING")
            key = next(
                (
                    self._endings[ending]
                    for k in range(1, len(words))
                    if (ending := " ".join(words[k:]).lower()) in self._endings
                    and not self._not_titles.search(" ".join(words[:k]))
                ),
                None,
            )
            span = doc.char_span(line.start(), line.end(), alignment_mode="expand")
            if key is not None and span is not None:
                found.append((span.start, span.end, key))
        return found

    def _carried_blocks(self, doc: Doc) -> list[tuple[int, int, int, bool]]:
        """(title start, title end, body end, whole) of each block copied from an earlier
        visit: a heading line ("Last visit (05/02) - copied forward:") or banner ("----
        copied forward from 08/28 ----") that says so, to the first blank line or closing line
        after it, to the next heading, or where the indented lines under it end. A banner
        answered by a closing banner ("---- end copied text ----") holds everything between
        them (``whole``), headings included."""
        if not self._carried_opens:
            return []
        text = doc_text(doc)
        closes = self._carried_closes
        found: list[tuple[int, int, int, bool]] = []
        for line in re.finditer(r"[^\n]+", text):
            words = line.group(0)
            label, colon, _ = words.partition(":")
            banner = _BANNER.match(words) is not None
            capitals = not colon and _CAPS_HEADING.match(words) is not None
            if not (colon or banner or capitals) or len(label.split()) > self._carried_words:
                continue
            if not any(p.search(label) for p in self._carried_opens):
                continue
            if any(p.search(words) for p in closes):
                continue  # "==== end carried forward ====" closes a block, it opens none
            body_end = len(text)
            # a banner that opens the copy runs to the banner that ends it, blank lines and all
            ends_by_banner = banner and any(
                _BANNER.match(row.group(0)) and any(p.search(row.group(0)) for p in closes)
                for row in re.finditer(r"[^\n]+", text[line.end() :])
            )
            # a copy laid out as an indented block ends where the indentation does
            own_indent = indent(words)
            body_indent: int | None = None
            for later in re.finditer(r"[^\n]*(?:\n|$)", text[line.end() + 1 :]):
                row = later.group(0)
                start = line.end() + 1 + later.start()
                if not row.strip():
                    if ends_by_banner:
                        continue
                    body_end = start
                    break
                if body_indent is None:
                    body_indent = indent(row)
                elif not ends_by_banner and body_indent > own_indent >= indent(row):
                    body_end = start
                    break
                if any(p.search(row) for p in closes):
                    closing_banner = _BANNER.match(row) is not None
                    body_end = start + len(row) if closing_banner else start
                    break
            title = doc.char_span(line.start(), line.end(), alignment_mode="expand")
            if title is None:
                continue
            found.append((title.start, title.end, _token_at(doc, body_end), ends_by_banner))
        return found

    def headings(self, doc: Doc) -> list[tuple[int, int, str]]:
        """(start, end, category) of each heading, in text order, longest first on a tie."""
        found = [
            (start, end, doc.vocab.strings[match_id])
            for match_id, start, end in self._with_colon(doc)
            if _starts_line(doc, start)
        ]
        found += [
            (start, end, doc.vocab.strings[match_id])
            for match_id, start, end in self._alone(doc)
            if _starts_line(doc, start) and _ends_heading_line(doc, end)
        ]
        found += [h for h in self._title_lines(doc) if _starts_line(doc, h[0])]
        found += [h for h in self._titles_ending_in_a_heading(doc) if _starts_line(doc, h[0])]
        found.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        kept: list[tuple[int, int, str]] = []
        for heading in found:
            if not kept or heading[0] >= kept[-1][1]:
                kept.append(heading)
        return kept

    def _procedure_fields(self, sections: list[NoteSection]) -> list[NoteSection]:
        """ "MEDICATIONS:" after "PROCEDURE:" lists the procedure's drugs: a field heading
        inside a procedure is read as part of it (``within_procedure`` in the lexicon)."""
        within = self._within
        if within is None:
            return sections
        out: list[NoteSection] = []
        open_procedure = False
        for section in sections:
            if section.single_line:
                out.append(section)
                continue
            if open_procedure and section.category in within.fields:
                section = replace(section, category="procedure")
            elif section.category in within.procedures:
                open_procedure = True
            elif section.category in within.closed_by:
                open_procedure = False
            out.append(section)
        return out

    def _plan_fields(self, doc: Doc, sections: list[NoteSection]) -> list[NoteSection]:
        """ "Interventions: therex, HEP, TDN to ..." under "PLAN OF CARE" is the plan's: a
        field heading with its text on its line, inside a plan whose heading is alone on its
        line, until the next heading alone on its line (``within_plan`` in the lexicon)."""
        within = self._plan
        if within is None:
            return sections
        fields = {f.rstrip(":").strip() for f in within.fields}
        out: list[NoteSection] = []
        plan: str | None = None  # the category of the plan open now
        for section in sections:
            title = doc[section.title_start : section.body_start].text.strip().rstrip(":")
            if _ends_heading_line(doc, section.body_start):  # a heading alone on its line
                plan = section.category if section.category in within.plans else None
            elif plan is not None and title.lower() in fields:
                section = replace(section, category=plan)
            out.append(section)
        return out

    def __call__(self, doc: Doc) -> Doc:
        carried = self._carried_blocks(doc)
        # headings inside a copied block are the earlier visit's: the block is history
        headings = [
            h for h in self.headings(doc) if not any(a <= h[0] < c for a, _, c, _ in carried)
        ]
        headings += [(start, end, "history|carried") for start, end, _, _ in carried]
        headings.sort(key=lambda h: h[0])
        ends = {start: body_end for start, _, body_end, _ in carried}
        sections = []
        for k, (start, end, key) in enumerate(headings):
            single = key.endswith("|single")
            # a one-line field ends no section: the lines after it go on in the one before
            later = (
                headings[k + 1 :]
                if single
                else [h for h in headings[k + 1 :] if not h[2].endswith("|single")]
            )
            stop = later[0][0] if later else len(doc)
            if start in ends:
                stop = min(stop, ends[start])
            sections.append(
                NoteSection(
                    key.split("|")[0],
                    start,
                    end,
                    stop,
                    single_line=single,
                    carried=key.endswith("|carried"),
                )
            )
        doc._.note_sections = self._plan_fields(doc, self._procedure_fields(sections))
        counts = Counter(s.category for s in sections)
        doc._.document_kind = next(
            (
                rule.kind
                for rule in self._kinds
                if sum(counts[c] for c in rule.categories) >= rule.min_headings
            ),
            "clinical_note",
        )
        return doc


_RULE_LINE = re.compile(r"\n[ \t]*[-=_*]{5,}[ \t]*(?=\n|$)")


def sentence_sections(doc: Doc) -> list[str | None]:
    """The section category of each sentence (of its first word), built once per doc. A heading
    with text on its own line ("Assessment: neck pain.") heads only its paragraph; a one-line
    field ("Indication: active TrPs in the L infraspinatus") only that line."""
    cached: list[str | None] | None = doc.user_data.get("scribe_sentence_sections")
    if cached is not None:
        return cached
    text = doc_text(doc)
    bounds: list[tuple[int, int, int, str]] = []  # title_start, end, body_end, category
    for section in doc._.note_sections or []:
        end = section.body_end
        if section.body_start < len(doc):
            body = doc[section.body_start]
            line_end = text.find("\n", doc[section.title_start].idx)
            if line_end == -1 or body.idx < line_end:
                stop = text.find("\n" if section.single_line else "\n\n", body.idx)
                # a ruled line ends the paragraph too ("S: pain 5/10 ...\n-------\n
                # Intervention | Detail")
                rule = _RULE_LINE.search(text, body.idx)
                if rule is not None and (stop == -1 or rule.start() < stop):
                    stop = rule.start()
                if stop != -1:
                    end = min(end, _token_at(doc, stop))
                # a history or exam field with its text on its line ends where the next
                # field's label about today's care opens a line ("History: last botulinum
                # toxin 03/10.\nScheduled procedure: ...\nInterim treatment (verbal
                # consent):\n  Dry needling, ...")
                label = _LABEL_LINE.search(text, body.idx) if section.category in _FIELDS else None
                if label is not None:
                    end = min(end, _token_at(doc, label.start() + 1))
        bounds.append((section.title_start, end, section.body_end, section.category))
    cached = []
    for sent in sentences(doc):
        # the latest heading whose lines hold the sentence (a one-line field inside a section
        # is later than the section's own heading); a heading line is in the section it opens,
        # from its bullet on ("• Exam: ...")
        start = sent.start
        while start + 1 < sent.end and (doc[start].text in _BULLETS or doc[start].is_space):
            start += 1
        inside = [b for b in bounds if b[0] <= start < b[1]]
        cached.append(inside[-1][3] if inside else None)
    doc.user_data["scribe_sentence_sections"] = cached
    return cached


def carried_sentences(doc: Doc) -> set[int]:
    """The sentences (by number) of the blocks copied from an earlier visit. A label with its
    copy on its own line ("Last DN (03/03, copied forward): R piriformis") holds that line."""
    text = doc_text(doc)
    blocks = []
    for section in doc._.note_sections or []:
        if not section.carried:
            continue
        start = doc[section.title_start].idx if section.title_start < len(doc) else len(text)
        line_end = text.find("\n", start)
        line_end = len(text) if line_end == -1 else line_end
        _, colon, rest = text[start:line_end].partition(":")
        end = section.body_end
        if colon and rest.strip():
            end = min(end, _token_at(doc, line_end))
        blocks.append((section.title_start, end))
    return {
        number
        for number, sent in enumerate(sentences(doc))
        if any(a <= sent.start < b for a, b in blocks)
    }


def _token_at(doc: Doc, char: int) -> int:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None else len(doc)


@Language.factory("scribe_sections", default_config={"lexicon_dir": None})
def make_sections(nlp: Language, name: str, lexicon_dir: str | None) -> SectionTagger:
    register_extensions()
    lexicons = load_lexicons(Path(lexicon_dir) if lexicon_dir else None)
    return SectionTagger(nlp, lexicons.sections)
