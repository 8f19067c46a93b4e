"""Custom spaCy attributes the pipeline sets, registered once per process."""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span

_SPAN_ATTRIBUTES: dict[str, Any] = {
    "entry_id": None,  # lexicon id of the muscle, group, substance or finding kind
    "laterality": "unspecified",
    "laterality_source": "none",
    "side_cue": None,  # (start_char, end_char) of the side words
    "status": None,  # MentionStatus for muscles and groups, substance status for substances
    "status_cue": None,  # (start_char, end_char) of the words that decided the status
    "match": "exact",
    "match_score": 1.0,
    "technique": None,  # "needling" | "injection" for a treated muscle mention
    "binding": None,  # how the mention was tied to its procedure (events.py)
    "event": None,  # index of that procedure in doc._.procedures
    "checkbox": None,  # "checked" | "unchecked": the box in front of the mention
    # (start_char, end_char) of a generic verb that says something was done to a muscle left
    # "mentioned" ("I did the R UT", "worked on"): no procedure the note names reaches it
    "done_cue": None,
}
_DOC_ATTRIBUTES: dict[str, Any] = {
    "injectate": None,
    "rationale": None,
    "mirrors": None,  # [(start_char, end_char, side, [(start_char, end_char) of mirrored names])]
    # a denial of a procedure the note proved done just before: [(start_char, end_char of the
    # denial, [(start_char, end_char) of the names it contradicts])] (withdrawn.py)
    "contradicted": None,
    # words in a list of needled muscles that name no known muscle: [(start_char, end_char)]
    "unread_names": None,
    "document_kind": "clinical_note",  # DocumentKind, from the section headings
    "note_sections": None,  # list[NoteSection], from sections.py
    "procedures": None,  # list[ProcedureEvent], from events.py
}

SOURCE = "scribe_source"  # doc.user_data key: the NormalizedText the doc was read from
SPOKEN = "scribe_spoken"  # doc.user_data key: True when a speech recogniser wrote the text
TARGETS = "targets"  # span group holding every target (muscles, groups, substances, findings)
# the subject pronouns of a dictation's clauses: "we left the rhomboid alone", "the deltoid I
# just palpated"
SUBJECT_PRONOUNS = frozenset({"i", "we", "she", "he", "they"})


def register_extensions() -> None:
    """Idempotent: safe to call from every component factory."""
    for name, default in _SPAN_ATTRIBUTES.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    for name, default in _DOC_ATTRIBUTES.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def sentences(doc: Doc) -> list[Span]:
    """Sentence spans, built once per doc (``doc.sents`` walks every token on each call)."""
    cached: list[Span] | None = doc.user_data.get("scribe_sentences")
    if cached is None:
        cached = doc.user_data["scribe_sentences"] = list(doc.sents)
    return cached


def sentence_index(doc: Doc) -> list[int]:
    """For each token, the number of its sentence (built once per doc)."""
    cached: list[int] | None = doc.user_data.get("scribe_sentence_index")
    if cached is None:
        cached = [0] * len(doc)
        for number, sent in enumerate(sentences(doc)):
            cached[sent.start : sent.end] = [number] * (sent.end - sent.start)
        doc.user_data["scribe_sentence_index"] = cached
    return cached


def by_sentence(doc: Doc, spans: list[Span]) -> list[list[Span]]:
    """``spans`` grouped by the sentence they start in, in sentence order."""
    sents = sentences(doc)
    index = sentence_index(doc)
    grouped: list[list[Span]] = [[] for _ in sents]
    for span in spans:
        grouped[index[span.start]].append(span)
    return grouped


def doc_text(doc: Doc) -> str:
    """The doc's text, built once (``doc.text`` joins every token on each call)."""
    cached: str | None = doc.user_data.get("scribe_text")
    if cached is None:
        cached = doc.user_data["scribe_text"] = doc.text
    return cached


def doc_lower(doc: Doc) -> list[str]:
    """Each token's lower-case text, built once (iterating a Doc makes a Token per word)."""
    cached: list[str] | None = doc.user_data.get("scribe_lower")
    if cached is None:
        cached = doc.user_data["scribe_lower"] = [t.lower_ for t in doc]
    return cached


def same_length_lower(text: str) -> str:
    """``text`` in lower case, character for character (offsets stay valid): the few
    characters whose lower case is longer ("İ") are kept as they are."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def doc_lower_text(doc: Doc) -> str:
    """The doc's text in lower case, built once: a case-sensitive search of it is several
    times cheaper than an IGNORECASE search of the text."""
    cached: str | None = doc.user_data.get("scribe_lower_text")
    if cached is None:
        cached = doc.user_data["scribe_lower_text"] = same_length_lower(doc_text(doc))
    return cached


def span_text(span: Span) -> str:
    """A span's text sliced from the cached doc text (cheaper than ``span.text``)."""
    return doc_text(span.doc)[span.start_char : span.end_char]


def target_spans(doc: Doc) -> list[Span]:
    """Every target span, in order. The last component that edits the target group
    (``scribe_ellipsis``) stores the final list; reading a SpanGroup builds new Span objects
    on every pass."""
    cached: list[Span] | None = doc.user_data.get("scribe_targets")
    return cached if cached is not None else list(doc.spans[TARGETS])


def store_target_spans(doc: Doc, spans: list[Span]) -> None:
    doc.spans[TARGETS] = spans
    doc.user_data["scribe_targets"] = list(spans)


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def same_paragraph(doc: Doc, first: int, second: int) -> bool:
    """Whether sentences ``first`` and ``second`` (indices, first <= second) are in one
    paragraph: no blank line between the start of one and the start of the other."""
    sents = sentences(doc)
    start, end = sents[first].start_char, sents[second].start_char
    return _BLANK_LINE.search(doc_text(doc), start, end) is None
