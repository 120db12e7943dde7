/**
 * The rooms of users whose sockets open together (a reconnect storm), read in one statement for
 * all of them instead of one per socket.
 */
import type { MikroORM } from '@mikro-orm/core';
import { ROOMS_OF_USERS_SQL } from '../entities/membership-pivots.js';
import { preparedSql } from '../engine/prepared.js';
import { Batched } from '../orm/batched.js';

export class UserRooms {
  private readonly reads = new Batched<string, string[]>(userIds => this.read(userIds));

  constructor(private readonly orm: MikroORM) {}

  /** The ids of the rooms `userId` is a participant or subscriber of. */
  async of(userId: string): Promise<string[]> {
    return (await this.reads.get(userId)) ?? [];
  }

  private async read(userIds: string[]): Promise<Map<string, string[]>> {
    // The users go in as one array: one prepared plan for any number of them.
    const rows = await preparedSql<{ user_id: string; room_id: string }>(
      this.orm.em.fork(),
      ROOMS_OF_USERS_SQL,
      [userIds, userIds],
    );
    const out = new Map<string, string[]>(userIds.map(userId => [userId, []]));
    for (const row of rows) out.get(String(row.user_id))?.push(row.room_id);
    return out;
  }
}
