#!/usr/bin/env node
// Sends a correctly signed sample delivery, from the provider's documented payloads in
// test/fixtures, to a trigger: `npm run send -- <provider> <event> [--url URL | --port PORT] [--secret S] [--xml]`.
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The demo set-up that `npm run dev` imports: fixed webhook ids and demo (not real) secrets.
const demoSetup = JSON.parse(readFileSync(join(root, 'scripts', 'dev', 'demo.json'), 'utf8'));
const DEMO_PROVIDERS = demoSetup.providers;
const devPort = Number(process.env.N8N_DEV_PORT ?? demoSetup.devPort);
const productionUrl = (key, port = devPort) => `http://localhost:${port}/webhook/${DEMO_PROVIDERS[key].webhookId}/webhook`;
const require = createRequire(import.meta.url);

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		url: { type: 'string' },
		port: { type: 'string' },
		secret: { type: 'string' },
		'api-key': { type: 'string' },
		xml: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false },
	},
});

const [providerKey, event] = positionals;
const demo = DEMO_PROVIDERS[providerKey];
const fixtures = demo ? join(root, 'test', 'fixtures', providerKey) : undefined;

if (values.help || !demo || !event) {
	console.log('Usage: npm run send -- <provider> <event> [--url URL | --port PORT] [--secret S] [--api-key K] [--xml]\n');
	for (const key of Object.keys(DEMO_PROVIDERS)) {
		const dir = join(root, 'test', 'fixtures', key);
		const events = existsSync(dir) ? [...new Set(readdirSync(dir).map((f) => f.replace(/\.(json|xml)$/, '')))] : [];
		console.log(`  ${key.padEnd(12)} ${events.join(', ')}`);
	}
	process.exit(values.help ? 0 : 2);
}

const file = join(fixtures, `${event}.${values.xml ? 'xml' : 'json'}`);
if (!existsSync(file)) {
	console.error(`No sample for ${providerKey} ${event}${values.xml ? ' (XML)' : ''}: ${file} does not exist.`);
	process.exit(2);
}

// The signing facts come from the built package itself, so the sample is signed as the node expects.
const providerFile = join(root, 'dist', 'nodes', demo.provider[0]);
if (!existsSync(providerFile)) {
	console.error('The package is not built: run `npm run build` first.');
	process.exit(2);
}
const provider = require(providerFile)[demo.provider[1]];

let body = readFileSync(file);
if (providerKey === 'sitecapture') {
	// SiteCapture puts the account's API key in the body: send the one the trigger expects.
	const payload = JSON.parse(body.toString('utf8'));
	payload.api_key = values['api-key'] ?? demo.credentials.apiKey;
	body = Buffer.from(JSON.stringify(payload, null, 2));
}

const secret = values.secret ?? demo.credentials.webhookSecret;
const digest = createHmac('sha256', secret).update(body).digest(provider.signature.encodings[0]);
const headers = {
	'content-type': values.xml ? 'application/xml' : 'application/json',
	[provider.signature.header]: `${provider.signature.prefix}${digest}`,
};
if (provider.eventHeader) headers[provider.eventHeader] = event;

const url = values.url ?? productionUrl(providerKey, values.port ?? devPort);
try {
	const response = await fetch(url, { method: 'POST', headers, body });
	console.log(`POST ${url}\n${response.status} ${await response.text()}`);
	process.exit(response.ok ? 0 : 1);
} catch (error) {
	console.error(`Could not reach ${url}: ${error.cause?.message ?? error.message}. Is \`npm run dev\` running?`);
	process.exit(1);
}
