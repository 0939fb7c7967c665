// n8n's own lint configuration for community nodes, as `n8n-node lint` applies it: the community-node
// rules, eslint-plugin-n8n-nodes-base's community, credentials and nodes sets, no-console, and the
// TypeScript and import rules. Only the published sources are linted: tests, tooling and build output
// are not part of the package.
import { config } from '@n8n/node-cli/eslint';
import { globalIgnores } from 'eslint/config';

export default [
	globalIgnores(['dist/**', 'test/**', 'scripts/**', 'examples/**', 'docs/**', 'coverage/**', '.dev-build/**', '*.js', '*.mjs']),
	...config,
];
