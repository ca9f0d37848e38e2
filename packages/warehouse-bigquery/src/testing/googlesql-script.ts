/**
 * The steps of a BigQuery script, read from GoogleSQL's parse tree, so that the analyser can check it statement by
 * statement as BigQuery does: SQL statements, variable declarations and assignments, and the conditions and bodies
 * of loops and IFs. Positions are byte offsets into the script.
 */

/** A byte range of the script: an expression, a type, a statement. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One step of a script, in the order BigQuery runs (or may run) it. */
export type ScriptStep =
  | { readonly kind: 'statement'; readonly span: Span }
  | { readonly kind: 'declare'; readonly span: Span; readonly names: readonly string[]; readonly type?: Span; readonly value?: Span }
  | { readonly kind: 'set'; readonly span: Span; readonly name: string; readonly value: Span }
  | { readonly kind: 'condition'; readonly value: Span }
  | { readonly kind: 'block'; readonly body: readonly ScriptStep[] }
  | { readonly kind: 'unsupported'; readonly what: string };

// The parse tree as the gRPC client gives it: each `Any…` wrapper names its filled field in `node`.
interface Node {
  readonly node?: string;
  readonly parent?: Node;
  readonly parseLocationRange?: { readonly start: number; readonly end: number };
  readonly [field: string]: unknown;
}

// The concrete node behind the wrappers, and the wrapper names on the way (astScriptStatementNode, astLoopStatementNode …).
function unwrap(wrapper: Node): { kinds: string[]; node: Node } {
  const kinds: string[] = [];
  let node = wrapper;
  while (typeof node.node === 'string') {
    kinds.push(node.node);
    node = node[node.node] as Node;
  }
  return { kinds, node };
}

// A node's range is on its most basic ancestor message (ASTNodeProto), reached through `parent`.
function spanOf(wrapper: Node): Span {
  let node: Node | undefined = unwrap(wrapper).node;
  while (node && !node.parseLocationRange) node = node.parent;
  if (!node?.parseLocationRange) throw new Error('the GoogleSQL parse tree has a node without a location');
  return { start: node.parseLocationRange.start, end: node.parseLocationRange.end };
}

const statementsOf = (list: unknown): ScriptStep[] =>
  ((list as { statementList?: Node[] } | undefined)?.statementList ?? []).map(stepOf);

// A loop or block's body runs in its own scope: what it declares is gone after it.
const block = (list: unknown): ScriptStep => ({ kind: 'block', body: statementsOf(list) });

function stepOf(statement: Node): ScriptStep {
  const { kinds, node } = unwrap(statement);
  const kind = kinds.at(-1) ?? '';
  const field = (name: string) => node[name] as Node | undefined;
  // The SQL EXECUTE IMMEDIATE runs is a string, known only when the script runs.
  if (kind === 'astExecuteImmediateStatementNode') return { kind: 'unsupported', what: 'EXECUTE IMMEDIATE' };
  if (kinds[0] !== 'astScriptStatementNode') return { kind: 'statement', span: spanOf(statement) };
  switch (kind) {
    case 'astVariableDeclarationNode': {
      const names = ((field('variableList')?.identifierList ?? []) as { idString: string }[]).map((i) => i.idString);
      const type = field('type');
      const value = field('defaultValue');
      return { kind: 'declare', span: spanOf(statement), names, ...(type && { type: spanOf(type) }), ...(value && { value: spanOf(value) }) };
    }
    case 'astSingleAssignmentNode':
      return { kind: 'set', span: spanOf(statement), name: (field('variable') as { idString: string }).idString, value: spanOf(field('expression')!) };
    case 'astWhileStatementNode':
      return { kind: 'block', body: [{ kind: 'condition', value: spanOf(field('condition')!) }, block(node.parent?.body)] };
    case 'astIfStatementNode': {
      const elseifs = ((field('elseifClauses')?.elseifClauses ?? []) as Node[]).flatMap((c) => [
        { kind: 'condition', value: spanOf(c.condition as Node) } as const,
        block(c.body),
      ]);
      return { kind: 'block', body: [{ kind: 'condition', value: spanOf(field('condition')!) }, block(node.thenList), ...elseifs, block(node.elseList)] };
    }
    case 'astBeginEndBlockNode':
      if (field('handlerList')) return { kind: 'unsupported', what: 'an exception handler' };
      return block(node.statementListNode);
    case 'astBreakStatementNode':
    case 'astContinueStatementNode':
      return { kind: 'block', body: [] };
    default:
      return { kind: 'unsupported', what: kind.replace(/^ast(.*)Node$/, '$1') };
  }
}

/** The steps of a parsed script (the parse response's `parsedScript`). */
export function scriptSteps(parsedScript: unknown): ScriptStep[] {
  return statementsOf((parsedScript as { statementListNode?: unknown }).statementListNode);
}

/** The first construct of the steps the analyser cannot follow (CALL, FOR, EXECUTE IMMEDIATE …), if any. */
export function unsupportedStep(steps: readonly ScriptStep[]): string | undefined {
  for (const step of steps) {
    if (step.kind === 'unsupported') return step.what;
    const inner = step.kind === 'block' ? unsupportedStep(step.body) : undefined;
    if (inner) return inner;
  }
  return undefined;
}
