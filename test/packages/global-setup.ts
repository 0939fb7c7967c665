/**
 * Runs once before the suites: builds the root package and generates the single-service packages
 * and the six tarballs (`npm run build:packages`), unless PACKAGES_SKIP_BUILD=1 (already built).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export default function globalSetup(): void {
	if (process.env.PACKAGES_SKIP_BUILD === '1') return;
	const started = Date.now();
	execFileSync('npm', ['run', 'build:packages'], {
		cwd: path.resolve(__dirname, '..', '..'),
		stdio: ['ignore', 'pipe', 'inherit'],
		timeout: 10 * 60_000,
	});
	process.stderr.write(`\n[packages] built and packed in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
}
