/**
 * The example workflows in examples/ on a real n8n (one start, one restart at the end). Each file is
 * loaded as a user imports it, given a credential as a user picks theirs, deployed, and run on
 * signed deliveries built from the documented samples; the tests check what each example promises
 * of its last nodes, which branch runs, and that nothing but n8n's built-in nodes and this
 * package's trigger is used. The last test imports the files unchanged with n8n's CLI, where the
 * credential is found by its name. N8N_LINE=2 (default) or 1 picks the n8n line.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ACKNOWLEDGED, expectNoNewExecution, fixtureText, oneNewExecution, post } from './harness/deliveries';
import {
	lineFromEnv,
	N8n,
	nodeOutput,
	REPO_ROOT,
	type ExecutionDetail,
	type WorkflowDefinition,
	type WorkflowNode,
} from '../../scripts/n8n/n8n';
import { PACKAGE_NAME, TRIGGER_TYPE_VERSION } from '../../scripts/n8n/workflows';
import { credentialData, signedHeaders } from '../support/deliveries';
import { PROVIDERS, type Provider } from '../support/providers';

const line = lineFromEnv();
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
/** What the examples hold in place of a credential id: the user picks their own credential. */
const PLACEHOLDER_CREDENTIAL_ID = 'REPLACE_WITH_YOUR_CREDENTIAL';

interface Example {
	provider: Provider;
	title: string;
	file: string;
	/** Node name of the trigger without the package prefix. */
	trigger: string;
	credentialType: string;
	/** The name the example gives its credential: n8n's default name for a new one of this type. */
	credentialName: string;
	credentialData: Record<string, string>;
	/** The headers the provider sends with `body`, signed with the credential's secret. */
	headers(body: string): Record<string, string>;
}

function readWorkflow(file: string): WorkflowDefinition {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowDefinition;
}

function readExample(example: Example): WorkflowDefinition {
	return readWorkflow(example.file);
}

function triggerOf(workflow: WorkflowDefinition): WorkflowNode {
	const triggers = workflow.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`));
	if (triggers.length !== 1) throw new Error(`${workflow.name}: expected one ${PACKAGE_NAME} node, found ${triggers.length}`);
	return triggers[0];
}

/** The one example workflow in examples/ whose trigger is the provider's node, with its credential and signing. */
function exampleOf(provider: Provider): Example {
	const files = fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.filter((file) => triggerOf(readWorkflow(file)).type === `${PACKAGE_NAME}.${provider.nodeName}`);
	if (files.length !== 1) throw new Error(`expected one example workflow of ${provider.nodeName} in examples/, found ${files.length}`);
	const data = credentialData(provider, `examples-${provider.key}-secret`, 'examples');
	return {
		provider,
		title: provider.facts.name,
		file: files[0],
		trigger: provider.nodeName,
		credentialType: provider.credentialType,
		credentialName: `${provider.credential.displayName} account`,
		credentialData: data,
		headers: (body) => signedHeaders(provider, body, data.webhookSecret),
	};
}

/** One example per provider the package declares. */
const EXAMPLES = PROVIDERS.map(exampleOf);

function example(key: string): Example {
	const found = EXAMPLES.find((candidate) => candidate.provider.key === key);
	if (found === undefined) throw new Error(`no example of ${key}`);
	return found;
}

const SITEMARK = example('sitemark');
const SITEMARKS = example('sitemarks');
const SITECAPTURE = example('sitecapture');
const SITEMAPXML = example('sitemapxml');
const CONTENTSPAL = example('contentspal');

/** Names of the nodes that ran in an execution. */
function ran(execution: ExecutionDetail): string[] {
	return Object.keys(execution.data.resultData.runData);
}

// ---------------------------------------------------------------------------------------------
// Deliveries and what the examples promise for them

function sitemarkShot(data: Record<string, unknown>): string {
	const sample = JSON.parse(fixtureText('sitemark', 'shot.logged.json')) as { data: Record<string, unknown> };
	return JSON.stringify({ ...sample, data: { ...sample.data, ...data } });
}

const FAILED_SHOT = sitemarkShot({ shot_id: 'shot_fail_01', elevation: 312.38, delta: -0.12, pass: false });
const FAILED_SHOT_ALERT = {
	alert:
		'Grade shot shot_fail_01 on job job_xyz789 (station 1+25, offset 0.0) is out of tolerance: delta -0.12, ' +
		'tolerance ±0.05, failed in Sitemark. Elevation 312.38, design grade 312.5, logged 2026-05-28T17:45:10Z.',
	shot_id: 'shot_fail_01',
	job_id: 'job_xyz789',
	station: '1+25',
	delta: -0.12,
	sitemark_pass: false,
};

const COMMENT_NOTIFICATION = {
	title: 'New comment on "Homepage v2"',
	text: 'Alice Chen commented on "Homepage v2": The logo needs more padding on the left.',
	event: 'comment.created',
	markup_id: 'cm7qrs8tuv9wx',
	annotation_id: 'cm4ijk5lmn6op',
	project_id: 'cm0yza1bcd2ef',
	timestamp: '2026-03-22T14:30:00.000Z',
};

const HANDOFF_MESSAGE = 'SiteCapture project 3057 reached COMPLETE (status "Complete") and is ready for hand-off.';

const CRAWL_ERROR_LINES = [
	'[404] https://example.com/old-page: Not Found',
	'[503] https://example.com/search?q=shoes&page=2: Service Unavailable: response time > 30s',
	'[403] https://example.com/private/: Blocked by robots.txt rule "Disallow: /private/"',
];
const CRAWL_ERROR_REPORT = [
	'Sitemap.xml found 3 crawl error(s) in https://example.com/sitemap.xml:',
	...CRAWL_ERROR_LINES,
].join('\n');

const CUSTOMER_CHANGED_SUMMARY =
	'Job "Smith Residence - Fire Damage" (job-uuid): customer changed. Customer: John Smith. ' +
	'Insurance: State Farm, claim CLM-2026-001.';

function contentsPalUpdate(changes: unknown[]): string {
	const sample = JSON.parse(fixtureText('contentspal', 'job.updated.json')) as Record<string, unknown>;
	return JSON.stringify({ ...sample, changes });
}

// ---------------------------------------------------------------------------------------------

describe(`Example workflows on n8n line ${line}`, () => {
	let n8n: N8n;
	const credentials = new Map<Example, { id: string; name: string }>();
	/** Ids of the workflows deployed over REST below: the CLI import must make workflows of its own. */
	const deployedIds = new Set<string>();

	interface Deployed {
		id: string;
		url: string;
		example: Example;
	}

	/**
	 * The example as the editor holds it after Workflow → Import from File and picking a credential
	 * (the editor drops a credential id it does not know, the user selects theirs, and the editor
	 * gives a trigger without a webhook id its own), saved and activated over n8n's REST API.
	 */
	async function deployExample(example: Example): Promise<Deployed> {
		const workflow = readExample(example);
		const trigger = triggerOf(workflow);
		const credential = credentials.get(example);
		if (!credential) throw new Error(`no credential for ${example.title}`);
		trigger.credentials = { [example.credentialType]: credential };
		trigger.webhookId = randomUUID();
		const id = await n8n.deploy(workflow);
		deployedIds.add(id);
		return { id, url: n8n.productionUrl(trigger.webhookId), example };
	}

	/** Sends a signed delivery, expects it acknowledged, and returns the one execution it started. */
	async function run(deployed: Deployed, body: string): Promise<ExecutionDetail> {
		const before = await n8n.executions(deployed.id);
		const response = await post(n8n, deployed.url, body, deployed.example.headers(body));
		expect(response.status).toBe(200);
		expect(response.json).toEqual(ACKNOWLEDGED);
		return await oneNewExecution(n8n, deployed.id, before);
	}

	/** Sends a signed delivery, expects it acknowledged, and checks that it started nothing. */
	async function runsNothing(deployed: Deployed, body: string): Promise<void> {
		const before = await n8n.executions(deployed.id);
		const response = await post(n8n, deployed.url, body, deployed.example.headers(body));
		expect(response.status).toBe(200);
		expect(response.json).toEqual(ACKNOWLEDGED);
		await expectNoNewExecution(n8n, deployed.id, before);
	}

	beforeAll(async () => {
		n8n = await N8n.create();
		await n8n.start();
		for (const example of EXAMPLES) {
			credentials.set(
				example,
				await n8n.createCredential({
					name: example.credentialName,
					type: example.credentialType,
					data: example.credentialData,
				}),
			);
		}
	}, 45 * 60_000);

	afterAll(async () => {
		await n8n?.dispose();
	}, 120_000);

	test('examples/ holds one workflow per provider and a README', () => {
		const files = fs.readdirSync(EXAMPLES_DIR).sort();
		expect(files).toEqual([...EXAMPLES.map((example) => example.file), 'README.md'].sort());
	});

	describe.each(EXAMPLES.map((example) => [example.title, example] as const))('%s example file', (_title, example) => {
		const workflow = readExample(example);

		test('uses only n8n built-in nodes besides this package\'s trigger', () => {
			const ours = new RegExp(`^${PACKAGE_NAME}\\.[A-Za-z]+$`);
			for (const node of workflow.nodes) {
				expect(/^n8n-nodes-base\.[A-Za-z]+$/.test(node.type) || ours.test(node.type) ? 'allowed' : node.type).toBe('allowed');
			}
			const trigger = triggerOf(workflow);
			expect(trigger.type).toBe(`${PACKAGE_NAME}.${example.trigger}`);
			expect(trigger.typeVersion).toBe(TRIGGER_TYPE_VERSION);
		});

		test('every node type and version exists on this n8n', async () => {
			const wanted = workflow.nodes.map((node) => ({ name: node.type, version: node.typeVersion }));
			// n8n 2.x answers 400 for a type or version it does not have; either way each must be listed.
			const descriptions = await n8n.nodeTypeDescriptions(wanted);
			const known = new Set(
				descriptions.flatMap((description) =>
					([] as unknown[]).concat(description.version).map((version) => `${String(description.name).split('.').pop()}@${version}`),
				),
			);
			for (const { name, version } of wanted) expect(known).toContain(`${name.split('.').pop()}@${version}`);
		});

		test('names its credential, with a placeholder id, and leaves the webhook id to n8n', () => {
			const trigger = triggerOf(workflow);
			expect(trigger.credentials).toEqual({
				[example.credentialType]: { id: PLACEHOLDER_CREDENTIAL_ID, name: example.credentialName },
			});
			expect(trigger.webhookId).toBeUndefined();
			expect(workflow.active).not.toBe(true);
			expect(workflow.settings).toMatchObject({ executionOrder: 'v1' });
		});

		test('has a setup note naming the credential and where the Production URL goes', () => {
			const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
			expect(notes).toHaveLength(1);
			const content = String(notes[0].parameters.content);
			expect(content).toContain(example.credentialName.replace(/ account$/, ''));
			expect(content).toContain('Production URL');
		});

		test('connects only nodes it has, and every node but the note is connected', () => {
			const names = new Set(workflow.nodes.map((node) => node.name));
			const connected = new Set<string>();
			for (const [source, outputs] of Object.entries(workflow.connections)) {
				expect(names.has(source)).toBe(true);
				connected.add(source);
				for (const output of (outputs as { main: Array<Array<{ node: string }>> }).main) {
					for (const target of output) {
						expect(names.has(target.node)).toBe(true);
						connected.add(target.node);
					}
				}
			}
			const working = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
			expect(working.length).toBeGreaterThanOrEqual(2);
			expect(working.map((node) => node.name).filter((name) => !connected.has(name))).toEqual([]);
		});
	});

	describe('Sitemark: alert on grade shots out of tolerance', () => {
		let deployed: Deployed;

		beforeAll(async () => {
			deployed = await deployExample(SITEMARK);
		}, 120_000);

		test('a shot that failed in Sitemark gets an alert naming the shot, its delta and the tolerance', async () => {
			const execution = await run(deployed, FAILED_SHOT);

			expect(nodeOutput(execution, 'Compose Alert')).toEqual([FAILED_SHOT_ALERT]);
			expect(ran(execution)).not.toContain('Within Tolerance');
		});

		test('a shot that passed in Sitemark but is beyond the tolerance also gets an alert', async () => {
			const body = sitemarkShot({ shot_id: 'shot_high_02', elevation: 312.58, delta: 0.08, pass: true });

			const execution = await run(deployed, body);

			const [alert] = nodeOutput(execution, 'Compose Alert');
			expect(alert.alert).toBe(
				'Grade shot shot_high_02 on job job_xyz789 (station 1+25, offset 0.0) is out of tolerance: delta 0.08, ' +
					'tolerance ±0.05. Elevation 312.58, design grade 312.5, logged 2026-05-28T17:45:10Z.',
			);
			expect(alert).toMatchObject({ shot_id: 'shot_high_02', delta: 0.08, sitemark_pass: true });
			expect(ran(execution)).not.toContain('Within Tolerance');
		});

		test('the documented shot, within tolerance, ends in Within Tolerance and composes no alert', async () => {
			const body = fixtureText('sitemark', 'shot.logged.json');

			const execution = await run(deployed, body);

			expect(nodeOutput(execution, 'Within Tolerance')).toEqual([{ ...JSON.parse(body), tolerance: 0.05 }]);
			expect(ran(execution)).not.toContain('Compose Alert');
		});

		test('other Sitemark events start nothing', async () => {
			await runsNothing(deployed, fixtureText('sitemark', 'job.completed.json'));
		});
	});

	describe('Sitemarks: notify on new comments and annotations', () => {
		let deployed: Deployed;
		const branches = ['Comment Notification', 'Annotation Notification', 'Resolved Notification'];

		beforeAll(async () => {
			deployed = await deployExample(SITEMARKS);
		}, 120_000);

		test.each([
			['comment.created', 'Comment Notification', COMMENT_NOTIFICATION],
			[
				'annotation.created',
				'Annotation Notification',
				{
					title: 'New annotation on "Homepage v2"',
					text: 'Alice Chen added an annotation to "Homepage v2" on https://www.example.com/pricing.',
					event: 'annotation.created',
					markup_id: 'cm7qrs8tuv9wx',
					annotation_id: 'cm4ijk5lmn6op',
					project_id: 'cm0yza1bcd2ef',
					timestamp: '2026-03-22T14:28:12.000Z',
				},
			],
			[
				'annotation.resolved',
				'Resolved Notification',
				{
					title: 'Annotation resolved on "Homepage v2"',
					text: 'Ben Okafor resolved an annotation on "Homepage v2".',
					event: 'annotation.resolved',
					markup_id: 'cm7qrs8tuv9wx',
					annotation_id: 'cm4ijk5lmn6op',
					project_id: 'cm0yza1bcd2ef',
					timestamp: '2026-03-22T16:05:41.000Z',
				},
			],
		])('%s is routed to %s only', async (event, branch, notification) => {
			const execution = await run(deployed, fixtureText('sitemarks', `${event}.json`));

			expect(nodeOutput(execution, branch)).toEqual([notification]);
			expect(ran(execution).filter((name) => branches.includes(name))).toEqual([branch]);
		});

		test('events the example does not listen to start nothing', async () => {
			await runsNothing(deployed, fixtureText('sitemarks', 'comment.updated.json'));
		});
	});

	describe('SiteCapture: hand off completed projects', () => {
		let deployed: Deployed;

		beforeAll(async () => {
			deployed = await deployExample(SITECAPTURE);
		}, 120_000);

		test('a project entering COMPLETE gets a hand-off record', async () => {
			const startedAt = Date.now();

			const execution = await run(deployed, fixtureText('sitecapture', 'status_change.json'));

			const [record] = nodeOutput(execution, 'Compose Hand-off Record');
			expect(record).toEqual({
				project_id: 3057,
				status: 'Complete',
				workflow_state: 'COMPLETE',
				received_at: expect.any(String),
				message: HANDOFF_MESSAGE,
			});
			const receivedAt = Date.parse(String(record.received_at));
			expect(receivedAt).toBeGreaterThanOrEqual(startedAt - 1000);
			expect(receivedAt).toBeLessThanOrEqual(Date.now() + 1000);
		});

		test('a project entering another workflow state starts nothing', async () => {
			await runsNothing(deployed, fixtureText('sitecapture', 'status_change.in_review.json'));
		});
	});

	describe('Sitemap.xml: report crawl errors', () => {
		let deployed: Deployed;
		const jsonBody = fixtureText('sitemapxml', 'crawl.error.json');

		beforeAll(async () => {
			deployed = await deployExample(SITEMAPXML);
		}, 120_000);

		test('a crawl.error delivery gives one line per failed URL and one report with all of them', async () => {
			const execution = await run(deployed, jsonBody);

			expect(nodeOutput(execution, 'Format Error Line')).toEqual([
				{
					line: CRAWL_ERROR_LINES[0],
					url: 'https://example.com/old-page',
					status_code: 404,
					reason: 'Not Found',
					sitemap_url: 'https://example.com/sitemap.xml',
				},
				{
					line: CRAWL_ERROR_LINES[1],
					url: 'https://example.com/search?q=shoes&page=2',
					status_code: 503,
					reason: 'Service Unavailable: response time > 30s',
					sitemap_url: 'https://example.com/sitemap.xml',
				},
				{
					line: CRAWL_ERROR_LINES[2],
					url: 'https://example.com/private/',
					status_code: 403,
					reason: 'Blocked by robots.txt rule "Disallow: /private/"',
					sitemap_url: 'https://example.com/sitemap.xml',
				},
			]);
			expect(nodeOutput(execution, 'Compose Report')).toEqual([
				{
					report: CRAWL_ERROR_REPORT,
					error_count: 3,
					sitemap_url: 'https://example.com/sitemap.xml',
					delivery_id: 'whk_9q2w7e4r1t8y5u3i',
					timestamp: '2025-01-17T14:03:29Z',
				},
			]);
		});

		test('a retry of the same delivery is dropped, so the report is not sent twice', async () => {
			await runsNothing(deployed, jsonBody);
		});

		test('the same crawl.error sent as XML gives the same report', async () => {
			const xmlBody = fixtureText('sitemapxml', 'crawl.error.xml').replace('whk_9q2w7e4r1t8y5u3i', 'whk_xml_report_2');

			const execution = await run(deployed, xmlBody);

			expect(nodeOutput(execution, 'Compose Report')).toEqual([
				expect.objectContaining({ report: CRAWL_ERROR_REPORT, error_count: 3, delivery_id: 'whk_xml_report_2' }),
			]);
		});
	});

	describe('ContentsPal: record customer and insurance changes', () => {
		let deployed: Deployed;

		beforeAll(async () => {
			deployed = await deployExample(CONTENTSPAL);
		}, 120_000);

		test('a customer change gives an update record with the current customer and insurance details', async () => {
			const body = fixtureText('contentspal', 'job.updated.json');

			const execution = await run(deployed, body);

			expect(nodeOutput(execution, 'Compose Update Record')).toEqual([
				{
					summary: CUSTOMER_CHANGED_SUMMARY,
					job_id: 'job-uuid',
					job_name: 'Smith Residence - Fire Damage',
					organization_id: 'abc123',
					changed: 'customer',
					customer_name: 'John Smith',
					customer_email: 'john.smith@example.com',
					customer_phone: '555-1234',
					insurance_company: 'State Farm',
					insurance_claim_number: 'CLM-2026-001',
					insurance_policy_number: 'POL-123',
					changes: (JSON.parse(body) as { changes: unknown[] }).changes,
					updated_at: '2026-03-03T14:30:00.000Z',
				},
			]);
		});

		test('an insurance change together with a name change says both', async () => {
			const body = contentsPalUpdate([
				{ field: 'jobName', oldValue: 'Smith Residence', newValue: 'Smith Residence - Fire Damage' },
				{ field: 'settings.insurance', oldValue: { claimNumber: null }, newValue: { claimNumber: 'CLM-2026-001' } },
			]);

			const execution = await run(deployed, body);

			const [record] = nodeOutput(execution, 'Compose Update Record');
			expect(record).toMatchObject({ changed: 'job name and insurance', insurance_claim_number: 'CLM-2026-001' });
			expect(record.summary).toContain('job name and insurance changed.');
		});

		test('a job update that changes only the job name starts nothing', async () => {
			await runsNothing(
				deployed,
				contentsPalUpdate([{ field: 'jobName', oldValue: 'Smith Residence', newValue: 'Smith Residence - Fire Damage' }]),
			);
		});
	});

	test('the files import unchanged with n8n\'s CLI, find their credential by name, and run once opened and saved', async () => {
		await n8n.stop();
		// `n8n import:workflow --input=<file>` for each file does the same; --separate takes the folder.
		await n8n.cli(['import:workflow', '--separate', `--input=${EXAMPLES_DIR}`]);
		await n8n.start();

		const checks: Array<[Example, string, string, Record<string, unknown>]> = [
			[SITEMARK, FAILED_SHOT, 'Compose Alert', FAILED_SHOT_ALERT],
			[SITEMARKS, fixtureText('sitemarks', 'comment.created.json'), 'Comment Notification', COMMENT_NOTIFICATION],
			[SITECAPTURE, fixtureText('sitecapture', 'status_change.json'), 'Compose Hand-off Record', { message: HANDOFF_MESSAGE }],
			[SITEMAPXML, fixtureText('sitemapxml', 'crawl.error.json'), 'Compose Report', { report: CRAWL_ERROR_REPORT }],
			[
				CONTENTSPAL,
				fixtureText('contentspal', 'job.updated.json'),
				'Compose Update Record',
				{ summary: CUSTOMER_CHANGED_SUMMARY },
			],
		];
		for (const [example, body, finalNode, promised] of checks) {
			const fileId = readExample(example).id;
			expect(fileId).toEqual(expect.any(String));
			const id = String(fileId);
			expect(deployedIds.has(id)).toBe(false);

			const imported = await n8n.getWorkflow(id);
			expect(imported.name).toBe(readExample(example).name);
			const trigger = triggerOf(imported);
			// The placeholder id is replaced by the one credential of that type with the example's name.
			expect(trigger.credentials).toEqual({ [example.credentialType]: credentials.get(example) });
			expect(trigger.webhookId).toBeUndefined();

			// Opening the workflow in the editor gives the trigger a webhook id, and saving keeps it. Without
			// one, n8n registers the webhook under the workflow id and the node's name, a path that no URL
			// shown in the editor reaches (n8n 2.40 answers 404 for it).
			trigger.webhookId = randomUUID();
			await n8n.rest('PATCH', `/workflows/${id}`, { versionId: imported.versionId, nodes: imported.nodes });
			await n8n.activateWorkflow(id);

			const execution = await run({ id, url: n8n.productionUrl(trigger.webhookId), example }, body);
			expect(nodeOutput(execution, finalNode)).toEqual([expect.objectContaining(promised)]);
		}
	}, 10 * 60_000);
});
