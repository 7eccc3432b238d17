import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../server/db/database.js';
import { backupDatabase, restoreDatabase } from '../server/ops/backup.js';

/**
 * Backup and restore timings for a database with N answer records (default 100,000), with rows
 * shaped like real ones (reply text, candidates and stage timings as stored). Prints the figures;
 * `--rows N` to change the size. Everything happens in a temporary folder that is removed after.
 */
const i = process.argv.indexOf('--rows');
const rows = i >= 0 ? Number(process.argv[i + 1]) : 100_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dvc-bench-backup-'));
const mb = (b: number) => (b / 1048576).toFixed(1);

try {
  const dbPath = path.join(dir, 'data', 'dvc.sqlite');
  const db = openDatabase(dbPath);
  const started = performance.now();
  const reply = 'Để đăng ký khai sinh trực tuyến, bạn làm theo các bước sau:\n\n1. Đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản định danh điện tử (VNeID) mức 2.\n2. Chọn thủ tục "Đăng ký khai sinh" và điền tờ khai.\n3. Tải lên bản chụp giấy chứng sinh.\n4. Nộp hồ sơ và theo dõi kết quả.\n\n**Không cung cấp mã OTP cho bất kỳ ai.**\n'.repeat(2);
  const candidates = JSON.stringify(Array.from({ length: 8 }, (_, k) => ({ id: `article.service-${k}`, score: 0.9 - k * 0.05, lexical: 12.5 - k, vector: 0.71 - k * 0.02 })));
  const stages = JSON.stringify(['normalise', 'safety', 'handoff', 'understand', 'retrieve', 'compose'].map((stage) => ({ stage, status: 'ok', ms: 1.23, details: {} })));
  const conv = db.prepare(`INSERT INTO conversations (id, channel, user_ref, province, lang, created_at, updated_at) VALUES (?, 'web', NULL, 'kon-tum', 'vi', ?, ?)`);
  const ans = db.prepare(`INSERT INTO answers (id, conversation_id, created_at, channel, province, lang, question_redacted, question_normalised, kind, reply_text, topics, citations, confidence, candidates, stages, index_version, embedder_id, latency_ms)
    VALUES (?, ?, ?, 'web', 'kon-tum', 'vi', ?, ?, 'answer', ?, '["service.birth-registration"]', '[{"id":"article.birth","kind":"article","title":"Đăng ký khai sinh","url":"https://dichvucong.gov.vn","updated":"2025-01-01"}]', 0.82, ?, ?, 'v1', 'hashed-1024', 25)`);
  const fill = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const t = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
      if (n % 3 === 0) conv.run(`c${n}`, t, t);
      const q = `dang ky khai sinh cho con lan ${n} can giay to gi`;
      ans.run(`a${n}`, `c${n - (n % 3)}`, t, q, q, reply, candidates, stages);
    }
  });
  for (let n = 0; n < rows; n += 10_000) fill(n, Math.min(rows, n + 10_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const fillMs = performance.now() - started;
  const dbBytes = fs.statSync(dbPath).size;

  const backupFile = path.join(dir, 'backup.sqlite');
  const backup = await backupDatabase(dbPath, backupFile);
  // The same, while another connection keeps writing answers (as a serving process would).
  const writer = openDatabase(dbPath);
  let writes = 0;
  const timer = setInterval(() => {
    const t = new Date().toISOString();
    writer.prepare(`INSERT INTO answers (id, conversation_id, created_at, channel, province, lang, question_redacted, question_normalised, kind, reply_text, topics, citations, confidence, candidates, stages, latency_ms)
      VALUES (?, 'c0', ?, 'web', 'kon-tum', 'vi', 'q', 'q', 'answer', ?, '[]', '[]', 0.8, '[]', '[]', 20)`).run(`w${writes++}`, t, reply);
  }, 2);
  const underLoad = await backupDatabase(dbPath, path.join(dir, 'backup-under-load.sqlite'));
  clearInterval(timer);
  writer.close();
  const restore = await restoreDatabase(backupFile, path.join(dir, 'restored', 'dvc.sqlite'), path.join(dir, 'restored', 'index'));
  const openStart = performance.now();
  openDatabase(path.join(dir, 'restored', 'dvc.sqlite')).close();
  const openMs = performance.now() - openStart;

  console.log(`answer records: ${rows.toLocaleString('en')} (database ${mb(dbBytes)} MB, filled in ${(fillMs / 1000).toFixed(1)} s)`);
  console.log(`backup (idle):          ${Math.round(backup.ms)} ms, ${mb(backup.bytes)} MB (online backup + integrity check)`);
  console.log(`backup (under writes):  ${Math.round(underLoad.ms)} ms, ${writes} answers written meanwhile`);
  console.log(`restore:                ${Math.round(restore.ms)} ms (integrity check + copy)`);
  console.log(`first open after restore (migrations check): ${Math.round(openMs)} ms`);
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
