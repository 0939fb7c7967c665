/**
 * Headless Chromium for the browser test: Debian's /usr/bin/chromium (scripts/install-chromium.sh),
 * driven by playwright-core, which never downloads a browser of its own.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** n8n marks its elements with data-test-id, not Playwright's default data-testid. */
selectors.setTestIdAttribute('data-test-id');

const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	// The network is closed: without these Chromium keeps dialling Google's services.
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export const VIEWPORT = { width: 1280, height: 800 };

export interface Browser {
	context: BrowserContext;
	/** Closes Chromium and removes its profile. */
	close(): Promise<void>;
}

/** Starts Chromium with a fresh, empty profile in a temporary folder. */
export async function launchChromium(): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing: run "bash scripts/install-chromium.sh" (npm run test:browser does)`);
	}
	const userDataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'site-webhooks-chromium-'));
	let context: BrowserContext;
	try {
		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: VIEWPORT,
			// Icons and screenshots as a person sees them by default.
			colorScheme: 'light',
			timeout: 120_000,
		});
	} catch (error) {
		await fsp.rm(userDataDir, { recursive: true, force: true });
		throw error;
	}
	return {
		context,
		async close() {
			try {
				await context.close();
			} finally {
				await fsp.rm(userDataDir, { recursive: true, force: true });
			}
		},
	};
}

/** Console errors and uncaught exceptions of a page, kept for failure messages. */
export function recordPageErrors(page: Page, sink: string[]): void {
	page.on('console', (message) => {
		if (message.type() === 'error') sink.push(`[console] ${message.text().slice(0, 300)}`);
	});
	page.on('pageerror', (error) => sink.push(`[pageerror] ${error.message.slice(0, 300)}`));
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads a value until `check` accepts it (returns without throwing) or the time is up; then throws
 * `check`'s last error, prefixed with what was being waited for. The editor renders asynchronously,
 * so most assertions on it are made this way.
 */
export async function eventually<T>(
	what: string,
	read: () => Promise<T>,
	check: (value: T) => void,
	timeoutMs = 60_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let failure: unknown;
		try {
			const value = await read();
			check(value);
			return value;
		} catch (error) {
			failure = error;
		}
		if (Date.now() > deadline) {
			const message = failure instanceof Error ? failure.message : String(failure);
			throw new Error(`${what}: not so after ${timeoutMs / 1000}s\n${message}`);
		}
		await sleep(250);
	}
}
