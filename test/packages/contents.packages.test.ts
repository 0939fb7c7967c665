/**
 * What each single-service package holds and whether n8n would take it: one node and its
 * credential, nothing of any other provider, no runtime dependency, its own documents, n8n's
 * scanner on both legs and `n8n-node lint` in strict mode.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

import { OUTPUT, REPO_ROOT, readManifest, type SinglePackage } from './manifest';

const manifest = readManifest();
const rootPkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
};
const BIN = path.join(REPO_ROOT, 'node_modules', '.bin');

function run(command: string, args: string[], cwd: string): { code: number | null; output: string } {
	// Not NODE_ENV=test (jest's): eslint-plugin-n8n-nodes-base then checks file names as in its own tests.
	const result = spawnSync(command, args, {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, NODE_ENV: undefined, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}` },
		timeout: 5 * 60_000,
	});
	return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

function packageJson(pkg: SinglePackage): Record<string, unknown> & { n8n: Record<string, unknown> } {
	return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, pkg.folder, 'package.json'), 'utf8'));
}

/** A word of another provider's (its name, node or credential) in a text, as a whole word. */
function wordIn(text: string, word: string): boolean {
	const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`(?<![\\w.])${escaped}(?!\\w)`, 'i').test(text);
}

/** The anchor GitHub and npm give a Markdown heading. */
function anchor(heading: string): string {
	return heading
		.toLowerCase()
		.replace(/[^\w\- ]/g, '')
		.replace(/ /g, '-');
}

describe('the build', () => {
	it('packs six packages: the root package and one per node of its n8n block', () => {
		const tarballs = fs.readdirSync(OUTPUT).filter((file) => file.endsWith('.tgz'));
		expect(tarballs).toHaveLength(6);
		expect(tarballs).toContain(`${rootPkg.name}-${rootPkg.version}.tgz`);
		expect(manifest.packages.map((pkg) => pkg.nodeFile).sort()).toEqual([...rootPkg.n8n.nodes].sort());
		for (const pkg of manifest.packages) {
			expect(tarballs).toContain(`${pkg.packageName}-${rootPkg.version}.tgz`);
			expect(pkg.packageName).toMatch(/^n8n-nodes-[a-z0-9]+(-[a-z0-9]+)*$/);
		}
		expect(new Set([rootPkg.name, ...manifest.packages.map((pkg) => pkg.packageName)]).size).toBe(6);
	});

	it("names every package in the README's table of packages to choose from", () => {
		const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
		const section = readme.slice(readme.indexOf('## Which package to choose'), readme.indexOf('\n## ', readme.indexOf('## Which package to choose') + 1));
		const listed = [...section.matchAll(/^\| `([^`]+)` \| ([^|]+) \|$/gm)].map(([, name, holds]) => [name, holds.trim()]);
		expect(listed.sort()).toEqual(
			[[rootPkg.name, 'every trigger below'], ...manifest.packages.map((pkg) => [pkg.packageName, pkg.displayName])].sort(),
		);
	});
});

describe('the publish workflow', () => {
	it('builds the single-service packages and publishes each with provenance after the root package and every test', () => {
		const workflow = fs.readFileSync(path.join(REPO_ROOT, '.github', 'workflows', 'publish.yml'), 'utf8');
		const at = (text: string) => workflow.indexOf(text);
		const loop = at('for folder in dist/packages/*/; do');
		const publish = at('npm publish "$folder" --provenance --access public --ignore-scripts=false');
		expect([loop, publish].every((index) => index > 0)).toBe(true);
		expect(at('run: npm run build:packages')).toBeGreaterThan(at('run: npm run build\n'));
		expect(at('run: npm run build:packages')).toBeLessThan(at('run: npm test'));
		expect(at('run: npm test')).toBeLessThan(loop);
		expect(at('run: npm publish --provenance')).toBeLessThan(loop);
	});
});

describe.each(manifest.packages.map((pkg) => [pkg.packageName, pkg] as const))('%s', (_name, pkg) => {
	const json = packageJson(pkg);
	const others = manifest.packages.filter((other) => other !== pkg);

	it('is a community node package with one node, its credential and no runtime dependency', () => {
		expect(json.name).toBe(pkg.packageName);
		expect(json.version).toBe(rootPkg.version);
		expect(json.license).toBe('MIT');
		expect(json.keywords).toContain('n8n-community-node-package');
		expect(json.dependencies).toBeUndefined();
		expect(json.optionalDependencies).toBeUndefined();
		expect(json.bundleDependencies ?? json.bundledDependencies).toBeUndefined();
		expect(json.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(json.n8n).toEqual({
			n8nNodesApiVersion: rootPkg.n8n.n8nNodesApiVersion,
			strict: true,
			credentials: [pkg.credentialFile],
			nodes: [pkg.nodeFile],
		});
	});

	it('ships the node with its codex file and light and dark icons beside it, and its documents', () => {
		const nodeDir = path.dirname(pkg.nodeFile);
		expect(pkg.files).toEqual(expect.arrayContaining([pkg.nodeFile, pkg.credentialFile, pkg.nodeFile.replace(/\.js$/, '.json')]));
		const icons = pkg.files.filter((file) => path.dirname(file) === nodeDir && file.endsWith('.svg'));
		expect(icons.some((file) => file.endsWith('.dark.svg'))).toBe(true);
		expect(icons.some((file) => !file.endsWith('.dark.svg'))).toBe(true);
		expect(pkg.files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE.md', 'CHANGELOG.md']));
		expect(pkg.files.filter((file) => !/^(dist\/.*\.(js|json|svg)|package\.json|README\.md|LICENSE\.md|CHANGELOG\.md)$/.test(file))).toEqual([]);
		const codex = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, pkg.folder, pkg.nodeFile.replace(/\.js$/, '.json')), 'utf8'));
		expect(codex.node).toBe(`${pkg.packageName}.${pkg.nodeName}`);
	});

	it('holds one service: no other provider is named in what it ships', () => {
		const shipped = pkg.files.filter((file) => /\.(js|json)$/.test(file));
		for (const file of shipped) {
			const text = fs.readFileSync(path.join(REPO_ROOT, pkg.folder, file), 'utf8');
			for (const other of others) {
				for (const word of [other.name, other.nodeName, other.credentialName, other.packageName]) {
					if (wordIn(text, word)) throw new Error(`${file} names ${word}, of ${other.packageName}`);
				}
			}
		}
		expect(shipped.length).toBeGreaterThan(2);
	});

	it('reads no environment variable, touches no file or process, and requires only n8n-workflow and built-ins', () => {
		const denied = /^(node:)?(fs|fs\/promises|child_process|cluster|worker_threads|vm|process|module)$/;
		const required: string[] = [];
		for (const file of pkg.files.filter((name) => name.endsWith('.js'))) {
			const code = fs.readFileSync(path.join(REPO_ROOT, pkg.folder, file), 'utf8');
			expect(code).not.toMatch(/\bprocess\.(env|cwd|exit)\b|\bglobalThis\.process\b/);
			for (const [, spec] of code.matchAll(/require\("([^".][^"]*)"\)/g)) required.push(spec);
		}
		expect(required).toContain('n8n-workflow');
		expect(required.filter((spec) => spec !== 'n8n-workflow' && (!builtinModules.includes(spec.replace(/^node:/, '')) || denied.test(spec)))).toEqual([]);
	});

	it('speaks English to its users: every text of its node and credential is in Latin script', () => {
		const texts: string[] = [];
		const collect = (value: unknown, key = ''): void => {
			if (typeof value === 'string' && /^(displayName|description|name|placeholder|hint|action|subtitle)$/.test(key)) texts.push(value);
			else if (Array.isArray(value)) value.forEach((item) => collect(item));
			else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
		};
		for (const file of [pkg.nodeFile, pkg.credentialFile]) {
			const exported = require(path.join(REPO_ROOT, pkg.folder, file)) as Record<string, new () => Record<string, unknown>>;
			for (const Class of Object.values(exported)) collect(new Class());
		}
		expect(texts.length).toBeGreaterThan(10);
		expect(texts.filter((text) => !/^[\p{Script=Latin}\p{N}\p{P}\p{S}\s]*$/u.test(text))).toEqual([]);
	});

	it('has its own README, MIT LICENSE and CHANGELOG, and the credential links to its own section', () => {
		const readme = fs.readFileSync(path.join(REPO_ROOT, pkg.folder, 'README.md'), 'utf8');
		expect(readme.startsWith(`# ${pkg.packageName}\n`)).toBe(true);
		expect(readme).toContain(`npm install ${pkg.packageName}\n`);
		expect(readme).not.toContain(`npm install ${rootPkg.name}`);
		for (const heading of ['Installation', 'Using the trigger', pkg.name, 'Security', 'Which package to choose', 'License']) {
			expect(readme).toContain(`\n## ${heading}\n`);
		}
		const exported = require(path.join(REPO_ROOT, pkg.folder, pkg.credentialFile)) as Record<string, new () => { documentationUrl: string }>;
		const [credential] = Object.values(exported).map((Class) => new Class());
		expect(credential.documentationUrl).toBe(`https://www.npmjs.com/package/${pkg.packageName}#${anchor(pkg.name)}`);
		expect(fs.readFileSync(path.join(REPO_ROOT, pkg.folder, 'LICENSE.md'), 'utf8')).toMatch(/^MIT License\n/);
		const changelog = fs.readFileSync(path.join(REPO_ROOT, pkg.folder, 'CHANGELOG.md'), 'utf8');
		expect(changelog).toContain(`All notable changes to \`${pkg.packageName}\``);
		expect(changelog).toMatch(/\n## \[/);
	});

	it('loads on its own: node and credential from the unpacked tarball, with only n8n-workflow beside it', () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'single-package-'));
		try {
			expect(run('tar', ['-xzf', path.join(REPO_ROOT, pkg.tarball), '-C', dir], dir).code).toBe(0);
			fs.mkdirSync(path.join(dir, 'node_modules'));
			fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'n8n-workflow'), path.join(dir, 'node_modules', 'n8n-workflow'));
			const script = `
				const pkg = require('./package/package.json');
				const first = (file) => Object.values(require('./package/' + file))[0];
				const Node = first(pkg.n8n.nodes[0]);
				const Credential = first(pkg.n8n.credentials[0]);
				const node = new Node();
				const credential = new Credential();
				process.stdout.write(JSON.stringify([node.description.name, node.description.credentials[0].name, credential.name]));`;
			const loaded = run(process.execPath, ['-e', script], dir);
			expect(loaded.output).toBe(JSON.stringify([pkg.nodeName, pkg.credentialName, pkg.credentialName]));
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('passes n8n-node lint in strict mode', () => {
		expect(json.n8n.strict).toBe(true);
		const template = path.join(path.dirname(require.resolve('@n8n/node-cli/eslint')), '..', 'template', 'templates', 'shared', 'default', 'eslint.config.mjs');
		expect(fs.readFileSync(path.join(REPO_ROOT, pkg.folder, 'eslint.config.mjs'), 'utf8')).toBe(fs.readFileSync(template, 'utf8'));
		const lint = run('n8n-node', ['lint'], path.join(REPO_ROOT, pkg.folder));
		expect(lint.output).not.toMatch(/error|warning|Strict mode violation/i);
		expect(lint.code).toBe(0);
	});
});

describe("n8n's checks are real", () => {
	const [pkg] = manifest.packages;
	let copy: string;

	beforeAll(() => {
		// A copy beside the generated packages, so that it finds the same tools.
		copy = path.join(OUTPUT, `.copy-${process.pid}`);
		fs.cpSync(path.join(REPO_ROOT, pkg.folder), copy, { recursive: true });
	});

	afterAll(() => {
		fs.rmSync(copy, { recursive: true, force: true });
	});

	it('strict lint refuses a source n8n would refuse, and an eslint configuration of its own', () => {
		const source = path.join(copy, pkg.nodeFile.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		fs.appendFileSync(source, '\nconsole.log(process.env.HOME);\n');
		const refused = run('n8n-node', ['lint'], copy);
		expect(refused.code).not.toBe(0);
		expect(refused.output).toContain('no-console');
		fs.writeFileSync(path.join(copy, 'eslint.config.mjs'), "import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';\n\nexport default configWithoutCloudSupport;\n");
		const modified = run('n8n-node', ['lint'], copy);
		expect(modified.code).not.toBe(0);
		expect(modified.output).toContain('Strict mode violation');
	});
});

describe("n8n's community-package scanner", () => {
	it('passes every single-service package, on its sources and on its packed tarball', () => {
		const folders = manifest.packages.map((pkg) => path.join(REPO_ROOT, pkg.folder));
		const scan = run(process.execPath, [path.join(REPO_ROOT, 'scripts', 'checks', 'scan-package.mjs'), ...folders], REPO_ROOT);
		for (const pkg of manifest.packages) {
			expect(scan.output).toContain(`scan ${pkg.packageName}@${rootPkg.version} source: passed`);
			expect(scan.output).toContain(`scan ${pkg.packageName}@${rootPkg.version} tarball: passed`);
		}
		expect(scan.code).toBe(0);
	});
});
