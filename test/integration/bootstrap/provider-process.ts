import * as path from 'node:path';

import { REPO_ROOT, TSX_LOADER, startTsChild, stopAllChildren, type Child } from '../../support/child-process';

const FIXTURE = path.join(REPO_ROOT, 'test/fixtures/apps/bootstrap-provider');

/** tsx: esbuild, no decorator metadata. swc: a require hook emitting it, as ts-node or tsc would. */
export type Loader = 'tsx' | 'swc';

const LOADER_ARGS: Record<Loader, readonly string[]> = {
  tsx: TSX_LOADER,
  swc: ['--require', path.join(FIXTURE, 'swc-register.js')],
};

export interface ProviderReady {
  pid: number;
  port: number;
  services: string[];
  parameterTypes: Record<string, string[]>;
}

export interface ProviderProcess extends Omit<Child, 'ready'> {
  readonly ready: ProviderReady;
}

/** Starts the bootstrap-provider fixture in its own process and waits for its JSON ready line. */
export async function startProvider(loader: Loader, env: Record<string, string> = {}): Promise<ProviderProcess> {
  const child = await startTsChild(path.join(FIXTURE, 'main.ts'), [], { env, nodeArgs: LOADER_ARGS[loader] });
  return { ...child, ready: child.ready as unknown as ProviderReady };
}

/** Kills (by pid) every provider this test file started and waits for them to exit; for afterAll. */
export const killProviders = stopAllChildren;
