import pino from 'pino';
import { loadConfigOrExit } from '../server/config.js';
import { createAssistant } from '../server/assistant.js';
import type { Answer } from '../server/domain/answer.js';
import { runMain } from './run-main.js';

const USAGE = 'Usage: npm run ask -- "câu hỏi" [--json] [--lang vi|en] [--province CODE]';

function pretty(a: Answer): string {
  const lines = [`[${a.kind}] confidence ${a.confidence}`, '', a.text];
  if (a.notices.length) lines.push('', ...a.notices.map((n) => `! ${n}`));
  if (a.citations.length) lines.push('', 'Nguồn:', ...a.citations.map((c) => `  - ${c.title}${c.url ? ` <${c.url}>` : ''}${c.updated ? ` (${c.updated})` : ''}`));
  if (a.quickReplies.length) lines.push('', `Gợi ý: ${a.quickReplies.map((q) => q.label).join(' | ')}`);
  return lines.join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const values = new Set([opt('--lang'), opt('--province')].filter(Boolean));
  const question = args.filter((a) => !a.startsWith('--') && !values.has(a)).join(' ').trim();
  if (!question) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfigOrExit();
  const assistant = await createAssistant(config, pino({ level: 'warn' }, pino.destination(2)));
  try {
    const { answer } = await assistant.pipeline.handle({ text: question, channel: 'cli', lang: opt('--lang'), province: opt('--province') });
    console.log(json ? JSON.stringify(answer, null, 2) : pretty(answer));
    return 0;
  } finally {
    assistant.close();
  }
}

runMain(main);
