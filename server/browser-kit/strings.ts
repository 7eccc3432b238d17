/**
 * UI strings by dotted key with {{name}} parameters: the one `t()` of the widget, the staff pages
 * and the demo page. Plain functions over a table (no DOM, no global instance), so the same module
 * runs in the browser bundles and on the server. A value is inserted as text; callers put the
 * result in text nodes or escape it, never parse it as HTML.
 */
export type Strings = { [key: string]: string | Strings };

export type Params = Record<string, unknown>;

export interface Translator {
  /** The string at `key` with its parameters filled in; the key itself when there is no such string. */
  t(key: string, params?: Params): string;
  /** The [key, string] pairs of a group (suggestions, reasons…), in file order. */
  entries(key: string): Array<[string, string]>;
}

export function lookup(table: unknown, key: string): unknown {
  let node = table;
  for (const part of key.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

/** Fills {{name}} fields; a missing (or null) parameter becomes an empty string, never "undefined". */
export function fill(text: string, params: Params = {}): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => (params[name] === undefined || params[name] === null ? '' : String(params[name])));
}

export function translator(table: unknown): Translator {
  return {
    t(key, params) {
      const value = lookup(table, key);
      return typeof value === 'string' ? fill(value, params) : key;
    },
    entries(key) {
      const value = lookup(table, key);
      return value && typeof value === 'object' ? Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string') : [];
    },
  };
}
