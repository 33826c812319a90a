import { describe, expect, it } from 'vitest';
import { join, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  allowedExternalLink,
  appHeaders,
  contentSecurityPolicy,
  createOriginAllowList,
  cspDirectives,
  decideNavigation,
  decidePermission,
  decideWindowOpen,
  documentSecurityHeaders,
  isAppUrl,
  isRendererRequestAllowed,
  isTrustedSender,
  secureWebPreferences,
  validateIpcCall,
} from '../../electron/main/security.ts';
import { decideCoreOpen, openWithDesktop, safeExternalUrl } from '../../electron/host/open.ts';

/** Every security decision of the desktop shell (Electron's checklist), as the plain functions the shell calls. */

const provider = 'https://provider.example.com';
const providers = createOriginAllowList([`${provider}/api/v1`, 'http://127.0.0.1:4100/oauth/authorize']);

const lookAlikes = [
  'https://provider.example.com.attacker.test/jobs/1',
  'https://provider.example.com@attacker.test/jobs/1',
  'https://attacker.test/?next=https://provider.example.com',
  'https://attacker.test/provider.example.com',
  'https://provider-example.com/',
  'https://provider.example.co/',
  'https://evilprovider.example.com/',
  'https://prоvider.example.com/', // Cyrillic "о": parses to an xn-- host
  'http://provider.example.com/', // scheme differs
  'https://provider.example.com:8443/', // port differs
  'https://provider.example.com./', // trailing dot is another host name
  'https://user:pass@provider.example.com/', // credentials are never allowed
  'http://127.0.0.1:4101/oauth/authorize',
  'http://localhost:4100/oauth/authorize',
  'javascript:alert(1)//https://provider.example.com',
  'file:///etc/passwd',
  'not a url',
  '',
];

describe('origin allow-lists compare parsed origins, not strings', () => {
  it('allows any path on a listed origin, whatever the case of the host', () => {
    expect(providers.allows('https://provider.example.com/jobs/12?tab=letters#top')).toBe(true);
    expect(providers.allows('HTTPS://PROVIDER.EXAMPLE.COM/jobs')).toBe(true);
    expect(providers.allows('https://provider.example.com:443/jobs')).toBe(true);
    expect(providers.allows('http://127.0.0.1:4100/other')).toBe(true);
  });

  it.each(lookAlikes)('refuses the look-alike %s', (url) => {
    expect(providers.allows(url)).toBe(false);
  });

  it('refuses non-strings and absurdly long input', () => {
    expect(providers.allows(undefined)).toBe(false);
    expect(providers.allows({ href: provider })).toBe(false);
    expect(providers.allows(`${provider}/${'a'.repeat(9000)}`)).toBe(false);
  });

  it('ignores entries that are not http(s) origins', () => {
    const list = createOriginAllowList(['javascript:alert(1)', 'file:///tmp', 'nonsense', provider]);
    expect([...list.origins]).toEqual([provider]);
  });
});

describe('the app origin', () => {
  it.each([
    ['app://dossier/index.html', true],
    ['app://dossier/', true],
    // Chromium lowercases hosts of standard schemes before we see them; anything else is refused.
    ['app://DOSSIER/assets/a.js', false],
    ['app://dossier.attacker.test/index.html', false],
    ['app://dossier@attacker.test/index.html', false],
    ['app://user@dossier/index.html', false],
    ['app://dossier:8080/index.html', false],
    ['app://other/index.html', false],
    ['file:///opt/Dossier/resources/app.asar/dist/renderer/index.html', false],
    ['http://dossier/index.html', false],
    ['about:blank', false],
    ['devtools://devtools/bundled/inspector.html', false],
  ])('%s is app origin: %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });
});

describe('IPC sender check (#17)', () => {
  it('trusts only frames of app://dossier', () => {
    expect(isTrustedSender({ url: 'app://dossier/index.html' })).toBe(true);
    expect(isTrustedSender({ url: 'app://dossier/index.html#/packet/3' })).toBe(true);
  });

  it.each([null, undefined, { url: '' }, { url: 'about:blank' }, { url: 'https://provider.example.com/' }, { url: 'app://dossier.attacker.test/' }, { url: 'file:///index.html' }, { url: 'data:text/html,<script>1</script>' }])(
    'refuses %j',
    (frame) => {
      expect(isTrustedSender(frame)).toBe(false);
    },
  );
});

describe('navigation guard (#13) and window-open handler (#14)', () => {
  it('lets the page move only within the app', () => {
    expect(decideNavigation('app://dossier/index.html', providers)).toEqual({ action: 'allow' });
  });

  it('sends a provider link to the system browser instead of navigating', () => {
    expect(decideNavigation('https://provider.example.com/jobs/4', providers)).toEqual({ action: 'deny', openExternal: 'https://provider.example.com/jobs/4' });
  });

  it.each(lookAlikes)('denies navigation to %s without opening anything', (url) => {
    expect(decideNavigation(url, providers)).toEqual({ action: 'deny' });
  });

  it('never opens an Electron window, and opens only provider links outside', () => {
    expect(decideWindowOpen('https://provider.example.com/jobs/4', providers)).toEqual({ action: 'deny', openExternal: 'https://provider.example.com/jobs/4' });
    expect(decideWindowOpen('app://dossier/index.html', providers)).toEqual({ action: 'deny' });
    for (const url of lookAlikes) expect(decideWindowOpen(url, providers)).toEqual({ action: 'deny' });
  });
});

describe('shell.openExternal policy (#15)', () => {
  it('accepts http(s) only and returns the re-serialised URL, never the raw string', () => {
    expect(safeExternalUrl('https://provider.example.com/a b?x=1')).toBe('https://provider.example.com/a%20b?x=1');
    expect(safeExternalUrl('HTTP://Example.COM')).toBe('http://example.com/');
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'smb://attacker.test/share', 'ms-msdt:/id PCWDiagnostic', 'data:text/html,x', 'vbscript:x', 'https://user:pw@example.com/', 'mailto:a@example.com', ' ', '//example.com'])(
    'refuses %s',
    (url) => {
      expect(safeExternalUrl(url)).toBeUndefined();
    },
  );

  it('opens a link from the page only on a provider origin', () => {
    expect(allowedExternalLink('https://provider.example.com/x', providers)).toBe('https://provider.example.com/x');
    expect(allowedExternalLink('https://attacker.test/x', providers)).toBeUndefined();
  });

  it('lets the core open its authorize URL or a document copy under the profile temp folder, nothing else', () => {
    const temp = join(sep, 'profile', 'tmp');
    const inTemp = (name: string) => pathToFileURL(join(temp, 'open', '7', name)).href;
    expect(decideCoreOpen('http://127.0.0.1:4100/authorize?client_id=a&state=b', temp)).toEqual({ kind: 'web', url: 'http://127.0.0.1:4100/authorize?client_id=a&state=b' });
    expect(decideCoreOpen(inTemp('Jane Doe CV.pdf'), temp)).toEqual({ kind: 'file', path: join(temp, 'open', '7', 'Jane Doe CV.pdf') });
    expect(decideCoreOpen(inTemp('letter.DOCX'), temp).kind).toBe('file');
    for (const runnable of ['cv.exe', 'cv.desktop', 'cv.sh', 'cv.command', 'cv.app', 'cv.bat', 'cv.lnk', 'cv.jar', 'cv.html', 'cv']) {
      expect(decideCoreOpen(inTemp(runnable), temp)).toEqual({ kind: 'refused' });
    }
    expect(decideCoreOpen(pathToFileURL(join(sep, 'etc', 'report.pdf')).href, temp)).toEqual({ kind: 'refused' });
    expect(decideCoreOpen(`${pathToFileURL(temp).href}/../../etc/report.pdf`, temp)).toEqual({ kind: 'refused' });
    expect(decideCoreOpen('file://attacker.test/share/cv.pdf', temp)).toEqual({ kind: 'refused' });
    expect(decideCoreOpen('javascript:alert(1)', temp)).toEqual({ kind: 'refused' });
  });

  it('holds the browser host and the command line to the same rule before anything is spawned', async () => {
    const temp = join(sep, 'profile', 'tmp');
    for (const refused of [pathToFileURL(join(temp, 'open', '7', 'Lebenslauf.exe')).href, pathToFileURL(join(temp, 'open', '7', 'cv.sh')).href, pathToFileURL(join(sep, 'etc', 'cv.pdf')).href, 'smb://attacker.test/cv.pdf']) {
      await expect(openWithDesktop(refused, temp), refused).rejects.toMatchObject({ code: 'input.invalid' });
    }
  });
});

describe('permission handlers (#5)', () => {
  it('denies by default, to every origin', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'midi', 'pointerLock', 'openExternal', 'display-capture', 'hid', 'serial', 'usb', 'clipboard-read', 'unknown']) {
      expect(decidePermission(permission, 'app://dossier/index.html')).toBe(false);
    }
  });

  it('grants the app itself only clipboard writes and full screen', () => {
    expect(decidePermission('clipboard-sanitized-write', 'app://dossier/index.html')).toBe(true);
    expect(decidePermission('fullscreen', 'app://dossier')).toBe(true);
    expect(decidePermission('clipboard-sanitized-write', 'https://provider.example.com/')).toBe(false);
    expect(decidePermission('fullscreen', undefined)).toBe(false);
  });
});

describe('what the page may load (#1)', () => {
  it.each([
    ['app://dossier/assets/index.js', true],
    ['data:image/png;base64,AAAA', true],
    ['blob:app://dossier/6b1c0c3e-1', true],
    ['blob:https://attacker.test/6b1c', false],
    ['https://provider.example.com/api', false],
    ['http://127.0.0.1:4100/', false],
    ['ws://127.0.0.1:4100/', false],
    ['file:///etc/passwd', false],
    ['app://other/x.js', false],
  ])('%s: %s', (url, expected) => {
    expect(isRendererRequestAllowed(url)).toBe(expected);
  });
});

describe('Content-Security-Policy (#7)', () => {
  const parsed = Object.fromEntries(contentSecurityPolicy.split('; ').map((directive) => {
    const [name, ...sources] = directive.split(' ');
    return [name, sources];
  }));

  it('is the directive table, serialised', () => {
    expect(parsed).toEqual(cspDirectives);
  });

  it('allows script only from the app itself, never inline or eval', () => {
    expect(parsed['script-src']).toEqual(["'self'"]);
    expect(contentSecurityPolicy).not.toMatch(/unsafe-eval|wasm-unsafe-eval|strict-dynamic/);
    expect(parsed['default-src']).toEqual(["'none'"]);
  });

  it('names no remote host, wildcard or scheme that reaches the network', () => {
    for (const sources of Object.values(cspDirectives)) {
      for (const source of sources) expect(source).not.toMatch(/^(\*|https?:|wss?:|\*\.)|\.\w+$/);
    }
  });

  it('forbids plugins, base rewriting, form posts and framing', () => {
    expect(parsed['object-src']).toEqual(["'none'"]);
    expect(parsed['base-uri']).toEqual(["'none'"]);
    expect(parsed['form-action']).toEqual(["'none'"]);
    expect(parsed['frame-ancestors']).toEqual(["'none'"]);
  });

  it('is sent with every app page, and documents are sandboxed without script', () => {
    expect(appHeaders('text/html; charset=utf-8')).toMatchObject({ 'Content-Security-Policy': contentSecurityPolicy, 'X-Content-Type-Options': 'nosniff' });
    const documentCsp = documentSecurityHeaders['Content-Security-Policy'] ?? '';
    expect(documentCsp.split(';')[0]).toBe('sandbox');
    expect(documentCsp).not.toMatch(/allow-scripts|allow-same-origin|script-src/);
    expect(documentSecurityHeaders['X-Content-Type-Options']).toBe('nosniff');
  });
});

describe('window webPreferences (#2, #3, #4, #6, #8, #9, #10, #11)', () => {
  it('isolates and sandboxes the page, with no Node and web security on', () => {
    const preferences = secureWebPreferences('/app/preload.cjs', { devTools: false });
    expect(preferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    });
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
    expect(preferences).not.toHaveProperty('additionalArguments');
  });
});

describe('IPC input validation against the contract', () => {
  it('passes a valid request on, parsed: defaults applied and unknown keys dropped', () => {
    const checked = validateIpcCall('search.query', { query: '  labour economics ', extra: 'dropped' });
    expect(checked).toEqual({ ok: true, name: 'search.query', input: { query: 'labour economics', limit: 50 } });
  });

  it('treats a missing input as an empty object for requests without fields', () => {
    expect(validateIpcCall('accounts.list', undefined)).toEqual({ ok: true, name: 'accounts.list', input: {} });
  });

  it.each([
    ['an unknown name', 'accounts.drop', {}],
    ['a prototype key as name', '__proto__', {}],
    ['an inherited name', 'toString', {}],
    ['a number as name', 42, {}],
    ['an object as name', { name: 'accounts.list' }, {}],
  ])('refuses %s', (_label, name, input) => {
    const checked = validateIpcCall(name, input);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.error.code).toBe('input.invalid');
      expect(checked.error.message).toMatch(/does not know the request/);
    }
  });

  it.each([
    ['a string where a number is due', 'annotations.setRating', { applicationId: 3, rating: 'five' }, 'rating'],
    ['a negative id', 'accounts.remove', { id: -1 }, 'id'],
    ['a fractional id', 'applicants.packet', { applicationId: 1.5 }, 'applicationId'],
    ['an id as a string', 'applicants.packet', { applicationId: '1' }, 'applicationId'],
    ['a missing field', 'annotations.setNote', { applicationId: 3 }, 'note'],
    ['an empty search', 'search.query', { query: '   ' }, 'query'],
    ['an oversized search', 'search.query', { query: 'x'.repeat(501) }, 'query'],
    ['an unknown provider', 'accounts.add', { provider: 'linkedin', name: 'x' }, 'provider'],
    ['a javascript: base URL', 'accounts.add', { provider: 'oauth2', name: 'x', baseUrl: 'javascript:alert(1)' }, 'baseUrl'],
    ['a bad review status', 'annotations.setStatus', { applicationIds: [1], status: 'hired!' }, 'status'],
    ['too many ids', 'annotations.addTag', { applicationIds: Array.from({ length: 20001 }, (_, index) => index + 1), tag: 'x' }, 'applicationIds'],
    ['an array instead of an object', 'sync.start', [1, 2], 'input'],
    ['a string instead of an object', 'sync.status', 'all', 'input'],
    ['an interview that ends before it starts', 'interviews.save', { applicationId: null, title: 'x', startsAt: '2026-12-01T10:00:00Z', endsAt: '2026-12-01T09:00:00Z', timeZone: 'UTC' }, 'endsAt'],
  ])('refuses %s with a message naming the field', (_label, name, input, field) => {
    const checked = validateIpcCall(name, input);
    expect(checked.ok).toBe(false);
    if (!checked.ok) {
      expect(checked.error.code).toBe('input.invalid');
      expect(checked.error.message).toContain(`${name}: ${field}`);
    }
  });

  it('does not let a __proto__ key pollute anything', () => {
    const hostile: unknown = JSON.parse('{"id": 4, "__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}');
    const checked = validateIpcCall('accounts.remove', hostile);
    expect(checked).toEqual({ ok: true, name: 'accounts.remove', input: { id: 4 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
