import { SILENT_LOGGER, createConsoleLogger, type Logger } from '../../../src/common/logger';

const METHODS = ['debug', 'info', 'warn', 'error'] as const;

/** Spies on console (before the logger is made: it binds the console methods when created). */
function spyConsole() {
  const spies = Object.fromEntries(
    METHODS.map((m) => [m, jest.spyOn(console, m).mockImplementation(() => undefined)]),
  ) as Record<(typeof METHODS)[number], jest.SpyInstance>;
  return spies;
}

function logAll(logger: Logger): void {
  for (const m of METHODS) logger[m](`${m} message`);
}

describe('createConsoleLogger', () => {
  const savedLevel = process.env['COURIER_LOG_LEVEL'];

  afterEach(() => {
    jest.restoreAllMocks();
    if (savedLevel === undefined) delete process.env['COURIER_LOG_LEVEL'];
    else process.env['COURIER_LOG_LEVEL'] = savedLevel;
  });

  it('prefixes every line with the component and passes the context through', () => {
    const spies = spyConsole();
    createConsoleLogger('client', 'debug').warn('slow provider', { address: '10.0.0.5:20880' }, 42);
    expect(spies.warn).toHaveBeenCalledWith('[courier:client]', 'slow provider', { address: '10.0.0.5:20880' }, 42);
  });

  it.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ] as const)('at level %s writes only %j', (level, written) => {
    const spies = spyConsole();
    logAll(createConsoleLogger('x', level));
    for (const m of METHODS) {
      expect(spies[m]).toHaveBeenCalledTimes((written as readonly string[]).includes(m) ? 1 : 0);
    }
    if (written.length > 0) expect(spies.error).toHaveBeenCalledWith('[courier:x]', 'error message');
  });

  it('reads its level from COURIER_LOG_LEVEL', () => {
    process.env['COURIER_LOG_LEVEL'] = 'error';
    const spies = spyConsole();
    logAll(createConsoleLogger('x'));
    expect(spies.warn).not.toHaveBeenCalled();
    expect(spies.error).toHaveBeenCalledTimes(1);
  });

  it('defaults to info when COURIER_LOG_LEVEL is unset or unknown', () => {
    for (const value of [undefined, 'verbose']) {
      if (value === undefined) delete process.env['COURIER_LOG_LEVEL'];
      else process.env['COURIER_LOG_LEVEL'] = value;
      const spies = spyConsole();
      logAll(createConsoleLogger('x'));
      expect(spies.debug).not.toHaveBeenCalled();
      expect(spies.info).toHaveBeenCalledTimes(1);
      jest.restoreAllMocks();
    }
  });
});

describe('SILENT_LOGGER', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes nothing at any level', () => {
    const spies = spyConsole();
    logAll(SILENT_LOGGER);
    for (const m of METHODS) expect(spies[m]).not.toHaveBeenCalled();
  });
});
