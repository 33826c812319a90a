import type { Session, WebContents } from 'electron';
import type { Logger } from '../core/base/log.ts';
import { decideNavigation, decidePermission, decideWindowOpen, isRendererRequestAllowed, type NavigationDecision, type OriginAllowList } from './security.ts';

/**
 * Wires the policy of `security.ts` into Electron. Nothing is decided here: every branch is a
 * call to a tested function.
 */

export interface GuardPolicy {
  /** The provider sites the user connected (their links open in the system browser). */
  readonly providerOrigins: () => OriginAllowList;
  readonly openExternal: (url: string) => Promise<void>;
  readonly log: Logger;
}

/** Permissions (#5) and what the page may load (#1): denied unless the policy says otherwise. */
export function hardenSession(session: Session, log: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = decidePermission(permission, details.requestingUrl);
    if (!granted) log.info('permission.denied', { permission });
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => decidePermission(permission, requestingOrigin));
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isRendererRequestAllowed(details.url);
    if (!allowed) log.warn('request.blocked', { url: details.url.slice(0, 200) });
    callback({ cancel: !allowed });
  });
}

function enforce(decision: NavigationDecision, event: { preventDefault(): void }, policy: GuardPolicy, url: string): void {
  if (decision.action === 'allow') return;
  event.preventDefault();
  if (decision.openExternal !== undefined) void policy.openExternal(decision.openExternal);
  else policy.log.warn('navigation.blocked', { url: url.slice(0, 200) });
}

/** Navigation (#13), new windows (#14) and `<webview>` (#11, #12) for every web contents the app creates. */
export function hardenWebContents(contents: WebContents, policy: GuardPolicy): void {
  // will-frame-navigate covers the main frame and every subframe (will-navigate would fire twice for the main one).
  contents.on('will-frame-navigate', (event) => enforce(decideNavigation(event.url, policy.providerOrigins()), event, policy, event.url));
  contents.on('will-redirect', (event) => {
    if (decideNavigation(event.url, policy.providerOrigins()).action !== 'allow') {
      event.preventDefault();
      policy.log.warn('redirect.blocked', { url: event.url.slice(0, 200) });
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    policy.log.warn('webview.blocked', {});
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url, policy.providerOrigins());
    if (decision.openExternal !== undefined) void policy.openExternal(decision.openExternal);
    else policy.log.warn('window_open.blocked', { url: url.slice(0, 200) });
    return { action: 'deny' };
  });
}
