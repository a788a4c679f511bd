import { pathToFileURL } from 'node:url';
import { declaringFile, fileOfCallSite } from '../../../decorators/call-site';

function site(fileName: string | null): NodeJS.CallSite {
  return { getFileName: () => fileName, getScriptNameOrSourceURL: () => fileName } as unknown as NodeJS.CallSite;
}

describe('declaringFile', () => {
  it('names the first file outside decorators/: here, this test file', () => {
    expect(declaringFile()).toBe(__filename);
  });

  it('leaves Error.prepareStackTrace and stackTraceLimit as it found them', () => {
    const prepare = Error.prepareStackTrace;
    const limit = Error.stackTraceLimit;
    declaringFile();
    expect(Error.prepareStackTrace).toBe(prepare);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});

describe('fileOfCallSite', () => {
  it('turns file:// URLs (ESM, tsx) into paths', () => {
    expect(fileOfCallSite(site(pathToFileURL('/srv/app/main.ts').href))).toBe('/srv/app/main.ts');
  });

  it('drops node internals, evals and frames without a file', () => {
    expect(fileOfCallSite(site('node:internal/modules/cjs/loader'))).toBeUndefined();
    expect(fileOfCallSite(site('evalmachine.<anonymous>'))).toBeUndefined();
    expect(fileOfCallSite(site(null))).toBeUndefined();
  });
});
