import { SILENT_LOGGER } from '../../../src/common/logger';
import { handleStopSignals } from '../../../src/application/signal-handler';

describe('handleStopSignals', () => {
  let kill: jest.SpyInstance;

  beforeEach(() => {
    kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
  });

  afterEach(() => kill.mockRestore());

  it('stops once on the first SIGTERM, removes its handlers, then re-raises the signal', async () => {
    const before = process.listenerCount('SIGTERM');
    let stops = 0;
    let finish!: () => void;
    const stopped = new Promise<void>((resolve) => (finish = resolve));
    handleStopSignals(async () => {
      stops += 1;
      finish();
    }, SILENT_LOGGER);
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);

    process.emit('SIGTERM', 'SIGTERM');
    await stopped;
    await new Promise(setImmediate);
    expect(stops).toBe(1);
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGTERM');
  });

  it('re-raises even when the stop failed', async () => {
    handleStopSignals(() => Promise.reject(new Error('broken')), SILENT_LOGGER);
    process.emit('SIGINT', 'SIGINT');
    await new Promise(setImmediate);
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGINT');
  });

  it('returns the uninstaller a programmatic stop uses', () => {
    const before = process.listenerCount('SIGINT');
    const uninstall = handleStopSignals(async () => {}, SILENT_LOGGER);
    uninstall();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
