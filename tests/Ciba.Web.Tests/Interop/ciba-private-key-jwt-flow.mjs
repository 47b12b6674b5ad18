// Runs a whole CIBA poll-mode flow for a FAPI-grade client with openid-client: private_key_jwt at
// the backchannel and token endpoints (openid-client's own assertions), and a signed authentication
// request (`request`, CIBA Core §7.1.1) made with jose. Then it validates the ID token.
// Input (environment): CIBA_ISSUER, CIBA_CLIENT_ID, CIBA_PRIVATE_JWKS (a file with the private
// JWK Set), CIBA_LOGIN_HINT.
// Output (stdout, one JSON object per line): {"auth_url": ...} once the request is acknowledged,
// then {"result": {...}} when tokens arrive. Any failure exits non-zero with the error on stderr.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as client from 'openid-client';
import { SignJWT, createRemoteJWKSet, importJWK, jwtVerify } from 'jose';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const clientId = env('CIBA_CLIENT_ID');
const keys = JSON.parse(readFileSync(env('CIBA_PRIVATE_JWKS'), 'utf8')).keys;
const rsa = keys.find((key) => key.kty === 'RSA');
const ec = keys.find((key) => key.kty === 'EC');

// The client assertion: PS256 with the RSA key (openid-client signs a fresh one per request).
const assertionKey = await importJWK(rsa, 'PS256');
const config = await client.discovery(
  new URL(env('CIBA_ISSUER')),
  clientId,
  undefined,
  client.PrivateKeyJwt({ key: assertionKey, kid: rsa.kid }),
  { execute: [client.allowInsecureRequests] },
);
client.enableNonRepudiationChecks(config);
const metadata = config.serverMetadata();

// The signed authentication request: ES256 with the EC key; every parameter is a claim.
const requestObject = await new SignJWT({
  scope: 'openid profile',
  login_hint: env('CIBA_LOGIN_HINT'),
  binding_message: '1234',
  requested_expiry: '120',
  // demo-bank is a ping client (product.md §18); ping clients may also poll, as this one does.
  client_notification_token: randomUUID(),
})
  .setProtectedHeader({ alg: 'ES256', kid: ec.kid, typ: 'oauth-authz-req+jwt' })
  .setIssuer(clientId)
  .setAudience(metadata.issuer)
  .setIssuedAt()
  .setNotBefore('0s')
  .setExpirationTime('5m')
  .setJti(randomUUID())
  .sign(await importJWK(ec, 'ES256'));

const ack = await client.initiateBackchannelAuthentication(config, { request: requestObject });
console.log(JSON.stringify({ auth_url: ack.auth_url, expires_in: ack.expires_in, interval: ack.interval }));

const tokens = await client.pollBackchannelAuthenticationGrant(config, ack);
const claims = tokens.claims();
if (!claims) throw new Error('no ID token');

const { payload, protectedHeader } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(metadata.jwks_uri)), {
  issuer: metadata.issuer,
  audience: clientId,
});

console.log(JSON.stringify({
  result: {
    issuer: metadata.issuer,
    sub: claims.sub,
    verified_sub: payload.sub,
    id_token_alg: protectedHeader.alg,
    auth_methods: metadata.token_endpoint_auth_methods_supported ?? null,
    scope: tokens.scope,
  },
}));
