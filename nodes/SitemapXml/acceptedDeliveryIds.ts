import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The ids of deliveries this trigger accepted, kept in the workflow's static data so that they
 * outlive an n8n restart. Sitemap.xml retries a failed delivery for up to 72 hours, so an id is
 * remembered for 73 hours after it was accepted. At most MAX_REMEMBERED_IDS are kept: past that
 * the oldest is forgotten first, and a retry of a forgotten id would start the workflow again.
 *
 * n8n gives every request its own copy of the static data, loaded before and saved after it,
 * whole: two deliveries handled at once would each miss the other's id, and the later save would
 * drop the earlier one's. So each trigger's ids are also kept in this process, by scope, checked
 * and updated in one synchronous step, and every save carries the union of both.
 */
export const REMEMBER_FOR_MS = 73 * 60 * 60 * 1000;
export const MAX_REMEMBERED_IDS = 5000;
/** Longer ids are remembered by their SHA-256, so one entry never takes more than 71 characters. */
const MAX_STORED_ID_LENGTH = 64;
const STATIC_DATA_KEY = 'acceptedDeliveryIds';
/** Triggers whose ids this process keeps; the one used longest ago is dropped first. */
export const MAX_SCOPES_IN_PROCESS = 1000;

const acceptedInProcess = new Map<string, RememberedIds>();

interface RememberedIds {
	ids: string[];
	acceptedAt: number[];
}

function read(staticData: IDataObject): RememberedIds {
	const stored = staticData[STATIC_DATA_KEY] as Partial<RememberedIds> | null | undefined;
	// Anything else in the slot (an older shape, a hand edit) is reset rather than trusted.
	const valid =
		typeof stored === 'object' &&
		stored !== null &&
		Array.isArray(stored.ids) &&
		Array.isArray(stored.acceptedAt) &&
		stored.ids.length === stored.acceptedAt.length &&
		stored.ids.every((id) => typeof id === 'string') &&
		stored.acceptedAt.every((time) => Number.isFinite(time));
	return valid ? { ids: [...stored.ids!], acceptedAt: [...stored.acceptedAt!] } : { ids: [], acceptedAt: [] };
}

function storedForm(id: string): string {
	return id.length <= MAX_STORED_ID_LENGTH ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/**
 * True when `id` was accepted within the window; otherwise records it as accepted now.
 * The whole record is assigned anew so that n8n sees the static data changed and saves it.
 * With a `scope` (one per trigger node and execution mode), ids accepted in this process count
 * too, also those another request's copy of the static data does not hold yet.
 */
export function isDuplicateElseRemember(staticData: IDataObject, id: string, now: number, scope?: string): boolean {
	const stored = read(staticData);
	const remembered = union(scope === undefined ? { ids: [], acceptedAt: [] } : recall(scope), stored);
	let expired = 0;
	while (expired < remembered.acceptedAt.length && remembered.acceptedAt[expired] <= now - REMEMBER_FOR_MS) expired++;
	const key = storedForm(id);
	const duplicate = remembered.ids.includes(key, expired);
	if (!duplicate) {
		remembered.ids.push(key);
		remembered.acceptedAt.push(now);
	}
	const overflow = Math.max(0, remembered.ids.length - MAX_REMEMBERED_IDS);
	const kept = trimmed(remembered, Math.max(expired, overflow));
	if (scope !== undefined) keep(scope, kept);
	// Saving static data rewrites the workflow in n8n's database: only when the record changed.
	if (!sameRecord(kept, stored)) {
		staticData[STATIC_DATA_KEY] = { ids: [...kept.ids], acceptedAt: [...kept.acceptedAt] };
	}
	return duplicate;
}

/**
 * Takes back an id accepted in this process, when n8n did not acknowledge its delivery after all
 * (it failed to record the execution): the provider's retry must start the workflow.
 */
export function forgetAcceptedInProcess(scope: string, id: string): void {
	const known = acceptedInProcess.get(scope);
	if (known === undefined) return;
	const index = known.ids.lastIndexOf(storedForm(id));
	if (index === -1) return;
	known.ids.splice(index, 1);
	known.acceptedAt.splice(index, 1);
}

/** This process's record for `scope` (a copy), marked as the one used most recently. */
function recall(scope: string): RememberedIds {
	const known = acceptedInProcess.get(scope);
	if (known === undefined) return { ids: [], acceptedAt: [] };
	acceptedInProcess.delete(scope);
	acceptedInProcess.set(scope, known);
	return { ids: [...known.ids], acceptedAt: [...known.acceptedAt] };
}

function keep(scope: string, remembered: RememberedIds): void {
	acceptedInProcess.delete(scope);
	acceptedInProcess.set(scope, remembered);
	if (acceptedInProcess.size > MAX_SCOPES_IN_PROCESS) {
		acceptedInProcess.delete(acceptedInProcess.keys().next().value as string);
	}
}

/**
 * Both records in one, oldest acceptance first, each id once (with its earliest time). Usually
 * the stored record holds nothing this process does not know already: that costs one pass.
 */
function union(inProcess: RememberedIds, stored: RememberedIds): RememberedIds {
	if (stored.ids.length === 0) return inProcess;
	if (inProcess.ids.length === 0) return { ids: [...stored.ids], acceptedAt: [...stored.acceptedAt] };
	const known = new Set(inProcess.ids);
	if (stored.ids.every((id) => known.has(id))) return inProcess;
	const earliest = new Map<string, number>();
	for (const record of [inProcess, stored]) {
		record.ids.forEach((id, index) => {
			const time = record.acceptedAt[index];
			const seen = earliest.get(id);
			if (seen === undefined || time < seen) earliest.set(id, time);
		});
	}
	const entries = [...earliest.entries()].sort((a, b) => a[1] - b[1]);
	return { ids: entries.map(([id]) => id), acceptedAt: entries.map(([, time]) => time) };
}

function sameRecord(a: RememberedIds, b: RememberedIds): boolean {
	return a.ids.length === b.ids.length && a.ids.every((id, index) => id === b.ids[index] && a.acceptedAt[index] === b.acceptedAt[index]);
}

function trimmed(remembered: RememberedIds, drop: number): RememberedIds {
	return drop === 0 ? remembered : { ids: remembered.ids.slice(drop), acceptedAt: remembered.acceptedAt.slice(drop) };
}

/** How many ids are remembered now; for tests and diagnostics. */
export function rememberedCount(staticData: IDataObject): number {
	return read(staticData).ids.length;
}
