"""Exceptions raised by the CloudNexus SDK."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional


class CloudNexusError(Exception):
    """Base class of every error the SDK raises."""


class APIError(CloudNexusError):
    """The API answered with a non-2xx status; carries the problem details, the status and the request id."""

    def __init__(self, status: int, problem: Dict[str, Any], headers: Mapping[str, str], message: Optional[str] = None) -> None:
        self.status = status
        self.problem = problem
        self.headers = dict((k.lower(), v) for k, v in headers.items())
        rid = self.headers.get("x-request-id") or problem.get("request_id")
        self.request_id: Optional[str] = rid if isinstance(rid, str) else None
        if message is None:
            message = "%d %s" % (status, problem.get("title") or "error")
            if problem.get("detail"):
                message += ": %s" % problem["detail"]
            if self.request_id:
                message += " (request %s)" % self.request_id
        super().__init__(message)

    @property
    def type(self) -> Optional[str]:
        return self.problem.get("type")

    @property
    def title(self) -> Optional[str]:
        return self.problem.get("title")

    @property
    def detail(self) -> Optional[str]:
        return self.problem.get("detail")

    @property
    def errors(self) -> List[Dict[str, Any]]:
        return list(self.problem.get("errors") or [])

    @staticmethod
    def from_response(status: int, problem: Dict[str, Any], headers: Mapping[str, str]) -> "APIError":
        cls = {
            400: BadRequestError,
            401: AuthenticationError,
            403: PermissionDeniedError,
            404: NotFoundError,
            409: ConflictError,
            422: UnprocessableEntityError,
            429: RateLimitError,
        }.get(status)
        if cls is None:
            cls = InternalServerError if status >= 500 else APIError
        return cls(status, problem, headers)


class BadRequestError(APIError):
    pass


class AuthenticationError(APIError):
    pass


class PermissionDeniedError(APIError):
    pass


class NotFoundError(APIError):
    pass


class ConflictError(APIError):
    pass


class UnprocessableEntityError(APIError):
    pass


class RateLimitError(APIError):
    @property
    def retry_after(self) -> Optional[float]:
        v = self.headers.get("retry-after")
        try:
            return float(v) if v is not None else None
        except ValueError:
            return None


class InternalServerError(APIError):
    pass


class APIConnectionError(CloudNexusError):
    """The API could not be reached (connection refused, reset, DNS...)."""


class APITimeoutError(APIConnectionError):
    """No answer within the client's timeout."""


class WebhookVerificationError(CloudNexusError):
    """A webhook's signature did not verify, was missing, or is older than the tolerance."""
