/**
 * `npm run send -- <provider> <event> [--url URL | --port PORT] [--secret S] [--xml]`: sends a
 * correctly signed sample delivery, from the provider's documented payloads in nodes/<provider>/samples/, to
 * its demo workflow of `npm run dev` (or to --url). Providers, samples and signing come from the one
 * provider list and the one signer of the tests; `npm run send` alone lists them.
 * A provider's own credential field carried in its body (SiteCapture's API key) can be set with
 * `--<field>` (`--api-key K`); the demo credential's value is sent otherwise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

// The repository: this file runs from .dev-build/scripts/dev once compiled.
const REPO_ROOT = path.resolve(__dirname, '..', '..').replace(/[\\/]\.dev-build$/, '');

function fail(message: string, code = 2): never {
	process.stderr.write(`${message}\n`);
	process.exit(code);
}

async function main(): Promise<void> {
	// The provider list reads the built package, as the demo's n8n runs it.
	if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes'))) fail('The package is not built: run `npm run build` first.');
	const { DEV_PORT, demoProviders, demoUrl } = await import('./demo');
	const { bodyFieldOf, kebabCase, sampleName, signedHeaders } = await import('../../test/support/deliveries');
	const demos = demoProviders();

	// Each provider's own credential fields that its body carries can be given on the command line.
	const carried = demos.flatMap((demo) =>
		Object.keys(demo.provider.facts.credential.fields ?? {}).flatMap((field) => {
			const bodyField = bodyFieldOf(demo.provider, field);
			return bodyField === undefined ? [] : [{ key: demo.key, field, option: kebabCase(field), bodyField }];
		}),
	);
	const { values: parsed, positionals } = parseArgs({
		allowPositionals: true,
		options: {
			url: { type: 'string' },
			port: { type: 'string' },
			secret: { type: 'string' },
			xml: { type: 'boolean', default: false },
			help: { type: 'boolean', short: 'h', default: false },
			...Object.fromEntries(carried.map(({ option }) => [option, { type: 'string' as const }])),
		},
	});

	const values = parsed as Record<string, string | boolean | undefined>;
	const [key, event] = positionals;
	const demo = demos.find((candidate) => candidate.key === key);
	if (values.help === true || demo === undefined || event === undefined) {
		const fieldOptions = [...new Set(carried.map(({ option }) => ` [--${option} V]`))].join('');
		const lines = [`Usage: npm run send -- <provider> <event> [--url URL | --port PORT] [--secret S]${fieldOptions} [--xml]`, ''];
		for (const candidate of demos) {
			const names = [...new Set(candidate.provider.samples.map(sampleName))];
			lines.push(`  ${candidate.key.padEnd(12)} ${names.join(', ')}`);
		}
		process.stdout.write(`${lines.join('\n')}\n`);
		process.exit(values.help === true ? 0 : 2);
	}

	const format = values.xml === true ? 'xml' : 'json';
	const sample = demo.provider.samples.find((candidate) => sampleName(candidate) === event && candidate.format === format);
	const file = path.join(demo.provider.samplesDir, `${event}.${format}`);
	if (sample === undefined) fail(`No sample for ${demo.key} ${event}${format === 'xml' ? ' (XML)' : ''}: ${file} does not exist.`);

	let body = fs.readFileSync(sample.file);
	const overrides = carried.filter((entry) => entry.key === demo.key && typeof values[entry.option] === 'string');
	if (overrides.length > 0) {
		const payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
		for (const { option, bodyField } of overrides) payload[bodyField] = values[option];
		body = Buffer.from(JSON.stringify(payload, null, 2));
	}

	const secret = typeof values.secret === 'string' ? values.secret : demo.credentials.webhookSecret;
	const headers = signedHeaders(demo.provider, body, secret, { event: sample.event });
	const url = typeof values.url === 'string' ? values.url : demoUrl(demo, typeof values.port === 'string' ? Number(values.port) : DEV_PORT);
	try {
		const response = await fetch(url, { method: 'POST', headers, body });
		process.stdout.write(`POST ${url}\n${response.status} ${await response.text()}\n`);
		process.exit(response.ok ? 0 : 1);
	} catch (error) {
		const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
		fail(`Could not reach ${url}: ${reason}. Is \`npm run dev\` running?`, 1);
	}
}

void main();
