#!/usr/bin/env node
// Validates the GitHub Actions workflows with GitHub's own parser (@actions/workflow-parser: the
// workflow schema, expressions, events) and checks what the project relies on them for:
// ci.yml builds, lints and unit-tests every push and pull request from the lockfile; publish.yml
// publishes a version tag to npm with provenance after the full checks, with an OIDC token.
//
//   node scripts/checks/check-workflows.mjs [workflows folder]   (default: .github/workflows)
//
// Exits 1 and says why when a file does not parse or a requirement is missing.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const folder = resolve(process.argv[2] ?? join(here, '..', '..', '.github', 'workflows'));

// The parser imports its JSON schema the way bundlers allow; Node needs the JSON import attribute.
register(pathToFileURL(join(here, 'json-import-hook.mjs')));
const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import('@actions/workflow-parser');

async function load(file) {
	const path = join(folder, file);
	const parsed = parseWorkflow({ name: file, content: readFileSync(path, 'utf8') }, new NoOperationTraceWriter());
	const errors = parsed.context.errors.getErrors().map((error) => error.message);
	if (errors.length > 0 || !parsed.value) return { errors };
	const template = await convertWorkflowTemplate(parsed.context, parsed.value);
	const conversionErrors = (template.errors ?? []).map((error) => error.Message ?? error.message ?? String(error));
	return { errors: conversionErrors, template, raw: JSON.parse(JSON.stringify(parsed.value)) };
}

/** The `run:` commands of every step of every job, in order. */
function runs(template) {
	return template.jobs.flatMap((job) =>
		(job.steps ?? []).filter((step) => step.run !== undefined).map((step) => JSON.parse(JSON.stringify(step.run))),
	);
}

/** The value of `key` in a serialised mapping token (the parser's own JSON form of the YAML). */
function entry(mapping, key) {
	return mapping?.map?.find((pair) => pair.Key === key)?.Value;
}

function permissionsOf(raw) {
	const jobs = entry(raw, 'jobs');
	const result = [];
	for (const pair of jobs?.map ?? []) {
		const permissions = entry(pair.Value, 'permissions');
		for (const permission of permissions?.map ?? []) result.push(`${permission.Key}: ${permission.Value}`);
	}
	return result;
}

function expectRun(problems, file, commands, wanted) {
	if (!commands.some((command) => command.split('\n').some((line) => line.trim() === wanted))) {
		problems.push(`${file}: no step runs \`${wanted}\``);
	}
}

const problems = [];

const ci = await load('ci.yml');
problems.push(...ci.errors.map((error) => `ci.yml: ${error}`));
if (ci.template) {
	const events = Object.keys(ci.template.events ?? {});
	for (const event of ['push', 'pull_request']) if (!events.includes(event)) problems.push(`ci.yml: not run on ${event}`);
	const commands = runs(ci.template);
	for (const wanted of ['npm ci', 'npm run build', 'npm run lint', 'npm run lint:scan', 'npm run lint:workflows', 'npm run test:unit']) {
		expectRun(problems, 'ci.yml', commands, wanted);
	}
}

const publish = await load('publish.yml');
problems.push(...publish.errors.map((error) => `publish.yml: ${error}`));
if (publish.template) {
	const tags = publish.template.events?.push?.tags ?? [];
	if (tags.length === 0) problems.push('publish.yml: not run on a version tag');
	if (Object.keys(publish.template.events ?? {}).some((event) => event !== 'push')) problems.push('publish.yml: runs on more than a tag push');
	const commands = runs(publish.template);
	for (const wanted of ['npm ci', 'npm run build', 'npm run lint', 'npm run lint:scan', 'npm test']) {
		expectRun(problems, 'publish.yml', commands, wanted);
	}
	const publishing = commands.filter((command) => /\bnpm publish\b/.test(command));
	if (publishing.length === 0) problems.push('publish.yml: no step runs npm publish');
	for (const command of publishing) {
		for (const flag of ['--provenance', '--access public', '--ignore-scripts=false']) {
			if (!command.includes(flag)) problems.push(`publish.yml: \`${command}\` lacks ${flag}`);
		}
	}
	const lastCheck = Math.max(...['npm run lint', 'npm test'].map((wanted) => commands.indexOf(wanted)));
	if (commands.findIndex((command) => /\bnpm publish\b/.test(command)) < lastCheck) {
		problems.push('publish.yml: npm publish runs before the checks');
	}
	if (!permissionsOf(publish.raw).includes('id-token: write')) problems.push('publish.yml: the job lacks permissions id-token: write');
}

if (problems.length > 0) {
	process.stderr.write(`GitHub workflows refused:\n${problems.map((problem) => `- ${problem}`).join('\n')}\n`);
	process.exit(1);
}
process.stdout.write(`GitHub workflows: ci.yml and publish.yml parse (GitHub's workflow schema) and do what the project needs\n`);
