"""dn-scribe: local-first scribe for dry needling.

>>> from scribe import Scribe
>>> result = Scribe().extract("Dry needling to the right upper trapezius and levator scapulae ...")
>>> result.note.muscles[0].name, result.coding.muscle_count
"""

from scribe.errors import InputError, LexiconError, ScribeError
from scribe.pipeline import ExtractionResult, Scribe
from scribe.schemas.coding import CodingResult
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note

__all__ = [
    "CodingResult",
    "EncounterContext",
    "ExtractionResult",
    "InputError",
    "LexiconError",
    "Note",
    "Scribe",
    "ScribeError",
]
