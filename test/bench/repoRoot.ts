/**
 * Imported first by the compiled benchmark (`.dev-build/test/bench/`): the harness finds the
 * repository through SITE_WEBHOOKS_REPO_ROOT when it does not run from the repository itself.
 */
import * as path from 'node:path';

process.env.SITE_WEBHOOKS_REPO_ROOT ??= path.resolve(__dirname, '..', '..', '..');
