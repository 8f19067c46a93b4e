"""One stored encounter as a FHIR R4 ``Bundle`` (type ``collection``), validated per resource.

fhir.resources 8 has no plain R4 (4.0.1) package, so the models are ``fhir.resources.R4B``
(4.3.0): Bundle, Patient, Procedure, BodyStructure, DocumentReference and Claim are the same in
R4 and R4B for every element used here. Ids are uuid5 of the encounter id and the timestamp is
``created_at``, so one encounter always gives one bundle. The dictation's words leave only in
base64 attachments (the dictation, and the procedure note that quotes it); Patient carries the
EHR identifier and nothing else. No I/O but the lexicon default.
"""

from __future__ import annotations

import base64
import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote

from fhir.resources.R4B.bodystructure import BodyStructure
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.claim import Claim
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.fhirresourcemodel import FHIRResourceModel
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from pydantic import ValidationError

from scribe.coding.muscles import DRY_NEEDLING, INJECTION
from scribe.lexicons import Lexicons, load_lexicons
from scribe.procedure_note import build_procedure_note, render_procedure_note_markdown
from scribe.schemas.coding import ClaimLine, CodingResult
from scribe.schemas.context import PROVIDER_NAMES
from scribe.schemas.note import MuscleRef, Note

__all__ = ["FhirEncounter", "FhirExportError", "build_bundle"]

Json = dict[str, Any]
Resource = TypeVar("Resource", bound=FHIRResourceModel)

CPT_SYSTEM = "http://www.ama-assn.org/go/cpt"
HCPCS_SYSTEM = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
SNOMED_SYSTEM = "http://snomed.info/sct"
LOINC_SYSTEM = "http://loinc.org"
CLAIM_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/claim-type"
PRIORITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/processpriority"
TARGET_BODY_STRUCTURE = "http://hl7.org/fhir/StructureDefinition/procedure-targetBodyStructure"
# HL7 Terminology registers neither anatomy ontology; UBERON follows the OBO PURL form THO uses
# for MONDO (http://purl.obolibrary.org/obo/mondo.owl), FMA its own ontology namespace.
ONTOLOGY_SYSTEMS = {
    "UBERON": "http://purl.obolibrary.org/obo/uberon.owl",
    "FMA": "http://purl.org/sig/ont/fma",
}
# SNOMED CT laterality qualifiers (FHIR ValueSet bodystructure-laterality).
LATERALITY_SNOMED = {
    "left": ("7771000", "Left"),
    "right": ("24028007", "Right"),
    "bilateral": ("51440002", "Right and left"),
}
PAYER_DISPLAY = {"medicare": "Medicare", "commercial": "Commercial insurer", "self-pay": "Self-pay"}
# Services that are a needling procedure, with the words the machine-made summary starts with.
PROCEDURE_SUMMARY = {
    DRY_NEEDLING: "Dry needling without injectate",
    INJECTION: "Trigger point injection",
}
NO_PATIENT = "patient not identified"
# Fixed namespace: the uuid5 of every resource depends on the encounter id alone.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:dn-scribe:fhir-export")


class FhirExportError(ValueError):
    """The encounter does not make a valid FHIR resource (the message names fields only)."""


@dataclass(frozen=True)
class FhirEncounter:
    """What the export needs of one stored encounter."""

    id: str
    organisation: str
    patient_ref: str | None
    date_of_service: datetime.date
    created_at: datetime.datetime
    performer: str
    provider: str | None
    payer: str | None
    signed_off: bool
    source_text: str
    note: Note
    coding: CodingResult


def build_bundle(encounter: FhirEncounter, *, lexicons: Lexicons | None = None) -> dict[str, Any]:
    """The encounter as a validated FHIR R4 collection Bundle, as a JSON-ready dict.

    Holds a Patient (only when ``patient_ref`` is given), one Procedure per needling claim line
    with a BodyStructure per muscle, the note as a DocumentReference, and a Claim when there are
    claim lines. Raises ``FhirExportError`` when a resource does not validate.
    """
    lex = lexicons if lexicons is not None else load_lexicons()
    urn = partial(_urn, encounter.id)
    # A blank identifier identifies no one: treat it as None.
    has_patient = bool(encounter.patient_ref and encounter.patient_ref.strip())
    subject = {"reference": urn("patient")} if has_patient else {"display": NO_PATIENT}
    entries = [_patient_entry(encounter, urn("patient"))] if has_patient else []
    needling, procedures = _needling_entries(encounter, subject, urn, lex)
    entries += needling
    entries.append(_entry(urn("document"), DocumentReference, _document(encounter, subject)))
    if encounter.coding.lines:
        entries.append(_entry(urn("claim"), Claim, _claim(encounter, subject, procedures)))
    bundle = _validated(
        Bundle,
        {
            "resourceType": "Bundle",
            "id": _id_of(urn("bundle")),
            "identifier": {"system": "urn:ietf:rfc:3986", "value": urn("bundle")},
            "type": "collection",
            "timestamp": encounter.created_at,
            "entry": entries,
        },
    )
    return bundle.model_dump(mode="json", exclude_none=True)


def _urn(encounter_id: str, part: str) -> str:
    """A ``urn:uuid:`` made from the encounter id, so a re-export gives the same bundle."""
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{encounter_id}/{part}')}"


def _id_of(urn: str) -> str:
    return urn.removeprefix("urn:uuid:")


def _entry(url: str, model: type[FHIRResourceModel], data: Json) -> Json:
    """One Bundle entry: the resource validated, its id the uuid of its fullUrl."""
    resource = {"resourceType": model.get_resource_type(), "id": _id_of(url), **data}
    return {"fullUrl": url, "resource": _validated(model, resource)}


def _patient_entry(encounter: FhirEncounter, url: str) -> Json:
    # Percent-encoded so any organisation id makes a valid URN.
    system = f"urn:dn-scribe:organisation:{quote(encounter.organisation, safe='')}:patient"
    identifier = [{"system": system, "value": encounter.patient_ref}]
    return _entry(url, Patient, {"identifier": identifier})


def _needling_entries(
    encounter: FhirEncounter,
    subject: Json,
    urn: Callable[[str], str],
    lex: Lexicons,
) -> tuple[list[Json], dict[int, str]]:
    """A Procedure per needling line and a BodyStructure per muscle side, as Bundle entries.

    Also returns each Procedure's fullUrl by claim line index, for the Claim to link to.
    """
    entries: list[Json] = []
    structures: dict[tuple[str, str], str] = {}
    procedures: dict[int, str] = {}
    for index, line in enumerate(encounter.coding.lines):
        if line.service not in PROCEDURE_SUMMARY:
            continue
        for muscle in line.muscles:
            key = (muscle.id, muscle.laterality)
            if key not in structures:
                structures[key] = urn(f"body-structure/{muscle.id}/{muscle.laterality}")
                data = _body_structure(muscle, subject, lex)
                entries.append(_entry(structures[key], BodyStructure, data))
        targets = [structures[m.id, m.laterality] for m in line.muscles]
        procedures[index] = urn(f"procedure/{index}")
        data = _procedure(encounter, line, subject, targets, lex)
        entries.append(_entry(procedures[index], Procedure, data))
    return entries, procedures


def _validated(model: type[Resource], data: Json) -> Resource:
    """Build one resource; a failure names the fields and error types, never the values."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'resource'}: {err['type']}"
            for err in exc.errors()[:5]
        )
        # from None: the chained pydantic error repeats the input values (patient id, text).
        raise FhirExportError(f"{model.__name__} is not valid FHIR ({where})") from None


def _cpt(code: str, display: str | None) -> Json:
    coding = {"system": CPT_SYSTEM, "code": code}
    return {"coding": [coding if display is None else {**coding, "display": display}]}


def _site_text(muscle: MuscleRef) -> str:
    side = "" if muscle.laterality == "unspecified" else f"{muscle.laterality} "
    return side + muscle.name


def _anatomy(muscle: MuscleRef, lex: Lexicons, *, text: str) -> Json:
    """A muscle as a CodeableConcept: UBERON or FMA coding when the lexicon has one."""
    entry = lex.muscle_by_id.get(muscle.id)
    if entry is None or entry.ontology_id is None:
        return {"text": text}
    system = ONTOLOGY_SYSTEMS[entry.ontology_id.split(":", 1)[0]]
    coding = {"system": system, "code": entry.ontology_id, "display": muscle.name}
    return {"coding": [coding], "text": text}


def _body_structure(muscle: MuscleRef, subject: Json, lex: Lexicons) -> Json:
    data: Json = {
        "location": _anatomy(muscle, lex, text=muscle.name),
        "description": _site_text(muscle),
        "patient": subject,
    }
    if muscle.laterality in LATERALITY_SNOMED:
        code, display = LATERALITY_SNOMED[muscle.laterality]
        coding = {"system": SNOMED_SYSTEM, "code": code, "display": display}
        data["locationQualifier"] = [{"coding": [coding]}]
    return data


def _summary(line: ClaimLine) -> str:
    """Procedure note made from the coding only, so no dictation words reach it."""
    # The coder's count when it has one: bilateral is two muscles, a subdivision is its parent.
    count = line.muscle_count
    if count is None:
        count = sum(2 if m.laterality == "bilateral" else 1 for m in line.muscles)
    sites = ", ".join(_site_text(m) for m in line.muscles)
    head = f"{PROCEDURE_SUMMARY[line.service or '']}; {count} muscle{'' if count == 1 else 's'}"
    return f"{head}: {sites}." if sites else f"{head}."


def _procedure(
    encounter: FhirEncounter, line: ClaimLine, subject: Json, structures: list[str], lex: Lexicons
) -> Json:
    performer: Json = {"actor": {"display": encounter.performer}}
    if encounter.provider in PROVIDER_NAMES:
        performer["function"] = {"text": PROVIDER_NAMES[encounter.provider]}
    return {
        # bodySite and the extensions keep one order: the n-th site is the n-th BodyStructure.
        "extension": [
            {"url": TARGET_BODY_STRUCTURE, "valueReference": {"reference": url}}
            for url in structures
        ]
        or None,
        "status": "completed",
        "code": _cpt(line.code, line.descriptor),
        "subject": subject,
        "performedDateTime": encounter.date_of_service,
        "performer": [performer],
        "bodySite": [_anatomy(m, lex, text=_site_text(m)) for m in line.muscles] or None,
        "note": [{"text": _summary(line)}],
    }


def _attachment(content_type: str, title: str, payload: str) -> Json:
    raw = payload.encode("utf-8")
    data = base64.b64encode(raw).decode("ascii")
    return {
        "attachment": {"contentType": content_type, "data": data, "size": len(raw), "title": title}
    }


def _procedure_note(encounter: FhirEncounter) -> str:
    """The audit-ready procedure note: each sentence quotes or rests on the dictation."""
    built = build_procedure_note(encounter.note, encounter.coding, text=encounter.source_text)
    return render_procedure_note_markdown(built)


def _document(encounter: FhirEncounter, subject: Json) -> Json:
    progress_note = {"system": LOINC_SYSTEM, "code": "11506-3", "display": "Progress note"}
    return {
        "status": "current",
        "docStatus": "final" if encounter.signed_off else "preliminary",
        "type": {"coding": [progress_note]},
        "subject": subject,
        "date": encounter.created_at,
        "author": [{"display": encounter.performer}],
        "description": "Dry needling session note",
        "content": [
            _attachment(
                "text/markdown; charset=utf-8", "Procedure note", _procedure_note(encounter)
            ),
            _attachment("application/json", "Structured note", encounter.note.model_dump_json()),
            _attachment("text/plain; charset=utf-8", "Dictation", encounter.source_text),
        ],
        "context": {"period": {"start": encounter.date_of_service}},
    }


def _modifier(code: str) -> Json:
    """CPT modifiers are two digits (59, 76); letter ones (GP, KX, XS, CQ) are HCPCS level II."""
    return {"coding": [{"system": CPT_SYSTEM if code.isdigit() else HCPCS_SYSTEM, "code": code}]}


def _usd(value: float | Decimal) -> Json:
    # A float goes through str: its shortest repr, not its binary expansion.
    return {"value": Decimal(str(value)).quantize(Decimal("0.01")), "currency": "USD"}


def _claim_item(sequence: int, line: ClaimLine, dos: datetime.date, procedure: int | None) -> Json:
    item: Json = {
        "sequence": sequence,
        "productOrService": _cpt(line.code, line.descriptor),
        "modifier": [_modifier(m) for m in line.modifiers] or None,
        "procedureSequence": None if procedure is None else [procedure],
        "servicedDate": dos,
        "quantity": {"value": line.units},
    }
    if line.payment_estimate is not None:
        item["unitPrice"] = _usd(Decimal(str(line.payment_estimate)) / line.units)
        item["net"] = _usd(line.payment_estimate)
    return item


def _claim(encounter: FhirEncounter, subject: Json, procedures: dict[int, str]) -> Json:
    lines = encounter.coding.lines
    # Claim.procedure sequences count from 1 over the needling lines, in line order.
    sequence_of = {index: seq for seq, index in enumerate(sorted(procedures), start=1)}
    payer = "payer not given" if encounter.payer is None else encounter.payer
    estimates = [line.payment_estimate for line in lines]
    # A total only when every line has an estimate: a partial sum would understate the claim.
    total = None
    if None not in estimates:
        total = _usd(sum(Decimal(str(e)) for e in estimates if e is not None))
    return {
        "status": "active",
        "type": {"coding": [{"system": CLAIM_TYPE_SYSTEM, "code": "professional"}]},
        "use": "claim",
        "patient": subject,
        "created": encounter.created_at,
        "provider": {"display": encounter.performer},
        "priority": {"coding": [{"system": PRIORITY_SYSTEM, "code": "normal"}]},
        "insurance": [
            {"sequence": 1, "focal": True, "coverage": {"display": PAYER_DISPLAY.get(payer, payer)}}
        ],
        "procedure": [
            {"sequence": seq, "procedureReference": {"reference": procedures[index]}}
            for index, seq in sequence_of.items()
        ]
        or None,
        "item": [
            _claim_item(n, line, encounter.date_of_service, sequence_of.get(index))
            for n, (index, line) in enumerate(enumerate(lines), start=1)
        ],
        "total": total,
    }
