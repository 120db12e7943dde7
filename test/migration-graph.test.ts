import test from 'ava';
import { MigrationGraph } from '../src/migrations/graph.js';
import { buildGraph } from '../src/migrations/loader.js';
import type { ProjectFacts } from '../src/migrations/project.js';
import { declare } from './helpers/declarations.js';

const R = 'realtime_chat_messaging';

function graphOf(...declarations: ReturnType<typeof declare>[]): MigrationGraph {
  const graph = new MigrationGraph();
  for (const d of declarations) graph.addNode(d);
  for (const d of declarations) {
    for (const ref of d.dependencies) if (ref.kind === 'migration') graph.addDependency({ from: `${d.app}.${d.name}`, to: `${ref.app}.${ref.name}`, ref });
  }
  return graph;
}

const facts = (swaps: ProjectFacts['swaps'] = {}, apps = ['myapp']): ProjectFacts => ({
  root: '/project',
  configFile: '/project/mikro-orm.config.ts',
  apps: [{ label: R, dir: `/project/${R}` }, ...apps.map(label => ({ label, dir: `/project/${label}` }))],
  swaps,
  firstMigrationTables: ['chat_room', 'chat_user'],
  secondMigrationNames: ['chat_read_receipt_message_id_foreign'],
});

test('the run order puts every migration after its dependencies, the smallest key first among ready ones', t => {
  //   a.1 <- a.2 <- a.3
  //    ^             |
  //   b.1 <----------+      (a.3 depends on b.1, b.1 on a.1)
  const graph = graphOf(declare('a.1'), declare('a.2', ['a.1']), declare('a.3', ['a.2', 'b.1']), declare('b.1', ['a.1']));
  t.deepEqual(graph.topologicalOrder(), ['a.1', 'a.2', 'b.1', 'a.3']);
  t.deepEqual(graph.cyclicComponents(), []);
});

test('the same graph built in another order gives the same run order', t => {
  const decls = [declare('x.1'), declare('y.1', ['x.1']), declare('x.2', ['x.1']), declare('y.2', ['y.1', 'x.2'])];
  const forward = graphOf(...decls).topologicalOrder();
  const backward = graphOf(...[...decls].reverse()).topologicalOrder();
  t.deepEqual(forward, backward);
});

test('roots and leaves of an app are its first and latest migrations', t => {
  //   app.1 <- app.2 <- app.3a
  //             ^------ app.3b      (two leaves: a conflict)
  const graph = graphOf(declare('app.1'), declare('app.2', ['app.1']), declare('app.3a', ['app.2']), declare('app.3b', ['app.2']));
  t.deepEqual(graph.rootNodes('app').map(n => n.name), ['1']);
  t.deepEqual(graph.leafNodes('app').map(n => n.name), ['3a', '3b']);
});

test('a cycle is found with its exact path, from the given start', t => {
  //   a.1 -> b.1 -> c.1 -> a.1     d.1 -> a.1 (outside the cycle)
  const graph = graphOf(declare('a.1', ['b.1']), declare('b.1', ['c.1']), declare('c.1', ['a.1']), declare('d.1', ['a.1']));
  const [component] = graph.cyclicComponents();
  t.deepEqual(component, ['a.1', 'b.1', 'c.1']);
  t.deepEqual(graph.cycleIn(component!, 'b.1').map(e => `${e.from}>${e.to}`), ['b.1>c.1', 'c.1>a.1', 'a.1>b.1']);
  t.throws(() => graph.topologicalOrder(), { message: /cycle/ });
});

test('a self-dependency is a cycle', t => {
  const graph = graphOf(declare('a.1', ['a.1']));
  t.deepEqual(graph.cyclicComponents(), [['a.1']]);
});

test('a chain of 50,000 migrations is ordered without overflowing the stack', t => {
  const decls = [declare('long.00000')];
  for (let i = 1; i < 50_000; i++) decls.push(declare(`long.${String(i).padStart(5, '0')}`, [`long.${String(i - 1).padStart(5, '0')}`]));
  const graph = graphOf(...decls);
  t.deepEqual(graph.cyclicComponents(), []);
  const order = graph.topologicalOrder();
  t.is(order.length, 50_000);
  t.is(order[49_999], 'long.49999');
});

test('swappable(Token) resolves to the first migration of the app owning the swapped model, and closes the guide\'s cycle', t => {
  //   myapp.0001 -> rcm.0002 -> swappable(Message) = myapp.CustomMessage -> myapp.0001
  const { graph, problems } = buildGraph(facts({ Message: { app: 'myapp', className: 'CustomMessage' } }), [
    { folderApp: R, result: declare(`${R}.0001_initial`) },
    { folderApp: R, result: declare(`${R}.0002_initial`, [`${R}.0001_initial`], { swappable: ['User', 'Message'] }) },
    { folderApp: 'myapp', result: declare('myapp.0001', [`${R}.0002_initial`], { swappable: ['User'] }) },
  ]);
  const userEdge = graph.dependenciesOf(`${R}.0002_initial`).find(e => e.swap?.token === 'User')!;
  t.is(userEdge.to, `${R}.0001_initial`, 'an unswapped token resolves to the package itself');
  t.deepEqual(problems.map(p => p.code), ['circular_dependency']);
  t.is(
    problems[0]!.message,
    'circular dependency: myapp.0001 -> realtime_chat_messaging.0002_initial -> swappable(Message) = myapp.CustomMessage -> myapp.0001',
  );
});

test('every problem is reported, sorted by kind and place', t => {
  const { problems } = buildGraph(facts({ Message: { app: 'empty', className: 'M' } }, ['myapp', 'empty']), [
    { folderApp: R, result: declare(`${R}.0001_initial`, [], { swappable: ['Message'] }) },
    { folderApp: 'myapp', result: declare('myapp.1', ['myapp.0']) },
    { folderApp: 'myapp', result: declare('myapp.2') },
    { folderApp: 'myapp', result: declare('other.1') },
    { folderApp: 'myapp', result: { file: '/project/myapp/bad.ts', line: 3, column: 1, message: 'syntax error: x' } },
  ]);
  t.deepEqual(
    problems.map(p => p.code),
    ['parse_error', 'unknown_app', 'missing_dependency', 'no_first_migration', 'multiple_leaves'],
  );
  t.is(problems[0]!.format('/project'), 'myapp/bad.ts:3:1: cannot read this migration: syntax error: x');
  t.regex(problems[4]!.message, /app 'myapp' has 2 latest migrations \(1, 2\): they conflict/);
});

test('two files with one name (a compiled .js beside its .ts) are a duplicate, both named', t => {
  const ts = declare('myapp.0001');
  const js = { ...declare('myapp.0001'), file: '/project/myapp/0001.js' };
  const { problems } = buildGraph(facts(), [
    { folderApp: 'myapp', result: ts },
    { folderApp: 'myapp', result: js },
  ]);
  t.deepEqual(problems.map(p => p.code), ['duplicate_migration']);
  t.regex(problems[0]!.message, /duplicate migration myapp\.0001: myapp\/0001\.js and myapp\/0001\.ts have the same name/);
});
