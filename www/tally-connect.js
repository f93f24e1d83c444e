// <tally-connect>: a thin custom-element wrapper around the wasm widget's `mount`.
// All behaviour lives in Rust; this file only maps attributes to options and manages
// the element's lifecycle. Defining the element twice is harmless.
import init, { mount } from './pkg/tally_widget.js';

let ready;
/** Loads the wasm module once per page, resolved relative to this file. */
export function load() {
  ready ??= init({ module_or_path: new URL('./pkg/tally_widget_bg.wasm', import.meta.url) });
  return ready;
}

const ATTRIBUTES = ['api-base', 'token-url', 'theme', 'locale'];
const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

export class TallyConnect extends HTMLElement {
  static get observedAttributes() { return ATTRIBUTES; }

  #handle = null;
  #props = {};
  #generation = 0;

  connectedCallback() { this.#remount(); }
  disconnectedCallback() { this.#unmount(); }
  attributeChangedCallback() { if (this.isConnected) this.#remount(); }

  /** Options from attributes, overridden by properties set from JS (e.g. getToken). */
  get options() {
    const opts = {};
    for (const a of ATTRIBUTES) {
      const v = this.getAttribute(a);
      if (v !== null) opts[camel(a)] = v;
    }
    return { ...opts, ...this.#props };
  }

  set getToken(fn) { this.#props.getToken = fn; if (this.isConnected) this.#remount(); }
  get getToken() { return this.#props.getToken; }

  async #remount() {
    const generation = ++this.#generation;
    await load();
    // A newer attribute change or a disconnect happened while loading: let it win.
    if (generation !== this.#generation || !this.isConnected) return;
    this.#unmount();
    this.#handle = mount(this, this.options);
  }

  #unmount() {
    if (this.#handle) {
      this.#handle.destroy();
      this.#handle.free();
      this.#handle = null;
    }
  }
}

if (!customElements.get('tally-connect')) {
  customElements.define('tally-connect', TallyConnect);
}
