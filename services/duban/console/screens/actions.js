// The forms of the task actions (交办, 报送进展, 提交验收, 验收, 延期, 催办, 提级督办, 撤销,
// 重新打开), which of them a role may use in a task's state, and their mutations. What
// a person types is kept in `drafts` until the action succeeds, so an error or a reload
// loses nothing.

import { gql } from '../api.js';
import { h, field, kept, drafts, errorBox, flash, today } from '../ui.js';

const RUNNING = ['ASSIGNED', 'IN_PROGRESS', 'PENDING_VERIFICATION'];
const OPEN = ['DEFINED', ...RUNNING];

const note = (label) => [{ name: 'note', label, tag: 'textarea', required: true }];

/** Every action: who may use it, in which states, its fields and its mutation. */
export const ACTIONS = {
  assign: {
    title: '交办',
    roles: ['OFFICE'],
    states: OPEN,
    mutation: 'assignTask',
    type: 'AssignTaskInput',
    fields: [
      { name: 'leadId', label: '牵头单位', tag: 'select', options: 'departments', required: true },
      { name: 'cooperatingIds', label: '配合单位（可多选）', tag: 'select', options: 'departments', multiple: true },
      { name: 'due', label: '完成时限', type: 'date', required: true },
    ],
    input: (v) => ({ leadId: v.leadId, cooperatingIds: v.cooperatingIds, due: v.due }),
  },
  progress: {
    title: '报送进展',
    roles: ['DEPARTMENT'],
    states: RUNNING,
    mutation: 'reportProgress',
    type: 'ReportProgressInput',
    fields: [
      { name: 'percent', label: '完成进度（%）', type: 'number', min: 0, max: 100, required: true },
      { name: 'note', label: '进展情况', tag: 'textarea', required: true },
    ],
    input: (v) => ({ percent: Number(v.percent), note: v.note }),
  },
  submit: {
    title: '提交验收',
    roles: ['DEPARTMENT'],
    states: ['ASSIGNED', 'IN_PROGRESS'],
    mutation: 'submitForVerification',
    type: 'SubmitTaskInput',
    fields: [
      { name: 'summary', label: '完成情况说明', tag: 'textarea', required: true },
      { name: 'evidence', label: '佐证材料（每行一项）', tag: 'textarea' },
    ],
    input: (v) => ({ summary: v.summary, evidence: lines(v.evidence) }),
  },
  verify: {
    title: '验收',
    roles: ['OFFICE'],
    states: ['PENDING_VERIFICATION'],
    mutation: 'verifyTask',
    type: 'VerifyTaskInput',
    fields: [
      {
        name: 'verdict',
        label: '验收结论',
        tag: 'select',
        options: [
          ['ACCEPTED', '通过，办结'],
          ['REJECTED', '不通过，退回整改'],
        ],
        required: true,
      },
      { name: 'remarks', label: '验收意见', tag: 'textarea' },
    ],
    input: (v) => ({ verdict: v.verdict, remarks: v.remarks || null }),
  },
  extend: {
    title: '延期',
    roles: ['OFFICE'],
    states: RUNNING,
    mutation: 'extendDeadline',
    type: 'ExtendDeadlineInput',
    fields: [
      { name: 'due', label: '新的完成时限', type: 'date', required: true },
      { name: 'reason', label: '延期理由', tag: 'textarea', required: true },
    ],
    input: (v) => ({ due: v.due, reason: v.reason }),
  },
  urge: { title: '催办', roles: ['OFFICE'], states: RUNNING, mutation: 'urgeTask', type: 'TaskNoteInput', fields: note('催办意见'), input: (v) => ({ note: v.note }) },
  escalate: { title: '提级督办', roles: ['OFFICE'], states: RUNNING, mutation: 'escalateTask', type: 'TaskNoteInput', fields: note('提级理由'), input: (v) => ({ note: v.note }) },
  cancel: { title: '撤销', roles: ['OFFICE'], states: OPEN, mutation: 'cancelTask', type: 'TaskNoteInput', fields: note('撤销理由'), input: (v) => ({ note: v.note }) },
  reopen: {
    title: '重新打开',
    roles: ['OFFICE'],
    states: ['CLOSED'],
    kinds: ['RECTIFICATION'],
    mutation: 'reopenRectification',
    type: 'TaskNoteInput',
    fields: note('重新打开的理由'),
    input: (v) => ({ note: v.note }),
  },
};

function lines(text) {
  return (text || '')
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The actions `viewer` may take on `task` as it stands (the API decides in the end). */
export function allowed(viewer, task) {
  return Object.entries(ACTIONS)
    .filter(([, a]) => a.roles.includes(viewer.role))
    .filter(([, a]) => a.states.includes(task.status))
    .filter(([, a]) => !a.kinds || a.kinds.includes(task.kind))
    .filter(
      ([name]) =>
        !['progress', 'submit'].includes(name) || !viewer.department || (task.lead && task.lead.id === viewer.department.id),
    )
    .map(([name]) => name);
}

function control(key, f, departments) {
  const id = `${key}:${f.name}`;
  if (f.tag === 'select') {
    const options = f.options === 'departments' ? departments.map((d) => [d.id, d.name]) : f.options;
    const el = h(
      'select',
      { name: f.name, id, multiple: f.multiple || false, required: f.required || false },
      f.multiple ? null : h('option', { value: '' }, '请选择'),
      options.map(([v, label]) => h('option', { value: v }, label)),
    );
    const saved = drafts.get(id);
    if (saved !== undefined) {
      for (const o of el.options) o.selected = [].concat(saved).includes(o.value);
    }
    el.addEventListener('change', () =>
      drafts.set(id, f.multiple ? [...el.selectedOptions].map((o) => o.value) : el.value),
    );
    return el;
  }
  const attrs = { id, required: f.required || false };
  if (f.tag !== 'textarea') Object.assign(attrs, { type: f.type || 'text', min: f.min, max: f.max });
  if (f.type === 'date') attrs.min = today();
  return kept(id, f.tag || 'input', attrs);
}

/**
 * The form of action `name` on `task`. `onDone(task)` runs after it succeeds;
 * `onReload()` after a version conflict when the person asks for the latest data.
 */
export function actionForm(name, task, { departments = [], onDone, onReload }) {
  const a = ACTIONS[name];
  const key = `${name}:${task.id}`;
  const errors = h('div', { class: 'errors' });
  const button = h('button', { type: 'submit' }, a.title);
  const form = h(
    'form',
    { class: `action action-${name}`, 'data-action': name },
    h('h3', {}, a.title),
    a.fields.map((f) => field(f.label, control(key, f, departments))),
    errors,
    button,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    const values = {};
    for (const f of a.fields) {
      const el = form.elements[f.name];
      values[f.name] = f.multiple ? [...el.selectedOptions].map((o) => o.value) : el.value;
    }
    const input = { taskId: task.id, expectedVersion: task.version, ...a.input(values) };
    button.disabled = true;
    try {
      const data = await gql(
        `mutation Act($input: ${a.type}!) { ${a.mutation}(input: $input) { id status progress version due } }`,
        { input },
      );
      for (const f of a.fields) drafts.delete(`${key}:${f.name}`);
      flash(`${a.title}成功。`);
      if (onDone) await onDone(data[a.mutation]);
    } catch (e) {
      errors.replaceChildren(errorBox(e, onReload));
      const bad = e.field && form.elements[e.field];
      if (bad && bad.focus) bad.focus();
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
