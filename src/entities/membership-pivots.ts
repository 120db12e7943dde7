/**
 * Room membership tables. Every room type stores the same relation in the same pivot table
 * (`chat_room_participants` for 1:1 and group participants...), so "rooms of a user" is one query.
 */

/** The room membership relations and their pivot tables. */
export const MEMBERSHIP_PIVOTS = {
  participants: 'chat_room_participants',
  admins: 'chat_room_admins',
  subscribers: 'chat_room_subscribers',
  moderators: 'chat_room_moderators',
} as const;

/**
 * The rooms of the users given as one array parameter, as `user_id, room_id` rows: the rooms they
 * take part in or subscribe to. Both `?` are the same array of user ids.
 */
export const ROOMS_OF_USERS_SQL = `select user_id, room_id from ${MEMBERSHIP_PIVOTS.participants} where user_id = any(?) union select user_id, room_id from ${MEMBERSHIP_PIVOTS.subscribers} where user_id = any(?)`;

/** A room membership relation name. */
export type MembershipRelation = keyof typeof MEMBERSHIP_PIVOTS;

/** The `@ManyToMany` options that pin a membership relation to its shared pivot table. */
export function membershipPivot(relation: MembershipRelation) {
  return { pivotTable: MEMBERSHIP_PIVOTS[relation], joinColumn: 'room_id', inverseJoinColumn: 'user_id' } as const;
}
