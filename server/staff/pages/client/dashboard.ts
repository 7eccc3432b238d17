import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
} from 'chart.js';
import { $, api, clear, el, errorMessage, filtersInAddress, fmtDay, fmtNumber, fmtPercent, formQuery, hasRole, setStatus, t } from './common.js';
import type { GapCluster } from '../../../review/content-gaps.js';
import type { DashboardMetrics as Metrics } from '../../../review/metrics.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend, Filler);

/** Colour-blind-friendly palette (Okabe–Ito, darkened for contrast on white). */
const COLORS = ['#0a5fb4', '#d55e00', '#8a4f9e', '#0f7b5f', '#b8860b', '#c2185b', '#4d6b7f'];
const OUTCOME_COLORS = { answer: '#0f7b5f', fallback: '#b8860b', safety: '#c62828', other: '#6b7280' };

Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';
Chart.defaults.font.size = 13;
Chart.defaults.color = '#1f2933';
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.plugins.legend.labels.boxWidth = 14;
Chart.defaults.datasets.bar.maxBarThickness = 36;

const form = $('#dash-filters') as HTMLFormElement;
const status = $('#dash-status');
const charts = new Map<string, Chart>();

/** Every day from the first to the last, so quiet days show as zero (only for spans up to ~3 months; longer ones keep the days with data). */
function dayRange(days: string[]): string[] {
  const sorted = [...new Set(days)].sort();
  if (sorted.length < 2) return sorted;
  const start = Date.parse(`${sorted[0]}T00:00:00Z`);
  const end = Date.parse(`${sorted[sorted.length - 1]}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end) || (end - start) / 86_400_000 > 92) return sorted;
  const out: string[] = [];
  for (let d = start; d <= end; d += 86_400_000) out.push(new Date(d).toISOString().slice(0, 10));
  return out;
}

function draw(id: string, config: ChartConfiguration, points: number, table: { head: string[]; rows: Array<Array<string | number>> }): void {
  const canvas = document.getElementById(id) as HTMLCanvasElement | null;
  if (!canvas) return;
  const card = canvas.closest('.chart-card') as HTMLElement;
  charts.get(id)?.destroy();
  charts.delete(id);
  canvas.dataset.points = String(points);
  (card.querySelector('.chart-empty') as HTMLElement).hidden = points > 0;
  (card.querySelector('.chart-box') as HTMLElement).hidden = points === 0;
  const wrap = card.querySelector('.chart-table .table-wrap') as HTMLElement;
  clear(wrap);
  wrap.appendChild(
    el(
      'table',
      { class: 'data-table compact' },
      el('thead', {}, el('tr', {}, table.head.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, table.rows.map((r) => el('tr', {}, r.map((c, i) => (i === 0 ? el('th', { scope: 'row' }, String(c)) : el('td', { class: 'num' }, String(c))))))),
    ),
  );
  if (points > 0) charts.set(id, new Chart(canvas, config));
}

const pct = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);
const percentAxis = { min: 0, max: 100, ticks: { callback: (v: string | number) => `${v}%` } };

function render(m: Metrics, gaps: GapCluster[] | null): void {
  // --- tiles ---
  const tiles = $('#tiles');
  clear(tiles);
  const fb = m.totals.feedbackUp + m.totals.feedbackDown;
  const tile = (label: string, value: string, sub?: string) =>
    el('li', { class: 'tile' }, el('span', { class: 'tile-value' }, value), el('span', { class: 'tile-label' }, label), sub ? el('span', { class: 'tile-sub' }, sub) : null);
  tiles.append(
    tile(t('dashboard.answers'), fmtNumber(m.totals.answers)),
    tile(t('dashboard.fallbacks'), fmtNumber(m.totals.fallbacks), m.totals.answers ? fmtPercent(m.totals.fallbacks / m.totals.answers) : undefined),
    tile(t('dashboard.safety'), fmtNumber(m.totals.safety), m.totals.answers ? fmtPercent(m.totals.safety / m.totals.answers) : undefined),
    tile(t('dashboard.satisfaction'), fb ? fmtPercent(m.totals.feedbackUp / fb) : t('common.none'), t('dashboard.feedbackCount', { up: m.totals.feedbackUp, down: m.totals.feedbackDown })),
  );

  // --- questions per day by channel (stacked bars) ---
  const days = dayRange(m.perDay.map((r) => r.day));
  const channels = [...new Set(m.perDay.map((r) => r.channel))].sort();
  const count = (day: string, ch: string) => m.perDay.filter((r) => r.day === day && r.channel === ch).reduce((n, r) => n + r.answers, 0);
  const channelLabel = (ch: string) => {
    const label = t(`review.channels.${ch}`);
    return label.startsWith('review.') ? ch : label;
  };
  draw(
    'chart-per-day',
    {
      type: 'bar',
      data: {
        labels: days.map((d) => fmtDay(d, true)),
        datasets: channels.map((ch, i) => ({ label: channelLabel(ch), data: days.map((d) => count(d, ch)), backgroundColor: COLORS[i % COLORS.length] })),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    },
    m.perDay.length,
    { head: [t('dashboard.day'), ...channels.map(channelLabel)], rows: [...new Set(m.perDay.map((r) => r.day))].sort().map((d) => [fmtDay(d), ...channels.map((ch) => count(d, ch))]) },
  );

  // --- outcomes per day ---
  const oDays = dayRange(m.outcomesPerDay.map((r) => r.day));
  const outcome = (day: string) => m.outcomesPerDay.find((r) => r.day === day) ?? { day, answer: 0, fallback: 0, safety: 0, other: 0 };
  const kinds = [
    ['answer', t('dashboard.answered')],
    ['fallback', t('dashboard.fallback')],
    ['safety', t('dashboard.safetyKind')],
    ['other', t('dashboard.other')],
  ] as const;
  draw(
    'chart-outcomes',
    {
      type: 'bar',
      data: {
        labels: oDays.map((d) => fmtDay(d, true)),
        datasets: kinds.map(([k, label]) => ({ label, data: oDays.map((d) => outcome(d)[k]), backgroundColor: OUTCOME_COLORS[k] })),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    },
    m.outcomesPerDay.length,
    { head: [t('dashboard.day'), ...kinds.map(([, l]) => l)], rows: m.outcomesPerDay.map((r) => [fmtDay(r.day), ...kinds.map(([k]) => r[k])]) },
  );

  // --- satisfaction and reviewer accuracy (shares over time) ---
  const shareLine = (id: string, rows: Array<{ day: string; share: number | null }>, label: string, color: string, extra: (r: (typeof rows)[number]) => string) => {
    const ds = dayRange(rows.map((r) => r.day));
    const by = new Map(rows.map((r) => [r.day, r]));
    const dataset: ChartDataset<'line'> = {
      label,
      data: ds.map((d) => pct(by.get(d)?.share ?? null)),
      borderColor: color,
      backgroundColor: `${color}33`,
      fill: true,
      spanGaps: true,
      pointRadius: 4,
      tension: 0,
    };
    draw(
      id,
      { type: 'line', data: { labels: ds.map((d) => fmtDay(d, true)), datasets: [dataset] }, options: { scales: { y: percentAxis }, plugins: { legend: { display: false } } } },
      rows.filter((r) => r.share !== null).length,
      { head: [t('dashboard.day'), t('dashboard.share'), t('dashboard.value')], rows: rows.map((r) => [fmtDay(r.day), fmtPercent(r.share), extra(r)]) },
    );
  };
  shareLine('chart-satisfaction', m.satisfactionPerDay, t('dashboard.satisfaction'), '#0f7b5f', (r) => {
    const s = r as Metrics['satisfactionPerDay'][number];
    return t('dashboard.feedbackCount', { up: s.up, down: s.down });
  });
  shareLine('chart-accuracy', m.reviewerAccuracyPerDay, t('verdicts.correct'), '#0a5fb4', (r) => {
    const s = r as Metrics['reviewerAccuracyPerDay'][number];
    return `${s.correct}/${s.reviewed}`;
  });

  // --- top topics (horizontal bars) ---
  draw(
    'chart-topics',
    {
      type: 'bar',
      data: { labels: m.topTopics.map((x) => x.topic), datasets: [{ label: t('dashboard.questions'), data: m.topTopics.map((x) => x.answers), backgroundColor: '#0a5fb4' }] },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
    },
    m.topTopics.length,
    { head: [t('dashboard.topic'), t('dashboard.questions')], rows: m.topTopics.map((x) => [x.topic, x.answers]) },
  );

  // --- answers by outcome code (why each turn ended as it did) ---
  draw(
    'chart-outcome-codes',
    {
      type: 'bar',
      data: { labels: m.outcomeCounts.map((x) => t(`review.outcomes.${x.outcome}`)), datasets: [{ label: t('dashboard.questions'), data: m.outcomeCounts.map((x) => x.answers), backgroundColor: '#0a5fb4' }] },
      options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
    },
    m.outcomeCounts.length,
    { head: [t('review.outcome'), t('dashboard.questions')], rows: m.outcomeCounts.map((x) => [t(`review.outcomes.${x.outcome}`), x.answers]) },
  );

  // --- top content gaps (editors) ---
  if (gaps) {
    const top = gaps.slice(0, 8);
    const short = (q: string) => (q.length > 42 ? `${q.slice(0, 40)}…` : q);
    draw(
      'chart-gaps',
      {
        type: 'bar',
        data: { labels: top.map((g) => short(g.questions[0] ?? g.id)), datasets: [{ label: t('dashboard.questions'), data: top.map((g) => g.count), backgroundColor: '#d55e00' }] },
        options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }, plugins: { legend: { display: false } } },
      },
      top.length,
      { head: [t('dashboard.gap'), t('dashboard.questions')], rows: top.map((g) => [g.questions[0] ?? g.id, g.count]) },
    );
  }

  // --- p95 latency ---
  const lDays = dayRange(m.latencyP95PerDay.map((r) => r.day));
  const lat = new Map(m.latencyP95PerDay.map((r) => [r.day, r]));
  draw(
    'chart-latency',
    {
      type: 'line',
      data: {
        labels: lDays.map((d) => fmtDay(d, true)),
        datasets: [{ label: 'p95', data: lDays.map((d) => lat.get(d)?.p95 ?? null), borderColor: '#8a4f9e', backgroundColor: '#8a4f9e33', fill: true, spanGaps: true, pointRadius: 4, tension: 0 }],
      },
      options: { scales: { y: { beginAtZero: true, ticks: { callback: (v: string | number) => `${v} ms` } } }, plugins: { legend: { display: false } } },
    },
    m.latencyP95PerDay.length,
    { head: [t('dashboard.day'), t('dashboard.p95'), t('dashboard.questions')], rows: m.latencyP95PerDay.map((r) => [fmtDay(r.day), fmtNumber(r.p95, 1), r.n]) },
  );
}

async function load(): Promise<void> {
  const filters = formQuery(form);
  const q = filters.toString() ? `?${filters}` : '';
  for (const [id, format] of [
    ['export-csv', 'csv'],
    ['export-jsonl', 'jsonl'],
  ] as const) {
    const a = document.getElementById(id) as HTMLAnchorElement | null;
    if (a) a.href = `/staff/api/export?format=${format}${filters.toString() ? `&${filters}` : ''}`;
  }
  setStatus(status, t('common.loading'));
  try {
    const [metrics, gaps] = await Promise.all([
      api<Metrics>(`/staff/api/metrics${q}`),
      hasRole('editor') && document.getElementById('chart-gaps') ? api<{ clusters: GapCluster[] }>(`/staff/api/gaps${q}`).then((g) => g.clusters) : Promise.resolve(null),
    ]);
    render(metrics, gaps);
    setStatus(status, '');
    document.body.dataset.chartsReady = 'true';
  } catch (err) {
    setStatus(status, errorMessage(err), 'error');
  }
}

filtersInAddress(form, '/staff/dashboard');

// --- purge (admins), behind a confirmation dialog ---
const purgeOpen = document.getElementById('purge-open') as HTMLButtonElement | null;
const dialog = document.getElementById('purge-dialog') as HTMLDialogElement | null;
const purgeStatus = document.getElementById('purge-status');
if (purgeOpen && dialog && purgeStatus) {
  purgeOpen.addEventListener('click', () => {
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'confirm') {
      purgeOpen.focus();
      return;
    }
    purgeOpen.disabled = true;
    setStatus(purgeStatus, t('dashboard.purging'));
    try {
      const r = await api<{ answers: number }>('/staff/api/purge', { method: 'POST', body: {} });
      setStatus(purgeStatus, t('dashboard.purgeDone', { answers: r.answers }), 'ok');
      await load();
    } catch (err) {
      setStatus(purgeStatus, errorMessage(err), 'error');
    } finally {
      purgeOpen.disabled = false;
      purgeOpen.focus();
    }
  });
}

void load();
