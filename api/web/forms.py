"""Reading the web forms into the service's own request models, with messages that name the
field and never repeat what was typed (it may be a patient identifier)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from api.schemas import EncounterContextIn
from scribe.schemas.corrections import (
    AddMuscle,
    Correction,
    RemoveMuscle,
    SetInjectate,
    SetLaterality,
    SetStatus,
    SubstanceCorrection,
)

CONTEXT_FIELDS = (
    "payer",
    "provider",
    "dos",
    "patient_ref",
    "clbp",
    "abn_option",
    "session_number",
    "other_codes",
)
FIELD_NAMES = {
    "payer": "Payer",
    "provider": "Provider type",
    "dos": "Date of service",
    "patient_ref": "Patient reference (letters, digits and . _ : / | # - only)",
    "abn_option": "ABN option",
    "session_number": "Session number",
    "other_codes": "Other codes billed (CPT or HCPCS codes, comma-separated)",
    "prior_session_dates": "Earlier session dates",
}


class FormError(ValueError):
    """A form that cannot be used as sent; the message names fields, never their values."""


def text_of(form: FormData, name: str, *, limit: int = 200) -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    return value.strip()[:limit]


def context_from(form: FormData) -> EncounterContextIn:
    """The coding context from the new-encounter form (empty fields are left out)."""
    raw: dict[str, object] = {}
    for name in ("payer", "provider", "patient_ref"):
        if value := text_of(form, name):
            raw[name] = value
    if value := text_of(form, "dos", limit=20):
        raw["dos"] = value
    for name in ("abn_option", "session_number"):
        if value := text_of(form, name, limit=10):
            raw[name] = value
    if value := text_of(form, "other_codes", limit=500):
        raw["other_codes"] = [code for code in value.replace(";", ",").split(",") if code.strip()]
    raw["clbp"] = text_of(form, "clbp") == "on"
    try:
        return EncounterContextIn.model_validate(raw)
    except ValidationError as exc:
        names = sorted({FIELD_NAMES.get(str(e["loc"][0]), "A field") for e in exc.errors()})
        raise FormError("Please check: " + "; ".join(names) + ".") from None


def upload_of(form: FormData) -> UploadFile | None:
    value = form.get("file")
    if isinstance(value, UploadFile) and value.filename is not None and value.size != 0:
        return value
    return None


@dataclass
class CorrectionForm:
    """A reviewer's correction as sent by one of the encounter page's forms."""

    revision: int
    reason: str
    operations: list[Correction] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # to re-send after a conflict


CORRECTION_FIELDS = (
    "action",
    "muscle",
    "laterality",
    "status",
    "new_laterality",
    "new_status",
    "name",
    "technique",
    "injectate_status",
    "substance",
    "dose",
)


def revision_of(form: FormData) -> int:
    value = text_of(form, "revision", limit=12)
    if not value.isdigit():
        raise FormError("The page is out of date: reload it.")
    return int(value)


def correction_from(form: FormData) -> CorrectionForm:
    """The operations a correction form asks for (pydantic checks each value)."""
    fields = {name: text_of(form, name) for name in CORRECTION_FIELDS}
    revision = revision_of(form)
    reason = text_of(form, "reason", limit=2000)
    if len(reason) < 3:
        raise FormError("Give a reason for the correction (a few words).")
    action = fields["action"]
    try:
        operations = _operations(action, fields)
    except ValidationError:
        raise FormError("Please check the muscle, side and status chosen.") from None
    if not operations:
        raise FormError("Nothing to change: choose another side or status.")
    return CorrectionForm(revision, reason, operations, fields)


def _operations(action: str, f: dict[str, str]) -> list[Correction]:
    target = {"muscle": f["muscle"] or "?", "laterality": f["laterality"] or None}
    if action == "remove":
        return [RemoveMuscle.model_validate({"op": "remove_muscle", **target})]
    if action == "update":
        ops: list[Correction] = []
        if f["new_laterality"] and f["new_laterality"] != f["laterality"]:
            moved = SetLaterality.model_validate(
                {"op": "set_laterality", **target, "to": f["new_laterality"]}
            )
            ops.append(moved)
            target["laterality"] = moved.to
        if f["new_status"] and f["new_status"] != f["status"]:
            ops.append(
                SetStatus.model_validate({"op": "set_status", **target, "to": f["new_status"]})
            )
        return ops
    if action == "add":
        return [
            AddMuscle.model_validate(
                {
                    "op": "add_muscle",
                    "muscle": f["name"] or "?",
                    "laterality": f["new_laterality"],
                    "status": f["new_status"] or "treated",
                    "technique": f["technique"] or None,
                }
            )
        ]
    if action == "injectate":
        substances = []
        if f["substance"]:
            substances.append(SubstanceCorrection(name=f["substance"], dose=f["dose"] or None))
        status = f["injectate_status"]
        return [
            SetInjectate.model_validate(
                {"op": "set_injectate", "status": status, "substances": substances}
            )
        ]
    raise FormError("Unknown correction.")


def today() -> str:
    return dt.date.today().isoformat()
