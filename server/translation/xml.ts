/**
 * A small, strict XML reader for XLIFF files: elements, attributes, text, CDATA, comments,
 * processing instructions and the predefined and numeric entities. No DTDs (a DOCTYPE is
 * refused, so no entity expansion attacks), no external anything. Namespace prefixes are
 * kept in names and resolved by the caller through `xmlns` attributes.
 */

export interface XmlElement {
  type: 'element';
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  line: number;
}
export interface XmlText {
  type: 'text';
  value: string;
}
export type XmlNode = XmlElement | XmlText;

export class XmlError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`XML line ${line}: ${message}`);
  }
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;

export function escapeXml(s: string, attr = false): string {
  const out = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attr ? out.replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : out;
}

function decodeEntities(s: string, line: number): string {
  return s.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);|&/g, (all, ent: string | undefined) => {
    if (!ent) throw new XmlError(line, 'a bare "&" (write &amp;)');
    if (ent[0] === '#') {
      const cp = ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      if (!Number.isFinite(cp) || cp > 0x10ffff) throw new XmlError(line, `bad character reference ${all}`);
      return String.fromCodePoint(cp);
    }
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (!(ent in named)) throw new XmlError(line, `unknown entity ${all}`);
    return named[ent];
  });
}

/** Parses a document and returns its root element. */
export function parseXml(text: string): XmlElement {
  const s = text.replace(/^\uFEFF/, '');
  let i = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (s.charCodeAt(k) === 10) line++;
    i = to;
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const addText = (value: string) => {
    const top = stack[stack.length - 1];
    if (!top) {
      if (value.trim() !== '') throw new XmlError(line, 'text outside the root element');
      return;
    }
    const last = top.children[top.children.length - 1];
    if (last && last.type === 'text') last.value += value;
    else top.children.push({ type: 'text', value });
  };
  while (i < s.length) {
    const lt = s.indexOf('<', i);
    if (lt < 0) {
      addText(decodeEntities(s.slice(i), line));
      advance(s.length);
      break;
    }
    if (lt > i) {
      const raw = s.slice(i, lt);
      const at = line;
      advance(lt);
      addText(decodeEntities(raw, at));
    }
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      if (end < 0) throw new XmlError(line, 'unterminated comment');
      advance(end + 3);
    } else if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i + 9);
      if (end < 0) throw new XmlError(line, 'unterminated CDATA section');
      addText(s.slice(i + 9, end));
      advance(end + 3);
    } else if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i + 2);
      if (end < 0) throw new XmlError(line, 'unterminated processing instruction');
      advance(end + 2);
    } else if (s.startsWith('<!', i)) {
      throw new XmlError(line, 'DOCTYPE and other declarations are not accepted');
    } else if (s.startsWith('</', i)) {
      NAME.lastIndex = i + 2;
      const m = NAME.exec(s);
      if (!m) throw new XmlError(line, 'bad closing tag');
      const close = s.indexOf('>', NAME.lastIndex);
      if (close < 0 || s.slice(NAME.lastIndex, close).trim() !== '') throw new XmlError(line, 'bad closing tag');
      const top = stack.pop();
      if (!top || top.name !== m[0]) throw new XmlError(line, `</${m[0]}> does not close <${top?.name ?? '(nothing)'}>`);
      advance(close + 1);
    } else {
      NAME.lastIndex = i + 1;
      const m = NAME.exec(s);
      if (!m) throw new XmlError(line, 'bad tag');
      const el: XmlElement = { type: 'element', name: m[0], attrs: {}, children: [], line };
      let j = NAME.lastIndex;
      let selfClosing = false;
      for (;;) {
        while (j < s.length && /\s/.test(s[j])) j++;
        if (s.startsWith('/>', j)) {
          selfClosing = true;
          j += 2;
          break;
        }
        if (s[j] === '>') {
          j++;
          break;
        }
        NAME.lastIndex = j;
        const a = NAME.exec(s);
        if (!a) throw new XmlError(line, `bad attribute in <${el.name}>`);
        j = NAME.lastIndex;
        while (/\s/.test(s[j] ?? '')) j++;
        if (s[j] !== '=') throw new XmlError(line, `attribute ${a[0]} has no value`);
        j++;
        while (/\s/.test(s[j] ?? '')) j++;
        const q = s[j];
        if (q !== '"' && q !== "'") throw new XmlError(line, `attribute ${a[0]} must be quoted`);
        const end = s.indexOf(q, j + 1);
        if (end < 0) throw new XmlError(line, `attribute ${a[0]} is not closed`);
        const rawValue = s.slice(j + 1, end);
        if (rawValue.includes('<')) throw new XmlError(line, `"<" in attribute ${a[0]}`);
        if (a[0] in el.attrs) throw new XmlError(line, `attribute ${a[0]} given twice`);
        el.attrs[a[0]] = decodeEntities(rawValue.replace(/[\t\n\r]/g, ' '), line);
        j = end + 1;
      }
      const top = stack[stack.length - 1];
      if (top) top.children.push(el);
      else if (root) throw new XmlError(line, 'more than one root element');
      else root = el;
      advance(j);
      if (!selfClosing) stack.push(el);
    }
  }
  if (stack.length) throw new XmlError(line, `<${stack[stack.length - 1].name}> is not closed`);
  if (!root) throw new XmlError(line, 'no root element');
  return root;
}

/** Local name without a namespace prefix. */
export function localName(el: XmlElement): string {
  const k = el.name.indexOf(':');
  return k < 0 ? el.name : el.name.slice(k + 1);
}

export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.type === 'element' && (name === undefined || localName(c) === name));
}

export function textContent(el: XmlElement): string {
  return el.children.map((c) => (c.type === 'text' ? c.value : textContent(c))).join('');
}
