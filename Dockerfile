# Argus server image (SPEC O2). The same image runs the worker (docker-compose.yml `worker`).
# Build: docker build -t argus .   Run: docker compose up (see README.md).

FROM node:22-bookworm-slim AS build
WORKDIR /app
# A set MEDIASOUP_WORKER_BIN skips mediasoup's postinstall, which would download a prebuilt worker;
# the worker is built from the package's sources below instead (ADR 0006).
ENV npm_config_fund=false npm_config_audit=false MEDIASOUP_WORKER_BIN=/nonexistent
COPY package.json package-lock.json .npmrc ./
# Exactly the locked tree: package-lock.json holds every platform's optional packages (docs/first-hour.md).
RUN npm ci
COPY . .
RUN ARGUS_CACHE_DIR=/opt/argus-cache scripts/mediasoup/build-worker.sh > /tmp/worker-path \
 && install -D "$(cat /tmp/worker-path)" /opt/mediasoup/mediasoup-worker
RUN npx remix build && npm prune --omit=dev

FROM node:22-bookworm-slim
# ffmpeg decodes camera RTP in workers (later issues); ca-certificates for outbound TLS.
# libuv1 libssl3 libsrtp2-1 libabsl20220623: what the mediasoup worker binary links against.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates libuv1 libssl3 libsrtp2-1 libabsl20220623 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/mediasoup/mediasoup-worker /opt/mediasoup/mediasoup-worker
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data MEDIASOUP_WORKER_BIN=/opt/mediasoup/mediasoup-worker
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "server.ts"]
