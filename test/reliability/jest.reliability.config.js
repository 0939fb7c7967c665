/**
 * Reliability suite: load, retries, a restart mid-stream and payload limits on a real n8n
 * (see test/reliability/load-and-faults.reliability.test.ts and RELIABILITY.md).
 *
 *   npx jest -c test/reliability/jest.reliability.config.js      # n8n 2.40.7 on Node 24
 *
 * It reuses the end-to-end global setup (installs n8n into the cache, builds and packs the
 * package once) and teardown. Measured on n8n line 2, the default; N8N_LINE=1 runs it on 1.x.
 */
const path = require('node:path');

const line = process.env.N8N_LINE ?? '2';
if (line !== '1' && line !== '2') throw new Error(`N8N_LINE must be 1 or 2, not "${line}"`);

/** @type {import('jest').Config} */
module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	displayName: `reliability n8n line ${line}`,
	testEnvironment: 'node',
	roots: ['<rootDir>/test/reliability'],
	testMatch: ['<rootDir>/test/reliability/**/*.reliability.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/reliability/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	// One n8n, measured alone: one process, tests in order.
	maxWorkers: 1,
	testTimeout: 10 * 60_000,
	slowTestThreshold: 300,
	forceExit: false,
	detectOpenHandles: false,
};
