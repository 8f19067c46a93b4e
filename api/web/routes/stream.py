"""The recorder's WebSocket, ``/encounters/stream``: a dictation transcribed while it is
spoken, stored with its note when the clinician stops (protocol: ``api.web.stream_protocol``).

Who may stream is checked before the handshake is accepted (a refused handshake is an HTTP
403): a live session cookie, this site's Origin, the clinician role. The page's CSRF token is
the first message (not the address, which logs and history keep), compared like a form's.
Every refusal, and a stream the client left, is audited as ``web.encounter.stream``; the
encounter's creation is audited by the service code, as for an upload.
"""

from __future__ import annotations

import asyncio
import logging
import time
from functools import partial

from fastapi import APIRouter, WebSocket
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.websockets import WebSocketDisconnect, WebSocketState

from api.audit import Actor, Anonymous, record_now
from api.deps import Services
from api.encounters import SubmissionIdError, submission_key
from api.keys import Role
from api.problems import ApiProblem
from api.schemas import EncounterContextIn
from api.web.forms import FormError, context_from
from api.web.security import WebUser, socket_from_this_site, socket_user, tokens_match
from api.web.settings import WebSettings
from api.web.stream_protocol import (
    REFUSALS,
    StreamEnd,
    StreamLimits,
    StreamRefused,
    decode_piece,
    done,
    error,
    parse_end,
    parse_start,
    started,
)
from api.web.streaming import StreamedDictation, StreamSlots, store_streamed
from scribe.asr.audio import SAMPLE_RATE
from scribe.errors import ScribeError

ACTION = "web.encounter.stream"
WRITERS = frozenset({Role.clinician})
_log = logging.getLogger("scribe.api.web.stream")
router = APIRouter(include_in_schema=False)


class _Left(Exception):
    """The client closed the socket before the end message."""


def limits_of(services: Services, settings: WebSettings) -> StreamLimits:
    """A stream's bounds: as long a recording as an upload may be."""
    return StreamLimits(
        max_seconds=services.settings.max_audio_seconds,
        max_piece_bytes=settings.stream_max_piece_bytes,
        idle_seconds=settings.stream_idle_seconds,
    )


def _audit(services: Services, actor: Actor, outcome: str) -> None:
    with services.sessions() as session:
        record_now(session, actor, ACTION, outcome=outcome)


def _admit(services: Services, websocket: WebSocket, settings: WebSettings) -> WebUser | str:
    """The user who may stream here, or why not (audited)."""
    user = socket_user(services, websocket, settings)
    if user is None:
        reason = "unauthenticated"
    elif not socket_from_this_site(websocket):
        reason = "origin"
    elif user.role not in WRITERS:
        reason = "denied"
    else:
        return user
    client = websocket.client.host if websocket.client else None
    _audit(services, user.caller if user else Anonymous(client), REFUSALS[reason].outcome)
    return reason


@router.websocket("/encounters/stream", name=ACTION)
async def stream(websocket: WebSocket) -> None:
    services: Services = websocket.app.state.services
    settings: WebSettings = websocket.app.state.web_settings
    admitted = await run_in_threadpool(_admit, services, websocket, settings)
    if not isinstance(admitted, WebUser):
        await websocket.close(code=REFUSALS[admitted].code)  # before accepting: an HTTP 403
        return
    await websocket.accept()
    limits = limits_of(services, settings)
    slots: StreamSlots = websocket.app.state.stream_slots
    if not slots.take():
        await _refuse(websocket, services, admitted, limits, StreamRefused("busy"))
        return
    try:
        await _converse(websocket, services, admitted, limits)
    finally:
        slots.give_back()


async def _converse(
    websocket: WebSocket, services: Services, user: WebUser, limits: StreamLimits
) -> None:
    dictation: StreamedDictation | None = None
    try:
        start = parse_start(await _text(websocket, limits))
        if not tokens_match(start.csrf_token, user.csrf_token):
            raise StreamRefused("csrf")
        context = _context(start.context)
        submission = _submission(start.submission_id)
        transcriber = await run_in_threadpool(lambda: services.scribe.transcriber)
        dictation = StreamedDictation(transcriber, limits)
        await websocket.send_text(started(limits))
        while isinstance(piece := await _next(websocket, limits), bytes):
            dictation.feed(decode_piece(piece, start.format, limits))
        began = time.perf_counter()
        if piece.context is not None:
            context = _context(piece.context)
        store = partial(store_streamed, services, user.caller, context, submission_id=submission)
        encounter_id = await dictation.finish(store)
        seconds = time.perf_counter() - began
        await websocket.send_text(done(encounter_id, seconds, dictation.stretches))
        await websocket.close(code=1000)
        _log.info(
            "dictation streamed: %.1f s of audio, %d stretch(es) while spoken, note %.2f s "
            "after the end",
            dictation.samples / SAMPLE_RATE,
            dictation.stretches,
            seconds,
        )
    except StreamRefused as refused:
        await _refuse(websocket, services, user, limits, refused)
    except (_Left, WebSocketDisconnect):
        await run_in_threadpool(_audit, services, user.caller, "abandoned")
    except (ApiProblem, ScribeError) as exc:  # the recording's own problem (too large...)
        _log.warning("a streamed dictation was not stored: %s", type(exc).__name__)
        await _refuse(websocket, services, user, limits, StreamRefused("failed"))
    except Exception as exc:  # the recorder uploads the recording instead
        _log.error("a streamed dictation failed: %s", type(exc).__name__)
        await _refuse(websocket, services, user, limits, StreamRefused("failed"))
    finally:
        if dictation is not None:
            await dictation.close()


def _context(fields: dict[str, str]) -> EncounterContextIn:
    """The form's context, read as the form's own post is (same checks and messages)."""
    try:
        return context_from(FormData(list(fields.items())))
    except FormError as exc:
        raise StreamRefused("context", str(exc)) from None


def _submission(value: str | None) -> str | None:
    try:
        return submission_key(value)
    except SubmissionIdError:
        raise StreamRefused("submission") from None


async def _receive(websocket: WebSocket, limits: StreamLimits) -> tuple[bytes | None, str | None]:
    try:
        message = await asyncio.wait_for(websocket.receive(), timeout=limits.idle_seconds)
    except TimeoutError:
        raise StreamRefused("idle") from None
    if message["type"] == "websocket.disconnect":
        raise _Left
    return message.get("bytes"), message.get("text")


async def _text(websocket: WebSocket, limits: StreamLimits) -> str:
    _, text = await _receive(websocket, limits)
    if text is None:
        raise StreamRefused("invalid")
    return text


async def _next(websocket: WebSocket, limits: StreamLimits) -> bytes | StreamEnd:
    """The next audio piece, or the end message."""
    data, text = await _receive(websocket, limits)
    if data is not None:
        return data
    return parse_end(text or "")


async def _refuse(
    websocket: WebSocket,
    services: Services,
    user: WebUser,
    limits: StreamLimits,
    refused: StreamRefused,
) -> None:
    """Tell the recorder why (if it still listens), close with the refusal's code, audit."""
    refusal = REFUSALS[refused.reason]
    await run_in_threadpool(_audit, services, user.caller, refusal.outcome)
    if websocket.client_state is not WebSocketState.CONNECTED:
        return
    try:
        await websocket.send_text(error(limits.message(refusal, refused.detail)))
        await websocket.close(code=refusal.code, reason=refusal.outcome)
    except (WebSocketDisconnect, RuntimeError):
        return  # the client is gone already
