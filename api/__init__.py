"""The HTTP service: EHR integration, QA review with an audit trail, FHIR export.

``scribe/`` (the library) never imports from here; this package builds on it.
"""
