import type { Logger } from '../common/logger';

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * On the first SIGTERM or SIGINT: remove these handlers, run `stop` once, then re-raise the signal so the
 * process ends the way it would have without handlers (a second signal during the stop ends it at once).
 * Returns the function that removes the handlers (called by a programmatic stop).
 */
export function handleStopSignals(stop: () => Promise<void>, logger: Logger): () => void {
  const uninstall = () => {
    for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    uninstall();
    logger.info(`${signal} received: stopping (send it again to exit at once)`);
    stop().then(
      () => process.kill(process.pid, signal),
      (error: unknown) => {
        logger.error(`Stopped with errors after ${signal}`, error);
        process.kill(process.pid, signal);
      },
    );
  }
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  return uninstall;
}
