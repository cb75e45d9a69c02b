// 待办: a department's tasks (as lead or cooperating), overdue first, then due soon, then
// by deadline; each with its progress and, for the lead department, the forms to report
// progress and to submit for verification; finished ones folded away below. The office
// picks the department.

import { gql } from '../api.js';
import { h, bar, statusTag, today, errorBox, setChildren, KIND } from '../ui.js';
import { actionForm, allowed } from './actions.js';

const WORKLIST = `query Worklist($departmentId: ID) {
  worklist(departmentId: $departmentId) {
    id kind code title status due overdue escalated progress version lastProgressAt
    lead { id name } plan { title }
  }
}`;

/** Days from today (Asia/Shanghai) to a YYYY-MM-DD date. */
function daysLeft(due) {
  return Math.round((Date.parse(due) - Date.parse(today())) / 86_400_000);
}

const DONE = ['CLOSED', 'CANCELLED'];

/** Overdue, then due within 7 days, then the rest by deadline; finished ones last. */
export function urgency(t) {
  if (DONE.includes(t.status)) return 4;
  if (t.overdue) return 0;
  if (t.due && daysLeft(t.due) <= 7) return 1;
  if (t.status === 'PENDING_VERIFICATION') return 3;
  return 2;
}

function card(t, viewer, reload) {
  const soon = !t.overdue && t.due && !DONE.includes(t.status) && daysLeft(t.due) <= 7;
  const forms = allowed(viewer, t)
    .filter((a) => a === 'progress' || a === 'submit')
    .map((a) => actionForm(a, t, { onDone: reload, onReload: reload }));
  return h(
    'article',
    { class: `task-card${t.overdue ? ' overdue' : ''}${soon ? ' soon' : ''}`, 'data-task': t.id },
    h(
      'header',
      {},
      h('a', { href: `#/task/${t.id}`, class: 'title' }, t.code ? `${t.code} ` : '', t.title),
      ' ',
      statusTag(t.status),
      t.overdue ? h('span', { class: 'tag red' }, '逾期') : null,
      soon ? h('span', { class: 'tag yellow' }, `${daysLeft(t.due)}天内到期`) : null,
    ),
    h(
      'p',
      { class: 'muted' },
      `${KIND[t.kind]} · 牵头：${t.lead ? t.lead.name : '未交办'} · 截止：${t.due || '—'}`,
    ),
    bar(t.progress),
    forms.length ? h('details', {}, h('summary', {}, '报送进展 / 提交验收'), forms) : null,
  );
}

/**
 * Finished tasks (办结 or 撤销), folded away: a department of years' standing has
 * hundreds, built only when the person opens the list.
 */
function finished(done, viewer, reload) {
  const cards = h('div');
  const box = h('details', { class: 'finished' }, h('summary', {}, `已办结、已撤销的事项（${done.length} 项）`), cards);
  box.addEventListener('toggle', () => {
    if (box.open && !cards.firstChild) setChildren(cards, done.map((t) => card(t, viewer, reload)), 40);
  });
  return box;
}

/** The 待办 screen. */
export async function worklist(view, { viewer, args }) {
  let departmentId = args[0] || (viewer.department ? viewer.department.id : '');
  const head = h('div', { class: 'bar-row' }, h('h1', {}, '待办'));
  const list = h('div', { class: 'worklist' });
  view.append(head, list);
  if (viewer.role === 'OFFICE') {
    const { departments } = await gql('{ departments { id name retired } }');
    const pick = h(
      'select',
      { 'aria-label': '单位' },
      h('option', { value: '' }, '选择单位'),
      departments.filter((d) => !d.retired).map((d) => h('option', { value: d.id }, d.name)),
    );
    pick.value = departmentId;
    pick.addEventListener('change', () => (location.hash = `#/worklist/${pick.value}`));
    head.append(pick);
    if (!departmentId) {
      list.append(h('p', { class: 'muted' }, '请选择一个单位查看其待办。'));
      return;
    }
  }
  const load = async () => {
    try {
      const { worklist: tasks } = await gql(WORKLIST, { departmentId: departmentId || null });
      const sorted = [...tasks].sort(
        (a, b) => urgency(a) - urgency(b) || (a.due || '9999').localeCompare(b.due || '9999'),
      );
      const open = sorted.filter((t) => !DONE.includes(t.status));
      const done = sorted.filter((t) => DONE.includes(t.status));
      const cards = h('div', { class: 'open' });
      list.replaceChildren(
        open.length ? cards : h('p', { class: 'muted' }, '暂无待办事项。'),
        done.length ? finished(done, viewer, load) : null,
      );
      await setChildren(cards, open.map((t) => card(t, viewer, load)), 40);
    } catch (e) {
      list.replaceChildren(errorBox(e, load));
    }
  };
  await load();
}
