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

/** Outcomes where the assistant did not understand the citizen. */
const UNCLEAR = new Set(['clarification', 'fallback_low_confidence', 'fallback_no_content']);
export const isUnclear = (outcome: string) => UNCLEAR.has(outcome);

/**
 * How many times a clarification has failed if this turn is unclear too: the citizen was asked
 * to choose, and what came back was unclear again. `previous` are the last answers' outcomes,
 * newest first. [clarification] → 1 (this reply to it is unclear); [clarification,
 * clarification] or [fallback, clarification] → 2. A run of fallbacks with no clarification in
 * it is not counted: nothing was asked back.
 */
export function failedClarifications(previous: readonly string[]): number {
  let oldestClarification = -1;
  for (let i = 0; i < previous.length && UNCLEAR.has(previous[i]); i++) if (previous[i] === 'clarification') oldestClarification = i;
  return oldestClarification + 1;
}

/**
 * After two failed clarifications (issue 16) the reply offers a person, in a province that has
 * turned handoff on: one line first, and the "talk to a person" quick reply first, whose tap is
 * the consent that opens the ticket (handoff stage).
 */
export function offerHandoff(c: Composition, ctx: ComposeContext): Composition {
  const talk = ctx.t('quick.talk_to_person');
  return {
    ...c,
    text: `${ctx.t('clarify.handoff_offer')}\n\n${c.text}`,
    quickReplies: [{ label: talk, payload: talk }, ...c.quickReplies.filter((q) => q.payload !== talk)],
  };
}
