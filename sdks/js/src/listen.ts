import { CloudNexus } from './client.js';
import type { ClientOptions } from './core.js';
import { generateSecret, sign } from './webhooks.js';

export interface ListenOptions extends ClientOptions {
  /** The local URL each event is POSTed to, e.g. `http://localhost:3000/webhook`. */
  forwardTo: string;
  /** Event types (wildcards allowed); default every type. */
  events?: string[];
  /** The signing secret (default: a new `whsec_` secret, printed). */
  secret?: string;
  apiKey?: string;
  /** Resume after this event id. */
  since?: string;
  signal?: AbortSignal;
  /** Where lines go (default console.log). */
  log?: (line: string) => void;
}

/**
 * Opens the live event stream and POSTs each event, signed like a real delivery (both signature styles)
 * with a local secret, to `forwardTo`. Runs until `signal` aborts. Resolves with the secret used.
 */
export async function listen(options: ListenOptions): Promise<string> {
  const log = options.log ?? ((l: string) => console.log(l));
  const secret = options.secret ?? generateSecret();
  const cn = new CloudNexus(options.apiKey, options);
  let opened = false;
  // "Ready!" once the stream is connected: every event from then on is forwarded.
  const onOpen = () => {
    if (!opened) log(`Ready! Forwarding events to ${options.forwardTo}. Your webhook signing secret is ${secret} (^C to quit)`);
    opened = true;
  };
  let n = 0;
  for await (const event of cn.events.stream({ types: options.events, since: options.since, signal: options.signal, onOpen })) {
    // The envelope is canonical JSON: JSON.stringify gives back the bytes a real delivery carries.
    const body = JSON.stringify(event);
    const deliveryId = `dlv_local${(++n).toString().padStart(6, '0')}`;
    const headers = {
      ...sign(body, secret, { id: event.id, event: event.event, deliveryId }),
      'user-agent': 'CloudNexus-CLI/listen',
    };
    const started = Date.now();
    try {
      const res = await fetch(options.forwardTo, { method: 'POST', headers, body, signal: options.signal });
      await res.arrayBuffer().catch(() => undefined);
      log(`${new Date().toISOString()}  --> ${event.event} [${event.id}]  <-- [${res.status}] POST ${options.forwardTo} (${Date.now() - started} ms)`);
    } catch (e) {
      if (options.signal?.aborted) break;
      log(`${new Date().toISOString()}  --> ${event.event} [${event.id}]  <-- failed: ${(e as Error).message}`);
    }
  }
  return secret;
}
