import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.js';
import type { KnowledgeDoc } from './types.js';
import { ArticleError, parseArticle } from './article-parser.js';
import { loadProcedures, loadTopicRules, procedureToDoc } from './procedures.js';
import { loadRecordWording, NO_WORDING } from './record-values.js';
import { loadScopeRules, ScopeRulesError } from './procedure-scope.js';
import { groupProcedures } from './procedure-groups.js';
import { createEncodingRepairer, repairFileText } from '../text/encoding-repair.js';
import { createHash } from 'node:crypto';

function sha256Bytes(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A translation stays current only while the Vietnamese file it was made from is unchanged;
 * once the source is edited it becomes stale and is no longer served as current.
 */
export function translationStatus(doc: KnowledgeDoc, currentSourceHash: string | undefined): KnowledgeDoc['status'] {
  const declared = doc.status === 'source' ? 'approved' : doc.status;
  if (!currentSourceHash) return declared;
  if (!doc.translationOfHash || doc.translationOfHash !== currentSourceHash) return 'stale';
  return declared;
}

export interface SourceProblem {
  file: string;
  message: string;
}

export interface LoadedKnowledge {
  docs: KnowledgeDoc[];
  problems: SourceProblem[];
}

/** Reads every article file (repairing legacy encodings) and every imported procedure record. */
export function loadKnowledge(opts: { knowledgeDir: string; db: Db; officialUrl: string | null }): LoadedKnowledge {
  const docs: KnowledgeDoc[] = [];
  const problems: SourceProblem[] = [];
  const articlesDir = path.join(opts.knowledgeDir, 'articles');
  const langs = fs.existsSync(articlesDir) ? fs.readdirSync(articlesDir).filter((d) => fs.statSync(path.join(articlesDir, d)).isDirectory()) : [];
  const seen = new Set<string>();
  const repairer = createEncodingRepairer();
  // Vietnamese is the source language: translations record the hash of the file they were made from.
  const sourceHashes = new Map<string, string>();
  const viDir = path.join(articlesDir, 'vi');
  if (fs.existsSync(viDir)) {
    for (const name of fs.readdirSync(viDir).filter((f) => f.endsWith('.md'))) {
      sourceHashes.set(name.slice(0, -3), sha256Bytes(fs.readFileSync(path.join(viDir, name))));
    }
  }
  for (const lang of langs.sort()) {
    const dir = path.join(articlesDir, lang);
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort()) {
      const file = path.join(dir, name);
      const rel = path.relative(opts.knowledgeDir, file);
      try {
        const bytes = fs.readFileSync(file);
        const text = repairFileText(bytes.toString('utf8'), repairer);
        const doc = { ...parseArticle(text, rel) };
        if (doc.lang !== lang) throw new ArticleError(rel, `"lang" is ${doc.lang} but the file is in articles/${lang}/`);
        if (doc.lang !== 'vi') doc.status = translationStatus(doc, sourceHashes.get(doc.id));
        const key = `${doc.id}|${doc.lang}`;
        if (seen.has(key)) throw new ArticleError(rel, `duplicate article id ${doc.id} for ${doc.lang}`);
        seen.add(key);
        docs.push(doc);
      } catch (err) {
        problems.push({ file: rel, message: err instanceof ArticleError ? err.message.replace(`${rel}: `, '') : (err as Error).message });
      }
    }
  }
  const rulesFile = path.join(opts.knowledgeDir, 'dictionaries', 'procedure-topics.yaml');
  const rules = fs.existsSync(rulesFile) ? loadTopicRules(rulesFile) : [];
  const scopeFile = path.join(opts.knowledgeDir, 'dictionaries', 'procedure-scope.yaml');
  let scopeRules = null;
  try {
    scopeRules = fs.existsSync(scopeFile) ? loadScopeRules(scopeFile) : null;
  } catch (err) {
    if (!(err instanceof ScopeRulesError)) throw err;
    problems.push({ file: path.relative(opts.knowledgeDir, scopeFile), message: err.message });
  }
  const wordingFile = path.join(opts.knowledgeDir, 'dictionaries', 'record-wording.yaml');
  const wording = fs.existsSync(wordingFile) ? loadRecordWording(wordingFile) : NO_WORDING;
  const records = loadProcedures(opts.db);
  // Without the scope rule every record is national and stands alone (as before the rule existed).
  if (scopeRules) docs.push(...groupProcedures(records, { scopeRules, topicRules: rules, officialUrl: opts.officialUrl, wording }));
  else for (const record of records) docs.push(procedureToDoc(record, rules, opts.officialUrl, wording));
  return { docs, problems };
}
