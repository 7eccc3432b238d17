import { foldDiacritics, tokenize } from '../text/normalise.js';
import { expandAbbreviations } from '../text/abbreviations.js';
import type { Lexicon, SectionIntent } from './lexicon.js';
import { findAsk, type Ask } from './ask.js';

/** What retrieval needs to know about a (redacted) question. */
export interface AnalysedQuery {
  /** Folded tokens as typed. */
  tokens: string[];
  /** Folded tokens after abbreviation expansion, typo correction and glossary pivot. */
  searchTokens: string[];
  /** Tokens that carry meaning (not stop words, not section cues) — used for coverage. */
  contentTokens: string[];
  /** For each content token: its spelling with diacritics when known (else ""), for exact matching. */
  contentWritten: string[];
  /** Adjacent pairs of search tokens where neither is a stop word ("khai sinh", "ho chieu"). */
  contentBigrams: string[];
  /** For a content token inside a synonym phrase: the other phrases of its group (folded words). */
  alternatives: Record<string, string[][]>;
  /** Single words and adjacent pairs for the FTS query. */
  ftsUnigrams: string[];
  ftsPhrases: string[];
  /** Text given to the embedder (expanded, with diacritics where the user typed them). */
  embedText: string;
  hasDiacritics: boolean;
  expansions: Array<{ from: string; to: string }>;
  corrections: Array<{ from: string; to: string }>;
  pivot: Array<{ en: string; vi: string }>;
  intent: SectionIntent | null;
  followUpCue: boolean;
  /** An article the message asks for by a routing cue (a person, another language). */
  route: string | null;
  /** The question inside the message and the kind of fact it wants. */
  ask: Ask;
}

import type { TypoCorrect } from '../text/typo.js';

export type { TypoCorrect };

/**
 * Whether a phrase (words separated by single spaces) occurs as consecutive tokens. Returns a
 * matcher over one token list, so the many cue and synonym phrases are checked with one string
 * search each (tokens never contain spaces).
 */
function phraseMatcher(haystack: string[]): (phrase: string) => boolean {
  const padded = ` ${haystack.join(' ')} `;
  return (phrase) => padded.includes(` ${phrase} `);
}

export function detectIntent(foldedTokens: string[], lexicon: Lexicon): SectionIntent | null {
  const contains = phraseMatcher(foldedTokens);
  for (const { intent, cues } of lexicon.sectionCues) {
    if (intent === 'steps') continue;
    if (cues.some(contains)) return intent;
  }
  return lexicon.sectionCues.find((s) => s.intent === 'steps')?.cues.some(contains) ? 'steps' : null;
}

interface QueryToken {
  /** Folded form, what matching uses. */
  folded: string;
  /** Whether the spelling (diacritics) is known, so stop words can be told from content words. */
  exact: boolean;
  written: string;
}

export function analyseQuery(text: string, lexicon: Lexicon, opts: { lang: string; vocab: Map<string, number>; correct: TypoCorrect }): AnalysedQuery {
  const lower = text.normalize('NFC').toLowerCase();
  const hasDiacritics = foldDiacritics(lower) !== lower;
  const written = tokenize(lower);
  const tokens = written.map((w) => foldDiacritics(w));

  const pivot: AnalysedQuery['pivot'] = [];
  if (opts.lang === 'en') {
    const padded = ` ${written.join(' ')} `;
    for (const g of lexicon.glossary) {
      if (padded.includes(` ${g.en} `) && !pivot.some((p) => p.en.includes(g.en))) pivot.push(g);
    }
  }

  // Expansions come from the dictionary with their diacritics, so their spelling is known.
  const { tokens: expandedTokens, expanded } = expandAbbreviations(written, lexicon.abbreviations);
  const corrections: AnalysedQuery['corrections'] = [];
  const query: QueryToken[] = [];
  for (const raw of expandedTokens) {
    for (const part of tokenize(raw.toLowerCase())) {
      const folded = foldDiacritics(part);
      const exact = hasDiacritics || part !== folded || opts.lang === 'en';
      const stopCandidate = exact ? lexicon.stopExact.has(part) : lexicon.stopFolded.has(folded);
      if (opts.vocab.has(folded) || stopCandidate || /^\d+$/.test(folded)) {
        query.push({ folded, exact, written: part });
        continue;
      }
      const fixed = opts.correct(folded);
      if (fixed) {
        corrections.push({ from: folded, to: fixed });
        query.push({ folded: fixed, exact: false, written: fixed });
      } else query.push({ folded, exact, written: part });
    }
  }
  const isStop = (t: QueryToken) => (t.exact ? lexicon.stopExact.has(t.written) : lexicon.stopFolded.has(t.folded));

  // Coverage is measured in the question's own language (each language version is measured
  // separately), so the Vietnamese pivot words only widen the search.
  const contentSource = query.map((t) => t.folded);
  const searchTokens = [...contentSource];
  for (const p of pivot) searchTokens.push(...tokenize(foldDiacritics(p.vi.toLowerCase())));
  const synonymTokens: string[] = [];
  const alternatives: Record<string, string[][]> = {};
  const inContent = phraseMatcher(contentSource);
  for (const group of lexicon.synonyms) {
    const present = group.filter(inContent);
    if (present.length === 0) continue;
    const others = group.filter((member) => !present.includes(member)).map((m) => m.split(' '));
    for (const o of others) synonymTokens.push(...o);
    // A word of the question also counts as covered when the document uses a synonym of its phrase.
    for (const member of present) for (const word of member.split(' ')) (alternatives[word] ??= []).push(...others);
  }

  // The section asked for is read from the question sentence first: in "I brought the papers
  // last week … how long does it take?" the story names documents, the question a duration.
  const askFirst = findAsk(text, lexicon);
  const intent = (askFirst.hasStory ? detectIntent(askFirst.tokens, lexicon) : null) ?? detectIntent(searchTokens, lexicon);
  const inSearch = phraseMatcher(searchTokens);
  const cueWords = new Set(lexicon.sectionCues.flatMap((s) => s.cues.filter(inSearch).flatMap((c) => c.split(' '))));
  const content = query.filter((t) => !isStop(t) && !cueWords.has(t.folded) && t.folded.length > 1);
  const seenContent = new Map<string, string>();
  for (const t of content) if (!seenContent.has(t.folded) || (t.exact && !seenContent.get(t.folded))) seenContent.set(t.folded, t.exact && opts.lang !== 'en' ? t.written : '');
  const contentTokens = [...seenContent.keys()];
  const contentWritten = [...seenContent.values()];
  const contentBigrams: string[] = [];
  const phraseTerms: string[] = [];
  for (let i = 0; i + 1 < query.length; i++) {
    const a = query[i];
    const b = query[i + 1];
    const aStop = isStop(a);
    const bStop = isStop(b);
    if (!aStop && !bStop && a.folded.length > 1 && b.folded.length > 1) contentBigrams.push(`${a.folded} ${b.folded}`);
    if (!(aStop && bStop)) phraseTerms.push(`${a.folded} ${b.folded}`);
  }
  const followUpCue = lexicon.followUpCues.some((c) => phraseMatcher(tokens.slice(0, c.split(' ').length + 1))(c));

  const pivotTokens = searchTokens.slice(contentSource.length);
  searchTokens.push(...synonymTokens);
  const expansionText = expanded.map((e) => e.to).join(' ');
  const embedText = [lower, expansionText, corrections.map((c) => c.to).join(' '), pivot.map((p) => p.vi).join(' '), synonymTokens.join(' ')].filter(Boolean).join(' ');
  const inTokens = phraseMatcher(tokens);
  const route = lexicon.routes.find((r) => r.cues.some((c) => inTokens(c) || inContent(c)))?.articleId ?? null;
  const ask = askFirst;
  return {
    tokens,
    searchTokens,
    contentTokens,
    contentWritten,
    contentBigrams: [...new Set(contentBigrams)],
    ftsUnigrams: [...new Set([...contentTokens, ...pivotTokens.filter((t) => !lexicon.stopFolded.has(t)), ...synonymTokens])],
    ftsPhrases: [...new Set(phraseTerms)],
    alternatives,
    embedText,
    hasDiacritics,
    expansions: expanded,
    corrections,
    pivot,
    intent,
    followUpCue,
    route,
    ask,
  };
}

/** A word in more than this share of chunks says little on its own; its phrases still count. */
const COMMON_WORD_SHARE = 0.05;

/**
 * FTS5 query: folded content words, and adjacent word pairs as pair tokens (word order counts), OR-ed.
 * Very common single words ("dang", "ky", "ho", "so") are left to their phrases: alone they match
 * most chunks, which costs time and ranks nothing.
 */
export function ftsQuery(q: AnalysedQuery, share: (token: string) => number = () => 0): string {
  const words = new Set<string>();
  const pairs = new Set<string>();
  for (const t of q.ftsUnigrams) if (/^[a-z0-9]+$/.test(t) && t.length > 1 && share(t) <= COMMON_WORD_SHARE) words.add(`"${t}"`);
  for (const p of q.ftsPhrases) if (/^[a-z0-9]+ [a-z0-9]+$/.test(p)) pairs.add(`"${p.replace(' ', '_')}"`);
  const parts = [
    ...(words.size ? [`{title folded} : (${[...words].join(' OR ')})`] : []),
    ...(pairs.size ? [`{pairs} : (${[...pairs].join(' OR ')})`] : []),
  ];
  return parts.length ? parts.join(' OR ') : '';
}
