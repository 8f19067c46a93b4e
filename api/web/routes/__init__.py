"""The web app's routes, thin like the API's; named by their audit action."""

from __future__ import annotations

import api.routers  # noqa: F401  (registers the ``id`` path convertor the routes use)
