"""In a real browser: reviewers correct, re-code and sign off; two reviewers at once; the QA
and gold pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from web_support import WebApp, horizontal_overflow, paste_encounter, sign_in, unlabelled_controls


def _codes(page: Any) -> list[str]:
    codes: list[str] = page.locator("table.claim td.code").all_inner_texts()
    return codes


def _muscle_form(page: Any, name: str) -> Any:
    return page.locator("form.correction").filter(has=page.locator(f"legend:has-text('{name}')"))


def test_web_reviewer_removes_a_muscle_then_signs_off(
    new_context: Any, web_app: WebApp, screenshots: Path
) -> None:
    clinician = new_context().new_page()
    sign_in(clinician, "lee")
    encounter_id = paste_encounter(clinician)
    assert _codes(clinician) == ["20561"]

    page = new_context().new_page()
    sign_in(page, "rita")
    page.goto(f"/encounters/{encounter_id}")
    assert unlabelled_controls(page) == []
    form = _muscle_form(page, "rhomboid major")
    form.get_by_label("Reason").fill("rhomboid was palpated, not needled")
    form.get_by_role("button", name="Remove").click()
    page.wait_for_url(f"**/encounters/{encounter_id}?m=corrected*")
    assert page.get_by_role("status").first.inner_text().startswith("Correction saved")
    assert _codes(page) == ["20560"]  # re-coded at once: two muscles
    assert "rhomboid major" not in page.locator("table.muscles").inner_text()
    page.screenshot(path=screenshots / "review-corrected.png", full_page=True)

    page.get_by_role("button", name="Sign off revision").click()
    page.wait_for_url("**?m=signed-off")
    assert page.locator(".signed").inner_text() == "signed off"
    assert page.locator("form.correction").count() == 0  # no more corrections

    page.goto(f"/encounters/{encounter_id}/revisions")
    newest = page.locator("article.revision").first
    assert "correction" in newest.locator("h2").inner_text()
    assert "rhomboid was palpated, not needled" in newest.inner_text()
    assert "remove rhomboid-major" in newest.inner_text() or "remove" in newest.inner_text()
    diff = newest.locator("table.diff").inner_text()
    assert "rhomboid major (right)" in diff and "20561" in diff and "20560" in diff
    page.screenshot(path=screenshots / "revisions.png", full_page=True)

    # the clinician sees the corrected, signed-off note
    clinician.reload()
    assert _codes(clinician) == ["20560"]


def test_web_two_reviewers_second_sees_the_conflict_and_reapplies(
    new_context: Any, web_app: WebApp, screenshots: Path
) -> None:
    clinician = new_context().new_page()
    sign_in(clinician, "lee")
    encounter_id = paste_encounter(clinician)
    first, second = new_context().new_page(), new_context().new_page()
    sign_in(first, "rita")
    sign_in(second, "sam")
    for page in (first, second):
        page.goto(f"/encounters/{encounter_id}")

    form = _muscle_form(first, "rhomboid major")
    form.get_by_label("Reason").fill("not needled")
    form.get_by_role("button", name="Remove").click()
    first.wait_for_url("**?m=corrected*")

    # the second reviewer still has the page of the earlier revision
    form = _muscle_form(second, "levator scapulae")
    form.get_by_label("Side").select_option("left")
    form.get_by_label("Reason").fill("the dictation says left levator")
    form.get_by_role("button", name="Save change").click()
    conflict = second.get_by_role("alert").filter(has_text="Someone else saved")
    conflict.wait_for()
    assert "Your change was not applied" in conflict.inner_text()
    assert _codes(second) == ["20560"]  # the page now shows the other reviewer's revision
    second.screenshot(path=screenshots / "conflict.png", full_page=True)
    second.get_by_role("button", name="Re-apply my change").click()
    second.wait_for_url("**?m=corrected*")
    sides = second.locator("table.muscles").inner_text()
    assert "levator scapulae\tleft" in sides.replace("\n", "\t")


def test_web_queue_filters_and_counts(new_context: Any, web_app: WebApp, screenshots: Path) -> None:
    clinician = new_context().new_page()
    sign_in(clinician, "kim")
    vague = paste_encounter(clinician, "Dry needling to the paraspinals today. Tolerated well.")
    page = new_context().new_page()
    sign_in(page, "rita")
    page.goto("/queue")
    assert "to review" in page.locator("main p").first.inner_text()
    page.get_by_label("Clinician").select_option(
        label=page.locator("select[name=clinician] option", has_text="Dr Kim").inner_text()
    )
    page.get_by_role("button", name="Filter").click()
    assert page.locator(f"a[href='/encounters/{vague}']").count() == 1
    assert all(
        name == "Dr Kim"
        for name in page.locator("table.list tbody td:nth-child(3)").all_inner_texts()
    )
    page.screenshot(path=screenshots / "queue.png", full_page=True)
    assert horizontal_overflow(page) <= 0


def test_web_qa_and_gold_pages(new_context: Any, web_app: WebApp, screenshots: Path) -> None:
    clinician = new_context().new_page()
    sign_in(clinician, "lee")
    encounter_id = paste_encounter(clinician)
    page = new_context().new_page()
    sign_in(page, "rita")
    page.goto(f"/encounters/{encounter_id}")
    form = _muscle_form(page, "rhomboid major")
    form.get_by_label("Reason").fill("palpated only")
    form.get_by_label("Status").select_option("palpated_only")
    form.get_by_role("button", name="Save change").click()
    page.wait_for_url("**?m=corrected*")
    page.get_by_role("button", name="Sign off revision").click()
    page.wait_for_url("**?m=signed-off")

    page.goto("/qa")
    assert page.locator("svg.chart").count() == 5
    assert "Share of 20561" in page.locator("main").inner_text()
    page.screenshot(path=screenshots / "qa.png", full_page=True)

    page.goto("/qa/gold")
    wrong = page.locator(f"a[href='/encounters/{encounter_id}']").locator("xpath=..")
    assert "muscles" in wrong.inner_text() and "lines" in wrong.inner_text()
    page.screenshot(path=screenshots / "gold.png", full_page=True)
    answer = page.request.get("/qa/gold.yaml")
    assert answer.status == 200
    cases = {case["id"]: case for case in yaml.safe_load_all(answer.text())}
    lines = cases[encounter_id]["expect"]["lines"]
    assert [line["code"] for line in lines] == ["20560"]
