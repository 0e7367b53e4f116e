// Who we are to the server: the token kept in sessionStorage authenticates every new socket (a
// reload or a reconnect), so the login form is needed only once per tab.

import { GROUP_KEY, TOKEN_KEY, USER_KEY } from './state.js';
import * as view from './view.js';

const { el, reportError } = view;
// The protocol revision with direct messages: its sockets also receive `direct` events.
const PROTOCOL = 2;

/**
 * @param {import('./state.js').ChatState} state
 * @param {import('./connection.js').Connection} connection
 * @param {{syncGroups: () => Promise<void>, openGroup: (group?: object) => Promise<void>,
 *          selectGroup: (name: string) => void, drainOutbox: () => Promise<void>}} deps
 *   syncGroups, openGroup and selectGroup from conversations.js, drainOutbox from outbox.js
 */
export function createSession(state, connection, { syncGroups, openGroup, selectGroup, drainOutbox }) {
  /** Every new socket: authenticate with the stored token (none while the login form is in use). */
  async function authenticate() {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) {
      return;
    }
    let reply;
    try {
      reply = await connection.request('auth', { token, protocol: PROTOCOL });
    } catch (e) {
      if (e.code === 'unauthorized') {
        logOut();
        view.showError('Your session has expired; please log in again.');
      } else if (e.code !== 'disconnected') {
        view.showError(e.message);
        connection.reconnect(); // e.g. unavailable: try again after the backoff
      }
      return;
    }
    await startSession(reply).catch(reportError);
  }

  /** After login or auth: live events flow now; fetch whatever we are missing. */
  async function startSession(reply) {
    state.me = reply.username;
    sessionStorage.setItem(USER_KEY, state.me);
    view.showView(state.me);
    connection.ready();
    try {
      await syncGroups();
      if (state.selected) {
        await openGroup(state.groups.get(state.selected));
      }
    } finally {
      drainOutbox();
    }
  }

  async function logInWith(action) {
    view.showError('');
    const credentials = { username: el.username.value.trim(), password: el.password.value };
    connection.open();
    let reply;
    try {
      if (action === 'register') {
        await connection.request('register', credentials);
      }
      reply = await connection.request('login', { ...credentials, protocol: PROTOCOL });
    } catch (e) {
      view.showError(e.message);
      connection.close(); // no anonymous socket left idling until the server's 30 s deadline
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, reply.token);
    el.password.value = '';
    await startSession(reply).catch(reportError);
  }

  function logOut() {
    connection.close();
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
    sessionStorage.removeItem(GROUP_KEY);
    state.clearSession();
    view.showView(null);
    view.renderGroups([], null, selectGroup);
    view.renderConversation(null);
    view.renderMessages([], () => false);
    view.renderPending([]);
    view.renderMembers([]);
    view.renderTyping([]);
  }

  /** The Log out button: ends the session on the server too, so its token stops working anywhere. */
  async function logOutEverywhere() {
    if (state.online) {
      // The server closes the socket after this ok; a failure still logs out here.
      await connection.request('logout').catch(() => {});
    }
    logOut();
  }

  /** Page load: a stored token means a reload, so reconnect with it; otherwise show the login form. */
  function resume() {
    if (sessionStorage.getItem(TOKEN_KEY)) {
      view.showView(sessionStorage.getItem(USER_KEY) ?? '…');
      connection.open();
    } else {
      view.showView(null);
      view.showStatus('offline');
    }
  }

  return { authenticate, logInWith, logOutEverywhere, resume };
}
