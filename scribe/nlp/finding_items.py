"""Trigger-point findings as items of the rationale: which muscle each belongs to, where a
referral goes, and "trigger point" words that name the procedure rather than a finding
(DOMAIN.md section 8). Read by ``scribe.nlp.rationale`` sentence by sentence."""

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from scribe.nlp.extensions import doc_text, span_text

CharSpan = tuple[int, int]

_BARE_REFERRAL = re.compile(r"^(?:refer\w*|radiat\w*)$", re.IGNORECASE)
# "referred right up into her temples": an adverb may stand before the direction
_REFERRAL_ADVERB = r"(?:(?:right|straight|all\s+the\s+way|directly)\s+)?"
_REFERRAL_TARGET = re.compile(
    r"^\s*(?:(?:the\s+|his\s+|her\s+|their\s+)?(?:pain|symptoms)\s+|pattern\s+)?"
    + _REFERRAL_ADVERB
    + r"(?:(?:in)?to(?:wards?)?|in|toward|over|across|around|→|->|-->|=>|"
    r"down(?:\s+(?:in)?to|\s+the)?|(?:up|out|back)(?:\s+(?:in)?to)?)\s+(?:the\s+|his\s+|her\s+|their\s+)?"
    r"(?P<target>[a-z][a-z /'-]{1,40}?)(?=\s*(?:[,.;:)]|\band\b|\bwith\b|\bupon\b|\bduring\b|"
    r"\bwhen\b|\bconsistent\b|\bon\b|\bthat\b|\bwhich\b|\bbut\b|\bso\b|\bno\b|\bwhere\b|\||$))",
    re.IGNORECASE,
)
_REFERRAL_DIRECTION = re.compile(
    r"^\s*(?:(?:the\s+|his\s+|her\s+|their\s+)?pain\s+)?"
    + _REFERRAL_ADVERB
    + r"(?:(?:into|to|down|along|over|toward|towards|up|across|around|"
    r"out\s+(?:in)?to|back\s+(?:in)?to)\b"
    # an arrow for the direction, in shorthand: "L piriformis refers → post thigh"
    r"|(?:→|->|-->|=>)\s*[a-z])",
    re.IGNORECASE,
)
_TIE_GAP = frozenset(
    [
        *"in at of within over to the a his her their r l right left b bilateral bilat b/l".split(),
        *[":", "-", "(", ")", ","],
    ]
)


# words between a muscle and the finding said after it: "R UT w/ taut band", "the medial head
# had its own trigger point", "the soleus has a separate one"
_OWN_FINDING_GAP = frozenset(
    "w/ with has had shows showed its own separate distinct another".split()
)


def tied_muscles(doc: Doc, finding: Span, muscles: list[Span]) -> list[Span]:
    """The muscle a finding belongs to: the only one in its sentence, or the one right next
    to it ("taut band in the R UT", "R UT: taut band"). A finding said once for a list is
    shared, not each muscle's own."""
    if len({m._.entry_id for m in muscles}) <= 1:
        return muscles
    after = [m for m in muscles if m.start >= finding.end and m.start - finding.end <= 4]
    for muscle in after:
        if all(t.lower_ in _TIE_GAP for t in doc[finding.end : muscle.start]):
            return [muscle]
    before = [m for m in muscles if m.end <= finding.start and finding.start - m.end <= 3]
    for muscle in reversed(before):
        gap = doc[muscle.end : finding.start]
        if all(t.lower_ in _TIE_GAP | _OWN_FINDING_GAP for t in gap):
            return [muscle]
    return []


# the procedure a "trigger point" names, not a finding: "trigger point injections", "trigger
# point dry needling"
_PROCEDURE_AFTER = re.compile(
    r"[ \t-]*(?:injections?|inj\b|dry[ \t-]+needl\w*|needl\w*|dn\b|tdn\b"
    # the method's name, not a trigger point found: "Western trigger point approach",
    # "a trigger point technique", "trigger point certification"
    r"|(?:approach|technique|method|model|theory|concept|certification|course|training)\b)",
    re.IGNORECASE,
)


@dataclass
class FindingItem:
    span: Span
    kind: str
    negated: bool
    muscles: list[Span]
    referral_target: CharSpan | None


class FindingReader:
    """Findings of one sentence. ``not_referral``: words around a referral word that make it
    no referral; ``pain_recognised``: the patient recognising the pain as their own."""

    def __init__(self, not_referral: re.Pattern[str], pain_recognised: re.Pattern[str]) -> None:
        self._not_referral = not_referral
        self._pain_recognised = pain_recognised

    def recognised(
        self, doc: Doc, sent: Span, targets: list[Span], found: list[FindingItem]
    ) -> FindingItem | None:
        """ "... the serratus anterior, and she said that's her rib pain": the patient
        recognising the pain as their own, in a sentence that names a muscle or a trigger
        point finding, is symptom reproduction (unless a word of the lexicon found it)."""
        if not any(t.label_ in ("MUSCLE", "FINDING") for t in targets):
            return None
        if any(f.kind == "symptom_reproduction" and f.span.sent == sent for f in found):
            return None
        match = self._pain_recognised.search(span_text(sent))
        if match is None:
            return None
        words = doc.char_span(
            sent.start_char + match.start(), sent.start_char + match.end(), alignment_mode="expand"
        )
        if words is None:
            return None
        muscles = [t for t in targets if t.label_ == "MUSCLE"]
        return FindingItem(
            words, "symptom_reproduction", False, tied_muscles(doc, words, muscles), None
        )

    def finding(self, doc: Doc, sent: Span, span: Span, muscles: list[Span]) -> FindingItem | None:
        """The finding a FINDING span names in its sentence, or None where its words name the
        procedure or a referral word goes nowhere."""
        kind = span._.entry_id
        if kind == "trigger_point" and _PROCEDURE_AFTER.match(doc_text(doc), span.end_char):
            # "trigger point injection", "trigger point dry needling": the procedure (or its
            # method: "trigger point approach")
            return None
        referral = None
        if kind == "referred_pain":
            target = _REFERRAL_TARGET.match(doc_text(doc)[span.end_char : sent.end_char])
            if target:
                referral = (
                    span.end_char + target.start("target"),
                    span.end_char + target.end("target"),
                )
            window = doc_text(doc)[max(sent.start_char, span.start_char - 20) : span.end_char + 40]
            if self._not_referral.search(window):
                return None
            if _BARE_REFERRAL.match(span.text) and referral is None:
                following = doc_text(doc)[span.end_char : span.end_char + 16]
                if not _REFERRAL_DIRECTION.match(following):
                    return None
        return FindingItem(
            span, kind, span._.status == "negated", tied_muscles(doc, span, muscles), referral
        )
