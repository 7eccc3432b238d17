/** What every view of the widget is given (made once per widget in app.ts; views keep no state of their own). */
import type { Translator } from '../../../browser-kit/strings.js';
import type { Api } from '../api.js';
import type { LinkLabels } from '../dom.js';
import type { Store } from '../state.js';

export interface ViewContext extends Translator {
  store: Store;
  api: Api;
  /** A new element id, unique in this document. */
  nextId(prefix: string): string;
  linkLabels(): LinkLabels;
  /** Says a message in the polite live region (screen readers). */
  announce(message: string): void;
  /** Sends a question as if typed (suggestions, quick replies). */
  send(text: string): void;
}
