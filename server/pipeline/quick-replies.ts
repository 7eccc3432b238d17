/**
 * The buttons under an answer: what else the citizen may want about this topic, up to three
 * related topics, and a person to talk to. Every label is in the answer's language (a related
 * topic found only in the other language is not offered), a whole phrase (a title is shortened
 * at its natural break, a bracket or a dash, else at a word boundary with an ellipsis, never
 * mid-word), and no label or payload appears twice (the copies of one procedure share a title).
 */
import type { IndexedDoc } from '../knowledge/knowledge-index.js';
import type { Translate } from '../i18n/i18n.js';
import type { Lexicon, SectionIntent } from '../retrieval/lexicon.js';
import type { Candidate } from '../retrieval/hybrid-retriever.js';
import type { QuickReply } from '../domain/answer.js';

/** Longest label: one line on a 360-px phone button row, and under Zalo's 100-character title. */
export const QUICK_LABEL_MAX = 48;
const MAX_RELATED = 3;

/** A title shortened for a button: at "(", " – ", " — ", ":" or ";" if what is left says enough, else at a word. */
export function shortLabel(title: string, max = QUICK_LABEL_MAX): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  if ([...clean].length <= max) return clean;
  for (const sep of [' (', ' – ', ' — ', ' - ', ': ', '; ', ', ']) {
    const at = clean.indexOf(sep);
    if (at >= 12 && [...clean.slice(0, at)].length <= max) return clean.slice(0, at).replace(/[,;:]$/, '');
  }
  const words = clean.split(' ');
  let out = '';
  for (const w of words) {
    const next = out ? `${out} ${w}` : w;
    if ([...next].length > max - 1) break;
    out = next;
  }
  // One word longer than the whole button: cut it (there is no boundary to cut at).
  if (!out) out = [...clean].slice(0, max - 1).join('');
  return `${out.replace(/[\s,;:–—-]+$/u, '')}…`;
}

interface QuickReplyContext {
  t: Translate;
  lexicon: Lexicon;
}

function dedupe(replies: QuickReply[]): QuickReply[] {
  const labels = new Set<string>();
  const payloads = new Set<string>();
  return replies.filter((r) => {
    const l = r.label.toLocaleLowerCase();
    const p = r.payload.toLocaleLowerCase();
    if (labels.has(l) || payloads.has(p)) return false;
    labels.add(l);
    payloads.add(p);
    return true;
  });
}

/** The quick replies for an answer built from `doc` (in the answer's language) to a question asking `intent`. */
export function quickRepliesFor(doc: IndexedDoc, intent: SectionIntent | null, related: Candidate[], ctx: QuickReplyContext): QuickReply[] {
  const replies: QuickReply[] = [];
  const has = (headings: string[]) => doc.sections.some((s) => headings.includes(s.heading));
  const docsHeadings = ctx.lexicon.sectionCues.find((s) => s.intent === 'documents')?.headings ?? [];
  const feeHeadings = ctx.lexicon.sectionCues.find((s) => s.intent === 'fees')?.headings ?? [];
  if (intent !== 'documents' && has(docsHeadings)) replies.push({ label: ctx.t('quick.documents'), payload: ctx.t('quick.documents') });
  if (intent !== 'fees' && intent !== 'deadline' && has(feeHeadings)) replies.push({ label: ctx.t('quick.fees'), payload: ctx.t('quick.fees') });
  const seenTitles = new Set([doc.title.toLocaleLowerCase()]);
  let added = 0;
  for (const c of related) {
    if (added >= MAX_RELATED) break;
    if (c.doc.id === doc.id || c.doc.topics.some((t) => t.startsWith('meta.'))) continue;
    if (c.doc.lang !== doc.lang) continue;
    const title = c.doc.title.trim();
    if (!title || seenTitles.has(title.toLocaleLowerCase())) continue;
    seenTitles.add(title.toLocaleLowerCase());
    replies.push({ label: shortLabel(title), payload: title });
    added++;
  }
  replies.push({ label: ctx.t('quick.talk_to_person'), payload: ctx.t('quick.talk_to_person') });
  return dedupe(replies);
}

/** The "did you mean" buttons of a fallback: the close topics (each once), then a person. */
export function fallbackQuickReplies(close: Candidate[], t: Translate): QuickReply[] {
  const replies = close.map((c) => ({ label: shortLabel(c.doc.title), payload: c.doc.title }));
  return dedupe([...replies, { label: t('quick.talk_to_person'), payload: t('quick.talk_to_person') }]);
}
