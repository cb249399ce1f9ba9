// Post views: the grid with infinite scroll, a post's page (media, likes, comments, similar posts, report), upload, trash.
import { api, mediaUrl, session, upload } from './api.js';
import { announce, busy, field, h, image, showError } from './dom.js';
import { userName } from './people.js';

/** A post's card: its thumbnail (alt text = title), title and kind, linking to its page. */
export function card(post) {
  const label = post.title || 'Untitled';
  return h('li', { class: 'card' },
    h('a', { href: `#/post/${post.id}` },
      image(post.urls.thumb, label, { width: 150, height: 150, loading: 'lazy' }),
      h('span', { class: 'title' }, label),
      post.kind === 'video' ? h('span', { class: 'badge' }, 'Video') : null,
      post.visibility !== 'public' ? h('span', { class: 'badge' }, post.visibility === 'followers' ? 'Followers' : 'Private') : null));
}

/** A grid that loads pages as its end scrolls into view; "Load more" does the same from the keyboard. */
export function pagedGrid(label, loadPage, render = card, empty = 'Nothing here yet.') {
  const list = h('ul', { class: 'grid', 'aria-label': label });
  const more = h('button', { type: 'button', class: 'more', hidden: true }, 'Load more');
  const sentinel = h('div', { class: 'sentinel', 'aria-hidden': 'true' });
  let cursor = null;
  let done = false;
  let loading = false;
  async function next() {
    if (loading || done) return;
    loading = true;
    try {
      const page = await loadPage(cursor);
      list.append(...page.items.map(render));
      cursor = page.nextCursor;
      done = !cursor;
      more.hidden = done;
      if (done && list.children.length === 0) list.replaceWith(h('p', { class: 'empty' }, empty));
      announce(`${list.children.length} posts shown${done ? '' : '; more load as you scroll'}.`);
    } catch (e) {
      showError(e);
    } finally {
      loading = false;
    }
    // Still on screen with room to fill: load on (a grid the user navigated away from stops here).
    if (!done && sentinel.isConnected && sentinel.getBoundingClientRect().top < innerHeight + 200) next();
  }
  more.addEventListener('click', next);
  const observer = new IntersectionObserver((entries) => {
    if (!sentinel.isConnected) observer.disconnect();
    else if (entries.some((e) => e.isIntersecting)) next();
  }, { rootMargin: '200px' });
  observer.observe(sentinel);
  next();
  return h('div', {}, list, sentinel, more);
}

/** A listing's page: its first page without a cursor, the next ones with the cursor the page before gave. */
export const pageOf = (path, cursor, limit = 12) => `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

export function feedView() {
  return [h('h1', { tabindex: '-1' }, 'Home'),
    listOf('/api/feed', 'Your feed', 'Your feed is empty: follow people, or upload a post.')];
}

export function listOf(path, label, empty, render = card) {
  return pagedGrid(label, (cursor) => api(pageOf(path, cursor)), render, empty);
}

export async function postView(id) {
  const post = await api(`/api/photos/${encodeURIComponent(id)}`);
  const me = session.get();
  const title = post.title || 'Untitled';
  const owner = h('a', { href: `#/user/${post.ownerId}` }, '…');
  userName(post.ownerId).then((name) => { owner.textContent = name; });
  let mediaElement;
  if (post.kind === 'video' && post.urls.video) {
    mediaElement = h('video', { controls: true, preload: 'metadata', 'aria-label': title, width: post.width, height: post.height });
    mediaUrl(post.urls.large).then((u) => { mediaElement.poster = u; }, () => {});
    mediaUrl(post.urls.video).then((u) => { mediaElement.src = u; }, showError);
  } else {
    mediaElement = image(post.urls.large, title, { width: post.width, height: post.height });
  }

  const likes = h('span', { class: 'count' }, String(post.likeCount));
  const likesWord = h('span', {}, post.likeCount === 1 ? ' like' : ' likes');
  const like = h('button', { type: 'button', 'aria-pressed': 'false' }, 'Like');
  let touched = false; // a click before the initial state arrives wins over it
  api(`/api/photos/${post.id}/like`).then((r) => { if (!touched) setLiked(r.liked); }, () => {});
  function setLiked(liked) {
    like.setAttribute('aria-pressed', String(liked));
    like.textContent = liked ? 'Liked' : 'Like';
  }
  like.addEventListener('click', () => busy(like, async () => {
    touched = true;
    const liked = like.getAttribute('aria-pressed') === 'true';
    await api(`/api/photos/${post.id}/like`, { method: liked ? 'DELETE' : 'PUT' });
    setLiked(!liked);
    likes.textContent = String(Number(likes.textContent) + (liked ? -1 : 1));
    likesWord.textContent = likes.textContent === '1' ? ' like' : ' likes';
    announce(liked ? 'Like removed.' : 'Liked.');
  }));

  const parts = [
    h('h1', { tabindex: '-1' }, title),
    h('p', { class: 'meta' }, 'by ', owner, ` · ${new Date(post.createdAt).toLocaleString()} · ${post.visibility}`),
    post.status !== 'ready' ? h('p', { class: 'notice' }, post.status === 'failed' ? `This video could not be processed: ${post.reason || ''}` : 'Still processing; the renditions appear shortly.') : null,
    post.hiddenReason ? h('p', { class: 'notice' }, `Hidden by a moderator: ${post.hiddenReason}`) : null,
    h('figure', { class: 'media' }, mediaElement),
    post.tags.length ? h('p', { class: 'tags' }, post.tags.map((t) => h('a', { href: `#/search?tag=${encodeURIComponent(t)}` }, `#${t}`))) : null,
    h('p', { class: 'actions' }, like, ' ', likes, likesWord),
    comments(post),
    h('section', { 'aria-labelledby': 'similar-h' }, h('h2', { id: 'similar-h' }, 'Similar posts'), similar(post.id)),
  ];
  if (me && me.userId === post.ownerId) {
    const remove = h('button', { type: 'button', class: 'danger' }, 'Move to trash');
    remove.addEventListener('click', () => busy(remove, async () => {
      await api(`/api/photos/${post.id}`, { method: 'DELETE' });
      location.hash = '#/trash';
    }));
    parts.push(h('p', {}, remove));
  } else {
    parts.push(reportForm(`/api/photos/${post.id}/reports`, 'Report this post'));
  }
  return parts;
}

function comments(post) {
  const list = h('ol', { class: 'comments', 'aria-label': 'Comments', 'aria-busy': 'true' });
  const me = session.get();
  function render(c) {
    const author = h('a', { href: `#/user/${c.authorId}` }, '…');
    userName(c.authorId).then((n) => { author.textContent = n; });
    const report = me && me.userId !== c.authorId ? reportForm(`/api/comments/${c.id}/reports`, 'Report', 'Why report this comment?') : null;
    return h('li', {}, author, ': ', h('span', {}, c.text), c.hiddenReason ? h('small', {}, ` (hidden: ${c.hiddenReason})`) : null, report);
  }
  api(`/api/photos/${post.id}/comments?limit=50`).then((page) => {
    list.append(...page.items.map(render));
    list.setAttribute('aria-busy', 'false');
  }, showError);
  const text = h('textarea', { name: 'text', required: true, maxlength: 1000, rows: 2 });
  const submit = h('button', { type: 'submit' }, 'Comment');
  const form = h('form', {}, field('Add a comment', text), submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      const created = await api(`/api/photos/${post.id}/comments`, { method: 'POST', json: { text: text.value } });
      list.append(render(created));
      text.value = '';
      announce('Comment added.');
    });
  });
  return h('section', { 'aria-labelledby': 'comments-h' }, h('h2', { id: 'comments-h' }, 'Comments'), list, form);
}

function similar(id) {
  const list = h('ul', { class: 'grid', 'aria-label': 'Similar posts' });
  api(`/api/photos/${id}/similar?limit=8`).then((r) => {
    if (r.items.length === 0) list.replaceWith(h('p', { class: 'empty' }, 'No similar posts you can see yet.'));
    else list.append(...r.items.map((s) => card(s.photo)));
  }, showError);
  return list;
}

export function reportForm(path, label, question = 'Why should a moderator look at it?') {
  const reason = h('input', { name: 'reason', required: true, maxlength: 500 });
  const submit = h('button', { type: 'submit' }, 'Send report');
  const form = h('form', {}, field(question, reason), submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      await api(path, { method: 'POST', json: { reason: reason.value } });
      form.replaceWith(h('p', { class: 'notice' }, 'Thank you: a moderator will look at it.'));
    });
  });
  return h('details', { class: 'report' }, h('summary', {}, label), form);
}

export function uploadView() {
  const file = h('input', { type: 'file', name: 'file', accept: 'image/*,video/*', required: true });
  const preview = h('div', { class: 'preview', 'aria-live': 'polite' });
  const title = h('input', { name: 'title', maxlength: 200 });
  const tags = h('input', { name: 'tags' });
  const visibility = h('select', { name: 'visibility' },
    h('option', { value: 'public' }, 'Public: everyone'), h('option', { value: 'followers' }, 'Followers only'), h('option', { value: 'private' }, 'Only me'));
  const progress = h('progress', { max: 100, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const submit = h('button', { type: 'submit' }, 'Upload');
  file.addEventListener('change', () => {
    preview.replaceChildren();
    const chosen = file.files[0];
    if (!chosen) return;
    const url = URL.createObjectURL(chosen);
    preview.append(chosen.type.startsWith('video/')
      ? h('video', { src: url, controls: true, muted: true, 'aria-label': 'Preview of the chosen video' })
      : h('img', { src: url, alt: 'Preview of the chosen photo' }));
    if (!title.value) title.value = chosen.name.replace(/\.[^.]+$/, '');
  });
  const form = h('form', { class: 'upload' },
    field('Photo or video', file), preview, field('Title', title), field('Tags', tags, 'Separated by commas, e.g. sea, holiday'),
    field('Who can see it', visibility), progress, submit);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(submit, async () => {
      progress.hidden = false;
      const created = await upload(new FormData(form), (p) => {
        progress.value = Math.round(p * 100);
        announce(`Uploading: ${progress.value} %`);
      });
      announce('Uploaded.');
      location.hash = `#/post/${created.id}`;
    }).finally(() => { progress.hidden = true; });
  });
  return [h('h1', { tabindex: '-1' }, 'New post'), form];
}

export function trashView() {
  const restore = (post) => {
    const item = card(post);
    const button = h('button', { type: 'button' }, 'Restore');
    button.addEventListener('click', () => busy(button, async () => {
      await api(`/api/photos/${post.id}/restore`, { method: 'POST' });
      item.remove();
      announce(`Restored ${post.title || 'the post'}.`);
    }));
    item.append(button);
    return item;
  };
  return [h('h1', { tabindex: '-1' }, 'Trash'), h('p', {}, 'Deleted posts stay restorable here for a while, then go for good.'),
    listOf('/api/trash', 'Deleted posts', 'The trash is empty.', restore)];
}
