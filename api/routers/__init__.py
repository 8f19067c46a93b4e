"""HTTP routes, thin: parse, call the service modules, shape the answer.

Routes are named by their audit action (``encounter.read``...), so a refusal is recorded under
the same action as the work it refused. Ids in paths use the ``id`` convertor: a path whose id
is not a UUID matches no id route (``GET /v1/encounters/text`` is 405, not a bad id).
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class IdConvertor(Convertor[str]):
    regex = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("id", IdConvertor())
