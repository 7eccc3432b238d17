/**
 * A setting is missing or invalid. `setting` names the environment variable, so start-up can
 * print `Configuration error: <setting>: <why>` and exit with code 2 before doing any work.
 */
export class ConfigError extends Error {
  readonly setting: string;
  readonly why: string;
  constructor(message: string, setting?: string) {
    super(message);
    this.name = 'ConfigError';
    // Messages name their variable ("PORT must be…", "the Zalo channel needs ZALO_APP_SECRET…");
    // the first variable-like word is the setting unless the caller says which.
    this.setting = setting ?? /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\b(?:PORT|HOST|PROVINCE|EMBEDDER|WORKERS)\b/.exec(message)?.[0] ?? 'configuration';
    this.why = message.startsWith(this.setting) ? message.slice(this.setting.length).replace(/^[\s:]+/, '') : message;
  }
}
