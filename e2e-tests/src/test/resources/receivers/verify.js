// The receiver code of the public docs, verbatim (api-and-webhooks-reference: "Verifying Signatures";
// webhooks dashboard: the Express example's check), run against what a real delivery carried.
// Usage: node verify.js <body-file> <x-cloudnexus-signature> <cloudnexus-signature> <secret>
const fs = require('fs');
const [bodyFile, xSignature, dashboardSig, SECRET] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile, 'utf-8');

// --- api-and-webhooks-reference.txt ---
const crypto = require('crypto');

function verifyWebhook(payload, signature, secret) {
  const expected = crypto
    .createHmac('sha256', secret)
    .update(payload, 'utf-8')
    .digest('hex');
  
  return crypto.timingSafeEqual(
    Buffer.from(signature),
    Buffer.from(expected)
  );
}

// --- webhooks-dashboard-page.txt (Express handler's check; req.body is the parsed JSON) ---
function dashboardCheck(reqBody, sig) {
  const payload = JSON.stringify(reqBody);
  const expected = crypto.createHmac('sha256', SECRET)
  .update(payload).digest('hex');
  if (sig !== expected) return 401;
  return 200;
}

const raw = verifyWebhook(body, xSignature, SECRET);
const dashboard = dashboardCheck(JSON.parse(body), dashboardSig);
console.log(JSON.stringify({ raw, dashboard }));
process.exit(raw && dashboard === 200 ? 0 : 1);
