/**
 * RFC 4180 CSV: fields separated by commas, records by CRLF; a field containing a comma,
 * a double quote, CR or LF is enclosed in double quotes, and a double quote inside it is
 * written twice. The reader also accepts LF-only line ends and a UTF-8 byte-order mark.
 */

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function writeCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Parses CSV text into records (arrays of fields). Throws CsvError on an unterminated quote or stray quote. */
export function parseCsv(text: string): string[][] {
  return parseCsvRows(text).map((r) => r.fields);
}

/** Like parseCsv, with the line each record starts on. */
export function parseCsvRows(text: string): Array<{ line: number; fields: string[] }> {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: Array<{ line: number; fields: string[] }> = [];
  let rowLine = 1;
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let quoteLine = 1;
  const endField = () => {
    row.push(field);
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field.length > 0 || wasQuoted) throw new CsvError(line, 'a double quote inside an unquoted field (quote the whole field and double the quote)');
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
    } else if (c === ',') {
      endField();
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      endField();
      rows.push({ line: rowLine, fields: row });
      row = [];
      line++;
      rowLine = line;
    } else {
      if (wasQuoted) throw new CsvError(line, 'text after a closing quote');
      field += c;
    }
  }
  if (quoted) throw new CsvError(quoteLine, 'a quoted field is not closed');
  if (field.length > 0 || wasQuoted || row.length > 0) {
    endField();
    rows.push({ line: rowLine, fields: row });
  }
  return rows;
}

/** Records as objects keyed by the header row; header names are trimmed and lower-cased. */
export function parseCsvObjects(text: string): { header: string[]; records: Array<{ line: number; values: Record<string, string> }> } {
  const rows = parseCsvRows(text);
  const header = (rows.shift()?.fields ?? []).map((h) => h.trim().toLowerCase());
  const records: Array<{ line: number; values: Record<string, string> }> = [];
  for (const r of rows) {
    if (r.fields.length === 1 && r.fields[0] === '') continue;
    const values: Record<string, string> = {};
    header.forEach((h, j) => (values[h] = r.fields[j] ?? ''));
    records.push({ line: r.line, values });
  }
  return { header, records };
}
