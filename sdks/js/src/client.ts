import { HttpClient, seg, type ClientOptions, type RequestOptions } from './core.js';
import { PagePromise, type ListParams, type Page } from './pagination.js';
import { streamEvents, type DeliveryFrame, type StreamParams } from './stream.js';
import * as wh from './webhooks.js';
import type * as T from './types.js';

abstract class Resource {
  constructor(protected readonly http: HttpClient) {}
  protected get<R>(path: string, query?: Record<string, unknown>, o?: RequestOptions): Promise<R> {
    return this.http.request<R>('GET', path, { ...o, query: { ...o?.query, ...query } });
  }
  protected post<R>(path: string, body?: unknown, o?: RequestOptions): Promise<R> {
    return this.http.request<R>('POST', path, { ...o, body });
  }
  protected put<R>(path: string, body: unknown, o?: RequestOptions): Promise<R> {
    return this.http.request<R>('PUT', path, { ...o, body });
  }
  protected patch<R>(path: string, body: unknown, o?: RequestOptions): Promise<R> {
    return this.http.request<R>('PATCH', path, { ...o, body });
  }
  protected del<R>(path: string, query?: Record<string, unknown>, o?: RequestOptions): Promise<R> {
    return this.http.request<R>('DELETE', path, { ...o, query: { ...o?.query, ...query } });
  }
  protected paged<I extends { id?: string }>(path: string, params?: ListParams, o?: RequestOptions): PagePromise<I> {
    return new PagePromise<I>(this.http, path, params, o);
  }
}

export class Backups extends Resource {
  /** `POST /servers/{id}/backups`: 202, the pending backup. */
  create(serverId: string, o?: RequestOptions) { return this.post<T.Backup>(`/servers/${seg(serverId)}/backups`, undefined, o); }
  list(serverId: string, o?: RequestOptions) { return this.paged<T.Backup>(`/servers/${seg(serverId)}/backups`, {}, o); }
}

export class FirewallResource extends Resource {
  retrieve(serverId: string, o?: RequestOptions) { return this.get<T.Firewall>(`/servers/${seg(serverId)}/firewall`, undefined, o); }
  /** Replaces the complete rule set. */
  update(serverId: string, params: { rules: T.FirewallRule[] }, o?: RequestOptions) {
    return this.put<T.Firewall>(`/servers/${seg(serverId)}/firewall`, params, o);
  }
}

export class Servers extends Resource {
  readonly backups = new Backups(this.http);
  readonly firewall = new FirewallResource(this.http);
  /** `POST /servers`: the first server at the top level (`server.id`), all of them in `servers`. */
  create(params: T.ServerCreateParams, o?: RequestOptions) { return this.post<T.CreateServersResponse>('/servers', params, o); }
  /** Newest first; `await` for one page or `for await` over every server. */
  list(params: ListParams & { status?: string; region?: string } = {}, o?: RequestOptions) { return this.paged<T.Server>('/servers', params, o); }
  retrieve(id: string, o?: RequestOptions) { return this.get<T.Server>(`/servers/${seg(id)}`, undefined, o); }
  update(id: string, params: T.ServerUpdateParams, o?: RequestOptions) { return this.put<T.Server>(`/servers/${seg(id)}`, params, o); }
  /** Terminates the server. */
  delete(id: string, o?: RequestOptions) { return this.del<T.Server>(`/servers/${seg(id)}`, undefined, o); }
}

class Catalogue<I extends { id?: string }> extends Resource {
  constructor(http: HttpClient, private readonly path: string) { super(http); }
  list(o?: RequestOptions) { return this.paged<I>(this.path, {}, o); }
}

export class NodePools extends Resource {
  /** Grows a pool to `count` nodes. */
  update(clusterId: string, pool: string, params: { count: number }, o?: RequestOptions) {
    return this.put<T.Cluster>(`/clusters/k8s/${seg(clusterId)}/node_pools/${seg(pool)}`, params, o);
  }
}

export class Deployments extends Resource {
  create(clusterId: string, params: { image: string; replicas: number }, o?: RequestOptions) {
    return this.post<T.Deployment>(`/clusters/k8s/${seg(clusterId)}/deployments`, params, o);
  }
  list(clusterId: string, params: ListParams = {}, o?: RequestOptions) {
    return this.paged<T.Deployment>(`/clusters/k8s/${seg(clusterId)}/deployments`, params, o);
  }
  retrieve(clusterId: string, deploymentId: string, o?: RequestOptions) {
    return this.get<T.Deployment>(`/clusters/k8s/${seg(clusterId)}/deployments/${seg(deploymentId)}`, undefined, o);
  }
}

export class Clusters extends Resource {
  readonly nodePools = new NodePools(this.http);
  readonly deployments = new Deployments(this.http);
  create(params: T.ClusterCreateParams, o?: RequestOptions) { return this.post<T.Cluster>('/clusters/k8s', params, o); }
  list(params: ListParams = {}, o?: RequestOptions) { return this.paged<T.Cluster>('/clusters/k8s', params, o); }
  retrieve(id: string, o?: RequestOptions) { return this.get<T.Cluster>(`/clusters/k8s/${seg(id)}`, undefined, o); }
  delete(id: string, o?: RequestOptions) { return this.del<T.Cluster>(`/clusters/k8s/${seg(id)}`, undefined, o); }
  /** Valid regions, versions, node sizes and the node limit per pool. */
  options(o?: RequestOptions) { return this.get<Record<string, unknown>>('/clusters/k8s/options', undefined, o); }
}

export class Invoices extends Resource {
  list(params: ListParams = {}, o?: RequestOptions) { return this.paged<T.Invoice>('/billing/invoices', params, o); }
  retrieve(id: string, o?: RequestOptions) { return this.get<T.Invoice>(`/billing/invoices/${seg(id)}`, undefined, o); }
  /** Finalizes the account's drafts of an ended month (needs the `admin` scope). */
  finalize(params: { period?: string; account_id?: string } = {}, o?: RequestOptions) {
    return this.post<{ period: string; finalized: string[]; already_finalized: string[] }>('/billing/invoices/finalize', params, o);
  }
}

export class Billing extends Resource {
  readonly invoices = new Invoices(this.http);
  /** Usage of a period (`YYYY-MM`, default the current month). */
  usage(params: { period?: string } = {}, o?: RequestOptions) { return this.get<T.Usage>('/billing/usage', params, o); }
}

type Window = { from?: string | Date; to?: string | Date };

export class Deliveries extends Resource {
  private base(endpointId?: string) { return endpointId ? `/webhooks/${seg(endpointId)}/deliveries` : '/webhooks/deliveries'; }
  /** Recent deliveries, newest first; account-wide or of one endpoint (`endpoint_id`). */
  list(params: ListParams & Window & { endpoint_id?: string; event?: string; status?: string } = {}, o?: RequestOptions) {
    const { endpoint_id, ...query } = params;
    return this.paged<T.Delivery>(this.base(endpoint_id), query, o);
  }
  retrieve(deliveryId: string, params: { endpoint_id?: string } = {}, o?: RequestOptions) {
    return this.get<T.Delivery>(`${this.base(params.endpoint_id)}/${seg(deliveryId)}`, undefined, o);
  }
  /** Every recorded attempt of a delivery. */
  attempts(deliveryId: string, params: { endpoint_id?: string } = {}, o?: RequestOptions) {
    return this.get<T.Attempt[]>(`${this.base(params.endpoint_id)}/${seg(deliveryId)}/attempts`, undefined, o);
  }
  /** Sends the delivery again now (202). */
  redeliver(deliveryId: string, params: { endpoint_id?: string } = {}, o?: RequestOptions) {
    return this.post<T.Delivery>(`${this.base(params.endpoint_id)}/${seg(deliveryId)}/redeliver`, undefined, o);
  }
}

export class DeadLetters extends Resource {
  list(endpointId: string, params: ListParams & Window = {}, o?: RequestOptions) {
    return this.paged<T.Delivery>(`/webhooks/${seg(endpointId)}/dead-letters`, params, o);
  }
  replay(endpointId: string, deliveryId: string, o?: RequestOptions) {
    return this.post<T.Delivery>(`/webhooks/${seg(endpointId)}/dead-letters/${seg(deliveryId)}/replay`, undefined, o);
  }
  /** Replays every dead letter of the window: `{replayed: n}`. */
  replayAll(endpointId: string, params: Window = {}, o?: RequestOptions) {
    return this.post<{ replayed: number }>(`/webhooks/${seg(endpointId)}/dead-letters/replay`, params, o);
  }
  /** Purges the dead letters of the window. */
  purge(endpointId: string, params: Window = {}, o?: RequestOptions) {
    return this.del<unknown>(`/webhooks/${seg(endpointId)}/dead-letters`, params, o);
  }
  delete(endpointId: string, deliveryId: string, o?: RequestOptions) {
    return this.del<unknown>(`/webhooks/${seg(endpointId)}/dead-letters/${seg(deliveryId)}`, undefined, o);
  }
}

export class Webhooks extends Resource {
  readonly deliveries = new Deliveries(this.http);
  readonly deadLetters = new DeadLetters(this.http);
  /** Creates an endpoint; the answer carries its `secret` (`whsec_...`), shown only here. */
  create(params: T.WebhookEndpointCreateParams, o?: RequestOptions) { return this.post<T.WebhookEndpoint>('/webhooks', params, o); }
  list(params: ListParams = {}, o?: RequestOptions) { return this.paged<T.WebhookEndpoint>('/webhooks', params, o); }
  retrieve(id: string, o?: RequestOptions) { return this.get<T.WebhookEndpoint>(`/webhooks/${seg(id)}`, undefined, o); }
  update(id: string, params: Partial<T.WebhookEndpointCreateParams>, o?: RequestOptions) {
    return this.patch<T.WebhookEndpoint>(`/webhooks/${seg(id)}`, params, o);
  }
  delete(id: string, o?: RequestOptions) { return this.del<unknown>(`/webhooks/${seg(id)}`, undefined, o); }
  pause(id: string, o?: RequestOptions) { return this.post<T.WebhookEndpoint>(`/webhooks/${seg(id)}/pause`, undefined, o); }
  resume(id: string, o?: RequestOptions) { return this.post<T.WebhookEndpoint>(`/webhooks/${seg(id)}/resume`, undefined, o); }
  enable(id: string, o?: RequestOptions) { return this.post<T.WebhookEndpoint>(`/webhooks/${seg(id)}/enable`, undefined, o); }
  disable(id: string, o?: RequestOptions) { return this.post<T.WebhookEndpoint>(`/webhooks/${seg(id)}/disable`, undefined, o); }
  /** A new secret (returned once); the previous one still signs for the grace period (24 h). */
  rotateSecret(id: string, o?: RequestOptions) { return this.post<T.WebhookEndpoint>(`/webhooks/${seg(id)}/secret/rotate`, undefined, o); }
  /** Sends the catalog's sample (or `data`) of an event type to the endpoint: 202 with the delivery. */
  test(id: string, params: { event?: string; data?: Record<string, unknown> } = {}, o?: RequestOptions) {
    return this.post<T.Delivery>(`/webhooks/${seg(id)}/test`, params, o);
  }
  /** Queues again the stored events of [since, until) the endpoint missed: `{recovered: n}`. */
  recover(id: string, params: { since: string | Date; until?: string | Date }, o?: RequestOptions) {
    const body = {
      since: params.since instanceof Date ? params.since.toISOString() : params.since,
      ...(params.until ? { until: params.until instanceof Date ? params.until.toISOString() : params.until } : {}),
    };
    return this.post<{ recovered: number }>(`/webhooks/${seg(id)}/recover`, body, o);
  }
  /** Delivery health: `window` `1h` (default) or `24h`. */
  stats(id: string, params: { window?: '1h' | '24h' } = {}, o?: RequestOptions) {
    return this.get<Record<string, unknown>>(`/webhooks/${seg(id)}/stats`, params, o);
  }
  /** Verifies a delivery's signature (either style) and returns the parsed envelope; throws `WebhookVerificationError`. */
  verify<D = Record<string, unknown>>(rawBody: string | Uint8Array, headers: wh.HeaderInput, secret: string | string[], options?: wh.VerifyOptions) {
    return wh.verify<D>(rawBody, headers, secret, options);
  }
}

export class Events extends Resource {
  /** The account's events, newest first (`type` may be a list or wildcards). */
  list(params: ListParams & Window & { type?: string | string[]; resource?: string } = {}, o?: RequestOptions) {
    return this.paged<T.Event>('/events', params, o);
  }
  /** One event with its deliveries. */
  retrieve(id: string, o?: RequestOptions) { return this.get<T.Event>(`/events/${seg(id)}`, undefined, o); }
  /** The event catalog (`GET /events/types`). */
  types(o?: RequestOptions) { return this.get<{ data: T.EventType[] }>('/events/types', undefined, o); }
  /** The live stream as an async iterator; reconnects and resumes after the last event. */
  stream(params: StreamParams & { deliveries: true }): AsyncGenerator<T.Event | DeliveryFrame>;
  stream(params?: StreamParams): AsyncGenerator<T.Event>;
  stream(params: StreamParams = {}): AsyncGenerator<T.Event | DeliveryFrame> {
    return streamEvents(this.http, params) as AsyncGenerator<T.Event | DeliveryFrame>;
  }
}

export class EventCatalog extends Resource {
  /** Every catalogued event type with its JSON Schema and sample. */
  list(o?: RequestOptions) { return this.get<{ data: T.EventType[] }>('/events/types', undefined, o); }
}

/** The CloudNexus API client. */
export class CloudNexus {
  readonly http: HttpClient;
  readonly servers: Servers;
  readonly regions: Catalogue<T.Region>;
  readonly plans: Catalogue<T.Plan>;
  readonly images: Catalogue<T.Image>;
  readonly clusters: Clusters;
  readonly billing: Billing;
  readonly webhooks: Webhooks;
  readonly events: Events;
  readonly catalog: EventCatalog;

  /**
   * @param apiKey `cn_live_sk_...`; default `CN_API_KEY`
   * @param options base URL (default `CLOUDNEXUS_BASE_URL`, else `https://api.cloudnexus.io/v2`), account id, timeout, retries
   */
  constructor(apiKey?: string, options: ClientOptions = {}) {
    this.http = new HttpClient(apiKey, options);
    this.servers = new Servers(this.http);
    this.regions = new Catalogue<T.Region>(this.http, '/regions');
    this.plans = new Catalogue<T.Plan>(this.http, '/plans');
    this.images = new Catalogue<T.Image>(this.http, '/images');
    this.clusters = new Clusters(this.http);
    this.billing = new Billing(this.http);
    this.webhooks = new Webhooks(this.http);
    this.events = new Events(this.http);
    this.catalog = new EventCatalog(this.http);
  }

  /** Any API call not covered by a resource (path relative to the base URL, e.g. `/servers`). */
  request<R = unknown>(method: string, path: string, options?: RequestOptions): Promise<R> {
    return this.http.request<R>(method, path, options);
  }
}

export type { Page, ListParams };
