import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eApp, type E2eApp } from '../e2e/harness.ts';

/**
 * The browser host in Debian's Chromium: the page works through the printed address, and a page
 * from another local origin — "same-site" to a browser, since cookies ignore ports — can neither
 * change data nor listen to events, even though the browser holds the session cookie.
 */
let app: E2eApp;
let evil: Server;
let evilOrigin: string;

const attackPage = (target: string, applicationId: number) => `<!doctype html><title>evil</title><script>
  const results = {};
  const body = JSON.stringify({ applicationId: ${applicationId}, note: 'written by another site' });
  const attempt = async (name, run) => { try { const response = await run(); results[name] = response.type === 'opaque' ? 'opaque' : response.status; } catch (error) { results[name] = 'blocked'; } };
  window.attack = (async () => {
    await attempt('cors', () => fetch('${target}/api/annotations.setNote', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body }));
    await attempt('simple', () => fetch('${target}/api/annotations.setNote', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body }));
    results.socket = await new Promise((resolve) => {
      const socket = new WebSocket('${target.replace('http', 'ws')}/events');
      socket.onopen = () => resolve('open');
      socket.onerror = () => resolve('refused');
    });
    return results;
  })();
  // A top-level form post carries even a SameSite=Strict cookie here (same site), so only the host's own checks stop it.
  window.submitForm = () => {
    const form = document.createElement('form');
    form.method = 'POST';
    form.enctype = 'text/plain';
    form.action = '${target}/api/annotations.setNote';
    const field = document.createElement('input');
    field.name = body.slice(0, -2) + '", "x": "';
    field.value = '"}';
    form.append(field);
    document.body.append(form);
    form.submit();
  };
</script>`;

beforeAll(async () => {
  app = await startE2eApp({ seed: { applications: 3, documents: 'none' } });
  evil = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(attackPage(`http://127.0.0.1:${app.host().host.port}`, app.seeded?.applicationIds[0] ?? 0));
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
  await new Promise((resolve) => evil.close(resolve));
});

describe('the browser host in Chromium', () => {
  it('serves the app at the printed address and answers its API calls', async () => {
    const { page } = app;
    await page.waitForLoadState('load');
    const cookies = await app.context.cookies();
    const session = cookies.find((cookie) => cookie.name === `dossier-${app.host().host.port}`);
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const info = await page.evaluate(async () => {
      const response = await fetch('/api/app.info', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return response.json();
    });
    expect(info).toMatchObject({ ok: true, result: { host: 'browser' } });
  });

  it('refuses another local origin even though the browser sends it the session cookie', async () => {
    const attackTab = await app.context.newPage();
    await attackTab.goto(evilOrigin);
    const results = await attackTab.evaluate<Record<string, unknown>>('window.attack');
    expect(results.cors).toBe('blocked');
    expect(['blocked', 'opaque']).toContain(results.simple);
    expect(results.socket).toBe('refused');
    await Promise.all([attackTab.waitForNavigation(), attackTab.evaluate('window.submitForm()')]);
    expect(await attackTab.textContent('body')).toContain('Requests from other sites are refused');
    const note = app.host().core.storage.db.prepare('SELECT note FROM reviews').pluck().all();
    expect(note).not.toContain('written by another site');
    await attackTab.close();
  });

  it('comes back after a restart with the data as left, under a new key', async () => {
    const applicationId = app.seeded?.applicationIds[1] as number;
    const oldToken = app.host().host.token;
    const setNote = `fetch('/api/annotations.setNote', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ applicationId: ${applicationId}, note: 'read on the plane' }) }).then((response) => response.json())`;
    expect(await app.page.evaluate(setNote)).toMatchObject({ ok: true, result: { note: 'read on the plane' } });
    await app.restart();
    expect(app.host().host.token).not.toBe(oldToken);
    const packet = await app.page.evaluate(`fetch('/api/applicants.packet', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"applicationId": ${applicationId}}' }).then((response) => response.json())`);
    expect(packet).toMatchObject({ ok: true, result: { note: 'read on the plane' } });
    const stale = await fetch(new URL('/api/app.info', app.url()), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${oldToken}` }, body: '{}' });
    expect(stale.status).toBe(401);
  });
});
