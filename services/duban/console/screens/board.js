// 调度台: one row per lead department with its light, counts and average progress; the
// agenda, its most urgent tasks first (a county's agenda holds thousands: the screen
// shows the top of it and more on request); a plan filter. Live: task events reload the
// board (events arrive after the read model has folded them in), so a row changes within
// a second, also while events keep coming.

import { gql, subscribe } from '../api.js';
import { h, light, bar, table, when, statusTag, errorBox, Keyed, setChildren, setText } from '../ui.js';

/** Agenda tasks shown at first, and added by each 显示更多. */
export const AGENDA_PAGE = 100;

const BOARD = `query Board($planId: ID, $first: Int) {
  board(planId: $planId) {
    asOf
    rows { department { id name } light averageProgress
      counts { open overdue dueSoon pendingVerification closed closedLate escalated } }
    totals { open overdue dueSoon pendingVerification closed closedLate escalated }
    agendaCount
    agenda(first: $first) { id code title status due overdue escalated lead { name } }
  }
}`;
const PLANS = '{ plans { id title } }';
const EVENTS = `subscription Live($planId: ID) { taskEvents(planId: $planId) { position type streamId } }`;

let chosenPlan = '';

const HEADERS = ['灯', '牵头单位', '未办结', '逾期', '临期', '待验收', '已办结', '逾期办结', '提级', '平均进度'];

function counts(c) {
  return [c.open, c.overdue, c.dueSoon, c.pendingVerification, c.closed, c.closedLate, c.escalated].map((n) =>
    h('td', { class: 'num' }, n),
  );
}

function row(r) {
  return h(
    'tr',
    { 'data-department': r.department.name, 'data-light': r.light },
    h('td', {}, light(r.light)),
    h('th', { scope: 'row' }, h('a', { href: `#/worklist/${r.department.id}` }, r.department.name)),
    counts(r.counts),
    h('td', {}, bar(r.averageProgress)),
  );
}

function totalRow(totals) {
  return h('tr', { class: 'total' }, h('td'), h('th', {}, '合计'), counts(totals), h('td'));
}

function agendaItem(t) {
  return h(
    'li',
    {},
    h('a', { href: `#/task/${t.id}` }, t.code ? `${t.code} ` : '', t.title),
    ' ',
    statusTag(t.status),
    t.overdue ? h('span', { class: 'tag red' }, '逾期') : null,
    t.escalated ? h('span', { class: 'tag red' }, '提级督办') : null,
    h('small', { class: 'muted' }, ` ${t.lead ? t.lead.name : '未交办'} · 截止 ${t.due || '—'}`),
  );
}

/**
 * The board's elements, kept between reloads: each row and agenda entry is built again
 * only when its data changed, so a reload after an event changes a few rows of the
 * page rather than all of them. `more` asks for more of the agenda.
 */
function boardView(more) {
  const asOf = h('p', { class: 'muted' });
  const wrap = table(HEADERS, [], { class: 'board' });
  const body = wrap.querySelector('tbody');
  const count = h('small', { class: 'muted' });
  const agenda = h('ol', { class: 'agenda' });
  const none = h('p', { class: 'muted' }, '暂无需要调度的事项。');
  const button = h('button', { type: 'button', class: 'more secondary', onclick: more });
  const parts = [asOf, wrap, h('h2', {}, '调度议程', count), agenda, none, button];
  const rows = new Keyed(row);
  const total = new Keyed(totalRow);
  const items = new Keyed(agendaItem);
  // Resolves when every row is in place (new rows go in 50 a task).
  return async (box, b) => {
    if (box.firstChild !== asOf) box.replaceChildren(...parts);
    setText(asOf, `数据截至 ${when(b.asOf)}`);
    setText(count, b.agendaCount ? ` 共 ${b.agendaCount} 项，按紧急程度排列` : '');
    agenda.hidden = !b.agenda.length;
    none.hidden = b.agenda.length > 0;
    button.hidden = !(b.agendaCount > b.agenda.length);
    setText(button, `显示更多（已显示 ${b.agenda.length} 项，共 ${b.agendaCount} 项）`);
    await setChildren(body, [
      ...rows.elements(b.rows, (r) => r.department.id),
      ...total.elements([b.totals], () => 'total'),
    ]);
    await setChildren(agenda, items.elements(b.agenda, (t) => t.id));
  };
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
  // The agenda tasks asked for: the top of it until the person asks for more; live
  // reloads keep what is shown.
  let first = AGENDA_PAGE;
  const more = () => {
    first += AGENDA_PAGE;
    load();
  };
  const show = boardView(more);
  // Answers shown in the order asked: an older one arriving late is dropped.
  let asked = 0;
  const load = async () => {
    const mine = ++asked;
    try {
      const { board: b } = await gql(BOARD, { planId: chosenPlan || null, first });
      if (mine === asked) await show(box, b);
    } catch (e) {
      if (mine === asked) box.replaceChildren(errorBox(e, load));
    }
  };
  await load();
  // A reload 100 ms after an event, so that a burst of events costs one; events during
  // a reload bring one more after it. A steady stream of events thus refreshes the
  // board after every reload rather than postponing it until the stream stops.
  let pending = null;
  let loading = null;
  let again = false;
  let left = false;
  const refresh = () => {
    if (left) return;
    if (loading) {
      again = true;
      return;
    }
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      loading = load();
      await loading;
      loading = null;
      if (again) {
        again = false;
        refresh();
      }
    }, 100);
  };
  let stop = null;
  const listen = () => {
    if (stop) stop();
    stop = subscribe(
      EVENTS,
      { planId: chosenPlan || null },
      refresh,
      (state) => {
        live.textContent = state === 'open' ? '● 实时' : '○ 连接中断，正在重连';
        live.dataset.state = state;
      },
    );
  };
  listen();
  select.addEventListener('change', () => {
    chosenPlan = select.value;
    first = AGENDA_PAGE;
    load();
    listen();
  });
  return () => {
    left = true;
    clearTimeout(pending);
    if (stop) stop();
  };
}
