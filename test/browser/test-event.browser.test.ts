/**
 * The journey a user takes while building a workflow, in n8n's editor in Chromium: open the
 * trigger, read what the panel says, listen for a test event, see a forged delivery to the Test URL
 * leave the panel waiting, then see a signed sample (what `npm run send` sends) arrive as the
 * trigger's output item. Screenshots of the waiting panel and of the received item go to docs/.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Page } from 'playwright-core';

import { N8n, REPO_ROOT } from '../../scripts/n8n/n8n';
import { triggerWorkflow } from '../../scripts/n8n/workflows';
import { provider } from '../support/providers';
import { signatureFor } from '../support/signer';
import { eventually, launchChromium, recordPageErrors, VIEWPORT, type Browser } from './browser';
import { Editor, UI_TIMEOUT } from './editor';

const DOCS = path.join(REPO_ROOT, 'docs');
const SECRET = 'browser-test-event-secret';
const sitemark = provider('sitemark');
const sample = sitemark.samples.find((candidate) => candidate.format === 'json');

describe('listening for a test event in the editor, in Chromium', () => {
	let n8n: N8n;
	let browser: Browser;
	let page: Page;
	let editor: Editor;
	const pageErrors: string[] = [];

	beforeAll(async () => {
		await fsp.mkdir(DOCS, { recursive: true });
		n8n = await N8n.create();
		await n8n.start();
		browser = await launchChromium();
		page = await browser.context.newPage();
		recordPageErrors(page, pageErrors);
		editor = new Editor(page, n8n.baseUrl);
		await editor.signIn(n8n.owner.email, n8n.owner.password);
	}, 10 * 60_000);

	afterAll(async () => {
		await browser?.close();
		await n8n?.dispose();
	}, 2 * 60_000);

	async function screenshotForDocs(file: string): Promise<void> {
		await page.mouse.move(VIEWPORT.width / 2, 2);
		await page.waitForTimeout(750);
		await page.screenshot({ path: path.join(DOCS, file) });
	}

	function canvasNode(name: string) {
		return page.getByTestId('canvas-node').filter({ hasText: name });
	}

	async function openNode(name: string): Promise<void> {
		await canvasNode(name).first().dblclick();
		await editor.ndv.waitFor({ state: 'visible' });
	}

	test('listen → a forged delivery leaves the panel waiting → a signed sample shows its item', async () => {
		try {
			await journey();
		} catch (error) {
			const shot = path.join(os.tmpdir(), 'site-webhooks-test-event-failure.png');
			await page.screenshot({ path: shot }).catch(() => undefined);
			throw new Error(`${(error as Error).stack ?? String(error)}\nscreenshot: ${shot}\nn8n log tail:\n${n8n.logs(40)}`);
		}
	}, 6 * 60_000);

	async function journey(): Promise<void> {
		expect(sample).toBeDefined();
		const body = fs.readFileSync(sample!.file);
		const payload = JSON.parse(body.toString('utf8')) as { event: string; data: Record<string, unknown> };
		const credential = await n8n.createCredential({
			name: 'Sitemark test event',
			type: sitemark.credentialType,
			data: { webhookSecret: SECRET },
		});
		const built = triggerWorkflow({
			name: 'Sitemark test event',
			node: sitemark.nodeName,
			triggerName: sitemark.displayName,
			credentialType: sitemark.credentialType,
			credential,
			parameters: { events: sitemark.facts.events.map((event) => event.value), options: {} },
		});
		const workflowId = await n8n.deploy(built.workflow, { activate: false });
		const panel = sitemark.node().description;
		const help = panel.triggerPanel as { header: string; executionsHelp: { inactive: string }; activationHint: string };

		await page.goto(`${n8n.baseUrl}/workflow/${workflowId}`);
		await canvasNode(sitemark.displayName).first().waitFor({ state: 'visible' });
		await openNode(sitemark.displayName);

		// Before listening: what to do, where to send it, and why a bad signature never shows up.
		const header = editor.ndv.getByTestId('trigger-header');
		await expect(header.innerText()).resolves.toContain(help.header);
		await editor.ndv.getByText(help.activationHint).waitFor({ state: 'visible' });
		await editor.ndv.getByText('When will this node trigger my flow?').click();
		await editor.ndv.getByText(/Only deliveries signed with the credential's secret show up here/).first().waitFor({ state: 'visible' });

		// Listening: the panel waits for the Test URL.
		await header.getByTestId('trigger-execute-button').or(editor.ndv.getByTestId('trigger-execute-button')).first().click();
		const listening = editor.ndv.getByTestId('trigger-listening');
		await listening.waitFor({ state: 'visible' });
		await expect(listening.innerText()).resolves.toContain('Listening for test event');
		await screenshotForDocs('test-event-waiting.png');
		const testUrl = n8n.testUrl(built.webhookId);

		// The canvas says what the trigger waits for.
		await page.keyboard.press('Escape');
		await editor.ndv.waitFor({ state: 'hidden' });
		await canvasNode(sitemark.displayName).getByText(panel.eventTriggerDescription as string).waitFor({ state: 'visible' });
		await openNode(sitemark.displayName);
		await listening.waitFor({ state: 'visible' });

		// A forged delivery is refused and the panel keeps waiting.
		const { header: signatureHeader, prefix } = sitemark.facts.signature;
		const forged = await n8n.request('POST', testUrl, {
			rawBody: body,
			headers: { 'content-type': 'application/json', [signatureHeader]: signatureFor('not-the-secret', body, { prefix }) },
		});
		expect(forged.status).toBe(sitemark.facts.rejectionStatus);
		await page.waitForTimeout(2000);
		await expect(listening.isVisible()).resolves.toBe(true);
		const output = page.getByTestId('output-panel');
		await expect(output.innerText()).resolves.not.toContain(String(payload.data.job_id));

		// A signed sample arrives as the trigger's item, with the provider's fields.
		const signed = await n8n.request('POST', testUrl, {
			rawBody: body,
			headers: { 'content-type': 'application/json', [signatureHeader]: signatureFor(SECRET, body, { prefix }) },
		});
		expect(signed.status).toBe(200);
		await eventually(
			'the output pane shows the delivered item',
			async () => await output.innerText(),
			(text) => {
				for (const value of [payload.event, String(payload.data.job_id)]) expect(text).toContain(value);
			},
			UI_TIMEOUT,
		);
		// The item can be drawn a frame before the panel stops listening: wait for both.
		await listening.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
		await screenshotForDocs('test-event-received.png');
		expect(pageErrors.filter((error) => /sitemark|site-webhooks/i.test(error))).toEqual([]);
	}
});
