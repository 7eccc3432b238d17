import { loadDeclineTable } from './pipeline/decline.js';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { closeDatabase, openDatabase, type Db } from './db/database.js';
import { startCheckpointer } from './db/checkpointer.js';
import { createEmbedder } from './embeddings/create-embedder.js';
import { createI18n } from './i18n/i18n.js';
import { createIndexHolder, type IndexHolder } from './knowledge/index-holder.js';
import { ingest } from './knowledge/ingest.js';
import { listProvinceCodes, loadProvinceProfile, type ProvinceProfile } from './knowledge/province-profiles.js';
import { readCurrentManifest } from './knowledge/snapshot-paths.js';
import { verifySnapshot } from './knowledge/snapshot-verify.js';
import { SNAPSHOT_FORMAT } from './knowledge/snapshot-schema.js';
import { createPipeline, type Pipeline } from './pipeline/pipeline.js';
import { loadLexicon } from './retrieval/lexicon.js';
import { loadConfidenceModel } from './retrieval/confidence.js';
import { createLanguageDetector, DEFAULT_DETECTOR_SETTINGS, loadBahnarCorpus, loadEnglishExamples, loadKeywordTable, trainProfile } from './i18n/language-detect.js';
import { createBlocklist } from './safety/blocklist.js';
import { createSafetyChecker, loadOfficialDomains, type SafetyVerdict } from './safety/safety-check.js';
import { ensureBlocklistLoaded } from './safety/blocklist-seed.js';
import { createAnswerLog } from './storage/answer-log.js';
import { createGroupCommit } from './storage/group-commit.js';
import { createThreadChunkSearch, inlineChunkSearch } from './retrieval/chunk-search.js';
import { createEncodingRepairer } from './text/encoding-repair.js';
import { createConversationStore } from './storage/conversations.js';
import { createTicketStore, type TicketStore } from './handoff/tickets.js';
import { createDeskEvents, type DeskEvents } from './handoff/desk-events.js';
import { createAuditLog } from './staff/audit.js';
import { loadScopeRules, procedureScope, type ProcedureScope } from './knowledge/procedure-scope.js';
import { createServiceControls, type ServiceControls } from './storage/service-controls.js';

/** Questions of the usual shapes (diacritics, none, English, a follow-up word) for the start-up warm-up. */
const WARM_UP_QUESTIONS = ['đăng ký thường trú cần giấy tờ gì', 'dang ky khai sinh cho con mat bao lau', 'how do I submit an application online', 'lệ phí'];

export interface Assistant {
  config: Config;
  db: Db;
  pipeline: Pipeline;
  indexHolder: IndexHolder;
  profiles: Map<string, ProvinceProfile>;
  /** Channel switches and the service notice (state in the database). */
  controls: ServiceControls;
  /** Conversations handed to staff. */
  tickets: TicketStore;
  /** Ticket changes, for the staff desk's live stream. */
  deskEvents: DeskEvents;
  /** The clock of office hours and tickets (the system clock unless a test injected one). */
  now: () => Date;
  /**
   * Answers a few questions without storing anything, so the first citizen's question costs what
   * later ones cost: every province's safety checker is built, the search thread opens the
   * snapshot and the code is compiled. The server runs it before it listens (and so before
   * /readyz answers); command-line tools and tests need not. Returns the time it took (ms).
   */
  warmUp(): Promise<number>;
  close(): void;
}

/**
 * Wires the assistant from configuration: database, knowledge index (built on first run),
 * province profiles, safety, pipeline. Everything is passed down; nothing is global.
 */
export interface AssistantOptions {
  /** The clock for office hours and ticket times; the system clock when not given (tests inject one). */
  now?: () => Date;
}

export async function createAssistant(config: Config, log: Logger, options: AssistantOptions = {}): Promise<Assistant> {
  const db = openDatabase(config.databasePath);
  try {
    const controls = createServiceControls(db, { now: options.now ? () => options.now!().getTime() : undefined });
    const profiles = new Map(listProvinceCodes(config.knowledgeDir).map((code) => [code, loadProvinceProfile(config.knowledgeDir, code)]));
    const embedder = await createEmbedder(config.embedder);
    const manifest = readCurrentManifest(config.indexDir);
    // Build when there is no index, or when it was made by another embedder or an older version of
    // this software (an upgrade must never leave the server unable to start).
    // A damaged snapshot (truncated, overwritten, missing files) is rebuilt, not loaded.
    const damaged = manifest ? verifySnapshot(config.indexDir, manifest) : null;
    if (damaged && manifest?.files) log.error({ indexDir: config.indexDir, version: manifest.version, problem: damaged }, 'knowledge index damaged: rebuilding');
    if (!manifest || manifest.embedderId !== embedder.id || manifest.format !== SNAPSHOT_FORMAT || damaged) {
      log.info(
        { indexDir: config.indexDir, embedder: embedder.id },
        !manifest ? 'no knowledge index yet: building it' : damaged ? (manifest.files ? 'rebuilding the damaged knowledge index' : 'index without checksums (older version): rebuilding') : manifest.embedderId !== embedder.id ? 'index built by another embedder: rebuilding' : 'index from an older format: rebuilding',
      );
      const report = await ingest({
        knowledgeDir: config.knowledgeDir,
        indexDir: config.indexDir,
        db,
        embedder,
        officialUrl: profiles.get('national')?.values.national_portal_url ?? null,
        seedProceduresFile: config.seedProceduresFile,
        allowErrors: true,
      });
      for (const p of report.problems) log.warn({ file: p.file, problem: p.message }, 'knowledge file skipped');
      log.info({ version: report.build.manifest.version, docs: report.build.manifest.docs, ms: report.build.manifest.buildMs }, 'knowledge index built');
    }
    const blocklist = createBlocklist(db);
    ensureBlocklistLoaded(blocklist, log);
    const officialDomains = loadOfficialDomains();
    const checkers = new Map<string, { check(text: string): SafetyVerdict }>();
    const safetyFor = (province: string) => {
      const existing = checkers.get(province);
      if (existing) return existing;
      const created = createSafetyChecker({ blocklist, officialDomains, extraOfficialDomains: profiles.get(province)?.officialDomains ?? [] });
      checkers.set(province, created);
      return created;
    };
    const indexHolder = createIndexHolder(config.indexDir, embedder, log);
    // The Bahnar detector's character n-gram profile is built from the shipped corpus at start-up.
    const bahnar = loadBahnarCorpus(config.knowledgeDir);
    const languageKeywords = loadKeywordTable(config.knowledgeDir);
    const scopeFile = path.join(config.knowledgeDir, 'dictionaries', 'procedure-scope.yaml');
    const scopeRules = fs.existsSync(scopeFile) ? loadScopeRules(scopeFile) : null;
    const scopes = new Map<string, ProcedureScope>();
    const scopeFor = (province: string): ProcedureScope => {
      let s = scopes.get(province);
      if (!s) scopes.set(province, (s = scopeRules ? procedureScope(province, scopeRules) : { provinces: [province], levelOrder: [] }));
      return s;
    };
    const search = config.searchThread ? createThreadChunkSearch({ log }) : inlineChunkSearch;
    const lexicon = loadLexicon(config.knowledgeDir);
    const confidenceModel = loadConfidenceModel();
    const deskEvents = createDeskEvents();
    const tickets = createTicketStore(db, createAuditLog(db), { events: deskEvents });
    const pipeline = createPipeline({
      index: indexHolder.get,
      profiles,
      defaultProvince: config.province,
      lexicon,
      i18n: createI18n(),
      safety: safetyFor,
      conversations: createConversationStore(db),
      answerLog: createAnswerLog(db, { sampleRate: config.reviewSampleRate }),
      maxMessageChars: config.maxMessageChars,
      answerThreshold: config.answerThreshold,
      clarifyThreshold: config.clarifyThreshold,
      declineTable: loadDeclineTable(config.knowledgeDir),
      confidenceModel,
      supportedLanguages: [...new Set(['vi', 'en', ...[...profiles.values()].flatMap((p) => p.languages)])],
      detector: createLanguageDetector(
        bahnar ? trainProfile(bahnar.train.bdq, bahnar.train.vi, loadEnglishExamples(config.knowledgeDir)) : null,
        DEFAULT_DETECTOR_SETTINGS,
        languageKeywords,
      ),
      languageKeywords,
      repairer: createEncodingRepairer(),
      commit: createGroupCommit(db).run,
      procedureScope: scopeFor,
      search,
      channelOpen: controls.isOpen,
      tickets,
      ...(options.now ? { now: options.now } : {}),
    });
    const checkpointer = config.checkpointIntervalMs > 0 ? startCheckpointer(db, { intervalMs: config.checkpointIntervalMs, log }) : null;
    return {
      config,
      db,
      pipeline,
      indexHolder,
      profiles,
      controls,
      tickets,
      deskEvents,
      now: options.now ?? (() => new Date()),
      async warmUp() {
        // Every question shape once in the configured province; one question in each other
        // province builds its safety checker. Under a second on a quiet machine.
        const started = performance.now();
        for (const text of WARM_UP_QUESTIONS) await pipeline.warm({ text, channel: 'api', province: config.province, isTest: true });
        for (const province of profiles.keys()) if (province !== config.province) await pipeline.warm({ text: WARM_UP_QUESTIONS[0], channel: 'api', province, isTest: true });
        return performance.now() - started;
      },
      close() {
        void search.close();
        void checkpointer?.stop();
        indexHolder.close();
        closeDatabase(db);
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

