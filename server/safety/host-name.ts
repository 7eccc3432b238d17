/** Canonical form of a host name: what DNS, the blocklist and the allow-list compare. */
import { domainToASCII } from 'node:url';
import { isIPv4, isIPv6 } from 'node:net';

// Defanged dots ("[.]", "(dot)") and full-width dots count as dots.
export const DEFANGED_DOT_RE = /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|[\u3002\uff0e\uff61]/giu;

/** Lower-case ASCII (punycode) host or IP literal, or null when `raw` is not a valid one. */
export function normaliseHost(raw: string): string | null {
  let host = raw.normalize('NFC').trim().toLowerCase().replace(DEFANGED_DOT_RE, '.').replace(/\.+$/, '');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (isIPv4(host) || isIPv6(host)) return host;
  const ascii = domainToASCII(host);
  if (!ascii || ascii.length > 253) return null;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l))) return null;
  // The last label is a TLD: letters, or an internationalised TLD in punycode.
  const tld = labels[labels.length - 1];
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(tld)) return null;
  return ascii;
}

/** The host and each parent domain with at least two labels: a.b.example.com → [a.b.example.com, b.example.com, example.com]. */
export function hostAndParents(host: string): string[] {
  if (isIPv4(host) || isIPv6(host)) return [host];
  const labels = host.split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}
