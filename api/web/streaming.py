"""A dictation streamed from the browser while it is spoken: fed to the library's
``DictationStream`` on a thread of its own, kept as 16-bit PCM, and stored at the end as a WAV
recording with its encounter, through the same service code as an uploaded recording (the
same store, ``encounter.create`` event, extraction, revision, ``job.complete`` event and
retention), so the note is ready about as soon as the clinician stops."""

from __future__ import annotations

import asyncio
import io
import threading
import wave
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
from fastapi import UploadFile
from sqlalchemy.exc import IntegrityError

from api import encounters as service
from api.audit import Caller
from api.deps import Services
from api.recording_job import extract_recording, keep_transcript, record_extraction
from api.recordings import drop_audio
from api.routers.encounters import store_upload
from api.schemas import EncounterContextIn
from api.web.stream_protocol import StreamLimits, StreamRefused, to_pcm16
from scribe.asr.audio import SAMPLE_RATE
from scribe.asr.streaming import DictationStream
from scribe.asr.transcriber import Transcriber
from scribe.schemas.transcript import Transcript

HOW = "stream"  # the encounter.create event's detail: "audio wav stream"
REPEAT_DETAIL = f"audio wav {HOW}"  # and that of a repeated submission's event
FEED_SAMPLES = SAMPLE_RATE  # the least audio fed at a time: 1 s


class StreamSlots:
    """How many dictations this worker process transcribes as they are spoken at once. Taken
    and given back on the event loop only, so a plain count is enough."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.used = 0

    def take(self) -> bool:
        if self.used >= self.capacity:
            return False
        self.used += 1
        return True

    def give_back(self) -> None:
        self.used = max(0, self.used - 1)


class StreamedDictation:
    """One dictation arriving in pieces. Each piece is kept (as 16-bit PCM) and fed to a
    ``DictationStream`` on this dictation's own thread, so the event loop never waits for the
    speech model and pieces keep arriving while a stretch is transcribed. Pieces are fed at
    least ``FEED_SAMPLES`` (1 s) at a time, and all those that arrived while the thread was busy
    together: each feed looks for a pause in all the audio not yet transcribed, so a slow
    machine falls behind by one feed, not by one search per piece."""

    def __init__(self, transcriber: Transcriber, limits: StreamLimits) -> None:
        self._limits = limits
        self._stream = DictationStream(transcriber)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scribe-stream")
        self._pcm = bytearray()
        self._lock = threading.Lock()
        self._waiting: list[npt.NDArray[np.float32]] = []  # pieces not yet fed
        self._waiting_samples = 0
        self._feeding: Future[None] | None = None
        self._ending = False  # the end message came: what waits goes to the last stretch

    @property
    def samples(self) -> int:
        return len(self._pcm) // 2

    @property
    def stretches(self) -> int:
        """Stretches transcribed while audio was still arriving."""
        return self._stream.stretches

    def feed(self, samples: npt.NDArray[np.float32]) -> None:
        """Keep a piece and queue it for transcription; ``too_long`` past the limit. A feed
        that failed ends the stream (its error is raised here)."""
        if self.samples + samples.size > self._limits.max_samples:
            raise StreamRefused("too_long")
        self._check_feeding()
        self._pcm += to_pcm16(samples)
        with self._lock:
            self._waiting.append(samples)
            self._waiting_samples += samples.size
            if self._feeding is not None or self._waiting_samples < FEED_SAMPLES:
                return
            self._feeding = self._thread.submit(self._drain)

    def _drain(self) -> None:
        """Feed what waits, until nothing does or the end came (on the dictation's thread)."""
        while True:
            with self._lock:
                if not self._waiting or self._ending:
                    self._feeding = None
                    return
                audio = self._take_waiting()
            self._stream.feed(audio)

    def _take_waiting(self) -> npt.NDArray[np.float32]:
        audio = np.concatenate(self._waiting) if self._waiting else np.zeros(0, np.float32)
        self._waiting, self._waiting_samples = [], 0
        return audio

    def _check_feeding(self) -> None:
        feeding = self._feeding
        if feeding is not None and feeding.done():
            feeding.result()  # raises the feed's error (the thread stopped feeding)

    async def finish(self, store: Callable[[Transcript, bytes], str]) -> str:
        """Transcribe the rest, then store the encounter (on this dictation's thread, after
        the feed under way); its id. Audio still waiting is transcribed with the last stretch
        in one decoder call, so a stream that fell behind catches up at once."""
        self._check_feeding()
        with self._lock:
            self._ending = True
        return await asyncio.wrap_future(self._thread.submit(self._finish, store))

    def _finish(self, store: Callable[[Transcript, bytes], str]) -> str:
        self._check_feeding()  # the feed before this ended (one thread): had it failed?
        with self._lock:
            rest = self._take_waiting()
        return store(self._stream.finish(rest), self.wav())

    def wav(self) -> bytes:
        """What was received, as a 16 kHz mono 16-bit WAV recording."""
        out = io.BytesIO()
        with wave.open(out, "wb") as recording:
            recording.setnchannels(1)
            recording.setsampwidth(2)
            recording.setframerate(SAMPLE_RATE)
            recording.writeframes(bytes(self._pcm))
        return out.getvalue()

    async def close(self) -> None:
        """Drop pieces not yet transcribed and wait for the one under way (its thread frees
        its place among the streams only then)."""
        await asyncio.to_thread(self._thread.shutdown, wait=True, cancel_futures=True)


def store_streamed(
    services: Services,
    caller: Caller,
    context: EncounterContextIn,
    transcript: Transcript,
    wav: bytes,
    *,
    submission_id: str | None = None,
) -> str:
    """Store a dictation transcribed while it was spoken: the recording (checked, kept and
    retained like an upload), the encounter with its note, and their audit events, in one
    transaction; the encounter's id. The note is made before anything is written, so the
    encounter is never seen half done and no recording job ever claims it.

    With a ``submission_id`` the caller stored already (the recording's upload, sent when the
    browser stopped waiting for this stream), that encounter's id is the answer and nothing
    new is stored, whichever of the two commits first."""
    jobs, settings = services.jobs, services.settings
    if submission_id is not None and (stored := _repeat(services, caller, submission_id)):
        return stored
    path, fmt = store_upload(UploadFile(io.BytesIO(wav)), jobs.upload_folder,
                             settings.max_upload_bytes)  # fmt: skip
    reference = None
    try:
        with services.sessions() as session:
            row, _ = service.new_row(caller, source="audio", status="extracting",
                                     context=context, submission_id=submission_id)  # fmt: skip
            keep_transcript(row, transcript)
            extract_recording(session, row, services.scribe, transcript)
            reference = service.add_recording(session, caller, jobs.store, row, path, fmt, how=HOW)
            record_extraction(session, row)
            drop_audio(session, jobs.store, row, settings.audio_retention_hours)
            session.commit()
            encounter_id = row.id
    except IntegrityError:
        path.unlink(missing_ok=True)  # even when it was to be the reference: nothing was kept
        raced = None if submission_id is None else _repeat(services, caller, submission_id)
        if raced is None:
            raise
        return raced
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if reference != str(path):
        path.unlink(missing_ok=True)  # kept elsewhere (the database)
    return encounter_id


def _repeat(services: Services, caller: Caller, submission_id: str) -> str | None:
    """The id of the caller's encounter stored for ``submission_id`` (its repeat audited)."""
    with services.sessions() as session:
        row = service.repeated_submission(session, caller, submission_id, detail=REPEAT_DETAIL)
        return None if row is None else row.id
