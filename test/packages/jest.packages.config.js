/**
 * The single-service packages (scripts/packages/build-packages.mjs): what each holds, n8n's scanner
 * and strict `n8n-node lint` on each, and all six installed side by side into a real n8n 2.x.
 *
 *   npm run test:packages
 *
 * The global setup builds the root package and generates the others once (dist/packages).
 */
const { suiteConfig } = require('../support/jestSuites');

/** @type {import('jest').Config} */
module.exports = suiteConfig({
	folder: 'packages',
	displayName: 'packages',
	globalSetup: '<rootDir>/test/packages/global-setup.ts',
	testTimeout: 120_000,
});
