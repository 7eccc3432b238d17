import { foldDiacritics, tokenize } from '../text/normalise.js';
import { expandAbbreviations } from '../text/abbreviations.js';
import type { Lexicon, SectionIntent } from './lexicon.js';

/** What retrieval needs to know about a (redacted) question. */
export interface AnalysedQuery {
  /** Folded tokens as typed. */
  tokens: string[];
  /** Folded tokens after abbreviation expansion, typo correction and glossary pivot. */
  searchTokens: string[];
  /** Tokens that carry meaning (not stop words, not section cues) — used for coverage. */
  contentTokens: string[];
  /** Adjacent pairs of search tokens where neither is a stop word ("khai sinh", "ho chieu"). */
  contentBigrams: string[];
  /** For a content token inside a synonym phrase: the other phrases of its group (folded words). */
  alternatives: Record<string, string[][]>;
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
}

export type TypoCorrect = (token: string) => string | null;

function containsPhrase(haystack: string[], phrase: string): boolean {
  const words = phrase.split(' ');
  outer: for (let i = 0; i + words.length <= haystack.length; i++) {
    for (let j = 0; j < words.length; j++) if (haystack[i + j] !== words[j]) continue outer;
    return true;
  }
  return false;
}

export function detectIntent(foldedTokens: string[], lexicon: Lexicon): SectionIntent | null {
  for (const { intent, cues } of lexicon.sectionCues) {
    if (intent === 'steps') continue;
    if (cues.some((c) => containsPhrase(foldedTokens, c))) return intent;
  }
  return lexicon.sectionCues.find((s) => s.intent === 'steps')?.cues.some((c) => containsPhrase(foldedTokens, c)) ? 'steps' : null;
}

export function analyseQuery(text: string, lexicon: Lexicon, opts: { lang: string; vocab: Map<string, number>; correct: TypoCorrect }): AnalysedQuery {
  const lower = text.toLowerCase();
  const hasDiacritics = foldDiacritics(lower) !== lower;
  const tokens = tokenize(foldDiacritics(lower));

  const pivot: AnalysedQuery['pivot'] = [];
  if (opts.lang === 'en') {
    const padded = ` ${tokenize(lower).join(' ')} `;
    for (const g of lexicon.glossary) {
      if (padded.includes(` ${g.en} `) && !pivot.some((p) => p.en.includes(g.en))) pivot.push(g);
    }
  }

  const { tokens: expandedTokens, expanded } = expandAbbreviations(tokens, lexicon.abbreviations);
  const corrections: AnalysedQuery['corrections'] = [];
  const searchTokens: string[] = [];
  for (const raw of expandedTokens) {
    const t = foldDiacritics(raw).toLowerCase();
    for (const part of tokenize(t)) {
      if (opts.vocab.has(part) || lexicon.stopwords.has(part) || /^\d+$/.test(part)) {
        searchTokens.push(part);
        continue;
      }
      const fixed = opts.correct(part);
      if (fixed) {
        corrections.push({ from: part, to: fixed });
        searchTokens.push(fixed);
      } else searchTokens.push(part);
    }
  }
  // Coverage is measured in the question's own language (each language version is measured
  // separately), so the Vietnamese pivot words only widen the search.
  const contentSource = [...searchTokens];
  for (const p of pivot) searchTokens.push(...tokenize(foldDiacritics(p.vi.toLowerCase())));
  const synonymTokens: string[] = [];
  const alternatives: Record<string, string[][]> = {};
  for (const group of lexicon.synonyms) {
    const present = group.filter((member) => containsPhrase(contentSource, member));
    if (present.length === 0) continue;
    const others = group.filter((member) => !present.includes(member)).map((m) => m.split(' '));
    for (const o of others) synonymTokens.push(...o);
    // A word of the question also counts as covered when the document uses a synonym of its phrase.
    for (const member of present) for (const word of member.split(' ')) (alternatives[word] ??= []).push(...others);
  }

  const intent = detectIntent(searchTokens, lexicon);
  const cueWords = new Set(
    lexicon.sectionCues.flatMap((s) => s.cues.filter((c) => containsPhrase(searchTokens, c)).flatMap((c) => c.split(' '))),
  );
  const contentTokens = [...new Set(contentSource.filter((t) => !lexicon.stopwords.has(t) && !cueWords.has(t) && t.length > 1))];
  const contentBigrams: string[] = [];
  for (let i = 0; i + 1 < contentSource.length; i++) {
    const a = contentSource[i];
    const b = contentSource[i + 1];
    if (!lexicon.stopwords.has(a) && !lexicon.stopwords.has(b) && a.length > 1 && b.length > 1) contentBigrams.push(`${a} ${b}`);
  }
  const followUpCue = lexicon.followUpCues.some((c) => containsPhrase(tokens.slice(0, c.split(' ').length + 1), c));

  searchTokens.push(...synonymTokens);
  const expansionText = expanded.map((e) => e.to).join(' ');
  const embedText = [lower, expansionText, corrections.map((c) => c.to).join(' '), pivot.map((p) => p.vi).join(' '), synonymTokens.join(' ')].filter(Boolean).join(' ');
  const route = lexicon.routes.find((r) => r.cues.some((c) => containsPhrase(tokens, c) || containsPhrase(contentSource, c)))?.articleId ?? null;
  return { tokens, searchTokens, contentTokens, contentBigrams: [...new Set(contentBigrams)], alternatives, embedText, hasDiacritics, expansions: expanded, corrections, pivot, intent, followUpCue, route };
}

/** A word in more than this share of chunks says little on its own; its phrases still count. */
const COMMON_WORD_SHARE = 0.05;

/**
 * FTS5 query: folded unigrams and adjacent bigrams (phrases reward word order), OR-ed. Very
 * common single words ("dang", "ky", "ho", "so") are left to their phrases: alone they match most
 * chunks, which costs time and ranks nothing.
 */
export function ftsQuery(q: AnalysedQuery, stopwords: Set<string>, share: (token: string) => number = () => 0): string {
  const terms = new Set<string>();
  const tokens = q.searchTokens.filter((t) => /^[a-z0-9]+$/.test(t));
  for (const t of tokens) if (!stopwords.has(t) && t.length > 1 && share(t) <= COMMON_WORD_SHARE) terms.add(`"${t}"`);
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (stopwords.has(tokens[i]) && stopwords.has(tokens[i + 1])) continue;
    terms.add(`"${tokens[i]} ${tokens[i + 1]}"`);
  }
  if (terms.size === 0) return '';
  return `{title folded} : (${[...terms].join(' OR ')})`;
}
