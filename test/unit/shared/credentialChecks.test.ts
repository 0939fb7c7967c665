import type { ICredentialTestFunctions } from 'n8n-workflow';

import { activationCheck, signingCredentialMethods } from '../../../nodes/shared/credentialChecks';
import type { TriggerProvider } from '../../../nodes/shared/TriggerProvider';
import { hookContext } from '../helpers/expectations';

const provider: TriggerProvider = {
	name: 'Example',
	setup: 'Paste the URL into Example.',
	credential: { type: 'exampleWebhookApi' },
	signature: { header: 'x-signature', encodings: ['hex'], prefix: '' },
	rejectionStatus: 401,
	events: [],
	duplicates: { dropByDefault: true, why: '' },
};
const withApiKey: TriggerProvider = {
	...provider,
	credential: { type: 'exampleWebhookApi', fields: { apiKey: { label: 'API key', required: true } } },
};

function testCredential(data: Record<string, unknown>, of: TriggerProvider = withApiKey) {
	const { checkSigningCredential } = signingCredentialMethods(of).credentialTest;
	return checkSigningCredential.call({} as ICredentialTestFunctions, {
		id: '1',
		name: 'Example',
		type: 'exampleWebhookApi',
		data: data as Record<string, string>,
	});
}


describe('checkSigningCredential (the credential test)', () => {
	it('passes a secret without stray spaces', async () => {
		await expect(testCredential({ webhookSecret: 'abc123' }, provider)).resolves.toEqual(
			expect.objectContaining({ status: 'OK' }),
		);
	});

	it.each([
		['a trailing line break', { webhookSecret: 'abc123\n' }, 'webhookSecret'],
		['a leading space', { webhookSecret: ' abc123' }, 'webhookSecret'],
		['a previous secret with a trailing space', { webhookSecret: 'abc', previousWebhookSecret: 'old ' }, 'previousWebhookSecret'],
		['an API key with a trailing tab', { webhookSecret: 'abc', apiKey: 'key\t' }, 'apiKey'],
	])('fails on %s, naming the field but not its value', async (_name, data, field) => {
		const result = await testCredential(data);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(field);
		expect(result.message).not.toContain('abc');
	});

	it('fails when no secret is set', async () => {
		await expect(testCredential({ webhookSecret: '' }, provider)).resolves.toEqual(expect.objectContaining({ status: 'Error' }));
	});

	it('asks for an API key only of a provider whose credential has one', async () => {
		await expect(testCredential({ webhookSecret: 's' }, provider)).resolves.toEqual(expect.objectContaining({ status: 'OK' }));
		await expect(testCredential({ webhookSecret: 's' }, withApiKey)).resolves.toEqual(
			expect.objectContaining({ status: 'Error', message: 'No API key is set: every delivery would be refused' }),
		);
	});
});

describe('activationCheck (the webhook lifecycle)', () => {
	const hooks = activationCheck(provider);

	it('always asks n8n to run create, and has nothing to remove on delete', async () => {
		await expect(hooks.checkExists.call(hookContext({ webhookSecret: 's' }))).resolves.toBe(false);
		await expect(hooks.delete.call(hookContext({ webhookSecret: 's' }))).resolves.toBe(true);
	});

	it('activates when the credential has a secret', async () => {
		await expect(hooks.create.call(hookContext({ webhookSecret: 's' }))).resolves.toBe(true);
	});

	it('refuses to activate with an empty secret, saying why', async () => {
		await expect(hooks.create.call(hookContext({ webhookSecret: '' }))).rejects.toThrow('has no signing secret');
	});

	it('refuses to activate with no credential', async () => {
		await expect(hooks.create.call(hookContext(null))).rejects.toThrow('Select a Example credential');
	});

	it('activates without a secret only for a provider that may send unsigned deliveries, when the user allows it', async () => {
		const unsigned = activationCheck({ ...provider, mayBeUnsigned: true });
		await expect(unsigned.create.call(hookContext(null, { acceptUnsignedDeliveries: true }))).resolves.toBe(true);
		await expect(unsigned.create.call(hookContext(null, { acceptUnsignedDeliveries: false }))).rejects.toThrow();
		await expect(hooks.create.call(hookContext(null, { acceptUnsignedDeliveries: true }))).rejects.toThrow();
	});
});

describe('credential fields a provider requires besides the secret', () => {
	const withKey = activationCheck(withApiKey);

	it('refuses to activate when the required field is empty or missing, naming it by its label', async () => {
		await expect(withKey.create.call(hookContext({ webhookSecret: 's', apiKey: '' }))).rejects.toThrow(
			'has no API key',
		);
		await expect(withKey.create.call(hookContext({ webhookSecret: 's' }))).rejects.toThrow('has no API key');
		await expect(withKey.create.call(hookContext({ webhookSecret: 's', apiKey: 'k' }))).resolves.toBe(true);
	});

	it('fails the credential test for a credential type with an empty API key', async () => {
		await expect(testCredential({ webhookSecret: 's', apiKey: '' })).resolves.toEqual(
			expect.objectContaining({ status: 'Error', message: expect.stringContaining('API key') }),
		);
		await expect(testCredential({ webhookSecret: 's', apiKey: 'k' })).resolves.toEqual(
			expect.objectContaining({ status: 'OK' }),
		);
	});
});
