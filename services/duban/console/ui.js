// Small DOM helpers, Chinese labels and Asia/Shanghai formatting shared by the screens.

/** Builds an element: h('a', {href: '#/'}, 'text', child, ...). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export const STATUS = {
  DEFINED: '待交办',
  ASSIGNED: '已交办',
  IN_PROGRESS: '推进中',
  PENDING_VERIFICATION: '待验收',
  CLOSED: '已办结',
  CANCELLED: '已撤销',
};
export const KIND = { MEASURE: '举措', MILESTONE: '节点', RECTIFICATION: '整改事项' };
export const LIGHT = { GREEN: '绿灯', YELLOW: '黄灯', RED: '红灯' };
export const ROLE = { OFFICE: '领导小组办公室', DEPARTMENT: '责任单位', AUDITOR: '审计' };
export const SOURCE = {
  SELF_INSPECTION: '自查',
  SUPERVISION: '督导',
  AUDIT: '审计',
  COMPLAINT: '投诉',
};
export const EVENT = {
  PlanDrafted: '起草规划',
  PlanImported: '导入规划',
  MeasureDefined: '设立举措',
  MilestoneScheduled: '设立节点',
  RectificationRaised: '登记整改事项',
  TaskAssigned: '交办',
  ProgressReported: '报送进展',
  CompletionSubmitted: '提交验收',
  TaskVerified: '验收',
  TaskOverdue: '逾期',
  DeadlineExtended: '延期',
  TaskUrged: '催办',
  TaskEscalated: '提级督办',
  TaskCancelled: '撤销',
  RectificationReopened: '重新打开',
};

const TZ = 'Asia/Shanghai';
const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** A timestamp as Beijing time, e.g. 2025/06/30 17:05:09. */
export function when(iso) {
  return iso ? dateTime.format(new Date(iso)) : '—';
}
/** Today in Asia/Shanghai as YYYY-MM-DD. */
export function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
}
export function pct(n) {
  return `${Math.round(n)}%`;
}

/** A progress bar with its figure. */
export function bar(percent) {
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  const fill = h('span', { class: 'fill' });
  // Through the CSSOM: the policy forbids style attributes.
  fill.style.width = `${p}%`;
  return h(
    'span',
    { class: 'bar', role: 'progressbar', 'aria-valuenow': p, 'aria-valuemin': 0, 'aria-valuemax': 100 },
    fill,
    h('span', { class: 'figure' }, `${p}%`),
  );
}

export function light(l) {
  return h('span', { class: `light ${(l || '').toLowerCase()}`, title: LIGHT[l] || '' }, LIGHT[l] || '');
}

export function statusTag(s) {
  return h('span', { class: `tag s-${(s || '').toLowerCase()}` }, STATUS[s] || s);
}

/** A short message at the top of the screen. */
export function flash(message, kind = 'ok') {
  const box = document.getElementById('flash');
  box.replaceChildren(h('div', { class: `flash ${kind}` }, message));
  clearTimeout(flash.timer);
  flash.timer = setTimeout(() => box.replaceChildren(), 6000);
}

/**
 * An API error for a person: the Chinese message, the server's detail, and for a
 * version conflict a button that reloads the data (what was typed stays in the form).
 */
export function errorBox(err, onReload) {
  const box = h(
    'div',
    { class: 'error', role: 'alert', 'data-code': err.code || 'INTERNAL' },
    h('strong', {}, err.message || String(err)),
    err.detail ? h('div', { class: 'detail' }, `说明：${err.detail}`) : null,
  );
  if (err.code === 'VERSION_CONFLICT' && onReload) {
    box.append(h('button', { type: 'button', class: 'reload', onclick: onReload }, '重新加载最新数据（已填写的内容会保留）'));
  }
  return box;
}

/**
 * Elements of a list kept from one render to the next: one per key, built again only
 * when its item's data changed, so a reload after an event touches the rows that
 * changed rather than a table of hundreds.
 */
export class Keyed {
  constructor(build) {
    this.build = build;
    this.kept = new Map();
  }

  /** The elements of `items` (`key` names each), reusing those whose data is unchanged. */
  elements(items, key) {
    const next = new Map();
    const els = items.map((item) => {
      const k = key(item);
      const data = JSON.stringify(item);
      const old = this.kept.get(k);
      const el = old && old.data === data ? old.el : this.build(item);
      next.set(k, { data, el });
      return el;
    });
    this.kept = next;
    return els;
  }
}

/** Resolves in a later task, so that the browser may paint and take input meanwhile. */
const nextTask = () => new Promise((r) => setTimeout(r, 0));
/** The latest setChildren call of each parent, so that a later one stops an older one. */
const runs = new WeakMap();

/**
 * Makes `els` the children of `parent`, moving and replacing only what differs, at most
 * `chunk` changes a task: hundreds of new rows then never hold the main thread (and
 * the person's input) for long. Resolves when done, or when a later call for the same
 * parent took over.
 */
export async function setChildren(parent, els, chunk = 50) {
  const run = (runs.get(parent) || 0) + 1;
  runs.set(parent, run);
  const keep = new Set(els);
  let changes = 0;
  for (let i = 0; i < els.length; i++) {
    const at = parent.children[i];
    if (at === els[i]) continue;
    if (changes > 0 && changes % chunk === 0) {
      await nextTask();
      if (runs.get(parent) !== run) return;
    }
    changes += 1;
    if (at && !keep.has(at)) at.replaceWith(els[i]);
    else parent.insertBefore(els[i], at || null);
  }
  while (parent.children.length > els.length) parent.lastElementChild.remove();
}

/** Sets an element's text when it differs. */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** A labelled field. */
export function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', {}, label), input, hint ? h('small', {}, hint) : null);
}

/** A table from headers and rows of cells. */
export function table(headers, rows, attrs = {}) {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      attrs,
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', {}, x)))),
      h('tbody', {}, rows),
    ),
  );
}

/** Form values the person typed, kept across re-renders and errors until they succeed. */
export const drafts = new Map();

/** A text input or textarea whose value is kept in `drafts` under `key`. */
export function kept(key, tag = 'input', attrs = {}) {
  const el = h(tag, { ...attrs, name: key.split(':').pop() });
  if (drafts.has(key)) el.value = drafts.get(key);
  else if (attrs.value !== undefined) el.value = attrs.value;
  el.addEventListener('input', () => drafts.set(key, el.value));
  return el;
}

/** Simple Markdown (headings, paragraphs, pipe tables) as elements, no HTML injected. */
export function markdown(text) {
  const out = h('div', { class: 'markdown' });
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; ) {
    const line = lines[i];
    if (line.trim().startsWith('|')) {
      const rows = [];
      while (i < lines.length && lines[i].trim().startsWith('|')) rows.push(lines[i++]);
      const cells = (l) =>
        l.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
      const body = rows.filter((r) => !/^[\s|:-]+$/.test(r)).map(cells);
      const [head, ...rest] = body;
      out.append(table(head || [], rest.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
      continue;
    }
    i += 1;
    if (line.startsWith('# ')) out.append(h('h2', { class: 'doc-title' }, line.slice(2)));
    else if (line.startsWith('## ')) out.append(h('h3', {}, line.slice(3)));
    else if (line.trim()) out.append(h('p', {}, line));
  }
  return out;
}
