/**
 * Browser test: n8n's editor in headless Chromium with this package installed
 * (see test/browser/editor.browser.test.ts).
 *
 *   npm run test:browser        # installs Chromium if missing (scripts/install-chromium.sh), then this
 *
 * It drives n8n 2.x's editor, so it runs on line 2 only.
 */
const { n8nLine, suiteConfig } = require('../support/jestSuites');

n8nLine(['2']);

/** @type {import('jest').Config} */
module.exports = suiteConfig({
	folder: 'browser',
	displayName: 'browser n8n line 2',
	tsconfig: 'test/browser/tsconfig.json',
	onN8n: true,
	// One n8n and one browser, tests in order (each trigger's test needs the sign-in).
	testTimeout: 5 * 60_000,
	slowTestThreshold: 120,
	forceExit: false,
	detectOpenHandles: false,
});
