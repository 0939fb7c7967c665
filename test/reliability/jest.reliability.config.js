/**
 * Reliability suite: load, retries, a restart mid-stream and payload limits on a real n8n
 * (see test/reliability/load-and-faults.reliability.test.ts and RELIABILITY.md).
 *
 *   npx jest -c test/reliability/jest.reliability.config.js      # n8n 2.40.7 on Node 24
 *
 * Measured on n8n line 2, the default; N8N_LINE=1 runs it on 1.x.
 */
const { n8nLine, suiteConfig } = require('../support/jestSuites');

const line = n8nLine();

/** @type {import('jest').Config} */
module.exports = suiteConfig({
	folder: 'reliability',
	displayName: `reliability n8n line ${line}`,
	tsconfig: 'test/reliability/tsconfig.json',
	onN8n: true,
	testTimeout: 10 * 60_000,
	slowTestThreshold: 300,
	forceExit: false,
	detectOpenHandles: false,
});
