// The demo host page (index.html, "Pennywise"): what a host does around <tally-connect>.
// Not part of the npm package. Runs under the page's CSP: no inline scripts or styles.
//
// - The token: a real host's backend mints a CLIENT_ACCESS token for its signed-in user
//   (see www/README.md). The demo server's POST /demo/token stands in for it; the page
//   remembers the demo user for the tab's session, so a reload or a token renewal keeps
//   the same user and their connections.
// - The event log: every tally:* event heard on the element, with a short detail.

const EVENTS = ['tally:ready', 'tally:connection-created', 'tally:job-step', 'tally:connected',
  'tally:refresh-complete', 'tally:error', 'tally:exit', 'tally:filter-change'];
const USER_KEY = 'pennywise.tally-user';
const MAX_LINES = 300;

const widget = document.getElementById('tally');
const log = document.getElementById('event-log');
const count = document.getElementById('event-count');
const userLabel = document.getElementById('demo-user');
let heard = 0;

widget.getToken = async () => {
  const user = sessionStorage.getItem(USER_KEY);
  const url = '/demo/token' + (user ? `?user=${encodeURIComponent(user)}` : '');
  const res = await fetch(url, { method: 'POST' });
  if (!res.ok) throw new Error(`token request failed: HTTP ${res.status}`);
  const token = await res.json();
  sessionStorage.setItem(USER_KEY, token.user_id);
  userLabel.textContent = `Demo user ${token.user_id.slice(0, 8)}`;
  userLabel.title = token.user_id;
  return token;
};

/** `detail` as one short line of JSON; long hex ids shortened unless `full`. */
function short(detail, max = 160, full = false) {
  let s;
  try {
    s = JSON.stringify(detail);
  } catch {
    s = String(detail);
  }
  if (s === undefined) s = '';
  if (!full) s = s.replace(/([0-9a-f]{8})[0-9a-f]{16,}/g, '$1…');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function time(d = new Date()) {
  const p = (n, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function append(event) {
  const li = document.createElement('li');
  li.className = `event ${event.type.replace(':', '-')}`;
  if (event.type === 'tally:error' || (event.type === 'tally:job-step' && event.detail?.status === 'failed')) li.classList.add('bad');
  const t = document.createElement('time');
  t.textContent = time();
  const name = document.createElement('code');
  name.className = 'name';
  name.textContent = event.type;
  const detail = document.createElement('span');
  detail.className = 'detail';
  detail.textContent = short(event.detail);
  detail.title = short(event.detail, 4000, true);
  li.append(t, ' ', name, ' ', detail);
  const stick = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
  log.append(li);
  while (log.childElementCount > MAX_LINES) log.firstElementChild.remove();
  if (stick) log.scrollTop = log.scrollHeight;
  heard += 1;
  count.textContent = `${heard} event${heard === 1 ? '' : 's'} heard.`;
}

for (const name of EVENTS) widget.addEventListener(name, append);

document.getElementById('clear-log').addEventListener('click', () => {
  log.replaceChildren();
  heard = 0;
  count.textContent = 'No events yet.';
});

const themeButton = document.getElementById('theme-toggle');
themeButton.addEventListener('click', () => {
  const dark = widget.theme !== 'dark';
  widget.theme = dark ? 'dark' : 'light';
  document.body.classList.toggle('dark', dark);
  themeButton.setAttribute('aria-pressed', String(dark));
});

document.getElementById('new-user').addEventListener('click', () => {
  sessionStorage.removeItem(USER_KEY);
  location.reload();
});
