/**
 * The migration graph: pure data, no file or database access. A node is a migration (`app.name`);
 * an edge says a migration depends on another. Loading, resolving swappable dependencies and
 * reporting problems happen elsewhere (`loader.ts`).
 */
import { keyString, type DependencyRef, type MigrationDeclaration, type MigrationKey } from './types.js';

/** How a swappable dependency was resolved, for messages: `swappable(Message) = myapp.CustomMessage`. */
export interface SwapResolution {
  readonly token: string;
  readonly app: string;
  readonly className: string;
}

/** One dependency edge: `from` depends on `to`. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly ref: DependencyRef;
  readonly swap?: SwapResolution;
}

/** One migration of the graph. */
export interface GraphNode extends MigrationKey {
  readonly key: string;
  readonly declaration: MigrationDeclaration;
}

/** The dependency graph of every app's migrations. */
export class MigrationGraph {
  private readonly nodeMap = new Map<string, GraphNode>();
  private readonly outgoing = new Map<string, GraphEdge[]>();
  private readonly incoming = new Map<string, GraphEdge[]>();
  /** Nodes sorted by key, and by app: rebuilt lazily after a node is added. */
  private sorted?: GraphNode[];
  private byApp?: Map<string, GraphNode[]>;

  /** Adds a migration; its key must be new. */
  addNode(declaration: MigrationDeclaration): GraphNode {
    const key = keyString(declaration);
    if (this.nodeMap.has(key)) throw new Error(`duplicate node ${key}`);
    const node: GraphNode = { key, app: declaration.app, name: declaration.name, declaration };
    this.nodeMap.set(key, node);
    this.sorted = undefined;
    this.byApp = undefined;
    this.outgoing.set(key, []);
    this.incoming.set(key, []);
    return node;
  }

  /** Adds a dependency between two nodes already in the graph. */
  addDependency(edge: GraphEdge): void {
    this.outgoing.get(edge.from)!.push(edge);
    this.incoming.get(edge.to)!.push(edge);
  }

  /** Removes one dependency edge (the same object that was added). */
  removeDependency(edge: GraphEdge): void {
    const out = this.outgoing.get(edge.from)!;
    out.splice(out.indexOf(edge), 1);
    const inc = this.incoming.get(edge.to)!;
    inc.splice(inc.indexOf(edge), 1);
  }

  has(key: string): boolean {
    return this.nodeMap.has(key);
  }

  node(key: string): GraphNode | undefined {
    return this.nodeMap.get(key);
  }

  /** Every node, sorted by key. */
  nodes(): readonly GraphNode[] {
    this.sorted ??= [...this.nodeMap.values()].sort((a, b) => compareKeys(a.key, b.key));
    return this.sorted;
  }

  /** The dependencies of a node (edges to its parents). */
  dependenciesOf(key: string): readonly GraphEdge[] {
    return this.outgoing.get(key) ?? [];
  }

  /** The edges of the nodes that depend on `key`. */
  dependentsOf(key: string): readonly GraphEdge[] {
    return this.incoming.get(key) ?? [];
  }

  /** The nodes of an app, sorted by name. */
  appNodes(app: string): readonly GraphNode[] {
    if (!this.byApp) {
      this.byApp = new Map();
      for (const node of this.nodes()) {
        const list = this.byApp.get(node.app) ?? [];
        list.push(node);
        this.byApp.set(node.app, list);
      }
    }
    return this.byApp.get(app) ?? [];
  }

  /** An app's first migrations: none of their dependencies is in the same app (Django's `__first__`). */
  rootNodes(app: string): GraphNode[] {
    return this.appNodes(app).filter(n => !this.dependenciesOf(n.key).some(e => this.nodeMap.get(e.to)!.app === app));
  }

  /** An app's latest migrations: no migration of the same app depends on them (Django's leaves). */
  leafNodes(app: string): GraphNode[] {
    return this.appNodes(app).filter(n => !this.dependentsOf(n.key).some(e => this.nodeMap.get(e.from)!.app === app));
  }

  /** Every node `key` depends on, directly or not. */
  ancestors(key: string): Set<string> {
    const seen = new Set<string>();
    const stack = [key];
    while (stack.length > 0) {
      for (const edge of this.dependenciesOf(stack.pop()!)) {
        if (!seen.has(edge.to)) {
          seen.add(edge.to);
          stack.push(edge.to);
        }
      }
    }
    return seen;
  }

  /**
   * The strongly connected components with a cycle (Tarjan's algorithm, iterative so deep
   * graphs do not overflow the stack), each as a sorted list of keys, sorted by first key.
   * `within` limits the search to those nodes and the edges between them (a graph with edges
   * taken out has its cycles inside the components it had before).
   */
  cyclicComponents(within?: ReadonlySet<string>): string[][] {
    const keys = within ? [...within].filter(key => this.nodeMap.has(key)).sort(compareKeys) : this.nodes().map(node => node.key);
    // Integer ids and typed arrays: on tens of thousands of nodes, maps of strings are most of the time.
    const ids = new Map<string, number>();
    keys.forEach((key, i) => ids.set(key, i));
    const next = keys.map(key => {
      const out: number[] = [];
      for (const edge of this.outgoing.get(key)!) {
        const id = ids.get(edge.to);
        if (id !== undefined) out.push(id);
      }
      return out;
    });
    const index = new Int32Array(keys.length).fill(-1);
    const low = new Int32Array(keys.length);
    const onStack = new Uint8Array(keys.length);
    const stack: number[] = [];
    const workNode: number[] = [];
    const workEdge: number[] = [];
    const components: string[][] = [];
    let counter = 0;
    const visit = (node: number) => {
      index[node] = low[node] = counter++;
      stack.push(node);
      onStack[node] = 1;
      workNode.push(node);
      workEdge.push(0);
    };
    for (let start = 0; start < keys.length; start++) {
      if (index[start] !== -1) continue;
      visit(start);
      while (workNode.length > 0) {
        const top = workNode.length - 1;
        const node = workNode[top]!;
        const edges = next[node]!;
        if (workEdge[top]! < edges.length) {
          const to = edges[workEdge[top]!++]!;
          if (index[to] === -1) visit(to);
          else if (onStack[to]) low[node] = Math.min(low[node]!, index[to]!);
          continue;
        }
        workNode.pop();
        workEdge.pop();
        if (workNode.length > 0) {
          const parent = workNode[workNode.length - 1]!;
          low[parent] = Math.min(low[parent]!, low[node]!);
        }
        if (low[node] === index[node]) {
          const component: string[] = [];
          let member: number;
          do {
            member = stack.pop()!;
            onStack[member] = 0;
            component.push(keys[member]!);
          } while (member !== node);
          const selfLoop = component.length === 1 && edges.includes(node);
          if (component.length > 1 || selfLoop) components.push(component.sort(compareKeys));
        }
      }
    }
    return components.sort((a, b) => compareKeys(a[0]!, b[0]!));
  }

  /**
   * One cycle inside a component, as the edges walked from `start` (default: its first key) back
   * to it: the shortest such walk, neighbours taken in key order, so the output is deterministic.
   */
  cycleIn(component: readonly string[], start: string = component[0]!): GraphEdge[] {
    const members = new Set(component);
    const cameBy = new Map<string, GraphEdge>();
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const key = queue[i]!;
      const edges = [...this.outgoing.get(key)!].filter(e => members.has(e.to)).sort((a, b) => compareKeys(a.to, b.to));
      for (const edge of edges) {
        if (edge.to === start) {
          const path = [edge];
          for (let at = key; at !== start; at = cameBy.get(at)!.from) path.unshift(cameBy.get(at)!);
          return path;
        }
        if (!cameBy.has(edge.to) && edge.to !== start) {
          cameBy.set(edge.to, edge);
          queue.push(edge.to);
        }
      }
    }
    throw new Error(`no cycle through ${start}`);
  }

  /**
   * Every node, each after all its dependencies; among the ready ones, the smallest key first,
   * so the same graph always gives the same order. Throws on a cycle (check first).
   */
  topologicalOrder(): string[] {
    const waiting = new Map<string, number>();
    const heap = new KeyHeap();
    for (const key of this.nodeMap.keys()) {
      const count = new Set(this.outgoing.get(key)!.map(e => e.to)).size;
      waiting.set(key, count);
      if (count === 0) heap.push(key);
    }
    const order: string[] = [];
    while (heap.size > 0) {
      const key = heap.pop();
      order.push(key);
      for (const dependent of new Set(this.incoming.get(key)!.map(e => e.from))) {
        const left = waiting.get(dependent)! - 1;
        waiting.set(dependent, left);
        if (left === 0) heap.push(dependent);
      }
    }
    if (order.length !== this.nodeMap.size) throw new Error('the migration graph has a cycle');
    return order;
  }
}

/** Orders keys by app, then by name. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A binary min-heap of keys. */
class KeyHeap {
  private readonly items: string[] = [];

  get size(): number {
    return this.items.length;
  }

  push(key: string): void {
    const items = this.items;
    items.push(key);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]! <= key) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = key;
  }

  pop(): string {
    const items = this.items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= items.length) break;
        const right = left + 1;
        const child = right < items.length && items[right]! < items[left]! ? right : left;
        if (items[child]! >= last) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}
