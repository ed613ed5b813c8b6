// docs/rules.md against the tree: every rule ID of the domain catalogue has a row;
// every row names at least one enforcing source file and one test file, each exists
// and cites the ID (as a word or at the end/start of an identifier: "C10",
// "C10_Follow", "WithinAWeekC10"). Test files are *_test.cc and files under tests/.
import fs from 'node:fs';
import path from 'node:path';

// The catalogue of rule IDs (O orders, C complaints, L loyalty, R outreach).
const CATALOGUE = [['O', 8], ['C', 16], ['L', 9], ['R', 12]]
  .flatMap(([p, n]) => Array.from({ length: n }, (_, i) => `${p}${i + 1}`));

const isTest = (f) => /_test\.cc$/.test(f) || f.startsWith('tests/');
const cites = (text, id) => new RegExp(`(?<![A-Z0-9])${id}(?![0-9])`).test(text);

// Returns the number of rules checked; calls fail(msg) for every problem.
export function checkRules(root, fail) {
  const file = path.join(root, 'docs/rules.md');
  if (!fs.existsSync(file)) { fail('docs/rules.md is missing'); return 0; }
  const rows = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^\|\s*([OCLR][0-9]+)\s*\|/);
    if (!m) continue;
    const cells = line.split('|').map((c) => c.trim());
    if (rows.has(m[1])) fail(`docs/rules.md: ${m[1]} has two rows`);
    rows.set(m[1], { enforced: cells[3] ?? '', proved: cells[4] ?? '' });
  }
  for (const id of CATALOGUE) if (!rows.has(id)) fail(`docs/rules.md: rule ${id} has no row`);
  for (const [id, row] of rows) {
    if (!CATALOGUE.includes(id)) fail(`docs/rules.md: ${id} is not a rule ID of the catalogue`);
    const paths = (cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    const check = (rel, wantTest) => {
      const abs = path.join(root, rel);
      if (!fs.existsSync(abs)) return fail(`docs/rules.md: ${id}: ${rel} does not exist`);
      if (isTest(rel) !== wantTest) {
        return fail(`docs/rules.md: ${id}: ${rel} is ${wantTest ? 'not a test' : 'a test, not an enforcing site'}`);
      }
      if (!cites(fs.readFileSync(abs, 'utf8'), id)) fail(`docs/rules.md: ${id}: ${rel} does not cite ${id}`);
    };
    const enforced = paths(row.enforced);
    const proved = paths(row.proved);
    if (enforced.length === 0) fail(`docs/rules.md: ${id} names no enforcing file`);
    if (proved.length === 0) fail(`docs/rules.md: ${id} names no test`);
    for (const rel of enforced) check(rel, false);
    for (const rel of proved) check(rel, true);
  }
  return rows.size;
}

// Markdown links of README.md, docs/*.md and services/*/README.md: a relative target
// must stay inside the repository and exist, and no page sends the reader to a
// design document outside it (a `../` path that leaves the repository, or the
// DOMAIN.md / ARCHITECTURE.md of the design notes): a clone alone must be enough.
export function checkLinks(root, fail) {
  const docs = ['README.md', 'tests/README.md']
    .concat(fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`))
    .concat(fs.readdirSync(path.join(root, 'services')).map((s) => `services/${s}/README.md`))
    .filter((f) => fs.existsSync(path.join(root, f)));
  let links = 0;
  for (const rel of docs) {
    const text = fs.readFileSync(path.join(root, rel), 'utf8');
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1].split('#')[0];
      if (!target || /^[a-z]+:/.test(target)) continue;
      links++;
      const abs = path.resolve(path.dirname(path.join(root, rel)), target);
      if (!abs.startsWith(root + path.sep)) fail(`${rel}: link ${m[1]} leaves the repository`);
      else if (!fs.existsSync(abs)) fail(`${rel}: link ${m[1]} does not exist`);
    }
    for (const m of text.matchAll(/`(\.\.\/[^`\s]+)`/g)) {
      const abs = path.resolve(path.dirname(path.join(root, rel)), m[1]);
      if (!abs.startsWith(root + path.sep)) fail(`${rel}: ${m[1]} is outside the repository`);
    }
    for (const m of text.matchAll(/(?<![\w/.-])(DOMAIN|ARCHITECTURE)\.md/g)) {
      fail(`${rel}: names ${m[0]}, a document outside the repository (see docs/rules.md, docs/architecture.md)`);
    }
  }
  return links;
}
