import { MikroORM } from '@mikro-orm/core';
import { chatOrmConfig, defineChatSettings, model } from './dist/src/index.js';
const settings = defineChatSettings({});
const orm = await MikroORM.init({ ...(await chatOrmConfig(settings, { database: { url: 'postgres://postgres@127.0.0.1:5432/authbench' } })), debug: false });
await orm.getMigrator().up();
const conn = orm.em.getConnection();
const ids = (await conn.execute(`insert into chat_user (id, username) select gen_random_uuid(), 'u' || g from generate_series(1, 2000) g returning id`)).map(r => r.id);
const User = model('User');
const batches = []; for (let i = 0; i < ids.length; i += 200) batches.push(ids.slice(i, i + 200));
for (let round = 0; round < 3; round++) {
  let c0 = process.cpuUsage();
  for (const b of batches) { const em = orm.em.fork(); await em.find(User, { id: { $in: b } }); em.clear(); }
  let c = process.cpuUsage(c0); console.log('em.find  us/user', ((c.user + c.system) / ids.length).toFixed(1));
  c0 = process.cpuUsage();
  for (const b of batches) { const em = orm.em.fork(); const rows = await em.getConnection().execute('select * from chat_user where id = any(?::uuid[])', ['{' + b.join(',') + '}']); rows.map(r => em.map(User, r)); em.clear(); }
  c = process.cpuUsage(c0); console.log('raw+map  us/user', ((c.user + c.system) / ids.length).toFixed(1));
  c0 = process.cpuUsage();
  for (const b of batches) { const em = orm.em.fork(); await em.getConnection().execute('select * from chat_user where id = any(?::uuid[])', ['{' + b.join(',') + '}']); }
  c = process.cpuUsage(c0); console.log('raw only us/user', ((c.user + c.system) / ids.length).toFixed(1));
}
await orm.close(true);
