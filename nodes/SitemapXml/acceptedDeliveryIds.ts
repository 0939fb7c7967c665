import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The ids of deliveries this trigger accepted, kept in the workflow's static data so that they
 * outlive an n8n restart. Sitemap.xml retries a failed delivery for up to 72 hours, so an id is
 * remembered for 73 hours after it was accepted. At most MAX_REMEMBERED_IDS are kept: past that
 * the oldest is forgotten first, and a retry of a forgotten id would start the workflow again.
 */
export const REMEMBER_FOR_MS = 73 * 60 * 60 * 1000;
export const MAX_REMEMBERED_IDS = 5000;
/** Longer ids are remembered by their SHA-256, so one entry never takes more than 71 characters. */
const MAX_STORED_ID_LENGTH = 64;
const STATIC_DATA_KEY = 'acceptedDeliveryIds';

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
 */
export function isDuplicateElseRemember(staticData: IDataObject, id: string, now: number): boolean {
	const remembered = read(staticData);
	let expired = 0;
	while (expired < remembered.acceptedAt.length && remembered.acceptedAt[expired] <= now - REMEMBER_FOR_MS) expired++;
	const key = storedForm(id);
	if (remembered.ids.includes(key, expired)) {
		if (expired > 0) staticData[STATIC_DATA_KEY] = trimmed(remembered, expired);
		return true;
	}
	remembered.ids.push(key);
	remembered.acceptedAt.push(now);
	const overflow = Math.max(0, remembered.ids.length - MAX_REMEMBERED_IDS);
	staticData[STATIC_DATA_KEY] = trimmed(remembered, Math.max(expired, overflow));
	return false;
}

function trimmed(remembered: RememberedIds, drop: number): IDataObject {
	return { ids: remembered.ids.slice(drop), acceptedAt: remembered.acceptedAt.slice(drop) };
}

/** How many ids are remembered now; for tests and diagnostics. */
export function rememberedCount(staticData: IDataObject): number {
	return read(staticData).ids.length;
}
