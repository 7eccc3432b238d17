/**
 * The page at "/": an imaginary provincial public-service portal with the widget on it, so that a
 * new user sees the product at once and a portal's web team sees the one line to copy.
 * All text comes from widget.json (demo.*), all drawings are ours, no external resources.
 */
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import { lookup, translator, type Strings } from '../browser-kit/strings.js';

export type { Strings } from '../browser-kit/strings.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** The kit's `t()`, plus groups whose entries may be objects (the demo's tiles). */
function demoStrings(strings: Strings) {
  const group = (key: string): Array<[string, unknown]> => {
    const v = lookup(strings, key);
    return v && typeof v === 'object' ? Object.entries(v) : [];
  };
  return { t: translator(strings).t, group };
}

export interface DemoPageInput {
  strings: Strings;
  lang: string;
  otherLang: string;
  profile: ProvinceProfile;
  /** Absolute origin of this server as the browser sees it, for the copyable snippet. */
  origin: string;
  assetVersion: { css: string };
}

const EMBLEM = `<svg class="emblem" viewBox="0 0 56 56" aria-hidden="true" focusable="false"><rect x="2" y="2" width="52" height="52" rx="12" fill="#0b5cad"/><rect x="8" y="8" width="40" height="40" rx="8" fill="none" stroke="#ffffff" stroke-width="2"/><path d="M16 36V20h6a8 8 0 0 1 0 16zM31 20l4.5 16L40 20" fill="none" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/></svg>`;

export function renderDemoPage(input: DemoPageInput): string {
  const { t, group } = demoStrings(input.strings);
  const e = escapeHtml;
  const province = input.lang === 'en' ? input.profile.nameEn : input.profile.name;
  const v = input.profile.values;
  const menu = group('demo.menu')
    .map(([, label], i) => `<li><a href="#main"${i === 0 ? ' aria-current="page"' : ''}>${e(String(label))}</a></li>`)
    .join('');
  const tiles = group('demo.tiles')
    .map(([, tile]) => (tile && typeof tile === 'object' ? `<li class="tile"><h3>${e(String((tile as Strings).title ?? ''))}</h3><p>${e(String((tile as Strings).text ?? ''))}</p></li>` : ''))
    .join('');
  const snippet = `<script src="${input.origin}/widget.js" data-province="${input.profile.code}" data-lang="${input.lang}" data-position="right" data-color="#0b5cad" async></script>`;
  const official = v.national_portal_url && v.national_hotline ? `<p>${e(t('demo.footerOfficial', { portal: v.national_portal_url, hotline: v.national_hotline }))}</p>` : '';
  const other = input.otherLang === 'vi' ? '/' : `/?lang=${input.otherLang}`;
  return `<!doctype html>
<html lang="${e(input.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(t('demo.pageTitle', { province }))}</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/demo/portal.css?v=${e(input.assetVersion.css)}">
</head>
<body>
<a class="skip" href="#main">${e(t('demo.skip'))}</a>
<div class="demo-note" role="note"><div class="wrap"><span>${e(t('demo.banner'))}</span><a href="${e(other)}" lang="${e(input.otherLang)}">${e(t('demo.otherLanguage'))}</a></div></div>
<header class="site-header"><div class="wrap">${EMBLEM}<div><p class="site-name">${e(t('demo.siteName'))}</p><p class="site-sub">${e(t('demo.siteSub', { province }))}</p></div></div></header>
<nav class="menu" aria-label="${e(t('demo.menuLabel'))}"><ul>${menu}</ul></nav>
<div class="hero"><div class="wrap"><h1>${e(t('demo.heroTitle'))}</h1><p>${e(t('demo.heroText'))}</p></div></div>
<main id="main"><div class="wrap">
<h2>${e(t('demo.tilesTitle'))}</h2>
<ul class="tiles">${tiles}</ul>
<section class="embed" aria-labelledby="embed-title"><h2 id="embed-title">${e(t('demo.embedTitle'))}</h2><p>${e(t('demo.embedText'))}</p><pre><code>${e(snippet)}</code></pre></section>
</div></main>
<footer class="site-footer"><div class="wrap">${official}<p>${e(t('demo.footerProject'))}</p></div></footer>
<script src="/widget.js" data-province="${e(input.profile.code)}" data-lang="${e(input.lang)}" data-position="right" data-color="#0b5cad" async></script>
</body>
</html>
`;
}
