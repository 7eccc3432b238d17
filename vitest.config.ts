import { defineConfig } from 'vitest/config';
import { unitTestFiles } from './scripts/test-tiers.js';

const DIRS = ['server', 'channels', 'scripts', 'eval'];
// `npm run test:unit` (TEST_TIER=unit): only the files that need no server, browser or index.
const unit = process.env.TEST_TIER === 'unit';

export default defineConfig({
  test: {
    include: unit ? unitTestFiles(process.cwd(), DIRS) : DIRS.map((d) => `${d}/**/*.test.ts`),
    // The knowledge index and sample data are built once per run and copied where a test needs them.
    globalSetup: unit ? [] : ['server/test-support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The unit tier has no servers or kill tests whose timing two workers could upset: use both cores.
    ...(unit ? { maxWorkers: 2, minWorkers: 2 } : {}),
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
