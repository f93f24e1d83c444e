// Types for <tally-connect> (and the options and handle of `mount()` from
// 'tally-connect/pkg/tally_widget.js'). Event details are plain JSON objects.

/** What the host's token endpoint (POSTed to) or `getToken()` returns: tally_api::ClientToken. */
export interface ClientToken {
  access_token: string;
  /** Seconds; the widget renews in the last tenth of the lifetime (at most a minute before). */
  expires_in: number;
  user_id: string;
}

export interface TallyOptions {
  /** Base URL of the Tally server ("/" for the same origin). Required. */
  apiBase: string;
  /** The host backend's endpoint returning a ClientToken for the signed-in user (POST). */
  tokenUrl?: string;
  /** Alternative to tokenUrl (wins over it). */
  getToken?: () => ClientToken | Promise<ClientToken>;
  theme?: 'light' | 'dark';
  /** BCP 47; English until more translations exist. */
  locale?: string;
}

/** The Expenses view's filters (all combine with AND; values inside one list with OR). */
export interface TallyFilters {
  /** Account ids. */
  accounts?: string[];
  /** Connection ids. */
  connections?: string[];
  /** Institution ids (`AU00000`). */
  institutions?: string[];
  /** Category slugs (`groceries`; `uncategorised` for none). */
  categories?: string[];
  status?: 'pending' | 'posted' | null;
  /** Spending is money out, income is money in. */
  direction?: 'spending' | 'income' | null;
  date?:
    | { preset: 'all' | 'this-month' | 'last-month' | 'last-3-months' | 'year-to-date' | 'last-12-months' }
    | { preset: 'custom'; from?: string; to?: string };
  /** Smallest amount by size (sign ignored), e.g. "10.00"; null for any. */
  amountMin?: string | null;
  amountMax?: string | null;
  /** Words that must all appear in the description or the merchant (any case). */
  search?: string;
}

export interface WidgetHandle {
  /** Applies changed options without remounting (e.g. a token source that arrived late). */
  update(options: TallyOptions): void;
  /** Aborts in-flight requests and removes everything the widget added. Safe to call twice. */
  destroy(): void;
  /** The Expenses view's filters. */
  filters(): Required<TallyFilters>;
  /** Sets the Expenses view's filters (missing fields mean "any"); throws on an invalid object. Fires no tally:filter-change. */
  setFilters(filters: TallyFilters): void;
  free(): void;
}

// `mount(element, options): WidgetHandle` (the widget without the custom element) is
// exported by 'tally-connect/pkg/tally_widget.js', after its default export (init) or
// this module's `load()` resolved; this module exports only `TallyConnect` and `load`.

export type StepTitle = 'verify-credentials' | 'mfa-challenge' | 'retrieve-accounts' | 'retrieve-transactions' | string;
export type StepStatus = 'pending' | 'in-progress' | 'success' | 'failed';
/** How a connection's data comes in: signing in to the bank, or an uploaded statement file. */
export type ConnectMethod = 'login' | 'statement';

export interface TallyEventMap {
  /** The user's connections were loaded for the first time. */
  'tally:ready': CustomEvent<{ connections: number }>;
  /** A new connection (sign-in) or an uploaded statement was accepted; its job runs. connectionId is null only when the server's job does not name it. */
  'tally:connection-created': CustomEvent<{ jobId: string; institutionId: string; connectionId: string | null; method: ConnectMethod }>;
  /** Every change of a step's status, in any job the widget shows (connect, upload or refresh). */
  'tally:job-step': CustomEvent<{ jobId: string; connectionId: string | null; step: StepTitle; status: StepStatus; result: unknown }>;
  /** A connect, update-credentials or statement-upload job succeeded; connectionId is the connection it made or updated. */
  'tally:connected': CustomEvent<{ jobId: string; institutionId: string | null; connectionId: string | null; method: ConnectMethod }>;
  /** Every job of a refresh (all, or one connection) ended. */
  'tally:refresh-complete': CustomEvent<{ jobIds: string[]; succeeded: number; failed: number }>;
  /** Something failed: invalid-options, a contract error code (statement-not-readable: message names the line), network, token, … */
  'tally:error': CustomEvent<{ code: string; message: string }>;
  /** The user left the connect flow. */
  'tally:exit': CustomEvent<{ reason: 'cancel' | 'done' | 'failed' | 'still-running' }>;
  /** The user changed a filter in the Expenses view (not fired for filters the host sets). */
  'tally:filter-change': CustomEvent<Required<TallyFilters>>;
}

export class TallyConnect extends HTMLElement {
  apiBase?: string;
  tokenUrl?: string;
  getToken?: TallyOptions['getToken'];
  theme?: 'light' | 'dark';
  locale?: string;
  readonly options: TallyOptions;
  /** The Expenses view's filters, every field present (read once mounted; before that,
   * what was set). Setting applies them at once; a partial object is fine: missing
   * fields mean "any". (Different get and set types need TypeScript 5.1 or later.) */
  get filters(): Required<TallyFilters> | TallyFilters | undefined;
  set filters(value: TallyFilters | null | undefined);
  addEventListener<K extends keyof TallyEventMap>(type: K, listener: (this: TallyConnect, ev: TallyEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener<K extends keyof HTMLElementEventMap>(type: K, listener: (this: TallyConnect, ev: HTMLElementEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof TallyEventMap>(type: K, listener: (this: TallyConnect, ev: TallyEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

/** Loads the wasm module once per page (resolved next to tally-connect.js). */
export function load(): Promise<unknown>;

// `document.querySelector('tally-connect')` is a TallyConnect, and the events (they
// bubble and are composed) are typed on any element, the document and the window.
declare global {
  interface HTMLElementTagNameMap {
    'tally-connect': TallyConnect;
  }
  interface HTMLElementEventMap extends TallyEventMap {}
  interface DocumentEventMap extends TallyEventMap {}
  interface WindowEventMap extends TallyEventMap {}
}
