// People and discovery: profiles with their follow states, follow requests, search, and the moderators' queue.
import { api, session } from './api.js';
import { announce, busy, field, h } from './dom.js';
import { listOf, pageOf, pagedGrid } from './posts.js';

const names = new Map();

/** "Display name (@username)" of an account, read once per page load. */
export function userName(id) {
  if (!names.has(id)) names.set(id, api(`/api/users/${id}`).then((u) => `${u.displayName} (@${u.username})`, () => 'someone'));
  return names.get(id);
}

const FOLLOW_LABELS = { none: 'Follow', pending: 'Requested', following: 'Following' };
const FOLLOW_HINTS = { none: '', pending: 'Your request waits for approval; press to withdraw it.', following: 'Press to unfollow.' };

export async function profileView(id) {
  const user = await api(`/api/users/${encodeURIComponent(id)}`);
  const me = session.get();
  const self = me && me.userId === user.id;
  const parts = [h('h1', { tabindex: '-1' }, user.displayName), h('p', { class: 'meta' }, `@${user.username}`)];
  let state = 'none';
  if (!self) {
    state = (await api(`/api/users/${user.id}/follow`)).state;
    const hint = h('small', { id: 'follow-hint' }, FOLLOW_HINTS[state]);
    const button = h('button', { type: 'button', class: 'follow', 'aria-describedby': 'follow-hint', 'data-state': state }, FOLLOW_LABELS[state]);
    button.addEventListener('click', () => busy(button, async () => {
      const current = button.dataset.state;
      const result = await api(`/api/users/${user.id}/follow`, { method: current === 'none' ? 'PUT' : 'DELETE' });
      const next = current !== 'none' ? 'none' : result.status === 202 ? 'pending' : 'following';
      button.dataset.state = next;
      button.textContent = FOLLOW_LABELS[next];
      hint.textContent = FOLLOW_HINTS[next];
      announce(next === 'pending' ? `Follow request sent to ${user.displayName}.` : next === 'following' ? `You follow ${user.displayName}.` : `You no longer follow ${user.displayName}.`);
      if ((next === 'following') !== (current === 'following')) render();
    }));
    parts.push(h('p', {}, button, ' ', hint));
  }

  if (user.isPrivate) {
    parts.push(h('p', { class: 'notice', id: 'private-notice' }, self
      ? 'Your account is private: only followers you approve see your posts.'
      : 'This account is private: only followers it approves see its posts.'));
  }

  const posts = h('section', { 'aria-labelledby': 'posts-h' }, h('h2', { id: 'posts-h' }, 'Posts'));
  function render() {
    posts.replaceChildren(h('h2', { id: 'posts-h' }, 'Posts'), listOf(`/api/users/${user.id}/photos`, `Posts by ${user.displayName}`,
      user.isPrivate && !self ? 'Nothing you can see: follow to ask for access.' : 'No posts you can see.'));
  }
  render();
  parts.push(posts);
  return parts;
}

export function requestsView() {
  const row = (user) => {
    const approve = h('button', { type: 'button' }, 'Approve');
    const reject = h('button', { type: 'button', class: 'secondary' }, 'Decline');
    const item = h('li', { class: 'person' }, h('a', { href: `#/user/${user.id}` }, `${user.displayName} (@${user.username})`), ' ', approve, ' ', reject);
    const decide = (button, verb, said) => button.addEventListener('click', () => busy(button, async () => {
      await api(`/api/follow-requests/${user.id}/${verb}`, { method: 'POST' });
      item.replaceChildren(`${user.displayName}: ${said}`);
      announce(`${user.displayName}: ${said}`);
    }));
    decide(approve, 'approve', 'approved');
    decide(reject, 'reject', 'declined');
    return item;
  };
  return [h('h1', { tabindex: '-1' }, 'Follow requests'),
    pagedGrid('Follow requests', (cursor) => api(pageOf('/api/follow-requests', cursor, 20)), row, 'No requests are waiting.')];
}

export function searchView(params) {
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') || '' });
  const tag = h('input', { name: 'tag', value: params.get('tag') || '' });
  const submit = h('button', { type: 'submit' }, 'Search');
  const form = h('form', { role: 'search' }, field('Words in titles', q), field('Tag', tag, 'Without the #'), submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (q.value.trim()) next.set('q', q.value.trim());
    if (tag.value.trim()) next.set('tag', tag.value.trim().replace(/^#/, ''));
    location.hash = `#/search?${next}`;
  });

  const handle = h('input', { name: 'handle', autocomplete: 'off' });
  const find = h('button', { type: 'submit' }, 'Find');
  const people = h('form', { role: 'search' }, field('Username', handle), find);
  people.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(find, async () => {
      const user = await api(`/api/users/by-handle/${encodeURIComponent(handle.value.trim().replace(/^@/, ''))}`);
      location.hash = `#/user/${user.id}`;
    });
  });

  const parts = [h('h1', { tabindex: '-1' }, 'Search'), form];
  if (params.get('q') || params.get('tag')) {
    const search = new URLSearchParams();
    for (const key of ['q', 'tag']) if (params.get(key)) search.set(key, params.get(key));
    parts.push(h('h2', {}, 'Posts'), listOf(`/api/search?${search}`, 'Search results', 'No posts you can see match.'));
  }
  parts.push(h('h2', {}, 'People'), people);
  return parts;
}

export async function moderationView() {
  let reports;
  try {
    reports = await api('/api/moderation/reports?limit=50');
  } catch (e) {
    if (e.status === 403) return [h('h1', { tabindex: '-1' }, 'Moderation'), h('p', { class: 'notice' }, 'Only moderators and admins see the report queue.')];
    throw e;
  }

  const row = (report) => {
    const reason = h('input', { name: 'reason', required: true, value: report.reason });
    const hide = h('button', { type: 'submit' }, report.target === 'comment' ? 'Hide comment' : 'Hide post');
    const form = h('form', { class: 'inline' }, field('Reason shown to the author', reason), hide);
    const item = h('li', { class: 'report-item' },
      h('p', {}, report.target === 'photo' ? h('a', { href: `#/post/${report.targetId}` }, `Post ${report.targetId}`) : `Comment ${report.targetId}`,
        ` — reported: “${report.reason}” on ${new Date(report.createdAt).toLocaleString()}`), form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      busy(hide, async () => {
        await api(`/api/moderation/${report.target === 'comment' ? 'comments' : 'photos'}/${report.targetId}/hide`, { method: 'POST', json: { reason: reason.value } });
        item.replaceChildren(`Hidden: ${report.target} ${report.targetId}`);
        announce('Hidden; the reports on it are closed.');
      });
    });
    return item;
  };
  return [h('h1', { tabindex: '-1' }, 'Moderation'),
    reports.items.length ? h('ol', { class: 'reports', 'aria-label': 'Open reports, oldest first' }, reports.items.map(row)) : h('p', { class: 'empty' }, 'No open reports.')];
}
