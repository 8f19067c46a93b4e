"""In a real browser: a clinician uploads or records a dictation and sees the coded note."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from web_support import (
    PASSWORD,
    WebApp,
    horizontal_overflow,
    paste_encounter,
    recorder_page,
    sign_in,
    unlabelled_controls,
)

REPO = Path(__file__).resolve().parents[2]
DEMO_FLAC = REPO / "fixtures" / "demo" / "dictation.flac"
TRANSCRIBED = 180_000  # ms: transcription of the 38 s demo on two busy cores, with margin


def _wait_until_coded(page: Any) -> None:
    """Until the page shows the claim (or the job's failure, which fails the test at once)."""
    page.locator("#claim-h, p.error").first.wait_for(timeout=TRANSCRIBED)
    assert page.locator("#claim-h").count() == 1, page.locator("p.error").inner_text()


def test_web_clinician_uploads_a_recording_and_sees_the_coded_note(
    new_context: Any, web_app: WebApp, screenshots: Path
) -> None:
    page = new_context().new_page()
    sign_in(page, "lee")
    page.goto("/encounters/new")
    page.get_by_label("Payer").select_option("commercial")
    page.get_by_label("Patient reference").fill("MRN-1001")
    page.screenshot(path=screenshots / "new-encounter.png", full_page=True)
    page.get_by_label("Recording (wav, flac").set_input_files(DEMO_FLAC)
    page.get_by_role("button", name="Transcribe and code").click()
    page.wait_for_url("**/encounters/*-*")
    _wait_until_coded(page)

    text = page.locator("#text")
    treated = text.locator(".k-m.st-treated")
    assert treated.count() >= 3
    titles = " ".join(treated.evaluate_all("spans => spans.map(s => s.title)"))
    assert "upper trapezius, right: treated" in titles
    assert "levator scapulae" in titles
    assert text.locator(".k-inj").count() >= 1  # "no medication ... was injected"
    assert text.locator(".k-find").count() >= 1 and text.locator(".k-pain").count() >= 1
    assert page.locator("table.claim td.code").all_inner_texts() == ["20561"]
    # every prompt with words is pinned next to them, and the list links back to the pins
    for pin in page.locator("a.pin").all():
        target = pin.get_attribute("href")
        assert target is not None and page.locator(target).count() == 1

    # playback: clicking a word plays from its timestamp, and that word is outlined
    player = page.locator("#player")
    player.evaluate(
        "p => new Promise(r => p.readyState >= 1 ? r() : p.addEventListener('loadedmetadata', r))"
    )
    word = text.locator(".w[data-s]").nth(20)
    start = float(word.get_attribute("data-s") or "nan")
    word.click()
    seeked = player.evaluate("p => p.currentTime")
    assert abs(seeked - start) < 0.6
    assert word.evaluate("w => w.classList.contains('playing')")
    player.evaluate("p => p.pause()")
    page.screenshot(path=screenshots / "encounter.png", full_page=True)


def test_web_clinician_records_in_the_browser(
    new_context: Any, web_app: WebApp, screenshots: Path
) -> None:
    """Chromium's fake microphone plays the demo dictation (see conftest.fake_microphone)."""
    page = recorder_page(new_context(), web_app.base_url)
    page.goto("/encounters/new")
    page.get_by_role("button", name="Start recording").click()
    # the timer runs (polled by Playwright: the page's content policy forbids eval)
    expect(page.locator("#rec-timer")).to_have_text(re.compile(r"^0:1[2-9]$"), timeout=30_000)
    peak = page.evaluate("document.getElementById('rec-level').value")
    assert peak > 0  # the level meter moves with the voice
    page.screenshot(path=screenshots / "recording.png")
    page.get_by_role("button", name="Stop and send").click()
    page.wait_for_url("**/encounters/*-*", timeout=30_000)
    _wait_until_coded(page)
    transcript = page.locator("#text").inner_text().lower()
    assert "neck" in transcript and "pain" in transcript
    assert page.locator("#text .w[data-s]").count() > 10  # words with their timestamps


def test_web_clinician_sees_only_their_own_encounters(new_context: Any, web_app: WebApp) -> None:
    other = new_context().new_page()
    sign_in(other, "kim")
    theirs = paste_encounter(other)
    page = new_context().new_page()
    sign_in(page, "lee")
    answer = page.goto(f"/encounters/{theirs}")
    assert answer is not None and answer.status == 404
    page.goto("/encounters")
    assert page.locator(f"a[href='/encounters/{theirs}']").count() == 0
    for suffix in ("/revisions", "/status", "/audio"):
        assert page.request.get(f"/encounters/{theirs}{suffix}").status == 404


def test_web_encounter_page_at_tablet_width_and_by_keyboard(
    new_context: Any, web_app: WebApp, screenshots: Path
) -> None:
    page = new_context(width=768, height=1024).new_page()
    page.goto("/login")
    # the username field has focus (autofocus applies once the page has loaded: wait for it,
    # or keys typed on a busy machine go nowhere)
    expect(page.locator("#username")).to_be_focused()
    page.keyboard.type("lee")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/encounters")
    paste_encounter(page)
    assert horizontal_overflow(page) <= 0
    assert unlabelled_controls(page) == []
    page.screenshot(path=screenshots / "encounter-tablet.png", full_page=True)
    page.goto("/encounters/new")
    assert unlabelled_controls(page) == [] and horizontal_overflow(page) <= 0
