/** The one configuration module: read and validated once at start-up (see config/load-config.ts). */
export * from './config/load-config.js';
