// 审计: the history of any task, a slider over time that shows the task as it stood at
// that moment (taskAsOf), and the integrity check of the whole log (verifyIntegrity).

import { gql } from '../api.js';
import { h, bar, when, statusTag, errorBox, KIND } from '../ui.js';
import { timelineItem } from './task.js';

const TASKS = `query AuditTasks($after: String) { tasks(first: 500, after: $after) {
  nodes { id code title kind } pageInfo { hasNextPage endCursor } } }`;
const HISTORY = `query AuditHistory($id: ID!, $after: String) { task(id: $id) { id code title
  history(first: 500, after: $after) { nodes { position type recordedAt actor role department { name } data }
    pageInfo { hasNextPage endCursor } } } }`;
const AS_OF = `query AsOf($id: ID!, $at: DateTime!) { taskAsOf(id: $id, at: $at) {
  id status progress due overdue escalated closedLate version lead { name } } }`;

function asOfView(t, at) {
  if (!t) return h('p', { class: 'muted' }, `${when(at)} 时该事项尚未建立。`);
  return h(
    'div',
    { class: 'as-of', 'data-at': at, 'data-status': t.status, 'data-progress': t.progress },
    h('p', {}, `${when(at)} 时的状态：`, statusTag(t.status), t.overdue ? h('span', { class: 'tag red' }, '逾期') : null),
    bar(t.progress),
    h('p', { class: 'muted' }, `牵头：${t.lead ? t.lead.name : '未交办'} · 时限：${t.due || '—'} · 版本 ${t.version}`),
  );
}

async function taskHistory(box, id) {
  // The whole history, page by page (at most 500 events a page).
  let task = null;
  const events = [];
  let after = null;
  do {
    ({ task } = await gql(HISTORY, { id, after }));
    if (!task) {
      box.replaceChildren(h('p', { class: 'error' }, '找不到该事项。'));
      return;
    }
    events.push(...task.history.nodes);
    after = task.history.pageInfo.hasNextPage ? task.history.pageInfo.endCursor : null;
  } while (after);
  const times = events.map((e) => Date.parse(e.recordedAt));
  const min = times[0];
  const max = Math.max(Date.now(), times[times.length - 1]);
  const slider = h('input', { type: 'range', id: 'as-of', min, max, step: 1, value: max, 'aria-label': '时间' });
  const label = h('output', { for: 'as-of' });
  const state = h('div', { id: 'as-of-state' });
  let seq = 0;
  const show = async () => {
    const at = new Date(Number(slider.value)).toISOString();
    label.textContent = when(at);
    const mine = ++seq;
    try {
      const { taskAsOf } = await gql(AS_OF, { id, at });
      if (mine === seq) state.replaceChildren(asOfView(taskAsOf, at));
    } catch (e) {
      state.replaceChildren(errorBox(e));
    }
  };
  // Steps to the moment just after the previous or next event.
  const jump = (step) => () => {
    const now = Number(slider.value);
    const after = times.map((t) => t + 1);
    const next = step < 0 ? after.filter((t) => t < now).pop() : after.find((t) => t > now);
    if (next !== undefined) {
      slider.value = next;
      show();
    }
  };
  let timer = null;
  slider.addEventListener('input', () => {
    label.textContent = when(new Date(Number(slider.value)).toISOString());
    clearTimeout(timer);
    timer = setTimeout(show, 150);
  });
  slider.addEventListener('change', show);
  box.replaceChildren(
    h('h2', {}, h('a', { href: `#/task/${id}` }, task.code ? `${task.code} ` : '', task.title)),
    h(
      'section',
      { class: 'card' },
      h('h3', {}, '时间回溯'),
      h('div', { class: 'slider' }, h('button', { type: 'button', onclick: jump(-1) }, '◀ 上一事件'), slider, h('button', { type: 'button', onclick: jump(1) }, '下一事件 ▶')),
      label,
      state,
    ),
    h('section', { class: 'card' }, h('h3', {}, `事件记录（${events.length}）`), h('ol', { class: 'timeline' }, events.map(timelineItem))),
  );
  await show();
}

/** The 审计 screen. */
export async function audit(view, { args }) {
  const check = h('div', { id: 'integrity' });
  const verify = async () => {
    check.replaceChildren(h('span', { class: 'muted' }, '正在校验…'));
    try {
      const { verifyIntegrity: r } = await gql('{ verifyIntegrity { ok eventsChecked firstBrokenPosition } }');
      check.replaceChildren(
        h(
          'p',
          { class: r.ok ? 'ok' : 'error', 'data-ok': String(r.ok) },
          r.ok
            ? `校验通过：共 ${r.eventsChecked} 条事件，哈希链完整。`
            : `校验未通过：自全局位置 ${r.firstBrokenPosition} 起哈希不符（已检查 ${r.eventsChecked} 条）。`,
        ),
      );
    } catch (e) {
      check.replaceChildren(errorBox(e));
    }
  };
  const pick = h('select', { id: 'audit-task', 'aria-label': '事项' }, h('option', { value: '' }, '选择事项…'));
  const box = h('div', { id: 'audit-task-box' });
  view.append(
    h('h1', {}, '审计'),
    h('section', { class: 'card' }, h('h2', {}, '日志完整性'), h('button', { type: 'button', id: 'verify', onclick: verify }, '校验全部事件的哈希链'), check),
    h('section', { class: 'card' }, h('h2', {}, '事项历史'), pick, box),
  );
  let after = null;
  do {
    const { tasks } = await gql(TASKS, { after });
    for (const t of tasks.nodes) pick.append(h('option', { value: t.id }, `${KIND[t.kind]} ${t.code || ''} ${t.title}`.slice(0, 80)));
    after = tasks.pageInfo.hasNextPage ? tasks.pageInfo.endCursor : null;
  } while (after && pick.options.length < 5000);
  pick.value = args[0] || '';
  pick.addEventListener('change', () => (location.hash = `#/audit/${pick.value}`));
  if (args[0]) {
    try {
      await taskHistory(box, args[0]);
    } catch (e) {
      box.replaceChildren(errorBox(e));
    }
  }
}
