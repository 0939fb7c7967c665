/**
 * The single-service packages (scripts/packages/build-packages.mjs): what each holds, n8n's scanner
 * and strict `n8n-node lint` on each, and all six installed side by side into a real n8n 2.x.
 *
 *   npm run test:packages
 *
 * The global setup builds the root package and generates the others once (dist/packages).
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	displayName: 'packages',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/packages'],
	testMatch: ['<rootDir>/test/packages/**/*.packages.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }],
	},
	globalSetup: '<rootDir>/test/packages/global-setup.ts',
	// One n8n at a time.
	maxWorkers: 1,
	testTimeout: 120_000,
};
