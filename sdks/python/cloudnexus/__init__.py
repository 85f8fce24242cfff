"""The CloudNexus API for Python (standard library only).

    import cloudnexus
    client = cloudnexus.Client(api_key="cn_live_sk_...")
    server = client.servers.create(region="us-east-1", plan="professional", image="ubuntu-22.04", count=2)
    print(f"Deployed: {server.id}")
"""

from . import webhooks
from ._client import Client
from ._core import DEFAULT_BASE_URL, VERSION
from ._models import CloudNexusObject
from ._pagination import PageIterator
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CloudNexusError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    WebhookVerificationError,
)

__version__ = VERSION

__all__ = [
    "Client",
    "CloudNexusObject",
    "PageIterator",
    "webhooks",
    "DEFAULT_BASE_URL",
    "CloudNexusError",
    "APIError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "APIConnectionError",
    "APITimeoutError",
    "WebhookVerificationError",
]
