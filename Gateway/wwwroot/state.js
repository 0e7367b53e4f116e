// Everything the page knows that changes, in one object: app.js creates it once and hands it to
// every module, so no module keeps state of its own and any of them can be read in isolation.

// What survives a reload of the tab lives in sessionStorage under these keys.
export const TOKEN_KEY = 'orleanschat.token';
export const USER_KEY = 'orleanschat.user';     // only to show the name while a reload reconnects
export const GROUP_KEY = 'orleanschat.group';   // so a reload reopens the same group

export class ChatState {
  me = null;                 // our username, spelled as registered
  online = false;            // authenticated: other requests would get unauthorized before this
  /** @type {Map<string, import('./group.js').Group>} */
  groups = new Map();        // conversation key (targets.js) → Group
  selected = null;           // key of the conversation on screen
  // Publishes not yet confirmed, oldest first. Sent one at a time so they keep their order, and
  // kept across a reconnect: the retry reuses the clientMsgId, so the server stores it once.
  outbox = [];
  sending = false;           // the outbox is being drained: one publish in flight at a time
  lastTypingSent = 0;        // Date.now() when we last announced that we are typing
  // Whether the newest message is in view, so a log that shrinks (phone keyboard, rotation) keeps it there.
  atBottom = true;

  /** Log out: forgets the user's session; `online` follows the connection's status instead. */
  clearSession() {
    this.me = null;
    this.selected = null;
    this.groups.clear();
    this.outbox.length = 0;
  }
}
