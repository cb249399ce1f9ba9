// A small client of the ImageSocial HTTP API, written to be read: every call the pages make goes through here.
// - Requests carry the bearer token from POST /api/auth/token.
// - Errors are RFC 7807 problem+json: ApiError keeps the status, the title, the detail and any per-field errors.
// - Content (/api/photos/{id}/content/{size}) needs the token too, so it is fetched and shown through blob: URLs.

const SESSION = 'imagesocial.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `The request failed (HTTP ${status}).`);
    this.status = status;
    this.title = problem.title;
    this.errors = problem.errors || {};
  }

  /** One sentence for the user: the title, the detail, and each field's problem. */
  describe() {
    const parts = [];
    if (this.title && this.title !== this.message) parts.push(this.title + '.');
    parts.push(this.message);
    for (const [field, messages] of Object.entries(this.errors)) parts.push(`${field}: ${[].concat(messages).join(' ')}`);
    return parts.join(' ');
  }
}

export const session = {
  get() {
    try { return JSON.parse(localStorage.getItem(SESSION)); } catch { return null; }
  },
  set(value) { localStorage.setItem(SESSION, JSON.stringify(value)); },
  clear() { localStorage.removeItem(SESSION); media.clear(); },
};

function headers(extra = {}) {
  const s = session.get();
  return s ? { Authorization: `Bearer ${s.accessToken}`, ...extra } : extra;
}

async function failure(response) {
  let problem = {};
  try { problem = await response.json(); } catch { /* not JSON: the status says enough */ }
  if (response.status === 401 && session.get()) {
    session.clear();
    location.hash = '#/signin';
  }
  return new ApiError(response.status, problem);
}

/** Calls the API; `json` is sent as a JSON body. Returns the parsed JSON, or null for 202/204. */
export async function api(path, { method = 'GET', json, signal } = {}) {
  const init = { method, signal, headers: headers(json === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (json !== undefined) init.body = JSON.stringify(json);
  const response = await fetch(path, init);
  if (!response.ok) throw await failure(response);
  return response.status === 204 || response.status === 202 ? { status: response.status } : response.json();
}

/** Uploads a multipart form (POST /api/photos) and reports progress from 0 to 1; resolves to the created post. */
export function upload(form, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/photos');
    for (const [name, value] of Object.entries(headers())) request.setRequestHeader(name, value);
    request.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    request.onerror = () => reject(new ApiError(0, { title: 'The upload did not reach the server' }));
    request.onload = () => {
      let body = {};
      try { body = JSON.parse(request.responseText); } catch { /* empty */ }
      if (request.status >= 200 && request.status < 300) resolve(body);
      else reject(new ApiError(request.status, body));
    };
    request.send(form);
  });
}

const media = new Map();

/** A blob: URL for a content path, fetched once with the token. */
export async function mediaUrl(path) {
  if (!media.has(path)) {
    media.set(path, (async () => {
      const response = await fetch(path, { headers: headers() });
      if (!response.ok) throw await failure(response);
      return URL.createObjectURL(await response.blob());
    })());
  }
  try {
    return await media.get(path);
  } catch (e) {
    media.delete(path);
    throw e;
  }
}
media.clear = function clear() {
  for (const url of this.values()) url.then((u) => URL.revokeObjectURL(u), () => {});
  Map.prototype.clear.call(this);
};
