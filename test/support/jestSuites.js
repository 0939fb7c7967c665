/**
 * The Jest configuration of the suites beside the unit tests: each is a folder `test/<folder>` of
 * files `*.<folder>.test.ts`, run in band in one process (one n8n at a time on the machine).
 */
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The n8n line picked by N8N_LINE (2 unless set), refused unless it is one of `lines`. */
function n8nLine(lines = ['1', '2']) {
	const line = process.env.N8N_LINE ?? '2';
	if (!lines.includes(line)) throw new Error(`N8N_LINE must be ${lines.join(' or ')}, not "${line}"`);
	return line;
}

/**
 * `folder`'s suite, named `displayName`, compiled with `tsconfig` (a path from the repository root).
 * `onN8n`: it reuses the end-to-end global setup, which installs n8n (cached) and builds and packs
 * the package once. Anything else given is Jest configuration of its own.
 */
function suiteConfig({ folder, displayName, tsconfig = 'tsconfig.json', onN8n = false, ...own }) {
	return {
		rootDir: REPO_ROOT,
		displayName,
		testEnvironment: 'node',
		roots: [`<rootDir>/test/${folder}`],
		testMatch: [`<rootDir>/test/${folder}/**/*.${folder}.test.ts`],
		transform: {
			// The root tsconfig type-checks everything: a suite compiled with it is transpiled only.
			'^.+\\.ts$': ['ts-jest', tsconfig === 'tsconfig.json' ? { tsconfig: '<rootDir>/tsconfig.json', isolatedModules: true } : { tsconfig: `<rootDir>/${tsconfig}` }],
		},
		...(onN8n
			? { globalSetup: '<rootDir>/test/e2e/global-setup.ts' }
			: {}),
		maxWorkers: 1,
		...own,
	};
}

module.exports = { n8nLine, suiteConfig };
