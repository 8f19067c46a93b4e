"""ICD-10-CM facts from the maintained data package ``simple-icd-10-cm`` (the CMS tabular
list, release in ``RELEASE``): whether a code exists, whether it is billable, its description,
its children and its Excludes1 notes. Nothing here is typed by hand."""

from __future__ import annotations

import re
from functools import cache
from importlib.metadata import version
from types import ModuleType
from typing import Final

#: The package and the release of the data it ships.
RELEASE: Final = f"simple-icd-10-cm {version('simple-icd-10-cm')}"
# a code in parentheses at the end of an Excludes1 note: "fibromyalgia (M79.7)", "(M51.2-)"
_NOTE_CODE = re.compile(r"\(([A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)\.?-?\)")


@cache
def _package() -> ModuleType:
    """The package, imported on first use: it reads the whole tabular list when imported
    (seconds), which commands that code no diagnosis should not pay for."""
    import simple_icd_10_cm

    module: ModuleType = simple_icd_10_cm
    return module


def exists(code: str) -> bool:
    """Whether ``code`` is an ICD-10-CM code (billable or a heading such as M54.5)."""
    return bool(_package().is_valid_item(code)) and not _package().is_chapter_or_block(code)


def billable(code: str) -> bool:
    """A code is billable when it exists and has no children (a leaf of the tabular list)."""
    return exists(code) and bool(_package().is_leaf(code))


@cache
def description(code: str) -> str:
    """The tabular description of an existing code."""
    return str(_package().get_description(code))


@cache
def billable_children(code: str) -> tuple[str, ...]:
    """The billable codes under a heading (M54.5 -> M54.50, M54.51, M54.59)."""
    if not exists(code):
        return ()
    return tuple(c for c in _package().get_descendants(code) if _package().is_leaf(c))


def parent(code: str) -> str | None:
    """The heading a code sits under (M79.18 -> M79.1), or None for a category."""
    found = str(_package().get_parent(code)) if exists(code) else ""
    return None if not found or _package().is_chapter_or_block(found) else found


@cache
def excludes1(code: str) -> tuple[str, ...]:
    """Codes (or headings) an Excludes1 note of the code or of its headings names: they are
    never coded together with it."""
    if not exists(code):
        return ()
    found: list[str] = []
    for item in [code, *_package().get_ancestors(code)]:
        if _package().is_chapter_or_block(item):
            continue
        for note in _package().get_excludes1(item):
            found += _NOTE_CODE.findall(note)
    return tuple(dict.fromkeys(found))


def excluded_together(a: str, b: str) -> bool:
    """Whether an Excludes1 note of either code names the other (or one of its headings)."""

    def names(notes: tuple[str, ...], code: str) -> bool:
        return any(code == n or code.startswith(n) for n in notes)

    return names(excludes1(a), b) or names(excludes1(b), a)
