/**
 * The widget's own DOM parts, built with the browser kit's `el` (no HTML strings): icons, links and
 * parsed Markdown. Nothing in the widget assigns innerHTML, and the page's CSP
 * (require-trusted-types-for 'script') would make such an assignment throw.
 */
import { append, el, type Child } from '../../browser-kit/dom.js';
import { parseMarkdown, type Block, type Inline } from '../../browser-kit/markdown.js';
import { findPhones } from './phone.js';

const SVG = 'http://www.w3.org/2000/svg';

/** Icon paths (24×24, our own drawings). */
const ICONS = {
  chat: { d: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zM7 9h10M7 13h6', stroke: true },
  close: { d: 'M6 6l12 12M18 6L6 18', stroke: true },
  send: { d: 'M3.4 20.4L21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z', stroke: false },
  up: { d: 'M2 10h4v11H2zM8 21h9.2a2 2 0 0 0 2-1.6l1.5-7.2A2 2 0 0 0 18.7 10H14V5.5A2.5 2.5 0 0 0 11.5 3L8 10z', stroke: false },
  down: { d: 'M22 14h-4V3h4zM16 3H6.8a2 2 0 0 0-2 1.6l-1.5 7.2A2 2 0 0 0 5.3 14H10v4.5a2.5 2.5 0 0 0 2.5 2.5L16 14z', stroke: false },
  warning: { d: 'M12 3L1.5 21h21L12 3zM12 10v5M12 17.5v.5', stroke: true },
  phone: { d: 'M6.6 3h3l1.5 4.5-2.2 1.4a11 11 0 0 0 6.2 6.2l1.4-2.2 4.5 1.5v3a2 2 0 0 1-2.2 2A17 17 0 0 1 4.6 5.2 2 2 0 0 1 6.6 3z', stroke: true },
  person: { d: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0', stroke: true },
  plus: { d: 'M12 5v14M5 12h14', stroke: true },
} as const;

export type IconName = keyof typeof ICONS;

export function icon(name: IconName): SVGSVGElement {
  const spec = ICONS[name];
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'dvc-icon');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', spec.d);
  if (spec.stroke) {
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '2');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
  } else path.setAttribute('fill', 'currentColor');
  svg.appendChild(path);
  return svg;
}

export interface LinkLabels {
  /** Said after an external link's text: "(opens in a new tab)". */
  newTab: string;
  /** Accessible name of a tel: link: "Call 1800 1096". */
  call: (number: string) => string;
}

/** An <a> for an already-checked href (http, https or tel only). */
export function link(href: string, external: boolean, labels: LinkLabels, ...children: Child[]): HTMLAnchorElement {
  const a = el('a', { href }, ...children);
  if (href.startsWith('tel:')) {
    a.className = 'dvc-tel';
    a.setAttribute('aria-label', labels.call(a.textContent ?? ''));
  } else if (external) {
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    append(a, [el('span', { class: 'dvc-sr', text: ` ${labels.newTab}` })]);
  }
  return a;
}

function renderInline(nodes: Inline[], parent: Node, labels: LinkLabels): void {
  for (const n of nodes) {
    if (n.t === 'text') parent.appendChild(document.createTextNode(n.v));
    else if (n.t === 'br') parent.appendChild(document.createElement('br'));
    else if (n.t === 'link') {
      const a = link(n.href, n.external, labels);
      const label = document.createDocumentFragment();
      renderInline(n.c, label, labels);
      a.insertBefore(label, a.firstChild);
      if (n.href.startsWith('tel:')) a.setAttribute('aria-label', labels.call(a.textContent ?? ''));
      parent.appendChild(a);
    } else if (n.t === 'code') {
      parent.appendChild(el('code', { text: n.v }));
    } else if (n.t === 'placeholder') {
      // Answers arrive with the province's values filled in; a field left over is shown as written.
      parent.appendChild(document.createTextNode(`{{${n.key}}}`));
    } else {
      const node = document.createElement(n.t);
      renderInline(n.c, node, labels);
      parent.appendChild(node);
    }
  }
}

/** An answer's text as the widget shows it: the kit's Markdown, with phone numbers tap-to-call. */
export function parseAnswer(text: string): Block[] {
  return parseMarkdown(text, { phones: findPhones });
}

export function renderBlocks(blocks: Block[], labels: LinkLabels): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const b of blocks) {
    if (b.t === 'hr') {
      frag.appendChild(el('hr'));
    } else if (b.t === 'p' || b.t === 'h') {
      const p = el('p', { class: b.t === 'h' ? 'dvc-h' : undefined });
      const target = b.t === 'h' ? p.appendChild(el('strong')) : p;
      renderInline(b.c, target, labels);
      frag.appendChild(p);
    } else {
      const list = b.t === 'ol' ? el('ol', { start: b.start !== 1 ? b.start : null }) : el('ul');
      b.items.forEach((item, i) => {
        const li = el('li');
        renderInline(item, li, labels);
        const sub = b.subs?.[i];
        if (sub) {
          const nested = el('ul');
          for (const s of sub) {
            const subLi = el('li');
            renderInline(s, subLi, labels);
            nested.appendChild(subLi);
          }
          li.appendChild(nested);
        }
        list.appendChild(li);
      });
      frag.appendChild(list);
    }
  }
  return frag;
}
