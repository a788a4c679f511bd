/** The logging surface Courier writes to; pass your own (pino, winston) or use the console default. */
export interface Logger {
  debug(message: string, ...context: unknown[]): void;
  info(message: string, ...context: unknown[]): void;
  warn(message: string, ...context: unknown[]): void;
  error(message: string, ...context: unknown[]): void;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

/** Console logger filtered by COURIER_LOG_LEVEL (default 'info'); prefixes every line with the component name. */
export function createConsoleLogger(component: string, level: LogLevel = envLevel()): Logger {
  const threshold = LEVELS[level];
  const prefix = `[courier:${component}]`;
  const at = (l: Exclude<LogLevel, 'silent'>, write: (...a: unknown[]) => void) =>
    LEVELS[l] >= threshold ? (message: string, ...context: unknown[]) => write(prefix, message, ...context) : () => {};
  return {
    debug: at('debug', console.debug),
    info: at('info', console.info),
    warn: at('warn', console.warn),
    error: at('error', console.error),
  };
}

function envLevel(): LogLevel {
  const value = process.env['COURIER_LOG_LEVEL'];
  return value !== undefined && value in LEVELS ? (value as LogLevel) : 'info';
}

/** A logger that drops everything. */
export const SILENT_LOGGER: Logger = { debug() {}, info() {}, warn() {}, error() {} };
