/**
 * The README's main job, `npm run dev`, run as a user runs it (see test/dev/dev-command.dev.test.ts).
 *
 *   npm run test:dev
 *
 * It runs the real command, which builds, packs and installs the package and starts n8n 2.x itself.
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	displayName: 'npm run dev',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/dev'],
	testMatch: ['<rootDir>/test/dev/**/*.dev.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }],
	},
	maxWorkers: 1,
	testTimeout: 3 * 60_000,
	forceExit: false,
};
