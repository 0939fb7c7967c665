// Module hook for Node: loads .json modules imported without `with { type: 'json' }` as JSON.
export async function load(url, context, nextLoad) {
	if (url.endsWith('.json')) {
		return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
	}
	return nextLoad(url, context);
}
