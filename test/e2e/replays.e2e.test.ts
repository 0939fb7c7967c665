/**
 * Replays and stale deliveries on a real n8n, on every trigger where they apply: a captured genuine
 * delivery sent again answers 200 and starts nothing (Drop Duplicate Deliveries, on by default
 * except for SiteCapture), and with Max Delivery Age set a delivery whose signed timestamp is too
 * old or too far ahead is refused while a fresh one starts the workflow.
 */
import * as fs from 'node:fs';

import { lineFromEnv } from '../../scripts/n8n/n8n';
import { triggerWorkflow } from '../../scripts/n8n/workflows';
import { PROVIDERS, type Provider } from '../support/providers';
import { signatureFor } from '../support/signer';
import { ACKNOWLEDGED, expectNoNewExecution, n8nForSuite, oneNewExecution, post, REJECTED } from './harness/deliveries';

const line = lineFromEnv();
const SECRET = 'replay-e2e-secret-7d2b';
const MINUTE = 60_000;

type Body = Record<string, unknown>;

/** The provider's first documented JSON sample, parsed. */
function sampleOf(provider: Provider): Body {
	const sample = provider.samples.find((candidate) => candidate.format === 'json');
	if (sample === undefined) throw new Error(`${provider.folder} has no JSON sample`);
	return JSON.parse(fs.readFileSync(sample.file, 'utf8')) as Body;
}

/** The top-level field of `body` that the provider's facts read `pick` from, if any. */
function fieldRead(body: Body, pick: ((envelope: never) => unknown) | undefined): string | undefined {
	if (pick === undefined) return undefined;
	const value = pick(body as never);
	return Object.keys(body).find((key) => value !== undefined && body[key] === value);
}

/**
 * A delivery of the provider's sample made unique (its id, if it has one, and its timestamp) and
 * sent at `sentAt`; without a timestamp field the sample is made unique by an extra field.
 */
function delivery(provider: Provider, sentAt: number): Body {
	const body = { ...sampleOf(provider) };
	const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
	const idField = fieldRead(body, provider.facts.duplicates.deliveryId as never);
	if (idField !== undefined) body[idField] = `replay_${unique}`;
	const timeField = fieldRead(body, provider.facts.sentAt as never);
	if (timeField !== undefined) body[timeField] = new Date(sentAt).toISOString();
	else body.note = unique;
	return body;
}

/** Credential data: the secret, and each other field the sample carries (SiteCapture's api_key). */
function credentialData(provider: Provider): Record<string, string> {
	const sample = sampleOf(provider);
	const data: Record<string, string> = { webhookSecret: SECRET };
	for (const field of Object.keys(provider.facts.credential.fields ?? {})) {
		const key = Object.keys(sample).find((name) => name.replace(/_/g, '').toLowerCase() === field.toLowerCase());
		if (key === undefined) throw new Error(`${provider.folder}: no sample field for credential field ${field}`);
		data[field] = String(sample[key]);
	}
	return data;
}

describe(`replays and stale deliveries on n8n line ${line}`, () => {
	const suite = n8nForSuite();

	async function deploy(provider: Provider, parameters: Record<string, unknown>, typeVersion?: number) {
		const credential = await suite.get().createCredential({
			name: `${provider.folder} replays ${Math.random().toString(36).slice(2, 8)}`,
			type: provider.credentialType,
			data: credentialData(provider),
		});
		const built = triggerWorkflow({
			node: provider.nodeName,
			triggerName: provider.displayName,
			credentialType: provider.credentialType,
			credential,
			parameters: { events: provider.facts.events.map((event) => event.value), options: {}, ...parameters },
			typeVersion,
		});
		const id = await suite.get().deploy(built.workflow);
		return { id, url: suite.get().productionUrl(built.webhookId) };
	}

	/** Posts the exact text `body`, signed as the provider signs it. */
	async function send(provider: Provider, url: string, body: string) {
		const { header, prefix, encodings } = provider.facts.signature;
		return await post(suite.get(), url, body, {
			'content-type': 'application/json',
			[header]: signatureFor(SECRET, body, { prefix, encoding: encodings[0] }),
			...(provider.facts.eventHeader ? { [provider.facts.eventHeader]: String(JSON.parse(body).event) } : {}),
		});
	}

	describe.each(PROVIDERS.map((provider) => [provider.folder, provider] as const))('%s', (_folder, provider) => {
		const dropsByDefault = provider.facts.duplicates.dropByDefault;

		test(`a captured genuine delivery sent again ${dropsByDefault ? 'answers 200 and starts nothing' : 'starts again by default (a genuine body can repeat)'}`, async () => {
			const workflow = await deploy(provider, {});
			const body = JSON.stringify(delivery(provider, Date.now()));

			const first = await send(provider, workflow.url, body);
			expect(first.status).toBe(200);
			expect(first.json).toEqual(ACKNOWLEDGED);
			await oneNewExecution(suite.get(), workflow.id, []);
			const before = await suite.get().executionsAfterSettling(workflow.id, 0);
			expect(before).toHaveLength(1);

			const replay = await send(provider, workflow.url, body);
			expect(replay.status).toBe(200);
			expect(replay.json).toEqual(ACKNOWLEDGED);
			if (dropsByDefault) await expectNoNewExecution(suite.get(), workflow.id, before);
			else await oneNewExecution(suite.get(), workflow.id, before);
		});

		test(`with Drop Duplicate Deliveries ${dropsByDefault ? 'off every copy starts' : 'on a copy starts nothing'}`, async () => {
			const workflow = await deploy(provider, { dropDuplicates: !dropsByDefault });
			const body = JSON.stringify(delivery(provider, Date.now()));
			expect((await send(provider, workflow.url, body)).status).toBe(200);
			await oneNewExecution(suite.get(), workflow.id, []);
			const before = await suite.get().executionsAfterSettling(workflow.id, 0);
			expect(before).toHaveLength(1);
			expect((await send(provider, workflow.url, body)).status).toBe(200);
			if (dropsByDefault) await oneNewExecution(suite.get(), workflow.id, before);
			else await expectNoNewExecution(suite.get(), workflow.id, before);
		});

		if (provider.facts.sentAt === undefined) return;

		test('with Max Delivery Age set, a stale or future delivery is refused and a fresh one starts the workflow', async () => {
			const workflow = await deploy(provider, { options: { maxDeliveryAgeMinutes: 5 } });
			for (const sentAt of [Date.now() - 10 * MINUTE, Date.now() + 10 * MINUTE]) {
				const refused = await send(provider, workflow.url, JSON.stringify(delivery(provider, sentAt)));
				expect(refused.status).toBe(provider.facts.rejectionStatus);
				expect(refused.json).toEqual(REJECTED);
			}
			await expectNoNewExecution(suite.get(), workflow.id, []);

			const fresh = await send(provider, workflow.url, JSON.stringify(delivery(provider, Date.now() - MINUTE)));
			expect(fresh.status).toBe(200);
			await oneNewExecution(suite.get(), workflow.id, []);
		});

		test('without Max Delivery Age, a delivery a day old still starts the workflow (a trigger added at version 1)', async () => {
			const workflow = await deploy(provider, {}, 1);
			const old = await send(provider, workflow.url, JSON.stringify(delivery(provider, Date.now() - 24 * 60 * MINUTE)));
			expect(old.status).toBe(200);
			await oneNewExecution(suite.get(), workflow.id, []);
		});
	});
});
