// 导入: a plan document in, its preview (measures, departments, unread lines), then the
// import of exactly that preview (previewPlanImport, then importPlan with the file and
// the preview's digest). A server without the preview API takes plain text directly.

import { gql } from '../api.js';
import { h, table, errorBox, flash } from '../ui.js';

const PREVIEW = `query Preview($input: ImportPlanInput!) { previewPlanImport(input: $input) {
  format encoding title departments unrecognised digest
  measures { code title lead cooperating due ongoing line warnings } } }`;
const IMPORT = `mutation Import($input: ImportPlanInput!) { importPlan(input: $input) {
  plan { id title } measures { id code title due lead { name } } departmentsCreated { name } unrecognised } }`;

function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Plain text in UTF-8, or GB18030 when it does not read as UTF-8. */
function decode(buffer) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

function previewTable(p) {
  return h(
    'div',
    { id: 'preview' },
    h('p', {}, `格式：${p.format}${p.encoding ? `（${p.encoding}）` : ''} · 标题：${p.title || '（未识别）'} · 举措 ${p.measures.length} 项 · 单位 ${p.departments.length} 个`),
    table(
      ['行', '编号', '举措', '牵头单位', '配合单位', '时限', '提示'],
      p.measures.map((m) =>
        h(
          'tr',
          { class: m.warnings.length ? 'warn' : '' },
          h('td', { class: 'num' }, m.line),
          h('td', {}, m.code || '—'),
          h('td', {}, m.title),
          h('td', {}, m.lead || '—'),
          h('td', {}, m.cooperating.join('、') || '—'),
          h('td', {}, m.ongoing ? '长期' : m.due || '—'),
          h('td', {}, m.warnings.join('；')),
        ),
      ),
    ),
    p.unrecognised.length ? h('details', {}, h('summary', {}, `未能识别的行（${p.unrecognised.length}）`), h('ul', {}, p.unrecognised.map((l) => h('li', {}, l)))) : null,
  );
}

function result(r) {
  return h(
    'div',
    { id: 'import-result', class: 'card' },
    h('p', { class: 'ok' }, `已导入《${r.plan.title}》：举措 ${r.measures.length} 项，新建单位 ${r.departmentsCreated.length} 个。`),
    table(
      ['编号', '举措', '牵头单位', '时限'],
      r.measures.map((m) => h('tr', {}, h('td', {}, m.code || '—'), h('td', {}, h('a', { href: `#/task/${m.id}` }, m.title)), h('td', {}, m.lead ? m.lead.name : '—'), h('td', {}, m.due || '—'))),
    ),
  );
}

/** The 导入 screen. */
export async function importPlan(view) {
  const { __type: q } = await gql('{ __type(name: "Query") { fields { name } } }');
  const hasPreview = q.fields.some((f) => f.name === 'previewPlanImport');
  const file = h('input', { type: 'file', id: 'plan-file', accept: hasPreview ? '.txt,.docx,.xlsx,.xls,.csv,.pdf' : '.txt' });
  const title = h('input', { name: 'title', placeholder: '标题（可选，默认取文件中的标题）' });
  const out = h('div', { id: 'import-out' });
  const go = h('button', { type: 'button', id: 'preview-button' }, hasPreview ? '预览' : '导入');
  let read = null;
  go.addEventListener('click', async () => {
    const f = file.files[0];
    if (!f) {
      out.replaceChildren(h('p', { class: 'error' }, '请先选择规划文件。'));
      return;
    }
    go.disabled = true;
    try {
      const buffer = await f.arrayBuffer();
      const extra = title.value.trim() ? { title: title.value.trim() } : {};
      if (!hasPreview) {
        const { importPlan: r } = await gql(IMPORT, { input: { text: decode(buffer), ...extra } });
        out.replaceChildren(result(r));
        flash('导入成功。');
        return;
      }
      read = { file: { name: f.name, contentBase64: base64(buffer) }, ...extra };
      const { previewPlanImport: p } = await gql(PREVIEW, { input: read });
      const confirm = h('button', { type: 'button', id: 'confirm-import' }, `确认导入 ${p.measures.length} 项举措`);
      confirm.addEventListener('click', async () => {
        confirm.disabled = true;
        try {
          const { importPlan: r } = await gql(IMPORT, { input: { ...read, previewDigest: p.digest } });
          out.replaceChildren(result(r));
          flash('导入成功。');
        } catch (e) {
          out.prepend(errorBox(e));
          confirm.disabled = false;
        }
      });
      out.replaceChildren(previewTable(p), confirm);
    } catch (e) {
      out.replaceChildren(errorBox(e));
    } finally {
      go.disabled = false;
    }
  });
  view.append(
    h('h1', {}, '导入规划'),
    h(
      'section',
      { class: 'card' },
      h('p', { class: 'muted' }, hasPreview ? '支持 .txt（任意中文编码）、.docx、.xlsx、.xls、.csv 及带文字层的 .pdf。先预览，确认无误后再导入。' : '支持纯文本规划文件（.txt）。'),
      file,
      title,
      go,
    ),
    out,
  );
}
