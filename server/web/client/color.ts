/**
 * The portal chooses the widget's accent colour (data-color). Whatever it picks, text on it
 * and links must keep WCAG AA contrast (4.5:1), so the colours actually used are derived here.
 */
export const DEFAULT_ACCENT = '#0b5cad';
const WHITE = '#ffffff';
const INK = '#111111';
/** Background of the assistant's bubbles (widget.css). */
export const BOT_BUBBLE = '#f1f4f8';

export function parseHex(color: string): [number, number, number] | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (!m) return null;
  const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function luminance([r, g, b]: [number, number, number]): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: string, b: string): number {
  const la = luminance(parseHex(a)!);
  const lb = luminance(parseHex(b)!);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function darken(color: string, factor: number): string {
  const rgb = parseHex(color)!;
  return `#${rgb.map((v) => Math.round(v * factor).toString(16).padStart(2, '0')).join('')}`;
}

export interface Palette {
  accent: string;
  onAccent: string;
  /** Link and focus colour on white and on the bubble background. */
  link: string;
}

/** Accent and the text colour on it; links darkened until they read well on the bubble background. */
export function palette(requested: string | null | undefined): Palette {
  const accent = requested && parseHex(requested) ? requested.toLowerCase() : DEFAULT_ACCENT;
  let onAccent = contrast(accent, WHITE) >= 4.5 ? WHITE : contrast(accent, INK) >= 4.5 ? INK : '';
  let base = accent;
  if (!onAccent) {
    base = DEFAULT_ACCENT;
    onAccent = WHITE;
  }
  let link = base;
  for (let i = 0; i < 20 && contrast(link, BOT_BUBBLE) < 4.5; i++) link = darken(link, 0.85);
  return { accent: base, onAccent, link };
}
