import { ConfigError } from './config-error.js';

/** "https://a.example, https://b.example:8443" → normalised origins. Throws on anything that is not a bare origin. */
export function parseAllowedOrigins(raw: string | undefined): string[] {
  if (!raw || !raw.trim()) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new ConfigError(`ALLOWED_ORIGINS: "${entry}" is not an origin like https://portal.example.gov.vn`);
      }
      if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || entry.endsWith('/')) {
        throw new ConfigError(`ALLOWED_ORIGINS: "${entry}" must be a scheme, host and optional port only (no path, no trailing slash)`);
      }
      return url.origin;
    });
}
