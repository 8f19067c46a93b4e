"""Charts whose mark stands under a column headed by the procedure ("Muscle   Side   DN"):
scribe/nlp/answer_rows.py ``ticked_column``."""

from __future__ import annotations

from scribe import Scribe


def test_chart_a_mark_under_the_procedure_column_is_treated(scribe: Scribe) -> None:
    text = (
        "DOS 05/04/2026\n"
        "Treatment chart:\n"
        "  Muscle               Side  DN\n"
        "  Gluteus medius       R     ✓\n"
        "  Piriformis           R     ✓\n"
        "No injectate. Tolerated well.\n"
    )
    note = scribe.extract(text).note
    assert {(m.name, m.laterality, m.status) for m in note.muscles} == {
        ("gluteus medius", "right", "treated"),
        ("piriformis", "right", "treated"),
    }


def test_chart_a_mark_under_another_column_treats_nothing(scribe: Scribe) -> None:
    text = (
        "Dry needling R QL today.\n"
        "  Muscle               Side  TTP   DN\n"
        "  Piriformis           R     ✓\n"
    )
    statuses = {m.name: m.status for m in scribe.extract(text).note.muscles}
    assert statuses.get("piriformis") != "treated"


def test_chart_that_the_narrative_contradicts_is_a_status_conflict(scribe: Scribe) -> None:
    text = (
        "Treatment chart:\n"
        "  Muscle               Side  DN\n"
        "  Gluteus medius       R     ✓\n"
        "  Piriformis           R     ✓\n"
        "Narrative: Needled R glute med with LTRs. R piriformis not needled today. No injectate.\n"
    )
    result = scribe.extract(text)
    [piriformis] = [m for m in result.note.muscles if m.name == "piriformis"]
    assert piriformis.status_conflict
    assert "status-conflict" in {p.id for p in result.coding.prompts}
    assert [line.code for line in result.coding.lines] == ["20560"]


def _techniques(text: str, scribe: Scribe) -> dict[str, list[str]]:
    note = scribe.extract(text).note
    return {m.name: list(m.techniques) for m in note.muscles if m.status == "treated"}


def test_rows_that_name_their_own_columns_each_say_their_procedure(scribe: Scribe) -> None:
    # no header row: the first row is a row like the others, and each row's "Method" decides
    text = (
        "PROCEDURE LOG\n"
        "1 | Muscle: infraspinatus | Side: L | Method: TPI | Drug: lidocaine 1% 2 mL\n"
        "2 | Muscle: teres minor | Side: L | Method: TPI | Drug: lidocaine 1% 1 mL\n"
        "3 | Muscle: posterior deltoid | Side: L | Method: DN | Drug: none | Needles: 2\n"
        "Tolerated well.\n"
    )
    assert _techniques(text, scribe) == {
        "infraspinatus": ["injection"],
        "teres minor": ["injection"],
        "posterior deltoid": ["needling"],
    }


def test_a_grid_of_boxes_under_a_treated_header_gives_sides_and_treatment(scribe: Scribe) -> None:
    """The side-column header says what a box means ("Muscle needled"); a needle count may
    close the row; an unticked row is no treatment."""
    text = (
        "Dry needling form\n"
        "\n"
        "Muscle needled        Rt    Lt    Both   # needles\n"
        "Gluteus medius        [x]   [ ]   [ ]       3\n"
        "Piriformis            [ ]   [ ]   [x]       4\n"
        "Quadratus lumborum    [ ]   [ ]   [ ]\n"
        "\n"
        "Tolerated well.\n"
    )
    result = scribe.extract(text)
    assert {(m.name, m.laterality, m.status) for m in result.note.muscles} == {
        ("gluteus medius", "right", "treated"),
        ("piriformis", "bilateral", "treated"),
    }
    assert [line.code for line in result.coding.lines] == ["20561"]


def test_a_grid_of_boxes_under_a_plain_side_header_says_nothing_was_done(scribe: Scribe) -> None:
    text = (
        "Dry needling discussed.\n"
        "\n"
        "Trigger points      R     L\n"
        "Gluteus medius      [x]   [ ]\n"
        "Piriformis          [x]   [x]\n"
    )
    assert scribe.extract(text).coding.lines == []


def test_boxes_written_on_the_names_of_one_line_decide_each_name(scribe: Scribe) -> None:
    """An unchecked box on a name in a row of boxed names is no treatment, though the row
    follows "DN performed:"; boxes before and after their names alike."""
    for text in (
        "DN performed:  [x] L glute med   [ ] L piriformis   [ ] L QL   [x] L TFL",
        "DN performed:  L glute med [x]   L piriformis [ ]   L QL [ ]   L TFL [x]",
    ):
        result = scribe.extract(text)
        treated = {m.name for m in result.note.muscles if m.status == "treated"}
        assert treated == {"gluteus medius", "tensor fasciae latae"}
        assert [line.code for line in result.coding.lines] == ["20560"]


def test_boxed_names_with_their_sides_on_one_line_keep_each_own_side(scribe: Scribe) -> None:
    """A side letter right after a box and right before a name is that name's, not a side box
    of the name before it: the checked right levator is not the unchecked left one."""
    text = (
        "Muscles needled: [x] R upper trapezius [ ] L upper trapezius "
        "[x] R levator scapulae [ ] L levator scapulae"
    )
    result = scribe.extract(text)
    treated = {(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"}
    assert treated == {("upper trapezius", "right"), ("levator scapulae", "right")}


def test_a_flowsheet_of_visits_treats_today_only_what_its_today_column_marks(
    scribe: Scribe,
) -> None:
    text = (
        "Dry needling log (x = needled)\n"
        "| Muscle             | Side | Visit 1 | Visit 2 | Visit 3 (today) |\n"
        "|--------------------|------|---------|---------|-----------------|\n"
        "| Gluteus medius     | L    | x       | x       | x               |\n"
        "| Piriformis         | L    | x       |         |                 |\n"
        "| Quadratus lumborum | L    |         |         | x               |\n"
        "| Gluteus minimus    | L    |         |         |                 |\n"
        "Needles used today: 9. No injectate.\n"
    )
    note = scribe.extract(text).note
    assert {(m.name, m.laterality, m.status) for m in note.muscles} == {
        ("gluteus medius", "left", "treated"),
        ("piriformis", "left", "historical"),
        ("quadratus lumborum", "left", "treated"),
    }  # (the gluteus minimus, marked on no visit, is only named)
    assert [c.count for c in note.rationale.needle_counts] == [9]


def test_a_flowsheet_laid_out_with_spaces_treats_today_only_what_its_today_column_marks(
    scribe: Scribe,
) -> None:
    text = (
        "TRIGGER POINT DRY NEEDLING LOG\n"
        "                          03/02      03/09      03/16 (today)\n"
        "  L gluteus medius          x          x          x\n"
        "  L piriformis              x          x          -\n"
        "  L quadratus lumborum      -          -          x\n"
        "  Injectate                 none       none       none\n"
        "\n"
        "Tolerated well.\n"
    )
    note = scribe.extract(text).note
    assert {(m.name, m.laterality, m.status) for m in note.muscles} == {
        ("gluteus medius", "left", "treated"),
        ("piriformis", "left", "historical"),
        ("quadratus lumborum", "left", "treated"),
    }


def test_a_flowsheet_with_a_muscle_column_title_reads_its_rows_by_place(scribe: Scribe) -> None:
    text = (
        "DN flowsheet\n"
        "Muscle              Visit 2     Visit 3     Visit 4 (today)\n"
        "R upper trapezius   x                       x\n"
        "R levator scapulae  x           x\n"
        "\n"
        "No injectate. Tolerated well.\n"
    )
    statuses = {m.name: m.status for m in scribe.extract(text).note.muscles}
    assert statuses == {"upper trapezius": "treated", "levator scapulae": "historical"}


def test_a_log_whose_injectate_column_says_none_is_dry_needling(scribe: Scribe) -> None:
    text = (
        "DRY NEEDLING LOG\n"
        "| Date       | Muscles needled | Injectate | Response |\n"
        "|------------|-----------------|-----------|----------|\n"
        "| today      | R QL, L QL      | none      | LTR      |\n"
        "ADDENDUM: Pt asked whether he should accept the steroid trigger point injection Dr. Roe "
        "offered for his L QL. Advised to discuss it with Dr. Roe at his next visit; no "
        "injection was given at this clinic today.\n"
    )
    result = scribe.extract(text)
    treated = {(m.name, m.laterality) for m in result.note.muscles if m.status == "treated"}
    assert treated == {("quadratus lumborum", "right"), ("quadratus lumborum", "left")}
    assert [line.code for line in result.coding.lines] == ["20560"]


def test_a_grid_row_of_side_columns_is_checked_by_any_of_its_boxes() -> None:
    """ "Upper trapezius  [ ]  [ ]  [X]" under "R  L  Bilat": the row's first box is its right
    column, not a box on the name; a row whose boxes say Yes / No stays read by its answer."""
    from scribe import Scribe

    text = (
        "Muscles needled - side (check one per row):\n"
        "                          R      L      Bilat\n"
        "Upper trapezius          [ ]    [ ]    [X]\n"
        "Levator scapulae         [X]    [ ]    [ ]\n"
        "Splenius capitis         [ ]    [X]    [ ]\n"
        "Injectate: [X] None (dry needling only)\n"
    )
    result = Scribe().extract(text)
    assert {(m.name, m.laterality, m.status) for m in result.note.muscles} == {
        ("upper trapezius", "bilateral", "treated"),
        ("levator scapulae", "right", "treated"),
        ("splenius capitis", "left", "treated"),
    }
    assert result.coding.muscle_count == 4
