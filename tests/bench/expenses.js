// The Expenses filter + aggregation written in plain JavaScript, the way a JS widget
// would: an array of row objects, string ids in Sets, a Map per category. It does the
// same work as src/expenses/aggregate.rs (filter, totals, month series, category
// breakdown folded into "Other", donut arc paths, month bars) so the benchmark in
// tests/expenses_bench.rs can compare the two on the same data in the same page.

const FOLD_BELOW_BP = 300;
const MAX_SLICES = 8;
const W = 320, H = 120;

export function summarise(data, f) {
  const rows = data.rows;
  const from = f.from ?? -Infinity, to = f.to ?? Infinity;
  const set = (a) => (a.length ? new Set(a) : null);
  const accounts = set(f.accounts), connections = set(f.connections), institutions = set(f.institutions), categories = set(f.categories);
  const min = f.min ?? 0, max = f.max ?? Infinity;
  const wantPending = f.status === 'pending' ? true : f.status === 'posted' ? false : null;
  const wantCredit = f.direction === 'income' ? true : f.direction === 'spending' ? false : null;
  const incomeBasis = f.direction === 'income';
  const terms = f.terms;
  const months = [];
  for (let i = 0; i < f.months; i++) months.push({ month: f.firstMonth + i, spending: 0, income: 0 });
  const byCategory = new Map();
  const matched = [];
  let spending = 0, income = 0, pendingCount = 0, pendingSpending = 0, pendingIncome = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.day < from || r.day > to) continue;
    if (wantPending !== null && r.pending !== wantPending) continue;
    if (wantCredit !== null && r.credit !== wantCredit) continue;
    const size = Math.abs(r.cents);
    if (size < min || size > max) continue;
    if (accounts && !accounts.has(r.account)) continue;
    if (connections && !connections.has(r.connection)) continue;
    if (institutions && !institutions.has(r.institution)) continue;
    if (terms.length && !terms.every((t) => r.text.includes(t))) continue;
    const counted = !r.pending;
    const value = r.credit ? r.cents : -r.cents;
    if (counted && r.credit === incomeBasis) byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + value);
    if (categories && !categories.has(r.category)) continue;
    matched.push(i);
    if (r.pending) {
      pendingCount++;
      if (r.credit) pendingIncome += value; else pendingSpending += value;
    }
    if (!counted) continue;
    const m = months[r.month - f.firstMonth];
    if (r.credit) { income += value; if (m) m.income += value; } else { spending += value; if (m) m.spending += value; }
  }
  return { matched, spending, income, pendingCount, pendingSpending, pendingIncome, byCategory, months, incomeBasis };
}

function donutPath(a, b) {
  const C = 100, R = 90, IR = 56;
  const pt = (r, t) => { const ang = t * 2 * Math.PI - Math.PI / 2; return [C + r * Math.cos(ang), C + r * Math.sin(ang)]; };
  if (b - a >= 0.9999) {
    return `M${C} ${C - R}A${R} ${R} 0 1 1 ${C} ${C + R}A${R} ${R} 0 1 1 ${C} ${C - R}ZM${C} ${C - IR}A${IR} ${IR} 0 1 0 ${C} ${C + IR}A${IR} ${IR} 0 1 0 ${C} ${C - IR}Z`;
  }
  const large = b - a > 0.5 ? 1 : 0;
  const [x0, y0] = pt(R, a), [x1, y1] = pt(R, b), [x2, y2] = pt(IR, b), [x3, y3] = pt(IR, a);
  return `M${x0.toFixed(2)} ${y0.toFixed(2)}A${R} ${R} 0 ${large} 1 ${x1.toFixed(2)} ${y1.toFixed(2)}L${x2.toFixed(2)} ${y2.toFixed(2)}A${IR} ${IR} 0 ${large} 0 ${x3.toFixed(2)} ${y3.toFixed(2)}Z`;
}

export function breakdown(data, s, f) {
  let total = 0;
  const cats = [];
  for (const [slug, v] of s.byCategory) if (v > 0) { cats.push([slug, v]); total += v; }
  cats.sort((a, b) => b[1] - a[1] || (data.titles[a[0]] < data.titles[b[0]] ? -1 : data.titles[a[0]] > data.titles[b[0]] ? 1 : 0));
  const share = (v) => (total > 0 ? Math.floor((v * 10000) / total) : 0);
  const kept = [], folded = [];
  for (const c of cats) {
    if (c[0] !== 'other' && kept.length < MAX_SLICES - 1 && share(c[1]) >= FOLD_BELOW_BP) kept.push(c); else folded.push(c);
  }
  if (folded.length === 1 && folded[0][0] !== 'other' && kept.length < MAX_SLICES) kept.push(folded.pop());
  const selected = new Set(f.categories);
  const slices = kept.map(([slug, v]) => ({ slug, title: data.titles[slug], members: [slug], cents: v, shareBp: share(v), selected: selected.has(slug) }));
  if (folded.length) {
    const members = folded.map((c) => c[0]);
    const v = folded.reduce((a, c) => a + c[1], 0);
    slices.push({ slug: 'other', title: 'Other', members, cents: v, shareBp: share(v), selected: selected.size > 0 && members.every((m) => selected.has(m)) });
  }
  let start = 0;
  slices.forEach((sl, n) => {
    sl.colour = sl.slug === 'other' ? MAX_SLICES - 1 : Math.min(n, MAX_SLICES - 2);
    const end = start + sl.cents;
    sl.path = donutPath(start / total, end / total);
    start = end;
  });
  return { total, slices };
}

const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function monthChart(s) {
  const value = (m) => (s.incomeBasis ? m.income : m.spending);
  const max = Math.max(0, ...s.months.map(value));
  const slot = W / Math.max(1, s.months.length);
  const width = Math.max(1, slot * 0.7);
  const bars = s.months.map((m, i) => {
    const v = Math.max(0, value(m));
    const height = max > 0 ? (v / max) * (H - 4) : 0;
    const mm = ((m.month % 12) + 12) % 12;
    return { month: m.month, label: `${SHORT[mm]} ${Math.floor(m.month / 12)}`, cents: value(m), x: i * slot + (slot - width) / 2, y: H - height, width, height };
  });
  return { max, bars };
}

/** One filter change: totals and both chart models. */
export function runOnce(data, f) {
  const s = summarise(data, f);
  return { s, breakdown: breakdown(data, s, f), months: monthChart(s) };
}

/** The values compared with the wasm side: [count, spending, income, slices, first slice cents]. */
export function check(data, f) {
  const r = runOnce(data, f);
  return [r.s.matched.length, r.s.spending, r.s.income, r.breakdown.slices.length, r.breakdown.slices[0]?.cents ?? 0];
}

/** Times `runs` filter changes cycling through `filters` (after one warm-up pass). */
export function timeJs(data, filters, runs) {
  let sink = 0;
  for (const f of filters) sink += runOnce(data, f).s.matched.length;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = runOnce(data, filters[i % filters.length]);
    times.push(performance.now() - t0);
    sink += r.s.matched.length;
  }
  globalThis.__tallyBenchSink = sink;
  return times;
}

/** Counts DOM mutations under `root` (to know when a view has settled). */
export function mutationCounter(root) {
  const counter = { n: 0 };
  counter.observer = new MutationObserver((list) => { counter.n += list.length; });
  counter.observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  return counter;
}
