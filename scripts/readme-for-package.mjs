// Writes the README the .vsix carries: README.md with every local picture embedded as a data:
// URI. The installed extension's page renders the README in a webview whose policy loads images
// only from https: and data: (a relative link shows nothing), and the project has no public
// repository to point https links at, so the pictures travel inside the README itself.
//   node scripts/readme-for-package.mjs OUT.md
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/readme-for-package.mjs OUT.md');
  process.exit(2);
}
const TYPES = { '.png': 'image/png', '.svg': 'image/svg+xml', '.gif': 'image/gif', '.jpg': 'image/jpeg' };
let embedded = 0;
const readme = readFileSync(path.join(root, 'README.md'), 'utf8').replace(/(!\[[^\]]*\]\()((?:\.\/)?media\/[^)\s]+)\)/g, (_, head, link) => {
  const type = TYPES[path.extname(link).toLowerCase()];
  if (!type) throw new Error(`README.md shows ${link}, which is not an image type the page can embed`);
  embedded++;
  return `${head}data:${type};base64,${readFileSync(path.join(root, link)).toString('base64')})`;
});
writeFileSync(out, readme);
console.log(`${out}: README.md with ${embedded} pictures embedded (${Math.round(readme.length / 1024)} KiB)`);
