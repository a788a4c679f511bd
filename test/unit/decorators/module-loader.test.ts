import { typeScriptLoaderActive } from '../../../decorators/module-loader';

describe('typeScriptLoaderActive', () => {
  it('is true under jest, which transforms .ts through its module registry', () => {
    expect(typeScriptLoaderActive()).toBe(true);
  });
});
