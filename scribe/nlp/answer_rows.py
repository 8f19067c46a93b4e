"""Rows of a yes/no list under a question header: "DN today (needled yes/no):" over
"Peroneus longus L ...... yes (2 needles)", or a flowsheet "Muscle  Side  Needled today (Y/N)
Needles" over "Soleus  R  Y  2". The answer at the end of a muscle's row says whether it was
done; a row's side letter, leaders (dots, dashes) and needle count may stand around it.

Reads: the template's lines (``templates.py``). Writes nothing: a pure function for
``structure.py``.
"""

from __future__ import annotations

import re
from typing import Literal

from spacy.tokens import Span

from scribe.nlp.templates import template_of

Answer = Literal["yes", "no"]

# after the name: a side, leaders, the answer, then at most a needle count
_ROW_REST = re.compile(
    r"^\s*(?:\(?(?:r|l|b|rt|lt|right|left|bilat\w*|b/l)\)?\s*)?[\s.:\-–—_]*"
    r"(?P<answer>yes|no|y|n)\b\.?"
    r"\s*(?:\(?\s*(?:x\s*)?\d{1,2}(?:\s*needles?)?\s*\)?)?\s*$",
    re.IGNORECASE,
)
# the question header: a procedure word and "yes/no" or "Y/N"
_QUESTION = re.compile(r"\b(?:yes\s*/\s*no|y\s*/\s*n)\b", re.IGNORECASE)
_DONE_WORD = re.compile(r"\b(?:needl\w*|dn|tdn|tpi|inject\w*|treated|done|performed)\b", re.I)
_HEADER_REACH = 12  # lines looked at above a row for its header


def row_answer(span: Span) -> Answer | None:
    """The yes/no answer ending the row of a muscle name, when a question header about the
    procedure stands above the row in the same block of lines."""
    template = template_of(span.doc)
    line = template.line_of(span.start_char)
    _, end = template.lines[line]
    match = _ROW_REST.match(template.text[span.end_char : end])
    if match is None:
        return None
    for above in range(line - 1, max(-1, line - _HEADER_REACH), -1):
        start, stop = template.lines[above]
        words = template.text[start:stop]
        if not words.strip():
            return None
        if _QUESTION.search(words) and _DONE_WORD.search(words):
            return "no" if match.group("answer").lower().startswith("n") else "yes"
    return None
