import type { Candidate } from '../retrieval/hybrid-retriever.js';
import { hotlineLines, type ComposeContext, type Composition } from './composer.js';

/** At most this many choices: more is a list to read, not a question to answer. */
const MAX_CHOICES = 3;
/** A choice must score at least this share of the first candidate's fused score to be offered. */
const PLAUSIBLE_SHARE = 0.6;

export interface ClarifyChoice {
  topic: string;
  title: string;
}

/**
 * The topics worth asking about: the first candidates, one per subject (an article and the
 * procedure record of the same service are one choice), each close enough to the first to be a
 * real alternative. Meta articles (greeting, handoff) are never a choice. Fewer than two choices
 * means there is nothing to choose between.
 */
export function clarifyChoices(candidates: Candidate[]): ClarifyChoice[] {
  const first = candidates[0];
  if (!first) return [];
  const choices: ClarifyChoice[] = [];
  for (const c of candidates) {
    if (c.score < first.score * PLAUSIBLE_SHARE) break;
    const topic = c.doc.topics[0] ?? c.doc.id;
    if (topic.startsWith('meta.')) continue;
    if (choices.some((x) => x.topic === topic || c.doc.topics.includes(x.topic))) continue;
    choices.push({ topic, title: c.doc.title });
    if (choices.length === MAX_CHOICES) break;
  }
  return choices.length >= 2 ? choices : [];
}

/**
 * One short question instead of a guess: "which of these do you mean?", the choices as quick
 * replies (the payload is the title, which the next turn finds with certainty, so the reply is
 * resolved on every channel that can send text), and where to ask if it is none of them.
 */
export function composeClarification(choices: ClarifyChoice[], ctx: ComposeContext): Composition {
  const intro = ctx.t('clarify.intro');
  const list = choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n');
  const lines = [intro, list, ctx.t('clarify.none'), ...hotlineLines(ctx)];
  return {
    kind: 'fallback',
    text: lines.join('\n\n'),
    summary: `${intro} ${choices.map((c, i) => `${i + 1}. ${c.title}`).join('; ')}`,
    citations: [],
    topics: [],
    quickReplies: [...choices.map((c) => ({ label: c.title, payload: c.title, topic: c.topic })), { label: ctx.t('quick.talk_to_person'), payload: ctx.t('quick.talk_to_person') }],
    notices: [],
    section: null,
  };
}
