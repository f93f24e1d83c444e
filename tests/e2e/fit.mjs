// What "fits a phone and is accessible" means, measured in the page: axe-core's WCAG
// 2.1 A/AA rules (plus 2.2's 24 px target size) run on <tally-connect>, and a walk over
// the shadow root for anything that sticks out of the host element. Shared by
// responsive.test.mjs; kept apart so each check reads as one function.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's tags for WCAG 2.0/2.1 A and AA, and 2.2 AA (whose one rule is target-size, 2.5.8). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * axe-core's violations inside `selector` (shadow roots included), one line each:
 * `rule: element (why)`. Empty when there are none. axe is injected through the
 * DevTools protocol, which the page's CSP does not govern.
 */
export async function axeViolations(page, selector = 'tally-connect') {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async ({ selector, tags }) => {
    const r = await window.axe.run({ include: [selector] }, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => ({ target: n.target.flat().join(' > '), why: n.failureSummary })) }));
  }, { selector, tags: AXE_TAGS });
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target} (${n.why.replace(/\s+/g, ' ').slice(0, 220)})`));
}

/**
 * How the widget sits in its host: the host's width, the widget root's width, the
 * elements whose box reaches past the host's left or right edge (not counting those an
 * `overflow: hidden | clip` ancestor cuts off, which cannot be seen or scrolled to),
 * the elements that scroll sideways inside the widget, where the host's right edge is
 * against the window's width (a widget whose content is wide pushes its host out of a
 * grid or flex column), and whether the page itself scrolls sideways.
 */
export function measureFit(page, selector = 'tally-connect') {
  return page.evaluate((selector) => {
    const host = document.querySelector(selector);
    const h = host.getBoundingClientRect();
    const name = (el) => {
      const cls = (el.getAttribute('class') ?? '').trim().split(/\s+/).filter(Boolean).map((c) => `.${c}`).join('');
      const role = el.getAttribute('role') ? `[role=${el.getAttribute('role')}]` : '';
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 24);
      return `${el.tagName.toLowerCase()}${cls}${role}${text ? ` "${text}"` : ''}`;
    };
    const clipped = (el) => {
      for (let a = el.parentElement; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (/hidden|clip/.test(s.overflowX)) {
          const r = a.getBoundingClientRect();
          if (r.left >= h.left - 0.5 && r.right <= h.right + 0.5) return true;
        }
      }
      return false;
    };
    const outside = [];
    const sideways = [];
    for (const el of host.shadowRoot.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const over = Math.max(r.right - h.right, h.left - r.left);
      if (over > 0.5 && !clipped(el)) outside.push({ el: name(el), over: Math.round(over), width: Math.round(r.width) });
      const s = getComputedStyle(el);
      if (/auto|scroll/.test(s.overflowX) && el.scrollWidth > el.clientWidth + 1) sideways.push({ el: name(el), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth });
    }
    const root = host.shadowRoot.querySelector('.tally-root');
    return {
      host: Math.round(h.width),
      hostRight: h.right,
      viewport: document.documentElement.clientWidth,
      root: Math.round(root.getBoundingClientRect().width),
      rootScroll: root.scrollWidth,
      outside,
      sideways,
      pageScrollsSideways: document.documentElement.scrollWidth > window.innerWidth,
    };
  }, selector);
}

/**
 * Interactive elements smaller than `min` CSS px in either dimension (visible ones
 * only), as `element WxH`. With `only`, just the elements matching that selector.
 */
export function smallTargets(page, min, only = 'button, input:not([type=file]), select, summary, a[href], [role=option], [role=tab]', selector = 'tally-connect') {
  return page.evaluate(({ min, only, selector }) => {
    const host = document.querySelector(selector);
    const small = [];
    for (const el of host.shadowRoot.querySelectorAll(only)) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (getComputedStyle(el).visibility === 'hidden') continue;
      if (r.width < min - 0.01 || r.height < min - 0.01) {
        const cls = (el.getAttribute('class') ?? '').trim().split(/\s+/).filter(Boolean).map((c) => `.${c}`).join('');
        small.push(`${el.tagName.toLowerCase()}${cls} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 20)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
    return small;
  }, { min, only, selector });
}

/**
 * The keyboard focus ring of the element focused in the widget: its outline's colour,
 * width and style, the first opaque background behind it, and their contrast ratio.
 */
export function focusRing(page, selector = 'tally-connect') {
  return page.evaluate((selector) => {
    const el = document.querySelector(selector).shadowRoot.activeElement;
    if (!el) return null;
    const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const s = getComputedStyle(el);
    let bg = [255, 255, 255];
    for (let n = el.parentElement ?? el.getRootNode().host; n; n = n.parentElement ?? n.getRootNode().host) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || c[3] === 1) { bg = c.slice(0, 3); break; }
    }
    const [a, b] = [lum(rgb(s.outlineColor)), lum(bg)];
    return { color: s.outlineColor, width: parseFloat(s.outlineWidth), style: s.outlineStyle, behind: `rgb(${bg.join(', ')})`, ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
  }, selector);
}
