// The console's one way to the server: GraphQL over HTTP, the graphql-transport-ws
// subscription, and authenticated downloads. The bearer token lives in sessionStorage
// only (gone when the tab closes or on sign-out).

const KEY = 'duban.token';

/** Chinese messages for every error code of the API. */
export const MESSAGES = {
  UNAUTHENTICATED: '登录已失效或令牌无效，请使用新的登录链接重新登录。',
  FORBIDDEN: '当前身份无权进行此操作。',
  NOT_FOUND: '要找的对象不存在，可能已被删除或编号有误。',
  BAD_USER_INPUT: '填写的内容有误，请按提示修改后再提交。',
  INVALID_TRANSITION: '事项当前的状态不允许这一操作，请刷新后查看最新状态。',
  VERSION_CONFLICT: '事项已被他人更新，您看到的不是最新版本。',
  INTERNAL: '服务器内部错误，已记录原因，请稍后再试或联系管理员。',
  NETWORK: '无法连接服务器，请检查网络后重试。',
};

/** An error from the API, with its code and the server's own words. */
export class ApiError extends Error {
  constructor(code, detail, field) {
    super(MESSAGES[code] || `未知错误（${code}）`);
    this.code = code;
    this.detail = detail || '';
    this.field = field || null;
  }
}

export function token() {
  return sessionStorage.getItem(KEY);
}
export function setToken(t) {
  sessionStorage.setItem(KEY, t);
}
export function forget() {
  sessionStorage.removeItem(KEY);
}

function firstError(errors) {
  const e = errors[0] || {};
  const ext = e.extensions || {};
  return new ApiError(ext.code || 'INTERNAL', e.message, ext.field);
}

/** Runs a query or mutation; resolves to `data`, rejects with an ApiError. */
export async function gql(query, variables = {}) {
  let res;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token() || ''}`,
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (e) {
    throw new ApiError('NETWORK', String(e));
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL', `HTTP ${res.status}`);
  }
  if (body.errors && body.errors.length) throw firstError(body.errors);
  return body.data;
}

/** Fetches a file with the token and hands it to the browser as a download. */
export async function download(url, filename) {
  let res;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token() || ''}` } });
  } catch (e) {
    throw new ApiError('NETWORK', String(e));
  }
  if (!res.ok) {
    let body = {};
    try {
      body = await res.json();
    } catch {
      /* not JSON */
    }
    throw body.errors ? firstError(body.errors) : new ApiError('INTERNAL', `HTTP ${res.status}`);
  }
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return blob;
}

/**
 * Subscribes over graphql-transport-ws; calls onEvent(data) for each result and
 * onState('open' | 'closed') as the connection comes and goes. Reconnects after a
 * drop. Returns a function that ends the subscription.
 */
export function subscribe(query, variables, onEvent, onState = () => {}) {
  let socket = null;
  let stopped = false;
  let retry = 500;
  const open = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/graphql`, 'graphql-transport-ws');
    socket.onopen = () => {
      socket.send(
        JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token()}` } }),
      );
    };
    socket.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.type === 'connection_ack') {
        retry = 500;
        onState('open');
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
      } else if (msg.type === 'next' && msg.payload && msg.payload.data) {
        onEvent(msg.payload.data);
      } else if (msg.type === 'ping') {
        socket.send(JSON.stringify({ type: 'pong' }));
      }
    };
    socket.onclose = () => {
      onState('closed');
      if (!stopped) {
        setTimeout(open, retry);
        retry = Math.min(retry * 2, 15_000);
      }
    };
  };
  open();
  return () => {
    stopped = true;
    if (socket) socket.close();
  };
}
