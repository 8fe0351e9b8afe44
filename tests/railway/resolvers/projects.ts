// The Railway double's resolvers for identity, workspaces, projects and environments: what a token sees, and environments made empty or forked (with their patch commits).
// State and the shared model (views, lookups, deploys) are the double's (../double.ts).
import { GraphQLError } from "graphql";
import { notFound, refused, type EnvironmentState, type ProjectState, type RailwayDouble } from "../double";

export function projectResolvers(double: RailwayDouble): Record<string, (args: any) => unknown> {
  return {
    // -- identity and workspaces
    me: () => {
      const t = double.caller();
      if (t.kind !== "account") throw new GraphQLError("Not Authorized");
      return { id: "user-1", workspaces: t.workspaceIds.map((id) => double.workspaces.get(id)!) };
    },
    projectToken: () => {
      const t = double.caller();
      if (t.kind !== "project") throw new GraphQLError("Not Authorized");
      return {
        id: "pt-1",
        projectId: t.projectId,
        environmentId: t.environmentId,
        project: double.projectView(double.projects.get(t.projectId)!),
        environment: double.environmentView(double.environments.get(t.environmentId)!),
      };
    },

    // -- projects
    projects: ({ workspaceId, first, after }) => {
      const t = double.caller();
      let workspace: string;
      if (t.kind === "workspace") workspace = workspaceId ?? t.workspaceId;
      else if (t.kind === "account") workspace = workspaceId ?? (double.realism.workspaces ? t.personal : "*");
      else throw new GraphQLError("Not Authorized");
      const list = double.visible([...double.projects.values()].filter((p) => double.canSee(p) && (workspace === "*" || p.workspaceId === workspace)));
      return double.page(
        list.map((p) => double.projectView(p)),
        { first, after },
      );
    },
    project: ({ id }) => double.projectView(double.requireProject(id)),
    projectCreate: ({ input }) => {
      const t = double.caller();
      if (t.kind === "project") throw new GraphQLError("Not Authorized");
      const workspaceId = input.workspaceId ?? (t.kind === "workspace" ? t.workspaceId : t.personal);
      if (t.kind === "workspace" ? workspaceId !== t.workspaceId : !t.workspaceIds.includes(workspaceId)) throw new GraphQLError("Not Authorized");
      const project: ProjectState = {
        id: double.uuid(),
        name: input.name ?? "unnamed",
        workspaceId,
        prDeploys: input.prDeploys ?? false,
        baseEnvironmentId: null,
        ...double.hiddenAtCreation(),
      };
      double.projects.set(project.id, project);
      // A new project comes with a production environment.
      const env: EnvironmentState = {
        id: double.uuid(),
        name: input.defaultEnvironmentName ?? "production",
        projectId: project.id,
        isEphemeral: false,
        sourceEnvironmentId: null,
        hidden: 0,
      };
      double.environments.set(env.id, env);
      return double.projectView(project);
    },
    projectUpdate: ({ id, input }) => {
      const project = double.requireProject(id);
      if (input.prDeploys !== undefined && input.prDeploys !== null) project.prDeploys = input.prDeploys;
      if (input.baseEnvironmentId !== undefined) project.baseEnvironmentId = input.baseEnvironmentId;
      if (input.name) project.name = input.name;
      return double.projectView(project);
    },
    projectDelete: ({ id }) => {
      double.requireProject(id);
      double.projects.delete(id);
      for (const [envId, env] of double.environments) if (env.projectId === id) double.environments.delete(envId);
      for (const [sid, s] of double.services) {
        if (s.projectId !== id) continue;
        for (const i of [...double.instances.values()].filter((x) => x.serviceId === sid)) double.removeInstance(sid, i.environmentId);
        double.services.delete(sid);
      }
      for (const [vid, v] of double.volumes) if (v.projectId === id) double.volumes.delete(vid);
      return true;
    },

    // -- environments
    environments: ({ projectId, first, after }) => {
      double.requireProject(projectId);
      return double.page(
        double.visible([...double.environments.values()].filter((e) => e.projectId === projectId)).map((e) => double.environmentView(e)),
        { first, after },
      );
    },
    environment: ({ id }) => double.environmentView(double.requireEnvironment(id)),
    environmentCreate: ({ input }) => {
      double.requireProject(input.projectId);
      if ([...double.environments.values()].some((e) => e.projectId === input.projectId && e.name === input.name))
        throw refused(`Environment with name ${input.name} already exists`);
      const source = input.sourceEnvironmentId ? double.requireEnvironment(input.sourceEnvironmentId) : undefined;
      const env: EnvironmentState = {
        id: double.uuid(),
        name: input.name,
        projectId: input.projectId,
        isEphemeral: input.ephemeral ?? false,
        sourceEnvironmentId: source?.id ?? null,
        ...double.hiddenAtCreation(),
      };
      double.environments.set(env.id, env);
      const copyFrom =
        source?.id ??
        (double.realism.emptyEnvironments ? undefined : [...double.environments.values()].find((e) => e.projectId === input.projectId && e.id !== env.id)?.id);
      if (copyFrom) {
        for (const from of [...double.instances.values()].filter((i) => i.environmentId === copyFrom)) {
          const copy = double.addInstance(from.serviceId, env.id);
          Object.assign(
            copy,
            structuredClone({
              settings: from.settings,
              source: from.source,
              limits: from.limits,
              variables: from.variables,
              registryCredentials: from.registryCredentials,
            }),
          );
          if (source && !input.skipInitialDeploys && double.canDeploy(copy)) double.deploy(copy, "create");
        }
        if (source)
          for (const v of double.volumes.values())
            for (const i of v.instances.filter((x) => x.environmentId === copyFrom))
              v.instances.push({ id: double.id("vi"), serviceId: i.serviceId, environmentId: env.id, mountPath: i.mountPath });
      }
      return double.environmentView(env);
    },
    environmentDelete: ({ id }) => {
      double.requireEnvironment(id);
      double.environments.delete(id);
      for (const i of [...double.instances.values()].filter((x) => x.environmentId === id)) double.removeInstance(i.serviceId, id);
      for (const v of double.volumes.values()) v.instances = v.instances.filter((i) => i.environmentId !== id);
      return true;
    },
    environmentPatchCommit: ({ environmentId, patch }) => {
      double.requireEnvironment(environmentId);
      const p = (patch ?? {}) as { services?: Record<string, Record<string, unknown>>; volumes?: Record<string, Record<string, unknown>> };
      // The double understands the parts of an environment patch the providers send: adding a
      // project-wide service to this environment, and taking a service or a volume out of it.
      for (const key of Object.keys(p)) if (key !== "services" && key !== "volumes") throw refused(`The double does not model environment patches of '${key}'`);
      for (const [serviceId, change] of Object.entries(p.services ?? {})) {
        const extra = Object.keys(change).filter((k) => k !== "isCreated" && k !== "isDeleted");
        if (extra.length > 0) throw refused(`The double does not model patches of service ${extra.join(", ")}`);
        double.requireService(serviceId);
        if (change.isCreated) double.addInstance(serviceId, environmentId);
        if (change.isDeleted) double.removeInstance(serviceId, environmentId);
      }
      for (const [volumeId, change] of Object.entries(p.volumes ?? {})) {
        const volume = double.volumes.get(volumeId);
        if (!volume) throw notFound("Volume");
        if (change.isDeleted) volume.instances = volume.instances.filter((i) => i.environmentId !== environmentId);
      }
      return double.uuid();
    },
  };
}
