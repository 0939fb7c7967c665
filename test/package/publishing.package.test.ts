/**
 * Publishing as n8n requires: the guard that `npm publish` runs refuses an unbuilt, stale or
 * unlinted package and lets a built, linted one through; the GitHub workflows parse with GitHub's
 * own parser and keep what the project relies on (checks before publishing, provenance, OIDC).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_FILES = [
	'package.json',
	'.npmrc',
	'eslint.config.mjs',
	'tsconfig.json',
	'tsconfig.build.json',
	'gulpfile.js',
	'index.js',
	'README.md',
	'LICENSE.md',
	'CHANGELOG.md',
	'nodes',
	'credentials',
	'scripts/checks',
];

function run(command: string, args: string[], cwd: string): { code: number | null; output: string } {
	// Not NODE_ENV=test (jest's): eslint-plugin-n8n-nodes-base then checks file names as in its own tests.
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_ENV: undefined } });
	return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A copy of the package's own files, sharing the repository's node_modules. */
function packageCopy(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'publish-guard-'));
	for (const file of PACKAGE_FILES) fs.cpSync(path.join(REPO_ROOT, file), path.join(dir, file), { recursive: true });
	fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
	return dir;
}

describe('npm publish runs the guard', () => {
	let dir: string;

	beforeAll(() => {
		dir = packageCopy();
	});

	afterAll(() => {
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it('refuses an unbuilt package and names what is missing', () => {
		const result = run('npm', ['publish', '--dry-run'], dir);
		expect(result.code).not.toBe(0);
		expect(result.output).toContain('Refusing to publish n8n-nodes-site-webhooks@');
		expect(result.output).toContain("dist/nodes/Sitemark/SitemarkTrigger.node.js is named in package.json's n8n block but does not exist");
		expect(result.output).toContain('run `npm run build` first');
		expect(result.output).not.toContain('Tarball Contents');
	});

	it('lets a built and linted package through, with its built nodes in the tarball', () => {
		expect(run('npm', ['run', 'build'], dir).code).toBe(0);
		const result = run('npm', ['publish', '--dry-run'], dir);
		expect(result.output).toContain("built from its current sources, n8n-node lint and n8n's scanner pass");
		expect(result.code).toBe(0);
		expect(result.output).toContain('dist/nodes/Sitemark/SitemarkTrigger.node.js');
		expect(result.output).toContain('dist/credentials/SitemarkWebhookApi.credentials.js');
	});

	it('refuses a package whose sources changed after the build', () => {
		const source = path.join(dir, 'nodes', 'Sitemark', 'SitemarkTrigger.node.ts');
		const later = new Date(Date.now() + 60_000);
		fs.utimesSync(source, later, later);
		const result = run('npm', ['publish', '--dry-run'], dir);
		expect(result.code).not.toBe(0);
		expect(result.output).toContain('nodes/Sitemark/SitemarkTrigger.node.ts changed after it was compiled');
	});

	it("refuses a package that n8n's lint refuses, even when built", () => {
		const source = path.join(dir, 'nodes', 'Sitemark', 'SitemarkTrigger.node.ts');
		fs.appendFileSync(source, '\nconsole.log("debug");\n');
		expect(run('npm', ['run', 'build'], dir).code).toBe(0);
		const result = run('npm', ['publish', '--dry-run'], dir);
		expect(result.code).not.toBe(0);
		expect(result.output).toContain('n8n-node lint failed');
		expect(result.output).toContain('no-console');
		expect(result.output).not.toContain('changed after it was compiled');
	});
});

describe('GitHub workflows', () => {
	const checker = path.join(REPO_ROOT, 'scripts', 'checks', 'check-workflows.mjs');
	const workflows = path.join(REPO_ROOT, '.github', 'workflows');

	function checkVariant(file: string, from: string | RegExp, to: string): { code: number | null; output: string } {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workflows-'));
		try {
			for (const name of ['ci.yml', 'publish.yml']) fs.copyFileSync(path.join(workflows, name), path.join(dir, name));
			const text = fs.readFileSync(path.join(dir, file), 'utf8');
			const changed = text.replace(from, to);
			expect(changed).not.toBe(text);
			fs.writeFileSync(path.join(dir, file), changed);
			return run('node', [checker, dir], REPO_ROOT);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}

	it('ci.yml and publish.yml parse with GitHub\'s parser and do what the project needs', () => {
		const result = run('node', [checker], REPO_ROOT);
		expect(result.output).toContain('ci.yml and publish.yml parse');
		expect(result.code).toBe(0);
	});

	it.each([
		['ci.yml', /\n  pull_request:\n/, '\n', 'ci.yml: not run on pull_request'],
		['ci.yml', 'run: npm ci', 'run: npm install', 'ci.yml: no step runs `npm ci`'],
		['ci.yml', 'run: npm run test:unit', 'run: echo skipped', 'ci.yml: no step runs `npm run test:unit`'],
		['ci.yml', 'runs-on: ubuntu-latest', 'runs-on: [', 'ci.yml: ci.yml'],
		['publish.yml', '      id-token: write\n', '', 'publish.yml: the job lacks permissions id-token: write'],
		['publish.yml', '--provenance ', '', 'lacks --provenance'],
		['publish.yml', '--ignore-scripts=false', '', 'lacks --ignore-scripts=false'],
		['publish.yml', '        run: npm test\n', '        run: echo no tests\n', 'publish.yml: no step runs `npm test`'],
		['publish.yml', "tags: ['v*.*.*']", 'branches: [main]', 'publish.yml: not run on a version tag'],
	])('%s refused when changed (%s → %s)', (file, from, to, message) => {
		const result = checkVariant(file, from, to);
		expect(result.code).toBe(1);
		expect(result.output).toContain(message);
	});
});
