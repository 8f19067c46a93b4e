"""The Celery application: one for the API (it enqueues), the workers and ``scribe batch``.

Delivery semantics, for jobs that run for minutes and must not be lost or done twice:
- late acknowledgement: a job's message is acknowledged when the job ends, not when a worker
  takes it, so a job whose worker died is handed out again (``task_reject_on_worker_lost`` when
  the process running it is killed; for Redis, after the visibility timeout when the whole host
  is gone; for RabbitMQ, as soon as the worker's connection drops);
- prefetch 1: a worker holds no job it is not running, so a long recording never keeps others
  waiting behind it while another worker is idle;
- JSON only, so nothing a broker holds can run code in a worker.
The time limits of a job are derived from its recording's length (``job_limits``).
"""

from __future__ import annotations

import math
from typing import Any

from celery import Celery

from scribe.config import Settings

QUEUE = "scribe"
TRANSCRIBE = "scribe.transcribe_recording"
BATCH_ITEM = "scribe.batch_item"
HARD_MARGIN_SECONDS = 60  # after the soft limit: the task's own clean-up, then a kill
VISIBILITY_MARGIN_SECONDS = 600

app = Celery("dn_scribe", set_as_current=False)


def job_limits(settings: Settings, seconds: float | None) -> tuple[int, int]:
    """(soft, hard) time limits of a recording's job; an unknown length counts as the
    longest one accepted."""
    longest = settings.max_audio_seconds
    audio = longest if seconds is None else min(seconds, longest)
    soft = math.ceil(settings.job_seconds_base + settings.job_seconds_per_audio_second * audio)
    return soft, soft + HARD_MARGIN_SECONDS


def visibility_timeout(settings: Settings) -> int:
    """Redis hands an unacknowledged job out again after this long: longer than any job may
    run, or a slow job would be run twice."""
    if settings.broker_visibility_timeout_seconds is not None:
        return settings.broker_visibility_timeout_seconds
    _soft, hard = job_limits(settings, None)
    return hard + VISIBILITY_MARGIN_SECONDS


def result_backend(settings: Settings) -> str:
    if settings.result_backend:
        return settings.result_backend
    broker = settings.broker_url or ""
    return broker if broker.startswith(("redis://", "rediss://")) else "rpc://"


def celery_config(settings: Settings) -> dict[str, Any]:
    """The Celery settings for ``settings`` (``SCRIBE_BROKER_URL`` must be set)."""
    if not settings.broker_url:
        raise ValueError("SCRIBE_BROKER_URL is not set: the embedded mode needs no Celery")
    transport = {"visibility_timeout": visibility_timeout(settings)}
    return {
        "broker_url": settings.broker_url,
        "result_backend": result_backend(settings),
        "broker_transport_options": transport,
        "result_backend_transport_options": transport,
        "broker_connection_retry_on_startup": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": QUEUE,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "task_acks_on_failure_or_timeout": True,
        "worker_prefetch_multiplier": 1,
        # a running job goes on when the broker connection drops; it is acknowledged (or, if
        # that fails, handed out again and found finished) when it ends
        "worker_cancel_long_running_tasks_on_connection_loss": False,
        # each process loads the NLP pipeline and the speech model before it says it is up
        "worker_proc_alive_timeout": 300.0,
        "worker_send_task_events": False,
        "task_send_sent_event": False,
        "result_expires": 24 * 3600,
        "result_extended": False,
        "task_publish_retry": True,
        "task_publish_retry_policy": {
            "max_retries": 10,
            "interval_start": 0.2,
            "interval_step": 0.5,
            "interval_max": 3.0,
        },
    }


def configure(settings: Settings) -> Celery:
    """The app, configured from ``settings`` (idempotent)."""
    app.conf.update(celery_config(settings))
    return app
