/**
 * Browser test: n8n's editor in headless Chromium with this package installed
 * (see test/browser/editor.browser.test.ts).
 *
 *   npm run test:browser        # installs Chromium if missing (scripts/install-chromium.sh), then this
 *
 * It reuses the end-to-end global setup (installs n8n into the cache, builds and packs the
 * package once) and teardown. It drives n8n 2.x's editor, so it runs on line 2 only.
 */
const path = require('node:path');

const line = process.env.N8N_LINE ?? '2';
if (line !== '2') throw new Error(`the browser test drives n8n 2.x's editor: N8N_LINE must be 2, not "${line}"`);

/** @type {import('jest').Config} */
module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	displayName: 'browser n8n line 2',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/browser'],
	testMatch: ['<rootDir>/test/browser/**/*.browser.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/browser/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/global-setup.ts',
	globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
	// One n8n and one browser: tests run in band, in order (each trigger's test needs the sign-in).
	maxWorkers: 1,
	testTimeout: 5 * 60_000,
	slowTestThreshold: 120,
	forceExit: false,
	detectOpenHandles: false,
};
