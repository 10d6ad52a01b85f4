// api: the queue server's HTTP API as the pages use it. One token per browser
// (localStorage), sent as a Bearer header; every failure becomes an ApiError
// with the server's code and words, and a 401 tells the page its session is over.

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
}

const TOKEN_KEY = 'center.token';
const expiredListeners = new Set<() => void>();

export function token(): string {
  return localStorage.getItem(TOKEN_KEY) ?? '';
}

export function setToken(value: string) {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
}

// Called when the server refuses the token (expired, revoked, logged out elsewhere).
export function onExpired(f: () => void): () => void {
  expiredListeners.add(f);
  return () => expiredListeners.delete(f);
}

export function sessionExpired() {
  setToken('');
  expiredListeners.forEach((f) => f());
}

async function request(method: string, path: string, body?: unknown, raw = false): Promise<any> {
  let reply: Response;
  try {
    reply = await fetch(path, {
      method,
      headers: {
        ...(token() ? { Authorization: `Bearer ${token()}` } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'offline', 'offline');
  }
  if (reply.ok) return raw ? reply.text() : reply.json();
  let code = 'http_' + reply.status;
  let message = reply.statusText;
  try {
    const e = (await reply.json()).error;
    code = e.code;
    message = e.message;
  } catch {
    /* not JSON: keep the status line */
  }
  if (reply.status === 401 && path !== '/api/login') sessionExpired();
  throw new ApiError(reply.status, code, message);
}

export const api = {
  get: (path: string) => request('GET', path),
  text: (path: string) => request('GET', path, undefined, true),
  post: (path: string, body: unknown = {}) => request('POST', path, body),
  put: (path: string, body: unknown) => request('PUT', path, body),
  del: (path: string) => request('DELETE', path),
};

export interface Me {
  role: string;
  name: string;
  counter: number;
}

export async function login(user: string, password: string): Promise<Me> {
  const r = await api.post('/api/login', { user, password });
  setToken(r.token);
  return { role: r.role, name: r.user, counter: r.counter };
}

export async function logout() {
  try {
    await api.post('/api/logout');
  } finally {
    setToken('');
  }
}

// Saves a server reply (CSV) as a file: the link needs the token, so it is fetched first.
export async function download(path: string, filename: string) {
  const text = await api.text(path);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
