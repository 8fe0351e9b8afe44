// The generated workflows' models, from the config: what CI runs in which folders, what the deploy
// workflow deploys, and the check names CI reports. Pure functions.
import type { PlatformConfig, ServiceConfig } from "../../config";
import { imageRepository } from "../images/image";
import type { CiModel, DeployModel } from "./workflows";

/** The folder a service's code lives in. */
function directoryOf(service: ServiceConfig): string {
  if (service.source.kind === "repo") return service.source.rootDirectory ?? ".";
  return service.source.build?.context ?? ".";
}

/** CI's model from the config: the runtime's commands, run in each service's folder. */
export function ciModel(config: PlatformConfig, branches: readonly string[]): CiModel {
  const code = config.services.filter((s) => s.source.kind === "repo" || s.source.build);
  const directories = [...new Set(code.map(directoryOf))];
  const images = code.flatMap((s) => {
    if (s.source.kind === "repo") {
      const root = s.source.rootDirectory ?? ".";
      return [{ name: s.name, context: root, dockerfile: `${root}/${s.source.dockerfile ?? "Dockerfile"}` }];
    }
    return s.source.build ? [{ name: s.name, context: s.source.build.context, dockerfile: `${s.source.build.context}/${s.source.build.dockerfile}` }] : [];
  });
  const { runtime, version, install, lint, test, audit, services } = config.github.ci;
  return { runtime, version, install, lint, test, audit, services, directories: directories.length > 0 ? directories : ["."], images, branches };
}

/**
 * The deploy workflow's model: the services it deploys (built from the repository by Railway, or
 * from an image this workflow builds), none when Railway deploys them on push (autoDeploy).
 */
export function deployModel(config: PlatformConfig): DeployModel {
  const deployed = config.services.filter((s) => (s.source.kind === "repo" && !s.autoDeploy) || (s.source.kind === "image" && s.source.build));
  return {
    environment: config.railway.environment,
    branch: config.github.branch,
    services: deployed.map((s) => ({
      name: s.name,
      ...(s.source.kind === "image" && s.source.build
        ? { build: { context: s.source.build.context, dockerfile: s.source.build.dockerfile, image: imageRepository(config.github.owner, s.name) } }
        : {}),
      ...(s.healthcheck ? { healthcheckPath: s.healthcheck.path } : {}),
      healthcheckTimeoutSeconds: s.healthcheck?.timeoutSeconds ?? 60,
    })),
    ...(config.github.deploy.smoke ? { smoke: config.github.deploy.smoke } : {}),
  };
}

/** The status checks the generated CI reports, as GitHub names them. */
export function ciCheckNames(model: CiModel): string[] {
  const perDirectory = ["Lint", "Test", "Security scan"].flatMap((job) => model.directories.map((d) => `${job} (${d})`));
  return [...perDirectory, ...model.images.map((i) => `Build image (${i.name})`)];
}
