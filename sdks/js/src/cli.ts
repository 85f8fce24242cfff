#!/usr/bin/env node
import { listen } from './listen.js';
import { VERSION } from './core.js';

const USAGE = `Usage: cloudnexus listen --forward-to <url> [--events <type,...>] [--api-key <key>] [--base-url <url>]
                        [--account-id <acc_...>] [--secret <whsec_...>] [--since <evt_...>]

  Opens the CloudNexus live event stream and POSTs each event, signed with a local whsec_ secret
  (printed at start; both signature styles, like a real delivery), to a local URL.
  The API key defaults to CN_API_KEY, the base URL to CLOUDNEXUS_BASE_URL.
  e.g. npx @cloudnexus/sdk listen --forward-to http://localhost:3000/webhook --events 'server.*'`;

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`Unexpected argument: ${a}`);
    const eq = a.indexOf('=');
    if (eq > 0) { out[a.slice(2, eq)] = a.slice(eq + 1); continue; }
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) { out[a.slice(2)] = 'true'; continue; }
    out[a.slice(2)] = v;
    i++;
  }
  return out;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === 'version') { console.log(VERSION); return 0; }
  if (command !== 'listen') { console.error(USAGE); return command === '--help' || command === 'help' ? 0 : 2; }
  let args: Record<string, string>;
  try { args = parseArgs(rest); } catch (e) { console.error((e as Error).message); console.error(USAGE); return 2; }
  if (args.help) { console.log(USAGE); return 0; }
  const forwardTo = args['forward-to'];
  if (!forwardTo) { console.error('--forward-to is required'); console.error(USAGE); return 2; }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await listen({
      forwardTo,
      events: args.events ? args.events.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
      apiKey: args['api-key'],
      baseUrl: args['base-url'],
      accountId: args['account-id'],
      secret: args.secret,
      since: args.since,
      signal: controller.signal,
    });
    return 0;
  } catch (e) {
    if (controller.signal.aborted) return 0;
    console.error(`listen failed: ${(e as Error).message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
