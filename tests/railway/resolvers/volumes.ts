// The Railway double's resolvers for volumes and their instances, and static egress gateways (Pro).
// State and the shared model (views, lookups, deploys) are the double's (../double.ts).
import { randomBytes } from "node:crypto";
import { notFound, refused, type VolumeState, type RailwayDouble } from "../double";

export function volumeResolvers(double: RailwayDouble): Record<string, (args: any) => unknown> {
  return {
    // -- volumes
    volumeCreate: ({ input }) => {
      double.requireProject(input.projectId);
      if (input.serviceId && input.environmentId) {
        double.writable(input.serviceId, input.environmentId);
        if (double.realism.oneVolumePerService && double.volumeInstanceOf(input.serviceId, input.environmentId))
          throw refused("Service already has a volume attached in this environment");
      }
      const envs = input.environmentId ? [input.environmentId] : [];
      const volume: VolumeState = {
        id: double.uuid(),
        name: `volume-${randomBytes(2).toString("hex")}`,
        projectId: input.projectId,
        instances: envs.map((environmentId) => ({ id: double.id("vi"), serviceId: input.serviceId ?? null, environmentId, mountPath: input.mountPath })),
        ...double.hiddenAtCreation(),
      };
      double.volumes.set(volume.id, volume);
      return double.volumeView(volume);
    },
    volumeInstanceUpdate: ({ volumeId, environmentId, input }) => {
      const volume = double.volumes.get(volumeId);
      if (!volume) throw notFound("Volume");
      for (const i of volume.instances.filter((x) => !environmentId || x.environmentId === environmentId)) {
        if (input.mountPath) i.mountPath = input.mountPath;
        if (input.serviceId !== undefined) i.serviceId = input.serviceId;
      }
      return true;
    },
    volumeDelete: ({ volumeId }) => {
      if (!double.volumes.has(volumeId)) throw notFound("Volume");
      double.volumes.delete(volumeId);
      return true;
    },

    // -- static egress (Pro)
    egressGateways: ({ serviceId, environmentId }) => {
      double.requireService(serviceId);
      return double.egress.get(`${serviceId}:${environmentId}`) ?? [];
    },
    egressGatewayAssociationCreate: ({ input }) => {
      double.writable(input.serviceId, input.environmentId);
      const key = `${input.serviceId}:${input.environmentId}`;
      const existing = double.egress.get(key);
      if (existing) return existing;
      const octet = () => 1 + (randomBytes(1)[0]! % 254);
      const ips = [{ ipv4: `34.${octet()}.${octet()}.${octet()}`, region: input.region ?? "us-west2", zone: null }];
      double.egress.set(key, ips);
      return ips;
    },
    egressGatewayAssociationsClear: ({ input }) => {
      double.requireService(input.serviceId);
      double.egress.delete(`${input.serviceId}:${input.environmentId}`);
      return true;
    },
  };
}
