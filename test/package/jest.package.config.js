/**
 * Package checks: the publish guard (`npm publish --dry-run` in a copy of the package) and the
 * GitHub workflows (see test/package/publishing.package.test.ts).
 *
 *   npm run test:package
 */
const path = require('node:path');

/** @type {import('jest').Config} */
module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	displayName: 'package',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/package'],
	testMatch: ['<rootDir>/test/package/**/*.package.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true }],
	},
	maxWorkers: 1,
	testTimeout: 3 * 60_000,
};
