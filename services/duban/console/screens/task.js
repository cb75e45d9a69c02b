// The task page: everything about a task, its progress, the timeline of its history
// (who did what and when, Beijing time) and the actions the viewer's role allows.

import { gql } from '../api.js';
import { h, bar, statusTag, when, errorBox, KIND, ROLE, SOURCE, EVENT } from '../ui.js';
import { actionForm, allowed } from './actions.js';

const FIELDS = `id kind code title description status due overdue closedLate escalated progress
  lastProgressAt version
  plan { id title } parent { id code title } lead { id name } cooperating { id name }
  rectification { source finding standard measured unit severity }`;
const EVENT_FIELDS = 'position type recordedAt actor role department { name } data';
/** Timeline entries shown at first (the newest), and added by each 显示更早的记录. */
export const TIMELINE_PAGE = 200;
// Cursors of a task's history are stream versions: `after: v` starts at event v + 1.
const HISTORY = `query History($id: ID!, $first: Int, $after: String) {
  task(id: $id) { history(first: $first, after: $after) { nodes { ${EVENT_FIELDS} } } } }`;

/** The facts of an event worth showing, in Chinese. */
export function eventText(e) {
  const d = e.data || {};
  const parts = [];
  if (d.percent !== undefined) parts.push(`进度 ${d.percent}%`);
  if (d.verdict) parts.push(d.verdict === 'ACCEPTED' ? '验收通过' : '验收不通过，退回');
  if (d.due) parts.push(`时限 ${d.due}`);
  for (const k of ['note', 'summary', 'remarks', 'reason', 'finding', 'title']) {
    if (typeof d[k] === 'string' && d[k]) parts.push(d[k]);
  }
  if (Array.isArray(d.evidence) && d.evidence.length) parts.push(`佐证：${d.evidence.join('；')}`);
  return parts.join(' · ');
}

/** One timeline entry. */
export function timelineItem(e) {
  const who = [e.actor, e.role ? ROLE[e.role] : null, e.department ? e.department.name : null]
    .filter(Boolean)
    .join(' · ');
  return h(
    'li',
    { 'data-type': e.type },
    h('time', { datetime: e.recordedAt }, when(e.recordedAt)),
    h('strong', {}, EVENT[e.type] || e.type),
    h('span', { class: 'who' }, who),
    h('div', { class: 'what' }, eventText(e)),
  );
}

/** The facts of a task as a definition list. */
export function facts(t) {
  const r = t.rectification;
  const rows = [
    ['类型', KIND[t.kind]],
    ['状态', statusTag(t.status)],
    ['所属规划', t.plan ? t.plan.title : '—'],
    t.parent ? ['上级举措', h('a', { href: `#/task/${t.parent.id}` }, `${t.parent.code || ''} ${t.parent.title}`)] : null,
    ['牵头单位', t.lead ? t.lead.name : '未交办'],
    ['配合单位', t.cooperating.map((c) => c.name).join('、') || '—'],
    ['完成时限', t.due || '—'],
    ['逾期', t.overdue ? '是' : '否'],
    ['提级督办', t.escalated ? '是' : '否'],
    ['最近报送', when(t.lastProgressAt)],
    t.description ? ['内容', t.description] : null,
    r ? ['问题来源', SOURCE[r.source]] : null,
    r ? ['发现问题', r.finding] : null,
    r && r.standard ? ['标准', r.standard] : null,
    r && r.measured ? ['实测', r.measured] : null,
    r && r.unit ? ['单位/学校', r.unit] : null,
    r ? ['严重程度', `${r.severity} 级`] : null,
  ].filter(Boolean);
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/**
 * The task's timeline, oldest first: the newest TIMELINE_PAGE events, and a button that
 * adds the page before them. `page` is the first page of the history; `version` the
 * task's stream version (how many events it has).
 */
async function timeline(id, version, page) {
  let events = page.nodes;
  // Events before the shown ones (they are 1..earlier).
  let earlier = 0;
  if (page.pageInfo.hasNextPage) {
    earlier = Math.max(0, version - TIMELINE_PAGE);
    const { task } = await gql(HISTORY, { id, first: TIMELINE_PAGE, after: String(earlier) });
    events = task.history.nodes;
  }
  const list = h('ol', { class: 'timeline' }, events.map(timelineItem));
  const button = h('button', { type: 'button', class: 'secondary earlier' });
  const label = () => {
    button.hidden = earlier === 0;
    button.textContent = `显示更早的记录（还有 ${earlier} 条）`;
  };
  button.addEventListener('click', async () => {
    const n = Math.min(TIMELINE_PAGE, earlier);
    button.disabled = true;
    try {
      const { task } = await gql(HISTORY, { id, first: n, after: String(earlier - n) });
      list.prepend(...task.history.nodes.map(timelineItem));
      earlier -= n;
      label();
    } catch (e) {
      button.after(errorBox(e));
    } finally {
      button.disabled = false;
    }
  });
  label();
  return [button, list];
}

/** The task page. */
export async function taskPage(view, { viewer, args }) {
  const id = args[0];
  const canReadLog = viewer.role !== 'DEPARTMENT';
  const query = `query Task($id: ID!) { task(id: $id) { ${FIELDS}
    ${canReadLog ? `history(first: ${TIMELINE_PAGE}) { nodes { ${EVENT_FIELDS} } pageInfo { hasNextPage } }` : ''} }
    ${viewer.role === 'OFFICE' ? 'departments { id name retired }' : ''} }`;
  const render = async () => {
    let data;
    try {
      data = await gql(query, { id });
    } catch (e) {
      view.replaceChildren(errorBox(e, render));
      return;
    }
    const t = data.task;
    if (!t) {
      view.replaceChildren(h('p', { class: 'error' }, '找不到该事项，或您无权查看。'));
      return;
    }
    let events = null;
    if (t.history) {
      try {
        events = await timeline(id, t.version, t.history);
      } catch (e) {
        events = [errorBox(e, render)];
      }
    }
    const departments = (data.departments || []).filter((d) => !d.retired);
    const forms = allowed(viewer, t).map((a) => actionForm(a, t, { departments, onDone: render, onReload: render }));
    view.replaceChildren(
      h('h1', {}, t.code ? `${t.code} ` : '', t.title),
      h('div', { class: 'progress-line' }, '进度 ', bar(t.progress)),
      h(
        'div',
        { class: 'two' },
        h('section', { class: 'card' }, h('h2', {}, '事项信息'), facts(t)),
        h(
          'section',
          { class: 'card' },
          h('h2', {}, '办理'),
          forms.length ? h('div', { class: 'actions' }, forms) : h('p', { class: 'muted' }, '当前状态下您没有可办理的操作。'),
        ),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, '办理过程'),
        events || h('p', { class: 'muted' }, '办理过程（事件日志）仅对领导小组办公室和审计开放。'),
      ),
    );
  };
  await render();
}
