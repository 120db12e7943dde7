/**
 * A page of a room's history in one statement: the reader's access to the room checked, and each
 * message's representation built by PostgreSQL from the configured serializer (see
 * `representation-sql.ts`). The same pages as `history.ts`, without loading an entity.
 */
import type { EntityManager } from '@mikro-orm/core';
import { MEMBERSHIP_PIVOTS } from '../entities/membership-pivots.js';
import { Room } from '../entities/room.js';
import { NotFound, NotVisible } from '../errors/chat-error.js';
import { preparedSql } from './prepared.js';
import { isoTime, type CompiledShown, type ShownRows } from '../serializers/representation-sql.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { namesOf, namesOfModel } from './sql-names.js';

/** Where a page starts: after a cursor, or at a page number. */
export type PageAt = { readonly before?: string; readonly limit: number } | { readonly page: number; readonly size: number };

/** A page of representations. */
export interface ShownPage {
  /** The messages' representations, newest first, as JSON text (an array): see `withJsonText`. */
  readonly messagesJson: string;
  /** Cursor form: the cursor of the next (older) page. */
  readonly nextCursor: string | null;
  /** Number form: the page given (a page past the end gives the last one) and whether there are others. */
  readonly page: number;
  readonly hasNext: boolean;
  readonly hasPrevious: boolean;
}

/** The statement's one row. */
interface PageRow {
  readonly room: boolean | null;
  readonly member: boolean | null;
  readonly page: number | string | null;
  readonly pages: number | string | null;
  /** The page's representations, as text: not parsed here, written as they are. */
  readonly shown: string | null;
  /** Cursor form: the rows read (one more than the limit when there are older ones) and the key of the last one shown. */
  readonly fetched: number | string | null;
  readonly last_at: string | null;
  readonly last_id: string | null;
}

/** The rows a page's representation is compiled over (`representationSql`). */
export const PAGE_ROWS: ShownRows = { set: 'page', alias: 'm' };

/** Which statement a page takes: its text depends on the form, the page size, and whether a cursor is given. */
type PageForm = { readonly page: true; readonly size: number } | { readonly page: false; readonly limit: number; readonly after: boolean };

/**
 * The statements written so far, per compiled representation and form. Written once, a statement's
 * text is the same string on every call: building 10 KB of SQL and hashing it to find its prepared
 * name cost a page tens of microseconds.
 */
const statements = new WeakMap<CompiledShown, Map<string, string>>();

function pageStatement(em: EntityManager, shown: CompiledShown, form: PageForm): string {
  let byForm = statements.get(shown);
  if (!byForm) statements.set(shown, (byForm = new Map()));
  const key = form.page ? `page ${form.size}` : `cursor ${form.limit} ${form.after}`;
  let text = byForm.get(key);
  if (text === undefined) byForm.set(key, (text = writePageStatement(em, shown, form)));
  return text;
}

/**
 * The page statement's text. Parameters: the user (twice), the room (twice), then for the page
 * form the page and the room, the page and the room twice; for the cursor form the cursor's time and id when given.
 */
function writePageStatement(em: EntityManager, shown: CompiledShown, form: PageForm): string {
  const room = namesOf(em, Room);
  const message = namesOfModel(em, 'Message');
  const [createdAt, inRoom, deleted] = [message.column('createdAt'), message.column('room'), message.column('isDeleted')];
  // The messages every form of history shows, counted (params: the room).
  const count = (alias: string) => `(select count(*) from ${message.table} ${alias} where ${alias}.${inRoom} = ? and not ${alias}.${deleted})`;
  // Page sizes go into the text, not the parameters: with a LIMIT it can see, PostgreSQL's plan for
  // any room is the one it would make for each (a `limit $n` is costed as a tenth of the room, and
  // the statement would be planned anew on every run).
  const size = form.page ? form.size : form.limit + 1;
  // The page asked for, or the last one when it is past the end (params: page, room).
  const pageNumber = (alias: string) => `least(?, greatest(1, ceil(${count(alias)} / ${size}::numeric)))`;
  const window = form.page
    ? `order by m.${createdAt} desc, m.${message.id} desc offset (${pageNumber('c')} - 1) * ${size} limit ${size}`
    : `${form.after ? `and (m.${createdAt}, m.${message.id}) < (?, ?) ` : ''}order by m.${createdAt} desc, m.${message.id} desc limit ${size}`;
  // The cursor form reads one row more than it shows, to know whether there are older ones.
  const shownRows = form.page ? '' : ` filter (where m.rank_in_page <= ${form.limit})`;
  const cursorFacts = form.page
    ? 'null as fetched, null as last_at, null as last_id'
    : `(select count(*) from ${PAGE_ROWS.set}) as fetched,
      (select ${isoTime(`m.${createdAt}`)} from ${PAGE_ROWS.set} m where m.rank_in_page = ${form.limit}) as last_at,
      (select m.${message.id} from ${PAGE_ROWS.set} m where m.rank_in_page = ${form.limit}) as last_id`;
  const numbers = form.page ? `${pageNumber('c')} as page, greatest(1, ceil(${count('d')} / ${size}::numeric)) as pages` : 'null as page, null as pages';
  return `with access as (
      select exists (select 1 from ${MEMBERSHIP_PIVOTS.participants} p where p.room_id = r.${room.id} and p.user_id = ?)
          or exists (select 1 from ${MEMBERSHIP_PIVOTS.subscribers} s where s.room_id = r.${room.id} and s.user_id = ?) as member
        from ${room.table} r where r.${room.id} = ?),
    ${PAGE_ROWS.set} as materialized (select m.*, row_number() over (order by m.${createdAt} desc, m.${message.id} desc) as rank_in_page
        from ${message.table} m where (select member from access) and m.${inRoom} = ? and not m.${deleted} ${window})${shown.ctes.map(cte => `,\n    ${cte}`).join('')}
    select exists (select 1 from access) as room, (select member from access) as member, ${numbers},
      (select '[' || string_agg(${shown.shown}, ',' order by m.${createdAt} desc, m.${message.id} desc)${shownRows} || ']' from ${PAGE_ROWS.set} m ${shown.joins}) as shown,
      ${cursorFacts}`;
}

/**
 * The page of room `roomId` that `userId` asked for, each message shown by `shown` (compiled over
 * `PAGE_ROWS`). Throws `NotFound` for a room that does not exist and `NotVisible` for one the user is not in.
 */
export async function shownHistoryPage(em: EntityManager, shown: CompiledShown, userId: string, roomId: string, at: PageAt): Promise<ShownPage> {
  const size = 'page' in at ? at.size : at.limit;
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`a page size must be a positive integer, not ${size}`);
  const params: unknown[] = [userId, userId, roomId, roomId];
  let form: PageForm;
  if ('page' in at) {
    form = { page: true, size: at.size };
    // The window's page number, then the page number and the count of pages shown.
    params.push(at.page, roomId, at.page, roomId, roomId);
  } else {
    const after = at.before ? decodeCursor(at.before) : undefined;
    form = { page: false, limit: at.limit, after: after !== undefined };
    if (after) params.push(after.at, after.id);
  }
  const text = pageStatement(em, shown, form);
  const [row] = await preparedSql<PageRow>(em, text, params);
  if (!row?.room) throw new NotFound('Room', roomId);
  if (!row.member) throw new NotVisible('Room', roomId, 'User is not authorized access this room');
  const messagesJson = row.shown ?? '[]';
  if ('page' in at) {
    const page = Number(row.page);
    return { messagesJson, nextCursor: null, page, hasNext: page < Number(row.pages), hasPrevious: page > 1 };
  }
  const more = Number(row.fetched) > at.limit;
  const nextCursor = more && row.last_at && row.last_id ? encodeCursor(new Date(row.last_at), String(row.last_id)) : null;
  return { messagesJson, nextCursor, page: 1, hasNext: more, hasPrevious: false };
}
