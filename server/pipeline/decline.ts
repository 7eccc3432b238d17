import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { foldDiacritics, tokenize } from '../text/normalise.js';
import { hotlineLines, type ComposeContext, type Composition } from './composer.js';

export const DECLINE_KINDS = ['emergency', 'health', 'legal', 'tax', 'banking', 'utilities', 'other'] as const;
export type DeclineKind = (typeof DECLINE_KINDS)[number];

/** Kind → folded cue phrases, in the file's order (the first kind with a cue wins). */
export type DeclineTable = Array<{ kind: Exclude<DeclineKind, 'other'>; cues: string[] }>;

export function loadDeclineTable(knowledgeDir: string): DeclineTable {
  const file = path.join(knowledgeDir, 'dictionaries', 'out-of-scope.yaml');
  const data = parseYaml(fs.readFileSync(file, 'utf8')) as { kinds: Record<string, { reason: string; cues: string[] }> };
  return Object.entries(data.kinds).map(([kind, v]) => {
    if (!(DECLINE_KINDS as readonly string[]).includes(kind) || kind === 'other') throw new Error(`${file}: unknown kind "${kind}" (known: ${DECLINE_KINDS.join(', ')})`);
    if (!v.reason || !Array.isArray(v.cues) || v.cues.length === 0) throw new Error(`${file}: kind "${kind}" needs a reason and cues`);
    return { kind: kind as Exclude<DeclineKind, 'other'>, cues: v.cues.map((c) => foldDiacritics(String(c)).toLowerCase().trim()) };
  });
}

/** What a question we cannot answer is about, from whole-word cue phrases. */
export function declineKind(text: string, table: DeclineTable): DeclineKind {
  const padded = ` ${tokenize(foldDiacritics(text.normalize('NFC').toLowerCase())).join(' ')} `;
  return table.find((k) => k.cues.some((c) => padded.includes(` ${c} `)))?.kind ?? 'other';
}

/**
 * An honest decline that says where to go for this kind of question. Only contacts the profile
 * holds are named (the police line from the profile for an emergency); a kind whose place our
 * sources do not name gets a plain sentence and the public-service contacts.
 */
export function composeDecline(kind: Exclude<DeclineKind, 'other'>, ctx: ComposeContext): Composition {
  const police = ctx.profile.values.police_emergency;
  const first = kind === 'emergency' && police ? ctx.t('decline.emergency', { police }) : ctx.t(`decline.${kind === 'emergency' ? 'emergency_no_number' : kind}`);
  const lines = [first, ctx.t('decline.scope'), ...(kind === 'emergency' ? [] : hotlineLines(ctx))];
  return {
    kind: 'fallback',
    text: lines.join('\n\n'),
    summary: first,
    citations: [],
    topics: [],
    quickReplies: [{ label: ctx.t('quick.talk_to_person'), payload: ctx.t('quick.talk_to_person') }],
    notices: [],
    section: null,
  };
}
