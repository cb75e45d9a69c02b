// Runs the graphql-http server audit suite (GraphQL over HTTP spec) against a running duban.
//
//   DUBAN_URL=http://127.0.0.1:PORT/graphql DUBAN_TOKEN=<bearer token> node audit.mjs
//
// Prints one line per audit, then the MAY summary, then as its last line
// `N passed, M failed` counting the MUST and SHOULD audits. Exits 1 if any MUST or SHOULD
// audit fails (MAY failures are only printed), 2 on a usage error.
import { serverAudits } from 'graphql-http';

const url = process.env.DUBAN_URL;
const token = process.env.DUBAN_TOKEN;
if (!url || !token) {
  console.error('audit.mjs: set DUBAN_URL (e.g. http://127.0.0.1:8080/graphql) and DUBAN_TOKEN');
  process.exit(2);
}

const REQUEST_TIMEOUT_MS = 10_000;

/** fetch with `Authorization: Bearer <token>` added to every request, and a timeout. */
async function fetchFn(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, {
    ...init,
    headers,
    signal: init.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
}

function levelOf(name) {
  return name.split(' ', 1)[0]; // MUST | SHOULD | MAY
}

async function describeResponse(response) {
  if (!response) return '';
  let body = '';
  try {
    body = (await response.text()).replace(/\s+/g, ' ').slice(0, 200);
  } catch {
    // the body was already read by the audit
  }
  const type = response.headers.get('content-type') ?? '-';
  return ` [status ${response.status}, content-type ${type}${body ? `, body ${body}` : ''}]`;
}

const counts = {
  required: { passed: 0, failed: 0 },
  may: { passed: 0, failed: 0 },
};

// One at a time, so that the output is in the suite's order and the server sees no burst.
for (const audit of serverAudits({ url, fetchFn })) {
  const level = levelOf(audit.name);
  const title = audit.name.slice(level.length + 1);
  let ok;
  let detail = '';
  try {
    const result = await audit.fn();
    ok = result.status === 'ok';
    if (!ok) detail = ` — ${result.reason}${await describeResponse(result.response)}`;
  } catch (err) {
    // Not an assertion failure: the request itself failed (server down, timeout, ...).
    ok = false;
    detail = ` — fatal: ${err?.cause?.message ?? err?.message ?? err}`;
  }
  const bucket = level === 'MAY' ? counts.may : counts.required;
  if (ok) bucket.passed += 1;
  else bucket.failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${level.padEnd(6)} ${audit.id} ${title}${detail}`);
}

console.log(`MAY audits (not required): ${counts.may.passed} passed, ${counts.may.failed} not met`);
console.log(`${counts.required.passed} passed, ${counts.required.failed} failed`);
process.exit(counts.required.failed > 0 ? 1 : 0);
