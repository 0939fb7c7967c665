// The demo set-up that `npm run dev` imports and `npm run send` signs for: one workflow per
// trigger, each with a fixed webhook id and a demo credential. None of these are real secrets.

export const DEV_PORT = Number(process.env.N8N_DEV_PORT ?? 5678);

export const DEMO_PROVIDERS = {
	sitemark: {
		title: 'Sitemark',
		nodeType: 'sitemarkTrigger',
		credentialType: 'sitemarkWebhookApi',
		provider: ['Sitemark/SitemarkProvider.js', 'sitemarkProvider'],
		webhookId: '5e1a0c2e-0001-4a6b-9d1e-000000000001',
		credentials: { webhookSecret: 'demo-sitemark-secret' },
	},
	sitemarks: {
		title: 'Sitemarks',
		nodeType: 'sitemarksTrigger',
		credentialType: 'sitemarksWebhookApi',
		provider: ['Sitemarks/SitemarksProvider.js', 'sitemarksProvider'],
		webhookId: '5e1a0c2e-0002-4a6b-9d1e-000000000002',
		credentials: { webhookSecret: 'demo-sitemarks-secret' },
	},
	sitecapture: {
		title: 'SiteCapture',
		nodeType: 'siteCaptureTrigger',
		credentialType: 'siteCaptureWebhookApi',
		provider: ['SiteCapture/SiteCaptureProvider.js', 'siteCaptureProvider'],
		webhookId: '5e1a0c2e-0003-4a6b-9d1e-000000000003',
		credentials: { webhookSecret: 'demo-sitecapture-hmac-secret', apiKey: 'demo-sitecapture-api-key' },
	},
	sitemapxml: {
		title: 'Sitemap.xml',
		nodeType: 'sitemapXmlTrigger',
		credentialType: 'sitemapXmlWebhookApi',
		provider: ['SitemapXml/SitemapXmlProvider.js', 'sitemapXmlProvider'],
		webhookId: '5e1a0c2e-0004-4a6b-9d1e-000000000004',
		credentials: { webhookSecret: 'demo-sitemapxml-secret' },
	},
	contentspal: {
		title: 'ContentsPal',
		nodeType: 'contentsPalTrigger',
		credentialType: 'contentsPalWebhookApi',
		provider: ['ContentsPal/ContentsPalProvider.js', 'contentsPalProvider'],
		webhookId: '5e1a0c2e-0005-4a6b-9d1e-000000000005',
		credentials: { webhookSecret: 'demo-contentspal-secret' },
	},
};

export function productionUrl(key, port = DEV_PORT) {
	return `http://localhost:${port}/webhook/${DEMO_PROVIDERS[key].webhookId}/webhook`;
}
