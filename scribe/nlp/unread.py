"""Words in a list of needled muscles that name no muscle the lexicon knows: "Tx: R UFT, LS,
rhomb maj/min; L UFT" bills the upper trapezius on each side and the levator scapulae, and
"rhomb maj/min" is an item of the same list that the tool could not read. It may name muscles
needled today, so the note says so (``unread_names``) and the claim goes to review instead of
being coded short in silence.

An item is a stretch of the list between commas or semicolons, from the first muscle of the
sentence tied to a procedure done today to the end of the sentence. It is unread when it
holds no target of any kind (muscle, group, finding, substance) and no ConText modifier, and
what is left once sides, counts and list words are set aside is either at most three words, one
of them the beginning of a muscle name's word that is no common English word ("rhomb maj/min",
"infrasp"), or one abbreviation in capitals that names no other treatment or person
(``not_a_muscle_abbreviation`` in ``lexicons/statements.yaml``: "SPS", not "HEP"). Prose
("tolerated well", "pincer grasp", "after negative aspiration") is never reported.

Reads: sentences, targets (with their status and event), the ConText modifiers. Writes:
``doc._.unread_names`` [(start_char, end_char)].
"""

import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from scribe.lexicons import Lexicons, any_of, load_lexicons
from scribe.nlp.extensions import by_sentence, register_extensions, sentences, target_spans
from scribe.nlp.word_sounds import is_common_word

_SEPARATORS = frozenset({",", ";"})
_MAX_WORDS = 3
# words a list item may carry besides a name: joins, counts, needles
_LIST_WORDS = frozenset(
    """and & + plus also then the of to in x needles needle each both side sides only""".split()
)
_ABBREVIATION = re.compile(r"^[A-Z]{2,4}$")
_COUNT = re.compile(r"^(?:x?\d{1,2}|\d{1,2}x|#\d{1,2})$", re.IGNORECASE)


class UnreadListItems:
    def __init__(self, lexicons: Lexicons) -> None:
        sides = lexicons.laterality
        words: set[str] = set()
        for side in ("right", "left", "bilateral"):
            phrase_set = getattr(sides, side)
            for phrase in [*phrase_set.phrases, *phrase_set.abbreviations]:
                words.update(phrase.lower().split())
        self._side_words = frozenset(words)
        # the beginnings of the words of muscle names ("rhomb", "infrasp", "maj"): a shortened
        # name starts like one
        self._name_starts = frozenset(
            word[:k]
            for term in lexicons.terms()
            if term.label == "MUSCLE"
            for word in term.text.lower().split()
            if word.isalpha()
            for k in range(3, len(word) + 1)
        )
        self._other_abbreviations = any_of(
            lexicons.statements.statements.get("not_a_muscle_abbreviation", [])
        )

    def __call__(self, doc: Doc) -> Doc:
        doc._.unread_names = []
        targets = target_spans(doc)
        if not any(s.label_ == "MUSCLE" and s._.status == "treated" for s in targets):
            return doc
        inside = {i for s in targets for i in range(s.start, s.end)}
        said: set[int] | None = None  # the modifiers' words, looked up only when needed
        for sent, in_sent in zip(sentences(doc), by_sentence(doc, targets), strict=True):
            needled = [
                s
                for s in in_sent
                if s.label_ == "MUSCLE" and s._.status == "treated" and s._.event is not None
            ]
            if not needled:
                continue
            for item in self._items(sent, needled[0].start):
                if any(t.i in inside for t in item) or not self._unread(item):
                    continue
                if said is None:
                    graph = getattr(doc._, "context_graph", None)
                    modifiers = graph.modifiers if graph is not None else []
                    said = {i for m in modifiers for i in range(*m.modifier_span)}
                if not any(t.i in said for t in item):
                    doc._.unread_names.append((item[0].idx, item[-1].idx + len(item[-1])))
        return doc

    @staticmethod
    def _items(sent: Span, first: int) -> list[list[Token]]:
        """The list's items: token runs between separators, from the one holding the token
        ``first`` to the end of the sentence."""
        runs: list[list[Token]] = [[]]
        where: dict[int, int] = {}
        for token in sent:
            where[token.i] = len(runs) - 1
            if token.text in _SEPARATORS:
                runs.append([])
            elif not token.is_space and (not token.is_punct or token.text in ("/", "-")):
                runs[-1].append(token)
        return [run for run in runs[where[first] :] if run]

    def _unread(self, item: list[Token]) -> bool:
        """An item of at most three words besides sides and counts, one of them a name's
        beginning that is no common word ("rhomb maj/min"), or an abbreviation in capitals
        said alone ("SPS") that names nothing else the lexicon knows."""
        kept = [
            t
            for t in item
            if t.lower_ not in _LIST_WORDS
            and t.lower_ not in self._side_words
            and not _COUNT.match(t.text)
            and t.text not in ("/", "-")
        ]
        if not kept or len(kept) > _MAX_WORDS:
            return False
        if len(kept) == 1 and _ABBREVIATION.match(kept[0].text):
            return not self._other_abbreviations.fullmatch(kept[0].text)
        pieces = [p for t in kept for p in t.lower_.split("/") if p]
        if not all(p.isalpha() for p in pieces):
            return False
        return any(p in self._name_starts and not is_common_word(p) for p in pieces)


@Language.factory("scribe_unread", default_config={"lexicon_dir": None})
def make_unread(nlp: Language, name: str, lexicon_dir: str | None) -> UnreadListItems:
    register_extensions()
    return UnreadListItems(load_lexicons(Path(lexicon_dir) if lexicon_dir else None))
