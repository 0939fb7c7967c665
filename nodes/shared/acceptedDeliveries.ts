import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/**
 * The deliveries a trigger accepted, by key (the provider's delivery id, or what identifies the
 * verified bytes), kept in the workflow's static data so that they outlive an n8n restart. A key
 * is remembered for REMEMBER_FOR_HOURS after it was accepted: longer than the longest retry window
 * of any provider (72 hours, `duplicates.retriesForHours`). At most MAX_REMEMBERED_DELIVERIES are
 * kept: past that the oldest is forgotten first, and a delivery with a forgotten key would start
 * the workflow again.
 *
 * n8n gives every request its own copy of the static data, loaded before and saved after it,
 * whole: two deliveries handled at once would each miss the other's key, and the later save would
 * drop the earlier one's. So each trigger's keys are also kept in this process, by scope, checked
 * and updated in one synchronous step, and every save carries the union of both.
 *
 * A key counts in this process from the moment it is accepted, but it is written into the static
 * data only once n8n has acknowledged its delivery (`writeAcceptedAgain`), that is once n8n 2.x has
 * recorded its execution. Until then another delivery's save must not carry it: should n8n then fail
 * to record that execution, the key would outlive the restart (or reach another webhook process)
 * and the provider's retry would be dropped as a duplicate although it never ran.
 */
export const REMEMBER_FOR_HOURS = 73;
export const REMEMBER_FOR_MS = REMEMBER_FOR_HOURS * 60 * 60 * 1000;
export const MAX_REMEMBERED_DELIVERIES = 5000;
/** Longer ids are remembered by their SHA-256, so one entry never takes more than 71 characters. */
const MAX_STORED_ID_LENGTH = 64;
// Its name from when only providers' delivery ids were kept: records saved then are still read.
const STATIC_DATA_KEY = 'acceptedDeliveryIds';
/** Up to this many unacknowledged keys, a save finds each in the list rather than checking every id. */
const FEW_UNACKNOWLEDGED = 8;
/** Triggers whose ids this process keeps; the one used longest ago is dropped first. */
export const MAX_SCOPES_IN_PROCESS = 1000;

/** Accepted ids with the time each was accepted, oldest first (a Map keeps insertion order). */
type AcceptedIds = Map<string, number>;

/** What this process knows of one trigger's ids. */
interface ScopeRecord {
	accepted: AcceptedIds;
	/** Keys in `accepted` whose delivery n8n has not acknowledged yet: never written. */
	unacknowledged: Set<string>;
	/** Identifies the record this process saved last into the static data. */
	lastWritten?: string;
}

/** By scope, the one used longest ago first. */
const scopes = new Map<string, ScopeRecord>();

interface StoredIds {
	ids: readonly string[];
	acceptedAt: readonly number[];
}

const NOTHING_STORED: StoredIds = { ids: [], acceptedAt: [] };

/** The record in the static data, read as it is (not copied); anything malformed counts as empty. */
function read(staticData: IDataObject): StoredIds {
	const stored = staticData[STATIC_DATA_KEY] as Partial<StoredIds> | null | undefined;
	// Anything else in the slot (an older shape, a hand edit) is reset rather than trusted.
	if (typeof stored !== 'object' || stored === null) return NOTHING_STORED;
	const { ids, acceptedAt } = stored;
	if (!Array.isArray(ids) || !Array.isArray(acceptedAt) || ids.length !== acceptedAt.length) return NOTHING_STORED;
	for (let index = 0; index < ids.length; index++) {
		if (typeof ids[index] !== 'string' || !Number.isFinite(acceptedAt[index])) return NOTHING_STORED;
	}
	return stored as StoredIds;
}

function storedForm(id: string): string {
	return id.length <= MAX_STORED_ID_LENGTH ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/**
 * True when `id` was accepted within the window; otherwise records it as accepted now.
 * The whole record is assigned anew so that n8n sees the static data changed and saves it.
 * With a `scope` (one per trigger node), ids accepted in this process count too, also those
 * another request's copy of the static data does not hold yet.
 */
export function isDuplicateElseRemember(staticData: IDataObject, id: string, now: number, scope?: string): boolean {
	const stored = read(staticData);
	// Without a scope (deliveries to the Test URL) only this request's static data counts, and the
	// key is written at once: n8n never saves it.
	const record: ScopeRecord = scope === undefined ? newRecord() : recall(scope);
	const { accepted, unacknowledged } = record;
	// A record this process saved last holds no id it lacks: the usual case costs no pass over it.
	if (record.lastWritten !== fingerprint(stored)) addMissing(accepted, stored);
	for (const [known, acceptedAt] of accepted) {
		if (acceptedAt > now - REMEMBER_FOR_MS) break;
		accepted.delete(known);
		unacknowledged.delete(known);
	}
	const key = storedForm(id);
	const duplicate = accepted.has(key);
	if (!duplicate) {
		accepted.set(key, now);
		if (scope !== undefined) unacknowledged.add(key);
		for (const [oldest] of accepted) {
			if (accepted.size <= MAX_REMEMBERED_DELIVERIES) break;
			accepted.delete(oldest);
			unacknowledged.delete(oldest);
		}
	}
	// Saving static data rewrites the workflow in n8n's database: only when the record changed.
	if (!duplicate || !holdsTheSame(stored, record)) write(staticData, record);
	return duplicate;
}

function newRecord(): ScopeRecord {
	return { accepted: new Map(), unacknowledged: new Set() };
}

/**
 * Assigns the whole record anew, so that n8n sees the static data changed and saves it: the ids
 * accepted, but for those whose delivery n8n has not acknowledged yet.
 */
function write(staticData: IDataObject, record: ScopeRecord): void {
	const { accepted, unacknowledged } = record;
	let ids = Array.from(accepted.keys());
	let acceptedAtOfIds = Array.from(accepted.values());
	if (unacknowledged.size > FEW_UNACKNOWLEDGED) {
		const all = ids;
		const allAcceptedAt = acceptedAtOfIds;
		ids = [];
		acceptedAtOfIds = [];
		for (let index = 0; index < all.length; index++) {
			if (unacknowledged.has(all[index])) continue;
			ids.push(all[index]);
			acceptedAtOfIds.push(allAcceptedAt[index]);
		}
	} else {
		// Usually the few unacknowledged are among the newest: each is looked for from the end.
		for (const id of unacknowledged) {
			const index = ids.lastIndexOf(id);
			if (index === -1) continue;
			ids.splice(index, 1);
			acceptedAtOfIds.splice(index, 1);
		}
	}
	const written: StoredIds = { ids, acceptedAt: acceptedAtOfIds };
	staticData[STATIC_DATA_KEY] = written;
	record.lastWritten = fingerprint(written);
}

/**
 * n8n acknowledges the delivery whose key is `id` (n8n 2.x: its execution is recorded): from now on
 * the key is written with the others. Writes this process's ids for `scope` into the static data
 * again, as they are now (also ids of other deliveries acknowledged meanwhile), for n8n to save
 * them with this acknowledgement.
 */
export function writeAcceptedAgain(staticData: IDataObject, scope: string, id: string): void {
	const record = scopes.get(scope);
	if (record === undefined) return;
	record.unacknowledged.delete(storedForm(id));
	write(staticData, record);
}

function fingerprint(record: StoredIds): string {
	const last = record.ids.length - 1;
	return last < 0 ? 'empty' : `${record.ids.length}:${record.ids[0]}:${record.ids[last]}:${record.acceptedAt[last]}`;
}

/**
 * Takes back an id accepted in this process, when n8n did not acknowledge its delivery after all
 * (it failed to record the execution): the provider's retry must start the workflow. An id whose
 * delivery n8n has acknowledged stays: its execution was recorded.
 */
export function forgetAcceptedInProcess(scope: string, id: string): void {
	const record = scopes.get(scope);
	const key = storedForm(id);
	if (record === undefined || !record.unacknowledged.delete(key)) return;
	record.accepted.delete(key);
}

/** This process's record for `scope`, marked as the one used most recently. */
function recall(scope: string): ScopeRecord {
	const record = scopes.get(scope) ?? newRecord();
	scopes.delete(scope);
	scopes.set(scope, record);
	if (scopes.size > MAX_SCOPES_IN_PROCESS) scopes.delete(scopes.keys().next().value as string);
	return record;
}

/**
 * Adds the stored ids `accepted` lacks (after a restart, or saved by another process), keeping
 * the oldest first. Usually there are none: that costs one lookup per stored id.
 */
function addMissing(accepted: AcceptedIds, stored: StoredIds): void {
	if (accepted.size === 0) {
		for (let index = 0; index < stored.ids.length; index++) accepted.set(stored.ids[index], stored.acceptedAt[index]);
		return;
	}
	const missing: Array<[string, number]> = [];
	stored.ids.forEach((id, index) => {
		if (!accepted.has(id)) missing.push([id, stored.acceptedAt[index]]);
	});
	if (missing.length === 0) return;
	const all = [...accepted, ...missing].sort((a, b) => a[1] - b[1]);
	accepted.clear();
	for (const [id, acceptedAt] of all) accepted.set(id, acceptedAt);
}

/**
 * Whether the stored record already holds exactly the ids `record` would write. Those are every
 * stored id but the expired ones, which are the oldest, and but those the process has taken back
 * (only ever unacknowledged ones, which no save carried), plus ids acknowledged in this process:
 * the same size and the same oldest id mean the same ids.
 */
function holdsTheSame(stored: StoredIds, record: ScopeRecord): boolean {
	const { accepted, unacknowledged } = record;
	if (stored.ids.length !== accepted.size - unacknowledged.size) return false;
	for (const id of accepted.keys()) {
		if (!unacknowledged.has(id)) return stored.ids[0] === id;
	}
	return true;
}

/** How many ids are remembered now; for tests and diagnostics. */
export function rememberedCount(staticData: IDataObject): number {
	return read(staticData).ids.length;
}
