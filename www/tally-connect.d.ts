// Types for <tally-connect> and `mount()`. Event details are plain JSON objects.

/** What the host's token endpoint (POSTed to) or `getToken()` returns: tally_api::ClientToken. */
export interface ClientToken {
  access_token: string;
  /** Seconds; the widget renews in the last fifth of the lifetime (at most a minute before). */
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

export interface WidgetHandle {
  /** Applies changed options without remounting (e.g. a token source that arrived late). */
  update(options: TallyOptions): void;
  /** Aborts in-flight requests and removes everything the widget added. Safe to call twice. */
  destroy(): void;
  free(): void;
}

export function mount(element: HTMLElement, options: TallyOptions): WidgetHandle;

export type StepTitle = 'verify-credentials' | 'mfa-challenge' | 'retrieve-accounts' | 'retrieve-transactions' | string;
export type StepStatus = 'pending' | 'in-progress' | 'success' | 'failed';

export interface TallyEventMap {
  /** The user's connections were loaded for the first time. */
  'tally:ready': CustomEvent<{ connections: number }>;
  /** The connect request was accepted; the job runs. connectionId is null until known. */
  'tally:connection-created': CustomEvent<{ jobId: string; institutionId: string; connectionId: string | null }>;
  /** Every change of a step's status, in any job the widget shows (connect or refresh). */
  'tally:job-step': CustomEvent<{ jobId: string; connectionId: string | null; step: StepTitle; status: StepStatus; result: unknown }>;
  /** A connect (or update-credentials) job succeeded. connectionId is set when updating. */
  'tally:connected': CustomEvent<{ jobId: string; institutionId: string | null; connectionId: string | null }>;
  /** Every job of a refresh (all, or one connection) ended. */
  'tally:refresh-complete': CustomEvent<{ jobIds: string[]; succeeded: number; failed: number }>;
  /** Something failed: invalid-options, a contract error code, network, token, … */
  'tally:error': CustomEvent<{ code: string; message: string }>;
  /** The user left the connect flow. */
  'tally:exit': CustomEvent<{ reason: 'cancel' | 'done' | 'failed' | 'still-running' }>;
}

export class TallyConnect extends HTMLElement {
  apiBase?: string;
  tokenUrl?: string;
  getToken?: TallyOptions['getToken'];
  theme?: 'light' | 'dark';
  locale?: string;
  readonly options: TallyOptions;
  addEventListener<K extends keyof TallyEventMap>(type: K, listener: (ev: TallyEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

export function load(): Promise<unknown>;
