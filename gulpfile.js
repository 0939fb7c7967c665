const { src, dest } = require('gulp');

/** Icons and codex files are not compiled by tsc; n8n reads them from dist/ beside each node. */
function copyAssets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.node.json'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = copyAssets;
