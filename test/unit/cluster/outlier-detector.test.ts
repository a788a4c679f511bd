import { OutlierDetector, OutlierState } from '../../../src/cluster/outlier-detector';
import { RpcError } from '../../../src/errors/rpc-error';

const refused = () => new RpcError('CONNECTION_REFUSED', 'connect ECONNREFUSED');
const A = '10.0.0.1:20880';

function detector() {
  let clock = 1_000_000;
  const d = new OutlierDetector({
    consecutiveFailures: 3,
    baseEjectionMs: 1000,
    maxEjectionMs: 8000,
    now: () => clock,
  });
  return { d, advance: (ms: number) => (clock += ms), now: () => clock };
}

describe('OutlierDetector', () => {
  it('ejects after N consecutive connection failures, not before', () => {
    const { d } = detector();
    d.record(A, refused());
    d.record(A, refused());
    expect(d.state(A)).toBe(OutlierState.HEALTHY);
    d.record(A, refused());
    expect(d.state(A)).toBe(OutlierState.EJECTED);
  });

  it('counts only connection failures; any answer resets the count; timeouts and local bugs are neutral', () => {
    const { d } = detector();
    d.record(A, refused());
    d.record(A, refused());
    d.record(A, new RpcError('APPLICATION_ERROR', 'boom'));
    d.record(A, refused());
    d.record(A, new RpcError('TIMEOUT', 'slow'));
    d.record(A, new Error('not an RpcError'));
    expect(d.state(A)).toBe(OutlierState.HEALTHY);
    d.record(A, new RpcError('CONNECTION_CLOSED', 'reset'));
    expect(d.state(A)).toBe(OutlierState.HEALTHY);
    d.record(A, refused());
    expect(d.state(A)).toBe(OutlierState.EJECTED);
  });

  it('lets one probe through after the back-off; its success returns the provider', () => {
    const { d, advance } = detector();
    for (let i = 0; i < 3; i++) d.record(A, refused());
    advance(999);
    expect(d.state(A)).toBe(OutlierState.EJECTED);
    advance(1);
    expect(d.state(A)).toBe(OutlierState.PROBE);
    d.beginAttempt(A);
    expect(d.state(A)).toBe(OutlierState.EJECTED); // only one probe at a time
    d.record(A);
    expect(d.state(A)).toBe(OutlierState.HEALTHY);
  });

  it('doubles the back-off when a probe fails, up to the cap', () => {
    const { d, advance, now } = detector();
    for (let i = 0; i < 3; i++) d.record(A, refused());
    const backoffs: number[] = [];
    for (let round = 0; round < 5; round++) {
      const ejectedAt = now();
      backoffs.push(d.ejectedUntil(A) - ejectedAt);
      advance(d.ejectedUntil(A) - ejectedAt);
      d.beginAttempt(A);
      d.record(A, refused());
    }
    expect(backoffs).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('starts again from the base back-off after a long healthy stretch', () => {
    const { d, advance, now } = detector();
    for (let i = 0; i < 3; i++) d.record(A, refused());
    advance(1000);
    d.beginAttempt(A);
    d.record(A, refused()); // 2 s
    advance(2000);
    d.beginAttempt(A);
    d.record(A); // back
    advance(9000);
    for (let i = 0; i < 3; i++) d.record(A, refused());
    expect(d.ejectedUntil(A) - now()).toBe(1000);
  });

  it('does not let a lost probe block the address forever', () => {
    const { d, advance } = detector();
    for (let i = 0; i < 3; i++) d.record(A, refused());
    advance(1000);
    d.beginAttempt(A);
    advance(8000);
    expect(d.state(A)).toBe(OutlierState.PROBE);
  });

  it('bumps its version on every transition', () => {
    const { d, advance } = detector();
    const v0 = d.version;
    for (let i = 0; i < 3; i++) d.record(A, refused());
    const v1 = d.version;
    advance(1000);
    d.beginAttempt(A);
    const v2 = d.version;
    d.record(A);
    expect(v0 < v1 && v1 < v2 && v2 < d.version).toBe(true);
  });
});
