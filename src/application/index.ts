/** The application bootstrap, re-exported by src/index.ts. */
export { bootstrap } from './bootstrap';
export { Application, type ApplicationService, type ApplicationState } from './application';
export { DEFAULT_APPLICATION_OPTIONS, type ApplicationOptions } from './application-options';
