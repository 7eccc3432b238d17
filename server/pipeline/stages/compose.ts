import type { i18n } from 'i18next';
import type { Translate } from '../../i18n/i18n.js';
import type { IndexedDoc, KnowledgeIndex } from '../../knowledge/knowledge-index.js';
import type { ProcedureScope } from '../../knowledge/procedure-scope.js';
import type { AnalysedQuery } from '../../retrieval/query-analysis.js';
import type { Candidate } from '../../retrieval/hybrid-retriever.js';
import type { Lexicon } from '../../retrieval/lexicon.js';
import type { SafetyVerdict } from '../../safety/safety-check.js';
import { composeSafetyWarning } from '../../safety/safety-reply.js';
import type { AnswerKind, Outcome } from '../../domain/answer.js';
import { createVersionPicker, withDraft, type VersionPicker } from '../article-versions.js';
import { composeFallback, composeFromDoc, contactsOf, handoffLines, type ComposeContext, type Composition } from '../composer.js';
import { clarifyChoices, composeClarification, failedClarifications, isUnclear, offerHandoff } from '../clarification.js';
import { composeDecline, declineKind, type DeclineKind, type DeclineTable } from '../decline.js';
import { CONTINUE, type Stage, type StageResult, type Turn } from '../turn.js';

export interface ComposeStageDeps {
  i18n: i18n;
  lexicon: Lexicon;
  answerThreshold: number;
  clarifyThreshold?: number;
  /** Cues that say what an unanswerable question is about (health, legal, tax…), for the decline's wording. */
  declineTable?: DeclineTable;
  procedureScope: (province: string) => ProcedureScope;
}

/** Below this confidence a fallback offers no "you may want to ask about" topics. */
const SUGGEST_FLOOR = 0.1;

const META_KIND: Record<string, AnswerKind> = { 'meta.greeting': 'greeting', 'meta.human-handoff': 'handoff' };

/** The outcome of an answer composed from an article, by the kind the article gives it. */
function outcomeOfKind(kind: AnswerKind): Outcome {
  return kind === 'handoff' ? 'handoff' : kind === 'greeting' ? 'greeting' : 'answered';
}

/**
 * Builds the reply from the retrieved article or record and the province profile: a safety
 * warning first where the message needs one, a short follow-up answered from the previous
 * topic, an answer above the threshold, otherwise an honest fallback with where to ask.
 */
export function createComposeStage(deps: ComposeStageDeps): Stage {
  const pickVersion = createVersionPicker(deps.i18n, deps.procedureScope);
  const floor = deps.clarifyThreshold ?? 0;
  const clarifying = (confidence: number) => floor > 0 && confidence >= floor && confidence < deps.answerThreshold;
  return {
    name: 'compose',
    run(turn: Turn, d: Record<string, unknown>): StageResult {
      const { norm, ts, compose: ctx, conversation } = turn.language!;
      const verdict = turn.verdict!;
      const q = turn.query!;
      const { candidates, confidence } = turn;
      const { index } = turn.snapshot;
      const previous = conversation.lastDocId ? index.byId.get(conversation.lastDocId) : undefined;
      const isFollowUp =
        previous !== undefined &&
        q.contentTokens.length <= deps.lexicon.followUpMaxContentTokens &&
        (q.intent !== null || q.followUpCue) &&
        (confidence < deps.answerThreshold || q.contentTokens.length === 0);
      d.followUp = isFollowUp;
      const top = (): Composition => composeTop(index, candidates, q, norm.lang, ctx, pickVersion);
      let c: Composition;
      let outcome: Outcome;
      // What the question is about if we have to decline it (a few whole-word cue searches).
      const declineAs: DeclineKind = deps.declineTable ? declineKind(verdict.textWithoutLinks, deps.declineTable) : 'other';
      // A secret or a risky link gets the warning first; a scam story without either is a
      // security question, answered from the security article routed to with priority.
      if (verdict.route === 'safety' && (verdict.sensitive.length > 0 || verdict.links.some((l) => l.verdict !== 'official'))) {
        c = composeSafety(verdict, ctx, ts, candidates[0] && confidence >= deps.answerThreshold ? top() : null);
        outcome = verdict.sensitive.length > 0 ? 'safety_secret' : 'safety_link';
      } else if (verdict.scam && !(candidates[0] && confidence >= deps.answerThreshold && candidates[0].doc.topics.some((t) => (verdict.scam!.topics as readonly string[]).includes(t)))) {
        // Scam stories go to the security article with priority over whatever else matched.
        const target = verdict.scam.topics.map((t) => index.byId.get(t)).find(Boolean);
        const v = target ? pickVersion(index, target, [...target.values()][0], norm.lang, ctx) : undefined;
        c = v ? withDraft(composeFromDoc({ doc: v.doc, intent: null, bestSection: -1, related: candidates.slice(0, 3), ctx, notices: v.notices }), v, ctx) : composeFallback(candidates, ctx);
        outcome = 'safety_scam';
        d.routedBy = 'scam';
      } else if ((q.route && index.byId.has(q.route)) || (norm.unofferedLanguage && index.byId.has('meta.language'))) {
        // Asking for a person or a language is answered directly, never with "I don't know".
        const versions = index.byId.get(q.route ?? 'meta.language')!;
        const v = pickVersion(index, versions, versions.get('vi')!, norm.lang, ctx);
        c = withDraft(composeFromDoc({ doc: v.doc, intent: null, bestSection: -1, related: [], ctx, kind: META_KIND[v.doc.topics[0]] ?? 'answer', notices: v.notices }), v, ctx);
        if (c.kind === 'handoff') c = { ...c, text: `${c.text}\n\n${handoffLines(ctx).join('\n')}` };
        outcome = outcomeOfKind(c.kind);
        d.routedBy = 'cue';
      } else if (isFollowUp && previous) {
        const v = pickVersion(index, previous, [...previous.values()][0], norm.lang, ctx);
        // Only the new aspect: the title and summary were in the answer just before.
        c = withDraft(composeFromDoc({ doc: v.doc, intent: q.intent, bestSection: -1, related: [], ctx, notices: v.notices, ask: q.ask.type, questionTokens: q.contentTokens, followUp: true }), v, ctx);
        outcome = 'answered_follow_up';
      } else if (candidates[0] && confidence >= deps.answerThreshold) {
        c = top();
        outcome = outcomeOfKind(c.kind);
      } else if (declineAs !== 'other') {
        // A health, legal, tax, banking, utilities or emergency question we hold nothing for:
        // say where to go for it instead of offering unrelated topics.
        c = composeDecline(declineAs, ctx);
        outcome = candidates.length === 0 ? 'fallback_no_content' : 'fallback_low_confidence';
        d.declineKind = declineAs;
      } else if (clarifying(confidence) && clarifyChoices(candidates).length > 0) {
        // Not sure enough to answer, but two or three topics are plausible: ask which one.
        const choices = clarifyChoices(candidates);
        c = composeClarification(choices, ctx);
        outcome = 'clarification';
        d.choices = choices.map((x) => x.topic);
      } else {
        // Suggestions only when the best match is at least plausible: on the tuning sets a floor
        // of 0.1 kept 30 of the 33 suggestion lists that held the right topic and dropped 70 of
        // the 173 that did not (a sick cow was offered "chế độ thai sản").
        c = composeFallback(confidence >= SUGGEST_FLOOR ? candidates : [], ctx);
        outcome = candidates.length === 0 ? 'fallback_no_content' : 'fallback_low_confidence';
      }
      if (verdict.route === 'safety' && verdict.scam?.risk && c.kind !== 'safety') {
        // A scam happening to the user: the warning goes first, then the security article.
        c = { ...c, text: `${composeSafetyWarning(verdict, ts, contactsOf(turn.profile))}\n\n---\n\n${c.text}`, notices: c.notices };
        outcome = 'safety_scam';
        d.warning = 'scam';
      }
      if (verdict.route === 'continue' && verdict.links.length > 0 && verdict.links.every((l) => l.verdict === 'official')) {
        c = { ...c, text: `${composeSafetyWarning(verdict, ts, contactsOf(turn.profile))}\n\n${c.text}` };
      }
      if (turn.profile.handoff && isUnclear(outcome) && failedClarifications(conversation.recentOutcomes ?? []) >= 2) {
        // Asked back and still not understood, twice: offer a person instead of a third guess.
        c = offerHandoff(c, ctx);
        d.handoffOffered = true;
      }
      Object.assign(d, { kind: c.kind, section: c.section, citations: c.citations.map((x) => x.id) });
      turn.composition = c;
      turn.outcome = outcome;
      return CONTINUE;
    },
  };
}

/** The first candidate's article in the reply language, with up to three related topics to offer. */
function composeTop(index: KnowledgeIndex, candidates: Candidate[], q: AnalysedQuery, lang: string, ctx: ComposeContext, pickVersion: VersionPicker): Composition {
  const first = candidates[0];
  const versions = index.byId.get(first.doc.id) ?? new Map([[first.doc.lang, first.doc]]);
  const v = pickVersion(index, versions, first.doc, lang, ctx);
  const kind = META_KIND[v.doc.topics[0]] ?? 'answer';
  const c = composeFromDoc({ doc: v.doc, intent: q.intent, bestSection: sameSection(v.doc, first.doc, first.bestSection) ? first.bestSection : -1, related: candidates.slice(1, 4), ctx, kind, notices: v.notices, ask: kind === 'answer' ? q.ask.type : undefined, questionTokens: q.contentTokens });
  const shown = withDraft(c, v, ctx);
  if (kind === 'handoff') return { ...shown, text: `${shown.text}\n\n${handoffLines(ctx).join('\n')}` };
  return shown;
}

/** The warning for a secret or a risky link, then the answer to the question if there is one. */
function composeSafety(verdict: SafetyVerdict, ctx: ComposeContext, ts: Translate, answerPart: Composition | null): Composition {
  const warning = composeSafetyWarning(verdict, ts, contactsOf(ctx.profile));
  return {
    kind: 'safety',
    text: answerPart ? `${warning}\n\n---\n\n${answerPart.text}` : warning,
    summary: warning.split('\n')[0],
    citations: answerPart?.citations ?? [],
    topics: answerPart ? [...new Set([...verdict.topics, ...answerPart.topics])] : verdict.topics,
    quickReplies: answerPart?.quickReplies ?? [{ label: ctx.t('quick.talk_to_person'), payload: ctx.t('quick.talk_to_person') }],
    notices: answerPart?.notices ?? [],
    section: answerPart?.section ?? null,
    ...(answerPart?.steps ? { steps: answerPart.steps } : {}),
  };
}

/** The shown document has the section the search found (the same one, or a record of the same procedure with that section there). */
function sameSection(shown: IndexedDoc, searched: IndexedDoc, section: number): boolean {
  if (shown === searched) return true;
  return shown.rowid === searched.rowid && shown.lang === searched.lang && (section === -1 || shown.sections[section]?.heading === searched.sections[section]?.heading);
}
