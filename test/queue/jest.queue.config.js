/**
 * Queue mode on a real n8n 2.x (see test/queue/queue-mode.queue.test.ts): PostgreSQL and Redis
 * started by the project, a main process, two webhook processes and a worker.
 *
 *   npm run test:queue
 *
 * It reuses the end-to-end global setup (installs n8n into the cache, builds and packs the package).
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	displayName: 'queue mode n8n line 2',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['<rootDir>/test/queue/**/*.queue.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/e2e/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	maxWorkers: 1,
	testTimeout: 5 * 60_000,
	slowTestThreshold: 120,
	forceExit: false,
	detectOpenHandles: false,
};
