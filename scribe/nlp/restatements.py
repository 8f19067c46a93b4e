"""A muscle named and at once named again after a word that corrects it: "I did the right
gluteus medius and the piriformis, no wait, sorry, the piriformis was last session". The
second saying is the one meant: the first mention takes its status (here historical, no
longer needled today). Sides corrected this way are ``side_references.restated_at_once``.

Reads: muscle mentions with their statuses after binding. Writes: ``status``/``status_cue``
of the first mention (taken back from the procedure it was tied to).
"""

from __future__ import annotations

import re
from itertools import pairwise

from scribe.nlp.mentions import FIRM, Mention, decide, untie

# only words that correct, then at most an article and a side, between the two sayings
_CORRECTING = re.compile(
    r"[\s,.;-]*(?:no\s+wait|wait|sorry|i\s+mean|i\s+meant|correction|actually|or\s+rather)"
    r"(?:[\s,.;-]+(?:no|wait|sorry|i\s+mean|i\s+meant|actually))*"
    r"[\s,.;-]+(?:(?:the|that|my)\s+)?(?:(?:left|right|l|r|lt|rt|both|bilateral)\s+)?",
    re.IGNORECASE,
)
# a status the second saying must have to correct the first (a bare name decides nothing)
_DECIDED = frozenset({"treated", "historical", "planned", "negated", "palpated_only"})


# a name said in place of another: "left flexor hallucis brevis, no, sorry, flexor digitorum
# brevis" (a word that says sorry or "I mean" is needed: a bare "no" is a finding's "no twitch")
_ANOTHER_NAME = re.compile(
    r"[\s,.;-]*(?:no[\s,.;-]+)?(?:sorry|i\s+mean|i\s+meant|correction|or\s+rather|make\s+that)"
    r"(?:[\s,.;-]+(?:no|wait|sorry|i\s+mean|i\s+meant|actually))*"
    r"[\s,.;-]+(?:(?:the|that|my)\s+)?(?:(?:left|right|l|r|lt|rt|both|bilateral)\s+)?",
    re.IGNORECASE,
)


def corrected_at_once(mentions: list[Mention]) -> None:
    """The first of two mentions of one muscle with only correcting words between them
    takes the second's status; a name said in place of another muscle's is taken back (only
    named, the second is the one meant)."""
    ordered = sorted(mentions, key=lambda m: m.span.start)
    for first, second in pairwise(ordered):
        a, b = first.span, second.span
        if (
            a.label_ == b.label_ == "MUSCLE"
            and a._.entry_id != b._.entry_id
            and _ANOTHER_NAME.fullmatch(a.doc.text, a.end_char, b.start_char)
        ):
            untie(first)
            decide(first, "mentioned", FIRM, None)
            continue
        if a._.entry_id != b._.entry_id or b._.status not in _DECIDED:
            continue
        if a._.status == b._.status:
            continue
        if not _CORRECTING.fullmatch(a.doc.text, a.end_char, b.start_char):
            continue
        untie(first)
        decide(first, b._.status, FIRM, None)
        a._.status_cue = b._.status_cue
