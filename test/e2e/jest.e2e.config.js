/**
 * End-to-end tests against a real n8n (see scripts/n8n/n8n.ts).
 *
 *   npx jest -c test/e2e/jest.e2e.config.js                 # n8n 2.x on Node 24 (N8N_LINE=2)
 *   N8N_LINE=1 npx jest -c test/e2e/jest.e2e.config.js      # n8n 1.123.x on Node 20
 *
 * The first run installs n8n into the cache (scripts/n8n-install.sh), which takes minutes.
 */
const { n8nLine, suiteConfig } = require('../support/jestSuites');

const line = n8nLine();

/** @type {import('jest').Config} */
module.exports = suiteConfig({
	folder: 'e2e',
	displayName: `e2e n8n line ${line}`,
	tsconfig: 'test/e2e/tsconfig.json',
	onN8n: true,
	// n8n starts in seconds, but a first run also installs it; hooks pass their own, longer timeouts.
	testTimeout: 120_000,
	slowTestThreshold: 60,
	// A stray n8n never outlives the run: the harness kills its process groups on exit.
	forceExit: false,
	detectOpenHandles: false,
});
