import type { Lexicon } from '../../retrieval/lexicon.js';
import { analyseQuery } from '../../retrieval/query-analysis.js';
import { CONTINUE, type Stage, type StageResult, type Turn } from '../turn.js';

export interface UnderstandStageDeps {
  lexicon: Lexicon;
}

/** Search words, expansions, typo corrections, the section asked for and follow-up cues. */
export function createUnderstandStage(deps: UnderstandStageDeps): Stage {
  return {
    name: 'understand',
    run(turn: Turn, d: Record<string, unknown>): StageResult {
      const { index, correct } = turn.snapshot;
      const a = analyseQuery(turn.verdict!.textWithoutLinks, deps.lexicon, { lang: turn.language!.searchLang, vocab: index.vocab, correct });
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
