#!/usr/bin/env node
// Signs what the Development seed's demo-bank client sends (README "private_key_jwt and signed
// requests"), with Node's own crypto and the published demo keys (never for production):
//   node scripts/demo-bank-jwt.mjs assertion [audience]   a client_assertion (PS256), 60 s
//   node scripts/demo-bank-jwt.mjs request <login_hint>    a signed request (ES256), 5 minutes
// Environment: CIBA_ISSUER (default http://127.0.0.1:5080/t/demo/oauth2/token),
//              DEMO_BANK_KEYS (default tests/Ciba.Web.Tests/Protocol/Fapi/demo-bank.private.jwks.json).
import { createPrivateKey, randomUUID, sign, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const issuer = process.env.CIBA_ISSUER ?? 'http://127.0.0.1:5080/t/demo/oauth2/token';
const keys = JSON.parse(readFileSync(process.env.DEMO_BANK_KEYS ?? `${root}tests/Ciba.Web.Tests/Protocol/Fapi/demo-bank.private.jwks.json`, 'utf8')).keys;
const clientId = 'demo-bank';
const now = Math.floor(Date.now() / 1000);
const b64u = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function jws(header, payload, jwk) {
  const input = `${b64u(header)}.${b64u(payload)}`;
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  const signature = header.alg === 'PS256'
    ? sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    : sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

const [kind, argument] = process.argv.slice(2);
if (kind === 'assertion') {
  // RFC 7523: iss = sub = client id; aud the issuer (or the token or backchannel endpoint URL).
  const rsa = keys.find((key) => key.kty === 'RSA');
  console.log(jws({ alg: 'PS256', kid: rsa.kid, typ: 'JWT' },
    { iss: clientId, sub: clientId, aud: argument ?? issuer, jti: randomUUID(), iat: now, exp: now + 60 }, rsa));
} else if (kind === 'request' && argument) {
  // CIBA Core §7.1.1: every request parameter is a claim; aud the issuer; exp at most 60 min after nbf.
  const ec = keys.find((key) => key.kty === 'EC');
  console.log(jws({ alg: 'ES256', kid: ec.kid, typ: 'oauth-authz-req+jwt' }, {
    iss: clientId, aud: issuer, jti: randomUUID(), iat: now, nbf: now, exp: now + 300,
    scope: 'openid profile', login_hint: argument, binding_message: 'Bank 4711', requested_expiry: 120,
    // demo-bank is a ping client: the ping to its endpoint carries this as its Bearer token.
    client_notification_token: randomUUID(),
  }, ec));
} else {
  console.error('usage: demo-bank-jwt.mjs assertion [audience] | request <login_hint>');
  process.exit(2);
}
