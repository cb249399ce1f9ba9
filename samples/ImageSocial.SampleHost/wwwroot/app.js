// The router: one view per hash route (#/, #/post/ID, #/user/ID, ...), rendered into <main>; focus moves to each view's heading.
import { session } from './api.js';
import { clearError, h, showError } from './dom.js';
import { signInView, signUpView } from './account.js';
import { feedView, postView, trashView, uploadView } from './posts.js';
import { moderationView, profileView, requestsView, searchView } from './people.js';

const routes = [
  [/^\/$/, feedView, 'Home'],
  [/^\/upload$/, uploadView, 'New post'],
  [/^\/post\/(\d+)$/, (id) => postView(id), 'Post'],
  [/^\/user\/(\d+)$/, (id) => profileView(id), 'Profile'],
  [/^\/search$/, (_, params) => searchView(params), 'Search'],
  [/^\/requests$/, requestsView, 'Follow requests'],
  [/^\/trash$/, trashView, 'Trash'],
  [/^\/moderation$/, moderationView, 'Moderation'],
];
const open = [[/^\/signin$/, signInView, 'Sign in'], [/^\/signup$/, signUpView, 'Create an account']];

function navigation() {
  const me = session.get();
  const link = (href, text) => h('a', { href, 'aria-current': location.hash === href ? 'page' : false }, text);
  const nav = document.getElementById('nav');
  if (!me) {
    nav.replaceChildren(link('#/signin', 'Sign in'), link('#/signup', 'Sign up'));
    return;
  }
  const out = h('button', { type: 'button', class: 'link' }, 'Sign out');
  out.addEventListener('click', () => { session.clear(); location.hash = '#/signin'; });
  nav.replaceChildren(link('#/', 'Home'), link('#/upload', 'Upload'), link('#/search', 'Search'), link(`#/user/${me.userId}`, 'Profile'),
    link('#/requests', 'Requests'), link('#/trash', 'Trash'), link('#/moderation', 'Moderation'), out);
}

async function render() {
  // In-page anchors (the skip link's #main) are not routes.
  if (location.hash && !location.hash.startsWith('#/')) return;
  const [path, query = ''] = (location.hash.slice(1) || '/').split('?');
  const params = new URLSearchParams(query);
  const signedIn = !!session.get();
  const table = signedIn ? routes : open;
  const route = table.find(([pattern]) => pattern.test(path));
  if (!route) {
    location.hash = signedIn ? '#/' : '#/signin';
    return;
  }
  clearError();
  navigation();
  const [pattern, view, title] = route;
  const main = document.getElementById('main');
  main.setAttribute('aria-busy', 'true');
  try {
    const content = await view(path.match(pattern)[1], params);
    main.replaceChildren(...[].concat(content).filter((part) => part !== null && part !== undefined && part !== false));
    document.title = `${main.querySelector('h1')?.textContent || title} · ImageSocial`;
  } catch (e) {
    main.replaceChildren(h('h1', { tabindex: '-1' }, title));
    showError(e);
  } finally {
    main.removeAttribute('aria-busy');
    (main.querySelector('h1') || main).focus();
  }
}

addEventListener('hashchange', render);
render();
