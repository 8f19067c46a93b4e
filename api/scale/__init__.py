"""Scale-out mode (``SCRIBE_BROKER_URL`` set): Celery carries recordings' jobs and batch items to
``scribe worker`` processes on any number of hosts; PostgreSQL holds the recordings and results.
See docs/scaling.md."""
