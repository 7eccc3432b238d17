import { foldDiacritics, tokenize } from '../text/normalise.js';
import { expandAbbreviations } from '../text/abbreviations.js';
import type { Lexicon, SectionIntent } from './lexicon.js';

import type { AskType } from '../domain/answer.js';

export type { AskType };

export interface Ask {
  type: AskType;
  /** The sentence (or two) that holds the question, as typed. */
  sentence: string;
  /** Folded words of that sentence. */
  tokens: string[];
  /** Whether the message had more than the question in it (a story around it). */
  hasStory: boolean;
}

export interface AskCues {
  questionWords: string[];
  contact: string[];
  eligibility: string[];
  yesNoEndings: string[];
  yesNoOpenings: string[];
}

const SECTION_TO_ASK: Record<SectionIntent, AskType> = { documents: 'documents', fees: 'fee', deadline: 'duration', where: 'place', steps: 'steps' };

function contains(tokens: string[], phrase: string): boolean {
  return ` ${tokens.join(' ')} `.includes(` ${phrase} `);
}

/** Sentences as typed: split after ., ?, !, … and at line breaks, keeping the mark. */
function sentences(text: string): string[] {
  return text
    .split(/(?<=[.?!…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => tokenize(s).length > 0);
}

/**
 * Finds the question in a message. Citizens often tell the story first and ask last, so the ask
 * is the last sentence with a question mark, else the last with a question word, else the last
 * sentence; when that sentence is too short to say what it is about ("Vậy tôi phải làm sao?") the
 * sentence before it is taken too.
 */
export function findAsk(text: string, lexicon: Pick<Lexicon, 'sectionCues' | 'stopFolded' | 'abbreviations'> & { askCues: AskCues }): Ask {
  const all = sentences(text);
  if (all.length === 0) return { type: 'other', sentence: '', tokens: [], hasStory: false };
  // Abbreviations are read as what they stand for: "mất bn ngày" asks "bao nhiêu ngày".
  const folded = all.map((s) => tokenize(foldDiacritics(expandAbbreviations(tokenize(s.toLowerCase()), lexicon.abbreviations).tokens.join(' ').toLowerCase())));
  let at = -1;
  for (let i = all.length - 1; i >= 0 && at < 0; i--) if (all[i].includes('?')) at = i;
  for (let i = all.length - 1; i >= 0 && at < 0; i--) if (lexicon.askCues.questionWords.some((w) => contains(folded[i], w))) at = i;
  if (at < 0) at = all.length - 1;
  let from = at;
  const contentWords = (ts: string[]) => ts.filter((t) => !lexicon.stopFolded.has(t) && t.length > 1).length;
  if (from > 0 && contentWords(folded[at]) < 3) from = at - 1;
  const tokens = folded.slice(from, at + 1).flat();
  return { type: askType(folded[at], tokens, lexicon), sentence: all.slice(from, at + 1).join(' '), tokens, hasStory: all.length > at - from + 1 };
}

function askType(question: string[], tokens: string[], lexicon: Pick<Lexicon, 'sectionCues'> & { askCues: AskCues }): AskType {
  const has = (cues: string[]) => cues.some((c) => contains(tokens, c));
  // Section cues other than steps first: "cần giấy tờ gì" is documents even though it is also a question.
  for (const { intent, cues } of lexicon.sectionCues) if (intent !== 'steps' && has(cues)) return SECTION_TO_ASK[intent];
  if (has(lexicon.askCues.contact)) return 'contact';
  if (has(lexicon.askCues.eligibility)) return 'eligibility';
  if (has(lexicon.sectionCues.find((s) => s.intent === 'steps')?.cues ?? [])) return 'steps';
  const ending = question.join(' ');
  if (lexicon.askCues.yesNoEndings.some((e) => ending === e || ending.endsWith(` ${e}`))) return 'yes_no';
  if (lexicon.askCues.yesNoOpenings.some((o) => ending === o || ending.startsWith(`${o} `))) return 'yes_no';
  return 'other';
}
