export type EndpointStatus = 'active' | 'paused' | 'disabled';

export interface Endpoint {
  id: string;
  url: string;
  description?: string;
  events: string[];
  status: EndpointStatus;
  rate_limit?: number;
  disabled_reason?: string;
  failing_since?: string;
  previous_secret_expires_at?: string;
  created_at: string;
  updated_at: string;
  secret?: string;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead';

export interface Delivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  test: boolean;
  attempts: number;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface Attempt {
  attempt: number;
  attempted_at: string;
  status_code: number | null;
  latency_ms: number;
  error_class: string | null;
  response_excerpt: string | null;
}

export interface EventType {
  type: string;
  category: string;
  description: string;
  schema: any;
  sample: any;
}

export interface Envelope {
  event: string;
  id: string;
  timestamp: string;
  data: any;
}

export interface DeliveryFrame {
  type: 'delivery';
  delivery_id: string;
  endpoint_id: string;
  event_id: string;
  event: string;
  status: DeliveryStatus;
  attempt: number;
  status_code?: number | null;
  latency_ms?: number | null;
  error_class?: string | null;
  next_attempt_at?: string | null;
  timestamp: string;
}

export type Scope = 'read' | 'write' | 'admin';

/** A self-service API key as listed (`key` only in the creation answer). */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  created_at: string;
  last_used_at: string | null;
  key?: string;
}

/** An OAuth 2.0 client (`client_secret` only in the creation answer). */
export interface OAuthClient {
  client_id: string;
  name: string;
  scopes: Scope[];
  created_at: string;
  client_secret?: string;
}
