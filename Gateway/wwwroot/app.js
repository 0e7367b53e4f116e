// The chat page's entry point: creates the page's one state and its one connection, hands them
// to the modules that do the work, and wires the DOM's events to those modules. The socket and
// its reconnects live in connection.js; the DOM in view.js; everything that changes in state.js.

import { Connection } from './connection.js';
import { createConversations } from './conversations.js';
import { createEdits } from './edits.js';
import { createEventHandler } from './events.js';
import { createMessages } from './messages.js';
import { createModeration } from './moderation.js';
import { createOutbox } from './outbox.js';
import { createSession } from './session.js';
import { ChatState } from './state.js';
import { createTyping } from './typing.js';
import * as view from './view.js';

const { el, reportError } = view;

const state = new ChatState();
const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
// onOpen and onEvent only fire once a socket is open, by when session and handleEvent below exist.
const connection = new Connection(socketUrl, {
  onOpen: () => session.authenticate(),
  onEvent: (frame) => handleEvent(frame),
  onStatus: (status, seconds) => {
    state.online = status === 'online';
    view.showStatus(status, seconds);
  },
});

const typing = createTyping(state, connection);
const messages = createMessages(state, {
  stopTyping: typing.stopTyping,
  // The list is created below; a message only arrives after that.
  onUnread: () => conversations.renderGroupList(),
  onShown: () => conversations.markShownRead(),
});
const outbox = createOutbox(state, connection, { receive: messages.receive });
const edits = createEdits(state, connection, { isOwn: messages.isOwn });
const conversations = createConversations(state, connection, {
  receive: messages.receive,
  isOwn: messages.isOwn,
  renderOutbox: outbox.renderOutbox,
  // Created below; members are only shown after that.
  showMembers: (group) => moderation.showMembers(group),
  applyChange: edits.apply,
});
const moderation = createModeration(state, connection, {
  selectGroup: conversations.selectGroup,
  forgetGroup: conversations.forgetGroup,
  renderGroupList: conversations.renderGroupList,
});
const session = createSession(state, connection, {
  syncGroups: conversations.syncGroups,
  openGroup: conversations.openGroup,
  selectGroup: conversations.selectGroup,
  drainOutbox: outbox.drainOutbox,
});
const handleEvent = createEventHandler(state, {
  receive: messages.receive,
  startTyping: typing.startTyping,
  stopTyping: typing.stopTyping,
  renderGroupList: conversations.renderGroupList,
  moderation,
  edits,
});

// ---- wiring ----

el.loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  session.logInWith(event.submitter?.value === 'register' ? 'register' : 'login');
});
el.logout.addEventListener('click', session.logOutEverywhere);
el.joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = el.groupName.value.trim();
  if (!name) {
    return;
  }
  const entered = event.submitter?.value === 'create'
    ? moderation.createGroup(name, el.groupPrivate.checked)
    : conversations.joinGroup(name);
  entered.catch(reportError);
});
el.inviteForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const user = el.inviteUser.value.trim();
  if (user) {
    moderation.act('invite', user).catch(reportError);
  }
});
el.deleteGroup.addEventListener('click', () => moderation.deleteGroup().catch(reportError));
el.directForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const user = el.directUser.value.trim();
  if (user) {
    conversations.openDirect(user).catch(reportError);
  }
});
el.block.addEventListener('click', () => conversations.toggleBlock().catch(reportError));
el.leave.addEventListener('click', () => {
  if (state.selected) {
    conversations.leaveGroup().catch(reportError);
  }
});
el.sendForm.addEventListener('submit', (event) => {
  event.preventDefault();
  outbox.sendMessage();
});
el.message.addEventListener('keydown', (event) => {
  // Enter sends; Shift+Enter is a new line; Enter that ends an IME composition is not a send.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    outbox.sendMessage();
  }
});
el.message.addEventListener('input', typing.noteTyping);
// Keeps the newest message in view when the log shrinks (phone keyboard, rotation): see state.atBottom.
new ResizeObserver(() => state.atBottom && view.scrollToBottom()).observe(el.log);
el.log.addEventListener('scroll', () => {
  state.atBottom = view.isNearBottom();
  const group = state.groups.get(state.selected);
  if (group && el.log.scrollTop < 40) {
    conversations.loadOlder(group).catch(reportError);
  }
});

// Test hook: drop the socket as a network failure would, optionally staying away for a while,
// so browser tests can check the reconnect and catch-up without killing the server.
window.orleansChat = {
  dropConnection: (offlineMs) => connection.reconnect(offlineMs),
};

session.resume();
