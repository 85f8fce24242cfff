from __future__ import annotations

from typing import Any, Dict, Generic, Iterator, List, TypeVar


class CloudNexusObject(Dict[str, Any]):
    """A JSON object of the API: a dict that also allows attribute access (``server.id``, ``server["id"]``).

    Keys that are dict methods (``items``, ``keys``, ``values``, ``get``...) are read with ``obj["items"]``.
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError("%s has no attribute %r (keys: %s)" % (type(self).__name__, name, ", ".join(self.keys()))) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return "%s(%s)" % (type(self).__name__, dict.__repr__(self))


def wrap(value: Any) -> Any:
    """Turns parsed JSON into CloudNexusObjects (recursively)."""
    if isinstance(value, dict):
        return CloudNexusObject((k, wrap(v)) for k, v in value.items())
    if isinstance(value, list):
        return [wrap(v) for v in value]
    return value


T = TypeVar("T")
