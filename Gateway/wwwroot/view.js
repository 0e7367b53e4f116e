// DOM rendering. Everything from the server goes in through textContent, never innerHTML,
// so a message like <script>…</script> is shown as the text it is.

const $ = (id) => document.getElementById(id);

export const el = {
  status: $('status'),
  error: $('error'),
  me: $('me'),
  logout: $('logout'),
  loginView: $('login-view'),
  loginForm: $('login-form'),
  username: $('username'),
  password: $('password'),
  chatView: $('chat-view'),
  groupList: $('group-list'),
  groupCount: $('group-count'),
  joinForm: $('join-form'),
  groupName: $('group-name'),
  groupPrivate: $('group-private'),
  inviteForm: $('invite-form'),
  inviteUser: $('invite-user'),
  deleteGroup: $('delete-group'),
  title: $('group-title'),
  leave: $('leave'),
  block: $('block'),
  directForm: $('direct-form'),
  directUser: $('direct-user'),
  log: $('log'),
  pending: $('pending'),
  typing: $('typing'),
  sendForm: $('send-form'),
  message: $('message'),
  send: $('send'),
  memberList: $('member-list'),
  memberCount: $('member-count'),
};

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

const STATUS_TEXT = {
  connecting: () => 'connecting…',
  open: () => 'connected',
  online: () => 'online',
  reconnecting: (seconds) => `reconnecting in ${seconds}s`,
  offline: () => 'offline',
};

export function showStatus(state, seconds) {
  el.status.textContent = STATUS_TEXT[state](seconds);
  el.status.dataset.state = state;
}

export function showError(text) {
  el.error.textContent = text ?? '';
}

/** Shows why a request or handler failed; not a drop, which the status line already shows. */
export function reportError(e) {
  if (e?.code !== 'disconnected') {
    showError(e?.message ?? String(e));
  }
}

export function showView(loggedInAs) {
  el.loginView.hidden = !!loggedInAs;
  el.chatView.hidden = !loggedInAs;
  el.logout.hidden = !loggedInAs;
  el.me.textContent = loggedInAs ? `Signed in as ${loggedInAs}` : '';
}

/** Two digits each, in the browser's time zone. */
function clock(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** What a message offers its reader (edit and delete buttons), set once by app.js. */
let messageActions = { canEdit: () => false, canDelete: () => false, edit: () => {}, remove: () => {} };

export function setMessageActions(actions) {
  messageActions = actions;
}

function messageItem(message, own) {
  const item = make('article', own ? 'msg own' : 'msg');
  item.dataset.seq = message.seq;
  const meta = make('p', 'meta');
  meta.append(make('span', 'from', message.from), ' ');
  const date = new Date(message.ts);
  const time = make('time', '', clock(date));
  time.dateTime = message.ts;
  time.title = date.toLocaleString();
  meta.append(time);
  if (message.edited && !message.deleted) {
    meta.append(' ', make('span', 'edited', '(edited)'));
  }
  if (!message.deleted) {
    for (const [allowed, label, act] of [[messageActions.canEdit, 'Edit', messageActions.edit], [messageActions.canDelete, 'Delete', messageActions.remove]]) {
      if (allowed(message)) {
        const button = make('button', 'msg-action secondary', label);
        button.type = 'button';
        button.setAttribute('aria-label', `${label} message ${message.seq}`);
        button.addEventListener('click', () => act(message));
        meta.append(' ', button);
      }
    }
  }
  item.append(meta, message.deleted ? make('p', 'text deleted', 'message deleted') : make('p', 'text', message.text));
  return item;
}

/** Redraws a message shown in the log after it was edited or deleted. */
export function replaceMessage(message, own) {
  el.log.querySelector(`[data-seq="${message.seq}"]`)?.replaceWith(messageItem(message, own));
}

/** Replaces the log's content with these messages (already sorted by seq). */
export function renderMessages(messages, isOwn) {
  el.log.replaceChildren(...messages.map((m) => messageItem(m, isOwn(m))));
}

/** Inserts one message at its place by seq; scanning from the end as new ones usually go there. */
export function insertMessage(message, own) {
  const item = messageItem(message, own);
  let after = el.log.lastElementChild;
  while (after && Number(after.dataset.seq) > message.seq) {
    after = after.previousElementSibling;
  }
  if (after) {
    after.after(item);
  } else {
    el.log.prepend(item);
  }
}

export function isNearBottom() {
  return el.log.scrollHeight - el.log.scrollTop - el.log.clientHeight < 60;
}

export function scrollToBottom() {
  el.log.scrollTop = el.log.scrollHeight;
}

/** Messages this page sent that the server has not confirmed yet, for the selected group. */
export function renderPending(entries) {
  el.pending.replaceChildren(...entries.map((entry) => {
    const item = make('li', 'msg own pending');
    item.append(make('p', 'meta', entry.retrying ? 'server busy, retrying…' : 'sending…'), make('p', 'text', entry.text));
    return item;
  }));
}

/**
 * @param {Iterable<import('./group.js').Group>} groups
 * @param {string|null} selected
 * @param {(name: string) => void} onSelect
 */
export function renderGroups(groups, selected, onSelect) {
  const list = [...groups];
  const items = list.sort((a, b) => a.name.localeCompare(b.name)).map((group) => {
    const button = make('button', 'group');
    button.type = 'button';
    button.dataset.group = group.name;
    button.append(make('span', 'name', group.name));
    if (group.request) {
      button.append(' ', make('span', 'request', 'request'));
    }
    if (group.unread > 0) {
      // A separate span so the button's name reads "general 3" and tests can read the count.
      button.append(' ', make('span', 'unread', String(group.unread)));
    }
    if (group.name === selected) {
      button.setAttribute('aria-current', 'true');
    }
    button.addEventListener('click', () => onSelect(group.name));
    const item = make('li');
    item.append(button);
    return item;
  });
  // Rebuilding the buttons would drop keyboard focus; put it back on the same group.
  const focused = el.groupList.contains(document.activeElement) ? document.activeElement.dataset.group : undefined;
  el.groupList.replaceChildren(...items);
  if (focused !== undefined) {
    el.groupList.querySelector(`[data-group="${CSS.escape(focused)}"]`)?.focus();
  }
  el.groupCount.textContent = items.length ? `(${items.length})` : '';
  const totalUnread = list.reduce((sum, g) => sum + g.unread, 0);
  document.title = totalUnread ? `(${totalUnread}) OrleansChat` : 'OrleansChat';
}

/**
 * The header and controls of the conversation pane for the selected conversation (or none): a group can be
 * left, a direct conversation forgotten and its other user blocked or unblocked.
 */
export function renderConversation(name, { direct = false, blocked = false } = {}) {
  el.title.textContent = name ?? 'No group selected';
  el.leave.disabled = !name;
  el.leave.textContent = direct ? 'Forget' : 'Leave';
  el.block.hidden = !direct;
  if (!name || direct) {
    renderModeration(false, false);
  }
  el.block.textContent = blocked ? 'Unblock' : 'Block';
  el.message.disabled = !name;
  el.send.disabled = !name;
}

/**
 * @param {object[]} members
 * @param {(member: object) => {action: string, label: string}[]} [actionsFor] the buttons offered for a member
 * @param {(action: string, username: string) => void} [onAction]
 */
export function renderMembers(members, actionsFor = () => [], onAction = () => {}) {
  el.memberList.replaceChildren(...members.map((member) => {
    const item = make('li', 'member');
    item.dataset.user = member.username;
    const state = member.online ? 'online' : 'offline';
    const dot = make('span', `dot ${state}`);
    // role=img gives the dot an accessible name, so "online"/"offline" is announced and testable.
    dot.setAttribute('role', 'img');
    dot.setAttribute('aria-label', state);
    item.append(dot, make('span', 'name', member.username));
    if (member.role && member.role !== 'member') {
      item.append(' ', make('span', 'role', member.role));
    }
    for (const { action, label } of actionsFor(member)) {
      const button = make('button', 'member-action secondary', label);
      button.type = 'button';
      button.setAttribute('aria-label', `${label}: ${member.username}`);
      button.addEventListener('click', () => onAction(action, member.username));
      item.append(' ', button);
    }
    return item;
  }));
  el.memberCount.textContent = members.length ? `(${members.length})` : '';
}

/** What an owner or admin may do to the group on screen: invite (owners and admins), delete (the owner). */
export function renderModeration(canInvite, canDelete) {
  el.inviteForm.hidden = !canInvite;
  el.deleteGroup.hidden = !canDelete;
}

export function renderTyping(users) {
  let text = '';
  if (users.length === 1) {
    text = `${users[0]} is typing…`;
  } else if (users.length === 2) {
    text = `${users[0]} and ${users[1]} are typing…`;
  } else if (users.length > 2) {
    text = 'several people are typing…';
  }
  el.typing.textContent = text;
}
