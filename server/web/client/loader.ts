/**
 * widget.js — the only code that runs on the host page.
 *
 *   <script src="https://assistant.example/widget.js" data-province="kon-tum" data-lang="vi"
 *           data-position="right" data-color="#0b5cad" async></script>
 *
 * It adds one iframe from the origin this script came from, and resizes it when the chat inside
 * asks to (the only messages it accepts: from that iframe, from that origin). It defines no
 * globals, adds no stylesheet to the page, and uses no array or JSON built-ins the host page may
 * have replaced. The iframe's own styles are set inline with !important, which beats the host's
 * rules, even "* { all: unset !important }".
 */
(() => {
  const doc = document;
  const script = (doc.currentScript as HTMLScriptElement | null) ?? doc.querySelector<HTMLScriptElement>('script[src*="/widget.js"]');
  if (!script || !script.src || doc.querySelector('iframe[data-dvc-widget]')) return;
  let origin: string;
  let src: URL;
  try {
    origin = new URL(script.src, location.href).origin;
    src = new URL('/widget/frame.html', origin);
  } catch {
    return;
  }
  const copy = (name: string) => {
    const value = script.getAttribute(`data-${name}`);
    if (value) src.searchParams.set(name, value.slice(0, 64));
  };
  copy('province');
  copy('lang');
  copy('position');
  copy('color');
  src.searchParams.set('parent', location.origin);

  const side = script.getAttribute('data-position') === 'left' ? 'left' : 'right';
  const frame = doc.createElement('iframe');
  const set = (name: string, value: string) => frame.style.setProperty(name, value, 'important');
  frame.setAttribute('data-dvc-widget', '');
  frame.setAttribute('referrerpolicy', 'no-referrer');
  set('position', 'fixed');
  set('z-index', '2147483000');
  set('top', 'auto');
  set('bottom', '0');
  set(side, '0');
  set(side === 'left' ? 'right' : 'left', 'auto');
  set('width', '0');
  set('height', '0');
  set('min-width', '0');
  set('min-height', '0');
  set('max-width', '100vw');
  set('max-height', '100vh');
  set('margin', '0');
  set('padding', '0');
  set('border', '0');
  set('border-radius', '0');
  set('background', 'transparent');
  set('color-scheme', 'normal');
  set('display', 'block');
  set('visibility', 'visible');
  set('opacity', '1');
  set('transform', 'none');
  set('filter', 'none');
  set('clip-path', 'none');
  set('box-shadow', 'none');
  set('outline', 'none');
  set('float', 'none');
  set('pointer-events', 'auto');
  set('overflow', 'hidden');

  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow || event.origin !== origin) return;
    const m = event.data as { source?: unknown; type?: unknown; open?: unknown; width?: unknown; height?: unknown; title?: unknown } | null;
    if (!m || typeof m !== 'object' || m.source !== 'dvc-widget' || m.type !== 'state') return;
    const w = Math.min(4000, Math.max(0, Math.round(Number(m.width) || 0)));
    const h = Math.min(4000, Math.max(0, Math.round(Number(m.height) || 0)));
    if (typeof m.title === 'string') frame.setAttribute('title', m.title.slice(0, 200));
    if (m.open === true) {
      set('width', `min(${w}px, 100vw)`);
      set('height', `min(${h}px, 100vh)`);
      set('height', `min(${h}px, 100dvh)`); // ignored where dvh is unknown; 100vh stays
    } else {
      set('width', `${w}px`);
      set('height', `${h}px`);
    }
  });

  frame.setAttribute('src', src.href);
  const mount = () => (doc.body ?? doc.documentElement).appendChild(frame);
  if (doc.body) mount();
  else doc.addEventListener('DOMContentLoaded', mount, { once: true });
})();
