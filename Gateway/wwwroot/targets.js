// How the page names a conversation: a group by its name, and the direct conversation with another user
// by '@' and that user's registered name ('@' is in no group name, so the two never meet). Every module
// keys conversations this way; only requests need to tell the two apart.

export const directKey = (user) => `@${user}`;

/** The other user of a direct conversation's key, or null for a group. */
export const directUser = (key) => (key.startsWith('@') ? key.slice(1) : null);

/** The request fields that name the conversation: {group} or {with}. */
export function targetOf(key) {
  const user = directUser(key);
  return user === null ? { group: key } : { with: user };
}
