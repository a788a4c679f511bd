import { ANY, matchesGroup, matchesReference, matchesVersion } from '../../../src/cluster/provider-match';
import { provider } from './fixtures';

describe('matchesGroup', () => {
  it('matches exactly, and the empty group only the empty group', () => {
    expect(matchesGroup('blue', 'blue')).toBe(true);
    expect(matchesGroup('blue', 'green')).toBe(false);
    expect(matchesGroup('', '')).toBe(true);
    expect(matchesGroup('', 'blue')).toBe(false);
    expect(matchesGroup('blue', '')).toBe(false);
  });

  it('lets * match any group, the empty one included', () => {
    expect(ANY).toBe('*');
    expect(matchesGroup('*', 'blue')).toBe(true);
    expect(matchesGroup('*', '')).toBe(true);
  });

  it('lets a comma list match any of its groups, spaces trimmed', () => {
    expect(matchesGroup('blue,green', 'green')).toBe(true);
    expect(matchesGroup('blue, green', 'green')).toBe(true);
    expect(matchesGroup('blue,green', 'red')).toBe(false);
    expect(matchesGroup('blue,green', 'blue,green')).toBe(true);
  });

  it('does not match a group by prefix or substring', () => {
    expect(matchesGroup('blue', 'blue2')).toBe(false);
    expect(matchesGroup('blue,green', 'gree')).toBe(false);
  });
});

describe('matchesVersion', () => {
  it('matches exactly or by *, with no comma lists', () => {
    expect(matchesVersion('1.0.0', '1.0.0')).toBe(true);
    expect(matchesVersion('1.0.0', '1.0.1')).toBe(false);
    expect(matchesVersion('', '')).toBe(true);
    expect(matchesVersion('', '1.0.0')).toBe(false);
    expect(matchesVersion('*', '2.0.0')).toBe(true);
    expect(matchesVersion('1.0.0,2.0.0', '2.0.0')).toBe(false);
  });
});

describe('matchesReference', () => {
  it('needs the group and the version to match', () => {
    const p = provider('10.0.0.1:20880', { group: 'blue', version: '1.0.0' });
    expect(matchesReference(p, 'blue', '1.0.0')).toBe(true);
    expect(matchesReference(p, 'green', '1.0.0')).toBe(false);
    expect(matchesReference(p, 'blue', '2.0.0')).toBe(false);
    expect(matchesReference(p, '*', '*')).toBe(true);
  });

  it('never matches a disabled provider, even with wildcards', () => {
    const p = provider('10.0.0.1:20880', { enabled: false });
    expect(matchesReference(p, '*', '*')).toBe(false);
    expect(matchesReference(p, '', '1.0.0')).toBe(false);
  });
});
