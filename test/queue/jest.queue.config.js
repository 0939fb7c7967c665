/**
 * Queue mode on a real n8n 2.x (see test/queue/queue-mode.queue.test.ts): PostgreSQL and Redis
 * started by the project, a main process, two webhook processes and a worker.
 *
 *   npm run test:queue
 */
const { suiteConfig } = require('../support/jestSuites');

/** @type {import('jest').Config} */
module.exports = suiteConfig({
	folder: 'queue',
	displayName: 'queue mode n8n line 2',
	tsconfig: 'test/e2e/tsconfig.json',
	onN8n: true,
	testTimeout: 5 * 60_000,
	slowTestThreshold: 120,
	forceExit: false,
	detectOpenHandles: false,
});
