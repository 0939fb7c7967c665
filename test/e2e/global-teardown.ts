/** Removes the tarball global-setup.ts packed (a tarball given in N8N_E2E_TARBALL is left alone). */
import * as fs from 'node:fs/promises';

export default async function globalTeardown(): Promise<void> {
	const dir = process.env.N8N_E2E_PACK_DIR;
	if (dir) await fs.rm(dir, { recursive: true, force: true });
}
