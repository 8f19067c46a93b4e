"""scribe claim: the 837P and the superbill from a dictation or a saved extraction; refusals
that name what is missing and never quote the dictation, the patient or the file name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scribe.claims.fees import line_charge
from scribe.claims.validate import read_loops, validate_837
from scribe.cli import app
from scribe.schemas.claim import Fee, FeeSchedule
from scribe.schemas.coding import ClaimLine

DICTATION = (
    "Chronic LBP x 6 months, worse with sitting. Dry needling to the R QL, L QL and R gluteus "
    "medius; taut bands with local twitch responses. No medication injected. Consent on file. "
    "Pain 6/10 -> 3/10. Tolerated well.\n"
)
SECRET = "Quillfeather"  # the patient's name: never in an error message
PATIENT = f"""
patient:
  last_name: {SECRET}
  first_name: Alex
  birth_date: 1970-05-06
  sex: U
  member_id: TEST00001
  account_number: ACCT-1
  address: {{street: 1 Test Ave, city: Springfield, state: IL, zip: "62701"}}
payer: {{name: Test Payer, payer_id: "99999"}}
"""
SETTINGS = {
    "BILLING_NAME": "Test Physical Therapy",
    "BILLING_NPI": "1234567893",
    "BILLING_TAX_ID": "12-3456789",
    "BILLING_ADDRESS": "100 Test St",
    "BILLING_CITY": "Springfield",
    "BILLING_STATE": "IL",
    "BILLING_ZIP": "627011234",
    "BILLING_PHONE": "5555550100",
    "SUBMITTER_ID": "TESTSUBMIT",
    "SUBMITTER_NAME": "Test Physical Therapy",
    "CONTACT_NAME": "Billing",
    "RECEIVER_ID": "TESTRECEIVE",
    "RECEIVER_NAME": "Test Clearinghouse",
}


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    dictation = tmp_path / "jane_doe_1961.txt"
    dictation.write_text(DICTATION, encoding="utf-8")
    patient = tmp_path / "jane_doe_1961.yaml"
    patient.write_text(PATIENT, encoding="utf-8")
    return dictation, patient


@pytest.fixture
def practice(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SETTINGS.items():
        monkeypatch.setenv(f"SCRIBE_CLAIM_{name}", value)


@pytest.mark.usefixtures("fast_scribe", "practice")
def test_claims_cli_837p_from_a_dictation(files: tuple[Path, Path]) -> None:
    dictation, patient = files
    args = ["claim", str(dictation), "--patient", str(patient), "--payer", "commercial"]
    result = CliRunner().invoke(app, [*args, "--dos", "2026-01-05"])
    assert result.exit_code == 0, result.output
    assert validate_837(result.stdout) == []
    (claim,) = read_loops(result.stdout, "2300")
    assert claim.first("HI").get_value("HI01-2") == "M5450"
    (line,) = claim.select("2400")
    assert line.get_value("SV101-2") == "20561" and line.get_value("SV107-1") == "1"


@pytest.mark.usefixtures("fast_scribe", "practice")
def test_claims_cli_superbill_from_a_saved_extraction(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    dictation, patient = files
    runner = CliRunner()
    extracted = runner.invoke(app, ["extract", str(dictation), "--dos", "2026-01-05"])
    saved = tmp_path / "result.json"
    saved.write_text(extracted.stdout, encoding="utf-8")
    assert json.loads(extracted.stdout)["coding"]["diagnoses"][0]["code"] == "M54.50"
    result = runner.invoke(
        app,
        ["claim", str(saved), "--patient", str(patient), "--payer", "self-pay",
         "--dos", "2026-01-05", "--format", "superbill"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert "<td>20561</td>" in html and "<td>M54.50</td>" in html
    assert "Low back pain, unspecified" in html and "$38.08" in html  # 2026: 1.14 RVU x 33.4009


@pytest.mark.usefixtures("fast_scribe", "practice")
def test_claims_cli_self_pay_is_not_an_837p(files: tuple[Path, Path]) -> None:
    dictation, patient = files
    result = CliRunner().invoke(
        app,
        ["claim", str(dictation), "--patient", str(patient), "--payer", "self-pay",
         "--dos", "2026-01-05"],
    )  # fmt: skip
    assert result.exit_code == 1 and "superbill" in result.output


@pytest.mark.usefixtures("fast_scribe")
def test_claims_cli_names_missing_settings_never_the_patient(files: tuple[Path, Path]) -> None:
    dictation, patient = files
    result = CliRunner().invoke(
        app,
        ["claim", str(dictation), "--patient", str(patient), "--payer", "commercial",
         "--dos", "2026-01-05"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "SCRIBE_CLAIM_BILLING_NPI" in result.output
    for secret in (SECRET, "jane_doe", "gluteus", "ACCT-1"):
        assert secret not in result.output


@pytest.mark.usefixtures("practice")
def test_claims_cli_refuses_a_bad_patient_file_without_quoting_it(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    dictation, _ = files
    bad = tmp_path / "jane_doe_1961_bad.yaml"
    bad.write_text(PATIENT.replace("sex: U", "sex: female"), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["claim", str(dictation), "--patient", str(bad), "--dos", "2026-01-05"]
    )
    assert result.exit_code == 1 and "patient.sex" in result.output
    assert "female" not in result.output and SECRET not in result.output


def test_claims_fee_schedule_charges(tmp_path: Path) -> None:
    schedule = FeeSchedule(
        schema_version="1",
        description="a test practice fee schedule",
        source="test",
        fees=[Fee(id="dn-3", code="20561", charge=95.0, effective="2026-01-01", source="test")],
        default_multiplier=1.5,
    )
    listed = ClaimLine(code="20561", units=1, payment_estimate=38.08)
    other = ClaimLine(code="20560", units=1, payment_estimate=24.72)
    import datetime as dt

    assert line_charge(listed, schedule, dt.date(2026, 2, 1)) == 95.0
    assert line_charge(listed, schedule, dt.date(2025, 12, 1)) == pytest.approx(57.12)
    assert line_charge(other, schedule, dt.date(2026, 2, 1)) == pytest.approx(37.08)
