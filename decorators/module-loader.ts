/** Marker ts-node puts on `process` while registered. */
const TS_NODE_INSTANCE = Symbol.for('ts-node.register.instance');
/** Loader flags that make plain node understand .ts (tsx, ts-node, swc-node, esbuild-register). */
const TS_LOADER_ARG = /(?:^|[\\/=\s])(?:tsx|ts-node|@swc-node|esbuild-register)(?:[\\/@]|$)/;

/**
 * Can this process require() a .ts file? True under jest (it transforms through its own module registry),
 * ts-node, tsx and any loader that registers `require.extensions['.ts']`.
 */
export function typeScriptLoaderActive(): boolean {
  const extensions = (require as NodeJS.Require & { extensions?: Record<string, unknown> }).extensions;
  if (extensions !== undefined && extensions['.ts'] !== undefined) return true;
  if ((process as unknown as Record<symbol, unknown>)[TS_NODE_INSTANCE] !== undefined) return true;
  if (process.env['JEST_WORKER_ID'] !== undefined) return true;
  return process.execArgv.some((arg) => TS_LOADER_ARG.test(arg));
}

/**
 * Loads one scanned file. This module's own `require` on purpose: under jest it is the sandbox's require,
 * so scanned files share the test's module registry (one reflect-metadata, one decorators/ instance).
 */
export function loadModule(file: string): unknown {
  return require(file) as unknown;
}
