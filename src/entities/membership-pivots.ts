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

/** A room membership relation name. */
export type MembershipRelation = keyof typeof MEMBERSHIP_PIVOTS;

/** The `@ManyToMany` options that pin a membership relation to its shared pivot table. */
export function membershipPivot(relation: MembershipRelation) {
  return { pivotTable: MEMBERSHIP_PIVOTS[relation], joinColumn: 'room_id', inverseJoinColumn: 'user_id' } as const;
}
