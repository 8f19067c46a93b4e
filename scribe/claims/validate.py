"""Validate an 837P in memory with pyx12 (a maintained X12 parser and validator that checks
the file against the 005010X222A1 implementation guide map) and read it back.

pyx12 logs the segments it reads; they hold patient data, so its logger never reaches a
handler here, and the problems returned name segments, elements and error codes only.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pyx12.error_handler
import pyx12.params
import pyx12.x12context
import pyx12.x12n_document

_LOG = logging.getLogger("pyx12")
_LOG.addHandler(logging.NullHandler())
_LOG.propagate = False


def _problems(report: dict[str, Any]) -> Iterator[str]:
    """Error codes and places from pyx12's JSON report (no element values)."""

    def walk(node: Any, where: str) -> Iterator[str]:
        if isinstance(node, dict):
            place = node.get("seg_id") or node.get("trn_set_id") or node.get("fic") or where
            for err in node.get("errors", []):
                code = err.get("err_cde", "?")
                yield f"{place}: error {code}"
            for key in ("groups", "transactions", "segments", "elements", "interchanges"):
                for child in node.get(key, []):
                    yield from walk(child, str(place))

    yield from walk(report, "interchange")


def validate_837(text: str) -> list[str]:
    """The problems pyx12 finds in an X12 text (empty when it is valid)."""
    params = pyx12.params.ParamsBase()
    report = io.StringIO()
    valid = pyx12.x12n_document.x12n_document(params, io.StringIO(text), None, None, None, report)
    found = list(_problems(json.loads(report.getvalue() or "{}")))
    if not valid and not found:
        found = ["the file is not valid X12 (no detail given)"]
    return found


def read_loops(text: str, loop_id: str) -> list[Any]:
    """The data nodes of every loop ``loop_id`` ("2300", "2400") pyx12 reads in the text."""
    params = pyx12.params.ParamsBase()
    errors = pyx12.error_handler.err_handler()
    reader = pyx12.x12context.X12ContextReader(params, errors, io.StringIO(text))
    return [node for node in reader.iter_segments(loop_id) if node.id == loop_id]
