// The chat page: session (log in, auth with the stored token), groups, members, typing and
// messages. The socket and its reconnects live in connection.js; the DOM in view.js.

import { Connection } from './connection.js';
import { Group } from './group.js';
import * as view from './view.js';

const { el } = view;
const TOKEN_KEY = 'orleanschat.token';
const USER_KEY = 'orleanschat.user';     // only to show the name while a reload reconnects
const GROUP_KEY = 'orleanschat.group';   // so a reload reopens the same group
const TYPING_SHOWN_MS = 3000;
const TYPING_SENT_EVERY_MS = 2000;
const CATCH_UP_PAGE = 200;

const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
const connection = new Connection(socketUrl, {
  onOpen: authenticate,
  onEvent: handleEvent,
  onStatus: (state, seconds) => {
    online = state === 'online';
    view.showStatus(state, seconds);
  },
});

let me = null;               // our username, spelled as registered
let online = false;          // authenticated: other requests would get unauthorized before this
const groups = new Map();    // name → Group
let selected = null;         // name of the group on screen
// Publishes not yet confirmed, oldest first. Sent one at a time so they keep their order, and
// kept across a reconnect: the retry reuses the clientMsgId, so the server stores it once.
const outbox = [];
let sending = false;
let lastTypingSent = 0;

// ---- session ----

/** Every new socket: authenticate with the stored token (none while the login form is in use). */
async function authenticate() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    return;
  }
  let reply;
  try {
    reply = await connection.request('auth', { token });
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
  me = reply.username;
  sessionStorage.setItem(USER_KEY, me);
  view.showView(me);
  connection.ready();
  try {
    await syncGroups();
    if (selected) {
      await openGroup(groups.get(selected));
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
    reply = await connection.request('login', credentials);
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
  me = null;
  selected = null;
  groups.clear();
  outbox.length = 0;
  view.showView(null);
  view.renderGroups([], null, selectGroup);
  view.renderConversation(null);
  view.renderMessages([], () => false);
  view.renderPending([]);
  view.renderMembers([]);
  view.renderTyping([]);
}

// ---- groups ----

/** Brings the group list in line with the server and catches up every group that moved on. */
async function syncGroups() {
  const reply = await connection.request('groups');
  const current = new Set(reply.groups.map((g) => g.group));
  for (const name of groups.keys()) {
    if (!current.has(name)) {
      groups.delete(name); // left on another device
    }
  }
  for (const { group: name, lastSeq } of reply.groups) {
    const group = groups.get(name);
    if (!group) {
      groups.set(name, new Group(name, lastSeq));
    } else {
      group.members = null; // presence may have changed while we were away; refetched on open
      if (lastSeq > group.seenSeq) {
        await catchUp(group);
      }
    }
  }
  if (!selected || !groups.has(selected)) {
    const remembered = sessionStorage.getItem(GROUP_KEY);
    selected = groups.has(remembered) ? remembered : (groups.keys().next().value ?? null);
    showSelected();
  }
  renderGroupList();
}

/** Reads every message after the last one seen, page by page, as the protocol's catch-up suggests. */
async function catchUp(group) {
  for (;;) {
    const from = group.seenSeq;
    const reply = await connection.request('history', { group: group.name, after: from, limit: CATCH_UP_PAGE });
    receive(group, reply.messages, true);
    if (!reply.more || group.seenSeq === from) {
      return;
    }
  }
}

function selectGroup(name) {
  if (name === selected) {
    return;
  }
  selected = name;
  showSelected();
  renderGroupList();
  openGroup(groups.get(name)).catch(reportError);
}

/** Redraws the conversation pane for the selected group from what we hold. */
function showSelected() {
  const group = groups.get(selected);
  if (selected) {
    sessionStorage.setItem(GROUP_KEY, selected);
  }
  if (group) {
    group.unread = 0;
  }
  view.renderConversation(group ? selected : null);
  view.renderMessages(group ? group.sorted() : [], isOwn);
  view.renderMembers(group ? group.sortedMembers() : []);
  view.renderTyping(group ? [...group.typing.keys()] : []);
  renderOutbox();
  view.scrollToBottom();
}

/** Fetches what an opened group needs: its members, and its newest messages the first time. */
async function openGroup(group) {
  if (!group) {
    return;
  }
  const loads = [loadMembers(group)];
  if (!group.loaded) {
    loads.push(loadNewest(group));
  }
  await Promise.all(loads);
}

async function loadMembers(group) {
  const reply = await connection.request('members', { group: group.name });
  group.setMembers(reply.members);
  if (group.name === selected) {
    view.renderMembers(group.sortedMembers());
  }
}

async function loadNewest(group) {
  const reply = await connection.request('history', { group: group.name });
  group.loaded = true;
  group.olderMore = reply.more;
  receive(group, reply.messages, false);
  if (group.name === selected) {
    view.scrollToBottom();
    await fillLog(group);
  }
}

/** Loads the page before the oldest message shown (scrolled to the top). */
async function loadOlder(group) {
  const before = group.oldestSeq();
  if (!group.loaded || !group.olderMore || group.loadingOlder || before === undefined) {
    return;
  }
  group.loadingOlder = true;
  try {
    const reply = await connection.request('history', { group: group.name, before });
    group.olderMore = reply.more && reply.messages.length > 0;
    const { scrollHeight, scrollTop } = el.log;
    receive(group, reply.messages, false);
    if (group.name === selected) {
      el.log.scrollTop = scrollTop + (el.log.scrollHeight - scrollHeight); // keep the view still
    }
  } finally {
    group.loadingOlder = false;
  }
  await fillLog(group);
}

/** A log too short to scroll never fires a scroll event, so keep loading until it can. */
async function fillLog(group) {
  if (group.name === selected && el.log.scrollHeight <= el.log.clientHeight && group.olderMore) {
    await loadOlder(group);
  }
}

async function joinGroup(name) {
  view.showError('');
  const reply = await connection.request('join', { group: name });
  let group = groups.get(reply.group);
  if (!group) {
    group = new Group(reply.group, reply.lastSeq);
    groups.set(reply.group, group);
  }
  group.setMembers(reply.members);
  el.groupName.value = '';
  selectGroup(reply.group);
  renderGroupList();
}

async function leaveGroup() {
  view.showError('');
  const name = selected;
  await connection.request('leave', { group: name });
  groups.delete(name);
  selected = null;
  sessionStorage.removeItem(GROUP_KEY);
  const next = groups.keys().next().value;
  if (next) {
    selectGroup(next);
  } else {
    showSelected();
  }
  renderGroupList();
}

function renderGroupList() {
  view.renderGroups(groups.values(), selected, selectGroup);
}

// ---- messages ----

const isOwn = (message) => message.from.toLowerCase() === me?.toLowerCase();

/**
 * Holds and shows messages (live, catch-up, history, or our own publish confirmed). Anything
 * already held is ignored, so overlaps between these sources never show a message twice.
 * @param {boolean} isNew counts toward the unread badge (false for history pages we asked for)
 */
function receive(group, messages, isNew) {
  const onScreen = group.name === selected;
  const stickToBottom = onScreen && view.isNearBottom();
  let unread = 0;
  for (const message of messages) {
    if (!group.add(message)) {
      continue;
    }
    if (onScreen) {
      view.insertMessage(message, isOwn(message));
      stopTyping(group, message.from);
    } else if (isNew && !isOwn(message)) {
      unread++;
    }
  }
  if (stickToBottom) {
    view.scrollToBottom();
  }
  if (unread) {
    group.unread += unread;
    renderGroupList();
  }
}

function randomId() {
  // crypto.randomUUID needs a secure context; getRandomValues works on plain http too.
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

function sendMessage() {
  const text = el.message.value;
  if (!selected || !text.trim()) {
    return;
  }
  view.showError('');
  outbox.push({ group: selected, text, clientMsgId: randomId() });
  el.message.value = '';
  lastTypingSent = 0; // receivers hide our notice when the message arrives; announce the next one
  renderOutbox();
  view.scrollToBottom();
  drainOutbox();
}

/** Publishes the outbox in order; stops at a disconnect and resumes after the next session start. */
async function drainOutbox() {
  if (sending || !online) {
    return;
  }
  sending = true;
  try {
    while (outbox.length > 0) {
      const entry = outbox[0];
      try {
        const reply = await connection.request('publish', entry);
        const group = groups.get(entry.group);
        if (group) {
          // Shown now rather than on the message event, which may come before or after the ok.
          receive(group, [{ type: 'message', group: entry.group, seq: reply.seq, from: me, text: entry.text, ts: reply.ts, clientMsgId: entry.clientMsgId }], false);
        }
      } catch (e) {
        if (e.code === 'disconnected') {
          return;
        }
        view.showError(e.message);
        if (entry.group === selected && !el.message.value) {
          el.message.value = entry.text; // e.g. too long: give the text back to fix, not lose it
        }
      }
      outbox.shift();
      renderOutbox();
    }
  } finally {
    sending = false;
  }
}

function renderOutbox() {
  view.renderPending(outbox.filter((entry) => entry.group === selected));
}

// ---- typing ----

function noteTyping() {
  const now = Date.now();
  if (online && selected && el.message.value && now - lastTypingSent >= TYPING_SENT_EVERY_MS) {
    lastTypingSent = now;
    connection.notify('typing', { group: selected });
  }
}

function startTyping(group, user) {
  clearTimeout(group.typing.get(user));
  group.typing.set(user, setTimeout(() => stopTyping(group, user), TYPING_SHOWN_MS));
  if (group.name === selected) {
    view.renderTyping([...group.typing.keys()]);
  }
}

function stopTyping(group, user) {
  if (!group.typing.has(user)) {
    return;
  }
  clearTimeout(group.typing.get(user));
  group.typing.delete(user);
  if (group.name === selected) {
    view.renderTyping([...group.typing.keys()]);
  }
}

// ---- server events ----

function handleEvent(frame) {
  if (frame.type === 'error') {
    view.showError(frame.message); // a request sent without an id failed (e.g. typing)
    return;
  }
  if (!me || typeof frame.group !== 'string') {
    return;
  }
  let group = groups.get(frame.group);
  if (!group) {
    if (frame.type !== 'message') {
      return;
    }
    // A group joined on another device, or an event that beat the `groups` reply.
    group = new Group(frame.group, frame.seq - 1);
    groups.set(frame.group, group);
    renderGroupList();
  }
  if (frame.type === 'message') {
    receive(group, [frame], true);
  } else if (frame.type === 'presence') {
    group.applyPresence(frame.user, frame.status);
    if (frame.status === 'left' || frame.status === 'offline') {
      stopTyping(group, frame.user);
    }
    if (group.name === selected) {
      view.renderMembers(group.sortedMembers());
    }
  } else if (frame.type === 'typing') {
    startTyping(group, frame.user);
  }
}

function reportError(e) {
  if (e?.code !== 'disconnected') {
    view.showError(e?.message ?? String(e));
  }
}

// ---- wiring ----

el.loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  logInWith(event.submitter?.value === 'register' ? 'register' : 'login');
});
el.logout.addEventListener('click', logOut);
el.joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = el.groupName.value.trim();
  if (name) {
    joinGroup(name).catch(reportError);
  }
});
el.leave.addEventListener('click', () => {
  if (selected) {
    leaveGroup().catch(reportError);
  }
});
el.sendForm.addEventListener('submit', (event) => {
  event.preventDefault();
  sendMessage();
});
el.message.addEventListener('keydown', (event) => {
  // Enter sends; Shift+Enter is a new line; Enter that ends an IME composition is not a send.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    sendMessage();
  }
});
el.message.addEventListener('input', noteTyping);
// Whether the newest message is in view, so a log that shrinks (phone keyboard, rotation) keeps it there.
let atBottom = true;
new ResizeObserver(() => atBottom && view.scrollToBottom()).observe(el.log);
el.log.addEventListener('scroll', () => {
  atBottom = view.isNearBottom();
  const group = groups.get(selected);
  if (group && el.log.scrollTop < 40) {
    loadOlder(group).catch(reportError);
  }
});

// Test hook: drop the socket as a network failure would, optionally staying away for a while,
// so browser tests can check the reconnect and catch-up without killing the server.
window.orleansChat = {
  dropConnection: (offlineMs) => connection.reconnect(offlineMs),
};

if (sessionStorage.getItem(TOKEN_KEY)) {
  view.showView(sessionStorage.getItem(USER_KEY) ?? '…');
  connection.open();
} else {
  view.showView(null);
  view.showStatus('offline');
}
