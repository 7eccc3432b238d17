import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { foldDiacritics } from '../text/normalise.js';
import { loadAbbreviations, type AbbreviationDictionary } from '../text/abbreviations.js';
import type { AskCues } from './ask.js';
import { loadSpecialCases, type SpecialCase } from './procedure-variants.js';
import { loadRecordWording, type RecordWording } from '../knowledge/record-values.js';

export type SectionIntent = 'documents' | 'fees' | 'deadline' | 'where' | 'steps';

/** The dictionaries the pipeline reads (query side and wording of answers), read once from knowledge/dictionaries. */
export interface Lexicon {
  /** Stop words as written (Vietnamese with diacritics, English): for words whose spelling we know. */
  stopExact: Set<string>;
  /** Folded stop words safe to drop from a question typed without diacritics (ambiguous ones left out). */
  stopFolded: Set<string>;
  abbreviations: AbbreviationDictionary;
  sectionCues: Array<{ intent: SectionIntent; cues: string[]; headings: string[] }>;
  followUpCues: string[];
  followUpMaxContentTokens: number;
  glossary: Array<{ en: string; vi: string }>;
  /** Folded synonym groups, each member as its words. */
  synonyms: string[][];
  /** Article id → folded cue phrases that route a message straight to it. */
  routes: Array<{ articleId: string; cues: string[] }>;
  /** Cues that say what a message asks (ask.ts). */
  askCues: AskCues;
  /** Special cases of a procedure (foreign element, paternity, border area…), procedure-variants.yaml. */
  specialCases: SpecialCase[];
  /** Folded cue phrases of the lines that answer a fee, duration or place question (intents.yaml). */
  answerLines: Record<'fee' | 'duration' | 'place', string[]>;
  /** How records are worded for citizens: abbreviations to explain, district-level agencies. */
  recordWording: RecordWording;
}

function fold(s: string): string {
  return foldDiacritics(s).toLowerCase().trim();
}

export function loadLexicon(knowledgeDir: string): Lexicon {
  const dir = path.join(knowledgeDir, 'dictionaries');
  const read = (name: string) => parseYaml(fs.readFileSync(path.join(dir, name), 'utf8')) as Record<string, unknown>;
  const stop = read('stopwords.yaml') as { vietnamese: string[]; english: string[]; ambiguous_folded?: string[] };
  const ambiguous = new Set((stop.ambiguous_folded ?? []).map(fold));
  const exact = [...stop.vietnamese, ...stop.english].map((w) => String(w).normalize('NFC').toLowerCase().trim());
  const intents = read('intents.yaml') as {
    sections: Record<SectionIntent, { cues: string[]; headings: string[] }>;
    follow_up: { cues: string[]; max_content_tokens: number };
    routes?: Record<string, string[]>;
    asks: { question_words: string[]; contact: string[]; eligibility: string[]; yes_no_endings: string[]; yes_no_openings: string[]; answer_lines: Record<'fee' | 'duration' | 'place', string[]> };
  };
  const glossary = read('en-vi-glossary.yaml') as { terms: Record<string, string> };
  const synonyms = read('synonyms.yaml') as { groups: string[][] };
  // Citizens' words (colloquial.yaml): groups of entries, each with a reason; they work as synonym groups.
  const colloquial = read('colloquial.yaml') as { groups: Record<string, { reason: string; entries: string[][] }> };
  const colloquialGroups = Object.values(colloquial.groups).flatMap((g) => g.entries);
  return {
    stopExact: new Set(exact),
    stopFolded: new Set(exact.map(fold).filter((w) => !ambiguous.has(w))),
    abbreviations: loadAbbreviations(path.join(dir, 'abbreviations.yaml')),
    sectionCues: (Object.entries(intents.sections) as Array<[SectionIntent, { cues: string[]; headings: string[] }]>).map(([intent, v]) => ({
      intent,
      cues: v.cues.map(fold),
      headings: v.headings,
    })),
    followUpCues: intents.follow_up.cues.map(fold),
    followUpMaxContentTokens: intents.follow_up.max_content_tokens,
    glossary: Object.entries(glossary.terms)
      .map(([en, vi]) => ({ en: en.toLowerCase(), vi }))
      .sort((a, b) => b.en.length - a.en.length),
    synonyms: [...synonyms.groups, ...colloquialGroups].map((g) => g.map(fold)),
    routes: Object.entries(intents.routes ?? {}).map(([articleId, cues]) => ({ articleId, cues: cues.map(fold) })),
    askCues: {
      questionWords: intents.asks.question_words.map(fold),
      contact: intents.asks.contact.map(fold),
      eligibility: intents.asks.eligibility.map(fold),
      yesNoEndings: intents.asks.yes_no_endings.map(fold),
      yesNoOpenings: intents.asks.yes_no_openings.map(fold),
    },
    specialCases: loadSpecialCases(path.join(dir, 'procedure-variants.yaml')),
    answerLines: {
      fee: intents.asks.answer_lines.fee.map(fold),
      duration: intents.asks.answer_lines.duration.map(fold),
      place: intents.asks.answer_lines.place.map(fold),
    },
    recordWording: loadRecordWording(path.join(dir, 'record-wording.yaml')),
  };
}
