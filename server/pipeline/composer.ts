import type { IndexedDoc } from '../knowledge/knowledge-index.js';
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import { renderProfileText } from '../knowledge/profile-render.js';
import type { Translate } from '../i18n/i18n.js';
import type { Lexicon, SectionIntent } from '../retrieval/lexicon.js';
import type { Candidate } from '../retrieval/hybrid-retriever.js';
import type { AnswerKind, Citation, QuickReply } from '../domain/answer.js';
import { fallbackQuickReplies, quickRepliesFor } from './quick-replies.js';

import { hotlineLines } from './contact-lines.js';

export { contactsOf, handoffLines, hotlineLines } from './contact-lines.js';

export interface Composition {
  kind: AnswerKind;
  text: string;
  summary: string;
  steps?: string[];
  citations: Citation[];
  topics: string[];
  quickReplies: QuickReply[];
  notices: string[];
  /** Section shown, for the answer log. */
  section: string | null;
}

export interface ComposeContext {
  profile: ProvinceProfile;
  t: Translate;
  lexicon: Lexicon;
}

const STEPS_HEADINGS = new Set(['Các bước', 'Trình tự thực hiện', 'Steps']);

function fill(text: string, ctx: ComposeContext): string {
  // A sentence needing a value the province has not given is left out or replaced by one written for that case.
  return renderProfileText(text, ctx.profile, ctx.t);
}

export function numberedItems(markdown: string): string[] {
  const items: string[] = [];
  for (const line of markdown.split('\n')) {
    const m = /^\s{0,3}(?:\d+[.)]|-\s*Bước\s*\d+[:.]?)\s+(.*)$/.exec(line);
    if (m) items.push(m[1].trim());
  }
  return items;
}

function sectionFor(doc: IndexedDoc, intent: SectionIntent | null, lexicon: Lexicon, bestSection: number) {
  const wanted = intent ? lexicon.sectionCues.find((s) => s.intent === intent)?.headings ?? [] : [];
  const byIntent = doc.sections.find((s) => wanted.includes(s.heading));
  if (byIntent) return byIntent;
  const best = bestSection >= 0 ? doc.sections[bestSection] : undefined;
  if (best && !/^(Hỗ trợ|Help|Lưu ý|Remember)$/.test(best.heading) && intent !== null) return best;
  return doc.sections.find((s) => STEPS_HEADINGS.has(s.heading)) ?? doc.sections[0];
}

/** The one bold sentence an article marks as what matters most. */
function keyPoint(doc: IndexedDoc): string | null {
  for (const s of doc.sections) {
    const m = /\*\*([^*]{10,400})\*\*/.exec(s.text);
    if (m && /(Lưu ý|Remember)/.test(s.heading)) return m[1].trim();
  }
  return null;
}

export function citationOf(doc: IndexedDoc): Citation {
  return { id: doc.id, kind: doc.kind, title: doc.title, url: doc.url, updated: doc.updated };
}

/** An answer built only from the document's own text and the province profile. */
export function composeFromDoc(args: {
  doc: IndexedDoc;
  intent: SectionIntent | null;
  bestSection: number;
  related: Candidate[];
  ctx: ComposeContext;
  kind?: AnswerKind;
  notices?: string[];
}): Composition {
  const { doc, intent, ctx } = args;
  const section = sectionFor(doc, intent, ctx.lexicon, args.bestSection);
  const summary = fill(doc.summary, ctx);
  const parts = [`**${doc.title}**`, summary];
  if (section) parts.push(`**${section.heading}**\n${fill(section.text, ctx)}`);
  const key = keyPoint(doc);
  if (key && !(section?.text.includes(key) ?? false)) parts.push(`**${fill(key, ctx)}**`);
  if (doc.kind === 'procedure') {
    const date = doc.updated ? ctx.t('record_date', { date: doc.updated }) : ctx.t('record_date_unknown');
    parts.push(`_${ctx.t('record_note', { date, portal: ctx.profile.values.national_portal_url })}_`);
  }
  const steps = section && STEPS_HEADINGS.has(section.heading) ? numberedItems(fill(section.text, ctx)) : undefined;
  return {
    kind: args.kind ?? 'answer',
    text: parts.join('\n\n'),
    summary,
    ...(steps && steps.length ? { steps } : {}),
    citations: [citationOf(doc)],
    topics: doc.topics,
    quickReplies: quickRepliesFor(doc, intent, args.related, ctx),
    notices: args.notices ?? [],
    section: section?.heading ?? null,
  };
}

/** "I don't know" — with the numbers to call and, if any were close, topics to try. */
export function composeFallback(suggestions: Candidate[], ctx: ComposeContext, notices: string[] = []): Composition {
  const lines = [ctx.t('fallback.intro'), ...hotlineLines(ctx)];
  const close = suggestions.filter((c) => c.coverage >= 0.34 && !c.doc.topics.some((t) => t.startsWith('meta.'))).slice(0, 3);
  if (close.length) lines.push(`${ctx.t('fallback.suggest')}\n${close.map((c) => `- ${c.doc.title}`).join('\n')}`);
  return {
    kind: 'fallback',
    text: lines.join('\n\n'),
    summary: lines.slice(0, 2).join(' '),
    citations: [],
    topics: [],
    quickReplies: fallbackQuickReplies(close, ctx.t),
    notices,
    section: null,
  };
}

/** A reply with no source: greetings, refusals, unreadable or empty input. */
export function simpleReply(kind: AnswerKind, text: string): Composition {
  return { kind, text, summary: text, citations: [], topics: [], quickReplies: [], notices: [], section: null };
}

/** Scores are stored and shown to three decimals. */
export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
