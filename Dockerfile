# syntax=docker/dockerfile:1
# The netops worker (and codec server) image. The CLI runs from the TypeScript
# sources through tsx, a runtime dependency, so there is no build stage for
# our code: only production dependencies are installed.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: none of our dependencies needs one at runtime (the
# Temporal core bridge, esbuild and swc ship prebuilt binaries as optional
# packages; cpu-features is an optional speed-up for ssh2).
# npm install (not ci): see scripts/ensure-deps.sh for why; it installs the locked versions.
RUN npm install --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NETOPS_LOG_FORMAT=json \
    NETOPS_METRICS_HOST=0.0.0.0 \
    NETOPS_METRICS_PORT=9464
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
# The CLI runs compiled from dist/ (bin/build-cli.cjs); /app is read-only at
# run time, so dist/ is built here, once, with the image.
RUN node bin/build-cli.cjs
# tsx keeps its compile cache under the temp dir; the rest stays read-only.
# Collection results and the workflow bundle cache get directories of their
# own, owned by node: a named volume mounted there starts with this owner.
ENV NETOPS_RESULTS_DIR=/var/lib/netops/results \
    NETOPS_BUNDLE_CACHE=/var/cache/netops/workflow-bundles
RUN mkdir -p /var/lib/netops/results /var/cache/netops/workflow-bundles \
 && chown -R node:node /var/lib/netops /var/cache/netops
USER node
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.NETOPS_METRICS_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1's only child-free process and receives SIGTERM
# itself, so `docker stop` lets running activities finish (see stop_grace_period).
CMD ["node", "bin/netops.cjs", "worker"]
