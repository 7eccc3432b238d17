import crypto from 'node:crypto';

/**
 * Zalo OA webhook signature: `X-ZEvent-Signature: mac=<hex>` where hex is plain SHA-256 (not
 * HMAC) of `id + rawBody + timestamp + secret`; `id` is the app id (or the OA id, depending on
 * the deployment), `timestamp` the body's field, `rawBody` the exact bytes received.
 */
export function zaloMac(id: string, rawBody: Buffer, timestamp: string, secret: string): Buffer {
  return crypto
    .createHash('sha256')
    .update(Buffer.from(id, 'utf8'))
    .update(rawBody)
    .update(Buffer.from(timestamp, 'utf8'))
    .update(Buffer.from(secret, 'utf8'))
    .digest();
}

export function zaloSignatureHeader(id: string, rawBody: Buffer, timestamp: string, secret: string): string {
  return `mac=${zaloMac(id, rawBody, timestamp, secret).toString('hex')}`;
}

/** Constant-time check of the header against the expected MAC; false on any malformed header. */
export function verifyZaloSignature(header: string | undefined, id: string, rawBody: Buffer, timestamp: string, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const hex = header.trim().replace(/^mac=/i, '').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const given = Buffer.from(hex.toLowerCase(), 'hex');
  const expected = zaloMac(id, rawBody, timestamp, secret);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}
