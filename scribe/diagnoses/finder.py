"""Where a note states a diagnosis: named conditions, pains by body site, written codes.

Three kinds of words, all from ``lexicons/diagnoses.yaml``:

- the phrases and abbreviations of named conditions ("cervicogenic HA", "TMD", "sciatica");
- a pain word with the sites, sides and modifiers around it, read as one statement ("R-sided
  neck pain", "neck/shoulder pain R>L", "pain in the left hip", "myofascial pain, cervicothoracic
  region"); each site with a concept of pain gives one mention; a myofascial word makes the
  whole statement one myalgia, placed by its sites (or by the sites and muscles of its
  sentence);
- ICD-10-CM codes written in the note ("Dx: M54.2 Cervicalgia").

Sides come from the laterality lexicon through :class:`LateralityTagger`. Offsets here are
token offsets of the doc; the note builder turns them into characters of the dictation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from scribe.lexicons import Lexicons
from scribe.nlp.extensions import doc_lower, doc_text, sentence_index, sentences, target_spans
from scribe.nlp.laterality import LateralityTagger
from scribe.nlp.side_cues import SideCue
from scribe.schemas.diagnoses import DiagnosisLexicon, Region

_WINDOW = 25  # tokens of a myalgia's sentence searched for its region


@dataclass(frozen=True)
class _Site:
    id: str
    start: int
    end: int


@dataclass
class Found:
    """A diagnosis stated at tokens [start, end)."""

    concept: str | None
    start: int
    end: int
    side: str = "unspecified"
    side_cue: tuple[int, int] | None = None  # token offsets
    regions: frozenset[Region] = frozenset()
    written_code: str | None = None
    status: str = "current"
    status_cue: tuple[int, int] | None = None  # token offsets
    # the words ConText reads as the diagnosis: a written code with its description
    # ("Lumbar spondylosis without myelopathy (M47.816)": "without" describes, negates nothing)
    context: tuple[int, int] | None = None


def _side_of(cues: list[SideCue]) -> tuple[str, tuple[int, int] | None]:
    sides = {c.side for c in cues}
    if not cues:
        return "unspecified", None
    side = "bilateral" if "bilateral" in sides or {"right", "left"} <= sides else cues[0].side
    return side, (cues[0].start, cues[-1].end)


class DiagnosisFinder:
    """Finds the diagnoses of a doc (see the module docstring)."""

    def __init__(self, nlp: Language, lexicon: DiagnosisLexicon, lexicons: Lexicons) -> None:
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._abbreviations = PhraseMatcher(nlp.vocab, attr="ORTH")
        for concept in lexicon.concepts:
            if concept.phrases:
                self._phrases.add(concept.id, [nlp.make_doc(p.lower()) for p in concept.phrases])
            if concept.abbreviations:
                self._abbreviations.add(
                    concept.id, [nlp.make_doc(a) for a in concept.abbreviations]
                )
        self._sites = PhraseMatcher(nlp.vocab, attr="LOWER")
        for site in lexicon.sites:
            self._sites.add(site.id, [nlp.make_doc(w.lower()) for w in site.words])
        self._site = {s.id: s for s in lexicon.sites}
        grammar = lexicon.grammar
        self._myo_nouns = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._myo_nouns.add("myo", [nlp.make_doc(w.lower()) for w in grammar.myofascial_nouns])
        self._nouns = frozenset(w.lower() for w in grammar.nouns)
        self._myofascial = frozenset(w.lower() for w in grammar.myofascial)
        self._modifiers = frozenset(w.lower() for w in grammar.modifiers)
        self._joiners = frozenset(w.lower() for w in grammar.joiners)
        self._prepositions = frozenset(w.lower() for w in grammar.prepositions)
        self._determiners = frozenset(w.lower() for w in grammar.determiners)
        self._referral = frozenset(w.lower() for w in grammar.referral)
        self._after_max = grammar.after_max
        self._myalgia = grammar.myalgia
        self._sides = LateralityTagger(nlp, lexicons.laterality, [])
        self._written = re.compile(lexicon.written_code_pattern)
        self._concept_of_code = {c.code: k.id for k in lexicon.concepts for c in k.codes}
        self._muscle_regions = lexicon.muscle_regions
        self._lexicons = lexicons

    # --- the doc ---------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> list[Found]:
        sites: dict[int, _Site] = {}
        for span in filter_spans(
            [Span(doc, s, e, label=m) for m, s, e in self._sites(doc, as_spans=False)]
        ):
            for i in range(span.start, span.end):
                sites[i] = _Site(span.label_, span.start, span.end)
        cues: dict[int, SideCue] = {}
        for cue in self._sides.cues(doc):
            for i in range(cue.start, cue.end):
                cues[i] = cue
        myo_nouns = {s: e for _, s, e in self._myo_nouns(doc)}
        bounds = [(s.start, s.end) for s in sentences(doc)]
        index = sentence_index(doc)
        named = [Span(doc, s, e, label=m) for m, s, e in self._phrases(doc)]
        named += [Span(doc, s, e, label=m) for m, s, e in self._abbreviations(doc)]
        named = filter_spans(named)
        found: list[Found] = []
        for span in named:
            bound = bounds[index[span.start]]
            item = self._named(doc, span, span.label_, cues, bound)
            if item.concept == self._myalgia:
                item = self._placed(doc, item, sites, cues, bound, myo_nouns)
            found.append(item)
        covered = {i for s in named for i in range(s.start, s.end)}
        heads = [(i, i + 1) for i, word in enumerate(doc_lower(doc)) if word in self._nouns]
        heads += sorted(myo_nouns.items())
        for start, end in heads:
            if start in covered:
                continue  # "myofascial pain syndrome", "jaw ache": the named condition
            bound = bounds[index[start]]
            found += self._statement(doc, start, end, sites, cues, bound, myo_nouns)
        found += self._written_codes(doc)
        return sorted(found, key=lambda f: (f.start, f.end))

    # --- named conditions -------------------------------------------------------------------
    def _named(
        self,
        doc: Doc,
        span: Span,
        concept: str,
        cues: dict[int, SideCue],
        bound: tuple[int, int],
    ) -> Found:
        """A side right before ("L sciatica", "R-sided GTPS") or after ("sciatica, left
        side", "lateral epicondylitis, right elbow") the condition's words."""
        near: list[SideCue] = []
        i = span.start - 1
        while i >= bound[0] and span.start - i <= 3:
            if i in cues:
                near.append(cues[i])
                break
            if doc[i].lower_ not in self._modifiers:
                break
            i -= 1
        i = span.end
        while not near and i < bound[1] and i - span.end < 3:
            if i in cues:
                near.append(cues[i])
                break
            if doc[i].lower_ not in self._modifiers | self._joiners | self._prepositions:
                break
            i += 1
        side, cue = _side_of(near)
        return Found(concept, span.start, span.end, side=side, side_cue=cue)

    # --- a pain word and the words around it ------------------------------------------------
    def _left(
        self, doc: Doc, start: int, sites: dict[int, _Site], cues: dict[int, SideCue], low: int
    ) -> tuple[int, list[object], bool]:
        items: list[object] = []
        myofascial = False
        first = start
        i = start - 1
        while i >= low:
            word = doc[i].lower_
            if i in sites:
                site = sites[i]
                items.append(site)
                first = i = site.start
            elif i in cues:
                items.append(cues[i])
                first = i = cues[i].start
            elif word in self._myofascial:
                myofascial = True
                first = i
            elif word not in self._modifiers and word not in self._joiners:
                break
            i -= 1
        items.reverse()
        return first, items, myofascial

    def _right(
        self,
        doc: Doc,
        end: int,
        sites: dict[int, _Site],
        cues: dict[int, SideCue],
        high: int,
        *,
        myofascial: bool,
        myo_nouns: dict[int, int],
    ) -> tuple[int, list[object]]:
        """Sides after the pain word ("LBP R>L"), and sites after a preposition ("pain in
        the R hip") or, for a myalgia, after a comma or a side ("MPS, cervicothoracic")."""
        items: list[object] = []
        last = end
        prepositioned = False
        i = end
        while i < high and i - end < self._after_max:
            word = doc[i].lower_
            if myofascial and i in myo_nouns:
                last = i = myo_nouns[i]
                continue
            if i in cues:
                items.append(cues[i])
                last = i = cues[i].end
                continue
            site = sites.get(i)
            if site is not None and (prepositioned or myofascial or self._site[site.id].follows):
                items.append(sites[i])
                last = i = sites[i].end
                continue
            named_site = any(isinstance(x, _Site) for x in items)
            if word in self._prepositions and not prepositioned:
                prepositioned = True
            elif word in self._joiners and not (named_site or (myofascial and word == ",")):
                break  # "myofascial pain and hip weakness": "and" joins sites, not clauses
            elif word not in self._determiners | self._joiners | self._modifiers:
                break
            i += 1
        return last, items

    def _statement(
        self,
        doc: Doc,
        start: int,
        end: int,
        sites: dict[int, _Site],
        cues: dict[int, SideCue],
        bound: tuple[int, int],
        myo_nouns: dict[int, int],
    ) -> list[Found]:
        first, before, myofascial = self._left(doc, start, sites, cues, bound[0])
        if first > bound[0] and doc[first - 1].lower_ in self._referral:
            return []  # "referred pain to the temple": a trigger point finding
        if (end - start > 1 or doc[start].lower_ not in self._nouns) and not myofascial:
            return []  # "syndrome", "trigger points" alone are no diagnosis
        last, after = self._right(
            doc, end, sites, cues, bound[1], myofascial=myofascial, myo_nouns=myo_nouns
        )
        if myofascial:
            item = Found(self._myalgia, first, last)
            regions = {r for s in [*before, *after] if isinstance(s, _Site)
                       for r in self._site[s.id].regions}  # fmt: skip
            if regions:
                item.regions = frozenset(regions)
                return [item]
            return [self._placed(doc, item, sites, cues, bound, myo_nouns)]
        return self._site_pains(first, end, before, after)

    def _site_pains(
        self, first: int, end: int, before: list[object], after: list[object]
    ) -> list[Found]:
        """One mention per site that has a concept of pain, with the side said for it: sides
        carry forward along the statement; sides after the pain word apply to sites with none."""
        trailing = [c for c in after if isinstance(c, SideCue)]
        found: list[Found] = []
        current: SideCue | None = None
        for item in [*before, *after]:
            if isinstance(item, SideCue):
                current = item
                continue
            if not isinstance(item, _Site) or self._site[item.id].pain is None:
                continue
            side, cue = _side_of([current] if current is not None else trailing)
            if item.start < end:  # "R neck and shoulder pain": from its side word to the pain
                start = cue[0] if cue and first <= cue[0] < item.start else item.start
                found.append(Found(self._site[item.id].pain, start, end, side, cue))
            else:  # "pain in the left hip": from the pain word to the site
                found.append(Found(self._site[item.id].pain, first, item.end, side, cue))
        return found

    def _placed(
        self,
        doc: Doc,
        item: Found,
        sites: dict[int, _Site],
        cues: dict[int, SideCue],
        bound: tuple[int, int],
        myo_nouns: dict[int, int],
    ) -> Found:
        """A myalgia's region: the sites after it, else the sites and muscles named near it
        in its sentence ("Myofascial pain of the R gluteus maximus", "Hip flexor myofascial
        pain")."""
        last, after = self._right(
            doc, item.end, sites, cues, bound[1], myofascial=True, myo_nouns=myo_nouns
        )
        regions = {r for s in after if isinstance(s, _Site) for r in self._site[s.id].regions}
        if regions:
            item.end = last
        else:
            low, high = max(bound[0], item.start - _WINDOW), min(bound[1], item.end + _WINDOW)
            for i in range(low, high):
                if i in sites and sites[i].start == i:
                    regions.update(self._site[sites[i].id].regions)
            for span in target_spans(doc):
                if span.label_ == "MUSCLE" and low <= span.start < high:
                    muscle = self._lexicons.muscle_by_id.get(span._.entry_id or "")
                    if muscle is not None:
                        region = self._muscle_regions.get(
                            muscle.group, self._muscle_regions.get(muscle.region)
                        )
                        if region is not None:
                            regions.add(region)
        item.regions = frozenset(regions)
        return item

    # --- written codes ---------------------------------------------------------------------
    def _written_codes(self, doc: Doc) -> list[Found]:
        from scribe.diagnoses import icd

        found = []
        for match in self._written.finditer(doc_text(doc)):
            code = match.group(0).upper()
            if not icd.exists(code):
                continue  # not an ICD-10-CM code at all
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None:
                continue
            concept = self._concept_of_code.get(code)
            item = Found(concept, span.start, span.end, written_code=code)
            item.context = _item_of(doc, span)
            found.append(item)
        return found


_ITEM_ENDS = frozenset({";", ":", "|"})


def _item_of(doc: Doc, span: Span) -> tuple[int, int]:
    """The list item a written code belongs to: from the line start or the last ";", ":" or
    "|" before it to the next one or the line end ("Dx: M54.2 Cervicalgia; M79.18 ...")."""
    start = span.start
    while start > 0 and doc[start - 1].text not in _ITEM_ENDS and "\n" not in doc[start - 1].text:
        start -= 1
    end = span.end
    while end < len(doc) and doc[end].text not in _ITEM_ENDS and "\n" not in doc[end].text:
        end += 1
    return start, end
