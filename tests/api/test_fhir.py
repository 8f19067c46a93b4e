"""The FHIR export: one encounter -> a validated R4 collection Bundle."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from api.fhir import (
    CPT_SYSTEM,
    HCPCS_SYSTEM,
    LATERALITY_SNOMED,
    NO_PATIENT,
    ONTOLOGY_SYSTEMS,
    SNOMED_SYSTEM,
    TARGET_BODY_STRUCTURE,
    FhirEncounter,
    FhirExportError,
    build_bundle,
)
from scribe import EncounterContext, Scribe
from scribe.lexicons import load_lexicons
from scribe.schemas.note import Note

Json = dict[str, Any]

THREE_MUSCLES = (
    "Dry needling performed to the left upper trapezius, right levator scapulae and right "
    "rhomboid major. No injectate was used. Patient tolerated the session without incident."
)
LIDOCAINE = (
    "Trigger point injection with 1% lidocaine into the right upper trapezius. "
    "Patient tolerated well."
)
LOW_BACK = (
    "Dry needling to the right and left lumbar multifidus and right quadratus lumborum for "
    "chronic low back pain. No medication was injected. Patient tolerated treatment well."
)
PLANNED_ONLY = "Patient reports improvement. Plan to needle the supraspinatus next visit."
MEDICARE_CLBP = EncounterContext(
    payer="medicare", clbp=True, session_number=14, provider="pt", dos=dt.date(2026, 3, 2)
)
# Words of THREE_MUSCLES, from its start, middle and end, that only the dictation contains.
DISTINCTIVE = ("Dry needling performed", "No injectate was used", "without incident")

Make = Callable[..., FhirEncounter]


@pytest.fixture(scope="module")
def make(scribe: Scribe) -> Make:
    """An encounter from a dictation; keyword arguments override the stored fields."""

    def build(text: str, context: EncounterContext | None = None, **fields: Any) -> FhirEncounter:
        result = scribe.extract(text, context or EncounterContext())
        stored: dict[str, Any] = {
            "id": "0b9f6c1e-4a8e-4f0a-9d55-2f6a1d3c7e21",
            "organisation": "org-7",
            "patient_ref": "MRN-448812",
            "date_of_service": dt.date(2026, 3, 2),
            "created_at": dt.datetime(2026, 3, 2, 16, 5, 9, tzinfo=dt.UTC),
            "performer": "riverside-ehr",
            "provider": "pt",
            "payer": "commercial",
            "signed_off": False,
            "source_text": text,
            "note": result.note,
            "coding": result.coding,
        }
        return FhirEncounter(**(stored | fields))

    return build


def resources(bundle: Json, kind: str) -> list[Json]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def by_url(bundle: Json) -> dict[str, Json]:
    return {e["fullUrl"]: e["resource"] for e in bundle["entry"]}


def references(node: Any) -> Iterator[Json]:
    """Every Reference-shaped object (has "reference" or only "display") in a JSON tree."""
    if isinstance(node, dict):
        if "reference" in node or set(node) == {"display"}:
            yield node
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def test_fhir_bundle_round_trips_through_the_model(make: Make) -> None:
    bundle = build_bundle(make(THREE_MUSCLES, MEDICARE_CLBP))
    parsed = Bundle.model_validate(bundle)
    assert parsed.model_dump(mode="json", exclude_none=True) == bundle
    assert bundle["type"] == "collection"
    assert bundle["timestamp"] == "2026-03-02T16:05:09Z"
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls)
    assert all(u.startswith("urn:uuid:") for u in urls)
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
    # Every reference points inside the bundle: a collection must stand on its own.
    for ref in references(bundle["entry"]):
        if "reference" in ref:
            assert ref["reference"] in urls


def test_fhir_three_muscles_make_one_20561_procedure_with_sites(make: Make) -> None:
    bundle = build_bundle(make(THREE_MUSCLES))
    [procedure] = resources(bundle, "Procedure")
    assert procedure["status"] == "completed"
    assert procedure["code"]["coding"][0]["system"] == CPT_SYSTEM
    assert procedure["code"]["coding"][0]["code"] == "20561"
    assert procedure["performedDateTime"] == "2026-03-02"
    assert procedure["performer"][0]["function"]["text"] == "physical therapist"
    assert procedure["performer"][0]["actor"]["display"] == "riverside-ehr"
    assert procedure["note"][0]["text"].startswith("Dry needling without injectate; 3 muscles")

    expected = [
        ("upper-trapezius", "left"),
        ("levator-scapulae", "right"),
        ("rhomboid-major", "right"),
    ]
    lexicon = load_lexicons().muscle_by_id
    sites = procedure["bodySite"]
    assert [s["text"] for s in sites] == [
        f"{side} {lexicon[muscle].name}" for muscle, side in expected
    ]
    systems = set()
    for site, (muscle, _) in zip(sites, expected, strict=True):
        ontology_id = lexicon[muscle].ontology_id
        assert ontology_id is not None
        [coding] = site["coding"]
        assert coding["code"] == ontology_id
        assert coding["system"] == ONTOLOGY_SYSTEMS[ontology_id.split(":")[0]]
        systems.add(coding["system"])
    assert systems == set(ONTOLOGY_SYSTEMS.values())  # both UBERON and FMA are exercised

    # The n-th target BodyStructure carries the n-th site's side as a SNOMED CT qualifier.
    targets = [
        e["valueReference"]["reference"]
        for e in procedure["extension"]
        if e["url"] == TARGET_BODY_STRUCTURE
    ]
    structures = by_url(bundle)
    for url, (_, side) in zip(targets, expected, strict=True):
        structure = structures[url]
        assert structure["resourceType"] == "BodyStructure"
        [qualifier] = structure["locationQualifier"][0]["coding"]
        assert qualifier["system"] == SNOMED_SYSTEM
        assert qualifier["code"] == LATERALITY_SNOMED[side][0]
        assert structure["patient"] == procedure["subject"]
    assert LATERALITY_SNOMED["left"][0] == "7771000"
    assert LATERALITY_SNOMED["right"][0] == "24028007"


def test_fhir_bilateral_muscle_gets_the_right_and_left_qualifier(make: Make) -> None:
    bundle = build_bundle(make(LOW_BACK))
    structures = resources(bundle, "BodyStructure")
    qualifiers = {
        s["description"]: s["locationQualifier"][0]["coding"][0]["code"] for s in structures
    }
    assert qualifiers["bilateral multifidus lumborum"] == "51440002"
    assert qualifiers["right quadratus lumborum"] == "24028007"


def test_fhir_lidocaine_injection_is_20552(make: Make) -> None:
    bundle = build_bundle(make(LIDOCAINE))
    [procedure] = resources(bundle, "Procedure")
    assert procedure["code"]["coding"][0]["code"] == "20552"
    assert procedure["note"][0]["text"].startswith("Trigger point injection; 1 muscle:")
    [claim] = resources(bundle, "Claim")
    assert claim["item"][0]["productOrService"]["coding"][0]["code"] == "20552"


def test_fhir_claim_carries_medicare_modifiers(make: Make) -> None:
    encounter = make(LOW_BACK, MEDICARE_CLBP, payer="medicare")
    [line] = encounter.coding.lines
    assert "KX" in line.modifiers  # session 14 of the cLBP benefit
    assert line.payment_estimate is not None
    bundle = build_bundle(encounter)
    [claim] = resources(bundle, "Claim")
    [procedure_url] = [u for u, r in by_url(bundle).items() if r["resourceType"] == "Procedure"]
    [item] = claim["item"]
    assert [m["coding"][0]["code"] for m in item["modifier"]] == line.modifiers
    assert {m["coding"][0]["system"] for m in item["modifier"]} == {HCPCS_SYSTEM}
    assert item["quantity"]["value"] == line.units
    assert item["net"] == {"value": line.payment_estimate, "currency": "USD"}
    assert item["servicedDate"] == "2026-03-02"
    assert claim["total"] == item["net"]
    assert claim["insurance"][0]["coverage"]["display"] == "Medicare"
    assert claim["type"]["coding"][0]["code"] == "professional"
    assert claim["procedure"][0]["procedureReference"]["reference"] == procedure_url
    assert item["procedureSequence"] == [claim["procedure"][0]["sequence"]]


def test_fhir_numeric_modifiers_use_cpt_and_letters_hcpcs(make: Make) -> None:
    encounter = make(THREE_MUSCLES)
    line = encounter.coding.lines[0].model_copy(update={"modifiers": ["59", "XS", "GP"]})
    coding = encounter.coding.model_copy(update={"lines": [line]})
    [claim] = resources(build_bundle(dataclasses.replace(encounter, coding=coding)), "Claim")
    systems = {
        m["coding"][0]["code"]: m["coding"][0]["system"] for m in claim["item"][0]["modifier"]
    }
    assert systems == {"59": CPT_SYSTEM, "XS": HCPCS_SYSTEM, "GP": HCPCS_SYSTEM}


def test_fhir_claim_has_no_total_when_an_estimate_is_missing(make: Make) -> None:
    encounter = make(THREE_MUSCLES)
    line = encounter.coding.lines[0].model_copy(update={"payment_estimate": None})
    coding = encounter.coding.model_copy(update={"lines": [line]})
    [claim] = resources(build_bundle(dataclasses.replace(encounter, coding=coding)), "Claim")
    assert "total" not in claim
    assert "net" not in claim["item"][0]
    assert "unitPrice" not in claim["item"][0]


def test_fhir_no_claim_lines_means_no_claim(make: Make) -> None:
    encounter = make(PLANNED_ONLY)
    assert encounter.coding.lines == []
    bundle = build_bundle(encounter)
    kinds = sorted(e["resource"]["resourceType"] for e in bundle["entry"])
    assert kinds == ["DocumentReference", "Patient"]


def test_fhir_patient_carries_only_the_identifier(make: Make) -> None:
    bundle = build_bundle(make(THREE_MUSCLES))
    [patient] = resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "id", "identifier"}
    assert patient["identifier"] == [
        {"system": "urn:dn-scribe:organisation:org-7:patient", "value": "MRN-448812"}
    ]


def test_fhir_without_patient_ref_references_show_a_display(make: Make) -> None:
    bundle = build_bundle(make(THREE_MUSCLES, patient_ref=None))
    assert resources(bundle, "Patient") == []
    [document] = resources(bundle, "DocumentReference")
    [claim] = resources(bundle, "Claim")
    [procedure] = resources(bundle, "Procedure")
    patients = [document["subject"], claim["patient"], procedure["subject"]]
    patients += [s["patient"] for s in resources(bundle, "BodyStructure")]
    assert patients and all(p == {"display": NO_PATIENT} for p in patients)
    assert "MRN" not in json.dumps(bundle)


def test_fhir_same_encounter_gives_the_same_bundle(make: Make) -> None:
    first = build_bundle(make(THREE_MUSCLES, MEDICARE_CLBP))
    again = build_bundle(make(THREE_MUSCLES, MEDICARE_CLBP))
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
    other = build_bundle(make(THREE_MUSCLES, MEDICARE_CLBP, id="another-encounter"))
    assert {e["fullUrl"] for e in other["entry"]}.isdisjoint(e["fullUrl"] for e in first["entry"])


def test_fhir_dictation_appears_only_in_the_attachment(make: Make) -> None:
    encounter = make(THREE_MUSCLES)
    bundle = build_bundle(encounter)
    text_of_bundle = json.dumps(bundle)
    for phrase in DISTINCTIVE:
        assert phrase in encounter.source_text
        assert phrase not in text_of_bundle
    [document] = resources(bundle, "DocumentReference")
    attachments = {c["attachment"]["contentType"]: c["attachment"] for c in document["content"]}
    text = attachments["text/plain; charset=utf-8"]
    assert base64.b64decode(text["data"]).decode("utf-8") == encounter.source_text
    note = Note.model_validate_json(base64.b64decode(attachments["application/json"]["data"]))
    assert note == encounter.note
    assert document["type"]["coding"][0]["code"] == "11506-3"
    assert document["date"] == "2026-03-02T16:05:09Z"


@pytest.mark.parametrize(("signed_off", "status"), [(True, "final"), (False, "preliminary")])
def test_fhir_signed_off_sets_doc_status(make: Make, signed_off: bool, status: str) -> None:
    bundle = build_bundle(make(THREE_MUSCLES, signed_off=signed_off))
    [document] = resources(bundle, "DocumentReference")
    assert document["docStatus"] == status
    assert document["status"] == "current"


def test_fhir_invalid_resource_raises_without_leaking(make: Make) -> None:
    # FHIR instants need a time zone: a naive created_at cannot make DocumentReference.date.
    naive = make(THREE_MUSCLES, created_at=dt.datetime(2026, 3, 2, 16, 5))
    with pytest.raises(FhirExportError, match="DocumentReference") as caught:
        build_bundle(naive)
    message = str(caught.value)
    assert "MRN-448812" not in message
    assert not any(phrase in message for phrase in DISTINCTIVE)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
