/**
 * n8n's editor in a real browser, with this package installed: headless Chromium (Debian's
 * /usr/bin/chromium, driven by playwright-core) against the end-to-end harness's n8n 2.40.7.
 *
 *   npm run test:browser
 *
 * It signs in through the sign-in page, finds every trigger in the node panel with its icon, adds
 * each one to a workflow (events, webhook URLs), and creates its credential through n8n's form.
 * Screenshots for the README are written to docs/. On a failure, a screenshot of the page, the
 * browser's console errors and n8n's last log lines are put in the error.
 */
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Page } from 'playwright-core';

import { N8n, REPO_ROOT } from '../../scripts/n8n/n8n';
import { eventually, launchChromium, recordPageErrors, VIEWPORT, type Browser } from './browser';
import { Editor, UI_TIMEOUT } from './editor';
import { TRIGGERS, type TriggerUnderTest } from './triggers';

const DOCS = path.join(REPO_ROOT, 'docs');
const SEARCH = 'Site';

/** n8n's node search matches names and codex aliases: these triggers must come up for "Site". */
function foundBySearch(trigger: TriggerUnderTest): boolean {
	return [trigger.displayName, ...trigger.aliases].some((word) => word.toLowerCase().includes(SEARCH.toLowerCase()));
}

/** What to type to find a trigger: "Site" where that finds it, else its provider's name. */
function searchFor(trigger: TriggerUnderTest): string {
	return foundBySearch(trigger) ? SEARCH : trigger.displayName.replace(/ Trigger$/, '');
}

function sorted(values: string[]): string[] {
	return [...values].sort((a, b) => a.localeCompare(b));
}

/** "On job completed" (n8n's action for the event "Job Completed") → "job completed". */
function actionEvent(action: string): string {
	return action.replace(/^on\s+/i, '').trim().toLowerCase();
}

interface StoredCredential {
	id: string;
	name: string;
	type: string;
}

describe('n8n editor with n8n-nodes-site-webhooks, in Chromium', () => {
	let n8n: N8n;
	let browser: Browser;
	let page: Page;
	let editor: Editor;
	const pageErrors: string[] = [];
	let failureDir: string | undefined;

	/** Opens a fresh tab (the browser keeps the sign-in cookie) and makes it the current one. */
	async function openTab(): Promise<void> {
		if (page && !page.isClosed()) await page.close();
		page = await browser.context.newPage();
		recordPageErrors(page, pageErrors);
		editor = new Editor(page, n8n.baseUrl);
	}

	/** A screenshot for the README, once the pointer is out of the way and transitions have ended. */
	async function screenshotForDocs(file: string): Promise<void> {
		// The top edge of the page is empty header or backdrop: nothing there reacts to hovering.
		await page.mouse.move(VIEWPORT.width / 2, 2);
		await page.waitForTimeout(750);
		await page.screenshot({ path: path.join(DOCS, file) });
	}

	/** Runs a test's body; a failure carries a screenshot path, console errors and n8n's log tail. */
	async function withDiagnostics(name: string, body: () => Promise<void>): Promise<void> {
		const errorsBefore = pageErrors.length;
		try {
			await body();
		} catch (error) {
			let screenshot = '(no page open)';
			if (page && !page.isClosed()) {
				failureDir ??= await fsp.mkdtemp(path.join(os.tmpdir(), 'site-webhooks-browser-failure-'));
				const file = path.join(failureDir, `${name.replace(/[^A-Za-z0-9.-]+/g, '-')}.png`);
				screenshot = await page
					.screenshot({ path: file, timeout: 30_000 })
					.then(() => `${file} (page ${page.url()})`)
					.catch((reason: unknown) => `(screenshot failed: ${(reason as Error).message})`);
			}
			const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
			throw new Error(
				`${name} failed: ${detail}\n` +
					`--- screenshot ---\n${screenshot}\n` +
					`--- browser errors during the test ---\n${pageErrors.slice(errorsBefore).slice(-20).join('\n') || '(none)'}\n` +
					`--- n8n log tail ---\n${n8n.logs(60)}`,
			);
		}
	}

	beforeAll(async () => {
		await fsp.mkdir(DOCS, { recursive: true });
		n8n = await N8n.create();
		await n8n.start();
		browser = await launchChromium();
		await openTab();
	}, 10 * 60_000);

	afterAll(async () => {
		await browser?.close();
		await n8n?.dispose();
	}, 2 * 60_000);

	test('signs in as the owner through the sign-in page', async () => {
		await withDiagnostics('sign-in', async () => {
			// A fresh profile: the session can only come from the form below.
			expect(await browser.context.cookies(n8n.baseUrl)).toEqual([]);
			await editor.signIn(n8n.owner.email, n8n.owner.password);
			const cookies = await browser.context.cookies(n8n.baseUrl);
			expect(cookies.map((cookie) => cookie.name)).toContain('n8n-auth');
			expect(new URL(page.url()).pathname).not.toMatch(/^\/signin/);
		});
	}, 5 * 60_000);

	test(`the node panel finds every trigger, with its icon, searching "${SEARCH}"`, async () => {
		await withDiagnostics('node-panel', async () => {
			await editor.newWorkflow();
			await editor.openNodeCreator();
			await editor.search(SEARCH);
			const bySearch = TRIGGERS.filter(foundBySearch);
			await eventually(
				`"${SEARCH}" lists ${bySearch.map((trigger) => trigger.displayName).join(', ')}`,
				async () => await Promise.all(bySearch.map(async (trigger) => await editor.triggerItem(trigger).count())),
				(counts) => expect(counts).toEqual(bySearch.map(() => 1)),
				UI_TIMEOUT,
			);
			for (const trigger of bySearch) {
				const icon = await editor.loadedIcon(editor.triggerItem(trigger), trigger.displayName);
				expect(trigger.iconPaths).toContain(icon.path);
			}
			await screenshotForDocs('node-panel.png');

			// A trigger whose name and aliases do not contain "Site" is found under its own name.
			for (const trigger of TRIGGERS.filter((candidate) => !foundBySearch(candidate))) {
				await editor.search(searchFor(trigger));
				const item = editor.triggerItem(trigger);
				await item.waitFor({ state: 'visible' });
				const icon = await editor.loadedIcon(item, trigger.displayName);
				expect(trigger.iconPaths).toContain(icon.path);
			}
		});
	}, 5 * 60_000);

	describe.each(TRIGGERS.map((trigger) => [trigger.displayName, trigger] as const))('%s', (_name, trigger) => {
		test('added to a workflow: its events, its webhook URLs, and its credential made in the form', async () => {
			await withDiagnostics(trigger.provider, async () => {
				await openTab();
				await editor.newWorkflow();

				// n8n 2.40 offers a trigger's events as actions when it has several ("On job completed"),
				// and an "Add to workflow" button for a trigger of one event.
				const actions = await editor.addTrigger(trigger, searchFor(trigger));
				const expectedActions = trigger.events.length > 1 ? trigger.events.map((event) => event.toLowerCase()) : [];
				expect(sorted(actions.map(actionEvent))).toEqual(sorted(expectedActions));
				await expect(editor.ndv.getByTestId('node-title-container').innerText()).resolves.toContain(trigger.displayName);

				// Events: exactly the events of the provider's facts (<Provider>Provider.ts).
				expect(sorted(await editor.eventOptions())).toEqual(sorted(trigger.events));

				// Webhook URLs: the test and production URLs of one webhook id, on this n8n.
				await editor.showWebhookUrls();
				const testUrl = await editor.webhookUrl('test');
				const webhookId = /\/webhook-test\/([0-9a-f-]{36})\/webhook$/.exec(testUrl)?.[1];
				expect(webhookId).toBeDefined();
				expect(testUrl).toBe(n8n.testUrl(webhookId as string));
				const productionUrl = await editor.webhookUrl('production');
				expect(productionUrl).toBe(n8n.productionUrl(webhookId as string));
				if (trigger.provider === 'Sitemark') {
					await screenshotForDocs('sitemark-trigger.png');
				}

				// The credential form: secrets masked, a link to the credential's documentation.
				await editor.openNewCredentialForm();
				const modal = editor.credentialModal;
				const dialog = editor.credentialDialog;
				await modal.getByText(trigger.credential.displayName, { exact: true }).first().waitFor({ state: 'visible' });
				expect(trigger.credential.fields.some((field) => field.password)).toBe(true);
				for (const field of trigger.credential.fields) {
					const input = editor.credentialInput(field.name);
					await input.waitFor({ state: 'visible' });
					expect((await editor.inputState(input)).type).toBe(field.password ? 'password' : 'text');
				}
				const docsLink = dialog.locator(`a[href="${trigger.credential.documentationUrl}"]`);
				await docsLink.first().waitFor({ state: 'visible' });

				// Type every required field, as a person would; masked fields stay masked.
				const required = trigger.credential.fields.filter((field) => field.required);
				expect(required.length).toBeGreaterThan(0);
				for (const field of required) {
					const value = `browser-${trigger.provider.toLowerCase()}-${field.name}-0123456789`;
					const input = editor.credentialInput(field.name);
					await input.click();
					await input.pressSequentially(value, { delay: 5 });
					await input.press('Tab');
					const state = await editor.inputState(input);
					expect(state).toEqual({ type: field.password ? 'password' : 'text', value });
				}
				// n8n takes a typed value into its form a moment after the last key (debounced): saving
				// before that stores the value and then finds an unsaved change, which asks to discard it.
				await page.waitForTimeout(1000);
				if (trigger.provider === 'Sitemark') {
					await screenshotForDocs('credential-form.png');
				}

				const credentialName = (await modal.getByTestId('credential-name').innerText()).trim();
				expect(credentialName).not.toBe('');
				const saved = page.waitForResponse(
					(response) =>
						new URL(response.url()).pathname === '/rest/credentials' && response.request().method() === 'POST',
				);
				await modal.getByTestId('credential-save-button').click();
				const answer = await saved;
				expect(answer.status()).toBe(200);
				const created = ((await answer.json()) as { data: StoredCredential }).data;
				expect(created).toMatchObject({ name: credentialName, type: trigger.credential.name });

				// Opened from the node panel, the form closes itself once saved, and the node uses it.
				const discardPrompt = page.getByText('Close without saving?');
				await eventually(
					'the credential form closes after saving',
					async () => ({ form: await modal.isVisible(), discardPrompt: await discardPrompt.isVisible() }),
					(state) => expect(state).toEqual({ form: false, discardPrompt: false }),
					UI_TIMEOUT,
				);
				await eventually(
					'the node panel selects the new credential',
					async () => await editor.credentialSlot.getByTestId('node-credentials-select').locator('input').inputValue(),
					(value) => expect(value).toBe(credentialName),
					UI_TIMEOUT,
				);

				// n8n stored it: its REST API lists it under the credential type.
				const stored = await n8n.rest<StoredCredential[]>('GET', '/credentials');
				expect(stored.filter((credential) => credential.type === trigger.credential.name)).toEqual([
					expect.objectContaining({ id: created.id, name: credentialName, type: trigger.credential.name }),
				]);
			});
		}, 5 * 60_000);
	});
});
