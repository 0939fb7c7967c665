import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import {
	isDuplicateElseRemember,
	MAX_REMEMBERED_DELIVERIES,
	MAX_SCOPES_IN_PROCESS,
	forgetAcceptedInProcess,
	REMEMBER_FOR_HOURS,
	REMEMBER_FOR_MS,
	rememberedCount,
	writeAcceptedAgain,
} from '../../../nodes/shared/acceptedDeliveries';
import { PROVIDERS } from '../../support/providers';

const T0 = Date.UTC(2025, 0, 15, 8, 32, 14);
const HOUR = 60 * 60 * 1000;

/** The static data key the record is kept under, as the module itself chooses it. */
const KEY = (() => {
	const probe: IDataObject = {};
	isDuplicateElseRemember(probe, 'probe', T0);
	const keys = Object.keys(probe);
	if (keys.length !== 1) throw new Error(`expected one static data key, found ${keys.length}`);
	return keys[0];
})();

/** The longest form an id is stored in: `sha256:` and 64 hex digits (ids up to 64 characters are kept as they are). */
const LONGEST_STORED_ID = 'sha256:'.length + 64;

describe('isDuplicateElseRemember', () => {
	it('answers false the first time an id is seen, then true', () => {
		const staticData: IDataObject = {};
		expect(isDuplicateElseRemember(staticData, 'whk_2x9k4m8p1q7r3v5z', T0)).toBe(false);
		expect(isDuplicateElseRemember(staticData, 'whk_2x9k4m8p1q7r3v5z', T0 + 1)).toBe(true);
		expect(isDuplicateElseRemember(staticData, 'whk_2x9k4m8p1q7r3v5z', T0 + HOUR)).toBe(true);
		expect(rememberedCount(staticData)).toBe(1);
	});

	it('tells ids apart exactly: case, whitespace and prefixes matter', () => {
		const staticData: IDataObject = {};
		for (const id of ['whk_a', 'WHK_A', 'whk_a ', ' whk_a', 'whk_', 'whk_ab']) {
			expect(isDuplicateElseRemember(staticData, id, T0)).toBe(false);
		}
		expect(rememberedCount(staticData)).toBe(6);
	});

	it('keeps separate records in separate static data objects (one per workflow)', () => {
		const first: IDataObject = {};
		const second: IDataObject = {};
		expect(isDuplicateElseRemember(first, 'whk_a', T0)).toBe(false);
		expect(isDuplicateElseRemember(second, 'whk_a', T0)).toBe(false);
	});

	it('leaves other static data keys alone', () => {
		const staticData: IDataObject = { lastTimeChecked: 'keep me' };
		isDuplicateElseRemember(staticData, 'whk_a', T0);
		expect(staticData.lastTimeChecked).toBe('keep me');
	});

	describe('expiry after REMEMBER_FOR_MS', () => {
		it('covers the provider\'s 72 hours of retries', () => {
			expect(REMEMBER_FOR_MS).toBeGreaterThan(72 * HOUR);
		});

		it('still drops the id 1 ms before REMEMBER_FOR_MS has passed', () => {
			const staticData: IDataObject = {};
			isDuplicateElseRemember(staticData, 'whk_a', T0);
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0 + 72 * HOUR)).toBe(true);
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0 + REMEMBER_FOR_MS - 1)).toBe(true);
		});

		it('accepts the id again once REMEMBER_FOR_MS has passed, and remembers it from then on', () => {
			const staticData: IDataObject = {};
			isDuplicateElseRemember(staticData, 'whk_a', T0);
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0 + REMEMBER_FOR_MS)).toBe(false);
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0 + REMEMBER_FOR_MS + 1)).toBe(true);
			expect(rememberedCount(staticData)).toBe(1);
		});

		it('counts from when the id was accepted, not from the last duplicate', () => {
			const staticData: IDataObject = {};
			isDuplicateElseRemember(staticData, 'whk_a', T0);
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0 + REMEMBER_FOR_MS - HOUR)).toBe(true);
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0 + REMEMBER_FOR_MS)).toBe(false);
		});

		it('forgets expired ids when the next one is recorded, keeping the recent ones', () => {
			const staticData: IDataObject = {};
			isDuplicateElseRemember(staticData, 'old-1', T0);
			isDuplicateElseRemember(staticData, 'old-2', T0 + HOUR);
			isDuplicateElseRemember(staticData, 'recent', T0 + 10 * HOUR);
			expect(rememberedCount(staticData)).toBe(3);

			isDuplicateElseRemember(staticData, 'new', T0 + HOUR + REMEMBER_FOR_MS);
			expect(rememberedCount(staticData)).toBe(2);
			expect(JSON.stringify(staticData)).not.toContain('old-');
			expect(isDuplicateElseRemember(staticData, 'recent', T0 + HOUR + REMEMBER_FOR_MS)).toBe(true);
		});

		it('forgets expired ids also when a duplicate is found', () => {
			const staticData: IDataObject = {};
			isDuplicateElseRemember(staticData, 'old', T0);
			isDuplicateElseRemember(staticData, 'recent', T0 + 10 * HOUR);
			expect(isDuplicateElseRemember(staticData, 'recent', T0 + REMEMBER_FOR_MS)).toBe(true);
			expect(rememberedCount(staticData)).toBe(1);
		});
	});

	describe(`the bound of MAX_REMEMBERED_DELIVERIES (${MAX_REMEMBERED_DELIVERIES})`, () => {
		const TOTAL = 20_000;
		const staticData: IDataObject = {};
		const longId = (index: number) => `${'x'.repeat(1024)}-${index}`;
		// Every other id is long, so half the entries take the longest stored form.
		const idOf = (index: number) => (index % 2 === 0 ? `whk_${String(index).padStart(16, '0')}` : longId(index));
		const recordSizes: number[] = [];
		let duplicatesSeen = 0;

		beforeAll(() => {
			for (let index = 0; index < TOTAL; index++) {
				if (isDuplicateElseRemember(staticData, idOf(index), T0 + index)) duplicatesSeen++;
				if (index % 1000 === 999) recordSizes.push(JSON.stringify(staticData).length);
			}
		});

		it('keeps exactly MAX_REMEMBERED_DELIVERIES after 20,000 distinct ids, none taken for a duplicate', () => {
			expect(duplicatesSeen).toBe(0);
			expect(rememberedCount(staticData)).toBe(MAX_REMEMBERED_DELIVERIES);
		});

		it('keeps the static data below a size computed from the constants, all along', () => {
			// Per entry: the stored id in quotes and a comma, and a millisecond timestamp (at most 16 digits) and a comma.
			const perEntry = LONGEST_STORED_ID + 3 + 16 + 1;
			const bound = MAX_REMEMBERED_DELIVERIES * perEntry + 100;
			expect(recordSizes).toHaveLength(TOTAL / 1000);
			for (const size of recordSizes) expect(size).toBeLessThan(bound);
			expect(bound).toBeLessThan(1024 * 1024);
		});

		it('has forgotten the oldest ids, first in first out, and still drops the most recent', () => {
			const now = T0 + TOTAL;
			// The most recent id, and the oldest one still remembered.
			expect(isDuplicateElseRemember(staticData, idOf(TOTAL - 1), now)).toBe(true);
			expect(isDuplicateElseRemember(staticData, idOf(TOTAL - MAX_REMEMBERED_DELIVERIES), now)).toBe(true);
			// The first ids seen, and the last one pushed out: a retry of them starts the workflow again.
			expect(isDuplicateElseRemember(staticData, idOf(0), now)).toBe(false);
			expect(isDuplicateElseRemember(staticData, idOf(1), now)).toBe(false);
			expect(rememberedCount(staticData)).toBe(MAX_REMEMBERED_DELIVERIES);
			// Recording idOf(0) and idOf(1) pushed out the two oldest of the window.
			expect(isDuplicateElseRemember(staticData, idOf(TOTAL - MAX_REMEMBERED_DELIVERIES), now)).toBe(false);
		});
	});

	describe('long ids', () => {
		const long = `whk_${'a1b2c3d4'.repeat(128)}`;

		it('stores a 1 KB id by its hash, never the id itself, and still detects it', () => {
			const staticData: IDataObject = {};
			expect(long.length).toBeGreaterThan(1024);
			expect(isDuplicateElseRemember(staticData, long, T0)).toBe(false);
			const stored = JSON.stringify(staticData);
			expect(stored).not.toContain(long);
			expect(stored).not.toContain('a1b2c3d4'.repeat(8));
			expect(stored.length).toBeLessThan(200);
			expect(isDuplicateElseRemember(staticData, long, T0 + 1)).toBe(true);
		});

		it('tells apart long ids that differ only in their last character', () => {
			const staticData: IDataObject = {};
			expect(isDuplicateElseRemember(staticData, `${long}1`, T0)).toBe(false);
			expect(isDuplicateElseRemember(staticData, `${long}2`, T0)).toBe(false);
			expect(isDuplicateElseRemember(staticData, `${long}1`, T0)).toBe(true);
		});

		it('keeps an id of 64 characters as it is', () => {
			const staticData: IDataObject = {};
			const id = 'k'.repeat(64);
			isDuplicateElseRemember(staticData, id, T0);
			expect(JSON.stringify(staticData)).toContain(id);
		});
	});

	describe('corrupted static data is reset without throwing', () => {
		it.each<[string, unknown]>([
			['null', null],
			['a string', 'whk_a'],
			['a number', 42],
			['true', true],
			['an array', ['whk_a']],
			['an empty object', {}],
			['ids not an array', { ids: 'whk_a', acceptedAt: [T0] }],
			['acceptedAt not an array', { ids: ['whk_a'], acceptedAt: T0 }],
			['acceptedAt missing', { ids: ['whk_a'] }],
			['arrays of different lengths', { ids: ['whk_a', 'whk_b'], acceptedAt: [T0] }],
			['ids null', { ids: null, acceptedAt: null }],
		])('%s', (_name, corrupted) => {
			const staticData: IDataObject = { [KEY]: corrupted as IDataObject };
			expect(() => rememberedCount(staticData)).not.toThrow();
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0)).toBe(false);
			expect(rememberedCount(staticData)).toBe(1);
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0 + 1)).toBe(true);
		});

		it('entries of the wrong type do not keep later ids from expiring', () => {
			const staticData: IDataObject = { [KEY]: { ids: [7, null], acceptedAt: ['yesterday', {}] } };
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0)).toBe(false);
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0 + 1)).toBe(true);
			// Once REMEMBER_FOR_MS has passed, whk_a is a new delivery like any expired id.
			expect(isDuplicateElseRemember(staticData, 'whk_a', T0 + REMEMBER_FOR_MS)).toBe(false);
		});
	});

	describe('the record is assigned anew, so n8n notices the change', () => {
		it('puts a new object under its key for each accepted id, leaving the old one as it was', () => {
			const staticData: IDataObject = {};
			isDuplicateElseRemember(staticData, 'whk_a', T0);
			const first = staticData[KEY];
			const firstJson = JSON.stringify(first);
			expect(isDuplicateElseRemember(staticData, 'whk_b', T0 + 1)).toBe(false);
			const second = staticData[KEY];
			expect(second).not.toBe(first);
			expect(JSON.stringify(first)).toBe(firstJson);
			expect(isDuplicateElseRemember(staticData, 'whk_c', T0 + 2)).toBe(false);
			expect(staticData[KEY]).not.toBe(second);
		});

		it('puts a new object under its key when the bound pushes the oldest out', () => {
			const staticData: IDataObject = {};
			for (let index = 0; index < MAX_REMEMBERED_DELIVERIES; index++) isDuplicateElseRemember(staticData, `id-${index}`, T0);
			const full = staticData[KEY];
			expect(isDuplicateElseRemember(staticData, 'one-more', T0)).toBe(false);
			expect(staticData[KEY]).not.toBe(full);
			expect(rememberedCount(staticData)).toBe(MAX_REMEMBERED_DELIVERIES);
		});

		it('puts a new object under its key when a duplicate lets expired ids go', () => {
			const staticData: IDataObject = {};
			isDuplicateElseRemember(staticData, 'old', T0);
			isDuplicateElseRemember(staticData, 'recent', T0 + HOUR);
			const before = staticData[KEY];
			expect(isDuplicateElseRemember(staticData, 'recent', T0 + REMEMBER_FOR_MS)).toBe(true);
			expect(staticData[KEY]).not.toBe(before);
		});
	});

	describe('with a scope: deliveries n8n handles at once, each with its own copy of the static data', () => {
		let scopeCount = 0;
		const newScope = () => `webhook:workflow-${++scopeCount}:node-1`;
		/** What n8n loaded for a request: a copy of the stored static data. */
		const copyOf = (stored: IDataObject): IDataObject => JSON.parse(JSON.stringify(stored)) as IDataObject;
		/** A new scope and two requests' copies of its (empty) stored static data. */
		const twoCopies = () => ({ scope: newScope(), first: copyOf({}), second: copyOf({}) });
		/** n8n accepts `id` into the request's copy, then acknowledges the delivery (n8n 2.x: its execution is recorded). */
		const acknowledged = (staticData: IDataObject, id: string, now: number, scope: string) => {
			const duplicate = isDuplicateElseRemember(staticData, id, now, scope);
			if (!duplicate) writeAcceptedAgain(staticData, scope, id);
			return duplicate;
		};

		it('a copy arriving while the first is in flight (neither saved yet) is a duplicate', () => {
			const { scope, first, second } = twoCopies();
			expect(isDuplicateElseRemember(first, 'whk_a', T0, scope)).toBe(false);
			expect(isDuplicateElseRemember(second, 'whk_a', T0 + 1, scope)).toBe(true);
		});

		it('two ids acknowledged from two copies: the copy of the request acknowledged later holds both', () => {
			const { scope, first, second } = twoCopies();
			expect(acknowledged(first, 'whk_a', T0, scope)).toBe(false);
			expect(acknowledged(second, 'whk_b', T0 + 1, scope)).toBe(false);
			// The request acknowledged later (`second`) carries both ids; saved last, it is what a restart reads back.
			const afterRestart = copyOf(second);
			expect(rememberedCount(afterRestart)).toBe(2);
			expect(isDuplicateElseRemember(afterRestart, 'whk_a', T0 + 2)).toBe(true);
			expect(isDuplicateElseRemember(afterRestart, 'whk_b', T0 + 2)).toBe(true);
		});

		it('ids in the stored static data that this process never saw (another process, a restart) still count', () => {
			const stored: IDataObject = {};
			isDuplicateElseRemember(stored, 'whk_before_restart', T0);
			const scope = newScope();
			expect(acknowledged(copyOf(stored), 'whk_new', T0 + 1, scope)).toBe(false);
			expect(isDuplicateElseRemember(copyOf(stored), 'whk_before_restart', T0 + 2, scope)).toBe(true);
			const merged = copyOf(stored);
			acknowledged(merged, 'whk_third', T0 + 3, scope);
			expect(rememberedCount(merged)).toBe(3);
		});

		it('keeps the oldest first and each id once when merging, so the bound still forgets the oldest', () => {
			const scope = newScope();
			const elsewhere: IDataObject = {};
			isDuplicateElseRemember(elsewhere, 'whk_oldest', T0);
			isDuplicateElseRemember(elsewhere, 'whk_shared', T0 + 2);
			const here: IDataObject = {};
			acknowledged(here, 'whk_shared', T0 + 1, scope);
			const merged = copyOf(elsewhere);
			acknowledged(merged, 'whk_newest', T0 + 3, scope);
			expect(merged[KEY]).toEqual({
				ids: ['whk_oldest', 'whk_shared', 'whk_newest'],
				acceptedAt: [T0, T0 + 1, T0 + 3],
			});
		});

		it('separate scopes (other workflows, other trigger nodes) do not see each other', () => {
			const production = newScope();
			const test = `test-${production}`;
			expect(isDuplicateElseRemember({}, 'whk_a', T0, test)).toBe(false);
			expect(isDuplicateElseRemember({}, 'whk_a', T0, production)).toBe(false);
			expect(isDuplicateElseRemember({}, 'whk_a', T0, newScope())).toBe(false);
			expect(isDuplicateElseRemember({}, 'whk_a', T0, production)).toBe(true);
		});

		it('expires ids kept in the process like stored ones', () => {
			const scope = newScope();
			expect(isDuplicateElseRemember({}, 'whk_a', T0, scope)).toBe(false);
			expect(isDuplicateElseRemember({}, 'whk_a', T0 + REMEMBER_FOR_MS - 1, scope)).toBe(true);
			expect(isDuplicateElseRemember({}, 'whk_a', T0 + 2 * REMEMBER_FOR_MS, scope)).toBe(false);
		});

		it(`keeps at most ${MAX_SCOPES_IN_PROCESS} scopes in the process, forgetting the one used longest ago; the static data still remembers`, () => {
			const oldest = newScope();
			const stored: IDataObject = {};
			// (forgetAcceptedInProcess on another scope's id changes nothing here)
			forgetAcceptedInProcess(oldest, 'whk_never_seen');
			acknowledged(stored, 'whk_a', T0, oldest);
			for (let index = 0; index < MAX_SCOPES_IN_PROCESS; index++) isDuplicateElseRemember({}, 'whk_x', T0, newScope());
			expect(isDuplicateElseRemember({}, 'whk_a', T0 + 1, oldest)).toBe(false);
			expect(isDuplicateElseRemember(copyOf(stored), 'whk_a', T0 + 2, newScope())).toBe(true);
		});
	});

	describe('an id is written only once n8n has acknowledged its delivery', () => {
		let scopeCount = 0;
		const newScope = () => `acknowledge:workflow-${++scopeCount}:node-1`;
		const copyOf = (stored: IDataObject): IDataObject => JSON.parse(JSON.stringify(stored)) as IDataObject;

		it('another delivery acknowledged meanwhile does not save it, so the retry of a delivery n8n failed to record starts after a restart', () => {
			const scope = newScope();
			const failing: IDataObject = {};
			const other: IDataObject = {};
			// Both in flight at once; n8n records the other's execution and saves its copy of the static data.
			expect(isDuplicateElseRemember(failing, 'whk_failing', T0, scope)).toBe(false);
			expect(isDuplicateElseRemember(other, 'whk_other', T0 + 1, scope)).toBe(false);
			writeAcceptedAgain(other, scope, 'whk_other');
			const saved = copyOf(other);
			// n8n fails to record the first one's execution and answers 500 (or n8n stops first).
			forgetAcceptedInProcess(scope, 'whk_failing');
			expect(JSON.stringify(saved)).not.toContain('whk_failing');
			// After a restart (a process that never saw either) the provider retries both.
			const restarted = newScope();
			expect(isDuplicateElseRemember(copyOf(saved), 'whk_failing', T0 + 2, restarted)).toBe(false);
			expect(isDuplicateElseRemember(copyOf(saved), 'whk_other', T0 + 3, restarted)).toBe(true);
		});

		it('nor does the same process take it back from that save once a later one has been written', () => {
			const scope = newScope();
			const failing: IDataObject = {};
			const other: IDataObject = {};
			isDuplicateElseRemember(failing, 'whk_failing', T0, scope);
			isDuplicateElseRemember(other, 'whk_other', T0 + 1, scope);
			writeAcceptedAgain(other, scope, 'whk_other');
			const saved = copyOf(other);
			forgetAcceptedInProcess(scope, 'whk_failing');
			// A third delivery is acknowledged; its save has not reached the database yet.
			const third: IDataObject = copyOf(saved);
			isDuplicateElseRemember(third, 'whk_third', T0 + 2, scope);
			writeAcceptedAgain(third, scope, 'whk_third');
			// The retry's request loads the save that went with the other delivery.
			expect(isDuplicateElseRemember(copyOf(saved), 'whk_failing', T0 + 3, scope)).toBe(false);
		});

		it('is written with the acknowledgement of its own delivery, and with every one after it', () => {
			const scope = newScope();
			const first: IDataObject = {};
			const second: IDataObject = {};
			isDuplicateElseRemember(first, 'whk_a', T0, scope);
			isDuplicateElseRemember(second, 'whk_b', T0 + 1, scope);
			expect(rememberedCount(first)).toBe(0);
			expect(rememberedCount(second)).toBe(0);
			writeAcceptedAgain(first, scope, 'whk_a');
			expect(first[KEY]).toEqual({ ids: ['whk_a'], acceptedAt: [T0] });
			writeAcceptedAgain(second, scope, 'whk_b');
			expect(second[KEY]).toEqual({ ids: ['whk_a', 'whk_b'], acceptedAt: [T0, T0 + 1] });
		});

		it('property: every save holds exactly the acknowledged ids, oldest first, however many are in flight and whichever is acknowledged first', () => {
			fc.assert(
				fc.property(
					// Each step accepts a new delivery, or acknowledges or fails the one in flight at a drawn position.
					fc.array(fc.tuple(fc.constantFrom('accept', 'accept', 'acknowledge', 'fail'), fc.nat()), { maxLength: 60 }),
					(steps) => {
						const scope = newScope();
						const staticData: IDataObject = {};
						const acknowledged: string[] = [];
						const inFlight: string[] = [];
						let next = 0;
						for (const [step, pick] of steps) {
							if (step === 'accept' || inFlight.length === 0) {
								const id = `whk_${next++}`;
								expect(isDuplicateElseRemember(staticData, id, T0 + next, scope)).toBe(false);
								inFlight.push(id);
							} else {
								const [id] = inFlight.splice(pick % inFlight.length, 1);
								if (step === 'acknowledge') {
									writeAcceptedAgain(staticData, scope, id);
									acknowledged.push(id);
								} else {
									forgetAcceptedInProcess(scope, id);
								}
							}
							const written = staticData[KEY] as { ids: string[]; acceptedAt: number[] } | undefined;
							const expected = [...acknowledged].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
							expect(written?.ids ?? []).toEqual(expected);
							expect(written?.acceptedAt ?? []).toEqual(expected.map((id) => T0 + Number(id.slice(4)) + 1));
						}
					},
				),
				{ numRuns: 200 },
			);
		});

		it('counts in the process from the moment it is accepted: a copy arriving before the acknowledgement is a duplicate', () => {
			const scope = newScope();
			expect(isDuplicateElseRemember({}, 'whk_a', T0, scope)).toBe(false);
			expect(isDuplicateElseRemember({}, 'whk_a', T0 + 1, scope)).toBe(true);
		});
	});

	describe('forgetAcceptedInProcess', () => {
		it('lets the same id start again in that scope, and only there', () => {
			const scope = `forget-${Date.now()}:node-1`;
			const other = `${scope}-other`;
			expect(isDuplicateElseRemember({}, 'whk_a', T0, scope)).toBe(false);
			expect(isDuplicateElseRemember({}, 'whk_a', T0, other)).toBe(false);
			forgetAcceptedInProcess(scope, 'whk_a');
			expect(isDuplicateElseRemember({}, 'whk_a', T0 + 1, scope)).toBe(false);
			expect(isDuplicateElseRemember({}, 'whk_a', T0 + 1, other)).toBe(true);
		});

		it('does not take a forgotten id back from the record this process saved last', () => {
			const scope = `forget-saved-${Date.now()}`;
			const stored: IDataObject = {};
			expect(isDuplicateElseRemember(stored, 'whk_a', T0, scope)).toBe(false);
			forgetAcceptedInProcess(scope, 'whk_a');
			// The retry's request loads the record saved with whk_a in it.
			const retry = JSON.parse(JSON.stringify(stored)) as IDataObject;
			expect(isDuplicateElseRemember(retry, 'whk_a', T0 + 1, scope)).toBe(false);
			expect(isDuplicateElseRemember(JSON.parse(JSON.stringify(retry)) as IDataObject, 'whk_a', T0 + 2, scope)).toBe(true);
		});

		it('keeps an id whose delivery n8n acknowledged: its execution was recorded', () => {
			const scope = `forget-acknowledged-${Date.now()}:node-1`;
			expect(isDuplicateElseRemember({}, 'whk_a', T0, scope)).toBe(false);
			writeAcceptedAgain({}, scope, 'whk_a');
			forgetAcceptedInProcess(scope, 'whk_a');
			expect(isDuplicateElseRemember({}, 'whk_a', T0 + 1, scope)).toBe(true);
		});

		it('finds an id kept as its SHA-256', () => {
			const scope = `forget-long-${Date.now()}:node-1`;
			const id = 'x'.repeat(200);
			expect(isDuplicateElseRemember({}, id, T0, scope)).toBe(false);
			forgetAcceptedInProcess(scope, id);
			expect(isDuplicateElseRemember({}, id, T0 + 1, scope)).toBe(false);
		});
	});
});

describe('the window', () => {
	it.each(PROVIDERS.map((provider) => [provider.facts.name, provider.facts.duplicates.retriesForHours ?? 0] as const))(
		'outlasts the retries of %s (%d hours)',
		(_name, retriesForHours) => {
			expect(REMEMBER_FOR_HOURS).toBeGreaterThan(retriesForHours);
		},
	);
});
