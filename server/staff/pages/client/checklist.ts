/** The citizen's checklist of a procedure or article: a structured form (rendered) and a plain-text form (copied). */
import { plainInline } from './markdown.js';
import { t } from './common.js';
import type { DocDetail } from '../../lookup.js';

export interface Step {
  text: string;
  sub: string[];
}

export interface Checklist {
  title: string;
  agency: string | null;
  documents: string[];
  steps: Step[];
  ways: string[];
  footer: string | null;
}

/** "- Bước 1: …" lines with "+ …" sub-points, as written in procedure records (or numbered Markdown lists). */
export function parseSteps(text: string, placeholders: Record<string, string> = {}): Step[] {
  const steps: Step[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const sub = /^\+\s*(.*)$/.exec(line) ?? (/^\s{2,}[-*•]\s+(.*)$/.exec(raw) as RegExpExecArray | null);
    if (sub && steps.length) {
      steps[steps.length - 1].sub.push(plainInline(sub[1], placeholders));
      continue;
    }
    const text = line
      .replace(/^(?:[-*•]|\d{1,3}[.)])\s*/, '')
      .replace(/^(?:Bước|Step)\s*\d+\s*[:.]\s*/i, '')
      .trim();
    if (text) steps.push({ text: plainInline(text, placeholders), sub: [] });
  }
  return steps;
}

/** List items of a Markdown section (bullets or numbers); plain lines when it has no list. */
function items(text: string, placeholders: Record<string, string>): string[] {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const listed = lines.filter((l) => /^(?:[-*+•]|\d{1,3}[.)])\s+/.test(l));
  return (listed.length ? listed : lines).map((l) => plainInline(l.replace(/^(?:[-*+•]|\d{1,3}[.)])\s+/, ''), placeholders));
}

const PREPARE = /chuẩn bị|giấy tờ|hồ sơ|prepare|documents|what you need/i;
const STEPS = /các bước|^bước|steps|how to/i;

export function buildChecklist(doc: DocDetail, placeholders: Record<string, string> = {}): Checklist {
  const r = doc.record;
  if (r) {
    return {
      title: r.title,
      agency: r.agency || null,
      documents: r.documents.map((d) => (d.copies ? `${d.name.replace(/[;.]\s*$/, '')} (${d.copies})` : d.name)),
      steps: parseSteps(r.steps),
      ways: r.ways.map((w) => [t('checklist.waysLine', { channel: w.channel || '?', deadline: w.deadline || t('common.none') }), w.fee ? t('checklist.feeLine', { fee: w.fee }) : ''].filter(Boolean).join('; ')),
      footer: r.recordDate ? (doc.url ? t('checklist.source', { date: r.recordDate, url: doc.url }) : t('checklist.sourceNoUrl', { date: r.recordDate })) : doc.url,
    };
  }
  const prepare = doc.sections.find((s) => PREPARE.test(s.heading));
  const steps = doc.sections.find((s) => STEPS.test(s.heading));
  return {
    title: doc.title,
    agency: null,
    documents: prepare ? items(prepare.text, placeholders) : [],
    steps: steps ? parseSteps(steps.text, placeholders) : [],
    ways: [],
    footer: doc.url,
  };
}

/** The checklist as plain text for a message or an e-mail. */
export function checklistText(c: Checklist): string {
  const out: string[] = [c.title.toUpperCase()];
  if (c.agency) out.push(t('checklist.agency', { agency: c.agency }));
  if (c.documents.length) {
    out.push('', `${t('checklist.documents')}:`);
    c.documents.forEach((d, i) => out.push(`[ ] ${i + 1}. ${d}`));
  }
  if (c.steps.length) {
    out.push('', `${t('checklist.steps')}:`);
    c.steps.forEach((s, i) => {
      out.push(`${i + 1}. ${s.text}`);
      for (const sub of s.sub) out.push(`   - ${sub}`);
    });
  }
  if (c.ways.length) {
    out.push('', `${t('checklist.ways')}:`);
    for (const w of c.ways) out.push(`- ${w}`);
  }
  if (c.footer) out.push('', c.footer);
  return out.join('\n') + '\n';
}
