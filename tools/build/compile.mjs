#!/usr/bin/env node
/**
 * `node tools/build/compile.mjs <projectRoot>...`: each project's production sources
 * (`<projectRoot>/src/**\/*.ts` less specs, `__fixtures__` and `test-support`) to
 * `dist/<projectRoot>/src/**\/*.js`, and the JSON those sources import (`resolveJsonModule`, e.g. the
 * kernel's settlement calendars) beside them, one file at a time with the compiler options of
 * tsconfig.base.json (decorators and their metadata included) — the same per-file emit the
 * services ran on under ts-node, which `isolatedModules` in tsconfig.json keeps safe. Type checking
 * stays `npm run typecheck`'s job.
 *
 * The `@postrade/*` aliases become relative paths into dist/, so a compiled service runs with plain
 * `node dist/apps/<service>/src/main.js` (no ts-node, no tsconfig-paths). An alias that is not in
 * tsconfig.base.json fails the build. Each project's dist folder is emptied first, so a deleted
 * source leaves no stale .js behind. Nx runs this once per project (the `build` target, cached).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
/** `--out <dir>` compiles elsewhere than dist/ (the build's own test does). */
const outAt = args.indexOf('--out');
const outRoot = outAt >= 0 ? resolve(args[outAt + 1]) : join(root, 'dist');
const projects = outAt >= 0 ? args.filter((_, i) => i !== outAt && i !== outAt + 1) : args;

if (projects.length === 0 || (outAt >= 0 && !args[outAt + 1])) {
  process.stderr.write('usage: node tools/build/compile.mjs [--out <dir>] <projectRoot>...  (e.g. apps/ledger libs/kernel)\n');
  process.exit(2);
}

// Loaded after the arguments are checked: the compiler takes a while to load.
const { default: ts } = await import('typescript');

const configFile = ts.readConfigFile(join(root, 'tsconfig.base.json'), ts.sys.readFile);
if (configFile.error) throw new Error(ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n'));
const { options, errors } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, root);
if (errors.length > 0) throw new Error(errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('\n'));
const compilerOptions = { ...options, module: ts.ModuleKind.CommonJS, sourceMap: true, inlineSources: false, declaration: false, noEmit: false };

/** `@postrade/kernel` → absolute path of the .js it compiles to. */
const aliases = new Map(
  Object.entries(configFile.config.compilerOptions.paths).map(([alias, [target]]) => [alias, join(outRoot, target.replace(/\.ts$/, '.js'))]),
);

function relativeRequire(fromFile, alias) {
  const target = aliases.get(alias);
  if (!target) throw new Error(`${relative(root, fromFile)}: ${alias} is not a path alias of tsconfig.base.json`);
  const path = relative(dirname(fromFile), target).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

const skipped = (name) => name === '__fixtures__' || name === 'test-support' || name === 'node_modules';
const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.int-spec.ts');
const isJson = (name) => name.endsWith('.json');

function files(dir, wanted) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return skipped(entry.name) ? [] : files(path, wanted);
    return entry.isFile() && wanted(entry.name) ? [path] : [];
  });
}

function compileProject(projectRoot) {
  const srcDir = join(root, projectRoot, 'src');
  const outDir = join(outRoot, projectRoot);
  rmSync(outDir, { recursive: true, force: true });
  for (const file of files(srcDir, isJson)) {
    const outFile = join(outRoot, relative(root, file));
    mkdirSync(dirname(outFile), { recursive: true });
    copyFileSync(file, outFile);
  }
  const sources = files(srcDir, isSource);
  for (const file of sources) {
    const outFile = join(outRoot, relative(root, file)).replace(/\.ts$/, '.js');
    const result = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions,
      fileName: file,
      reportDiagnostics: true,
    });
    const diagnostics = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (diagnostics.length > 0) {
      throw new Error(`${relative(root, file)}: ${diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
    }
    const js = result.outputText
      .replace(/require\((["'])(@postrade\/[^"']+)\1\)/g, (_, quote, alias) => `require(${quote}${relativeRequire(outFile, alias)}${quote})`)
      .replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${outFile.split(sep).pop()}.map`);
    const map = JSON.parse(result.sourceMapText);
    map.sources = [relative(dirname(outFile), file).split(sep).join('/')];
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, js);
    writeFileSync(`${outFile}.map`, JSON.stringify(map));
  }
  return sources.length;
}

for (const project of projects) {
  const count = compileProject(project);
  process.stdout.write(`${project}: ${count} files → ${relative(process.cwd(), join(outRoot, project))}\n`);
}
