// Sitemap.xml XML bodies for the benchmarks: a crawl.error envelope whose errors fill about `bytes`.

/** One `<error>` record, as the benchmarks repeat it. */
export const ERROR_RECORD =
	'<error><url>https://example.com/some/page</url><status_code>404</status_code><reason>Not Found</reason></error>';

/** A crawl.error envelope with `record` repeated to about `bytes` (at least once) in `errors`. */
export function crawlErrorBody(bytes, record = ERROR_RECORD) {
	const count = Math.max(1, Math.round(bytes / record.length));
	return Buffer.from(
		`<webhook><id>whk_bench</id><event>crawl.error</event><timestamp>2025-01-15T08:32:14Z</timestamp><data><errors>${record.repeat(count)}</errors></data></webhook>`,
	);
}
