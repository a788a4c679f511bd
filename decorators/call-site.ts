import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Frames from these files are the decorator plumbing, not the user's module that applied the decorator. */
const OWN_DIRECTORY = __dirname + path.sep;
const DECORATE_HELPERS = /[\\/]node_modules[\\/](?:tslib|@swc[\\/]helpers|reflect-metadata)[\\/]/;
const STACK_DEPTH = 64;

/**
 * The absolute path of the file whose module code is running the current decorator: the first frame of the
 * call stack outside decorators/ and the `__decorate` helpers (tslib, @swc/helpers, reflect-metadata's
 * Reflect.decorate). Like the seed's `new Throwable().getStackTrace()`, but the frame that matters is the
 * decorated class's module, which is where a class decorator runs. Under jest and tsx the frame names the
 * .ts source; under compiled code the .js file. Returns undefined when no frame names a file (eval, REPL).
 */
export function declaringFile(): string | undefined {
  for (const site of captureCallSites()) {
    const file = fileOfCallSite(site);
    if (file !== undefined && !file.startsWith(OWN_DIRECTORY) && !DECORATE_HELPERS.test(file)) return file;
  }
  return undefined;
}

/** A call site's file as an absolute path: file:// URLs (ESM, tsx) converted, node internals and evals dropped. */
export function fileOfCallSite(site: NodeJS.CallSite): string | undefined {
  const name = site.getFileName() ?? site.getScriptNameOrSourceURL();
  if (typeof name !== 'string' || name === '') return undefined;
  if (name.startsWith('file://')) return fileURLToPath(name);
  return path.isAbsolute(name) ? path.normalize(name) : undefined;
}

/** V8's structured stack trace, with prepareStackTrace and the depth limit restored whatever happens. */
function captureCallSites(): NodeJS.CallSite[] {
  const originalPrepare = Error.prepareStackTrace;
  const originalLimit = Error.stackTraceLimit;
  try {
    Error.stackTraceLimit = STACK_DEPTH;
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, captureCallSites);
    return Array.isArray(holder.stack) ? (holder.stack as NodeJS.CallSite[]) : [];
  } finally {
    Error.prepareStackTrace = originalPrepare;
    Error.stackTraceLimit = originalLimit;
  }
}
