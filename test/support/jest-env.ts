// Tests read failures from assertions, not logs: only warnings and errors reach the console unless asked for.
process.env['COURIER_LOG_LEVEL'] ??= 'warn';
