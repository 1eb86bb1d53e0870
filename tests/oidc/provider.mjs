// A real OpenID Provider for the tests: panva's OpenID-certified `oidc-provider` (npm), run with node.
//
// It listens on 127.0.0.1 on a free port, prints one JSON line {"issuer": ...} on stdout when it is
// ready, and stops on SIGTERM.  Configuration comes from environment variables set by the test:
//   OP_CLIENT_ID, OP_CLIENT_SECRET, OP_REDIRECT_URI   the one registered client (Sagsflow)
//   OP_ACCOUNTS   JSON {accountId: {claims...}}; the login form's name picks the account
// The provider's own development login and consent pages are used (any password); what is
// tested is Sagsflow's side of the code flow: PKCE, state, nonce, signatures, claims.
import http from 'node:http';

import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const accounts = JSON.parse(process.env.OP_ACCOUNTS || '{}');

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.OP_CLIENT_ID,
    client_secret: process.env.OP_CLIENT_SECRET,
    redirect_uris: [process.env.OP_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-cookie-key-not-secret'] },
  pkce: { required: () => true },
  // Groups and team travel in the ID token, as with most municipal identity providers.
  conformIdTokenClaims: false,
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email'],
    groups: ['groups', 'team'],
  },
  async findAccount(ctx, id) {
    const claims = accounts[id];
    if (!claims) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});
provider.on('server_error', (ctx, err) => console.error('server_error', err));

server.on('request', provider.callback());
process.on('SIGTERM', () => server.close(() => process.exit(0)));
console.log(JSON.stringify({ issuer }));
