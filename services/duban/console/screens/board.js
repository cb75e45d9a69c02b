// 调度台: one row per lead department with its light, counts and average progress; the
// agenda; a plan filter. Live: each task event reloads the board (events arrive after
// the read model has folded them in), so a row changes within a second.

import { gql, subscribe } from '../api.js';
import { h, light, bar, table, when, statusTag, errorBox } from '../ui.js';

const BOARD = `query Board($planId: ID) {
  board(planId: $planId) {
    asOf
    rows { department { id name } light averageProgress
      counts { open overdue dueSoon pendingVerification closed closedLate escalated } }
    totals { open overdue dueSoon pendingVerification closed closedLate escalated }
    agenda { id code title status due overdue escalated progress lead { name } }
  }
}`;
const PLANS = '{ plans { id title } }';
const EVENTS = `subscription Live($planId: ID) { taskEvents(planId: $planId) { position type streamId } }`;

let chosenPlan = '';

function counts(c) {
  return [c.open, c.overdue, c.dueSoon, c.pendingVerification, c.closed, c.closedLate, c.escalated].map((n) =>
    h('td', { class: 'num' }, n),
  );
}

function render(box, b) {
  const rows = b.rows.map((r) =>
    h(
      'tr',
      { 'data-department': r.department.name, 'data-light': r.light },
      h('td', {}, light(r.light)),
      h('th', { scope: 'row' }, h('a', { href: `#/worklist/${r.department.id}` }, r.department.name)),
      counts(r.counts),
      h('td', {}, bar(r.averageProgress)),
    ),
  );
  rows.push(h('tr', { class: 'total' }, h('td'), h('th', {}, '合计'), counts(b.totals), h('td')));
  const agenda = b.agenda.map((t) =>
    h(
      'li',
      {},
      h('a', { href: `#/task/${t.id}` }, t.code ? `${t.code} ` : '', t.title),
      ' ',
      statusTag(t.status),
      t.overdue ? h('span', { class: 'tag red' }, '逾期') : null,
      t.escalated ? h('span', { class: 'tag red' }, '提级督办') : null,
      h('small', { class: 'muted' }, ` ${t.lead ? t.lead.name : '未交办'} · 截止 ${t.due || '—'}`),
    ),
  );
  box.replaceChildren(
    h('p', { class: 'muted' }, `数据截至 ${when(b.asOf)}`),
    table(['灯', '牵头单位', '未办结', '逾期', '临期', '待验收', '已办结', '逾期办结', '提级', '平均进度'], rows, {
      class: 'board',
    }),
    h('h2', {}, '调度议程'),
    agenda.length ? h('ol', { class: 'agenda' }, agenda) : h('p', { class: 'muted' }, '暂无需要调度的事项。'),
  );
}

/** The 调度台 screen; returns a function that ends its live updates. */
export async function board(view) {
  const { plans } = await gql(PLANS);
  const live = h('span', { class: 'live' }, '实时连接中…');
  const select = h(
    'select',
    { id: 'plan-filter', 'aria-label': '按规划筛选' },
    h('option', { value: '' }, '全部规划'),
    plans.map((p) => h('option', { value: p.id }, p.title)),
  );
  select.value = chosenPlan;
  const box = h('div', { id: 'board' });
  view.append(h('div', { class: 'bar-row' }, h('h1', {}, '调度台'), select, live), box);
  let pending = null;
  const load = async () => {
    try {
      const { board: b } = await gql(BOARD, { planId: chosenPlan || null });
      render(box, b);
    } catch (e) {
      box.replaceChildren(errorBox(e, load));
    }
  };
  await load();
  let stop = null;
  const listen = () => {
    if (stop) stop();
    stop = subscribe(
      EVENTS,
      { planId: chosenPlan || null },
      () => {
        clearTimeout(pending);
        pending = setTimeout(load, 100);
      },
      (state) => {
        live.textContent = state === 'open' ? '● 实时' : '○ 连接中断，正在重连';
        live.dataset.state = state;
      },
    );
  };
  listen();
  select.addEventListener('change', () => {
    chosenPlan = select.value;
    load();
    listen();
  });
  return () => {
    clearTimeout(pending);
    if (stop) stop();
  };
}
