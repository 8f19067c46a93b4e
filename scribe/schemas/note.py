"""The structured note: every fact keeps the words it came from."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from scribe.schemas.common import Evidence, Frozen

Laterality = Literal["right", "left", "bilateral", "unspecified"]
MuscleStatus = Literal["treated", "negated", "planned", "historical", "palpated_only"]
# "mentioned": named with no sign of treatment, negation, plan, history or palpation.
MentionStatus = Literal["treated", "negated", "planned", "historical", "palpated_only", "mentioned"]
LateralitySource = Literal["explicit", "list", "context", "none", "reviewer"]
# "reviewer": added or changed by a QA reviewer; such items have no words in the text
# (start == end == 0, text "").
Origin = Literal["dictation", "reviewer"]
MatchKind = Literal["exact", "fuzzy"]
Technique = Literal["needling", "injection"]
Binding = Literal["clause", "section", "list", "anaphora", "substance"]
ProcedureKind = Literal[
    "dry_needling",
    "trigger_point_injection",
    "chemodenervation",
    "acupuncture",
    "injection",
    "needle_electrodiagnosis",
]
# "mentioned": named in template, education or consent text, not reported as done or planned
ProcedureTime = Literal["today", "planned", "past", "not_done", "asked", "mentioned"]
DocumentKind = Literal[
    "clinical_note",
    "operative_report",
    "imaging_report",
    "electrodiagnostic_report",
    "discharge_summary",
]
InjectateStatus = Literal["none_confirmed", "injected", "not_documented"]
FindingKind = Literal[
    "trigger_point",
    "taut_band",
    "jump_sign",
    "local_twitch_response",
    "referred_pain",
    "symptom_reproduction",
    "tenderness",
]
# the findings that document a trigger point (Simons and Travell's criteria): tenderness
# alone does not
TRIGGER_POINT_FINDINGS: frozenset[str] = frozenset(get_args(FindingKind)) - {"tenderness"}


class MuscleMention(Evidence):
    """One place in the text where a muscle is named."""

    laterality: Laterality
    laterality_source: LateralitySource
    status: MentionStatus
    side_cue: Evidence | None = None
    status_cue: Evidence | None = None
    match: MatchKind = "exact"
    match_score: float = 1.0
    technique: Technique | None = Field(
        default=None, description="How a treated mention was treated: needled dry, or injected."
    )
    binding: Binding | None = Field(
        default=None,
        description="How a treated mention is tied to its procedure: the words of its clause, "
        "the heading of its section, a list or table under a procedure header, a word pointing "
        "back at it, or a substance given into it.",
    )
    checkbox: Literal["checked", "unchecked"] | None = Field(
        default=None, description="The template box in front of the mention, if any."
    )


class Muscle(Evidence):
    """A muscle on one side (or bilateral, as written), merged over its mentions.

    ``start``/``end``/``text`` point at the mention that decided ``status``.
    """

    id: str
    name: str
    counting_id: str = Field(description="Muscle this counts as (parent of a subdivision).")
    region: str
    group: str
    laterality: Laterality
    laterality_source: LateralitySource
    status: MuscleStatus
    match: MatchKind = "exact"
    techniques: list[Technique] = Field(
        default_factory=list, description="Techniques of the treated mentions (both = conflict)."
    )
    mentions: list[MuscleMention]
    findings: list[FindingKind] = Field(
        default_factory=list, description="Trigger-point findings documented for this muscle."
    )
    status_conflict: bool = Field(
        default=False,
        description="The note says both that this muscle and side was treated today and that "
        "it was not (or is planned): it is kept out of the count until a reviewer decides; "
        "``status`` is the other status and ``mentions`` hold both.",
    )
    origin: Origin = "dictation"


class GroupMention(Evidence):
    """A muscle group or vague region ("rotator cuff", "paraspinals"): never counted."""

    id: str
    name: str
    kind: Literal["group", "vague"]
    laterality: Laterality
    status: MentionStatus
    members: list[str] = Field(default_factory=list)


class OtherMention(Evidence):
    """A muscle named with no sign that it was treated (history, complaints, education)."""

    id: str
    name: str
    laterality: Laterality
    done_cue: Evidence | None = Field(
        default=None,
        description="A generic verb saying something was done to it today ('I did', 'worked "
        "on') when no procedure the note names reaches it: a procedure that cannot be coded.",
    )


class MuscleRef(Frozen):
    id: str
    name: str
    laterality: Laterality


class Substance(Evidence):
    """A substance named in an injection statement."""

    name: str
    category: str
    status: Literal["injected", "negated", "planned", "historical", "mentioned"]
    dose: Evidence | None = None
    muscles: list[MuscleRef] = Field(default_factory=list)
    origin: Origin = "dictation"


class Injectate(Frozen):
    status: InjectateStatus
    statements: list[Evidence] = Field(
        default_factory=list, description="Explicit statements that nothing was injected."
    )
    substances: list[Substance] = Field(default_factory=list)


class Finding(Evidence):
    kind: FindingKind
    negated: bool = False
    muscle_ids: list[str] = Field(default_factory=list)
    referral_target: Evidence | None = None


class Measure(Evidence):
    value: float
    scale_max: float | None = None


class PainResponse(Frozen):
    before: Measure | None = None
    after: Measure | None = None


class RangeOfMotion(Evidence):
    motion: str | None = None
    before_degrees: float | None = None
    after_degrees: float | None = None
    improved: bool | None = None


class NeedleCount(Evidence):
    count: int
    total: bool = Field(default=False, description="Stated as the session total.")


class StatedCount(Evidence):
    """A number of muscles the clinician states ("three muscles were needled")."""

    value: int


class Rationale(Frozen):
    findings: list[Finding] = Field(default_factory=list)
    functional_limitations: list[Evidence] = Field(default_factory=list)
    pain: PainResponse = Field(default_factory=PainResponse)
    rom: list[RangeOfMotion] = Field(default_factory=list)
    tolerance: Evidence | None = None
    consent: Evidence | None = None
    needle_counts: list[NeedleCount] = Field(default_factory=list)

    def needles_used(self) -> int | None:
        """The needles of the session: the first total stated, else the counts added up."""
        totals = [c.count for c in self.needle_counts if c.total]
        if totals:
            return totals[0]
        return sum(c.count for c in self.needle_counts) if self.needle_counts else None


class Procedure(Evidence):
    """A procedure the note speaks of: what, when, to whom, and the muscles tied to it.
    ``start``/``end``/``text`` are the words (or the heading) that name it."""

    kind: ProcedureKind
    time: ProcedureTime
    experiencer: Literal["patient", "other"] = "patient"
    section: str | None = Field(default=None, description="The note section it is in.")
    muscles: list[MuscleRef] = Field(default_factory=list)
    time_cue: Evidence | None = Field(
        default=None, description="The words that put it out of today, if any."
    )
    named_as: ProcedureKind | None = Field(
        default=None,
        description="The procedure its words name, when the note shows it was another: a "
        "trigger point injection that put nothing in is dry needling.",
    )


DiagnosisStatus = Literal["current", "negated", "historical", "other_person", "hypothetical"]
# "words": found in the words of the note; "written_code": an ICD-10-CM code written in it
DiagnosisSource = Literal["words", "written_code"]
# Why a diagnosis is not on the claim: not today's (negated, someone else's, past, uncertain),
# no code for its words, a written code that is not billable, covered by a more specific
# diagnosis, or the note writes its own billable codes (they are the claim's diagnoses).
LeftOut = Literal["not_today", "no_code", "not_billable", "covered", "written_codes"]


class DiagnosisMention(Evidence):
    """One place in the text that states the diagnosis."""

    status: DiagnosisStatus
    source: DiagnosisSource = "words"
    status_cue: Evidence | None = None
    side_cue: Evidence | None = None


class Diagnosis(Evidence):
    """A diagnosis or complaint the note states, with the ICD-10-CM code it takes.

    ``start``/``end``/``text`` point at the first mention; the code, its description and
    whether it is billable come from the ICD-10-CM data package."""

    code: str | None = Field(description="ICD-10-CM code, or None when the words give none.")
    description: str | None = Field(default=None, description="Tabular description of code.")
    concept: str | None = Field(default=None, description="Id in lexicons/diagnoses.yaml.")
    name: str
    status: DiagnosisStatus
    laterality: Laterality = "unspecified"
    source: DiagnosisSource = "words"
    billable: bool = False
    specific_cause: bool = Field(
        default=False, description="A specific cause of low back pain (NCD 30.3.3)."
    )
    on_claim: bool = False
    left_out: LeftOut | None = None
    covered_by: str | None = Field(default=None, description="The code that covers this one.")
    mentions: list[DiagnosisMention] = Field(default_factory=list)
    origin: Origin = "dictation"


class Note(Frozen):
    """Structured note for one dry needling session."""

    schema_version: Literal["1"] = "1"
    document_kind: DocumentKind = "clinical_note"
    procedures: list[Procedure] = Field(default_factory=list)
    muscles: list[Muscle] = Field(default_factory=list)
    groups: list[GroupMention] = Field(default_factory=list)
    other_mentions: list[OtherMention] = Field(default_factory=list)
    injectate: Injectate
    rationale: Rationale = Field(default_factory=Rationale)
    stated_muscle_counts: list[StatedCount] = Field(default_factory=list)
    unread_names: list[Evidence] = Field(
        default_factory=list,
        description="Items of a list of needled muscles that name no muscle the lexicon "
        "knows ('rhomb maj/min', 'SPS'): muscles that may have been needled and are not counted.",
    )
    diagnoses: list[Diagnosis] = Field(
        default_factory=list, description="Diagnoses and complaints stated, with their codes."
    )
    text_length: int = Field(ge=0)
