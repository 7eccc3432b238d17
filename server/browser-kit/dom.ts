/**
 * DOM building without HTML strings, shared by the widget and the staff pages: every node is made
 * with createElement and every text goes through a text node or textContent. `style` and
 * `innerHTML` are refused, so no caller can turn text into markup (the pages' CSP also forbids
 * HTML sinks and inline styles).
 */
export type Child = Node | string | number | null | undefined | false | Child[];
export type Attrs = Record<string, string | number | boolean | null | undefined | EventListener | ((e: never) => void)>;

/**
 * An element: `class` and `text` set className / textContent, `on*` functions become listeners
 * (`onclick` → "click"), other values attributes (true → present, false/null/undefined → absent).
 */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'style' || name === 'innerHTML') throw new Error(`refusing to set ${name}`);
    if (typeof value === 'function') node.addEventListener(name.replace(/^on/, '').toLowerCase(), value as EventListener);
    else if (name === 'class') node.className = String(value);
    else if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

/** Appends children in order: strings and numbers as text nodes, arrays flattened, empty values skipped. */
export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(node: Element): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}
