// Runs a whole CIBA poll-mode flow against Ciba with openid-client, a certified relying-party
// library: discovery, backchannel request, polling, ID token validation (claims and, with the
// non-repudiation checks, the signature against the JWKS), UserInfo, then a refresh (the refresh
// token rotates) and the revocation of the new refresh token (it then no longer refreshes).
// Input (environment): CIBA_ISSUER, CIBA_CLIENT_ID, CIBA_CLIENT_SECRET, CIBA_LOGIN_HINT.
// Output (stdout, one JSON object per line): {"auth_url": ...} once the request is acknowledged,
// then {"result": {...}} when tokens arrive. Any failure exits non-zero with the error on stderr.
import * as client from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const issuer = new URL(env('CIBA_ISSUER'));
const clientId = env('CIBA_CLIENT_ID');
const config = await client.discovery(
  issuer,
  clientId,
  undefined,
  client.ClientSecretBasic(env('CIBA_CLIENT_SECRET')),
  { execute: [client.allowInsecureRequests] },
);
client.enableNonRepudiationChecks(config);
const metadata = config.serverMetadata();

const ack = await client.initiateBackchannelAuthentication(config, {
  scope: 'openid profile email offline_access',
  login_hint: env('CIBA_LOGIN_HINT'),
  binding_message: '1234',
  notification_channel: 'external',
});
console.log(JSON.stringify({ auth_url: ack.auth_url, expires_in: ack.expires_in, interval: ack.interval }));

const tokens = await client.pollBackchannelAuthenticationGrant(config, ack);
const claims = tokens.claims();
if (!claims) throw new Error('no ID token');

const { payload } = await jwtVerify(tokens.id_token, createRemoteJWKSet(new URL(metadata.jwks_uri)), {
  issuer: metadata.issuer,
  audience: clientId,
  algorithms: ['RS256'],
});
const userInfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);

// product.md §13: refresh (rotated on every use), then revoke the new refresh token (RFC 7009).
if (!tokens.refresh_token) throw new Error('no refresh token');
const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
const refreshedClaims = refreshed.claims();
await client.tokenRevocation(config, refreshed.refresh_token, { token_type_hint: 'refresh_token' });
let revokedRefreshError = null;
try {
  await client.refreshTokenGrant(config, refreshed.refresh_token);
} catch (error) {
  revokedRefreshError = error.error ?? error.code ?? String(error);
}

console.log(JSON.stringify({
  result: {
    issuer: metadata.issuer,
    sub: claims.sub,
    verified_sub: payload.sub,
    id_token_kid: decodeProtectedHeader(tokens.id_token).kid,
    access_token_typ: decodeProtectedHeader(tokens.access_token).typ,
    token_type: tokens.token_type,
    scope: tokens.scope,
    userinfo_preferred_username: userInfo.preferred_username,
    refreshed_sub: refreshedClaims?.sub ?? null,
    refreshed_auth_time: refreshedClaims?.auth_time ?? null,
    auth_time: claims.auth_time,
    refresh_rotated: Boolean(refreshed.refresh_token) && refreshed.refresh_token !== tokens.refresh_token,
    refreshed_access_token: Boolean(refreshed.access_token),
    revoked_refresh_error: revokedRefreshError,
  },
}));
