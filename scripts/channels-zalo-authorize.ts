/**
 * First Zalo OA authorisation: exchanges an authorization code (+ PKCE code_verifier) for the
 * first access/refresh token pair and stores it in the database, where the channel keeps rotating
 * it. Run it once, after the OA admin approved the app; again only if the refresh token was lost.
 *
 *   npx tsx scripts/channels-zalo-authorize.ts --pkce
 *       prints a new code_verifier and its code_challenge (keep the verifier for the next step)
 *   npx tsx scripts/channels-zalo-authorize.ts --code <authorization code> --code-verifier <verifier>
 *       exchanges and stores the pair (ZALO_APP_ID, ZALO_APP_SECRET and the database settings
 *       come from the same environment as the server)
 *
 * Tokens are never printed.
 */
import crypto from 'node:crypto';
import { loadConfigOrExit } from '../server/config.js';
import { authorizeZalo } from '../channels/zalo/zalo-authorize.js';
import { runMain } from './run-main.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function base64url(buf: Buffer): string {
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function main(): Promise<number> {
  if (process.argv.includes('--pkce')) {
    const verifier = base64url(crypto.randomBytes(32));
    const challenge = base64url(crypto.createHash('sha256').update(verifier).digest());
    console.log(`code_verifier:  ${verifier}`);
    console.log(`code_challenge: ${challenge}  (method S256)`);
    console.log('Put the code_challenge in the OA permission link; keep the code_verifier for --code-verifier.');
    return 0;
  }
  const code = arg('--code') ?? process.env.ZALO_AUTH_CODE;
  const verifier = arg('--code-verifier') ?? process.env.ZALO_CODE_VERIFIER;
  if (!code || !verifier) {
    console.error('usage: channels-zalo-authorize.ts --code <code> --code-verifier <verifier>   (or --pkce)');
    return 2;
  }
  const server = loadConfigOrExit();
  const channels = server.channels;
  if (!channels.zalo?.appSecret) {
    console.error('Configuration error: set ZALO_APP_ID, ZALO_APP_SECRET and the webhook secret (see docs/channels.md) first');
    return 2;
  }
  const { expiresAt } = await authorizeZalo({
    oauthBaseUrl: channels.zalo.oauthBaseUrl,
    appId: channels.zalo.appId,
    appSecret: channels.zalo.appSecret,
    databasePath: server.databasePath,
    code,
    codeVerifier: verifier,
  });
  const expires = new Date(expiresAt).toISOString();
  console.log(`Zalo tokens stored in ${server.databasePath} (access token valid until ${expires}; the channel refreshes it from now on; replies waiting for authorisation go out now).`);
  return 0;
}

runMain(main);
