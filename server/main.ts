import cluster from 'node:cluster';
import pino from 'pino';
import { loadConfigOrExit, type Config } from './config.js';

/** One server process: assistant + HTTP app on the configured port. */
async function serve(config: Config): Promise<void> {
  // Loaded here, not at the top: the supervising process of WORKERS > 1 never needs them.
  const { createAssistant } = await import('./assistant.js');
  const { buildApp } = await import('./app.js');
  const log = pino({ level: config.logLevel });
  const assistant = await createAssistant(config, log);
  if (process.env.DVC_PREPARE_ONLY === '1') {
    // Run by the supervisor once before the servers start: database, catalogue and index ready.
    assistant.close();
    process.exit(0);
  }
  // Before listening, so /readyz says ready only once the first question is as fast as later ones.
  const warmMs = await assistant.warmUp();
  log.info({ ms: Math.round(warmMs) }, 'assistant warmed up');
  const app = await buildApp({ assistant, logger: { level: config.logLevel } });
  // With several processes the supervisor runs the schedule, so each period makes one backup.
  const backups = cluster.isPrimary ? await scheduleBackups(config, log) : null;
  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    backups?.stop();
    await app.close();
    assistant.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ host: config.host, port: config.port });
  log.info({ address, province: config.province, embedder: config.embedder.kind, pid: process.pid }, `DVC Assistant is listening on ${address}`);
}

/**
 * With WORKERS > 1, a primary process prepares the database and index once, then runs that many
 * server processes sharing the port; SQLite in WAL mode serves them all.
 */
async function supervise(config: Config): Promise<void> {
  const log = pino({ level: config.logLevel });
  // Prepare in a child process so this supervisor stays small (it only restarts servers).
  const prepare = cluster.fork({ DVC_PREPARE_ONLY: '1' });
  const code = await new Promise<number | null>((resolve) => prepare.on('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`preparing the database and index failed (exit ${code})`);
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < config.workers; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log.error({ pid: worker.process.pid, code, signal }, 'server process exited; starting another');
    setTimeout(fork, 1000);
  });
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    setTimeout(() => process.exit(0), 5000).unref();
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await scheduleBackups(config, log);
  log.info({ workers: config.workers }, 'started server processes');
}

async function scheduleBackups(config: Config, log: pino.Logger) {
  if (!config.ops.backup) return null;
  const { startBackupSchedule } = await import('./ops/backup-schedule.js');
  log.info({ dir: config.ops.backup.dir, everyHours: config.ops.backup.everyHours, keep: config.ops.backup.keep }, 'scheduled backups on');
  return startBackupSchedule({ databasePath: config.databasePath, log, ...config.ops.backup });
}

// Every setting (server, data paths, channels, operations) is read and validated here, before a
// worker is forked or the index is built: a bad one exits with code 2 at once instead of restarting workers.
const config = loadConfigOrExit();
const run = config.workers > 1 && cluster.isPrimary ? supervise(config) : serve(config);
run.catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
