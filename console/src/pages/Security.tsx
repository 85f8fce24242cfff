import { useState } from 'preact/hooks';
import { CopyButton, PageHeader } from '../ui';

// Exactly the reference page's example.
const NODE = `const crypto = require('crypto');
const express = require('express');
app.post('/webhook', (req, res) => {
const sig = req.headers['cloudnexus-signature'];
const payload = JSON.stringify(req.body);
const expected = crypto.createHmac('sha256', SECRET)
.update(payload).digest('hex');
if (sig !== expected) return res.status(401).send('Invalid');
processEvent(req.body);
res.status(200).send('OK');
});`;

const PYTHON = `import hashlib
import hmac

from flask import Flask, request, abort

app = Flask(__name__)
SECRET = "whsec_..."  # your endpoint's signing secret, as shown once

@app.post("/webhook")
def webhook():
    sig = request.headers.get("Cloudnexus-Signature", "")
    body = request.get_data()  # the raw body, byte for byte
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sig, expected):
        abort(401)
    process_event(request.get_json())
    return "OK", 200`;

const JAVA = `import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Verifies Cloudnexus-Signature: hex HMAC-SHA256 of the raw body, keyed with the secret string. */
public final class WebhookVerifier {
    private final byte[] secret;

    public WebhookVerifier(String secret) { // "whsec_..."
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    public boolean verify(byte[] rawBody, String signatureHeader) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        String expected = HexFormat.of().formatHex(mac.doFinal(rawBody));
        return signatureHeader != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                signatureHeader.getBytes(StandardCharsets.US_ASCII));
    }
}`;

const SAMPLES: Record<string, { label: string; code: string }> = {
  node: { label: 'Node.js (Express)', code: NODE },
  python: { label: 'Python (Flask)', code: PYTHON },
  java: { label: 'Java', code: JAVA },
};

export function SecurityPage() {
  const [lang, setLang] = useState<keyof typeof SAMPLES>('node');
  return (
    <div>
      <PageHeader title="Security & Verification" />
      <section class="card">
        <p>
          All webhooks are signed using HMAC-SHA256. Verify the signature in your endpoint by comparing the Cloudnexus-Signature header against your
          secret.
        </p>
        <ul class="checklist">
          <li>Always validate signatures server-side</li>
          <li>Use HTTPS endpoints only</li>
          <li>Implement idempotency keys to prevent duplicate processing</li>
          <li>Timeout after 5 seconds to avoid queue buildup</li>
        </ul>
      </section>
      <section class="card" aria-labelledby="code-example">
        <h2 id="code-example">Code Example</h2>
        <div class="tabs" role="tablist" aria-label="Language">
          {Object.entries(SAMPLES).map(([k, s]) => (
            <button
              type="button"
              role="tab"
              id={`tab-${k}`}
              aria-controls="code-panel"
              aria-selected={lang === k}
              class={`tab ${lang === k ? 'tab-on' : ''}`}
              key={k}
              onClick={() => setLang(k as keyof typeof SAMPLES)}
            >
              {s.label}
            </button>
          ))}
        </div>
        <div id="code-panel" role="tabpanel" aria-labelledby={`tab-${lang}`}>
          <h3>{SAMPLES[lang].label}</h3>
          <pre class="code" tabIndex={0} data-testid={`code-${lang}`}>
            {SAMPLES[lang].code}
          </pre>
          <CopyButton text={SAMPLES[lang].code} label="Copy code" />
        </div>
      </section>
      <section class="card" aria-labelledby="headers-title">
        <h2 id="headers-title">Headers on every request</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Header</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td><code>Cloudnexus-Signature</code>, <code>X-CloudNexus-Signature</code></td>
                <td>lowercase hex HMAC-SHA256 of the raw body, keyed with the secret string as shown (<code>whsec_...</code>)</td>
              </tr>
              <tr>
                <td><code>X-CloudNexus-Signature-Previous</code></td>
                <td>during the 24 h after a secret rotation: the same signature with the previous secret</td>
              </tr>
              <tr>
                <td><code>webhook-id</code></td>
                <td>the event id (<code>evt_...</code>), the same on every retry: your idempotency key</td>
              </tr>
              <tr>
                <td><code>webhook-timestamp</code></td>
                <td>seconds since the epoch when this attempt was signed</td>
              </tr>
              <tr>
                <td><code>webhook-signature</code></td>
                <td>
                  Standard Webhooks: <code>v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</code>, keyed with the base64-decoded part after{' '}
                  <code>whsec_</code>; during a rotation two signatures, space-separated: accept if any matches
                </td>
              </tr>
              <tr>
                <td><code>X-CloudNexus-Event</code>, <code>X-CloudNexus-Delivery</code></td>
                <td>the event type and the delivery id (<code>dlv_...</code>)</td>
              </tr>
            </tbody>
          </table>
        </div>
        <p class="muted">
          Answer with a 2xx within 5 seconds. Anything else, timeouts and redirects are retried (0s, 5s, 5m, 30m, 2h, 5h, 10h, 10h); after the last attempt
          the delivery is dead-lettered. <code>410 Gone</code> disables the endpoint at once.
        </p>
      </section>
    </div>
  );
}
