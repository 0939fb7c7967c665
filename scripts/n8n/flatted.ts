/**
 * Decoder for the "flatted" text n8n stores execution data in (and returns from
 * `GET /rest/executions/:id` as `data`).
 *
 * The format is a JSON array. Entry 0 is the root value. Every object and array is hoisted into
 * its own entry, and so is every string; inside a hoisted object or array, a string is therefore
 * never a value but the index (in decimal) of the entry holding the value. Numbers, booleans and
 * null stay inline. A string entry of the table is a literal string. Shared and circular
 * references decode to the same object.
 */
export function unflatten(text: string): unknown {
	const table: unknown = JSON.parse(text);
	if (!Array.isArray(table) || table.length === 0) {
		throw new Error('not flatted data: expected a non-empty JSON array');
	}
	const decoded = new Map<number, unknown>();

	const resolve = (index: number): unknown => {
		if (decoded.has(index)) return decoded.get(index);
		if (!Number.isInteger(index) || index < 0 || index >= table.length) {
			throw new Error(`not flatted data: reference ${index} is outside the table`);
		}
		const entry: unknown = table[index];
		if (typeof entry !== 'object' || entry === null) {
			decoded.set(index, entry);
			return entry;
		}
		const out: Record<string, unknown> | unknown[] = Array.isArray(entry) ? [] : {};
		decoded.set(index, out);
		for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
			(out as Record<string, unknown>)[key] = typeof value === 'string' ? resolve(Number(value)) : value;
		}
		return out;
	};

	return resolve(0);
}
