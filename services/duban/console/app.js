// The console's entry: sign-in from the link's fragment, the menu for the viewer's
// role, and a hash router over the screens.

import { gql, token, setToken, forget } from './api.js';
import { h, ROLE, errorBox } from './ui.js';
import { board } from './screens/board.js';
import { worklist } from './screens/worklist.js';
import { taskPage } from './screens/task.js';
import { dispatch } from './screens/dispatch.js';
import { ledger } from './screens/ledger.js';
import { audit } from './screens/audit.js';
import { importPlan } from './screens/import.js';

/** Screens, who sees them in the menu, and their routes. */
const SCREENS = [
  { path: 'board', title: '调度台', roles: ['OFFICE', 'AUDITOR'], render: board },
  { path: 'worklist', title: '待办', roles: ['OFFICE', 'DEPARTMENT'], render: worklist },
  { path: 'dispatch', title: '季度调度', roles: ['OFFICE', 'DEPARTMENT', 'AUDITOR'], render: dispatch },
  { path: 'ledger', title: '整改台账', roles: ['OFFICE', 'DEPARTMENT', 'AUDITOR'], render: ledger },
  { path: 'audit', title: '审计', roles: ['OFFICE', 'AUDITOR'], render: audit },
  { path: 'import', title: '导入', roles: ['OFFICE'], render: importPlan },
  { path: 'task', title: '事项', roles: ['OFFICE', 'DEPARTMENT', 'AUDITOR'], render: taskPage, hidden: true },
];

const main = document.getElementById('main');
let viewer = null;
let leave = null;

/** Moves a `#token=` fragment into session storage and out of the address bar. */
function takeTokenFromLink() {
  const m = /^#token=([^&]+)/.exec(location.hash);
  if (!m) return;
  setToken(decodeURIComponent(m[1]));
  history.replaceState(null, '', `${location.pathname}#/`);
}

function signInScreen(message) {
  document.getElementById('nav').replaceChildren();
  document.getElementById('who').textContent = '';
  document.getElementById('signout').hidden = true;
  main.replaceChildren(
    h(
      'section',
      { class: 'card signin' },
      h('h1', {}, '请登录'),
      message ? h('p', { class: 'error' }, message) : null,
      h('p', {}, '请打开管理员发给您的登录链接（形如 http://服务器/#token=…）。'),
      h('p', { class: 'muted' }, '登录信息只保存在本标签页中，关闭标签页或点“退出”即失效。'),
    ),
  );
}

function menu() {
  const nav = document.getElementById('nav');
  const here = (location.hash.slice(2) || '').split('/')[0];
  nav.replaceChildren(
    ...SCREENS.filter((s) => !s.hidden && s.roles.includes(viewer.role)).map((s) =>
      h('a', { href: `#/${s.path}`, class: s.path === here ? 'here' : '' }, s.title),
    ),
  );
}

function home() {
  return viewer.role === 'DEPARTMENT' ? 'worklist' : 'board';
}

async function route() {
  if (leave) {
    leave();
    leave = null;
  }
  if (!viewer) return;
  const [path, ...args] = (location.hash.slice(2) || home()).split('/');
  const screen = SCREENS.find((s) => s.path === path && s.roles.includes(viewer.role));
  if (!screen) {
    location.hash = `#/${home()}`;
    return;
  }
  menu();
  document.title = `${screen.title} · 督办控制台`;
  const view = h('div', { class: 'screen', 'data-screen': screen.path });
  main.replaceChildren(view);
  try {
    leave = (await screen.render(view, { viewer, args: args.map(decodeURIComponent) })) || null;
  } catch (e) {
    view.replaceChildren(errorBox(e, route));
  }
}

async function start() {
  takeTokenFromLink();
  document.getElementById('signout').addEventListener('click', () => {
    forget();
    viewer = null;
    // End the screen's live updates too.
    if (leave) leave();
    leave = null;
    signInScreen('您已退出。');
  });
  if (!token()) {
    signInScreen();
    return;
  }
  try {
    const data = await gql('{ me { name role department { id name } } }');
    viewer = data.me;
  } catch (e) {
    if (e.code === 'UNAUTHENTICATED') forget();
    signInScreen(e.message);
    return;
  }
  const who = viewer.department ? `${viewer.department.name} · ${viewer.name}` : `${ROLE[viewer.role]} · ${viewer.name}`;
  document.getElementById('who').textContent = who;
  document.getElementById('signout').hidden = false;
  document.body.dataset.role = viewer.role;
  window.addEventListener('hashchange', () => {
    // A sign-in link opened in a tab that is already signed in: take the new token.
    if (location.hash.startsWith('#token=')) {
      takeTokenFromLink();
      location.reload();
    } else {
      route();
    }
  });
  await route();
}

start();
