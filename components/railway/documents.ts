// Every GraphQL document the Railway providers send, as static literals, in one place. Tests hold
// each one to Railway's published schema (contracts/railway/schema.json).
//
// One plain object rather than many exports: a serialized provider then carries it as a literal,
// not as a module namespace of getters.
export const gql = {
  PROJECTS: `query projects {
  projects { edges { node { id name } } }
}`,

  PROJECT: `query project($id: String!) {
  project(id: $id) { id name prDeploys baseEnvironmentId }
}`,

  PROJECT_CREATE: `mutation projectCreate($input: ProjectCreateInput!) {
  projectCreate(input: $input) { id name prDeploys }
}`,

  PROJECT_UPDATE: `mutation projectUpdate($id: String!, $input: ProjectUpdateInput!) {
  projectUpdate(id: $id, input: $input) { id prDeploys baseEnvironmentId }
}`,

  PROJECT_DELETE: `mutation projectDelete($id: String!) {
  projectDelete(id: $id)
}`,

  ENVIRONMENTS: `query environments($projectId: String!) {
  environments(projectId: $projectId) { edges { node { id name isEphemeral } } }
}`,

  ENVIRONMENT_CREATE: `mutation environmentCreate($input: EnvironmentCreateInput!) {
  environmentCreate(input: $input) { id name isEphemeral }
}`,

  ENVIRONMENT_DELETE: `mutation environmentDelete($id: String!) {
  environmentDelete(id: $id)
}`,

  PROJECT_SERVICES: `query projectServices($id: String!) {
  project(id: $id) {
    services {
      edges {
        node {
          id
          name
          repoTriggers { edges { node { id environmentId branch repository } } }
        }
      }
    }
  }
}`,

  SERVICE_CREATE: `mutation serviceCreate($input: ServiceCreateInput!) {
  serviceCreate(input: $input) { id name }
}`,

  SERVICE_DELETE: `mutation serviceDelete($id: String!, $environmentId: String) {
  serviceDelete(id: $id, environmentId: $environmentId)
}`,

  DEPLOYMENT_TRIGGER_CREATE: `mutation deploymentTriggerCreate($input: DeploymentTriggerCreateInput!) {
  deploymentTriggerCreate(input: $input) { id branch repository environmentId }
}`,

  DEPLOYMENT_TRIGGER_UPDATE: `mutation deploymentTriggerUpdate($id: String!, $input: DeploymentTriggerUpdateInput!) {
  deploymentTriggerUpdate(id: $id, input: $input) { id branch repository }
}`,

  SERVICE_INSTANCE: `query serviceInstance($serviceId: String!, $environmentId: String!) {
  serviceInstance(serviceId: $serviceId, environmentId: $environmentId) {
    id
    numReplicas
    region
    healthcheckPath
    healthcheckTimeout
    restartPolicyType
    restartPolicyMaxRetries
    startCommand
    rootDirectory
    dockerfilePath
    source { repo image }
  }
  serviceInstanceLimits(serviceId: $serviceId, environmentId: $environmentId)
}`,

  SERVICE_INSTANCE_UPDATE: `mutation serviceInstanceUpdate($serviceId: String!, $environmentId: String, $input: ServiceInstanceUpdateInput!) {
  serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input)
}`,

  SERVICE_INSTANCE_LIMITS_UPDATE: `mutation serviceInstanceLimitsUpdate($input: ServiceInstanceLimitsUpdateInput!) {
  serviceInstanceLimitsUpdate(input: $input)
}`,

  VARIABLES: `query variables($projectId: String!, $environmentId: String!, $serviceId: String) {
  variables(projectId: $projectId, environmentId: $environmentId, serviceId: $serviceId, unrendered: true)
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

  PROJECT_VOLUMES: `query projectVolumes($id: String!) {
  project(id: $id) {
    volumes {
      edges { node { id name volumeInstances { edges { node { id serviceId environmentId mountPath } } } } }
    }
  }
}`,

  VOLUME_CREATE: `mutation volumeCreate($input: VolumeCreateInput!) {
  volumeCreate(input: $input) { id name }
}`,

  VOLUME_DELETE: `mutation volumeDelete($volumeId: String!) {
  volumeDelete(volumeId: $volumeId)
}`,
} as const;
