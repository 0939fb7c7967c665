/**
 * Runs once before the end-to-end suites: installs n8n for the chosen line (cached; minutes only
 * the first time) and builds and packs this package once, handing the tarball to every suite
 * through N8N_E2E_TARBALL. The tarball packed here is removed when Jest exits.
 */
import * as path from 'node:path';

import { ensureN8nInstalled, lineFromEnv, packPackage } from '../../scripts/n8n/n8n';

export default async function globalSetup(): Promise<void> {
	const line = lineFromEnv();
	const started = Date.now();
	const installation = await ensureN8nInstalled(line);
	const pkg = await packPackage();
	process.env.N8N_E2E_TARBALL = pkg.tarball;
	process.stderr.write(
		`\n[n8n e2e] line ${line}: n8n ${installation.n8nVersion} on Node ${installation.nodeVersion}; ` +
			`${path.basename(pkg.tarball)} ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`,
	);
}
