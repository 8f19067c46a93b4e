"""``scribe claim``: the encounter's 837P claim file or superbill, from a dictation or a saved
extraction, with the patient and payer from a file the practice gives (never guessed)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import yaml
from pydantic import ValidationError

from scribe.cli import _fail, app, read_dictation
from scribe.cli_options import (
    AbnArg,
    ClbpArg,
    DosArg,
    OtherCodesArg,
    PayerArg,
    PolicyOption,
    PriorArg,
    ProviderArg,
    SessionArg,
    StateArg,
    encounter_context,
    settings_with_policies,
)
from scribe.config import Settings, get_claim_settings
from scribe.errors import InputError, ScribeError
from scribe.lexicons import summarise_validation
from scribe.schemas.claim import ClaimParties
from scribe.schemas.coding import CodingResult
from scribe.schemas.context import EncounterContext
from scribe.schemas.note import Note


class ClaimFormat(StrEnum):
    x837p = "837p"
    superbill = "superbill"


def _parties(path: Path) -> ClaimParties:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError("the patient file cannot be read as YAML or JSON") from exc
    try:
        return ClaimParties.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"the patient file: {summarise_validation(exc)}") from exc


def _coded(source: str, context: EncounterContext, settings: Settings) -> CodingResult:
    """Code the input: a dictation is extracted first; a saved extraction (or a note) is
    coded again with this context."""
    text = read_dictation(source, max_chars=settings.max_input_chars * 20)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        try:
            note = Note.model_validate(data.get("note", data))
        except ValidationError as exc:
            raise InputError(f"the note: {summarise_validation(exc)}") from exc
        from scribe.coding import code, load_rules

        rules = load_rules(
            settings.lexicon_dir / "billing", extra_policy_files=settings.payer_policy_files
        )
        return code(note, context, rules=rules)
    if len(text) > settings.max_input_chars:
        raise InputError("the dictation is over the size limit")
    from scribe.pipeline import Scribe

    return Scribe(settings=settings).extract(text, context).coding


@app.command("claim")
def claim(
    source: Annotated[
        str,
        typer.Argument(
            metavar="INPUT|-", help="A dictation, or a saved `scribe extract` JSON result."
        ),
    ],
    patient: Annotated[
        Path,
        typer.Option(
            "--patient",
            exists=True,
            dir_okay=False,
            help="YAML or JSON: the patient (name, birth date, sex, address, member id, "
            "account number) and the payer (name, payer id).",
        ),
    ],
    output: Annotated[
        ClaimFormat, typer.Option("--format", "-f", help="837p or superbill (HTML).")
    ] = ClaimFormat.x837p,
    payer: PayerArg = None,
    clbp: ClbpArg = False,
    session_number: SessionArg = None,
    abn_option: AbnArg = None,
    other_codes: OtherCodesArg = None,
    provider: ProviderArg = None,
    dos: DosArg = None,
    prior_sessions: PriorArg = None,
    policy: PolicyOption = None,
    state: StateArg = None,
) -> None:
    """Write the encounter's professional claim as X12 837P (005010X222A1, validated with
    pyx12), or a superbill for a patient who pays (self-pay, ABN option 2). The providers,
    submitter, receiver and fee schedule come from SCRIBE_CLAIM_* settings."""
    from scribe.claims.service import claim_837p, superbill_html

    settings = settings_with_policies(policy)
    try:
        context = encounter_context(
            payer,
            clbp,
            session_number,
            abn_option,
            other_codes,
            provider,
            dos,
            prior_sessions,
            state,
        )
        if context.dos is None:
            raise InputError("a claim needs the date of service (--dos)")
        parties = _parties(patient)
        try:
            claim_settings = get_claim_settings()
        except ValidationError as exc:
            raise InputError(f"claim settings: {summarise_validation(exc)}") from exc
        coding = _coded(source, context, settings)
        if output is ClaimFormat.x837p:
            text = claim_837p(
                coding, context, parties, claim_settings, lexicon_dir=settings.lexicon_dir
            )
        else:
            text = superbill_html(
                coding, context, parties, claim_settings, lexicon_dir=settings.lexicon_dir
            )
    except ScribeError as exc:
        raise _fail(str(exc)) from None
    sys.stdout.write(text)
