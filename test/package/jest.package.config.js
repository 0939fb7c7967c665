/**
 * Package checks: the publish guard (`npm publish --dry-run` in a copy of the package) and the
 * GitHub workflows (see test/package/publishing.package.test.ts).
 *
 *   npm run test:package
 */
const { suiteConfig } = require('../support/jestSuites');

/** @type {import('jest').Config} */
module.exports = suiteConfig({ folder: 'package', displayName: 'package', testTimeout: 3 * 60_000 });
