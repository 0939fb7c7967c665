/**
 * End-to-end tests against a real n8n (see scripts/n8n/n8n.ts).
 *
 *   npx jest -c test/e2e/jest.e2e.config.js                 # n8n 2.x on Node 24 (N8N_LINE=2)
 *   N8N_LINE=1 npx jest -c test/e2e/jest.e2e.config.js      # n8n 1.123.x on Node 20
 *
 * The first run installs n8n into the cache (scripts/n8n-install.sh), which takes minutes.
 */
const path = require('node:path');

const line = process.env.N8N_LINE ?? '2';
if (line !== '1' && line !== '2') throw new Error(`N8N_LINE must be 1 or 2, not "${line}"`);

/** @type {import('jest').Config} */
module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	displayName: `e2e n8n line ${line}`,
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/e2e/tsconfig.json' }],
	},
	// Installs n8n (cached) and builds and packs the package once for all suites.
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	// One n8n at a time: tests run in band, in one process.
	maxWorkers: 1,
	// n8n starts in seconds, but a first run also installs it; hooks pass their own, longer timeouts.
	testTimeout: 120_000,
	slowTestThreshold: 60,
	// A stray n8n never outlives the run: the harness kills its process groups on exit.
	forceExit: false,
	detectOpenHandles: false,
};
