# Argus server image (SPEC O2). The same image runs the worker (docker-compose.yml `worker`).
# Build: docker build -t argus .   Run: docker compose up (see README.md).

FROM node:22-bookworm-slim AS build
WORKDIR /app
ENV npm_config_fund=false npm_config_audit=false
COPY package.json package-lock.json .npmrc ./
# npm ci rejects a lock written against a registry that serves only Linux optional packages
# (other platforms' entries are missing); npm install --no-save then installs the same locked versions.
RUN npm ci || npm install --no-save
COPY . .
RUN npx remix build && npm prune --omit=dev

FROM node:22-bookworm-slim
# ffmpeg decodes camera RTP in workers (later issues); ca-certificates for outbound TLS.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--import", "tsx", "server.ts"]
