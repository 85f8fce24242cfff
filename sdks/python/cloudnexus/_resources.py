from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence, Union

from . import webhooks as _webhooks
from ._core import HttpClient, seg
from ._models import CloudNexusObject, wrap
from ._pagination import PageIterator
from ._stream import stream_events

When = Union[str, datetime, None]


def _body(**fields: Any) -> Dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in fields.items() if v is not None}


class _Resource:
    def __init__(self, http: HttpClient) -> None:
        self._http = http

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        return wrap(self._http.request(method, path, **kwargs))

    def _paged(self, path: str, params: Dict[str, Any]) -> PageIterator:
        return PageIterator(lambda q: self._http.request("GET", path, query=q), params)


class Backups(_Resource):
    def create(self, server_id: str, idempotency_key: Optional[str] = None) -> CloudNexusObject:
        """Starts a backup (202, ``status: pending``)."""
        return self._call("POST", "/servers/%s/backups" % seg(server_id), idempotency_key=idempotency_key)

    def list(self, server_id: str) -> PageIterator:
        return self._paged("/servers/%s/backups" % seg(server_id), {})


class Firewall(_Resource):
    def retrieve(self, server_id: str) -> CloudNexusObject:
        return self._call("GET", "/servers/%s/firewall" % seg(server_id))

    def update(self, server_id: str, rules: Sequence[Dict[str, Any]]) -> CloudNexusObject:
        """Replaces the complete rule set."""
        return self._call("PUT", "/servers/%s/firewall" % seg(server_id), body={"rules": list(rules)})


class Servers(_Resource):
    def __init__(self, http: HttpClient) -> None:
        super().__init__(http)
        self.backups = Backups(http)
        self.firewall = Firewall(http)

    def create(
        self,
        region: str,
        plan: str,
        image: str,
        count: Optional[int] = None,
        name: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        **extra: Any,
    ) -> CloudNexusObject:
        """Creates 1-10 servers: the first one's fields at the top level (``server.id``), all in ``servers``."""
        body = _body(region=region, plan=plan, image=image, count=count, name=name, **extra)
        return self._call("POST", "/servers", body=body, idempotency_key=idempotency_key)

    def list(self, limit: Optional[int] = None, starting_after: Optional[str] = None, status: Optional[str] = None, region: Optional[str] = None) -> PageIterator:
        """Newest first; iterate for every server."""
        return self._paged("/servers", dict(limit=limit, starting_after=starting_after, status=status, region=region))

    def retrieve(self, server_id: str) -> CloudNexusObject:
        return self._call("GET", "/servers/%s" % seg(server_id))

    get = retrieve

    def update(self, server_id: str, name: Optional[str] = None, plan: Optional[str] = None) -> CloudNexusObject:
        return self._call("PUT", "/servers/%s" % seg(server_id), body=_body(name=name, plan=plan))

    def delete(self, server_id: str) -> CloudNexusObject:
        """Terminates the server."""
        return self._call("DELETE", "/servers/%s" % seg(server_id))


class _Catalogue(_Resource):
    def __init__(self, http: HttpClient, path: str) -> None:
        super().__init__(http)
        self._path = path

    def list(self) -> PageIterator:
        return self._paged(self._path, {})


class NodePools(_Resource):
    def update(self, cluster_id: str, pool: str, count: int) -> CloudNexusObject:
        """Grows a node pool to ``count`` nodes."""
        return self._call("PUT", "/clusters/k8s/%s/node_pools/%s" % (seg(cluster_id), seg(pool)), body={"count": count})


class Deployments(_Resource):
    def create(self, cluster_id: str, image: str, replicas: int, idempotency_key: Optional[str] = None) -> CloudNexusObject:
        return self._call(
            "POST", "/clusters/k8s/%s/deployments" % seg(cluster_id), body={"image": image, "replicas": replicas}, idempotency_key=idempotency_key
        )

    def list(self, cluster_id: str, limit: Optional[int] = None, starting_after: Optional[str] = None) -> PageIterator:
        return self._paged("/clusters/k8s/%s/deployments" % seg(cluster_id), dict(limit=limit, starting_after=starting_after))

    def retrieve(self, cluster_id: str, deployment_id: str) -> CloudNexusObject:
        return self._call("GET", "/clusters/k8s/%s/deployments/%s" % (seg(cluster_id), seg(deployment_id)))


class Clusters(_Resource):
    def __init__(self, http: HttpClient) -> None:
        super().__init__(http)
        self.node_pools = NodePools(http)
        self.deployments = Deployments(http)

    def create(self, name: str, region: str, version: str, node_pools: Sequence[Dict[str, Any]], idempotency_key: Optional[str] = None) -> CloudNexusObject:
        body = {"name": name, "region": region, "version": version, "node_pools": list(node_pools)}
        return self._call("POST", "/clusters/k8s", body=body, idempotency_key=idempotency_key)

    def list(self, limit: Optional[int] = None, starting_after: Optional[str] = None) -> PageIterator:
        return self._paged("/clusters/k8s", dict(limit=limit, starting_after=starting_after))

    def retrieve(self, cluster_id: str) -> CloudNexusObject:
        return self._call("GET", "/clusters/k8s/%s" % seg(cluster_id))

    def delete(self, cluster_id: str) -> CloudNexusObject:
        return self._call("DELETE", "/clusters/k8s/%s" % seg(cluster_id))

    def options(self) -> CloudNexusObject:
        """Valid regions, versions, node sizes and the node limit per pool."""
        return self._call("GET", "/clusters/k8s/options")


class Invoices(_Resource):
    def list(self, limit: Optional[int] = None, starting_after: Optional[str] = None) -> PageIterator:
        return self._paged("/billing/invoices", dict(limit=limit, starting_after=starting_after))

    def retrieve(self, invoice_id: str) -> CloudNexusObject:
        return self._call("GET", "/billing/invoices/%s" % seg(invoice_id))

    def finalize(self, period: Optional[str] = None, account_id: Optional[str] = None) -> CloudNexusObject:
        """Finalizes the account's drafts of an ended month (``admin`` scope)."""
        return self._call("POST", "/billing/invoices/finalize", body=_body(period=period, account_id=account_id))


class Billing(_Resource):
    def __init__(self, http: HttpClient) -> None:
        super().__init__(http)
        self.invoices = Invoices(http)

    def usage(self, period: Optional[str] = None) -> CloudNexusObject:
        """Usage of a period (``YYYY-MM``, default the current month). Read ``usage["items"]`` (``items`` is a dict method)."""
        return self._call("GET", "/billing/usage", query={"period": period})


class Deliveries(_Resource):
    @staticmethod
    def _base(endpoint_id: Optional[str]) -> str:
        return "/webhooks/%s/deliveries" % seg(endpoint_id) if endpoint_id else "/webhooks/deliveries"

    def list(
        self,
        endpoint_id: Optional[str] = None,
        event: Optional[str] = None,
        status: Optional[str] = None,
        from_: When = None,
        to: When = None,
        limit: Optional[int] = None,
        starting_after: Optional[str] = None,
    ) -> PageIterator:
        """Recent deliveries, newest first: account-wide, or of one endpoint."""
        params = dict(event=event, status=status, limit=limit, starting_after=starting_after, to=to)
        params["from"] = from_
        return self._paged(self._base(endpoint_id), params)

    def retrieve(self, delivery_id: str, endpoint_id: Optional[str] = None) -> CloudNexusObject:
        return self._call("GET", "%s/%s" % (self._base(endpoint_id), seg(delivery_id)))

    def attempts(self, delivery_id: str, endpoint_id: Optional[str] = None) -> List[CloudNexusObject]:
        """Every recorded attempt of a delivery."""
        return self._call("GET", "%s/%s/attempts" % (self._base(endpoint_id), seg(delivery_id)))

    def redeliver(self, delivery_id: str, endpoint_id: Optional[str] = None) -> CloudNexusObject:
        return self._call("POST", "%s/%s/redeliver" % (self._base(endpoint_id), seg(delivery_id)))


class DeadLetters(_Resource):
    def list(self, endpoint_id: str, from_: When = None, to: When = None, limit: Optional[int] = None, starting_after: Optional[str] = None) -> PageIterator:
        params: Dict[str, Any] = dict(to=to, limit=limit, starting_after=starting_after)
        params["from"] = from_
        return self._paged("/webhooks/%s/dead-letters" % seg(endpoint_id), params)

    def replay(self, endpoint_id: str, delivery_id: str) -> CloudNexusObject:
        return self._call("POST", "/webhooks/%s/dead-letters/%s/replay" % (seg(endpoint_id), seg(delivery_id)))

    def replay_all(self, endpoint_id: str, from_: When = None, to: When = None) -> CloudNexusObject:
        """Replays every dead letter of the window: ``{replayed: n}``."""
        body = _body(to=to)
        if from_ is not None:
            body["from"] = from_.isoformat() if isinstance(from_, datetime) else from_
        return self._call("POST", "/webhooks/%s/dead-letters/replay" % seg(endpoint_id), body=body)

    def purge(self, endpoint_id: str, from_: When = None, to: When = None) -> Any:
        return self._call("DELETE", "/webhooks/%s/dead-letters" % seg(endpoint_id), query={"from": from_, "to": to})

    def delete(self, endpoint_id: str, delivery_id: str) -> Any:
        return self._call("DELETE", "/webhooks/%s/dead-letters/%s" % (seg(endpoint_id), seg(delivery_id)))


class Webhooks(_Resource):
    def __init__(self, http: HttpClient) -> None:
        super().__init__(http)
        self.deliveries = Deliveries(http)
        self.dead_letters = DeadLetters(http)

    def create(
        self, url: str, events: Sequence[str], description: Optional[str] = None, rate_limit: Optional[int] = None, idempotency_key: Optional[str] = None
    ) -> CloudNexusObject:
        """Creates an endpoint; the answer carries its ``secret`` (``whsec_...``), shown only here."""
        body = _body(url=url, events=list(events), description=description, rate_limit=rate_limit)
        return self._call("POST", "/webhooks", body=body, idempotency_key=idempotency_key)

    def list(self, limit: Optional[int] = None, starting_after: Optional[str] = None) -> PageIterator:
        return self._paged("/webhooks", dict(limit=limit, starting_after=starting_after))

    def retrieve(self, endpoint_id: str) -> CloudNexusObject:
        return self._call("GET", "/webhooks/%s" % seg(endpoint_id))

    def update(self, endpoint_id: str, **fields: Any) -> CloudNexusObject:
        """Changes ``url``, ``description``, ``events`` or ``rate_limit``."""
        return self._call("PATCH", "/webhooks/%s" % seg(endpoint_id), body=_body(**fields))

    def delete(self, endpoint_id: str) -> Any:
        return self._call("DELETE", "/webhooks/%s" % seg(endpoint_id))

    def pause(self, endpoint_id: str) -> CloudNexusObject:
        return self._call("POST", "/webhooks/%s/pause" % seg(endpoint_id))

    def resume(self, endpoint_id: str) -> CloudNexusObject:
        return self._call("POST", "/webhooks/%s/resume" % seg(endpoint_id))

    def enable(self, endpoint_id: str) -> CloudNexusObject:
        return self._call("POST", "/webhooks/%s/enable" % seg(endpoint_id))

    def disable(self, endpoint_id: str) -> CloudNexusObject:
        return self._call("POST", "/webhooks/%s/disable" % seg(endpoint_id))

    def rotate_secret(self, endpoint_id: str) -> CloudNexusObject:
        """A new secret (returned once); the previous one still signs for the grace period (24 h)."""
        return self._call("POST", "/webhooks/%s/secret/rotate" % seg(endpoint_id))

    def test(self, endpoint_id: str, event: Optional[str] = None, data: Optional[Dict[str, Any]] = None) -> CloudNexusObject:
        """Sends the catalog's sample (or ``data``) of an event type to the endpoint: 202 with the delivery."""
        return self._call("POST", "/webhooks/%s/test" % seg(endpoint_id), body=_body(event=event, data=data))

    def recover(self, endpoint_id: str, since: Union[str, datetime], until: When = None) -> CloudNexusObject:
        """Queues again the stored events of [since, until) the endpoint missed: ``{recovered: n}``."""
        return self._call("POST", "/webhooks/%s/recover" % seg(endpoint_id), body=_body(since=since, until=until))

    def stats(self, endpoint_id: str, window: Optional[str] = None) -> CloudNexusObject:
        """Delivery health; ``window`` ``1h`` (default) or ``24h``."""
        return self._call("GET", "/webhooks/%s/stats" % seg(endpoint_id), query={"window": window})

    @staticmethod
    def verify(raw_body: Any, headers: Any, secret: Union[str, Sequence[str]], tolerance: int = _webhooks.DEFAULT_TOLERANCE_SECONDS) -> CloudNexusObject:
        """See :func:`cloudnexus.webhooks.verify`."""
        return _webhooks.verify(raw_body, headers, secret, tolerance=tolerance)


class Events(_Resource):
    def list(
        self,
        type: Union[str, Sequence[str], None] = None,  # noqa: A002 (the API's parameter name)
        resource: Optional[str] = None,
        from_: When = None,
        to: When = None,
        limit: Optional[int] = None,
        starting_after: Optional[str] = None,
    ) -> PageIterator:
        """The account's events (envelopes), newest first."""
        params: Dict[str, Any] = dict(type=type, resource=resource, to=to, limit=limit, starting_after=starting_after)
        params["from"] = from_
        return self._paged("/events", params)

    def retrieve(self, event_id: str) -> CloudNexusObject:
        """One event with its deliveries."""
        return self._call("GET", "/events/%s" % seg(event_id))

    def types(self) -> CloudNexusObject:
        """The event catalog (``GET /events/types``)."""
        return self._call("GET", "/events/types")

    def stream(
        self, types: Union[str, Sequence[str], None] = None, since: Optional[str] = None, deliveries: bool = False, reconnect: bool = True
    ) -> Any:
        """The live stream as an iterator of envelopes; reconnects and resumes after the last event."""
        t = list(types) if types is not None and not isinstance(types, str) else types
        return stream_events(self._http, types=t, since=since, deliveries=deliveries, reconnect=reconnect)


class EventCatalog(_Resource):
    def list(self) -> CloudNexusObject:
        """Every catalogued event type with its JSON Schema and sample (``{"data": [...]}``)."""
        return self._call("GET", "/events/types")
