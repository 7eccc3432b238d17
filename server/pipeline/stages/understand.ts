import type { Lexicon } from '../../retrieval/lexicon.js';
import { analyseQuery } from '../../retrieval/query-analysis.js';
import { CONTINUE, type Stage, type StageResult, type Turn } from '../turn.js';

export interface UnderstandStageDeps {
  lexicon: Lexicon;
}

/** The choice a bare number picks from the conversation's pending clarification, if any. */
export function chosen(text: string, choices: readonly string[]): { number: number; title: string } | null {
  const m = /^\s*(?:số\s*|so\s*)?([1-9])\s*[.)]?\s*$/iu.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return n <= choices.length ? { number: n, title: choices[n - 1] } : null;
}

/** Search words, expansions, typo corrections, the section asked for and follow-up cues. */
export function createUnderstandStage(deps: UnderstandStageDeps): Stage {
  return {
    name: 'understand',
    run(turn: Turn, d: Record<string, unknown>): StageResult {
      const { index, correct } = turn.snapshot;
      const text = turn.verdict!.textWithoutLinks;
      // A reply "2" to "Bạn hỏi về 1. … 2. …?" is the second choice: on SMS it is the only way to choose.
      const picked = chosen(text, turn.language!.conversation.pendingChoices);
      if (picked) d.choice = picked.number;
      const a = analyseQuery(picked?.title ?? text, deps.lexicon, { lang: turn.language!.searchLang, vocab: index.vocab, correct });
      turn.query = a;
      Object.assign(d, {
        tokens: a.searchTokens,
        contentTokens: a.contentTokens,
        expansions: a.expansions,
        corrections: a.corrections,
        pivot: a.pivot.map((p) => p.en),
        intent: a.intent,
        followUpCue: a.followUpCue,
        route: a.route,
        ask: a.ask.type,
        askWords: a.ask.hasStory ? a.ask.tokens.length : undefined,
      });
      return CONTINUE;
    },
  };
}
