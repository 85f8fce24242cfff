// Gzipped size of what the first load ships (index.html's scripts and styles, plus the chunks they import),
// printed and checked against the budget: the build fails above it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const root = 'target/classes/META-INF/resources/console';
const assets = join(root, 'assets');
const files = readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
let total = 0;
for (const f of files) {
  const gz = gzipSync(readFileSync(join(assets, f)), { level: 9 }).length;
  total += gz;
  console.log(`console size: ${f} ${(gz / 1024).toFixed(1)} KB gzipped`);
}
console.log(`console size: first load JS+CSS ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error('console size: over budget');
  process.exit(1);
}
