/**
 * Abbreviations and teencode ("cccd", "dk", "ko", "bn"...) expanded before
 * retrieval so "lam cccd mat bn tien" finds the article about the fee for a
 * căn cước công dân. The table itself is data: knowledge/dictionaries/abbreviations.yaml.
 */
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { foldDiacritics, tokenize } from './normalise.js';
import { projectPath } from '../project-root.js';

export interface AbbreviationEntry {
  /** Folded, lower-case key; words separated by one space. */
  readonly from: string;
  /** Expansion as written in the dictionary (with diacritics). */
  readonly to: string;
  /** `to` as lower-case tokens. */
  readonly toTokens: readonly string[];
  readonly note?: string;
  /** Do not expand right after a number ("50 k" is fifty thousand, not "50 không"). */
  readonly skipAfterNumber: boolean;
}

export interface AbbreviationDictionary {
  /** Keyed by the folded phrase. */
  readonly entries: ReadonlyMap<string, AbbreviationEntry>;
  /** Token count of the longest key, so matching knows how far to look ahead. */
  readonly maxPhraseTokens: number;
}

export const DEFAULT_ABBREVIATIONS_PATH = projectPath('knowledge', 'dictionaries', 'abbreviations.yaml');

function foldKey(s: string): string {
  return tokenize(foldDiacritics(s)).join(' ');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse the YAML text of an abbreviation dictionary; throws with the offending key on bad data. */
export function parseAbbreviations(yamlText: string, source = 'abbreviations.yaml'): AbbreviationDictionary {
  const doc: unknown = parseYaml(yamlText);
  if (!isRecord(doc) || !isRecord(doc.abbreviations)) {
    throw new Error(`${source}: expected a top-level "abbreviations:" mapping`);
  }
  const entries = new Map<string, AbbreviationEntry>();
  let maxPhraseTokens = 1;
  for (const [rawKey, value] of Object.entries(doc.abbreviations)) {
    const from = foldKey(rawKey);
    if (!from) throw new Error(`${source}: key "${rawKey}" has no letters or digits`);
    let to: unknown;
    let note: unknown;
    let skipAfterNumber: unknown = false;
    if (typeof value === 'string') to = value;
    else if (isRecord(value)) ({ to, note, skipAfterNumber = false } = value);
    if (typeof to !== 'string' || tokenize(to).length === 0) {
      throw new Error(`${source}: "${rawKey}" needs a non-empty expansion (a string or { to: ... })`);
    }
    if (note !== undefined && typeof note !== 'string') throw new Error(`${source}: "${rawKey}".note must be a string`);
    if (typeof skipAfterNumber !== 'boolean') throw new Error(`${source}: "${rawKey}".skipAfterNumber must be true or false`);
    const previous = entries.get(from);
    // Keys are compared folded, so "đk" and "dk" would silently overwrite each other.
    if (previous) throw new Error(`${source}: "${rawKey}" and "${previous.from}" are the same key once diacritics are folded`);
    entries.set(from, {
      from,
      to: to.normalize('NFC').trim(),
      toTokens: tokenize(to),
      ...(note === undefined ? {} : { note }),
      skipAfterNumber,
    });
    maxPhraseTokens = Math.max(maxPhraseTokens, from.split(' ').length);
  }
  return { entries, maxPhraseTokens };
}

/** Read and parse an abbreviation dictionary file. */
export function loadAbbreviations(path: string | URL = DEFAULT_ABBREVIATIONS_PATH): AbbreviationDictionary {
  return parseAbbreviations(fs.readFileSync(path, 'utf8'), String(path));
}

export interface ExpansionResult {
  tokens: string[];
  expanded: Array<{ from: string; to: string }>;
}

const NUMBER = /^\p{N}+$/u;

/**
 * Replace abbreviations in a token list, longest phrase first. Tokens are
 * compared folded and lower-cased, so "đk" and "dk" both match the key "dk";
 * unmatched tokens are returned exactly as given.
 */
export function expandAbbreviations(tokens: readonly string[], dict: AbbreviationDictionary): ExpansionResult {
  const folded = tokens.map((t) => foldDiacritics(t).toLowerCase());
  const out: string[] = [];
  const expanded: ExpansionResult['expanded'] = [];
  let i = 0;
  while (i < tokens.length) {
    let matched = false;
    for (let n = Math.min(dict.maxPhraseTokens, tokens.length - i); n >= 1; n--) {
      const entry = dict.entries.get(folded.slice(i, i + n).join(' '));
      if (!entry) continue;
      if (entry.skipAfterNumber && i > 0 && NUMBER.test(folded[i - 1])) continue;
      out.push(...entry.toTokens);
      expanded.push({ from: tokens.slice(i, i + n).join(' '), to: entry.to });
      i += n;
      matched = true;
      break;
    }
    if (!matched) {
      out.push(tokens[i]);
      i++;
    }
  }
  return { tokens: out, expanded };
}
