from __future__ import annotations

from typing import Any, Mapping, Optional

from ._core import (
    DEFAULT_INITIAL_RETRY_DELAY,
    DEFAULT_MAX_RETRIES,
    DEFAULT_MAX_RETRY_AFTER,
    DEFAULT_MAX_RETRY_DELAY,
    DEFAULT_TIMEOUT,
    HttpClient,
)
from ._models import wrap
from ._resources import Billing, Clusters, EventCatalog, Events, Servers, Webhooks, _Catalogue


class Client:
    """The CloudNexus API client.

    ``api_key`` defaults to ``CN_API_KEY``; ``base_url`` to ``CLOUDNEXUS_BASE_URL``, else
    ``https://api.cloudnexus.io/v2``; ``account_id`` (sent as ``X-CloudNexus-Id``, default ``CN_ACCOUNT_ID``) is
    optional with an API key. ``timeout`` is per attempt in seconds; ``max_retries`` the retries after the first
    attempt for 408/429/502/503/504 and connection errors.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        account_id: Optional[str] = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        initial_retry_delay: float = DEFAULT_INITIAL_RETRY_DELAY,
        max_retry_delay: float = DEFAULT_MAX_RETRY_DELAY,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
        default_headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        self._http = HttpClient(
            api_key=api_key,
            base_url=base_url,
            account_id=account_id,
            timeout=timeout,
            max_retries=max_retries,
            initial_retry_delay=initial_retry_delay,
            max_retry_delay=max_retry_delay,
            max_retry_after=max_retry_after,
            default_headers=default_headers,
        )
        self.servers = Servers(self._http)
        self.regions = _Catalogue(self._http, "/regions")
        self.plans = _Catalogue(self._http, "/plans")
        self.images = _Catalogue(self._http, "/images")
        self.clusters = Clusters(self._http)
        self.billing = Billing(self._http)
        self.webhooks = Webhooks(self._http)
        self.events = Events(self._http)
        self.catalog = EventCatalog(self._http)

    @property
    def base_url(self) -> str:
        return self._http.base_url

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Any API call not covered by a resource (path relative to the base URL, e.g. ``/servers``)."""
        return wrap(self._http.request(method, path, **kwargs))
