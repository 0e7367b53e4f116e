// What the page knows about one conversation (a group, or a direct conversation: see targets.js),
// apart from the DOM. Messages are keyed by seq so a message that arrives twice (live event, publish
// ok, catch-up page overlapping) is held once.

export class Group {
  /**
   * @param {string} name the conversation's key (targets.js)
   * @param {number} lastSeq the group's newest seq when we learned about it; anything up to
   *   it is old history (fetched on demand), anything after it must reach us live or by catch-up
   * @param {number} [lastRev] the conversation's change counter then (0 when not known: changes are then caught
   *   up from the oldest the server remembers, which is harmless)
   */
  constructor(name, lastSeq, lastRev = 0) {
    this.name = name;
    this.messages = new Map();   // seq → message event
    this.seenSeq = lastSeq;      // no gap up to here: the `after` for catching up
    this.unread = 0;
    this.loaded = false;         // the newest page was fetched (done when first opened)
    this.olderMore = true;       // older messages than the oldest held may exist
    this.loadingOlder = false;
    this.members = null;         // Map username → {userId, username, online}, once fetched
    this.typing = new Map();     // username → timer that hides the "is typing" notice
    this.blocked = false;        // a direct conversation whose other user we block
    this.request = false;        // a direct conversation the other user started and we have not written in
    this.rev = lastRev;          // changes (edits, deletions) applied up to here: the `after` for catching them up
    this.role = 'member';        // our role in a group: owner, admin or member
    this.visibility = 'public';  // a group's: public or private
    this.readSeq = 0;            // our read marker on the server: the newest seq marked read
    this.readSentAt = 0;         // Date.now() when we last sent a marker for this conversation
    this.readTimer = null;       // a marker waiting to be sent (markers go at most once a second)
  }

  /** Holds the message unless its seq is already held; returns whether it was new. */
  add(message) {
    if (this.messages.has(message.seq)) {
      return false;
    }
    this.messages.set(message.seq, message);
    // Advance only over a gap-free run: a live event that overtakes a catch-up page must not
    // make us skip the messages the page is still bringing.
    while (this.messages.has(this.seenSeq + 1)) {
      this.seenSeq++;
    }
    return true;
  }

  /** The smallest seq held, or undefined: the `before` for loading older messages. */
  oldestSeq() {
    let oldest;
    for (const seq of this.messages.keys()) {
      if (oldest === undefined || seq < oldest) {
        oldest = seq;
      }
    }
    return oldest;
  }

  /** Held messages in ascending seq. */
  sorted() {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq);
  }

  setMembers(list) {
    this.members = new Map(list.map((m) => [m.username, m]));
  }

  /** Applies a presence event to the member list, if we have fetched it. */
  applyPresence(user, status) {
    if (!this.members) {
      return;
    }
    if (status === 'left') {
      this.members.delete(user);
    } else if (status === 'joined') {
      // Joining takes an authenticated socket, so a new member is online.
      this.members.set(user, { role: 'member', ...this.members.get(user), username: user, online: true });
    } else if (this.members.has(user)) {
      this.members.get(user).online = status === 'online';
    }
  }

  /** Members sorted by username ignoring case, as the server sorts them. */
  sortedMembers() {
    return [...(this.members?.values() ?? [])]
      .sort((a, b) => a.username.localeCompare(b.username, undefined, { sensitivity: 'base' }));
  }
}
