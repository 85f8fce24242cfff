/** Models of the API (snake_case as on the wire). Unknown fields are kept. */

export interface Server {
  id: string;
  name: string;
  region: string;
  plan: string;
  image: string;
  status: 'provisioning' | 'active' | 'terminated' | string;
  ip: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  [k: string]: unknown;
}

/** `POST /servers`: the first server's fields at the top level plus `servers`, all created servers. */
export interface CreateServersResponse extends Server {
  servers: Server[];
}

export interface ServerCreateParams {
  region: string;
  plan: string;
  image: string;
  /** 1-10 (default 1). */
  count?: number;
  name?: string;
}

export interface ServerUpdateParams {
  name?: string;
  plan?: string;
}

export interface Backup {
  id: string;
  server_id: string;
  status: 'pending' | 'completed' | string;
  requested_at?: string;
  completed_at?: string;
  size_gb?: number;
  duration_seconds?: number;
  [k: string]: unknown;
}

export interface FirewallRule {
  direction: 'inbound' | 'outbound';
  protocol: 'tcp' | 'udp' | 'icmp';
  port_range?: string;
  source: string;
}

export interface Firewall {
  id: string | null;
  server_id: string;
  rules: FirewallRule[];
  rules_count: number;
  updated_at: string | null;
  [k: string]: unknown;
}

export interface Region { id: string; [k: string]: unknown }
export interface Plan { id: string; vcpus?: number; memory_gb?: number; disk_gb?: number; price_cents_per_hour?: number; [k: string]: unknown }
export interface Image { id: string; [k: string]: unknown }

export interface NodePool { name: string; size: string; count: number; joined?: number }

export interface Cluster {
  id: string;
  name: string;
  region: string;
  version: string;
  status: 'provisioning' | 'running' | 'deleted' | string;
  node_pools: NodePool[];
  node_count: number;
  capacity_pods: number;
  created_at: string;
  updated_at: string;
  revision: number;
  [k: string]: unknown;
}

export interface ClusterCreateParams {
  name: string;
  region: string;
  version: string;
  node_pools: Array<{ name: string; size: string; count: number }>;
}

export interface Deployment {
  id: string;
  cluster_id: string;
  image: string;
  replicas: number;
  status: 'pending' | 'succeeded' | 'failed' | string;
  reason?: string;
  message?: string;
  created_at: string;
  updated_at: string;
  [k: string]: unknown;
}

export interface Usage {
  account_id: string;
  period: string;
  items: Array<Record<string, unknown>>;
  amount_due: number;
  currency: string;
  [k: string]: unknown;
}

export interface Invoice {
  id: string;
  account_id: string;
  status: 'draft' | 'finalized' | string;
  amount_due: number;
  currency: string;
  [k: string]: unknown;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description?: string | null;
  events: string[];
  status?: string;
  rate_limit?: number;
  /** Only in the answers of create and secret rotation. */
  secret?: string;
  [k: string]: unknown;
}

export interface WebhookEndpointCreateParams {
  url: string;
  events: string[];
  description?: string;
  rate_limit?: number;
}

export interface Delivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type?: string;
  status: 'delivered' | 'pending' | 'retrying' | 'dead' | string;
  test?: boolean;
  [k: string]: unknown;
}

export interface Attempt {
  attempt: number;
  attempted_at: string;
  status_code: number | null;
  latency_ms: number | null;
  error_class: string | null;
  response_excerpt: string | null;
  [k: string]: unknown;
}

export interface Event<D = Record<string, unknown>> {
  event: string;
  id: string;
  timestamp: string;
  data: D;
  deliveries?: Array<Record<string, unknown>>;
  [k: string]: unknown;
}

export interface EventType {
  type: string;
  category: string;
  description: string;
  schema: Record<string, unknown>;
  sample: Record<string, unknown>;
}
