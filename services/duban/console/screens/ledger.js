// 整改台账: the rectification items with the ledger's filters, and the same filters as
// CSV and XLSX downloads from /export/ledger.*.

import { gql, download } from '../api.js';
import { h, table, statusTag, errorBox, STATUS, SOURCE, flash } from '../ui.js';

const LEDGER = `query Ledger($filter: TaskFilter) {
  rectificationLedger(filter: $filter, first: 200) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id code title status due overdue progress lead { name }
      rectification { source finding unit severity standard measured } }
  }
}`;

const BY_PLAN = `query PlanLedger($id: ID!, $filter: TaskFilter) {
  plan(id: $id) { tasks(filter: $filter, first: 200) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id code title status due overdue progress lead { name }
      rectification { source finding unit severity standard measured } } } }
}`;

function select(name, label, options) {
  return h(
    'select',
    { name, 'aria-label': label },
    h('option', { value: '' }, `${label}：全部`),
    Object.entries(options).map(([v, l]) => h('option', { value: v }, l)),
  );
}

/** The 整改台账 screen. */
export async function ledger(view, { viewer }) {
  const { plans } = await gql('{ plans { id title } }');
  const plan = h('select', { name: 'planId', 'aria-label': '规划' }, h('option', { value: '' }, '规划：全部'), plans.map((p) => h('option', { value: p.id }, p.title)));
  const status = select('status', '状态', STATUS);
  const source = select('source', '来源', SOURCE);
  const overdue = select('overdue', '逾期', { true: '仅逾期', false: '未逾期' });
  const unit = h('input', { name: 'unit', placeholder: '学校/单位', 'aria-label': '学校或单位' });
  const out = h('div', { id: 'ledger' });
  const filter = () => {
    const f = {};
    if (status.value) f.status = [status.value];
    if (source.value) f.source = source.value;
    if (overdue.value) f.overdue = overdue.value === 'true';
    if (unit.value.trim()) f.unit = unit.value.trim();
    return f;
  };
  const params = () => {
    const q = new URLSearchParams();
    if (plan.value) q.set('planId', plan.value);
    const f = filter();
    if (f.status) q.set('status', f.status.join(','));
    if (f.source) q.set('source', f.source);
    if (f.overdue !== undefined) q.set('overdue', String(f.overdue));
    if (f.unit) q.set('unit', f.unit);
    return q;
  };
  const load = async () => {
    try {
      // TaskFilter has no plan: a plan's ledger is its rectification tasks.
      const l = plan.value
        ? (await gql(BY_PLAN, { id: plan.value, filter: { ...filter(), kind: ['RECTIFICATION'] } })).plan.tasks
        : (await gql(LEDGER, { filter: filter() })).rectificationLedger;
      const nodes = l.nodes;
      const rows = nodes.map((t) => {
        const r = t.rectification || {};
        return h(
          'tr',
          { class: t.overdue ? 'overdue' : '' },
          h('td', {}, h('a', { href: `#/task/${t.id}` }, t.code || '—')),
          h('td', {}, r.finding || t.title),
          h('td', {}, r.unit || '—'),
          h('td', {}, SOURCE[r.source] || '—'),
          h('td', { class: 'num' }, r.severity || '—'),
          h('td', {}, t.lead ? t.lead.name : '未交办'),
          h('td', {}, t.due || '—'),
          h('td', {}, statusTag(t.status), t.overdue ? h('span', { class: 'tag red' }, '逾期') : null),
          h('td', { class: 'num' }, `${t.progress}%`),
        );
      });
      out.replaceChildren(
        h('p', { class: 'muted' }, `共 ${l.totalCount} 项${l.pageInfo.hasNextPage ? '，显示前 200 项（导出含全部）' : ''}`),
        table(['编号', '问题', '学校/单位', '来源', '严重程度', '责任单位', '时限', '状态', '进度'], rows),
      );
    } catch (e) {
      out.replaceChildren(errorBox(e, load));
    }
  };
  const save = (ext) => async () => {
    try {
      await download(`/export/ledger.${ext}?${params()}`, `整改台账.${ext}`);
      flash('已开始下载。');
    } catch (e) {
      out.prepend(errorBox(e));
    }
  };
  view.append(
    h('h1', {}, '整改台账'),
    h(
      'form',
      { class: 'filters', onsubmit: (e) => (e.preventDefault(), load()) },
      viewer.role === 'DEPARTMENT' ? null : plan,
      status,
      source,
      overdue,
      unit,
      h('button', { type: 'submit' }, '查询'),
      h('button', { type: 'button', class: 'secondary', id: 'download-csv', onclick: save('csv') }, '导出 CSV'),
      h('button', { type: 'button', class: 'secondary', id: 'download-xlsx', onclick: save('xlsx') }, '导出 Excel'),
    ),
    out,
  );
  await load();
}
