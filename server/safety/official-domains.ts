/**
 * The allow-list of official domains (knowledge/dictionaries/official-domains.yaml)
 * and the questions the link classifier asks of it.
 */
import fs from 'node:fs';
import { shippedDictionaryPath } from './shipped-data.js';
import { domainToASCII } from 'node:url';
import { parse } from 'yaml';
import { MULTI_LABEL_SUFFIXES } from './domain-data.js';

export const DEFAULT_OFFICIAL_DOMAINS_PATH = shippedDictionaryPath('official-domains.yaml');

export interface OfficialDomains {
  /** A host equal to one of these or under it is official ("gov.vn", "chinhphu.vn"). */
  suffixes: string[];
  /** Hosts official only as written (rules with `match: exact`). */
  exactHosts: string[];
  /** Known official hosts, used to suggest the real address and to spot look-alikes. */
  namedHosts: string[];
  /** Words that make a non-official host suspicious ("dichvucong", "vneid"...). */
  governmentWords: string[];
  /** Government words that name an app from the stores, not a site ("vneid" → VNeID). */
  appOnly?: Array<{ word: string; name: string }>;
}

export class OfficialDomainsError extends Error {}

function asciiHost(raw: string): string {
  const host = raw.trim().toLowerCase().replace(/^\*\./, '').replace(/\.$/, '');
  const ascii = domainToASCII(host);
  if (!ascii || !/^[a-z0-9.-]+$/.test(ascii) || !ascii.includes('.')) {
    throw new OfficialDomainsError(`"${raw}" is not a domain name`);
  }
  return ascii;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function listOf(v: unknown, field: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OfficialDomainsError(`"${field}" must be a list`);
  return v;
}

/** Reads an entry that is either a plain string or an object with one of `keys`. */
function entryName(entry: unknown, keys: string[], field: string): string {
  if (typeof entry === 'string') return entry;
  if (isRecord(entry)) {
    for (const k of keys) if (typeof entry[k] === 'string') return entry[k] as string;
  }
  throw new OfficialDomainsError(`Every "${field}" entry needs one of: ${keys.join(', ')}`);
}

/**
 * Accepts the file's shape (`domains` with `match: suffix|exact`, `named_hosts`,
 * `government_words`) and the simpler `suffixes` / `words` lists.
 */
export function parseOfficialDomains(yamlText: string): OfficialDomains {
  const doc: unknown = parse(yamlText);
  if (!isRecord(doc)) throw new OfficialDomainsError('official domains file must be a YAML mapping');
  const suffixes: string[] = [];
  const exactHosts: string[] = [];
  for (const entry of listOf(doc.domains, 'domains')) {
    const host = asciiHost(entryName(entry, ['domain', 'host'], 'domains'));
    const match = isRecord(entry) && typeof entry.match === 'string' ? entry.match : 'suffix';
    if (match === 'exact') exactHosts.push(host);
    else if (match === 'suffix') suffixes.push(host);
    else throw new OfficialDomainsError(`Unknown match "${match}" for ${host} (use suffix or exact)`);
  }
  for (const entry of listOf(doc.suffixes, 'suffixes')) suffixes.push(asciiHost(entryName(entry, ['suffix', 'domain'], 'suffixes')));
  const namedHosts = listOf(doc.named_hosts, 'named_hosts').map((e) => asciiHost(entryName(e, ['host', 'domain'], 'named_hosts')));
  const words = [...listOf(doc.government_words, 'government_words'), ...listOf(doc.words, 'words')].map((w) => {
    if (typeof w !== 'string' || !/^[a-z0-9-]+$/.test(w.trim().toLowerCase())) {
      throw new OfficialDomainsError(`government word ${JSON.stringify(w)} must be lower-case letters/digits`);
    }
    return w.trim().toLowerCase();
  });
  const appOnly = listOf(doc.app_only, 'app_only').map((e) => {
    if (!isRecord(e) || typeof e.word !== 'string' || typeof e.name !== 'string' || !e.name.trim()) {
      throw new OfficialDomainsError('Every "app_only" entry needs a word and a name');
    }
    return { word: e.word.trim().toLowerCase(), name: e.name.trim() };
  });
  if (suffixes.length === 0 && exactHosts.length === 0) throw new OfficialDomainsError('official domains file lists no domains');
  return { suffixes: [...new Set(suffixes)], exactHosts: [...new Set(exactHosts)], namedHosts: [...new Set(namedHosts)], governmentWords: [...new Set(words)], appOnly };
}

export function loadOfficialDomains(file: string = DEFAULT_OFFICIAL_DOMAINS_PATH): OfficialDomains {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new OfficialDomainsError(`Cannot read official domains file ${file}: ${(err as Error).message}`);
  }
  try {
    return parseOfficialDomains(text);
  } catch (err) {
    throw new OfficialDomainsError(`${file}: ${(err as Error).message}`);
  }
}

/** Adds a province's own official domains (suffix rules) to the national list. */
export function withExtraDomains(official: OfficialDomains, extra: readonly string[] = []): OfficialDomains {
  if (extra.length === 0) return official;
  const added = extra.map(asciiHost);
  return {
    ...official,
    suffixes: [...new Set([...official.suffixes, ...added])],
    namedHosts: [...new Set([...official.namedHosts, ...added])],
  };
}

function under(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/** The rule that makes `asciiHost` official, or null. */
export function matchOfficial(host: string, official: OfficialDomains): string | null {
  if (official.exactHosts.includes(host)) return host;
  let best: string | null = null;
  for (const s of official.suffixes) if (under(host, s) && (!best || s.length > best.length)) best = s;
  return best;
}

/** Official hosts other than bare suffixes such as gov.vn, for look-alike comparison and suggestions. */
export function officialHostList(official: OfficialDomains): string[] {
  // A public suffix such as gov.vn is a rule, not a site anyone could be pointed to.
  return [...new Set([...official.namedHosts, ...official.suffixes, ...official.exactHosts])].filter((h) => !MULTI_LABEL_SUFFIXES.has(h));
}

/**
 * The official address to suggest for a government word, taken only from the
 * allow-list: a listed host whose first label is the word (dichvucong →
 * dichvucong.gov.vn). Undefined when the data names none; never invented.
 */
export function officialAlternativeFor(word: string, official: OfficialDomains): string | undefined {
  const candidates = officialHostList(official).filter((h) => h.split('.')[0] === word);
  return candidates.sort((a, b) => a.length - b.length)[0];
}
