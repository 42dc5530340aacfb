/**
 * Images the runtime runs. Defaults are the names users pull from public registries; each can be
 * overridden by an environment variable. On machines without a registry, `npm run provision`
 * (scripts/provision-docker.sh) builds local images under exactly these names, and testcontainers
 * uses a local image before it would try to pull.
 */
export const IMAGES = {
  redis: process.env.FAULTLINE_REDIS_IMAGE ?? 'redis:7',
  toxiproxy: process.env.FAULTLINE_TOXIPROXY_IMAGE ?? 'ghcr.io/shopify/toxiproxy:2.12.0',
  postgres: process.env.FAULTLINE_POSTGRES_IMAGE ?? 'postgres:15',
  sinkhole: process.env.FAULTLINE_SINKHOLE_IMAGE ?? 'faultline/sinkhole:1',
  netguard: process.env.FAULTLINE_NETGUARD_IMAGE ?? 'faultline/netguard:1',
} as const;

/** Where the target image's libfaketime lives (Debian's path; the target's Dockerfile installs the package). */
export const CONTAINER_LIBFAKETIME = process.env.FAULTLINE_CONTAINER_LIBFAKETIME ?? '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
