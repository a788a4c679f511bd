import { RpcError } from '../../src/errors/rpc-error';

/** What `run` throws, which must be an RpcError with `code`; fails the test when it throws nothing or anything else. */
export function thrownRpcError(run: () => unknown, code: string): RpcError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(RpcError);
  expect((thrown as RpcError).code).toBe(code);
  return thrown as RpcError;
}
