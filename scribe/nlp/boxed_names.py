"""Boxes written on muscle names: "[x] R UT", "Levator scapulae  [ ]  [ ]", "DN performed:
[x] R UT  [ ] R levator", "R UT [x]  R levator [ ]". The box on a name records on the mention
(``checkbox``); an unchecked one is no treatment, whatever a heading above says, and a box
written on the name itself undoes what the clause's procedure reached.

Reads: the template's boxes (``templates.py``) and the mentions as ``binding.py`` left them.
Writes: ``checkbox`` and, for unchecked names, the status (and the tie to a procedure).
"""

from __future__ import annotations

from scribe.nlp.mentions import FIRM, Mention, decide, untie
from scribe.nlp.templates import Template


def boxed_names(mentions: list[Mention], template: Template) -> None:
    previous_end = 0
    first_on_line: dict[int, int] = {}
    for mention in mentions:
        first_on_line.setdefault(template.line_of(mention.span.start_char), mention.span.start_char)
    for k, mention in enumerate(mentions):
        span = mention.span
        following = mentions[k + 1].span.start_char if k + 1 < len(mentions) else 1 << 30
        first = first_on_line[template.line_of(span.start_char)]
        on_name = template.box_on_name(span, following, first)
        state = on_name or template.box_before(span, previous_end) or template.box_after(span)
        previous_end = span.end_char
        span._.checkbox = state
        if state == "unchecked" and span._.status != "treated":
            # an unchecked box is no treatment, whatever the heading above says
            decide(mention, span._.status or "mentioned", FIRM, None)
        elif on_name == "unchecked":
            # "DN performed: [x] R UT  [ ] R levator": the box on the name says it was not,
            # whatever the clause's procedure reached
            untie(mention)
            decide(mention, "mentioned", FIRM, None)
