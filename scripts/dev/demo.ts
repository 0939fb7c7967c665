/**
 * The demo `npm run dev` sets up and `npm run send` delivers to: one credential and one active
 * workflow per provider of the one provider list, each with a webhook id derived from the
 * provider's key and a demo (not real) secret, so a new provider is in the demo without an edit.
 * Loads the built package (dist/): `npm run build` must have run before it is first called.
 */
import type { Provider } from '../../test/support/providers';

/** The port `npm run dev` starts n8n on (N8N_DEV_PORT overrides it). */
export const DEV_PORT = Number(process.env.N8N_DEV_PORT ?? 5678);

export interface DemoProvider {
	/** The provider's key, as `npm run send -- <key> <event>` takes it. */
	key: string;
	/** The demo workflow's and credential's name. */
	title: string;
	nodeName: string;
	triggerName: string;
	credentialType: string;
	webhookId: string;
	credentials: Record<string, string>;
	provider: Provider;
}

/** Every provider's demo, in the order of package.json's `n8n` block. */
export function demoProviders(): DemoProvider[] {
	// Loaded here, not at start: it reads the built package, which `npm run dev` builds first.
	const { PROVIDERS } = require('../../test/support/providers') as typeof import('../../test/support/providers');
	const { credentialData, demoSecret, demoWebhookId } = require('../../test/support/deliveries') as typeof import('../../test/support/deliveries');
	return PROVIDERS.map((provider) => ({
		key: provider.key,
		title: `${provider.facts.name} demo`,
		nodeName: provider.nodeName,
		triggerName: provider.displayName,
		credentialType: provider.credentialType,
		webhookId: demoWebhookId(provider),
		credentials: credentialData(provider, demoSecret(provider)),
		provider,
	}));
}

/** The production URL of a provider's demo workflow on `port`. */
export function demoUrl(demo: Pick<DemoProvider, 'webhookId'>, port: number = DEV_PORT): string {
	return `http://localhost:${port}/webhook/${demo.webhookId}/webhook`;
}
