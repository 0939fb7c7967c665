// README and CHANGELOG of a single-service package, cut from the root package's own documents so
// that both say the same thing.

/** The `## ` sections of a Markdown document by title, fenced code blocks read as text. */
export function sections(markdown) {
	const result = new Map();
	let title;
	let fenced = false;
	for (const line of markdown.split('\n')) {
		if (line.startsWith('```')) fenced = !fenced;
		if (!fenced && line.startsWith('## ')) {
			title = line.slice(3).trim();
			result.set(title, []);
			continue;
		}
		if (!fenced && line.startsWith('# ')) {
			title = undefined;
			continue;
		}
		if (title !== undefined) result.get(title).push(line);
	}
	return new Map([...result].map(([key, lines]) => [key, lines.join('\n').trim()]));
}

function section(all, title) {
	const body = all.get(title);
	if (body === undefined) throw new Error(`the root README has no section "## ${title}"`);
	return body;
}

/**
 * The root README's opening paragraphs after its title, its one-line summary and its table of
 * triggers: what every trigger does.
 */
function intro(markdown) {
	const head = markdown.slice(0, markdown.indexOf('\n## '));
	const paragraphs = head.split(/\n\s*\n/).slice(2);
	return paragraphs.filter((paragraph) => !paragraph.trimStart().startsWith('|'));
}

/** Regular expression for a provider name as a whole word (`Sitemark` does not match `Sitemarks`). */
export function wordPattern(name) {
	const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`(?<![\\w.])${escaped}(?![\\w])`);
}

export function readme({ provider, rootPackage, rootReadme }) {
	const all = sections(rootReadme);
	const root = rootPackage.name;
	const events = provider.events.map((event) => `\`${event.value}\``).join(', ');
	const installation = section(all, 'Installation').replaceAll(root, provider.packageName);
	const lines = [
		`# ${provider.packageName}`,
		'',
		`The **${provider.displayName}** for [n8n](https://n8n.io): it starts a workflow only for deliveries`,
		`that really come from ${provider.name}, with its credential **${provider.credentialDisplayName}**.`,
		events ? `Events: ${events}.` : '',
		'',
		...intro(rootReadme).flatMap((paragraph) => [paragraph, '']),
		`This package holds ${provider.name}'s trigger only. It is built from the same sources as`,
		`[\`${root}\`](https://www.npmjs.com/package/${root}), which holds the triggers of several`,
		'providers in one package; see [Which package to choose](#which-package-to-choose).',
		'',
		'## Installation',
		'',
		installation,
		'',
		'## Using the trigger',
		'',
		section(all, 'Using a trigger'),
		'',
		`## ${provider.name}`,
		'',
		section(all, provider.name),
		'',
		'## Security',
		'',
		`- Every delivery's HMAC-SHA256 signature is checked over the exact bytes received, in constant`,
		'  time, before the body is parsed; a delivery that fails is refused and starts no execution.',
		'- The secret (and any other credential field) is never logged, never put in an item or an error',
		'  message, and the expected signature is never revealed.',
		'- The trigger makes no outbound requests and reads neither environment variables nor files. It',
		'  has no runtime dependencies: `n8n-workflow`, which n8n provides, is its only peer dependency.',
		`- The package is published from its repository's GitHub Actions workflow with an npm provenance`,
		'  statement, and checked before each release with n8n\'s community-package scanner and',
		'  `n8n-node lint` in strict mode (the n8n Cloud rule set).',
		'',
		'## Which package to choose',
		'',
		section(all, 'Which package to choose'),
		'',
		'## License',
		'',
		'MIT, see [LICENSE.md](LICENSE.md).',
		'',
	];
	return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/**
 * The root CHANGELOG's entries that concern this provider or every trigger: an entry naming other
 * providers only is left out, and so is a heading left with no entry.
 */
export function changelog({ provider, providers, rootPackage, rootChangelog }) {
	const others = providers.filter((other) => other.name !== provider.name).map((other) => wordPattern(other.name));
	const own = wordPattern(provider.name);
	const keep = (entry) => own.test(entry) || !others.some((pattern) => pattern.test(entry));
	const body = rootChangelog.slice(rootChangelog.indexOf('\n## '));
	const out = [];
	let version;
	let subsection;
	let entry;
	const flush = () => {
		if (entry === undefined) return;
		const text = entry.join('\n');
		entry = undefined;
		if (!keep(text)) return;
		if (version !== undefined) {
			out.push('', version);
			version = undefined;
		}
		if (subsection !== undefined) {
			out.push('', subsection, '');
			subsection = undefined;
		}
		out.push(text);
	};
	for (const line of body.split('\n')) {
		if (line.startsWith('## ')) {
			flush();
			version = line;
			subsection = undefined;
		} else if (line.startsWith('### ')) {
			flush();
			subsection = line;
		} else if (line.startsWith('- ')) {
			flush();
			entry = [line];
		} else if (entry !== undefined && line.startsWith('  ')) {
			entry.push(line);
		} else {
			flush();
		}
	}
	flush();
	return [
		'# Changelog',
		'',
		`All notable changes to \`${provider.packageName}\` are recorded here. It is released together with`,
		`[\`${rootPackage.name}\`](https://www.npmjs.com/package/${rootPackage.name}), from the same sources`,
		`and under the same version; below are the entries of that package's changelog that concern`,
		`${provider.name} or every trigger.`,
		'',
		'The package follows [Semantic Versioning](https://semver.org/).',
		...out.map((line) => line.replace(/\n+$/, '')),
		'',
	]
		.join('\n')
		.replace(/\n{3,}/g, '\n\n');
}
