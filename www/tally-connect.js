// <tally-connect>: a thin custom-element wrapper around the wasm widget's `mount`.
// All behaviour lives in Rust; this file only maps attributes and properties to
// options and manages the element's lifecycle. Defining the element twice is harmless.
//
//   <tally-connect api-base="https://tally.example.com" token-url="/tally/token"
//                  theme="light|dark" locale="en"></tally-connect>
//   el.getToken = () => fetch('/tally/token', {method: 'POST'}).then(r => r.json());
//
// Attributes and properties may change at any time after the element is connected
// (e.g. a token URL that arrives once the user signed in): the widget takes them
// without remounting. Events (`tally:ready`, `tally:connection-created`,
// `tally:job-step`, `tally:connected`, `tally:refresh-complete`, `tally:error`,
// `tally:exit`, `tally:filter-change`) are dispatched on the element; they bubble and
// are composed. See tally-connect.d.ts for their `detail`.
//
// Loading: the widget's first module and its JS glue are fetched at the same time (the
// glue by a dynamic import rather than a static one, which the browser would fetch, and
// then the wasm only after it), both relative to this file. The later views' chunks are
// fetched by pkg/__wasm_split.js when first needed, relative to it.

let ready;
let glue;
/** Loads the wasm module once per page, resolved relative to this file. */
export function load() {
  ready ??= (async () => {
    const wasm = fetch(new URL('./pkg/tally_widget_bg.wasm', import.meta.url));
    // Rejections are reported through `ready`; this only keeps the fetch's own quiet.
    wasm.catch(() => {});
    const module = await import('./pkg/tally_widget.js');
    await module.default({ module_or_path: wasm });
    glue = module;
  })();
  // A failed load (the network dropped) is tried afresh by the next element that mounts.
  ready.catch(() => { ready = undefined; });
  return ready;
}

const ATTRIBUTES = ['api-base', 'token-url', 'theme', 'locale'];
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

export class TallyConnect extends HTMLElement {
  static get observedAttributes() { return ATTRIBUTES; }

  #handle = null;
  #props = {};
  /** Filters set before the widget mounted; applied right after it does. */
  #pendingFilters;
  #generation = 0;

  connectedCallback() {
    // Properties set before the element was defined are plain own properties that
    // shadow our setters: re-apply them through the setters.
    for (const p of ['getToken', 'apiBase', 'tokenUrl', 'theme', 'locale', 'filters']) {
      if (Object.prototype.hasOwnProperty.call(this, p)) {
        const v = this[p];
        delete this[p];
        this[p] = v;
      }
    }
    this.#mount();
  }
  disconnectedCallback() { this.#generation++; this.#unmount(); }
  attributeChangedCallback() { this.#apply(); }

  /** Options from attributes, overridden by properties set from JS. */
  get options() {
    const opts = {};
    for (const a of ATTRIBUTES) {
      const v = this.getAttribute(a);
      if (v !== null) opts[camel(a)] = v;
    }
    return { ...opts, ...this.#props };
  }

  /** A function returning (a Promise of) `{access_token, expires_in, user_id}`; wins over token-url. */
  set getToken(fn) { this.#set('getToken', fn); }
  get getToken() { return this.#props.getToken; }
  set apiBase(v) { this.#set('apiBase', v); }
  get apiBase() { return this.options.apiBase; }
  set tokenUrl(v) { this.#set('tokenUrl', v); }
  get tokenUrl() { return this.options.tokenUrl; }
  set theme(v) { this.#set('theme', v); }
  get theme() { return this.options.theme; }
  set locale(v) { this.#set('locale', v); }
  get locale() { return this.options.locale; }

  /** The Expenses view's filters (see the Expenses docs). */
  get filters() { return this.#handle ? this.#handle.filters() : this.#pendingFilters; }
  set filters(f) {
    if (this.#handle) this.#handle.setFilters(f);
    else this.#pendingFilters = f;
  }

  #set(key, value) {
    if (value === undefined || value === null) delete this.#props[key];
    else this.#props[key] = value;
    this.#apply();
  }

  #apply() {
    if (this.#handle) this.#handle.update(this.options);
  }

  async #mount() {
    const generation = ++this.#generation;
    await load();
    // A disconnect (or a newer connect) happened while loading: let it win.
    if (generation !== this.#generation || !this.isConnected || this.#handle) return;
    this.#handle = glue.mount(this, this.options);
    if (this.#pendingFilters !== undefined) {
      const f = this.#pendingFilters;
      this.#pendingFilters = undefined;
      try {
        this.#handle.setFilters(f);
      } catch (e) {
        // Same contract as the setter after mount: say what was wrong, keep running.
        this.dispatchEvent(new CustomEvent('tally:error', { bubbles: true, composed: true, detail: { code: 'invalid-filters', message: String(e?.message ?? e) } }));
      }
    }
  }

  #unmount() {
    if (this.#handle) {
      // Moving the element in the page disconnects and reconnects it: keep the
      // Expenses filters for the next mount.
      try { this.#pendingFilters = this.#handle.filters(); } catch { /* keep none */ }
      this.#handle.destroy();
      this.#handle.free();
      this.#handle = null;
    }
  }
}

if (!customElements.get('tally-connect')) {
  customElements.define('tally-connect', TallyConnect);
}
