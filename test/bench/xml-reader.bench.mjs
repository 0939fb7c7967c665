#!/usr/bin/env node
// Sitemap.xml's XML reader alone (xmlToObject, the built package), on the body shapes a long-running
// n8n meets one after another: the five documented samples (a few hundred bytes, no repeated
// records), a short list, and two 64 KB lists of records (compact; indented, with entities in every
// record). Every shape is first read in turn a few hundred times, so that V8 has compiled the reader
// with all of them seen before any is timed. Prints one table: the median per document.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { Bench } from 'tinybench';

import { crawlErrorBody } from './xml-bodies.mjs';

const require = createRequire(import.meta.url);
const { xmlToObject } = require('../../dist/nodes/SitemapXml/xmlEnvelope.js');
const { SITEMAP_XML_FIELD_TYPES } = require('../../dist/nodes/SitemapXml/SitemapXmlProvider.js');

const samples = join(import.meta.dirname, '../../nodes/SitemapXml/samples');
const indented =
	'\n  <error>\n    <url>https://example.com/a?x=1&amp;y=2</url>\n    <status_code>500</status_code>\n    <reason>Server &lt;Error&gt;</reason>\n  </error>';

const shapes = [
	...readdirSync(samples)
		.filter((file) => file.endsWith('.xml'))
		.sort()
		.map((file) => ({ name: `sample ${file}`, body: readFileSync(join(samples, file)) })),
	{ name: 'list of 9 records', body: crawlErrorBody(1000) },
	{ name: 'list of records, 64 KB', body: crawlErrorBody(65536) },
	{ name: 'list of indented records with entities, 64 KB', body: crawlErrorBody(65536, indented) },
];
const read = (body) => xmlToObject(body.toString('utf8'), SITEMAP_XML_FIELD_TYPES);

for (let round = 0; round < 300; round++) for (const shape of shapes) read(shape.body);

const bench = new Bench({ iterations: 400, warmupIterations: 20, time: 0 });
for (const shape of shapes) bench.add(shape.name, () => read(shape.body));
await bench.run();

const fmt = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);
console.log('| body | bytes | xmlToObject (median) |');
console.log('| --- | --- | --- |');
for (const [index, task] of bench.tasks.entries()) {
	const median = task.result.latency?.p50 ?? task.result.median ?? task.result.mean;
	console.log(`| ${shapes[index].name} | ${shapes[index].body.length} | ${fmt(median)} |`);
}
