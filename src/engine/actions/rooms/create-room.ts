/**
 * `room.create`: a one-to-one chat (the pair's existing chat if there is one), a group or a
 * channel, with its members and `extra_fields` (the room property, custom fields).
 */
import type { RequiredEntityData } from '@mikro-orm/core';
import type { Room } from '../../../entities/room.js';
import { ValidationFailed } from '../../../errors/chat-error.js';
import { membersOf } from '../../../permissions/membership.js';
import type { Representation } from '../../../serializers/model-serializer.js';
import { PolymorphicRoomSerializer } from '../../../serializers/polymorphic.js';
import { model } from '../../../swappable/registry.js';
import type { ModelOf } from '../../../swappable/tokens.js';
import type { EngineContext } from '../../context.js';
import { toAsker, toRoom, type ActionResult } from '../../events.js';
import { objectInput, optionalIdList } from '../../input.js';
import { roomRef } from '../../log-refs.js';
import { showRoom } from '../show.js';
import { relation, usersById } from './members.js';

/** `room.create` (see the module's comment). */
export async function createRoom(ctx: EngineContext, data: unknown): Promise<ActionResult<Representation>> {
  const { user } = ctx;
  const input = objectInput(data);
  const type = PolymorphicRoomSerializer.resolveType(input.type);
  if (!type) throw ValidationFailed.fromFields({ type: ['Invalid resource type: expected one of OneToOneChat, GroupChat, Channel'] });
  const { property, ...custom } = objectInput(input.extra_fields, 'extra_fields');
  const propertyInput = property === undefined ? undefined : objectInput(property, 'property');
  const membersField = type === 'Channel' ? 'subscribers' : 'participants';
  const memberIdsInput = optionalIdList(input[membersField], membersField).filter(id => id !== user.id);
  const pairKey = type === 'OneToOneChat' && memberIdsInput.length === 1 ? [user.id, memberIdsInput[0]!].sort().join(':') : undefined;
  const existingChat = async (reader: EngineContext): Promise<ActionResult<Representation> | undefined> => {
    const existing = pairKey ? await reader.em.findOne(model('OneToOneChat'), { pairKey }) : null;
    if (!existing) return undefined;
    const shown = await showRoom(reader, existing);
    return { result: shown, events: [toAsker(user.id, 'roomcreate.dispatch', shown)], groups: [], created: false };
  };
  const created = ctx.transaction(async tx => {
    const { em } = tx;
    const members = await usersById(tx, memberIdsInput, membersField);
    if (type === 'OneToOneChat') {
      if (members.length > 1) throw ValidationFailed.fromFields({ participants: ['A one to one chat can only have 2 participants'] });
      if (members.length !== 1) throw ValidationFailed.fromFields({ participants: ['A one to one chat needs exactly one other participant'] });
      const existing = await existingChat(tx);
      if (existing) return existing;
    }
    const { type: _type, [membersField]: _members, extra_fields: _extra, ...fields } = input;
    const serializer = new PolymorphicRoomSerializer({ em, settings: tx.settings, user }).serializerFor(type);
    const values = await serializer.validate({ ...fields, ...custom });
    // The type's serializer validated `values` into entity data of that type, which its `Record` type cannot say.
    const data = { ...values, ...(type === 'OneToOneChat' ? {} : { creator: em.getReference(model('User'), user.id) }) } as RequiredEntityData<ModelOf<typeof type>>;
    const room: Room = em.create(model(type), data);
    room.property ??= em.create(model('RoomProperty'), {});
    if (propertyInput) em.assign(room.property, await tx.serializer('RoomPropertySerializer').validate(propertyInput, { partial: true }));
    const everyone = [...(await usersById(tx, [user.id], 'user')), ...members];
    relation(room, membersOf(room)).add(everyone);
    await em.flush();
    const shown = await showRoom(tx, room);
    const ids = everyone.map(u => u.id);
    return { result: shown, events: [toRoom(room.id, 'roomcreate.dispatch', shown, roomRef(room.id))], groups: [{ roomId: room.id, join: ids }], created: true };
  });
  // Get-or-create: two requests creating one pair's chat at once race on its unique pair key; the loser answers with the winner's chat.
  return created.catch(async error => (pairKey ? ((await existingChat(ctx.fresh())) ?? Promise.reject(error)) : Promise.reject(error)));
}
