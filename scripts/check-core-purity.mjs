#!/usr/bin/env node
// Fails when packages/core/src (tests aside) reaches outside pure calculation: imports other than relative paths
// and the allowed packages (zod and pure maths), any clock, environment, randomness, global or network access, or a
// dependency in core's package.json that is not allowed. Core's purity is a lint error, not a
// hope (docs/architecture.md, "The rules `npm run lint` checks").
//
// Usage: node scripts/check-core-purity.mjs [directory]   (default: packages/core/src; the package.json beside the
// directory, if any, is checked too)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The packages core may use, declared once: imports and core's dependencies are checked against it. Each is pure
 * calculation with no I/O, clock or randomness of its own: zod for schemas, `@stdlib` maths for log-gamma and the
 * normal quantile.
 */
export const ALLOWED_PACKAGES = new Set(['zod', '@stdlib/math-base-special-gammaln', '@stdlib/stats-base-dists-normal-quantile']);
const ALLOWED_LIST = [...ALLOWED_PACKAGES].join(', ');

const FORBIDDEN = [
  { pattern: /\bprocess\./, rule: 'reads the process (env, argv, exit…); pass values in as arguments' },
  { pattern: /\bDate\.now\b/, rule: 'reads the clock (Date.now); pass the as-of date or timestamp in' },
  { pattern: /\bnew Date\(\s*\)/, rule: 'reads the clock (new Date()); pass the as-of date or timestamp in' },
  { pattern: /\bMath\.random\b/, rule: 'uses Math.random; take a seed as an argument' },
  { pattern: /\bglobalThis\b/, rule: 'touches globalThis' },
  { pattern: /\brequire\(/, rule: 'uses require(); core is ESM and imports only relative paths and zod' },
  { pattern: /\bfetch\(/, rule: 'does network I/O (fetch)' },
];

// Matches `from '…'`, `import '…'` and `import('…')`.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"]+)\1/g;

/** Blanks out comments, keeping line breaks so line numbers stay true; prose may name what code may not do. */
function stripComments(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, (_line, before) => before);
}

/** Every purity problem in one file, as `{ line, message }`. */
export function checkSource(text) {
  const problems = [];
  stripComments(text)
    .split('\n')
    .forEach((line, index) => {
      for (const match of line.matchAll(IMPORT)) {
        const specifier = match[2];
        if (!specifier.startsWith('./') && !specifier.startsWith('../') && !ALLOWED_PACKAGES.has(specifier)) {
          problems.push({ line: index + 1, message: `imports ${JSON.stringify(specifier)}; core may import only relative paths and ${ALLOWED_LIST}` });
        }
      }
      for (const { pattern, rule } of FORBIDDEN) {
        if (pattern.test(line)) problems.push({ line: index + 1, message: rule });
      }
    });
  return problems;
}

/** Every dependency of a package.json that core may not have, as messages. */
export function checkDependencies(pkg) {
  return Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })
    .filter((name) => !ALLOWED_PACKAGES.has(name))
    .map((name) => `depends on ${JSON.stringify(name)}; core may depend only on ${ALLOWED_LIST} (scripts/check-core-purity.mjs)`);
}

function sourceFiles(directory) {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(name) && !/\.(test|bench)\.[mc]?[jt]s$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function main() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const directory = process.argv[2] ?? join(root, 'packages/core/src');
  const manifest = join(dirname(directory), 'package.json');
  const found = [
    ...(existsSync(manifest) ? checkDependencies(JSON.parse(readFileSync(manifest, 'utf8'))).map((m) => `${relative(process.cwd(), manifest)}: ${m}`) : []),
    ...sourceFiles(directory).flatMap((file) =>
      checkSource(readFileSync(file, 'utf8')).map((p) => `${relative(process.cwd(), file)}:${p.line}: ${p.message}`),
    ),
  ];
  if (found.length > 0) {
    console.error(`packages/core must stay pure (no I/O, clock, env or randomness):\n${found.join('\n')}`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
