import type { AliasSeen, MockedResource, ProgramRun } from "../../policy-check/programUnderMocks";

/** The root resource every stack has; a child of it is named without it (`urn:…::aws:…::name`). */
const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * URNs as the engine gives them, which the mock monitor does not (it keeps only the last parent's
 * type): `urn:pulumi:<stack>::<project>::<parent types $ joined><type>::<name>`, the root stack's
 * type left out, as @pulumi/pulumi's createUrn writes the rule (sdk/nodejs/resource.ts).
 */
export class EngineUrns {
  private readonly byKey: Map<string, MockedResource>;

  constructor(private readonly run: ProgramRun) {
    this.byKey = new Map(run.resources.map((resource) => [`${resource.type}::${resource.name}`, resource]));
  }

  /** The resource a mock URN names, or undefined for the root stack (and for no parent, ""). */
  resourceAt(mockUrn: string): MockedResource | undefined {
    if (mockUrn === "") return undefined;
    const [, , qualifiedType = "", ...name] = mockUrn.split("::");
    const type = qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
    if (type === STACK_TYPE) return undefined;
    const found = this.byKey.get(`${type}::${name.join("::")}`);
    if (found === undefined) throw new Error(`no registered resource at ${mockUrn}`);
    return found;
  }

  /** The resource's parent among the program's resources; undefined when it is the stack's own. */
  parentOf(resource: MockedResource): MockedResource | undefined {
    return this.resourceAt(resource.options.parent);
  }

  /** Its URN in the engine's state. */
  urnOf(resource: MockedResource): string {
    return this.compose(this.parentOf(resource), resource.type, resource.name, this.run.stack, this.run.project);
  }

  /** The URNs its aliases resolve to, as the engine resolves them: empty parts are the resource's own. */
  aliasUrnsOf(resource: MockedResource): string[] {
    return resource.options.aliases.map((alias: AliasSeen) => {
      if ("urn" in alias) return alias.urn;
      const parent = alias.noParent
        ? undefined
        : alias.parentUrn !== ""
          ? this.resourceAt(alias.parentUrn)
          : this.parentOf(resource);
      return this.compose(
        parent,
        alias.type || resource.type,
        alias.name || resource.name,
        alias.stack || this.run.stack,
        alias.project || this.run.project,
      );
    });
  }

  private compose(
    parent: MockedResource | undefined,
    type: string,
    name: string,
    stack: string,
    project: string,
  ): string {
    const qualifiedType = parent === undefined ? type : `${this.urnOf(parent).split("::")[2]}$${type}`;
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
  }
}
