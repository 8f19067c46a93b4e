"""HTTP details: body limits for chunked bodies, strong If-Match, no caching of health data,
405 for a path that exists with another method, and an OpenAPI document that lists the answers
the service really gives."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from api_support import DICTATION, Api

from api.problems import PROBLEM_JSON


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    yield b'{"text": "'
    sent = 0
    while sent < total:
        yield b"a" * size
        sent += size
    yield b'"}'


def test_api_http_chunked_body_over_the_limit_is_413(make_api: Callable[..., Api]) -> None:
    api = make_api(max_input_chars=1000)
    response = api.client.post(
        "/v1/encounters/text", content=_chunks(2_000_000),  # no Content-Length: chunked
        headers=api.auth("clinician", **{"Content-Type": "application/json"}),
    )  # fmt: skip
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM_JSON


def test_api_http_chunked_upload_over_the_limit_is_413(make_api: Callable[..., Api]) -> None:
    api = make_api(max_upload_bytes=100_000)
    boundary = b"xBOUNDARYx"

    def body() -> Iterator[bytes]:
        yield (b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; '
               b'filename="a.flac"\r\nContent-Type: audio/flac\r\n\r\nfLaC')  # fmt: skip
        for _ in range(40):
            yield b"\x00" * 64 * 1024
        yield b"\r\n--" + boundary + b"--\r\n"

    response = api.client.post(
        "/v1/encounters/audio", content=body(),
        headers=api.auth("clinician", **{
            "Content-Type": f"multipart/form-data; boundary={boundary.decode()}"}),
    )  # fmt: skip
    assert response.status_code == 413, response.text
    assert not api.settings.audio_dir.exists() or list(api.settings.audio_dir.iterdir()) == []


@pytest.mark.parametrize("path", ["/v1/encounters/{id}/note", "/v1/encounters/{id}/sign-off"])
def test_api_http_if_match_is_strong_and_required(api: Api, path: str) -> None:
    encounter = api.create_text()
    url = path.format(id=encounter["id"])
    method = "PATCH" if path.endswith("/note") else "POST"
    body = {"reason": "fix side", "operations": [
        {"op": "set_laterality", "muscle": "upper trapezius", "to": "right"}]}  # fmt: skip
    json = body if method == "PATCH" else None
    missing = api.client.request(method, url, json=json, headers=api.auth("reviewer"))
    assert missing.status_code == 428
    weak = f'W/"{encounter["revision"]}"'
    answered = api.client.request(method, url, json=json,
                                  headers=api.auth("reviewer", **{"If-Match": weak}))  # fmt: skip
    assert answered.status_code == 412  # RFC 9110: If-Match uses the strong comparison
    strong = f'"{encounter["revision"]}"'
    done = api.client.request(method, url, json=json,
                              headers=api.auth("reviewer", **{"If-Match": strong}))  # fmt: skip
    assert done.status_code == 200, done.text


def test_api_http_health_data_is_never_cached(api: Api) -> None:
    encounter = api.create_text()
    for response in (
        api.client.get(f"/v1/encounters/{encounter['id']}", headers=api.auth("clinician")),
        api.client.get("/v1/encounters", headers=api.auth("reviewer")),
        api.client.get(f"/v1/encounters/{encounter['id']}/fhir", headers=api.auth("reviewer")),
        api.client.get(f"/v1/encounters/{encounter['id']}/revisions", headers=api.auth("reviewer")),
        api.client.get(
            "/v1/encounters/00000000-0000-4000-8000-000000000000", headers=api.auth("reviewer")
        ),
        api.client.post(
            "/v1/encounters/text", json={"text": DICTATION}, headers=api.auth("clinician")
        ),
    ):
        assert response.headers["cache-control"] == "no-store", response.url


def test_api_http_wrong_method_is_405(api: Api) -> None:
    response = api.client.get("/v1/encounters/text", headers=api.auth("clinician"))
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.headers["content-type"] == PROBLEM_JSON


def test_api_http_openapi_lists_the_real_answers(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        if not path.startswith("/v1"):
            continue
        for method, operation in operations.items():
            answers = operation["responses"]
            for code in ("401", "403", "422"):
                assert code in answers, (method, path, code)
                assert list(answers[code]["content"]) == [PROBLEM_JSON], (method, path, code)
    text = spec["paths"]["/v1/encounters/text"]["post"]["responses"]
    assert {"201", "400", "413", "415", "503"} <= set(text)
    fhir = spec["paths"]["/v1/encounters/{encounter_id}/fhir"]["get"]["responses"]["200"]
    assert list(fhir["content"]) == ["application/fhir+json"]
    patch = spec["paths"]["/v1/encounters/{encounter_id}/note"]["patch"]["responses"]
    assert {"404", "409", "412", "428"} <= set(patch)
