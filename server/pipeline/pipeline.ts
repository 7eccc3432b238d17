import crypto from 'node:crypto';
import type { i18n } from 'i18next';
import type { Embedder } from '../embeddings/embedder.js';
import type { KnowledgeIndex } from '../knowledge/knowledge-index.js';
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import { translator } from '../i18n/i18n.js';
import type { Lexicon } from '../retrieval/lexicon.js';
import { analyseQuery, type AnalysedQuery, type TypoCorrect } from '../retrieval/query-analysis.js';
import { retrieve, type Candidate, DEFAULT_RETRIEVER_SETTINGS } from '../retrieval/hybrid-retriever.js';
import type { ChunkSearch } from '../retrieval/chunk-search.js';
import type { ConfidenceModel } from '../retrieval/confidence.js';
import { normaliseText, looksLikeBinaryGarbage, stripInvisible } from '../text/normalise.js';
import type { EncodingRepairer } from '../text/encoding-repair.js';
import type { SafetyVerdict } from '../safety/safety-check.js';
import { composeSafetyWarning } from '../safety/safety-reply.js';
import { extractLinks } from '../safety/links.js';
import type { ConversationStore } from '../storage/conversations.js';
import type { AnswerLog, AnswerRecord } from '../storage/answer-log.js';
import type { Answer, InboundMessage, StageRecord } from './answer.js';
import { composeFallback, composeFromDoc, handoffLines, type ComposeContext, type Composition } from './composer.js';
import { parseLanguageKeyword, type KeywordTable, type LanguageDetector } from '../i18n/language-detect.js';
import { chooseArticleVersion, noticeChecker, renderNotice } from '../translation/serving.js';
import type { IndexedDoc } from '../knowledge/knowledge-index.js';
import type { ProcedureScope } from '../knowledge/procedure-scope.js';

export interface PipelineDeps {
  /** Current index and the embedder it was built with (swapped atomically on re-index). */
  index: () => { index: KnowledgeIndex; embedder: Embedder; correct: TypoCorrect };
  profiles: Map<string, ProvinceProfile>;
  defaultProvince: string;
  lexicon: Lexicon;
  i18n: i18n;
  safety: (province: string) => { check(text: string): SafetyVerdict };
  conversations: ConversationStore;
  answerLog: AnswerLog;
  maxMessageChars: number;
  answerThreshold: number;
  confidenceModel: ConfidenceModel;
  supportedLanguages: string[];
  detector: LanguageDetector;
  languageKeywords: KeywordTable;
  repairer: EncodingRepairer;
  /** Whose procedure records answer a province's citizens (its own, its successor's, national ones). */
  procedureScope: (province: string) => ProcedureScope;
  /** Where the lexical and vector searches run (a worker thread, or inline). */
  search: ChunkSearch;
  /** Commits the turn's writes in one transaction (shared with concurrent turns: group commit). */
  commit: (write: () => void) => Promise<void>;
}

export interface PipelineResult {
  answer: Answer;
  record: AnswerRecord;
}

class StageTimer {
  readonly stages: StageRecord[] = [];
  run<T>(stage: StageRecord['stage'], fn: (details: Record<string, unknown>) => T): T {
    const start = performance.now();
    const details: Record<string, unknown> = {};
    try {
      const out = fn(details);
      this.stages.push({ stage, status: (details.status as StageRecord['status']) ?? 'ok', ms: performance.now() - start, details });
      return out;
    } catch (err) {
      this.stages.push({ stage, status: 'error', ms: performance.now() - start, details: { ...details, error: (err as Error).message } });
      throw err;
    }
  }
  async runAsync<T>(stage: StageRecord['stage'], fn: (details: Record<string, unknown>) => Promise<T>): Promise<T> {
    const start = performance.now();
    const details: Record<string, unknown> = {};
    try {
      const out = await fn(details);
      this.stages.push({ stage, status: 'ok', ms: performance.now() - start, details });
      return out;
    } catch (err) {
      this.stages.push({ stage, status: 'error', ms: performance.now() - start, details: { ...details, error: (err as Error).message } });
      throw err;
    }
  }
  skip(stage: StageRecord['stage'], reason: string): void {
    this.stages.push({ stage, status: 'skipped', ms: 0, details: { reason } });
  }
}

const META_KIND: Record<string, Answer['kind']> = { 'meta.greeting': 'greeting', 'meta.human-handoff': 'handoff' };

/**
 * normalise → safety → understand → retrieve → compose. Each stage records what it did; the
 * record is stored with the answer (question redacted) for staff review.
 */
export function createPipeline(deps: PipelineDeps) {
  /** `store: false` answers without writing anything (the start-up warm-up). */
  async function handle(msg: InboundMessage, opts: { store?: boolean } = {}): Promise<PipelineResult> {
    const started = performance.now();
    const timer = new StageTimer();
    const provinceCode = msg.province && deps.profiles.has(msg.province) ? msg.province : deps.defaultProvince;
    const profile = deps.profiles.get(provinceCode)!;
    const { index, embedder, correct } = deps.index();

    const existing = msg.conversationId ? deps.conversations.find(msg.conversationId) : null;
    // A new conversation is only written with its first answer, in the same transaction.
    const offered = profile.languages;

    // 1. normalise
    const norm = timer.run('normalise', (d) => {
      const input = typeof msg.text === 'string' ? msg.text : '';
      // Old keyboards and converters still send VNI/TCVN3 text or mojibake; read it as Vietnamese.
      const repaired = deps.repairer.repair(input);
      const raw = repaired.ok ? repaired.text : input;
      d.encoding = repaired.ok ? repaired.encoding : 'unrepairable';
      const garbage = looksLikeBinaryGarbage(raw);
      const text = normaliseText(stripInvisible(raw));
      const tooLong = text.length > deps.maxMessageChars;
      // Reply language: an explicit choice, else a keyword ("BANA", "ENGLISH"), else detection,
      // else the language the conversation was switched to.
      const requested = msg.lang && deps.supportedLanguages.includes(msg.lang) ? msg.lang : null;
      const keyword = requested ? null : parseLanguageKeyword(text, deps.languageKeywords);
      const detected = deps.detector.detect(text, { offered });
      const switched = existing && existing.lang !== 'vi' && existing.lang !== 'en' ? existing.lang : null;
      const lang =
        requested ??
        (keyword && (offered.includes(keyword.lang) || keyword.lang === 'vi') ? keyword.lang : null) ??
        (detected.lang !== 'vi' ? detected.lang : detected.reason === 'diacritics' || !switched ? 'vi' : switched);
      Object.assign(d, { chars: text.length, removedChars: raw.length - text.length, garbage, tooLong, detected, keyword: keyword?.lang ?? null, lang });
      const keywordOffered = keyword !== null && (offered.includes(keyword.lang) || keyword.lang === 'vi');
      return {
        text: tooLong ? text.slice(0, deps.maxMessageChars) : text,
        garbage,
        tooLong,
        lang,
        empty: text.length === 0,
        keywordOnly: keywordOffered,
        // A language this province does not offer: answered by the article on languages.
        unofferedLanguage: keyword !== null && !keywordOffered,
      };
    });
    const t = translator(deps.i18n, norm.lang, 'reply');
    const ts = translator(deps.i18n, norm.lang, 'safety');
    const ctx: ComposeContext = { profile, t, lexicon: deps.lexicon };
    const scope = deps.procedureScope(provinceCode);
    const conversation = existing ?? deps.conversations.open({
      id: msg.conversationId,
      channel: msg.channel,
      province: provinceCode,
      lang: norm.lang,
      userRef: msg.userRef,
      isTest: Boolean(msg.isTest),
    });
    // Retrieval runs on the Vietnamese index whatever the reply language (pivot); only English
    // gets its own query words and articles.
    const searchLang = norm.lang === 'en' ? 'en' : 'vi';

    let composition: Composition | null = null;
    let verdict: SafetyVerdict | null = null;
    let candidates: Candidate[] = [];
    let confidence = 0;
    let analysed: AnalysedQuery | null = null;

    if (norm.keywordOnly && !norm.garbage) {
      const tt = deps.i18n.getFixedT(norm.lang, 'translation');
      const languageName = String(tt(`language_names.${norm.lang}`, { defaultValue: norm.lang }));
      composition = { ...simpleReply('greeting', String(tt('language_switched', { languageName }))), topics: ['meta.language'] };
      timer.skip('safety', 'language keyword');
    } else if (norm.garbage || norm.empty) {
      composition = simpleReply('fallback', t(norm.garbage ? 'garbage' : 'empty'));
      timer.skip('safety', norm.garbage ? 'binary input' : 'empty input');
    } else {
      // 2. safety — before anything else sees the text
      verdict = timer.run('safety', (d) => {
        const v = deps.safety(provinceCode).check(norm.text);
        Object.assign(d, {
          route: v.route,
          sensitive: v.sensitive.map((s) => s.kind),
          links: v.links.map((l) => ({ host: l.host, verdict: l.verdict })),
          scam: v.scam?.scenario ?? null,
          abuse: v.abuse?.label ?? null,
        });
        return v;
      });
      if (verdict.route === 'refuse') {
        composition = simpleReply('fallback', composeSafetyWarning(verdict, ts, contactsOf(profile)));
      }
    }

    const question = verdict?.redactedText ?? '';
    if (!composition && verdict) {
      // 3. understand
      analysed = timer.run('understand', (d) => {
        // Links were judged by the safety stage; as search words they would only pull in the fake-site article.
        const withoutLinks = extractLinks(question).reduce((text, l) => text.split(l.raw).join(' '), question);
        const a = analyseQuery(withoutLinks, deps.lexicon, { lang: searchLang, vocab: index.vocab, correct });
        Object.assign(d, {
          tokens: a.searchTokens,
          contentTokens: a.contentTokens,
          expansions: a.expansions,
          corrections: a.corrections,
          pivot: a.pivot.map((p) => p.en),
          intent: a.intent,
          followUpCue: a.followUpCue,
          route: a.route,
        });
        return a;
      });
      const q = analysed;
      // 4. retrieve
      const result = await timer.runAsync('retrieve', async (d) => {
        const r = await retrieve(index, embedder, q, {
          ...DEFAULT_RETRIEVER_SETTINGS,
          confidenceModel: deps.confidenceModel,
          preferTopics: [...verdict!.topics],
          eligible: (doc) => index.eligible(doc.rowid, scope),
        }, deps.search);
        Object.assign(d, {
          fts: r.ftsQuery,
          searchedOn: r.searchedOn,
          confidence: r.confidence,
          top: r.candidates.slice(0, 5).map((c) => ({ id: c.doc.id, score: round(c.score), coverage: round(c.coverage), bigrams: round(c.bigramCoverage), vector: round(c.vectorScore), lex: c.lexicalRank, vec: c.vectorRank })),
        });
        return r;
      });
      candidates = result.candidates;
      confidence = result.confidence;

      // 5. compose
      composition = timer.run('compose', (d) => {
        const previous = conversation.lastDocId ? index.byId.get(conversation.lastDocId) : undefined;
        const isFollowUp =
          previous !== undefined &&
          q.contentTokens.length <= deps.lexicon.followUpMaxContentTokens &&
          (q.intent !== null || q.followUpCue) &&
          (confidence < deps.answerThreshold || q.contentTokens.length === 0);
        d.followUp = isFollowUp;
        let c: Composition;
        // A secret or a risky link gets the warning first; a scam story without either is a
        // security question, answered from the security article routed to with priority.
        if (verdict!.route === 'safety' && (verdict!.sensitive.length > 0 || verdict!.links.some((l) => l.verdict !== 'official'))) {
          c = composeSafety(verdict!, ctx, ts, candidates, confidence, q, norm.lang);
        } else if (verdict!.scam && !(candidates[0] && confidence >= deps.answerThreshold && candidates[0].doc.topics.some((t) => (verdict!.scam!.topics as readonly string[]).includes(t)))) {
          // Scam stories go to the security article with priority over whatever else matched.
          const target = verdict!.scam.topics.map((t) => index.byId.get(t)).find(Boolean);
          const v = target ? pickVersion(target, [...target.values()][0], norm.lang, ctx) : undefined;
          c = v ? withDraft(composeFromDoc({ doc: v.doc, intent: null, bestSection: -1, related: candidates.slice(0, 3), ctx, notices: v.notices }), v.draft, v.draftLabel, ctx) : composeFallback(candidates, ctx);
          d.routedBy = 'scam';
        } else if ((q.route && index.byId.has(q.route)) || (norm.unofferedLanguage && index.byId.has('meta.language'))) {
          // Asking for a person or a language is answered directly, never with "I don't know".
          const versions = index.byId.get(q.route ?? 'meta.language')!;
          const v = pickVersion(versions, versions.get('vi')!, norm.lang, ctx);
          c = withDraft(composeFromDoc({ doc: v.doc, intent: null, bestSection: -1, related: [], ctx, kind: META_KIND[v.doc.topics[0]] ?? 'answer', notices: v.notices }), v.draft, v.draftLabel, ctx);
          if (c.kind === 'handoff') c = { ...c, text: `${c.text}\n\n${handoffLines(ctx).join('\n')}` };
          d.routedBy = 'cue';
        } else if (isFollowUp && previous) {
          const v = pickVersion(previous, [...previous.values()][0], norm.lang, ctx);
          c = withDraft(composeFromDoc({ doc: v.doc, intent: q.intent, bestSection: -1, related: [], ctx, notices: v.notices }), v.draft, v.draftLabel, ctx);
        } else if (candidates[0] && confidence >= deps.answerThreshold) {
          c = composeTop(candidates, q, norm.lang, ctx);
        } else {
          c = composeFallback(candidates, ctx);
        }
        if (verdict!.route === 'safety' && verdict!.scam?.risk && c.kind !== 'safety') {
          // A scam happening to the user: the warning goes first, then the security article.
          c = { ...c, text: `${composeSafetyWarning(verdict!, ts, contactsOf(profile))}\n\n---\n\n${c.text}`, notices: c.notices };
          d.warning = 'scam';
        }
        if (verdict!.route === 'continue' && verdict!.links.length > 0 && verdict!.links.every((l) => l.verdict === 'official')) {
          c = { ...c, text: `${composeSafetyWarning(verdict!, ts, contactsOf(profile))}\n\n${c.text}` };
        }
        Object.assign(d, { kind: c.kind, section: c.section, citations: c.citations.map((x) => x.id) });
        return c;
      });
    }
    if (!composition) composition = simpleReply('fallback', t('empty'));
    if (norm.tooLong) composition = { ...composition, notices: [...composition.notices, t('too_long', { max: deps.maxMessageChars })] };

    const answer: Answer = {
      conversationId: conversation.id,
      answerId: crypto.randomUUID(),
      lang: norm.lang,
      kind: composition.kind,
      text: composition.text,
      summary: composition.summary,
      ...(composition.steps ? { steps: composition.steps } : {}),
      citations: composition.citations,
      topics: composition.topics,
      confidence: round(confidence),
      quickReplies: composition.quickReplies,
      notices: composition.notices,
    };
    const primary = composition.citations[0]?.id ?? null;
    const lastDocId = composition.kind === 'answer' || composition.kind === 'safety' ? primary ?? conversation.lastDocId : conversation.lastDocId;

    const record: AnswerRecord = {
      answer,
      channel: msg.channel,
      province: provinceCode,
      questionRedacted: verdict?.redactedText ?? (norm.garbage ? '[binary]' : ''),
      questionNormalised: analysed ? analysed.searchTokens.join(' ') : '',
      candidates: candidates.slice(0, 10).map((c) => ({
        id: c.doc.id,
        kind: c.doc.kind,
        topics: c.doc.topics,
        score: round(c.score),
        coverage: round(c.coverage),
        bigramCoverage: round(c.bigramCoverage),
        vectorScore: round(c.vectorScore),
        features: c.features,
        lexicalRank: c.lexicalRank,
        vectorRank: c.vectorRank,
      })),
      stages: timer.stages,
      safety: verdict
        ? { route: verdict.route, sensitive: verdict.sensitive, links: verdict.links, scam: verdict.scam, abuse: verdict.abuse }
        : undefined,
      indexVersion: index.version,
      embedderId: embedder.id,
      latencyMs: performance.now() - started,
      isTest: Boolean(msg.isTest),
      createdAt: new Date().toISOString(),
    };
    // Conversation, answer record and safety label are stored together or not at all, and the
    // answer is returned only once they are.
    const v = verdict;
    if (opts.store === false) return { answer, record };
    await deps.commit(() => {
      deps.conversations.save(conversation, norm.lang, composition.topics, lastDocId);
      deps.answerLog.record(record);
      if (v?.route === 'refuse') deps.answerLog.safetyEvent(answer.answerId, 'refusal', v.abuse?.label ?? null);
      else if (v?.route === 'safety') deps.answerLog.safetyEvent(answer.answerId, 'warning', v.sensitive.length ? 'sensitive' : v.links.length ? 'link' : 'scam');
    });
    return { answer, record };
  }

  /**
   * The version of an article to show in `lang`: an approved translation, else Vietnamese with a
   * notice; an unreviewed draft is added below, labelled, only where the province allows drafts.
   */
  function pickVersion(versions: Map<string, IndexedDoc>, fallback: IndexedDoc, lang: string, ctx: ComposeContext) {
    const choice = chooseArticleVersion({
      versions: [...versions.values()].map((d) => ({ lang: d.lang, status: d.status })),
      lang,
      allowDrafts: ctx.profile.allowDraftTranslations,
      hasNotice: noticeChecker(deps.i18n),
    });
    const chosen = (choice.serveLang ? versions.get(choice.serveLang) : undefined) ?? versions.get('vi') ?? fallback;
    // A procedure is shown as the record of the asker's province, or a national one.
    const doc = chosen.kind === 'procedure' ? (deps.index().index.variantFor(chosen, deps.procedureScope(ctx.profile.code)) ?? chosen) : chosen;
    const notices = choice.notice ? [renderNotice(deps.i18n, choice.notice)] : [];
    const draft = choice.offer ? versions.get(choice.offer.lang) : undefined;
    const draftLabel = draft ? String(deps.i18n.getFixedT(lang, 'translation')('draft_label')) : '';
    return { doc, notices, draft, draftLabel };
  }

  function withDraft(c: Composition, draft: IndexedDoc | undefined, label: string, ctx: ComposeContext): Composition {
    if (!draft) return c;
    const d = composeFromDoc({ doc: draft, intent: null, bestSection: -1, related: [], ctx });
    return { ...c, text: `${c.text}\n\n---\n\n_${label}_\n\n${d.text}` };
  }

  function composeTop(candidates: Candidate[], q: AnalysedQuery, lang: string, ctx: ComposeContext): Composition {
    const top = candidates[0];
    const { index } = deps.index();
    const versions = index.byId.get(top.doc.id) ?? new Map([[top.doc.lang, top.doc]]);
    const { doc, notices, draft, draftLabel } = pickVersion(versions, top.doc, lang, ctx);
    const kind = META_KIND[doc.topics[0]] ?? 'answer';
    const c = composeFromDoc({ doc, intent: q.intent, bestSection: sameSection(doc, top.doc, top.bestSection) ? top.bestSection : -1, related: candidates.slice(1, 4), ctx, kind, notices });
    const shown = withDraft(c, draft, draftLabel, ctx);
    if (kind === 'handoff') return { ...shown, text: `${shown.text}\n\n${handoffLines(ctx).join('\n')}` };
    return shown;
  }

  function composeSafety(verdict: SafetyVerdict, ctx: ComposeContext, ts: ReturnType<typeof translator>, candidates: Candidate[], confidence: number, q: AnalysedQuery, lang: string): Composition {
    const warning = composeSafetyWarning(verdict, ts, contactsOf(ctx.profile));
    // Still answer the question if there is one, after the warning.
    const top = candidates[0];
    const answerPart = top && confidence >= deps.answerThreshold ? composeTop(candidates, q, lang, ctx) : null;
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

  return { handle: (msg: InboundMessage) => handle(msg), warm: (msg: InboundMessage) => handle(msg, { store: false }) };
}

export type Pipeline = ReturnType<typeof createPipeline>;

function contactsOf(profile: ProvinceProfile) {
  return {
    vneidHotline: profile.values.vneid_hotline,
    nationalHotline: profile.values.national_hotline,
    scamReportUrl: profile.values.scam_report_url,
    provinceHotline: profile.values.province_hotline,
  };
}

function simpleReply(kind: Answer['kind'], text: string): Composition {
  return { kind, text, summary: text, citations: [], topics: [], quickReplies: [], notices: [], section: null };
}

/** The shown document has the section the search found (the same one, or a record of the same procedure with that section there). */
function sameSection(shown: IndexedDoc, searched: IndexedDoc, section: number): boolean {
  if (shown === searched) return true;
  return shown.rowid === searched.rowid && shown.lang === searched.lang && (section === -1 || shown.sections[section]?.heading === searched.sections[section]?.heading);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
