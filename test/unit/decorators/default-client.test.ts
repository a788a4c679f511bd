import { getDefaultClient, setDefaultClient, type ReferenceClient } from '../../../decorators/default-client';

const client = (): ReferenceClient => ({ reference: <T>() => ({}) as T });

describe('default client', () => {
  afterEach(() => setDefaultClient(undefined));

  it('is unset at first', () => {
    expect(getDefaultClient()).toBeUndefined();
  });

  it('returns the client last set, which replaces the previous one', () => {
    const first = client();
    const second = client();
    setDefaultClient(first);
    expect(getDefaultClient()).toBe(first);
    setDefaultClient(second);
    expect(getDefaultClient()).toBe(second);
  });

  it('is cleared by setting undefined', () => {
    setDefaultClient(client());
    setDefaultClient(undefined);
    expect(getDefaultClient()).toBeUndefined();
  });
});
