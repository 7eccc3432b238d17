import type { IndexedDoc } from '../knowledge/knowledge-index.js';
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import { renderPlaceholders } from '../knowledge/province-profiles.js';
import type { Translate } from '../i18n/i18n.js';
import type { Lexicon, SectionIntent } from '../retrieval/lexicon.js';
import type { Candidate } from '../retrieval/hybrid-retriever.js';
import type { AnswerKind, Citation, QuickReply } from '../domain/answer.js';

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
  // A value the province has not given becomes a phrase that sends the reader to a person, never a guess.
  return renderPlaceholders(text, ctx.profile, (key) => ctx.t(`unknown.${key}`, { defaultValue: ctx.t('unknown_value') }));
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

function quickRepliesFor(doc: IndexedDoc, intent: SectionIntent | null, related: Candidate[], ctx: ComposeContext): QuickReply[] {
  const replies: QuickReply[] = [];
  const has = (headings: string[]) => doc.sections.some((s) => headings.includes(s.heading));
  const docsHeadings = ctx.lexicon.sectionCues.find((s) => s.intent === 'documents')?.headings ?? [];
  const feeHeadings = ctx.lexicon.sectionCues.find((s) => s.intent === 'fees')?.headings ?? [];
  if (intent !== 'documents' && has(docsHeadings)) replies.push({ label: ctx.t('quick.documents'), payload: ctx.t('quick.documents') });
  if (intent !== 'fees' && intent !== 'deadline' && has(feeHeadings)) replies.push({ label: ctx.t('quick.fees'), payload: ctx.t('quick.fees') });
  for (const c of related) {
    if (replies.length >= 4) break;
    if (c.doc.id === doc.id || c.doc.topics.some((t) => t.startsWith('meta.'))) continue;
    replies.push({ label: c.doc.title.slice(0, 80), payload: c.doc.title });
  }
  replies.push({ label: ctx.t('quick.talk_to_person'), payload: ctx.t('quick.talk_to_person') });
  return replies;
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
  const steps = section && STEPS_HEADINGS.has(section.heading) ? numberedItems(section.text).map((s) => fill(s, ctx)) : undefined;
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

export function hotlineLines(ctx: ComposeContext): string[] {
  const v = ctx.profile.values;
  const lines: string[] = [];
  if (v.province_hotline && v.province_hotline !== v.national_hotline) {
    lines.push(ctx.t('fallback.hotline', { province: ctx.profile.name, provinceHotline: v.province_hotline, nationalHotline: v.national_hotline }));
  } else {
    lines.push(ctx.t('fallback.hotline_national_only', { nationalHotline: v.national_hotline }));
  }
  lines.push(ctx.t('fallback.one_stop', { oneStop: v.one_stop_name || ctx.t('unknown_value').replace(/^hỏi |^ask /, '') }));
  return lines;
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
    quickReplies: [
      ...close.map((c) => ({ label: c.doc.title.slice(0, 80), payload: c.doc.title })),
      { label: ctx.t('quick.talk_to_person'), payload: ctx.t('quick.talk_to_person') },
    ],
    notices,
    section: null,
  };
}

/** A person to talk to: the province's lines and one-stop shop, from the profile only. */
export function handoffLines(ctx: ComposeContext): string[] {
  const v = ctx.profile.values;
  const lines = [ctx.t('handoff.intro')];
  if (v.province_hotline && v.province_hotline !== v.national_hotline) lines.push(`- ${ctx.t('handoff.hotline', { province: ctx.profile.name, provinceHotline: v.province_hotline })}`);
  lines.push(`- ${ctx.t('handoff.national', { nationalHotline: v.national_hotline })}`);
  if (v.one_stop_name && v.one_stop_address) lines.push(`- ${ctx.t('handoff.office', { name: v.one_stop_name, address: v.one_stop_address })}`);
  if (v.one_stop_hours) lines.push(`- ${ctx.t('handoff.hours', { hours: v.one_stop_hours })}`);
  return lines;
}

/** A reply with no source: greetings, refusals, unreadable or empty input. */
export function simpleReply(kind: AnswerKind, text: string): Composition {
  return { kind, text, summary: text, citations: [], topics: [], quickReplies: [], notices: [], section: null };
}

/** The contacts a safety warning may name, from the province profile only. */
export function contactsOf(profile: ProvinceProfile) {
  return {
    vneidHotline: profile.values.vneid_hotline,
    nationalHotline: profile.values.national_hotline,
    scamReportUrl: profile.values.scam_report_url,
    provinceHotline: profile.values.province_hotline,
  };
}

/** Scores are stored and shown to three decimals. */
export function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
