// OAuthIT's client: oauth4webapi (a standard OAuth 2.0 library no one here wrote) against the gateway.
// node oauth-client.mjs <command> <issuer> <client_id> <client_secret> [arg]
//   discover-and-use                  discovery (RFC 8414), tokens by client_secret_basic and _post, lists servers,
//                                     wrong secret and too broad scope; prints one JSON object
//   token <token endpoint>            a token from that endpoint (the issuer's metadata otherwise); prints it
//   revoke <token>                    revokes it at the discovered revocation endpoint (RFC 7009)
import * as oauth from 'oauth4webapi';

const [command, issuer, clientId, clientSecret, arg] = process.argv.slice(2);
const insecure = { [oauth.allowInsecureRequests]: true }; // the local platform is plain http on 127.0.0.1
const client = { client_id: clientId };

async function discover() {
  const url = new URL(issuer);
  const response = await oauth.discoveryRequest(url, { algorithm: 'oauth2', ...insecure });
  return oauth.processDiscoveryResponse(url, response);
}

async function token(as, auth, parameters) {
  const response = await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(parameters), insecure);
  return oauth.processClientCredentialsResponse(as, client, response);
}

/** The OAuth error code a failed call ended with, read the way an application would. */
async function errorCode(call) {
  try {
    await call();
    return 'no error';
  } catch (e) {
    if (e instanceof oauth.ResponseBodyError) return `${e.status} ${e.error}`;
    if (e instanceof oauth.WWWAuthenticateChallengeError) {
      // 401 with WWW-Authenticate (client_secret_basic): the RFC 6749 body is still there
      const body = await e.response.json();
      return `${e.status} ${body.error}`;
    }
    throw e;
  }
}

if (command === 'discover-and-use') {
  const as = await discover();
  const basic = await token(as, oauth.ClientSecretBasic(clientSecret), {});
  const servers = await oauth.protectedResourceRequest(
    basic.access_token, 'GET', new URL(`${issuer}/v2/servers`), new Headers(), null, insecure);
  const post = await token(as, oauth.ClientSecretPost(clientSecret), { scope: 'read' });
  console.log(JSON.stringify({
    issuer: as.issuer,
    token_endpoint: as.token_endpoint,
    access_token: basic.access_token,
    token_type: basic.token_type,
    expires_in: basic.expires_in,
    scope: basic.scope,
    servers_status: servers.status,
    servers: await servers.json(),
    post_scope: post.scope,
    wrong_secret: await errorCode(() => token(as, oauth.ClientSecretBasic('cn_live_cs_wrong'), {})),
    wrong_secret_post: await errorCode(() => token(as, oauth.ClientSecretPost('cn_live_cs_wrong'), {})),
    too_broad_scope: await errorCode(() => token(as, oauth.ClientSecretBasic(clientSecret), { scope: 'read admin' })),
  }));
} else if (command === 'token') {
  const as = { issuer, token_endpoint: arg };
  console.log((await token(as, oauth.ClientSecretBasic(clientSecret), {})).access_token);
} else if (command === 'revoke') {
  const as = await discover();
  const response = await oauth.revocationRequest(as, client, oauth.ClientSecretBasic(clientSecret), arg, insecure);
  await oauth.processRevocationResponse(response);
  console.log('revoked');
} else {
  console.error(`unknown command ${command}`);
  process.exit(2);
}
