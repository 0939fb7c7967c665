/**
 * The parts of n8n's editor (2.40.x) the browser test uses, found by n8n's own data-test-id
 * attributes wherever the editor has one.
 */
import type { Locator, Page } from 'playwright-core';

import { eventually } from './browser';
import type { TriggerUnderTest } from './triggers';

/** Time for anything the editor renders; it takes seconds on a 2-core machine. */
export const UI_TIMEOUT = 60_000;

export interface IconState {
	tag: string;
	/** Path of the image's URL, e.g. /icons/<package>/dist/nodes/Sitemark/sitemark.svg. */
	path: string;
	complete: boolean;
	naturalWidth: number;
}

/** What an <img> element offers to the checks below (the test is compiled without the DOM lib). */
interface ImageElement {
	tagName: string;
	currentSrc: string;
	src: string;
	complete: boolean;
	naturalWidth: number;
}

interface InputElement {
	type: string;
	value: string;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regular expression matching exactly one of the texts, give or take surrounding spaces. */
export function exactly(...texts: string[]): RegExp {
	return new RegExp(`^\\s*(${texts.map(escapeRegExp).join('|')})\\s*$`);
}

export class Editor {
	constructor(
		readonly page: Page,
		readonly baseUrl: string,
	) {
		page.setDefaultTimeout(UI_TIMEOUT);
		page.setDefaultNavigationTimeout(2 * UI_TIMEOUT);
	}

	// -------------------------------------------------------------------------------------------
	// Sign-in

	/** Types the owner's email and password into n8n's sign-in form and submits it. */
	async signIn(email: string, password: string): Promise<void> {
		await this.page.goto(`${this.baseUrl}/signin`);
		const emailInput = this.page.getByTestId('emailOrLdapLoginId').locator('input');
		const passwordInput = this.page.getByTestId('password').locator('input');
		await emailInput.click();
		await emailInput.pressSequentially(email, { delay: 10 });
		await passwordInput.click();
		await passwordInput.pressSequentially(password, { delay: 10 });
		const login = this.page.waitForResponse(
			(response) => new URL(response.url()).pathname === '/rest/login' && response.request().method() === 'POST',
		);
		await this.page.getByTestId('form-submit-button').click();
		const answer = await login;
		if (answer.status() !== 200) throw new Error(`sign-in answered ${answer.status()}: ${(await answer.text()).slice(0, 300)}`);
		await this.page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	}

	// -------------------------------------------------------------------------------------------
	// Canvas and node creator

	/** Opens an empty workflow (n8n saves it under a new id) and waits for its canvas. */
	async newWorkflow(): Promise<void> {
		await this.page.goto(`${this.baseUrl}/workflow/new`);
		await this.page.getByTestId('canvas-plus-button').waitFor({ state: 'visible' });
	}

	get nodeCreator(): Locator {
		return this.page.getByTestId('node-creator');
	}

	/** Opens the node panel with the empty canvas's "Add first step" button. */
	async openNodeCreator(): Promise<void> {
		await this.page.getByTestId('canvas-plus-button').click();
		await this.page.getByTestId('node-creator-search-bar').waitFor({ state: 'visible' });
	}

	/** Types a search into the node panel, replacing any earlier one. */
	async search(text: string): Promise<void> {
		const searchBar = this.page.getByTestId('node-creator-search-bar');
		await searchBar.fill('');
		await searchBar.pressSequentially(text, { delay: 20 });
	}

	/** Names of the items the node panel lists now. */
	async listedNames(): Promise<string[]> {
		const names = await this.nodeCreator.getByTestId('node-creator-item-name').allInnerTexts();
		return names.map((name) => name.trim());
	}

	/**
	 * The node panel's entry for a trigger. n8n lists a trigger whose events it offers as separate
	 * actions under its name without " Trigger" ("Sitemark"), others under the full name.
	 */
	triggerItem(trigger: TriggerUnderTest): Locator {
		const names = [trigger.displayName, trigger.displayName.replace(/ Trigger$/, '')];
		return this.nodeCreator
			.getByTestId('item-iterator-item')
			.filter({ has: this.page.getByTestId('node-creator-item-name').filter({ hasText: exactly(...names) }) });
	}

	/** The icon an element shows, once the browser has loaded it. */
	async loadedIcon(container: Locator, what: string): Promise<IconState> {
		const image = container.locator('img').first();
		return await eventually(
			`the icon of ${what} loads`,
			async () =>
				await image.evaluate((element): IconState => {
					const img = element as unknown as ImageElement;
					return {
						tag: img.tagName.toLowerCase(),
						path: new URL(img.currentSrc || img.src).pathname,
						complete: img.complete,
						naturalWidth: img.naturalWidth,
					};
				}),
			(icon) => {
				if (!icon.complete || icon.naturalWidth === 0) throw new Error(`not loaded: ${JSON.stringify(icon)}`);
			},
			UI_TIMEOUT,
		);
	}

	/**
	 * Adds a trigger from the node panel, after a search for it. The panel first shows the community
	 * node's details: its events as actions to start from, or an "Add to workflow" button. Returns the
	 * names of the actions it offered (empty when it offered the button).
	 */
	async addTrigger(trigger: TriggerUnderTest, searchText: string): Promise<string[]> {
		await this.openNodeCreator();
		await this.search(searchText);
		const item = this.triggerItem(trigger);
		await item.waitFor({ state: 'visible' });
		await item.click();

		const addButton = this.nodeCreator.getByRole('button', { name: 'Add to workflow' });
		const actions = this.nodeCreator
			.getByTestId('item-iterator-item')
			.filter({ has: this.page.getByTestId('node-creator-item-name') });
		// The details view slides in over the search results, which stay in the page until the
		// transition ends (or the node is added at once and its panel opens): wait for them to go
		// before reading what the view offers.
		await item.waitFor({ state: 'detached' });
		await addButton.or(actions.first()).or(this.ndv).first().waitFor({ state: 'visible' });
		let offered: string[] = [];
		if (await this.ndv.isVisible()) {
			return offered;
		}
		if (await addButton.isVisible()) {
			await addButton.click();
		} else {
			offered = (await actions.getByTestId('node-creator-item-name').allInnerTexts()).map((name) => name.trim());
			await actions.first().click();
		}
		await this.ndv.waitFor({ state: 'visible' });
		return offered;
	}

	// -------------------------------------------------------------------------------------------
	// Node panel (NDV)

	get ndv(): Locator {
		return this.page.getByTestId('ndv');
	}

	/** The options the Events parameter's drop-down offers (their headlines). */
	async eventOptions(): Promise<string[]> {
		await this.ndv.getByTestId('parameter-input-events').click();
		const popper = this.page.locator('.el-select__popper').filter({ visible: true });
		const options = popper.getByRole('option');
		await options.first().waitFor({ state: 'visible' });
		const names = (await options.locator('.option-headline').allInnerTexts()).map((name) => name.trim());
		// Escape closes the drop-down only; the panel stays open (checked below).
		await this.page.keyboard.press('Escape');
		await popper.waitFor({ state: 'hidden' });
		await this.ndv.waitFor({ state: 'visible' });
		return names;
	}

	/** Expands the panel's "Webhook URLs" section (collapsed by default). */
	async showWebhookUrls(): Promise<void> {
		const production = this.ndv.getByTestId('radio-button-production');
		if (await production.isVisible()) return;
		await this.ndv.getByText('Webhook URLs', { exact: true }).click();
		await production.waitFor({ state: 'visible' });
	}

	/** The URL the "Webhook URLs" section shows for its Test URL or Production URL tab. */
	async webhookUrl(which: 'test' | 'production'): Promise<string> {
		await this.ndv.getByTestId(`radio-button-${which}`).click();
		const pathPart = which === 'test' ? '/webhook-test/' : '/webhook/';
		return await eventually(
			`the ${which} webhook URL is shown`,
			async () => (await this.ndv.locator('.webhook-url').innerText()).trim(),
			(url) => {
				if (!url.includes(pathPart)) throw new Error(`shown: ${url}`);
			},
			UI_TIMEOUT,
		);
	}

	// -------------------------------------------------------------------------------------------
	// Credentials

	get credentialSlot(): Locator {
		return this.ndv.getByTestId('node-credentials-slot');
	}

	/** The credential modal: its header (name, type, Save) and the form below it. */
	get credentialModal(): Locator {
		return this.page.getByTestId('editCredential-modal');
	}

	/** The form part of the credential modal (sections and fields). */
	get credentialDialog(): Locator {
		return this.credentialModal.getByTestId('credential-edit-dialog');
	}

	/** Opens the credential form from the node panel of a node that has no credential yet. */
	async openNewCredentialForm(): Promise<void> {
		await this.credentialSlot.getByTestId('node-credentials-empty-state').click();
		await this.credentialDialog.waitFor({ state: 'visible' });
	}

	credentialInput(fieldName: string): Locator {
		return this.credentialDialog.getByTestId(`parameter-input-${fieldName}`).locator('input');
	}

	async inputState(input: Locator): Promise<InputElement> {
		return await input.evaluate((element): InputElement => {
			const field = element as unknown as InputElement;
			return { type: field.type, value: field.value };
		});
	}
}
