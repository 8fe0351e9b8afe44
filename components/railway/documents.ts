// Every GraphQL document the Railway providers send, as static literals, in one place. Tests hold
// each one to Railway's published schema (contracts/railway/schema.json). Lists take `after` and
// are read page by page (api.ts, all()).
//
// The generated deploy workflow's documents are here too (deployJobGql), held to the same schema.
//
// One plain object rather than many exports: a serialized provider then carries it as a literal,
// not as a module namespace of getters.
/** A service instance's settings the providers manage, as both the providers and the import read them. */
const INSTANCE_SETTINGS = `    numReplicas
    healthcheckPath
    healthcheckTimeout
    restartPolicyType
    restartPolicyMaxRetries
    startCommand
    preDeployCommand
    rootDirectory
    dockerfilePath`;

export const gql = {
  ME_WORKSPACES: `query meWorkspaces {
  me { workspaces { id name } }
}`,

  PROJECTS: `query projects($workspaceId: String, $after: String) {
  projects(workspaceId: $workspaceId, after: $after) {
    edges { node { id name workspaceId } }
    pageInfo { hasNextPage endCursor }
  }
}`,

  PROJECT: `query project($id: String!) {
  project(id: $id) { id name prDeploys baseEnvironmentId workspaceId }
}`,

  PROJECT_CREATE: `mutation projectCreate($input: ProjectCreateInput!) {
  projectCreate(input: $input) { id name workspaceId }
}`,

  PROJECT_UPDATE: `mutation projectUpdate($id: String!, $input: ProjectUpdateInput!) {
  projectUpdate(id: $id, input: $input) { id prDeploys baseEnvironmentId }
}`,

  PROJECT_DELETE: `mutation projectDelete($id: String!) {
  projectDelete(id: $id)
}`,

  ENVIRONMENTS: `query environments($projectId: String!, $after: String) {
  environments(projectId: $projectId, after: $after) {
    edges { node { id name isEphemeral } }
    pageInfo { hasNextPage endCursor }
  }
}`,

  ENVIRONMENT: `query environment($id: String!) {
  environment(id: $id) { id name isEphemeral projectId sourceEnvironment { id name } }
}`,

  ENVIRONMENT_CREATE: `mutation environmentCreate($input: EnvironmentCreateInput!) {
  environmentCreate(input: $input) { id name isEphemeral }
}`,

  ENVIRONMENT_DELETE: `mutation environmentDelete($id: String!) {
  environmentDelete(id: $id)
}`,

  ENVIRONMENT_PATCH_COMMIT: `mutation environmentPatchCommit($environmentId: String!, $patch: EnvironmentConfig, $commitMessage: String) {
  environmentPatchCommit(environmentId: $environmentId, patch: $patch, commitMessage: $commitMessage)
}`,

  PROJECT_SERVICES: `query projectServices($id: String!, $after: String) {
  project(id: $id) {
    services(after: $after) {
      edges { node { id name } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,

  SERVICE_INSTANCES: `query serviceInstances($id: String!, $after: String) {
  service(id: $id) {
    id
    name
    serviceInstances(after: $after) {
      edges { node { environmentId } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,

  SERVICE_CREATE: `mutation serviceCreate($input: ServiceCreateInput!) {
  serviceCreate(input: $input) { id name }
}`,

  SERVICE_DELETE: `mutation serviceDelete($id: String!, $environmentId: String) {
  serviceDelete(id: $id, environmentId: $environmentId)
}`,

  SERVICE_INSTANCE: `query serviceInstance($serviceId: String!, $environmentId: String!) {
  serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
    id
    region
${INSTANCE_SETTINGS}
    source { repo image }
    latestDeployment { id status }
  }
  serviceInstanceLimits(serviceId: $serviceId, environmentId: $environmentId)
}`,

  // What `npm run import` reads of each running service: its settings (including the ones the
  // config has no key for, so it can say so), limits, source, and public TCP ports.
  IMPORT_SERVICE: `query importService($serviceId: String!, $environmentId: String!) {
  serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
    serviceName
${INSTANCE_SETTINGS}
    cronSchedule
    sleepApplication
    buildCommand
    watchPatterns
    source { repo image }
    latestDeployment { id status }
  }
  serviceInstanceLimits(serviceId: $serviceId, environmentId: $environmentId)
  tcpProxies(serviceId: $serviceId, environmentId: $environmentId) { applicationPort proxyPort domain }
}`,

  // The services that run in an environment.
  ENVIRONMENT_SERVICES: `query environmentServices($id: String!, $after: String) {
  environment(id: $id) {
    serviceInstances(after: $after) {
      edges { node { serviceId serviceName } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,

  // Settings and limits in one request: mutations of one document run in order.
  SERVICE_INSTANCE_WRITE: `mutation serviceInstanceWrite($serviceId: String!, $environmentId: String!, $input: ServiceInstanceUpdateInput!, $limits: ServiceInstanceLimitsUpdateInput!) {
  serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
  serviceInstanceLimitsUpdate(input: $limits)
}`,

  // What a deployment starts from: the instance's source and last deployment, and its deploy triggers.
  DEPLOY_STATE: `query deployState($projectId: String!, $environmentId: String!, $serviceId: String!) {
  serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
    source { repo image }
    latestDeployment { id status }
  }
  deploymentTriggers(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) {
    edges { node { id repository branch checkSuites } }
    pageInfo { hasNextPage endCursor }
  }
}`,

  // Connect the source, then deploy it: one request, the mutations run in order.
  CONNECT_AND_DEPLOY: `mutation connectAndDeploy($serviceId: String!, $environmentId: String!, $input: ServiceInstanceUpdateInput!) {
  serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
  serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId)
}`,

  // Connect a source without deploying it (the deploy workflow deploys).
  CONNECT_SOURCE: `mutation connectSource($serviceId: String!, $environmentId: String!, $input: ServiceInstanceUpdateInput!) {
  serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
}`,

  DEPLOYMENT_STATUS: `query deploymentStatus($id: String!) {
  deployment(id: $id) { id status }
}`,

  SERVICE_INSTANCE_REDEPLOY: `mutation serviceInstanceRedeploy($serviceId: String!, $environmentId: String!) {
  serviceInstanceRedeploy(serviceId: $serviceId, environmentId: $environmentId)
}`,

  DEPLOYMENT_TRIGGERS: `query deploymentTriggers($projectId: String!, $environmentId: String!, $serviceId: String!, $after: String) {
  deploymentTriggers(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId, after: $after) {
    edges { node { id repository branch checkSuites } }
    pageInfo { hasNextPage endCursor }
  }
}`,

  DEPLOYMENT_TRIGGER_CREATE: `mutation deploymentTriggerCreate($input: DeploymentTriggerCreateInput!) {
  deploymentTriggerCreate(input: $input) { id }
}`,

  DEPLOYMENT_TRIGGER_UPDATE: `mutation deploymentTriggerUpdate($id: String!, $input: DeploymentTriggerUpdateInput!) {
  deploymentTriggerUpdate(id: $id, input: $input) { id }
}`,

  DEPLOYMENT_TRIGGER_DELETE: `mutation deploymentTriggerDelete($id: String!) {
  deploymentTriggerDelete(id: $id)
}`,

  VARIABLES: `query variables($projectId: String!, $environmentId: String!, $serviceId: String) {
  variables(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId, unrendered: true)
}`,

  /** The same variables with Railway's references (`${{service.NAME}}`) resolved, as a deployment sees them. */
  VARIABLES_RENDERED: `query variablesRendered($projectId: String!, $environmentId: String!, $serviceId: String) {
  variables(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId)
}`,

  VARIABLE_COLLECTION_UPSERT: `mutation variableCollectionUpsert($input: VariableCollectionUpsertInput!) {
  variableCollectionUpsert(input: $input)
}`,

  DOMAINS: `query domains($projectId: String!, $environmentId: String!, $serviceId: String!) {
  domains(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId) {
    customDomains { id domain targetPort }
    serviceDomains { id domain targetPort }
  }
}`,

  CUSTOM_DOMAIN_CREATE: `mutation customDomainCreate($input: CustomDomainCreateInput!) {
  customDomainCreate(input: $input) { id domain targetPort }
}`,

  CUSTOM_DOMAIN_UPDATE: `mutation customDomainUpdate($id: String!, $environmentId: String!, $targetPort: Int) {
  customDomainUpdate(id: $id, environmentId: $environmentId, targetPort: $targetPort)
}`,

  CUSTOM_DOMAIN_DELETE: `mutation customDomainDelete($id: String!) {
  customDomainDelete(id: $id)
}`,

  SERVICE_DOMAIN_CREATE: `mutation serviceDomainCreate($input: ServiceDomainCreateInput!) {
  serviceDomainCreate(input: $input) { id domain targetPort }
}`,

  SERVICE_DOMAIN_UPDATE: `mutation serviceDomainUpdate($input: ServiceDomainUpdateInput!) {
  serviceDomainUpdate(input: $input)
}`,

  SERVICE_DOMAIN_DELETE: `mutation serviceDomainDelete($id: String!) {
  serviceDomainDelete(id: $id)
}`,

  ENVIRONMENT_VOLUMES: `query environmentVolumes($id: String!, $after: String) {
  environment(id: $id) {
    volumeInstances(after: $after) {
      edges { node { id volumeId serviceId mountPath } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,

  VOLUME_INSTANCES: `query volumeInstances($projectId: String!, $after: String) {
  project(id: $projectId) {
    volumes(after: $after) {
      edges { node { id volumeInstances { edges { node { environmentId } } pageInfo { hasNextPage endCursor } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,

  VOLUME_CREATE: `mutation volumeCreate($input: VolumeCreateInput!) {
  volumeCreate(input: $input) { id name }
}`,

  VOLUME_INSTANCE_UPDATE: `mutation volumeInstanceUpdate($volumeId: String!, $environmentId: String, $input: VolumeInstanceUpdateInput!) {
  volumeInstanceUpdate(volumeId: $volumeId, environmentId: $environmentId, input: $input)
}`,

  VOLUME_DELETE: `mutation volumeDelete($volumeId: String!) {
  volumeDelete(volumeId: $volumeId)
}`,

  EGRESS_GATEWAYS: `query egressGateways($serviceId: String!, $environmentId: String!) {
  egressGateways(serviceId: $serviceId, environmentId: $environmentId) { ipv4 region }
}`,

  EGRESS_GATEWAY_CREATE: `mutation egressGatewayAssociationCreate($input: EgressGatewayCreateInput!) {
  egressGatewayAssociationCreate(input: $input) { ipv4 region }
}`,

  EGRESS_GATEWAYS_CLEAR: `mutation egressGatewayAssociationsClear($input: EgressGatewayServiceTargetInput!) {
  egressGatewayAssociationsClear(input: $input)
}`,
} as const;

/** Railway's public GraphQL endpoint: the providers' default (RAILWAY_API_URL overrides it) and the deploy job's. */
export const RAILWAY_GRAPHQL_URL = "https://backboard.railway.com/graphql/v2";

/** What the generated deploy job (components/github/workflows.ts) asks Railway, with the environment's project token. */
export const deployJobGql = {
  resolve: `query resolve($after: String) { projectToken { projectId environmentId project { services(first: 100, after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } } } } }`,
  running: `query running($input: DeploymentListInput!) { deployments(input: $input, first: 1) { edges { node { id } } } }`,
  deployCommit: `mutation deployCommit($serviceId: String!, $environmentId: String!, $commitSha: String) { serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId, commitSha: $commitSha) }`,
  deployImage: `mutation deployImage($serviceId: String!, $environmentId: String!, $input: ServiceInstanceUpdateInput!) { serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input) serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId) }`,
  status: `query status($id: String!) { deployment(id: $id) { status } }`,
  rollback: `mutation rollback($id: String!) { deploymentRollback(id: $id) }`,
} as const;
