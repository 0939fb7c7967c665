/**
 * The README's main job, `npm run dev`, run as a user runs it (see test/dev/dev-command.dev.test.ts).
 *
 *   npm run test:dev
 *
 * It runs the real command, which builds, packs and installs the package and starts n8n 2.x itself.
 */
const { suiteConfig } = require('../support/jestSuites');

/** @type {import('jest').Config} */
module.exports = suiteConfig({ folder: 'dev', displayName: 'npm run dev', testTimeout: 3 * 60_000, forceExit: false });
