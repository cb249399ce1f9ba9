// Signing up and in: POST /api/users creates the account, POST /api/auth/token exchanges the password for a bearer token.
import { api, session } from './api.js';
import { busy, field, h } from './dom.js';

async function signIn(username, password) {
  const token = await api('/api/auth/token', { method: 'POST', json: { username, password } });
  session.set({ accessToken: token.accessToken, userId: token.userId, username });
  location.hash = '#/';
}

export function signInView() {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h('form', {}, field('Username', username), field('Password', password), submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, () => signIn(username.value.trim(), password.value));
  });
  return [h('h1', { tabindex: '-1' }, 'Sign in'), form, h('p', {}, 'New here? ', h('a', { href: '#/signup' }, 'Create an account'))];
}

export function signUpView() {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true });
  const displayName = h('input', { name: 'displayName', autocomplete: 'name', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 });
  const isPrivate = h('input', { name: 'isPrivate', type: 'checkbox' });
  const submit = h('button', { type: 'submit' }, 'Create account');
  const form = h('form', {},
    field('Username', username, 'Letters, digits and underscores'), field('Display name', displayName),
    field('Password', password, 'At least 10 characters'),
    h('div', { class: 'field check' }, isPrivate, h('label', { for: (isPrivate.id = 'private') }, 'Private account: I approve my followers')),
    submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      await api('/api/users', { method: 'POST', json: { username: username.value.trim(), password: password.value, displayName: displayName.value.trim(), isPrivate: isPrivate.checked } });
      await signIn(username.value.trim(), password.value);
    });
  });
  return [h('h1', { tabindex: '-1' }, 'Create an account'), form, h('p', {}, 'Have one? ', h('a', { href: '#/signin' }, 'Sign in'))];
}
