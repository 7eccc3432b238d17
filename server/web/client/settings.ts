/**
 * What the widget is told when its iframe opens, read once: the loader's URL parameters
 * (province, language, position, colour, parent origin) and the server's limits from the frame page.
 */
import { palette, type Palette } from './color.js';

export interface Settings {
  province: string;
  requestedLang: string;
  position: 'left' | 'right';
  colors: Palette;
  /** Opened as a page of its own (not inside a portal's iframe): always open, no close button. */
  standalone: boolean;
  /** Where size messages go: the portal's origin when the loader gave a valid one. */
  parentOrigin: string;
  storageKey: string;
  /** The longest question /api/chat accepts, from the frame page; null when the page does not say. */
  maxMessage: number | null;
  /** How long the server may hold a request for staff replies (long polling; the route's maximum is 25). */
  waitSeconds: number;
  /** The pause after a failed request for staff replies (network, limit) before the next. */
  retryMs: number;
  /** The shortest time between two requests for staff replies: 60 a minute at most, whatever the server does. */
  minGapMs: number;
}

export function readSettings(): Settings {
  const params = new URLSearchParams(location.search);
  const param = (name: string, re: RegExp) => {
    const v = params.get(name) ?? '';
    return re.test(v) ? v : '';
  };
  const province = param('province', /^[a-z0-9-]{2,40}$/);
  let parentOrigin = '*';
  try {
    const o = new URL(params.get('parent') ?? '').origin;
    if (o && o !== 'null') parentOrigin = o;
  } catch {
    /* no valid parent origin: '*' (the loader only accepts size messages from our origin) */
  }
  const max = Number(document.querySelector<HTMLMetaElement>('meta[name="dvc-max-message"]')?.content);
  return {
    province,
    requestedLang: param('lang', /^[a-z]{2,3}$/),
    position: params.get('position') === 'left' ? 'left' : 'right',
    colors: palette(params.get('color')),
    standalone: window.parent === window,
    parentOrigin,
    storageKey: `dvc-widget:v1:${province || '-'}`,
    maxMessage: Number.isInteger(max) && max > 0 ? max : null,
    waitSeconds: 25,
    retryMs: 4000,
    minGapMs: 1000,
  };
}
