// 季度调度: year and quarter (and plan), the ranking, the circular as the API renders it,
// and the circular as Markdown or as a 公文 .docx from /export/circular.*.

import { gql, download } from '../api.js';
import { h, table, markdown, errorBox, today, flash } from '../ui.js';

const DISPATCH = `query Dispatch($planId: ID, $year: Int!, $quarter: Int!) {
  quarterlyDispatch(planId: $planId, year: $year, quarter: $quarter) {
    year quarter circular
    rows { rank onTimeRate department { name }
      counts { openAtStart assigned progressReports submitted closed closedLate wentOverdue overdueAtEnd } }
  }
}`;

function rate(r) {
  return r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`;
}

/** The 季度调度 screen. */
export async function dispatch(view) {
  const { plans } = await gql('{ plans { id title } }');
  const [y, m] = today().split('-').map(Number);
  const year = h('input', { type: 'number', name: 'year', min: 2000, max: 2100, value: y, 'aria-label': '年份' });
  const quarter = h(
    'select',
    { name: 'quarter', 'aria-label': '季度' },
    [1, 2, 3, 4].map((q) => h('option', { value: q }, `第${'一二三四'[q - 1]}季度`)),
  );
  quarter.value = String(Math.ceil(m / 3));
  const plan = h(
    'select',
    { name: 'planId', 'aria-label': '规划' },
    h('option', { value: '' }, '全部规划'),
    plans.map((p) => h('option', { value: p.id }, p.title)),
  );
  const out = h('div', { id: 'dispatch' });
  const params = () => ({ year: Number(year.value), quarter: Number(quarter.value), planId: plan.value || null });
  const query = () => {
    const p = params();
    const q = new URLSearchParams({ year: p.year, quarter: p.quarter });
    if (p.planId) q.set('planId', p.planId);
    return q;
  };
  const load = async () => {
    out.replaceChildren(h('p', { class: 'muted' }, '正在统计…'));
    try {
      const { quarterlyDispatch: d } = await gql(DISPATCH, params());
      const rows = d.rows.map((r) =>
        h(
          'tr',
          {},
          h('td', { class: 'num' }, r.rank),
          h('th', { scope: 'row' }, r.department.name),
          ['openAtStart', 'assigned', 'progressReports', 'submitted', 'closed', 'closedLate', 'wentOverdue', 'overdueAtEnd'].map(
            (k) => h('td', { class: 'num' }, r.counts[k]),
          ),
          h('td', { class: 'num' }, rate(r.onTimeRate)),
        ),
      );
      out.replaceChildren(
        h('h2', {}, '排名'),
        table(['排名', '单位', '期初未完成', '本季交办', '进展报告', '提交验收', '办结', '逾期办结', '新增逾期', '期末逾期', '按期完成率'], rows),
        h('h2', {}, '调度通报'),
        h('article', { class: 'card circular' }, markdown(d.circular)),
      );
    } catch (e) {
      out.replaceChildren(errorBox(e, load));
    }
  };
  const save = (ext) => async () => {
    try {
      const p = params();
      await download(`/export/circular.${ext}?${query()}`, `调度通报-${p.year}年第${p.quarter}季度.${ext}`);
      flash('已开始下载。');
    } catch (e) {
      out.prepend(errorBox(e));
    }
  };
  view.append(
    h('h1', {}, '季度调度'),
    h(
      'form',
      { class: 'filters', onsubmit: (e) => (e.preventDefault(), load()) },
      year,
      quarter,
      plan,
      h('button', { type: 'submit' }, '统计'),
      h('button', { type: 'button', class: 'secondary', id: 'download-md', onclick: save('md') }, '下载 Markdown'),
      h('button', { type: 'button', class: 'secondary', id: 'download-docx', onclick: save('docx') }, '下载公文（.docx）'),
    ),
    out,
  );
  await load();
}
