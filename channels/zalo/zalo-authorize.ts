import { closeDatabase, openDatabase } from '../../server/db/database.js';
import { exchangeAuthorizationCode, storeTokenPair } from './zalo-tokens.js';

/**
 * (Re-)authorisation, as scripts/channels-zalo-authorize.ts runs it: exchanges the code for a
 * token pair and stores it through its own connection to the server's database. Storing the pair
 * clears the "waiting for authorisation" state and makes the waiting replies due, so a running
 * server sends them within one poll. Returns when the new access token expires.
 */
export async function authorizeZalo(args: {
  oauthBaseUrl: string;
  appId: string;
  appSecret: string;
  databasePath: string;
  code: string;
  codeVerifier: string;
  now?: () => number;
}): Promise<{ expiresAt: number }> {
  const now = args.now ?? Date.now;
  const pair = await exchangeAuthorizationCode({ oauthBaseUrl: args.oauthBaseUrl, appId: args.appId, appSecret: args.appSecret, code: args.code, codeVerifier: args.codeVerifier });
  const db = openDatabase(args.databasePath);
  try {
    storeTokenPair(db, pair, now());
  } finally {
    closeDatabase(db);
  }
  return { expiresAt: now() + pair.expiresIn * 1000 };
}
