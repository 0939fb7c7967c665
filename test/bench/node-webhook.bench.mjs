#!/usr/bin/env node
// Microbenchmark of each trigger's webhook() (the built package, with a minimal recording context)
// against the bare HMAC-SHA256 of the same bytes, at 1 KB, 64 KB, 1 MB and 16 MB, the two timed call
// by call in turn (timedInTurn). Prints one table.
// BENCH_SIZES (bytes, comma-separated) and BENCH_TRIGGERS (row names, or parts of them) narrow it.
// Every trigger's row measures the accepted path (Drop Duplicate Deliveries off, so the same bytes
// start the workflow every time); the duplicate paths have rows of their own, as do SiteCapture's
// filters over a body whose `status` or `workflow_state` is as large as the body.
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { crawlErrorBody } from './xml-bodies.mjs';

const require = createRequire(import.meta.url);
// Each row's timing starts on a collected heap, so that no row pays for the garbage of the rows
// before it (nor for its own checks): a row's figure includes only the collection its own calls cause.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');
// The one provider list and the one signer, as `npm run bench` compiles them (with the benchmark's
// TypeScript, into .dev-build/); the list loads the built package from dist/.
const { PROVIDERS, provider: declared } = require('../../.dev-build/test/support/providers.js');
const { firstSample, sampleText } = require('../../.dev-build/test/support/deliveries.js');
const { hmacSha256, signatureFor } = require('../../.dev-build/test/support/signer.js');
// The same module instance the built triggers use (the provider list loads them from dist/).
const { forgetAcceptedInProcess } = require('../../dist/nodes/shared/acceptedDeliveries.js');
const { deliveryKey } = require('../../dist/nodes/shared/duplicateDeliveries.js');
const { sitemarkProvider } = require('../../dist/nodes/Sitemark/SitemarkProvider.js');
const { sitemapXmlProvider } = require('../../dist/nodes/SitemapXml/SitemapXmlProvider.js');
/** A provider's trigger and how it signs and names events, from its facts: `{ node, header, prefix, eventHeader }`. */
const facts = (key) => {
	const provider = declared(key);
	const { header, prefix } = provider.facts.signature;
	return { node: provider.node(), header, prefix, ...(provider.facts.eventHeader ? { eventHeader: provider.facts.eventHeader } : {}) };
};
const SECRET = 'bench-secret';
const API_KEY = 'bench-api-key';
const SIZES = (process.env.BENCH_SIZES ?? '1024,65536,1048576,16777216').split(',').map(Number);

const ACCEPT_EVERY_COPY = { dropDuplicates: false };
const sitemarkEnvelope = (data) => ({ event: 'job.completed', created_at: '2026-05-28T18:32:00Z', data });
const siteCaptureEnvelope = (notes) => ({ project_id: 3057, status: 'Complete', workflow_state: 'COMPLETE', api_key: API_KEY, event: 'status_change', notes });
/** A SiteCapture body of about `size` bytes whose `field` alone fills it (a string of that length). */
const siteCaptureLargeField = (field) => (size) => {
	const body = { project_id: 3057, status: 'Complete', workflow_state: 'COMPLETE', api_key: API_KEY, event: 'status_change' };
	const rest = JSON.stringify(body).length - body[field].length;
	body[field] = `${body[field]} ${'x'.repeat(Math.max(0, size - rest - body[field].length - 1))}`;
	return Buffer.from(JSON.stringify(body));
};

// `expect`: what webhook() does with the body: 'accepted' (starts the workflow, the default),
// 'ignored' (answered 200, filtered out) or 'dropped' (the first call accepts it, every further
// call of the same bytes is a duplicate). `dedup`: the duplicate store holds 5,000 other ids.
// `rememberedAccepted`: every call is accepted with Drop Duplicate Deliveries on (its key is taken
// out of the process's store after each call, as a new delivery's key would not be there).
const triggers = [
	{ name: 'Sitemark', ...facts('sitemark'), event: 'job.completed', parameters: ACCEPT_EVERY_COPY, envelope: sitemarkEnvelope },
	{ name: 'Sitemarks', ...facts('sitemarks'), event: 'comment.created', parameters: ACCEPT_EVERY_COPY, envelope: (payload) => ({ event: 'comment.created', payload, timestamp: '2026-03-22T14:30:00.000Z' }) },
	{ name: 'SiteCapture', ...facts('sitecapture'), event: 'status_change', parameters: ACCEPT_EVERY_COPY, envelope: siteCaptureEnvelope },
	{ name: 'SiteCapture, filters set', ...facts('sitecapture'), event: 'status_change', parameters: { ...ACCEPT_EVERY_COPY, statuses: 'Complete, On Hold', workflowStates: 'COMPLETE, QA_REVIEW' }, envelope: siteCaptureEnvelope },
	{ name: 'SiteCapture, large status, no filter', ...facts('sitecapture'), event: 'status_change', parameters: ACCEPT_EVERY_COPY, body: siteCaptureLargeField('status') },
	{ name: 'SiteCapture, large status, Statuses set', ...facts('sitecapture'), event: 'status_change', parameters: { ...ACCEPT_EVERY_COPY, statuses: 'Complete, On Hold' }, body: siteCaptureLargeField('status'), expect: 'ignored' },
	{ name: 'SiteCapture, large status, Workflow States set', ...facts('sitecapture'), event: 'status_change', parameters: { ...ACCEPT_EVERY_COPY, workflowStates: 'COMPLETE' }, body: siteCaptureLargeField('status') },
	{ name: 'SiteCapture, large workflow_state, no filter', ...facts('sitecapture'), event: 'status_change', parameters: ACCEPT_EVERY_COPY, body: siteCaptureLargeField('workflow_state') },
	{ name: 'SiteCapture, large workflow_state, Workflow States set', ...facts('sitecapture'), event: 'status_change', parameters: { ...ACCEPT_EVERY_COPY, workflowStates: 'COMPLETE' }, body: siteCaptureLargeField('workflow_state'), expect: 'ignored' },
	{ name: 'Sitemap.xml (JSON)', ...facts('sitemapxml'), event: 'crawl.error', parameters: ACCEPT_EVERY_COPY, envelope: (errors) => ({ id: 'whk_bench', event: 'crawl.error', timestamp: '2025-01-15T08:32:14Z', data: { errors } }) },
	{ name: 'Sitemap.xml (XML)', xml: true, ...facts('sitemapxml'), event: 'crawl.error', parameters: ACCEPT_EVERY_COPY },
	{ name: 'Sitemap.xml (JSON, dedup of 5,000)', dedup: true, ...facts('sitemapxml'), event: 'crawl.error', parameters: { dropDuplicates: true }, expect: 'dropped', envelope: (errors) => ({ id: 'whk_bench', event: 'crawl.error', timestamp: '2025-01-15T08:32:14Z', data: { errors } }) },
	{ name: 'ContentsPal', ...facts('contentspal'), event: 'job.created', parameters: ACCEPT_EVERY_COPY, envelope: (notes) => ({ event: 'job.created', timestamp: '2026-03-03T14:30:00.000Z', organizationId: 'abc123', job: { id: 'job-uuid', name: 'Bench', ownerUserId: 'u', createdAt: 'x', updatedAt: 'y', notes } }) },
	{ name: 'Sitemark, duplicate dropped (same bytes again)', ...facts('sitemark'), event: 'job.completed', parameters: { dropDuplicates: true }, expect: 'dropped', envelope: sitemarkEnvelope },
	{ name: 'Sitemark, dedup on, accepted (5,000 remembered)', dedup: true, rememberedAccepted: true, ...facts('sitemark'), event: 'job.completed', parameters: { dropDuplicates: true }, envelope: sitemarkEnvelope },
];
// Not a trigger: what a JSON body of the XML row's item costs where n8n has not parsed it already,
// decoding its bytes and JSON.parse() (no webhook(), no n8n), against the bare HMAC of the XML row's
// bytes, so that its ratio compares with the XML row's. A reference for the XML reader's figures.
triggers.push({ name: 'Reference: the XML item as JSON, decode + JSON.parse() only', reference: true });
// A provider without an entry above is measured on its first sample, the records in a field of their own.
for (const provider of PROVIDERS) {
	if (triggers.some((trigger) => trigger.node?.description.name === provider.nodeName)) continue;
	const sample = firstSample(provider);
	const body = JSON.parse(sampleText(provider, sample));
	triggers.push({ name: provider.facts.name, ...facts(provider.key), event: sample.event, parameters: ACCEPT_EVERY_COPY, envelope: (records) => ({ ...body, bench_padding: records }) });
}

// BENCH_TRIGGERS: only the rows whose name contains one of these comma-separated texts (all by default).
const only = (process.env.BENCH_TRIGGERS ?? '').split(',').map((text) => text.trim()).filter((text) => text !== '');
if (only.length > 0) triggers.splice(0, triggers.length, ...triggers.filter((trigger) => only.some((text) => trigger.name.includes(text))));

/** A realistic body of about `size` bytes: the envelope with a list of records filling it. */
function jsonBody(trigger, size) {
	const record = { url: 'https://example.com/some/page', status_code: 404, reason: 'Not Found' };
	const count = Math.max(1, Math.round(size / (JSON.stringify(record).length + 1)));
	return Buffer.from(JSON.stringify(trigger.envelope(Array.from({ length: count }, () => record))));
}

function context(trigger, body, headers, staticData) {
	// n8n has already parsed a JSON body into req.body before webhook() runs (not counted here).
	const hostBody = trigger.xml ? undefined : JSON.parse(body.toString('utf8'));
	const response = { statusCode: 200, status: () => response, json: () => response, once: () => response };
	const parameters = { events: [trigger.event], options: {}, ...trigger.parameters };
	const quiet = () => {};
	return {
		getHeaderData: () => headers,
		getRequestObject: () => ({ headers, rawBody: body, body: hostBody }),
		getResponseObject: () => response,
		getNodeParameter: (name, fallback) => (name in parameters ? parameters[name] : fallback),
		getCredentials: async () => ({ webhookSecret: SECRET, apiKey: API_KEY }),
		getWorkflowStaticData: () => staticData,
		getNode: () => ({ id: 'bench-node', name: trigger.name, credentials: {} }),
		getWorkflow: () => ({ id: `bench-${trigger.name}-${body.length}` }),
		getMode: () => 'webhook',
		logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
		helpers: { returnJsonArray: (json) => [{ json }] },
	};
}

/**
 * The median time in ms of `baseline` and of `subject`, timed call by call in turn, after a tenth as
 * many calls unmeasured: each figure is then taken in the same stretch of time as the other. On a
 * shared machine a process runs allocating code up to 1.7× slower for seconds at a time, the HMAC
 * much less so (BENCHMARKS.md, "One process against the next"); two rows timed one after the other,
 * as a benchmark library runs its tasks, can each fall in a different stretch. Which of the two
 * goes first changes with every call, so that neither always follows the other's garbage; a
 * subject that answers a promise is awaited within its time, another is not.
 */
async function timedInTurn(baseline, subject, iterations) {
	const timed = async (fn) => {
		const started = performance.now();
		const result = fn();
		if (result instanceof Promise) await result;
		return performance.now() - started;
	};
	for (let call = 0; call < Math.ceil(iterations / 10); call++) {
		await timed(baseline);
		await timed(subject);
	}
	const baselineTimes = [];
	const subjectTimes = [];
	for (let call = 0; call < iterations; call++) {
		if (call % 2 === 0) {
			baselineTimes.push(await timed(baseline));
			subjectTimes.push(await timed(subject));
		} else {
			subjectTimes.push(await timed(subject));
			baselineTimes.push(await timed(baseline));
		}
	}
	const median = (times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
	return [median(baselineTimes), median(subjectTimes)];
}

const rows = [];
for (const size of SIZES) {
	const iterations = size >= 16 * 1024 * 1024 ? 10 : size >= 1024 * 1024 ? 40 : 400;
	for (const trigger of triggers) {
		if (trigger.reference) {
			const body = crawlErrorBody(size);
			const json = Buffer.from(JSON.stringify(sitemapXmlProvider.parseBody(body, {})));
			collectGarbage();
			const [hmac, parse] = await timedInTurn(() => hmacSha256(SECRET, body), () => JSON.parse(json.toString('utf8')), iterations);
			rows.push({ size: body.length, trigger: trigger.name, hmac, webhook: parse, ratio: parse / hmac });
			continue;
		}
		const body = trigger.xml ? crawlErrorBody(size) : trigger.body ? trigger.body(size) : jsonBody(trigger, size);
		const signature = signatureFor(SECRET, body, { encoding: 'hex', prefix: trigger.prefix });
		const headers = { [trigger.header]: signature, 'content-type': trigger.xml ? 'application/xml' : 'application/json' };
		if (trigger.eventHeader) headers[trigger.eventHeader] = trigger.event;
		// The duplicate store full with 5,000 ids, as after a busy three days; every call adds one more.
		const staticData = trigger.dedup
			? { acceptedDeliveryIds: { ids: Array.from({ length: 5000 }, (_, i) => `whk_prior_${i}`), acceptedAt: Array(5000).fill(Date.now()) } }
			: {};
		const ctx = context(trigger, body, headers, staticData);
		const expect = trigger.expect ?? 'accepted';
		// Where the duplicate store is kept, and this delivery's key in it, as the package derives it (the
		// only row that takes its key out is Sitemark's).
		const scope = `${ctx.getWorkflow().id}:${ctx.getNode().id}`;
		const key = trigger.rememberedAccepted ? deliveryKey(sitemarkProvider, JSON.parse(body.toString('utf8')), body, headers) : undefined;
		const call = async () => {
			if (trigger.rememberedAccepted) forgetAcceptedInProcess(scope, key);
			return await trigger.node.webhook.call(ctx);
		};
		// Every path is checked before it is timed: twice, as the timed calls repeat the same bytes.
		const first = (await call()).workflowData !== undefined;
		const second = (await call()).workflowData !== undefined;
		if (first !== (expect !== 'ignored') || second !== (expect === 'accepted')) {
			throw new Error(`${trigger.name}: expected ${expect}, the first call ${first ? 'started' : 'did not start'} the workflow, the second ${second ? 'did' : 'did not'}`);
		}

		collectGarbage();
		// With the store full, every call searches all 5,000 ids (the same id is then found last).
		const [hmac, webhook] = await timedInTurn(() => hmacSha256(SECRET, body), call, iterations);
		rows.push({ size: body.length, trigger: trigger.name, hmac, webhook, ratio: webhook / hmac });
	}
}

const fmtSize = (bytes) => (bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`);
const fmtMs = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);
console.log('| body | trigger | bare HMAC-SHA256 (median) | webhook() (median) | ratio |');
console.log('| --- | --- | --- | --- | --- |');
for (const row of rows) {
	console.log(`| ${fmtSize(row.size)} | ${row.trigger} | ${fmtMs(row.hmac)} | ${fmtMs(row.webhook)} | ${row.ratio.toFixed(2)}× |`);
}

// Growth with the body: time per byte at each size over time per byte at the smallest size of at
// least 64 KB (fixed per-call costs dominate below it). 1.0 throughout is linear; a quadratic step
// would double the figure with every doubling of the body.
const base = SIZES.filter((size) => size >= 65536).sort((a, b) => a - b)[0];
const larger = SIZES.filter((size) => base !== undefined && size > base).sort((a, b) => a - b);
if (larger.length > 0) {
	console.log('');
	console.log(`| trigger | webhook() time per byte, relative to ${fmtSize(base)}: ${larger.map(fmtSize).join(' / ')} | bare HMAC, same |`);
	console.log('| --- | --- | --- |');
	for (const trigger of triggers) {
		const mine = rows.filter((row) => row.trigger === trigger.name);
		const at = (size) => mine.find((row) => Math.abs(row.size - size) / size < 0.05);
		const first = at(base);
		if (first === undefined) continue;
		const perByte = (row, key) => row[key] / row.size / (first[key] / first.size);
		const figures = (key) => larger.map((size) => (at(size) ? perByte(at(size), key).toFixed(2) : '–')).join(' / ');
		console.log(`| ${trigger.name} | ${figures('webhook')} | ${figures('hmac')} |`);
	}
}
