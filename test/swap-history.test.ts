/** How a swap migration sits in the graph: before it, swappable(Token) means the package's default; after it, the swap migration. */
import test from 'ava';
import { buildGraph } from '../src/migrations/loader.js';
import type { ProjectFacts } from '../src/migrations/project.js';
import type { MigrationDeclaration } from '../src/migrations/types.js';
import { declare } from './helpers/declarations.js';

const R = 'realtime_chat_messaging';

const facts = (swaps: ProjectFacts['swaps'], apps: string[]): ProjectFacts => ({
  root: '/project',
  configFile: '/project/mikro-orm.config.ts',
  apps: [{ label: R, dir: `/project/${R}` }, ...apps.map(label => ({ label, dir: `/project/${label}` }))],
  swaps,
  firstMigrationTables: [],
  secondMigrationNames: [],
});

const swapping = (declaration: MigrationDeclaration): MigrationDeclaration => ({ ...declaration, swaps: ['Message'] });
const read = (...declarations: MigrationDeclaration[]) => declarations.map(result => ({ folderApp: result.app, result }));
const edges = (graph: ReturnType<typeof buildGraph>['graph'], key: string) => graph.dependenciesOf(key).map(e => `${e.to}${e.swap ? ` (${e.swap.token})` : ''}`).sort();

test("the package's migrations before a swap migration keep the default; a migration after it depends on it", t => {
  //   rcm.0001 <- rcm.0002 --swappable(Message)--> rcm.0001        (it ran with the default Message)
  //                  ^
  //   myapp.swap ----+   (swaps Message)
  //       ^
  //   other.0001 --swappable(Message)--> myapp.swap                (it needs custom_message)
  const { graph, problems } = buildGraph(facts({ Message: { app: 'myapp', className: 'CustomMessage' } }, ['myapp', 'other']), read(
    declare(`${R}.0001_initial`),
    declare(`${R}.0002_initial`, [`${R}.0001_initial`], { swappable: ['User', 'Message'] }),
    swapping(declare('myapp.0001_swap', [`${R}.0002_initial`], { swappable: ['User'] })),
    declare('other.0001', [], { swappable: ['Message'] }),
  ));
  t.deepEqual(problems.map(p => p.message), []);
  t.deepEqual(edges(graph, `${R}.0002_initial`), [`${R}.0001_initial`, `${R}.0001_initial (Message)`, `${R}.0001_initial (User)`]);
  t.deepEqual(edges(graph, 'other.0001'), ['myapp.0001_swap (Message)']);
  t.deepEqual(graph.topologicalOrder(), [`${R}.0001_initial`, `${R}.0002_initial`, 'myapp.0001_swap', 'other.0001']);
});

test('without its swaps declaration the same migration closes the cycle the swap exists to avoid', t => {
  const { problems } = buildGraph(facts({ Message: { app: 'myapp', className: 'CustomMessage' } }, ['myapp']), read(
    declare(`${R}.0001_initial`),
    declare(`${R}.0002_initial`, [`${R}.0001_initial`], { swappable: ['Message'] }),
    declare('myapp.0001_swap', [`${R}.0002_initial`]),
  ));
  t.deepEqual(problems.map(p => p.code), ['circular_dependency']);
});

test("a swap migration after the app's first one: swappable(User) still means the app's first, swappable(Message) the default before the swap", t => {
  //   myapp.0001 (CustomUser, applied long ago) <- rcm.0002 <- myapp.0002_swap (swaps Message)
  const { graph, problems } = buildGraph(
    facts({ User: { app: 'myapp', className: 'CustomUser' }, Message: { app: 'myapp', className: 'CustomMessage' } }, ['myapp', 'later']),
    read(
      declare(`${R}.0001_initial`),
      declare(`${R}.0002_initial`, [`${R}.0001_initial`], { swappable: ['User', 'Message'] }),
      declare('myapp.0001', [`${R}.0001_initial`]),
      swapping(declare('myapp.0002_swap', ['myapp.0001', `${R}.0002_initial`])),
      declare('later.0001', [], { swappable: ['User', 'Message'] }),
    ),
  );
  t.deepEqual(problems.map(p => p.message), []);
  t.deepEqual(edges(graph, `${R}.0002_initial`), ['myapp.0001 (User)', `${R}.0001_initial`, `${R}.0001_initial (Message)`]);
  t.deepEqual(edges(graph, 'later.0001'), ['myapp.0001 (User)', 'myapp.0002_swap (Message)']);
});

test('a swaps declaration for a token the settings do not swap to that app changes nothing', t => {
  const { graph, problems } = buildGraph(facts({}, ['myapp']), read(
    declare(`${R}.0001_initial`),
    declare(`${R}.0002_initial`, [`${R}.0001_initial`], { swappable: ['Message'] }),
    swapping(declare('myapp.0001_swap', [`${R}.0002_initial`])),
    declare('myapp.0002', ['myapp.0001_swap'], { swappable: ['Message'] }),
  ));
  t.deepEqual(problems, []);
  t.deepEqual(edges(graph, 'myapp.0002'), ['myapp.0001_swap', `${R}.0001_initial (Message)`]);
});
