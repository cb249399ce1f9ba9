// DOM helpers: elements are built from data with textContent only, never from HTML strings.
import { ApiError, mediaUrl } from './api.js';

/** h('a', { href: '#/' }, 'Home') — attributes (on* are listeners), then children (strings become text). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  element.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return element;
}

/** Shows an error from the API (or anything else) in the page's alert region. */
export function showError(error) {
  const region = document.getElementById('error');
  region.textContent = error instanceof ApiError ? error.describe() : (error?.message || String(error));
  region.hidden = false;
}

export function clearError() {
  const region = document.getElementById('error');
  region.textContent = '';
  region.hidden = true;
}

export function announce(text) {
  document.getElementById('status').textContent = text;
}

/** An <img> whose alt text is the post's title; its bytes come through the token (blob: URL). */
export function image(path, alt, attributes = {}) {
  const img = h('img', { alt, ...attributes });
  mediaUrl(path).then((url) => { img.src = url; }, () => img.classList.add('broken'));
  return img;
}

/** A labelled form field. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2)}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', { id: hintId }, hint) : null);
}

/** Runs an async action from a button or form, disabling it meanwhile and reporting failures. */
export async function busy(control, action) {
  clearError();
  control.disabled = true;
  try {
    return await action();
  } catch (e) {
    showError(e);
    return undefined;
  } finally {
    control.disabled = false;
  }
}
