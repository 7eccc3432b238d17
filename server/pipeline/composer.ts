import type { IndexedDoc } from '../knowledge/knowledge-index.js';
import type { ProvinceProfile } from '../knowledge/province-profiles.js';
import { renderProfileText } from '../knowledge/profile-render.js';
import type { Translate } from '../i18n/i18n.js';
import type { Lexicon, SectionIntent } from '../retrieval/lexicon.js';
import type { Candidate } from '../retrieval/hybrid-retriever.js';
import type { AnswerKind, AskType, Citation, QuickReply } from '../domain/answer.js';
import type { Section } from '../knowledge/types.js';
import { explainAbbreviations } from '../knowledge/record-values.js';
import { foldDiacritics, tokenize } from '../text/normalise.js';
import { markdownToPlainList, markdownToPlainSentence } from './plain-text.js';
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

/** The section intent whose headings hold the answer to an ask. */
const ASK_SECTION: Partial<Record<AskType, SectionIntent>> = { documents: 'documents', fee: 'fees', duration: 'deadline', place: 'where', steps: 'steps' };

const INTENT_ASK: Record<SectionIntent, AskType> = { documents: 'documents', fees: 'fee', deadline: 'duration', where: 'place', steps: 'steps' };

const foldedWords = (s: string) => ` ${tokenize(foldDiacritics(s.toLowerCase())).join(' ')} `;

/** The lines of a section that answer a fee, duration or place question, and the others. */
export function splitAnswerLines(text: string, cues: string[]): { hit: string[]; rest: string[] } {
  const hit: string[] = [];
  const rest: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const w = foldedWords(line);
    (cues.some((c) => w.includes(` ${c} `)) ? hit : rest).push(line);
  }
  return { hit, rest };
}

/** A single list line reads as a sentence without its marker. */
function asLead(lines: string[]): string {
  return lines.length === 1 ? lines[0].replace(/^\s*[-*+]\s+/, '') : lines.join('\n');
}

const PLAIN_SPLIT = /(?<=[.!?])\s+|\n+/u;

/**
 * The sentence of the document that shares the most of the question's words, and its section
 * (-1: the summary). Used for yes/no, eligibility and other questions, which no heading names:
 * "mn ơi acc dvc có đăng nhập bằng mã qr trên app vneid đc k" is answered by the sentence about
 * the QR code, not by step 1. Words of the title do not count (every sentence is about the
 * title); a word counts by how rare it is in this document (a word in every
 * sentence, "đăng nhập" in the sign-in article, tells sentences apart least); the sentence must
 * share at least two words and half of the weight of the question's words the document uses.
 */
export function bestSentence(doc: IndexedDoc, contentTokens: string[]): { text: string; section: number } | null {
  // The title's words name the topic every sentence is about; the detail asked for is in the others.
  const title = foldedWords(doc.title);
  const wanted = [...new Set(contentTokens.filter((t) => t.length > 1 && !title.includes(` ${t} `)))];
  if (wanted.length === 0) return null;
  // Units: the summary's sentences, and each line (a list item) of a section read with its
  // heading, since a line under "Đổi số điện thoại, mất SIM" is about a lost SIM.
  const all: Array<{ text: string; section: number; words: string }> = [];
  const add = (text: string, section: number, heading: string) => {
    const unit = text.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').trim();
    if (unit.length < 12 || /\{\{else\}\}/.test(unit)) return;
    all.push({ text: unit, section, words: foldedWords(`${heading} ${unit}`) });
  };
  for (const sentence of doc.summary.split(PLAIN_SPLIT)) add(sentence, -1, '');
  doc.sections.forEach((s, i) => {
    if (!/^(Hỗ trợ|Help)$/.test(s.heading)) for (const line of s.text.split('\n')) add(line, i, s.heading);
  });
  // Words the document never uses cannot tell its sentences apart ("mn", "acc", "đc"): they are
  // left out of the count, and a word counts by its rarity among the document's sentences.
  const inDoc = wanted.map((t) => ({ t, n: all.filter((x) => x.words.includes(` ${t} `)).length })).filter((w) => w.n > 0);
  const weight = new Map(inDoc.map(({ t, n }) => [t, Math.log((all.length + 1) / (n + 1))]));
  let best: { text: string; section: number; shared: number; score: number } | null = null;
  for (const x of all) {
    const shared = [...weight.keys()].filter((t) => x.words.includes(` ${t} `));
    const score = shared.reduce((sum, t) => sum + weight.get(t)!, 0);
    if (!best || score > best.score) best = { text: x.text, section: x.section, shared: shared.length, score };
  }
  const total = [...weight.values()].reduce((a, b) => a + b, 0);
  if (!best || best.shared < 2 || total <= 0 || best.score / total < 0.5) return null;
  return { text: best.text, section: best.section };
}

/**
 * Characters of a record's steps shown in an answer. The 2021 records write steps as long legal
 * paragraphs (up to 10,000 characters); on a phone a citizen reads about two screens (decision
 * 0021), and the full text is one tap away on the portal the record note links to.
 */
export const RECORD_STEPS_BUDGET = 700;
/**
 * A record's documents list, when it is the answer: some records list every case in one list
 * (maternity: about 3,000 characters), more than a phone shows. Whole lines up to this, then a
 * sentence saying the other cases' papers are on the procedure page — never a silent cut.
 */
export const RECORD_DOCUMENTS_BUDGET = 1200;

/** Whole lines of `text` up to `max` characters, then a sentence saying where the rest is. */
export function withinBudget(text: string, max: number, more: string): string {
  if (text.length <= max) return text;
  const lines = text.split('\n');
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    // A line that introduces what follows ("Hồ sơ gồm 2 loại giấy tờ:", blank lines after it)
    // never ends the answer: at least one real line comes after it.
    const introOnly = kept.every((k) => !k.trim() || /:\s*$/.test(k));
    if (kept.length > 0 && !introOnly && used + line.length > max) break;
    kept.push(line);
    used += line.length + 1;
  }
  // A line longer than the whole budget is cut at the last sentence end inside it.
  const last = kept.length - 1;
  if (kept[last].length > max) {
    const head = kept[last].slice(0, max);
    const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('; '));
    kept[last] = end > max / 3 ? head.slice(0, end + 1) : `${head.slice(0, head.lastIndexOf(' '))}…`;
  }
  return `${kept.join('\n')}\n\n${more}`;
}

/** A sentence for a fee or deadline a record does not give: where to ask, never a guess. */
function unknownSentence(ask: 'fee' | 'duration', ctx: ComposeContext): string {
  const hotline = ctx.profile.values.national_hotline;
  return hotline ? ctx.t(`record_unknown.${ask}`, { nationalHotline: hotline }) : ctx.t(`record_unknown.${ask}_no_hotline`);
}

/**
 * An answer built only from the document's own text and the province profile, in the order a
 * phone screen needs: the fact asked for first (the lines of the section that hold it, or for a
 * question no heading names, the sentence that shares most of its words), then the rest of that
 * section only, then the one bold point the article marks as essential, then for a record the
 * link to check it. The article's summary is shown only when the ask is not a fact a section
 * holds (how-to, yes/no, other questions): a summary there is the answer's first sentence.
 */
export function composeFromDoc(args: {
  doc: IndexedDoc;
  intent: SectionIntent | null;
  bestSection: number;
  related: Candidate[];
  ctx: ComposeContext;
  kind?: AnswerKind;
  notices?: string[];
  /** What the question asks for (understanding); without it the answer opens with the summary. */
  ask?: AskType;
  /** The question's content words, to find the sentence a yes/no or other question wants. */
  questionTokens?: string[];
  /** A follow-up: the title and summary were just shown, so only the new part is given. */
  followUp?: boolean;
}): Composition {
  const { doc, ctx } = args;
  // A question whose sentence names no kind but whose words name a section ("lltp bn ngày") asks for that section.
  const ask: AskType = (args.ask ?? 'other') === 'other' && args.intent ? INTENT_ASK[args.intent] : (args.ask ?? 'other');
  const askIntent = ASK_SECTION[ask] ?? null;
  const intent = askIntent ?? args.intent;
  let section: Section | undefined = sectionFor(doc, intent, ctx.lexicon, args.bestSection);
  const holdsAsk = askIntent !== null && section !== undefined && (ctx.lexicon.sectionCues.find((s) => s.intent === askIntent)?.headings ?? []).includes(section.heading);
  let lead: string | null = null;
  let body = section ? fill(section.text, ctx) : '';
  if (holdsAsk && (ask === 'documents' || (ask === 'place' && doc.kind === 'procedure'))) {
    // The documents list, or a record's agency (with its note), is itself the answer; a bare
    // office name is said as a sentence.
    const [first, ...more] = body.split('\n');
    lead = ask === 'place' ? [ctx.t('record_agency', { agency: first.trim().replace(/[.;\s]+$/u, '') }), ...more].join('\n') : doc.kind === 'procedure' ? withinBudget(body, RECORD_DOCUMENTS_BUDGET, ctx.t('record_documents_more')) : body;
    body = '';
  } else if (holdsAsk && (ask === 'fee' || ask === 'duration' || ask === 'place')) {
    const { hit, rest } = splitAnswerLines(body, ctx.lexicon.answerLines[ask]);
    if (hit.length) {
      lead = asLead(hit);
      body = rest.join('\n');
    } else if (doc.kind === 'procedure' && ask !== 'place') lead = unknownSentence(ask, ctx);
  } else if (doc.kind === 'procedure' && (ask === 'fee' || ask === 'duration')) {
    // A record without the ways section gives neither fee nor deadline.
    lead = unknownSentence(ask, ctx);
  } else if ((ask === 'yes_no' || ask === 'eligibility' || ask === 'other' || ask === 'contact' || ask === 'steps') && args.questionTokens?.length) {
    // A question with a detail beyond the topic ("… mất SIM", "… sinh ở nhà") gets the line
    // about that detail first; one that only names the topic finds none and opens with the summary.
    const found = bestSentence(doc, args.questionTokens);
    if (found) {
      lead = fill(found.text, ctx);
      if (found.section >= 0) {
        section = doc.sections[found.section];
        body = fill(section.text, ctx);
      }
    }
  }
  if (doc.kind === 'procedure' && section && STEPS_HEADINGS.has(section.heading)) body = withinBudget(body, RECORD_STEPS_BUDGET, ctx.t('record_steps_more'));
  const summary = fill(doc.summary, ctx);
  // A how-to or where question keeps the summary: it says in one sentence how or where, which a
  // "Hỗ trợ" section of contacts does not.
  const showSummary = (!holdsAsk || ask === 'steps' || (ask === 'place' && doc.kind !== 'procedure')) && !args.followUp && !(lead && summary.includes(lead));
  const parts: string[] = [];
  if (!args.followUp) parts.push(`**${doc.title}**`);
  if (lead) parts.push(lead);
  if (showSummary && summary) parts.push(summary);
  if (section && body.trim()) {
    // The lead is not repeated under its heading.
    // A numbered step stays in its list even when it is the lead: a list with a gap misleads.
    const rest = lead ? body.split('\n').filter((l) => !l.includes(lead!) || /^\s*\d+[.)]\s/.test(l)).join('\n') : body;
    if (rest.trim()) parts.push(`**${section.heading}**\n${rest}`);
  }
  const key = keyPoint(doc);
  if (key && !parts.some((p) => p.includes(fill(key, ctx)))) parts.push(`**${fill(key, ctx)}**`);
  if (doc.kind === 'procedure') {
    const date = doc.updated ? ctx.t('record_date', { date: doc.updated }) : ctx.t('record_date_unknown');
    parts.push(`_${ctx.t('record_note', { date, portal: ctx.profile.values.national_portal_url })}_`);
  }
  let text = parts.join('\n\n');
  // Records use SDLĐ, NLĐ, TTHC… unexplained; the first use in the answer gets its meaning.
  if (doc.kind === 'procedure') text = explainAbbreviations(text, ctx.lexicon.recordWording);
  const steps = section && STEPS_HEADINGS.has(section.heading) ? numberedItems(body) : undefined;
  const firstPart = args.followUp ? parts[0] : parts[1];
  return {
    kind: args.kind ?? 'answer',
    text,
    // What SMS and previews show: the sentence that answers the ask, else the summary.
    // A documents list is kept whole: its first line alone would send a citizen without the rest.
    summary: lead ? (ask === 'documents' && holdsAsk ? markdownToPlainList : markdownToPlainSentence)(doc.kind === 'procedure' ? explainAbbreviations(lead, ctx.lexicon.recordWording) : lead) || summary : args.followUp && firstPart ? markdownToPlainSentence(firstPart) || summary : summary,
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
